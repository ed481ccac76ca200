import { describe, expect, test } from 'vitest';
import {
  customerKey,
  customerOf,
  historyLicenseRef,
  isLowUse,
  isOverSeats,
  isUrgent,
  seatsOver,
  sumSeats,
  toLicense,
} from '../../src/lma/model.js';

const TODAY = '2026-06-15';

describe('isUrgent: expiring from today to 7 days from now', () => {
  test.each([
    ['2026-06-14', false],
    ['2026-06-15', true],
    ['2026-06-22', true],
    ['2026-06-23', false],
    [null, false],
  ] as const)('expiring %s → %s', (expiration, urgent) => {
    expect(isUrgent({ expiration }, TODAY)).toBe(urgent);
  });
});

describe('customerOf: the account, else the lead company, else unknown', () => {
  test('an account with its id and owner', () => {
    const record = { sfLma__Account__c: '001A', sfLma__Account__r: { Name: 'Acme', Owner: { Name: 'Dana' } } };
    expect(customerOf(record)).toEqual({ name: 'Acme', kind: 'account', id: '001A', owner: 'Dana' });
  });

  test('a lead when the account has no name; no owner read as undefined', () => {
    const record = { sfLma__Account__r: { Name: '' }, sfLma__Lead__c: '00QA', sfLma__Lead__r: { Company: 'Globex' } };
    expect(customerOf(record)).toEqual({ name: 'Globex', kind: 'lead', id: '00QA', owner: undefined });
  });

  test('neither: unknown, with no id', () => {
    expect(customerOf({ sfLma__Lead__r: { Company: '' } })).toEqual({ name: 'Unknown customer', kind: 'unknown' });
  });
});

describe('toLicense', () => {
  const record = {
    Id: 'a0L1',
    Name: 'L-1',
    sfLma__Status__c: 'Trial',
    sfLma__Expiration__c: '2026-07-01',
    sfLma__Seats__c: 10,
    sfLma__Used_Licenses__c: 12,
    sfLma__Install_Date__c: '2026-01-02',
    sfLma__Subscriber_Org_ID__c: '00D1',
    sfLma__Subscriber_Org_Is_Sandbox__c: true,
    sfLma__Org_Instance__c: 'NA1',
    sfLma__Org_Type__c: 'Enterprise Edition',
    sfLma__Version_Number__c: '1.2',
    sfLma__Package__c: '033A',
    sfLma__Package__r: { Name: 'Invoicer' },
    sfLma__Account__r: { Name: 'Acme' },
    LastModifiedDate: '2026-06-01T10:00:00.000+0000',
  };

  test('maps every field it reads', () => {
    expect(toLicense(record)).toEqual({
      id: 'a0L1',
      name: 'L-1',
      status: 'Trial',
      expiration: '2026-07-01',
      seats: 10,
      siteLicense: false,
      usedSeats: 12,
      installDate: '2026-01-02',
      orgId: '00D1',
      isSandbox: true,
      instance: 'NA1',
      edition: 'Enterprise Edition',
      version: '1.2',
      packageId: '033A',
      packageName: 'Invoicer',
      customer: { name: 'Acme', kind: 'account', id: undefined, owner: undefined },
      lastModified: '2026-06-01T10:00:00.000+0000',
    });
  });

  test('a site license (-1 seats) and the legacy perpetual date read as no seat count and no expiration', () => {
    const license = toLicense({ ...record, sfLma__Seats__c: -1, sfLma__Expiration__c: '1970-01-01' });
    expect(license).toMatchObject({ seats: null, siteLicense: true, expiration: null });
  });

  test('fields left out read as unknown: Active, the Id as name, no package, not a sandbox', () => {
    expect(toLicense({ Id: 'a0L2', sfLma__Subscriber_Org_Is_Sandbox__c: 'true' })).toMatchObject({
      name: 'a0L2',
      status: 'Active',
      seats: null,
      siteLicense: false,
      usedSeats: null,
      expiration: null,
      isSandbox: false,
      packageName: 'Unknown package',
      customer: { name: 'Unknown customer', kind: 'unknown' },
    });
  });
  test('values of the wrong type read as unknown: empty status, seats as text, a parent that is no record', () => {
    const license = toLicense({
      Id: 'a0L3',
      sfLma__Status__c: '',
      sfLma__Seats__c: '10',
      sfLma__Package__r: 'Invoicer',
    });
    expect(license).toMatchObject({ status: 'Active', seats: null, packageName: 'Unknown package' });
  });
});

describe('history rows', () => {
  const parent = { Name: 'L-9', sfLma__Package__r: { Name: 'Invoicer' }, sfLma__Lead__r: { Company: 'Globex' } };

  test('the license of a history row is its Parent, with ParentId as its id', () => {
    expect(historyLicenseRef({ ParentId: 'a0L9', Parent: parent })).toEqual({
      id: 'a0L9',
      name: 'L-9',
      customer: 'Globex',
      packageName: 'Invoicer',
    });
  });
});

describe('seats and grouping', () => {
  const license = toLicense({ Id: 'a0L1', sfLma__Seats__c: 10, sfLma__Used_Licenses__c: 10 });

  test('over its seats only when more are used than bought, never for a site license or unknown counts', () => {
    expect(isOverSeats(license)).toBe(false);
    expect(isOverSeats({ ...license, usedSeats: 11 })).toBe(true);
    expect(isOverSeats({ ...license, usedSeats: 11, siteLicense: true })).toBe(false);
    expect(isOverSeats({ ...license, usedSeats: null })).toBe(false);
    expect(isOverSeats({ ...license, seats: null, usedSeats: 11 })).toBe(false);
  });

  test('low use: under the share of seats bought, in whole hundredths of a seat; never for unknown, zero or site seats', () => {
    const seats = (bought: number | null, used: number | null) => ({ ...license, seats: bought, usedSeats: used });
    expect(isLowUse(seats(10, 2), 0.3)).toBe(true);
    expect(isLowUse(seats(10, 3), 0.3)).toBe(false);
    expect(isLowUse(seats(100, 29), 0.3)).toBe(true);
    expect(isLowUse(seats(10, null), 0.3)).toBe(true);
    expect(isLowUse(seats(null, 0), 0.3)).toBe(false);
    expect(isLowUse(seats(0, 0), 0.3)).toBe(false);
    expect(isLowUse(toLicense({ Id: 'a0L2', sfLma__Seats__c: -1, sfLma__Used_Licenses__c: 0 }), 0.3)).toBe(false);
  });

  test('seats over: used less bought, unknown counts as none; the seats of per-seat licenses add up, site licenses apart', () => {
    expect(seatsOver({ ...license, usedSeats: 12 })).toBe(2);
    expect(seatsOver({ ...license, usedSeats: null })).toBe(-10);
    expect(seatsOver({ ...license, seats: null, usedSeats: 5 })).toBe(5);
    const site = toLicense({ Id: 'a0L3', sfLma__Seats__c: -1 });
    expect(sumSeats([license, { ...license, seats: 5 }, site, { ...license, seats: null }])).toBe(15);
    expect(sumSeats([])).toBe(0);
  });

  test('customers group by id, else by their name in any case', () => {
    expect(customerKey({ name: 'Acme', kind: 'account', id: '001A' })).toBe('001A');
    expect(customerKey({ name: 'ACME Corp', kind: 'unknown' })).toBe('name:acme corp');
  });
});
