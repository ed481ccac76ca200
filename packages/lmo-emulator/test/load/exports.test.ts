import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError, loadLmoData } from '../../src/load-data.js';
import { Org } from '../../src/org.js';
import { buildSchema } from '../../src/schema.js';
import { extendSchema } from '../../src/schema-from-data.js';
import { executeSoql } from '../../src/soql/index.js';

/** The same small LMO as each tool writes it (the repository's test/fixtures/exports). */
const EXPORTS = new URL('../../../../test/fixtures/exports/', import.meta.url).pathname;
const FORMS = ['lmo-data.json', 'query', 'tree', 'csv'] as const;
const schema = buildSchema({ lmaInstalled: true });
const scratch = mkdtempSync(join(tmpdir(), 'lmo-exports-'));

const load = (path: string) => loadLmoData(path, schema);

function refused(path: string): DataFileError {
  try {
    load(path);
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return error as DataFileError;
  }
  throw new Error(`expected ${path} to be refused`);
}

/** A folder holding a copy of one committed form, to break one thing in. */
function copyOf(form: string): string {
  const dir = mkdtempSync(join(scratch, `${form}-`));
  cpSync(join(EXPORTS, form), dir, { recursive: true });
  return dir;
}

/** Answers a query as the org loaded from `path` would, with Ids masked (tree exports carry none, so they are minted). */
function answer(path: string, soql: string): unknown[] {
  const { data } = load(path);
  const org = new Org(extendSchema(schema, data).schema, data);
  const { records } = executeSoql(org, soql, {
    now: new Date('2026-06-15T10:00:00Z'),
    timezone: 'UTC',
    apiVersion: '62.0',
  });
  return JSON.parse(
    JSON.stringify(records)
      .replace(/"[a-zA-Z0-9]{18}"/g, '"<id>"')
      .replace(/\/[a-zA-Z0-9]{18}"/g, '/<id>"'),
  );
}

const LICENSES_SOQL =
  'SELECT Name, sfLma__Status__c, sfLma__Expiration__c, sfLma__Seats__c, sfLma__Used_Licenses__c, ' +
  'sfLma__Subscriber_Org_Is_Sandbox__c, sfLma__Is_Sandbox__c, sfLma__Licensed_Seats__c, sfLma__Org_Status__c, ' +
  'sfLma__Package__r.Name, sfLma__Account__r.Name, sfLma__Account__r.Owner.Name, sfLma__Lead__r.Company, ' +
  'ARR__c, Uninstall_Date__c, Suspend_Account__c, SystemModstamp, IsDeleted FROM sfLma__License__c ORDER BY Name';
const HISTORY_SOQL =
  'SELECT Parent.Name, Field, OldValue, NewValue, CreatedDate FROM sfLma__License__History ORDER BY CreatedDate, Field';

describe('the four export forms of one LMO', () => {
  it.each(FORMS)('%s loads, with a start-up line per object and the custom fields it inferred', (form) => {
    const { data, summary } = load(join(EXPORTS, form));
    expect(data.sfLma__License__c).toHaveLength(11);
    expect(data.sfLma__License__History).toHaveLength(6);
    expect(summary).toContainEqual(
      expect.stringMatching(
        /^sfLma__License__c: 11 records; custom fields inferred: (?=.*ARR__c \(number\))(?=.*Uninstall_Date__c \(date\))(?=.*Suspend_Account__c \(checkbox\))/,
      ),
    );
    // Contacts were not exported: their lookups stay as Ids, and say so once.
    expect(summary).toContain(
      'sfLma__License__c.sfLma__Contact__c: 8 lookups to Contact records the export does not hold, kept as bare Ids (sfLma__Contact__r reads null)',
    );
  });

  it('gives the same answers whichever form it came in', () => {
    const [first, ...others] = FORMS.map((form) => join(EXPORTS, form));
    const licenses = answer(first, LICENSES_SOQL);
    expect(licenses).toHaveLength(11);
    expect(licenses[0]).toMatchObject({
      Name: 'L-00001',
      sfLma__Seats__c: 50,
      ARR__c: 12000,
      sfLma__Account__r: { Name: 'Acme Corporation', Owner: { Name: 'Priya Natarajan' } },
    });
    const history = answer(first, HISTORY_SOQL);
    for (const path of others) {
      expect(answer(path, LICENSES_SOQL)).toEqual(licenses);
      expect(answer(path, HISTORY_SOQL)).toEqual(history);
    }
  });

  it('types history values as their field: numbers for seats and custom number fields', () => {
    for (const form of FORMS) {
      const rows = load(join(EXPORTS, form)).data.sfLma__License__History;
      expect(rows.find((h) => h.Field === 'sfLma__Seats__c')).toMatchObject({ OldValue: 10, NewValue: 20 });
      expect(rows.find((h) => h.Field === 'ARR__c')).toMatchObject({ OldValue: 8000, NewValue: 12000 });
    }
  });

  it('makes the parents a query names (with the queue that owns a lead) from one query of licenses', () => {
    const { data, summary } = load(join(EXPORTS, 'query'));
    expect(data.Account.map((a) => a.Name).sort()).toEqual(['Acme Corporation', 'Globex', 'Initech']);
    expect(data.sfLma__Package__c.map((p) => p.Name).sort()).toEqual(['Invoicer', 'Scheduler Pro']);
    expect(summary).toContain('Account: 3 records (all made from the parents named in other records)');
    // A polymorphic owner comes back typed "Name"; its url says it is a queue (a Group), made from it.
    const pied = data.Lead.find((l) => l.Company === 'Pied Piper');
    expect(pied?.OwnerId).toMatch(/^00G/);
    expect(data.Group).toEqual([{ Id: pied?.OwnerId, Name: 'Trial Leads Queue' }]);
    expect(summary).toContain('Group: 1 record (all made from the parents named in other records)');
  });

  it('mints Ids with the object key prefix for a tree export, which carries none, and resolves its @Ref lookups', () => {
    const { data } = load(join(EXPORTS, 'tree', 'plan.json'));
    const license = data.sfLma__License__c[0];
    expect(license.Id).toMatch(/^a0L[a-zA-Z0-9]{15}$/);
    const pkg = data.sfLma__Package__c.find((p) => p.Id === license.sfLma__Package__c);
    expect(pkg?.Name).toBe('Invoicer');
  });
});

describe('leniency that real exports need', () => {
  it('turns 15-character Ids into 18, so lookups written either way meet', () => {
    const { data } = load(
      writeJson('ids15.json', {
        sfLma__Package__c: [{ Id: 'a0KHs0000000001', Name: 'Invoicer' }],
        sfLma__License__c: [{ Id: 'a0NHs0000000001', sfLma__Package__c: 'a0KHs0000000001MAA' }],
      }),
    );
    expect(data.sfLma__License__c[0]).toMatchObject({
      Id: 'a0NHs0000000001MAA',
      sfLma__Package__c: 'a0KHs0000000001MAA',
    });
  });

  it('keeps audit lookups to users the export does not hold, even when it holds other users', () => {
    const { data } = load(
      writeJson('audit.json', {
        User: [{ Id: '005Hs0000000002IAA', Name: 'Morgan Blake' }],
        Account: [
          { Id: '001Hs0000000001IAA', Name: 'Acme', OwnerId: '005Hs0000000002IAA', CreatedById: '005Hs00000000zzIAA' },
        ],
      }),
    );
    expect(data.Account[0].CreatedById).toBe('005Hs00000000zzIAA');
  });

  it('reads CSV as Data Loader writes it: upper-case headers, quoted multi-line values, a BOM, ISO datetimes', () => {
    const dir = mkdtempSync(join(scratch, 'dataloader-'));
    writeFileSync(
      join(dir, 'Account.csv'),
      '\uFEFF"ID","NAME","DESCRIPTION","NUMBEROFEMPLOYEES","CREATEDDATE","LASTMODIFIEDDATE"\r\n' +
        '"001Hs0000000001IAA","Acme","Line one\r\nline two","250","2026-05-01T09:00:00.000Z","2026-05-02T10:00:00.000+0000"\r\n',
    );
    const account = load(dir).data.Account[0];
    expect(account).toMatchObject({
      Name: 'Acme',
      Description: 'Line one\r\nline two',
      NumberOfEmployees: 250,
      CreatedDate: '2026-05-01T09:00:00.000Z',
    });
  });
});

describe('what is refused, naming the file, the line or record and the field', () => {
  it('a CSV value that contradicts its field, by line', () => {
    const dir = copyOf('csv');
    const file = join(dir, 'sfLma__License__c.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[3] = lines[3].replace('"-1","310"', '"ten","310"');
    writeFileSync(file, lines.join('\n'));
    expect(refused(dir).problems).toEqual([
      'sfLma__License__c.csv line 4 (Id a0NHs0000000003MAA), field sfLma__Seats__c: "ten" must be a number',
    ]);
  });

  it('a CSV line that is not CSV', () => {
    const dir = copyOf('csv');
    writeFileSync(join(dir, 'Account.csv'), '"Id","Name"\n"001Hs0000000001IAA","Ac"me"\n');
    expect(refused(dir).problems).toEqual([
      expect.stringMatching(/^Account\.csv line 2: not valid CSV: Invalid Closing Quote/),
    ]);
  });

  it('a lookup to a record missing from an object the export holds, with how many', () => {
    const dir = copyOf('tree');
    const file = join(dir, 'sfLma__Package__c.json');
    const packages = JSON.parse(readFileSync(file, 'utf8'));
    packages.records = packages.records.slice(1); // Invoicer goes
    writeFileSync(file, JSON.stringify(packages, null, 4));
    expect(refused(join(dir, 'plan.json')).problems).toEqual([
      expect.stringMatching(
        /^sfLma__Package_Version__c\.json records\[0\] \(Id a0V\w+\), field sfLma__Package__c: "@sfLma__Package__cRef1" names no record of the export \(no referenceId sfLma__Package__cRef1\) \(and 1 more/,
      ),
      expect.stringMatching(
        /^sfLma__License__c\.json records\[0\] \(Id a0L\w+\), field sfLma__Package__c: "@sfLma__Package__cRef1" names no record .* \(and 6 more sfLma__License__c records whose sfLma__Package__c names a missing sfLma__Package__c\)$/,
      ),
    ]);
  });

  it('a missing parent by Id, counted once per field', () => {
    const dir = copyOf('csv');
    writeFileSync(join(dir, 'sfLma__Package__c.csv'), '"Id","Name"\n"a0KHs0000000002MAA","Scheduler Pro"\n');
    expect(refused(dir).problems).toEqual([
      expect.stringMatching(
        /^sfLma__License__c\.csv line 2 \(Id a0NHs0000000001MAA\), field sfLma__Package__c: no sfLma__Package__c with Id a0KHs0000000001MAA in the export \(and 6 more sfLma__License__c records whose sfLma__Package__c names a missing sfLma__Package__c\)$/,
      ),
      expect.stringMatching(/^sfLma__Package_Version__c\.csv line 2 .*field sfLma__Package__c: no sfLma__Package__c/),
    ]);
  });

  it('a record without a type, and duplicate Ids across files', () => {
    const dir = mkdtempSync(join(scratch, 'dups-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ records: [{ Id: '001Hs0000000001IAA', Name: 'Acme' }] }));
    const account = { attributes: { type: 'Account' }, Id: '001Hs0000000002IAA', Name: 'Globex' };
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ records: [account] }));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ records: [account] }));
    expect(refused(dir).problems).toEqual([
      'a.json records[0]: a record without a type; each record needs "attributes": {"type": "<sObject>"}',
      'c.json records[0] (Id 001Hs0000000002IAA), field Id: duplicate Id, already used by b.json records[0]',
    ]);
  });

  it('the output of a CLI command that failed, and unparsable JSON, by file', () => {
    const dir = mkdtempSync(join(scratch, 'failed-'));
    writeFileSync(
      join(dir, 'licenses.json'),
      JSON.stringify({ status: 1, name: 'INVALID_TYPE', message: 'sObject type sfLma__License__c is not supported.' }),
    );
    writeFileSync(join(dir, 'broken.json'), '{"records": [');
    expect(refused(dir).problems).toEqual([
      expect.stringMatching(/^broken\.json: not valid JSON: /),
      'licenses.json the output of a Salesforce CLI command that failed (status 1): sObject type sfLma__License__c is not supported.',
    ]);
  });

  it('nothing is half-loaded: one bad file refuses the whole folder', () => {
    const dir = copyOf('query');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(
      join(dir, 'zz.json'),
      JSON.stringify({ sfLma__License__c: [{ Id: 'a0NHs0000000099MAA', sfLma__Seats__c: 'x' }] }),
    );
    const error = refused(dir);
    expect(error.message).toMatch(
      /^LMO data folder .* cannot be loaded \(1 problem\):\n {2}- zz\.json sfLma__License__c\[0\]/,
    );
  });
});

function writeJson(name: string, value: unknown): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}
