/**
 * The Postgres backend of the store (node-postgres and its Pool): the store several replicas share. Every
 * exactly-once decision is the database's: unique keys with ON CONFLICT DO NOTHING, a row lock (SELECT … FOR UPDATE)
 * around a digest claim, a revision-checked upsert for a guide step. Opening applies the schema's pending migrations
 * under an advisory lock, so replicas starting together migrate once. A statement that fails because its connection
 * died (Postgres restarted, a connection terminated) is retried on a fresh one; a transaction is retried whole.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { EventKind, LicenseEvent, TrackedLicense } from '../lma/license-events.js';
import { customerKey } from '../lma/model.js';
import {
  before,
  EVENT_TTL_DAYS,
  eventsAdded,
  eventsLeft,
  iso,
  OPEN_POLL,
  type OwnerMatchRow,
  oldestKeptDay,
  ownerMatchValues,
  PRUNE_EVERY,
  type SubscriptionRow,
  toKeptDigest,
  toOwnerMatch,
  toSubscription,
} from './backend.js';
import { decideClaim, ownerMayBeAlive } from './claim.js';
import { MIGRATIONS, type Migration, NewerSchemaError, pendingMigrations } from './schema.js';
import {
  ALERT_OUTBOX_PRUNE_EVERY,
  ALERT_OUTBOX_TTL_DAYS,
  type AlertMute,
  type AlertStore,
  type ChangeFeedStore,
  type DigestLedger,
  DONE_ALERT_STATES,
  type FeedCommit,
  GUIDE_TTL_DAYS,
  type LedgerEntry,
  type StatusChangeDay,
  type Store,
  StoreUnavailableError,
  THREAD_CONTEXT_TTL_DAYS,
  type ThreadKind,
} from './store.js';

export interface PostgresOptions {
  url: string;
  /** The schema the tables live in (created when missing); Postgres's search_path when unset. */
  schema?: string;
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** Told when an idle pooled connection dies (the pool replaces it); such an error must not end the process. */
  onIdleError?: (error: Error) => void;
}

/** Tries of one statement or transaction whose connection died, each on a fresh connection. */
const CONNECTION_TRIES = 3;

/** Errors that mean the connection (not the statement) failed: retrying on a new connection may succeed. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (typeof e?.code === 'string' && (e.code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(e.code)))
    return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e?.code ?? '')) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    e?.message ?? '',
  );
}

/** Postgres cancelled the statement after DATABASE_STATEMENT_TIMEOUT_MS (query_canceled). */
const isStatementTimeout = (error: unknown) => (error as { code?: string })?.code === '57014';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** One pool and its retry rules: every statement of the backend goes through `query` or `transaction`. */
class Database {
  constructor(readonly pool: pg.Pool) {}

  async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
    return this.retrying(() => this.pool.query<Row>(text, values));
  }

  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    return this.retrying(async () => {
      const client = await this.pool.connect();
      // A checked-out client has lost the pool's error listener: its connection dying between two statements would
      // be an unhandled 'error' event, which ends the process. The next statement fails with it instead (retried).
      const failsNextStatement = () => undefined;
      client.on('error', failsNextStatement);
      /** Back to the pool, live: the pool listens again. A dead one keeps the listener for its last events. */
      const giveBack = () => {
        client.off('error', failsNextStatement);
        client.release();
      };
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        giveBack();
        return result;
      } catch (error) {
        // A dead connection is not given back to the pool; a live one is rolled back first.
        if (isConnectionError(error)) client.release(error as Error);
        else {
          await client.query('ROLLBACK').catch(() => undefined);
          giveBack();
        }
        throw error;
      }
    });
  }

  /** Retries a dead connection; one that stays dead, or a statement timeout, is the store being unavailable. */
  private async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (isStatementTimeout(error)) throw new StoreUnavailableError(error);
        if (!isConnectionError(error)) throw error;
        if (tries >= CONNECTION_TRIES) throw new StoreUnavailableError(error);
      }
    }
  }
}

