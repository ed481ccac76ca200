import { afterEach, describe, expect, test, vi } from 'vitest';
import { Limiter } from '../../src/util/limiter.js';

/** A task that runs until the test ends it, recording when it started. */
function gate(started: string[], name: string) {
  let finish: (value: string) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const task = () => {
    started.push(name);
    return done;
  };
  return { task, finish: () => finish(name), fail: (error: Error) => fail(error) };
}

const timeout = () => new Error('no slot in time');
/** Lets settled promises run their continuations. */
const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

afterEach(() => {
  vi.useRealTimers();
});

describe('Limiter', () => {
  test('runs at most `max` tasks at once; the others start in arrival order as slots free', async () => {
    const limiter = new Limiter(2);
    const started: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => gate(started, name));
    const results = [a, b, c, d].map((g) => limiter.run(60_000, timeout, g.task));
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    a.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    c.finish();
    d.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a task that throws frees its slot, and its error reaches the caller', async () => {
    const limiter = new Limiter(1);
    const started: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => gate(started, name));
    const first = limiter.run(60_000, timeout, a.task);
    const second = limiter.run(60_000, timeout, b.task);
    a.fail(new Error('LMO down'));
    await expect(first).rejects.toThrow('LMO down');
    await settle();
    expect(started).toEqual(['a', 'b']);
    b.finish();
    await expect(second).resolves.toBe('b');
  });

  test('a waiter gives up at its deadline with onTimeout(), and never takes a slot afterwards', async () => {
    vi.useFakeTimers();
    const limiter = new Limiter(1);
    const started: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(started, name));
    const first = limiter.run(60_000, timeout, a.task);
    const late = limiter.run(100, timeout, b.task);
    const patient = limiter.run(60_000, timeout, c.task);
    const lateOutcome = late.catch((error: Error) => error.message);
    await vi.advanceTimersByTimeAsync(99);
    expect(started).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await lateOutcome).toBe('no slot in time');
    a.finish();
    await first;
    await settle();
    // The slot went to the next waiter still waiting, not to the one that gave up.
    expect(started).toEqual(['a', 'c']);
    c.finish();
    await expect(patient).resolves.toBe('c');
  });

  test('a free slot is taken at once, whatever the wait budget', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(0, timeout, async () => 'now')).resolves.toBe('now');
    await expect(limiter.run(-5, timeout, async () => 'again')).resolves.toBe('again');
  });

  test('slots freed by finished tasks are reused: many tasks in turn never exceed the cap', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await settle();
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, () => limiter.run(60_000, timeout, task)));
    expect(peak).toBe(3);
    expect(running).toBe(0);
  });
});
