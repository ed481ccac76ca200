import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src/demo-data.js';
import { Org } from '../../src/org.js';
import { buildSchema } from '../../src/schema.js';
import { executeSoql, type QueryOptions, RecordIndexes } from '../../src/soql/index.js';
import { RecordWriter } from '../../src/writes.js';

const TODAY = '2026-03-11';
const LICENSES = 10_000;
const data = generateDemoData({ today: TODAY, licenses: LICENSES });
const OPTIONS: QueryOptions = { now: new Date(`${TODAY}T12:00:00Z`), timezone: 'UTC', apiVersion: '62.0' };

function indexedOrg() {
  const org = new Org(buildSchema(), data);
  return { org, indexes: new RecordIndexes(org) };
}

const shared = indexedOrg();

/** The query's answer and the records it read, with the indexes and without. */
function bothWays(soql: string) {
  const { org, indexes } = shared;
  const run = (withIndexes: boolean) => {
    const examined = { rows: 0 };
    const result = executeSoql(org, soql, { ...OPTIONS, indexes: withIndexes ? indexes : undefined, examined });
    return { result, examined: examined.rows };
  };
  return { scan: run(false), indexed: run(true) };
}

const license = (where: string) =>
  `SELECT Id, sfLma__Status__c, sfLma__Expiration__c FROM sfLma__License__c WHERE ${where}`;

describe('indexed queries answer what a scan answers', () => {
  const someAccount = data.Account[7];
  const someLicense = data.sfLma__License__c[123];
  const cases = [
    license("sfLma__Status__c = 'trial'"),
    license("sfLma__Status__c IN ('Suspended', 'Uninstalled', 'Suspended')"),
    license(`sfLma__Expiration__c = ${TODAY}`),
    license('sfLma__Expiration__c = NEXT_N_DAYS:10'),
    license('sfLma__Expiration__c < TODAY AND sfLma__Expiration__c > LAST_N_DAYS:7'),
    license('sfLma__Expiration__c <= THIS_MONTH AND sfLma__Expiration__c >= THIS_MONTH'),
    license(`sfLma__Expiration__c > ${TODAY} AND sfLma__Expiration__c <= 2026-03-20 ORDER BY sfLma__Expiration__c, Id`),
    license("sfLma__Status__c = 'Trial' AND sfLma__Expiration__c >= 2026-03-01 ORDER BY sfLma__Expiration__c LIMIT 20"),
    license("sfLma__Status__c = 'Active' OR sfLma__Expiration__c = TODAY"),
    license("sfLma__Status__c = 'Active' OR sfLma__Seats__c = 3"),
    license("NOT sfLma__Status__c = 'Active'"),
    license("sfLma__Status__c = null OR sfLma__Status__c = 'Trial'"),
    license(`Id = '${someLicense.Id.slice(0, 15)}'`),
    license(`sfLma__Account__r.OwnerId = '${someAccount.OwnerId}'`),
    license(`sfLma__Account__r.Name LIKE '%${String(someAccount.Name).slice(0, 6).toLowerCase()}%'`),
    license(`sfLma__Account__c = '${someAccount.Id}' OR sfLma__Lead__r.Company LIKE '%oak%'`),
    license(`SystemModstamp >= ${'2026-03-04T00:00:00Z'} ORDER BY SystemModstamp, Id`),
    license('CreatedDate = LAST_N_DAYS:3'),
    "SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial' AND sfLma__Expiration__c < TODAY",
    'SELECT sfLma__Status__c, COUNT(Id) n FROM sfLma__License__c WHERE sfLma__Expiration__c = NEXT_N_DAYS:30 GROUP BY sfLma__Status__c',
    "SELECT ParentId, CreatedDate FROM sfLma__License__History WHERE Field = 'sfLma__Status__c' AND CreatedDate = LAST_N_DAYS:30 ORDER BY CreatedDate DESC",
    "SELECT Id FROM sfLma__License__History WHERE Parent.sfLma__Status__c = 'Suspended' AND Parent.sfLma__Account__r.OwnerId != null",
  ];

  const answered = new Set<string>();
  it.each(cases)('%s', (soql) => {
    const { scan, indexed } = bothWays(soql);
    expect(indexed.result).toEqual(scan.result);
    expect(indexed.examined).toBeLessThanOrEqual(scan.examined);
    if (scan.result.totalSize > 0) answered.add(soql);
  });

  it('answers most of those cases with rows, so the equality says something', () => {
    expect(answered.size).toBeGreaterThanOrEqual(cases.length - 2);
  });
});

describe('a selective query reads few records', () => {
  it('reads the smallest index bucket of an AND, not the whole object', () => {
    const soql = license(`sfLma__Status__c = 'Trial' AND sfLma__Expiration__c = ${TODAY}`);
    const { scan, indexed } = bothWays(soql);
    const expiringToday = data.sfLma__License__c.filter((l) => l.sfLma__Expiration__c === TODAY).length;
    expect(scan.examined).toBe(LICENSES);
    expect(indexed.examined).toBe(expiringToday);
    expect(indexed.examined).toBeLessThan(LICENSES / 100);
  });

  it('reads the parent object, then only the children of the parents that match, for a relationship filter', () => {
    const account = data.Account[3];
    const { indexed } = bothWays(license(`sfLma__Account__r.Name LIKE '%${account.Name}%'`));
    const accountLicenses = data.sfLma__License__c.filter((l) => l.sfLma__Account__c === account.Id).length;
    expect(indexed.examined).toBeGreaterThanOrEqual(data.Account.length + accountLicenses);
    expect(indexed.examined).toBeLessThan(data.Account.length + LICENSES / 20);
  });

  it('reads everything when the clause gives no index a say', () => {
    const { indexed } = bothWays(license("sfLma__Status__c != 'Active' OR sfLma__Seats__c > 3"));
    expect(indexed.examined).toBe(LICENSES);
  });
});

describe('indexes follow the records', () => {
  it('sees a write made after the index was built', () => {
    const { org, indexes } = indexedOrg();
    const writer = new RecordWriter(org, () => OPTIONS.now, '005000000000001AAA');
    const soql = "SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Suspended'";
    const count = () => executeSoql(org, soql, { ...OPTIONS, indexes }).totalSize;
    const before = count();
    const active = org.records('sfLma__License__c').find((l) => l.sfLma__Status__c === 'Active')!;
    writer.update('sfLma__License__c', active.Id, { sfLma__Status__c: 'Suspended' });
    expect(count()).toBe(before + 1);
    org.remove(active.Id);
    expect(count()).toBe(before);
  });
});
