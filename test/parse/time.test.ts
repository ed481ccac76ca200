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
  it('refuses an empty window in a question as empty, saying what it understood', () => {
    expect(parseQuestion('what renews in the next 0 weeks?', { today: '2026-06-15' })).toEqual({
      ok: false,
      failure: {
        problem: '`0 weeks` is an empty window: a window is at least one day.',
        understood: 'a question about renewals',
      },
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

/** Each window phrase after a command, read on Monday 15 Jun 2026: the range it gives, or why it is refused. */
describe('time phrases after a command', () => {
  const on = { today: '2026-06-15', packages: ['Invoicer'] };
  const range = (from: string, to: string, label: string) => ({ from, to, label });
  it.each([
    ['renewals in the next quarter', range('2026-06-15', '2026-09-15', 'in the next quarter')],
    ['renewals next 2 quarters', range('2026-06-15', '2026-12-15', 'in the next 2 quarters')],
    ['renewals in the next year', range('2026-06-15', '2027-06-15', 'in the next year')],
    ['renewals in the next month', range('2026-06-15', '2026-07-15', 'in the next month')],
    ['renewals in the next 2 weeks', range('2026-06-15', '2026-06-29', 'in the next 2 weeks')],
    ['renewals next 52 weeks', range('2026-06-15', '2027-06-14', 'in the next 52 weeks')],
    ['renewals within 2 weeks', range('2026-06-15', '2026-06-29', 'in the next 2 weeks')],
    ['renewals within 2 weeks from now', range('2026-06-15', '2026-06-29', 'in the next 2 weeks')],
    ['renewals in 2 weeks', range('2026-06-15', '2026-06-29', 'in the next 2 weeks')],
    // "over" says no direction: the question's own.
    ['conversions over 2 weeks', range('2026-06-01', '2026-06-15', 'in the last 2 weeks')],
    // A calendar span is cut at today.
    ['renewals this quarter', range('2026-06-15', '2026-06-30', 'this quarter')],
    ['conversions this year', range('2026-01-01', '2026-06-15', 'this year')],
    ['trials tonight', range('2026-06-15', '2026-06-15', 'expiring today')],
    ['conversions yesterday', range('2026-06-14', '2026-06-14', 'yesterday')],
    ['conversions since jun 1', range('2026-06-01', '2026-06-15', 'since 1 Jun 2026')],
    ['conversions since jun 15', range('2026-06-15', '2026-06-15', 'since 15 Jun 2026')],
    ['renewals by 7/31', range('2026-06-15', '2026-07-31', 'by 31 Jul 2026')],
    ['renewals by 7/31/27', range('2026-06-15', '2027-07-31', 'by 31 Jul 2027')],
    ['renewals by 7/31/2027', range('2026-06-15', '2027-07-31', 'by 31 Jul 2027')],
    ['renewals by 31 jan', range('2026-06-15', '2027-01-31', 'by 31 Jan 2027')],
    ['renewals by 31st of january', range('2026-06-15', '2027-01-31', 'by 31 Jan 2027')],
    ['renewals by jan 31 2027', range('2026-06-15', '2027-01-31', 'by 31 Jan 2027')],
    ['renewals by the end of the month', range('2026-06-15', '2026-06-30', 'by 30 Jun 2026')],
    ['renewals by end of this quarter', range('2026-06-15', '2026-06-30', 'by 30 Jun 2026')],
    ['renewals until the end of year', range('2026-06-15', '2026-12-31', 'by 31 Dec 2026')],
  ] as const)('/lma %s', (text, expected) => {
    expect(parseCommand(text, on)).toMatchObject({ ok: true, request: { range: expected } });
  });

  const NOT_PACKAGE = 'is not a package I know';
  it.each([
    // A number of days that is not a whole number is "not allowed"; anything else is not a number at all.
    ['trials 1.5', '`1.5` is not allowed'],
    ['trials 12.55', '`12.55` is not allowed'],
    ['trials .55', '`.55` is not allowed'],
    ['trials .5', '`.5` is not allowed'],
    ['trials 1x.5', '`1x.5` is not a number of days'],
    ['trials 1.5x', '`1.5x` is not a number of days'],
    ['trials 1e3', '`1e3` is not a number of days'],
    // The wrong way, said with the phrase as read.
    ['renewals last month', 'Renewals look ahead, but “last month” is in the past.'],
    ['conversions next month', 'Conversions look back, but “next month” is in the future.'],
    ['renewals last 30 days', 'Renewals look ahead, but “in the last 30 days” is in the past.'],
    ['conversions next 2 weeks', 'Conversions look back, but “in the next 2 weeks” is in the future.'],
    ['conversions within 2 weeks', 'Conversions look back, but “in the next 2 weeks” is in the future.'],
    ['conversions in 2 weeks', 'Conversions look back, but “in the next 2 weeks” is in the future.'],
    ['conversions over 2 weeks from now', 'Conversions look back, but “in the next 2 weeks” is in the future.'],
    ['conversions by jul 31', 'Conversions look back, but 31 Jul 2026 is in the future.'],
    ['renewals by jun 1 2026', 'Renewals look ahead, but 1 Jun 2026 is in the past.'],
    ['renewals since jun 1', 'Renewals look ahead, but 1 Jun 2026 is in the past.'],
    ['conversions since 2026-07-01', 'Conversions look back, but 1 Jul 2026 is in the future.'],
    // Too long a window, in its own unit.
    ['renewals next 53 weeks', '`53 weeks` is too long a window: 52 weeks at most.'],
    ['renewals next 13 months', '`13 months` is too long a window: 12 months at most.'],
    ['renewals next 5 quarters', '`5 quarters` is too long a window: 4 quarters at most.'],
    // A limit of one is said in the singular.
    ['renewals next 2 years', '`2 years` is too long a window: 1 year at most.'],
    // An empty window is refused as empty, not as too long; days say their range as `/lma renewals 0` does.
    ['renewals next 0 weeks', '`0 weeks` is an empty window: a window is at least one day.'],
    ['renewals in the next 0 months', '`0 months` is an empty window: a window is at least one day.'],
    ['conversions last 0 years', '`0 years` is an empty window: a window is at least one day.'],
    ['renewals next 0 days', '`0` days is out of range: give a whole number of days from 1 to 365.'],
    ['renewals in the next 400 days', '`400` days is out of range'],
    // A date that does not exist, named as typed.
    ['renewals by feb 30', '`feb 30` is not a date I can read.'],
    ['renewals by feb 30 2027', '`feb 30 2027` is not a date I can read.'],
    // Words that only look like a phrase are not one: the whole text is refused as a package.
    ['renewals next x30 days', `\`next x30 days\` ${NOT_PACKAGE}`],
    ['renewals next 30x days', `\`next 30x days\` ${NOT_PACKAGE}`],
    ['renewals by jan x31', `\`by jan x31\` ${NOT_PACKAGE}`],
    ['renewals by jan 31x', `\`by jan 31x\` ${NOT_PACKAGE}`],
    ['renewals by 2026-07-31x', `\`by 2026-07-31x\` ${NOT_PACKAGE}`],
    ['renewals by x2026-07-31', `\`by x2026-07-31\` ${NOT_PACKAGE}`],
    ['renewals by 7/31x', `\`by 7/31x\` ${NOT_PACKAGE}`],
    ['renewals by x7/31', `\`by x7/31\` ${NOT_PACKAGE}`],
    ['renewals by 7/31/2', `\`by 7/31/2\` ${NOT_PACKAGE}`],
    ['renewals next day', `\`next day\` ${NOT_PACKAGE}`],
    ['renewals by the end of the day', `\`by the end of the day\` ${NOT_PACKAGE}`],
    ['renewals by the end of june', `\`by the end of june\` ${NOT_PACKAGE}`],
    ['renewals after jan 31', `\`after jan 31\` ${NOT_PACKAGE}`],
    ['renewals within 2 weeks from', `\`from\` ${NOT_PACKAGE}`],
    // "2 weeks ago" is one day, not a window: left unread.
    ['conversions over 2 weeks ago', `\`over 2 weeks ago\` ${NOT_PACKAGE}`],
    ['conversions over 2 weeks back', `\`over 2 weeks back\` ${NOT_PACKAGE}`],
    // A year that is not four digits alone is not the date's year.
    ['renewals by jan 31 2027x', `\`2027x\` ${NOT_PACKAGE}`],
    ['renewals by jan 31 x2027', `\`x2027\` ${NOT_PACKAGE}`],
    ['renewals by', '`by` is not a number of days or a package I know'],
  ] as const)('/lma %s is refused', (text, problem) => {
    const result = parseCommand(text, on);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.problem.startsWith(problem), result.failure.problem).toBe(true);
  });
});
