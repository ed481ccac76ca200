/**
 * Long lists (trials, renewals) a page at a time: the page state travels in the buttons' values — the list asked
 * for, the page number and the keyset row it starts after or ends before — bounded and checked when read back, so a
 * click needs nothing remembered (page-button.ts turns the page).
 */
import type { DateRange } from '../../lma/dates.js';
import type { License } from '../../lma/model.js';
import type { ExpirationKey, PageInfo, PageRequest, RenewalTotals, TrialTotals } from '../../lma/service.js';
import { MAX_TEXT_LENGTH, type Question } from '../../parse/index.js';
import { actions, type Block, button } from '../../slack/blocks.js';

type ListQuestion = Extract<Question, { kind: 'trials' | 'renewals' }>;

export const ACTION_PAGE = 'lma_page_';
export const ACTION_EXPORT = 'lma_export_csv';

/** A list that is read a page at a time (and exported whole), as asked. */
export interface ListRequest {
  kind: 'trials' | 'renewals';
  range?: DateRange;
  package?: string;
  mine?: true;
  /** Answered in a thread: fewer rows a page. */
  compact?: true;
  /** The command the "Share in channel" button re-runs, kept across pages. */
  share?: string;
}

/** The list a question asks for, when it is one that pages. */
export function listRequestOf(
  request: Question,
  o: { compact?: boolean; shareCommand?: string },
): ListRequest | undefined {
  if (request.kind !== 'trials' && (request.kind !== 'renewals' || request.customer)) return undefined;
  return {
    kind: request.kind,
    ...(request.range && { range: request.range }),
    ...(request.package && { package: request.package }),
    ...(request.mine && { mine: true }),
    ...(o.compact && { compact: true }),
    ...(o.shareCommand && { share: o.shareCommand }),
  };
}

export const questionOf = (list: ListRequest): ListQuestion =>
  list.kind === 'trials'
    ? { kind: 'trials', range: list.range, package: list.package, ...(list.mine && { mine: true }) }
    : { kind: 'renewals', range: list.range!, package: list.package, ...(list.mine && { mine: true }) };

/** A list's figures, as its first page read them. */
export type ListTotals = RenewalTotals | TrialTotals;

/** A page to read: where it starts or ends, and the figures the list's first page read. */
export type PageAt = Omit<PageRequest, 'size'> & { totals?: ListTotals };

/**
 * Previous and Next (when there is such a page) and Export CSV (when there is a row), in one row of buttons; the
 * page buttons carry the list's `totals`.
 */
export function listControls(
  list: ListRequest,
  answer: { page: PageInfo; licenses: License[]; totals: ListTotals },
): Block[] {
  const { page, licenses, totals } = answer;
  const [first, last] = [licenses[0], licenses.at(-1)];
  if (!first || !last) return [];
  const previous = page.hasPrevious && { number: page.number - 1, before: keyOf(first), totals };
  const next = page.hasNext && { number: page.number + 1, after: keyOf(last), totals };
  return [
    actions('lma_list', [
      ...(previous ? [button('◀ Previous', `${ACTION_PAGE}previous`, encodeList(list, previous))] : []),
      ...(next ? [button('Next ▶', `${ACTION_PAGE}next`, encodeList(list, next))] : []),
      button('Export CSV', ACTION_EXPORT, encodeList(list)),
    ]),
  ];
}

const keyOf = (l: License): ExpirationKey => ({ expiration: l.expiration ?? '', id: l.id });

/**
 * The compact JSON a button carries: k kind, r range, p package, m mine, c compact, s share; n page, a after, b before,
 * t totals (renewals: count, seats, site licenses; trials: count, and expired unconverted).
 */
export function encodeList(list: ListRequest, page?: PageAt): string {
  const key = (k?: ExpirationKey) => k && [k.expiration, k.id];
  return JSON.stringify({
    k: list.kind,
    r: list.range && [list.range.from, list.range.to, list.range.label],
    p: list.package,
    m: list.mine && 1,
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

/** A button's list and page, checked as typed text is; undefined for anything this version did not write. */
export function decodeList(value: string | undefined): { list: ListRequest; page?: PageAt } | undefined {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(value ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || (v.k !== 'trials' && v.k !== 'renewals')) return undefined;
  const range = rangeOf(v.r);
  if (range === null || (v.k === 'renewals' && !range)) return undefined;
  if (v.p !== undefined && !text(v.p, MAX_TEXT_LENGTH)) return undefined;
  if (v.s !== undefined && !text(v.s, MAX_TEXT_LENGTH)) return undefined;
  const list: ListRequest = {
    kind: v.k,
    ...(range && { range }),
    ...(typeof v.p === 'string' && { package: v.p }),
    ...(v.m === 1 && { mine: true }),
    ...(v.c === 1 && { compact: true }),
    ...(typeof v.s === 'string' && { share: v.s }),
  };
  if (v.n === undefined) return { list };
  const [after, before, totals] = [keyFrom(v.a), keyFrom(v.b), totalsFrom(v.k, v.t)];
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

function totalsFrom(kind: 'trials' | 'renewals', t: unknown): ListTotals | undefined | null {
  if (t === undefined) return undefined;
  if (!Array.isArray(t) || !t.every(count)) return null;
  const [total, ...rest] = t as number[];
  if (kind === 'renewals') return rest.length === 2 ? { total, seats: rest[0], siteLicenses: rest[1] } : null;
  if (rest.length > 1) return null;
  return rest.length === 1 ? { total, expiredUnconverted: rest[0] } : { total };
}
