import { describe, expect, it } from 'vitest';
import type { SObjectRecord } from '../../src/schema.js';
import { idsOf, licenses, packages } from './fixture.js';

const n = (i: string) => Number(i.slice(3, 15));
const ordered = (soql: string) => idsOf(soql).map(n);
const seats = (l: SObjectRecord) => l.sfLma__Seats__c as number | null;

describe('ORDER BY, LIMIT and OFFSET', () => {
  it('puts nulls first ascending and last descending by default', () => {
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY sfLma__Seats__c, Name')[0]).toBe(5);
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY sfLma__Seats__c DESC, Name').at(-1)).toBe(5);
  });

  it('honours NULLS FIRST / NULLS LAST either way', () => {
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY sfLma__Seats__c ASC NULLS LAST, Name').at(-1)).toBe(5);
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY sfLma__Seats__c DESC NULLS FIRST, Name')[0]).toBe(5);
  });

  it('sorts by several keys, like a plain sort', () => {
    const expected = [...licenses]
      .sort(
        (a, b) =>
          String(a.sfLma__Status__c).localeCompare(String(b.sfLma__Status__c)) ||
          (seats(b) ?? -Infinity) - (seats(a) ?? -Infinity),
      )
      .map((l) => n(l.Id));
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY sfLma__Status__c, sfLma__Seats__c DESC')).toEqual(
      expected,
    );
  });

  it('sorts by a parent path, case-insensitively for text', () => {
    const name = (l: SObjectRecord) => packages.find((p) => p.Id === l.sfLma__Package__c)!.Name as string;
    const expected = [...licenses].sort(
      (a, b) =>
        name(b).toLowerCase().localeCompare(name(a).toLowerCase()) || String(a.Name).localeCompare(String(b.Name)),
    );
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY sfLma__Package__r.Name DESC, Name')).toEqual(
      expected.map((l) => n(l.Id)),
    );
  });

  it('sorts datetimes given in different offsets chronologically', () => {
    expect(
      ordered(
        'SELECT Id FROM sfLma__License__c WHERE sfLma__Last_Modified__c != null ORDER BY sfLma__Last_Modified__c',
      ),
    ).toEqual([6, 4, 3, 2, 1, 7]);
  });

  it('applies OFFSET then LIMIT after sorting', () => {
    const all = ordered('SELECT Id FROM sfLma__License__c ORDER BY Name DESC');
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY Name DESC LIMIT 3')).toEqual(all.slice(0, 3));
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY Name DESC LIMIT 3 OFFSET 2')).toEqual(all.slice(2, 5));
    expect(ordered('SELECT Id FROM sfLma__License__c ORDER BY Name DESC OFFSET 8')).toEqual(all.slice(8));
  });
});
