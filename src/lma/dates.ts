/**
 * Calendar dates as 'YYYY-MM-DD' strings. "Today" is a date in a configured IANA zone; arithmetic is done on
 * dates (UTC noon internally), never on local clocks, so DST changes cannot shift a day.
 */

import { dateInZone, startOfDateInZone } from '@lma-bot/zone';
import { Recent } from '../util/recent.js';

const DAY_MS = 86_400_000;

/** Inclusive calendar-date bounds (YYYY-MM-DD in the bot's time zone) with a human label. */
export interface DateRange {
  from: string;
  to: string;
  /** How the window reads in an answer: "in the next 30 days", "this month", "last month". */
  label: string;
}

/** Today's date in `timeZone` at instant `now`. */
export function todayIn(timeZone: string, now: Date): string {
  return dateInZone(now.getTime(), timeZone);
}

const toUtcNoon = (date: string): number => Date.parse(`${date}T12:00:00Z`);

export function addDays(date: string, days: number): string {
  return new Date(toUtcNoon(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcNoon(to) - toUtcNoon(from)) / DAY_MS);
}

/** Days' first instants by zone and date: each costs several time-zone formats, and never changes. */
const dayStarts = new Recent<number>(2_000);

/** The instant a calendar date starts in `timeZone` (for datetime bounds in SOQL). */
export function startOfDayIn(date: string, timeZone: string): Date {
  return new Date(dayStarts.get(`${timeZone} ${date}`, () => startOfDateInZone(date, timeZone)));
}

// Formatters are built once: constructing an Intl.DateTimeFormat costs ~0.2 ms and native memory that glibc
// rarely returns, and an answer formats dozens of dates (npm run bench found it was most of an answer's CPU).
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Dates formatted lately: a list or an export repeats a few hundred, and formatting one costs microseconds. */
const formattedDates = new Recent<string>(1_000);

/** "Tue 1 Dec 2026": readable and unambiguous across locales. */
export function formatDate(date: string): string {
  return formattedDates.get(date, () => DATE_FORMAT.format(new Date(toUtcNoon(date))).replace(',', ''));
}

/** "29 Nov 2026, 09:00 (Europe/Paris)" for an instant shown in the bot's zone. */
export function formatDateTime(at: Date, timeZone: string): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(timeZone, format);
  }
  return `${format.format(at)} (${timeZone})`;
}

/** "in 3 days", "today", "tomorrow", "2 days ago". */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}
