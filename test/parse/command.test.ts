import { describe, expect, it } from 'vitest';
import { COMMAND_USAGE, type LmaRequest, parseCommand } from '../support/commands.js';

const ctx = { today: '2026-06-15', packages: ['Invoicer', 'Timesheets Pro', 'Expense Tracker'] };
const TODAY = '2026-06-15';

const ACCEPTED: Array<[string, LmaRequest]> = [
  ['', { kind: 'help' }],
  ['help', { kind: 'help' }],
  ['HELP', { kind: 'help' }],
  ['status Acme Corp', { kind: 'status', customer: { term: 'Acme Corp' } }],
  ['Status   00D5g000001abcD  ', { kind: 'status', customer: { term: '00D5g000001abcD' } }],
  ['status 00D5g000001abcDEAQ', { kind: 'status', customer: { term: '00D5g000001abcDEAQ' } }],
  ['status a0B5g00000XyZ12', { kind: 'status', customer: { term: 'a0B5g00000XyZ12' } }],
  ['status "Acme Corp"', { kind: 'status', customer: { term: 'Acme Corp' } }],
  ['status AT&amp;T', { kind: 'status', customer: { term: 'AT&T' } }],
  ['status Acme package:Invoicer', { kind: 'status', customer: { term: 'Acme' }, package: 'Invoicer' }],
  ['trials', { kind: 'trials' }],
  ['trials 7', { kind: 'trials', range: { from: TODAY, to: '2026-06-22', label: 'expiring in the next 7 days' } }],
  [
    'trials 10 days',
    { kind: 'trials', range: { from: TODAY, to: '2026-06-25', label: 'expiring in the next 10 days' } },
  ],
  [
    'trials 7 invoicer',
    {
      kind: 'trials',
      range: { from: TODAY, to: '2026-06-22', label: 'expiring in the next 7 days' },
      package: 'Invoicer',
    },
  ],
  ['trials Invoicer', { kind: 'trials', package: 'Invoicer' }],
  [
    'trials 14 timesheets pro',
    {
      kind: 'trials',
      range: { from: TODAY, to: '2026-06-29', label: 'expiring in the next 14 days' },
      package: 'Timesheets Pro',
    },
  ],
  ['trials expense', { kind: 'trials', package: 'Expense Tracker' }],
  ['trials this week', { kind: 'trials', range: { from: TODAY, to: '2026-06-21', label: 'expiring this week' } }],
  ['TRIALS 1', { kind: 'trials', range: { from: TODAY, to: '2026-06-16', label: 'expiring in the next day' } }],
  ['trials 365', { kind: 'trials', range: { from: TODAY, to: '2027-06-15', label: 'expiring in the next 365 days' } }],
  ['renewals', { kind: 'renewals', range: { from: TODAY, to: '2026-07-15', label: 'in the next 30 days' } }],
  ['renewal 30', { kind: 'renewals', range: { from: TODAY, to: '2026-07-15', label: 'in the next 30 days' } }],
  [
    'renewals 60 package:Invoicer',
    { kind: 'renewals', range: { from: TODAY, to: '2026-08-14', label: 'in the next 60 days' }, package: 'Invoicer' },
  ],
  [
    'renewals package:"Timesheets Pro" 90',
    {
      kind: 'renewals',
      range: { from: TODAY, to: '2026-09-13', label: 'in the next 90 days' },
      package: 'Timesheets Pro',
    },
  ],
  [
    'renewals package:“Timesheets Pro”',
    {
      kind: 'renewals',
      range: { from: TODAY, to: '2026-07-15', label: 'in the next 30 days' },
      package: 'Timesheets Pro',
    },
  ],
  [
    'package:Invoicer renewals',
    { kind: 'renewals', range: { from: TODAY, to: '2026-07-15', label: 'in the next 30 days' }, package: 'Invoicer' },
  ],
  [
    'renewals package:Unknown',
    { kind: 'renewals', range: { from: TODAY, to: '2026-07-15', label: 'in the next 30 days' }, package: 'Unknown' },
  ],
  ['renewals next month', { kind: 'renewals', range: { from: '2026-07-01', to: '2026-07-31', label: 'next month' } }],
  [
    'renewals 30 Invoicer',
    { kind: 'renewals', range: { from: TODAY, to: '2026-07-15', label: 'in the next 30 days' }, package: 'Invoicer' },
  ],
  ['conversions', { kind: 'conversions', range: { from: '2026-05-16', to: TODAY, label: 'in the last 30 days' } }],
  ['conversions 90', { kind: 'conversions', range: { from: '2026-03-17', to: TODAY, label: 'in the last 90 days' } }],
  [
    'conversions last month',
    { kind: 'conversions', range: { from: '2026-05-01', to: '2026-05-31', label: 'last month' } },
  ],
  [
    'conversions 30 Invoicer',
    {
      kind: 'conversions',
      range: { from: '2026-05-16', to: TODAY, label: 'in the last 30 days' },
      package: 'Invoicer',
    },
  ],
  ['install', { kind: 'install' }],
  ['digest', { kind: 'digest', post: false }],
  ['digest post', { kind: 'digest', post: true }],
  ['Digest POST', { kind: 'digest', post: true }],
];

describe('parseCommand accepts every command form', () => {
  it.each(ACCEPTED)('/lma %s', (text, request) => {
    expect(parseCommand(text, ctx)).toEqual({ ok: true, request });
  });
});

