/**
 * The App Home's team figures (LmoService.teamSummary) over real jsforce to the embedded LMO: each figure equals a
 * plain computation over the records, in one composite call.
 */

import { type EmulatorHandle, loggedQueries, type OrgData, type SObjectRecord } from '@lma-bot/lmo-emulator';
import { afterEach, expect, test } from 'vitest';
import { addDays } from '../../src/lma/dates.js';
import { keptInMemory } from '../support/kept-counts.js';
import { ACCOUNTS, lmoFixture, NOW, TODAY } from '../support/lmo-fixture.js';
import { serviceOver } from '../support/lmo-service.js';

let emulator: EmulatorHandle;
afterEach(async () => emulator?.close());

async function serviceFor(data: OrgData, options: Parameters<typeof serviceOver>[1] = {}) {
  const over = await serviceOver(data, options);
  emulator = over.emulator;
  return over;
}

const OPTIONS = { windows: [30, 60, 90], conversionDays: 90, uninstallDays: 30, months: 6 };
const STATUSES = ['Active', 'Trial', 'Suspended', 'Uninstalled'];

/** The fixture plus `n` licenses spread over statuses, a year of expirations, seats, sandboxes; history to match. */
function spreadData(n: number): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  const history = data.sfLma__License__History ?? [];
  for (let i = 0; i < n; i++) {
    const id = `a0L${String(1000 + i).padStart(12, '0')}AAA`;
    data.sfLma__License__c.push({
      ...template,
      Id: id,
      Name: `L-${1000 + i}`,
      sfLma__Status__c: STATUSES[i % 4],
      sfLma__Expiration__c: i % 17 === 0 ? null : addDays(TODAY, ((i * 37) % 400) - 200),
      sfLma__Seats__c: i % 9 === 0 ? -1 : (i % 13) + 1,
      sfLma__Subscriber_Org_Is_Sandbox__c: i % 11 === 0,
      sfLma__Account__c: ACCOUNTS.globex,
    });
    // A status change every few licenses, over the last 200 days: conversions, uninstalls and others.
    if (i % 3 === 0) {
      const [from, to] = [
        ['Trial', 'Active'],
        ['Active', 'Uninstalled'],
        ['Active', 'Suspended'],
      ][i % 9 === 0 ? 0 : i % 2];
      history.push({
        Id: `017${String(1000 + i).padStart(12, '0')}AAA`,
        ParentId: id,
        Field: 'sfLma__Status__c',
        OldValue: from,
        NewValue: to,
        DataType: 'Text',
        CreatedDate: `${addDays(TODAY, -((i * 7) % 200))}T${String(i % 24).padStart(2, '0')}:30:00.000Z`,
      });
    }
  }
  data.sfLma__License__History = history;
  return data;
}

