/**
 * LmoService: business questions → a few SOQL queries (built in queries.ts) → typed answers and rows. No Slack here,
 * no formatting. Each answer is one query where SOQL allows (relationship fields carry package, account, lead and
 * owner); the digest and the install guide read the LMO through it too.
 */

import { randomBytes } from 'node:crypto';
import { closestMatches } from '../util/edit-distance.js';
import {
  COMPOSITE_QUERIES,
  type LmoClient,
  LmoError,
  QUERY_BATCH,
  type QueryPage,
  type TogetherQuery,
} from './client.js';
import { addDays, type DateRange, startOfDayIn, todayIn } from './dates.js';
import { FieldAccess, type LicenseFact, missingMessage, READ_OBJECTS, type Readable } from './fields.js';
import type { ChangedLicense, ChangePage, PastValues } from './license-events.js';
import {
  type Customer,
  customerKey,
  customerOf,
  type HealthListName,
  historyLicenseRef,
  isLowUse,
  isOverSeats,
  type License,
  type LicenseRef,
  PERPETUAL_LEGACY_DATE,
  seatsOver,
  sumSeats,
  toLicense,
  URGENT_DAYS,
} from './model.js';
import { type OwnerWeek, ownerWeekOf, type WeekWindows } from './owner-week.js';
import {
  activeUserByEmailQuery,
  byUsedSeatsQuery,
  changedLicensesQuery,
  countQuery,
  countWhereQuery,
  customerLicensesQuery,
  customerNamesQuery,
  type ExpirationKey,
  expirationListQuery,
  expirationPageQuery,
  expiredTrialsCountQuery,
  historyProbeQuery,
  hotTrialsQuery,
  hotTrialsWhere,
  LICENSE_OBJECT,
  licensesByIdQuery,
  lowUseCondition,
  newestChangeQuery,
  organizationQuery,
  otherSeatsCondition,
  overSeatsCondition,
  ownerWeekQuery,
  PACKAGE_OBJECT,
  packageNamesQuery,
  renewalsByDayQuery,
  renewalsWhere,
  SITE_LICENSE,
  SPELLED_SEATS_CAP,
  seatRangeQuery,
  seatTotalsQuery,
  seatUsageWhere,
  statusByDayQuery,
  statusChangesByIdQuery,
  statusChangesQuery,
  statusHistoryQuery,
  statusValuesQuery,
  trackedHistoryQuery,
  trialsWhere,
  versionNumbersQuery,
  versionUsageQuery,
  versionUsageWhere,
} from './queries.js';
import { and } from './soql.js';
import {
  countByDay,
  firstUncounted,
  isConversion,
  type StatusChangeCounts,
  type StatusChangeDay,
  total,
} from './status-change-days.js';

export type CustomerLookup =
  | { kind: 'found'; term: string; customer: Customer; licenses: License[] }
  | { kind: 'ambiguous'; term: string; candidates: { customer: Customer; licenses: number }[] }
  | { kind: 'none'; term: string; suggestions: string[] };

/** What a customer question is about; the view leads with that. */
export type CustomerFocus = 'status' | 'seats' | 'version' | 'renewal' | 'conversion';

export type { ExpirationKey } from './queries.js';

/** Which page of a list sorted by expiration to read: the first, the one after a key, or the one before it. */
export interface PageRequest {
  /** 1 for the first page. */
  number: number;
  size: number;
  after?: ExpirationKey;
  before?: ExpirationKey;
}

/** Where a page sits in its list: enough to offer the pages either side of it. */
export interface PageInfo {
  number: number;
  size: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

export interface TrialsAnswer {
  kind: 'trials';
  today: string;
  range?: DateRange;
  package?: string;
  /** One page of the trials on now, soonest to expire first. */
  trials: License[];
  page: PageInfo;
  /** How many trials are on now (in the range, when one is given). */
  total: number;
  /** Trials whose expiration fell in the last 30 days and are still Trial (never converted); unless left out. */
  expiredUnconverted?: number;
}

/** A renewal window's figures: its licenses, the seats of the per-seat ones, and the site licenses. */
export interface RenewalTotals {
  total: number;
  seats: number;
  siteLicenses: number;
}

/** A trials list's figures: the trials on now, and (unless left out) those expired unconverted in the last 30 days. */
export interface TrialTotals {
  total: number;
  expiredUnconverted?: number;
}

/**
 * Pages to chain in one call (queryMorePages) for `rows` rows still to read: as many as they fill, 1 to 5 (a query's
 * totalSize gone stale as records change reads on, a page at least).
 */
const pagesFor = (rows: number, most = COMPOSITE_QUERIES) => Math.min(most, Math.max(1, Math.ceil(rows / QUERY_BATCH)));
/**
 * The change feed reads one page a call: five a call cut a full 100,000-license baseline (an org without field history)
 * from 50 calls to 11 (once in a bot's life), but the first digest's RSS then grew by 214 MB instead of 129 (`npm run
 * bench`), and a mass update's poll holds five pages at once; memory, not a one-time handful of calls, is what a small
 * container runs out of. Its pages are Salesforce's 2,000: pages of 500 cut a 10,000-change poll's peak added RSS from
 * 41-45 MB to 26-28 (1,000: 41) for 20 calls instead of 5 (`npm run bench -- --only alerts`, 8 Dec 2026), but every
 * quiet poll after a mass update reads the watermark's second again (SOQL's datetimes have no milliseconds): with over
 * 500 licenses stamped in it, each quiet poll was two calls or more until the next change moved the watermark.
 */
const FEED_PAGES_PER_CALL = 1;
/** A first batch just big enough for a page (Salesforce sends 200 to 2,000 rows in one), its totalSize counting all. */
const firstBatch = (pageSize: number) => Math.min(2000, Math.max(200, pageSize + 1));

/** An aggregate asked beside a list's rows, as it settled (undefined: not asked). */
type Figure = PromiseSettledResult<QueryPage<Record<string, unknown>>> | undefined;

/** What an aggregate answered; its failure, when the answer needs it, is the answer's. */
function figureOf(figure: Figure): QueryPage<Record<string, unknown>> {
  if (!figure) throw new Error('A figure was needed that its list did not ask for');
  if (figure.status === 'rejected') throw figure.reason;
  return figure.value;
}

/** A list's total: its rows shown when none follows them, else the COUNT() asked beside them. */
const totalOf = (shown: { licenses: readonly unknown[]; more: boolean }, count: Figure) =>
  shown.more ? figureOf(count).totalSize : shown.licenses.length;

/** A page after or before a key: read by keyset, its figures carried from the first page. */
const isLaterPage = (request: PageRequest) => request.after !== undefined || request.before !== undefined;

function laterTotals<T>(options: { totals?: T }): T {
  if (!options.totals) throw new Error('A later page of a list needs the figures its first page read');
  return options.totals;
}

export interface RenewalsAnswer {
  kind: 'renewals';
  today: string;
  range: DateRange;
  package?: string;
  /** One page of the renewals, soonest first. */
  licenses: License[];
  page: PageInfo;
  total: number;
  /** Seats of the per-seat licenses up for renewal (site licenses are counted apart). */
  seats: number;
  siteLicenses: number;
}

export interface Conversion {
  license: LicenseRef;
  /** When the status changed from Trial to Active (ISO datetime). */
  at: string;
}

export interface ConversionsAnswer {
  kind: 'conversions';
  today: string;
  range: DateRange;
  package?: string;
  /** False when the org does not track license field history: conversions cannot be listed. */
  historyTracked: boolean;
  /** Every Trial → Active change in the window. */
  converted: number;
  /** The newest of them, at most the service's list limit (an answer shows a few; the rest are counted). */
  conversions: Conversion[];
  /** Trials whose expiration fell in the window and that never converted. */
  expiredUnconverted: number;
  /** converted ÷ (converted + expired unconverted), or null when no trial ended in the window. */
  rate: number | null;
}

export interface LicenseListAnswer {
  kind: 'version_usage';
  today: string;
  package?: string;
  versionPrefix?: string;
  licenses: License[];
  total: number;
}

/** Renewals within the next `days` days, today included. */
export interface RenewalWindow {
  days: number;
  licenses: number;
  /** Seats of the per-seat ones; null when the integration user cannot read seats. */
  seats: number | null;
  /** null when seats cannot be read (site licenses are told by their seats, -1). */
  siteLicenses: number | null;
}

/** One calendar month ('2026-06') and a figure for it. */
export interface MonthFigure {
  month: string;
  value: number;
}

/** The team's figures the App Home shows, from three aggregate-shaped queries. */
export interface TeamSummary {
  today: string;
  renewals: RenewalWindow[];
  /** Trials on now, and those of them ending within URGENT_DAYS (by `soonUntil`). */
  trials: { onNow: number; endingSoon: number; soonUntil: string };
  /** False when the org does not track license field history: conversions and uninstalls are unknown. */
  historyTracked: boolean;
  conversions: { days: number; count: number; expiredUnconverted: number; rate: number | null };
  uninstalls: { days: number; count: number };
  /** The last `months` calendar months, oldest first, this one included (empty without history). */
  conversionsByMonth: MonthFigure[];
  /** Seats of per-seat licenses up for renewal in this month and the next ones, this month from today. */
  renewalSeatsByMonth: MonthFigure[];
}

/** The three lists of seat health, in the order they are shown. */
export const HEALTH_LISTS: readonly HealthListName[] = ['over', 'risk', 'hot'];

/** One health list: the first `listLimit` rows, in the order that matters, and how many there are. */
export interface HealthList {
  licenses: License[];
  total: number;
  /**
   * Set when the list's two calls could not read it whole: why, in words, and whether `total` (and, for at risk,
   * `siteLicensesExcluded`) counts only what was read, so that there may be more. Absent: rows and counts are exact.
   */
  partial?: { why: string; atLeast: boolean };
}

export interface HealthOptions {
  package?: string;
  /** Only the licenses of customers this Salesforce user owns. */
  ownerId?: string;
  /** Which lists to read (default: all three). */
  lists?: readonly HealthListName[];
  /** At risk: renewing within this many days (today included)… */
  renewalDays: number;
  /** …using under this share of the seats bought (0.3 = 30%). */
  lowUse: number;
}

/** A list to export whole (Export CSV): which, and its filters as asked. */
export interface ExportRequest {
  kind: 'trials' | 'renewals' | HealthListName | 'version';
  /** Trials: until; renewals and at risk: the window. */
  range?: DateRange;
  package?: string;
  /** Only the licenses of customers this Salesforce user owns (not for a version's installs). */
  ownerId?: string;
  /** A version's installs: the version prefix ('' for every version). */
  versionPrefix?: string;
  /** At risk: under this share of the seats bought. */
  lowUse?: number;
  /** At most this many rows. */
  max: number;
  /** How many rows the list holds (`exact`), or how many licenses are read to filter it, before the rest is read. */
  onTotal?: (total: number, o: { exact: boolean }) => Promise<void>;
}

export interface HealthAnswer {
  kind: 'health';
  today: string;
  package?: string;
  renewalDays: number;
  lowUse: number;
  /** Per-seat licenses (Active or Trial) using more seats than bought, most seats over first. */
  over?: HealthList;
  /** Paid per-seat licenses renewing in the window using under `lowUse` of their seats, soonest first. */
  risk?: HealthList & { siteLicensesExcluded: number; range: DateRange };
  /** Trials on now with seats in use, most used first. */
  hot?: HealthList;
}

export interface OrgInfo {
  id: string;
  name: string;
}

export interface LmoServiceOptions {
  client: LmoClient;
  timezone: string;
  clock?: () => Date;
  /** How many licenses an answer lists before "and N more". */
  listLimit?: number;
}

const STATUS_ORDER = ['Active', 'Trial', 'Suspended', 'Uninstalled'];

export class LmoService {
  private readonly client: LmoClient;
  private readonly timezone: string;
  private readonly clock: () => Date;
  readonly listLimit: number;
  /** What the integration user may read, from the last describe (everything until the first one). */
  private access = FieldAccess.everything();
  /**
   * What each health list (by list, package, owner and window) learnt from its last answers: whether an aggregate found
   * it small (at most a first look's rows: read with one look, until one does not hold it), and the seats bought its
   * licenses have (whole, above 0: the values its next answer spells) — a set shared by the lists of one package and
   * owner, so each learns the values the others read.
   */
  private readonly healthMemory = new Map<string, HealthMemory>();
  private readonly healthSeats = new Map<string, Set<number>>();
  /** Whether the org tracks license field history, as the change feed last found (undefined: not asked yet). */
  private historyTracked: boolean | undefined;

