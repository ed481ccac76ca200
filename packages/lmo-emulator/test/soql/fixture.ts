/**
 * A small fixed LMO: three packages, licenses of all four statuses (perpetual, site, sandbox,
 * expired-trial cases), accounts, leads, users and history rows. "Now" is 2026-03-10T23:30Z,
 * which is already 2026-03-11 08:30 in Tokyo, so zone mistakes show up as wrong days.
 */
import { Org } from '../../src/org.js';
import type { SObjectRecord } from '../../src/schema.js';
import { buildSchema } from '../../src/schema.js';
import type { QueryOptions } from '../../src/soql/index.js';
import { executeSoql } from '../../src/soql/index.js';

export const id = (prefix: string, n: number): string => `${prefix}${String(n).padStart(12, '0')}AAA`;

export const NOW = new Date('2026-03-10T23:30:00Z');
export const TIMEZONE = 'Asia/Tokyo';
export const TODAY = '2026-03-11';
export const OPTIONS: QueryOptions = { now: NOW, timezone: TIMEZONE, apiVersion: '62.0' };

export const users: SObjectRecord[] = [
  { Id: id('005', 1), Name: 'Ada Owner', Username: 'ada@example.com', IsActive: true },
  { Id: id('005', 2), Name: 'Bo Manager', Username: 'bo@example.com', IsActive: true },
];

export const packages: SObjectRecord[] = [
  { Id: id('a0P', 1), Name: 'Alpha Pack', sfLma__Release_Date__c: '2024-05-01', sfLma__Lead_Manager__c: id('005', 2) },
  { Id: id('a0P', 2), Name: 'Beta_Tools', sfLma__Release_Date__c: '2025-01-15', sfLma__Lead_Manager__c: id('005', 1) },
  { Id: id('a0P', 3), Name: 'Gamma 100%', sfLma__Release_Date__c: null },
];

export const versions: SObjectRecord[] = [
  {
    Id: id('a0V', 1),
    Name: '1.0',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Version_Number__c: '1.0.0',
    sfLma__Sequence__c: 1,
  },
  {
    Id: id('a0V', 2),
    Name: '2.0',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Version_Number__c: '2.0.0',
    sfLma__Sequence__c: 2,
  },
  {
    Id: id('a0V', 3),
    Name: '1.0',
    sfLma__Package__c: id('a0P', 2),
    sfLma__Version_Number__c: '1.0.0',
    sfLma__Sequence__c: 1,
  },
];

export const accounts: SObjectRecord[] = [
  { Id: id('001', 1), Name: 'Acme Corp', OwnerId: id('005', 1) },
  { Id: id('001', 2), Name: 'Globex', OwnerId: null },
];

export const leads: SObjectRecord[] = [
  {
    Id: id('00Q', 1),
    Name: 'Ines Tall',
    Company: 'Initech',
    LeadSource: 'Package Installation',
    OwnerId: id('005', 2),
    IsConverted: false,
  },
  {
    Id: id('00Q', 2),
    Name: 'Oscar Reilly',
    Company: "O'Reilly \\ Sons",
    LeadSource: 'SFDC-IN|Alpha',
    OwnerId: id('005', 2),
    IsConverted: false,
  },
  {
    Id: id('00Q', 3),
    Name: 'Nat Ural',
    Company: '100% Natural_Foods',
    LeadSource: 'Package Installation',
    OwnerId: id('005', 1),
    IsConverted: false,
  },
];

const license = (n: number, fields: Record<string, unknown>): SObjectRecord => ({
  Id: id('a0L', n),
  Name: `L-${String(n).padStart(5, '0')}`,
  CreatedDate: '2025-06-01T00:00:00Z',
  sfLma__Subscriber_Org_Is_Sandbox__c: false,
  ...fields,
});

