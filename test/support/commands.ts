/** The bot's real `/lma` command table, from the real features list, for grammar tests. */
import { FEATURES } from '../../src/app/features.js';
import { registerFeatures } from '../../src/app/registry.js';
import type { DigestRequest } from '../../src/features/digest/feature.js';
import {
  type ParseContext,
  type ParseResult,
  parseCommand as parseWith,
  type Question,
} from '../../src/parse/index.js';
import { offlineRuntime } from './offline-runtime.js';

/** Every request `/lma` parses into. */
export type LmaRequest = Question | DigestRequest | { kind: 'install' };

const runtime = offlineRuntime();
export const COMMANDS = registerFeatures(FEATURES.map((feature) => feature(runtime))).commands;
void runtime.store.close();

/** `/lma <text>` parsed with the bot's own table. */
export function parseCommand(text: string, ctx: ParseContext): ParseResult<LmaRequest> {
  return parseWith(text, ctx, COMMANDS) as ParseResult<LmaRequest>;
}

/** Each command's usage line, by name: what a refusal shows. */
export const COMMAND_USAGE: Record<string, { usage: string; example: string; summary: string }> = Object.fromEntries(
  COMMANDS.map((c) => [c.name, { usage: c.usage, example: c.example, summary: c.summary }]),
);