  constructor(options: LmoServiceOptions) {
    this.client = options.client;
    this.timezone = options.timezone;
    this.clock = options.clock ?? (() => new Date());
    this.listLimit = options.listLimit ?? 50;
  }

  /** Today's date in the bot's zone: the anchor of every window. */
  today(): string {
    return todayIn(this.timezone, this.clock());
  }

  /** What the integration user may read, as last described. */
  fieldAccess(): FieldAccess {
    return this.access;
  }

  /**
   * Describes the objects the bot reads and keeps what the integration user may read of them, for every query until
   * the next check (on connect and at each catalog refresh: never per answer). One describe per object.
   */
  async checkAccess(): Promise<FieldAccess> {
    const names = Object.keys(READ_OBJECTS);
    const described = await Promise.all(names.map((name) => this.client.describe(name)));
    const readable: Readable = new Map(
      names.map((name, i) => [name, described[i] ? new Set(described[i]!.fields.map((f) => f.name)) : null]),
    );
    this.access = new FieldAccess(readable);
    return this.access;
  }

  /** The access every answer needs, or the error that says what to grant; optional facts named in `facts`. */
  private readableAccess(...facts: LicenseFact[]): FieldAccess {
    // No License object at all: the LMA is not installed, or not readable (the failure says both).
    if (!this.access.can(LICENSE_OBJECT, 'Id')) {
      throw new LmoError('not_installed', 'The LMO has no readable sfLma__License__c object.', 'INVALID_TYPE');
    }
    const message = missingMessage(this.access);
    if (message) throw new LmoError('permission', message);
    const unreadable = facts.filter((fact) => !this.access.shows(fact));
    if (unreadable.length > 0) {
      const fields = this.access.omitted.filter((u) => u.fact && unreadable.includes(u.fact));
      throw new LmoError(
        'permission',
        `This answer needs the ${unreadable.join(' and ')} of licenses, which the LMO's integration user cannot read ` +
          `(${fields.map((u) => `${u.object}.${u.field ?? ''}`).join(', ')}). Grant Read on them in its permission set.`,
      );
    }
    return this.access;
  }

  /** The connected org, for help and health checks. */
  async orgInfo(): Promise<OrgInfo> {
    const page = await this.client.queryPage<{ Id: string; Name: string }>(organizationQuery());
    const org = page.records[0];
    if (!org) throw new LmoError('query', 'The LMO returned no Organization record.');
    return { id: org.Id, name: org.Name };
  }

  /** The one active Salesforce user with this email, or undefined (none, or several: never a guess). One call. */
  async activeUserByEmail(email: string): Promise<{ id: string; name: string } | undefined> {
    return onlyUser(await this.client.queryPage<{ Id: string; Name: string }>(activeUserByEmailQuery(email)));
  }

  /** Names of the packages the LMO manages (for "renewals 60 Invoicer"). */
  async packageNames(): Promise<string[]> {
    const page = await this.client.queryPage<{ Name: string }>(packageNamesQuery());
    return page.records.map((r) => r.Name);
  }

  /** Every license of one customer, found by account name (or part), lead company, subscriber org id or license id. */
  async findCustomer(term: string, packageName?: string): Promise<CustomerLookup> {
    const text = term.trim();
    const page = await this.client.queryPage(customerLicensesQuery(this.readableAccess(), text, packageName));
    const licenses = page.records.map(toLicense);

    const groups = new Map<string, { customer: Customer; licenses: License[] }>();
    for (const license of licenses) {
      const key = customerKey(license.customer);
      const group = groups.get(key) ?? { customer: license.customer, licenses: [] };
      group.licenses.push(license);
      groups.set(key, group);
    }
    const all = [...groups.values()];
    const exact = all.filter((g) => g.customer.name.toLowerCase() === text.toLowerCase());
    const chosen = exact.length === 1 ? exact : all;
    if (chosen.length === 1) {
      const [only] = chosen;
      return { kind: 'found', term: text, customer: only.customer, licenses: sortLicenses(only.licenses) };
    }
    if (chosen.length > 1) {
      return {
        kind: 'ambiguous',
        term: text,
        candidates: chosen
          .sort((a, b) => a.customer.name.localeCompare(b.customer.name))
          .map((g) => ({ customer: g.customer, licenses: g.licenses.length })),
      };
    }
    return { kind: 'none', term: text, suggestions: await this.closeNames(text) };
  }

  /** Customer names near a term that matched nothing: same first letters or a shared word, ranked by edit distance. */
  private async closeNames(term: string): Promise<string[]> {
    // Sliced by code points, so an emoji is never cut in half.
    const prefix = (text: string, n: number) => [...text].slice(0, n).join('');
    const words = term
      .split(/\s+/)
      .filter((w) => [...w].length >= 3)
      .slice(0, 3);
    const stems = [...new Set([prefix(term, 3), ...words.map((w) => prefix(w, 4))])].filter(
      (s) => s.trim().length >= 2,
    );
    const soql = stems.length > 0 ? customerNamesQuery(this.access, stems) : undefined;
    if (!soql) return [];
    const page = await this.client.queryPage<Record<string, unknown>>(soql);
    const names = new Set<string>();
    for (const record of page.records) {
      const customer = customerOf(record);
      if (customer.kind !== 'unknown') names.add(customer.name);
    }
    return closestMatches(term, [...names], 5);
  }

