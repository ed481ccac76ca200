/**
 * The shared argument readers (src/parse/args.ts) as the commands built from them read their words: `mine`, the
 * health command's package, a quoted customer, a day count's unit, a time phrase that fails, and a trailing word
 * beside `package:`. Through the bot's real command table, so each case is what a user typing it gets.
 */
import { describe, expect, it } from 'vitest';
import { type LmaRequest, parseCommand } from '../support/commands.js';

const TODAY = '2026-06-15';
const ctx = {
  today: TODAY,
  packages: ['Invoicer', 'Timesheets Pro', 'Expense Tracker', 'Sync2', 'Dashboard', 'Cloud'],
};
const NEXT_7 = { from: TODAY, to: '2026-06-22', label: 'expiring in the next 7 days' };

const ACCEPTED: Array<[string, LmaRequest]> = [
  ['trials mine', { kind: 'trials', mine: true }],
  ['trials MINE 7 invoicer', { kind: 'trials', range: NEXT_7, package: 'Invoicer', mine: true }],
  [
    'renewals mine 60',
    { kind: 'renewals', range: { from: TODAY, to: '2026-08-14', label: 'in the next 60 days' }, mine: true },
  ],
  ['health', { kind: 'health' }],
  ['health mine', { kind: 'health', mine: true }],
  ['health Invoicer', { kind: 'health', package: 'Invoicer' }],
  ['health package:Invoicer', { kind: 'health', package: 'Invoicer' }],
  // A pair of quotes around the whole name is dropped, with the spaces inside; quotes elsewhere are part of the name.
  ['status " Acme "', { kind: 'status', customer: { term: 'Acme' } }],
  ['status "Acme" Corp', { kind: 'status', customer: { term: '"Acme" Corp' } }],
  ['status Big "Acme"', { kind: 'status', customer: { term: 'Big "Acme"' } }],
  // A package whose name holds a digit is a package, not a day count; one starting or ending like "d" is not a unit.
  ['trials sync2', { kind: 'trials', package: 'Sync2' }],
  ['trials 7 d', { kind: 'trials', range: NEXT_7 }],
  ['trials 1 day', { kind: 'trials', range: { from: TODAY, to: '2026-06-16', label: 'expiring in the next day' } }],
  ['trials 7 dashboard', { kind: 'trials', range: NEXT_7, package: 'Dashboard' }],
  ['trials 7 cloud', { kind: 'trials', range: NEXT_7, package: 'Cloud' }],
];

describe('the argument readers accept', () => {
  it.each(ACCEPTED)('/lma %s', (text, request) => {
    expect(parseCommand(text, ctx)).toEqual({ ok: true, request });
  });
});

const REFUSED: Array<[string, string]> = [
  // Conversions are the team's, never one person's: `mine` is an unknown word there.
  ['conversions mine', '`mine` is not a number of days or a package I know'],
  ['health Nope', '`Nope` is not a package I know'],
  ['health foo bar', '`foo bar` is not a package I know'],
  // Two words are never a number of days.
  ['trials foo bar', '`foo bar` is not a package I know'],
  ['trials +7', '`+7` is not allowed: give a whole number of days from 1 to 365.'],
  ['renewals next 400 days', '`400` days is out of range'],
  // With `package:` given, a trailing word is not read as a second package.
  ['trials package:Invoicer expense', '`expense` is not a number of days or a package I know'],
];

describe('the argument readers refuse, saying what was wrong', () => {
  it.each(REFUSED)('/lma %s', (text, problem) => {
    const result = parseCommand(text, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.problem.startsWith(problem)).toBe(true);
  });
});
