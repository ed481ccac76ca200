/**
 * The change feed over real jsforce against the embedded LMO, changed by jsforce writes as a person or the LMA would
 * change it, with the SQLite store: a silent baseline (the watermark alone where the org tracks license field history,
 * every license where it does not), each event kind once, routed to the channels listening, nothing for a change
 * undone or an unrelated edit, one call for a quiet read, page by page for a mass update, and nothing lost to an LMO
 * outage — on both kinds of org. And one reader at a time across processes (the store's lease), on each store backend.
 */
import { type EmulatorHandle, startEmulator } from '@lma-bot/lmo-emulator';
import { Connection } from 'jsforce';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { embeddedAuth } from '../../src/app/local.js';
import {
  ChangeFeed,
  type ChangeSource,
  FEED_LEASE_MS,
  type FeedRead,
  pollingSource,
} from '../../src/lma/change-feed.js';
import { LmoClient } from '../../src/lma/client.js';
import { EVENT_KINDS, type LicenseEvent } from '../../src/lma/license-events.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { LmoService } from '../../src/lma/service.js';
import { processOwner } from '../../src/store/claim.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { backends, type TestDatabase } from '../store/backends.js';
import {
  ACCOUNTS,
  LEADS,
  LICENSE,
  lmoFixture,
  NOW,
  PACKAGE_VERSION,
  PACKAGES,
  upgradeTo,
} from '../support/lmo-fixture.js';
import { pausedSource } from '../support/paused-source.js';

let emulator: EmulatorHandle;
let store: Store;
let feed: ChangeFeed;
let client: LmoClient;
let writer: Connection;
let service: LmoService;
let now: Date;
let polls: number;
let database: TestDatabase | undefined;

/** Moves the LMO's clock on, so each write has its own SystemModstamp. */
const tick = (seconds = 60) => {
  now = new Date(now.getTime() + seconds * 1000);
};

/** A reader of the feed in its own process (its own owner in the store's leases), on `store`, from `source`. */
const feedOf = (source: ChangeSource) =>
  new ChangeFeed({ source, store: store.feed, leases: store.leases, owner: processOwner(), clock: () => now });

