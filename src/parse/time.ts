/**
 * Time windows: numbers of days and the time phrases both parsers read ("this week",
 * "in the next 60 days", "by Jan 31"), turned into inclusive DateRanges computed from `today`.
 */
import type { DateRange } from '../lma/dates.js';
import { MAX_DAYS, MIN_DAYS } from './context.js';
import {
  addDays,
  addMonths,
  type CalendarDate,
  compareDates,
  formatIsoDate,
  formatReadableDate,
  isValidDate,
  weekdayFromMonday,
} from './dates.js';

export type Direction = 'future' | 'past';
type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** A time phrase as read, before it is fitted to a question that looks ahead or back. */
export type WindowSpec =
  /** A calendar span: today, this week, last month … */
  | { type: 'period'; from: CalendarDate; to: CalendarDate; label: string }
  /** N units from today; `either` when the phrase does not say which way ("30 days"). */
  | { type: 'relative'; count: number; unit: Unit; direction: Direction | 'either' }
  /** From today up to a date. */
  | { type: 'by'; date: CalendarDate }
  /** From a date up to today. */
  | { type: 'since'; date: CalendarDate };

export type TimeMatch = { start: number; end: number } & (
  | { ok: true; spec: WindowSpec }
  | { ok: false; problem: string }
);

export type DaysResult = { ok: true; days: number } | { ok: false; problem: string };
export type RangeResult = { ok: true; range: DateRange } | { ok: false; problem: string };

const DAYS_HINT = `a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}`;

/** Reads a number of days exactly as typed: digits only, within the allowed range. */
export function parseDayCount(text: string): DaysResult {
  if (!/^\d+$/.test(text)) {
    return {
      ok: false,
      problem: /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/.test(text)
        ? `\`${text}\` is not allowed: give ${DAYS_HINT}.`
        : `\`${text}\` is not a number of days: give ${DAYS_HINT}.`,
    };
  }
  const days = Number(text);
  if (days < MIN_DAYS || days > MAX_DAYS)
    return { ok: false, problem: `\`${text}\` days is out of range: give ${DAYS_HINT}.` };
  return { ok: true, days };
}

/** The window of `days` days ahead of or behind today, as `/lma renewals 30` or "last 30 days" mean it. */
export function daysWindow(today: CalendarDate, days: number, direction: Direction): DateRange {
  return fitRelative(today, days, 'day', direction);
}

const UNIT_LIMITS: Record<Unit, number> = { day: MAX_DAYS, week: 52, month: 12, quarter: 4, year: 1 };

function plural(count: number, unit: Unit): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

function shift(date: CalendarDate, count: number, unit: Unit): CalendarDate {
  switch (unit) {
    case 'day':
      return addDays(date, count);
    case 'week':
      return addDays(date, 7 * count);
    case 'month':
      return addMonths(date, count);
    case 'quarter':
      return addMonths(date, 3 * count);
    case 'year':
      return addMonths(date, 12 * count);
  }
}

function fitRelative(today: CalendarDate, count: number, unit: Unit, direction: Direction): DateRange {
  const other = shift(today, direction === 'future' ? count : -count, unit);
  const [from, to] = direction === 'future' ? [today, other] : [other, today];
  return {
    from: formatIsoDate(from),
    to: formatIsoDate(to),
    label: `in the ${direction === 'future' ? 'next' : 'last'} ${plural(count, unit)}`,
  };
}

function range(from: CalendarDate, to: CalendarDate, label: string): DateRange {
  return { from: formatIsoDate(from), to: formatIsoDate(to), label };
}

/**
 * Fits a phrase to a question's direction: calendar spans are cut at today ("this week" for
 * renewals starts today), and a window wholly on the wrong side of today is refused.
 * `subject` names what is asked ("Renewals") for the message.
 */
