/**
 * Salesforce faults with the bot's default timeout, retries and deadline: an LMO that answers 30% of requests with
 * 503 and leaves 10% hanging, sessions expired in the middle of a run, and a spent daily API quota.
 * Each command is compared with the answer the same command gets from a healthy LMO.
 */

import { mulberry32 } from '@lma-bot/lmo-emulator';
import { afterEach, expect, test } from 'vitest';
import { DEFAULT_LMO_RETRIES, DEFAULT_LMO_TIMEOUT_MS } from '../../src/config.js';
import { recordFigures } from '../support/figures.js';
import { CHANNEL, type Harness, startHarness, USER } from '../support/harness.js';
import { runPool } from '../support/pool.js';

const COMMANDS = [
  'renewals 30',
  'trials',
  'status Acme Corporation',
  'status Globex',
  'conversions 30',
  'status nobody by this name',
  'trials 14',
  'renewals 90',
];
const RUNS = 120;
/** Slack users are told something within 10 s, whatever the LMO does. */
const ANSWER_WITHIN_MS = 10_000;
const UNREACHABLE = /LMO unreachable/;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The bot as configured by default (the harness otherwise shortens the LMO timeout for speed). */
const defaults = { LMO_TIMEOUT_MS: String(DEFAULT_LMO_TIMEOUT_MS), LMO_RETRIES: String(DEFAULT_LMO_RETRIES) };

interface Answer {
  text: string;
  blocks: string;
}

/** Sends a command; undefined when nothing arrived within the bound. */
async function answerTo(harness: Harness, text: string): Promise<Answer | undefined> {
  const ack = await harness.driver.command(text, { user: USER, channel: CHANNEL });
  if (ack.status !== 200) return undefined;
  const posts = await harness.driver.responses(ack.responseUrl, 1, ANSWER_WITHIN_MS).catch(() => []);
  const body = posts[0]?.body;
  return body ? { text: String(body.text), blocks: JSON.stringify(body.blocks) } : undefined;
}

async function healthyAnswers(harness: Harness): Promise<Map<string, Answer>> {
  const answers = new Map<string, Answer>();
  for (const command of COMMANDS) answers.set(command, (await answerTo(harness, command))!);
  return answers;
}

const same = (a: Answer | undefined, b: Answer | undefined) =>
  a !== undefined && b !== undefined && a.text === b.text && a.blocks === b.blocks;

test('30% 503 and 10% hanging requests, sessions expired mid-run: ≥95% answered correctly, the rest told "LMO unreachable", none silent', async () => {
  h = await startHarness({ env: defaults });
  const expected = await healthyAnswers(h);
  const emulator = h.bot.emulator!;
  emulator.setFaults({ unavailableRate: 0.3, hangRate: 0.1, random: mulberry32(30) });
  const before = emulator.log.length;

  const results = await runPool(
    Array.from({ length: RUNS }, (_, i) => COMMANDS[i % COMMANDS.length]!),
    24,
    async (command, i) => {
      if (i === RUNS / 3 || i === (2 * RUNS) / 3) emulator.expireSessions();
      return { command, answer: await answerTo(h!, command) };
    },
  );

  const correct = results.filter((r) => same(r.answer, expected.get(r.command)));
  const unreachable = results.filter((r) => !correct.includes(r) && r.answer && UNREACHABLE.test(r.answer.text));
  const silent = results.filter((r) => !r.answer);
  const other = results.filter((r) => r.answer && !correct.includes(r) && !unreachable.includes(r));
  const log = emulator.log.slice(before);
  await recordFigures('lmoFaults', {
    commands: RUNS,
    answeredCorrectly: correct.length,
    shareCorrect: Number((correct.length / RUNS).toFixed(3)),
    toldLmoUnreachable: unreachable.length,
    silent: silent.length,
    otherAnswers: other.length,
    lmoRequests: log.length,
    lmoRequests503: log.filter((e) => e.status === 503).length,
    lmoRequestsHung: log.filter((e) => e.status === 0).length,
    sessionsExpiredMidRun: 2,
    perAttemptTimeoutMs: DEFAULT_LMO_TIMEOUT_MS,
    retries: DEFAULT_LMO_RETRIES,
  });
  expect(silent).toEqual([]);
  expect(other.map((r) => r.answer!.text)).toEqual([]);
  expect(correct.length / RUNS).toBeGreaterThanOrEqual(0.95);
}, 120_000);

test('an LMO that never answers: a two-query answer still tells the user "LMO unreachable" within 10 s', async () => {
  h = await startHarness({ env: defaults });
  h.bot.emulator!.setFaults({ hangRate: 1 });
  const answer = await answerTo(h, 'conversions 30');
  expect(answer?.text).toMatch(UNREACHABLE);
}, 30_000);

test('a session expired while answers are in flight is renewed, round after round: every answer correct', async () => {
  h = await startHarness({ env: defaults });
  const expected = await healthyAnswers(h);
  const emulator = h.bot.emulator!;
  const rounds = 4;
  const perRound = 16;
  let failures = 0;
  for (let round = 0; round < rounds; round++) {
    const results = await runPool(
      Array.from({ length: perRound }, (_, i) => COMMANDS[i % COMMANDS.length]!),
      8,
      async (command, i) => {
        // Expired once per round, with eight commands in flight.
        if (i === 8) emulator.expireSessions();
        return same(await answerTo(h!, command), expected.get(command));
      },
    );
    failures += results.filter((ok) => !ok).length;
  }
  const renewals = emulator.log.filter((e) => e.path === '/services/oauth2/token').length - 1;
  await recordFigures('sessionExpiry', {
    commands: rounds * perRound,
    expiries: rounds,
    renewals,
    userVisibleFailures: failures,
  });
  expect(failures).toBe(0);
  expect(renewals).toBe(rounds);
}, 120_000);

test('REQUEST_LIMIT_EXCEEDED: every user told the quota is spent, one request to the LMO, no retry storm', async () => {
  h = await startHarness({ env: defaults });
  await answerTo(h, 'trials');
  const emulator = h.bot.emulator!;
  emulator.setFaults({ requestLimitExceeded: true });
  const before = emulator.log.length;
  const first = await answerTo(h, 'renewals 30');
  const rest = await runPool(
    Array.from({ length: 30 }, (_, i) => COMMANDS[i % COMMANDS.length]!),
    10,
    (command) => answerTo(h!, command),
  );
  const answers = [first, ...rest];
  const told = answers.filter((a) => a && /REQUEST_LIMIT_EXCEEDED|daily Salesforce API requests/.test(a.text)).length;
  const requests = emulator.log.length - before;
  await recordFigures('requestLimit', { commands: answers.length, toldQuotaSpent: told, lmoRequests: requests });
  expect(told).toBe(answers.length);
  expect(requests).toBe(1);
});
