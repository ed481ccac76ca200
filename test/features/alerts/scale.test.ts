/**
 * A mass data update: 10,000 licenses changed between two polls, through the real bot, jsforce and the embedded LMO.
 * The read is paged (a fixed number of LMO calls: a page of 2,000 licenses a call), each page is compared and written
 * on its own (no more than a page of licenses held, looked up or written at once: memory bounded by paging, asserted on
 * counts), every event is kept once,
 * and the channel gets one summary instead of 10,000 messages.
 */
import { afterAll, expect, test } from 'vitest';
import { BURST_LIMIT } from '../../../src/features/alerts/sender.js';
import { DETAIL_LIMIT } from '../../../src/features/alerts/views.js';
import type { ChangeFeedStore, FeedCommit } from '../../../src/lma/change-feed.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/store.js';
import { CHANNEL } from '../../support/harness.js';
import { LICENSE } from '../../support/lmo-fixture.js';
import { type AlertsHarness, startAlertsHarness } from './support.js';

const CHANGED = 10_000;
const PAGE = 2_000;

let a: AlertsHarness | undefined;
afterAll(async () => a?.close());

/** The store, with each feed commit and state lookup measured: how many licenses the bot held at once. */
function measuredStore() {
  const store = openSqliteStore(':memory:');
  const seen = { commits: [] as number[], lookups: [] as number[], pendingLimits: [] as number[] };
  const feed: ChangeFeedStore = {
    ...store.feed,
    tracked: (ids) => {
      seen.lookups.push(ids.length);
      return store.feed.tracked(ids);
    },
    commit: (c: FeedCommit) => {
      seen.commits.push(c.states.length);
      return store.feed.commit(c);
    },
  };
  const alerts: Store['alerts'] = {
    ...store.alerts,
    pendingPolls: (limit) => {
      seen.pendingLimits.push(limit);
      return store.alerts.pendingPolls(limit);
    },
  };
  return { store: { ...store, feed, alerts } as Store, seen };
}

test('10,000 changes in one poll: one query paged 2,000 at a time, a call a page, a page written at once, every event kept once, one summary', async () => {
  const { store, seen } = measuredStore();
  a = await startAlertsHarness({ store });
  await a.command('alerts on');
  await a.alerts.tick(); // the baseline
  a.tick();
  const org = a.h.bot.emulator!.org;
  // The read takes `>=` the watermark: the fixture's licenses, all stamped at it, are read again (and give nothing).
  const atWatermark = org.records('sfLma__License__c').length;
  const template = org.get(LICENSE(9))!.record; // Initech's trial: a lead, the Invoicer package
  const now = a.h.bot.runtime.clock().getTime();
  // As a data load would: many licenses created within seconds (straight into the org, to keep the test fast) …
  for (let i = 0; i < CHANGED - 1; i++) {
    const at = new Date(now + i).toISOString();
    org.insert('sfLma__License__c', {
      ...template,
      Id: `a0L${String(100_000 + i).padStart(12, '0')}AAA`,
      Name: `L-${100_000 + i}`,
      CreatedDate: at,
      LastModifiedDate: at,
      SystemModstamp: at,
    });
  }
  // … and one ordinary change among them, through the API.
  await a.lmo.sobject('sfLma__License__c').update({ Id: LICENSE(4), sfLma__Status__c: 'Uninstalled' });
  const [calls, positionBefore] = [a.apiCalls(), await store.feed.position()];
  seen.commits.length = 0;
  seen.lookups.length = 0;
  const result = await a.alerts.tick();

  // The LMO: one query and its further pages, a call each; nothing per license.
  const pages = Math.ceil((CHANGED - 1 + atWatermark) / PAGE);
  expect(pages).toBe(6);
  expect(a.apiCalls() - calls).toBe(pages);
  expect(result).toMatchObject({ read: true, events: CHANGED, flushed: { posted: 0, summaries: 1 } });
  // Never more than a page held: each page looked up and written on its own.
  expect(seen.commits).toHaveLength(pages);
  expect(Math.max(...seen.commits)).toBeLessThanOrEqual(PAGE);
  expect(seen.lookups.every((n) => n <= PAGE)).toBe(true);
  expect(seen.pendingLimits.every((n) => n === BURST_LIMIT + 1)).toBe(true);
  // Every event kept once, and delivered once to the channel.
  const kept = await store.feed.eventsAfter(positionBefore, CHANGED + 1);
  expect(kept).toHaveLength(CHANGED);
  expect(new Set(kept.map((k) => k.event.key)).size).toBe(CHANGED);
  // One summary, its list in the thread (the first DETAIL_LIMIT events, then a count).
  const posts = a.posts();
  expect(posts.map((p) => p.text)).toEqual(['10,000 license changes at once: 9,999 new trials, 1 uninstall']);
  const thread = a.h.slack.thread(CHANNEL, posts[0].ts).filter((m) => m.ts !== posts[0].ts);
  const lines = thread.flatMap((m) => m.text.split('\n'));
  expect(lines.filter((l) => /^:(seedling|wave): /.test(l))).toHaveLength(DETAIL_LIMIT);
  expect(lines.at(-1)).toContain(`…and ${(CHANGED - DETAIL_LIMIT).toLocaleString('en-US')} more changes`);

  // The next poll is quiet: one call, nothing posted again.
  a.tick();
  const quiet = a.apiCalls();
  expect(await a.alerts.tick()).toMatchObject({ read: true, events: 0, flushed: { posted: 0, summaries: 0 } });
  expect(a.apiCalls() - quiet).toBe(1);
  expect(a.posts()).toHaveLength(1);
}, 120_000);