/** A fresh store (`database`'s, else an in-memory SQLite) and an LMO with the fixture, with field history or not. */
async function open(historyTracked: boolean, on?: TestDatabase): Promise<void> {
  now = NOW;
  polls = 0;
  emulator = await startEmulator({ data: lmoFixture(), clock: () => now, historyTracked });
  client = new LmoClient(
    async () => (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0', clock: () => now })).connection,
    {
      apiVersion: '62.0',
      timeoutMs: 5000,
      retries: 0,
    },
  );
  service = new LmoService({ client, timezone: 'UTC', clock: () => now });
  database = on;
  store = on ? await on.open() : openSqliteStore(':memory:');
  feed = feedOf(pollingSource(service));
  // C1 listens to everything, from before the fixture's first change.
  await store.alerts.subscribe('C1', [...EVENT_KINDS], null, 'U1', new Date(0));
  writer = new Connection({ instanceUrl: emulator.url, accessToken: emulator.accessToken, version: '62.0' });
}
afterEach(async () => {
  await store.close();
  await database?.drop();
  await emulator.close();
});

/** One read; every event goes to channel C1. Returns the events C1 got, read back from the outbox. */
async function read(): Promise<{ events: LicenseEvent[]; calls: number; baseline: boolean; pages: number }> {
  const before = client.calls;
  const poll = `p${++polls}`;
  const result = await feed.read(poll);
  const events = await store.alerts.pollEvents('C1', poll, 100_000);
  return { events, calls: client.calls - before, baseline: result.baseline, pages: result.pages };
}

const licenses = () => writer.sobject('sfLma__License__c');

/** `n` new trials straight into the org (as a data load would, to keep the tests fast), the i-th stamped `at(i)`. */
function insertTrials(n: number, at: (i: number) => string): void {
  const template = emulator.org.records('sfLma__License__c')[0];
  for (let i = 0; i < n; i++) {
    const stamp = at(i);
    emulator.org.insert('sfLma__License__c', {
      ...template,
      Id: `a0L${String(5000 + i).padStart(12, '0')}AAA`,
      Name: `L-${5000 + i}`,
      sfLma__Status__c: 'Trial',
      CreatedDate: stamp,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
  }
}

const kinds = (events: LicenseEvent[]) => events.map((e) => `${e.kind}:${e.license.customer.name}`);

const fixtureIds = () => emulator.org.records('sfLma__License__c').map((l) => String(l.Id));
/** The fixture's newest change (its licenses carry no SystemModstamp of their own: the LMO stamps it from this). */
const newestChange = () =>
  Math.max(...emulator.org.records('sfLma__License__c').map((l) => Date.parse(String(l.LastModifiedDate))));
const watermark = async () => Date.parse((await store.feed.watermark()) ?? '');

test('with field history, the first read is a silent baseline of one call that stores no license; a quiet read after it costs one call and gives nothing', async () => {
  await open(true);
  const first = await read();
  expect(first).toMatchObject({ baseline: true, events: [], calls: 1, pages: 0 });
  expect(await watermark()).toBe(newestChange());
  expect((await store.feed.tracked(fixtureIds())).size).toBe(0);
  expect(await read()).toMatchObject({ baseline: false, events: [], calls: 1 });
});

test('without field history, the first read is a silent baseline of every license (one call to learn there is none, then a page a call); a quiet read after it costs one call', async () => {
  await open(false);
  const first = await read();
  expect(first).toMatchObject({ baseline: true, events: [], calls: 2, pages: 1 });
  expect(await watermark()).toBe(newestChange());
  expect((await store.feed.tracked(fixtureIds())).size).toBe(fixtureIds().length);
  expect(await read()).toMatchObject({ baseline: false, events: [], calls: 1 });
});

describe.each([
  { org: 'with field history', history: true },
  { org: 'without field history', history: false },
])('after a baseline, $org', ({ history }) => {
  beforeEach(async () => {
    await open(history);
    await read();
    tick();
  });

  test('each kind of change gives its event, once', async () => {
    await licenses().create({
      sfLma__Status__c: 'Trial',
      sfLma__Lead__c: LEADS.umbrella,
      sfLma__Package__c: PACKAGES.scheduler,
      sfLma__Seats__c: 10,
      sfLma__Install_Date__c: NOW.toISOString().slice(0, 10),
    });
    await licenses().create({ sfLma__Status__c: 'Active', sfLma__Account__c: ACCOUNTS.acmeLabs, sfLma__Seats__c: 5 });
    await licenses().update({ Id: LICENSE(9), sfLma__Status__c: 'Active' }); // Initech converts
    await licenses().update({ Id: LICENSE(1), sfLma__Status__c: 'Suspended' }); // Acme suspended
    await licenses().update({ Id: LICENSE(13), sfLma__Status__c: 'Active' }); // Stark reactivated
    await licenses().update({ Id: LICENSE(4), sfLma__Status__c: 'Uninstalled' }); // Globex leaves
    await licenses().update({ Id: LICENSE(3), sfLma__Seats__c: 40 }); // Acme Labs buys seats
    await licenses().update({ Id: LICENSE(7), ...upgradeTo(PACKAGES.invoicer, '2.2.0') }); // Stark upgrades
    const { events, calls } = await read();
    // One call; with a lazy baseline, one more for the number of the version Stark upgraded from (its history holds
    // the Package Version lookup's Id).
    expect(calls).toBe(history ? 2 : 1);
    expect(kinds(events).sort()).toEqual(
      [
        'trial:Umbrella Corporation',
        'install:Acme Labs',
        'conversion:Initech',
        'suspension:Acme Corporation',
        'reactivation:Stark Industries',
        'uninstall:Globex',
        'seats:Acme Labs',
        'upgrade:Stark Industries',
      ].sort(),
    );
    const byKind = new Map(events.map((e) => [e.kind, e]));
    // Installed 2026-01-05, converted 2026-06-15: 161 days of trial.
    expect(byKind.get('conversion')).toMatchObject({ from: 'Trial', to: 'Active', days: 161 });
    expect(byKind.get('uninstall')).toMatchObject({ from: 'Active', to: 'Uninstalled', days: 161, seatsLost: 100 });
    expect(byKind.get('seats')).toMatchObject({ from: 20, to: 40 });
    expect(byKind.get('upgrade')).toMatchObject({ from: '2.0.0', to: '2.2.0' });
    expect(byKind.get('trial')?.license).toMatchObject({ packageName: 'Scheduler Pro', status: 'Trial' });

    tick();
    expect(await read()).toMatchObject({ events: [], calls: 1 });
  });

  test('a read routes each event to the channels listening to its kind and package since before it; readers page the kept events by seq', async () => {
    const start = await feed.position();
    await store.alerts.subscribe('C2', ['uninstall'], 'invoicer', 'U1', new Date(0));
    await store.alerts.subscribe('C3', ['uninstall'], 'sched', 'U1', new Date(0));
    await licenses().update({ Id: LICENSE(4), sfLma__Status__c: 'Uninstalled' }); // Globex, Invoicer
    await licenses().update({ Id: LICENSE(3), sfLma__Seats__c: 40 }); // Acme Labs, Invoicer
    // Subscribed after those changes: a read that catches up on them gives it none.
    await store.alerts.subscribe('C4', [...EVENT_KINDS], null, 'U1', new Date(now.getTime() + 1000));
    const poll = `p${++polls}`;
    await feed.read(poll);
    const got = async (channel: string) => kinds(await store.alerts.pollEvents(channel, poll, 100));
    expect((await got('C1')).sort()).toEqual(['seats:Acme Labs', 'uninstall:Globex']);
    expect(await got('C2')).toEqual(['uninstall:Globex']);
    expect(await got('C3')).toEqual([]);
    expect(await got('C4')).toEqual([]);
    const kept = await feed.eventsAfter(start, 10);
    expect(kept).toHaveLength(2);
    expect(kept[0].seq).toBeGreaterThan(start);
    expect(kept[1].seq).toBeGreaterThan(kept[0].seq);
    expect(await feed.position()).toBe(kept[1].seq);
    expect(await feed.eventsAfter(kept[0].seq, 10)).toEqual([kept[1]]);
  });

  test('a change undone before the next read, and an edit no event is about, give nothing', async () => {
    await licenses().update({ Id: LICENSE(1), sfLma__Seats__c: 60 });
    tick(5);
    await licenses().update({ Id: LICENSE(1), sfLma__Seats__c: 50 });
    await licenses().update({ Id: LICENSE(2), sfLma__Status__c: 'Suspended' });
    tick(5);
    await licenses().update({ Id: LICENSE(2), sfLma__Status__c: 'Trial' });
    await licenses().update({ Id: LICENSE(3), sfLma__License_Type__c: 'Editable', sfLma__Used_Licenses__c: 19 });
    expect((await read()).events).toEqual([]);
  });

  test('a mass update is read a page of 2,000 a call and processed page by page; every change becomes one event', async () => {
    const changed = 12_100;
    const fixture = emulator.org.records('sfLma__License__c');
    // The read takes `>=` the watermark: the fixture's licenses stamped at it are read again (and give nothing).
    const newest = fixture
      .map((l) => String(l.SystemModstamp))
      .sort()
      .at(-1);
    const atWatermark = fixture.filter((l) => l.SystemModstamp === newest).length;
    // As a data load would: many licenses created at once.
    insertTrials(changed, () => now.toISOString());
    const { events, calls, pages } = await read();
    expect(pages).toBe(Math.ceil((changed + atWatermark) / 2000));
    expect(pages).toBe(7);
    // A page a call (FEED_PAGES_PER_CALL): the memory held stays one page.
    expect(calls).toBe(pages);
    expect(events).toHaveLength(changed);
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['trial']));
    tick();
    expect((await read()).events).toEqual([]);
  });

  test('an LMO outage in the middle of a read loses nothing and repeats nothing', async () => {
    insertTrials(2_500, (i) => new Date(now.getTime() + i).toISOString());
    // The first page is answered, the second is not.
    let served = 0;
    const original = client.queryMorePages.bind(client);
    client.queryMorePages = async (url, pages) => {
      served += 1;
      emulator.setFaults({ unavailableRate: 1 });
      return original(url, pages);
    };
    await expect(feed.read('outage')).rejects.toThrow();
    expect(served).toBe(1);
    const partial = await store.alerts.pollEvents('C1', 'outage', 100_000);
    // The first page's events are kept (its page holds the licenses at the watermark too: read again, no event).
    expect(partial.length).toBeGreaterThan(1_900);
    expect(partial.length).toBeLessThan(2_500);
    emulator.setFaults({});
    client.queryMorePages = original;
    const after = await read();
    expect(partial.length + after.events.length).toBe(2_500);
    expect(new Set([...partial, ...after.events].map((e) => e.key)).size).toBe(2_500);
  });

  test('a license changed before and after a read cut short by an outage gets every event once the read completes', async () => {
    // Initech converts, then 2,100 new trials come in, then Initech buys seats: it is read on the second page.
    await licenses().update({ Id: LICENSE(9), sfLma__Status__c: 'Active' });
    insertTrials(2_100, (i) => new Date(now.getTime() + 1000 + i).toISOString());
    tick(10);
    await licenses().update({ Id: LICENSE(9), sfLma__Seats__c: 15 });
    const original = client.queryMorePages.bind(client);
    client.queryMorePages = async () => {
      throw new Error('The LMO could not be reached.');
    };
    await expect(feed.read('outage')).rejects.toThrow();
    client.queryMorePages = original;
    expect(await store.feed.watermark()).not.toBeNull();
    const initech = (await read()).events.filter((e) => e.license.id === LICENSE(9));
    expect(initech.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['conversion', 'Trial', 'Active'],
      ['seats', 10, 15],
    ]);
  });
});

