/**
 * Every table of the store, as one ordered list of numbered migrations. A store file records the number of the last
 * migration applied (SQLite: `PRAGMA user_version`; Postgres: the table `lma_schema`); opening an older store applies
 * the missing ones in one transaction, and a store newer than this list is refused. Each migration carries its SQL
 * per backend dialect under the same number, so the compiler asks for both dialects in every migration.
 * To change a table, append a migration: never edit one that has shipped.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  description: string;
  sql: Record<Dialect, string>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // The tables as the bot created them before the store had a version; IF NOT EXISTS adopts such a file's rows.
    description: 'events, threads, thread context, guides, digest ledger and change snapshot',
    sql: {
      sqlite: `
        CREATE TABLE IF NOT EXISTS seen_events (event_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS bot_threads (
          channel TEXT NOT NULL, thread_ts TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (channel, thread_ts));
        CREATE TABLE IF NOT EXISTS ask_thread_context (
          channel TEXT NOT NULL, thread_key TEXT NOT NULL, customer TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (channel, thread_key));
        CREATE TABLE IF NOT EXISTS guides (
          channel TEXT NOT NULL, thread_ts TEXT NOT NULL, message_ts TEXT NOT NULL, state TEXT NOT NULL,
          updated_at TEXT NOT NULL, PRIMARY KEY (channel, thread_ts));
        CREATE TABLE IF NOT EXISTS digest_ledger (
          day TEXT NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL, owner TEXT NOT NULL, heartbeat TEXT NOT NULL,
          ts TEXT, error TEXT, posted_at TEXT, PRIMARY KEY (day, channel));
        CREATE TABLE IF NOT EXISTS digest_runs (day TEXT PRIMARY KEY, composed_at TEXT NOT NULL, content TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS digest_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS digest_snapshot (id TEXT PRIMARY KEY, status TEXT, seats INTEGER, expiration TEXT);
      `,
      postgres: `
        CREATE TABLE lma_schema (version INTEGER NOT NULL);
        CREATE TABLE seen_events (event_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL);
        CREATE TABLE bot_threads (
          channel TEXT NOT NULL, thread_ts TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (channel, thread_ts));
        CREATE TABLE ask_thread_context (
          channel TEXT NOT NULL, thread_key TEXT NOT NULL, customer TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (channel, thread_key));
        CREATE TABLE guides (
          channel TEXT NOT NULL, thread_ts TEXT NOT NULL, message_ts TEXT NOT NULL, state TEXT NOT NULL,
          updated_at TEXT NOT NULL, PRIMARY KEY (channel, thread_ts));
        CREATE TABLE digest_ledger (
          day TEXT NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL, owner TEXT NOT NULL, heartbeat TEXT NOT NULL,
          ts TEXT, error TEXT, posted_at TEXT, PRIMARY KEY (day, channel));
        CREATE TABLE digest_runs (day TEXT PRIMARY KEY, composed_at TEXT NOT NULL, content TEXT NOT NULL);
        CREATE TABLE digest_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE digest_snapshot (id TEXT PRIMARY KEY, status TEXT, seats INTEGER, expiration TEXT);
      `,
    },
  },
  {
    version: 2,
    // Counts a guide's saves, so a save based on a stale read (another process stepped the guide) is refused.
    description: 'guides.revision',
    sql: {
      sqlite: 'ALTER TABLE guides ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;',
      postgres: 'ALTER TABLE guides ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;',
    },
  },
  {
    version: 3,
    // The change feed (watermark, each license's last state, the events it derived) and the alerts it feeds: the
    // subscriptions per channel, muted customers and the outbox of alerts to post, one row per event and channel.
    description: 'change feed, license events, alert subscriptions, mutes and outbox',
    sql: {
      sqlite: `
        CREATE TABLE feed_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE feed_licenses (
          id TEXT PRIMARY KEY, status TEXT, seats REAL, version TEXT, expiration TEXT, paid_since TEXT);
        CREATE TABLE license_events (
          seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, poll TEXT NOT NULL, kind TEXT NOT NULL,
          at TEXT NOT NULL, content TEXT NOT NULL);
        CREATE TABLE alert_outbox (
          channel TEXT NOT NULL, event_seq INTEGER NOT NULL, poll TEXT NOT NULL, kind TEXT NOT NULL,
          customer_key TEXT NOT NULL, state TEXT NOT NULL, ts TEXT, done_at TEXT, PRIMARY KEY (channel, event_seq));
        CREATE INDEX alert_outbox_open ON alert_outbox (state, channel, event_seq);
        CREATE TABLE alert_subscriptions (
          channel TEXT NOT NULL, package TEXT NOT NULL, events TEXT NOT NULL, since TEXT NOT NULL, by_user TEXT NOT NULL,
          suspended_at TEXT, suspended_note TEXT, PRIMARY KEY (channel, package));
        CREATE TABLE alert_mutes (
          channel TEXT NOT NULL, customer_key TEXT NOT NULL, by_user TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (channel, customer_key));
      `,
      postgres: `
        CREATE TABLE feed_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE feed_licenses (
          id TEXT PRIMARY KEY, status TEXT, seats DOUBLE PRECISION, version TEXT, expiration TEXT, paid_since TEXT);
        CREATE TABLE license_events (
          seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key TEXT NOT NULL UNIQUE, poll TEXT NOT NULL,
          kind TEXT NOT NULL, at TEXT NOT NULL, content TEXT NOT NULL);
        CREATE TABLE alert_outbox (
          channel TEXT NOT NULL, event_seq BIGINT NOT NULL, poll TEXT NOT NULL, kind TEXT NOT NULL,
          customer_key TEXT NOT NULL, state TEXT NOT NULL, ts TEXT, done_at TEXT, PRIMARY KEY (channel, event_seq));
        CREATE INDEX alert_outbox_open ON alert_outbox (state, channel, event_seq);
        CREATE TABLE alert_subscriptions (
          channel TEXT NOT NULL, package TEXT NOT NULL, events TEXT NOT NULL, since TEXT NOT NULL, by_user TEXT NOT NULL,
          suspended_at TEXT, suspended_note TEXT, PRIMARY KEY (channel, package));
        CREATE TABLE alert_mutes (
          channel TEXT NOT NULL, customer_key TEXT NOT NULL, by_user TEXT NOT NULL, at TEXT NOT NULL,
          PRIMARY KEY (channel, customer_key));
      `,
    },
  },
  {
    version: 4,
    // A mute keeps the customer's name, so `/lma alerts` can list who is muted with an Unmute button.
    description: 'alert mutes keep the customer name',
    sql: {
      sqlite: 'ALTER TABLE alert_mutes ADD COLUMN customer_name TEXT;',
      postgres: 'ALTER TABLE alert_mutes ADD COLUMN customer_name TEXT;',
    },
  },
  {
    version: 5,
    // Named leases with an expiry: which replica does a job only one may do at a time (the alert poll, posting one
    // channel's alerts); a holder that dies loses its lease when it expires.
    description: 'leases',
    sql: {
      sqlite: 'CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TEXT NOT NULL);',
      postgres: 'CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TEXT NOT NULL);',
    },
  },
  {
    version: 6,
    // `mine`'s Slack user → Salesforce user lookups, kept a while (a match about a day, a miss an hour), so repeated
    // answers ask neither Slack nor the LMO again; `mapped` is the LMA_USER_MAP email the lookup used ('' for none).
    description: 'owner matches',
    sql: {
      sqlite: `
        CREATE TABLE owner_matches (
          slack_user TEXT PRIMARY KEY, mapped TEXT NOT NULL, email TEXT, owner_id TEXT, owner_name TEXT,
          expires_at TEXT NOT NULL);`,
      postgres: `
        CREATE TABLE owner_matches (
          slack_user TEXT PRIMARY KEY, mapped TEXT NOT NULL, email TEXT, owner_id TEXT, owner_name TEXT,
          expires_at TEXT NOT NULL);`,
    },
  },
  {
    version: 7,
    // The digest reads what changed from the change feed's events (migration 3), as the alerts do: its own snapshot
    // of each license and the state of that snapshot are no longer kept.
    description: 'digest snapshot removed',
    sql: {
      sqlite: 'DROP TABLE IF EXISTS digest_snapshot; DROP TABLE IF EXISTS digest_state;',
      postgres: 'DROP TABLE IF EXISTS digest_snapshot; DROP TABLE IF EXISTS digest_state;',
    },
  },
  {
    version: 8,
    // A write retried because its connection died after Postgres had done it (the reply lost) must know its own
    // write, or a claimed event reads as taken by someone else and a guide step as lost to another replica (and is
    // taken again): each event claim and each guide save carries a random id its retry sends again. SQLite, in the
    // bot's own process, has no reply to lose and leaves them empty.
    description: 'write ids for retries after a lost reply',
    sql: {
      sqlite: 'ALTER TABLE seen_events ADD COLUMN claim_id TEXT; ALTER TABLE guides ADD COLUMN save_id TEXT;',
      postgres: 'ALTER TABLE seen_events ADD COLUMN claim_id TEXT; ALTER TABLE guides ADD COLUMN save_id TEXT;',
    },
  },
  {
    version: 9,
    // The App Home's conversions and uninstalls per finished day, for one LMO in one time zone, counted once from
    // license history: a finished day's history never changes, so only the days not counted yet are read again.
    description: 'status change days',
    sql: {
      sqlite: `
        CREATE TABLE status_change_days (
          lmo TEXT NOT NULL, timezone TEXT NOT NULL, day TEXT NOT NULL, conversions INTEGER NOT NULL,
          uninstalls INTEGER NOT NULL, PRIMARY KEY (lmo, timezone, day));`,
      postgres: `
        CREATE TABLE status_change_days (
          lmo TEXT NOT NULL, timezone TEXT NOT NULL, day TEXT NOT NULL, conversions INTEGER NOT NULL,
          uninstalls INTEGER NOT NULL, PRIMARY KEY (lmo, timezone, day));`,
    },
  },
  {
    version: 10,
    // The App Home's team figures, read from the LMO every few minutes: kept here, every replica on the store shows
    // the same reading and reads the LMO only when it is stale, rather than each reading its own.
    description: 'kept readings',
    sql: {
      sqlite: 'CREATE TABLE kept_readings (name TEXT PRIMARY KEY, read_at TEXT NOT NULL, content TEXT NOT NULL);',
      postgres: 'CREATE TABLE kept_readings (name TEXT PRIMARY KEY, read_at TEXT NOT NULL, content TEXT NOT NULL);',
    },
  },
];

/** The schema version this code writes: the last migration's number. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** A store written by a newer LMA Bot: opening it could lose what the newer version keeps, so it is refused. */
export class NewerSchemaError extends Error {
  constructor(
    readonly location: string,
    readonly found: number,
    readonly known: number,
    /** Where else the bot can keep its state, for the message. */
    elsewhere = 'point DATA_DIR at another directory to start with an empty store',
  ) {
    super(
      `The store ${location} has schema version ${found}, but this LMA Bot knows versions up to ${known}: ` +
        `a newer LMA Bot wrote it. Run that newer version (or a later one) on it, or ${elsewhere}. ` +
        'The store was left unchanged.',
    );
    this.name = 'NewerSchemaError';
  }
}

/** The migrations a store at version `from` still needs, in order; refuses a store newer than `migrations`. */
export function pendingMigrations(
  location: string,
  from: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Migration[] {
  const known = migrations.at(-1)?.version ?? 0;
  if (from > known) throw new NewerSchemaError(location, from, known);
  return migrations.filter((m) => m.version > from);
}
