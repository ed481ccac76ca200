/**
 * SOQL injection: hundreds of hostile customer names and question texts through `/lma status`, thread questions
 * and typed replies in an install-guide thread, against an LMO whose customers have hostile names too.
 * Every query the LMO receives must parse, keep user text inside string literals (the query's shape is one that
 * benign text produces), and the answer must name exactly the customers a plain filter over the data finds.
 */
import { parseQuery, type WhereClause } from '@jetstreamapp/soql-parser-js';
import type { RequestLogEntry } from '@lma-bot/lmo-emulator';
import type { SlackMessage } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseQuestion } from '../../src/parse/index.js';
import { startInstall } from '../features/guide/helpers.js';
import { parseCommand } from '../support/commands.js';
import { recordFigures } from '../support/figures.js';
import { CHANNEL, type Harness, startHarness, USER } from '../support/harness.js';
import { answerMatches, expectedCustomers, hostileFixture, hostileTerms, readCustomerAnswer } from './hostile.js';

const INPUTS = 520;
const ANSWER_WAIT_MS = 10_000;
const data = hostileFixture();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ data });
});
afterAll(async () => h?.close());

type Path = 'slash' | 'thread' | 'guide';
const mention = () => `<@${h.slack.identity.botUserId}>`;

/** A string literal in SOQL: quotes with backslash escapes inside. */
const STRING_LITERAL = /'(?:\\.|[^'\\])*'/g;

/**
 * The query with every string literal masked and runs of `field LIKE ?` ORs collapsed (the number of name
 * stems varies with the number of words): user text that escaped its literal would change this shape.
 */
function shapeOf(soql: string): string {
  return soql.replace(STRING_LITERAL, '?').replace(/[\w.]+ LIKE \?(?: OR [\w.]+ LIKE \?)*/g, 'LIKE…');
}

/** Every condition in a WHERE clause as field/operator/literal type, walking the parsed tree. */
function conditionsOf(where: WhereClause | undefined): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const c = node as {
      field?: string;
      operator?: string;
      literalType?: string;
      value?: unknown;
      left?: unknown;
      right?: unknown;
    };
    if (c.field !== undefined && c.operator !== undefined) {
      const values = Array.isArray(c.value) ? c.value : [c.value];
      const quoted = values.every((v) => typeof v !== 'string' || c.literalType !== 'STRING' || /^'.*'$/s.test(v));
      out.push(`${c.field} ${c.operator} ${c.literalType ?? ''}${quoted ? '' : ' UNQUOTED'}`);
    }
    walk(c.left);
    walk(c.right);
  };
  walk(where);
  return out;
}

interface QueryCheck {
  parses: boolean;
  shape: string;
  conditions: string[];
}

function checkQuery(soql: string): QueryCheck {
  try {
    return { parses: true, shape: shapeOf(soql), conditions: conditionsOf(parseQuery(soql).where) };
  } catch {
    return { parses: false, shape: shapeOf(soql), conditions: [] };
  }
}

/** Every query the LMO ran since `from`: plain ones and a composite call's subrequests each. */
const apiEntries = (from: number): RequestLogEntry[] =>
  h.bot.emulator!.log.slice(from).flatMap((e) => [e, ...(e.subrequests ?? [])].filter((q) => q.soql !== undefined));

/** The first thing the bot said to one input, or undefined when it said nothing within the wait. */
async function sendInput(
  path: Path,
  text: string,
  guideTs: string,
): Promise<{ answer?: { text?: unknown; blocks?: unknown }; expected?: ReturnType<typeof parseCommand> }> {
  const ctx = h.bot.runtime.parseContext();
  if (path === 'slash') {
    const ack = await h.driver.command(`status ${text}`, { user: USER, channel: CHANNEL });
    const posts = await h.driver.responses(ack.responseUrl, 1, ANSWER_WAIT_MS).catch(() => []);
    const accepted = posts.find((p) => p.status === 200);
    return { answer: accepted?.body, expected: parseCommand(`status ${text}`, ctx) };
  }
  if (path === 'thread') {
    const question = `${mention()} what's the status of ${text}?`;
    const { message } = await h.driver.say(question, { user: USER, channel: CHANNEL });
    const replies = await h.slack
      .waitFor(() => {
        const bot = h.slack.thread(CHANNEL, message.ts).filter((m) => m.bot_id !== undefined);
        return bot.length > 0 ? bot : undefined;
      }, ANSWER_WAIT_MS)
      .catch((): SlackMessage[] => []);
    return { answer: replies[0], expected: parseQuestion(question, ctx) };
  }
  const before = h.slack.calls.length;
  await h.driver.say(text, { user: USER, channel: CHANNEL, thread_ts: guideTs });
  const said = await h.slack
    .waitFor(
      () =>
        h.slack.calls
          .slice(before)
          .find((c) => c.ok && ['chat.postMessage', 'chat.postEphemeral', 'chat.update'].includes(c.method)),
      ANSWER_WAIT_MS,
    )
    .catch(() => undefined);
  return { answer: said ? { text: said.args.text, blocks: said.args.blocks } : undefined };
}