export function resolveWindow(
  spec: WindowSpec,
  direction: Direction,
  today: CalendarDate,
  subject: string,
): RangeResult {
  const wrongWay = (what: string): RangeResult => ({
    ok: false,
    problem:
      direction === 'future'
        ? `${subject} look ahead, but ${what} is in the past.`
        : `${subject} look back, but ${what} is in the future.`,
  });
  switch (spec.type) {
    case 'period': {
      if (direction === 'future') {
        if (compareDates(spec.to, today) < 0) return wrongWay(`“${spec.label}”`);
        return { ok: true, range: range(compareDates(spec.from, today) < 0 ? today : spec.from, spec.to, spec.label) };
      }
      if (compareDates(spec.from, today) > 0) return wrongWay(`“${spec.label}”`);
      return { ok: true, range: range(spec.from, compareDates(spec.to, today) > 0 ? today : spec.to, spec.label) };
    }
    case 'relative':
      if (spec.direction !== 'either' && spec.direction !== direction) {
        return wrongWay(`“in the ${spec.direction === 'future' ? 'next' : 'last'} ${plural(spec.count, spec.unit)}”`);
      }
      return { ok: true, range: fitRelative(today, spec.count, spec.unit, direction) };
    case 'by':
      if (direction === 'past' || compareDates(spec.date, today) < 0) return wrongWay(formatReadableDate(spec.date));
      return { ok: true, range: range(today, spec.date, `by ${formatReadableDate(spec.date)}`) };
    case 'since':
      if (direction === 'future' || compareDates(spec.date, today) > 0) return wrongWay(formatReadableDate(spec.date));
      return { ok: true, range: range(spec.date, today, `since ${formatReadableDate(spec.date)}`) };
  }
}

/** The calendar week/month/quarter/year around today, moved by `offset` of them. Weeks start Monday. */
function calendarPeriod(
  today: CalendarDate,
  unit: Exclude<Unit, 'day'>,
  offset: number,
): { from: CalendarDate; to: CalendarDate } {
  if (unit === 'week') {
    const from = addDays(today, 7 * offset - weekdayFromMonday(today));
    return { from, to: addDays(from, 6) };
  }
  const months = unit === 'month' ? 1 : unit === 'quarter' ? 3 : 12;
  const firstMonth =
    unit === 'month' ? today.month : unit === 'quarter' ? Math.floor((today.month - 1) / 3) * 3 + 1 : 1;
  const from = addMonths({ year: today.year, month: firstMonth, day: 1 }, months * offset);
  return { from, to: addDays(addMonths(from, months), -1) };
}

// ---------------------------------------------------------------------------------------------
// Reading phrases from words (lower case, edge punctuation already removed).

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
};
const UNITS: Record<string, Unit> = {
  day: 'day',
  days: 'day',
  d: 'day',
  week: 'week',
  weeks: 'week',
  wk: 'week',
  wks: 'week',
  month: 'month',
  months: 'month',
  mo: 'month',
  mos: 'month',
  quarter: 'quarter',
  quarters: 'quarter',
  year: 'year',
  years: 'year',
  yr: 'year',
  yrs: 'year',
};
const PERIOD_OFFSETS: Record<string, { offset: number; label: string }> = {
  this: { offset: 0, label: 'this' },
  current: { offset: 0, label: 'this' },
  next: { offset: 1, label: 'next' },
  coming: { offset: 1, label: 'next' },
  last: { offset: -1, label: 'last' },
  previous: { offset: -1, label: 'last' },
  past: { offset: -1, label: 'last' },
};
const RELATIVE_DIRECTIONS: Record<string, Direction> = {
  next: 'future',
  coming: 'future',
  upcoming: 'future',
  last: 'past',
  past: 'past',
  previous: 'past',
};
const RELATIVE_LEADS = new Set(['in', 'within', 'over', 'during', 'for', 'inside']);
const BY_WORDS = new Set(['by', 'until', 'till', 'til', 'through', 'thru', 'before']);
const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

