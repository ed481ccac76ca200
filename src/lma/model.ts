/**
 * The domain as the bot sees it: typed licenses built from LMA records, and the status rules of the data model.
 * Each record type has the function that reads it; what its queries select follows from what the integration user may
 * read (src/lma/fields.ts).
 */
import { daysBetween } from './dates.js';

export type LicenseStatus = 'Trial' | 'Active' | 'Suspended' | 'Uninstalled';

/** Who the license belongs to: the converted account, else the lead's company. */
export interface Customer {
  name: string;
  kind: 'account' | 'lead' | 'unknown';
  /** Account or Lead id, for grouping and links. */
  id?: string;
  owner?: string;
}

export interface License {
  id: string;
  name: string;
  status: LicenseStatus;
  /** Last day of the license; null when it does not expire (null or the legacy 1970-01-01). */
  expiration: string | null;
  /** Seats bought; null when unknown. Site licenses have `siteLicense` set. */
  seats: number | null;
  siteLicense: boolean;
  usedSeats: number | null;
  installDate: string | null;
  orgId: string | null;
  isSandbox: boolean;
  instance: string | null;
  edition: string | null;
  version: string | null;
  packageId: string | null;
  packageName: string;
  customer: Customer;
  lastModified: string | null;
}

export const PERPETUAL_LEGACY_DATE = '1970-01-01';

/** Renewals this close (in days, today included) are marked urgent, in answers and in the digest. */
export const URGENT_DAYS = 7;

/** A license expiring from today to URGENT_DAYS from now. */
export function isUrgent(license: Pick<License, 'expiration'>, today: string): boolean {
  if (license.expiration === null) return false;
  const days = daysBetween(today, license.expiration);
  return days >= 0 && days <= URGENT_DAYS;
}

/** A license named in a list of changes: enough to show and link it. */
export interface LicenseRef {
  id: string;
  name: string;
  /** The customer's name (account, else lead company). */
  customer: string;
  packageName: string;
}

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const parent = (record: Raw, relationship: string): Raw | null => {
  const value = record[relationship];
  return value && typeof value === 'object' ? (value as Raw) : null;
};
const ownerName = (record: Raw | null): string | undefined => str(parent(record ?? {}, 'Owner')?.Name) ?? undefined;
const packageNameOf = (record: Raw): string => str(parent(record, 'sfLma__Package__r')?.Name) ?? 'Unknown package';
const nameOf = (record: Raw): string => str(record.Name) ?? String(record.Id);

export function customerOf(record: Raw): Customer {
  const account = parent(record, 'sfLma__Account__r');
  const lead = parent(record, 'sfLma__Lead__r');
  if (account && str(account.Name)) {
    return {
      name: str(account.Name)!,
      kind: 'account',
      id: str(record.sfLma__Account__c) ?? undefined,
      owner: ownerName(account),
    };
  }
  if (lead && str(lead.Company)) {
    return {
      name: str(lead.Company)!,
      kind: 'lead',
      id: str(record.sfLma__Lead__c) ?? undefined,
      owner: ownerName(lead),
    };
  }
  return { name: 'Unknown customer', kind: 'unknown' };
}

/** Maps a record selected with FieldAccess.licenseFields() to a License (fields left out read as unknown). */
export function toLicense(record: Raw): License {
  const expiration = str(record.sfLma__Expiration__c);
  const seats = num(record.sfLma__Seats__c);
  return {
    id: String(record.Id),
    name: nameOf(record),
    status: (str(record.sfLma__Status__c) ?? 'Active') as LicenseStatus,
    expiration: expiration === PERPETUAL_LEGACY_DATE ? null : expiration,
    seats: seats === -1 ? null : seats,
    siteLicense: seats === -1,
    usedSeats: num(record.sfLma__Used_Licenses__c),
    installDate: str(record.sfLma__Install_Date__c),
    orgId: str(record.sfLma__Subscriber_Org_ID__c),
    isSandbox: record.sfLma__Subscriber_Org_Is_Sandbox__c === true,
    instance: str(record.sfLma__Org_Instance__c),
    edition: str(record.sfLma__Org_Type__c),
    version: str(record.sfLma__Version_Number__c),
    packageId: str(record.sfLma__Package__c),
    packageName: packageNameOf(record),
    customer: customerOf(record),
    lastModified: str(record.LastModifiedDate),
  };
}

/** Maps a record selected with FieldAccess.refFields() to a LicenseRef. */
export function toLicenseRef(record: Raw): LicenseRef {
  return {
    id: String(record.Id),
    name: nameOf(record),
    customer: customerOf(record).name,
    packageName: packageNameOf(record),
  };
}

/** The license of a history row selected with ParentId and FieldAccess.historyParentFields(). */
export function historyLicenseRef(record: Raw): LicenseRef {
  return toLicenseRef({ ...(parent(record, 'Parent') ?? {}), Id: record.ParentId });
}

/** A per-seat license whose subscriber assigned more seats than were bought. */
export function isOverSeats(license: License): boolean {
  return (
    !license.siteLicense && license.seats !== null && license.usedSeats !== null && license.usedSeats > license.seats
  );
}

/** The seats of the per-seat licenses among these (site licenses are counted apart). */
export function sumSeats(licenses: License[]): number {
  return licenses.reduce((sum, l) => sum + (l.siteLicense ? 0 : (l.seats ?? 0)), 0);
}

/** A per-seat license using under `share` of the seats bought (at risk, when it renews soon). */
export function isLowUse(license: License, share: number): boolean {
  if (license.seats === null || license.seats <= 0) return false;
  // Compared in whole hundredths of a seat so that 0.3 × 10 is exactly 3.
  return Math.round((license.usedSeats ?? 0) * 100) < Math.round(share * license.seats * 100);
}

/** Seats used past those bought (negative when under): "over their seats" is sorted by it, most first. */
export const seatsOver = (license: License): number => (license.usedSeats ?? 0) - (license.seats ?? 0);

/** The three seat-health lists: over their seats (expansion), at risk (renewing, barely used), hot trials. */
export type HealthListName = 'over' | 'risk' | 'hot';

/** A grouping key for a customer: accounts and leads by id, else by name. */
export function customerKey(customer: Customer): string {
  return customer.id ?? `name:${customer.name.toLowerCase()}`;
}
