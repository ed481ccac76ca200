/**
 * Install guides in the bot's SQLite store: one row per guide, keyed by its thread, with the machine's state as
 * JSON. A restarted bot reads the same rows and carries on where each thread was.
 */
import type { Store } from '../store/sqlite.js';
import type { GuideState } from './machine.js';

export interface Guide {
  channel: string;
  /** The parent message: the thread the guide lives in. */
  threadTs: string;
  /** The guide message in the thread, updated in place. */
  messageTs: string;
  state: GuideState;
}

/** Guides nobody touched for this long are removed, finished or not. */
export const GUIDE_TTL_DAYS = 30;

export interface GuideStore {
  get(channel: string, threadTs: string): Guide | undefined;
  save(guide: Guide, now: Date): void;
  /** Removes guides idle for GUIDE_TTL_DAYS; returns how many. */
  removeIdle(now: Date): number;
}

interface Row {
  channel: string;
  thread_ts: string;
  message_ts: string;
  state: string;
}

export function guideStore(store: Store): GuideStore {
  const { db } = store;
  db.exec(`CREATE TABLE IF NOT EXISTS guides (
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    message_ts TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, thread_ts)
  )`);
  const select = db.prepare<[string, string], Row>(
    'SELECT channel, thread_ts, message_ts, state FROM guides WHERE channel = ? AND thread_ts = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO guides (channel, thread_ts, message_ts, state, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (channel, thread_ts) DO UPDATE SET message_ts = excluded.message_ts, state = excluded.state, updated_at = excluded.updated_at`,
  );
  const removeBefore = db.prepare('DELETE FROM guides WHERE updated_at < ?');
  return {
    get(channel, threadTs) {
      const row = select.get(channel, threadTs);
      return (
        row && {
          channel: row.channel,
          threadTs: row.thread_ts,
          messageTs: row.message_ts,
          state: JSON.parse(row.state) as GuideState,
        }
      );
    },
    save(guide, now) {
      upsert.run(guide.channel, guide.threadTs, guide.messageTs, JSON.stringify(guide.state), now.toISOString());
    },
    removeIdle(now) {
      return removeBefore.run(new Date(now.getTime() - GUIDE_TTL_DAYS * 86_400_000).toISOString()).changes;
    },
  };
}
