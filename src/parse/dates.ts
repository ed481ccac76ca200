/**
 * Pure calendar arithmetic on YYYY-MM-DD strings. Dates are counted as whole days since
 * 1970-01-01 (UTC), so no time zone or clock is involved: "today" always comes from the caller.
 */

export interface CalendarDate {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

const MS_PER_DAY = 86_400_000;
const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export function isValidDate({ year, month, day }: CalendarDate): boolean {
  return (
    Number.isInteger(year) &&
    year >= 1900 &&
    year <= 2999 &&
    Number.isInteger(month) &&
    month >= 1 &&
    month <= 12 &&
    Number.isInteger(day) &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Parses a strict YYYY-MM-DD; undefined when it is not a real calendar date. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isValidDate(date) ? date : undefined;
}

/** Like parseIsoDate, but for dates the program supplies: a bad one is a bug, so it throws. */
export function requireIsoDate(text: string): CalendarDate {
  const date = parseIsoDate(text);
  if (!date) throw new Error(`Expected a YYYY-MM-DD date, got ${JSON.stringify(text)}`);
  return date;
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** "31 Jan 2027": the form date labels use. */
export function formatReadableDate({ year, month, day }: CalendarDate): string {
  return `${day} ${MONTH_ABBREVIATIONS[month - 1]} ${year}`;
}

function toDayNumber({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function fromDayNumber(dayNumber: number): CalendarDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Adds calendar months, keeping the day where it exists (31 Jan + 1 month → 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

/** Monday = 0 … Sunday = 6 (weeks start on Monday). */
export function weekdayFromMonday(date: CalendarDate): number {
  // Day 0 (1970-01-01) was a Thursday, index 3 from Monday.
  return (((toDayNumber(date) + 3) % 7) + 7) % 7;
}
