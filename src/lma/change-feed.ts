/**
 * The change feed: the ONE way the bot learns what changed in the LMO. A `ChangeSource` yields the licenses changed
 * since the watermark, a page at a time; each page is compared with the stored state of its licenses
 * (license-events.ts) and, in ONE store transaction, the new states, the events, their deliveries and the new
 * watermark are written. So a crash or an LMO outage mid-read leaves the watermark where the last written page ended:
 * nothing is lost, and a page read twice gives no event twice (events are kept by a deterministic key).
 *
 * The first read is a silent baseline. Where the org tracks license field history it is lazy: one call reads the
 * starting watermark and no license is stored; a license that changes later with no stored state is compared with
 * its state at the watermark, which its history rows tell (each tracked field's value before its first change since,
 * else its value now). Without field history, the baseline reads and stores every license, a page a call.
 *
 * Every reader reads the same feed — the alert poller every ALERT_POLL_SECONDS, the digest when it composes — and every
 * read routes its events to the channels listening (the alert subscriptions), so the digest's "since the last digest"
 * and the alerts are one record of what changed: the kept events, numbered in the order they were kept.
 *
 * One read at a time, across every process on the store: a read holds the store's lease FEED_LEASE, renewed before each
 * commit, so the open poll (FeedCommit.more) and the watermark have one writer. A read asked for while another process
 * holds it reads nothing and says so (`busy`): the events that other read commits are in the feed for everyone.
 *
 * Polling is the source today (one call per read — the changes and the history since the watermark side by side —
 * paging only when many licenses changed); a streaming source (Change Data Capture on sfLma__License__ChangeEvent, a
 * PushTopic) would implement the same interface.
 */

import { InOrder } from '../util/in-order.js';
import {
  type ChangedLicense,
  type ChangePage,
  deriveEvents,
  type EventKind,
  type LicenseEvent,
  type PastValues,
  pastState,
  type TrackedLicense,
  trackedState,
} from './license-events.js';
import type { LmoService } from './service.js';

export interface ChangeSource {
  /**
   * Where a baseline starts (one call): the newest change's stamp (null: no license), and whether the org tracks
   * license field history, so that `valuesAt` can tell a license's earlier state and the baseline need read none.
   */
  start(): Promise<{ watermark: string | null; history: boolean }>;
  /**
   * Licenses changed at or after `since` (every license when null), oldest change first, one page at a time; and,
   * with `historyFrom`, the values field history gives them at that moment (read with the first page where the org
   * tracks history, its further pages only when asked).
   */
  changes(since: Date | null, historyFrom: Date | null): ChangeRead;
}

export interface ChangeRead {
  pages: AsyncIterable<ChangePage>;
  /** Per license changed after `historyFrom`, the tracked fields changed since and their values then; null: no history. */
  valuesAt(): Promise<ReadonlyMap<string, PastValues> | null>;
}

/** The polling source: licenses by SystemModstamp and their history by CreatedDate (LmoService). */
export function pollingSource(service: LmoService): ChangeSource {
  return {
    start: () => service.feedStart(),
    changes: (since, historyFrom) => service.licensesChangedSince(since, historyFrom),
  };
}

/** What one read of the change feed learned, written in ONE transaction by `ChangeFeedStore.commit`. */
export interface FeedCommit {
  /** Names the read, so that the events of one poll are told apart (a burst is summarised per poll). */
  poll: string;
  states: TrackedLicense[];
  /** Kept once each: an event whose key is already kept is ignored, with its deliveries. */
  events: LicenseEvent[];
  /** Which channel gets which event (by key): the alert outbox. */
  deliveries: { key: string; channel: string }[];
  /** The new watermark (the newest SystemModstamp read); undefined leaves it (a baseline page before the last). */
  watermark?: string;
  /** Replace every stored state (the first page of a baseline). */
  baseline?: boolean;
  /** Moves `historyFrom` (the watermark a read ended at, once it read every page; a lazy baseline's). */
  historyFrom?: string;
  /**
   * More commits of this read follow: its poll stays open, its alerts out of `AlertStore.pendingPolls`, until its
   * last commit (one without `more`), so that a burst read page by page is posted as one. The open mark is one for the
   * whole store, which holds because one read at a time commits (ChangeFeed's FEED_LEASE, across processes): every
   * commit replaces the mark, and the next read's first commit does so only once the read before it is over — done,
   * or cut short (its process died, its lease lapsed), whose alerts are then posted once the next read commits.
   */
  more?: boolean;
}

/** A channel listening to the feed (an active alert subscription). */
export interface FeedListener {
  channel: string;
  events: readonly EventKind[];
  /** Only licenses of packages whose name contains this (any case); null: every package. */
  packageName: string | null;
  /** ISO instant it subscribed: it gets the changes from then on, not those a read catches up on from before. */
  since: string;
}

