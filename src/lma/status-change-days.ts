/**
 * The App Home's conversions and uninstalls, counted per day from license status history. Salesforce can neither
 * filter nor group history on its old and new values, so counting means reading the rows; but a day's rows never
 * change once the day is over, so its counts are kept (in the store, through StatusChangeCounts) and only the days
 * not kept yet — after the first read, just today — are read again.
 */
import { addDays, todayIn } from './dates.js';

/** One day's status changes (a date in the bot's time zone): trials converted to paid, licenses uninstalled. */
export interface StatusChangeDay {
  day: string;
  conversions: number;
  uninstalls: number;
}

/** Where the counts of finished days are kept, per time zone (a day's bounds depend on it). */
export interface StatusChangeCounts {
  /** The days kept from `from` (ISO date) on. */
  since(timezone: string, from: string): Promise<StatusChangeDay[]>;
  /** Keeps (or replaces) these days' counts. */
  keep(timezone: string, days: StatusChangeDay[]): Promise<void>;
}

/** The first day from `from` up to `today` whose counts are not kept: history is read from there on. */
export function firstUncounted(kept: ReadonlyMap<string, StatusChangeDay>, from: string, today: string): string {
  let day = from;
  while (day < today && kept.has(day)) day = addDays(day, 1);
  return day;
}

/** Every day from `from` to `today` (none missing, zeros included) with its changes among the history rows. */
export function countByDay(
  rows: readonly Record<string, unknown>[],
  o: { from: string; today: string; timezone: string },
): StatusChangeDay[] {
  const days = new Map<string, StatusChangeDay>();
  for (let day = o.from; day <= o.today; day = addDays(day, 1)) days.set(day, { day, conversions: 0, uninstalls: 0 });
  for (const row of rows) {
    const counts = days.get(todayIn(o.timezone, new Date(String(row.CreatedDate))));
    if (!counts) continue;
    if (row.OldValue === 'Trial' && row.NewValue === 'Active') counts.conversions++;
    if (row.NewValue === 'Uninstalled') counts.uninstalls++;
  }
  return [...days.values()];
}

/** The sum of one count over the days on or after `from` whose date starts with `prefix` (a month, or '' for all). */
export function total(
  days: Iterable<StatusChangeDay>,
  count: 'conversions' | 'uninstalls',
  o: { from?: string; prefix?: string },
): number {
  let sum = 0;
  for (const d of days)
    if ((o.from === undefined || d.day >= o.from) && d.day.startsWith(o.prefix ?? '')) sum += d[count];
  return sum;
}
