/**
 * The SQLite backend of the store (better-sqlite3): one file under DATA_DIR that several processes on one host may
 * share. Opening it applies the schema's pending migrations; every SQL statement of the store is here.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
import { MIGRATIONS, type Migration, pendingMigrations } from './schema.js';
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
  THREAD_CONTEXT_TTL_DAYS,
  type ThreadKind,
} from './store.js';

export const STORE_FILE = 'lma-bot.sqlite';

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
    // SQLite's own default page cache (2 MB), not better-sqlite3's 16 MB: the cache fills with the pages a burst of
    // alerts writes and stays resident (a 10,000-change poll's events added 13 MB to the bot's RSS); the store's
    // queries read a few pages by key, which the OS's file cache serves as well.
    db.pragma('cache_size = -2000');
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
  const previousRun = db.prepare<[string], { composedAt: string; content: string }>(
    'SELECT composed_at AS composedAt, content FROM digest_runs WHERE day < ? ORDER BY day DESC LIMIT 1',
  );

  const claimSlot = db.transaction((day: string, channel: string, owner: string, now: Date, leaseMs: number) => {
    if (insertClaim.run(day, channel, owner, iso(now)).changes === 1) return { kind: 'post' } as const;
    const decision = decideClaim(ledgerEntry.get(day, channel)!, owner, now, leaseMs);
    if ('takeOver' in decision) takeOver.run(owner, iso(now), decision.takeOver, day, channel);
    return decision.claim;
  });

  const ledger: DigestLedger = {
    // IMMEDIATE: competing processes queue on the write lock instead of both reading "unclaimed".
    claim: async (day, channel, owner, now, leaseMs) => claimSlot.immediate(day, channel, owner, now, leaseMs),
    heartbeat: async (day, channel, owner, now) => void heartbeat.run({ day, channel, owner, now: iso(now) }),
    parentPosted: async (day, channel, owner, ts, now) =>
      void parentPosted.run({ day, channel, owner, ts, now: iso(now) }),
    posted: async (day, channel, owner, now) => void posted.run({ day, channel, owner, now: iso(now) }),
    failed: async (day, channel, owner, error, now) => void failed.run({ day, channel, owner, error, now: iso(now) }),
    entry: async (day, channel) => ledgerEntry.get(day, channel),
    async composed<Content>(day: string) {
      const row = composed.get(day);
      return row && toKeptDigest<Content>(row);
    },
    async keepComposed(day, digest) {
      keepRun.run(day, iso(digest.composedAt), JSON.stringify(digest.content));
      return (await ledger.composed<typeof digest.content>(day))!;
    },
    async previous<Content>(day: string) {
      const row = previousRun.get(day);
      return row && toKeptDigest<Content>(row);
    },
  };

  // Taken when free, expired, or already ours; otherwise the row stays and nothing changes.
  const acquireLease = db.prepare(
    'INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @until) ON CONFLICT (name) DO UPDATE SET ' +
      'owner = excluded.owner, expires_at = excluded.expires_at WHERE leases.owner = excluded.owner OR leases.expires_at <= @now',
  );
  const releaseLease = db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?');
  const leaseHolder = db.prepare<[string], { owner: string }>('SELECT owner FROM leases WHERE name = ?');
  const takeOverLease = db.prepare(
    'UPDATE leases SET owner = @owner, expires_at = @until WHERE name = @name AND owner = @holder',
  );
  const ownerMatch = db.prepare<[string, string], OwnerMatchRow>(
    'SELECT mapped, email, owner_id, owner_name FROM owner_matches WHERE slack_user = ? AND expires_at > ?',
  );
  const keptReading = db.prepare<[string], { read_at: string; content: string }>(
    'SELECT read_at, content FROM kept_readings WHERE name = ?',
  );
  const keepReading = db.prepare(
    'INSERT INTO kept_readings (name, read_at, content) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET ' +
      'read_at = excluded.read_at, content = excluded.content WHERE excluded.read_at > kept_readings.read_at',
  );
  const keepOwnerMatch = db.prepare(
    'INSERT INTO owner_matches (slack_user, mapped, email, owner_id, owner_name, expires_at) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (slack_user) DO UPDATE SET mapped = excluded.mapped, email = excluded.email, ' +
      'owner_id = excluded.owner_id, owner_name = excluded.owner_name, expires_at = excluded.expires_at',
  );

  const changeDays = db.prepare<[string, string, string], StatusChangeDay>(
    'SELECT day, conversions, uninstalls FROM status_change_days WHERE lmo = ? AND timezone = ? AND day >= ? ORDER BY day',
  );
  const dropOtherChangeDays = db.prepare(
    'DELETE FROM status_change_days WHERE lmo <> @lmo OR timezone <> @timezone OR day < @oldest',
  );
  const keepChangeDay = db.prepare(
    'INSERT INTO status_change_days (lmo, timezone, day, conversions, uninstalls) ' +
      'VALUES (@lmo, @timezone, @day, @conversions, @uninstalls) ' +
      'ON CONFLICT (lmo, timezone, day) DO UPDATE SET conversions = excluded.conversions, uninstalls = excluded.uninstalls',
  );
  const keepChangeDays = db.transaction((lmo: string, timezone: string, days: StatusChangeDay[]) => {
    dropOtherChangeDays.run({ lmo, timezone, oldest: oldestKeptDay(days) });
    for (const d of days) keepChangeDay.run({ lmo, timezone, ...d });
  });

  return {
    feed: feedStore(db),
    alerts: alertStore(db),
    leases: {
      async acquire(name, owner, now, ttlMs) {
        const until = iso(new Date(now.getTime() + ttlMs));
        if (acquireLease.run({ name, owner, now: iso(now), until }).changes === 1) return true;
        // A holder that died on this host (a crash, kill -9) is replaced at once, not when its lease runs out.
        const holder = leaseHolder.get(name)?.owner;
        return (
          holder !== undefined &&
          !ownerMayBeAlive(holder) &&
          takeOverLease.run({ name, owner, until, holder }).changes === 1
        );
      },
      release: async (name, owner) => void releaseLease.run(name, owner),
    },
    statusChangeDays: {
      since: async (lmo, timezone, from) => changeDays.all(lmo, timezone, from),
      keep: async (lmo, timezone, days) => {
        if (days.length > 0) keepChangeDays(lmo, timezone, days);
      },
    },
    readings: {
      async get(name) {
        const row = keptReading.get(name);
        return row && { readAt: new Date(row.read_at), content: JSON.parse(row.content) };
      },
      put: async (name, reading) => void keepReading.run(name, iso(reading.readAt), JSON.stringify(reading.content)),
    },
    ownerMatches: {
      async get(slackUser, now) {
        const row = ownerMatch.get(slackUser, iso(now));
        return row && toOwnerMatch(row);
      },
      put: async (slackUser, match, until) => void keepOwnerMatch.run(...ownerMatchValues(slackUser, match, until)),
    },
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
    async close() {
      if (db.open) db.close();
    },
  };
}

function feedStore(db: Database.Database): ChangeFeedStore {
  const feedState = db.prepare<[string], { value: string }>('SELECT value FROM feed_state WHERE key = ?');
  const setFeedState = db.prepare<[string, string]>(
    'INSERT INTO feed_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const clearFeedState = db.prepare<[string]>('DELETE FROM feed_state WHERE key = ?');
  const listening = db.prepare<[], SubscriptionRow>('SELECT * FROM alert_subscriptions WHERE suspended_at IS NULL');
  const lastSeq = db.prepare<[], { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM license_events');
  const keptAfter = db.prepare<[number, number], { seq: number; content: string }>(
    'SELECT seq, content FROM license_events WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const tracked = db.prepare<[string], TrackedLicense>(
    'SELECT id, status, seats, version, expiration, paid_since AS paidSince FROM feed_licenses ' +
      'WHERE id IN (SELECT value FROM json_each(?))',
  );
  const clearStates = db.prepare('DELETE FROM feed_licenses');
  const saveState = db.prepare(
    'INSERT INTO feed_licenses (id, status, seats, version, expiration, paid_since) ' +
      'VALUES (@id, @status, @seats, @version, @expiration, @paidSince) ON CONFLICT (id) DO UPDATE SET ' +
      'status = excluded.status, seats = excluded.seats, version = excluded.version, ' +
      'expiration = excluded.expiration, paid_since = excluded.paid_since',
  );
  const keepEvent = db.prepare(
    'INSERT INTO license_events (key, poll, kind, at, content) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
  );
  // A muted customer's alert is kept as muted: the outbox says why it was never posted.
  const deliver = db.prepare(
    'INSERT INTO alert_outbox (channel, event_seq, poll, kind, customer_key, state) ' +
      `SELECT @channel, @seq, @poll, @kind, @customer, CASE WHEN EXISTS (SELECT 1 FROM alert_mutes ` +
      `WHERE channel = @channel AND customer_key = @customer) THEN 'muted' ELSE 'pending' END ` +
      'ON CONFLICT (channel, event_seq) DO NOTHING',
  );

  const commit = db.transaction((c: FeedCommit) => {
    if (c.baseline) clearStates.run();
    for (const state of c.states) saveState.run(state);
    const kept = new Map<string, { seq: number; event: LicenseEvent }>();
    for (const event of c.events) {
      const result = keepEvent.run(event.key, c.poll, event.kind, event.at, JSON.stringify(event));
      if (result.changes === 1) kept.set(event.key, { seq: Number(result.lastInsertRowid), event });
    }
    for (const { key, channel } of c.deliveries) {
      const found = kept.get(key);
      if (!found) continue; // kept by an earlier commit (another process read the same change): delivered then
      const customer = customerKey(found.event.license.customer);
      deliver.run({ channel, seq: found.seq, poll: c.poll, kind: found.event.kind, customer });
    }
    if (c.watermark !== undefined) setFeedState.run('watermark', c.watermark);
    if (c.historyFrom !== undefined) setFeedState.run('history_from', c.historyFrom);
    if (c.more) setFeedState.run(OPEN_POLL, c.poll);
    else clearFeedState.run(OPEN_POLL);
  });

  return {
    watermark: async () => feedState.get('watermark')?.value ?? null,
    historyFrom: async () => feedState.get('history_from')?.value ?? null,
    async tracked(ids) {
      if (ids.length === 0) return new Map();
      return new Map(tracked.all(JSON.stringify(ids)).map((row) => [row.id, row]));
    },
    listeners: async () => listening.all().map(toSubscription),
    // IMMEDIATE: one commit at a time across processes, so seq follows the commit order.
    commit: async (c) => commit.immediate(c),
    position: async () => lastSeq.get()?.seq ?? 0,
    eventsAfter: async (seq, limit) =>
      keptAfter.all(seq, limit).map((row) => ({ seq: row.seq, event: JSON.parse(row.content) as LicenseEvent })),
  };
}

function alertStore(db: Database.Database): AlertStore {
  const all = db.prepare<[], SubscriptionRow>('SELECT * FROM alert_subscriptions ORDER BY channel, package');
  const ofChannel = db.prepare<[string], SubscriptionRow>(
    'SELECT * FROM alert_subscriptions WHERE channel = ? ORDER BY package',
  );
  const one = db.prepare<[string, string], SubscriptionRow>(
    'SELECT * FROM alert_subscriptions WHERE channel = ? AND package = ?',
  );
  // Subscribing again resumes a suspended channel: someone invited the bot back and said so.
  const upsert = db.prepare(
    'INSERT INTO alert_subscriptions (channel, package, events, since, by_user) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (channel, package) DO UPDATE SET events = excluded.events, by_user = excluded.by_user, ' +
      'suspended_at = NULL, suspended_note = NULL',
  );
  const resumeChannel = db.prepare(
    'UPDATE alert_subscriptions SET suspended_at = NULL, suspended_note = NULL WHERE channel = ?',
  );
  const setEvents = db.prepare('UPDATE alert_subscriptions SET events = ? WHERE channel = ? AND package = ?');
  const remove = db.prepare('DELETE FROM alert_subscriptions WHERE channel = ? AND package = ?');
  const suspend = db.prepare(
    'UPDATE alert_subscriptions SET suspended_at = ?, suspended_note = ? WHERE channel = ? AND suspended_at IS NULL',
  );
  const dropOpen = db.prepare(
    `UPDATE alert_outbox SET state = 'dropped', done_at = ? WHERE channel = ? AND state IN ('pending', 'sending')`,
  );
  const mute = db.prepare(
    'INSERT INTO alert_mutes (channel, customer_key, customer_name, by_user, at) VALUES (?, ?, ?, ?, ?) ' +
      'ON CONFLICT (channel, customer_key) DO NOTHING',
  );
  const muteOpen = db.prepare(
    `UPDATE alert_outbox SET state = 'muted', done_at = ? WHERE channel = ? AND customer_key = ? AND state = 'pending'`,
  );
  const mutes = db.prepare<[string], AlertMute>(
    'SELECT customer_key AS key, customer_name AS name, by_user AS by, at FROM alert_mutes WHERE channel = ? ORDER BY at, key',
  );
  const unmute = db.prepare('DELETE FROM alert_mutes WHERE channel = ? AND customer_key = ?');
  // Each channel once, at its oldest alert; the open poll's alerts wait for its last commit (FeedCommit.more).
  const oldestPolls = db.prepare<[], { channel: string; poll: string }>(
    `SELECT channel, poll FROM alert_outbox WHERE (channel, event_seq) IN (SELECT channel, MIN(event_seq) ` +
      `FROM alert_outbox WHERE state IN ('pending', 'sending') ` +
      `AND poll IS NOT (SELECT value FROM feed_state WHERE key = '${OPEN_POLL}') GROUP BY channel) ORDER BY channel`,
  );
  const pollCounts = db.prepare<[string, string], { kind: EventKind; n: number; sending: number }>(
    `SELECT kind, COUNT(*) AS n, SUM(state = 'sending') AS sending FROM alert_outbox ` +
      `WHERE channel = ? AND poll = ? AND state IN ('pending', 'sending') GROUP BY kind`,
  );
  const pollAlerts = db.prepare<[string, string, number], { state: 'pending' | 'sending'; content: string }>(
    'SELECT o.state, e.content FROM alert_outbox o JOIN license_events e ON e.seq = o.event_seq ' +
      `WHERE o.channel = ? AND o.poll = ? AND o.state IN ('pending', 'sending') ORDER BY o.event_seq LIMIT ?`,
  );
  const recentAlerts = db.prepare<[string, number], { channel: string; content: string }>(
    'SELECT MIN(o.channel) AS channel, e.content FROM alert_outbox o JOIN license_events e ON e.seq = o.event_seq ' +
      "WHERE o.state = 'sent' AND o.channel IN (SELECT value FROM json_each(?)) " +
      'GROUP BY o.event_seq, e.content ORDER BY o.event_seq DESC LIMIT ?',
  );
  const pollEvents = db.prepare<[string, string, number], { content: string }>(
    'SELECT e.content FROM alert_outbox o JOIN license_events e ON e.seq = o.event_seq ' +
      'WHERE o.channel = ? AND o.poll = ? ORDER BY o.event_seq LIMIT ?',
  );
  const byKeys =
    'event_seq IN (SELECT seq FROM license_events WHERE key IN (SELECT value FROM json_each(@keys))) AND channel = @channel';
  const markSending = db.prepare(`UPDATE alert_outbox SET state = 'sending' WHERE ${byKeys} AND state = 'pending'`);
  const markSent = db.prepare(
    `UPDATE alert_outbox SET state = CASE WHEN @ts IS NULL THEN 'muted' ELSE 'sent' END, ts = @ts, done_at = @now ` +
      `WHERE ${byKeys} AND state IN ('pending', 'sending')`,
  );
  const pollSending = db.prepare(
    `UPDATE alert_outbox SET state = 'sending' WHERE channel = ? AND poll = ? AND state = 'pending'`,
  );
  const pollSent = db.prepare(
    `UPDATE alert_outbox SET state = 'sent', ts = ?, done_at = ? WHERE channel = ? AND poll = ? ` +
      `AND state IN ('pending', 'sending')`,
  );
  const event = db.prepare<[string], { content: string }>('SELECT content FROM license_events WHERE key = ?');
  const pruneDone = db.prepare(`DELETE FROM alert_outbox WHERE state IN ${DONE_ALERT_STATES} AND done_at < ?`);
  let marks = 0;
  const pruneSometimes = (now: Date) => {
    if (++marks % ALERT_OUTBOX_PRUNE_EVERY === 0) pruneDone.run(before(now, ALERT_OUTBOX_TTL_DAYS));
  };

  const subscribe = db.transaction(
    (channel: string, events: readonly EventKind[], pkg: string, by: string, now: Date) => {
      const existing = one.get(channel, pkg);
      const merged = eventsAdded(existing, events);
      upsert.run(channel, pkg, JSON.stringify(merged), existing?.since ?? now.toISOString(), by);
      resumeChannel.run(channel);
      return toSubscription(one.get(channel, pkg)!);
    },
  );
  const unsubscribe = db.transaction((channel: string, events: readonly EventKind[] | 'all') => {
    let changed = 0;
    for (const row of ofChannel.all(channel)) {
      const left = eventsLeft(row, events);
      if (left?.length === 0) changed += remove.run(channel, row.package).changes;
      else if (left) changed += setEvents.run(JSON.stringify(left), channel, row.package).changes;
    }
    return changed;
  });
  const suspendChannel = db.transaction((channel: string, note: string, now: Date) => {
    suspend.run(now.toISOString(), note, channel);
    dropOpen.run(now.toISOString(), channel);
  });
  const muteCustomer = db.transaction(
    (channel: string, customer: { key: string; name: string }, by: string, now: Date) => {
      mute.run(channel, customer.key, customer.name, by, now.toISOString());
      muteOpen.run(now.toISOString(), channel, customer.key);
    },
  );

  return {
    subscriptions: async (channel) => (channel ? ofChannel.all(channel) : all.all()).map(toSubscription),
    subscribe: async (channel, events, packageName, by, now) =>
      subscribe.immediate(channel, events, packageName ?? '', by, now),
    unsubscribe: async (channel, events) => unsubscribe.immediate(channel, events),
    suspend: async (channel, note, now) => suspendChannel.immediate(channel, note, now),
    mute: async (channel, customer, by, now) => muteCustomer.immediate(channel, customer, by, now),
    mutes: async (channel) => mutes.all(channel),
    unmute: async (channel, key) => unmute.run(channel, key).changes > 0,
    async pendingPolls(limit) {
      return oldestPolls.all().map(({ channel, poll }) => {
        const counts = pollCounts.all(channel, poll);
        const first = pollAlerts.all(channel, poll, limit).map((row) => ({
          channel,
          poll,
          state: row.state,
          event: JSON.parse(row.content) as LicenseEvent,
        }));
        return {
          channel,
          poll,
          total: counts.reduce((sum, c) => sum + c.n, 0),
          byKind: Object.fromEntries(counts.map((c) => [c.kind, c.n])),
          resumed: counts.some((c) => c.sending > 0),
          first,
        };
      });
    },
    sending: async (channel, keys) => void markSending.run({ channel, keys: JSON.stringify(keys) }),
    async sent(channel, keys, ts, now) {
      markSent.run({ channel, keys: JSON.stringify(keys), ts, now: now.toISOString() });
      pruneSometimes(now);
    },
    pollSending: async (channel, poll) => void pollSending.run(channel, poll),
    async pollSent(channel, poll, ts, now) {
      pollSent.run(ts, now.toISOString(), channel, poll);
      pruneSometimes(now);
    },
    pollEvents: async (channel, poll, limit) =>
      pollEvents.all(channel, poll, limit).map((row) => JSON.parse(row.content) as LicenseEvent),
    async event(key) {
      const row = event.get(key);
      return row && (JSON.parse(row.content) as LicenseEvent);
    },
    recent: async (channels, limit) =>
      recentAlerts
        .all(JSON.stringify(channels), limit)
        .map((row) => ({ channel: row.channel, event: JSON.parse(row.content) as LicenseEvent })),
  };
}
