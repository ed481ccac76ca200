/**
 * Hostile input round 2, against the real Bolt app over HTTP with properly signed requests (unless the point is the
 * clock): payloads of every type Slack sends with fields missing or null, types and buttons the bot does not own,
 * malformed and oversized button values, markup riding in on ids, timestamps out of the window either way, exact
 * replays, request targets that are no URL, and text that made a pattern backtrack. Each class asserts its status
 * codes and what reached Slack and the LMO; the totals go to reliability.json for the README.
 */
import { request as httpRequest } from 'node:http';
import { signSlackRequest } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recordFigures } from '../support/figures.js';
import { CHANNEL, type Harness, SIGNING_SECRET, startHarness, USER } from '../support/harness.js';
import { runPool } from '../support/pool.js';
import { commandBody, postToApp } from '../support/raw-slack.js';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const OUT_OF_DATE = 'This button is out of date — run the command again.';
const OUT_OF_DATE_SHORTCUT = 'This shortcut is out of date — run the command again.';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const now = () => Math.floor(Date.now() / 1000);
const events = () => `${h.bot.url}/slack/events`;
const send = (body: string, contentType: string, ts = now()) =>
  postToApp(events(), body, { contentType, headers: signSlackRequest(SIGNING_SECRET, body, ts) });
const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const newResponseUrl = () => h.slack.createResponseUrl({ channel: CHANNEL, user: USER });

type Fields = Record<string, unknown>;
const team = () => ({ id: h.slack.identity.teamId });
const click = (action: Fields, responseUrl = newResponseUrl(), over: Fields = {}): Fields => ({
  type: 'block_actions',
  user: { id: USER },
  team: team(),
  channel: { id: CHANNEL },
  container: { type: 'message', channel_id: CHANNEL, is_ephemeral: true },
  response_url: responseUrl,
  trigger_id: `${Math.random()}`,
  actions: [{ type: 'button', block_id: 'b', action_ts: '1', ...action }],
  ...over,
});
const view = { id: 'V1', callback_id: 'lma_view', type: 'modal', state: { values: {} } };

/** One well-formed payload of each interaction type Slack sends. */
function wellFormed(): Fields[] {
  const base = { user: { id: USER }, team: team(), trigger_id: '1.2', api_app_id: h.slack.identity.appId };
  return [
    click({ action_id: 'lma_share', value: 'status Acme Corporation' }),
    { ...base, type: 'block_suggestion', action_id: 'a', block_id: 'b', value: 'ac' },
    { ...base, type: 'view_submission', view },
    { ...base, type: 'view_closed', view },
    { ...base, type: 'shortcut', callback_id: 'lma_shortcut' },
    { ...base, type: 'message_action', callback_id: 'x', channel: { id: CHANNEL }, message: { ts: '1.2', text: 'hi' } },
    { ...base, type: 'dialog_submission', callback_id: 'x', channel: { id: CHANNEL }, submission: {} },
  ];
}

/** Each payload with each field Slack always sends removed, nulled, or of the wrong type. */
function misshapedInteractions(): string[] {
  const bodies: string[] = [];
  for (const payload of wellFormed())
    for (const field of ['user', 'team', 'channel', 'view', 'callback_id', 'actions', 'action_id', 'message'])
      if (field in payload)
        for (const broken of [undefined, null, 7, [null], typeof payload[field] === 'string' ? {} : 'x']) {
          // Org-wide installs send team: null; a click in a modal or the Home tab comes from no channel.
          if (field === 'team' && broken === null) continue;
          if (field === 'channel' && payload.type === 'block_actions' && broken === undefined) continue;
          const copy = { ...payload };
          if (broken === undefined) delete copy[field];
          else copy[field] = broken;
          bodies.push(form(copy));
        }
  // Only the type, as the probe sent them.
  for (const type of ['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action'])
    bodies.push(form({ type }));
  for (const type of ['block_suggestion', 'dialog_submission', 'interactive_message']) bodies.push(form({ type }));
  return bodies;
}

