import { describe, expect, it } from 'vitest';
import type { SObjectRecord } from '../../src/schema.js';
import { accounts, id, idsOf, leads, licenseIds, TODAY } from './fixture.js';

const str = (l: SObjectRecord, f: string) => (l[f] == null ? null : String(l[f]));
const num = (l: SObjectRecord, f: string) => l[f] as number | null;
const accountName = (l: SObjectRecord) => accounts.find((a) => a.Id === l.sfLma__Account__c)?.Name ?? null;
const ids = (soql: string) => idsOf(`SELECT Id FROM sfLma__License__c WHERE ${soql}`);

describe('WHERE compares like a plain filter over the same records', () => {
  const cases: [string, (l: SObjectRecord) => boolean][] = [
    ["sfLma__Status__c = 'Active'", (l) => l.sfLma__Status__c === 'Active'],
    ["sfLma__Status__c = 'active'", (l) => l.sfLma__Status__c === 'Active'],
    ["sfLma__Status__c != 'Active'", (l) => l.sfLma__Status__c !== 'Active'],
    ["sfLma__Status__c <> 'Active'", (l) => l.sfLma__Status__c !== 'Active'],
    ["sfLma__Status__c IN ('Trial', 'Suspended')", (l) => ['Trial', 'Suspended'].includes(str(l, 'sfLma__Status__c')!)],
    [
      "sfLma__Status__c NOT IN ('Trial', 'Suspended')",
      (l) => !['Trial', 'Suspended'].includes(str(l, 'sfLma__Status__c')!),
    ],
    ['sfLma__Seats__c = -1', (l) => l.sfLma__Seats__c === -1],
    ['sfLma__Seats__c > 5', (l) => num(l, 'sfLma__Seats__c') !== null && num(l, 'sfLma__Seats__c')! > 5],
    ['sfLma__Seats__c >= 5', (l) => num(l, 'sfLma__Seats__c') !== null && num(l, 'sfLma__Seats__c')! >= 5],
    ['sfLma__Seats__c < 5', (l) => num(l, 'sfLma__Seats__c') !== null && num(l, 'sfLma__Seats__c')! < 5],
    ['sfLma__Seats__c <= 5.0', (l) => num(l, 'sfLma__Seats__c') !== null && num(l, 'sfLma__Seats__c')! <= 5],
    ['sfLma__Seats__c != 5', (l) => l.sfLma__Seats__c !== 5],
    ['sfLma__Seats__c = null', (l) => l.sfLma__Seats__c == null],
    ['sfLma__Seats__c != null', (l) => l.sfLma__Seats__c != null],
    ['sfLma__Subscriber_Org_Is_Sandbox__c = true', (l) => l.sfLma__Subscriber_Org_Is_Sandbox__c === true],
    ['sfLma__Is_Sandbox__c = FALSE', (l) => l.sfLma__Subscriber_Org_Is_Sandbox__c !== true],
    [
      `sfLma__Expiration__c >= ${TODAY}`,
      (l) => str(l, 'sfLma__Expiration__c') !== null && str(l, 'sfLma__Expiration__c')! >= TODAY,
    ],
    [
      `sfLma__Expiration__c < ${TODAY}`,
      (l) => str(l, 'sfLma__Expiration__c') !== null && str(l, 'sfLma__Expiration__c')! < TODAY,
    ],
    ['sfLma__Expiration__c = 1970-01-01', (l) => l.sfLma__Expiration__c === '1970-01-01'],
    [
      'sfLma__Last_Modified__c >= 2026-03-10T15:00:00Z',
      (l) =>
        typeof l.sfLma__Last_Modified__c === 'string' &&
        Date.parse(l.sfLma__Last_Modified__c) >= Date.parse('2026-03-10T15:00:00Z'),
    ],
    [
      'sfLma__Last_Modified__c < 2026-03-11T00:00:00.000+0900',
      (l) =>
        typeof l.sfLma__Last_Modified__c === 'string' &&
        Date.parse(l.sfLma__Last_Modified__c) < Date.parse('2026-03-10T15:00:00Z'),
    ],
    ["sfLma__Account__r.Name = 'acme corp'", (l) => accountName(l) === 'Acme Corp'],
    ["sfLma__Account__r.Name != 'Acme Corp'", (l) => accountName(l) !== 'Acme Corp'],
    ['sfLma__Account__r.Owner.Name = null', (l) => accounts.find((a) => a.Id === l.sfLma__Account__c)?.OwnerId == null],
    ["sfLma__Package__r.Name LIKE 'alpha%'", (l) => l.sfLma__Package__c === id('a0P', 1)],
    [`sfLma__Package__c = '${id('a0P', 2).slice(0, 15)}'`, (l) => l.sfLma__Package__c === id('a0P', 2)],
    [`Id IN ('${id('a0L', 1)}', '${id('a0L', 3)}')`, (l) => [id('a0L', 1), id('a0L', 3)].includes(l.Id)],
    ["sfLma__Licensed_Seats__c = 'Site License'", (l) => l.sfLma__Seats__c === -1],
    [
      "sfLma__Expiration_Date__c = 'Does not expire'",
      (l) => l.sfLma__Expiration__c == null || l.sfLma__Expiration__c === '1970-01-01',
    ],
  ];
  it.each(cases)('%s', (where, keep) => {
    expect(ids(where)).toEqual(licenseIds(keep));
  });
});

