import { expect, test } from 'vitest';
import { Recent } from '../../src/util/recent.js';

test('computes a key once while it is kept, and lets every key go once the limit is reached', () => {
  const recent = new Recent<string>(2);
  const computed: string[] = [];
  const get = (key: string) =>
    recent.get(key, () => {
      computed.push(key);
      return key.toUpperCase();
    });
  expect([get('a'), get('a'), get('b'), get('b')]).toEqual(['A', 'A', 'B', 'B']);
  expect(computed).toEqual(['a', 'b']);
  // A third key clears the two kept: 'a' is computed again.
  expect([get('c'), get('c'), get('a')]).toEqual(['C', 'C', 'A']);
  expect(computed).toEqual(['a', 'b', 'c', 'a']);
});
