/**
 * Seat health past a first look, through LmoService and the embedded LMO: what a list remembers between answers (a
 * list known small, the seat values seen, by package, owner and window, and a bounded memory), the caps and ranges of
 * the seat values one query spells, the partial lists and why they say so, the site licenses only at risk. Small
 * datasets built here (only their licenses), so every row, count, call and query is written out from them.
 */
import { type EmulatorHandle, loggedQueries, type OrgData, type SObjectRecord } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test } from 'vitest';
import { addDays } from '../../src/lma/dates.js';
import type { HealthOptions, LmoService } from '../../src/lma/service.js';
import { lmoFixture, TODAY } from '../support/lmo-fixture.js';
import { serviceOver } from '../support/lmo-service.js';

let emulator: EmulatorHandle | undefined;
afterEach(async () => emulator?.close());

const SETTINGS = { renewalDays: 90, lowUse: 0.3 };
const licenseId = (i: number) => `a0L${String(500_000 + i).padStart(12, '0')}AAA`;

/** The base fixture's accounts and packages, and only these licenses: `spec(i)` for i in 0..n-1. */
function withLicenses(n: number, spec: (i: number) => Partial<SObjectRecord>): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  data.sfLma__License__c = Array.from({ length: n }, (_, i) => ({
    ...template,
    Id: licenseId(i),
    Name: `L-${500_000 + i}`,
    sfLma__Status__c: 'Active',
    sfLma__Expiration__c: addDays(TODAY, 400),
    sfLma__Subscriber_Org_Is_Sandbox__c: false,
    ...spec(i),
  }));
  return data;
}

/** Adds `n` licenses to the running LMO, like its first one but for `spec(j)` (Ids from `firstId`). */
function insertLicenses(n: number, firstId: number, spec: (j: number) => Partial<SObjectRecord>): void {
  const template = emulator?.org.records('sfLma__License__c')[0] ?? {};
  for (let j = 0; j < n; j++) {
    emulator?.org.insert('sfLma__License__c', { ...template, Id: licenseId(firstId + j), ...spec(j) });
  }
}

async function serviceFor(data: OrgData) {
  const made = await serviceOver(data);
  emulator = made.emulator;
  return made;
}

/** One answer of one list: the answer, the API calls it cost and the SOQL it sent, in order. */
async function answer(
  made: { service: LmoService; client: { calls: number } },
  list: 'over' | 'risk',
  options: Partial<HealthOptions> = {},
) {
  const calls = made.client.calls;
  const logged = emulator?.log.length ?? 0;
  const health = await made.service.health({ ...SETTINGS, ...options, lists: [list] });
  return {
    list: list === 'over' ? health.over : health.risk,
    risk: health.risk,
    calls: made.client.calls - calls,
    soql: loggedQueries(emulator?.log.slice(logged) ?? []),
  };
}

const isAggregate = (soql: string) => soql.includes('MIN(sfLma__Seats__c)');
const ids = (list?: { licenses: { id: string }[] }) => list?.licenses.map((l) => l.id);
const range = (from: number, to: number) =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, k) => from + (from <= to ? k : -k));

