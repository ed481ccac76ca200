/**
 * What only the Postgres backend does (the store's contract runs on it in store.test.ts): migrations under an
 * advisory lock, a newer schema refused, a failing migration rolled back, and statements surviving the death of
 * their connections (pg_terminate_backend, as a Postgres restart or failover does to every replica).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_DIGEST_LEASE_MS } from '../../src/config.js';
import { openPostgresStore, postgresSchemaVersion } from '../../src/store/postgres.js';
import { MIGRATIONS, type Migration, NewerSchemaError, SCHEMA_VERSION } from '../../src/store/schema.js';
import { type Store, StoreUnavailableError } from '../../src/store/store.js';
import { createTestSchema, postgresAvailable, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.js';
import { carries, startTcpProxy } from '../support/tcp-proxy.js';

const now = new Date('2026-06-15T10:00:00Z');

describe.runIf(postgresAvailable())('the Postgres store', () => {
  let db: TestSchema;
  const opened: Store[] = [];
  const open = async (migrations?: readonly Migration[]) => {
    const store = await openPostgresStore(db.options, migrations);
    opened.push(store);
    return store;
  };
  /** The tables of the test's schema, by name. */
  const tables = async () =>
    (
      await db.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [
        db.schema,
      ])
    ).map((row) => row.name);

  beforeEach(async () => {
    db = await createTestSchema('pg');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await db.drop();
  });

  test('replicas starting together migrate once and both open the current schema', async () => {
    const stores = await Promise.all([open(), open(), open()]);
    expect(stores).toHaveLength(3);
    expect(await postgresSchemaVersion(db.options)).toBe(SCHEMA_VERSION);
    expect(await db.query('SELECT version FROM lma_schema')).toEqual([{ version: SCHEMA_VERSION }]);
    // Opened again, nothing is run twice (migration 2's ALTER TABLE would fail).
    await open();
    expect(await tables()).toContain('guides');
  });

  test('an empty database has schema version 0, a migrated one the last migration', async () => {
    expect(await postgresSchemaVersion(db.options)).toBe(0);
    await open();
    expect(await postgresSchemaVersion(db.options)).toBe(SCHEMA_VERSION);
  });

  test('a database written by a newer LMA Bot is refused and left unchanged', async () => {
    await open();
    await db.query('UPDATE lma_schema SET version = $1', [SCHEMA_VERSION + 1]);
    const refused = await open().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NewerSchemaError);
    expect((refused as Error).message).toMatch(/point DATABASE_URL at another database/);
    expect((refused as Error).message).not.toMatch(/DATA_DIR/);
    expect(await postgresSchemaVersion(db.options)).toBe(SCHEMA_VERSION + 1);
  });

  test('a failing migration leaves the database as it was: no table of the run, no version', async () => {
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      description: 'broken',
      sql: { sqlite: '', postgres: 'NOT SQL' },
    };
    await expect(open([...MIGRATIONS, broken])).rejects.toThrow(/syntax error/);
    expect(await tables()).toEqual([]);
  });

  test('connections killed under a store (a Postgres restart): the next statements reconnect, nothing is lost', async () => {
    const store = await open();
    expect(await store.events.claim('ask:Ev1', now)).toBe(true);
    await store.guides.save({ channel: 'C1', threadTs: '1.1', messageTs: '1.2', state: { step: 1 }, revision: 0 }, now);
    const killed = await db.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'lma-bot' ` +
        `AND pid <> pg_backend_pid() AND datname = current_database() AND query NOT LIKE '%pg_terminate_backend%'`,
    );
    expect(killed.length).toBeGreaterThan(0);
    expect(await store.events.claim('ask:Ev1', now)).toBe(false);
    expect(await store.events.claim('ask:Ev2', now)).toBe(true);
    expect((await store.guides.get('C1', '1.1'))?.revision).toBe(1);
    expect(await store.digest.claim('2026-06-15', 'C1', 'me', now, DEFAULT_DIGEST_LEASE_MS)).toEqual({ kind: 'post' });
  });

  test('Postgres unreachable: a statement fails as StoreUnavailableError after its tries, and works again once it is back', async () => {
    const server = new URL(TEST_DATABASE_URL!);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    try {
      const store = await openPostgresStore({ ...db.options, url: proxy.via(db.options.url) });
      opened.push(store);
      expect(await store.events.claim('ask:Ev1', now)).toBe(true);
      proxy.cut();
      await expect(store.events.claim('ask:Ev2', now)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.digest.claim('2026-06-15', 'C1', 'me', now, DEFAULT_DIGEST_LEASE_MS)).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      proxy.restore();
      expect(await store.events.claim('ask:Ev2', now)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  test('a statement held past DATABASE_STATEMENT_TIMEOUT_MS is cancelled as StoreUnavailableError', async () => {
    const store = await openPostgresStore({ ...db.options, statementTimeoutMs: 200 });
    opened.push(store);
    await db.query('BEGIN');
    try {
      await db.query('LOCK TABLE seen_events');
      await expect(store.events.claim('ask:Ev1', now)).rejects.toThrow(/the store is unavailable: .*statement timeout/);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  test('a reply lost after Postgres did the write (the connection died before it came back): the retry knows its own write', async () => {
    const server = new URL(TEST_DATABASE_URL!);
    const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    try {
      const store = await openPostgresStore({ ...db.options, url: proxy.via(db.options.url) });
      opened.push(store);
      // An event claimed once: still the first time for the retry, and not lost (no one answers it otherwise).
      const claimLost = proxy.loseReplyTo(carries('INSERT INTO seen_events'));
      expect(await store.events.claim('ask:Ev1', now)).toBe(true);
      await claimLost;
      expect(await store.events.claim('ask:Ev1', now)).toBe(false);
      expect(await db.query('SELECT event_id FROM seen_events')).toHaveLength(1);

      // A guide step saved once: the retry is told it saved, so the step is not taken a second time.
      const guide = { channel: 'C1', threadTs: '1.1', messageTs: '1.2', state: { step: 1 }, revision: 0 };
      expect(await store.guides.save(guide, now)).toBe(true);
      const saved = (await store.guides.get('C1', '1.1'))!;
      const saveLost = proxy.loseReplyTo(carries('INSERT INTO guides'));
      expect(await store.guides.save({ ...saved, state: { step: 2 } }, now)).toBe(true);
      await saveLost;
      expect(await store.guides.get('C1', '1.1')).toMatchObject({ revision: 2, state: { step: 2 } });
      // Another instance's save at the old revision still loses.
      expect(await store.guides.save({ ...saved, state: { step: 3 } }, now)).toBe(false);

      // A digest claim whose COMMIT's reply is lost: the retry finds its own claim and resumes it (the runner then
      // looks for the message in Slack before posting); no other owner is told it may post.
      const commitLost = proxy.loseReplyTo(carries('COMMIT'));
      expect(await store.digest.claim('2026-06-15', 'C1', 'me', now, DEFAULT_DIGEST_LEASE_MS)).toEqual({
        kind: 'post',
        resumed: true,
      });
      await commitLost;
      expect(await store.digest.claim('2026-06-15', 'C1', 'other', now, DEFAULT_DIGEST_LEASE_MS)).toEqual({
        kind: 'busy',
        owner: 'me',
      });
    } finally {
      await proxy.close();
    }
  });
});
