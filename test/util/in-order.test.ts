import { describe, expect, test } from 'vitest';
import { InOrder } from '../../src/util/in-order.js';

/** A task that records when it starts and ends, and finishes when told. */
function gate(log: string[], name: string) {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    open,
    task: async () => {
      log.push(`${name} start`);
      await opened;
      log.push(`${name} end`);
      return name;
    },
  };
}

describe('InOrder', () => {
  test('runs tasks of one key one after another, and other keys alongside', async () => {
    const log: string[] = [];
    const inOrder = new InOrder();
    const [a, b, c] = [gate(log, 'a'), gate(log, 'b'), gate(log, 'c')];
    const runs = [inOrder.run('guide 1', a.task), inOrder.run('guide 1', b.task), inOrder.run('guide 2', c.task)];
    await Promise.resolve();
    expect(log).toEqual(['a start', 'c start']);
    a.open();
    b.open();
    c.open();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(log.indexOf('b start')).toBeGreaterThan(log.indexOf('a end'));
  });

  test('a task that fails does not stop the next one; idle waits for everything queued', async () => {
    const inOrder = new InOrder();
    const failed = inOrder.run('digest', async () => {
      throw new Error('a failed run');
    });
    let done = false;
    void inOrder.run('digest', async () => {
      done = true;
    });
    await expect(failed).rejects.toThrow('a failed run');
    await inOrder.idle();
    expect(done).toBe(true);
  });
});
