/**
 * The SQLite backend of the store (better-sqlite3): one file under DATA_DIR that several processes on one host may
 * share. Opening it applies the schema's pending migrations; every SQL statement of the store is here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { LicenseState } from '../lma/model.js';
import { decideClaim } from './claim.js';
import { MIGRATIONS, type Migration, pendingMigrations } from './schema.js';
import {
  type ChangeCommit,
  type ChangeSource,
  type DigestLedger,
  GUIDE_TTL_DAYS,
  type LedgerEntry,
  type Store,
  THREAD_CONTEXT_TTL_DAYS,
  type ThreadKind,
} from './store.js';

export const STORE_FILE = 'lma-bot.sqlite';

const DAY_MS = 86_400_000;
/** Slack retries within minutes: a day of event ids is plenty. */
const EVENT_TTL_DAYS = 1;
/** Tables that only grow are pruned every so many writes, to keep them small without a timer. */
const PRUNE_EVERY = { events: 500, threadContext: 200 };

/** The schema version of the store file at `path` without changing it; undefined when there is no file yet. */
export function sqliteSchemaVersion(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Opens (and creates, and migrates) the store at `path`; `:memory:` for tests that need no file. */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // busy_timeout makes competing writers wait, not fail; WAL (set once the file is known to be ours: a refused
    // file stays as it was) lets a second process read while one writes.
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return sqliteStore(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Brings the file to the last migration's version in one write transaction (a failing migration leaves it as it
 * was); the version is read again inside it, so two processes opening one old file migrate it once.
 */
export function migrate(db: Database.Database, location: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (pendingMigrations(location, version(), migrations).length === 0) return;
  db.transaction(() => {
    const pending = pendingMigrations(location, version(), migrations);
    for (const migration of pending) db.exec(migration.sql.sqlite);
    const last = pending.at(-1);
    if (last) db.pragma(`user_version = ${last.version}`);
  }).immediate();
}

function sqliteStore(db: Database.Database): Store {
  const iso = (at: Date) => at.toISOString();
  const before = (now: Date, days: number) => iso(new Date(now.getTime() - days * DAY_MS));
  const writes = { events: 0, threadContext: 0 };

  const claimEvent = db.prepare('INSERT OR IGNORE INTO seen_events (event_id, seen_at) VALUES (?, ?)');
  const pruneEvents = db.prepare('DELETE FROM seen_events WHERE seen_at < ?');

  const markThread = db.prepare(
    'INSERT INTO bot_threads (channel, thread_ts, kind, at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, thread_ts) DO NOTHING',
  );
  const threadKind = db.prepare<[string, string], { kind: ThreadKind }>(
    'SELECT kind FROM bot_threads WHERE channel = ? AND thread_ts = ?',
  );

  const lastCustomer = db.prepare<[string, string, string], { customer: string }>(
    'SELECT customer FROM ask_thread_context WHERE channel = ? AND thread_key = ? AND at >= ?',
  );
  const rememberCustomer = db.prepare(
    'INSERT INTO ask_thread_context (channel, thread_key, customer, at) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (channel, thread_key) DO UPDATE SET customer = excluded.customer, at = excluded.at',
  );
  const pruneContext = db.prepare('DELETE FROM ask_thread_context WHERE at < ?');

  const selectGuide = db.prepare<
    [string, string],
    { channel: string; threadTs: string; messageTs: string; state: string; revision: number }
  >(
    'SELECT channel, thread_ts AS threadTs, message_ts AS messageTs, state, revision FROM guides ' +
      'WHERE channel = ? AND thread_ts = ?',
  );
  // The row is written only while it is still at the revision the guide was read at.
  const saveGuide = db.prepare(
    'INSERT INTO guides (channel, thread_ts, message_ts, state, updated_at, revision) ' +
      'VALUES (@channel, @threadTs, @messageTs, @state, @now, @revision + 1) ' +
      'ON CONFLICT (channel, thread_ts) DO UPDATE SET message_ts = excluded.message_ts, state = excluded.state, ' +
      'updated_at = excluded.updated_at, revision = excluded.revision WHERE guides.revision = excluded.revision - 1',
  );
  const removeGuides = db.prepare('DELETE FROM guides WHERE updated_at < ?');

  const insertClaim = db.prepare(
    `INSERT OR IGNORE INTO digest_ledger (day, channel, state, owner, heartbeat) VALUES (?, ?, 'claimed', ?, ?)`,
  );
  const ledgerEntry = db.prepare<[string, string], LedgerEntry>(
    'SELECT day, channel, state, owner, heartbeat, ts, error, posted_at AS postedAt FROM digest_ledger ' +
      'WHERE day = ? AND channel = ?',
  );
  const takeOver = db.prepare(
    'UPDATE digest_ledger SET owner = ?, heartbeat = ?, state = ?, error = NULL WHERE day = ? AND channel = ?',
  );
  /** Updates a slot only while `owner` holds it: a process that lost its claim changes nothing. */
  const ownerUpdate = (set: string) =>
    db.prepare(`UPDATE digest_ledger SET ${set} WHERE day = @day AND channel = @channel AND owner = @owner`);
  const heartbeat = ownerUpdate('heartbeat = @now');
  const parentPosted = ownerUpdate(`state = 'parent_posted', ts = @ts, heartbeat = @now`);
  const posted = ownerUpdate(`state = 'posted', posted_at = @now, heartbeat = @now`);
  const failed = ownerUpdate(`state = 'failed', error = @error, heartbeat = @now`);

  const composed = db.prepare<[string], { composedAt: string; content: string }>(
    'SELECT composed_at AS composedAt, content FROM digest_runs WHERE day = ?',
  );
  const keepRun = db.prepare('INSERT OR IGNORE INTO digest_runs (day, composed_at, content) VALUES (?, ?, ?)');
  const previousRun = db.prepare<[string], { composedAt: string }>(
    'SELECT composed_at AS composedAt FROM digest_runs WHERE day < ? ORDER BY day DESC LIMIT 1',
  );

  const changeState = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM digest_state');
  const setChangeState = db.prepare(
    'INSERT INTO digest_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  // One statement for any number of ids (json_each), however many a page of changes holds.
  const snapshotOf = db.prepare<[string], LicenseState>(
    'SELECT id, status, seats, expiration FROM digest_snapshot WHERE id IN (SELECT value FROM json_each(?))',
  );
  const clearSnapshot = db.prepare('DELETE FROM digest_snapshot');
  const saveSnapshot = db.prepare(
    'INSERT INTO digest_snapshot (id, status, seats, expiration) VALUES (@id, @status, @seats, @expiration) ' +
      'ON CONFLICT (id) DO UPDATE SET status = excluded.status, seats = excluded.seats, expiration = excluded.expiration',
  );

  const applyChanges = (commit: ChangeCommit): void => {
    if (commit.baseline) clearSnapshot.run();
    for (const license of commit.licenses) saveSnapshot.run(license);
    if (commit.source) setChangeState.run('source', commit.source);
    if (commit.snapshotAt) setChangeState.run('snapshot_at', iso(commit.snapshotAt));
  };

  const claimSlot = db.transaction((day: string, channel: string, owner: string, now: Date) => {
    if (insertClaim.run(day, channel, owner, iso(now)).changes === 1) return { kind: 'post' } as const;
    const decision = decideClaim(ledgerEntry.get(day, channel)!, owner, now);
    if ('takeOver' in decision) takeOver.run(owner, iso(now), decision.takeOver, day, channel);
    return decision.claim;
  });

  const keep = db.transaction((day: string, composedAt: Date, content: string, changes: ChangeCommit | undefined) => {
    if (keepRun.run(day, iso(composedAt), content).changes === 1 && changes) applyChanges(changes);
  });

  const ledger: DigestLedger = {
    // IMMEDIATE: competing processes queue on the write lock instead of both reading "unclaimed".
    claim: async (day, channel, owner, now) => claimSlot.immediate(day, channel, owner, now),
    heartbeat: async (day, channel, owner, now) => void heartbeat.run({ day, channel, owner, now: iso(now) }),
    parentPosted: async (day, channel, owner, ts, now) =>
      void parentPosted.run({ day, channel, owner, ts, now: iso(now) }),
    posted: async (day, channel, owner, now) => void posted.run({ day, channel, owner, now: iso(now) }),
    failed: async (day, channel, owner, error, now) => void failed.run({ day, channel, owner, error, now: iso(now) }),
    entry: async (day, channel) => ledgerEntry.get(day, channel),
    async composed<Content>(day: string) {
      const row = composed.get(day);
      return row && { composedAt: new Date(row.composedAt), content: JSON.parse(row.content) as Content };
    },
    async keepComposed(day, digest, changes) {
      keep.immediate(day, digest.composedAt, JSON.stringify(digest.content), changes);
      return (await ledger.composed<typeof digest.content>(day))!;
    },
    async previousComposedAt(day) {
      const row = previousRun.get(day);
      return row ? new Date(row.composedAt) : null;
    },
  };

  return {
    events: {
      async claim(key, now) {
        if (++writes.events % PRUNE_EVERY.events === 0) pruneEvents.run(before(now, EVENT_TTL_DAYS));
        return claimEvent.run(key, iso(now)).changes === 1;
      },
    },
    threads: {
      mark: async (channel, threadTs, kind, now) => void markThread.run(channel, threadTs, kind, iso(now)),
      kind: async (channel, threadTs) => threadKind.get(channel, threadTs)?.kind,
    },
    threadContext: {
      last: async (channel, threadKey, now) =>
        lastCustomer.get(channel, threadKey, before(now, THREAD_CONTEXT_TTL_DAYS))?.customer,
      async remember(channel, threadKey, customer, now) {
        if (++writes.threadContext % PRUNE_EVERY.threadContext === 0)
          pruneContext.run(before(now, THREAD_CONTEXT_TTL_DAYS));
        rememberCustomer.run(channel, threadKey, customer, iso(now));
      },
    },
    guides: {
      async get(channel, threadTs) {
        const row = selectGuide.get(channel, threadTs);
        return row && { ...row, state: JSON.parse(row.state) };
      },
      save: async (guide, now) =>
        saveGuide.run({
          channel: guide.channel,
          threadTs: guide.threadTs,
          messageTs: guide.messageTs,
          state: JSON.stringify(guide.state),
          revision: guide.revision,
          now: iso(now),
        }).changes === 1,
      removeIdle: async (now) => removeGuides.run(before(now, GUIDE_TTL_DAYS)).changes,
    },
    digest: ledger,
    changes: {
      async state() {
        const values = new Map(changeState.all().map((r) => [r.key, r.value]));
        const source = values.get('source');
        const snapshotAt = values.get('snapshot_at');
        return {
          ...(source !== undefined && { source: source as ChangeSource }),
          ...(snapshotAt !== undefined && { snapshotAt: new Date(snapshotAt) }),
        };
      },
      async licenses(ids) {
        if (ids.length === 0) return new Map();
        return new Map(snapshotOf.all(JSON.stringify(ids)).map((row) => [row.id, row]));
      },
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
