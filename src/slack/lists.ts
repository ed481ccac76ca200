/**
 * The lists a button names — what was asked (trials, renewals, a seat-health list, the installs on a version), and
 * for a page, the page number and the keyset row it starts after or ends before — as the compact JSON a button's
 * value carries, bounded and checked when read back, so a click needs nothing remembered. Shared by the features
 * whose answers are lists (answers, health) and the one Export CSV that reads any of them whole.
 */
import type { DateRange } from '../lma/dates.js';
import type { HealthListName } from '../lma/model.js';
import type { ExpirationKey, PageRequest, RenewalTotals, TrialTotals } from '../lma/service.js';
import { MAX_TEXT_LENGTH } from '../parse/index.js';
import { actions, type Block, button } from './blocks.js';

export const ACTION_PAGE = 'lma_page_';
export const ACTION_EXPORT = 'lma_export_csv';

/** Every kind of list an answer shows and Export CSV writes: trials, renewals, seat health's three, a version's. */
export type ListKind = 'trials' | 'renewals' | HealthListName | 'version';
const LIST_KINDS: readonly ListKind[] = ['trials', 'renewals', 'over', 'risk', 'hot', 'version'];
/** The lists paged by keyset on (expiration, Id); the others are paged by position (`n` alone). */
export type PagedKind = 'trials' | 'renewals';

/** A list as asked: read a page at a time (trials, renewals) and exported whole (every kind). */
export interface ListRequest {
  kind: ListKind;
  /** Trials: until; renewals and at risk: the window (required). */
  range?: DateRange;
  package?: string;
  mine?: true;
  /** Installs on a version: the version prefix ("1." for 1.x; '' for every version). */
  version?: string;
  /** Answered in a thread: fewer rows a page. */
  compact?: true;
  /** The command the "Share in channel" button re-runs, kept across pages. */
  share?: string;
}

/** A list's figures, as its first page read them. */
export type ListTotals = RenewalTotals | TrialTotals;

/** A page to read: where it starts or ends, and the figures the list's first page read. */
export type PageAt = Omit<PageRequest, 'size'> & { totals?: ListTotals };

/**
 * A list's row of buttons: Previous and Next, each when given the page it opens (`pageAction` + previous/next, the
 * action its feature owns), and Export CSV.
 */
export function listButtons(
  list: ListRequest,
  pages: { previous?: PageAt; next?: PageAt },
  o: { blockId: string; pageAction?: string },
): Block[] {
  const pageAction = o.pageAction ?? ACTION_PAGE;
  return [
    actions(o.blockId, [
      ...(pages.previous ? [button('◀ Previous', `${pageAction}previous`, encodeList(list, pages.previous))] : []),
      ...(pages.next ? [button('Next ▶', `${pageAction}next`, encodeList(list, pages.next))] : []),
      button('Export CSV', ACTION_EXPORT, encodeList(list)),
    ]),
  ];
}

/** A list paged by position (a seat-health list, a version's installs): its buttons, pages by number. */
export function numberedControls(
  list: ListRequest,
  page?: { number: number; hasPrevious: boolean; hasNext: boolean },
  pageAction = ACTION_PAGE,
): Block[] {
  const at = (number: number) => ({ number });
  return listButtons(
    list,
    {
      ...(page?.hasPrevious && { previous: at(page.number - 1) }),
      ...(page?.hasNext && { next: at(page.number + 1) }),
    },
    { blockId: `lma_list_${list.kind}`, pageAction },
  );
}

/**
 * The compact JSON a button carries: k kind, r range, p package, m mine, v version prefix, c compact, s share; n page,
 * a after, b before, t totals (renewals: count, seats, site licenses; trials: count, and expired unconverted).
 */
