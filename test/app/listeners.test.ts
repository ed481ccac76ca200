/**
 * The core's listeners and middleware, fast: bodies go straight into the real Bolt app (a FakeReceiver, as bolt-js
 * tests do), the Web API and response_urls are the fake Slack's. A test feature declares one input of each kind; the
 * end-to-end suites drive the real features through the HTTP receiver.
 */
import { type FakeSlack, startFakeSlack } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createBoltApp } from '../../src/app/bolt.js';
import { InFlight } from '../../src/app/middleware.js';
import { registerFeatures } from '../../src/app/registry.js';
import type { BotRuntime, Feature } from '../../src/app/runtime.js';
import { answersFeature } from '../../src/features/answers/feature.js';
import { healthFeature } from '../../src/features/health/feature.js';
import { helpFeature } from '../../src/features/help/feature.js';
import { threadsFeature } from '../../src/features/threads/feature.js';
import { createLogger } from '../../src/logger.js';
import { accept, refuse } from '../../src/parse/index.js';
import { notice } from '../../src/slack/blocks.js';
import { FakeReceiver } from '../support/fake-receiver.js';
import { NOW } from '../support/lmo-fixture.js';
import { offlineRuntime } from '../support/offline-runtime.js';

const BOT_TOKEN = 'xoxb-listeners-test-token';
const ALLOWED = 'U0ALICE';
const NOT_ALLOWED = 'U0EVE';
const CHANNEL = 'C0GENERAL';
/** A thread the test feature owns (its parent is posted at start). */
let GUIDE_THREAD: string;

let slack: FakeSlack;
let runtime: BotRuntime;
let receiver: FakeReceiver;
const inFlight = new InFlight();
const logs: string[] = [];
/** What the test feature's handlers saw, in order. */
let seen: string[] = [];

/** One input of each kind, and a subcommand that throws. */
const probe: Feature = {
  name: 'probe',
  commands: [
    {
      name: 'echo',
      usage: '/lma echo <words>',
      example: '/lma echo hello',
      summary: 'Says the words back.',
      parse: ({ words }) => (words.length > 0 ? accept({ kind: 'echo', words }) : refuse('Say something.')),
      handle: async (request: { kind: 'echo'; words: string[] }, { tell }) => {
        seen.push(`echo ${request.words.join(' ')} (in flight: ${inFlight.count})`);
        await tell(notice('speech_balloon', request.words.join(' ')));
      },
    },
    {
      name: 'boom',
      usage: '/lma boom',
      example: '/lma boom',
      summary: 'Fails.',
      parse: () => accept({ kind: 'boom' }),
      handle: async () => {
        throw new Error('boom: a bug in a handler');
      },
    },
  ],
  actions: [
    { id: 'probe_button', handle: async ({ action }) => void seen.push(`button ${action.value}`) },
    { id: { prefix: 'probe_n_' }, handle: async ({ action }) => void seen.push(`numbered ${action.action_id}`) },
    {
      id: 'probe_broken',
      handle: async () => {
        throw new Error('a broken button');
      },
    },
  ],
  views: [
    {
      callbackId: 'probe_modal',
      handle: async ({ view, ack }) => {
        seen.push(`modal ${view.callback_id}`);
        await ack();
      },
    },
  ],
  events: [{ type: 'app_home_opened', handle: async ({ event }) => void seen.push(`home ${event.type}`) }],
  threads: [
    {
      kind: 'guide',
      handle: async (message, { tell }) => {
        seen.push(`thread ${message.text}`);
        if (message.text === 'fail') throw new Error('a broken thread step');
        await tell(notice('ok_hand', 'noted'));
      },
    },
  ],
};