function misshapedEvents(): string[] {
  const envelope = (event: Fields, over: Fields = {}) =>
    JSON.stringify({ type: 'event_callback', team_id: h.slack.identity.teamId, event_id: 'EvX', event, ...over });
  const mention = { type: 'app_mention', user: USER, channel: CHANNEL, ts: '1.2', text: 'hi' };
  return [
    envelope({ type: 'reaction_added', user: USER, item: null, reaction: 'x' }),
    envelope({ type: 'reaction_added', user: USER, reaction: 'x' }),
    envelope({ type: 'reaction_removed', item: { type: 'message' } }),
    envelope(mention, { authorizations: [null] }),
    envelope(mention, { authorizations: [7] }),
    envelope(mention, { authorizations: {} }),
    envelope(mention, { team_id: undefined }),
    envelope({ ...mention, channel: null }),
    envelope({ ...mention, channel: { id: CHANNEL } }),
    envelope({ ...mention, user: undefined }),
    envelope({ ...mention, text: ['a'] }),
    envelope({ ...mention, ts: 7 }),
    envelope({ type: 'message', channel: CHANNEL, user: USER, text: { a: 1 }, ts: '1.3' }),
    envelope({ type: 'message', user: USER, text: 'hi', ts: '1.3' }),
    envelope({ type: 'app_home_opened', tab: 'home' }),
    envelope({ type: 'member_joined_channel', user: USER }),
    JSON.stringify({ type: 'url_verification' }),
  ];
}

const commands = () => [
  // A field given twice arrives as an array.
  `${commandBody(h.slack, { text: 'trials', user: USER, channel: CHANNEL, responseUrl: newResponseUrl() })}&text=x`,
  'command=%2Flma&text=trials',
  'command=%2Flma&user_id=U0ALICE&team_id=T1&text=trials',
];

/** Counts what reached Slack and the LMO while `run` ran. */
async function observing<T>(run: () => Promise<T>): Promise<{ result: T; soql: number; slackCalls: number }> {
  h.resetLog();
  const calls = h.slack.calls.length;
  const result = await run();
  // A genuine command afterwards is answered: anything a case started has run by then.
  // Its three queries, in one call: the list and, beside it, its COUNT() and the per-seat aggregate.
  const sentinel = await h.driver.command('renewals 30', { user: USER, channel: CHANNEL });
  await h.driver.responses(sentinel.responseUrl, 1, 10_000);
  return { result, soql: h.soql().length - 3, slackCalls: h.slack.calls.length - calls };
}

const figures: Record<string, number> = {};
const tally = (cls: string, statuses: number[]) => {
  figures[`${cls}Tried`] = statuses.length;
  figures.fiveXX = (figures.fiveXX ?? 0) + statuses.filter((s) => s === 0 || s >= 500).length;
};
afterAll(async () => {
  if (Object.keys(figures).length > 0) await recordFigures('hostileInput', figures);
});

test('signed payloads of every type with fields missing or null: 200, one warning each, nothing reaches Slack or the LMO', async () => {
  const bodies = [
    ...misshapedInteractions().map((body) => ({ body, contentType: FORM })),
    ...misshapedEvents().map((body) => ({ body, contentType: JSON_TYPE })),
    ...commands().map((body) => ({ body, contentType: FORM })),
  ];
  const warnedBefore = h.logs.filter((l) => l.includes('not shaped as Slack sends it')).length;
  const {
    result: statuses,
    soql,
    slackCalls,
  } = await observing(() => runPool(bodies, 8, ({ body, contentType }) => send(body, contentType)));
  const warned = h.logs.filter((l) => l.includes('not shaped as Slack sends it')).length - warnedBefore;
  tally('misshaped', statuses);
  expect(bodies.length).toBeGreaterThan(100);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(warned).toBe(bodies.length);
  expect({ soql, slackCalls }).toEqual({ soql: 0, slackCalls: 0 });
  expect(h.logs.filter((l) => /error/i.test(l.slice(0, 40)))).toEqual([]);
}, 120_000);

