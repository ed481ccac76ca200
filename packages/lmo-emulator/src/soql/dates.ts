/**
 * Dates and datetimes as Salesforce handles them. Dates are 'YYYY-MM-DD' strings; datetimes are
 * kept in Salesforce's wire format ('2026-11-29T09:00:00.000+0000'), which is fixed-width UTC and
 * therefore sorts and compares chronologically as plain strings.
 */
import { SoqlError, unsupported } from './errors.js';

export { dateInZone, startOfDateInZone } from '@lma-bot/zone';

export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

/** Any ISO 8601 datetime → Salesforce's format; a datetime without a zone is read as UTC. */
export function normalizeDateTime(text: string): string | undefined {
  // Fast path for what toISOString() and Salesforce itself write, the bulk of any dataset.
  if (text.length === 24 && text[23] === 'Z' && text[10] === 'T') return `${text.slice(0, 23)}+0000`;
  if (text.length === 28 && text.endsWith('+0000') && text[10] === 'T') return text;
  const withZone = /T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : formatDateTime(ms);
}

/** A calendar date moved by whole days, months or years (UTC arithmetic, no zone involved). */
function shiftDate(date: string, unit: 'day' | 'month', amount: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (unit === 'day') d.setUTCDate(d.getUTCDate() + amount);
  else d.setUTCMonth(d.getUTCMonth() + amount);
  return d.toISOString().slice(0, 10);
}

export const addDays = (date: string, days: number): string => shiftDate(date, 'day', days);

/** A half-open range of calendar dates: `from` inclusive, `until` exclusive. */
export interface DateRange {
  from: string;
  until: string;
}

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';
/** A window in whole units relative to the current one: 0 is this unit, -1 the previous. */
type Window = [unit: Unit, first: number, last: number];

const FIXED_LITERALS: Record<string, Window> = {
  YESTERDAY: ['day', -1, -1],
  TODAY: ['day', 0, 0],
  TOMORROW: ['day', 1, 1],
  LAST_WEEK: ['week', -1, -1],
  THIS_WEEK: ['week', 0, 0],
  NEXT_WEEK: ['week', 1, 1],
  LAST_MONTH: ['month', -1, -1],
  THIS_MONTH: ['month', 0, 0],
  NEXT_MONTH: ['month', 1, 1],
  // Salesforce: "starts with the current day and continues for the past 90 days" — 91 days.
  LAST_90_DAYS: ['day', -90, 0],
  NEXT_90_DAYS: ['day', 1, 90],
  LAST_QUARTER: ['quarter', -1, -1],
  THIS_QUARTER: ['quarter', 0, 0],
  NEXT_QUARTER: ['quarter', 1, 1],
  LAST_YEAR: ['year', -1, -1],
  THIS_YEAR: ['year', 0, 0],
  NEXT_YEAR: ['year', 1, 1],
};

const UNIT_NAMES: Record<string, Unit> = {
  DAYS: 'day',
  WEEKS: 'week',
  MONTHS: 'month',
  QUARTERS: 'quarter',
  YEARS: 'year',
};

/** LAST_N_x, NEXT_N_x and N_x_AGO. LAST_N_DAYS includes today; LAST_N_WEEKS etc. end with the previous unit. */
function windowWithN(literal: string, n: number): Window | undefined {
  const match = /^(LAST_N|NEXT_N|N)_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS)(_AGO)?$/.exec(literal);
  if (!match || (match[1] === 'N') !== (match[3] === '_AGO')) return undefined;
  const unit = UNIT_NAMES[match[2]];
  if (match[1] === 'N') return [unit, -n, -n];
  if (match[1] === 'NEXT_N') return [unit, 1, n];
  return unit === 'day' ? [unit, -n, 0] : [unit, -n, -1];
}

/** First day of the unit containing `date`; weeks start on Sunday as in Salesforce's default (en_US) locale. */
function startOfUnit(date: string, unit: Unit): string {
  const d = new Date(`${date}T00:00:00Z`);
  switch (unit) {
    case 'day':
      return date;
    case 'week':
      return addDays(date, -d.getUTCDay());
    case 'month':
      return `${date.slice(0, 8)}01`;
    case 'quarter':
      return `${date.slice(0, 5)}${String(Math.floor(d.getUTCMonth() / 3) * 3 + 1).padStart(2, '0')}-01`;
    case 'year':
      return `${date.slice(0, 5)}01-01`;
  }
}

function shiftUnits(date: string, unit: Unit, amount: number): string {
  switch (unit) {
    case 'day':
      return addDays(date, amount);
    case 'week':
      return addDays(date, amount * 7);
    case 'month':
      return shiftDate(date, 'month', amount);
    case 'quarter':
      return shiftDate(date, 'month', amount * 3);
    case 'year':
      return shiftDate(date, 'month', amount * 12);
  }
}

/** The dates a Salesforce date literal (TODAY, LAST_N_DAYS:7 …) covers, relative to `today`. */
export function dateLiteralRange(literal: string, today: string): DateRange {
  const [name, n] = literal.toUpperCase().split(':');
  if (name.includes('FISCAL')) throw unsupported(`the fiscal date literal ${literal}`);
  const window = n === undefined ? FIXED_LITERALS[name] : /^\d+$/.test(n) ? windowWithN(name, Number(n)) : undefined;
  if (!window) throw new SoqlError('MALFORMED_QUERY', `unexpected token: ${literal}`);
  const [unit, first, last] = window;
  const start = startOfUnit(today, unit);
  return { from: shiftUnits(start, unit, first), until: shiftUnits(start, unit, last + 1) };
}