export function encodeList(list: ListRequest, page?: PageAt): string {
  const key = (k?: ExpirationKey) => k && [k.expiration, k.id];
  return JSON.stringify({
    k: list.kind,
    r: list.range && [list.range.from, list.range.to, list.range.label],
    p: list.package,
    m: list.mine && 1,
    v: list.version,
    c: list.compact && 1,
    s: list.share,
    n: page?.number,
    a: key(page?.after),
    b: key(page?.before),
    t: page?.totals && totalsList(page.totals),
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isKind = (k: unknown): k is ListKind => LIST_KINDS.includes(k as ListKind);

/** A button's list and page, checked as typed text is; undefined for anything this version did not write. */
export function decodeList(value: string | undefined): { list: ListRequest; page?: PageAt } | undefined {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(value ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || !isKind(v.k)) return undefined;
  const kind = v.k;
  const range = rangeOf(v.r);
  if (range === null) return undefined;
  // Renewals and at risk are a window; over their seats, hot trials and a version's installs take none.
  if ((kind === 'renewals' || kind === 'risk') && !range) return undefined;
  if ((kind === 'over' || kind === 'hot' || kind === 'version') && range) return undefined;
  if (v.p !== undefined && !text(v.p, MAX_TEXT_LENGTH)) return undefined;
  if (v.s !== undefined && !text(v.s, MAX_TEXT_LENGTH)) return undefined;
  // A version's installs have a prefix ('' for all), and no `mine`; no other list has a prefix.
  if (kind === 'version' ? typeof v.v !== 'string' || v.v.length > 100 || v.m !== undefined : v.v !== undefined)
    return undefined;
  const list: ListRequest = {
    kind,
    ...(range && { range }),
    ...(typeof v.p === 'string' && { package: v.p }),
    ...(v.m === 1 && { mine: true }),
    ...(typeof v.v === 'string' && { version: v.v }),
    ...(v.c === 1 && { compact: true }),
    ...(typeof v.s === 'string' && { share: v.s }),
  };
  if (v.n === undefined) return { list };
  if (kind !== 'trials' && kind !== 'renewals') {
    // Paged by position: a page number, nothing else.
    if (!count(v.n) || v.n < 1 || v.a !== undefined || v.b !== undefined || v.t !== undefined) return undefined;
    return { list, page: { number: v.n } };
  }
  const [after, before, totals] = [keyFrom(v.a), keyFrom(v.b), totalsFrom(kind, v.t)];
  const number = v.n;
  if (!count(number) || number < 1 || after === null || before === null || totals === null) return undefined;
  // The first page starts at no key; a page after a key has one before it; a later page has the list's totals.
  if ((after && before) || (!after && !before && number !== 1) || (after && number < 2)) return undefined;
  if ((after || before) && !totals) return undefined;
  return { list, page: { number, ...(after && { after }), ...(before && { before }), ...(totals && { totals }) } };
}

/** undefined: none given; null: not one this bot writes. */
function rangeOf(r: unknown): DateRange | undefined | null {
  if (r === undefined) return undefined;
  if (!Array.isArray(r) || r.length !== 3) return null;
  const [from, to, label] = r as unknown[];
  if (typeof from !== 'string' || typeof to !== 'string' || !DATE.test(from) || !DATE.test(to) || from > to)
    return null;
  return text(label, 100) ? { from, to, label } : null;
}

function keyFrom(k: unknown): ExpirationKey | undefined | null {
  if (k === undefined) return undefined;
  if (!Array.isArray(k) || k.length !== 2) return null;
  const [expiration, id] = k as unknown[];
  if (typeof expiration !== 'string' || !DATE.test(expiration) || typeof id !== 'string' || !RECORD_ID.test(id))
    return null;
  return { expiration, id };
}

const count = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

const totalsList = (t: ListTotals): number[] =>
  'seats' in t
    ? [t.total, t.seats, t.siteLicenses]
    : [t.total, ...(t.expiredUnconverted === undefined ? [] : [t.expiredUnconverted])];

function totalsFrom(kind: PagedKind, t: unknown): ListTotals | undefined | null {
  if (t === undefined) return undefined;
  if (!Array.isArray(t) || !t.every(count)) return null;
  const [total, ...rest] = t as number[];
  if (kind === 'renewals') return rest.length === 2 ? { total, seats: rest[0], siteLicenses: rest[1] } : null;
  if (rest.length > 1) return null;
  return rest.length === 1 ? { total, expiredUnconverted: rest[0] } : { total };
}
