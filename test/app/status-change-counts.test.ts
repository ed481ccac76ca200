import { expect, test } from 'vitest';
import { storedStatusChangeCounts } from '../../src/app/status-change-counts.js';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

const day = (d: string, conversions: number) => ({ day: d, conversions, uninstalls: 0 });

test('keeps and reads the days for the LMO in use: another LMO’s are not its', async () => {
  const store = openSqliteStore(':memory:');
  let instanceUrl = 'https://one.my.salesforce.com';
  const counts = storedStatusChangeCounts(store.statusChangeDays, { instanceUrl: () => instanceUrl }, createLogger());
  await counts.keep('UTC', [day('2026-06-13', 2), day('2026-06-14', 1)]);
  expect(await counts.since('UTC', '2026-06-14')).toEqual([day('2026-06-14', 1)]);
  instanceUrl = 'https://two.my.salesforce.com';
  expect(await counts.since('UTC', '2026-06-01')).toEqual([]);
  await store.close();
});

test('a store that fails costs a read of the days again, with a warning, never the answer', async () => {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line) });
  const failing: Store['statusChangeDays'] = {
    since: () => Promise.reject(new Error('database is locked')),
    keep: () => Promise.reject(new Error('database is locked')),
  };
  const counts = storedStatusChangeCounts(failing, { instanceUrl: () => 'https://one.my.salesforce.com' }, logger);
  expect(await counts.since('UTC', '2026-06-01')).toEqual([]);
  await expect(counts.keep('UTC', [day('2026-06-13', 2)])).resolves.toBeUndefined();
  expect(lines).toEqual([
    expect.stringMatching(/WARN .*not read from the store \(reading history instead\).*database is locked/),
    expect.stringMatching(/WARN .*not kept in the store.*database is locked/),
  ]);
});
