/**
 * Free-text questions ("@LMA when does Acme renew?", thread replies, DMs) → the same typed requests
 * as `/lma`, with the same building blocks: time phrases, day limits, package matching, windows.
 * Keywords tolerate typos; customer names are taken as typed, never corrected.
 */

import type { HealthListName } from '../lma/model.js';
import { trimEndWhere } from '../util/trim-end.js';
import { readWindowed } from './args.js';
import { CUSTOMER_WINDOW_DAYS, MAX_TEXT_LENGTH, type ParseContext } from './context.js';
import { type CalendarDate, requireIsoDate } from './dates.js';
import {
  CONNECTORS,
  DEMONSTRATIVES,
  FUZZY_KEYWORDS,
  GREETINGS,
  HELP_PATTERN,
  KEYWORDS,
  LIST_WORDS,
  MUTATING_VERBS,
  NAME_JOINERS,
  OVER_WORDS,
  OWNER_WORDS,
  PAIR_CUES,
  PRONOUNS,
  REFERENT_NOUNS,
  REQUEST_LEADS,
  STOP_WORDS,
  type Topic,
} from './lexicon.js';
import { extractPackageOption, matchPackage } from './package.js';
import type { CustomerRef, ParseResult, Question } from './requests.js';
import { findTimePhrases, type TimeMatch } from './time.js';
import { cleanSlackText, closestWord, type Token, tokenize, trimPunctuation } from './tokens.js';
import { defaultWindow, type WindowedKind, windowForDays, windowForPhrase } from './window.js';

type Role = 'time' | 'topic' | 'over' | 'list' | 'pronoun' | 'version' | 'stop' | 'punct' | 'content';

interface Classified extends Token {
  role: Role;
  topic?: Topic | 'expiry';
}

interface Region {
  text: string;
  /** The word just before the name ("for" in "trials for Invoicer"), if any. */
  after?: string;
}

/** Everything read from a question, before it is turned into a request. */
interface Reading {
  topics: Set<Topic>;
  regions: Region[];
  pronoun: boolean;
  list: boolean;
  over: boolean;
  versionPrefix?: string;
  times: TimeMatch[];
  /** Nothing but a name (after an optional "and"): "Acme?" or "and Globex?" asks for its status. */
  onlyName: boolean;
  question: boolean;
  /** "my", "mine": a list of the asker's own customers. */
  mine: boolean;
  optionPackage?: string;
}

const TOPIC_NAMES: Record<Topic, string> = {
  renewals: 'renewals',
  trials: 'trials',
  conversions: 'conversions',
  seats: 'seats',
  version: 'installed versions',
  status: "a customer's status",
};

function decline(problem: string, understood?: string): ParseResult {
  return { ok: false, failure: understood === undefined ? { problem } : { problem, understood } };
}

const ok = (request: Question): ParseResult => ({ ok: true, request });

/** Why "my conversions" is not narrowed: only these lists know each customer's owner. */
const MINE_LISTS =
  '“My” narrows trials, renewals and seat health to your customers; conversions are counted for everyone.';

function about(topic: Topic): string {
  return `a question about ${TOPIC_NAMES[topic]}`;
}

// --- Reading -------------------------------------------------------------------------------------

const VERSION_TOKEN = /^v?(\d+(?:\.\d+)*)(\.x|\.\*|x)?$/;

/** "1.x" → "1.", "v2" → "2.", "2.14" → "2.14.", "2.14.1" → "2.14.1"; undefined when not a version. */
function versionPrefixOf(token: Token, previousWord: string | undefined): string | undefined {
  const typed = trimEndWhere(token.raw.toLowerCase(), (c) => '?!,;:)'.includes(c));
  const match = VERSION_TOKEN.exec(typed);
  if (!match) return undefined;
  const [, numbers, wildcard] = match;
  const dotted = numbers.includes('.');
  const marked =
    wildcard !== undefined ||
    typed.startsWith('v') ||
    dotted ||
    previousWord === 'version' ||
    previousWord === 'release';
  if (!marked) return undefined;
  return numbers.split('.').length >= 3 && wildcard === undefined ? numbers : `${numbers}.`;
}