  /**
   * One page of the trials on now, soonest to expire first, with how many are on and how many expired unconverted in
   * the last 30 days. The first page is its rows and one more, and beside them (one composite call within `together`)
   * a COUNT() of the trials on now (the rows count them when no row follows) and one of the expired ones (left out
   * with `countExpired: false`); a later page is one call, its figures those the first page read (`totals`).
   */
  async trials(options: {
    range?: DateRange;
    package?: string;
    ownerId?: string;
    page?: PageRequest;
    totals?: TrialTotals;
    countExpired?: false;
  }): Promise<TrialsAnswer> {
    const today = this.today();
    const access = this.readableAccess();
    const filter = { to: options.range?.to, packageName: options.package, ownerId: options.ownerId };
    const request = options.page ?? { number: 1, size: this.listLimit };
    const answer = (rows: { licenses: License[]; page: PageInfo }, totals: TrialTotals): TrialsAnswer => ({
      kind: 'trials',
      today,
      range: options.range,
      package: options.package,
      trials: rows.licenses,
      page: rows.page,
      ...totals,
    });
    const where = trialsWhere({ from: today, ...filter });
    if (isLaterPage(request)) return answer(await this.licensePage(access, where, request), laterTotals(options));
    const expiredWhere = trialsWhere({ ...filter, from: addDays(today, -30), to: addDays(today, -1) });
    const countExpired = options.countExpired !== false;
    const first = await this.licensePage(access, where, request, [
      countWhereQuery(where),
      countExpired ? countWhereQuery(expiredWhere) : undefined,
    ]);
    const [onNow, expired] = first.figures;
    return answer(first, {
      total: totalOf({ licenses: first.licenses, more: first.page.hasNext }, onNow),
      ...(countExpired && { expiredUnconverted: figureOf(expired).totalSize }),
    });
  }

  /**
   * One page of the paid licenses expiring in the window (sandboxes and perpetual excluded), soonest first, with the
   * count, seats and site licenses of the whole window. The first page is its rows and one more, asked side by side
   * with the window's COUNT() and the per-seat licenses' count and seats (the rest are site licenses; SOQL can neither
   * group by seats nor count two filters in one aggregate), which serve when a row follows the page (otherwise the rows
   * are the window, and add up): one call (`together`) at any size. A later page is one call: its figures are those
   * the first page read (`totals`), so the list reads the same on every page.
   */
  async renewals(options: {
    range: DateRange;
    package?: string;
    ownerId?: string;
    page?: PageRequest;
    totals?: RenewalTotals;
  }): Promise<RenewalsAnswer> {
    const today = this.today();
    const access = this.readableAccess();
    const where = renewalsWhere(access, options.range, options.package, options.ownerId);
    const request = options.page ?? { number: 1, size: this.listLimit };
    const answer = (rows: { licenses: License[]; page: PageInfo }, totals: RenewalTotals): RenewalsAnswer => ({
      kind: 'renewals',
      today,
      range: options.range,
      package: options.package,
      ...rows,
      ...totals,
    });
    if (isLaterPage(request)) return answer(await this.licensePage(access, where, request), laterTotals(options));
    const seatsShown = access.shows('seats');
    const first = await this.licensePage(access, where, request, [
      countWhereQuery(where),
      seatsShown ? seatTotalsQuery(where) : undefined,
    ]);
    const { licenses, page } = first;
    if (page.hasNext && seatsShown) {
      // More than the page: Salesforce counted them and added up the per-seat ones; the rest are site licenses.
      const [counted, summed] = first.figures.map(figureOf);
      const total = counted.totalSize;
      const row = summed.records[0] as { n?: number; seats?: number | null } | undefined;
      return answer(first, { total, seats: row?.seats ?? 0, siteLicenses: total - (row?.n ?? 0) });
    }
    // The page holds the window (or seats cannot be read: none to add up).
    const total = totalOf({ licenses, more: page.hasNext }, first.figures[0]);
    return answer(first, {
      total,
      seats: sumSeats(licenses),
      siteLicenses: licenses.filter((l) => l.siteLicense).length,
    });
  }

  /**
   * Every license of a list, in the order its answer shows it, up to `max` rows, for Export CSV (not bound by an
   * answer's two calls): the first call tells how many there are (`onTotal`, awaited before the rest is read; for a
   * list filtered in code — over their seats, at risk — how many licenses are read, `exact: false`), then the following
   * pages, up to 5 of 2,000 a call (queryMorePages), no more than `max` and the list's total need. Over their seats and
   * at risk keep the rows their answers keep (isOverSeats, isLowUse): SOQL cannot compare two fields, so every
   * candidate is read and the filter ends in code.
   */
  async everyLicense(o: ExportRequest): Promise<{ licenses: License[]; total: number }> {
    const read = this.exportRead(o);
    const first = await this.client.queryPage(read.soql);
    await o.onTotal?.(first.totalSize, { exact: !read.keep });
    const licenses: License[] = [];
    const take = (records: Record<string, unknown>[]) => {
      const rows = records.map(toLicense);
      licenses.push(...(read.keep ? rows.filter(read.keep) : rows));
    };
    take(first.records);
    // A list in query order stops at `max`; a filtered one is read to its end (its count, and its order, need all).
    const wanted = read.keep ? first.totalSize : Math.min(o.max, first.totalSize);
    let seen = first.records.length;
    let next = first.done ? undefined : first.nextRecordsUrl;
    while (next && (read.keep !== undefined || licenses.length < o.max)) {
      const more = await this.client.queryMorePages<Record<string, unknown>>(next, pagesFor(wanted - seen));
      for (const records of more.pages) {
        seen += records.length;
        take(records);
      }
      next = more.done ? undefined : more.nextRecordsUrl;
    }
    if (read.order) licenses.sort(read.order);
    return { licenses: licenses.slice(0, o.max), total: read.keep ? licenses.length : first.totalSize };
  }

  /**
   * Page `number` of a list paged by position (seat health's lists, a version's installs), read as Export CSV reads
   * it up to the page's last row: over their seats and at risk read every candidate, as their answers do; hot trials
   * and a version's installs one call up to 2,000 rows, and one more per 10,000 past them (5 pages chained in one).
   */
  async listPage(
    o: Omit<ExportRequest, 'max' | 'onTotal'> & { page: { number: number; size: number } },
  ): Promise<{ today: string; licenses: License[]; total: number; page: PageInfo }> {
    const { number, size } = o.page;
    const read = await this.everyLicense({ ...o, max: number * size });
    return {
      today: this.today(),
      licenses: read.licenses.slice((number - 1) * size),
      total: read.total,
      page: { number, size, hasPrevious: number > 1, hasNext: read.total > number * size },
    };
  }

  /** The query an export reads, and for a list filtered in code, the filter and the order. */
  private exportRead(o: ExportRequest): {
    soql: string;
    keep?: (l: License) => boolean;
    order?: (a: License, b: License) => number;
  } {
    const today = this.today();
    switch (o.kind) {
      case 'trials':
        return {
          soql: expirationListQuery(
            this.readableAccess(),
            trialsWhere({ from: today, to: o.range?.to, packageName: o.package, ownerId: o.ownerId }),
          ),
        };
      case 'renewals': {
        const access = this.readableAccess();
        const where = renewalsWhere(access, o.range ?? { from: today, to: today }, o.package, o.ownerId);
        return { soql: expirationListQuery(access, where) };
      }
      case 'over':
        return {
          soql: byUsedSeatsQuery(this.readableAccess('seats', 'used seats'), seatUsageWhere(o.package, o.ownerId)),
          keep: isOverSeats,
          order: (a, b) => seatsOver(b) - seatsOver(a),
        };
      case 'risk': {
        const range = o.range ?? { from: today, to: today };
        const lowUse = o.lowUse ?? 0;
        const access = this.readableAccess('seats', 'used seats');
        return {
          // Per-seat renewals only: a site license is never low use (the answer counts them apart).
          soql: expirationListQuery(
            access,
            and(renewalsWhere(access, range, o.package, o.ownerId), 'sfLma__Seats__c > 0'),
          ),
          keep: (l) => isLowUse(l, lowUse),
        };
      }
      case 'hot':
        return { soql: hotTrialsQuery(this.readableAccess('used seats'), hotTrialsWhere(today, o.package, o.ownerId)) };
      case 'version':
        return {
          soql: versionUsageQuery(this.readableAccess('version'), versionUsageWhere(o.versionPrefix ?? '', o.package)),
        };
    }
  }

