/**
 * The run ledger: one row per (day, channel), claimed in SQLite before anything is posted, so that two
 * processes sharing the store file, a restart or a manual run never post the same day's digest twice.
 * It also keeps each day's composed digest, so every channel (and a finished part-post) shows the same content.
 */
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

/** claimed: someone is posting; parent_posted: message up, thread reply missing; posted: done; failed: gave up. */
export type LedgerState = 'claimed' | 'parent_posted' | 'posted' | 'failed';

export interface LedgerEntry {
  day: string;
  channel: string;
  state: LedgerState;
  owner: string;
  heartbeat: string;
  ts: string | null;
  error: string | null;
  postedAt: string | null;
}

export type Claim =
  /** Ours, nothing recorded as posted; `resumed` when an earlier run (maybe killed mid-post) held it. */
  | { kind: 'post'; resumed?: boolean }
  /** Ours, the message is up but its thread reply is not: finish it. */
  | { kind: 'finish'; ts: string }
  /** Already posted today. */
  | { kind: 'done'; ts: string; postedAt: string }
  /** Another process holds a fresh claim (it is posting right now). */
  | { kind: 'busy'; owner: string };

/** A claim whose holder has not touched it for this long is taken over (the holder died). */
export const CLAIM_LEASE_MS = 10 * 60_000;

/**
 * Whether the process holding a claim may still run. Owners are "host:pid:nonce"; on this host a pid that no longer
 * exists is dead (a bot restarted after a crash takes its own claim over at once instead of after the lease).
 */
export function ownerMayBeAlive(owner: string): boolean {
  const parts = owner.split(':');
  const pid = Number(parts.at(-2));
  if (parts.length < 3 || parts.slice(0, -2).join(':') !== hostname() || !Number.isInteger(pid) || pid <= 0)
    return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DigestLedger {
  constructor(
    private readonly db: Database.Database,
    private readonly ownerAlive: (owner: string) => boolean = ownerMayBeAlive,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS digest_ledger (
      day TEXT NOT NULL, channel TEXT NOT NULL, state TEXT NOT NULL, owner TEXT NOT NULL, heartbeat TEXT NOT NULL,
      ts TEXT, error TEXT, posted_at TEXT, PRIMARY KEY (day, channel))`);
    db.exec(
      `CREATE TABLE IF NOT EXISTS digest_runs (day TEXT PRIMARY KEY, composed_at TEXT NOT NULL, content TEXT NOT NULL)`,
    );
  }

  /** Atomically decides who posts (day, channel): a write transaction, so competing processes queue on it. */
  claim(day: string, channel: string, owner: string, now: Date): Claim {
    const run = this.db.transaction((): Claim => {
      const inserted = this.db
        .prepare(
          `INSERT OR IGNORE INTO digest_ledger (day, channel, state, owner, heartbeat) VALUES (?, ?, 'claimed', ?, ?)`,
        )
        .run(day, channel, owner, now.toISOString());
      if (inserted.changes === 1) return { kind: 'post' };
      const row = this.entry(day, channel)!;
      if (row.state === 'posted') return { kind: 'done', ts: row.ts ?? '', postedAt: row.postedAt ?? row.heartbeat };
      const stale = now.getTime() - Date.parse(row.heartbeat) >= CLAIM_LEASE_MS || !this.ownerAlive(row.owner);
      if (row.owner !== owner && row.state !== 'failed' && !stale) return { kind: 'busy', owner: row.owner };
      const state: LedgerState = row.ts ? 'parent_posted' : 'claimed';
      this.db
        .prepare(
          `UPDATE digest_ledger SET owner = ?, heartbeat = ?, state = ?, error = NULL WHERE day = ? AND channel = ?`,
        )
        .run(owner, now.toISOString(), state, day, channel);
      // A claim left 'claimed' was interrupted (its holder died): it may have posted before it could record the ts.
      return row.ts ? { kind: 'finish', ts: row.ts } : { kind: 'post', resumed: row.state === 'claimed' };
    });
    return run.immediate();
  }

  /** Keeps a claim fresh while its holder retries. */
  touch(day: string, channel: string, owner: string, now: Date): void {
    this.update(day, channel, owner, 'heartbeat = ?', now.toISOString());
  }

  parentPosted(day: string, channel: string, owner: string, ts: string, now: Date): void {
    this.update(day, channel, owner, `state = 'parent_posted', ts = ?, heartbeat = ?`, ts, now.toISOString());
  }

  posted(day: string, channel: string, owner: string, now: Date): void {
    this.update(
      day,
      channel,
      owner,
      `state = 'posted', posted_at = ?, heartbeat = ?`,
      now.toISOString(),
      now.toISOString(),
    );
  }

  /** Gave up for now; the row can be claimed again (a manual run, a restart), and tomorrow has its own row. */
  failed(day: string, channel: string, owner: string, error: string, now: Date): void {
    this.update(day, channel, owner, `state = 'failed', error = ?, heartbeat = ?`, error, now.toISOString());
  }

  /** The day's composed digest, if one was composed for posting. */
  composed<T>(day: string): { composedAt: Date; content: T } | undefined {
    const row = this.db
      .prepare<[string], { composed_at: string; content: string }>(
        'SELECT composed_at, content FROM digest_runs WHERE day = ?',
      )
      .get(day);
    return row && { composedAt: new Date(row.composed_at), content: JSON.parse(row.content) as T };
  }

  /**
   * Stores the day's digest unless another process stored one first; `onStored` runs in the same transaction
   * (it advances the change snapshot, so the snapshot moves exactly when a digest is kept). Returns the kept one.
   */
  keepComposed<T>(day: string, composedAt: Date, content: T, onStored: () => void): { composedAt: Date; content: T } {
    const run = this.db.transaction(() => {
      const inserted = this.db
        .prepare('INSERT OR IGNORE INTO digest_runs (day, composed_at, content) VALUES (?, ?, ?)')
        .run(day, composedAt.toISOString(), JSON.stringify(content));
      if (inserted.changes === 1) onStored();
    });
    run.immediate();
    return this.composed<T>(day)!;
  }

  /** When the latest digest before `day` was composed: changes are reported since then. */
  previousComposedAt(day: string): Date | null {
    const row = this.db
      .prepare<[string], { composed_at: string }>(
        'SELECT composed_at FROM digest_runs WHERE day < ? ORDER BY day DESC LIMIT 1',
      )
      .get(day);
    return row ? new Date(row.composed_at) : null;
  }

  entry(day: string, channel: string): LedgerEntry | undefined {
    return this.db
      .prepare<[string, string], LedgerEntry>(
        'SELECT day, channel, state, owner, heartbeat, ts, error, posted_at AS postedAt FROM digest_ledger WHERE day = ? AND channel = ?',
      )
      .get(day, channel);
  }

  private update(day: string, channel: string, owner: string, set: string, ...values: string[]): void {
    this.db
      .prepare(`UPDATE digest_ledger SET ${set} WHERE day = ? AND channel = ? AND owner = ?`)
      .run(...values, day, channel, owner);
  }
}
