/**
 * LmoService answers over real jsforce to the embedded LMO: the right rows, computed totals that equal a plain
 * filter over the data, and the number of Salesforce calls each answer costs.
 */

import { type EmulatorHandle, loggedQueries, type OrgData } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test } from 'vitest';
import { type LmoClient, LmoError } from '../../src/lma/client.js';
import { addDays } from '../../src/lma/dates.js';
import { LmoService } from '../../src/lma/service.js';
import type { StatusChangeDay } from '../../src/lma/status-change-days.js';
import { EXPECTED, healthFixture } from '../features/health/health-fixture.js';
import { keptInMemory } from '../support/kept-counts.js';
import { ACCOUNTS, LICENSE, lmoFixture, NOW, TODAY, USERS } from '../support/lmo-fixture.js';
import { serviceOver } from '../support/lmo-service.js';

let emulator: EmulatorHandle;
afterEach(async () => emulator?.close());

async function serviceFor(data: OrgData, options: Parameters<typeof serviceOver>[1] = {}) {
  const over = await serviceOver(data, options);
  emulator = over.emulator;
  return over;
}

const window = (days: number) => ({ from: TODAY, to: addDays(TODAY, days), label: `in the next ${days} days` });

/** The fixture with `n` more paid per-seat licenses expiring over the next 30 days (and every 7th a site license). */
function withManyRenewals(n: number): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  for (let i = 0; i < n; i++) {
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(1000 + i).padStart(12, '0')}AAA`,
      sfLma__Expiration__c: addDays(TODAY, i % 31),
      sfLma__Seats__c: i % 7 === 0 ? -1 : (i % 13) + 1,
      sfLma__Account__c: ACCOUNTS.globex,
    });
  }
  return data;
}

/** Renewals in the 30-day window as a plain filter over the data. */
const renewingIn = (data: OrgData, days: number) =>
  data.sfLma__License__c.filter(
    (l) =>
      l.sfLma__Status__c === 'Active' &&
      !l.sfLma__Subscriber_Org_Is_Sandbox__c &&
      typeof l.sfLma__Expiration__c === 'string' &&
      l.sfLma__Expiration__c >= TODAY &&
      l.sfLma__Expiration__c <= addDays(TODAY, days) &&
      l.sfLma__Expiration__c !== '1970-01-01',
  );
const renewingIn30 = (data: OrgData) => renewingIn(data, 30);

describe('renewals', () => {
  test('renewalsCount: the paid licenses renewing in a range, however many, counted by the LMO in one call', async () => {
    const data = withManyRenewals(4200);
    const { service, client } = await serviceFor(data);
    const urgent = renewingIn(data, 7).length;
    expect(urgent).toBeGreaterThan(200); // more than a first batch of rows holds
    expect(await service.renewalsCount(window(7))).toBe(urgent);
    expect(client.calls).toBe(1);
  });

  test('a window read in one batch: its count, seats and site licenses from those rows, one call', async () => {
    const data = lmoFixture();
    const { service, client } = await serviceFor(data);
    const answer = await client.together(() => service.renewals({ range: window(30) }));
    const inWindow = renewingIn30(data);
    const sites = inWindow.filter((l) => l.sfLma__Seats__c === -1).length;
    expect(sites).toBeGreaterThan(0);
    expect(sites).toBeLessThan(inWindow.length);
    expect({ kind: answer.kind, total: answer.total, sites: answer.siteLicenses, page: answer.page }).toEqual({
      kind: 'renewals',
      total: inWindow.length,
      sites,
      page: { number: 1, size: 50, hasPrevious: false, hasNext: false },
    });
    expect(client.calls).toBe(1);
  });

  test("4,200 renewals: the first page and the whole window's count, seats and site licenses, in one call", async () => {
    const data = withManyRenewals(4200);
    const { service, client } = await serviceFor(data);
    const answer = await client.together(() => service.renewals({ range: window(30), page: { number: 1, size: 20 } }));
    const inWindow = renewingIn30(data);
    const seats = inWindow.filter((l) => l.sfLma__Seats__c !== -1).reduce((s, l) => s + Number(l.sfLma__Seats__c), 0);
    expect(answer.total).toBe(inWindow.length);
    expect(answer.seats).toBe(seats);
    expect(answer.siteLicenses).toBe(inWindow.filter((l) => l.sfLma__Seats__c === -1).length);
    expect(answer.licenses).toHaveLength(20);
    expect(answer.page).toEqual({ number: 1, size: 20, hasPrevious: false, hasNext: true });
    expect(client.calls).toBe(1);
  });

  test("a later page, however deep, is one call with the first page's figures; Next then Previous comes back", async () => {
    const data = withManyRenewals(4200);
    const { service, client } = await serviceFor(data);
    const sorted = renewingIn30(data).sort((a, b) =>
      `${a.sfLma__Expiration__c}${a.Id}` < `${b.sfLma__Expiration__c}${b.Id}` ? -1 : 1,
    );
    // Past Salesforce's OFFSET limit of 2,000: row 3,001 on.
    const at = sorted[2999];
    const key = { expiration: String(at.sfLma__Expiration__c), id: String(at.Id) };
    const totals = { total: sorted.length, seats: 1, siteLicenses: 2 };
    const deep = await service.renewals({ range: window(30), page: { number: 151, size: 20, after: key }, totals });
    expect(deep.licenses.map((l) => l.id)).toEqual(sorted.slice(3000, 3020).map((l) => l.Id));
    expect(deep).toMatchObject(totals);
    expect(client.calls).toBe(1);
    const first = deep.licenses[0];
    const back = await service.renewals({
      range: window(30),
      page: { number: 150, size: 20, before: { expiration: first.expiration!, id: first.id } },
      totals,
    });
    expect(back.licenses.map((l) => l.id)).toEqual(sorted.slice(2980, 3000).map((l) => l.Id));
    expect(back.page).toMatchObject({ number: 150, hasPrevious: true, hasNext: true });
    expect(client.calls).toBe(2);
  });

  test('a seat aggregate that fails: the rows add up a window the page holds; past the page, the answer fails', async () => {
    /** An LMO whose window holds `rows` renewals (the first a site license) and whose seat aggregate is refused. */
    const refusingSeats = (rows: number) => {
      const records = Array.from({ length: rows }, (_, i) => ({
        Id: `a0L${String(i).padStart(12, '0')}AAA`,
        sfLma__Status__c: 'Active',
        sfLma__Expiration__c: TODAY,
        sfLma__Seats__c: i === 0 ? -1 : 5,
      }));
      const client = {
        queryPage: async (soql: string) => {
          if (soql.includes('SUM(sfLma__Seats__c)')) throw new LmoError('query', 'The LMO rejected a query.', 'X');
          if (soql.startsWith('SELECT COUNT()')) return { totalSize: rows, done: true, records: [] };
          const limit = Number(soql.match(/LIMIT (\d+)$/)?.[1]);
          return { totalSize: Math.min(rows, limit), done: true, records: records.slice(0, limit) };
        },
      } as unknown as LmoClient;
      return new LmoService({ client, timezone: 'UTC', clock: () => NOW });
    };
    const page = { number: 1, size: 20 };
    const held = await refusingSeats(20).renewals({ range: window(30), page });
    expect([held.total, held.seats, held.siteLicenses, held.page.hasNext]).toEqual([20, 95, 1, false]);
    await expect(refusingSeats(21).renewals({ range: window(30), page })).rejects.toThrow('The LMO rejected a query.');
  });

  test('the last page says no page follows; a page read back to the start is the first', async () => {
    const { service } = await serviceFor(lmoFixture());
    const all = await service.renewals({ range: window(30), page: { number: 1, size: 2 } });
    expect(all.total).toBe(4);
    const totals = { total: 4, seats: 0, siteLicenses: 0 };
    const second = await service.renewals({
      range: window(30),
      page: { number: 2, size: 2, after: { expiration: all.licenses[1].expiration!, id: all.licenses[1].id } },
      totals,
    });
    expect(second.page).toEqual({ number: 2, size: 2, hasPrevious: true, hasNext: false });
    const back = await service.renewals({
      range: window(30),
      page: { number: 5, size: 2, before: { expiration: second.licenses[0].expiration!, id: second.licenses[0].id } },
      totals,
    });
    expect(back.licenses.map((l) => l.id)).toEqual(all.licenses.map((l) => l.id));
    expect(back.page).toEqual({ number: 1, size: 2, hasPrevious: false, hasNext: true });
  });
});

describe('Export CSV reads (everyLicense)', () => {
  /** The renewals in 30 days as the list orders them: soonest first, then by Id. */
  const renewalIds = (data: OrgData) =>
    renewingIn30(data)
      .map((l) => ({ id: String(l.Id), expiration: String(l.sfLma__Expiration__c) }))
      .sort((a, b) => (a.expiration === b.expiration ? (a.id < b.id ? -1 : 1) : a.expiration < b.expiration ? -1 : 1))
      .map((l) => l.id);
  /** The pages each composite call of the log chained, in order. */
  const chained = (from: number) =>
    emulator.log
      .slice(from)
      .filter((e) => e.subrequests)
      .map((e) => e.subrequests?.length);

  test('12,5xx renewals, every one: the first page in one call, then 5 pages of 2,000 a call, the last call only the pages left', async () => {
    const data = withManyRenewals(12_500);
    const { service, client } = await serviceFor(data);
    const expected = renewalIds(data);
    // 7 pages: the first, pages 2–6 chained in one call, page 7 in another.
    expect(Math.ceil(expected.length / 2000)).toBe(7);
    const totals: number[] = [];
    const read = await service.everyLicense({
      kind: 'renewals',
      range: window(30),
      max: 50_000,
      onTotal: async (n) => void totals.push(n),
    });
    expect(read.licenses.map((l) => l.id)).toEqual(expected);
    expect(read.total).toBe(expected.length);
    expect(totals).toEqual([expected.length]);
    expect(client.calls).toBe(3);
    expect(chained(0)).toEqual([5, 1]);
  });

  test('a list cut at `max`: no page chained past the ones `max` needs (10,000 rows: 2 calls, 5 pages; 5,000: 2 calls, 3 pages)', async () => {
    const data = withManyRenewals(12_500);
    const { service, client } = await serviceFor(data);
    const expected = renewalIds(data);
    const ten = await service.everyLicense({ kind: 'renewals', range: window(30), max: 10_000 });
    expect(ten.licenses.map((l) => l.id)).toEqual(expected.slice(0, 10_000));
    expect(ten.total).toBe(expected.length);
    expect(client.calls).toBe(2);
    expect(chained(0)).toEqual([4]);
    const from = emulator.log.length;
    const five = await service.everyLicense({ kind: 'renewals', range: window(30), max: 5_000 });
    expect(five.licenses.map((l) => l.id)).toEqual(expected.slice(0, 5_000));
    expect(client.calls).toBe(4);
    expect(chained(from)).toEqual([2]);
    const two = await service.everyLicense({ kind: 'renewals', range: window(30), max: 2_000 });
    expect(two.licenses.map((l) => l.id)).toEqual(expected.slice(0, 2_000));
    expect(client.calls).toBe(5);
  });
});

describe('trials', () => {
  test('the first page by default: the list limit, none before, none after when all fit', async () => {
    const { service } = await serviceFor(lmoFixture());
    const answer = await service.trials({});
    expect({ kind: answer.kind, page: answer.page }).toEqual({
      kind: 'trials',
      page: { number: 1, size: 50, hasPrevious: false, hasNext: false },
    });
  });

  test('a page exactly as long as the list has nothing after it; one shorter has', async () => {
    const { service } = await serviceFor(lmoFixture());
    expect((await service.trials({ page: { number: 1, size: 2 } })).page.hasNext).toBe(false);
    expect((await service.trials({ page: { number: 1, size: 1 } })).page.hasNext).toBe(true);
  });

  test('without the expired count: one call (the page and the count on now), and no expired figure', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await client.together(() => service.trials({ countExpired: false }));
    expect(answer.total).toBe(2);
    expect('expiredUnconverted' in answer).toBe(false);
    expect(client.calls).toBe(1);
    expect(loggedQueries(emulator.log).map((q) => q.match(/^SELECT COUNT\(\)|LIMIT \d+$/)?.[0])).toEqual([
      'LIMIT 51',
      'SELECT COUNT()',
    ]);
  });

  test('a later page: the rows after the key, one call, with the first page’s figures', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const after = { expiration: addDays(TODAY, 1), id: LICENSE(9) };
    const totals = { total: 2, expiredUnconverted: 1 };
    const answer = await service.trials({ page: { number: 2, size: 1, after }, totals });
    expect({ ids: answer.trials.map((l) => l.id), page: answer.page, total: answer.total }).toEqual({
      ids: [LICENSE(2)],
      page: { number: 2, size: 1, hasPrevious: true, hasNext: false },
      total: 2,
    });
    expect(client.calls).toBe(1);
  });

  test('a later page without the first page’s figures is a programming error', async () => {
    const { service } = await serviceFor(lmoFixture());
    const after = { expiration: addDays(TODAY, 1), id: LICENSE(9) };
    await expect(service.trials({ page: { number: 2, size: 1, after } })).rejects.toThrow(
      'A later page of a list needs the figures its first page read',
    );
  });

  test('a page of the trials on now, and the counts on now and expired unconverted, in one call', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await client.together(() => service.trials({}));
    expect(answer.trials.map((t) => t.customer.name)).toEqual(['Initech', 'Acme Corporation']);
    expect(answer.total).toBe(2);
    expect(answer.expiredUnconverted).toBe(1);
    expect(client.calls).toBe(1);
  });

  test('more trials than a page: the rows shown and one more, counted by the LMO beside them', async () => {
    const data = lmoFixture();
    const template = data.sfLma__License__c.find((l) => l.sfLma__Status__c === 'Trial')!;
    for (let i = 0; i < 300; i++) {
      data.sfLma__License__c.push({
        ...template,
        Id: `a0L${String(5000 + i).padStart(12, '0')}AAA`,
        sfLma__Expiration__c: addDays(TODAY, i % 20),
      });
    }
    const { service, client } = await serviceFor(data);
    const answer = await client.together(() => service.trials({ page: { number: 1, size: 20 } }));
    expect(answer.total).toBe(302);
    expect(answer.trials).toHaveLength(20);
    expect(answer.page).toEqual({ number: 1, size: 20, hasPrevious: false, hasNext: true });
    expect(client.calls).toBe(1);
    // Rows: the page's 20 and the one that says more follow; the counts' none.
    expect(emulator.log.flatMap((e) => e.subrequests ?? []).map((q) => q.returned)).toEqual([21, 0, 0]);
  });
});

describe('seats and versions', () => {
  test('over their seats: per-seat licenses whose used count passed what was bought, site licenses excluded', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await service.health({ lists: ['over'], renewalDays: 90, lowUse: 0.3 });
    expect(answer.over?.licenses.map((l) => l.customer.name)).toEqual(['Acme Labs']);
    expect(answer.risk).toBeUndefined();
    // An aggregate (few licenses: the next answer is one look) and the list.
    expect(client.calls).toBe(2);
    const again = await service.health({ lists: ['over'], renewalDays: 90, lowUse: 0.3 });
    expect(again.over).toEqual(answer.over);
    expect(client.calls).toBe(3);
  });

  test('seat health on its boundaries: used = bought, 30% exactly, day 90 and 91, site licenses; two calls for the three lists', async () => {
    const { service, client } = await serviceFor(healthFixture());
    const answer = await service.health({ renewalDays: 90, lowUse: 0.3 });
    const names = (list?: { licenses: { customer: { name: string } }[] }) => list?.licenses.map((l) => l.customer.name);
    expect(names(answer.over)).toEqual(EXPECTED.over);
    expect(names(answer.risk)).toEqual(EXPECTED.risk);
    expect(answer.risk?.siteLicensesExcluded).toBe(EXPECTED.siteLicensesExcluded);
    expect(names(answer.hot)).toEqual(EXPECTED.hot);
    // Over and at risk take two steps the first time, one once they are known small; hot trials one (its rows and
    // their count). The lists' steps go side by side: the first of each in one composite call, the second ones in
    // another.
    expect(client.calls).toBe(2);
    expect(emulator.log.filter((e) => e.path.endsWith('/composite')).map((e) => e.subrequests?.length)).toEqual([4, 2]);
    const again = await service.health({ renewalDays: 90, lowUse: 0.3 });
    expect(again).toEqual(answer);
    expect(client.calls).toBe(3);
    // The thresholds are settings: a longer window and a higher bar take in day 91 and 30% exactly.
    const wider = await service.health({ lists: ['risk'], renewalDays: 91, lowUse: 0.31 });
    expect(names(wider.risk)).toEqual(['Thirty Percent Co', 'Twenty-Nine Co', 'Day Ninety Co', 'Day Ninety-One Co']);
  });

  /** The service over `data`, and the records each page the LMO answered held, in order (composite calls' too). */
  async function pagesOf(data: OrgData) {
    const { service } = await serviceFor(data);
    const returned = () =>
      emulator.log.flatMap((e) => [e, ...(e.subrequests ?? [])]).flatMap((e) => (e.soql ? [e.returned] : []));
    return { service, returned };
  }
  const added = (n: number, fields: Record<string, unknown>, template: Record<string, unknown>) =>
    Array.from({ length: 450 }, (_, i) => ({ ...template, Id: `a0L${String(n + i).padStart(12, '0')}AAA`, ...fields }));

  test('hot trials read the rows shown and one more, and count them all beside them', async () => {
    const data = healthFixture();
    const trial = { sfLma__Status__c: 'Trial', sfLma__Expiration__c: addDays(TODAY, 10), sfLma__Seats__c: 10 };
    data.sfLma__License__c.push(
      ...added(70_000, trial, data.sfLma__License__c[0]).map((l, i) => ({
        ...l,
        sfLma__Used_Licenses__c: 1 + (i % 8),
      })),
    );
    const { service, returned } = await pagesOf(data);
    const { hot } = await service.health({ lists: ['hot'], renewalDays: 90, lowUse: 0.3 });
    // The fixture's three and the 450 added, most used first (Busy Trial's 9 above the added ones' 8 at most).
    expect([hot?.licenses.length, hot?.total, hot?.licenses[0].customer.name]).toEqual([50, 453, 'Busy Trial Co']);
    // The list's 50 and one more, then the COUNT() (no rows).
    expect(returned()).toEqual([51, 0]);
  });

  test('at risk, once only low-use licenses and site licenses renew, reads the rows shown and counts them beside', async () => {
    const data = lmoFixture();
    const template = data.sfLma__License__c[0];
    data.sfLma__License__c = [
      ...data.sfLma__License__c.filter((l) => l.sfLma__Status__c !== 'Active'),
      ...added(80_000, { sfLma__Status__c: 'Active', sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 1 }, template).map(
        (l, i) => ({ ...l, sfLma__Expiration__c: addDays(TODAY, 20 + (i % 30)) }),
      ),
      {
        ...template,
        Id: 'a0L000000090000AAA',
        sfLma__Status__c: 'Active',
        sfLma__Seats__c: -1,
        sfLma__Expiration__c: addDays(TODAY, 5),
      },
    ];
    const { service, returned } = await pagesOf(data);
    const first = await service.health({ lists: ['risk'], renewalDays: 90, lowUse: 0.3 });
    expect([first.risk?.licenses.length, first.risk?.total, first.risk?.siteLicensesExcluded]).toEqual([50, 450, 1]);
    const again = await service.health({ lists: ['risk'], renewalDays: 90, lowUse: 0.3 });
    expect(again.risk).toEqual(first.risk);
    // Each answer: the aggregate's one row, then the list: all 451 (a batch of 2,000) while 10 seats was not yet seen,
    // once it was, the 50 shown and one more (a LIMIT), beside a COUNT() of them all (no rows).
    expect(returned()).toEqual([1, 451, 1, 51, 0]);
  });

  test('who is on a version prefix, among active and trial installs', async () => {
    const { service } = await serviceFor(lmoFixture());
    const answer = await service.versionUsage({ versionPrefix: '1.', package: 'Invoicer' });
    expect(answer.kind).toBe('version_usage');
    expect(answer.licenses.map((l) => `${l.customer.name} ${l.version}`)).toEqual(['Acme Labs 1.9.2']);
  });

  test('a list limit cuts the rows of a version and of the hot trials, not their totals', async () => {
    const { client } = await serviceFor(healthFixture());
    const short = new LmoService({ client, timezone: 'UTC', clock: () => NOW, listLimit: 1 });
    // 1.x installs: licenses 2 and 8 (1.0.0), 6 (1.2.0), 3 (1.9.2).
    const version = await client.together(() => short.versionUsage({ versionPrefix: '1.' }));
    expect({ n: version.licenses.length, total: version.total }).toEqual({ n: 1, total: 4 });
    // One call: the row shown and one more, and the COUNT() beside it.
    expect(client.calls).toBe(1);
    expect(emulator.log.flatMap((e) => e.subrequests ?? []).map((q) => q.returned)).toEqual([2, 0]);
    const hot = (await short.health({ lists: ['hot'], renewalDays: 90, lowUse: 0.3 })).hot;
    expect({ names: hot?.licenses.map((l) => l.customer.name), total: hot?.total }).toEqual({
      names: EXPECTED.hot.slice(0, 1),
      total: EXPECTED.hot.length,
    });
  });
});

describe('customers', () => {
  test('an exact name wins over partial matches; a partial name shared by two customers is ambiguous', async () => {
    const { service } = await serviceFor(lmoFixture());
    const exact = await service.findCustomer('acme labs');
    expect(exact.kind).toBe('found');
    const ambiguous = await service.findCustomer('Acme');
    expect(ambiguous.kind).toBe('ambiguous');
    if (ambiguous.kind === 'ambiguous')
      expect(ambiguous.candidates.map((c) => c.customer.name)).toEqual(['Acme Corporation', 'Acme Labs']);
  });

  /** The fixture with more customers named like Acme: "Acme" itself (Invoicer) and "Acme Aardvark" (Scheduler Pro). */
  function withMoreAcmes(): OrgData {
    const data = lmoFixture();
    const template = data.sfLma__License__c[0];
    const [acme, aardvark] = ['001000000000091AAA', '001000000000092AAA'];
    data.Account.push(
      { Id: acme, Name: 'Acme', OwnerId: USERS.ann },
      { Id: aardvark, Name: 'Acme Aardvark', OwnerId: USERS.bob },
    );
    data.sfLma__License__c.push(
      { ...template, Id: LICENSE(91), sfLma__Account__c: acme },
      { ...template, Id: LICENSE(92), sfLma__Account__c: aardvark, sfLma__Package__c: data.sfLma__Package__c[1].Id },
    );
    return data;
  }

  test('an exact name, in any case and trimmed, wins over the names containing it, with its own licenses', async () => {
    const { service } = await serviceFor(withMoreAcmes());
    const found = await service.findCustomer('  aCME ');
    expect(found.kind).toBe('found');
    if (found.kind === 'found') {
      expect({ term: found.term, name: found.customer.name }).toEqual({ term: 'aCME', name: 'Acme' });
      expect(found.licenses.map((l) => l.id)).toEqual([LICENSE(91)]);
    }
  });

  test("a customer's licenses: active ones first, then by package (not the query's package order)", async () => {
    const { service } = await serviceFor(lmoFixture());
    // Stark: Active on Invoicer (7) and Scheduler Pro (8), Suspended on Invoicer (13).
    const found = await service.findCustomer('Stark Industries');
    expect(found.kind === 'found' && found.licenses.map((l) => l.id)).toEqual([LICENSE(7), LICENSE(8), LICENSE(13)]);
  });

  test('an ambiguous name lists its candidates by name, each with its count of licenses', async () => {
    const { service } = await serviceFor(withMoreAcmes());
    const ambiguous = await service.findCustomer('cme');
    expect(ambiguous.kind).toBe('ambiguous');
    if (ambiguous.kind === 'ambiguous')
      expect(ambiguous.candidates.map((c) => [c.customer.name, c.licenses])).toEqual([
        ['Acme', 1],
        ['Acme Aardvark', 1],
        ['Acme Corporation', 2],
        ['Acme Labs', 1],
      ]);
  });

  test('close names: the first three letters, or the first four of any of the first three words of 3+ letters', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    expect(await service.findCustomer('Starkk')).toMatchObject({ kind: 'none', suggestions: ['Stark Industries'] });
    expect(await service.findCustomer('Xyq Ind')).toMatchObject({ kind: 'none', suggestions: ['Stark Industries'] });
    expect(await service.findCustomer('Xyq Wvu Tsr Industries')).toMatchObject({ kind: 'none', suggestions: [] });
    // A word under three letters is no stem: "Ac" would find the Acmes.
    expect(await service.findCustomer('Ac Zzzz')).toMatchObject({ kind: 'none', suggestions: [] });
    const calls = client.calls;
    // One letter has no stem to look for: no second call.
    expect(await service.findCustomer('z')).toEqual({ kind: 'none', term: 'z', suggestions: [] });
    expect(client.calls).toBe(calls + 1);
  });

  test('a name that matches nothing costs a second call for close names', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const none = await service.findCustomer('Stark Indutsries');
    expect(none).toMatchObject({ kind: 'none', suggestions: ['Stark Industries'] });
    expect(client.calls).toBe(2);
  });
});

describe('conversions', () => {
  const lastDays = (days: number) => ({
    from: addDays(TODAY, -days),
    to: addDays(TODAY, -1),
    label: `in the last ${days} days`,
  });

  test('Trial → Active changes in the window (5 and 29 days ago; not 45, not a suspension) against trials that expired unconverted: one composite call', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await service.conversions({ range: lastDays(30) });
    expect(answer.kind).toBe('conversions');
    expect(answer.historyTracked).toBe(true);
    expect(answer.conversions.map((c) => [c.license.id, c.at]).sort()).toEqual([
      [LICENSE(1), '2026-06-10T09:00:00.000+0000'],
      [LICENSE(3), '2026-05-17T09:00:00.000+0000'],
    ]);
    expect(answer.converted).toBe(2);
    // Umbrella's trial expired 3 days ago and never converted.
    expect(answer.expiredUnconverted).toBe(1);
    expect(answer.rate).toBeCloseTo(2 / 3, 10);
    expect(client.calls).toBe(1);
  });

  test('a list limit keeps the newest conversions as license refs and counts every one in the count and the rate', async () => {
    const { client } = await serviceFor(lmoFixture());
    const short = new LmoService({ client, timezone: 'UTC', clock: () => NOW, listLimit: 1 });
    const answer = await short.conversions({ range: lastDays(30) });
    expect(answer.conversions.map((c) => c.license.id)).toEqual([LICENSE(1)]);
    expect({ converted: answer.converted, rate: answer.rate }).toEqual({ converted: 2, rate: 2 / 3 });
    expect(client.calls).toBe(1);
  });

  /** The n-th status change added to the fixture's history: a conversion (Trial → Active) or a suspension. */
  const statusChange = (n: number, conversion: boolean, createdDate: string) => ({
    Id: `017${String(5_000 + n).padStart(12, '0')}AAA`,
    ParentId: LICENSE(1 + (n % 3)),
    Field: 'sfLma__Status__c',
    OldValue: conversion ? 'Trial' : 'Active',
    NewValue: conversion ? 'Active' : 'Suspended',
    DataType: 'Text',
    CreatedDate: createdDate,
  });

  test('over 2,000 status changes: the newest page is read lean and its newest 200 with their licenses, the older ones by their values only, each row counted once across a second split by the page', async () => {
    const data = lmoFixture();
    // 2,100 changes at 20 instants (105 each, so the page ends inside one), about half of each instant conversions.
    for (let n = 0; n < 2_100; n++) {
      const conversion = Math.floor(n / 20) % 2 === 0;
      data.sfLma__License__History!.push(statusChange(n, conversion, `${addDays(TODAY, -1 - (n % 20))}T12:00:00.000Z`));
    }
    const { service, client } = await serviceFor(data);
    const answer = await service.conversions({ range: lastDays(30) });
    // The fixture's two and 53 at each instant.
    expect(answer.converted).toBe(1_062);
    expect(answer.rate).toBeCloseTo(1_062 / 1_063, 10);
    expect(answer.conversions).toHaveLength(50);
    expect(answer.conversions[0].at.slice(0, 10)).toBe(addDays(TODAY, -1));
    const history = loggedQueries(emulator.log).filter((soql) => soql.includes('sfLma__License__History'));
    // Only the small page reads licenses: the 50 listed are among its 200 (about half of them conversions).
    expect(history).toHaveLength(3);
    expect(history.filter((soql) => soql.includes('Parent.'))).toEqual([expect.stringMatching(/ LIMIT 200$/)]);
    expect(history.filter((soql) => soql.includes('Id IN'))).toEqual([]);
    // The lean page, the small one and the expired count in one composite call, then the older changes (one page).
    expect(client.calls).toBe(2);
  });

  test('listed conversions older than the small page with licenses are read by Id, beside the older changes: still two calls', async () => {
    const data = lmoFixture();
    const licenses = new Map(data.sfLma__License__c!.map((l) => [String(l.Id), l]));
    // The newest 300 changes are suspensions; then 60 conversions, then enough suspensions to pass 2,000.
    const change = (n: number, conversion: boolean, minutesAgo: number) =>
      statusChange(
        n,
        conversion,
        new Date(Date.parse(`${addDays(TODAY, -1)}T12:00:00.000Z`) - minutesAgo * 60_000).toISOString(),
      );
    for (let n = 0; n < 2_100; n++) data.sfLma__License__History!.push(change(n, n >= 300 && n < 360, n));
    const { service, client } = await serviceFor(data);
    const answer = await service.conversions({ range: lastDays(30) });
    expect(answer.converted).toBe(62);
    expect(answer.conversions).toHaveLength(50);
    // Newest first, each with its license's name, package and customer, as a page read with licenses gives them.
    expect(answer.conversions.map((c) => c.at)).toEqual(
      Array.from({ length: 50 }, (_, i) => change(300 + i, true, 300 + i).CreatedDate.replace('Z', '+0000')),
    );
    for (const [i, { license }] of answer.conversions.entries()) {
      const record = licenses.get(LICENSE(1 + ((300 + i) % 3)))!;
      expect(license).toMatchObject({ id: record.Id, name: record.Name });
      expect(license.packageName).not.toBe('');
      expect(license.customer).not.toBe('');
    }
    const history = loggedQueries(emulator.log).filter((soql) => soql.includes('sfLma__License__History'));
    const byId = history.filter((soql) => soql.includes('Id IN'));
    expect(byId).toHaveLength(1);
    expect(byId[0].match(/'017/g)).toHaveLength(50);
    expect(history).toHaveLength(4);
    expect(client.calls).toBe(2);
  });

  test('a page under 2,000 changes whose listed conversions are older than the small page: the second call only reads them by Id', async () => {
    const data = lmoFixture();
    for (let n = 0; n < 250; n++) {
      data.sfLma__License__History!.push({
        Id: `017${String(5_000 + n).padStart(12, '0')}AAA`,
        ParentId: LICENSE(2),
        Field: 'sfLma__Status__c',
        OldValue: 'Active',
        NewValue: 'Suspended',
        DataType: 'Text',
        CreatedDate: `${addDays(TODAY, -1)}T12:00:00.000Z`,
      });
    }
    // The answer the fixture alone gives in one call, where both conversions are on the small page.
    const alone = await serviceFor(lmoFixture());
    const small = await alone.service.conversions({ range: lastDays(30) });
    await alone.emulator.close();
    const { service, client } = await serviceFor(data);
    const answer = await service.conversions({ range: lastDays(30) });
    expect(answer).toEqual(small);
    const history = loggedQueries(emulator.log).filter((soql) => soql.includes('sfLma__License__History'));
    expect(history.filter((soql) => soql.includes('Id IN'))).toHaveLength(1);
    expect(history.filter((soql) => soql.includes('OldValue, NewValue FROM') && !soql.includes('ParentId'))).toEqual(
      [],
    );
    expect(client.calls).toBe(2);
  });

  /** The fixture and 2,100 changes at 20 instants, a day apart from yesterday back (105 each, half conversions). */
  const busyHistory = (day: (n: number) => string = (n) => addDays(TODAY, -1 - (n % 20))) => {
    const data = lmoFixture();
    for (let n = 0; n < 2_100; n++)
      data.sfLma__License__History!.push(statusChange(n, Math.floor(n / 20) % 2 === 0, `${day(n)}T12:00:00.000Z`));
    return data;
  };
  const historySince = (from: number) =>
    loggedQueries(emulator.log)
      .slice(from)
      .filter((soql) => soql.includes('sfLma__License__History'));
  const lean = (soql: string) => soql.includes('OldValue, NewValue FROM') && !soql.includes('ParentId');

  test('with finished days kept (as the App Home keeps them), over 2,000 changes: the first answer keeps the days it read whole, the next counts the days before its page from them, in one call', async () => {
    const { service, client } = await serviceFor(busyHistory());
    const counts = keptInMemory();
    const first = await service.conversions({ range: lastDays(30) }, counts);
    expect(first.converted).toBe(1_062);
    expect(client.calls).toBe(2);
    // Every day of the window, all finished, with the counts the rows give.
    expect([...counts.days.keys()].sort()).toEqual(Array.from({ length: 30 }, (_, i) => addDays(TODAY, i - 30)));
    expect([...counts.days.values()].reduce((sum, d) => sum + d.conversions, 0)).toBe(1_062);

    const read = loggedQueries(emulator.log).length;
    const second = await service.conversions({ range: lastDays(30) }, counts);
    expect(second).toEqual(first);
    expect(client.calls).toBe(3);
    expect(historySince(read).filter(lean)).toEqual([]);
  });

  test('a day before the page that is not kept has the older changes read again, and kept; a package’s answer neither reads nor keeps days', async () => {
    const { service, client } = await serviceFor(busyHistory());
    const counts = keptInMemory();
    const first = await service.conversions({ range: lastDays(30) }, counts);
    counts.days.delete(addDays(TODAY, -25));
    const read = loggedQueries(emulator.log).length;
    expect(await service.conversions({ range: lastDays(30) }, counts)).toEqual(first);
    expect(client.calls).toBe(4);
    expect(historySince(read).filter(lean)).toHaveLength(1);
    expect(counts.days.has(addDays(TODAY, -25))).toBe(true);

    const asked: string[] = [];
    const watched = {
      since: (timezone: string, from: string) => {
        asked.push('since');
        return counts.since(timezone, from);
      },
      keep: (timezone: string, days: StatusChangeDay[]) => {
        asked.push('keep');
        return counts.keep(timezone, days);
      },
    };
    const alone = await service.conversions({ range: lastDays(30), package: 'Scheduler' });
    expect(await service.conversions({ range: lastDays(30), package: 'Scheduler' }, watched)).toEqual(alone);
    expect(asked).toEqual([]);
  });

  test('today’s changes past 2,000 are read each time: today is never kept', async () => {
    const { service, client } = await serviceFor(busyHistory(() => TODAY));
    const counts = keptInMemory();
    const window = { ...lastDays(30), to: TODAY };
    const first = await service.conversions({ range: window }, counts);
    expect(first.converted).toBe(1_062);
    expect(counts.days.has(TODAY)).toBe(false);
    expect(await service.conversions({ range: window }, counts)).toEqual(first);
    expect(client.calls).toBe(4);
  });

  test('a window in which no trial ended has no rate; a package narrows both counts', async () => {
    const { service } = await serviceFor(lmoFixture());
    const quiet = await service.conversions({ range: { from: '2026-01-01', to: '2026-01-31', label: 'in January' } });
    expect({ conversions: quiet.conversions, expired: quiet.expiredUnconverted, rate: quiet.rate }).toEqual({
      conversions: [],
      expired: 0,
      rate: null,
    });
    const scheduler = await service.conversions({ range: lastDays(30), package: 'Scheduler' });
    expect({ conversions: scheduler.conversions, expired: scheduler.expiredUnconverted }).toEqual({
      conversions: [],
      expired: 0,
    });
  });

  test('an org that does not track field history: said so, with the expired trials still counted', async () => {
    const { service } = await serviceFor(lmoFixture({ withHistory: false }), { historyTracked: false });
    const answer = await service.conversions({ range: lastDays(30) });
    expect(answer).toMatchObject({
      kind: 'conversions',
      historyTracked: false,
      converted: 0,
      conversions: [],
      expiredUnconverted: 1,
      rate: null,
    });
  });

  test('only Trial → Active is a conversion: a reactivation or a trial that ended otherwise is not', async () => {
    const data = lmoFixture();
    const change = (n: number, license: number, from: string, to: string) => ({
      Id: `017${String(900 + n).padStart(12, '0')}AAA`,
      ParentId: LICENSE(license),
      Field: 'sfLma__Status__c',
      OldValue: from,
      NewValue: to,
      DataType: 'Text',
      CreatedDate: `${addDays(TODAY, -4)}T12:00:00.000Z`,
    });
    data.sfLma__License__History!.push(change(1, 13, 'Suspended', 'Active'), change(2, 10, 'Trial', 'Expired'));
    const { service } = await serviceFor(data);
    const answer = await service.conversions({ range: lastDays(30) });
    expect(answer.conversions.map((c) => c.license.id).sort()).toEqual([LICENSE(1), LICENSE(3)]);
  });

  test('a window reaching past today counts as expired only trials that ended before today (not Initech’s, ending tomorrow)', async () => {
    const { service } = await serviceFor(lmoFixture());
    const answer = await service.conversions({
      range: { from: addDays(TODAY, -30), to: addDays(TODAY, 5), label: 'around now' },
    });
    expect(answer.expiredUnconverted).toBe(1);
  });
});

describe('the org and its people', () => {
  test('the organization, the package names and the LMA counts: one call each, two for the counts', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    expect(await service.orgInfo()).toEqual({ id: '00D000000000042EAA', name: 'Fixture ISV' });
    expect((await service.packageNames()).sort()).toEqual(['Invoicer', 'Scheduler Pro']);
    expect(client.calls).toBe(2);
    expect(await service.lmaCounts()).toEqual({ packages: 2, licenses: 13 });
    expect(client.calls).toBe(4);
    expect(await service.lmaInstalled()).toBe(true);
  });

  test('what the integration user cannot read: an answer needing it fails saying what to grant, before any query', async () => {
    // The account owner is left out too, but no seat-health answer needs it: its field is not named.
    const hiddenFields = [
      'sfLma__License__c.sfLma__Seats__c',
      'sfLma__License__c.sfLma__Used_Licenses__c',
      'Account.OwnerId',
    ];
    const { service, client } = await serviceFor(lmoFixture(), { visibility: { hiddenFields } });
    await service.checkAccess();
    const calls = client.calls;
    await expect(service.health({ lists: ['over'], renewalDays: 90, lowUse: 0.3 })).rejects.toMatchObject({
      kind: 'permission',
      message:
        "This answer needs the seats and used seats of licenses, which the LMO's integration user cannot read " +
        '(sfLma__License__c.sfLma__Seats__c, sfLma__License__c.sfLma__Used_Licenses__c). Grant Read on them in its ' +
        'permission set.',
    });
    expect(client.calls).toBe(calls);
    // An answer that does without the seats still reads.
    expect((await service.trials({})).total).toBe(2);
  });

  test('a field every answer needs, or the License object, unreadable: every answer fails, saying which', async () => {
    const needed = await serviceFor(lmoFixture(), {
      visibility: { hiddenFields: ['sfLma__License__c.sfLma__Status__c'] },
    });
    await needed.service.checkAccess();
    await expect(needed.service.trials({})).rejects.toMatchObject({
      kind: 'permission',
      message: expect.stringContaining('cannot read sfLma__License__c.sfLma__Status__c, which every answer needs'),
    });
    await needed.emulator.close();
    const none = await serviceFor(lmoFixture(), { visibility: { hiddenObjects: ['sfLma__License__c'] } });
    await none.service.checkAccess();
    await expect(none.service.trials({})).rejects.toMatchObject({
      kind: 'not_installed',
      code: 'INVALID_TYPE',
      message: 'The LMO has no readable sfLma__License__c object.',
    });
  });

  test('an org without the LMA says so', async () => {
    const { service } = await serviceFor(lmoFixture(), { lmaInstalled: false });
    expect(await service.lmaInstalled()).toBe(false);
  });

  test('the one active user with an email; none for an unknown, an inactive or a shared email', async () => {
    const data = lmoFixture();
    data.User!.push(
      {
        Id: '005000000000003AAA',
        Name: 'Cat Gone',
        Username: 'cat@isv.example',
        Email: 'cat@isv.example',
        IsActive: false,
      },
      {
        Id: '005000000000004AAA',
        Name: 'Dee One',
        Username: 'dee1@isv.example',
        Email: 'dee@isv.example',
        IsActive: true,
      },
      {
        Id: '005000000000005AAA',
        Name: 'Dee Two',
        Username: 'dee2@isv.example',
        Email: 'dee@isv.example',
        IsActive: true,
      },
    );
    const { service, client } = await serviceFor(data);
    expect(await service.activeUserByEmail('ann@isv.example')).toEqual({ id: USERS.ann, name: 'Ann Owner' });
    expect(await service.activeUserByEmail('nobody@isv.example')).toBeUndefined();
    expect(await service.activeUserByEmail('cat@isv.example')).toBeUndefined();
    expect(await service.activeUserByEmail('dee@isv.example')).toBeUndefined();
    expect(client.calls).toBe(4);
  });
});

describe('mine and packages', () => {
  test('trials of the customers one user owns: the lead Initech and Acme are Ann’s; Umbrella’s expired trial is Bob’s', async () => {
    const { service } = await serviceFor(lmoFixture());
    const answer = await service.trials({ ownerId: USERS.ann });
    expect(answer.trials.map((t) => t.customer.name)).toEqual(['Initech', 'Acme Corporation']);
    expect({ total: answer.total, expired: answer.expiredUnconverted }).toEqual({ total: 2, expired: 0 });
    const bob = await service.trials({ ownerId: USERS.bob });
    expect({ trials: bob.trials, total: bob.total, expired: bob.expiredUnconverted }).toEqual({
      trials: [],
      total: 0,
      expired: 1,
    });
  });

  test('renewals of one package: Scheduler Pro’s only paid renewal within 30 days is Globex’s site license', async () => {
    const { service } = await serviceFor(lmoFixture());
    const answer = await service.renewals({ range: window(30), package: 'Scheduler' });
    expect(answer.licenses.map((l) => l.id)).toEqual([LICENSE(6)]);
    expect({ total: answer.total, seats: answer.seats, sites: answer.siteLicenses }).toEqual({
      total: 1,
      seats: 0,
      sites: 1,
    });
  });

  test('trials ending in a range, soonest first, one call; a list limit cuts the rows, not the total', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const ending = await service.trialsEnding({ from: TODAY, to: addDays(TODAY, 7) });
    expect(ending.licenses.map((l) => l.id)).toEqual([LICENSE(9)]);
    expect(ending.total).toBe(1);
    expect(client.calls).toBe(1);
    const short = new LmoService({ client, timezone: 'UTC', clock: () => NOW, listLimit: 1 });
    const fortnight = await short.trialsEnding({ from: TODAY, to: addDays(TODAY, 14) });
    expect({ ids: fortnight.licenses.map((l) => l.id), total: fortnight.total }).toEqual({
      ids: [LICENSE(9)],
      total: 2,
    });
  });
});

describe('whole lists (Export CSV) and lists paged by position', () => {
  type Total = [number, { exact: boolean }];
  const recorder = () => {
    const totals: Total[] = [];
    return { totals, onTotal: async (total: number, o: { exact: boolean }) => void totals.push([total, o]) };
  };
  const names = (read: { licenses: { customer: { name: string } }[] }) => read.licenses.map((l) => l.customer.name);

  test('4,200 renewals exported up to 2,500: in list order, batch by batch until the cap, the total told first', async () => {
    const data = withManyRenewals(4200);
    const { service, client } = await serviceFor(data);
    const sorted = renewingIn30(data).sort((a, b) =>
      `${a.sfLma__Expiration__c}${a.Id}` < `${b.sfLma__Expiration__c}${b.Id}` ? -1 : 1,
    );
    const { totals, onTotal } = recorder();
    const read = await service.everyLicense({ kind: 'renewals', range: window(30), max: 2500, onTotal });
    expect(read.licenses.map((l) => l.id)).toEqual(sorted.slice(0, 2500).map((l) => l.Id));
    expect(read.total).toBe(sorted.length);
    expect(totals).toEqual([[sorted.length, { exact: true }]]);
    // 2,000 rows a call: two calls reach 2,500.
    expect(client.calls).toBe(2);
  });

  test('trials and renewals exported with their windows: trials until a date, renewals today when none is given', async () => {
    const { service } = await serviceFor(lmoFixture());
    expect((await service.everyLicense({ kind: 'trials', max: 10 })).licenses.map((l) => l.id)).toEqual([
      LICENSE(9),
      LICENSE(2),
    ]);
    const range = { from: TODAY, to: addDays(TODAY, 5), label: 'in the next 5 days' };
    expect((await service.everyLicense({ kind: 'trials', range, max: 10 })).licenses.map((l) => l.id)).toEqual([
      LICENSE(9),
    ]);
    // Acme's license expiring today is the only paid renewal of today.
    expect((await service.everyLicense({ kind: 'renewals', max: 10 })).licenses.map((l) => l.id)).toEqual([LICENSE(1)]);
  });

  test('seat-health lists exported: over their seats most over first and at risk read to their end (counts not exact), hot trials', async () => {
    const { service } = await serviceFor(healthFixture());
    const over = recorder();
    const overRead = await service.everyLicense({ kind: 'over', max: 10, onTotal: over.onTotal });
    expect({ names: names(overRead), total: overRead.total }).toEqual({ names: EXPECTED.over, total: 2 });
    expect(over.totals.map(([, o]) => o)).toEqual([{ exact: false }]);
    // Capped at one row, the count is still every row kept.
    const first = await service.everyLicense({ kind: 'over', max: 1 });
    expect({ names: names(first), total: first.total }).toEqual({ names: EXPECTED.over.slice(0, 1), total: 2 });
    const range = { from: TODAY, to: addDays(TODAY, 90), label: 'in the next 90 days' };
    const risk = await service.everyLicense({ kind: 'risk', range, lowUse: 0.3, max: 10 });
    expect({ names: names(risk), total: risk.total }).toEqual({ names: EXPECTED.risk, total: 2 });
    const hot = await service.everyLicense({ kind: 'hot', max: 10 });
    expect(names(hot)).toEqual(EXPECTED.hot);
    // At risk without a window: renewals of today only, and Acme's of today uses 90% of its seats.
    expect((await service.everyLicense({ kind: 'risk', lowUse: 0.3, max: 10 })).licenses).toEqual([]);
  });

  test('over their seats exported most over first, not most used first', async () => {
    const data = healthFixture();
    const template = data.sfLma__License__c[0];
    data.Account.push({ Id: '001000000000093AAA', Name: 'Big Over Co', OwnerId: USERS.ann });
    // The most seats used of all, and 1 over: after Acme Labs (5 over), before One Over Co (1 over, fewer used).
    data.sfLma__License__c.push({
      ...template,
      Id: LICENSE(93),
      sfLma__Account__c: '001000000000093AAA',
      sfLma__Seats__c: 999,
      sfLma__Used_Licenses__c: 1000,
    });
    const { service } = await serviceFor(data);
    const read = await service.everyLicense({ kind: 'over', max: 10 });
    expect(names(read)).toEqual(['Acme Labs', 'Big Over Co', 'One Over Co']);
  });

  test("every version's installs exported: all active and trial licenses", async () => {
    const data = lmoFixture();
    const { service } = await serviceFor(data);
    const installed = data.sfLma__License__c.filter((l) => ['Active', 'Trial'].includes(String(l.sfLma__Status__c)));
    expect((await service.everyLicense({ kind: 'version', max: 100 })).total).toBe(installed.length);
  });

  test("a version's installs a page at a time: by version then Id, with pages before and after", async () => {
    const { service } = await serviceFor(lmoFixture());
    // Active and trial installs of 1.x: 1.0.0 (licenses 2 and 8), 1.2.0 (6), 1.9.2 (3).
    const page = (number: number, size: number) =>
      service.listPage({ kind: 'version', versionPrefix: '1.', page: { number, size } });
    const one = await page(1, 3);
    expect({ ids: one.licenses.map((l) => l.id), total: one.total, page: one.page, today: one.today }).toEqual({
      ids: [LICENSE(2), LICENSE(8), LICENSE(6)],
      total: 4,
      page: { number: 1, size: 3, hasPrevious: false, hasNext: true },
      today: TODAY,
    });
    const two = await page(2, 3);
    expect({ ids: two.licenses.map((l) => l.id), page: two.page }).toEqual({
      ids: [LICENSE(3)],
      page: { number: 2, size: 3, hasPrevious: true, hasNext: false },
    });
    // A last page exactly full has nothing after it.
    expect((await page(2, 2)).page).toEqual({ number: 2, size: 2, hasPrevious: true, hasNext: false });
  });
});