/** What each figure means, computed plainly over the records, on `today` (the chart months are the fixture's). */
function expected(data: OrgData, today = TODAY) {
  const licenses = data.sfLma__License__c;
  const history = data.sfLma__License__History ?? [];
  const expiration = (l: SObjectRecord) => (typeof l.sfLma__Expiration__c === 'string' ? l.sfLma__Expiration__c : '');
  const renewing = (l: SObjectRecord, to: string) =>
    l.sfLma__Status__c === 'Active' &&
    !l.sfLma__Subscriber_Org_Is_Sandbox__c &&
    expiration(l) >= TODAY &&
    expiration(l) <= to;
  const renewals = [30, 60, 90].map((days) => {
    const all = licenses.filter((l) => renewing(l, addDays(TODAY, days)));
    const sites = all.filter((l) => l.sfLma__Seats__c === -1);
    const seats = all.filter((l) => l.sfLma__Seats__c !== -1).reduce((s, l) => s + Number(l.sfLma__Seats__c), 0);
    return { days, licenses: all.length, seats, siteLicenses: sites.length };
  });
  const trials = licenses.filter((l) => l.sfLma__Status__c === 'Trial');
  const day = (h: SObjectRecord) => String(h.CreatedDate).slice(0, 10);
  const conversions = history.filter((h) => h.OldValue === 'Trial' && h.NewValue === 'Active');
  const converted90 = conversions.filter((h) => day(h) >= addDays(today, -90)).length;
  const expired90 = trials.filter((l) => expiration(l) >= addDays(TODAY, -90) && expiration(l) < TODAY).length;
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
  const ahead = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
  return {
    renewals,
    trials: {
      onNow: trials.filter((l) => expiration(l) >= TODAY).length,
      endingSoon: trials.filter((l) => expiration(l) >= TODAY && expiration(l) <= addDays(TODAY, 7)).length,
    },
    conversions: { count: converted90, expiredUnconverted: expired90 },
    uninstalls: history.filter((h) => h.NewValue === 'Uninstalled' && day(h) >= addDays(today, -30)).length,
    conversionsByMonth: months.map((m) => conversions.filter((h) => day(h).startsWith(m)).length),
    renewalSeatsByMonth: ahead.map((m) =>
      licenses
        .filter((l) => renewing(l, '2026-11-30') && expiration(l).startsWith(m) && l.sfLma__Seats__c !== -1)
        .reduce((s, l) => s + Number(l.sfLma__Seats__c), 0),
    ),
  };
}

test('every team figure equals a plain computation over 1,500 licenses and their history, in one composite call', async () => {
  const data = spreadData(1500);
  const { service, client } = await serviceFor(data);
  const summary = await service.teamSummary(OPTIONS);
  const want = expected(data);
  expect(summary.renewals).toEqual(want.renewals);
  expect(summary.trials).toMatchObject(want.trials);
  expect(summary.conversions).toMatchObject(want.conversions);
  expect(summary.conversions.rate).toBeCloseTo(
    want.conversions.count / (want.conversions.count + want.conversions.expiredUnconverted),
  );
  expect(summary.uninstalls.count).toBe(want.uninstalls);
  expect(summary.conversionsByMonth.map((m) => m.value)).toEqual(want.conversionsByMonth);
  expect(summary.renewalSeatsByMonth.map((m) => m.month)).toEqual([
    '2026-06',
    '2026-07',
    '2026-08',
    '2026-09',
    '2026-10',
    '2026-11',
  ]);
  expect(summary.renewalSeatsByMonth.map((m) => m.value)).toEqual(want.renewalSeatsByMonth);
  // The figures are not all zero: the data exercises each of them.
  expect(want.renewals[2].licenses).toBeGreaterThan(50);
  expect(want.renewals[2].siteLicenses).toBeGreaterThan(0);
  expect(want.conversions.count).toBeGreaterThan(5);
  expect(want.uninstalls).toBeGreaterThan(5);
  expect(client.calls).toBe(1);
});

test('on the fixture: the boundaries (today, day 30, day 31, sandbox, site, perpetual) fall as the answers have them', async () => {
  const { service } = await serviceFor(lmoFixture());
  const summary = await service.teamSummary(OPTIONS);
  // Day 0 (50 seats), day 20 (3), day 30 (20); the day-5 site license; not the sandbox, day 31 or perpetual ones.
  expect(summary.renewals[0]).toEqual({ days: 30, licenses: 4, seats: 73, siteLicenses: 1 });
  expect(summary.renewals[1]).toEqual({ days: 60, licenses: 5, seats: 173, siteLicenses: 1 });
  expect(summary.trials).toEqual({ onNow: 2, endingSoon: 1, soonUntil: addDays(TODAY, 7) });
  expect(summary.conversions).toEqual({ days: 90, count: 3, expiredUnconverted: 1, rate: 0.75 });
});

