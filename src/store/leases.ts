/**
 * Named leases with an expiry, for a job only one process may do at a time while any may take it over: polling the
 * LMO for alerts, reading the change feed, posting one channel's alerts. One statement decides, so two processes never
 * both hold one; a holder that is a dead process on this host (src/store/claim.ts) is replaced at once, as a digest
 * claim is. Its own module, so that the change feed (whose port store.ts imports) can take them without a cycle.
 */
export interface Leases {
  /** Takes `name` for `owner` (or renews it) until now + ttlMs; false while another holder's lease runs. */
  acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once, if `owner` holds it, so another process need not wait for its expiry. */
  release(name: string, owner: string): Promise<void>;
}
