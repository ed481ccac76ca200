/**
 * `/lma …`: strict parsing of the slash command text. The words common to every command (the name, its aliases and
 * typos, `package:` anywhere, Slack's entities, the length limit) are read here; the words after the name are read by
 * that command's own grammar (a CommandSpec, declared by the feature that owns the command). Nothing is guessed.
 */
import type { CommandArgs } from './args.js';
import { MAX_TEXT_LENGTH, type ParseContext } from './context.js';
import { requireIsoDate } from './dates.js';
import { extractPackageOption } from './package.js';
import type { ParseFailure, ParseResult } from './requests.js';
import { closestWord, collapseWhitespace, decodeSlackEntities, straightenQuotes } from './tokens.js';

/** One `/lma` subcommand's words: its name, help lines and argument grammar. */
export interface CommandSpec<Request extends { kind: string } = { kind: string }> {
  /** The word after `/lma`, and the kind of the request it parses into. */
  name: Request['kind'];
  /** Other words for it ("renewal"); typos are matched against names and aliases. */
  aliases?: readonly string[];
  /** "/lma renewals [days] [package]": shown in help and with every mistake. */
  usage: string;
  /** A real command that works as shown, e.g. "/lma renewals 60 package:Invoicer". */
  example: string;
  /** One line for help. */
  summary: string;
  /** Whether `package:Name` goes with it; otherwise it is refused before `parse` runs. */
  takesPackage?: boolean;
  /** The words after the name → the request; built from the readers in src/parse/args.ts. */
  parse(args: CommandArgs, ctx: ParseContext): ParseResult<Request>;
}

/** `/lma` alone. */
const BARE_COMMAND = 'help';

/** Every command's usage, one per line, for "unknown command" answers. */
export function allCommandsUsage(commands: readonly CommandSpec[]): string {
  return commands.map((command) => command.usage).join('\n');
}

/**
 * Parses the text after `/lma` with the commands given (the bot's table, assembled from its features).
 * Case-insensitive command names; Slack's &amp;/&lt;/&gt; decoded; `package:Name` accepted anywhere; anything
 * unexpected is a failure with the right usage.
 */
export function parseCommand<Request extends { kind: string }>(
  text: string,
  ctx: ParseContext,
  commands: readonly CommandSpec<Request>[],
): ParseResult<Request> {
  const today = requireIsoDate(ctx.today);
  const all = allCommandsUsage(commands);
  const fail = (problem: string, usage: string): ParseResult<Request> => ({ ok: false, failure: { problem, usage } });
  const named = (word: string): CommandSpec<Request> | undefined => {
    const lower = word.toLowerCase();
    return commands.find((c) => c.name === lower || c.aliases?.includes(lower));
  };
  const unknown = (word: string): ParseResult<Request> => {
    const words = [...commands.map((c) => c.name), ...commands.flatMap((c) => c.aliases ?? [])];
    const suggestion = closestWord(word.toLowerCase(), words);
    const hint = suggestion ? ` Did you mean \`${named(suggestion)?.name}\`?` : '';
    return fail(`\`${word}\` is not a command.${hint}`, all);
  };

  const decoded = straightenQuotes(decodeSlackEntities(text));
  if (decoded.length > MAX_TEXT_LENGTH)
    return fail(`That text is ${decoded.length} characters long; a command is at most ${MAX_TEXT_LENGTH}.`, all);
  const collapsed = collapseWhitespace(decoded);
  const [firstWord = '', ...afterFirst] = collapsed.split(' ').filter(Boolean);
  const first = named(firstWord === '' ? BARE_COMMAND : firstWord);
  if (first === undefined && !/^package:/i.test(firstWord)) return unknown(firstWord);
  const option = extractPackageOption(first === undefined ? collapsed : afterFirst.join(' '));
  if (!option.ok) return fail(option.problem, first?.usage ?? all);
  let command = first;
  let words = option.rest.split(' ').filter(Boolean);
  if (command === undefined) {
    // `package:` came first: the command is the next word.
    const [next = '', ...others] = words;
    command = named(next);
    if (command === undefined)
      return next === '' ? fail('Which command? `package:` goes with one of these.', all) : unknown(next);
    words = others;
  }
  if (option.package !== undefined && !command.takesPackage)
    return fail(`\`/lma ${command.name}\` does not take a package.`, command.usage);
  const parsed = command.parse({ words, today, ...(option.package !== undefined && { package: option.package }) }, ctx);
  if (parsed.ok) return parsed;
  const failure: ParseFailure = { ...parsed.failure, usage: parsed.failure.usage ?? command.usage };
  return { ok: false, failure };
}