const REFUSED: Array<[string, RegExp, string]> = [
  ['status', /which customer/i, COMMAND_USAGE.status.usage],
  ['status   ', /which customer/i, COMMAND_USAGE.status.usage],
  ['trials abc', /`abc` is not a number of days or a package I know/, COMMAND_USAGE.trials.usage],
  ['trials -5', /`-5`/, COMMAND_USAGE.trials.usage],
  ['trials 0', /`0` days is out of range/, COMMAND_USAGE.trials.usage],
  ['trials 99999', /`99999` days is out of range/, COMMAND_USAGE.trials.usage],
  ['trials 1.5', /`1\.5`/, COMMAND_USAGE.trials.usage],
  ['trials 366', /`366` days is out of range/, COMMAND_USAGE.trials.usage],
  ['renewals abc', /`abc`/, COMMAND_USAGE.renewals.usage],
  ['renewals 30 60', /`60`/, COMMAND_USAGE.renewals.usage],
  ['renewals 30 Nope', /`Nope` is not a package I know/, COMMAND_USAGE.renewals.usage],
  ['renewals last month', /look ahead/, COMMAND_USAGE.renewals.usage],
  ['renewals package:', /needs a name/, COMMAND_USAGE.renewals.usage],
  ['renewals package:A package:B', /one `package:`/, COMMAND_USAGE.renewals.usage],
  ['conversions 0', /out of range/, COMMAND_USAGE.conversions.usage],
  ['conversions 400', /out of range/, COMMAND_USAGE.conversions.usage],
  ['conversions next week', /look back/, COMMAND_USAGE.conversions.usage],
  ['install now', /takes nothing/, COMMAND_USAGE.install.usage],
  ['install package:X', /does not take a package/, COMMAND_USAGE.install.usage],
  ['digest now', /`now`/, COMMAND_USAGE.digest.usage],
];

describe('parseCommand refuses bad input with the right usage', () => {
  it.each(REFUSED)('/lma %s', (text, problem, usage) => {
    const result = parseCommand(text, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.problem).toMatch(problem);
    expect(result.failure.usage).toBe(usage);
  });

  it('lists every command for an unknown one, suggesting the closest for a typo', () => {
    const typo = parseCommand('renewls 30', ctx);
    expect(typo).toMatchObject({
      ok: false,
      failure: { problem: '`renewls` is not a command. Did you mean `renewals`?' },
    });
    const unknown = parseCommand('weather', ctx);
    expect(unknown).toMatchObject({ ok: false, failure: { problem: '`weather` is not a command.' } });
    for (const result of [typo, unknown]) {
      if (result.ok) continue;
      for (const { usage } of Object.values(COMMAND_USAGE)) expect(result.failure.usage).toContain(usage);
    }
  });

  it('lists the usages one a line', () => {
    expect(parseCommand('weather', ctx)).toMatchObject({
      ok: false,
      failure: {
        usage: Object.values(COMMAND_USAGE)
          .map(({ usage }) => usage)
          .join('\n'),
      },
    });
  });

  it('with `package:` first, the command is the next word: none, or an unknown one, is said so', () => {
    expect(parseCommand('package:Invoicer', ctx)).toMatchObject({
      ok: false,
      failure: { problem: 'Which command? `package:` goes with one of these.' },
    });
    expect(parseCommand('package:Invoicer weather', ctx)).toMatchObject({
      ok: false,
      failure: { problem: '`weather` is not a command.' },
    });
  });

  it('a broken `package:` before any command is refused with every usage; after an unknown word, the word is', () => {
    const all = parseCommand('weather', ctx);
    if (all.ok) throw new Error('weather parsed');
    expect(parseCommand('package:A package:B', ctx)).toEqual({
      ok: false,
      failure: { problem: 'Give one `package:` at most.', usage: all.failure.usage },
    });
    expect(parseCommand('weather package:', ctx)).toMatchObject({
      ok: false,
      failure: { problem: '`weather` is not a command.' },
    });
  });

  it('suggests `status` for "stauts" and `trials` for "trails"', () => {
    expect(parseCommand('stauts Acme', ctx)).toMatchObject({
      ok: false,
      failure: { problem: expect.stringContaining('`status`') },
    });
    expect(parseCommand('trails', ctx)).toMatchObject({
      ok: false,
      failure: { problem: expect.stringContaining('`trials`') },
    });
  });

  it('refuses text over 500 characters without reading it', () => {
    const result = parseCommand(`status ${'x'.repeat(494)}`, ctx);
    expect(result).toMatchObject({ ok: false, failure: { problem: expect.stringContaining('501 characters') } });
    expect(parseCommand(`status ${'x'.repeat(493)}`, ctx).ok).toBe(true);
  });

  it('reads a trailing word as a package only when it names a known package', () => {
    expect(parseCommand('trials Invoicer', { today: TODAY }).ok).toBe(false);
    expect(parseCommand('trials in', ctx).ok).toBe(false);
  });
});

describe('COMMAND_USAGE', () => {
  it('gives every command a usage, a real example that parses, and a summary', () => {
    for (const [name, { usage, example, summary }] of Object.entries(COMMAND_USAGE)) {
      expect(usage).toMatch(new RegExp(`^/lma ${name}`));
      expect(summary.length).toBeGreaterThan(10);
      const parsed = parseCommand(example.replace(/^\/lma ?/, ''), ctx);
      expect(parsed).toMatchObject({ ok: true, request: { kind: name } });
    }
  });
});