  /**
   * One page of a list sorted by expiration (the first `listLimit` rows when no page is asked for), with the
   * `aggregates` its figures come from beside it (shownRows). One call.
   */
  private async licensePage(
    access: FieldAccess,
    where: string,
    request: PageRequest = { number: 1, size: this.listLimit },
    aggregates: readonly (string | undefined)[] = [],
  ): Promise<{ licenses: License[]; page: PageInfo; figures: Figure[] }> {
    const { licenses, more, figures } = await this.shownRows(
      expirationPageQuery(access, where, request),
      request.size,
      aggregates,
    );
    const { number, size } = request;
    if (request.before) {
      // Read backwards from the key: turned round, and the first page when nothing lies before it.
      licenses.reverse();
      return { licenses, page: { number: more ? number : 1, size, hasPrevious: more, hasNext: true }, figures };
    }
    return { licenses, page: { number, size, hasPrevious: request.after !== undefined, hasNext: more }, figures };
  }

  /**
   * The rows a list shows and the aggregates its figures come from, side by side (within the caller's `together`, one
   * composite call): `soql` reads the `size` rows shown and one more (its LIMIT), which says whether more follow, so no
   * row is read that the answer does not show (a first batch of 200 rows to show 20 was most of a list's CPU). The
   * rows' failure is the answer's; each aggregate settles alone, for the caller to need or not (`figureOf`, `totalOf`).
   * `records`: the rows as read, the one past the page included.
   */
  private async shownRows(
    soql: string,
    size: number,
    aggregates: readonly (string | undefined)[],
  ): Promise<{ licenses: License[]; more: boolean; figures: Figure[]; records: Record<string, unknown>[] }> {
    const shown = this.client.queryPage(soql);
    const asked = aggregates.map((aggregate) => aggregate && this.client.queryPage(aggregate));
    const [rows, ...settled] = await Promise.allSettled([shown, ...asked]);
    if (rows.status === 'rejected') throw rows.reason;
    const records = rows.value.records;
    return {
      licenses: records.slice(0, size).map(toLicense),
      more: records.length > size,
      figures: settled.map((figure, i) => (asked[i] ? (figure as Figure) : undefined)),
      records,
    };
  }

  /**
   * Trials converted to paid in a past window, from license field history, with the conversion rate. One composite
   * call: the newest 2,000 status changes without their licenses (to count them and choose which to list), the newest
   * HEAVY_HISTORY_ROWS with them (where the listed conversions usually are), and the expired trials' count. A second
   * call only when needed, both at once: the older changes past 2,000 (one more call per 10,000; Salesforce cannot
   * filter on the values: each is read), and by Id the listed conversions the small page lacked. With `counts` (the
   * whole org's answer only), the days before the page's oldest are counted from the finished days kept there, as the
   * App Home does, when every one is; a read of them keeps them: after one answer, the older changes are not read.
   */
  async conversions(
    options: { range: DateRange; package?: string },
    counts?: StatusChangeCounts,
  ): Promise<ConversionsAnswer> {
    const today = this.today();
    const from = startOfDayIn(options.range.from, this.timezone);
    const until = startOfDayIn(addDays(options.range.to, 1), this.timezone);
    // Before any call: an answer the integration user cannot read fails as a permission problem, asking nothing.
    const access = this.readableAccess();
    // Kept days count the whole org's changes: a package's answer reads its own.
    const keeper = options.package === undefined ? counts : undefined;
    const [keptList, [newest, withLicenses, expired]] = await Promise.all([
      keeper?.since(this.timezone, options.range.from) ?? [],
      this.client.queryTogether([
        { soql: statusChangesQuery(from, until, options.package) },
        { soql: statusHistoryQuery(access, from, until, options.package, HEAVY_HISTORY_ROWS) },
        {
          soql: expiredTrialsCountQuery(
            options.range.from,
            minDate(options.range.to, addDays(today, -1)),
            options.package,
          ),
        },
      ]),
    ]);
    if (expired.status === 'rejected') throw expired.reason;
    const expiredUnconverted = expired.value.totalSize;
    if (newest.status === 'rejected') {
      if (isNoHistory(newest.reason)) {
        return {
          kind: 'conversions',
          today,
          range: options.range,
          package: options.package,
          historyTracked: false,
          converted: 0,
          conversions: [],
          expiredUnconverted,
          rate: null,
        };
      }
      throw newest.reason;
    }
    if (withLicenses.status === 'rejected') throw withLicenses.reason;
    const page = newest.value;
    const kept = new Map(keptList.map((d) => [d.day, d]));
    // Newest first (the query's order): only those an answer can list become license refs.
    const shown = page.records.filter(isConversion).slice(0, this.listLimit);
    const byKept = keptBefore(page, kept, { from: options.range.from, today, timezone: this.timezone });
    const history = await this.restOfStatusChanges(page, from, options.package, {
      access,
      known: withLicenses.value.records,
      shown: shown.map((r) => String(r.Id)),
      older: byKept === undefined,
    });
    // A change gone before its license was read (deleted meanwhile) still shows, as its license Id alone.
    const conversions = shown.map((r) => ({
      license: historyLicenseRef(history.withLicense.get(String(r.Id)) ?? r),
      at: String(r.CreatedDate),
    }));
    // The days the rows read cover whole, counted per day: the finished ones not kept yet are kept for the next answer.
    const read = countByDay([...page.records, ...history.older], {
      from: byKept ? addDays(byKept.lastDay, 1) : options.range.from,
      today: minDate(options.range.to, today),
      timezone: this.timezone,
    });
    const finished = read.filter((d) => d.day < today && !kept.has(d.day));
    if (keeper && finished.length > 0) await keeper.keep(this.timezone, finished);
    const converted = total(read, 'conversions', {}) + (byKept?.conversions ?? 0);
    const ended = converted + expiredUnconverted;
    return {
      kind: 'conversions',
      today,
      range: options.range,
      package: options.package,
      historyTracked: true,
      converted,
      conversions,
      expiredUnconverted,
      rate: ended === 0 ? null : converted / ended,
    };
  }

  /**
   * What the first page of status changes in [from, until) left to read, in one call when anything is: when there are
   * more (and `older`: kept days do not count them), the older ones with only their values, to count — each row's
   * license was most of the bytes, and parsing them most of a 100,000-license answer's CPU — and by Id, the shown changes whose license `known` lacks. Rows of the
   * page's last second may continue on the next page, so that second is read again with the older ones and the rows
   * the page had are skipped by Id: each row counts once. `withLicense`: the rows read with their license, by Id.
   */
  private async restOfStatusChanges(
    page: QueryPage<Record<string, unknown>>,
    from: Date,
    packageName: string | undefined,
    licenses: { access: FieldAccess; known: Record<string, unknown>[]; shown: string[]; older: boolean },
  ): Promise<{ older: Record<string, unknown>[]; withLicense: Map<string, Record<string, unknown>> }> {
    const withLicense = new Map(licenses.known.map((r) => [String(r.Id), r]));
    const missing = licenses.shown.filter((id) => !withLicense.has(id));
    const lastSecond = Math.floor(Date.parse(String(page.records.at(-1)?.CreatedDate)) / 1000) * 1000;
    const older = licenses.older && !page.done;
    const queries: TogetherQuery[] = [
      ...(older ? [{ soql: statusValuesQuery(from, new Date(lastSecond + 1000), packageName), all: true }] : []),
      ...(missing.length === 0 ? [] : [{ soql: statusChangesByIdQuery(licenses.access, missing) }]),
    ];
    if (queries.length === 0) return { older: [], withLicense };
    const pages = (await this.client.queryTogether(queries)).map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const rest = older ? pages.shift() : undefined;
    for (const r of pages[0]?.records ?? []) withLicense.set(String(r.Id), r);
    const onPage = new Set(page.records.map((r) => r.Id));
    return { older: rest?.records.filter((r) => !onPage.has(r.Id)) ?? [], withLicense };
  }

  /** Seat health: the lists asked for (default all three), side by side: 2 calls at most, whatever the lists' steps. */
  async health(options: HealthOptions): Promise<HealthAnswer> {
    const today = this.today();
    const lists = new Set(options.lists ?? HEALTH_LISTS);
    // The lists' steps side by side: their first queries in one composite call, their second ones in another.
    const [over, risk, hot] = await this.client.together(() =>
      Promise.all([
        lists.has('over') ? this.overSeats(options) : undefined,
        lists.has('risk') ? this.atRisk(today, options) : undefined,
        lists.has('hot') ? this.hotTrials(today, options) : undefined,
      ]),
    );
    return {
      kind: 'health',
      today,
      package: options.package,
      renewalDays: options.renewalDays,
      lowUse: options.lowUse,
      ...(over && { over }),
      ...(risk && { risk }),
      ...(hot && { hot }),
    };
  }

