import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { expect, test } from 'vitest';
import { createReceiver, type ReceiverDeps } from '../../src/app/bolt.js';
import { createLogger } from '../../src/logger.js';

const deps = (slack: ReceiverDeps['slack']): ReceiverDeps => ({
  slack,
  logger: createLogger({ level: 'error', write: () => undefined }),
  routes: [],
});

test('bot token and signing secret → Bolt’s HTTP receiver; an app token → Socket Mode (nothing connects before start)', () => {
  expect(createReceiver(deps({ botToken: 'xoxb-1', signingSecret: 'secret' }))).toBeInstanceOf(HTTPReceiver);
  expect(
    createReceiver(deps({ botToken: 'xoxb-1', signingSecret: 'secret', appToken: 'xapp-1-A-1-x' })),
  ).toBeInstanceOf(SocketModeReceiver);
});