/** Starts an install guide and returns its thread. */
async function startGuide(): Promise<string> {
  const { threadTs } = await startInstall(h);
  expect(await h.bot.runtime.store.threads.kind(CHANNEL, threadTs)).toBe('guide');
  return threadTs;
}

/** Shapes and conditions benign names produce, on every path. */
async function benignQueries(guideTs: string): Promise<{ shapes: Set<string>; conditions: Set<string> }> {
  const shapes = new Set<string>();
  const conditions = new Set<string>();
  for (const name of [
    'Acme',
    'Acme Corporation',
    'Globex',
    'nothing matches this name',
    'zq',
    'Acme Labs Corporation Holdings Inc',
  ]) {
    for (const path of ['slash', 'thread', 'guide'] as const) {
      const from = h.bot.emulator!.log.length;
      await sendInput(path, path === 'guide' ? `LMO: ${name}` : name, guideTs);
      for (const entry of apiEntries(from)) {
        const check = checkQuery(entry.soql!);
        shapes.add(check.shape);
        for (const c of check.conditions) conditions.add(c);
      }
    }
  }
  return { shapes, conditions };
}

test('hostile names through /lma status, thread questions and guide replies: well-formed SOQL, exact matches, always answered', async () => {
  const guideTs = await startGuide();
  const benign = await benignQueries(guideTs);
  const terms = hostileTerms(INPUTS);
  const paths: Path[] = ['slash', 'slash', 'slash', 'slash', 'slash', 'thread', 'thread', 'thread', 'guide', 'guide'];

  let queries = 0;
  let compared = 0;
  const malformed: string[] = [];
  const wrong: { path: Path; text: string; expected: string[]; answer: unknown }[] = [];
  const unanswered: { path: Path; text: string }[] = [];
  const byPath: Record<Path, number> = { slash: 0, thread: 0, guide: 0 };

  for (const [i, term] of terms.entries()) {
    const path = paths[i % paths.length]!;
    const text = path === 'guide' && i % 20 === 8 ? `LMO: ${term}` : term;
    byPath[path]++;
    const from = h.bot.emulator!.log.length;
    const { answer, expected } = await sendInput(path, text, guideTs);
    if (!answer) {
      unanswered.push({ path, text });
      continue;
    }
    for (const entry of apiEntries(from)) {
      queries++;
      const check = checkQuery(entry.soql!);
      const foreign = check.conditions.filter((c) => !benign.conditions.has(c));
      if (!check.parses || entry.status !== 200 || !benign.shapes.has(check.shape) || foreign.length > 0)
        malformed.push(entry.soql!);
    }
    if (expected?.ok && expected.request.kind === 'status' && 'term' in expected.request.customer) {
      compared++;
      const want = expectedCustomers(data, expected.request.customer.term, expected.request.package);
      const got = readCustomerAnswer(answer);
      if (!answerMatches(got, want)) wrong.push({ path, text, expected: want, answer: got });
    }
  }

  await recordFigures('soqlInjection', {
    inputs: terms.length,
    slashCommands: byPath.slash,
    threadQuestions: byPath.thread,
    guideReplies: byPath.guide,
    soqlQueries: queries,
    lookupsComparedWithPlainFilter: compared,
    malformedQueries: malformed.length,
    wrongMatches: wrong.length,
    unanswered: unanswered.length,
  });
  expect(terms.length).toBeGreaterThanOrEqual(500);
  expect(queries).toBeGreaterThan(300);
  expect(compared).toBeGreaterThan(300);
  expect(malformed).toEqual([]);
  expect(wrong).toEqual([]);
  expect(unanswered).toEqual([]);
  // A length limit only: on a loaded 2-core machine the run takes minutes.
}, 300_000);
