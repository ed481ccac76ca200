/**
 * The change feed: the ONE way the bot learns what changed in the LMO. A `ChangeSource` yields the licenses changed
 * since the watermark, a page at a time; each page is compared with the stored state of its licenses
 * (license-events.ts) and, in ONE store transaction, the new states, the events, their deliveries and the new
 * watermark are written. So a crash or an LMO outage mid-read leaves the watermark where the last written page ended:
 * nothing is lost, and a page read twice gives no event twice (events are kept by a deterministic key).
 *
 * Polling is the source today (one SOQL query per read, paging only when many licenses changed); a streaming source
 * (Change Data Capture on sfLma__License__ChangeEvent, a PushTopic) would implement the same interface.
 */
import {
  type ChangedLicense,
  deriveEvents,
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

/** The change feed's memory: how far it has read and the last state of each license. */
export interface ChangeFeedStore {
  /** The newest SystemModstamp read; null before the first complete baseline. */
  watermark(): Promise<string | null>;
  /** The stored state of each of these licenses that has one. */
  tracked(ids: readonly string[]): Promise<Map<string, TrackedLicense>>;
  commit(commit: FeedCommit): Promise<void>;
  /** Forgets the watermark, so that the next read is a silent baseline (alerts subscribed to an empty store). */
  reset(): Promise<void>;
}

export interface FeedRead {
  /** The first read (or the first after a reset): states stored, no events. */
  baseline: boolean;
  licenses: number;
  events: number;
  pages: number;
}

/** Which channels get an event (the alert subscriptions); none for a feed nobody listens to. */
export type Router = (event: LicenseEvent) => string[];

export class ChangeFeed {
  constructor(
    private readonly source: ChangeSource,
    private readonly store: ChangeFeedStore,
    private readonly clock: () => Date,
  ) {}

  /** Reads what changed since the watermark and writes it, page by page. `poll` names this read in the outbox. */
  async read(poll: string, route: Router): Promise<FeedRead> {
    const watermark = await this.store.watermark();
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
      const deliveries = events.flatMap((event) => route(event).map((channel) => ({ key: event.key, channel })));
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