function classify(tokens: Token[], times: TimeMatch[]): { classified: Classified[]; versionPrefix?: string } {
  let versionPrefix: string | undefined;
  const classified: Classified[] = tokens.map((token) => ({ ...token, role: 'content' }));
  for (const time of times) for (let i = time.start; i < time.end; i++) classified[i].role = 'time';
  classified.forEach((token, i) => {
    if (token.role === 'time') return;
    const { word, raw } = token;
    const previous = classified[i - 1]?.word;
    const next = classified[i + 1]?.word;
    const prefix = versionPrefixOf(token, previous);
    const pair = PAIR_CUES.find(({ words }) => words[0] === word && words[1] === next);
    if (word === '') token.role = 'punct';
    else if (pair && classified[i + 1].role !== 'time') {
      token.role = pair.role === 'over' ? 'over' : 'topic';
      classified[i + 1].role = 'stop';
      if (pair.role === 'status') token.topic = 'status';
    } else if (token.role === 'stop')
      return; // second word of a pair
    else if (
      (PRONOUNS.has(word) && raw !== 'IT') ||
      (DEMONSTRATIVES.has(word) && next !== undefined && REFERENT_NOUNS.has(next))
    )
      token.role = 'pronoun';
    else if (prefix !== undefined) {
      token.role = 'version';
      versionPrefix ??= prefix;
    } else if (KEYWORDS[word] !== undefined) [token.role, token.topic] = ['topic', KEYWORDS[word]];
    else if (OVER_WORDS.has(word)) token.role = 'over';
    else if (LIST_WORDS.has(word)) token.role = 'list';
    else if (STOP_WORDS.has(word)) token.role = 'stop';
    else {
      // Typos only in words typed all in one case (or first in the sentence): "Renewl Corp" is a name.
      const typo =
        raw === raw.toLowerCase() || raw === raw.toUpperCase() || i === 0
          ? closestWord(word, FUZZY_KEYWORDS)
          : undefined;
      if (typo !== undefined) [token.role, token.topic] = ['topic', KEYWORDS[typo]];
    }
  });
  // "this customer": the noun after a demonstrative belongs to the pronoun.
  classified.forEach((token, i) => {
    if (token.role === 'pronoun' && DEMONSTRATIVES.has(token.word) && classified[i + 1])
      classified[i + 1].role = 'pronoun';
  });
  return { classified, versionPrefix };
}