beforeAll(async () => {
  slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    channels: [{ id: CHANNEL, name: 'general' }],
    users: [
      { id: ALLOWED, name: 'alice' },
      { id: NOT_ALLOWED, name: 'eve' },
    ],
  });
  runtime = offlineRuntime({
    env: { LMA_ALLOWED_USERS: ALLOWED },
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
  });
  GUIDE_THREAD = slack.postUserMessage({ channel: CHANNEL, user: ALLOWED, text: 'a guide' }).ts;
  await runtime.store.threads.mark(CHANNEL, GUIDE_THREAD, 'guide', NOW);
  const features = [answersFeature, healthFeature, threadsFeature, helpFeature].map((feature) => feature(runtime));
  receiver = new FakeReceiver();
  createBoltApp({
    slack: { botToken: BOT_TOKEN, signingSecret: 'unused-by-the-fake-receiver', apiUrl: slack.apiUrl },
    receiver,
    registry: registerFeatures([...features, probe]),
    runtime,
    access: runtime.config.access,
    inFlight,
  });
});
afterAll(async () => {
  await runtime?.store.close();
  await slack?.close();
});
beforeEach(() => {
  seen = [];
});

const slash = (text: string, user = ALLOWED) => {
  const responseUrl = slack.createResponseUrl({ channel: CHANNEL, user });
  const body = {
    command: '/lma',
    text,
    user_id: user,
    channel_id: CHANNEL,
    team_id: slack.identity.teamId,
    api_app_id: slack.identity.appId,
    response_url: responseUrl,
    trigger_id: '1.2.3',
  };
  return { responseUrl, send: () => receiver.send(body) };
};

const click = (actionId: string, value: string, user = ALLOWED) => {
  const responseUrl = slack.createResponseUrl({ channel: CHANNEL, user });
  const body = {
    type: 'block_actions',
    user: { id: user },
    team: { id: slack.identity.teamId },
    api_app_id: slack.identity.appId,
    channel: { id: CHANNEL },
    container: { type: 'message', message_ts: '1781517000.000001', channel_id: CHANNEL, is_ephemeral: true },
    trigger_id: '1.2.3',
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1781517000.1' }],
  };
  return { responseUrl, send: () => receiver.send(body) };
};

const event = (payload: Record<string, unknown>, eventId = `Ev${Math.random().toString(36).slice(2)}`) =>
  receiver.send({
    type: 'event_callback',
    team_id: slack.identity.teamId,
    api_app_id: slack.identity.appId,
    event_id: eventId,
    event_time: 1781517000,
    event: payload,
  });

const threadReply = (text: string, ts: string, user = ALLOWED, type = 'message') => ({
  type,
  user,
  text,
  ts,
  thread_ts: GUIDE_THREAD,
  channel: CHANNEL,
  ...(type === 'message' && { channel_type: 'channel' }),
});

describe('/lma', () => {
  test('is acked, then handed to the one feature that declared the subcommand, while counted in flight', async () => {
    const { responseUrl, send } = slash('echo hello there');
    const acks = await send();
    expect(acks).toHaveLength(1);
    expect(seen).toEqual(['echo hello there (in flight: 1)']);
    expect(inFlight.count).toBe(0);
    expect(slack.responses(responseUrl)[0].body).toMatchObject({ response_type: 'ephemeral', text: 'hello there' });
  });

  test('a mistake in its words gets the feature’s usage line; an undeclared word is no command at all', async () => {
    const mistake = slash('echo');
    await mistake.send();
    expect(String(slack.responses(mistake.responseUrl)[0].body.text)).toContain('Say something. Usage: /lma echo');
    const unknown = slash('weather');
    await unknown.send();
    expect(String(slack.responses(unknown.responseUrl)[0].body.text)).toMatch(/^.weather. is not a command/);
    expect(seen).toEqual([]);
  });

  test('a question subcommand is answered by the feature that answers its kind, with the help assembled', async () => {
    const { responseUrl, send } = slash('help');
    await send();
    const help = JSON.stringify(slack.responses(responseUrl)[0].body);
    expect(help).toContain('/lma echo &lt;words&gt;');
    expect(help).toContain('/lma renewals [days] [package]');
  });

  test('someone not allowed is refused before any handler runs', async () => {
    const { responseUrl, send } = slash('echo secret', NOT_ALLOWED);
    await send();
    expect(seen).toEqual([]);
    expect(String(slack.responses(responseUrl)[0].body.text)).toContain('only available to the people and channels');
  });

  test('a handler that throws: logged, and the person told "something went wrong", privately', async () => {
    const { responseUrl, send } = slash('boom');
    await send();
    expect(logs.some((line) => line.includes('boom: a bug in a handler'))).toBe(true);
    expect(slack.responses(responseUrl)[0].body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(slack.responses(responseUrl)[0].body.text)).toContain('Something went wrong');
  });
});

