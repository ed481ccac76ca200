/**
 * Who may post a digest slot: the rules every backend's `DigestLedger.claim` applies inside its own atomic step, and
 * the owner names ("host:pid:nonce") those rules read.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Claim, LedgerEntry, LedgerState } from './store.js';

/** This process's name in the ledger: unique per start, and telling where and which pid holds a claim. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Whether the process holding a claim may still run. On this host a pid that no longer exists is dead (a bot
 * restarted after a crash takes its own claim over at once instead of after the lease); elsewhere, ask the lease.
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

/** What to do with a slot someone already has a row for: answer only, or take it over in `state`. */
export type ClaimDecision = { claim: Claim } | { claim: Claim; takeOver: LedgerState };

/** `leaseMs`: a claim whose holder has not touched it for this long is taken over (the holder died). */
export function decideClaim(row: LedgerEntry, owner: string, now: Date, leaseMs: number): ClaimDecision {
  if (row.state === 'posted')
    return { claim: { kind: 'done', ts: row.ts ?? '', postedAt: row.postedAt ?? row.heartbeat } };
  const stale = now.getTime() - Date.parse(row.heartbeat) >= leaseMs || !ownerMayBeAlive(row.owner);
  if (row.owner !== owner && row.state !== 'failed' && !stale) return { claim: { kind: 'busy', owner: row.owner } };
  // A claim left 'claimed' was interrupted (its holder died): it may have posted before it could record the ts.
  return row.ts
    ? { claim: { kind: 'finish', ts: row.ts }, takeOver: 'parent_posted' }
    : { claim: { kind: 'post', resumed: row.state === 'claimed' }, takeOver: 'claimed' };
}