/** An event as the feed kept it: `seq` numbers the kept events in the order they were kept. */
export interface KeptEvent {
  seq: number;
  event: LicenseEvent;
}

/** The change feed's memory: how far it has read, the last state of each license, and the events it kept. */
export interface ChangeFeedStore {
  /** The newest SystemModstamp read; null before the first complete baseline. */
  watermark(): Promise<string | null>;
  /**
   * Since when a license with no stored state is known unchanged (so field history tells its state then): a lazy
   * baseline's watermark, then where the last complete read ended; null before either.
   */
  historyFrom(): Promise<string | null>;
  /** The stored state of each of these licenses that has one. */
  tracked(ids: readonly string[]): Promise<Map<string, TrackedLicense>>;
  /** Who gets the events of a read: the alert subscriptions not suspended. */
  listeners(): Promise<FeedListener[]>;
  /** Writes one read's page in one transaction; commits are serialised, so `seq` follows the commit order. */
  commit(commit: FeedCommit): Promise<void>;
  /** The `seq` of the last event kept (0 for none): a reader's place in the feed. */
  position(): Promise<number>;
  /** Up to `limit` events kept after `seq`, in order. */
  eventsAfter(seq: number, limit: number): Promise<KeptEvent[]>;
}

export interface FeedRead {
  /**
   * Another process reads the feed (it holds FEED_LEASE): this read read nothing more, from its start or from where it
   * lost the lease; what it committed stays, and the other read goes on from there.
   */
  busy: boolean;
  /** The first read: no events. */
  baseline: boolean;
  /** A lazy baseline: the watermark only, no license read (field history tells their states when they change). */
  lazy: boolean;
  licenses: number;
  events: number;
  pages: number;
}

/** The channels that get an event: listening to its kind and package since before it happened. */
export function listenersOf(listeners: readonly FeedListener[], event: LicenseEvent): string[] {
  const packageName = event.license.packageName.toLowerCase();
  const at = Date.parse(event.at);
  const channels = listeners.filter(
    (l) =>
      l.events.includes(event.kind) &&
      (l.packageName === null || packageName.includes(l.packageName.toLowerCase())) &&
      at >= Date.parse(l.since),
  );
  return [...new Set(channels.map((l) => l.channel))];
}

/** The store's lease of the one process reading the change feed. */
export const FEED_LEASE = 'feed:read';
/**
 * How long the reader holds it after each renewal (one before every commit): far longer than one page takes (a call
 * or a few, each within the LMO client's deadline, and one transaction), so that a live reader keeps it through a
 * 100,000-license baseline of 50 pages, while one that died on another host is replaced this long after its last page.
 */
export const FEED_LEASE_MS = 120_000;

/** The store's leases as the feed takes them (its port, like ChangeFeedStore): the store's `Leases` are this type. */
export interface FeedLeases {
  /** Takes `name` for `owner` (or renews it) until now + ttlMs; false while another holder's lease runs. */
  acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once, if `owner` holds it, so another process need not wait for its expiry. */
  release(name: string, owner: string): Promise<void>;
}

export interface ChangeFeedDeps {
  source: ChangeSource;
  store: ChangeFeedStore;
  /** The store's leases: FEED_LEASE decides which process reads. */
  leases: FeedLeases;
  /** This process in the leases (src/store/claim.ts's processOwner). */
  owner: string;
  clock: () => Date;
}

export class ChangeFeed {
  /**
   * One read at a time in this process (the poller and the digest may ask together): the second waits for the first,
   * then reads on from it. Across processes the store's lease decides, and the second does not wait.
   */
  private readonly reads = new InOrder();

  constructor(private readonly deps: ChangeFeedDeps) {}

  /**
   * Reads what changed since the watermark and writes it, page by page. `poll` names this read in the outbox.
   * `busy` when another process reads the feed.
   */
  read(poll: string): Promise<FeedRead> {
    return this.reads.run('read', async () => {
      const lease = new ReadLease(this.deps);
      if (!(await lease.renew())) return { ...EMPTY_READ, busy: true };
      try {
        return await this.readOnce(poll, lease);
      } finally {
        // Another process may read at once; if the store is gone, the lease simply expires.
        await lease.release().catch(() => undefined);
      }
    });
  }

  /** The feed's place now: the seq of the last event kept (0 for none). A reader keeps it to read on from there. */
  position(): Promise<number> {
    return this.deps.store.position();
  }

  /** Up to `limit` events kept after a reader's place, in order. */
  eventsAfter(seq: number, limit: number): Promise<KeptEvent[]> {
    return this.deps.store.eventsAfter(seq, limit);
  }