describe('over their seats past a first look', () => {
  test('a list known small that grew past a look: the 2,000 most used, partial, saying it grew; then the aggregate', async () => {
    // 150 licenses, seats 10 used 11..160 (each over): small, one look from the second answer.
    const made = await serviceFor(withLicenses(150, (i) => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 11 + i })));
    const first = await answer(made, 'over');
    expect([first.calls, first.list?.total, first.list?.partial]).toEqual([2, 150, undefined]);
    const look = await answer(made, 'over');
    expect([look.calls, look.soql.length, isAggregate(look.soql[0]), look.list?.total]).toEqual([1, 1, false, 150]);
    // 2,000 more over (seats 10, used 200..2199): 2,150, past a look and past a page.
    insertLicenses(2000, 1000, (j) => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 200 + j }));
    const grown = await answer(made, 'over');
    expect(grown.calls).toBe(2);
    // The look, then the page of 2,000: the same query, no aggregate.
    expect(grown.soql).toEqual([look.soql[0], look.soql[0]]);
    expect(grown.list?.partial).toEqual({
      why: 'it grew past 200 licenses since the last answer: these are from the 2,000 using the most seats',
      atLeast: true,
    });
    // Most over first: used 2199 down; the 2,000 read, all over.
    expect(grown.list?.total).toBe(2000);
    expect(ids(grown.list)).toEqual(range(1999, 1950).map((j) => licenseId(1000 + j)));
    // Not small any more: the aggregate, then seat value 10 spelled, exact: 2,150 over, no partial (the 50 shown
    // are 2,000 over at least; any unread uses at most 199 seats, 189 over).
    const after = await answer(made, 'over');
    expect(after.calls).toBe(2);
    expect(isAggregate(after.soql[0])).toBe(true);
    expect(after.soql[0]).toContain('sfLma__Seats__c NOT IN (10)');
    expect(after.soql[1]).toContain('(sfLma__Seats__c = 10 AND sfLma__Used_Licenses__c > 10)');
    expect(after.soql).toHaveLength(2);
    expect([after.list?.total, after.list?.partial]).toEqual([2150, undefined]);
    expect(ids(after.list)).toEqual(ids(grown.list));
    // Values seen and none other (an aggregate of 0): not small for that, the aggregate again, and beside it the same
    // page ranked from Id and seats alone; the second call reads the 50 shown whole.
    const again = await answer(made, 'over');
    expect([again.calls, isAggregate(again.soql[0]), again.list?.total]).toEqual([2, true, 2150]);
    const ranking = after.soql[1].replace(
      /^SELECT .+? FROM /,
      'SELECT Id, sfLma__Seats__c, sfLma__Used_Licenses__c FROM ',
    );
    const shown = ids(after.list)?.map((id) => `'${id}'`);
    expect(again.soql.slice(1)).toEqual([ranking, expect.stringMatching(` WHERE Id IN \\(${shown?.join(', ')}\\)$`)]);
    expect(again.list).toEqual(after.list);
  });

  test('a seat value new since the ranking went beside the aggregate: that page is not used, the list spelled whole is', async () => {
    // 300 licenses (not small), seats 10 used 11..15; then 10 at seats 20 used 40, the most over.
    const made = await serviceFor(
      withLicenses(300, (i) => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 11 + (i % 5) })),
    );
    const [first, second, third] = [await answer(made, 'over'), await answer(made, 'over'), await answer(made, 'over')];
    expect([first.soql.length, second.soql.length, third.soql.length]).toEqual([2, 2, 3]);
    insertLicenses(10, 5000, () => ({ sfLma__Seats__c: 20, sfLma__Used_Licenses__c: 40 }));
    const grown = await answer(made, 'over');
    // The aggregate, the ranking of seat value 10 beside it, then the list spelled for 10 and 20, read whole.
    expect(grown.soql[1]).toBe(third.soql[1]);
    expect(grown.soql[2]).toContain('(sfLma__Seats__c = 20 AND sfLma__Used_Licenses__c > 20)');
    expect([grown.calls, grown.soql.length, grown.list?.total, grown.list?.partial]).toEqual([2, 3, 310, undefined]);
    expect(ids(grown.list)?.slice(0, 11)).toEqual([...range(0, 9).map((j) => licenseId(5000 + j)), licenseId(4)]);
    expect(grown.list?.licenses[0]).toMatchObject({
      seats: 20,
      usedSeats: 40,
      packageName: third.list?.licenses[0].packageName,
    });
    // Not settled for that answer: the next one ranks without the page beside the aggregate.
    expect((await answer(made, 'over')).soql).toHaveLength(2);
  });

  test('a list small that stays small is one look, exact, and the look does not make it partial', async () => {
    const made = await serviceFor(
      withLicenses(200, (i) => ({ sfLma__Seats__c: 5, sfLma__Used_Licenses__c: 1 + (i % 10) })),
    );
    const first = await answer(made, 'over');
    // Used 6..10 of 5 are over: 5 of every 10.
    expect([first.calls, first.list?.total]).toEqual([2, 100]);
    const look = await answer(made, 'over');
    expect([look.calls, look.list?.total, look.list?.partial]).toEqual([1, 100, undefined]);
    expect(look.list?.licenses[0].id).toBe(licenseId(9));
  });

  test('more than 2,000 over with the last shown no more over than an unread one: exact count, partial, not "at least"', async () => {
    // 2,100 licenses, seats 10 used 11: all over by 1, more than a page.
    const made = await serviceFor(withLicenses(2100, () => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 11 })));
    const first = await answer(made, 'over');
    expect(first.calls).toBe(2);
    expect(first.soql[1]).toContain('(sfLma__Seats__c = 10 AND sfLma__Used_Licenses__c > 10)');
    expect(first.list?.total).toBe(2100);
    expect(first.list?.partial).toEqual({
      why: 'more than 2,000 licenses are over: these are the most over among the 2,000 of them using the most seats',
      atLeast: false,
    });
    expect(ids(first.list)).toEqual(range(0, 49).map(licenseId));
  });

  test('more than 2,000 over but the shown ones more over than any unread can be: exact, not partial', async () => {
    // 60 use 25 of 10 (15 over); 2,040 use 11 of 10: an unread one is at most 11 - 10 = 1 over.
    const made = await serviceFor(
      withLicenses(2100, (i) => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: i < 60 ? 25 : 11 })),
    );
    const first = await answer(made, 'over');
    expect([first.calls, first.list?.total, first.list?.partial]).toEqual([2, 2100, undefined]);
    expect(ids(first.list)).toEqual(range(0, 49).map(licenseId));
  });

  test('more than 2,000 over, the last shown exactly as over as an unread one may be: partial', async () => {
    // 2 use 13 of 10 (3 over), 48 use 12 of 10 (2 over): the 50 shown; 2,050 use 12 of 11 (1 over). Unread: at most
    // 12 - 10 = 2 over, as the last shown.
    const made = await serviceFor(
      withLicenses(2100, (i) => ({ sfLma__Seats__c: i < 50 ? 10 : 11, sfLma__Used_Licenses__c: i < 2 ? 13 : 12 })),
    );
    const first = await answer(made, 'over');
    expect(first.list?.total).toBe(2100);
    expect(first.list?.partial?.atLeast).toBe(false);
    expect(ids(first.list)).toEqual(range(0, 49).map(licenseId));
  });
});

