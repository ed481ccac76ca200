/**
 * The SQLite backend's schema versions: files written before the store had a version, older and newer files, and
 * the migration runner's transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_DIGEST_LEASE_MS } from '../../src/config.js';
import { MIGRATIONS, type Migration, NewerSchemaError, SCHEMA_VERSION } from '../../src/store/schema.js';
import { migrate, openSqliteStore, STORE_FILE } from '../../src/store/sqlite.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const storeFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-sqlite-'));
  dirs.push(dir);
  return join(dir, STORE_FILE);
};
const withDb = <T>(file: string, read: (db: Database.Database) => T): T => {
  const db = new Database(file);
  try {
    return read(db);
  } finally {
    db.close();
  }
};
const userVersion = (file: string) => withDb(file, (db) => db.pragma('user_version', { simple: true }));
/** Every table with its columns (name, type, not null, primary key position): the schema as SQLite sees it. */
const tablesOf = (file: string) =>
  withDb(file, (db) =>
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
      ({ name }) => ({
        name,
        columns: (
          db.pragma(`table_info(${name})`) as { name: string; type: string; notnull: number; pk: number }[]
        ).map((c) => [c.name, c.type, c.notnull, c.pk]),
      }),
    ),
  );

/** The DDL the bot ran before the store had a version (main before the schema module), constructor by constructor. */
const UNVERSIONED_DDL = [
  'CREATE TABLE IF NOT EXISTS seen_events (event_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS bot_threads (channel TEXT NOT NULL, thread_ts TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (channel, thread_ts))',
  'CREATE TABLE IF NOT EXISTS ask_thread_context (channel TEXT NOT NULL, thread_key TEXT NOT NULL, customer TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (channel, thread_key))',
  `CREATE TABLE IF NOT EXISTS guides (
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    message_ts TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, thread_ts)
  )`,
  `CREATE TABLE IF NOT EXISTS digest_ledger (
      day TEXT NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL, owner TEXT NOT NULL, heartbeat TEXT NOT NULL,
      ts TEXT, error TEXT, posted_at TEXT, PRIMARY KEY (day, channel))`,
  'CREATE TABLE IF NOT EXISTS digest_runs (day TEXT PRIMARY KEY, composed_at TEXT NOT NULL, content TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS digest_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  'CREATE TABLE IF NOT EXISTS digest_snapshot (id TEXT PRIMARY KEY, status TEXT, seats INTEGER, expiration TEXT)',
];

/** A DATA_DIR file as the unversioned bot left it: every table, one row each, user_version 0. */
function writeUnversionedFile(file: string, at: string): void {
  withDb(file, (db) => {
    db.pragma('journal_mode = WAL');
    for (const ddl of UNVERSIONED_DDL) db.exec(ddl);
    const guide = JSON.stringify({ stage: 2, status: 'active' });
    const content = JSON.stringify({ day: '2026-06-14', renewals: { total: 3 } });
    db.exec(`
      INSERT INTO seen_events VALUES ('ask:Ev1', '${at}');
      INSERT INTO bot_threads VALUES ('C1', '100.1', 'guide', '${at}');
      INSERT INTO ask_thread_context VALUES ('C1', '200.1', 'Acme Corporation', '${at}');
      INSERT INTO guides VALUES ('C1', '100.1', '100.2', '${guide}', '${at}');
      INSERT INTO digest_ledger VALUES ('2026-06-14', 'C1', 'posted', 'old-host:1:abcdef', '${at}', '300.1', NULL, '${at}');
      INSERT INTO digest_runs VALUES ('2026-06-14', '${at}', '${content}');
      INSERT INTO digest_state VALUES ('source', 'snapshot'), ('snapshot_at', '${at}');
      INSERT INTO digest_snapshot VALUES ('L1', 'Trial', 10, '2026-07-01');
    `);
  });
}

