/**
 * A mass data update: 10,000 licenses changed between two polls, through the real bot, jsforce and the embedded LMO.
 * The read is paged (a fixed number of LMO calls: a page of 2,000 licenses a call), each page is compared and written
 * on its own (no more than a page of licenses held, looked up or written at once: memory bounded by paging, asserted on
 * counts), every event is kept once,
 * and the channel gets one summary instead of 10,000 messages — also when another replica flushes the outbox while
 * the poll is still being written.
 */
import { afterEach, expect, test } from 'vitest';
import { BURST_LIMIT } from '../../../src/features/alerts/sender.js';
import { DETAIL_LIMIT } from '../../../src/features/alerts/views.js';
import type { ChangeFeedStore, FeedCommit } from '../../../src/lma/change-feed.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/store.js';
import { backends } from '../../store/backends.js';
import { CHANNEL } from '../../support/harness.js';
import { LICENSE } from '../../support/lmo-fixture.js';
import { type AlertsHarness, startAlertsHarness } from './support.js';

const CHANGED = 10_000;
const PAGE = 2_000;

const open: AlertsHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.close();
});
const start = async (o: Parameters<typeof startAlertsHarness>[0]) => {
  const harness = await startAlertsHarness(o);
  open.push(harness);
  return harness;
};

/** As a data load would: `count` trials created within seconds, straight into the org (to keep the test fast). */
function loadTrials(a: AlertsHarness, count: number): void {
  const org = a.h.bot.emulator!.org;
  const template = org.get(LICENSE(9))!.record; // Initech's trial: a lead, the Invoicer package
  const now = a.h.bot.runtime.clock().getTime();
  for (let i = 0; i < count; i++) {
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
}

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
  const a = await start({ store });
  await a.command('alerts on');
  await a.alerts.tick(); // the baseline
  a.tick();
  const org = a.h.bot.emulator!.org;
  // The read takes `>=` the watermark: the fixture's licenses, all stamped at it, are read again (and give nothing).
  const atWatermark = org.records('sfLma__License__c').length;
  // Many licenses created at once, and one ordinary change among them, through the API.
  loadTrials(a, CHANGED - 1);
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

test.each(backends)(
  '$name: another replica flushing the outbox between two pages of a poll posts none of it: the poll is posted whole, as one summary',
  async (backend) => {
    const database = await backend.create();
    try {
      const store = await database.open();
      // Replica B's tick (it does not hold the poll lease, so it only flushes) runs right after A's first page is written.
      let b: AlertsHarness | undefined;
      const betweenPages: Awaited<ReturnType<AlertsHarness['alerts']['tick']>>[] = [];
      let commits: number | undefined; // counted in the poll under test
      const feed: ChangeFeedStore = {
        ...store.feed,
        async commit(c) {
          await store.feed.commit(c);
          if (b && commits !== undefined && ++commits === 1) betweenPages.push(await b.alerts.tick());
        },
      };
      const a = await start({ store: { ...store, feed } });
      b = await start({ store: await database.open() });
      await a.command('alerts on');
      expect(await a.alerts.tick()).toMatchObject({ read: true, events: 0 }); // the baseline
      commits = 0;
      a.tick();
      b.tick();
      loadTrials(a, PAGE + 500);
      const result = await a.alerts.tick();

      expect(commits).toBe(2);
      expect(betweenPages).toEqual([{ read: false, events: 0, flushed: { posted: 0, summaries: 0 } }]);
      expect(result).toMatchObject({ read: true, events: PAGE + 500, flushed: { posted: 0, summaries: 1 } });
      expect(b.posts()).toEqual([]);
      expect(a.posts().map((p) => p.text)).toEqual(['2,500 license changes at once: 2,500 new trials']);
      // Nothing is left to post, from either replica.
      expect(await b.alerts.tick()).toMatchObject({ read: false, flushed: { posted: 0, summaries: 0 } });
      expect([...a.posts(), ...b.posts()]).toHaveLength(1);
    } finally {
      for (const harness of open.splice(0)) await harness.close();
      await database.drop();
    }
  },
  120_000,
);
