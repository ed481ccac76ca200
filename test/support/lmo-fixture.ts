/**
 * A fixed LMO for end-to-end tests of the bot's answers, with "today" = 2026-06-15 (a Monday) in UTC.
 * Licenses sit on the boundaries the answers care about: expiring today, on day 30 and day 31, site,
 * perpetual (null and 1970-01-01), sandbox, over their seats; customers that share a name prefix;
 * Trial→Active history rows inside and outside a 30-day window.
 */
import type { OrgData, SObjectRecord } from '@lma-bot/lmo-emulator';
import { addDays } from '../../src/lma/dates.js';

export const TODAY = '2026-06-15';
/** 10:00 UTC on TODAY. */
export const NOW = new Date(`${TODAY}T10:00:00.000Z`);

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(12, '0')}AAA`;
const day = (offset: number) => addDays(TODAY, offset);

export const USERS = { ann: id('005', 1), bob: id('005', 2) };
export const PACKAGES = { invoicer: id('a0P', 1), scheduler: id('a0P', 2) };
export const ACCOUNTS = {
  acme: id('001', 1),
  acmeLabs: id('001', 2),
  globex: id('001', 3),
  hostile: id('001', 4),
  stark: id('001', 5),
};
export const LEADS = { initech: id('00Q', 1), umbrella: id('00Q', 2) };

interface LicenseSpec {
  n: number;
  status: string;
  expiration: string | null;
  account?: string;
  lead?: string;
  pkg?: string;
  seats?: number;
  used?: number;
  sandbox?: boolean;
  version?: string;
}

export const LICENSE = (n: number) => id('a0L', n);

const licenseSpecs: LicenseSpec[] = [
  // Acme: paid Invoicer expiring today (urgent), trial of Scheduler.
  { n: 1, status: 'Active', expiration: day(0), account: ACCOUNTS.acme, seats: 50, used: 45, version: '2.1.0' },
  {
    n: 2,
    status: 'Trial',
    expiration: day(10),
    account: ACCOUNTS.acme,
    pkg: PACKAGES.scheduler,
    seats: 10,
    used: 2,
    version: '1.0.0',
  },
  // Acme Labs shares the "Acme" prefix: "status acm" is ambiguous, "status Acme" is exact.
  { n: 3, status: 'Active', expiration: day(30), account: ACCOUNTS.acmeLabs, seats: 20, used: 25, version: '1.9.2' },
  // Globex: day 31 (just outside a 30-day window), a sandbox inside the window (excluded), a site license on day 5.
  { n: 4, status: 'Active', expiration: day(31), account: ACCOUNTS.globex, seats: 100, used: 80, version: '2.1.0' },
  {
    n: 5,
    status: 'Active',
    expiration: day(7),
    account: ACCOUNTS.globex,
    seats: -1,
    used: 300,
    sandbox: true,
    version: '2.1.0',
  },
  {
    n: 6,
    status: 'Active',
    expiration: day(5),
    account: ACCOUNTS.globex,
    pkg: PACKAGES.scheduler,
    seats: -1,
    used: 120,
    version: '1.2.0',
  },
  // Stark: perpetual (null) and legacy perpetual (1970-01-01): never up for renewal.
  { n: 7, status: 'Active', expiration: null, account: ACCOUNTS.stark, seats: 5, used: 5, version: '2.0.0' },
  {
    n: 8,
    status: 'Active',
    expiration: '1970-01-01',
    account: ACCOUNTS.stark,
    pkg: PACKAGES.scheduler,
    seats: 5,
    used: 1,
    version: '1.0.0',
  },
  // Initech: a lead on trial ending tomorrow; Umbrella: a trial that expired 3 days ago, never converted.
  { n: 9, status: 'Trial', expiration: day(1), lead: LEADS.initech, seats: 10, used: 3, version: '2.1.0' },
  { n: 10, status: 'Trial', expiration: day(-3), lead: LEADS.umbrella, seats: 10, used: 0, version: '2.0.0' },
  // A customer name built to break Slack formatting, paid, expiring in 20 days.
  { n: 11, status: 'Active', expiration: day(20), account: ACCOUNTS.hostile, seats: 3, used: 1, version: '2.1.0' },
  // Churned and blocked licenses are never renewals or trials.
  {
    n: 12,
    status: 'Uninstalled',
    expiration: day(15),
    account: ACCOUNTS.globex,
    pkg: PACKAGES.scheduler,
    seats: 10,
    used: 0,
    version: '1.0.0',
  },
  { n: 13, status: 'Suspended', expiration: day(12), account: ACCOUNTS.stark, seats: 10, used: 0, version: '2.1.0' },
];

/** One package version per package and version number the licenses are on, and Invoicer 2.2.0 to upgrade to. */
const packageVersions = [
  ...new Set([
    ...licenseSpecs.map((s) => `${s.pkg ?? PACKAGES.invoicer} ${s.version ?? '2.1.0'}`),
    `${PACKAGES.invoicer} 2.2.0`,
  ]),
].map((key) => key.split(' '));

/** The Id of a package's version of that number. */
export function PACKAGE_VERSION(pkg: string, number: string): string {
  const n = packageVersions.findIndex(([p, v]) => p === pkg && v === number);
  if (n < 0) throw new Error(`The fixture has no version ${number} of ${pkg}`);
  return id('a0V', n + 1);
}

/** What the LMA changes on an upgrade: the Package Version lookup (which field history tracks) and the number. */
export const upgradeTo = (pkg: string, number: string) => ({
  sfLma__Package_Version__c: PACKAGE_VERSION(pkg, number),
  sfLma__Version_Number__c: number,
});

/**
 * The licenses last changed after 2026-06-01, when their history rows say (an org stamps a license at each change): before
 * 10:00 on day -5, the earliest clock the change feed's tests start from, so that the baseline's watermark is behind them.
 */
const CHANGED: Record<number, string> = { 1: `${day(-5)}T09:00:00.000Z`, 13: `${day(-6)}T09:00:00.000Z` };

function licenseRecord(spec: LicenseSpec): SObjectRecord {
  return {
    Id: LICENSE(spec.n),
    Name: `L-${String(spec.n).padStart(5, '0')}`,
    CreatedDate: '2026-01-05T09:00:00.000Z',
    LastModifiedDate: CHANGED[spec.n] ?? '2026-06-01T09:00:00.000Z',
    sfLma__Status__c: spec.status,
    sfLma__Expiration__c: spec.expiration,
    sfLma__Seats__c: spec.seats ?? 10,
    sfLma__Used_Licenses__c: spec.used ?? 0,
    sfLma__Install_Date__c: '2026-01-05',
    sfLma__Subscriber_Org_ID__c: `00D${String(spec.n).padStart(12, '0')}XYZ`,
    sfLma__Subscriber_Org_Is_Sandbox__c: spec.sandbox ?? false,
    sfLma__Org_Instance__c: 'NA135',
    sfLma__Org_Type__c: 'Enterprise Edition',
    sfLma__Package__c: spec.pkg ?? PACKAGES.invoicer,
    sfLma__Package_Version__c: PACKAGE_VERSION(spec.pkg ?? PACKAGES.invoicer, spec.version ?? '2.1.0'),
    sfLma__Version_Number__c: spec.version ?? '2.1.0',
    sfLma__Account__c: spec.account ?? null,
    sfLma__Lead__c: spec.lead ?? null,
  };
}

const history = (
  n: number,
  license: number,
  createdDate: string,
  oldValue: string,
  newValue: string,
): SObjectRecord => ({
  Id: id('017', n),
  ParentId: LICENSE(license),
  Field: 'sfLma__Status__c',
  OldValue: oldValue,
  NewValue: newValue,
  DataType: 'Text',
  CreatedDate: createdDate,
});

/** A fresh copy each call, so tests may change records. */
export function lmoFixture(options: { withHistory?: boolean } = {}): OrgData {
  return {
    Organization: [{ Id: '00D000000000042EAA', Name: 'Fixture ISV' }],
    User: [
      { Id: USERS.ann, Name: 'Ann Owner', Username: 'ann@isv.example', Email: 'ann@isv.example', IsActive: true },
      { Id: USERS.bob, Name: 'Bob Seller', Username: 'bob@isv.example', Email: 'bob@isv.example', IsActive: true },
    ],
    sfLma__Package__c: [
      {
        Id: PACKAGES.invoicer,
        Name: 'Invoicer',
        sfLma__Package_ID__c: '033000000000001AAA',
        sfLma__Lead_Manager__c: USERS.ann,
      },
      {
        Id: PACKAGES.scheduler,
        Name: 'Scheduler Pro',
        sfLma__Package_ID__c: '033000000000002AAA',
        sfLma__Lead_Manager__c: USERS.ann,
      },
    ],
    Account: [
      { Id: ACCOUNTS.acme, Name: 'Acme Corporation', OwnerId: USERS.ann },
      { Id: ACCOUNTS.acmeLabs, Name: 'Acme Labs', OwnerId: USERS.bob },
      { Id: ACCOUNTS.globex, Name: 'Globex', OwnerId: USERS.bob },
      { Id: ACCOUNTS.hostile, Name: '<!channel> *Evil* <@U123> <http://evil.example|click>', OwnerId: USERS.ann },
      { Id: ACCOUNTS.stark, Name: 'Stark Industries', OwnerId: USERS.ann },
    ],
    Lead: [
      {
        Id: LEADS.initech,
        Name: 'Peter Gibbons',
        Company: 'Initech',
        LeadSource: 'Package Installation',
        OwnerId: USERS.ann,
        IsConverted: false,
      },
      {
        Id: LEADS.umbrella,
        Name: 'Alice Abernathy',
        Company: 'Umbrella Corporation',
        LeadSource: 'Package Installation',
        OwnerId: USERS.bob,
        IsConverted: false,
      },
    ],
    sfLma__Package_Version__c: packageVersions.map(([pkg, number], n) => ({
      Id: id('a0V', n + 1),
      Name: number,
      sfLma__Package__c: pkg,
      sfLma__Version_Number__c: number,
    })),
    sfLma__License__c: licenseSpecs.map(licenseRecord),
    ...(options.withHistory === false
      ? {}
      : {
          sfLma__License__History: [
            // Converted 5 and 29 days ago (inside 30 days), and 45 days ago (outside).
            history(1, 1, CHANGED[1], 'Trial', 'Active'),
            history(2, 3, `${day(-29)}T09:00:00.000Z`, 'Trial', 'Active'),
            history(3, 4, `${day(-45)}T09:00:00.000Z`, 'Trial', 'Active'),
            // Not a conversion: suspension.
            history(4, 13, CHANGED[13], 'Active', 'Suspended'),
          ],
        }),
  };
}
