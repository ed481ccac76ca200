/**
 * Every SOQL query the bot sends, as builders of one string each: the fields come from what the integration user may
 * read (fields.ts), user text only through soql.ts's escaping helpers, dates as literals computed by the caller.
 * LmoService runs them; a test keeps SOQL out of every other folder (test/lma/soql-boundary.test.ts).
 */
import type { FieldAccess, LicensePart } from './fields.js';
import { PERPETUAL_LEGACY_DATE } from './model.js';
import {
  and,
  containsLiteral,
  dateLiteral,
  dateTimeLiteral,
  idLiteral,
  isSalesforceId,
  literal,
  startsWithLiteral,
} from './soql.js';

export { HISTORY_OBJECT, LICENSE_OBJECT, PACKAGE_OBJECT } from './fields.js';

const select = (fields: readonly string[]) => fields.join(', ');
const licenses = (access: FieldAccess, part?: LicensePart) =>
  `SELECT ${select(access.licenseFields(part))} FROM sfLma__License__c`;
const BY_EXPIRATION = 'ORDER BY sfLma__Expiration__c ASC, Id ASC';
/** ` LIMIT n`, or nothing: every row. */
const limitTo = (limit: number | undefined) => (limit === undefined ? '' : ` LIMIT ${limit}`);
/** Records by Id, as read from the LMO. */
const idIn = (ids: readonly string[]) => `Id IN (${ids.map(idLiteral).join(', ')})`;

/** Licenses of packages whose name contains `name` (none: every package). */
export function packageFilter(name: string | undefined, path = ''): string | undefined {
  return name ? `${path}sfLma__Package__r.Name LIKE ${containsLiteral(name)}` : undefined;
}

/**
 * Licenses of customers one Salesforce user owns (none: everyone's): the Account's owner for a converted customer,
 * the Lead's owner for one with no account yet (a trial from a lead).
 */
export function ownerFilter(ownerId: string | undefined): string | undefined {
  if (ownerId === undefined) return undefined;
  const owner = idLiteral(ownerId);
  return `sfLma__Account__r.OwnerId = ${owner} OR (sfLma__Account__c = null AND sfLma__Lead__r.OwnerId = ${owner})`;
}

/** The active Salesforce user with this email (two read, so a shared email is seen as no match, never a guess). */
export const activeUserByEmailQuery = (email: string) =>
  `SELECT Id, Name, Email FROM User WHERE IsActive = true AND Email = ${literal(email)} LIMIT 2`;

export const organizationQuery = () => 'SELECT Id, Name FROM Organization LIMIT 1';

export const packageNamesQuery = () => 'SELECT Name FROM sfLma__Package__c ORDER BY Name LIMIT 200';

/** How many records an object holds (the org check). */
export const countQuery = (object: 'sfLma__License__c' | 'sfLma__Package__c') => `SELECT COUNT() FROM ${object}`;

