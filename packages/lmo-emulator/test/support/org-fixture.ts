/**
 * A tiny fixed LMO dataset for tests: two packages, three versions, six licenses (every status,
 * a site license, a sandbox, a perpetual one), the leads, accounts and users they point at.
 * `orgFixture()` returns a fresh copy, so a test may mutate it freely.
 */
import type { OrgData, SObjectRecord } from '../../src/schema.js';

/** An 18-character Salesforce-style Id: key prefix, a counter, a fixed suffix. */
export const fixtureId = (keyPrefix: string, n: number): string => `${keyPrefix}${String(n).padStart(12, '0')}AAA`;

export const FIXTURE_TODAY = '2026-03-15';
export const FIXTURE_NOW = new Date(`${FIXTURE_TODAY}T12:00:00.000Z`);

const CREATED = '2025-01-10T09:00:00.000+0000';

export const IDS = {
  org: fixtureId('00D', 1),
  owner: fixtureId('005', 1),
  packageInvoices: fixtureId('a0P', 1),
  packageTimesheets: fixtureId('a0P', 2),
  versionInvoices1: fixtureId('a0V', 1),
  versionInvoices2: fixtureId('a0V', 2),
  versionTimesheets1: fixtureId('a0V', 3),
  accountAcme: fixtureId('001', 1),
  accountGlobex: fixtureId('001', 2),
  leadInitech: fixtureId('00Q', 1),
  leadUmbrella: fixtureId('00Q', 2),
  license: (n: number) => fixtureId('a0L', n),
};

const license = (n: number, fields: Record<string, unknown>): SObjectRecord => ({
  Id: IDS.license(n),
  Name: `L-${String(n).padStart(5, '0')}`,
  CreatedDate: CREATED,
  LastModifiedDate: CREATED,
  CreatedById: IDS.owner,
  sfLma__Package__c: IDS.packageInvoices,
  sfLma__Package_Version__c: IDS.versionInvoices2,
  sfLma__Version_Number__c: '2.1.0',
  sfLma__Install_Date__c: '2025-01-10',
  sfLma__Subscriber_Org_Is_Sandbox__c: false,
  sfLma__Org_Instance__c: 'NA135',
  sfLma__Org_Type__c: 'Enterprise Edition',
  sfLma__Used_Licenses__c: 5,
  sfLma__Seats__c: 10,
  ...fields,
});

const FIXTURE: OrgData = {
  Organization: [
    { Id: IDS.org, Name: 'Fixture ISV', OrganizationType: 'Enterprise Edition', InstanceName: 'NA1', IsSandbox: false },
  ],
  User: [
    {
      Id: IDS.owner,
      Name: 'Olivia Owner',
      Username: 'olivia@isv.example.com',
      Email: 'olivia@isv.example.com',
      IsActive: true,
      CreatedDate: CREATED,
      LastModifiedDate: CREATED,
    },
  ],
  sfLma__Package__c: [
    {
      Id: IDS.packageInvoices,
      Name: 'Invoices',
      sfLma__Package_ID__c: '033000000000001AAA',
      sfLma__Latest_Version__c: '2.1.0',
    },
    {
      Id: IDS.packageTimesheets,
      Name: 'Timesheets',
      sfLma__Package_ID__c: '033000000000002AAA',
      sfLma__Latest_Version__c: '1.0.0',
    },
  ],
  sfLma__Package_Version__c: [
    {
      Id: IDS.versionInvoices1,
      Name: 'Invoices 1.0',
      sfLma__Package__c: IDS.packageInvoices,
      sfLma__Version_Number__c: '1.0.0',
    },
    {
      Id: IDS.versionInvoices2,
      Name: 'Invoices 2.1',
      sfLma__Package__c: IDS.packageInvoices,
      sfLma__Version_Number__c: '2.1.0',
    },
    {
      Id: IDS.versionTimesheets1,
      Name: 'Timesheets 1.0',
      sfLma__Package__c: IDS.packageTimesheets,
      sfLma__Version_Number__c: '1.0.0',
    },
  ],
  Account: [
    { Id: IDS.accountAcme, Name: 'Acme Corp', OwnerId: IDS.owner, CreatedDate: CREATED },
    { Id: IDS.accountGlobex, Name: 'Globex', OwnerId: IDS.owner, CreatedDate: CREATED },
  ],
  Lead: [
    {
      Id: IDS.leadInitech,
      Name: 'Ina Tech',
      LastName: 'Tech',
      Company: 'Initech',
      LeadSource: 'Package Installation',
      IsConverted: false,
      OwnerId: IDS.owner,
    },
    {
      Id: IDS.leadUmbrella,
      Name: 'Uma Brella',
      LastName: 'Brella',
      Company: 'Umbrella',
      LeadSource: 'Package Installation',
      IsConverted: false,
      OwnerId: IDS.owner,
    },
  ],
  sfLma__License__c: [
    license(1, { sfLma__Status__c: 'Active', sfLma__Account__c: IDS.accountAcme, sfLma__Expiration__c: '2026-04-01' }),
    license(2, {
      sfLma__Status__c: 'Active',
      sfLma__Account__c: IDS.accountGlobex,
      sfLma__Expiration__c: null,
      sfLma__Seats__c: -1,
    }),
    license(3, { sfLma__Status__c: 'Trial', sfLma__Lead__c: IDS.leadInitech, sfLma__Expiration__c: '2026-03-30' }),
    license(4, {
      sfLma__Status__c: 'Trial',
      sfLma__Lead__c: IDS.leadUmbrella,
      sfLma__Expiration__c: '2026-03-01',
      sfLma__Subscriber_Org_Is_Sandbox__c: true,
      sfLma__Package__c: IDS.packageTimesheets,
      sfLma__Package_Version__c: IDS.versionTimesheets1,
      sfLma__Version_Number__c: '1.0.0',
    }),
    license(5, {
      sfLma__Status__c: 'Suspended',
      sfLma__Account__c: IDS.accountAcme,
      sfLma__Expiration__c: '2026-12-31',
    }),
    license(6, {
      sfLma__Status__c: 'Uninstalled',
      sfLma__Account__c: IDS.accountGlobex,
      sfLma__Expiration__c: '1970-01-01',
    }),
  ],
  sfLma__License__History: [
    {
      Id: fixtureId('017', 1),
      ParentId: IDS.license(1),
      Field: 'sfLma__Status__c',
      OldValue: 'Trial',
      NewValue: 'Active',
      DataType: 'Text',
      CreatedDate: '2026-02-20T10:00:00.000+0000',
      CreatedById: IDS.owner,
    },
  ],
};

/** A fresh copy of the fixed dataset. */
export function orgFixture(): OrgData {
  return structuredClone(FIXTURE);
}

/** The fixed dataset plus `extra` Trial licenses (for paging tests). */
export function orgFixtureWithLicenses(extra: number): OrgData {
  const data = orgFixture();
  for (let i = 0; i < extra; i++) {
    data.sfLma__License__c.push(license(1000 + i, { sfLma__Status__c: 'Trial', sfLma__Expiration__c: '2026-05-01' }));
  }
  return data;
}
