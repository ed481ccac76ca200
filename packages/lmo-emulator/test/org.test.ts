import { describe, expect, it } from 'vitest';
import { Org } from '../src/org.js';
import { buildSchema } from '../src/schema.js';

const schema = buildSchema();
const LICENSE_ID = 'a0L000000000001AAA';
const org = new Org(schema, {
  sflma__license__c: [
    {
      Id: LICENSE_ID,
      sfLma__Seats__c: -1,
      sfLma__Expiration__c: '2026-12-01T00:00:00Z',
      sfLma__Last_Modified__c: '2026-11-29T10:00:00+01:00',
      sfLma__Org_Instance__c: '',
    },
  ],
});

describe('Org', () => {
  it('finds records by object name in any case, [] for an object without data', () => {
    expect(org.records('SFLMA__LICENSE__C')).toHaveLength(1);
    expect(org.records('Lead')).toEqual([]);
  });

  it('finds a record by its 18- or 15-character Id', () => {
    expect(org.get(LICENSE_ID)?.objectName).toBe('sfLma__License__c');
    expect(org.get(LICENSE_ID.slice(0, 15))?.record.Id).toBe(LICENSE_ID);
    expect(org.get('a0L000000000009AAA')).toBeUndefined();
  });

  it('normalises datetimes, dates and empty strings as Salesforce stores them', () => {
    const [record] = org.records('sfLma__License__c');
    expect(record.sfLma__Last_Modified__c).toBe('2026-11-29T09:00:00.000+0000');
    expect(record.sfLma__Expiration__c).toBe('2026-12-01');
    expect(record.sfLma__Org_Instance__c).toBeNull();
  });

  it('computes formula fields and gives undefined for an unknown field', () => {
    const def = schema.sfLma__License__c;
    const [record] = org.records('sfLma__License__c');
    expect(org.value(def, record, 'sflma__licensed_seats__c')).toBe('Site License');
    expect(org.value(def, record, 'sfLma__Seats__c')).toBe(-1);
    expect(org.value(def, record, 'Nope')).toBeUndefined();
  });
});
