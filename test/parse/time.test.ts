import { describe, expect, it } from 'vitest';
import { addMonths, isValidDate, parseIsoDate, weekdayFromMonday } from '../../src/parse/dates.js';
import { type ParseContext, type ParseResult, parseQuestion } from '../../src/parse/index.js';
import { parseCommand } from '../support/commands.js';

function rangeOf(
  text: string,
  today: string,
  parse: (t: string, c: ParseContext) => ParseResult<object> = parseQuestion,
) {
  const result = parse(text, { today });
  if (!result.ok) throw new Error(`${text}: ${result.failure.problem}`);
  return 'range' in result.request ? result.request.range : undefined;
}

describe('calendar arithmetic', () => {
  it('knows leap years and month lengths', () => {
    expect(isValidDate({ year: 2028, month: 2, day: 29 })).toBe(true);
    expect(isValidDate({ year: 2026, month: 2, day: 29 })).toBe(false);
    expect(isValidDate({ year: 2000, month: 2, day: 29 })).toBe(true);
    expect(isValidDate({ year: 2100, month: 2, day: 29 })).toBe(false);
    expect(parseIsoDate('2026-04-31')).toBeUndefined();
  });
  it('clamps month addition to the month end', () => {
    expect(addMonths({ year: 2028, month: 1, day: 31 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addMonths({ year: 2026, month: 12, day: 15 }, 1)).toEqual({ year: 2027, month: 1, day: 15 });
    expect(addMonths({ year: 2026, month: 1, day: 15 }, -1)).toEqual({ year: 2025, month: 12, day: 15 });
  });
  it('starts weeks on Monday', () => {
    expect(weekdayFromMonday({ year: 2026, month: 6, day: 15 })).toBe(0);
    expect(weekdayFromMonday({ year: 2026, month: 6, day: 21 })).toBe(6);
  });
  it('throws on a malformed today, which is a programming error', () => {
    expect(() => parseQuestion('renewals', { today: '15/06/2026' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('time phrases at month and year ends', () => {
  it('crosses the year for next month and next week in December', () => {
    expect(rangeOf('renewals next month', '2026-12-20')).toEqual({
      from: '2027-01-01',
      to: '2027-01-31',
      label: 'next month',
    });
    // 2026-12-31 is a Thursday: next week is Mon 4 – Sun 10 Jan 2027.
    expect(rangeOf('renewals next week', '2026-12-31')).toEqual({
      from: '2027-01-04',
      to: '2027-01-10',
      label: 'next week',
    });
    expect(rangeOf('renewals this week', '2026-12-31')).toEqual({
      from: '2026-12-31',
      to: '2027-01-03',
      label: 'this week',
    });
  });
  it('crosses the year backwards for last month and last week in January', () => {
    expect(rangeOf('conversions last month', '2027-01-05')).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      label: 'last month',
    });
    expect(rangeOf('conversions last week', '2027-01-01')).toEqual({
      from: '2026-12-21',
      to: '2026-12-27',
      label: 'last week',
    });
    expect(rangeOf('conversions this week', '2027-01-01')).toEqual({
      from: '2026-12-28',
      to: '2027-01-01',
      label: 'this week',
    });
  });
  it('ends February on the 29th in a leap year and the 28th otherwise', () => {
    expect(rangeOf('renewals next month', '2028-01-31')).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
      label: 'next month',
    });
    expect(rangeOf('renewals next month', '2027-01-31')).toEqual({
      from: '2027-02-01',
      to: '2027-02-28',
      label: 'next month',
    });
    expect(rangeOf('conversions last month', '2028-03-01')).toEqual({
      from: '2028-02-01',
      to: '2028-02-29',
      label: 'last month',
    });
  });
  it('counts days across a leap day', () => {
    expect(rangeOf('renewals 30', '2028-02-15', parseCommand)).toEqual({
      from: '2028-02-15',
      to: '2028-03-16',
      label: 'in the next 30 days',
    });
    expect(rangeOf('conversions 30', '2028-03-15', parseCommand)).toEqual({
      from: '2028-02-14',
      to: '2028-03-15',
      label: 'in the last 30 days',
    });
  });
  it('places a year-less date on its next occurrence, Feb 29 included', () => {
    expect(rangeOf('what renews by Feb 29', '2027-06-15')).toEqual({
      from: '2027-06-15',
      to: '2028-02-29',
      label: 'by 29 Feb 2028',
    });
    expect(rangeOf('what renews by 12/31', '2026-12-31')).toEqual({
      from: '2026-12-31',
      to: '2026-12-31',
      label: 'by 31 Dec 2026',
    });
    expect(rangeOf('what renews by Jan 1', '2026-12-31')).toEqual({
      from: '2026-12-31',
      to: '2027-01-01',
      label: 'by 1 Jan 2027',
    });
    expect(rangeOf('what renews by 1st of March', '2026-06-15')).toEqual({
      from: '2026-06-15',
      to: '2027-03-01',
      label: 'by 1 Mar 2027',
    });
  });
  it('reads today, tomorrow, this/next/last month and in N days', () => {
    const today = '2026-01-31';
    expect(rangeOf('renewals today', today)).toEqual({ from: today, to: today, label: 'today' });
    expect(rangeOf('renewals tomorrow', today)).toEqual({ from: '2026-02-01', to: '2026-02-01', label: 'tomorrow' });
    expect(rangeOf('renewals this month', today)).toEqual({ from: today, to: today, label: 'this month' });
    expect(rangeOf('renewals in 5 days', today)).toEqual({
      from: today,
      to: '2026-02-05',
      label: 'in the next 5 days',
    });
    expect(rangeOf('renewals within 5 days', today)).toEqual({
      from: today,
      to: '2026-02-05',
      label: 'in the next 5 days',
    });
    expect(rangeOf('conversions last 5 days', today)).toEqual({
      from: '2026-01-26',
      to: today,
      label: 'in the last 5 days',
    });
    expect(rangeOf('renewals by end of year', today)).toEqual({
      from: today,
      to: '2026-12-31',
      label: 'by 31 Dec 2026',
    });
  });
  it('refuses dates that do not exist and dates in the past', () => {
    expect(parseQuestion('what renews by 2027-02-29', { today: '2026-06-15' })).toMatchObject({
      ok: false,
      failure: { problem: expect.stringContaining('not a date') },
    });
    expect(parseQuestion('what renews by 2026-01-31', { today: '2026-06-15' })).toMatchObject({
      ok: false,
      failure: { problem: expect.stringContaining('in the past') },
    });
  });
});