describe('the seat values one query spells', () => {
  test('150 values in range are spelled; 151 are not: one page of the most used, filtered here', async () => {
    // Two licenses a value, seats 1..k, each over by 1.
    const spread = (k: number) =>
      withLicenses(2 * k, (i) => ({ sfLma__Seats__c: 1 + (i % k), sfLma__Used_Licenses__c: 2 + (i % k) }));
    const fits = await answer(await serviceFor(spread(150)), 'over');
    expect(fits.calls).toBe(2);
    expect(fits.soql[1]).toContain('(sfLma__Seats__c = 1 AND sfLma__Used_Licenses__c > 1) OR');
    expect(fits.soql[1]).toContain('(sfLma__Seats__c = 150 AND sfLma__Used_Licenses__c > 150))');
    expect([fits.list?.total, fits.list?.partial]).toEqual([300, undefined]);
    await emulator?.close();

    const past = await answer(await serviceFor(spread(151)), 'over');
    expect(past.calls).toBe(2);
    expect(past.soql[1]).not.toContain('sfLma__Seats__c = 1 AND');
    // All 302 read in the one page: exact.
    expect([past.list?.total, past.list?.partial]).toEqual([302, undefined]);
  });

  test('a range too wide: partial, the range in the why; at 150 values seen the memory starts again', async () => {
    // Seats 1..2300, each used one more: over by 1, the most used the most seats.
    const made = await serviceFor(
      withLicenses(2300, (i) => ({ sfLma__Seats__c: i + 1, sfLma__Used_Licenses__c: i + 2 })),
    );
    const tail = '; these are from the 2,000 licenses using the most seats';
    const first = await answer(made, 'over');
    expect(first.calls).toBe(2);
    expect(first.list?.partial).toEqual({
      why: `seats bought run from 1 to 2,300, more values than the 150 one query can compare${tail}`,
      atLeast: true,
    });
    expect(first.list?.total).toBe(2000);
    expect(ids(first.list)).toEqual(range(2299, 2250).map(licenseId));
    // Kept: the aggregate's ends (1 and 2,300), then the page's first values to 150: 2,152..2,299. The licenses of
    // 2,151..2,300 stop (suspended).
    for (let i = 2150; i < 2300; i++)
      emulator?.update('sfLma__License__c', licenseId(i), { sfLma__Status__c: 'Suspended' });
    const second = await answer(made, 'over');
    expect(second.soql[0]).toContain(`sfLma__Seats__c NOT IN (1, ${range(2152, 2300).join(', ')})`);
    expect(second.list?.partial?.why).toBe(
      `seats bought run from 2 to 2,150 besides 150 values seen before, more values than the 150 one query can compare${tail}`,
    );
    expect(ids(second.list)).toEqual(range(2149, 2100).map(licenseId));
    // 150 values seen and still too many: forgotten, and the page read then kept its own first 150, 2,001..2,150.
    const third = await answer(made, 'over');
    expect(third.soql[0]).toContain(`sfLma__Seats__c NOT IN (${range(2001, 2150).join(', ')})`);
    expect(third.list?.partial?.why).toBe(
      `seats bought run from 1 to 2,000 besides 150 values seen before, more values than the 150 one query can compare${tail}`,
    );
  });

  test('seats 1 and a trillion: a range never spelled nor walked, one page, exact', async () => {
    const made = await serviceFor(
      withLicenses(2, (i) => ({
        sfLma__Seats__c: i === 0 ? 1 : 1_000_000_000_000,
        sfLma__Used_Licenses__c: i === 0 ? 2 : 1_000_000_000_001,
      })),
    );
    const first = await answer(made, 'over');
    expect([first.calls, first.list?.total, first.list?.partial]).toEqual([2, 2, undefined]);
    expect(first.soql[1]).not.toContain('sfLma__Seats__c = 1 AND');
  });

  test('values seen and a new range, each under 150 but together more: not spelled', async () => {
    // Seats 1..100, 3 licenses each (300: not small), over by 1; then 60 more at seats 201..260.
    const made = await serviceFor(
      withLicenses(300, (i) => ({ sfLma__Seats__c: 1 + (i % 100), sfLma__Used_Licenses__c: 2 + (i % 100) })),
    );
    const first = await answer(made, 'over');
    expect(first.soql[1]).toContain('(sfLma__Seats__c = 100 AND');
    insertLicenses(60, 5000, (j) => ({ sfLma__Seats__c: 201 + j, sfLma__Used_Licenses__c: 202 + j }));
    const second = await answer(made, 'over');
    expect(second.soql[0]).toContain(`sfLma__Seats__c NOT IN (${range(1, 100).join(', ')})`);
    expect(second.soql[1]).not.toContain('(sfLma__Seats__c = 201 AND');
    expect([second.calls, second.list?.total, second.list?.partial]).toEqual([2, 360, undefined]);
  });

  test('values seen above a new range: spelled lowest first', async () => {
    // Seats 201..260, 4 licenses each (240: not small), over by 1; then 40 more at seats 1..40.
    const made = await serviceFor(
      withLicenses(240, (i) => ({ sfLma__Seats__c: 201 + (i % 60), sfLma__Used_Licenses__c: 202 + (i % 60) })),
    );
    await answer(made, 'over');
    insertLicenses(40, 5000, (j) => ({ sfLma__Seats__c: 1 + j, sfLma__Used_Licenses__c: 2 + j }));
    const second = await answer(made, 'over');
    expect(second.soql[1]).toContain(
      '((sfLma__Seats__c = 1 AND sfLma__Used_Licenses__c > 1) OR (sfLma__Seats__c = 2 AND sfLma__Used_Licenses__c > 2) OR',
    );
    expect(second.soql[1]).toContain('(sfLma__Seats__c = 260 AND sfLma__Used_Licenses__c > 260))');
    expect([second.calls, second.list?.total, second.list?.partial]).toEqual([2, 280, undefined]);
  });

  test('150 values of thirteen digits: too long a query for one GET, said so', async () => {
    const made = await serviceFor(
      withLicenses(2100, (i) => ({
        sfLma__Seats__c: 1_000_000_000_000 + (i % 150),
        sfLma__Used_Licenses__c: 1_000_000_000_001 + (i % 150),
      })),
    );
    const first = await answer(made, 'over');
    expect(first.calls).toBe(2);
    expect(first.list?.partial).toEqual({
      why: 'the comparison for its 150 seat values is longer than one query can be; these are from the 2,000 licenses using the most seats',
      atLeast: true,
    });
    expect(first.list?.total).toBe(2000);
  });
});