describe('schema versions', () => {
  test('the migrations are numbered 1, 2, 3… in order, and the code writes the last one', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  test('migration 1 yields exactly the tables the unversioned bot created', () => {
    const unversioned = storeFile();
    withDb(unversioned, (db) => {
      for (const ddl of UNVERSIONED_DDL) db.exec(ddl);
    });
    const first = storeFile();
    withDb(first, (db) => migrate(db, first, MIGRATIONS.slice(0, 1)));
    expect(userVersion(first)).toBe(1);
    expect(tablesOf(first)).toEqual(tablesOf(unversioned));
  });

  test('a new file gets every table and the current version', async () => {
    const file = storeFile();
    await openSqliteStore(file).close();
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
    expect(tablesOf(file).map((t) => t.name)).toEqual([
      'alert_mutes',
      'alert_outbox',
      'alert_subscriptions',
      'ask_thread_context',
      'bot_threads',
      'digest_ledger',
      'digest_runs',
      'feed_licenses',
      'feed_state',
      'guides',
      'kept_readings',
      'leases',
      'license_events',
      'owner_matches',
      'seen_events',
      'status_change_days',
    ]);
  });

  test('a file the unversioned bot wrote opens with every row, migrated to the same tables as a new file', async () => {
    const at = '2026-06-14T09:00:00.000Z';
    const file = storeFile();
    writeUnversionedFile(file, at);
    expect(userVersion(file)).toBe(0);
    const fresh = storeFile();
    await openSqliteStore(fresh).close();

    const store = openSqliteStore(file);
    const now = new Date('2026-06-15T10:00:00Z');
    try {
      expect(await store.events.claim('ask:Ev1', now)).toBe(false);
      expect(await store.threads.kind('C1', '100.1')).toBe('guide');
      expect(await store.threadContext.last('C1', '200.1', now)).toBe('Acme Corporation');
      expect(await store.guides.get('C1', '100.1')).toEqual({
        channel: 'C1',
        threadTs: '100.1',
        messageTs: '100.2',
        state: { stage: 2, status: 'active' },
        revision: 0,
      });
      expect(await store.digest.claim('2026-06-14', 'C1', 'new-host:2:fedcba', now, DEFAULT_DIGEST_LEASE_MS)).toEqual({
        kind: 'done',
        ts: '300.1',
        postedAt: at,
      });
      expect(await store.digest.composed('2026-06-14')).toEqual({
        composedAt: new Date(at),
        content: { day: '2026-06-14', renewals: { total: 3 } },
      });
      expect((await store.digest.previous('2026-06-15'))?.composedAt).toEqual(new Date(at));
    } finally {
      await store.close();
    }
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
    expect(tablesOf(file)).toEqual(tablesOf(fresh));
  });

  test('a file newer than the code is refused, saying which file, both versions and what to do, and left as it was', () => {
    const file = storeFile();
    withDb(file, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    let error: unknown;
    try {
      openSqliteStore(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NewerSchemaError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(message).toContain(`versions up to ${SCHEMA_VERSION}`);
    expect(message).toMatch(/Run that newer version .* or point DATA_DIR at another directory/);
    expect(userVersion(file)).toBe(SCHEMA_VERSION + 1);
    expect(tablesOf(file)).toEqual([]);
  });
});

describe('the migration runner', () => {
  test('a file at an older version gets only the migrations it lacks, and keeps its rows', async () => {
    const file = storeFile();
    withDb(file, (db) => {
      migrate(db, file, MIGRATIONS.slice(0, 1));
      db.prepare(`INSERT INTO guides VALUES ('C1', '1.1', '1.2', '{"stage":4}', '2026-06-14T09:00:00.000Z')`).run();
    });
    const store = openSqliteStore(file);
    try {
      const guide = await store.guides.get('C1', '1.1');
      expect(guide).toEqual({ channel: 'C1', threadTs: '1.1', messageTs: '1.2', state: { stage: 4 }, revision: 0 });
      expect(await store.guides.save({ ...guide!, state: { stage: 5 } }, new Date())).toBe(true);
    } finally {
      await store.close();
    }
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
    // Opened again, nothing is run twice (migration 2's ALTER TABLE would fail).
    await openSqliteStore(file).close();
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
  });

  test('a failing migration leaves the file as it was: no table of the run, the old version', () => {
    const file = storeFile();
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      description: 'broken',
      sql: { sqlite: 'NOT SQL', postgres: 'NOT SQL' },
    };
    expect(() => withDb(file, (db) => migrate(db, file, [...MIGRATIONS, broken]))).toThrow(/syntax error/);
    expect(userVersion(file)).toBe(0);
    expect(tablesOf(file)).toEqual([]);
  });
});
