import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError, loadLmoData, loadOrgData, validateOrgData } from '../src/load-data.js';
import { buildSchema } from '../src/schema.js';

const schema = buildSchema({ lmaInstalled: true });
const EXAMPLE = new URL('../examples/lmo-data.example.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'lmo-data-'));

const PACKAGE_ID = 'a0P5g000001LuufEAC';
const LICENSE_ID = 'a0L5g000001LuugEAC';
const USER_ID = '0055g000001LuuhAAC';

/** A small valid dataset; each test breaks one thing. */
function validData(): Record<string, Record<string, unknown>[]> {
  return {
    User: [{ Id: USER_ID, Name: 'Morgan Blake', IsActive: true }],
    sfLma__Package__c: [{ Id: PACKAGE_ID, Name: 'Invoicer', sfLma__Lead_Manager__c: USER_ID }],
    sfLma__License__c: [
      {
        Id: LICENSE_ID,
        sfLma__Status__c: 'Active',
        sfLma__Expiration__c: '2027-01-15',
        sfLma__Seats__c: -1,
        sfLma__Package__c: PACKAGE_ID,
        CreatedDate: '2026-01-15T09:30:00Z',
      },
    ],
  };
}

function writeData(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** The DataFileError a dataset raises (fails the test if it loads). */
function problemsOf(content: unknown, name = 'data.json'): DataFileError {
  const file = writeData(name, content);
  try {
    loadOrgData(file, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error('expected the dataset to be rejected');
}

describe('loadOrgData', () => {
  it('loads the shipped example cleanly, with every status and the objects the README shows', () => {
    const data = loadOrgData(EXAMPLE, schema);
    const statuses = new Set(data.sfLma__License__c.map((l) => l.sfLma__Status__c));
    expect([...statuses].sort()).toEqual(['Active', 'Suspended', 'Trial', 'Uninstalled']);
    expect(data.sfLma__Package__c).toHaveLength(2);
    expect(data.sfLma__License__c.length).toBeGreaterThanOrEqual(10);
    expect(data.Lead.some((l) => l.LeadSource === 'Package Installation' && l.IsConverted === false)).toBe(true);
    expect(data.Account.length).toBeGreaterThan(0);
    expect(data.User.length).toBeGreaterThan(0);
    expect(
      data.sfLma__License__History.some(
        (h) => h.Field === 'sfLma__Status__c' && h.OldValue === 'Trial' && h.NewValue === 'Active',
      ),
    ).toBe(true);
    expect(data.sfLma__License__c.some((l) => l.sfLma__Seats__c === -1)).toBe(true);
    expect(data.sfLma__License__c.some((l) => l.sfLma__Expiration__c === null)).toBe(true);
    expect(data.sfLma__License__c.some((l) => l.sfLma__Subscriber_Org_Is_Sandbox__c === true)).toBe(true);
  });

  it('returns every schema object and canonical API names', () => {
    const file = writeData('casing.json', {
      user: [{ id: USER_ID, name: 'Morgan Blake' }],
    });
    const data = loadOrgData(file, schema);
    expect(Object.keys(data).sort()).toEqual(Object.keys(schema).sort());
    expect(data.User).toEqual([{ Id: USER_ID, Name: 'Morgan Blake' }]);
  });

  it('accepts nulls, omitted fields and datetimes in any ISO 8601 form', () => {
    const data = validData();
    data.sfLma__License__c[0].sfLma__Expiration__c = null;
    data.sfLma__License__c[0].LastModifiedDate = '2026-11-29T10:00:00.000+0000';
    data.sfLma__License__c[0].sfLma__Last_Modified__c = '2026-11-29T11:00:00+01:00';
    expect(loadOrgData(writeData('ok.json', data), schema).sfLma__License__c[0].sfLma__Expiration__c).toBeNull();
  });

  it('names the file and the JSON error position for a malformed file', () => {
    const error = problemsOf('{\n  "User": [\n    { "Id": "x", }\n  ]\n}\n', 'broken.json');
    expect(error.file).toMatch(/broken\.json$/);
    expect(error.message).toContain('broken.json');
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/line 3, column \d+/);
  });

  it('names a file that cannot be read', () => {
    expect(() => loadOrgData(join(dir, 'missing.json'), schema)).toThrow(/missing\.json[\s\S]*cannot read/);
  });

  it('rejects a top level that is not an object of arrays', () => {
    expect(problemsOf([1, 2]).problems[0]).toMatch(/a JSON object whose keys are sObject API names/);
    expect(problemsOf({ User: { Id: USER_ID } }).problems).toEqual([
      'User: must be an array of records, got {"Id":"0055g000001LuuhAAC"}',
    ]);
  });

  it('leaves out the records of an object the LMO does not serve, with a start-up note', () => {
    const loaded = loadLmoData(
      writeData('opportunity.json', { ...validData(), Opportunity: [{ Id: '006000000000001AAA' }] }),
      schema,
    );
    expect(loaded.data.sfLma__License__c).toHaveLength(1);
    expect(loaded.summary).toContain('1 Opportunity record left out: the embedded LMO serves no Opportunity');
  });

  it('keeps fields the schema does not know: custom ones typed by their values, standard ones as text', () => {
    const data = validData();
    Object.assign(data.sfLma__License__c[0], { ARR__c: 1200.5, Colour__c: 'blue', Region: 7 });
    const loaded = loadLmoData(writeData('unknown-field.json', data), schema);
    expect(loaded.data.sfLma__License__c[0]).toMatchObject({ ARR__c: 1200.5, Colour__c: 'blue', Region: '7' });
    expect(loaded.summary).toContain(
      'sfLma__License__c: 1 record; custom fields inferred: ARR__c (number), Colour__c (text); unknown standard fields kept as text: Region',
    );
  });

  it('names the record and the field for a bad date, datetime, number, checkbox or picklist value', () => {
    const data = validData();
    Object.assign(data.sfLma__License__c[0], {
      sfLma__Expiration__c: '2026-02-30',
      CreatedDate: '29/11/2026',
      sfLma__Seats__c: '10',
      sfLma__Subscriber_Org_Is_Sandbox__c: 'yes',
      sfLma__Status__c: 'Expired',
    });
    const where = `sfLma__License__c[0] (Id ${LICENSE_ID})`;
    expect(problemsOf(data).problems).toEqual([
      `${where}, field sfLma__Status__c: "Expired" is not one of 'Trial', 'Active', 'Suspended', 'Uninstalled'`,
      `${where}, field sfLma__Expiration__c: "2026-02-30" is not a date; use YYYY-MM-DD`,
      `${where}, field sfLma__Seats__c: "10" must be a number`,
      `${where}, field CreatedDate: "29/11/2026" is not an ISO 8601 datetime such as 2026-11-29T09:30:00Z`,
      `${where}, field sfLma__Subscriber_Org_Is_Sandbox__c: "yes" must be true or false`,
    ]);
  });

  it('names a lookup that points at no record, or at a record of another object', () => {
    const data = validData();
    data.sfLma__License__c[0].sfLma__Package__c = 'a0P5g000009999zEAC';
    data.sfLma__License__c[0].sfLma__Account__c = USER_ID;
    const where = `sfLma__License__c[0] (Id ${LICENSE_ID})`;
    expect(problemsOf(data).problems).toEqual([
      `${where}, field sfLma__Account__c: ${USER_ID} is a User record; it must be a Account`,
      `${where}, field sfLma__Package__c: no sfLma__Package__c with Id a0P5g000009999zEAC in the export`,
    ]);
  });

  it('checks lookups whatever the order of objects in the file', () => {
    const { sfLma__License__c, ...rest } = validData();
    expect(() => loadOrgData(writeData('order.json', { sfLma__License__c, ...rest }), schema)).not.toThrow();
  });

  it('names a duplicate Id, a missing Id and an Id with the wrong key prefix', () => {
    const data = validData();
    data.User.push({ Id: USER_ID, Name: 'Twin' }, { Name: 'Nobody' }, { Id: '001000000000001AAA', Name: 'Wrong' });
    expect(problemsOf(data).problems).toEqual([
      `User[1] (Id ${USER_ID}), field Id: duplicate Id, already used by User[0]`,
      'User[2], field Id: missing; every record needs its Id',
      'User[3] (Id 001000000000001AAA), field Id: must start with 005, the key prefix of User',
    ]);
  });

  it('reads a formula value back into the field it shows, and refuses one of the wrong type', () => {
    const data = validData();
    const license = data.sfLma__License__c[0];
    delete license.sfLma__Seats__c;
    delete license.sfLma__Status__c;
    Object.assign(license, {
      sfLma__Licensed_Seats__c: 'Site License',
      sfLma__License_Status__c: 'Active',
      sfLma__Org_Status_Formula__c: 'Active',
    });
    const loaded = loadOrgData(writeData('formula.json', data), schema).sfLma__License__c[0];
    expect(loaded).toMatchObject({ sfLma__Seats__c: -1, sfLma__Status__c: 'Active', sfLma__Org_Status__c: 'Active' });
    expect(loaded).not.toHaveProperty('sfLma__Licensed_Seats__c');
    license.sfLma__Is_Sandbox__c = 'yes';
    expect(problemsOf(data).problems).toEqual([
      `sfLma__License__c[0] (Id ${LICENSE_ID}), field sfLma__Is_Sandbox__c: "yes" must be true or false`,
    ]);
  });

  it('lists every problem, capping the message at 20 with a count of the rest', () => {
    const data = validData();
    for (let i = 0; i < 25; i++) data.User.push({ Id: USER_ID, Name: `Twin ${i}` });
    const error = problemsOf(data, 'many.json');
    expect(error.problems).toHaveLength(25);
    expect(error.message.split('\n')[0]).toBe(
      `LMO data file ${join(dir, 'many.json')} cannot be loaded (25 problems):`,
    );
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(20);
    expect(error.message).toMatch(/… and 5 more problems$/);
  });

  it('validates already-parsed data without a file on disk', () => {
    const raw = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as unknown;
    expect(validateOrgData(raw, schema, 'inline').sfLma__License__c.length).toBeGreaterThan(0);
    expect(() => validateOrgData('nope', schema, 'inline')).toThrow(/LMO data file inline cannot be loaded/);
  });
});