  private async readOnce(poll: string, lease: ReadLease): Promise<FeedRead> {
    /** Writes a commit while this read still holds the lease; false (nothing written) once it lost it. */
    const commit = async (c: FeedCommit): Promise<boolean> => {
      if (!(await lease.renew())) return false;
      await this.deps.store.commit(c);
      return true;
    };
    const [watermark, historyFrom, listeners] = await Promise.all([
      this.deps.store.watermark(),
      this.deps.store.historyFrom(),
      this.deps.store.listeners(),
    ]);
    const baseline = watermark === null;
    const result: FeedRead = { ...EMPTY_READ, baseline };
    if (baseline) {
      const start = await this.deps.source.start();
      if (start.history) {
        // An org without licenses has no stamp to start from: from now on, then.
        const from = start.watermark ?? this.deps.clock().toISOString();
        if (!(await commit({ ...nothing(poll), baseline: true, watermark: from, historyFrom: from })))
          return { ...result, busy: true };
        return { ...result, lazy: true };
      }
    }
    let newest = watermark;
    const read = this.deps.source.changes(
      watermark === null ? null : new Date(watermark),
      historyFrom === null ? null : new Date(historyFrom),
    );
    for await (const page of read.pages) {
      const ids = page.licenses.map((c) => c.license.id);
      const stored = baseline ? new Map() : await this.deps.store.tracked(ids);
      if (watermark !== null) await recall(page.licenses, stored, watermark, read);
      const events: LicenseEvent[] = [];
      const states = page.licenses.map((changed) => {
        const before = stored.get(changed.license.id);
        if (watermark !== null) events.push(...deriveEvents(changed, before, watermark));
        if (newest === null || Date.parse(changed.modstamp) > Date.parse(newest)) newest = changed.modstamp;
        return trackedState(changed, before);
      });
      const deliveries = events.flatMap((event) =>
        listenersOf(listeners, event).map((channel) => ({ key: event.key, channel })),
      );
      // A baseline moves the watermark only once complete: one cut short starts again rather than miss licenses.
      const committed = await commit({
        poll,
        states,
        events,
        deliveries,
        baseline: baseline && result.pages === 0,
        // A baseline's last commit is the watermark's, after its pages.
        more: baseline || !page.last,
        ...(!baseline && newest !== null && { watermark: newest, ...(page.last && { historyFrom: newest }) }),
      });
      // Its lease lapsed (another process may be reading on from the last page it committed): it stops here.
      if (!committed) return { ...result, busy: true };
      result.pages += 1;
      result.licenses += page.licenses.length;
      result.events += events.length;
    }
    if (baseline) {
      // An org without licenses has no stamp to start from: from now on, then.
      const start = newest ?? this.deps.clock().toISOString();
      if (!(await commit({ ...nothing(poll), baseline: result.pages === 0, watermark: start })))
        return { ...result, busy: true };
    }
    return result;
  }
}

const EMPTY_READ: FeedRead = { busy: false, baseline: false, lazy: false, licenses: 0, events: 0, pages: 0 };

/**
 * One read's hold on FEED_LEASE. A renewal after the lease ran out fails even when nobody took it meanwhile: another
 * process may have read and moved the feed on since, so this read's pages are out of date.
 */
class ReadLease {
  private until = Number.POSITIVE_INFINITY;

  constructor(private readonly deps: Pick<ChangeFeedDeps, 'leases' | 'owner' | 'clock'>) {}

  async renew(): Promise<boolean> {
    const now = this.deps.clock();
    if (now.getTime() >= this.until) return false;
    if (!(await this.deps.leases.acquire(FEED_LEASE, this.deps.owner, now, FEED_LEASE_MS))) return false;
    this.until = now.getTime() + FEED_LEASE_MS;
    return true;
  }

  release(): Promise<void> {
    return this.deps.leases.release(FEED_LEASE, this.deps.owner);
  }
}

/** A commit that writes no state, event or delivery. */
const nothing = (poll: string): FeedCommit => ({ poll, states: [], events: [], deliveries: [] });

/**
 * Adds to `stored` the states at the watermark of the licenses a lazy baseline did not store (no state, created
 * before the watermark), from field history; without history they stay unknown (recorded silently).
 */
async function recall(
  page: readonly ChangedLicense[],
  stored: Map<string, TrackedLicense>,
  watermark: string,
  read: ChangeRead,
): Promise<void> {
  const unknown = page.filter((c) => !stored.has(c.license.id) && Date.parse(c.createdDate) < Date.parse(watermark));
  if (unknown.length === 0) return;
  const past = await read.valuesAt();
  if (past)
    for (const changed of unknown) stored.set(changed.license.id, pastState(changed, past.get(changed.license.id)));
}