type DateRead = { end: number } & ({ ok: true; date: CalendarDate } | { ok: false; problem: string });

function readCount(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}

function readDayOfMonth(word: string | undefined): number | undefined {
  const match = word === undefined ? null : /^(\d{1,2})(st|nd|rd|th)?$/.exec(word);
  return match ? Number(match[1]) : undefined;
}

/** A year-less date is the next one on or after today (or the last one before, looking back). */
function placeYearless(
  month: number,
  day: number,
  today: CalendarDate,
  direction: Direction,
): CalendarDate | undefined {
  const step = direction === 'future' ? 1 : -1;
  for (let i = 0; i <= 8; i++) {
    const candidate = { year: today.year + step * i, month, day };
    if (isValidDate(candidate) && compareDates(candidate, today) * step >= 0) return candidate;
  }
  return undefined;
}

function dateOrProblem(parts: CalendarDate | undefined, typed: string, end: number): DateRead {
  return parts && isValidDate(parts)
    ? { ok: true, date: parts, end }
    : { ok: false, problem: `\`${typed}\` is not a date I can read.`, end };
}

/** Reads a date at `i`: 2027-01-31, 12/31(/2027), Jan 31(st) (2027), 31(st) (of) January (2027). */
function readDate(words: string[], i: number, today: CalendarDate, direction: Direction): DateRead | undefined {
  const word = words[i];
  if (word === undefined) return undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  if (iso) return dateOrProblem({ year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) }, word, i + 1);
  const us = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?$/.exec(word);
  if (us) {
    const [month, day] = [Number(us[1]), Number(us[2])];
    const year = us[3] === undefined ? undefined : Number(us[3].length === 2 ? `20${us[3]}` : us[3]);
    return dateOrProblem(
      year === undefined ? placeYearless(month, day, today, direction) : { year, month, day },
      word,
      i + 1,
    );
  }
  let month: number | undefined;
  let day: number | undefined;
  let end = i;
  if (MONTHS[word] !== undefined && readDayOfMonth(words[i + 1]) !== undefined) {
    [month, day, end] = [MONTHS[word], readDayOfMonth(words[i + 1]), i + 2];
  } else if (readDayOfMonth(word) !== undefined) {
    const monthAt = words[i + 1] === 'of' ? i + 2 : i + 1;
    if (MONTHS[words[monthAt]] === undefined) return undefined;
    [month, day, end] = [MONTHS[words[monthAt]], readDayOfMonth(word), monthAt + 1];
  } else {
    return undefined;
  }
  const typed = words.slice(i, end).join(' ');
  if (month === undefined || day === undefined) return undefined;
  if (/^\d{4}$/.test(words[end] ?? '')) {
    return dateOrProblem({ year: Number(words[end]), month, day }, `${typed} ${words[end]}`, end + 1);
  }
  return dateOrProblem(placeYearless(month, day, today, direction), typed, end);
}

/** "in the next 60 days", "next 2 weeks", "within a month", "last 30 days", "30 days", "in the next year". */
function readRelative(words: string[], i: number): TimeMatch | undefined {
  let at = i;
  const lead = RELATIVE_LEADS.has(words[at]) ? words[at++] : undefined;
  const hasThe = words[at] === 'the';
  if (hasThe) at++;
  const direction = RELATIVE_DIRECTIONS[words[at]];
  if (direction) at++;
  const count = readCount(words[at]);
  if (count !== undefined) at++;
  const unit = UNITS[words[at]];
  if (!unit) return undefined;
  // Without a number, only "the next month" style reads as relative; "next month" is the calendar month.
  if (count === undefined && !(hasThe && direction)) return undefined;
  if (count === undefined && unit === 'day') return undefined;
  at++;
  let finalDirection: Direction | 'either' = direction ?? (lead === 'in' || lead === 'within' ? 'future' : 'either');
  if (words[at] === 'from' && words[at + 1] === 'now') {
    finalDirection = 'future';
    at += 2;
  } else if (words[at] === 'ago' || words[at] === 'back') {
    return undefined; // "30 days ago" is a single day, not a window: leave it unread.
  }
  const n = count ?? 1;
  if (n < 1 || n > UNIT_LIMITS[unit]) {
    const limit = UNIT_LIMITS[unit];
    // Days say their range as `/lma renewals 0` does; "0 weeks" is refused like "0 days", not as too long.
    const problem =
      unit === 'day'
        ? `\`${n}\` days is out of range: give ${DAYS_HINT}.`
        : n < 1
          ? `\`${n} ${unit}s\` is an empty window: a window is at least one day.`
          : `\`${n} ${unit}s\` is too long a window: ${limit} ${limit === 1 ? unit : `${unit}s`} at most.`;
    return { ok: false, problem, start: i, end: at };
  }
  return { ok: true, spec: { type: 'relative', count: n, unit, direction: finalDirection }, start: i, end: at };
}

