/**
 * Conversation context per thread: the customer the bot last answered about, so that "and their seats?"
 * right after "status of Acme" means Acme. Kept in the store, so a restart does not forget a thread.
 */
import type Database from 'better-sqlite3';

/** Threads go quiet; after this long a follow-up no longer refers to the old customer. */
const CONTEXT_TTL_MS = 30 * 86_400_000;
const PRUNE_EVERY = 200;

export class ThreadContext {
  private readonly select: Database.Statement<[string, string, string], { customer: string }>;
  private readonly upsert: Database.Statement<[string, string, string, string]>;
  private readonly prune: Database.Statement<[string]>;
  private writes = 0;

  constructor(db: Database.Database) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ask_thread_context (channel TEXT NOT NULL, thread_key TEXT NOT NULL, customer TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (channel, thread_key))`,
    );
    this.select = db.prepare(
      'SELECT customer FROM ask_thread_context WHERE channel = ? AND thread_key = ? AND at >= ?',
    );
    this.upsert = db.prepare(
      'INSERT INTO ask_thread_context (channel, thread_key, customer, at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, thread_key) DO UPDATE SET customer = excluded.customer, at = excluded.at',
    );
    this.prune = db.prepare('DELETE FROM ask_thread_context WHERE at < ?');
  }

  /** The customer last answered about in that thread, if any and not stale. */
  lastCustomer(channel: string, threadKey: string, now: Date): string | undefined {
    return this.select.get(channel, threadKey, cutoff(now))?.customer;
  }

  remember(channel: string, threadKey: string, customer: string, now: Date): void {
    if (++this.writes % PRUNE_EVERY === 0) this.prune.run(cutoff(now));
    this.upsert.run(channel, threadKey, customer, now.toISOString());
  }
}

const cutoff = (now: Date): string => new Date(now.getTime() - CONTEXT_TTL_MS).toISOString();
