/**
 * Imported first by the entry points, before anything allocates: V8's young generation stays at its initial size.
 *
 * By default V8 doubles the semi-spaces (to 16 MB each) as soon as answers allocate quickly, and keeps them: an idle
 * bot then holds ~30 MB of young generation that is almost empty, the largest part of its RSS above a no-op Bolt app's,
 * and RSS jumps by that much depending on when the growth happened. What an answer allocates lives for one request,
 * so small semi-spaces (more, shorter scavenges) cost little. Set here rather than as a `node` flag so that
 * `node dist/index.js` and `npm start` both get it.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--semi-space-growth-factor=1');