describe('at risk past a first look', () => {
  const renewing = (i: number) => addDays(TODAY, 1 + (i % 80));

  test('no renewal at all: one aggregate, an empty list; then one look', async () => {
    const made = await serviceFor(withLicenses(5, () => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 0 })));
    const first = await answer(made, 'risk');
    expect([first.calls, first.soql.length, isAggregate(first.soql[0])]).toEqual([1, 1, true]);
    expect([first.list?.licenses, first.list?.total, first.risk?.siteLicensesExcluded]).toEqual([[], 0, 0]);
    const look = await answer(made, 'risk');
    expect([look.calls, isAggregate(look.soql[0]), look.list?.total]).toEqual([1, false, 0]);
  });

  test('only site licenses renewing: one aggregate, none at risk, the site licenses counted', async () => {
    const made = await serviceFor(
      withLicenses(3, (i) => ({ sfLma__Seats__c: -1, sfLma__Used_Licenses__c: 0, sfLma__Expiration__c: renewing(i) })),
    );
    const first = await answer(made, 'risk');
    expect([first.calls, first.list?.licenses, first.list?.total, first.risk?.siteLicensesExcluded]).toEqual([
      1,
      [],
      0,
      3,
    ]);
    expect(first.risk?.range).toEqual({ from: TODAY, to: addDays(TODAY, 90), label: 'in the next 90 days' });
  });

  test('a list known small that grew past a look: the 2,000 soonest, partial, saying it grew', async () => {
    // 10 renewing, seats 10 used 1 (at risk): small.
    const made = await serviceFor(
      withLicenses(10, (i) => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 1, sfLma__Expiration__c: renewing(i) })),
    );
    const first = await answer(made, 'risk');
    expect([first.calls, first.list?.total]).toEqual([2, 10]);
    // 2,100 more renewing on day 85, using 1 of 10, and 5 site licenses on day 1.
    insertLicenses(2105, 10_000, (j) => ({
      sfLma__Seats__c: j < 5 ? -1 : 10,
      sfLma__Expiration__c: addDays(TODAY, j < 5 ? 1 : 85),
    }));
    const grown = await answer(made, 'risk');
    expect(grown.calls).toBe(2);
    expect(grown.soql[0]).toBe(grown.soql[1]);
    expect(grown.list?.partial).toEqual({
      why: 'it grew past 200 renewals since the last answer: counted among the 2,000 soonest',
      atLeast: true,
    });
    // The 5 site licenses and the 10 first (days 1..10) are soonest: 1,995 at risk of the 2,000 read.
    expect([grown.list?.total, grown.risk?.siteLicensesExcluded]).toEqual([1995, 5]);
    expect(ids(grown.list)?.slice(0, 10)).toEqual(range(0, 9).map(licenseId));
    // Not small any more: the aggregate again.
    const after = await answer(made, 'risk');
    expect([after.calls, isAggregate(after.soql[0])]).toEqual([2, true]);
  });

  test('a small list reads only the renewals with seats or on site licenses: 200 of them one look', async () => {
    // 190 renewing using 1 of 10, 10 site licenses, and 100 renewing with no seats (none is read).
    const made = await serviceFor(
      withLicenses(300, (i) => ({
        sfLma__Seats__c: i < 10 ? -1 : i < 200 ? 10 : 0,
        sfLma__Used_Licenses__c: 1,
        sfLma__Expiration__c: renewing(i),
      })),
    );
    const first = await answer(made, 'risk');
    expect([first.calls, first.list?.total, first.risk?.siteLicensesExcluded]).toEqual([2, 190, 10]);
    const look = await answer(made, 'risk');
    expect([look.calls, isAggregate(look.soql[0]), look.list?.total, look.list?.partial]).toEqual([
      1,
      false,
      190,
      undefined,
    ]);
  });

  test('site licenses and seats 1..149: the range from 1 (not -1) spelled, 149 values', async () => {
    const made = await serviceFor(
      withLicenses(300, (i) => ({
        sfLma__Seats__c: i < 2 ? -1 : 1 + (i % 149),
        sfLma__Used_Licenses__c: 0,
        sfLma__Expiration__c: renewing(i),
      })),
    );
    const first = await answer(made, 'risk');
    expect(first.calls).toBe(2);
    expect(first.soql[1]).toContain('sfLma__Seats__c = -1 OR');
    expect(first.soql[1]).toContain('(sfLma__Seats__c = 149 AND sfLma__Used_Licenses__c < 44.7)');
    expect([first.list?.total, first.risk?.siteLicensesExcluded, first.list?.partial]).toEqual([298, 2, undefined]);
  });

  test('seats 100..200 renewing: that range spelled, not from 1', async () => {
    const made = await serviceFor(
      withLicenses(202, (i) => ({
        sfLma__Seats__c: 100 + (i % 101),
        sfLma__Used_Licenses__c: 0,
        sfLma__Expiration__c: renewing(i),
      })),
    );
    const first = await answer(made, 'risk');
    expect(first.soql[1]).toContain('(sfLma__Seats__c = 100 AND');
    expect(first.soql[1]).not.toContain('(sfLma__Seats__c = 99 AND');
    expect([first.calls, first.list?.total, first.risk?.siteLicensesExcluded]).toEqual([2, 202, 0]);
  });

  test('a range too wide at risk: the 2,000 soonest, partial, the range from 1 in the why; the range end kept', async () => {
    // 5 site licenses and seats 1..2,100, none used, renewing on days 1..80 in turn.
    const made = await serviceFor(
      withLicenses(2105, (i) => ({
        sfLma__Seats__c: i < 5 ? -1 : i - 4,
        sfLma__Used_Licenses__c: 0,
        sfLma__Expiration__c: renewing(i),
      })),
    );
    const first = await answer(made, 'risk');
    expect(first.calls).toBe(2);
    expect(first.list?.partial).toEqual({
      why: 'seats bought run from 1 to 2,100, more values than the 150 one query can compare; counted among the 2,000 soonest renewals',
      atLeast: true,
    });
    // The 2,000 soonest of 2,105 (27 on days 1..25, 26 on days 26..80): the 5 site licenses among them.
    expect([first.list?.total, first.risk?.siteLicensesExcluded]).toEqual([1995, 5]);
    // The aggregate's highest (2,100, renewing on day 25, not among the page's first values) is kept.
    const second = await answer(made, 'risk');
    expect(second.soql[0]).toContain(', 2100))');
    // A site license's -1 is no seat value to keep.
    expect(second.soql[0]).not.toContain('NOT IN (-1');
    // 150 values seen and still too many: forgotten, and the page read then kept its first 150 only.
    expect(second.list?.partial?.why).toBe(
      'seats bought run from 1 to 2,099 besides 150 values seen before, more values than the 150 one query can compare; counted among the 2,000 soonest renewals',
    );
    const third = await answer(made, 'risk');
    expect(third.soql[0]).not.toContain('2100');
  });

  test('more renewals at risk or on site licenses than a page, values spelled: partial, soonest first', async () => {
    // 2,100 renewing at seats 10 used 1 (one renewing on each of days 1..80 in turn), 10 site licenses; seats 20 on
    // one, so a range (10..20) is spelled with the site licenses.
    const made = await serviceFor(
      withLicenses(2110, (i) => ({
        sfLma__Seats__c: i < 10 ? -1 : i === 10 ? 20 : 10,
        sfLma__Used_Licenses__c: 1,
        sfLma__Expiration__c: renewing(i),
      })),
    );
    const first = await answer(made, 'risk');
    expect(first.calls).toBe(2);
    expect(first.soql[1]).toContain('sfLma__Seats__c = -1 OR');
    expect(first.list?.partial).toEqual({
      why: 'more than 2,000 renewals are at risk or on site licenses: counted among the 2,000 soonest',
      atLeast: true,
    });
    // Read: the 2,000 soonest of 2,110 (days 1..80, 26 or 27 a day): the 10 site licenses among them.
    expect([first.list?.total, first.risk?.siteLicensesExcluded]).toEqual([1990, 10]);
    // Seats 10 and 20 seen: only the site licenses are left outside them (10, few): the low-use ones spelled alone,
    // exact, and the list still not small for that.
    const second = await answer(made, 'risk');
    expect(second.calls).toBe(2);
    expect(second.soql[1]).not.toContain('sfLma__Seats__c = -1 OR');
    expect([second.list?.total, second.risk?.siteLicensesExcluded, second.list?.partial]).toEqual([
      2100,
      10,
      undefined,
    ]);
    const third = await answer(made, 'risk');
    expect([third.calls, isAggregate(third.soql[0]), third.list?.total]).toEqual([2, true, 2100]);
  });
});

