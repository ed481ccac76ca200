import type { AnyMiddlewareArgs } from '@slack/bolt';
import { expect, test } from 'vitest';
import { ackFirst } from '../../src/app/middleware.js';

test('ackFirst acks, then lets I/O already waiting on the event loop (the next request of a burst) run before the work', async () => {
  const order: string[] = [];
  const args = {
    ack: async () => {
      order.push('ack');
      // Another request of the same burst, read by the loop while this one is handled.
      setImmediate(() => order.push('next request'));
    },
    next: async () => {
      order.push('work');
    },
  } as unknown as AnyMiddlewareArgs & { next: () => Promise<void> };
  await ackFirst(args as Parameters<typeof ackFirst>[0]);
  expect(order).toEqual(['ack', 'next request', 'work']);
});

test('ackFirst runs the work once, also where there is nothing to ack (events are acked by Bolt)', async () => {
  let worked = 0;
  await ackFirst({ next: async () => void worked++ } as unknown as Parameters<typeof ackFirst>[0]);
  expect(worked).toBe(1);
});
