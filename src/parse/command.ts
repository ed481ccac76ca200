/** `/lma …`: strict parsing of the slash command text into a typed request. Nothing is guessed. */
import type { LmaRequest, ParseFailure, ParseResult } from '../lma/requests.js';
import { MAX_TEXT_LENGTH, type ParseContext } from './context.js';
import { type CalendarDate, requireIsoDate } from './dates.js';
import { extractPackageOption, matchPackage } from './package.js';
import { parseDayCount, readTimePhraseAt } from './time.js';
import { closestWord, collapseWhitespace, decodeSlackEntities, straightenQuotes, trimPunctuation } from './tokens.js';
import { allCommandsUsage, COMMAND_NAMES, COMMAND_USAGE, type CommandName } from './usage.js';
import { defaultWindow, type WindowedKind, windowForDays, windowForPhrase } from './window.js';

const ALIASES: Record<string, CommandName> = {
  '?': 'help',
  renewal: 'renewals',
  trial: 'trials',
  conversion: 'conversions',
};

function fail(problem: string, usage?: string): ParseResult {
  const failure: ParseFailure = usage === undefined ? { problem } : { problem, usage };
  return { ok: false, failure };
}

function ok(request: LmaRequest): ParseResult {
  return { ok: true, request };
}

function commandNamed(word: string): CommandName | undefined {
  const lower = word.toLowerCase();
  return (COMMAND_NAMES as string[]).includes(lower) ? (lower as CommandName) : ALIASES[lower];
}

function unknownCommand(word: string): ParseResult {
  const suggestion = closestWord(word.toLowerCase(), [...COMMAND_NAMES, ...Object.keys(ALIASES)]);
  const hint = suggestion ? ` Did you mean \`${commandNamed(suggestion)}\`?` : '';
  return fail(`\`${word}\` is not a command.${hint}`, allCommandsUsage());
}

/** The customer term as typed, trimmed; a pair of double quotes around it is dropped. */
function customerTerm(text: string): string {
  const quoted = /^"(.*)"$/.exec(text);
  return (quoted ? quoted[1] : text).trim();
}

/** `[days | time phrase] [package]` after trials, renewals or conversions. */
function parseWindowed(
  kind: WindowedKind,
  args: string[],
  optionPackage: string | undefined,
  ctx: ParseContext,
  today: CalendarDate,
): ParseResult {
  const usage = COMMAND_USAGE[kind].usage;
  let range = defaultWindow(kind, today);
  let rest = args;
  const first = args[0];
  if (first !== undefined && /^[+-]?[\d.]/.test(first)) {
    const days = parseDayCount(first);
    if (!days.ok) return fail(days.problem, usage);
    range = windowForDays(kind, days.days, today);
    rest = args.slice(/^(days?|d)$/i.test(args[1] ?? '') ? 2 : 1);
  } else if (first !== undefined) {
    const phrase = readTimePhraseAt(
      args.map((arg) => trimPunctuation(arg.toLowerCase())),
      0,
      today,
    );
    if (phrase && !phrase.ok) return fail(phrase.problem, usage);
    if (phrase?.ok) {
      const fitted = windowForPhrase(kind, phrase.spec, today);
      if (!fitted.ok) return fail(fitted.problem, usage);
      range = fitted.range;
      rest = args.slice(phrase.end);
    }
  }
  let pkg = optionPackage;
  if (rest.length > 0) {
    const typed = rest.join(' ');
    const known = optionPackage === undefined ? matchPackage(typed, ctx.packages) : undefined;
    if (known === undefined) {
      const what = rest === args && rest.length === 1 ? 'a number of days or a package I know' : 'a package I know';
      return fail(`\`${typed}\` is not ${what}; write \`package:Name\` to filter by any package name.`, usage);
    }
    pkg = known;
  }
  const request: LmaRequest =
    kind === 'trials'
      ? { kind, ...(range && { range }), ...(pkg !== undefined && { package: pkg }) }
      : { kind, range: range!, ...(pkg !== undefined && { package: pkg }) };
  return ok(request);
}

/**
 * Parses the text after `/lma`. Case-insensitive command names; Slack's &amp;/&lt;/&gt; decoded;
 * `package:Name` accepted anywhere; anything unexpected is a failure with the right usage.
 */
export function parseCommand(text: string, ctx: ParseContext): ParseResult {
  const today = requireIsoDate(ctx.today);
  const decoded = straightenQuotes(decodeSlackEntities(text));
  if (decoded.length > MAX_TEXT_LENGTH) {
    return fail(
      `That text is ${decoded.length} characters long; a command is at most ${MAX_TEXT_LENGTH}.`,
      allCommandsUsage(),
    );
  }
  const collapsed = collapseWhitespace(decoded);
  const [firstWord = '', ...afterFirst] = collapsed.split(' ').filter(Boolean);
  const name = firstWord === '' ? 'help' : commandNamed(firstWord);
  if (name === undefined && !/^package:/i.test(firstWord)) return unknownCommand(firstWord);
  const option = extractPackageOption(name === undefined ? collapsed : afterFirst.join(' '));
  const usageFor = name ? COMMAND_USAGE[name].usage : allCommandsUsage();
  if (!option.ok) return fail(option.problem, usageFor);
  if (name === undefined) {
    // `package:` came first: the command is the next word.
    const [next = '', ...others] = option.rest.split(' ').filter(Boolean);
    const named = commandNamed(next);
    if (named === undefined)
      return next === ''
        ? fail('Which command? `package:` goes with one of these.', allCommandsUsage())
        : unknownCommand(next);
    return parseNamed(named, others, option.package, ctx, today);
  }
  return parseNamed(name, option.rest.split(' ').filter(Boolean), option.package, ctx, today);
}

function parseNamed(
  name: CommandName,
  args: string[],
  pkg: string | undefined,
  ctx: ParseContext,
  today: CalendarDate,
): ParseResult {
  const usage = COMMAND_USAGE[name].usage;
  if (pkg !== undefined && (name === 'install' || name === 'digest' || name === 'help')) {
    return fail(`\`/lma ${name}\` does not take a package.`, usage);
  }
  switch (name) {
    case 'help':
      return ok({ kind: 'help' });
    case 'status': {
      const term = customerTerm(args.join(' '));
      if (term === '') {
        return fail(
          'Tell me which customer: an account name or part of it, a lead company, an org id (00D…) or a license id.',
          usage,
        );
      }
      return ok({ kind: 'status', customer: { term }, ...(pkg !== undefined && { package: pkg }) });
    }
    case 'trials':
    case 'renewals':
    case 'conversions':
      return parseWindowed(name, args, pkg, ctx, today);
    case 'install':
      return args.length === 0 ? ok({ kind: 'install' }) : fail('`/lma install` takes nothing after it.', usage);
    case 'digest':
      if (args.length === 0) return ok({ kind: 'digest', post: false });
      if (args.length === 1 && args[0].toLowerCase() === 'post') return ok({ kind: 'digest', post: true });
      return fail(`\`${args.join(' ')}\` is not something \`/lma digest\` understands; only \`post\` is.`, usage);
  }
}
