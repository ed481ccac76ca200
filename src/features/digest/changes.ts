/**
 * What changed in the LMO since the last digest: new trial installs, conversions, uninstalls, suspensions, seat changes.
 * From `sfLma__License__History` where the org tracks license field history; otherwise from the bot's own snapshot
 * of each license (status, seats, expiration), comparing only the licenses modified since the snapshot was taken.
 * Nothing is written here: a detection returns what it learned, and the ledger saves that with the digest it keeps,
 * so a preview never moves the snapshot. The queries are LmoService's; the memory between digests is the store's.
 */
import { LmoError } from '../../lma/client.js';
import type { LicenseRef, LicenseState } from '../../lma/model.js';
import type { LmoService } from '../../lma/service.js';
import type { ChangeCommit, ChangeSnapshot, ChangeSource } from '../../store/store.js';

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
  /** No earlier digest to compare with: changes are reported from the next digest on. */
  | { kind: 'first_run'; source?: ChangeSource }
  | ({
      kind: 'changes';
      source: ChangeSource;
      since: string /** More than one page of changes: the lists hold the first. */;
      truncated: boolean;
    } & ChangeLists);

export interface DetectedChanges {
  report: ChangesReport;
  /** What this detection learned (the source, the snapshot), saved only with the kept digest; none for a preview. */
  commit?: ChangeCommit;
}

export class ChangeDetector {
  constructor(
    private readonly service: LmoService,
    private readonly snapshot: ChangeSnapshot,
  ) {}

  /**
   * Changes since `since` (the previous digest), or a first-run report when there is none. `forPosting` false (a
   * preview) sends no set-up queries: a first run is then only announced.
   */
  async detect(options: { since: Date | null; now: Date; forPosting: boolean }): Promise<DetectedChanges> {
    const state = await this.snapshot.state();
    if (options.since === null || state.source === undefined) {
      if (!options.forPosting) return { report: { kind: 'first_run', source: state.source } };
      return (await this.service.historyTracked())
        ? { report: { kind: 'first_run', source: 'history' }, commit: { licenses: [], source: 'history' } }
        : this.takeBaseline(options.now);
    }
    if (state.source === 'snapshot')
      return this.fromSnapshot(state.snapshotAt ?? options.now, options.now, options.forPosting);
    try {
      return await this.fromHistory(options.since);
    } catch (error) {
      // History tracking was switched off since the last digest: start keeping a snapshot instead.
      if (error instanceof LmoError && error.kind === 'no_history' && options.forPosting)
        return this.takeBaseline(options.now);
      throw error;
    }
  }

  /** One query for history rows, one for new trial installs. */
  private async fromHistory(since: Date): Promise<DetectedChanges> {
    const [history, installs] = await Promise.all([
      this.service.fieldChangesSince(since),
      this.service.trialsCreatedSince(since),
    ]);
    const lists = emptyLists();
    lists.installs = installs.rows;
    const seats = new Map<string, SeatChange>();
    for (const change of history.rows) {
      const ref = change.license;
      if (change.field === 'seats') {
        const seatChange = seats.get(ref.id) ?? { ...ref, from: change.from, to: null };
        seatChange.to = change.to;
        seats.set(ref.id, seatChange);
      } else {
        addStatusChange(lists, ref, change.from, change.to);
      }
    }
    lists.seatChanges = [...seats.values()].filter((c) => c.from !== c.to);
    const truncated = !history.complete || !installs.complete;
    return { report: { kind: 'changes', source: 'history', since: since.toISOString(), truncated, ...lists } };
  }

  /** One query: licenses modified since the snapshot, compared with it (new ones created since are installs). */
  private async fromSnapshot(since: Date, now: Date, forPosting: boolean): Promise<DetectedChanges> {
    const page = await this.service.licensesModifiedSince(since);
    const previous = await this.snapshot.licenses(page.rows.map((l) => l.ref.id));
    const lists = emptyLists();
    const states: LicenseState[] = [];
    for (const { ref, state, createdDate } of page.rows) {
      states.push(state);
      if (Date.parse(createdDate) > since.getTime()) {
        if (state.status === 'Trial') lists.installs.push(ref);
        continue;
      }
      const before = previous.get(ref.id);
      if (!before) continue; // never seen (a baseline cut short): recorded now, compared from the next digest on
      addStatusChange(lists, ref, before.status, state.status);
      if (before.seats !== state.seats) lists.seatChanges.push({ ...ref, from: before.seats, to: state.seats });
    }
    // A cut-short page: continue next time from the last license read, so no change is lost.
    const last = page.rows.at(-1);
    const snapshotAt = page.complete || !last ? now : new Date(last.lastModifiedDate);
    return {
      report: {
        kind: 'changes',
        source: 'snapshot',
        since: since.toISOString(),
        truncated: !page.complete,
        ...lists,
      },
      ...(forPosting && { commit: { licenses: states, snapshotAt } }),
    };
  }

  /** Without history, a first snapshot of every license (narrow fields, once): the base for tomorrow's comparison. */
  private async takeBaseline(now: Date): Promise<DetectedChanges> {
    const licenses = await this.service.licenseStates();
    return {
      report: { kind: 'first_run', source: 'snapshot' },
      commit: { baseline: true, licenses, source: 'snapshot', snapshotAt: now },
    };
  }
}

export function emptyLists(): ChangeLists {
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

/** Sorts one status change into the lists, once per license and kind. */
function addStatusChange(lists: ChangeLists, ref: LicenseRef, from: string | null, to: string | null): void {
  if (from === to) return;
  const add = (list: LicenseRef[]) => {
    if (!list.some((r) => r.id === ref.id)) list.push(ref);
  };
  if (from === 'Trial' && to === 'Active') add(lists.conversions);
  else if (to === 'Uninstalled') add(lists.uninstalls);
  else if (to === 'Suspended') add(lists.suspensions);
}