  /**
   * Per-seat licenses (Active or Trial) using more seats than bought, most seats over first: one call, or two at any
   * LMO size. A list its memory knows small is one look, a page of 200 of the licenses with seats in use, most used
   * first, filtered and put in order here (exact). Otherwise the first call is an aggregate: the licenses whose seats
   * bought are none of the values the list has seen, their lowest and highest seats and their count (at most 200 the
   * first time: small from then on). Those values and that range are spelled in the second call, the comparison per
   * seat value (SOQL cannot compare two fields): its totalSize is the count, its page (up to 2,000, most used first) put
   * in order of seats over here — exact while the page holds them all, or while no license left out (using at most the
   * page's last seats) can be more over than the last one shown. When the aggregate finds no license with other seats
   * (as the last one did), that page is the one spelled for the values seen, read beside it with only Id and seats (a
   * sixth of a row's bytes), and the second call reads whole only the rows shown. More values than one GET can spell
   * (SPELLED_SEATS_CAP), or a look that no longer holds the list: the second call is a page of the 2,000 most used,
   * filtered here, partial (and said so) when there are more; the seat values it read are the next answer's.
   */
  private async overSeats(options: HealthOptions): Promise<HealthList> {
    const access = this.readableAccess('seats', 'used seats');
    const where = seatUsageWhere(options.package, options.ownerId);
    const plain = byUsedSeatsQuery(access, where);
    const memory = this.memoryOf('over', options);
    const bounded = async (why: string) => {
      const page = await this.healthPage(memory, plain, HEALTH_PAGE);
      return this.overOf(page, { spelled: false, ...(!page.done && { partial: why }) });
    };
    if (memory.small) {
      const look = await this.healthPage(memory, plain, FIRST_LOOK);
      if (look.done) return this.overOf(look, { spelled: false });
      memory.small = false;
      return bounded(
        `it grew past ${FIRST_LOOK} licenses since the last answer: these are from the ${THE_PAGE} using the most seats`,
      );
    }
    const known = knownSeats(memory);
    // The page spelled for the values seen, ranked from Id and seats alone, beside the aggregate: when no license has
    // other seats, it is the second call's page, and that call reads whole only the rows shown. Sent once the last
    // aggregate found none (while the list is still learning its values, it would be read for nothing).
    const early =
      memory.settled && known.length > 0 && byUsedSeatsQuery(access, and(where, overSeatsCondition(known)), 'seats');
    const [range, ranked] = await Promise.all([
      this.seatRange(and(where, otherSeatsCondition(known))),
      early && fitsInUrl(early) ? this.healthPage(memory, early, HEALTH_PAGE) : undefined,
    ]);
    learnRange(memory, range);
    memory.settled = range.n === 0;
    if (known.length === 0 && range.n <= FIRST_LOOK) memory.small = true;
    const seats = spellable(known, range.n === 0 ? undefined : range);
    if (seats?.length === 0) return { licenses: [], total: 0 };
    const spelled = seats && byUsedSeatsQuery(access, and(where, overSeatsCondition(seats)));
    if (!seats || !spelled || !fitsInUrl(spelled)) {
      if (known.length >= MAX_KNOWN_SEATS) memory.seats.clear();
      return bounded(
        `${tooManyValues(known, range, seats)}; these are from the ${THE_PAGE} licenses using the most seats`,
      );
    }
    const page = ranked && range.n === 0 ? ranked : await this.healthPage(memory, spelled, HEALTH_PAGE);
    const list = this.overOf(page, { spelled: true });
    const shown = page === ranked ? { ...list, licenses: await this.overRowsWhole(access, list.licenses) } : list;
    if (page.done) return shown;
    // Every license not read uses at most the last row's seats and bought at least the fewest spelled.
    const unreadAtMost = (toLicense(page.records.at(-1) ?? {}).usedSeats ?? 0) - seats[0];
    const last = list.licenses.at(-1);
    if (last && excess(last) > unreadAtMost) return shown;
    const why = `more than ${THE_PAGE} licenses are over: these are the most over among the ${THE_PAGE} of them using the most seats`;
    return { ...shown, partial: { why, atLeast: false } };
  }

  /**
   * The licenses a ranking by seats chose, read whole (one call; none when none was chosen): in the ranking's order,
   * and as they are now, so that one changed since the ranking shows its seats as they are, over or left out.
   */
  private async overRowsWhole(access: FieldAccess, ranked: License[]): Promise<License[]> {
    if (ranked.length === 0) return [];
    const ids = ranked.map((l) => l.id);
    const page = await this.client.queryPage(licensesByIdQuery(access, ids));
    const now = new Map(page.records.map((r) => [String(r.Id), toLicense(r)]));
    const over = ranked.flatMap((l) => now.get(l.id) ?? []).filter(isOverSeats);
    return over.sort((a, b) => excess(b) - excess(a));
  }

  /**
   * A page of licenses most used first → the list over their seats, most over first. A spelled page holds only
   * licenses over and its totalSize counts them; otherwise they are filtered here and counted as read.
   */
  private overOf(page: QueryPage<Record<string, unknown>>, o: { spelled: boolean; partial?: string }): HealthList {
    const over = page.records.map(toLicense).filter(isOverSeats);
    // Stable: among the equally over, the query's order (most used, then Id) stays.
    over.sort((a, b) => excess(b) - excess(a));
    const list = { licenses: over.slice(0, this.listLimit), total: o.spelled ? page.totalSize : over.length };
    return o.partial ? { ...list, partial: { why: o.partial, atLeast: true } } : list;
  }

  /**
   * Paid per-seat licenses renewing in the window using under `lowUse` of their seats, soonest first; the site
   * licenses renewing in it counted as excluded. One call, or two at any LMO size. A list its memory knows small is one
   * look (200 renewals with seats), filtered and ordered here (exact). Otherwise the first call is an aggregate over the
   * site licenses and the licenses whose seats are none of the values the list has seen: when only site licenses are
   * among them, its count is theirs, and the second call is the first low-use licenses, the comparison spelled per
   * seat value, soonest first, beside their count — exact at any size. When licenses with other seats are among them,
   * their range is spelled too and the site licenses are read with the low-use ones (exact when that page holds them
   * all; otherwise the rows shown are still the soonest and the counts those read, partial). Too many values to spell,
   * or a look that no longer holds the list: the second call is a page of the 2,000 soonest renewals, filtered here,
   * partial when there are more.
   */
  private async atRisk(today: string, options: HealthOptions): Promise<NonNullable<HealthAnswer['risk']>> {
    const range: DateRange = {
      from: today,
      to: addDays(today, options.renewalDays),
      label: `in the next ${options.renewalDays} days`,
    };
    const access = this.readableAccess('seats', 'used seats');
    const renewing = renewalsWhere(access, range, options.package, options.ownerId);
    const withSeats = and(renewing, `${SITE_LICENSE} OR sfLma__Seats__c > 0`);
    const memory = this.memoryOf('risk', options);
    const fromRows = (read: License[], partial?: string) => ({
      ...this.riskOf(read, options.lowUse, partial),
      siteLicensesExcluded: read.filter((l) => l.siteLicense).length,
      range,
    });
    const bounded = async (why: string) => {
      const page = await this.healthPage(memory, expirationListQuery(access, withSeats), HEALTH_PAGE);
      return fromRows(page.records.map(toLicense), page.done ? undefined : why);
    };
    if (memory.small) {
      const look = await this.healthPage(memory, expirationListQuery(access, withSeats), FIRST_LOOK);
      if (look.done) return fromRows(look.records.map(toLicense));
      memory.small = false;
      return bounded(
        `it grew past ${FIRST_LOOK} renewals since the last answer: counted among the ${THE_PAGE} soonest`,
      );
    }
    const known = knownSeats(memory);
    const others = and('sfLma__Seats__c > 0', otherSeatsCondition(known));
    const outside = await this.seatRange(and(renewing, `${SITE_LICENSE} OR (${others})`));
    learnRange(memory, outside);
    if (known.length === 0 && outside.n <= FIRST_LOOK) memory.small = true;
    // Highest -1 (or none): every license outside the values seen is a site license, and the count is theirs.
    const onlySites = outside.hi === null || outside.hi === -1;
    const other = onlySites ? undefined : { ...outside, lo: outside.lo === -1 ? 1 : outside.lo };
    const seats = spellable(known, other);
    if (onlySites && seats?.length === 0) return { licenses: [], total: 0, siteLicensesExcluded: outside.n, range };
    const lowUse = seats && seats.length > 0 ? lowUseCondition(seats, options.lowUse) : 'Id = null';
    const spelledWhere = and(renewing, onlySites ? lowUse : `${SITE_LICENSE} OR ${lowUse}`);
    // Only low-use licenses: the rows shown are the soonest, a count beside them counts them all.
    const spelled =
      seats &&
      (onlySites
        ? expirationPageQuery(access, spelledWhere, { size: this.listLimit })
        : expirationListQuery(access, spelledWhere));
    if (!seats || !spelled || !fitsInUrl(spelled)) {
      if (known.length >= MAX_KNOWN_SEATS) memory.seats.clear();
      return bounded(
        `${tooManyValues(known, other ?? outside, seats)}; counted among the ${THE_PAGE} soonest renewals`,
      );
    }
    if (onlySites) {
      const shown = await this.shownRows(spelled, this.listLimit, [countWhereQuery(spelledWhere)]);
      learnSeatsOf(memory, shown.records);
      return {
        licenses: shown.licenses.filter((l) => isLowUse(l, options.lowUse)),
        total: totalOf(shown, shown.figures[0]),
        siteLicensesExcluded: outside.n,
        range,
      };
    }
    const page = await this.healthPage(memory, spelled, HEALTH_PAGE);
    const read = page.records.map(toLicense);
    const why = `more than ${THE_PAGE} renewals are at risk or on site licenses: counted among the ${THE_PAGE} soonest`;
    return fromRows(read, page.done ? undefined : why);
  }

