import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../src/parse/index.js';
import type { Question as LmaRequest } from '../../src/parse/requests.js';

// 2026-06-15 is a Monday: "this week" is 15–21 June, "next week" 22–28 June.
const ctx = { today: '2026-06-15', packages: ['Invoicer', 'Timesheets Pro', 'Expense Tracker'] };
const TODAY = '2026-06-15';
const NEXT_YEAR = { from: TODAY, to: '2027-06-15', label: 'in the next year' };
const LAST_YEAR = { from: '2025-06-15', to: TODAY, label: 'in the last year' };
const THIS_MONTH_AHEAD = { from: TODAY, to: '2026-06-30', label: 'this month' };
const next = (to: string, days: number) => ({ from: TODAY, to, label: `in the next ${days} days` });
const acme = { term: 'Acme' };
const previous = { previous: true } as const;

const PHRASINGS: Array<[string, LmaRequest]> = [
  // status
  ["what's the status of Acme", { kind: 'status', customer: acme }],
  ['status of Acme', { kind: 'status', customer: acme }],
  ['What’s the STATUS of Acme?!', { kind: 'status', customer: acme }],
  ['whats the staus of Acme', { kind: 'status', customer: acme }],
  ['is Globex still on trial?', { kind: 'status', customer: { term: 'Globex' } }],
  ['is Globex still on a trail??', { kind: 'status', customer: { term: 'Globex' } }],
  ['tell me about Initech', { kind: 'status', customer: { term: 'Initech' } }],
  ['Acme?', { kind: 'status', customer: acme }],
  ['Acme Corp?', { kind: 'status', customer: { term: 'Acme Corp' } }],
  ['and Globex?', { kind: 'status', customer: { term: 'Globex' } }],
  ['<@U0LMA> Acme? :eyes:', { kind: 'status', customer: acme }],
  ["what's up with Bank of America?", { kind: 'status', customer: { term: 'Bank of America' } }],
  ["how's Acme doing?", { kind: 'status', customer: acme }],
  ['is Acme paid?', { kind: 'status', customer: acme }],
  ['status of 00D5g000001abcDEAQ', { kind: 'status', customer: { term: '00D5g000001abcDEAQ' } }],
  ['IT Solutions status', { kind: 'status', customer: { term: 'IT Solutions' } }],
  [
    'hey <@U1|lma> what’s the status of <https://acme.com|Acme Inc>?? :tada:',
    { kind: 'status', customer: { term: 'Acme Inc' } },
  ],
  ['<#C123|sales> status of AT&amp;T please', { kind: 'status', customer: { term: 'AT&T' } }],
  ['🚀 status of Acme 🎉', { kind: 'status', customer: acme }],
  ['status of Acme package:Invoicer', { kind: 'status', customer: acme, package: 'Invoicer' }],
  // renewals
  ['when does Acme renew', { kind: 'renewals', range: NEXT_YEAR, customer: acme }],
  ['<@U0LMA> when does Acme Corp renew?', { kind: 'renewals', range: NEXT_YEAR, customer: { term: 'Acme Corp' } }],
  ['When does ACME renew ???', { kind: 'renewals', range: NEXT_YEAR, customer: { term: 'ACME' } }],
  ['when does Acme renwe', { kind: 'renewals', range: NEXT_YEAR, customer: acme }],
  ["when is Acme's renewal?", { kind: 'renewals', range: NEXT_YEAR, customer: acme }],
  ['when does Acme Corp come up for renewal', { kind: 'renewals', range: NEXT_YEAR, customer: { term: 'Acme Corp' } }],
  ['renewals this month', { kind: 'renewals', range: THIS_MONTH_AHEAD }],
  ['RENEWALS THIS MONTH!!!', { kind: 'renewals', range: THIS_MONTH_AHEAD }],
  ['renewls this month', { kind: 'renewals', range: THIS_MONTH_AHEAD }],
  ["what's up for renewal in the next 60 days", { kind: 'renewals', range: next('2026-08-14', 60) }],
  ['what is up for renewal within 60 days?', { kind: 'renewals', range: next('2026-08-14', 60) }],
  ['renewals next week', { kind: 'renewals', range: { from: '2026-06-22', to: '2026-06-28', label: 'next week' } }],
  [
    'what renews by 2027-01-31',
    { kind: 'renewals', range: { from: TODAY, to: '2027-01-31', label: 'by 31 Jan 2027' } },
  ],
  ['what renews by Jan 31', { kind: 'renewals', range: { from: TODAY, to: '2027-01-31', label: 'by 31 Jan 2027' } }],
  [
    'what renews by 31 January 2027?',
    { kind: 'renewals', range: { from: TODAY, to: '2027-01-31', label: 'by 31 Jan 2027' } },
  ],
  ['what renews by 12/31', { kind: 'renewals', range: { from: TODAY, to: '2026-12-31', label: 'by 31 Dec 2026' } }],
  [
    'renewals by the end of the month',
    { kind: 'renewals', range: { from: TODAY, to: '2026-06-30', label: 'by 30 Jun 2026' } },
  ],
  [
    'what expires next month',
    { kind: 'renewals', range: { from: '2026-07-01', to: '2026-07-31', label: 'next month' } },
  ],
  [
    'renewals next quarter',
    { kind: 'renewals', range: { from: '2026-07-01', to: '2026-09-30', label: 'next quarter' } },
  ],
  [
    "what's up for renewal in 2 weeks",
    { kind: 'renewals', range: { from: TODAY, to: '2026-06-29', label: 'in the next 2 weeks' } },
  ],
  [
    'renewals within a month',
    { kind: 'renewals', range: { from: TODAY, to: '2026-07-15', label: 'in the next month' } },
  ],
  ['renewals today', { kind: 'renewals', range: { from: TODAY, to: TODAY, label: 'today' } }],
  [
    'anything renewing tomorrow?',
    { kind: 'renewals', range: { from: '2026-06-16', to: '2026-06-16', label: 'tomorrow' } },
  ],
  ['renewals 60', { kind: 'renewals', range: next('2026-08-14', 60) }],
  ['Invoicer renewals this month', { kind: 'renewals', range: THIS_MONTH_AHEAD, package: 'Invoicer' }],
  // trials
  [
    'which trials end this week',
    { kind: 'trials', range: { from: TODAY, to: '2026-06-21', label: 'expiring this week' } },
  ],
  [
    'Which TRAILS end this week?',
    { kind: 'trials', range: { from: TODAY, to: '2026-06-21', label: 'expiring this week' } },
  ],
  [
    'which trials expire this week',
    { kind: 'trials', range: { from: TODAY, to: '2026-06-21', label: 'expiring this week' } },
  ],
  ['trials for Invoicer', { kind: 'trials', package: 'Invoicer' }],
  ['trails for invoicer', { kind: 'trials', package: 'Invoicer' }],
  [
    'trials ending in 10 days',
    { kind: 'trials', range: { from: TODAY, to: '2026-06-25', label: 'expiring in the next 10 days' } },
  ],
  ['trials for the Timesheets Pro package', { kind: 'trials', package: 'Timesheets Pro' }],
  ['any trials?', { kind: 'trials' }],
  // conversions
  [
    'how many trials converted last month',
    { kind: 'conversions', range: { from: '2026-05-01', to: '2026-05-31', label: 'last month' } },
  ],
  [
    'how many trials convrted last month?',
    { kind: 'conversions', range: { from: '2026-05-01', to: '2026-05-31', label: 'last month' } },
  ],
  ['conversions this month', { kind: 'conversions', range: { from: '2026-06-01', to: TODAY, label: 'this month' } }],
  ['did Initech convert?', { kind: 'conversions', range: LAST_YEAR, customer: { term: 'Initech' } }],
  ['has Initech converted yet', { kind: 'conversions', range: LAST_YEAR, customer: { term: 'Initech' } }],
  [
    'conversions in the last 90 days',
    { kind: 'conversions', range: { from: '2026-03-17', to: TODAY, label: 'in the last 90 days' } },
  ],
  [
    'conversions last week',
    { kind: 'conversions', range: { from: '2026-06-08', to: '2026-06-14', label: 'last week' } },
  ],
  [
    'conversions since March 1',
    { kind: 'conversions', range: { from: '2026-03-01', to: TODAY, label: 'since 1 Mar 2026' } },
  ],
  // seats
  ['how many seats does Acme use', { kind: 'seats', customer: acme }],
  ['How many SEETS does Acme use?', { kind: 'seats', customer: acme }],
  ["Acme's seats?", { kind: 'seats', customer: acme }],
  ['who is over their seats', { kind: 'health', list: 'over' }],
  ['anyone over seats? 🤔', { kind: 'health', list: 'over' }],
  ['is anyone using more seats than they bought', { kind: 'health', list: 'over' }],
  // seat health
  ['who is at risk?', { kind: 'health', list: 'risk' }],
  ["who's at risk in Invoicer", { kind: 'health', list: 'risk', package: 'Invoicer' }],
  ['which trials are hot?', { kind: 'health', list: 'hot' }],
  ['hottest trials of Timesheets', { kind: 'health', list: 'hot', package: 'Timesheets Pro' }],
  ['seats for Acme package:"Timesheets Pro"', { kind: 'seats', customer: acme, package: 'Timesheets Pro' }],
  // "my": the asker's own customers, on the lists that can be narrowed to them
  [
    'which of my trials expire this week?',
    { kind: 'trials', range: { from: TODAY, to: '2026-06-21', label: 'expiring this week' }, mine: true },
  ],
  ['what are my renewals this month?', { kind: 'renewals', range: THIS_MONTH_AHEAD, mine: true }],
  ['my renewals', { kind: 'renewals', range: next('2026-07-15', 30), mine: true }],
  ['which renewals this month are mine?', { kind: 'renewals', range: THIS_MONTH_AHEAD, mine: true }],
  ['my trials for Invoicer', { kind: 'trials', package: 'Invoicer', mine: true }],
  ['who of mine is at risk?', { kind: 'health', list: 'risk', mine: true }],
  ['which of my customers are over their seats?', { kind: 'health', list: 'over', mine: true }],
  ['when does my customer Acme renew?', { kind: 'renewals', range: NEXT_YEAR, customer: acme }],
  // version
  ['which version is Acme on', { kind: 'version', customer: acme }],
  ['wich verison is Acme on?', { kind: 'version', customer: acme }],
  ['who is still on 1.x of Invoicer', { kind: 'version', versionPrefix: '1.', package: 'Invoicer' }],
  ['who is on version 2 of Timesheets', { kind: 'version', versionPrefix: '2.', package: 'Timesheets Pro' }],
  ['who is on 2.14.1?', { kind: 'version', versionPrefix: '2.14.1' }],
  ['what version of Invoicer is Acme on', { kind: 'version', customer: acme, package: 'Invoicer' }],
  // help
  ['help', { kind: 'help', topic: 'ask' }],
  ['<@U0LMA> help!', { kind: 'help', topic: 'ask' }],
  ['what can you do', { kind: 'help', topic: 'ask' }],
  ['What can you do?', { kind: 'help', topic: 'ask' }],
  ['?', { kind: 'help', topic: 'ask' }],
  ['hi', { kind: 'help', topic: 'ask' }],
  // follow-ups
  ['and their seats?', { kind: 'seats', customer: previous }],
  ['when do they renew?', { kind: 'renewals', range: NEXT_YEAR, customer: previous }],
  ['what about their version?', { kind: 'version', customer: previous }],
  ['and them?', { kind: 'status', customer: previous }],
  ['did they convert?', { kind: 'conversions', range: LAST_YEAR, customer: previous }],
  ['how many seats is this customer using?', { kind: 'seats', customer: previous }],
  ['are they still on trial?', { kind: 'status', customer: previous }],
];