describe('WHERE logic', () => {
  it('combines AND, OR, NOT and parentheses', () => {
    expect(ids("sfLma__Status__c = 'Active' AND (sfLma__Seats__c = -1 OR sfLma__Seats__c > 20)")).toEqual(
      licenseIds(
        (l) => l.sfLma__Status__c === 'Active' && (l.sfLma__Seats__c === -1 || (num(l, 'sfLma__Seats__c') ?? 0) > 20),
      ),
    );
    expect(ids("NOT (sfLma__Status__c = 'Active' OR sfLma__Status__c = 'Trial') AND sfLma__Seats__c != null")).toEqual(
      licenseIds((l) => !['Active', 'Trial'].includes(l.sfLma__Status__c as string) && l.sfLma__Seats__c != null),
    );
    expect(ids("(NOT sfLma__Status__c = 'Active') AND ((sfLma__Seats__c > 1))")).toEqual(
      licenseIds((l) => l.sfLma__Status__c !== 'Active' && (num(l, 'sfLma__Seats__c') ?? 0) > 1),
    );
  });

  it('treats NOT of a comparison with null as true (two-valued, like Salesforce)', () => {
    expect(ids('NOT sfLma__Seats__c > 5')).toEqual(licenseIds((l) => !((num(l, 'sfLma__Seats__c') ?? -Infinity) > 5)));
  });

  it('never lets a null field match < or > and lets it match NOT IN', () => {
    expect(ids('sfLma__Seats__c < 1000')).not.toContain(id('a0L', 5));
    expect(ids('sfLma__Seats__c > -1000')).not.toContain(id('a0L', 5));
    expect(ids("sfLma__Version_Number__c NOT IN ('1.0.0')")).toContain(id('a0L', 5));
    expect(ids("sfLma__Version_Number__c IN ('2.0.0', null)")).toEqual(
      licenseIds((l) => l.sfLma__Version_Number__c === '2.0.0' || l.sfLma__Version_Number__c == null),
    );
  });

  it('strips the FROM alias from field paths', () => {
    expect(idsOf("SELECT l.Id FROM sfLma__License__c l WHERE l.sfLma__Package__r.Name = 'Beta_Tools'")).toEqual(
      licenseIds((l) => l.sfLma__Package__c === id('a0P', 2)),
    );
  });

  it('supports Id IN (SELECT …) semi-joins', () => {
    expect(ids("Id IN (SELECT ParentId FROM sfLma__License__History WHERE Field = 'sfLma__Status__c')")).toEqual([
      id('a0L', 1),
      id('a0L', 4),
      id('a0L', 7),
    ]);
    expect(ids('Id NOT IN (SELECT ParentId FROM sfLma__License__History)')).toEqual(
      licenseIds((l) => ![1, 2, 4, 7].map((n) => id('a0L', n)).includes(l.Id)),
    );
  });
});

describe('LIKE and string escapes', () => {
  const companies = (where: string) =>
    idsOf(`SELECT Id FROM Lead WHERE ${where}`).map((i) => leads.find((l) => l.Id === i)!.Company);

  it('is case-insensitive with % and _ wildcards', () => {
    expect(companies("Company LIKE 'INI%'")).toEqual(['Initech']);
    expect(companies("Company LIKE '%e%'")).toEqual(['Initech', "O'Reilly \\ Sons"]);
    expect(companies("Company LIKE 'i_itech'")).toEqual(['Initech']);
    expect(companies("Company LIKE 'Initec'")).toEqual([]);
  });

  it('reads \\% and \\_ as literal characters', () => {
    expect(companies("Company LIKE '100\\% %'")).toEqual(['100% Natural_Foods']);
    expect(companies("Company LIKE '%l\\_f%'")).toEqual(['100% Natural_Foods']);
    expect(companies("Company LIKE '%\\_%'")).toEqual(['100% Natural_Foods']);
    expect(companies("Company LIKE '1\\%%'")).toEqual([]);
  });

  it("decodes \\' and \\\\ in string literals", () => {
    expect(companies("Company = 'o\\'reilly \\\\ sons'")).toEqual(["O'Reilly \\ Sons"]);
    expect(companies("Company LIKE 'O\\'R%'")).toEqual(["O'Reilly \\ Sons"]);
  });
});
