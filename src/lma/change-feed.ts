/**
 * The change feed: the ONE way the bot learns what changed in the LMO. A `ChangeSource` yields the licenses changed
 * since the watermark, a page at a time; each page is compared with the stored state of its licenses
 * (license-events.ts) and, in ONE store transaction, the new states, the events, their deliveries and the new
 * watermark are written. So a crash or an LMO outage mid-read leaves the watermark where the last written page ended:
 * nothing is lost, and a page read twice gives no event twice (events are kept by a deterministic key).
 *
 * Every reader reads the same feed — the alert poller every ALERT_POLL_SECONDS, the digest when it composes — and every
 * read routes its events to the channels listening (the alert subscriptions), so the digest's "since the last digest"
 * and the alerts are one record of what changed: the kept events, numbered in the order they were kept.
 *
 * Polling is the source today (one SOQL query per read, paging only when many licenses changed); a streaming source
 * (Change Data Capture on sfLma__License__ChangeEvent, a PushTopic) would implement the same interface.
 */

import { InOrder } from '../util/in-order.js';
import {
  type ChangedLicense,
  deriveEvents,
  type EventKind,
  type LicenseEvent,
  type TrackedLicense,
  trackedState,
} from './license-events.js';
import type { LmoService } from './service.js';

export interface ChangeSource {
  /** Licenses changed at or after `since` (every license when null), oldest change first, one page at a time. */
  changes(since: Date | null): AsyncIterable<ChangedLicense[]>;
}

/** The polling source: one query of licenses by SystemModstamp (LmoService.licensesChangedSince). */
export function pollingSource(service: LmoService): ChangeSource {
  return { changes: (since) => service.licensesChangedSince(since) };
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
  /** The first read: states stored, no events. */
  baseline: boolean;
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

export class ChangeFeed {
  /** One read at a time in this process (the poller and the digest may ask together); the store orders processes. */
  private readonly reads = new InOrder();

  constructor(
    private readonly source: ChangeSource,
    private readonly store: ChangeFeedStore,
    private readonly clock: () => Date,
  ) {}

  /** Reads what changed since the watermark and writes it, page by page. `poll` names this read in the outbox. */
  read(poll: string): Promise<FeedRead> {
    return this.reads.run('read', () => this.readOnce(poll));
  }

  /** The feed's place now: the seq of the last event kept (0 for none). A reader keeps it to read on from there. */
  position(): Promise<number> {
    return this.store.position();
  }

  /** Up to `limit` events kept after a reader's place, in order. */
  eventsAfter(seq: number, limit: number): Promise<KeptEvent[]> {
    return this.store.eventsAfter(seq, limit);
  }

  private async readOnce(poll: string): Promise<FeedRead> {
    const [watermark, listeners] = await Promise.all([this.store.watermark(), this.store.listeners()]);
    const baseline = watermark === null;
    const result: FeedRead = { baseline, licenses: 0, events: 0, pages: 0 };
    let newest = watermark;
    for await (const page of this.source.changes(watermark === null ? null : new Date(watermark))) {
      const stored = baseline ? new Map() : await this.store.tracked(page.map((c) => c.license.id));
      const events: LicenseEvent[] = [];
      const states = page.map((changed) => {
        const before = stored.get(changed.license.id);
        if (watermark !== null) events.push(...deriveEvents(changed, before, watermark));
        if (newest === null || Date.parse(changed.modstamp) > Date.parse(newest)) newest = changed.modstamp;
        return trackedState(changed, before);
      });
      const deliveries = events.flatMap((event) =>
        listenersOf(listeners, event).map((channel) => ({ key: event.key, channel })),
      );
      // A baseline moves the watermark only once complete: one cut short starts again rather than miss licenses.
      await this.store.commit({
        poll,
        states,
        events,
        deliveries,
        baseline: baseline && result.pages === 0,
        ...(!baseline && newest !== null && { watermark: newest }),
      });
      result.pages += 1;
      result.licenses += page.length;
      result.events += events.length;
    }
    if (baseline) {
      // An org without licenses has no stamp to start from: from now on, then.
      const start = newest ?? this.clock().toISOString();
      await this.store.commit({
        poll,
        states: [],
        events: [],
        deliveries: [],
        baseline: result.pages === 0,
        watermark: start,
      });
    }
    return result;
  }
}
