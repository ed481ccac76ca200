import { describe, expect, test } from 'vitest';
import { Sleeper } from '../../src/util/sleep.js';

describe('Sleeper', () => {
  test('wakeAll cuts every pending sleep short (a minute each: the test would time out otherwise)', async () => {
    const sleeper = new Sleeper();
    const sleeps = Promise.all([sleeper.sleep(60_000), sleeper.sleep(60_000)]);
    sleeper.wakeAll();
    await expect(sleeps).resolves.toEqual([undefined, undefined]);
  });
});
