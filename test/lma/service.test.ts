/**
 * LmoService answers over real jsforce to the embedded LMO: the right rows, computed totals that equal a plain
 * filter over the data, and the number of Salesforce calls each answer costs.
 */

import type { OrgData } from '@lma-bot/lmo-emulator';
import { type EmulatorHandle, startEmulator } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test } from 'vitest';
import { embeddedAuth } from '../../src/app/local.js';
import { LmoClient } from '../../src/lma/client.js';
import { addDays } from '../../src/lma/dates.js';
import { connectToLmo } from '../../src/lma/salesforce.js';
import { LmoService } from '../../src/lma/service.js';
import { EXPECTED, healthFixture } from '../features/health/health-fixture.js';
import { ACCOUNTS, lmoFixture, NOW, TODAY } from '../support/lmo-fixture.js';

let emulator: EmulatorHandle;
afterEach(async () => emulator?.close());

async function serviceFor(data: OrgData) {
  emulator = await startEmulator({ data, clock: () => NOW });
  const client = new LmoClient(
    async () => (await connectToLmo(embeddedAuth(emulator), { apiVersion: '62.0', clock: () => NOW })).connection,
    {
      apiVersion: '62.0',
      timeoutMs: 5000,
      retries: 0,
    },
  );
  return { service: new LmoService({ client, timezone: 'UTC', clock: () => NOW }), client };
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

describe('renewals', () => {
  test('over 2,000 renewals: the first page is listed and an aggregate adds up the rest, in two calls', async () => {
    const data = withManyRenewals(4200);
    const { service, client } = await serviceFor(data);
    const answer = await service.renewals({ range: window(30) });
    const inWindow = data.sfLma__License__c.filter(
      (l) =>
        l.sfLma__Status__c === 'Active' &&
        !l.sfLma__Subscriber_Org_Is_Sandbox__c &&
        typeof l.sfLma__Expiration__c === 'string' &&
        l.sfLma__Expiration__c >= TODAY &&
        l.sfLma__Expiration__c <= addDays(TODAY, 30) &&
        l.sfLma__Expiration__c !== '1970-01-01',
    );
    const seats = inWindow.filter((l) => l.sfLma__Seats__c !== -1).reduce((s, l) => s + Number(l.sfLma__Seats__c), 0);
    expect(answer.total).toBe(inWindow.length);
    expect(answer.seats).toBe(seats);
    expect(answer.siteLicenses).toBe(inWindow.filter((l) => l.sfLma__Seats__c === -1).length);
    expect(answer.licenses).toHaveLength(service.listLimit);
    expect(client.calls).toBe(2);
  });

  test('a small window costs one call', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await service.renewals({ range: window(30) });
    expect(answer.total).toBe(4);
    expect(client.calls).toBe(1);
  });
});

describe('trials', () => {
  test('counts expired-unconverted and current trials from one page of a query sorted by expiration', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await service.trials({});
    expect(answer.trials.map((t) => t.customer.name)).toEqual(['Initech', 'Acme Corporation']);
    expect(answer.total).toBe(2);
    expect(answer.expiredUnconverted).toBe(1);
    expect(client.calls).toBe(1);
  });
});

describe('seats and versions', () => {
  test('over their seats: per-seat licenses whose used count passed what was bought, site licenses excluded', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const answer = await service.health({ lists: ['over'], renewalDays: 90, lowUse: 0.3 });
    expect(answer.over?.licenses.map((l) => l.customer.name)).toEqual(['Acme Labs']);
    expect(answer.risk).toBeUndefined();
    expect(client.calls).toBe(1);
  });

  test('seat health on its boundaries: used = bought, 30% exactly, day 90 and 91, site licenses; one call a list', async () => {
    const { service, client } = await serviceFor(healthFixture());
    const answer = await service.health({ renewalDays: 90, lowUse: 0.3 });
    const names = (list?: { licenses: { customer: { name: string } }[] }) => list?.licenses.map((l) => l.customer.name);
    expect(names(answer.over)).toEqual(EXPECTED.over);
    expect(names(answer.risk)).toEqual(EXPECTED.risk);
    expect(answer.risk?.siteLicensesExcluded).toBe(EXPECTED.siteLicensesExcluded);
    expect(names(answer.hot)).toEqual(EXPECTED.hot);
    expect(client.calls).toBe(3);
    // The thresholds are settings: a longer window and a higher bar take in day 91 and 30% exactly.
    const wider = await service.health({ lists: ['risk'], renewalDays: 91, lowUse: 0.31 });
    expect(names(wider.risk)).toEqual(['Thirty Percent Co', 'Twenty-Nine Co', 'Day Ninety Co', 'Day Ninety-One Co']);
  });

  test('who is on a version prefix, among active and trial installs', async () => {
    const { service } = await serviceFor(lmoFixture());
    const answer = await service.versionUsage({ versionPrefix: '1.', package: 'Invoicer' });
    expect(answer.licenses.map((l) => `${l.customer.name} ${l.version}`)).toEqual(['Acme Labs 1.9.2']);
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

  test('a name that matches nothing costs a second call for close names', async () => {
    const { service, client } = await serviceFor(lmoFixture());
    const none = await service.findCustomer('Stark Indutsries');
    expect(none).toMatchObject({ kind: 'none', suggestions: ['Stark Industries'] });
    expect(client.calls).toBe(2);
  });
});
