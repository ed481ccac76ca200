/** DATABASE_URL selects the Postgres store; without it the bot keeps its SQLite file under DATA_DIR. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DATABASE_DEFAULTS } from '../../src/config.js';
import { openStore } from '../../src/store/open.js';
import { STORE_FILE } from '../../src/store/sqlite.js';
import { createTestSchema, postgresAvailable } from '../support/postgres.js';

const now = new Date('2026-06-15T10:00:00Z');

test('without DATABASE_URL: the SQLite file under DATA_DIR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-open-'));
  try {
    const store = await openStore({ dataDir: dir });
    await store.events.claim('ask:Ev1', now);
    await store.close();
    expect(existsSync(join(dir, STORE_FILE))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.runIf(postgresAvailable())('with DATABASE_URL: Postgres, and no file under DATA_DIR', async () => {
  const db = await createTestSchema('open');
  const dir = mkdtempSync(join(tmpdir(), 'lma-open-'));
  try {
    const store = await openStore({ dataDir: dir, database: { url: db.url, ...DATABASE_DEFAULTS } });
    await store.events.claim('ask:Ev1', now);
    await store.close();
    expect(await db.query('SELECT event_id FROM seen_events')).toEqual([{ event_id: 'ask:Ev1' }]);
    expect(existsSync(join(dir, STORE_FILE))).toBe(false);
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