describe('with field history, after a baseline that stored no license', () => {
  beforeEach(async () => {
    await open(true);
    await read();
    tick();
  });

  test('a field changed twice since the watermark is compared from its value then; a license changed again later, from its stored state', async () => {
    await licenses().update({ Id: LICENSE(3), sfLma__Seats__c: 30 }); // Acme Labs: 20 → 30 → 40
    tick(5);
    await licenses().update({ Id: LICENSE(3), sfLma__Seats__c: 40 });
    await licenses().update({ Id: LICENSE(5), sfLma__Expiration__c: '2027-01-31' }); // renewed: no event
    expect((await read()).events.map((e) => [e.kind, e.from, e.to])).toEqual([['seats', 20, 40]]);
    tick();
    await licenses().update({ Id: LICENSE(3), sfLma__Seats__c: 45 });
    expect((await read()).events.map((e) => [e.kind, e.from, e.to])).toEqual([['seats', 40, 45]]);
    expect((await store.feed.tracked([LICENSE(5)])).get(LICENSE(5))).toMatchObject({ expiration: '2027-01-31' });
  });

  test('an upgrade from a package version no longer in the LMO tells no version then: no upgrade event, the rest as history says', async () => {
    const seats = emulator.org.get(LICENSE(7))?.record.sfLma__Seats__c;
    await licenses().update({ Id: LICENSE(7), ...upgradeTo(PACKAGES.invoicer, '2.2.0'), sfLma__Seats__c: 12 }); // Stark
    emulator.org.remove(PACKAGE_VERSION(PACKAGES.invoicer, '2.0.0'));
    expect((await read()).events.map((e) => [e.kind, e.from, e.to])).toEqual([['seats', seats, 12]]);
    expect((await store.feed.tracked([LICENSE(7)])).get(LICENSE(7))).toMatchObject({ version: '2.2.0', seats: 12 });
  });
});