test('types, commands, buttons and message shortcuts the bot does not own: 200 at once; a click or shortcut is answered "out of date"', async () => {
  const quiet = [
    ...wellFormed()
      .filter((p) => !['block_actions', 'message_action', 'view_submission'].includes(String(p.type)))
      .map((p) => ({ body: form(p), contentType: FORM })),
    { body: 'command=%2Fother&user_id=U0ALICE&channel_id=C0GENERAL&team_id=T1&text=hi', contentType: FORM },
    { body: '{"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1}', contentType: JSON_TYPE },
    { body: '{"type":"something_new","team_id":"T1"}', contentType: JSON_TYPE },
  ];
  const responseUrls: string[] = [];
  const clicks = Array.from({ length: 40 }, (_, i) => {
    const url = newResponseUrl();
    responseUrls.push(url);
    return { body: form(click({ action_id: `lma_retired_button_${i}`, value: 'x' }, url)), contentType: FORM };
  });
  // Message shortcuts: the bot declares none, so any is from an older manifest.
  const shortcuts = ['lma_retired_shortcut', 'x'].map((callbackId) => {
    const url = newResponseUrl();
    responseUrls.push(url);
    const payload = wellFormed().find((p) => p.type === 'message_action')!;
    return { body: form({ ...payload, callback_id: callbackId, response_url: url }), contentType: FORM };
  });
  const { result: statuses, soql } = await observing(() =>
    runPool([...quiet, ...clicks, ...shortcuts], 8, ({ body, contentType }) => send(body, contentType)),
  );
  const answers = await Promise.all(responseUrls.map((url) => h.driver.responses(url, 1, 10_000).catch(() => [])));
  const unanswered = answers.filter(
    (posts, i) =>
      posts.length !== 1 ||
      !String(posts[0]!.body.text).includes(i < clicks.length ? OUT_OF_DATE : OUT_OF_DATE_SHORTCUT),
  );
  tally('unowned', statuses);
  figures.unownedClicksUnanswered = unanswered.length;
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(unanswered).toEqual([]);
  expect(answers.every((posts) => posts[0]?.body.response_type === 'ephemeral')).toBe(true);
  expect(soql).toBe(0);
}, 120_000);

test('malformed and oversized button values never reach a feature or SOQL: each click is answered "out of date"', async () => {
  const values: unknown[] = [
    7,
    null,
    { name: 'Acme' },
    ['Acme'],
    'x'.repeat(100_000),
    'x'.repeat(2_001),
    '{"name":',
    'null',
    '{"name":null,"focus":"status"}',
    '{"name":"Acme Corporation","focus":"everything"}',
    '{"name":"Acme Corporation"}',
    JSON.stringify({ name: 'A'.repeat(1_500), focus: 'status' }),
    JSON.stringify({ name: '   ', focus: 'status' }),
  ];
  const cases = [
    ...values.map((value) => ({ action_id: 'lma_pick_customer_0', value })),
    ...values.map((value) => ({ action_id: 'lma_share', value })),
    { action_id: 'lma_share', value: 'this is not a command' },
  ].map((action) => ({ action, url: newResponseUrl() }));
  const { result: statuses, soql } = await observing(() =>
    runPool(cases, 8, ({ action, url }) => send(form(click(action, url)), FORM)),
  );
  const answers = await Promise.all(cases.map(({ url }) => h.driver.responses(url, 1, 10_000).catch(() => [])));
  const unanswered = answers.filter(
    (posts) => posts.length !== 1 || !String(posts[0]!.body.text).includes(OUT_OF_DATE),
  );
  tally('values', statuses);
  figures.valueClicksUnanswered = unanswered.length;
  figures.valuesSoql = soql;
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  expect(unanswered).toEqual([]);
  expect(soql).toBe(0);
}, 120_000);