/** Runs of name words between the question's grammar, with grammar words trimmed from their edges. */
function regionsOf(classified: Classified[]): Region[] {
  const regions: Region[] = [];
  const breaks = new Set<Role>(['time', 'topic', 'over', 'list', 'pronoun', 'version']);
  let run: Classified[] = [];
  let before: string | undefined;
  const flush = () => {
    let start = 0;
    let end = run.length;
    while (start < end && run[start].role !== 'content') start++;
    while (end > start && run[end - 1].role !== 'content') end--;
    // Inside a name only joining words may stand ("Bank of America"); "Invoicer is Acme" is two names.
    const split = run.slice(start, end).findIndex((token) => token.role === 'stop' && !NAME_JOINERS.has(token.word));
    if (start < end && split >= 0) {
      const rest = run.slice(start + split + 1);
      run = run.slice(0, start + split);
      flush();
      run = rest;
      before = classified[classified.indexOf(rest[0]) - 1]?.word;
      flush();
      return;
    }
    if (start < end) {
      const text = trimPunctuation(
        run
          .slice(start, end)
          .map((token) => token.raw)
          .join(' '),
      ).replace(/'s$/i, '');
      const after = start > 0 ? run[start - 1].word : before;
      if (text !== '') regions.push(after === undefined ? { text } : { text, after });
    }
    run = [];
  };
  classified.forEach((token, i) => {
    if (breaks.has(token.role)) {
      flush();
      before = token.word;
      return;
    }
    if (run.length === 0) before = classified[i - 1]?.word;
    run.push(token);
  });
  flush();
  return regions;
}

const isBetweenNameWords = (classified: Classified[], i: number) =>
  classified.slice(0, i).some((token) => token.role === 'content') &&
  classified.slice(i + 1).some((token) => token.role === 'content');

function read(tokens: Token[], text: string, today: CalendarDate, optionPackage: string | undefined): Reading {
  const words = tokens.map((token) => token.word);
  const times = findTimePhrases(words, today);
  const { classified, versionPrefix } = classify(tokens, times);
  const raw = new Set<Topic | 'expiry'>(classified.flatMap((token) => (token.topic ? [token.topic] : [])));
  const topics = new Set<Topic>(
    [...raw].map((topic) => (topic === 'expiry' ? (raw.has('trials') ? 'trials' : 'renewals') : topic)),
  );
  if (versionPrefix !== undefined) topics.add('version');
  return {
    topics,
    regions: regionsOf(classified),
    pronoun: classified.some((token) => token.role === 'pronoun'),
    list: classified.some((token) => token.role === 'list'),
    // "more seats than they bought": the two words need not be next to each other.
    over: classified.some((token) => token.role === 'over') || (words.includes('more') && words.includes('than')),
    times,
    question: text.endsWith('?'),
    mine: words.some((word) => OWNER_WORDS.has(word)),
    onlyName: classified.every(
      (token, i) =>
        token.role === 'content' ||
        token.role === 'punct' ||
        (i === 0 && CONNECTORS.has(token.word)) ||
        // "Bank of America?": a joining word between name words is part of the name.
        (NAME_JOINERS.has(token.word) && isBetweenNameWords(classified, i)),
    ),
    ...(versionPrefix !== undefined && { versionPrefix }),
    ...(optionPackage !== undefined && { optionPackage }),
  };
}

// --- Whole-message checks --------------------------------------------------------------------------

function isHelp(words: string[]): boolean {
  return HELP_PATTERN.test(words.filter((word) => word !== '' && !GREETINGS.has(word)).join(' '));
}

/** "delete Acme's license", "can you extend their trial": the first real word is a verb that writes. */
function mutatingVerb(words: string[]): string | undefined {
  const first = words.find((word) => word !== '' && !REQUEST_LEADS.has(word));
  return first !== undefined && MUTATING_VERBS.has(first) ? first : undefined;
}

// --- Building the request --------------------------------------------------------------------------

/** Splits the names read into a package (a known package name) and at most one customer. */
function assign(
  reading: Reading,
  topic: Topic,
  ctx: ParseContext,
): { ok: true; customer?: CustomerRef; pkg?: string } | { ok: false; result: ParseResult } {
  let pkg = reading.optionPackage;
  const names: Region[] = [];
  const packagesKnown = (ctx.packages?.length ?? 0) > 0;
  // Without a package list, "trials for X" and "who is on 1.x of X" can only mean a package.
  const listQuestion =
    topic === 'trials'
      ? !reading.pronoun
      : topic === 'version' && reading.versionPrefix !== undefined && (reading.list || reading.regions.length > 1);
  for (const region of reading.regions) {
    const known = pkg === undefined ? matchPackage(region.text, ctx.packages) : undefined;
    const assumed =
      pkg === undefined && !packagesKnown && listQuestion && ['for', 'of', 'in', 'on'].includes(region.after ?? '');
    if (known !== undefined) pkg = known;
    else if (assumed) pkg = region.text;
    else names.push(region);
  }
  if (names.length > 1) {
    return {
      ok: false,
      result: decline(
        `I read more than one name (${names.map((n) => `“${n.text}”`).join(', ')}) and can't tell which you mean.`,
        about(topic),
      ),
    };
  }
  const number = names[0] && /^[+-]?\d+$/.test(names[0].text) ? names[0].text : undefined;
  if (number !== undefined) {
    return {
      ok: false,
      result: decline(
        `I read “${number}” but not what it counts; for days, say “in the next ${number} days”.`,
        about(topic),
      ),
    };
  }
  const customer: CustomerRef | undefined = names[0]
    ? { term: names[0].text }
    : reading.pronoun && !reading.list
      ? { previous: true }
      : undefined;
  return { ok: true, ...(customer && { customer }), ...(pkg !== undefined && { pkg }) };
}

/** The window for a renewals/conversions/trials question: its time phrase, or the defaults. */
function windowFor(
  kind: WindowedKind,
  reading: Reading,
  customer: CustomerRef | undefined,
  today: CalendarDate,
  topic: Topic,
) {
  const [time] = reading.times;
  if (time && !time.ok) return { ok: false as const, result: decline(time.problem, about(topic)) };
  if (time?.ok) {
    const fitted = windowForPhrase(kind, time.spec, today);
    return fitted.ok
      ? { ok: true as const, range: fitted.range }
      : { ok: false as const, result: decline(fitted.problem, about(topic)) };
  }
  if (customer && kind !== 'trials') {
    const range = windowForDays(kind, CUSTOMER_WINDOW_DAYS, today);
    return {
      ok: true as const,
      range: { ...range, label: kind === 'renewals' ? 'in the next year' : 'in the last year' },
    };
  }
  return { ok: true as const, range: defaultWindow(kind, today) };
}

function chooseTopic(topics: Set<Topic>): Topic | Topic[] | undefined {
  const primary = (['version', 'seats', 'conversions', 'renewals'] as const).filter((topic) => topics.has(topic));
  if (primary.length > 1) return primary;
  return primary[0] ?? (topics.has('trials') ? 'trials' : topics.has('status') ? 'status' : undefined);
}

function build(reading: Reading, ctx: ParseContext, today: CalendarDate): ParseResult {
  const chosen = chooseTopic(reading.topics);
  if (chosen === undefined) {
    if (reading.pronoun && reading.regions.length === 0) return ok({ kind: 'status', customer: { previous: true } });
    const name = reading.regions.length === 1 ? reading.regions[0].text : undefined;
    if (name === undefined || !reading.onlyName) return decline("I couldn't match that to a question about licenses.");
    if (reading.question) {
      return ok({
        kind: 'status',
        customer: { term: name },
        ...(reading.optionPackage !== undefined && { package: reading.optionPackage }),
      });
    }
    return decline(
      `I'm not sure what you'd like to know about “${name}”; ask “${name}?” for its status.`,
      `a name, “${name}”`,
    );
  }
  if (Array.isArray(chosen)) {
    return decline(
      'Please ask one thing at a time.',
      `questions about ${chosen.map((topic) => TOPIC_NAMES[topic]).join(' and ')}`,
    );
  }
  const topic = chosen;
  if (reading.times.length > 1) return decline('I read more than one time window; please give one.', about(topic));
  const names = assign(reading, topic, ctx);
  if (!names.ok) return names.result;
  const { customer, pkg } = names;
  const withPackage = pkg === undefined ? {} : { package: pkg };
  // "my" narrows a list to the asker's customers; about one named customer it is only a possessive.
  const mine = reading.mine && customer === undefined ? { mine: true as const } : {};

  if (topic === 'conversions' && 'mine' in mine) return decline(MINE_LISTS, about(topic));
  if (topic === 'renewals' || topic === 'conversions') {
    const window = windowFor(topic, reading, customer, today, topic);
    if (!window.ok) return window.result;
    return ok({ kind: topic, range: window.range!, ...withPackage, ...(customer && { customer }), ...mine });
  }
  if (topic === 'trials' && customer === undefined) {
    const window = windowFor('trials', reading, undefined, today, topic);
    if (!window.ok) return window.result;
    return ok({ kind: 'trials', ...(window.range && { range: window.range }), ...withPackage, ...mine });
  }
  // Status, seats and version describe how things stand now.
  const [time] = reading.times;
  if (time && !(time.ok && time.spec.type === 'period' && time.spec.label === 'today')) {
    return decline('I can only tell how things stand today, not for another time.', about(topic));
  }
  if (topic === 'seats') {
    if (customer) return ok({ kind: 'seats', customer, ...withPackage });
    if (reading.over) return ok({ kind: 'health', list: 'over', ...withPackage, ...mine });
    return decline('Which customer? Or ask “who is over their seats?”.', about('seats'));
  }
  if (topic === 'version') {
    if (!customer && reading.versionPrefix === undefined && pkg === undefined) {
      return decline('Which customer, or which version (e.g. “who is on 1.x”)?', about('version'));
    }
    return ok({
      kind: 'version',
      ...(customer && { customer }),
      ...(reading.versionPrefix !== undefined && { versionPrefix: reading.versionPrefix }),
      ...withPackage,
    });
  }
  // Status, and trials asked about one customer ("is Globex still on trial?").
  if (!customer) return decline("Which customer? I couldn't read a name.", about(topic));
  return ok({ kind: 'status', customer, ...withPackage });
}

/** Windowed questions typed like a command ("renewals 60", "trials 10 Invoicer") read as the command. */
const COMMAND_LIKE = new Map<string, WindowedKind>([
  ['renewals', 'renewals'],
  ['renewal', 'renewals'],
  ['trials', 'trials'],
  ['trial', 'trials'],
  ['conversions', 'conversions'],
  ['conversion', 'conversions'],
]);

/**
 * Parses a message addressed to the bot. Slack markup, emoji and entities are removed first; the
 * bot's own mention may be anywhere. Anything not mappable is declined, saying what was understood.
 */
export function parseQuestion(text: string, ctx: ParseContext): ParseResult {
  const today = requireIsoDate(ctx.today);
  const cleaned = cleanSlackText(text);
  if (cleaned.length > MAX_TEXT_LENGTH) {
    return decline(
      `That message is too long for me to read (${cleaned.length} characters; at most ${MAX_TEXT_LENGTH}).`,
    );
  }
  if (!/[\p{L}\p{N}]/u.test(cleaned)) {
    return cleaned.includes('?')
      ? ok({ kind: 'help', topic: 'ask' })
      : decline('There is nothing in that message I can read as a question.');
  }
  const option = extractPackageOption(cleaned);
  if (!option.ok) return decline(option.problem);
  const tokens = tokenize(option.rest);
  const words = tokens.map((token) => token.word);
  if (isHelp(words)) return ok({ kind: 'help', topic: 'ask' });
  const verb = mutatingVerb(words);
  if (verb !== undefined) {
    return decline(
      "I only read license data; I can't change anything. Make changes in the LMO itself.",
      `a request to ${verb} something`,
    );
  }
  const commandLike = COMMAND_LIKE.get(tokens[0]?.raw.toLowerCase() ?? '');
  if (commandLike !== undefined) {
    const words = option.rest.split(' ').filter(Boolean).slice(1);
    const withPackage = option.package === undefined ? {} : { package: option.package };
    const asCommand = readWindowed(commandLike, { words, today, ...withPackage }, ctx);
    if (asCommand.ok) return asCommand;
  }
  const health = healthCue(words);
  if (health !== undefined) return healthQuestion(health, tokens, option.rest, ctx, today, option.package);
  return build(read(tokens, option.rest, today, option.package), ctx, today);
}

/** The words that name a seat-health list in a question, taken out before the rest is read. */
const HEALTH_CUES = new Set(['at', 'risk', 'risky', 'churn', 'hot', 'hottest']);

/** "who is at risk?", "churn risk": the at-risk list; "which trials are hot?": the hot trials. */
function healthCue(words: string[]): HealthListName | undefined {
  if (words.includes('risk') || words.includes('risky')) return 'risk';
  const hot = words.includes('hot') || words.includes('hottest');
  return hot && (words.includes('trials') || words.includes('trial')) ? 'hot' : undefined;
}

/** A seat-health list asked in words: a package may narrow it; a customer's name cannot (the list is everyone). */
function healthQuestion(
  list: HealthListName,
  tokens: Token[],
  text: string,
  ctx: ParseContext,
  today: CalendarDate,
  optionPackage: string | undefined,
): ParseResult {
  const reading = read(
    tokens.filter((token) => !HEALTH_CUES.has(token.word)),
    text,
    today,
    optionPackage,
  );
  const names = assign(reading, list === 'hot' ? 'trials' : 'seats', ctx);
  if (!names.ok) return names.result;
  const understood = list === 'hot' ? 'a question about hot trials' : 'a question about licenses at risk';
  if (names.customer)
    return decline('Seat health lists every customer; ask “their seats?” about one customer.', understood);
  return ok({
    kind: 'health',
    list,
    ...(names.pkg !== undefined && { package: names.pkg }),
    ...(reading.mine && { mine: true }),
  });
}
