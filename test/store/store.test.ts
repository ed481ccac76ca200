/**
 * The store's contract, one suite for every backend (test/store/backends.ts). Two `open()`s on one database stand
 * for a restart or for two bot processes sharing it.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_DIGEST_LEASE_MS as LEASE_MS } from '../../src/config.js';
import { startGuide } from '../../src/features/guide/machine.js';
import type { LicenseEvent, TrackedLicense } from '../../src/lma/license-events.js';
import {
  ALERT_OUTBOX_PRUNE_EVERY,
  ALERT_OUTBOX_TTL_DAYS,
  type FeedCommit,
  GUIDE_TTL_DAYS,
  type Store,
  THREAD_CONTEXT_TTL_DAYS,
} from '../../src/store/store.js';
import { backends, type TestDatabase } from './backends.js';

const now = new Date('2026-06-15T10:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
const afterMs = (ms: number) => new Date(now.getTime() + ms);

describe.each(backends)('the $name store', (backend) => {
  let database: TestDatabase;
  let store: Store;
  const opened: Store[] = [];
  /** Another connection to the same database: a restarted bot, or a second process. */
  const another = async () => {
    const other = await database.open();
    opened.push(other);
    return other;
  };

  beforeEach(async () => {
    database = await backend.create();
    store = await another();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await database.drop();
  });

  describe('events', () => {
    test('a key is claimed once: a retried delivery, on another connection too, is refused', async () => {
      expect(await store.events.claim('ask:Ev1', now)).toBe(true);
      expect(await store.events.claim('ask:Ev1', now)).toBe(false);
      expect(await (await another()).events.claim('ask:Ev1', later(0.5))).toBe(false);
      expect(await store.events.claim('ask:Ev2', now)).toBe(true);
    });
  });

  describe('threads', () => {
    test('remembers a thread and what the bot did there; the first kind wins', async () => {
      expect(await store.threads.kind('C1', '1.1')).toBeUndefined();
      await store.threads.mark('C1', '1.1', 'guide', now);
      await store.threads.mark('C1', '1.1', 'answer', now);
      await store.threads.mark('C1', '2.2', 'digest', now);
      expect(await store.threads.kind('C1', '1.1')).toBe('guide');
      expect(await (await another()).threads.kind('C1', '2.2')).toBe('digest');
      expect(await store.threads.kind('C2', '1.1')).toBeUndefined();
    });
  });

  describe('thread context', () => {
    test('remembers the last customer per thread, the latest answer winning', async () => {
      const context = store.threadContext;
      await context.remember('C1', '1.1', 'Acme Corporation', now);
      await context.remember('C1', '2.2', 'Globex', now);
      await context.remember('C1', '1.1', 'Acme Labs', now);
      expect(await context.last('C1', '1.1', now)).toBe('Acme Labs');
      expect(await context.last('C1', '2.2', now)).toBe('Globex');
      expect(await context.last('C2', '1.1', now)).toBeUndefined();
    });

    test('survives a restart (another connection to the same store)', async () => {
      await store.threadContext.remember('C1', '1.1', 'Globex', now);
      expect(await (await another()).threadContext.last('C1', '1.1', now)).toBe('Globex');
    });

    test('a month-old thread no longer refers to its customer', async () => {
      const context = store.threadContext;
      await context.remember('C1', '1.1', 'Globex', now);
      expect(await context.last('C1', '1.1', later(THREAD_CONTEXT_TTL_DAYS - 1))).toBe('Globex');
      expect(await context.last('C1', '1.1', later(THREAD_CONTEXT_TTL_DAYS + 1))).toBeUndefined();
    });
  });

  describe('guides', () => {
    test('saves, reads back and updates a guide by its thread', async () => {
      const guides = store.guides;
      const state = startGuide('U0ALICE', now);
      expect(
        await guides.save({ channel: 'C1', threadTs: '1.000001', messageTs: '1.000002', state, revision: 0 }, now),
      ).toBe(true);
      const saved = await guides.get<typeof state>('C1', '1.000001');
      expect(saved).toEqual({ channel: 'C1', threadTs: '1.000001', messageTs: '1.000002', state, revision: 1 });
      expect(await guides.save({ ...saved!, state: { ...state, stage: 3 } }, now)).toBe(true);
      expect((await guides.get<typeof state>('C1', '1.000001'))?.state.stage).toBe(3);
      expect(await guides.get('C2', '1.000001')).toBeUndefined();
    });

    test('a save based on a stale read is refused: of two processes stepping one guide, one wins', async () => {
      const state = startGuide('U0ALICE', now);
      await store.guides.save({ channel: 'C1', threadTs: '1.1', messageTs: '1.2', state, revision: 0 }, now);
      const other = await another();
      const [mine, theirs] = await Promise.all([
        store.guides.get<typeof state>('C1', '1.1'),
        other.guides.get<typeof state>('C1', '1.1'),
      ]);
      expect(await other.guides.save({ ...theirs!, state: { ...state, stage: 1 } }, now)).toBe(true);
      expect(await store.guides.save({ ...mine!, state: { ...state, stage: 5 } }, now)).toBe(false);
      const stored = await store.guides.get<typeof state>('C1', '1.1');
      expect(stored).toMatchObject({ revision: 2, state: { stage: 1 } });
      // Stepped again from what is stored, it is saved.
      expect(await store.guides.save({ ...stored!, state: { ...state, stage: 2 } }, now)).toBe(true);
      // A second guide created in a thread that has one is refused as well.
      expect(await other.guides.save({ ...stored!, revision: 0 }, now)).toBe(false);
      expect((await other.guides.get<typeof state>('C1', '1.1'))?.state.stage).toBe(2);
    });

    test(`removes guides idle for ${GUIDE_TTL_DAYS} days, keeping those touched since`, async () => {
      const guides = store.guides;
      const state = startGuide('U0ALICE', now);
      await guides.save({ channel: 'C1', threadTs: '1.1', messageTs: '1.2', state, revision: 0 }, now);
      await guides.save({ channel: 'C1', threadTs: '2.1', messageTs: '2.2', state, revision: 0 }, later(10));
      expect(await guides.removeIdle(later(GUIDE_TTL_DAYS - 1))).toBe(0);
      expect(await guides.removeIdle(later(GUIDE_TTL_DAYS + 1))).toBe(1);
      expect(await guides.get('C1', '1.1')).toBeUndefined();
      expect(await guides.get('C1', '2.1')).toBeDefined();
    });
  });

  describe('digest ledger', () => {
    const DAY = '2026-06-15';
    // Owners on another host: only the lease tells whether they still run.
    const A = 'host-a.example:101:aaaaaa';
    const B = 'host-b.example:202:bbbbbb';

    test('the first claim posts; while it is fresh every other owner is told busy', async () => {
      const other = await another();
      expect(await store.digest.claim(DAY, 'C1', A, now, LEASE_MS)).toEqual({ kind: 'post' });
      expect(await other.digest.claim(DAY, 'C1', B, afterMs(1000), LEASE_MS)).toEqual({ kind: 'busy', owner: A });
      expect(await other.digest.claim(DAY, 'C2', B, now, LEASE_MS)).toEqual({ kind: 'post' });
      expect(await store.digest.entry(DAY, 'C1')).toEqual({
        day: DAY,
        channel: 'C1',
        state: 'claimed',
        owner: A,
        heartbeat: now.toISOString(),
        ts: null,
        error: null,
        postedAt: null,
      });
    });

    test('two owners claiming one slot at once on two connections: exactly one posts', async () => {
      const other = await another();
      const claims = await Promise.all([
        store.digest.claim(DAY, 'C1', A, now, LEASE_MS),
        other.digest.claim(DAY, 'C1', B, now, LEASE_MS),
      ]);
      expect(claims.map((c) => c.kind).sort()).toEqual(['busy', 'post']);
    });

    test('a claim left untouched for the lease is taken over, as resumed; a heartbeat keeps it fresh', async () => {
      await store.digest.claim(DAY, 'C1', A, now, LEASE_MS);
      await store.digest.heartbeat(DAY, 'C1', A, afterMs(LEASE_MS - 1000));
      expect(await store.digest.claim(DAY, 'C1', B, afterMs(LEASE_MS + 1000), LEASE_MS)).toEqual({
        kind: 'busy',
        owner: A,
      });
      expect(await store.digest.claim(DAY, 'C1', B, afterMs(2 * LEASE_MS), LEASE_MS)).toEqual({
        kind: 'post',
        resumed: true,
      });
      expect((await store.digest.entry(DAY, 'C1'))?.owner).toBe(B);
    });

    test('a claim whose process is gone on this host is taken over at once', async () => {
      const gone = spawnSync(process.execPath, ['-e', '0']).pid;
      await store.digest.claim(DAY, 'C1', `${hostname()}:${gone}:cccccc`, now, LEASE_MS);
      expect(await store.digest.claim(DAY, 'C1', B, afterMs(1000), LEASE_MS)).toEqual({ kind: 'post', resumed: true });
    });

    test('a message up without its thread reply is finished by the next owner; a posted slot is done', async () => {
      await store.digest.claim(DAY, 'C1', A, now, LEASE_MS);
      await store.digest.parentPosted(DAY, 'C1', A, '111.222', now);
      await store.digest.failed(DAY, 'C1', A, 'Slack: socket hang up', now);
      expect(await store.digest.entry(DAY, 'C1')).toMatchObject({
        state: 'failed',
        ts: '111.222',
        error: 'Slack: socket hang up',
      });
      // A failed slot is claimable again at once, by anyone.
      expect(await store.digest.claim(DAY, 'C1', B, afterMs(1000), LEASE_MS)).toEqual({
        kind: 'finish',
        ts: '111.222',
      });
      expect(await store.digest.entry(DAY, 'C1')).toMatchObject({ state: 'parent_posted', owner: B, error: null });
      await store.digest.posted(DAY, 'C1', B, afterMs(2000));
      const done = { kind: 'done', ts: '111.222', postedAt: afterMs(2000).toISOString() };
      expect(await store.digest.claim(DAY, 'C1', A, afterMs(3000), LEASE_MS)).toEqual(done);
      expect(await store.digest.claim(DAY, 'C1', B, later(1), LEASE_MS)).toEqual(done);
    });

    test('an owner that lost its claim changes nothing', async () => {
      await store.digest.claim(DAY, 'C1', A, now, LEASE_MS);
      await store.digest.claim(DAY, 'C1', B, afterMs(2 * LEASE_MS), LEASE_MS);
      await store.digest.parentPosted(DAY, 'C1', A, '999.999', afterMs(2 * LEASE_MS + 1));
      await store.digest.posted(DAY, 'C1', A, afterMs(2 * LEASE_MS + 2));
      expect(await store.digest.entry(DAY, 'C1')).toMatchObject({ state: 'claimed', owner: B, ts: null });
    });

    test('keeps the first digest composed for a day: a later one, from any process, gets the kept one', async () => {
      const first = { composedAt: now, content: { day: DAY, n: 1 } };
      expect(await store.digest.keepComposed(DAY, first)).toEqual(first);
      const other = await another();
      expect(await other.digest.keepComposed(DAY, { composedAt: afterMs(5), content: { n: 2 } })).toEqual(first);
      expect(await other.digest.composed(DAY)).toEqual(first);
      expect(await store.digest.composed('2026-06-16')).toBeUndefined();
    });

    test('changes are reported since the latest digest kept before the day', async () => {
      expect(await store.digest.previous(DAY)).toBeUndefined();
      await store.digest.keepComposed('2026-06-10', { composedAt: later(-5), content: { n: 10 } });
      await store.digest.keepComposed('2026-06-12', { composedAt: later(-3), content: { n: 12 } });
      await store.digest.keepComposed(DAY, { composedAt: now, content: { n: 15 } });
      expect(await store.digest.previous(DAY)).toEqual({ composedAt: later(-3), content: { n: 12 } });
      expect(await (await another()).digest.previous('2026-06-11')).toEqual({
        composedAt: later(-5),
        content: { n: 10 },
      });
    });
  });

  describe('leases', () => {
    test('one holder at a time, on any connection; renewed by its holder; taken over once expired', async () => {
      const other = await another();
      expect(await store.leases.acquire('alerts:poll', 'A', now, 60_000)).toBe(true);
      expect(await other.leases.acquire('alerts:poll', 'B', afterMs(1000), 60_000)).toBe(false);
      expect(await other.leases.acquire('alerts:send:C1', 'B', now, 60_000)).toBe(true);
      // A renews: B still waits past A's first expiry.
      expect(await store.leases.acquire('alerts:poll', 'A', afterMs(50_000), 60_000)).toBe(true);
      expect(await other.leases.acquire('alerts:poll', 'B', afterMs(70_000), 60_000)).toBe(false);
      // A died: its lease runs out and B takes it; A, back, no longer holds it.
      expect(await other.leases.acquire('alerts:poll', 'B', afterMs(110_000), 60_000)).toBe(true);
      expect(await store.leases.acquire('alerts:poll', 'A', afterMs(111_000), 60_000)).toBe(false);
    });

    test('released by its holder it is free at once; a release by anyone else changes nothing', async () => {
      const other = await another();
      await store.leases.acquire('alerts:poll', 'A', now, 60_000);
      await other.leases.release('alerts:poll', 'B');
      expect(await other.leases.acquire('alerts:poll', 'B', afterMs(1000), 60_000)).toBe(false);
      await store.leases.release('alerts:poll', 'A');
      expect(await other.leases.acquire('alerts:poll', 'B', afterMs(1000), 60_000)).toBe(true);
    });

    test('a lease whose holder is a process gone from this host is taken over at once, by one asker', async () => {
      const gone = `${hostname()}:${spawnSync(process.execPath, ['-e', '0']).pid}:dddddd`;
      expect(await store.leases.acquire('alerts:send:C1', gone, now, 300_000)).toBe(true);
      const stores = [store, ...(await Promise.all([another(), another()]))];
      const alive = (i: number) => `${hostname()}:${process.pid}:p${i}`;
      const got = await Promise.all(
        stores.map((s, i) => s.leases.acquire('alerts:send:C1', alive(i), afterMs(1000), 300_000)),
      );
      expect(got.filter(Boolean)).toHaveLength(1);
      // Its new holder runs: nobody else takes it before it expires.
      expect(await store.leases.acquire('alerts:send:C1', 'B', afterMs(2000), 300_000)).toBe(false);
    });

    test('many processes asking at once: exactly one gets it', async () => {
      const stores = [store, ...(await Promise.all([another(), another(), another()]))];
      const got = await Promise.all(stores.map((s, i) => s.leases.acquire('alerts:poll', `P${i}`, now, 60_000)));
      expect(got.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('owner matches', () => {
    const ann = { mapped: null, email: 'ann@isv.example', owner: { id: '005A', name: 'Ann Owner' } };

    test('a lookup is kept until it expires, for every process on the store; the latest replaces it', async () => {
      expect(await store.ownerMatches.get('U1', now)).toBeUndefined();
      await store.ownerMatches.put('U1', ann, afterMs(60_000));
      expect(await (await another()).ownerMatches.get('U1', afterMs(59_999))).toEqual(ann);
      expect(await store.ownerMatches.get('U1', afterMs(60_000))).toBeUndefined();
      const mappedMiss = { mapped: 'bob@isv.example', email: 'bob@isv.example', owner: null };
      await store.ownerMatches.put('U1', mappedMiss, afterMs(120_000));
      expect(await store.ownerMatches.get('U1', afterMs(60_000))).toEqual(mappedMiss);
    });

    test('a miss without any email is kept as such', async () => {
      await store.ownerMatches.put('U2', { mapped: null, email: null, owner: null }, later(1));
      expect(await store.ownerMatches.get('U2', now)).toEqual({ mapped: null, email: null, owner: null });
    });
  });

  describe('status change days', () => {
    const day = (d: string, conversions: number, uninstalls: number) => ({ day: d, conversions, uninstalls });
    const lmo = 'https://acme.my.salesforce.com';

    test('days are kept for one LMO and time zone, read from a day on in order, for every process; a day kept again is replaced', async () => {
      await store.statusChangeDays.keep(lmo, 'UTC', [day('2026-06-13', 2, 0), day('2026-06-12', 0, 1)]);
      await store.statusChangeDays.keep(lmo, 'UTC', [day('2026-06-13', 3, 1), day('2026-06-14', 0, 0)]);
      await store.statusChangeDays.keep(lmo, 'UTC', []);
      expect(await (await another()).statusChangeDays.since(lmo, 'UTC', '2026-06-12')).toEqual([
        day('2026-06-12', 0, 1),
        day('2026-06-13', 3, 1),
        day('2026-06-14', 0, 0),
      ]);
      expect(await store.statusChangeDays.since(lmo, 'UTC', '2026-06-13')).toEqual([
        day('2026-06-13', 3, 1),
        day('2026-06-14', 0, 0),
      ]);
      expect(await store.statusChangeDays.since(lmo, 'Europe/Paris', '2026-01-01')).toEqual([]);
    });

    test('keeping days for another LMO or time zone drops the others, and so do days a year newer', async () => {
      await store.statusChangeDays.keep(lmo, 'UTC', [day('2026-06-13', 2, 0)]);
      await store.statusChangeDays.keep('http://127.0.0.1:4123', 'UTC', [day('2026-06-13', 5, 5)]);
      expect(await store.statusChangeDays.since(lmo, 'UTC', '2026-01-01')).toEqual([]);
      await store.statusChangeDays.keep(lmo, 'Europe/Paris', [day('2025-06-11', 1, 0), day('2025-06-12', 1, 1)]);
      await store.statusChangeDays.keep(lmo, 'Europe/Paris', [day('2026-06-13', 4, 0)]);
      expect(await store.statusChangeDays.since(lmo, 'Europe/Paris', '2025-01-01')).toEqual([
        day('2025-06-12', 1, 1),
        day('2026-06-13', 4, 0),
      ]);
      expect(await store.statusChangeDays.since('http://127.0.0.1:4123', 'UTC', '2026-01-01')).toEqual([]);
    });
  });

  describe('kept readings', () => {
    test('a reading kept by one process is read by every other; an older one never replaces a newer', async () => {
      expect(await store.readings.get('home:team')).toBeUndefined();
      await store.readings.put('home:team', { readAt: afterMs(60_000), content: { renewals: [3, 4], rate: null } });
      await (await another()).readings.put('home:team', { readAt: now, content: { renewals: [1] } });
      expect(await (await another()).readings.get('home:team')).toEqual({
        readAt: afterMs(60_000),
        content: { renewals: [3, 4], rate: null },
      });
      await store.readings.put('home:team', { readAt: afterMs(120_000), content: { renewals: [] } });
      expect(await store.readings.get('home:team')).toEqual({ readAt: afterMs(120_000), content: { renewals: [] } });
      expect(await store.readings.get('home:other')).toBeUndefined();
    });
  });

  describe('change feed and alerts', () => {
    const tracked = (id: string, status: string): TrackedLicense => ({
      id,
      status,
      seats: 10,
      version: '1.0',
      expiration: null,
      paidSince: null,
    });
    const event = (id: string, kind: LicenseEvent['kind'], customer = 'Acme'): LicenseEvent => ({
      key: `${id}:${kind}:2026-06-15T10:00:00.000+0000`,
      kind,
      at: '2026-06-15T10:00:00.000+0000',
      license: { id, customer: { name: customer, kind: 'account', id: `001${customer}` } } as LicenseEvent['license'],
      from: null,
      to: 'Trial',
    });

    test('a commit writes states, events, deliveries and the watermark at once; an event kept twice is kept once', async () => {
      expect(await store.feed.watermark()).toBeNull();
      const commit = {
        poll: 'p1',
        states: [tracked('L1', 'Trial')],
        events: [event('L1', 'trial')],
        deliveries: [
          { key: event('L1', 'trial').key, channel: 'C1' },
          { key: event('L1', 'trial').key, channel: 'C2' },
        ],
        watermark: '2026-06-15T10:00:00.000+0000',
      };
      await store.feed.commit(commit);
      // Another process read the same change: nothing more to post.
      await (await another()).feed.commit({ ...commit, poll: 'p2' });
      expect(await store.feed.watermark()).toBe('2026-06-15T10:00:00.000+0000');
      expect(await store.feed.tracked(['L1', 'L2'])).toEqual(new Map([['L1', tracked('L1', 'Trial')]]));
      const pending = await store.alerts.pendingPolls(10);
      expect(pending.map((p) => [p.channel, p.poll, p.total, p.byKind])).toEqual([
        ['C1', 'p1', 1, { trial: 1 }],
        ['C2', 'p1', 1, { trial: 1 }],
      ]);
      await store.alerts.sending('C1', [event('L1', 'trial').key]);
      expect((await store.alerts.pendingPolls(10))[0]).toMatchObject({ channel: 'C1', resumed: true });
      await store.alerts.sent('C1', [event('L1', 'trial').key], '1.1', now);
      expect((await store.alerts.pendingPolls(10)).map((p) => p.channel)).toEqual(['C2']);
    });

    test('a lazy baseline’s commit replaces every state and sets the watermark and where field history tells states from; a later commit moves each only when it carries it', async () => {
      await store.feed.commit({ poll: 'p0', states: [tracked('L1', 'Trial')], events: [], deliveries: [] });
      expect(await store.feed.historyFrom()).toBeNull();
      const at = (minute: number) => `2026-06-15T10:0${minute}:00.000+0000`;
      await store.feed.commit({
        poll: 'p1',
        states: [],
        events: [],
        deliveries: [],
        baseline: true,
        watermark: at(0),
        historyFrom: at(0),
      });
      expect(await store.feed.tracked(['L1'])).toEqual(new Map());
      expect([await store.feed.watermark(), await store.feed.historyFrom()]).toEqual([at(0), at(0)]);
      // A page before the last: the watermark moves, where history tells states from stays.
      await store.feed.commit({ poll: 'p2', states: [], events: [], deliveries: [], watermark: at(1) });
      const other = await another();
      expect([await other.feed.watermark(), await other.feed.historyFrom()]).toEqual([at(1), at(0)]);
      await other.feed.commit({
        poll: 'p2',
        states: [],
        events: [],
        deliveries: [],
        watermark: at(2),
        historyFrom: at(2),
      });
      expect([await store.feed.watermark(), await store.feed.historyFrom()]).toEqual([at(2), at(2)]);
    });

    test('kept events are numbered in commit order, for every process: a reader pages them from its place', async () => {
      expect(await store.feed.position()).toBe(0);
      const [first, second, third] = ['L1', 'L2', 'L3'].map((id) => event(id, 'trial'));
      await store.feed.commit({ poll: 'p1', states: [], events: [first, second], deliveries: [] });
      await (await another()).feed.commit({ poll: 'p2', states: [], events: [second, third], deliveries: [] });
      const kept = await (await another()).feed.eventsAfter(0, 10);
      expect(kept.map((k) => k.event.license.id)).toEqual(['L1', 'L2', 'L3']);
      expect(kept[0].event).toEqual(first);
      expect(kept[1].seq).toBeGreaterThan(kept[0].seq);
      expect(kept[2].seq).toBeGreaterThan(kept[1].seq);
      expect(await store.feed.position()).toBe(kept[2].seq);
      expect(await store.feed.eventsAfter(kept[0].seq, 1)).toEqual([kept[1]]);
      expect(await store.feed.eventsAfter(kept[2].seq, 10)).toEqual([]);
    });

    test('a poll committed page by page is listed for posting only once its last page is, whole, for every process; a poll cut short is listed once the next read commits', async () => {
      const page = (poll: string, ids: string[], more = false): FeedCommit => ({
        poll,
        states: [],
        events: ids.map((id) => event(id, 'trial')),
        deliveries: ids.map((id) => ({ key: event(id, 'trial').key, channel: 'C1' })),
        more,
      });
      const other = await another();
      const listed = async () => (await other.alerts.pendingPolls(10)).map((p) => [p.poll, p.total]);
      await store.feed.commit(page('p1', ['L1', 'L2'], true));
      expect(await listed()).toEqual([]);
      await store.feed.commit(page('p1', ['L3'], true));
      expect(await listed()).toEqual([]);
      await store.feed.commit(page('p1', ['L4']));
      expect(await listed()).toEqual([['p1', 4]]);
      await other.alerts.pollSent('C1', 'p1', '1.1', now);

      // p2's writer dies after its first page; the next read, a quiet one, lists it.
      await store.feed.commit(page('p2', ['L5', 'L6'], true));
      expect(await listed()).toEqual([]);
      await other.feed.commit(page('p3', []));
      expect(await listed()).toEqual([['p2', 2]]);
      await other.alerts.pollSent('C1', 'p2', '1.2', now);

      // p4's writer dies too; the next read's first page lists it and is itself held until its last.
      await store.feed.commit(page('p4', ['L7'], true));
      await other.feed.commit(page('p5', ['L8'], true));
      expect(await listed()).toEqual([['p4', 1]]);
      await other.alerts.pollSent('C1', 'p4', '1.3', now);
      expect(await listed()).toEqual([]);
      await other.feed.commit(page('p5', ['L9']));
      expect(await listed()).toEqual([['p5', 2]]);
    });

    test('each channel is listed once, with its own oldest poll, when it shares a newer poll with another channel', async () => {
      const [first, second] = [event('L1', 'trial'), event('L2', 'trial')];
      await store.feed.commit({
        poll: 'p1',
        states: [],
        events: [first],
        deliveries: [{ key: first.key, channel: 'C2' }],
      });
      await store.feed.commit({
        poll: 'p2',
        states: [],
        events: [second],
        deliveries: ['C1', 'C2'].map((channel) => ({ key: second.key, channel })),
      });
      const listed = (await store.alerts.pendingPolls(10)).map((p) => [p.channel, p.poll]);
      expect(listed).toEqual([
        ['C1', 'p2'],
        ['C2', 'p1'],
      ]);
    });

    test('the feed’s listeners are the subscriptions not suspended', async () => {
      await store.alerts.subscribe('C1', ['trial'], null, 'U1', now);
      await store.alerts.subscribe('C2', ['uninstall'], 'Invoicer', 'U1', now);
      await store.alerts.suspend('C1', 'gone', later(1));
      expect(await (await another()).feed.listeners()).toEqual([
        expect.objectContaining({
          channel: 'C2',
          events: ['uninstall'],
          packageName: 'Invoicer',
          since: now.toISOString(),
        }),
      ]);
    });

    test('done alerts are removed after a month, as more are marked; pending ones stay', async () => {
      const [old, recent, open] = ['L1', 'L2', 'L3'].map((id) => event(id, 'trial'));
      await store.feed.commit({
        poll: 'p1',
        states: [],
        events: [old, recent, open],
        deliveries: [old, recent, open].map((e) => ({ key: e.key, channel: 'C1' })),
      });
      await store.alerts.sent('C1', [old.key], '1.1', now);
      await store.alerts.sent('C1', [recent.key], '1.2', later(ALERT_OUTBOX_TTL_DAYS));
      const listed = async () => (await store.alerts.pollEvents('C1', 'p1', 10)).map((e) => e.license.id);
      const pastTtl = later(ALERT_OUTBOX_TTL_DAYS + 1);
      // Two marks above; up to one short of the pruning mark.
      for (let i = 3; i < ALERT_OUTBOX_PRUNE_EVERY; i++) await store.alerts.sent('C1', [], null, pastTtl);
      expect(await listed()).toEqual(['L1', 'L2', 'L3']);
      await store.alerts.sent('C1', [], null, pastTtl); // the marks' PRUNE_EVERYth
      expect(await listed()).toEqual(['L2', 'L3']);
      expect((await store.alerts.pendingPolls(10))[0].first.map((a) => a.event.license.id)).toEqual(['L3']);
      expect(await store.alerts.event(old.key)).toEqual(old); // its Details button still answers
    });

    test('recent: the newest events posted to the channels asked about, each once; none pending, muted or elsewhere', async () => {
      const events = ['L1', 'L2', 'L3', 'L4', 'L5'].map((id) => event(id, 'trial'));
      await store.feed.commit({
        poll: 'p1',
        states: [],
        events,
        deliveries: [
          ...events.map((e) => ({ key: e.key, channel: 'C1' })),
          { key: events[1].key, channel: 'C2' },
          { key: events[4].key, channel: 'C3' },
        ],
      });
      await store.alerts.sent('C1', [events[0].key, events[1].key, events[2].key], '1.1', now);
      await store.alerts.sent('C2', [events[1].key], '2.1', now);
      await store.alerts.sent('C1', [events[3].key], null, now); // muted: never posted
      await store.alerts.sent('C3', [events[4].key], '3.1', now);
      const ids = async (channels: string[], limit = 5) =>
        (await (await another()).alerts.recent(channels, limit)).map((a) => [a.channel, a.event.license.id]);
      expect(await ids(['C1', 'C2'])).toEqual([
        ['C1', 'L3'],
        ['C1', 'L2'],
        ['C1', 'L1'],
      ]);
      expect(await ids(['C2', 'C3'], 1)).toEqual([['C3', 'L5']]);
      expect(await ids([])).toEqual([]);
    });

    test('subscriptions merge events per package; off removes them; a muted customer is not delivered', async () => {
      await store.alerts.subscribe('C1', ['trial'], null, 'U1', now);
      await store.alerts.subscribe('C1', ['uninstall'], null, 'U2', later(1));
      await store.alerts.subscribe('C1', ['seats'], 'Invoicer', 'U1', now);
      expect(await store.alerts.subscriptions('C1')).toEqual([
        expect.objectContaining({ packageName: null, events: ['trial', 'uninstall'], since: now.toISOString() }),
        expect.objectContaining({ packageName: 'Invoicer', events: ['seats'] }),
      ]);
      expect(await store.alerts.unsubscribe('C1', ['trial', 'seats'])).toBe(2);
      expect((await store.alerts.subscriptions()).map((s) => s.events)).toEqual([['uninstall']]);
      await store.alerts.mute('C1', { key: '001Globex', name: 'Globex' }, 'U1', now);
      await store.feed.commit({
        poll: 'p1',
        states: [],
        events: [event('L1', 'uninstall', 'Globex'), event('L2', 'uninstall', 'Acme')],
        deliveries: ['L1', 'L2'].map((id) => ({ key: event(id, 'uninstall').key, channel: 'C1' })),
      });
      const [poll] = await store.alerts.pendingPolls(10);
      expect(poll.first.map((a) => a.event.license.customer.name)).toEqual(['Acme']);
      expect(await store.alerts.mutes('C1')).toEqual([
        { key: '001Globex', name: 'Globex', by: 'U1', at: now.toISOString() },
      ]);
      expect(await store.alerts.mutes('C2')).toEqual([]);
      expect(await store.alerts.unmute('C1', '001Globex')).toBe(true);
      expect(await store.alerts.unmute('C1', '001Globex')).toBe(false);
      expect(await store.alerts.mutes('C1')).toEqual([]);
      await store.alerts.suspend('C1', 'The bot was removed from the channel.', now);
      expect(await store.alerts.pendingPolls(10)).toEqual([]);
      expect((await store.alerts.subscriptions('C1'))[0].suspended).toEqual({
        at: now.toISOString(),
        note: 'The bot was removed from the channel.',
      });
      await store.alerts.subscribe('C1', ['trial'], null, 'U1', later(2));
      expect((await store.alerts.subscriptions('C1'))[0].suspended).toBeNull();
    });
  });
});