// The history's further pages a call each, as the licenses': 6,500 rows are its first page and three calls more.
test.each([
  { changed: 2_500, pages: 2, historyCalls: 1 },
  { changed: 6_500, pages: 4, historyCalls: 3 },
])(
  'with field history, $changed licenses from before the baseline changed at once: their history is read beside the first page, its further pages a page a call ($historyCalls more)',
  async ({ changed, pages: expectedPages, historyCalls }) => {
    await open(true);
    const template = emulator.org.records('sfLma__License__c')[0];
    const ids = Array.from({ length: changed }, (_, i) => `a0L${String(5000 + i).padStart(12, '0')}AAA`);
    // Licenses from before the baseline (straight into the org, stamped as the fixture's), changed after it as the API
    // would change them (history written).
    for (const id of ids) emulator.org.insert('sfLma__License__c', { ...template, Id: id, sfLma__Seats__c: 10 });
    expect(await read()).toMatchObject({ baseline: true, calls: 1 });
    tick();
    for (const id of ids) emulator.update('sfLma__License__c', id, { sfLma__Seats__c: 12 });
    const { events, calls, pages } = await read();
    expect(pages).toBe(expectedPages);
    // A call a page of licenses, the first with the history's first page; each further page of history, one call more.
    expect(calls).toBe(pages + historyCalls);
    expect(events).toHaveLength(ids.length);
    expect(new Set(events.map((e) => `${e.kind}:${e.from}→${e.to}`))).toEqual(new Set(['seats:10→12']));
    tick();
    expect((await read()).events).toEqual([]);
  },
);

