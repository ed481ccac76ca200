import { generateDemoData } from '@lma-bot/lmo-emulator';
import { afterAll, expect, test } from 'vitest';
import { type DigestHarness, startDigestHarness } from './support.js';

let d: DigestHarness | undefined;
afterAll(async () => d?.close());

/** API calls the LMO answered (queries, describes), as Salesforce counts them. */
const apiCalls = (h: DigestHarness['h']) =>
  h.bot.emulator!.log.filter((e) => e.path.startsWith('/services/data/v')).length;

test('at 100,000 licenses a digest still costs at most 5 Salesforce calls, first run and next day alike', async () => {
  const data = generateDemoData({ today: '2026-06-15', licenses: 100_000 });
  // A generous timeout: a slow machine must not turn one query into retried ones.
  d = await startDigestHarness({ now: '2026-06-12T08:00:00Z', data, env: { LMO_TIMEOUT_MS: '60000' } });
  const day1 = apiCalls(d.h);
  d.setNow('2026-06-12T09:00:00Z');
  await d.feature.tick();
  const firstRun = apiCalls(d.h) - day1;
  d.setNow('2026-06-15T09:00:00Z');
  const day2 = apiCalls(d.h);
  await d.feature.tick();
  const nextRun = apiCalls(d.h) - day2;
  console.log(`Salesforce calls per digest at 100,000 licenses: first run ${firstRun}, next run ${nextRun}`);
  expect(d.posts()).toHaveLength(2);
  expect(firstRun).toBeLessThanOrEqual(5);
  expect(nextRun).toBeLessThanOrEqual(5);
}, 120_000);
