import { describe, expect, it } from 'vitest';
import { dateInZone, dateLiteralRange, normalizeDateTime, startOfDateInZone } from '../../src/soql/dates.js';
import { id, idsOf, query } from './fixture.js';

const licensesWhere = (where: string, options = {}) =>
  idsOf(`SELECT Id FROM sfLma__License__c WHERE ${where}`, options).map((i) => Number(i.slice(3, 15)));

describe('date literals on a date field, evaluated in the org zone (today is 2026-03-11 in Tokyo)', () => {
  it.each([
    ['TODAY', [1]],
    ['YESTERDAY', [9]],
    ['TOMORROW', [8]],
    ['LAST_N_DAYS:1', [1, 9]],
    ['NEXT_N_DAYS:1', [8]],
    ['NEXT_N_DAYS:9', [2, 8]],
    ['THIS_WEEK', [1, 8, 9]],
    ['THIS_MONTH', [1, 2, 3, 8, 9]],
    ['LAST_MONTH', []],
    ['NEXT_MONTH', [7]],
    ['THIS_QUARTER', [1, 2, 3, 8, 9]],
    ['NEXT_QUARTER', [7, 10]],
    ['THIS_YEAR', [1, 2, 3, 4, 7, 8, 9, 10]],
    ['N_DAYS_AGO:10', [3]],
    ['NEXT_N_DAYS:0', []],
    ['LAST_N_DAYS:0', [1]],
  ])('sfLma__Expiration__c = %s', (literal, expected) => {
    expect(licensesWhere(`sfLma__Expiration__c = ${literal}`)).toEqual(expected);
  });

  it('compares < > <= >= != against the whole range', () => {
    expect(licensesWhere('sfLma__Expiration__c < TODAY')).toEqual([3, 6, 9]);
    expect(licensesWhere('sfLma__Expiration__c <= TODAY')).toEqual([1, 3, 6, 9]);
    expect(licensesWhere('sfLma__Expiration__c > THIS_WEEK')).toEqual([2, 4, 7, 10]);
    expect(licensesWhere('sfLma__Expiration__c >= THIS_WEEK')).toEqual([1, 2, 4, 7, 8, 9, 10]);
    expect(licensesWhere('sfLma__Expiration__c != TODAY')).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('depends on the zone: in UTC it is still 2026-03-10', () => {
    expect(licensesWhere('sfLma__Expiration__c = TODAY', { timezone: 'UTC' })).toEqual([9]);
  });
});

describe('date literals on a datetime field compare against the range instants in the zone', () => {
  it.each([
    ['TODAY', [1, 7]],
    ['YESTERDAY', [2]],
    ['LAST_N_DAYS:7', [1, 2, 3, 7]],
    ['THIS_MONTH', [1, 2, 3, 7]],
    // 2026-01-31T20:00Z is already February in Tokyo.
    ['LAST_MONTH', [4]],
    // 2025-12-31T16:00Z is already 2026 in Tokyo.
    ['THIS_YEAR', [1, 2, 3, 4, 6, 7]],
  ])('sfLma__Last_Modified__c = %s', (literal, expected) => {
    expect(licensesWhere(`sfLma__Last_Modified__c = ${literal}`)).toEqual(expected);
  });

  it('puts midnight exactly on the boundary', () => {
    expect(licensesWhere('sfLma__Last_Modified__c > YESTERDAY')).toEqual([1, 7]);
    expect(licensesWhere('sfLma__Last_Modified__c < TODAY')).toEqual([2, 3, 4, 6]);
  });

  it('filters history rows by CreatedDate', () => {
    const rows = query(
      "SELECT Id FROM sfLma__License__History WHERE Field = 'sfLma__Status__c' AND CreatedDate = LAST_N_DAYS:7",
    );
    expect(rows.records.map((r) => r.Id)).toEqual([id('017', 2), id('017', 3)]);
  });
});

describe('Salesforce ranges of each literal', () => {
  it('LAST_N_DAYS:n covers today and the n days before; NEXT_N_DAYS:n starts tomorrow', () => {
    expect(dateLiteralRange('LAST_N_DAYS:7', '2026-03-11')).toEqual({ from: '2026-03-04', until: '2026-03-12' });
    expect(dateLiteralRange('NEXT_N_DAYS:7', '2026-03-11')).toEqual({ from: '2026-03-12', until: '2026-03-19' });
    expect(dateLiteralRange('LAST_90_DAYS', '2026-03-11')).toEqual({ from: '2025-12-11', until: '2026-03-12' });
  });

  it('months, quarters, years and weeks (Sunday first) follow the calendar', () => {
    expect(dateLiteralRange('NEXT_MONTH', '2026-01-31')).toEqual({ from: '2026-02-01', until: '2026-03-01' });
    expect(dateLiteralRange('LAST_MONTH', '2026-01-15')).toEqual({ from: '2025-12-01', until: '2026-01-01' });
    expect(dateLiteralRange('THIS_QUARTER', '2026-11-30')).toEqual({ from: '2026-10-01', until: '2027-01-01' });
    expect(dateLiteralRange('THIS_YEAR', '2026-11-30')).toEqual({ from: '2026-01-01', until: '2027-01-01' });
    expect(dateLiteralRange('THIS_WEEK', '2026-03-08')).toEqual({ from: '2026-03-08', until: '2026-03-15' });
    expect(dateLiteralRange('LAST_N_WEEKS:2', '2026-03-11')).toEqual({ from: '2026-02-22', until: '2026-03-08' });
    expect(dateLiteralRange('LAST_N_MONTHS:2', '2026-03-11')).toEqual({ from: '2026-01-01', until: '2026-03-01' });
  });

  it('finds local midnight across a DST change (New York, 2026-03-08)', () => {
    expect(new Date(startOfDateInZone('2026-03-08', 'America/New_York')).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    expect(new Date(startOfDateInZone('2026-03-09', 'America/New_York')).toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    expect(dateInZone(Date.parse('2026-03-09T03:59:59Z'), 'America/New_York')).toBe('2026-03-08');
  });

  it('normalises any ISO 8601 datetime to Salesforce format', () => {
    expect(normalizeDateTime('2026-11-29T10:00:00+01:00')).toBe('2026-11-29T09:00:00.000+0000');
    expect(normalizeDateTime('2026-11-29T09:00:00')).toBe('2026-11-29T09:00:00.000+0000');
    expect(normalizeDateTime('nope')).toBeUndefined();
  });
});