function createPool(options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    application_name: 'lma-bot',
    ...(options.schema && { options: `-c search_path=${quoteIdentifier(options.schema)}` }),
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Where the store is, for messages: the URL without its password. */
export function describeDatabase(url: string, schema?: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.toString()}${schema ? ` (schema ${schema})` : ''}`;
  } catch {
    return 'DATABASE_URL';
  }
}

const ELSEWHERE = 'point DATABASE_URL at another database to start with an empty store';

/** Opens the Postgres store: connects, creates the schema if asked, and migrates it (to `migrations`' last). */
export async function openPostgresStore(
  options: PostgresOptions,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<Store> {
  const pool = createPool(options);
  const db = new Database(pool);
  try {
    if (options.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
    await migrate(db, describeDatabase(options.url, options.schema), migrations);
    return postgresStore(db);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** The schema version of the database without changing it; 0 when no LMA Bot ever migrated it. */
export async function postgresSchemaVersion(options: PostgresOptions): Promise<number> {
  const pool = createPool({ ...options, poolSize: 1 });
  try {
    return await schemaVersion(pool);
  } finally {
    await pool.end();
  }
}

async function schemaVersion(db: Queryable): Promise<number> {
  const table = await db.query<{ found: string | null }>(`SELECT to_regclass('lma_schema')::text AS found`);
  if (!table.rows[0]?.found) return 0;
  const row = await db.query<{ version: number }>('SELECT version FROM lma_schema');
  return row.rows[0]?.version ?? 0;
}

/**
 * Brings the database to the last migration's version in one transaction, holding an advisory lock on the schema
 * so that a second replica starting at the same time waits and then finds nothing left to do.
 */
async function migrate(db: Database, location: string, migrations: readonly Migration[]): Promise<void> {
  await db.transaction(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('lma-bot:' || current_schema()))`);
    const from = await schemaVersion(client);
    let pending: Migration[];
    try {
      pending = pendingMigrations(location, from, migrations);
    } catch (error) {
      if (error instanceof NewerSchemaError)
        throw new NewerSchemaError(error.location, error.found, error.known, ELSEWHERE);
      throw error;
    }
    if (pending.length === 0) return;
    for (const migration of pending) await client.query(migration.sql.postgres);
    await client.query('DELETE FROM lma_schema');
    await client.query('INSERT INTO lma_schema (version) VALUES ($1)', [pending.at(-1)?.version]);
  });
}

