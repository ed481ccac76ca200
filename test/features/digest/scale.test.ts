import { generateDemoData, loggedQueries, type RequestLogEntry } from '@lma-bot/lmo-emulator';
import { afterAll, expect, test } from 'vitest';
import { type DigestHarness, startDigestHarness } from './support.js';

let d: DigestHarness | undefined;
afterAll(async () => d?.close());

/**
 * The LMO's answers since `from`: every query's SOQL (a plain query's or a composite's), the calls (each request is one
 * API call, a composite too), and the pages each composite chained after a query's first (/query/<locator>).
 */
const queries = (h: DigestHarness['h'], from: number) => {
  const log = h.bot.emulator!.log.slice(from);
  const following = (e: RequestLogEntry) => e.soql === undefined && /\/query\/[^/]+$/.test(e.path);
  return {
    first: loggedQueries(log),
    calls: log.filter((e) => e.path.startsWith('/services/data/v')).length,
    chained: log.filter((e) => e.subrequests?.some(following)).map((e) => e.subrequests?.filter(following).length),
    more: log.flatMap((e) => [e, ...(e.subrequests ?? [])]).filter(following).length,
  };
};

test('at 100,000 licenses a digest sends at most 7 queries; its first run at most 5 calls, the change feed’s baseline one of them (the watermark and whether the org tracks field history: no license read)', async () => {
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
  console.log(
    `Salesforce calls per digest at 100,000 licenses: first run ${firstRun.calls} (pages chained ${firstRun.more}), next run ${nextRun.calls}`,
  );
  expect(d.posts()).toHaveLength(2);
  // The digest's own queries (renewals, their count, seats and urgent count, trials) and the feed's baseline (two); a
  // query retried on a loaded machine is still one query.
  expect(new Set(firstRun.first).size).toBeLessThanOrEqual(7);
  expect(firstRun.calls).toBeLessThanOrEqual(5);
  expect(firstRun.first.filter((q) => q.includes('ORDER BY SystemModstamp DESC LIMIT 1'))).toHaveLength(1);
  expect(firstRun.first.filter((q) => q.includes('WHERE SystemModstamp >='))).toEqual([]);
  expect(firstRun.more).toBe(0);
  // The next run reads the feed from the watermark (nothing changed: one page, the history beside it).
  expect(new Set(nextRun.first).size).toBeLessThanOrEqual(7);
  expect(nextRun.first.filter((q) => q.includes('WHERE SystemModstamp >='))).toHaveLength(1);
  expect(nextRun.more).toBe(0);
  expect(nextRun.chained).toEqual([]);
}, 120_000);