test('a trial expiring today is on now, not expired; as many expired as converted is a rate of one half', async () => {
  const data = lmoFixture();
  const [initech, umbrella] = [data.sfLma__License__c[8], data.sfLma__License__c[9]];
  initech.sfLma__Expiration__c = TODAY;
  // Two more trials that expired unconverted, as Umbrella's did 3 days ago: 3 expired against the 3 conversions.
  data.sfLma__License__c.push({ ...umbrella, Id: 'a0L000000000071AAA' }, { ...umbrella, Id: 'a0L000000000072AAA' });
  const { service } = await serviceFor(data);
  const summary = await service.teamSummary(OPTIONS);
  expect(summary.trials).toEqual({ onNow: 2, endingSoon: 1, soonUntil: addDays(TODAY, 7) });
  expect(summary.conversions).toEqual({ days: 90, count: 3, expiredUnconverted: 3, rate: 0.5 });
});

test('no conversion and no expired trial: no rate', async () => {
  const data = lmoFixture({ withHistory: false });
  data.sfLma__License__c = data.sfLma__License__c.filter((l) => l.Id !== 'a0L000000000010AAA');
  const { service } = await serviceFor(data, { historyTracked: false });
  const summary = await service.teamSummary(OPTIONS);
  expect(summary.conversions).toEqual({ days: 90, count: 0, expiredUnconverted: 0, rate: null });
});

test('without field history, conversions and uninstalls are unknown and the rest still counts', async () => {
  const { service, client } = await serviceFor(lmoFixture({ withHistory: false }), { historyTracked: false });
  const summary = await service.teamSummary(OPTIONS);
  expect(summary.historyTracked).toBe(false);
  expect(summary.conversionsByMonth).toEqual([]);
  expect(summary.renewals[0].licenses).toBe(4);
  expect(client.calls).toBe(1);
});

test('with the store keeping finished days, history is read once since the first chart month, then only from today', async () => {
  const data = spreadData(1500);
  let now = NOW.getTime();
  const { service } = await serviceFor(data, { clock: () => new Date(now) });
  const store = keptInMemory();
  const historyFrom = () =>
    loggedQueries(emulator.log)
      .filter((soql) => soql.includes('FROM sfLma__License__History'))
      .at(-1);

  const first = await service.teamSummary(OPTIONS, store);
  expect(historyFrom()).toContain('CreatedDate >= 2026-01-01T00:00:00Z');
  const want = expected(data);
  expect(first.conversions).toMatchObject(want.conversions);
  expect(first.uninstalls.count).toBe(want.uninstalls);
  expect(first.conversionsByMonth.map((m) => m.value)).toEqual(want.conversionsByMonth);

  // Later the same day: the finished days come from the store; a conversion made today is counted.
  const conversion = {
    Id: '017000000009999AAA',
    ParentId: data.sfLma__License__c[5].Id,
    Field: 'sfLma__Status__c',
    OldValue: 'Trial',
    NewValue: 'Active',
    DataType: 'Text',
    CreatedDate: `${TODAY}T10:30:00.000Z`,
  };
  emulator.org.insert('sfLma__License__History', conversion);
  data.sfLma__License__History?.push(conversion);
  now += 60 * 60_000;
  const again = await service.teamSummary(OPTIONS, store);
  expect(historyFrom()).toContain(`CreatedDate >= ${TODAY}T00:00:00Z`);
  expect(again.conversions.count).toBe(want.conversions.count + 1);
  expect(again.conversionsByMonth.map((m) => m.value)).toEqual(expected(data).conversionsByMonth);

  // The next day: yesterday is read once more (it was today), then kept; the windows move on a day.
  now += 24 * 60 * 60_000;
  const tomorrow = addDays(TODAY, 1);
  const next = await service.teamSummary(OPTIONS, store);
  expect(historyFrom()).toContain(`CreatedDate >= ${TODAY}T00:00:00Z`);
  expect(next.conversions.count).toBe(expected(data, tomorrow).conversions.count);
  expect(next.uninstalls.count).toBe(expected(data, tomorrow).uninstalls);
  await service.teamSummary(OPTIONS, store);
  expect(historyFrom()).toContain(`CreatedDate >= ${tomorrow}T00:00:00Z`);
});