describe.each(backends)('one reader at a time across processes, on $name', (backend) => {
  const trials = 2_500;
  beforeEach(async () => {
    await open(true, await backend.create());
    await read();
    tick();
    // Two pages of new trials to read.
    insertTrials(trials, (i) => new Date(now.getTime() + i).toISOString());
    tick();
  });

  /** A's read (another process), paused once its first page is committed. */
  async function pausedRead() {
    const a = pausedSource(pollingSource(service));
    const reading = feedOf(a.source).read('A');
    await a.paused;
    return { resume: a.resume, reading };
  }
  const feedState = async () => ({ position: await feed.position(), watermark: await store.feed.watermark() });
  const pendingPolls = async () => (await store.alerts.pendingPolls(10)).map((p) => [p.poll, p.total]);

  test('while one reads page by page, another reads nothing and writes nothing; once it is done, the other reads', async () => {
    const a = await pausedRead();
    const midway = await feedState();
    expect(midway.position).toBeGreaterThan(0);
    const calls = client.calls;
    expect(await feed.read('B')).toEqual<FeedRead>({
      busy: true,
      baseline: false,
      lazy: false,
      licenses: 0,
      events: 0,
      pages: 0,
    });
    expect(client.calls).toBe(calls);
    expect(await feedState()).toEqual(midway);
    // A's poll is still open: none of its alerts is posted before its last page is stored.
    expect(await pendingPolls()).toEqual([]);
    a.resume();
    expect(await a.reading).toMatchObject({ busy: false, pages: 2, events: trials });
    expect(await pendingPolls()).toEqual([['A', trials]]);
    expect(await feed.read('B')).toMatchObject({ busy: false, events: 0 });
    expect(await store.alerts.pollEvents('C1', 'B', 10)).toEqual([]);
  });

  test('a reader that died mid-read is replaced once its lease lapses: the next reads on from its last page, each event once', async () => {
    const a = await pausedRead();
    const firstPage = (await store.alerts.pollEvents('C1', 'A', 100_000)).length;
    expect(firstPage).toBeGreaterThan(0);
    tick(FEED_LEASE_MS / 1000 - 1);
    expect(await feed.read('B')).toMatchObject({ busy: true });
    tick(1);
    const b = await feed.read('B');
    expect(b).toMatchObject({ busy: false, pages: 1 });
    expect(firstPage + b.events).toBe(trials);
    // A was only slow: woken after its lease lapsed, it writes nothing more.
    a.resume();
    expect(await a.reading).toMatchObject({ busy: true, pages: 1 });
    const events = [
      ...(await store.alerts.pollEvents('C1', 'A', 100_000)),
      ...(await store.alerts.pollEvents('C1', 'B', 100_000)),
    ];
    expect(new Set(events.map((e) => e.key)).size).toBe(trials);
    expect(events).toHaveLength(trials);
  });
});
