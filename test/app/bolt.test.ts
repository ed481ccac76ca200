import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { expect, test } from 'vitest';
import type { Answerer } from '../src/answer.js';
import { type AppDeps, createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';

const deps = (slack: AppDeps['slack']): AppDeps => ({
  slack,
  answerer: {} as Answerer,
  access: { channels: [], users: [] },
  logger: createLogger({ level: 'error', write: () => undefined }),
  parseContext: () => ({ today: '2026-06-15', packages: [] }),
  health: async () => ({ ok: true }),
});

test('bot token and signing secret → Bolt’s HTTP receiver; an app token → Socket Mode (nothing connects before start)', () => {
  expect(createApp(deps({ botToken: 'xoxb-1', signingSecret: 'secret' })).receiver).toBeInstanceOf(HTTPReceiver);
  expect(
    createApp(deps({ botToken: 'xoxb-1', signingSecret: 'secret', appToken: 'xapp-1-A-1-x' })).receiver,
  ).toBeInstanceOf(SocketModeReceiver);
});