test('markup in a user id never reaches a message: the share names only a well-shaped id', async () => {
  const ids = ['U0ALICE> <!channel> <@U0ALICE', '<!here>', 'U0ALICE|x', 'u0alice', '', 'W0BOB<http://evil.example>'];
  const cases = ids.map((id) => ({ id, url: newResponseUrl() }));
  const { result: statuses } = await observing(() =>
    runPool(cases, 4, ({ id, url }) =>
      send(form(click({ action_id: 'lma_share', value: 'status Acme Corporation' }, url, { user: { id } })), FORM),
    ),
  );
  const posts = await Promise.all(cases.map(({ url }) => h.driver.responses(url, 1, 10_000)));
  const texts = posts.map((p) => `${p[0]!.body.text} ${JSON.stringify(p[0]!.body.blocks)}`);
  const active = texts.filter((t) => /<!|<@(?!U0ALICE>)|undefined|evil/.test(t));
  tally('ids', statuses);
  figures.activeMarkup = active.length;
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(posts.every((p) => p[0]!.body.response_type === 'in_channel')).toBe(true);
  expect(active).toEqual([]);
  expect(texts.every((t) => t.includes('Shared'))).toBe(true);
}, 120_000);

test('timestamps more than 5 minutes away either way are refused with 401; an exact replay is answered 200 and acted on once', async () => {
  // Just past the window: a timestamp is whole seconds, read here up to a second early, and a loaded machine takes a
  // second or more to deliver it, all of which bring a future one closer; a past one only moves further away.
  const skews = [305, 600, 3_600, 86_400, 100 * 365 * 86_400, -301, -86_400];
  const skewed = skews.map((skew) => ({ skew, url: newResponseUrl() }));
  const replayUrl = newResponseUrl();
  const replayed = form(click({ action_id: 'lma_share', value: 'status Acme Corporation' }, replayUrl));
  const ts = now() - 30;
  const { result, soql } = await observing(async () => ({
    skewed: await runPool(skewed, 4, ({ skew, url }) =>
      send(form(click({ action_id: 'lma_share', value: 'status Acme Corporation' }, url)), FORM, now() + skew),
    ),
    replays: await runPool([0, 1, 2, 3, 4], 5, () => send(replayed, FORM, ts)),
  }));
  await h.driver.responses(replayUrl, 1, 10_000);
  // Time for a second share, had a replay gone through.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const shares = h.slack.responses(replayUrl).length;
  tally('skew', result.skewed);
  tally('replays', result.replays);
  figures.replaysAccepted = shares - 1;
  expect(result.skewed).toEqual(skews.map(() => 401));
  expect(skewed.every(({ url }) => h.slack.responses(url).length === 0)).toBe(true);
  expect(result.replays).toEqual([200, 200, 200, 200, 200]);
  expect(shares).toBe(1);
  expect(soql).toBe(1);
}, 120_000);

test('request targets that are no URL get 400 with no body and no error logged', async () => {
  const targets = ['//', '///', 'http://[', '//[::1', 'http://%zz'];
  const raw = (method: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${h.bot.url}/`, { method, path }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const logged = h.logs.length;
  const answers: { status: number; body: string }[] = [];
  for (const target of targets) for (const method of ['GET', 'POST']) answers.push(await raw(method, target));
  tally(
    'targets',
    answers.map((a) => a.status),
  );
  expect(answers).toEqual(answers.map(() => ({ status: 400, body: '' })));
  expect(h.logs.slice(logged).filter((l) => !/debug/i.test(l.slice(0, 60)))).toEqual([]);
});

test('text that made a pattern backtrack (unclosed mentions, long runs) is answered like any other', async () => {
  const bot = h.slack.identity.botUserId;
  const texts = [
    `<@${bot}> ${'<@U1|'.repeat(8_000)}`,
    `<@${bot}> ${'<@U1|'.repeat(60_000)}`,
    `<@${bot}> status ${':a'.repeat(20_000)}`,
    `<@${bot}> status ${'!'.repeat(39_000)}x`,
  ];
  const statuses: number[] = [];
  const replies: number[] = [];
  for (const text of texts) {
    const { status, message } = await h.driver.say(text, { user: USER, channel: CHANNEL });
    statuses.push(status);
    const thread = await h.slack.waitFor(() => {
      const got = h.slack.thread(CHANNEL, message.ts).filter((m) => m.bot_id !== undefined);
      return got.length > 0 ? got : undefined;
    }, 15_000);
    replies.push(thread.length);
  }
  tally('backtracking', statuses);
  expect(statuses).toEqual(texts.map(() => 200));
  expect(replies).toEqual(texts.map(() => 1));
}, 120_000);
