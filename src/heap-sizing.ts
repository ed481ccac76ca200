/**
 * Imported first by the entry points, before anything allocates: how V8 sizes the bot's heap.
 *
 * The young generation stays at its initial size. By default V8 doubles the semi-spaces (to 16 MB each) as soon as
 * answers allocate quickly, and keeps them: an idle bot then holds ~30 MB of young generation that is almost empty, the
 * largest part of its RSS above a no-op Bolt app's, and RSS jumps by that much depending on when the growth happened.
 * What an answer allocates lives for one request, so small semi-spaces (more, shorter scavenges) cost little.
 *
 * The old generation may double before a full collection. A large answer's rows outlive the small young generation
 * while its next call is read, so they are promoted (3 MB an answer of conversions at 100,000 licenses), and once idle
 * had let V8's memory reducer shrink the heap, V8 let it grow by a fraction only: a full collection every other answer
 * (10 in 20 answers; 4 with this), each slowing the scavenges while it marked. An idle heap is still shrunk as before.
 * The trade, measured by `npm run bench` (runs side by side on 8 Dec 2026, 100,000 licenses): bot CPU per answer falls
 * by a quarter (conversions 30-32 -> 22-23 ms, health 34-35 -> 26-27, renewals 12-13 -> 9.1-9.4), idle RSS is 98-103
 * MB -> 107-111, and a 10,000-change alert poll's peak adds 37-45 MB instead of 20-28.
 *
 * Set here rather than as `node` flags so that `node dist/index.js` and `npm start` both get them.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=100');
