import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, LogLevel, type SlashCommand } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackDriver } from '../src/driver.js';
import { type FakeSlack, startFakeSlack } from '../src/fake-slack.js';

const token = 'xoxb-sandbox';
const signingSecret = 'sandbox-signing-secret';
const alice = { id: 'U0ALICE', name: 'alice' };
const shareButton = {
  type: 'actions',
  block_id: 'answer_actions',
  elements: [
    {
      type: 'button',
      action_id: 'share',
      text: { type: 'plain_text', text: 'Share in channel' },
      value: 'renewals 30',
    },
  ],
};

let slack: FakeSlack;
let app: App;
let driver: SlackDriver;
let appServer: Server;
let appUrl: string;
/** How many of the bot's own messages Slack echoed back to the app. */
let echoed: number;
const echoes: Promise<void>[] = [];
/** What the app's listeners received, for asserting on Slack's payloads. */
let seen: {
  commands: SlashCommand[];
  actions: BlockAction[];
  messages: Record<string, unknown>[];
  retryNums: unknown[];
};

beforeEach(async () => {
  seen = { commands: [], actions: [], messages: [], retryNums: [] };
  slack = await startFakeSlack({
    botToken: token,
    channels: [
      { id: 'C0SALES', name: 'sales' },
      { id: `D${alice.id}`, name: 'dm', members: [alice.id, 'U0LMABOT'] },
    ],
    users: [alice],
  });
  app = new App({
    token,
    signingSecret,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: slack.apiUrl },
  });
  app.command('/lma', async ({ ack, respond, command }) => {
    seen.commands.push(command);
    await ack();
    await respond({ text: `You asked: ${command.text}`, blocks: [shareButton] });
  });
  app.event('app_mention', async ({ event, client }) => {
    await client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: 'On it' });
  });
  app.message(async ({ message, context }) => {
    seen.messages.push(message as unknown as Record<string, unknown>);
    seen.retryNums.push(context.retryNum);
  });
  app.action<BlockAction>('share', async ({ ack, respond, body }) => {
    seen.actions.push(body);
    await ack();
    await respond({ response_type: 'in_channel', text: 'Shared: renewals 30' });
  });
  app.action<BlockAction>('confirm', async ({ ack, respond, body }) => {
    seen.actions.push(body);
    await ack();
    await respond({ replace_original: true, text: 'Confirmed' });
  });
  appServer = (await app.start(0)) as Server;
  appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/slack/events`;
  driver = new SlackDriver({ appUrl, signingSecret, slack });
  // Slack delivers the bot's own messages back; the app must ignore them.
  echoed = 0;
  slack.onEvent = (event) => {
    const delivery = driver.event(event).then(() => {
      echoed += 1;
    });
    echoes.push(delivery);
    return delivery;
  };
});

afterEach(async () => {
  await Promise.all(echoes.splice(0));
  // A refused request can leave fetch's keep-alive connection open, which would hold stop() for seconds.
  const stopping = app.stop();
  appServer.closeAllConnections();
  await stopping;
  await slack.close();
});

describe('SlackDriver against a real Bolt app', () => {
  it('sends a slash command with Slack’s form fields, acked with 200, answered at its response_url', async () => {
    const { status, responseUrl } = await driver.command('renewals 30', { user: alice.id, channel: 'C0SALES' });
    expect(status).toBe(200);

    const [answer] = await driver.responses(responseUrl);
    expect(answer?.body).toMatchObject({ text: 'You asked: renewals 30' });
    expect(answer?.message).toMatchObject({ channel: 'C0SALES', ephemeralTo: alice.id });
    expect(seen.commands[0]).toMatchObject({
      command: '/lma',
      text: 'renewals 30',
      team_id: 'T0LMATEAM',
      team_domain: 'lma-sandbox',
      channel_id: 'C0SALES',
      channel_name: 'sales',
      user_id: alice.id,
      user_name: 'alice',
      api_app_id: 'A0LMAAPP',
      response_url: responseUrl,
    });
    expect(seen.commands[0]?.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
  });

  it('delivers a mention as app_mention; the bot’s threaded answer comes back as an event the app ignores', async () => {
    const { status, message } = await driver.say('<@U0LMABOT> who renews this month?', {
      user: alice.id,
      channel: 'C0SALES',
    });
    expect(status).toBe(200);

    const reply = await slack.waitFor(() => slack.thread('C0SALES', message.ts).find((m) => m.bot_id));
    expect(reply).toMatchObject({ text: 'On it', thread_ts: message.ts });
    expect(slack.thread('C0SALES', message.ts)[0]).toMatchObject({ user: alice.id, replyCount: 1 });
    // The echo of 'On it' reached the app (Bolt's ignoreSelf drops it) and no message listener ran.
    await slack.waitFor(() => echoed >= 1);
    expect(seen.messages).toEqual([]);
  });

  it('delivers plain messages as message events, with channel_type, thread_ts and retry headers', async () => {
    const parent = await driver.say('renewals please', { user: alice.id, channel: 'C0SALES' });
    await driver.say('and trials', { user: alice.id, channel: 'C0SALES', thread_ts: parent.message.ts });
    await driver.say('hello bot', { user: alice.id, channel: `D${alice.id}`, eventId: 'Ev0RETRY', retryNum: 1 });

    await slack.waitFor(() => seen.messages.length >= 3);
    expect(seen.messages).toMatchObject([
      { text: 'renewals please', channel_type: 'channel', user: alice.id },
      { text: 'and trials', thread_ts: parent.message.ts },
      { text: 'hello bot', channel_type: 'im', channel: `D${alice.id}` },
    ]);
    expect(seen.retryNums).toEqual([undefined, undefined, 1]);
  });

  it('clicks a button on an ephemeral answer: block_actions without the message, answered in channel', async () => {
    const { responseUrl } = await driver.command('renewals 30', { user: alice.id, channel: 'C0SALES' });
    const [answer] = await driver.responses(responseUrl);

    const click = await driver.click(answer!.message!, 'share', { user: alice.id, channel: 'C0SALES' });
    expect(click.status).toBe(200);

    const [shared] = await driver.responses(click.responseUrl);
    expect(shared?.message).toMatchObject({ text: 'Shared: renewals 30', channel: 'C0SALES' });
    expect(shared?.message?.ephemeralTo).toBeUndefined();
    const action = seen.actions[0]!;
    expect(action).toMatchObject({
      type: 'block_actions',
      user: { id: alice.id },
      channel: { id: 'C0SALES', name: 'sales' },
      container: { type: 'message', message_ts: answer!.message!.ts, is_ephemeral: true },
      actions: [{ action_id: 'share', block_id: 'answer_actions', value: 'renewals 30', type: 'button' }],
      response_url: click.responseUrl,
    });
    expect(action.message).toBeUndefined();
  });

  it('clicks a button on a channel message: the payload carries it, and replace_original replaces it', async () => {
    const blocks = [
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'confirm', value: 'yes', text: { type: 'plain_text', text: 'Confirm' } },
        ],
      },
    ];
    const posted = await app.client.chat.postMessage({ channel: 'C0SALES', text: 'Confirm?', blocks });

    const click = await driver.click({ blocks, ts: posted.ts, channel: 'C0SALES' }, 'confirm', {
      user: alice.id,
      channel: 'C0SALES',
    });
    await driver.responses(click.responseUrl);

    expect(seen.actions[0]?.message).toMatchObject({ ts: posted.ts, text: 'Confirm?' });
    expect(
      slack
        .messages('C0SALES')
        .filter((m) => m.ts === posted.ts)
        .map((m) => m.text),
    ).toEqual(['Confirmed']);
  });

  it('fails loudly when the button is not in the message', async () => {
    await expect(
      driver.click({ blocks: [shareButton] }, 'missing', { user: alice.id, channel: 'C0SALES' }),
    ).rejects.toThrow(/no element with action_id "missing"/);
  });

  it('is refused by the app when signed with another secret', async () => {
    const impostor = new SlackDriver({ appUrl, signingSecret: 'wrong-secret', slack });
    const { status } = await impostor.command('renewals 30', { user: alice.id, channel: 'C0SALES' });
    expect(status).toBe(401);
    expect(seen.commands).toEqual([]);
  });
});
