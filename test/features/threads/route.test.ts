/**
 * Which messages are questions for the bot, decided as the one message listener decides it: the core's filter (a
 * person wrote it), the feature owning the thread's kind (the install guide), then the conversation's route.
 */
import { describe, expect, test } from 'vitest';
import { FEATURES } from '../../../src/app/features.js';
import { type IncomingEvent, routeMessage } from '../../../src/app/messages.js';
import { registerFeatures } from '../../../src/app/registry.js';
import type { ThreadKind } from '../../../src/store/store.js';
import { offlineRuntime } from '../../support/offline-runtime.js';

const BOT = 'U0LMABOT';
const threads: Record<string, ThreadKind> = { '100.1': 'answer', '200.1': 'digest', '300.1': 'guide' };
const registry = registerFeatures(FEATURES.map((feature) => feature(offlineRuntime())));
const ctx = { registry, botUserId: BOT, threadKind: async (_channel: string, ts: string) => threads[ts] };
const base = { user: 'U0ALICE', channel: 'C0GENERAL', ts: '999.1' };
const route = async (event: IncomingEvent) => {
  const routed = await routeMessage({ ...base, ...event }, ctx);
  // What the conversation would answer, or why not, or the feature a guide thread is handed to.
  return 'answer' in routed
    ? { answer: routed.answer }
    : 'owner' in routed
      ? { handedTo: routed.owner.feature }
      : routed;
};

describe('answered', () => {
  test('a top-level mention, in the thread it starts', async () => {
    expect(await route({ type: 'app_mention', text: `<@${BOT}> Acme?` })).toEqual({
      answer: {
        channel: 'C0GENERAL',
        user: 'U0ALICE',
        text: `<@${BOT}> Acme?`,
        replyThreadTs: '999.1',
        contextKey: '999.1',
        via: 'mention',
        addressed: true,
      },
    });
  });

  test('a mention inside a thread, in that thread, even one the bot never spoke in', async () => {
    expect(await route({ type: 'app_mention', text: `<@${BOT}> Acme?`, thread_ts: '555.1' })).toMatchObject({
      answer: { replyThreadTs: '555.1', contextKey: '555.1' },
    });
  });

  test.each(['100.1', '200.1'])('a plain reply in a thread where the bot spoke (%s)', async (thread) => {
    expect(await route({ type: 'message', channel_type: 'channel', text: 'Acme?', thread_ts: thread })).toMatchObject({
      answer: { replyThreadTs: thread, via: 'thread', addressed: false },
    });
  });

  test('a reply also sent to the channel (thread_broadcast)', async () => {
    expect(
      await route({
        type: 'message',
        subtype: 'thread_broadcast',
        channel_type: 'channel',
        text: 'Acme?',
        thread_ts: '100.1',
      }),
    ).toMatchObject({ answer: { via: 'thread' } });
  });

  test('a direct message, in the conversation; a DM thread reply, in its thread', async () => {
    expect(await route({ type: 'message', channel: 'DU0ALICE', channel_type: 'im', text: 'Acme?' })).toMatchObject({
      answer: { contextKey: '', via: 'dm', addressed: true },
    });
    expect(await route({ type: 'message', channel: 'DU0ALICE', channel_type: 'im', text: 'Acme?' })).not.toHaveProperty(
      'answer.replyThreadTs',
    );
    expect(
      await route({
        type: 'message',
        channel: 'DU0ALICE',
        channel_type: 'im',
        text: `<@${BOT}> Acme?`,
        thread_ts: '555.1',
      }),
    ).toMatchObject({
      answer: { replyThreadTs: '555.1', contextKey: '555.1', via: 'dm' },
    });
  });
});

describe('ignored', () => {
  test.each<[string, IncomingEvent]>([
    [
      "the bot's own message",
      { type: 'message', user: BOT, bot_id: 'B0LMABOT', text: 'Acme Corporation renews…', thread_ts: '100.1' },
    ],
    [
      'another bot',
      {
        type: 'message',
        subtype: 'bot_message',
        bot_id: 'B0OTHER',
        user: undefined,
        text: 'Acme?',
        thread_ts: '100.1',
      },
    ],
    ['a bot user mentioning the bot', { type: 'app_mention', bot_id: 'B0OTHER', text: `<@${BOT}> Acme?` }],
    ['an edit', { type: 'message', subtype: 'message_changed', text: undefined, thread_ts: '100.1' }],
    ['a deletion', { type: 'message', subtype: 'message_deleted', thread_ts: '100.1' }],
    ['someone joining', { type: 'message', subtype: 'channel_join', text: 'has joined' }],
    ['an edited mention', { type: 'app_mention', text: `<@${BOT}> Acme?`, edited: { ts: '1.1' } }],
    ['a channel message without a mention', { type: 'message', channel_type: 'channel', text: 'Acme?' }],
    [
      'the message copy of a mention (answered as app_mention)',
      { type: 'message', channel_type: 'channel', text: `<@${BOT}> Acme?`, thread_ts: '100.1' },
    ],
    [
      'a reply in a thread the bot never spoke in',
      { type: 'message', channel_type: 'channel', text: 'Acme?', thread_ts: '555.1' },
    ],
    [
      'a reply in a bot thread addressed to someone else',
      { type: 'message', channel_type: 'channel', text: '<@U0BOB> can you check Acme?', thread_ts: '100.1' },
    ],
  ])('%s', async (_name, event) => {
    expect(await route(event)).toHaveProperty('ignore');
  });
});

describe('handed to the install guide, never answered as a question', () => {
  test.each<[string, IncomingEvent]>([
    [
      'a reply in an install guide thread',
      { type: 'message', channel_type: 'channel', text: 'done', thread_ts: '300.1' },
    ],
    ['a mention in an install guide thread', { type: 'app_mention', text: `<@${BOT}> Acme?`, thread_ts: '300.1' }],
    [
      'a DM reply in an install guide thread',
      { type: 'message', channel: 'DU0ALICE', channel_type: 'im', text: 'done', thread_ts: '300.1' },
    ],
  ])('%s', async (_name, event) => {
    expect(await route(event)).toEqual({ handedTo: 'guide' });
  });
});