describe('parseQuestion maps plain-English phrasings to requests', () => {
  it('has a table of at least 60 phrasings', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(60);
  });
  it.each(PHRASINGS)('%s', (text, request) => {
    expect(parseQuestion(text, ctx)).toEqual({ ok: true, request });
  });
});

const DECLINED: Array<[string, RegExp, string | undefined]> = [
  ["delete Acme's license", /only read/, 'a request to delete something'],
  ["can you extend Acme's trial", /only read/, 'a request to extend something'],
  ['please cancel Globex', /only read/, 'a request to cancel something'],
  ["what's the weather", /couldn't match/, undefined],
  ['write me a poem', /couldn't match/, undefined],
  ['tell me a joke', /couldn't match/, undefined],
  ['what time is it?', /couldn't match/, undefined],
  ['', /nothing/, undefined],
  ['   ', /nothing/, undefined],
  ['🎉🎉 :tada:', /nothing/, undefined],
  ['<@U0LMA>', /nothing/, undefined],
  ['Acme', /ask “Acme\?”/, 'a name, “Acme”'],
  ['renewals last month', /look ahead/, 'a question about renewals'],
  ['conversions next week', /look back/, 'a question about conversions'],
  ['renewals by Feb 30', /not a date/, 'a question about renewals'],
  ['renewals in the next 99999 days', /out of range/, 'a question about renewals'],
  ['renewals in 60', /in the next 60 days/, 'a question about renewals'],
  ['renewals this month and conversions', /one thing at a time/, 'questions about conversions and renewals'],
  ['renewals this month and next month', /more than one time window/, 'a question about renewals'],
  ['how many seats did Acme use last month', /how things stand today/, 'a question about seats'],
  ['seats?', /Which customer/, 'a question about seats'],
  ['my conversions this year', /“My” narrows trials, renewals and seat health/, 'a question about conversions'],
  ['what is the status', /Which customer/, "a question about a customer's status"],
  ['which versions?', /Which customer, or which version/, 'a question about installed versions'],
  ['when does Acme renew for Globex', /more than one name/, 'a question about renewals'],
  ['status of package:', /needs a name/, undefined],
];

describe('parseQuestion declines what it cannot map, saying what it understood', () => {
  it.each(DECLINED)('%j', (text, problem, understood) => {
    const result = parseQuestion(text, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.problem).toMatch(problem);
    expect(result.failure.understood).toBe(understood);
  });
});

describe('parseQuestion without a package list', () => {
  const bare = { today: TODAY };
  it('reads "trials for X" and "on 1.x of X" as a package', () => {
    expect(parseQuestion('trials for Invoicer', bare)).toEqual({
      ok: true,
      request: { kind: 'trials', package: 'Invoicer' },
    });
    expect(parseQuestion('who is still on 1.x of Invoicer', bare)).toEqual({
      ok: true,
      request: { kind: 'version', versionPrefix: '1.', package: 'Invoicer' },
    });
  });
  it('still reads a yes/no trial question as the status of a customer', () => {
    expect(parseQuestion('is Globex still on trial?', bare)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'Globex' } },
    });
  });
});

describe('parseQuestion never corrects a customer name', () => {
  it('keeps a name that is one typo away from a keyword', () => {
    expect(parseQuestion('status of Renewl Corp', ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'Renewl Corp' } },
    });
  });
  it('keeps the name as typed, case and all', () => {
    expect(parseQuestion('when does aCME gmbh renew', ctx)).toMatchObject({
      ok: true,
      request: { customer: { term: 'aCME gmbh' } },
    });
  });
});

