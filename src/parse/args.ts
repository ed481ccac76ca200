/**
 * The shared argument readers a subcommand's grammar is built from (days or a time phrase, a package, a customer,
 * nothing at all), so every `/lma …` command reads its words the same way and the question grammar reuses them.
 */

import type { ParseContext } from './context.js';
import type { CalendarDate } from './dates.js';
import { matchPackage } from './package.js';
import type { CustomerRef, ParseFailure, ParseResult, Question } from './requests.js';
import { parseDayCount, readTimePhraseAt } from './time.js';
import { trimPunctuation } from './tokens.js';
import { defaultWindow, type WindowedKind, windowForDays, windowForPhrase } from './window.js';

/** What a subcommand's grammar reads: the words after its name, with `package:Name` already taken out. */
export interface CommandArgs {
  words: string[];
  /** `package:Name` or `package:"Two Words"`, wherever it was typed. */
  package?: string;
  /** Today in the bot's time zone: every window is computed from it. */
  today: CalendarDate;
}

/** A refusal; the command's usage line is added by the grammar when the reader gives none. */
export function refuse<Request>(problem: string): ParseResult<Request> {
  const failure: ParseFailure = { problem };
  return { ok: false, failure };
}

export function accept<Request>(request: Request): ParseResult<Request> {
  return { ok: true, request };
}

/** For a subcommand that takes no words: `/lma install`. */
export function readNothing<Kind extends string>(kind: Kind): (args: CommandArgs) => ParseResult<{ kind: Kind }> {
  return (args) => (args.words.length === 0 ? accept({ kind }) : refuse(`\`/lma ${kind}\` takes nothing after it.`));
}

/** The customer as typed (trimmed, a pair of double quotes dropped); undefined when none was given. */
export function readCustomer(args: CommandArgs): CustomerRef | undefined {
  const text = args.words.join(' ');
  const quoted = /^"(.*)"$/.exec(text);
  const term = (quoted ? quoted[1] : text).trim();
  return term === '' ? undefined : { term };
}

type WindowedQuestion = Extract<Question, { kind: WindowedKind }>;

/** `mine` anywhere among the words (only the asker's own customers): the words without it, and whether it was there. */
function takeMine(args: CommandArgs): { args: CommandArgs; mine: boolean } {
  const words = args.words.filter((word) => word.toLowerCase() !== 'mine');
  return { args: { ...args, words }, mine: words.length < args.words.length };
}

/** `[days | time phrase] [package]` after trials, renewals or conversions (and "@LMA renewals 60" in a thread). */
export function readWindowed(kind: WindowedKind, typed: CommandArgs, ctx: ParseContext): ParseResult<WindowedQuestion> {
  const { args, mine } = kind === 'conversions' ? { args: typed, mine: false } : takeMine(typed);
  const { words, today } = args;
  let range = defaultWindow(kind, today);
  let rest = words;
  const first = words[0];
  if (first !== undefined && /^[+-]?[\d.]/.test(first)) {
    const days = parseDayCount(first);
    if (!days.ok) return refuse(days.problem);
    range = windowForDays(kind, days.days, today);
    rest = words.slice(/^(days?|d)$/i.test(words[1] ?? '') ? 2 : 1);
  } else if (first !== undefined) {
    const phrase = readTimePhraseAt(
      words.map((word) => trimPunctuation(word.toLowerCase())),
      0,
      today,
    );
    if (phrase && !phrase.ok) return refuse(phrase.problem);
    if (phrase?.ok) {
      const fitted = windowForPhrase(kind, phrase.spec, today);
      if (!fitted.ok) return refuse(fitted.problem);
      range = fitted.range;
      rest = words.slice(phrase.end);
    }
  }
  const what = rest === words && rest.length === 1 ? 'a number of days or a package I know' : 'a package I know';
  const pkg = readPackageWords(rest, args, ctx, what);
  if (!pkg.ok) return pkg;
  const withPackage = { ...(pkg.request !== undefined && { package: pkg.request }), ...(mine && { mine }) };
  return accept(
    kind === 'trials' ? { kind, ...(range && { range }), ...withPackage } : { kind, range: range!, ...withPackage },
  );
}

/** The words left after a list command's other arguments, read as a package it knows (or `package:Name`). */
function readPackageWords(
  rest: string[],
  args: CommandArgs,
  ctx: ParseContext,
  what = 'a package I know',
): ParseResult<string | undefined> {
  if (rest.length === 0) return accept(args.package);
  const typed = rest.join(' ');
  const known = args.package === undefined ? matchPackage(typed, ctx.packages) : undefined;
  if (known === undefined)
    return refuse(`\`${typed}\` is not ${what}; write \`package:Name\` to filter by any package name.`);
  return accept(known);
}

/** `[package]` after `/lma health`. */
export function readHealth(typed: CommandArgs, ctx: ParseContext): ParseResult<Extract<Question, { kind: 'health' }>> {
  const { args, mine } = takeMine(typed);
  const pkg = readPackageWords(args.words, args, ctx);
  if (!pkg.ok) return pkg;
  return accept({ kind: 'health', ...(pkg.request !== undefined && { package: pkg.request }), ...(mine && { mine }) });
}
