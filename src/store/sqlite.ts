/**
 * The bot's persistence: one SQLite file (better-sqlite3) under DATA_DIR. Features own their tables and create
 * them on first use; this module opens the file safely for several processes and holds what all features share.
 */

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export interface Store {
  db: Database.Database;
  /**
   * Records a Slack event id; true the first time, false for a retried delivery of the same event.
   * Shared by every event listener so that Slack's retries are answered once, across restarts too.
   */
  claimEvent(eventId: string, now?: Date): boolean;
  /** Remembers a thread the bot started or answered in, and what it is ('guide', 'answer', 'digest'). */
  markThread(channel: string, threadTs: string, kind: ThreadKind, now?: Date): void;
  /** What the bot did in that thread, or undefined when it never spoke there. */
  threadKind(channel: string, threadTs: string): ThreadKind | undefined;
  close(): void;
}

export type ThreadKind = 'guide' | 'answer' | 'digest';

export const STORE_FILE = 'lma-bot.sqlite';

/** Opens (and creates) the store; `:memory:` for tests that need no file. */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL lets a second process read while one writes; busy_timeout makes competing writers wait, not fail.
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS seen_events (event_id TEXT PRIMARY KEY, seen_at TEXT NOT NULL)`);
  db.exec(
    `CREATE TABLE IF NOT EXISTS bot_threads (channel TEXT NOT NULL, thread_ts TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (channel, thread_ts))`,
  );
  const mark = db.prepare(
    'INSERT INTO bot_threads (channel, thread_ts, kind, at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, thread_ts) DO NOTHING',
  );
  const kindOf = db.prepare<[string, string], { kind: ThreadKind }>(
    'SELECT kind FROM bot_threads WHERE channel = ? AND thread_ts = ?',
  );
  const claim = db.prepare('INSERT OR IGNORE INTO seen_events (event_id, seen_at) VALUES (?, ?)');
  const prune = db.prepare('DELETE FROM seen_events WHERE seen_at < ?');
  let claims = 0;
  return {
    db,
    claimEvent(eventId, now = new Date()) {
      // Slack retries within minutes; a day of ids is plenty, pruned now and then to keep the table small.
      if (++claims % 500 === 0) prune.run(new Date(now.getTime() - 86_400_000).toISOString());
      return claim.run(eventId, now.toISOString()).changes === 1;
    },
    markThread(channel, threadTs, kind, now = new Date()) {
      // The first kind wins: a guide thread stays a guide even after answers are posted in it.
      mark.run(channel, threadTs, kind, now.toISOString());
    },
    threadKind(channel, threadTs) {
      return kindOf.get(channel, threadTs)?.kind;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