describe('parseQuestion: how things stand now, and names it cannot place', () => {
  const known = { today: TODAY, packages: ['Invoicer'] };
  const bare = { today: TODAY };
  it('status, seats and versions are read for today only: another time is declined, saying so', () => {
    for (const text of [
      'status of Acme tomorrow',
      'what version is Acme on next week',
      'how many seats does Acme use last month',
    ])
      expect(parseQuestion(text, known)).toMatchObject({
        ok: false,
        failure: { problem: 'I can only tell how things stand today, not for another time.' },
      });
    expect(parseQuestion('status of Acme today', known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: acme },
    });
  });

  it('with no package list, the name after "in" or "of" in a version-prefix question is the package', () => {
    expect(parseQuestion('who is on 1.x in Scheduler', bare)).toEqual({
      ok: true,
      request: { kind: 'version', versionPrefix: '1.', package: 'Scheduler' },
    });
    expect(parseQuestion('which trials end this week for Scheduler', bare)).toEqual({
      ok: true,
      request: {
        kind: 'trials',
        range: { from: TODAY, to: '2026-06-21', label: 'expiring this week' },
        package: 'Scheduler',
      },
    });
  });

  it('two names that are not both placed are declined, each named', () => {
    expect(parseQuestion('status of Acme for Scheduler', bare)).toEqual({
      ok: false,
      failure: {
        problem: "I read more than one name (“Acme”, “Scheduler”) and can't tell which you mean.",
        understood: "a question about a customer's status",
      },
    });
  });

  it('a version question needs a customer, a prefix or a package', () => {
    expect(parseQuestion('which version', known)).toEqual({
      ok: false,
      failure: {
        problem: 'Which customer, or which version (e.g. “who is on 1.x”)?',
        understood: 'a question about installed versions',
      },
    });
    expect(parseQuestion('who is on 1.x', known)).toEqual({
      ok: true,
      request: { kind: 'version', versionPrefix: '1.' },
    });
  });
});

