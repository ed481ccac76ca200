/**
 * Seat health's lists through LmoService, real jsforce and the embedded LMO over HTTP: each list equals a plain filter
 * over the data (the boundary fixture, and the same with thousands of licenses around it), and costs at most two LMO
 * calls at any size, counted from the LMO's request log. Seats bought spanning more values than one query can spell
 * fall back to one page, and the list says it is partial.
 */
import { type EmulatorHandle, type OrgData, type SObjectRecord, startEmulator } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test } from 'vitest';
import { embeddedAuth } from '../../src/app/local.js';
import { LmoClient } from '../../src/lma/client.js';
import { addDays } from '../../src/lma/dates.js';
import type { HealthListName } from '../../src/lma/model.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { type HealthOptions, LmoService } from '../../src/lma/service.js';
import { healthFixture } from '../features/health/health-fixture.js';
import { ACCOUNTS, NOW, TODAY, USERS } from '../support/lmo-fixture.js';

let emulator: EmulatorHandle;
afterEach(async () => emulator?.close());

async function serviceFor(data: OrgData) {
  emulator = await startEmulator({ data, clock: () => NOW });
  const client = new LmoClient(
    async () => (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0', clock: () => NOW })).connection,
    { apiVersion: '62.0', timeoutMs: 10_000, retries: 0 },
  );
  return new LmoService({ client, timezone: 'UTC', clock: () => NOW });
}

/** Query calls (a query, its next page, or a composite of queries: one call) the LMO served since `from` in its log. */
const queryCalls = (from: number) =>
  emulator.log.slice(from).filter((e) => e.path.includes('/query') || e.path.endsWith('/composite')).length;

const SETTINGS = { renewalDays: 90, lowUse: 0.3 };

/** The boundary fixture and `n` more licenses: statuses, seats (1..maxSeats, every 9th a site license), use and expirations spread. */
function atScale(n: number, o: { maxSeats?: number; renewingShare?: number; seatValues?: number[] } = {}): OrgData {
  const data = healthFixture();
  const template = data.sfLma__License__c[0];
  let seed = 16;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const statuses = ['Active', 'Active', 'Active', 'Trial', 'Suspended', 'Uninstalled'];
  for (let i = 0; i < n; i++) {
    const site = i % 9 === 0;
    const pick = random();
    const seats = site
      ? -1
      : o.seatValues
        ? o.seatValues[Math.floor(pick * o.seatValues.length)]
        : 1 + Math.floor(pick * (o.maxSeats ?? 120));
    // Used: often none or a little, sometimes all, sometimes over.
    const use = random();
    const used = site
      ? Math.floor(random() * 500)
      : use < 0.1
        ? 0
        : use < 0.45
          ? Math.floor(random() * seats * 0.6)
          : use < 0.85
            ? Math.floor(seats * (0.6 + random() * 0.4))
            : seats + Math.floor(random() * 30);
    const renewing = random() < (o.renewingShare ?? 0.4);
    const expiration =
      i % 50 === 0 ? null : addDays(TODAY, renewing ? Math.floor(random() * 92) : -60 + Math.floor(random() * 600));
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(10_000 + i).padStart(12, '0')}AAA`,
      Name: `L-${10_000 + i}`,
      sfLma__Status__c: statuses[i % statuses.length],
      sfLma__Expiration__c: i % 97 === 0 ? '1970-01-01' : expiration,
      sfLma__Seats__c: seats,
      sfLma__Used_Licenses__c: i % 71 === 0 ? null : used,
      sfLma__Subscriber_Org_Is_Sandbox__c: i % 23 === 0,
      sfLma__Account__c: ACCOUNTS.globex,
      sfLma__Subscriber_Org_ID__c: `00D${String(10_000 + i).padStart(12, '0')}XYZ`,
    });
  }
  return data;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const byId = (a: SObjectRecord, b: SObjectRecord) => (String(a.Id) < String(b.Id) ? -1 : 1);

/** The lists as plain filters over the data, in their order (the rules of issue #16, written out). */
function expected(data: OrgData, o: { renewalDays: number; lowUse: number }) {
  const all = data.sfLma__License__c;
  const excess = (l: SObjectRecord) => (num(l.sfLma__Used_Licenses__c) ?? 0) - (num(l.sfLma__Seats__c) ?? 0);
  const over = all
    .filter(
      (l) =>
        (l.sfLma__Status__c === 'Active' || l.sfLma__Status__c === 'Trial') &&
        (num(l.sfLma__Seats__c) ?? 0) > 0 &&
        (num(l.sfLma__Used_Licenses__c) ?? 0) > (num(l.sfLma__Seats__c) ?? 0),
    )
    .sort(
      (a, b) =>
        excess(b) - excess(a) ||
        (num(b.sfLma__Used_Licenses__c) ?? 0) - (num(a.sfLma__Used_Licenses__c) ?? 0) ||
        byId(a, b),
    );
  const until = addDays(TODAY, o.renewalDays);
  const renewing = all
    .filter((l) => {
      const e = l.sfLma__Expiration__c;
      return (
        l.sfLma__Status__c === 'Active' &&
        typeof e === 'string' &&
        e >= TODAY &&
        e <= until &&
        e !== '1970-01-01' &&
        l.sfLma__Subscriber_Org_Is_Sandbox__c !== true
      );
    })
    .sort((a, b) => String(a.sfLma__Expiration__c).localeCompare(String(b.sfLma__Expiration__c)) || byId(a, b));
  // Under the share: 3 of 10 at 30% is not (whole hundredths of a seat); no used count is none used.
  const risk = renewing.filter((l) => {
    const seats = num(l.sfLma__Seats__c) ?? 0;
    const used = num(l.sfLma__Used_Licenses__c) ?? 0;
    return seats > 0 && Math.round(used * 100) < Math.round(o.lowUse * seats * 100);
  });
  return { over, risk, sites: renewing.filter((l) => l.sfLma__Seats__c === -1).length };
}

/** One list read alone: its answer and the LMO calls it cost. */
async function readList(service: LmoService, list: HealthListName, options: Partial<HealthOptions> = {}) {
  const from = emulator.log.length;
  const answer = await service.health({ ...SETTINGS, ...options, lists: [list] });
  return { answer, calls: queryCalls(from) };
}

const ids = (licenses: { id: string }[] | undefined) => licenses?.map((l) => l.id);

describe('seat health: each list is a plain filter over the data, in at most two calls', () => {
  test.each([
    // An aggregate finds them small: the next answer is one look of 200.
    ['the boundary fixture', 0, [2, 1]],
    // Past a look: an aggregate of the seats not seen before, then the list spelled per seat value.
    ['the boundary fixture and 6,000 licenses', 6_000, [2, 2]],
  ])('%s', async (_name, extra, callsEach) => {
    const data = atScale(extra);
    const service = await serviceFor(data);
    const want = expected(data, SETTINGS);
    const limit = service.listLimit;
    for (const calls of callsEach) {
      const over = await readList(service, 'over');
      expect(ids(over.answer.over?.licenses)).toEqual(want.over.slice(0, limit).map((l) => l.Id));
      expect(over.answer.over?.total).toBe(want.over.length);
      expect(over.answer.over?.partial).toBeUndefined();
      expect(over.calls).toBe(calls);

      const risk = await readList(service, 'risk');
      expect(ids(risk.answer.risk?.licenses)).toEqual(want.risk.slice(0, limit).map((l) => l.Id));
      expect(risk.answer.risk?.total).toBe(want.risk.length);
      expect(risk.answer.risk?.siteLicensesExcluded).toBe(want.sites);
      expect(risk.answer.risk?.partial).toBeUndefined();
      expect(risk.calls).toBe(calls);

      const hot = await readList(service, 'hot');
      expect(hot.calls).toBe(1);
    }
    if (extra > 0) {
      // More than a look of 200 holds.
      expect(want.over.length).toBeGreaterThan(200);
      expect(want.risk.length).toBeGreaterThan(200);
    }
  });

  test('the thresholds are settings: a 91-day window at 31% takes in day 91 and 30% exactly, at size too', async () => {
    const data = atScale(3_000);
    const service = await serviceFor(data);
    const settings = { renewalDays: 91, lowUse: 0.31 };
    const want = expected(data, settings);
    const { answer, calls } = await readList(service, 'risk', settings);
    expect(answer.risk?.total).toBe(want.risk.length);
    expect(ids(answer.risk?.licenses)).toEqual(want.risk.slice(0, service.listLimit).map((l) => l.Id));
    expect(answer.risk?.siteLicensesExcluded).toBe(want.sites);
    expect(calls).toBe(2);
  });

  test('an owner narrows the lists (Bob: Globex, most of the licenses), equal to the filter, in two calls', async () => {
    const data = atScale(4_000);
    const service = await serviceFor(data);
    const owners = new Map(data.Account.map((a) => [a.Id, a.OwnerId]));
    const leads = new Map((data.Lead ?? []).map((l) => [l.Id, l.OwnerId]));
    const bobs = {
      ...data,
      sfLma__License__c: data.sfLma__License__c.filter((l) =>
        l.sfLma__Account__c
          ? owners.get(String(l.sfLma__Account__c)) === USERS.bob
          : leads.get(String(l.sfLma__Lead__c)) === USERS.bob,
      ),
    };
    const want = expected(bobs, SETTINGS);
    const over = await readList(service, 'over', { ownerId: USERS.bob });
    expect(ids(over.answer.over?.licenses)).toEqual(want.over.slice(0, service.listLimit).map((l) => l.Id));
    expect(over.answer.over?.total).toBe(want.over.length);
    expect(over.calls).toBe(2);
    const risk = await readList(service, 'risk', { ownerId: USERS.bob });
    expect(ids(risk.answer.risk?.licenses)).toEqual(want.risk.slice(0, service.listLimit).map((l) => l.Id));
    expect(risk.answer.risk?.total).toBe(want.risk.length);
    expect(risk.answer.risk?.siteLicensesExcluded).toBe(want.sites);
    expect(risk.calls).toBe(2);
  });
});

describe('seats bought spanning more values than one query spells', () => {
  test('up to 2,000 candidates: one page of them, filtered here, exact, in two calls', async () => {
    const data = atScale(1_500, { maxSeats: 5_000 });
    const service = await serviceFor(data);
    const want = expected(data, SETTINGS);
    const over = await readList(service, 'over');
    expect(over.answer.over?.total).toBe(want.over.length);
    expect(ids(over.answer.over?.licenses)).toEqual(want.over.slice(0, service.listLimit).map((l) => l.Id));
    expect(over.answer.over?.partial).toBeUndefined();
    expect(over.calls).toBe(2);
    const risk = await readList(service, 'risk');
    expect(risk.answer.risk?.total).toBe(want.risk.length);
    expect(risk.answer.risk?.siteLicensesExcluded).toBe(want.sites);
    expect(risk.answer.risk?.partial).toBeUndefined();
    expect(risk.calls).toBe(2);
  });

  test('more: the list says it is partial and why, counts at least what it read, and still costs two calls', async () => {
    const data = atScale(12_000, { maxSeats: 5_000, renewingShare: 0.9 });
    const service = await serviceFor(data);
    const want = expected(data, SETTINGS);
    const overIds = new Set(want.over.map((l) => l.Id));
    const riskIds = new Set(want.risk.map((l) => l.Id));

    const over = await readList(service, 'over');
    expect(over.calls).toBe(2);
    expect(over.answer.over?.partial).toEqual({
      why: expect.stringContaining('more values than the 150 one query can compare'),
      atLeast: true,
    });
    expect(over.answer.over?.licenses.every((l) => overIds.has(l.id))).toBe(true);
    expect(over.answer.over?.total).toBeLessThanOrEqual(want.over.length);

    const risk = await readList(service, 'risk');
    expect(risk.calls).toBe(2);
    expect(risk.answer.risk?.partial).toEqual({
      why: expect.stringContaining('counted among the 2,000 soonest'),
      atLeast: true,
    });
    // Soonest first: the rows shown are still the first at risk.
    expect(ids(risk.answer.risk?.licenses)).toEqual(want.risk.slice(0, service.listLimit).map((l) => l.Id));
    expect(risk.answer.risk?.licenses.every((l) => riskIds.has(l.id))).toBe(true);
    expect(risk.answer.risk?.total).toBeLessThanOrEqual(want.risk.length);
    expect(risk.answer.risk?.siteLicensesExcluded).toBeLessThanOrEqual(want.sites);
  });

  test('a few seat values spread wide (5 to 500): partial the first time, exact from the values it read, two calls each', async () => {
    const data = atScale(12_000, { seatValues: [5, 10, 15, 25, 50, 100, 250, 500], renewingShare: 0.9 });
    const service = await serviceFor(data);
    const want = expected(data, SETTINGS);
    const first = await readList(service, 'over');
    expect(first.answer.over?.partial?.atLeast).toBe(true);
    expect(first.calls).toBe(2);
    const firstRisk = await readList(service, 'risk');
    expect(firstRisk.answer.risk?.partial?.atLeast).toBe(true);
    expect(firstRisk.calls).toBe(2);
    for (let i = 0; i < 2; i++) {
      const over = await readList(service, 'over');
      expect(over.answer.over?.total).toBe(want.over.length);
      expect(over.calls).toBe(2);
      if (!over.answer.over?.partial) {
        expect(ids(over.answer.over?.licenses)).toEqual(want.over.slice(0, service.listLimit).map((l) => l.Id));
      } else {
        // More than 2,000 over: the count is exact, the order the most over among the most used, and it says so.
        expect(over.answer.over.partial.atLeast).toBe(false);
        expect(want.over.length).toBeGreaterThan(2000);
      }
      const risk = await readList(service, 'risk');
      expect(risk.answer.risk?.partial).toBeUndefined();
      expect(ids(risk.answer.risk?.licenses)).toEqual(want.risk.slice(0, service.listLimit).map((l) => l.Id));
      expect(risk.answer.risk?.total).toBe(want.risk.length);
      expect(risk.answer.risk?.siteLicensesExcluded).toBe(want.sites);
      expect(risk.calls).toBe(2);
    }
  });
});
