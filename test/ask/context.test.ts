import { afterEach, beforeEach, expect, test } from 'vitest';
import { ThreadContext } from '../../src/ask/context.js';
import { openStore, type Store } from '../../src/store/sqlite.js';

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

const now = new Date('2026-06-15T10:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

test('remembers the last customer per thread, the latest answer winning', () => {
  const context = new ThreadContext(store.db);
  context.remember('C1', '1.1', 'Acme Corporation', now);
  context.remember('C1', '2.2', 'Globex', now);
  context.remember('C1', '1.1', 'Acme Labs', now);
  expect(context.lastCustomer('C1', '1.1', now)).toBe('Acme Labs');
  expect(context.lastCustomer('C1', '2.2', now)).toBe('Globex');
  expect(context.lastCustomer('C2', '1.1', now)).toBeUndefined();
});

test('survives a restart (a new ThreadContext on the same store)', () => {
  new ThreadContext(store.db).remember('C1', '1.1', 'Globex', now);
  expect(new ThreadContext(store.db).lastCustomer('C1', '1.1', now)).toBe('Globex');
});

test('a month-old thread no longer refers to its customer', () => {
  const context = new ThreadContext(store.db);
  context.remember('C1', '1.1', 'Globex', now);
  expect(context.lastCustomer('C1', '1.1', later(29))).toBe('Globex');
  expect(context.lastCustomer('C1', '1.1', later(31))).toBeUndefined();
});