  /** Renewals read soonest first → the at-risk list (the caller counts the site licenses among them). */
  private riskOf(read: License[], lowUse: number, partial?: string): HealthList {
    const risky = read.filter((l) => !l.siteLicense && isLowUse(l, lowUse));
    const list = { licenses: risky.slice(0, this.listLimit), total: risky.length };
    return partial ? { ...list, partial: { why: partial, atLeast: true } } : list;
  }

  /** One page of a health list's query, its seats bought kept as the values the next answer spells. One call. */
  private async healthPage(
    memory: HealthMemory,
    soql: string,
    batchSize: number,
  ): Promise<QueryPage<Record<string, unknown>>> {
    const page = await this.client.queryPage(soql, { batchSize });
    learnSeatsOf(memory, page.records);
    return page;
  }

  /** What a health list learnt (a bounded memory: past MAX_HEALTH_MEMORY lists, every list starts again). */
  private memoryOf(list: HealthListName, o: HealthOptions): HealthMemory {
    const scope = [o.package ?? null, o.ownerId ?? null];
    const key = JSON.stringify([list, ...scope, list === 'risk' ? o.renewalDays : null]);
    let memory = this.healthMemory.get(key);
    if (!memory) {
      if (this.healthMemory.size >= MAX_HEALTH_MEMORY) {
        this.healthMemory.clear();
        this.healthSeats.clear();
      }
      const seatsKey = JSON.stringify(scope);
      const seats = this.healthSeats.get(seatsKey) ?? new Set();
      this.healthSeats.set(seatsKey, seats);
      memory = { small: false, settled: false, first: true, seats };
      this.healthMemory.set(key, memory);
    }
    return memory;
  }

  /** The lowest and highest seats bought among the licenses matching `where`, and how many they are. One call. */
  private async seatRange(where: string): Promise<SeatRange> {
    const page = await this.client.queryPage<Partial<SeatRange>>(seatRangeQuery(where));
    const row = page.records[0];
    return { lo: row?.lo ?? null, hi: row?.hi ?? null, n: row?.n ?? 0 };
  }

  /** Trials on now with seats in use, most used first: the rows shown, and their COUNT() beside them. One call. */
  private async hotTrials(today: string, options: HealthOptions): Promise<HealthList> {
    const access = this.readableAccess('used seats');
    const where = hotTrialsWhere(today, options.package, options.ownerId);
    const shown = await this.shownRows(hotTrialsQuery(access, where, this.listLimit + 1), this.listLimit, [
      countWhereQuery(where),
    ]);
    return { licenses: shown.licenses, total: totalOf(shown, shown.figures[0]) };
  }

  /** One person's week (see owner-week.ts): one call, the licenses they own that any of its lists can show. */
  async ownerWeek(ownerId: string, windows: WeekWindows): Promise<OwnerWeek> {
    const { soql, weekOf } = this.weekRead(ownerId, windows);
    return weekOf(await this.client.queryPage(soql));
  }

  /**
   * The active user with this email and, when there is exactly one, their week — one composite call: the week's query
   * names the user the first one finds (`@{ref.records[0].Id}`), which Salesforce puts in before running it. With no
   * such user the week's subrequest is not run; with two (a shared email, never a guess) its answer is dropped.
   */
  async ownerWeekByEmail(
    email: string,
    windows: WeekWindows,
  ): Promise<{ owner: { id: string; name: string } | undefined; week?: OwnerWeek }> {
    // Where the user's Id goes: 18 random characters no text can know, so no one's text becomes a reference.
    const placeholder = randomBytes(9).toString('hex');
    const { soql, weekOf } = this.weekRead(placeholder, windows);
    const [user, week] = await this.client.queryTogether<Record<string, unknown>>([
      { soql: activeUserByEmailQuery(email) },
      { soql, idOf: { placeholder, query: 0 } },
    ]);
    if (user.status === 'rejected') throw user.reason;
    const owner = onlyUser(user.value as QueryPage<{ Id: string; Name: string }>);
    if (!owner) return { owner };
    if (week.status === 'rejected') throw week.reason;
    return { owner, week: weekOf(week.value) };
  }

  private weekRead(ownerId: string, windows: WeekWindows) {
    const today = this.today();
    const access = this.readableAccess('seats', 'used seats');
    const to = addDays(today, Math.max(windows.renewalDays, windows.trialDays, windows.riskDays));
    return {
      soql: ownerWeekQuery(access, ownerId, { from: today, to }),
      weekOf: (page: QueryPage<Record<string, unknown>>) =>
        ownerWeekOf(page.records.map(toLicense), {
          ...windows,
          today,
          sandboxes: access.shows('sandbox'),
          partial: !page.done,
        }),
    };
  }

  /**
   * Installed (Active or Trial) licenses on versions starting with a prefix ("1." for "1.x"): the first `listLimit`,
   * and their COUNT() beside them (shownRows). One call within `together`.
   */
  async versionUsage(options: { versionPrefix: string; package?: string }): Promise<LicenseListAnswer> {
    const access = this.readableAccess('version');
    const where = versionUsageWhere(options.versionPrefix, options.package);
    const shown = await this.shownRows(versionUsageQuery(access, where, this.listLimit + 1), this.listLimit, [
      countWhereQuery(where),
    ]);
    return {
      kind: 'version_usage',
      today: this.today(),
      package: options.package,
      versionPrefix: options.versionPrefix,
      licenses: shown.licenses,
      total: totalOf(shown, shown.figures[0]),
    };
  }

  /** Trials whose license expires in the range, soonest first, at most `listLimit` of them. One call. */
  async trialsEnding(range: { from: string; to: string }): Promise<{ licenses: License[]; total: number }> {
    const access = this.readableAccess();
    const page = await this.client.queryPage(expirationListQuery(access, trialsWhere(range)), {
      batchSize: firstBatch(this.listLimit),
    });
    return { licenses: page.records.slice(0, this.listLimit).map(toLicense), total: page.totalSize };
  }

  /** How many paid licenses renew in the range (the renewals answer's licenses), counted by the LMO. One call. */
  async renewalsCount(range: DateRange): Promise<number> {
    const page = await this.client.queryPage(countWhereQuery(renewalsWhere(this.readableAccess(), range)));
    return page.totalSize;
  }