/** "by Jan 31", "until 2027-01-31", "by the end of the month", "since March 1". */
function readBound(words: string[], i: number, today: CalendarDate): TimeMatch | undefined {
  const word = words[i];
  const isSince = word === 'since';
  if (!isSince && !BY_WORDS.has(word)) return undefined;
  let at = i + 1;
  if (!isSince) {
    if (words[at] === 'the') at++;
    if (words[at] === 'end' && words[at + 1] === 'of') {
      at += 2;
      if (words[at] === 'the' || words[at] === 'this') at++;
      const unit = UNITS[words[at]];
      if (!unit || unit === 'day') return undefined;
      const { to } = calendarPeriod(today, unit, 0);
      return { ok: true, spec: { type: 'by', date: to }, start: i, end: at + 1 };
    }
    at = i + 1;
  }
  const read = readDate(words, at, today, isSince ? 'past' : 'future');
  if (!read) return undefined;
  if (!read.ok) return { ok: false, problem: read.problem, start: i, end: read.end };
  return {
    ok: true,
    spec: isSince ? { type: 'since', date: read.date } : { type: 'by', date: read.date },
    start: i,
    end: read.end,
  };
}

/** "today", "tomorrow", "yesterday", "this week", "next month", "last quarter", "this year". */
function readPeriod(words: string[], i: number, today: CalendarDate): TimeMatch | undefined {
  const word = words[i];
  const single: Record<string, { offset: number; label: string }> = {
    today: { offset: 0, label: 'today' },
    tonight: { offset: 0, label: 'today' },
    tomorrow: { offset: 1, label: 'tomorrow' },
    yesterday: { offset: -1, label: 'yesterday' },
  };
  if (single[word]) {
    const day = addDays(today, single[word].offset);
    return { ok: true, spec: { type: 'period', from: day, to: day, label: single[word].label }, start: i, end: i + 1 };
  }
  const which = PERIOD_OFFSETS[word];
  const unit = UNITS[words[i + 1]];
  if (!which || !unit || unit === 'day') return undefined;
  const { from, to } = calendarPeriod(today, unit, which.offset);
  return { ok: true, spec: { type: 'period', from, to, label: `${which.label} ${unit}` }, start: i, end: i + 2 };
}

/** Reads the time phrase that starts exactly at word `i`, if one does. */
export function readTimePhraseAt(words: string[], i: number, today: CalendarDate): TimeMatch | undefined {
  return readBound(words, i, today) ?? readRelative(words, i) ?? readPeriod(words, i, today);
}

/** Every time phrase in the words, left to right, without overlaps. */
export function findTimePhrases(words: string[], today: CalendarDate): TimeMatch[] {
  const found: TimeMatch[] = [];
  for (let i = 0; i < words.length; i++) {
    const match = readTimePhraseAt(words, i, today);
    if (match) {
      found.push(match);
      i = match.end - 1;
    }
  }
  return found;
}