/** Questions whose reading turns on one word's role: each pins what that word does to the request. */
describe('parseQuestion: how each word is read', () => {
  const known = { today: TODAY, packages: ['Invoicer', 'Timesheets Pro'] };
  const bare = { today: TODAY };
  const declined = (problem: string, understood?: string) => ({
    ok: false,
    failure: understood === undefined ? { problem } : { problem, understood },
  });

  it.each([
    ['who is on v2?', '2.'],
    ['who is on release 3?', '3.'],
    ['who is on 2.14?', '2.14.'],
    // A wildcard after three numbers still ends in a dot: 2.14.1.x is not 2.14.10.
    ['who is on 2.14.1.x?', '2.14.1.'],
  ])('a version typed as %j is the prefix %j', (text, versionPrefix) => {
    expect(parseQuestion(text, known)).toEqual({ ok: true, request: { kind: 'version', versionPrefix } });
  });

  it('a question mark typed apart, or dots before a verb, change nothing', () => {
    expect(parseQuestion('Acme ?', known)).toEqual({ ok: true, request: { kind: 'status', customer: acme } });
    expect(parseQuestion('help ?', known)).toEqual({ ok: true, request: { kind: 'help', topic: 'ask' } });
    expect(parseQuestion('... delete Acme', known)).toEqual(
      declined(
        "I only read license data; I can't change anything. Make changes in the LMO itself.",
        'a request to delete something',
      ),
    );
  });

  it('two-word cues: "look up" first asks for a status; "too many" means over their seats', () => {
    expect(parseQuestion('look up Acme', known)).toEqual({ ok: true, request: { kind: 'status', customer: acme } });
    expect(parseQuestion('who has too many seats?', known)).toEqual({
      ok: true,
      request: { kind: 'health', list: 'over' },
    });
    // A status cue is not an over cue: seats with no customer still ask which one.
    expect(parseQuestion('look up seats for Invoicer', known)).toEqual(
      declined('Which customer? Or ask “who is over their seats?”.', 'a question about seats'),
    );
    // "too many" without seats says nothing about a customer's status.
    expect(parseQuestion('who is using too many licenses?', known)).toEqual(
      declined("I couldn't match that to a question about licenses."),
    );
    // "than" without "more" is not over: fewer seats than bought.
    expect(parseQuestion('who has less seats than they bought?', known)).toEqual(
      declined('Which customer? Or ask “who is over their seats?”.', 'a question about seats'),
    );
  });

  it('"this company" is the customer before; a name before "account" stays a name', () => {
    expect(parseQuestion('how many seats is this company using?', known)).toEqual({
      ok: true,
      request: { kind: 'seats', customer: previous },
    });
    expect(parseQuestion('this company still on trial?', known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: previous },
    });
    expect(parseQuestion("when does Acme's account renew?", known)).toEqual({
      ok: true,
      request: { kind: 'renewals', range: NEXT_YEAR, customer: acme },
    });
  });

  it('a keyword or a time phrase between two names keeps them apart', () => {
    const acmeInvoicer = { kind: 'renewals', range: NEXT_YEAR, package: 'Invoicer', customer: acme };
    expect(parseQuestion('when does Acme renew Invoicer', known)).toEqual({ ok: true, request: acmeInvoicer });
    expect(parseQuestion('when does Acme renwe Invoicer', known)).toEqual({ ok: true, request: acmeInvoicer });
    expect(parseQuestion('renewals for Acme tomorrow Globex', known)).toEqual(
      declined(
        "I read more than one name (“Acme”, “Globex”) and can't tell which you mean.",
        'a question about renewals',
      ),
    );
  });

  it('a typo in a capitalised first word is still a keyword', () => {
    expect(parseQuestion('Renewls this month', known)).toEqual({
      ok: true,
      request: { kind: 'renewals', range: THIS_MONTH_AHEAD },
    });
  });

  it('a name keeps an inner "\'s" and loses a trailing "and"', () => {
    expect(parseQuestion("status of Macy's Store", known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: "Macy's Store" } },
    });
    expect(parseQuestion('status of Acme and…', known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: acme },
    });
  });

  it('without a package list, only a name after for/of/in/on in a list question is a package', () => {
    // After "for", though it follows another name.
    expect(parseQuestion('is Acme for Scheduler still on trial?', bare)).toEqual({
      ok: true,
      request: { kind: 'status', customer: acme, package: 'Scheduler' },
    });
    expect(parseQuestion('any trials on Scheduler?', bare)).toEqual({
      ok: true,
      request: { kind: 'trials', package: 'Scheduler' },
    });
    // A name before "trials", "of" inside it, is the customer.
    expect(parseQuestion('Bank of America trials?', bare)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'Bank of America' } },
    });
    // A version prefix with two names: the one after "of" is the package.
    expect(parseQuestion('is Acme on 1.x of Scheduler', bare)).toEqual({
      ok: true,
      request: { kind: 'version', customer: acme, versionPrefix: '1.', package: 'Scheduler' },
    });
    // No version prefix: two names are not placed.
    expect(parseQuestion('what version of Scheduler is Acme on', bare)).toEqual(
      declined(
        "I read more than one name (“Scheduler”, “Acme”) and can't tell which you mean.",
        'a question about installed versions',
      ),
    );
    // A `package:` already given: the name after "for" is the customer.
    expect(parseQuestion('trials for Acme package:Scheduler', bare)).toEqual({
      ok: true,
      request: { kind: 'status', customer: acme, package: 'Scheduler' },
    });
  });

  it('with a package list, a name that is not one of its packages is the customer', () => {
    expect(parseQuestion('trials for Scheduler', known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'Scheduler' } },
    });
    // A `package:` wins over a name that is also a package: that name is the customer.
    expect(parseQuestion('when does Invoicer renew package:"Timesheets Pro"', known)).toEqual({
      ok: true,
      request: { kind: 'renewals', range: NEXT_YEAR, package: 'Timesheets Pro', customer: { term: 'Invoicer' } },
    });
  });

  it('a bare name with `package:` asks for its status in that package', () => {
    expect(parseQuestion('Acme? package:Invoicer', known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: acme, package: 'Invoicer' },
    });
  });

  it('a bare name with a joining word asks for its status, as the reply to a bare name says to', () => {
    for (const name of ['Bank of America', 'Johnson and Johnson', 'Bank of the West'])
      expect(parseQuestion(`${name}?`, known)).toEqual({
        ok: true,
        request: { kind: 'status', customer: { term: name } },
      });
    // A joining word at an edge, or with only punctuation on one side, is not inside a name.
    for (const text of ['Acme and?', 'of Acme?', 'Acme and ?', '? of Acme?'])
      expect(parseQuestion(text, known)).toEqual(declined("I couldn't match that to a question about licenses."));
  });

  it('no topic and no name, or only a connector, is not a question', () => {
    for (const text of ['what is this?', 'and?', 'not Acme?'])
      expect(parseQuestion(text, known)).toEqual(declined("I couldn't match that to a question about licenses."));
  });

  it('a trials list for a past window is declined, saying why', () => {
    for (const text of ['which trials end last month?', 'which trials ended last month?'])
      expect(parseQuestion(text, known)).toEqual(
        declined('Trial expirations look ahead, but “last month” is in the past.', 'a question about trials'),
      );
  });

  it('"fewer" and "ended" are grammar, never a customer\'s name', () => {
    expect(parseQuestion('who uses fewer seats than they bought?', known)).toEqual(
      declined('Which customer? Or ask “who is over their seats?”.', 'a question about seats'),
    );
  });

  it('a status question with a time phrase that is not a date is declined as another time', () => {
    expect(parseQuestion('status of Acme by Feb 30', known)).toEqual(
      declined('I can only tell how things stand today, not for another time.', "a question about a customer's status"),
    );
  });

  it('a version question with only a package lists its installs', () => {
    expect(parseQuestion('which versions of Invoicer?', known)).toEqual({
      ok: true,
      request: { kind: 'version', package: 'Invoicer' },
    });
  });

  it('reads a message of exactly the longest length', () => {
    const name = 'A'.repeat(490);
    expect(parseQuestion(`status of ${name}`, known)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: name } },
    });
  });

  it('a question typed like a command keeps its `package:`', () => {
    expect(parseQuestion('renewals 60 package:Invoicer', known)).toEqual({
      ok: true,
      request: { kind: 'renewals', range: next('2026-08-14', 60), package: 'Invoicer' },
    });
  });

  it('seat-health lists: "hot" needs trials; a package may narrow; a customer or two names are declined', () => {
    expect(parseQuestion('which customers are hot?', known)).toEqual(
      declined("I couldn't match that to a question about licenses."),
    );
    expect(parseQuestion('which trial is hottest?', known)).toEqual({
      ok: true,
      request: { kind: 'health', list: 'hot' },
    });
    expect(parseQuestion('hottest trials for Scheduler', bare)).toEqual({
      ok: true,
      request: { kind: 'health', list: 'hot', package: 'Scheduler' },
    });
    expect(parseQuestion('who is at risk, Acme or Globex?', known)).toEqual(
      declined("I read more than one name (“Acme”, “Globex”) and can't tell which you mean.", 'a question about seats'),
    );
    const oneCustomer = 'Seat health lists every customer; ask “their seats?” about one customer.';
    expect(parseQuestion('is Acme at risk?', known)).toEqual(
      declined(oneCustomer, 'a question about licenses at risk'),
    );
    expect(parseQuestion('is Acme a hot trial?', known)).toEqual(declined(oneCustomer, 'a question about hot trials'));
  });
});
