/**
 * Socket Mode gets the envelope checks HTTP gets: the real Bolt app with its Socket Mode receiver, connected to a local
 * server playing Slack's end of the connection, sent mis-shaped, oversized, unowned and broken messages. Each envelope
 * is acknowledged (Slack would deliver it again otherwise), none crashes the process or its connection, and a
 * well-formed command afterwards is still answered.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CHANNEL, type Harness, startHarness, USER } from '../support/harness.js';
import { type SocketModeServer, startSocketModeServer } from '../support/socket-mode-server.js';

const APP_TOKEN = 'xapp-1-A0LMA-1-socket-mode-test';
const NOT_SHAPED = 'not shaped as Slack sends it';

let h: Harness;
let server: SocketModeServer;
beforeAll(async () => {
  server = await startSocketModeServer();
  h = await startHarness({
    env: { SLACK_APP_TOKEN: APP_TOKEN },
    slack: { appToken: APP_TOKEN, socketModeUrl: server.url },
  });
});
afterAll(async () => {
  await h?.close();
  await server?.close();
});

let envelopes = 0;
/** Sends one Socket Mode envelope; resolves with its id. */
async function deliver(type: string, payload: unknown): Promise<string> {
  const id = `env-${++envelopes}`;
  await server.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: false }));
  return id;
}

const command = (over: Record<string, unknown> = {}) => ({
  command: '/lma',
  text: 'trials',
  user_id: USER,
  channel_id: CHANNEL,
  team_id: h.slack.identity.teamId,
  trigger_id: '1.2',
  response_url: h.slack.createResponseUrl({ channel: CHANNEL, user: USER }),
  ...over,
});
const click = (over: Record<string, unknown> = {}) => ({
  type: 'block_actions',
  user: { id: USER },
  team: { id: h.slack.identity.teamId },
  channel: { id: CHANNEL },
  response_url: h.slack.createResponseUrl({ channel: CHANNEL, user: USER }),
  trigger_id: '1.2',
  actions: [{ type: 'button', action_id: 'lma_retired_button', block_id: 'b', action_ts: '1', value: 'x' }],
  ...over,
});
const mention = (text: string) => ({
  type: 'event_callback',
  team_id: h.slack.identity.teamId,
  event_id: `Ev${envelopes}`,
  event: { type: 'app_mention', user: USER, channel: CHANNEL, ts: '1.2', text },
});

/** Sends a well-formed `/lma trials` and resolves with its answer's text. */
async function answeredCommand(): Promise<string> {
  const payload = command();
  await server.ack(await deliver('slash_commands', payload));
  const [answer] = await h.driver.responses(payload.response_url, 1, 30_000);
  return String(answer!.body.text);
}

test('a well-formed /lma over Socket Mode is acknowledged and answered', async () => {
  expect(await answeredCommand()).toContain('trial');
  expect(h.slack.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(1);
});

test('mis-shaped and oversized payloads of each envelope type: acknowledged, one warning each, nothing reaches Slack or the LMO', async () => {
  const cases: [string, unknown][] = [
    ['interactive', click({ channel: null })],
    ['interactive', click({ user: undefined })],
    ['interactive', { type: 'view_submission' }],
    ['interactive', 'not an object'],
    ['events_api', { type: 'event_callback', team_id: h.slack.identity.teamId }],
    ['events_api', { type: 'event_callback', team_id: h.slack.identity.teamId, event: 7 }],
    ['events_api', null],
    ['events_api', { ...mention('hi'), authorizations: [null] }],
    ['slash_commands', command({ user_id: undefined })],
    ['slash_commands', command({ text: ['a', 'b'] })],
    ['slash_commands', 'trials'],
    ['events_api', mention(`<@${h.slack.identity.botUserId}> ${'x'.repeat(1_100_000)}`)],
  ];
  h.resetLog();
  const calls = h.slack.calls.length;
  const warned = () => h.logs.filter((l) => l.includes(NOT_SHAPED)).length;
  const before = warned();
  for (const [type, payload] of cases) await server.ack(await deliver(type, payload));
  expect(warned() - before).toBe(cases.length);
  expect(await answeredCommand()).toContain('trial');
  // The command's own answer, and its queries, are all that happened.
  expect(h.slack.calls.slice(calls).filter((c) => c.method !== 'users.info')).toEqual([]);
  expect(h.lmoCalls()).toBe(1);
  expect(h.logs.filter((l) => /error/i.test(l.slice(0, 40)))).toEqual([]);
});

test('unowned payload and envelope types are acknowledged quietly; a click on an unknown button is answered out of date', async () => {
  const base = { user: { id: USER }, team: { id: h.slack.identity.teamId }, trigger_id: '1.2' };
  const view = { id: 'V1', callback_id: 'x', type: 'modal', state: { values: {} } };
  const quiet: [string, unknown][] = [
    ['interactive', { ...base, type: 'view_closed', view }],
    ['interactive', { ...base, type: 'shortcut', callback_id: 'x' }],
    ['interactive', { ...base, type: 'something_new' }],
    ['events_api', { type: 'app_rate_limited', team_id: 'T1', minute_rate_limited: 1 }],
    ['slash_commands', command({ command: '/other' })],
    ['something_new', {}],
  ];
  const before = h.logs.length;
  for (const [type, payload] of quiet) await server.ack(await deliver(type, payload));
  expect(h.logs.slice(before).filter((l) => !/debug/i.test(l.slice(0, 60)))).toEqual([]);

  const old = click();
  await server.ack(await deliver('interactive', old));
  const [answer] = await h.driver.responses(old.response_url, 1, 30_000);
  expect(answer!.body).toMatchObject({
    response_type: 'ephemeral',
    text: expect.stringContaining('This button is out of date'),
  });
});

test('messages that are no envelope (not JSON, no type, no id, types named like the connection’s own events) change nothing', async () => {
  const before = h.slack.calls.length;
  for (const text of [
    'not json',
    '7',
    '{"envelope_id":"x"}',
    '{"type":"close"}',
    '{"type":"ws_message"}',
    '{"type":"error"}',
  ])
    await server.send(text);
  // Still connected on the same connection, and answering.
  expect(await answeredCommand()).toContain('trial');
  expect(h.slack.calls.slice(before).filter((c) => c.method === 'apps.connections.open')).toEqual([]);
  expect(h.logs.filter((l) => /error/i.test(l.slice(0, 40)))).toEqual([]);
});