  /**
   * The App Home's team figures in three calls: renewals per expiration day (count and seats, GROUP BY), trials and
   * site-license renewals per status and day (GROUP BY), and the status changes without their licenses (history rows:
   * Salesforce can neither filter nor group on their old and new values, so conversions and uninstalls are counted
   * here, per day; a row's license would be three quarters of its bytes and is never shown). With
   * `counts`, finished days are read once and kept there, so history is read only from the first day not kept (after
   * one read, today: a page unless today has more than 2,000 status changes); without, since the first chart month.
   */
  async teamSummary(
    o: { windows: readonly number[]; conversionDays: number; uninstallDays: number; months: number },
    counts?: StatusChangeCounts,
  ): Promise<TeamSummary> {
    const today = this.today();
    const access = this.readableAccess();
    const thisMonth = today.slice(0, 7);
    const lastMonth = addMonths(thisMonth, o.months - 1);
    const horizon = addDays(`${addMonths(lastMonth, 1)}-01`, -1);
    const maxWindow = Math.max(...o.windows);
    const trialsFrom = addDays(today, -o.conversionDays);
    const firstMonth = addMonths(thisMonth, -(o.months - 1));
    const historyFrom = minDate(`${firstMonth}-01`, trialsFrom);
    const kept = new Map((await counts?.since(this.timezone, historyFrom))?.map((d) => [d.day, d]));
    const readFrom = firstUncounted(kept, historyFrom, today);
    const until = startOfDayIn(addDays(today, 1), this.timezone);
    // One composite call: both aggregates and the history's first pages (the rest 5 pages a call).
    const [byDay, byStatus, history] = await this.client.queryTogether([
      { soql: renewalsByDayQuery(access, { from: today, to: maxDate(horizon, addDays(today, maxWindow)) }) },
      { soql: statusByDayQuery(access, { trialsFrom, siteRenewals: { from: today, to: addDays(today, maxWindow) } }) },
      { soql: statusChangesQuery(startOfDayIn(readFrom, this.timezone), until), all: true },
    ]);
    if (byDay.status === 'rejected') throw byDay.reason;
    if (byStatus.status === 'rejected') throw byStatus.reason;
    const noHistory = history.status === 'rejected' && isNoHistory(history.reason);
    if (history.status === 'rejected' && !noHistory) throw history.reason;

    const seatsShown = access.shows('seats');
    const days = byDay.value.records as { sfLma__Expiration__c: string; n: number; seats?: number | null }[];
    const statuses = byStatus.value.records as { sfLma__Status__c: string; sfLma__Expiration__c: string; n: number }[];
    const within = (date: string, n: number) => date >= today && date <= addDays(today, n);
    const count = <R extends { n: number }>(rows: R[], keep: (row: R) => boolean) =>
      rows.reduce((sum, row) => sum + (keep(row) ? row.n : 0), 0);
    const renewals = o.windows.map((n) => {
      const perSeat = days.filter((d) => within(d.sfLma__Expiration__c, n));
      const sites = seatsShown
        ? count(statuses, (r) => r.sfLma__Status__c === 'Active' && within(r.sfLma__Expiration__c, n))
        : null;
      return {
        days: n,
        licenses: count(perSeat, () => true) + (sites ?? 0),
        seats: seatsShown ? perSeat.reduce((sum, d) => sum + (d.seats ?? 0), 0) : null,
        siteLicenses: sites,
      };
    });
    const trials = (keep: (expiration: string) => boolean) =>
      count(statuses, (r) => r.sfLma__Status__c === 'Trial' && keep(r.sfLma__Expiration__c));
    const soonUntil = addDays(today, URGENT_DAYS);
    const renewalSeatsByMonth = monthsFrom(thisMonth, o.months).map((month) => ({
      month,
      value: days
        .filter((d) => d.sfLma__Expiration__c.startsWith(month))
        .reduce((sum, d) => sum + (seatsShown ? (d.seats ?? 0) : d.n), 0),
    }));

    const read =
      history.status === 'fulfilled'
        ? countByDay(history.value.records, { from: readFrom, today, timezone: this.timezone })
        : [];
    // Finished days are final: kept for the next reading. Today is not, and is read again each time.
    const finished = read.filter((d) => d.day < today);
    if (counts && finished.length > 0) await counts.keep(this.timezone, finished);
    const changes = [...new Map([...kept, ...read.map((d) => [d.day, d] as const)]).values()];
    const conversions = total(changes, 'conversions', { from: trialsFrom });
    const expiredUnconverted = trials((e) => e < today);
    return {
      today,
      renewals,
      trials: { onNow: trials((e) => e >= today), endingSoon: trials((e) => within(e, URGENT_DAYS)), soonUntil },
      historyTracked: !noHistory,
      conversions: {
        days: o.conversionDays,
        count: conversions,
        expiredUnconverted,
        rate: conversions + expiredUnconverted === 0 ? null : conversions / (conversions + expiredUnconverted),
      },
      uninstalls: {
        days: o.uninstallDays,
        count: total(changes, 'uninstalls', { from: addDays(today, -o.uninstallDays) }),
      },
      conversionsByMonth: noHistory
        ? []
        : monthsFrom(firstMonth, o.months).map((month) => ({
            month,
            value: total(changes, 'conversions', { prefix: month }),
          })),
      renewalSeatsByMonth,
    };
  }

  /** Whether the License object exists: the LMA is installed in this org. One describe. */
  async lmaInstalled(): Promise<boolean> {
    return (await this.client.describe(LICENSE_OBJECT)) !== null;
  }

  /** How many packages and licenses the LMA holds. Two calls. */
  async lmaCounts(): Promise<{ packages: number; licenses: number }> {
    const [packages, licenses] = await Promise.all([
      this.client.queryPage(countQuery(PACKAGE_OBJECT)),
      this.client.queryPage(countQuery(LICENSE_OBJECT)),
    ]);
    return { packages: packages.totalSize, licenses: licenses.totalSize };
  }

  /**
   * Where the change feed's baseline starts, in one call: the newest SystemModstamp and whether the org tracks license
   * field history (its History object answers a query), side by side.
   */
  async feedStart(): Promise<{ watermark: string | null; history: boolean }> {
    this.readableAccess();
    const [newest, probe] = await this.client.queryTogether<{ SystemModstamp?: string }>([
      { soql: newestChangeQuery() },
      { soql: historyProbeQuery() },
    ]);
    if (newest.status === 'rejected') throw newest.reason;
    if (probe.status === 'rejected' && !isNoHistory(probe.reason)) throw probe.reason;
    this.historyTracked = probe.status === 'fulfilled';
    return { watermark: newest.value.records[0]?.SystemModstamp ?? null, history: this.historyTracked };
  }

  /**
   * Licenses changed at or after `since` (every license when null), oldest change first, yielded a page (up to 2,000)
   * at a time so that a mass update is processed in bounded memory: a page a call (FEED_PAGES_PER_CALL), so at most
   * 2,000 licenses are held at once. With `historyFrom` (and field history in the org), the history of the tracked
   * fields since then is read beside the first page, in the same call: a quiet read is one call. `valuesAt` reads the
   * history's further pages only when asked, once: a page a call, as the licenses' (five a call held 8,000 rows at
   * once: reading them grew the bot's RSS by 10 MB in a 10,000-change poll, a page a call by 5, for 3 calls more).
   */
  licensesChangedSince(
    since: Date | null,
    historyFrom: Date | null,
  ): { pages: AsyncGenerator<ChangePage>; valuesAt(): Promise<Map<string, PastValues> | null> } {
    const read: FeedHistory = {};
    return {
      pages: this.changedPages(since, historyFrom, read),
      valuesAt: () => {
        if (!read.values) {
          const first = read.first ?? Promise.resolve(null);
          read.first = undefined; // folded into the values: let go of its rows
          read.values = first.then((page) => (page && historyFrom ? this.valuesAt(page, historyFrom) : null));
        }
        return read.values;
      },
    };
  }

  /** The pages of licensesChangedSince; the history's first page, when asked for, kept in `read`. */
  private async *changedPages(
    since: Date | null,
    historyFrom: Date | null,
    read: FeedHistory,
  ): AsyncGenerator<ChangePage> {
    const access = this.readableAccess();
    const changed = (records: Record<string, unknown>[]): ChangedLicense[] =>
      records.map((record) => ({
        license: toLicense(record),
        createdDate: String(record.CreatedDate),
        modstamp: String(record.SystemModstamp),
      }));
    // A list, so that the first page too is let go of once yielded (as the others are).
    const firsts = [
      await this.client.together(async () => {
        const licenses = this.client.queryPage<Record<string, unknown>>(changedLicensesQuery(access, since));
        if (historyFrom && this.historyTracked !== false) {
          read.first = this.client.queryPage<HistoryRow>(trackedHistoryQuery(access, historyFrom)).catch((error) => {
            if (!isNoHistory(error)) throw error;
            this.historyTracked = false;
            return null;
          });
          // Asked for or not, it settles with the licenses (the same call): never an unhandled rejection.
          read.first.catch(() => undefined);
        }
        return licenses;
      }),
    ];
    const { totalSize, done, nextRecordsUrl } = firsts[0];
    let next = done ? undefined : nextRecordsUrl;
    let seen = firsts[0].records.length;
    yield { licenses: changed(firsts.shift()!.records), last: next === undefined };
    while (next) {
      const more = await this.client.queryMorePages<Record<string, unknown>>(
        next,
        pagesFor(totalSize - seen, FEED_PAGES_PER_CALL),
      );
      next = more.done ? undefined : more.nextRecordsUrl;
      // Each page's records let go of once mapped: none is held while its licenses are compared and written.
      while (more.pages.length > 0) {
        const licenses = changed(more.pages.shift()!);
        seen += licenses.length;
        yield { licenses, last: next === undefined && more.pages.length === 0 };
      }
    }
  }

  /**
   * Per license, the tracked fields that changed after `from` and their values then: the OldValue of each field's
   * first row after it (the rows come oldest first), a version lookup's as its version number (one more call).
   */
  private async valuesAt(first: QueryPage<HistoryRow>, from: Date): Promise<Map<string, PastValues>> {
    const values = new Map<string, PastValues>();
    /** The package version each license was on, by Id, until its number is read. */
    const versionIds = new Map<string, string | null>();
    const fold = (rows: HistoryRow[]) => {
      for (const row of rows) {
        // The query reads from the second of `from`: rows not after it are older than the state they tell.
        if (Date.parse(row.CreatedDate) <= from.getTime()) continue;
        const past = values.get(row.ParentId) ?? {};
        values.set(row.ParentId, past);
        keepFirst(past, versionIds, row);
      }
    };
    fold(first.records);
    let next = first.done ? undefined : first.nextRecordsUrl;
    while (next) {
      const more = await this.client.queryMorePages<HistoryRow>(next, FEED_PAGES_PER_CALL);
      for (const rows of more.pages) fold(rows);
      next = more.done ? undefined : more.nextRecordsUrl;
    }
    const numbers = await this.versionNumbers([...new Set([...versionIds.values()].filter((id) => id !== null))]);
    for (const [license, versionId] of versionIds) {
      // A package version no longer there tells nothing: the version now stands.
      const version = versionId === null ? null : numbers.get(versionId);
      if (version !== undefined) values.get(license)!.version = version;
    }
    return values;
  }

