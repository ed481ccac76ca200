import { describe, expect, it } from 'vitest';
import type { SObjectRecord } from '../../src/schema.js';
import { licenses, packages, query } from './fixture.js';

const AGG = { type: 'AggregateResult' };
const countBy = (key: (l: SObjectRecord) => unknown) => {
  const counts = new Map<unknown, number>();
  for (const l of licenses) counts.set(key(l), (counts.get(key(l)) ?? 0) + 1);
  return counts;
};

describe('COUNT()', () => {
  it('gives totalSize and no records', () => {
    expect(query("SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Active'")).toEqual({
      totalSize: licenses.filter((l) => l.sfLma__Status__c === 'Active').length,
      records: [],
    });
  });
});

describe('aggregate functions', () => {
  it('without GROUP BY returns one row keyed expr0, expr1 … or by alias', () => {
    const seats = licenses.map((l) => l.sfLma__Seats__c).filter((s): s is number => typeof s === 'number');
    const result = query(
      'SELECT COUNT(Id), COUNT(sfLma__Seats__c), SUM(sfLma__Seats__c) total, AVG(sfLma__Seats__c), MIN(sfLma__Expiration__c), MAX(sfLma__Last_Modified__c), COUNT_DISTINCT(sfLma__Status__c) FROM sfLma__License__c',
    );
    expect(result).toEqual({
      totalSize: 1,
      records: [
        {
          attributes: AGG,
          expr0: licenses.length,
          expr1: seats.length,
          total: seats.reduce((a, b) => a + b, 0),
          expr2: seats.reduce((a, b) => a + b, 0) / seats.length,
          expr3: '1970-01-01',
          expr4: '2026-03-11T00:00:00.000+0000',
          expr5: 4,
        },
      ],
    });
  });

  it('over no rows still returns one row, with zero counts and null sums', () => {
    expect(query("SELECT COUNT(Id), SUM(sfLma__Seats__c) FROM sfLma__License__c WHERE Name = 'none'").records).toEqual([
      { attributes: AGG, expr0: 0, expr1: null },
    ]);
  });

  it('groups by a field, like a plain count', () => {
    const result = query(
      'SELECT sfLma__Status__c, COUNT(Id) n FROM sfLma__License__c GROUP BY sfLma__Status__c ORDER BY sfLma__Status__c',
    );
    const expected = [...countBy((l) => l.sfLma__Status__c)].sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(result.records).toEqual(expected.map(([status, n]) => ({ attributes: AGG, sfLma__Status__c: status, n })));
  });

  it('groups by a parent path, keyed by the last segment, ordered by an aggregate', () => {
    const result = query(
      'SELECT sfLma__Package__r.Name, COUNT(Id) FROM sfLma__License__c GROUP BY sfLma__Package__r.Name ORDER BY COUNT(Id) DESC',
    );
    const expected = [...countBy((l) => packages.find((p) => p.Id === l.sfLma__Package__c)!.Name)].sort(
      (a, b) => b[1] - a[1],
    );
    expect(result.records).toEqual(expected.map(([Name, expr0]) => ({ attributes: AGG, Name, expr0 })));
  });

  it('groups by several fields, nulls as their own group', () => {
    const result = query(
      'SELECT sfLma__Status__c, sfLma__Account__c, COUNT(Id) FROM sfLma__License__c GROUP BY sfLma__Status__c, sfLma__Account__c',
    );
    const expected = countBy((l) => `${l.sfLma__Status__c}|${l.sfLma__Account__c ?? null}`);
    expect(result.totalSize).toBe(expected.size);
    for (const r of result.records) expect(r.expr0).toBe(expected.get(`${r.sfLma__Status__c}|${r.sfLma__Account__c}`));
  });

  it('filters groups with HAVING', () => {
    const result = query(
      'SELECT sfLma__Status__c s, COUNT(Id) FROM sfLma__License__c GROUP BY sfLma__Status__c HAVING COUNT(Id) > 2',
    );
    const expected = [...countBy((l) => l.sfLma__Status__c)].filter(([, n]) => n > 2);
    expect(result.records).toEqual(expected.map(([s, n]) => ({ attributes: AGG, s, expr0: n })));
    expect(
      query(
        "SELECT sfLma__Status__c FROM sfLma__License__c GROUP BY sfLma__Status__c HAVING sfLma__Status__c LIKE 'T%'",
      ).records,
    ).toEqual([{ attributes: AGG, sfLma__Status__c: 'Trial' }]);
  });

  it('applies LIMIT and OFFSET to groups', () => {
    const all = query(
      'SELECT sfLma__Status__c FROM sfLma__License__c GROUP BY sfLma__Status__c ORDER BY sfLma__Status__c',
    ).records;
    expect(
      query(
        'SELECT sfLma__Status__c FROM sfLma__License__c GROUP BY sfLma__Status__c ORDER BY sfLma__Status__c LIMIT 2 OFFSET 1',
      ).records,
    ).toEqual(all.slice(1, 3));
  });
});
