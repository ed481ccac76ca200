/**
 * What changed in the LMO since the last digest: new trial installs, conversions, uninstalls, suspensions, seat changes.
 * They are the change feed's events (src/lma/change-feed.ts), the same ones the alerts post: the digest keeps its place
 * in the feed (`through`, the last event it covered) and the next digest reports the events kept after it. Composing
 * first reads the feed, so the report is current (one query when nothing changed; the first read is its baseline).
 */
import type { ChangeFeed } from '../../lma/change-feed.js';
import type { EventKind, LicenseEvent } from '../../lma/license-events.js';
import type { LicenseRef } from '../../lma/model.js';

/** Seats before and after; -1 is a site license, null unknown. */
export interface SeatChange extends LicenseRef {
  from: number | null;
  to: number | null;
}

export interface ChangeLists {
  installs: LicenseRef[];
  conversions: LicenseRef[];
  uninstalls: LicenseRef[];
  suspensions: LicenseRef[];
  seatChanges: SeatChange[];
}

export type ChangesReport =
  /**
   * No earlier digest to compare with: changes are reported from the next digest on. `through`: the feed's place
   * (absent for a preview, which reads nothing then).
   */
  | { kind: 'first_run'; through?: number }
  | ({
      kind: 'changes';
      /** When the previous digest was composed. */
      since: string;
      through: number;
      /** More events than a digest reads (DIGEST_EVENT_LIMIT): the lists hold the first. */
      truncated: boolean;
    } & ChangeLists);

/** A digest reads at most this many events: a mass update is reported by its first ones, and says so. */
export const DIGEST_EVENT_LIMIT = 5000;

/** The event kinds the digest lists, and the list each goes to (seats are listed as a change from → to). */
const LIST_OF: Partial<Record<EventKind, Exclude<keyof ChangeLists, 'seatChanges'>>> = {
  trial: 'installs',
  conversion: 'conversions',
  uninstall: 'uninstalls',
  suspension: 'suspensions',
};

/**
 * The changes since the `previous` digest. `forPosting` false (a preview) reads nothing while there is no previous
 * digest (a first run is then only announced), so a preview never takes the feed's baseline.
 */
export async function changesSince(
  feed: ChangeFeed,
  previous: { composedAt: Date; content: { changes: ChangesReport } } | undefined,
  o: { poll: string; forPosting: boolean },
): Promise<ChangesReport> {
  // A digest kept before the change feed was its source has no place in it: a first run again.
  const from = previous?.content.changes.through;
  if (from === undefined && !o.forPosting) return { kind: 'first_run' };
  // Busy (another replica is reading it): the feed's place now holds what that read committed so far; the rest goes
  // to the next digest, which reads on from `through`.
  await feed.read(o.poll);
  const through = await feed.position();
  if (from === undefined || previous === undefined) return { kind: 'first_run', through };
  const kept = (await feed.eventsAfter(from, DIGEST_EVENT_LIMIT + 1)).filter((k) => k.seq <= through);
  return {
    kind: 'changes',
    since: previous.composedAt.toISOString(),
    through,
    truncated: kept.length > DIGEST_EVENT_LIMIT,
    ...listsOf(kept.slice(0, DIGEST_EVENT_LIMIT).map((k) => k.event)),
  };
}

/** Events into the digest's lists: each license once per list; its seats from the first to the last value. */
function listsOf(events: readonly LicenseEvent[]): ChangeLists {
  const lists = emptyLists();
  const seats = new Map<string, SeatChange>();
  for (const event of events) {
    const ref = refOf(event);
    if (event.kind === 'seats') {
      const change = seats.get(ref.id) ?? { ...ref, from: seatsOf(event.from), to: null };
      change.to = seatsOf(event.to);
      seats.set(ref.id, change);
      continue;
    }
    const list = LIST_OF[event.kind];
    if (list && !lists[list].some((r) => r.id === ref.id)) lists[list].push(ref);
  }
  lists.seatChanges = [...seats.values()].filter((c) => c.from !== c.to);
  return lists;
}

function emptyLists(): ChangeLists {
  return { installs: [], conversions: [], uninstalls: [], suspensions: [], seatChanges: [] };
}

/** How many changes a report holds, all kinds together. */
export function changeCount(lists: ChangeLists): number {
  return (
    lists.installs.length +
    lists.conversions.length +
    lists.uninstalls.length +
    lists.suspensions.length +
    lists.seatChanges.length
  );
}

function refOf({ license }: LicenseEvent): LicenseRef {
  return { id: license.id, name: license.name, customer: license.customer.name, packageName: license.packageName };
}

function seatsOf(value: LicenseEvent['from']): number | null {
  return typeof value === 'number' ? value : null;
}
