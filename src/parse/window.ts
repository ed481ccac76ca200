/**
 * The parts of a windowed request (trials, renewals, conversions) both parsers share: which way
 * each looks, its default window, and how its range is labelled.
 */
import type { DateRange } from '../lma/dates.js';
import { DEFAULT_WINDOW_DAYS } from './context.js';
import type { CalendarDate } from './dates.js';
import { type Direction, daysWindow, type RangeResult, resolveWindow, type WindowSpec } from './time.js';

export type WindowedKind = 'trials' | 'renewals' | 'conversions';

interface WindowRule {
  direction: Direction;
  /** Days when none are given; trials have no default (all trials on now). */
  defaultDays?: number;
  /** Names the request in "… look ahead, but last month is in the past". */
  subject: string;
  /** Trial windows read "expiring in the next 7 days"; the others take the window label as is. */
  labelPrefix: string;
}

export const WINDOW_RULES: Record<WindowedKind, WindowRule> = {
  trials: { direction: 'future', subject: 'Trial expirations', labelPrefix: 'expiring ' },
  renewals: { direction: 'future', defaultDays: DEFAULT_WINDOW_DAYS, subject: 'Renewals', labelPrefix: '' },
  conversions: { direction: 'past', defaultDays: DEFAULT_WINDOW_DAYS, subject: 'Conversions', labelPrefix: '' },
};

function withPrefix(kind: WindowedKind, range: DateRange): DateRange {
  return { ...range, label: WINDOW_RULES[kind].labelPrefix + range.label };
}

/** The range for N days, as `/lma renewals 60` means it. */
export function windowForDays(kind: WindowedKind, days: number, today: CalendarDate): DateRange {
  return withPrefix(kind, daysWindow(today, days, WINDOW_RULES[kind].direction));
}

/** The range for a time phrase, fitted to the way the request looks. */
export function windowForPhrase(kind: WindowedKind, spec: WindowSpec, today: CalendarDate): RangeResult {
  const rule = WINDOW_RULES[kind];
  const result = resolveWindow(spec, rule.direction, today, rule.subject);
  return result.ok ? { ok: true, range: withPrefix(kind, result.range) } : result;
}

/** The default range, or undefined for trials (all of them). */
export function defaultWindow(kind: WindowedKind, today: CalendarDate): DateRange | undefined {
  const days = WINDOW_RULES[kind].defaultDays;
  return days === undefined ? undefined : windowForDays(kind, days, today);
}