  /** Package versions' numbers by Id: 200 Ids a query, the queries side by side (5 a call). None: no call. */
  private async versionNumbers(ids: string[]): Promise<Map<string, string | null>> {
    const chunks = Array.from({ length: Math.ceil(ids.length / 200) }, (_, i) => ids.slice(i * 200, (i + 1) * 200));
    const pages = await this.client.together(() =>
      Promise.all(
        chunks.map((chunk) =>
          this.client.queryPage<{ Id: string; sfLma__Version_Number__c?: string | null }>(versionNumbersQuery(chunk)),
        ),
      ),
    );
    return new Map(pages.flatMap((p) => p.records.map((r) => [r.Id, r.sfLma__Version_Number__c || null])));
  }
}

/** One change read's field history: its first page (null: the org has none), and the values it tells, once read. */
interface FeedHistory {
  first?: Promise<QueryPage<HistoryRow> | null>;
  values?: Promise<Map<string, PastValues> | null>;
}

/** A history row of a tracked license field, as trackedHistoryQuery selects it. */
interface HistoryRow {
  ParentId: string;
  Field: string;
  OldValue: unknown;
  CreatedDate: string;
}

/** The History object is missing: the org does not track license field history (or its user cannot read it). */
const isNoHistory = (error: unknown) => error instanceof LmoError && error.kind === 'no_history';

/**
 * Keeps a history row's OldValue unless an earlier row of the same field was kept: as toLicense reads the field (a
 * perpetual 1970-01-01 is no expiration); a version lookup's package version Id, in `versionIds`.
 */
function keepFirst(past: PastValues, versionIds: Map<string, string | null>, row: HistoryRow): void {
  const text = typeof row.OldValue === 'string' && row.OldValue !== '' ? row.OldValue : null;
  if (row.Field === 'sfLma__Status__c' && !('status' in past)) past.status = text;
  if (row.Field === 'sfLma__Seats__c' && !('seats' in past))
    past.seats = typeof row.OldValue === 'number' ? row.OldValue : text === null ? null : Number(text);
  if (row.Field === 'sfLma__Expiration__c' && !('expiration' in past))
    past.expiration = text === PERPETUAL_LEGACY_DATE ? null : text;
  if (row.Field === 'sfLma__Package_Version__c' && !versionIds.has(row.ParentId)) versionIds.set(row.ParentId, text);
}

/** The one user a look-up by email found; none when it found none or two. */
function onlyUser(page: QueryPage<{ Id: string; Name: string }>): { id: string; name: string } | undefined {
  const [only, another] = page.records;
  return only && !another ? { id: only.Id, name: only.Name } : undefined;
}

/** A health list's first look: Salesforce's smallest batch, which holds a small LMO's whole list. */
const FIRST_LOOK = 200;
/**
 * When a page of status changes (newest first) stops short of the window's start, the days from that start to the
 * page's oldest day as kept counts tell them, if every one of them is kept (finished days never change): that last
 * day and their conversions. Undefined when the page is whole, or a day there is not kept (it must be read).
 */
function keptBefore(
  page: QueryPage<Record<string, unknown>>,
  kept: ReadonlyMap<string, StatusChangeDay>,
  o: { from: string; today: string; timezone: string },
): { lastDay: string; conversions: number } | undefined {
  if (page.done || page.records.length === 0) return undefined;
  const lastDay = todayIn(o.timezone, new Date(String(page.records.at(-1)?.CreatedDate)));
  // Every day from `from` to `lastDay` kept: the first one not kept is the day after.
  if (lastDay >= o.today || firstUncounted(kept, o.from, addDays(lastDay, 1)) <= lastDay) return undefined;
  return { lastDay, conversions: total(kept.values(), 'conversions', { from: o.from, until: lastDay }) };
}

/** Status changes read with their licenses beside the lean page: the newest ones, where a list's conversions are. */
const HEAVY_HISTORY_ROWS = 200;
/** A health list's second call: Salesforce's largest batch. */
const HEALTH_PAGE = 2000;
const THE_PAGE = HEALTH_PAGE.toLocaleString('en-US');
/** Health lists (by package, owner and window) remembered. */
const MAX_HEALTH_MEMORY = 1000;

interface HealthMemory {
  small: boolean;
  /** Over their seats: its last aggregate found no license with seats other than those seen. */
  settled: boolean;
  /** No answer of this list yet: its first aggregate counts the whole list (is it small?), whatever the values seen. */
  first: boolean;
  /** Shared by the lists of one package and owner. */
  seats: Set<number>;
}

/** A seat value some license of the list has (whole, above 0), kept for its next answer. */
/** The seats bought of every row read (the one past a page included): values the next answer spells. */
function learnSeatsOf(memory: HealthMemory, records: readonly Record<string, unknown>[]): void {
  for (const record of records) learnSeats(memory, record.sfLma__Seats__c);
}

function learnSeats(memory: HealthMemory, seats: unknown): void {
  if (typeof seats === 'number' && Number.isInteger(seats) && seats > 0 && memory.seats.size < MAX_KNOWN_SEATS) {
    memory.seats.add(seats);
  }
}

/** The ends of an aggregate's seat range are seat values some license has: the next answer spells them. */
function learnRange(memory: HealthMemory, range: SeatRange): void {
  learnSeats(memory, range.lo);
  learnSeats(memory, range.hi);
}

/** The seat values this answer's aggregate leaves out, lowest first: none on the list's first answer. */
function knownSeats(memory: HealthMemory): number[] {
  const known = memory.first ? [] : [...memory.seats].sort((a, b) => a - b);
  memory.first = false;
  return known;
}

/** Seat values kept between answers: more than one query spells is no use. */
const MAX_KNOWN_SEATS = SPELLED_SEATS_CAP;

/**
 * The longest query a health list sends, URL-encoded: it travels in a GET URL, which Salesforce refuses past 16,384
 * bytes (414) and Node's HTTP server (the embedded LMO) past 16 KiB of request line and headers (431).
 */
const MAX_ENCODED_QUERY = 15_500;
const fitsInUrl = (soql: string) => encodeURIComponent(soql).length <= MAX_ENCODED_QUERY;

const excess = (l: License) => (l.usedSeats ?? 0) - (l.seats ?? 0);

/** What seatRangeQuery answers: lo and hi null when no license matched. */
interface SeatRange {
  lo: unknown;
  hi: unknown;
  n: number;
}

/**
 * The seat values to spell: those seen, and every whole value in the range of the licenses with other seats (none:
 * no such license). Undefined when they are more than one query may spell, or the range is not whole numbers.
 */
function spellable(known: readonly number[], other: SeatRange | undefined): number[] | undefined {
  const values = new Set(known);
  if (other) {
    const { lo, hi } = other;
    if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isInteger(lo) || !Number.isInteger(hi)) return;
    if (hi - lo + 1 > SPELLED_SEATS_CAP) return;
    for (let s = lo; s <= hi; s++) values.add(s);
  }
  if (values.size > SPELLED_SEATS_CAP) return;
  return [...values].sort((a, b) => a - b);
}

/** Why the seat values were not spelled in one query (`seats`: they were few enough, but the query too long). */
function tooManyValues(known: readonly number[], other: SeatRange, seats?: readonly number[]): string {
  if (seats) return `the comparison for its ${seats.length} seat values is longer than one query can be`;
  const range =
    typeof other.lo === 'number' && typeof other.hi === 'number'
      ? `seats bought run from ${other.lo.toLocaleString('en-US')} to ${other.hi.toLocaleString('en-US')}`
      : 'seats bought vary';
  return `${range}${known.length > 0 ? ` besides ${known.length} values seen before` : ''}, more values than the ${SPELLED_SEATS_CAP} one query can compare`;
}

/** Seats used under `share` of those bought (exactly the share is not low: 3 of 10 at 30% is not at risk). */
function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** '2026-06' shifted by whole months. */
function addMonths(month: string, n: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `count` months from `first`, oldest first. */
function monthsFrom(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(first, i));
}

/** Licenses in a stable, readable order: active first, then by package. */
function sortLicenses(licenses: License[]): License[] {
  return [...licenses].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.packageName.localeCompare(b.packageName),
  );
}