/** A customer's licenses: account name or lead company containing the term, or its subscriber org or license id. */
export function customerLicensesQuery(access: FieldAccess, term: string, packageName?: string): string {
  const matchers = customerMatchers(access, term);
  if (/^00D[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/.test(term) && access.shows('subscriber org')) {
    matchers.push(`sfLma__Subscriber_Org_ID__c LIKE ${startsWithLiteral(term.slice(0, 15))}`);
  } else if (isSalesforceId(term)) {
    matchers.push(`Id = ${idLiteral(term)}`);
  }
  // Nothing to match a name against: no license is that customer's.
  if (matchers.length === 0) matchers.push('Id = null');
  const newest = access.shows('install date') ? ', sfLma__Install_Date__c DESC' : '';
  return `${licenses(access)} WHERE ${and(matchers.join(' OR '), packageFilter(packageName))} ORDER BY sfLma__Package__r.Name ASC${newest} LIMIT 500`;
}

/** A customer's name matched against the account's name and the lead's company, as far as they can be read. */
function customerMatchers(access: FieldAccess, term: string): string[] {
  return [
    ...(access.shows('account') ? [`sfLma__Account__r.Name LIKE ${containsLiteral(term)}`] : []),
    ...(access.shows('lead') ? [`sfLma__Lead__r.Company LIKE ${containsLiteral(term)}`] : []),
  ];
}

/** Customer names containing any of the stems (suggestions for a name that matched nothing). */
export function customerNamesQuery(access: FieldAccess, stems: string[]): string | undefined {
  const matchers = stems.flatMap((s) => customerMatchers(access, s));
  const names = access.refFields().filter((f) => f.startsWith('sfLma__Account__r') || f.startsWith('sfLma__Lead__r'));
  if (matchers.length === 0) return undefined;
  return `SELECT ${select(names)} FROM sfLma__License__c WHERE ${matchers.join(' OR ')} LIMIT 500`;
}

/** The trials condition: status Trial, expiring from `from` (until `to`, when given). */
export function trialsWhere(o: { from: string; to?: string; packageName?: string; ownerId?: string }): string {
  return and(
    `sfLma__Status__c = 'Trial'`,
    `sfLma__Expiration__c >= ${dateLiteral(o.from)}`,
    o.to !== undefined && `sfLma__Expiration__c <= ${dateLiteral(o.to)}`,
    packageFilter(o.packageName),
    ownerFilter(o.ownerId),
  );
}

/** How many licenses match `where`. */
export const countWhereQuery = (where: string) => `SELECT COUNT() FROM sfLma__License__c WHERE ${where}`;

/** A license's place in the lists sorted by expiration, then Id: where a page starts after or ends before. */
export interface ExpirationKey {
  expiration: string;
  id: string;
}

/** One page of a list sorted by expiration: `size` rows after `after`, or the `size` rows before `before`. */
export interface PageQuery {
  size: number;
  after?: ExpirationKey;
  before?: ExpirationKey;
}

/**
 * One page of the licenses matching `where`, by keyset on (expiration, Id) rather than OFFSET (which Salesforce stops
 * at 2,000), so every page costs one call at any depth. A page before a key is read backwards (the caller turns it
 * round); one row more than the page says whether another page follows.
 */
export function expirationPageQuery(access: FieldAccess, where: string, page: PageQuery): string {
  const key = page.before ?? page.after;
  const [op, direction] = page.before ? ['<', 'DESC'] : ['>', 'ASC'];
  const keyset =
    key &&
    `sfLma__Expiration__c ${op} ${dateLiteral(key.expiration)} OR (sfLma__Expiration__c = ${dateLiteral(key.expiration)} AND Id ${op} ${idLiteral(key.id)})`;
  return `${licenses(access)} WHERE ${and(where, keyset)} ORDER BY sfLma__Expiration__c ${direction}, Id ${direction} LIMIT ${page.size + 1}`;
}

/** The renewals condition: paid, expiring in the range, neither perpetual nor a sandbox. */
export function renewalsWhere(
  access: FieldAccess,
  range: { from: string; to: string },
  packageName?: string,
  ownerId?: string,
): string {
  return and(
    `sfLma__Status__c = 'Active'`,
    `sfLma__Expiration__c >= ${dateLiteral(range.from)}`,
    `sfLma__Expiration__c <= ${dateLiteral(range.to)}`,
    `sfLma__Expiration__c != ${PERPETUAL_LEGACY_DATE}`,
    access.shows('sandbox') && `sfLma__Subscriber_Org_Is_Sandbox__c = false`,
    packageFilter(packageName),
    ownerFilter(ownerId),
  );
}

/** Every license matching `where`, soonest to expire first (then by Id, the keyset pages follow). */
export const expirationListQuery = (access: FieldAccess, where: string) =>
  `${licenses(access)} WHERE ${where} ${BY_EXPIRATION}`;

/** The count and seats of the per-seat licenses matching `where`. */
export const seatTotalsQuery = (where: string) =>
  `SELECT COUNT(Id) n, SUM(sfLma__Seats__c) seats FROM sfLma__License__c WHERE ${and(where, 'sfLma__Seats__c != -1')}`;

/** A status change's own fields, and with its license's (about four times the bytes a row). */
const STATUS_CHANGE = 'Id, ParentId, CreatedDate, OldValue, NewValue';
const withLicense = (access: FieldAccess) => `${STATUS_CHANGE}, ${select(access.historyParentFields())}`;

/** Status changes recorded in [from, until), newest first, with each license; the newest `limit` only, if given. */
export function statusHistoryQuery(
  access: FieldAccess,
  from: Date,
  until: Date,
  packageName?: string,
  limit?: number,
): string {
  return (
    `SELECT ${withLicense(access)} FROM sfLma__License__History ` +
    `WHERE ${statusChangesWhere(from, until, packageName)} ORDER BY CreatedDate DESC` +
    limitTo(limit)
  );
}

/** The same status changes, newest first, without their licenses: to count them and choose which to list. */
export function statusChangesQuery(from: Date, until: Date, packageName?: string): string {
  return (
    `SELECT ${STATUS_CHANGE} FROM sfLma__License__History ` +
    `WHERE ${statusChangesWhere(from, until, packageName)} ORDER BY CreatedDate DESC`
  );
}

/** Status changes by Id, with each license (those a list shows that a page of them lacked). */
export const statusChangesByIdQuery = (access: FieldAccess, ids: readonly string[]) =>
  `SELECT ${withLicense(access)} FROM sfLma__License__History WHERE ${idIn(ids)}`;

/** The same status changes with only what counting them per day needs: no license, no order. */
export function statusValuesQuery(from: Date, until: Date, packageName?: string): string {
  return `SELECT Id, CreatedDate, OldValue, NewValue FROM sfLma__License__History WHERE ${statusChangesWhere(from, until, packageName)}`;
}

function statusChangesWhere(from: Date, until: Date, packageName: string | undefined): string {
  return and(
    `Field = 'sfLma__Status__c'`,
    `CreatedDate >= ${dateTimeLiteral(from)}`,
    `CreatedDate < ${dateTimeLiteral(until)}`,
    packageFilter(packageName, 'Parent.'),
  );
}

/** How many trials expired in [from, to] without converting. */
export function expiredTrialsCountQuery(from: string, to: string, packageName?: string): string {
  return `SELECT COUNT() FROM sfLma__License__c WHERE ${and(
    `sfLma__Status__c = 'Trial'`,
    `sfLma__Expiration__c >= ${dateLiteral(from)}`,
    `sfLma__Expiration__c <= ${dateLiteral(to)}`,
    packageFilter(packageName),
  )}`;
}

/** Installed per-seat licenses with seats in use: the rows "over their seats" is chosen from. */
export function seatUsageWhere(packageName?: string, ownerId?: string): string {
  return and(
    `sfLma__Status__c IN ('Active', 'Trial')`,
    'sfLma__Seats__c > 0',
    'sfLma__Used_Licenses__c > 0',
    packageFilter(packageName),
    ownerFilter(ownerId),
  );
}

/** A site license (seats -1): a renewal the at-risk list counts as excluded. */
export const SITE_LICENSE = 'sfLma__Seats__c = -1';

/** Seat values a spelled comparison may name: each is a term of the query, which travels in a GET URL. */
export const SPELLED_SEATS_CAP = 150;

/** Used more seats than bought, spelled per seat value: `(Seats = 5 AND Used > 5) OR …`. */
export function overSeatsCondition(seats: readonly number[]): string {
  return `(${seats.map((s) => `(sfLma__Seats__c = ${s} AND sfLma__Used_Licenses__c > ${s})`).join(' OR ')})`;
}

/**
 * Seats used under `share` of those bought, spelled per seat value: used < the share of `s` in whole hundredths of a
 * seat (the bot's rule: 3 of 10 at 30% is not low), a license with no used count as using none. Equal to
 * comparing `round(used × 100) < round(share × seats × 100)` for used counts in whole hundredths (the LMA's are whole).
 */
export function lowUseCondition(seats: readonly number[], share: number): string {
  const threshold = (s: number) => Math.round(share * s * 100);
  const low = seats.filter((s) => threshold(s) > 0);
  if (low.length === 0) return 'Id = null';
  const terms = low.map((s) => `(sfLma__Seats__c = ${s} AND sfLma__Used_Licenses__c < ${threshold(s) / 100})`);
  // No used count is none used: low for every seat count whose threshold is above 0, from the first such one.
  let first = Math.max(1, Math.floor(0.005 / share) - 1);
  while (threshold(first) <= 0) first++;
  const none = `(sfLma__Used_Licenses__c = null AND sfLma__Seats__c >= ${first})`;
  return `(${none} OR ${terms.join(' OR ')})`;
}

/** Seats bought other than these (none given: any). */
export const otherSeatsCondition = (seats: readonly number[]) =>
  seats.length > 0 ? `sfLma__Seats__c NOT IN (${seats.join(', ')})` : undefined;

/**
 * The lowest and highest seats bought among the licenses matching `where`, and how many they are: one aggregate
 * (SOQL cannot group by a number field), which says which seat values a health list must spell out.
 */
export const seatRangeQuery = (where: string) =>
  `SELECT MIN(sfLma__Seats__c) lo, MAX(sfLma__Seats__c) hi, COUNT(Id) n FROM sfLma__License__c WHERE ${where}`;

/** Licenses matching `where`, most seats used first (then by Id): "over their seats" is the most over among them. */
export const byUsedSeatsQuery = (access: FieldAccess, where: string, part?: LicensePart) =>
  `${licenses(access, part)} WHERE ${where} ORDER BY sfLma__Used_Licenses__c DESC, Id ASC`;

/** These licenses (Ids as read from the LMO), in no order. */
export const licensesByIdQuery = (access: FieldAccess, ids: readonly string[]) =>
  `${licenses(access)} WHERE ${idIn(ids)}`;

/** The hot trials condition: trials on now (expiring from `today`) with at least one seat in use. */
export function hotTrialsWhere(today: string, packageName?: string, ownerId?: string): string {
  return and(
    `sfLma__Status__c = 'Trial'`,
    `sfLma__Expiration__c >= ${dateLiteral(today)}`,
    'sfLma__Used_Licenses__c > 0',
    packageFilter(packageName),
    ownerFilter(ownerId),
  );
}

/** Hot trials (`where`: hotTrialsWhere), most seats used first; the first `limit` of them when given. */
export const hotTrialsQuery = (access: FieldAccess, where: string, limit?: number) =>
  `${licenses(access)} WHERE ${where} ORDER BY sfLma__Used_Licenses__c DESC, sfLma__Expiration__c ASC, Id ASC${limitTo(limit)}`;

/**
 * The licenses one Salesforce user owns that "Your week" can show, in one read: installed (Active or Trial) and
 * expiring in the range (renewals, trials ending, at risk), or per-seat with seats in use (over their seats, at any
 * expiration; SOQL cannot compare used with bought), soonest first. The week's lists are filtered from it in code, from its first page (2,000): a rep's
 * book, not the org; past it the week says it is partial.
 */
export function ownerWeekQuery(access: FieldAccess, ownerId: string, range: { from: string; to: string }): string {
  const expiring = and(
    `sfLma__Expiration__c >= ${dateLiteral(range.from)}`,
    `sfLma__Expiration__c <= ${dateLiteral(range.to)}`,
  );
  return `${licenses(access)} WHERE ${and(
    `sfLma__Status__c IN ('Active', 'Trial')`,
    ownerFilter(ownerId),
    `(${expiring}) OR (${and('sfLma__Seats__c > 0', 'sfLma__Used_Licenses__c > 0')})`,
  )} ${BY_EXPIRATION}`;
}

/** The condition of a version's installs: installed licenses on versions starting with a prefix. */
export function versionUsageWhere(versionPrefix: string, packageName?: string): string {
  return and(
    `sfLma__Status__c IN ('Active', 'Trial')`,
    `sfLma__Version_Number__c LIKE ${startsWithLiteral(versionPrefix)}`,
    packageFilter(packageName),
  );
}

/** A version's installs (`where`: versionUsageWhere) by version, then Id; the first `limit` of them when given. */
export const versionUsageQuery = (access: FieldAccess, where: string, limit?: number) =>
  `${licenses(access)} WHERE ${where} ORDER BY sfLma__Version_Number__c ASC, Id ASC${limitTo(limit)}`;

/**
 * Paid licenses renewing from `range.from` to `range.to` per expiration day: how many and their seats (the App Home's
 * renewal figures and chart). Site licenses are left out when seats can be read (their -1 is not a seat count; the
 * status query counts them); a day per group keeps it under Salesforce's 2,000 groups an aggregate query returns.
 */
export function renewalsByDayQuery(access: FieldAccess, range: { from: string; to: string }): string {
  const seats = access.shows('seats');
  return (
    `SELECT sfLma__Expiration__c, COUNT(Id) n${seats ? ', SUM(sfLma__Seats__c) seats' : ''} FROM sfLma__License__c ` +
    `WHERE ${and(renewalsWhere(access, range), seats && 'sfLma__Seats__c != -1')} GROUP BY sfLma__Expiration__c LIMIT 2000`
  );
}

/**
 * Licenses per status and expiration day (the App Home's trial figures): trials expiring from `trialsFrom` on (on now,
 * or expired unconverted), and — when seats can be read — the site licenses renewing in `siteRenewals`.
 */
export function statusByDayQuery(
  access: FieldAccess,
  o: { trialsFrom: string; siteRenewals: { from: string; to: string } },
): string {
  const trials = and(`sfLma__Status__c = 'Trial'`, `sfLma__Expiration__c >= ${dateLiteral(o.trialsFrom)}`);
  const sites = access.shows('seats') && and(renewalsWhere(access, o.siteRenewals), 'sfLma__Seats__c = -1');
  return (
    `SELECT sfLma__Status__c, sfLma__Expiration__c, COUNT(Id) n FROM sfLma__License__c ` +
    `WHERE ${sites ? `(${trials}) OR (${sites})` : trials} GROUP BY sfLma__Status__c, sfLma__Expiration__c LIMIT 2000`
  );
}

/**
 * The change feed's licenses: those whose SystemModstamp is at or after the watermark (every license for the full
 * baseline of an org without field history), oldest change first, with the fields an alert shows. At or after, not after: rows stamped in the same
 * millisecond as the last one read are read again, and give no event as their stored state is the same.
 */
export function changedLicensesQuery(access: FieldAccess, since: Date | null): string {
  const where = since ? ` WHERE SystemModstamp >= ${dateTimeLiteral(since)}` : '';
  return `${licenses(access).replace(' FROM', ', CreatedDate, SystemModstamp FROM')}${where} ORDER BY SystemModstamp ASC, Id ASC`;
}

/** The lazy baseline's watermark: the newest SystemModstamp of any license. */
export const newestChangeQuery = () =>
  'SELECT SystemModstamp FROM sfLma__License__c ORDER BY SystemModstamp DESC LIMIT 1';

/** Whether the org tracks license field history: the History object exists (and is readable) only then. */
export const historyProbeQuery = () => 'SELECT Id FROM sfLma__License__History LIMIT 1';

/**
 * The history rows of the fields the change feed tracks (those the integration user can read), from the second of
 * `from` on (the caller drops those not after it), oldest first: a field's first row after a moment holds, as its
 * OldValue, the field's value then. The version is the Package Version lookup's: a package version's Id.
 */
export function trackedHistoryQuery(access: FieldAccess, from: Date): string {
  const fields = [
    'sfLma__Status__c',
    'sfLma__Expiration__c',
    ...(access.shows('seats') ? ['sfLma__Seats__c'] : []),
    ...(access.shows('version') ? ['sfLma__Package_Version__c'] : []),
  ];
  return (
    `SELECT ParentId, Field, OldValue, CreatedDate FROM sfLma__License__History WHERE ` +
    `Field IN (${fields.map((f) => `'${f}'`).join(', ')}) AND CreatedDate >= ${dateTimeLiteral(from)} ` +
    'ORDER BY CreatedDate ASC, Id ASC'
  );
}

/** The version numbers of package versions, by Id (as a License's sfLma__Version_Number__c shows them). */
export const versionNumbersQuery = (ids: readonly string[]) =>
  `SELECT Id, sfLma__Version_Number__c FROM sfLma__Package_Version__c WHERE ${idIn(ids)}`;
