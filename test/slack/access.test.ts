import { expect, test } from 'vitest';
import { isAllowed } from '../../src/slack/access.js';

test('empty lists allow everyone', () => {
  expect(isAllowed({ channels: [], users: [] }, 'U1', 'C1')).toBe(true);
});

test('a channel list restricts channels; DMs are decided by the user list alone', () => {
  const policy = { channels: ['C0SALES'], users: [] };
  expect(isAllowed(policy, 'U1', 'C0SALES')).toBe(true);
  expect(isAllowed(policy, 'U1', 'C0OTHER')).toBe(false);
  expect(isAllowed(policy, 'U1', 'D0DM')).toBe(true);
  // The person's own Home tab: no channel, like a DM.
  expect(isAllowed(policy, 'U1', undefined, true)).toBe(true);
  expect(isAllowed(policy, 'U1', undefined)).toBe(false);
});

test('a user list restricts users everywhere', () => {
  const policy = { channels: [], users: ['U0BOB'] };
  expect(isAllowed(policy, 'U0BOB', 'C1')).toBe(true);
  expect(isAllowed(policy, 'U0EVE', 'D0DM')).toBe(false);
  expect(isAllowed(policy, undefined, 'C1')).toBe(false);
});