function postgresStore(db: Database): Store {
  const writes = { events: 0, threadContext: 0 };

  const ledgerEntry = (q: Queryable, day: string, channel: string, lock = '') =>
    q
      .query<LedgerEntry>(
        'SELECT day, channel, state, owner, heartbeat, ts, error, posted_at AS "postedAt" FROM digest_ledger ' +
          `WHERE day = $1 AND channel = $2 ${lock}`,
        [day, channel],
      )
      .then((r) => r.rows[0]);
  /** Updates a slot only while `owner` holds it: a process that lost its claim changes nothing. */
  const ownerUpdate = (set: string, day: string, channel: string, owner: string, values: unknown[]) =>
    db
      .query(`UPDATE digest_ledger SET ${set} WHERE day = $1 AND channel = $2 AND owner = $3`, [
        day,
        channel,
        owner,
        ...values,
      ])
      .then(() => undefined);

  const composed = async <Content>(day: string) => {
    const row = (
      await db.query<{ composedAt: string; content: string }>(
        'SELECT composed_at AS "composedAt", content FROM digest_runs WHERE day = $1',
        [day],
      )
    ).rows[0];
    return row && toKeptDigest<Content>(row);
  };

  const ledger: DigestLedger = {
    // The row lock queues competing replicas: the second reads the first's decision, never "unclaimed".
    claim: (day, channel, owner, now, leaseMs) =>
      db.transaction(async (q) => {
        const inserted = await q.query(
          `INSERT INTO digest_ledger (day, channel, state, owner, heartbeat) VALUES ($1, $2, 'claimed', $3, $4) ` +
            'ON CONFLICT DO NOTHING',
          [day, channel, owner, iso(now)],
        );
        if (inserted.rowCount === 1) return { kind: 'post' } as const;
        const decision = decideClaim((await ledgerEntry(q, day, channel, 'FOR UPDATE'))!, owner, now, leaseMs);
        if ('takeOver' in decision)
          await q.query(
            'UPDATE digest_ledger SET owner = $1, heartbeat = $2, state = $3, error = NULL WHERE day = $4 AND channel = $5',
            [owner, iso(now), decision.takeOver, day, channel],
          );
        return decision.claim;
      }),
    heartbeat: (day, channel, owner, now) => ownerUpdate('heartbeat = $4', day, channel, owner, [iso(now)]),
    parentPosted: (day, channel, owner, ts, now) =>
      ownerUpdate(`state = 'parent_posted', ts = $4, heartbeat = $5`, day, channel, owner, [ts, iso(now)]),
    posted: (day, channel, owner, now) =>
      ownerUpdate(`state = 'posted', posted_at = $4, heartbeat = $4`, day, channel, owner, [iso(now)]),
    failed: (day, channel, owner, error, now) =>
      ownerUpdate(`state = 'failed', error = $4, heartbeat = $5`, day, channel, owner, [error, iso(now)]),
    entry: (day, channel) => ledgerEntry(db.pool, day, channel),
    composed,
    async keepComposed(day, digest) {
      await db.query('INSERT INTO digest_runs (day, composed_at, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        day,
        iso(digest.composedAt),
        JSON.stringify(digest.content),
      ]);
      return (await composed<typeof digest.content>(day))!;
    },
    async previous<Content>(day: string) {
      const row = (
        await db.query<{ composedAt: string; content: string }>(
          'SELECT composed_at AS "composedAt", content FROM digest_runs WHERE day < $1 ORDER BY day DESC LIMIT 1',
          [day],
        )
      ).rows[0];
      return row && toKeptDigest<Content>(row);
    },
  };

  return {
    feed: feedStore(db),
    alerts: alertStore(db),
    leases: {
      // Taken when free, expired, or already ours: the upsert's row lock makes one replica win.
      async acquire(name, owner, now, ttlMs) {
        const until = iso(new Date(now.getTime() + ttlMs));
        const taken = await db.query(
          'INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET ' +
            'owner = excluded.owner, expires_at = excluded.expires_at ' +
            'WHERE leases.owner = excluded.owner OR leases.expires_at <= $4',
          [name, owner, until, iso(now)],
        );
        if (taken.rowCount === 1) return true;
        // A holder that died on this host (a crash, kill -9) is replaced at once, not when its lease runs out.
        const holder = (await db.query<{ owner: string }>('SELECT owner FROM leases WHERE name = $1', [name])).rows[0]
          ?.owner;
        if (holder === undefined || ownerMayBeAlive(holder)) return false;
        const replaced = await db.query(
          'UPDATE leases SET owner = $1, expires_at = $2 WHERE name = $3 AND owner = $4',
          [owner, until, name, holder],
        );
        return replaced.rowCount === 1;
      },
      release: async (name, owner) =>
        void (await db.query('DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner])),
    },
    statusChangeDays: {
      async since(lmo, timezone, from) {
        return (
          await db.query<StatusChangeDay>(
            'SELECT day, conversions, uninstalls FROM status_change_days WHERE lmo = $1 AND timezone = $2 AND day >= $3 ' +
              'ORDER BY day',
            [lmo, timezone, from],
          )
        ).rows;
      },
      async keep(lmo, timezone, days) {
        if (days.length === 0) return;
        // One statement for every day: $1 and $2 the LMO and time zone, then three parameters a day.
        const rows = days.map((_, i) => `($1, $2, $${3 * i + 3}, $${3 * i + 4}, $${3 * i + 5})`);
        await db.transaction(async (q) => {
          await q.query('DELETE FROM status_change_days WHERE lmo <> $1 OR timezone <> $2 OR day < $3', [
            lmo,
            timezone,
            oldestKeptDay(days),
          ]);
          await q.query(
            `INSERT INTO status_change_days (lmo, timezone, day, conversions, uninstalls) VALUES ${rows.join(', ')} ` +
              'ON CONFLICT (lmo, timezone, day) DO UPDATE SET conversions = excluded.conversions, ' +
              'uninstalls = excluded.uninstalls',
            [lmo, timezone, ...days.flatMap((d) => [d.day, d.conversions, d.uninstalls])],
          );
        });
      },
    },
    readings: {
      async get(name) {
        const row = (
          await db.query<{ read_at: string; content: string }>(
            'SELECT read_at, content FROM kept_readings WHERE name = $1',
            [name],
          )
        ).rows[0];
        return row && { readAt: new Date(row.read_at), content: JSON.parse(row.content) };
      },
      put: async (name, reading) =>
        void (await db.query(
          'INSERT INTO kept_readings (name, read_at, content) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET ' +
            'read_at = excluded.read_at, content = excluded.content WHERE excluded.read_at > kept_readings.read_at',
          [name, iso(reading.readAt), JSON.stringify(reading.content)],
        )),
    },
    ownerMatches: {
      async get(slackUser, now) {
        const row = (
          await db.query<OwnerMatchRow>(
            'SELECT mapped, email, owner_id, owner_name FROM owner_matches WHERE slack_user = $1 AND expires_at > $2',
            [slackUser, iso(now)],
          )
        ).rows[0];
        return row && toOwnerMatch(row);
      },
      put: async (slackUser, match, until) =>
        void (await db.query(
          'INSERT INTO owner_matches (slack_user, mapped, email, owner_id, owner_name, expires_at) ' +
            'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slack_user) DO UPDATE SET mapped = excluded.mapped, ' +
            'email = excluded.email, owner_id = excluded.owner_id, owner_name = excluded.owner_name, ' +
            'expires_at = excluded.expires_at',
          ownerMatchValues(slackUser, match, until),
        )),
    },
    events: {
      async claim(key, now) {
        if (++writes.events % PRUNE_EVERY.events === 0)
          await db.query('DELETE FROM seen_events WHERE seen_at < $1', [before(now, EVENT_TTL_DAYS)]);
        // A retry of this very claim (its reply lost) finds its own claim id: still the first time.
        const result = await db.query(
          'INSERT INTO seen_events (event_id, seen_at, claim_id) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO UPDATE ' +
            'SET seen_at = seen_events.seen_at WHERE seen_events.claim_id = excluded.claim_id',
          [key, iso(now), randomUUID()],
        );
        return result.rowCount === 1;
      },
    },
    threads: {
      mark: async (channel, threadTs, kind, now) =>
        void (await db.query(
          'INSERT INTO bot_threads (channel, thread_ts, kind, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [channel, threadTs, kind, iso(now)],
        )),
      kind: async (channel, threadTs) =>
        (
          await db.query<{ kind: ThreadKind }>('SELECT kind FROM bot_threads WHERE channel = $1 AND thread_ts = $2', [
            channel,
            threadTs,
          ])
        ).rows[0]?.kind,
    },
    threadContext: {
      last: async (channel, threadKey, now) =>
        (
          await db.query<{ customer: string }>(
            'SELECT customer FROM ask_thread_context WHERE channel = $1 AND thread_key = $2 AND at >= $3',
            [channel, threadKey, before(now, THREAD_CONTEXT_TTL_DAYS)],
          )
        ).rows[0]?.customer,
      async remember(channel, threadKey, customer, now) {
        if (++writes.threadContext % PRUNE_EVERY.threadContext === 0)
          await db.query('DELETE FROM ask_thread_context WHERE at < $1', [before(now, THREAD_CONTEXT_TTL_DAYS)]);
        await db.query(
          'INSERT INTO ask_thread_context (channel, thread_key, customer, at) VALUES ($1, $2, $3, $4) ' +
            'ON CONFLICT (channel, thread_key) DO UPDATE SET customer = excluded.customer, at = excluded.at',
          [channel, threadKey, customer, iso(now)],
        );
      },
    },
    guides: {
      async get(channel, threadTs) {
        const row = (
          await db.query<{ channel: string; threadTs: string; messageTs: string; state: string; revision: number }>(
            'SELECT channel, thread_ts AS "threadTs", message_ts AS "messageTs", state, revision FROM guides ' +
              'WHERE channel = $1 AND thread_ts = $2',
            [channel, threadTs],
          )
        ).rows[0];
        return row && { ...row, state: JSON.parse(row.state) };
      },
      // The upsert takes the row's lock and writes only while it is still at the revision the guide was read at, or
      // when the row is this very save's (a retry after its reply was lost).
      save: async (guide, now) =>
        (
          await db.query(
            'INSERT INTO guides (channel, thread_ts, message_ts, state, updated_at, revision, save_id) ' +
              'VALUES ($1, $2, $3, $4, $5, $6 + 1, $7) ON CONFLICT (channel, thread_ts) DO UPDATE SET ' +
              'message_ts = excluded.message_ts, state = excluded.state, updated_at = excluded.updated_at, ' +
              'revision = excluded.revision, save_id = excluded.save_id ' +
              'WHERE guides.revision = excluded.revision - 1 OR guides.save_id = excluded.save_id',
            [
              guide.channel,
              guide.threadTs,
              guide.messageTs,
              JSON.stringify(guide.state),
              iso(now),
              guide.revision,
              randomUUID(),
            ],
          )
        ).rowCount === 1,
      removeIdle: async (now) =>
        (await db.query('DELETE FROM guides WHERE updated_at < $1', [before(now, GUIDE_TTL_DAYS)])).rowCount ?? 0,
    },
    digest: ledger,
    close: () => db.pool.end(),
  };
}

function feedStore(db: Database): ChangeFeedStore {
  const feedState = async (key: string) =>
    (await db.query<{ value: string }>('SELECT value FROM feed_state WHERE key = $1', [key])).rows[0]?.value ?? null;
  return {
    watermark: () => feedState('watermark'),
    historyFrom: () => feedState('history_from'),
    async tracked(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.query<TrackedLicense>(
        'SELECT id, status, seats, version, expiration, paid_since AS "paidSince" FROM feed_licenses ' +
          'WHERE id = ANY($1::text[])',
        [ids],
      );
      return new Map(rows.rows.map((row) => [row.id, row]));
    },
    listeners: async () =>
      (await db.query<SubscriptionRow>('SELECT * FROM alert_subscriptions WHERE suspended_at IS NULL')).rows.map(
        toSubscription,
      ),
    commit: (c: FeedCommit) =>
      db.transaction(async (q) => {
        // One commit at a time across replicas, so seq follows the commit order (a reader's place never skips one).
        await q.query(`SELECT pg_advisory_xact_lock(hashtext('lma-bot:feed:' || current_schema()))`);
        if (c.baseline) await q.query('DELETE FROM feed_licenses');
        for (const s of c.states)
          await q.query(
            'INSERT INTO feed_licenses (id, status, seats, version, expiration, paid_since) ' +
              'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET status = excluded.status, ' +
              'seats = excluded.seats, version = excluded.version, expiration = excluded.expiration, ' +
              'paid_since = excluded.paid_since',
            [s.id, s.status, s.seats, s.version, s.expiration, s.paidSince],
          );
        const kept = new Map<string, { seq: string; event: LicenseEvent }>();
        for (const event of c.events) {
          const row = (
            await q.query<{ seq: string }>(
              'INSERT INTO license_events (key, poll, kind, at, content) VALUES ($1, $2, $3, $4, $5) ' +
                'ON CONFLICT (key) DO NOTHING RETURNING seq',
              [event.key, c.poll, event.kind, event.at, JSON.stringify(event)],
            )
          ).rows[0];
          if (row) kept.set(event.key, { seq: row.seq, event });
        }
        for (const { key, channel } of c.deliveries) {
          const found = kept.get(key);
          if (!found) continue; // kept by an earlier commit (another replica read the same change): delivered then
          // A muted customer's alert is kept as muted: the outbox says why it was never posted.
          await q.query(
            'INSERT INTO alert_outbox (channel, event_seq, poll, kind, customer_key, state) ' +
              'SELECT $1, $2, $3, $4, $5::text, CASE WHEN EXISTS (SELECT 1 FROM alert_mutes ' +
              `WHERE channel = $1 AND customer_key = $5::text) THEN 'muted' ELSE 'pending' END ` +
              'ON CONFLICT (channel, event_seq) DO NOTHING',
            [channel, found.seq, c.poll, found.event.kind, customerKey(found.event.license.customer)],
          );
        }
        const setFeedState = (key: string, value: string) =>
          q.query(
            'INSERT INTO feed_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
            [key, value],
          );
        if (c.watermark !== undefined) await setFeedState('watermark', c.watermark);
        if (c.historyFrom !== undefined) await setFeedState('history_from', c.historyFrom);
        if (c.more) await setFeedState(OPEN_POLL, c.poll);
        else await q.query('DELETE FROM feed_state WHERE key = $1', [OPEN_POLL]);
      }),
    position: async () =>
      Number((await db.query<{ seq: string }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM license_events')).rows[0].seq),
    eventsAfter: async (seq, limit) =>
      (
        await db.query<{ seq: string; content: string }>(
          'SELECT seq, content FROM license_events WHERE seq > $1 ORDER BY seq LIMIT $2',
          [seq, limit],
        )
      ).rows.map((row) => ({ seq: Number(row.seq), event: JSON.parse(row.content) as LicenseEvent })),
  };
}

function alertStore(db: Database): AlertStore {
  let marks = 0;
  const pruneSometimes = async (now: Date) => {
    if (++marks % ALERT_OUTBOX_PRUNE_EVERY === 0)
      await db.query(`DELETE FROM alert_outbox WHERE state IN ${DONE_ALERT_STATES} AND done_at < $1`, [
        before(now, ALERT_OUTBOX_TTL_DAYS),
      ]);
  };
  const ofChannel = (q: Queryable, channel: string, lock = '') =>
    q
      .query<SubscriptionRow>(`SELECT * FROM alert_subscriptions WHERE channel = $1 ORDER BY package ${lock}`, [
        channel,
      ])
      .then((r) => r.rows);
  /** Serialises the changes of one channel's subscriptions across replicas (a row may not exist yet to lock). */
  const lockChannel = (q: Queryable, channel: string) =>
    q.query(`SELECT pg_advisory_xact_lock(hashtext('lma-bot:alerts:' || $1::text))`, [channel]);
  const byKeys = 'event_seq IN (SELECT seq FROM license_events WHERE key = ANY($2::text[])) AND channel = $1';
  const open = `state IN ('pending', 'sending')`;

  return {
    async subscriptions(channel) {
      if (channel) return (await ofChannel(db.pool, channel)).map(toSubscription);
      const rows = await db.query<SubscriptionRow>('SELECT * FROM alert_subscriptions ORDER BY channel, package');
      return rows.rows.map(toSubscription);
    },
    subscribe: (channel, events, packageName, by, now) =>
      db.transaction(async (q) => {
        await lockChannel(q, channel);
        const pkg = packageName ?? '';
        const existing = (await ofChannel(q, channel)).find((row) => row.package === pkg);
        const merged = eventsAdded(existing, events);
        // Subscribing again resumes a suspended channel: someone invited the bot back and said so.
        await q.query(
          'INSERT INTO alert_subscriptions (channel, package, events, since, by_user) VALUES ($1, $2, $3, $4, $5) ' +
            'ON CONFLICT (channel, package) DO UPDATE SET events = excluded.events, by_user = excluded.by_user, ' +
            'suspended_at = NULL, suspended_note = NULL',
          [channel, pkg, JSON.stringify(merged), existing?.since ?? now.toISOString(), by],
        );
        await q.query('UPDATE alert_subscriptions SET suspended_at = NULL, suspended_note = NULL WHERE channel = $1', [
          channel,
        ]);
        return toSubscription((await ofChannel(q, channel)).find((row) => row.package === pkg)!);
      }),
    unsubscribe: (channel, events) =>
      db.transaction(async (q) => {
        await lockChannel(q, channel);
        let changed = 0;
        for (const row of await ofChannel(q, channel)) {
          const left = eventsLeft(row, events);
          if (left?.length === 0)
            changed +=
              (
                await q.query('DELETE FROM alert_subscriptions WHERE channel = $1 AND package = $2', [
                  channel,
                  row.package,
                ])
              ).rowCount ?? 0;
          else if (left)
            changed +=
              (
                await q.query('UPDATE alert_subscriptions SET events = $1 WHERE channel = $2 AND package = $3', [
                  JSON.stringify(left),
                  channel,
                  row.package,
                ])
              ).rowCount ?? 0;
        }
        return changed;
      }),
    suspend: (channel, note, now) =>
      db.transaction(async (q) => {
        await q.query(
          'UPDATE alert_subscriptions SET suspended_at = $1, suspended_note = $2 WHERE channel = $3 AND suspended_at IS NULL',
          [now.toISOString(), note, channel],
        );
        await q.query(`UPDATE alert_outbox SET state = 'dropped', done_at = $1 WHERE channel = $2 AND ${open}`, [
          now.toISOString(),
          channel,
        ]);
      }),
    mute: (channel, customer, by, now) =>
      db.transaction(async (q) => {
        await q.query(
          'INSERT INTO alert_mutes (channel, customer_key, customer_name, by_user, at) VALUES ($1, $2, $3, $4, $5) ' +
            'ON CONFLICT DO NOTHING',
          [channel, customer.key, customer.name, by, now.toISOString()],
        );
        await q.query(
          `UPDATE alert_outbox SET state = 'muted', done_at = $1 WHERE channel = $2 AND customer_key = $3 AND state = 'pending'`,
          [now.toISOString(), channel, customer.key],
        );
      }),
    mutes: async (channel) =>
      (
        await db.query<AlertMute>(
          'SELECT customer_key AS key, customer_name AS name, by_user AS by, at FROM alert_mutes WHERE channel = $1 ' +
            'ORDER BY at, customer_key',
          [channel],
        )
      ).rows,
    unmute: async (channel, key) =>
      ((await db.query('DELETE FROM alert_mutes WHERE channel = $1 AND customer_key = $2', [channel, key])).rowCount ??
        0) > 0,
    async pendingPolls(limit) {
      // Each channel once, at its oldest alert; the open poll's alerts wait for its last commit (FeedCommit.more).
      const polls = await db.query<{ channel: string; poll: string }>(
        `SELECT channel, poll FROM alert_outbox WHERE (channel, event_seq) IN (SELECT channel, MIN(event_seq) ` +
          `FROM alert_outbox WHERE ${open} ` +
          `AND poll IS DISTINCT FROM (SELECT value FROM feed_state WHERE key = '${OPEN_POLL}') GROUP BY channel) ` +
          'ORDER BY channel',
      );
      return Promise.all(
        polls.rows.map(async ({ channel, poll }) => {
          const counts = (
            await db.query<{ kind: EventKind; n: number; sending: number }>(
              `SELECT kind, COUNT(*)::int AS n, COUNT(*) FILTER (WHERE state = 'sending')::int AS sending ` +
                `FROM alert_outbox WHERE channel = $1 AND poll = $2 AND ${open} GROUP BY kind`,
              [channel, poll],
            )
          ).rows;
          const first = (
            await db.query<{ state: 'pending' | 'sending'; content: string }>(
              'SELECT o.state, e.content FROM alert_outbox o JOIN license_events e ON e.seq = o.event_seq ' +
                `WHERE o.channel = $1 AND o.poll = $2 AND o.${open} ORDER BY o.event_seq LIMIT $3`,
              [channel, poll, limit],
            )
          ).rows.map((row) => ({ channel, poll, state: row.state, event: JSON.parse(row.content) as LicenseEvent }));
          return {
            channel,
            poll,
            total: counts.reduce((sum, c) => sum + c.n, 0),
            byKind: Object.fromEntries(counts.map((c) => [c.kind, c.n])),
            resumed: counts.some((c) => c.sending > 0),
            first,
          };
        }),
      );
    },
    sending: async (channel, keys) =>
      void (await db.query(`UPDATE alert_outbox SET state = 'sending' WHERE ${byKeys} AND state = 'pending'`, [
        channel,
        keys,
      ])),
    async sent(channel, keys, ts, now) {
      await db.query(
        `UPDATE alert_outbox SET state = CASE WHEN $3::text IS NULL THEN 'muted' ELSE 'sent' END, ts = $3, ` +
          `done_at = $4 WHERE ${byKeys} AND ${open}`,
        [channel, keys, ts, now.toISOString()],
      );
      await pruneSometimes(now);
    },
    pollSending: async (channel, poll) =>
      void (await db.query(
        `UPDATE alert_outbox SET state = 'sending' WHERE channel = $1 AND poll = $2 AND state = 'pending'`,
        [channel, poll],
      )),
    async pollSent(channel, poll, ts, now) {
      await db.query(
        `UPDATE alert_outbox SET state = 'sent', ts = $1, done_at = $2 WHERE channel = $3 AND poll = $4 AND ${open}`,
        [ts, now.toISOString(), channel, poll],
      );
      await pruneSometimes(now);
    },
    pollEvents: async (channel, poll, limit) =>
      (
        await db.query<{ content: string }>(
          'SELECT e.content FROM alert_outbox o JOIN license_events e ON e.seq = o.event_seq ' +
            'WHERE o.channel = $1 AND o.poll = $2 ORDER BY o.event_seq LIMIT $3',
          [channel, poll, limit],
        )
      ).rows.map((row) => JSON.parse(row.content) as LicenseEvent),
    async event(key) {
      const row = (await db.query<{ content: string }>('SELECT content FROM license_events WHERE key = $1', [key]))
        .rows[0];
      return row && (JSON.parse(row.content) as LicenseEvent);
    },
    recent: async (channels, limit) =>
      (
        await db.query<{ channel: string; content: string }>(
          'SELECT MIN(o.channel) AS channel, e.content FROM alert_outbox o JOIN license_events e ON e.seq = o.event_seq ' +
            "WHERE o.state = 'sent' AND o.channel = ANY($1) " +
            'GROUP BY o.event_seq, e.content ORDER BY o.event_seq DESC LIMIT $2',
          [channels, limit],
        )
      ).rows.map((row) => ({ channel: row.channel, event: JSON.parse(row.content) as LicenseEvent })),
  };
}
