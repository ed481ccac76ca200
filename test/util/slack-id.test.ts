import { describe, expect, test } from 'vitest';
import { isSlackId } from '../../src/util/slack-id.js';

describe('isSlackId', () => {
  test('accepts each kind by its leading letters', () => {
    expect(['U012AB', 'W012AB'].map((id) => isSlackId('user', id))).toEqual([true, true]);
    expect(['C012AB', 'G012AB', 'D012AB'].map((id) => isSlackId('channel', id))).toEqual([true, true, true]);
    expect(['T012AB', 'E012AB'].map((id) => isSlackId('team', id))).toEqual([true, true]);
  });

  test('rejects an id of another kind', () => {
    expect(isSlackId('user', 'C012AB')).toBe(false);
    expect(isSlackId('channel', 'U012AB')).toBe(false);
    expect(isSlackId('team', 'U012AB')).toBe(false);
  });

  test('rejects markup, lowercase, text around an id, a bare prefix and non-strings', () => {
    for (const value of ['<!channel>', 'u012ab', ' U012AB', 'U012AB>', 'U012AB extra', 'U1', undefined, 42, null]) {
      expect(isSlackId('user', value)).toBe(false);
    }
  });
});