export const licenses: SObjectRecord[] = [
  license(1, {
    sfLma__Status__c: 'Active',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Package_Version__c: id('a0V', 2),
    sfLma__Expiration__c: '2026-03-11',
    sfLma__Seats__c: 10,
    sfLma__Used_Licenses__c: 12,
    sfLma__Account__c: id('001', 1),
    sfLma__Install_Date__c: '2025-01-05',
    sfLma__Org_Type__c: 'Enterprise Edition',
    // Exactly midnight of 2026-03-11 in Tokyo.
    sfLma__Last_Modified__c: '2026-03-10T15:00:00Z',
    sfLma__Version_Number__c: '2.0.0',
  }),
  license(2, {
    sfLma__Status__c: 'Trial',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Package_Version__c: id('a0V', 1),
    sfLma__Expiration__c: '2026-03-20',
    sfLma__Seats__c: -1,
    sfLma__Used_Licenses__c: 4,
    sfLma__Lead__c: id('00Q', 1),
    sfLma__Subscriber_Org_Is_Sandbox__c: true,
    sfLma__Org_Type__c: 'Developer Edition',
    // One millisecond before midnight of 2026-03-11 in Tokyo.
    sfLma__Last_Modified__c: '2026-03-10T14:59:59.999Z',
    sfLma__Version_Number__c: '1.0.0',
  }),
  license(3, {
    sfLma__Status__c: 'Trial',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Package_Version__c: id('a0V', 2),
    sfLma__Expiration__c: '2026-03-01',
    sfLma__Seats__c: 5,
    sfLma__Used_Licenses__c: 1,
    sfLma__Lead__c: id('00Q', 2),
    sfLma__Last_Modified__c: '2026-03-04T00:00:00+09:00',
    sfLma__Version_Number__c: '2.0.0',
  }),
  license(4, {
    sfLma__Status__c: 'Suspended',
    sfLma__Package__c: id('a0P', 2),
    sfLma__Package_Version__c: id('a0V', 3),
    sfLma__Expiration__c: '2026-12-31',
    sfLma__Seats__c: 20,
    sfLma__Used_Licenses__c: 3,
    sfLma__Account__c: id('001', 2),
    sfLma__Last_Modified__c: '2026-01-31T20:00:00Z',
    sfLma__Version_Number__c: '1.0.0',
  }),
  license(5, {
    sfLma__Status__c: 'Uninstalled',
    sfLma__Package__c: id('a0P', 2),
    sfLma__Package_Version__c: id('a0V', 3),
    sfLma__Expiration__c: null,
    sfLma__Seats__c: null,
    sfLma__Used_Licenses__c: 0,
    sfLma__Version_Number__c: null,
  }),
  license(6, {
    sfLma__Status__c: 'Active',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Package_Version__c: id('a0V', 1),
    sfLma__Expiration__c: '1970-01-01',
    sfLma__Seats__c: -1,
    sfLma__Used_Licenses__c: 40,
    sfLma__Account__c: id('001', 1),
    sfLma__Last_Modified__c: '2025-12-31T16:00:00Z',
    sfLma__Version_Number__c: '1.0.0',
  }),
  license(7, {
    sfLma__Status__c: 'Active',
    sfLma__Package__c: id('a0P', 2),
    sfLma__Package_Version__c: id('a0V', 3),
    sfLma__Expiration__c: '2026-04-10',
    sfLma__Seats__c: 50,
    sfLma__Used_Licenses__c: 50,
    sfLma__Account__c: id('001', 2),
    sfLma__Last_Modified__c: '2026-03-11T09:00:00+09:00',
    sfLma__Version_Number__c: '1.0.0',
  }),
  license(8, {
    sfLma__Status__c: 'Active',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Package_Version__c: id('a0V', 2),
    sfLma__Expiration__c: '2026-03-12',
    sfLma__Seats__c: 3,
    sfLma__Used_Licenses__c: 2,
    sfLma__Account__c: id('001', 1),
    sfLma__Version_Number__c: '2.0.0',
  }),
  license(9, {
    sfLma__Status__c: 'Trial',
    sfLma__Package__c: id('a0P', 2),
    sfLma__Package_Version__c: null,
    sfLma__Expiration__c: '2026-03-10',
    sfLma__Seats__c: 1,
    sfLma__Used_Licenses__c: 1,
    sfLma__Lead__c: id('00Q', 3),
    sfLma__Version_Number__c: '1.0.0',
  }),
  license(10, {
    sfLma__Status__c: 'Active',
    sfLma__Package__c: id('a0P', 1),
    sfLma__Package_Version__c: id('a0V', 2),
    sfLma__Expiration__c: '2026-06-30',
    sfLma__Seats__c: 100,
    sfLma__Used_Licenses__c: 7,
    sfLma__Org_Instance__c: 'NA135',
    sfLma__Version_Number__c: '2.0.0',
  }),
];

export const histories: SObjectRecord[] = [
  {
    Id: id('017', 1),
    ParentId: id('a0L', 7),
    Field: 'sfLma__Status__c',
    OldValue: 'Trial',
    NewValue: 'Active',
    CreatedDate: '2026-02-01T10:00:00Z',
  },
  {
    Id: id('017', 2),
    ParentId: id('a0L', 1),
    Field: 'sfLma__Status__c',
    OldValue: 'Trial',
    NewValue: 'Active',
    CreatedDate: '2026-03-09T10:00:00Z',
  },
  {
    Id: id('017', 3),
    ParentId: id('a0L', 4),
    Field: 'sfLma__Status__c',
    OldValue: 'Active',
    NewValue: 'Suspended',
    CreatedDate: '2026-03-05T10:00:00Z',
  },
  {
    Id: id('017', 4),
    ParentId: id('a0L', 1),
    Field: 'sfLma__Seats__c',
    OldValue: 5,
    NewValue: 10,
    CreatedDate: '2026-03-08T10:00:00Z',
  },
  {
    Id: id('017', 5),
    ParentId: id('a0L', 2),
    Field: 'created',
    OldValue: null,
    NewValue: null,
    CreatedDate: '2026-02-25T00:00:00Z',
  },
];

export function makeOrg(): Org {
  return new Org(buildSchema(), {
    User: users,
    sfLma__Package__c: packages,
    sfLma__Package_Version__c: versions,
    Account: accounts,
    Lead: leads,
    sfLma__License__c: licenses,
    sfLma__License__History: histories,
  });
}

export const org = makeOrg();

export const query = (soql: string, options: Partial<QueryOptions> = {}) =>
  executeSoql(org, soql, { ...OPTIONS, ...options });

/** The Ids a query returns, in order. */
export const idsOf = (soql: string, options: Partial<QueryOptions> = {}): string[] =>
  query(soql, options).records.map((r) => r.Id as string);

/** The Ids of fixture licenses a plain filter keeps, in fixture order. */
export const licenseIds = (keep: (l: SObjectRecord) => boolean): string[] => licenses.filter(keep).map((l) => l.Id);
