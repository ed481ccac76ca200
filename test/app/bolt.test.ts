import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { expect, test } from 'vitest';
import { createReceiver, type ReceiverDeps } from '../../src/app/bolt.js';
import { createLogger } from '../../src/logger.js';

const deps = (slack: ReceiverDeps['slack']): ReceiverDeps => ({
  slack,
  logger: createLogger({ level: 'error', write: () => undefined }),
  routes: [],
  store: { events: { claim: async () => true } },
  clock: () => new Date(),
});

/** Sockets, servers and DNS look-ups this process holds: what connecting or listening would add. */
const networkResources = () =>
  process.getActiveResourcesInfo().filter((kind) => /TCP|Pipe|GetAddrInfo|TLS|UDP/i.test(kind)).length;

test('bot token and signing secret → Bolt’s HTTP receiver; an app token → Socket Mode (nothing connects before start)', async () => {
  const before = networkResources();
  const http = createReceiver(deps({ botToken: 'xoxb-1', signingSecret: 'secret' }));
  const socket = createReceiver(deps({ botToken: 'xoxb-1', signingSecret: 'secret', appToken: 'xapp-1-A-1-x' }));
  expect(http).toBeInstanceOf(HTTPReceiver);
  expect(socket).toBeInstanceOf(SocketModeReceiver);
  // A turn of the event loop: anything the constructors started would hold a socket or a look-up by now.
  await new Promise(setImmediate);
  expect((socket as SocketModeReceiver).client.websocket).toBeUndefined();
  expect((http as unknown as { server?: unknown }).server).toBeUndefined();
  expect(networkResources()).toBe(before);
});
