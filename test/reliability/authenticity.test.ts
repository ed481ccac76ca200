/**
 * Request authenticity: over a thousand generated requests that Slack did not send (or that were tampered with,
 * replayed, oversized or malformed) against the real Bolt receiver. Each must be refused with 400/401/413 and
 * no listener may run: no SOQL at the LMO, no Web API call and no response_url post at the fake Slack.
 */

import { mulberry32 } from '@lma-bot/lmo-emulator';
import { signSlackRequest } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { CHANNEL, type Harness, SIGNING_SECRET, startHarness, USER } from '../support/harness.js';
import { runPool } from '../support/pool.js';
import { commandBody, postToApp } from '../support/raw-slack.js';

const PER_KIND = 170;
const OVERSIZED = 12;
const MIB = 1024 * 1024;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

interface Case {
  kind: string;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const now = () => Math.floor(Date.now() / 1000);

/** Bodies Slack could have sent, each of which would make the bot query the LMO and answer. */
function genuineBodies(responseUrl: () => string): { body: string; contentType: string }[] {
  const botUser = h.slack.identity.botUserId;
  const command = (text: string) =>
    commandBody(h.slack, { text, user: USER, channel: CHANNEL, responseUrl: responseUrl() });
  const event = {
    type: 'event_callback',
    team_id: h.slack.identity.teamId,
    api_app_id: h.slack.identity.appId,
    event_id: 'EvFORGED',
    event_time: now(),
    event: {
      type: 'app_mention',
      user: USER,
      text: `<@${botUser}> when does Acme Corporation renew?`,
      ts: '1781000000.000100',
      channel: CHANNEL,
      event_ts: '1781000000.000100',
    },
    authorizations: [{ team_id: h.slack.identity.teamId, user_id: botUser, is_bot: true }],
  };
  const click = {
    type: 'block_actions',
    user: { id: USER },
    team: { id: h.slack.identity.teamId },
    channel: { id: CHANNEL },
    container: { type: 'message', channel_id: CHANNEL, is_ephemeral: true },
    response_url: responseUrl(),
    actions: [
      {
        type: 'button',
        action_id: 'lma_pick_customer_0',
        block_id: 'b',
        value: JSON.stringify({ name: 'Acme Corporation', focus: 'status' }),
        action_ts: '1',
      },
    ],
  };
  return [
    { body: command('status Acme Corporation'), contentType: FORM },
    { body: command('renewals 30'), contentType: FORM },
    { body: JSON.stringify(event), contentType: JSON_TYPE },
    { body: new URLSearchParams({ payload: JSON.stringify(click) }).toString(), contentType: FORM },
  ];
}

/** Signed by the app's secret unless told otherwise. */
const signed = (body: string, ts = now(), secret = SIGNING_SECRET) => signSlackRequest(secret, body, ts);
const headerPair = (signature: string, ts: string | number) => ({
  'X-Slack-Signature': signature,
  'X-Slack-Request-Timestamp': String(ts),
});

function generateCases(random: () => number, responseUrl: () => string): Case[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  const base = () => pick(genuineBodies(responseUrl));
  const cases: Case[] = [];
  const add = (kind: string, make: () => Omit<Case, 'kind'>) => {
    for (let i = 0; i < PER_KIND; i++) cases.push({ kind, ...make() });
  };

  add('no signature', () => {
    const { body, contentType } = base();
    const headers = pick<Record<string, string>>([
      {},
      { 'X-Slack-Request-Timestamp': String(now()) },
      { 'X-Slack-Signature': signed(body)['X-Slack-Signature']! },
      headerPair('', now()),
      headerPair('v0=', now()),
    ]);
    return { body, contentType, headers };
  });

  add('wrong signature', () => {
    const { body, contentType } = base();
    const right = signed(body)['X-Slack-Signature']!;
    const signature = pick([
      `v0=${hex(64)}`,
      signed(body, now(), `${SIGNING_SECRET}x`)['X-Slack-Signature']!,
      signed(body, now(), hex(32))['X-Slack-Signature']!,
      right.replace('v0=', 'v1='),
      right.toUpperCase(),
      right.slice(0, 40),
      `${right}00`,
      signed(`${body}&`, now())['X-Slack-Signature']!,
      `sha256=${right.slice(3)}`,
    ]);
    return { body, contentType, headers: headerPair(signature, now()) };
  });

  add('stale or bad timestamp', () => {
    const { body, contentType } = base();
    const stale = now() - 301 - Math.floor(random() * 30 * 86_400);
    if (random() < 0.8) return { body, contentType, headers: signed(body, stale) };
    const ts = pick(['abc', '', '1e3', '-1', 'NaN', `${now()}.5x`]);
    return { body, contentType, headers: headerPair(signed(body)['X-Slack-Signature']!, ts) };
  });

  add('replayed body, new timestamp', () => {
    const { body, contentType } = base();
    const original = now() - 60 - Math.floor(random() * 3_600);
    const { 'X-Slack-Signature': signature } = signed(body, original);
    return { body, contentType, headers: headerPair(signature!, now() - Math.floor(random() * 30)) };
  });

  add('body altered after signing', () => {
    const { body, contentType } = base();
    const headers = signed(body);
    const position = Math.floor(random() * body.length);
    const altered = pick([
      body.replace('Acme', 'Globex'),
      body.replace(USER, 'U0MALLORY'),
      `${body}&text=status+Globex`,
      `${body} `,
      body.slice(0, position) + String.fromCharCode(body.charCodeAt(position) ^ 1) + body.slice(position + 1),
      body.slice(0, -1),
      body.toUpperCase(),
    ]);
    return { body: altered === body ? `${body}x` : altered, contentType, headers };
  });

  add('malformed payload (signed)', () => {
    const malformed = pick<[string, string]>([
      ['{"type":"event_callback","event":', JSON_TYPE],
      ['null', JSON_TYPE],
      ['[]', JSON_TYPE],
      ['42', JSON_TYPE],
      ['"event_callback"', JSON_TYPE],
      ['{}', JSON_TYPE],
      ['{"type":"event_callback","event":null}', JSON_TYPE],
      ['{"type":"event_callback","event":"app_mention"}', JSON_TYPE],
      ['{"type":42}', JSON_TYPE],
      ['', JSON_TYPE],
      ['\u0000\u00ff\ufffd', JSON_TYPE],
      ['payload=%7Bnot+json', FORM],
      ['payload=null', FORM],
      ['payload=%5B%5D', FORM],
      ['payload=7', FORM],
      ['payload=%7B%7D', FORM],
      ['command=%2Flma&text=%E0%A4%A&user_id=U0ALICE', 'text/plain'],
      ['text=status+Acme&user_id=U0ALICE', FORM],
      ['', FORM],
      ['%%%%', FORM],
      ['command=', FORM],
    ]);
    const [body, contentType] = malformed;
    return { body, contentType, headers: signed(body) };
  });

  for (let i = 0; i < OVERSIZED; i++) {
    const { contentType } = base();
    const body = `command=%2Flma&text=${'a'.repeat(MIB + 1 + Math.floor(random() * 1024))}`;
    const headers = pick([signed(body), {}, headerPair(`v0=${hex(64)}`, now())]);
    cases.push({ kind: 'oversized body (over 1 MB)', body, contentType, headers });
  }
  return cases;
}

interface Outcome {
  kind: string;
  status: number;
}

async function send(c: Case): Promise<Outcome> {
  return {
    kind: c.kind,
    status: await postToApp(`${h.bot.url}/slack/events`, c.body, { contentType: c.contentType, headers: c.headers }),
  };
}

test('over a thousand forged, stale, replayed, altered, oversized and malformed requests are all refused and run no listener', async () => {
  const random = mulberry32(8);
  const responseUrls: string[] = [];
  const responseUrl = () => {
    const url = h.slack.createResponseUrl({ channel: CHANNEL, user: USER });
    responseUrls.push(url);
    return url;
  };
  const cases = generateCases(random, responseUrl);
  h.resetLog();
  const callsBefore = h.slack.calls.length;

  const outcomes = await runPool(cases, 16, send);

  // A genuine request afterwards is answered: the bot is alive, and anything a forged request had started has run.
  // Its three queries, in one call: the list and, beside it, its COUNT() and the per-seat aggregate.
  const sentinel = await h.driver.command('renewals 30', { user: USER, channel: CHANNEL });
  await h.driver.responses(sentinel.responseUrl, 1, 10_000);

  const accepted = outcomes.filter((o) => o.status >= 200 && o.status < 300);
  const crashes = outcomes.filter((o) => o.status === 0 || o.status >= 500);
  const statuses: Record<string, number> = {};
  for (const o of outcomes) statuses[`${o.kind} → ${o.status}`] = (statuses[`${o.kind} → ${o.status}`] ?? 0) + 1;
  const handlerSoql = h.soql().length - 3; // the sentinel's
  const handlerApiCalls = h.slack.calls.length - callsBefore;
  const responseUrlPosts = responseUrls.reduce((n, url) => n + h.slack.responses(url).length, 0);

  await recordFigures('authenticity', {
    tried: outcomes.length,
    accepted: accepted.length,
    crashes: crashes.length,
    soqlFromForgedRequests: handlerSoql,
    slackCallsFromForgedRequests: handlerApiCalls + responseUrlPosts,
    ...statuses,
  });
  expect(outcomes.length).toBeGreaterThanOrEqual(1_000);
  expect(crashes).toEqual([]);
  expect(accepted).toEqual([]);
  expect(outcomes.every((o) => [400, 401, 413].includes(o.status))).toBe(true);
  expect(handlerSoql).toBe(0);
  expect(handlerApiCalls).toBe(0);
  expect(responseUrlPosts).toBe(0);
  // A length limit only: on a loaded 2-core machine the thousand requests take minutes, not seconds.
}, 300_000);