describe('what a list remembers, and for which question', () => {
  /** 5 licenses over (seats 10 used 11), renewing never; after an answer each list is known small. */
  const small = () =>
    withLicenses(5, () => ({ sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 11, sfLma__Expiration__c: null }));

  test('by list, package, owner and (at risk only) window: each new one takes the aggregate again', async () => {
    const made = await serviceFor(small());
    const cost = async (list: 'over' | 'risk', o: Partial<HealthOptions> = {}) => (await answer(made, list, o)).calls;
    // Over: the aggregate and the list, then one look.
    expect([await cost('over'), await cost('over')]).toEqual([2, 1]);
    // A window is no part of over's question.
    expect(await cost('over', { renewalDays: 30 })).toBe(1);
    // Another package, another owner: their own memory.
    // No license of that package: the aggregate finds none, and the list is empty.
    const none = await answer(made, 'over', { package: 'Scheduler' });
    expect([none.calls, none.list]).toEqual([1, { licenses: [], total: 0 }]);
    expect(await cost('over', { package: 'Scheduler' })).toBe(1);
    expect(await cost('over', { ownerId: '005000000000009AAA' })).toBe(1);
    expect((await answer(made, 'over', { ownerId: '005000000000009AAA' })).soql.map(isAggregate)).toEqual([false]);
    // At risk (none renewing: the aggregate alone, then a look) is its own list, and each window its own question.
    const aggregates = async (list: 'over' | 'risk', o: Partial<HealthOptions> = {}) =>
      (await answer(made, list, o)).soql.map(isAggregate);
    expect(await aggregates('risk')).toEqual([true]);
    expect(await aggregates('risk')).toEqual([false]);
    expect(await aggregates('risk', { renewalDays: 30 })).toEqual([true]);
    expect(await aggregates('risk', { renewalDays: 30 })).toEqual([false]);
    expect(await aggregates('risk', { package: 'Scheduler' })).toEqual([true]);
    expect(await aggregates('risk', { ownerId: '005000000000009AAA' })).toEqual([true]);
    expect(await aggregates('over', { package: 'Scheduler' })).toEqual([false]);
  });

  test('the lists of one package and owner share the seat values they read; a list still counts itself whole first', async () => {
    // 300 licenses renewing (not small), seats 10 and 20 at half use; over their seats: 300 more at seats 30, used 40.
    const made = await serviceFor(
      withLicenses(600, (i) =>
        i < 300
          ? { sfLma__Seats__c: i % 2 ? 10 : 20, sfLma__Used_Licenses__c: 5, sfLma__Expiration__c: addDays(TODAY, 10) }
          : { sfLma__Seats__c: 30, sfLma__Used_Licenses__c: 40 },
      ),
    );
    const risk = await answer(made, 'risk');
    expect(risk.soql[0]).not.toContain('NOT IN');
    // Over's first answer counts its whole list, though at risk has seen 10 and 20…
    const first = await answer(made, 'over');
    expect(first.soql[0]).not.toContain('NOT IN');
    // …and its next aggregate leaves out the values both lists read: 10 and 20 from at risk, 30 from its own.
    const next = await answer(made, 'over');
    expect(next.soql[0]).toContain('sfLma__Seats__c NOT IN (10, 20, 30)');
    expect([next.list?.total, next.list?.licenses[0]?.seats]).toEqual([300, 30]);
    // Another owner's lists have values of their own.
    expect((await answer(made, 'risk', { ownerId: '005000000000009AAA' })).soql[0]).not.toContain('NOT IN');
  });

  test('bounded: past 1,000 lists remembered, every list starts again', async () => {
    const made = await serviceFor(small());
    const aggregates = async (renewalDays: number) =>
      (await answer(made, 'risk', { renewalDays })).soql.map(isAggregate);
    // 1,000 windows: 1,000 lists, each an aggregate.
    for (let d = 1; d <= 1000; d++) await aggregates(d);
    // All still remembered: a look.
    expect(await aggregates(1)).toEqual([false]);
    expect(await aggregates(1000)).toEqual([false]);
    // The 1,001st: all forgotten.
    expect(await aggregates(1001)).toEqual([true]);
    expect(await aggregates(1)).toEqual([true]);
    expect(await aggregates(1001)).toEqual([false]);
  });
});

describe('what each list needs to read', () => {
  const needs = (facts: string, fields: string) =>
    `This answer needs the ${facts} of licenses, which the LMO's integration user cannot read (${fields}). Grant Read ` +
    'on them in its permission set.';

  test('at risk needs the seats and the used seats, hot trials the used seats: each says so, before any query', async () => {
    const seats = 'sfLma__License__c.sfLma__Seats__c';
    const used = 'sfLma__License__c.sfLma__Used_Licenses__c';
    const made = await serviceOver(
      withLicenses(1, () => ({})),
      { visibility: { hiddenFields: [seats, used] } },
    );
    emulator = made.emulator;
    await made.service.checkAccess();
    const calls = made.client.calls;
    await expect(made.service.health({ ...SETTINGS, lists: ['risk'] })).rejects.toMatchObject({
      kind: 'permission',
      message: needs('seats and used seats', `${seats}, ${used}`),
    });
    await expect(made.service.health({ ...SETTINGS, lists: ['hot'] })).rejects.toMatchObject({
      kind: 'permission',
      message: needs('used seats', used),
    });
    expect(made.client.calls).toBe(calls);
  });
});