describe('buttons, modals and events', () => {
  test('a button reaches the feature owning its action id; a numbered family by its prefix', async () => {
    expect(await click('probe_button', 'v1').send()).toHaveLength(1);
    await click('probe_n_3', 'v2').send();
    expect(seen).toEqual(['button v1', 'numbered probe_n_3']);
  });

  test('a click by someone not allowed is refused beside the message; a broken button says so there', async () => {
    const refused = click('probe_button', 'v3', NOT_ALLOWED);
    await refused.send();
    expect(seen).toEqual([]);
    expect(slack.responses(refused.responseUrl)[0].body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
    });
    const broken = click('probe_broken', 'v4');
    await broken.send();
    expect(String(slack.responses(broken.responseUrl)[0].body.text)).toContain('Something went wrong');
    expect(slack.responses(broken.responseUrl)[0].body).toMatchObject({ replace_original: false });
  });

  test('a modal submission reaches its callback id’s owner, which acks it', async () => {
    const acks = await receiver.send({
      type: 'view_submission',
      team: { id: slack.identity.teamId },
      user: { id: ALLOWED },
      api_app_id: slack.identity.appId,
      view: { id: 'V1', callback_id: 'probe_modal', type: 'modal', state: { values: {} } },
    });
    expect(seen).toEqual(['modal probe_modal']);
    expect(acks).toHaveLength(1);
  });

  test('an Events API event reaches its owner, for people allowed only', async () => {
    await event({ type: 'app_home_opened', user: ALLOWED, channel: 'D0ALICE', tab: 'home' });
    await event({ type: 'app_home_opened', user: NOT_ALLOWED, channel: 'D0EVE', tab: 'home' });
    expect(seen).toEqual(['home app_home_opened']);
  });
});

describe('the one message listener', () => {
  test('hands a message in an owned thread to its owner once, though Slack delivers it as app_mention and message', async () => {
    const ts = '1781517000.000201';
    await event(threadReply(`<@${slack.identity.botUserId}> done`, ts, ALLOWED, 'app_mention'));
    await event(threadReply(`<@${slack.identity.botUserId}> done`, ts));
    expect(seen).toEqual([`thread <@${slack.identity.botUserId}> done`]);
    const told = slack.thread(CHANNEL, GUIDE_THREAD).filter((m) => m.bot_id);
    expect(told.map((m) => [m.text, m.ephemeralTo])).toEqual([['noted', ALLOWED]]);
  });

  test('drops bots, edits and deletions before any owner sees them', async () => {
    await event({ ...threadReply('done', '1781517000.000301'), bot_id: 'B0OTHER' });
    await event({ ...threadReply('done', '1781517000.000302'), subtype: 'message_changed' });
    await event({ ...threadReply('done', '1781517000.000303'), edited: { ts: '1.1' } });
    expect(seen).toEqual([]);
  });

  test('refuses someone not allowed, and tells of a failure, privately in the thread', async () => {
    await event(threadReply('done', '1781517000.000401', NOT_ALLOWED));
    await event(threadReply('fail', '1781517000.000402'));
    expect(seen).toEqual(['thread fail']);
    const told = slack
      .thread(CHANNEL, GUIDE_THREAD)
      .filter((m) => m.bot_id)
      .slice(1);
    expect(told.map((m) => m.ephemeralTo)).toEqual([NOT_ALLOWED, ALLOWED]);
    expect(told[0].text).toContain('only available to the people and channels');
    expect(told[1].text).toContain('Something went wrong');
  });
});
