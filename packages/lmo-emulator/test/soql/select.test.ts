import { describe, expect, it } from 'vitest';
import { id, licenseIds, licenses, query } from './fixture.js';

const url = (type: string, recordId: string) => `/services/data/v62.0/sobjects/${type}/${recordId}`;

describe('records in Salesforce shape', () => {
  it('returns only the selected fields in the schema spelling, with attributes', () => {
    const result = query(`SELECT NAME, sflma__status__c FROM SFLMA__LICENSE__C WHERE Id = '${id('a0L', 1)}'`);
    expect(result).toEqual({
      totalSize: 1,
      records: [
        {
          attributes: { type: 'sfLma__License__c', url: url('sfLma__License__c', id('a0L', 1)) },
          Name: 'L-00001',
          sfLma__Status__c: 'Active',
        },
      ],
    });
  });

  it('nests parent paths of any depth and merges fields of the same parent', () => {
    const [record] = query(
      `SELECT Id, sfLma__Account__r.Name, sfLma__Account__r.Owner.Name, sfLma__Package__r.Name FROM sfLma__License__c WHERE Id = '${id('a0L', 1)}'`,
    ).records;
    expect(record).toEqual({
      attributes: { type: 'sfLma__License__c', url: url('sfLma__License__c', id('a0L', 1)) },
      Id: id('a0L', 1),
      sfLma__Account__r: {
        attributes: { type: 'Account', url: url('Account', id('001', 1)) },
        Name: 'Acme Corp',
        Owner: { attributes: { type: 'User', url: url('User', id('005', 1)) }, Name: 'Ada Owner' },
      },
      sfLma__Package__r: {
        attributes: { type: 'sfLma__Package__c', url: url('sfLma__Package__c', id('a0P', 1)) },
        Name: 'Alpha Pack',
      },
    });
  });

  it('gives a missing parent as null, at any depth', () => {
    const byId = Object.fromEntries(
      query('SELECT Id, sfLma__Account__r.Owner.Name, sfLma__Lead__r.Company FROM sfLma__License__c').records.map(
        (r) => [r.Id, r],
      ),
    );
    expect(byId[id('a0L', 5)].sfLma__Account__r).toBeNull();
    expect((byId[id('a0L', 4)].sfLma__Account__r as Record<string, unknown>).Owner).toBeNull();
    expect(byId[id('a0L', 1)].sfLma__Lead__r).toBeNull();
  });

  it('prints values with Salesforce types: dates, normalised datetimes, numbers, booleans, formulas', () => {
    const byId = Object.fromEntries(
      query(
        'SELECT Id, sfLma__Expiration__c, sfLma__Last_Modified__c, sfLma__Seats__c, sfLma__Is_Sandbox__c, sfLma__Licensed_Seats__c, sfLma__Expiration_Date__c FROM sfLma__License__c',
      ).records.map((r) => [r.Id, r]),
    );
    expect(byId[id('a0L', 3)]).toMatchObject({
      sfLma__Expiration__c: '2026-03-01',
      sfLma__Last_Modified__c: '2026-03-03T15:00:00.000+0000',
      sfLma__Seats__c: 5,
      sfLma__Is_Sandbox__c: false,
      sfLma__Licensed_Seats__c: '5',
    });
    expect(byId[id('a0L', 2)]).toMatchObject({ sfLma__Is_Sandbox__c: true, sfLma__Licensed_Seats__c: 'Site License' });
    expect(byId[id('a0L', 5)]).toMatchObject({
      sfLma__Expiration__c: null,
      sfLma__Expiration_Date__c: 'Does not expire',
    });
  });

  it('returns every record of an object without WHERE', () => {
    expect(query('SELECT Id FROM sfLma__License__c').records.map((r) => r.Id)).toEqual(licenseIds(() => true));
  });
});

describe('child sub-queries', () => {
  const soql =
    "SELECT Name, (SELECT Id, sfLma__Status__c FROM sfLma__Licenses__r WHERE sfLma__Status__c != 'Uninstalled' ORDER BY sfLma__Seats__c DESC LIMIT 3) FROM sfLma__Package__c ORDER BY Name";

  it('nests filtered, sorted, limited children per parent, like a plain filter', () => {
    const records = query(soql).records;
    expect(records.map((r) => r.Name)).toEqual(['Alpha Pack', 'Beta_Tools', 'Gamma 100%']);
    for (const record of records.slice(0, 2)) {
      const packageId = (record.attributes as { url: string }).url.split('/').pop();
      const expected = licenses
        .filter((l) => l.sfLma__Package__c === packageId && l.sfLma__Status__c !== 'Uninstalled')
        .sort((a, b) => (b.sfLma__Seats__c as number) - (a.sfLma__Seats__c as number))
        .slice(0, 3);
      const children = record.sfLma__Licenses__r as {
        totalSize: number;
        done: boolean;
        records: Record<string, unknown>[];
      };
      expect(children.totalSize).toBe(expected.length);
      expect(children.done).toBe(true);
      expect(children.records).toEqual(
        expected.map((l) => ({
          attributes: { type: 'sfLma__License__c', url: url('sfLma__License__c', l.Id) },
          Id: l.Id,
          sfLma__Status__c: l.sfLma__Status__c,
        })),
      );
    }
  });

  it('gives null for a parent without matching children', () => {
    expect(query(soql).records[2].sfLma__Licenses__r).toBeNull();
  });

  it('follows parent paths inside the sub-query and history relationships', () => {
    const [license] = query(
      `SELECT Id, (SELECT Field, OldValue, NewValue, Parent.Name FROM Histories ORDER BY CreatedDate) FROM sfLma__License__c WHERE Id = '${id('a0L', 1)}'`,
    ).records;
    const histories = (license.Histories as { records: Record<string, unknown>[] }).records;
    expect(histories.map((h) => [h.Field, h.OldValue, h.NewValue])).toEqual([
      ['sfLma__Seats__c', 5, 10],
      ['sfLma__Status__c', 'Trial', 'Active'],
    ]);
    expect((histories[0].Parent as Record<string, unknown>).Name).toBe('L-00001');
  });
});
