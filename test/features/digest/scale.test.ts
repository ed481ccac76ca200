import { generateDemoData } from '@lma-bot/lmo-emulator';
import { afterAll, expect, test } from 'vitest';
import { type DigestHarness, startDigestHarness } from './support.js';

let d: DigestHarness | undefined;
afterAll(async () => d?.close());

/** The queries the LMO answered since `from` (a query's further pages are queryMore calls to /query/<locator>). */
const queries = (h: DigestHarness['h'], from: number) => {
  const log = h.bot.emulator!.log.slice(from);
  return {
    first: log.filter((e) => e.soql !== undefined).map((e) => e.soql ?? ''),
    more: log.filter((e) => e.soql === undefined && /\/query\/[^/]+$/.test(e.path)).length,
  };
};

test('at 100,000 licenses a digest sends at most 5 queries, plus once the change feed’s baseline: every license, 2,000 a page', async () => {
  const licenses = 100_000;
  const data = generateDemoData({ today: '2026-06-15', licenses });
  // A generous timeout: a slow machine must not turn one query into retried ones.
  d = await startDigestHarness({ now: '2026-06-12T08:00:00Z', data, env: { LMO_TIMEOUT_MS: '60000' } });
  const day1 = d.h.bot.emulator!.log.length;
  d.setNow('2026-06-12T09:00:00Z');
  await d.feature.tick();
  const firstRun = queries(d.h, day1);
  d.setNow('2026-06-15T09:00:00Z');
  const day2 = d.h.bot.emulator!.log.length;
  await d.feature.tick();
  const nextRun = queries(d.h, day2);
  const count = (q: typeof firstRun) => q.first.length + q.more;
  console.log(
    `Salesforce queries per digest at 100,000 licenses: first run ${count(firstRun)} (${firstRun.more + 1} of them the feed's baseline pages), next run ${count(nextRun)}`,
  );
  expect(d.posts()).toHaveLength(2);
  // The digest's own queries (renewals, their totals, trials) and the feed's first page; a query retried on a loaded
  // machine is still one query.
  expect(new Set(firstRun.first).size).toBeLessThanOrEqual(5);
  expect(firstRun.first.filter((q) => q.includes('ORDER BY SystemModstamp'))).toHaveLength(1);
  expect(firstRun.more + 1).toBe(Math.ceil(licenses / 2000));
  expect(new Set(nextRun.first).size).toBeLessThanOrEqual(5);
  expect(nextRun.more).toBe(0);
}, 120_000);
