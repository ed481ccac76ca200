/**
 * What changed in the LMO since the last digest: new trial installs, conversions, uninstalls, suspensions, seat changes.
 * From `sfLma__License__History` where the org tracks license field history; otherwise from the bot's own snapshot
 * of each license (status, seats, expiration), comparing only the licenses modified since the snapshot was taken.
 * Nothing is written until `commit()`, so a preview never moves the snapshot.
 */
import type Database from 'better-sqlite3';
import { type LmoClient, LmoError } from '../lma/client.js';
import { customerOf } from '../lma/model.js';
import { and, dateTimeLiteral } from '../lma/soql.js';

export interface LicenseRef {
  id: string;
  name: string;
  customer: string;
  packageName: string;
}

/** Seats before and after; -1 is a site license, null unknown. */
export interface SeatChange extends LicenseRef {
  from: number | null;
  to: number | null;
}

export type ChangeSource = 'history' | 'snapshot';

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
  /** Saves what this detection learned (the source, the snapshot); call only when the digest is kept. */
  commit(): void;
}

interface SnapshotRow {
  id: string;
  status: string | null;
  seats: number | null;
  expiration: string | null;
}

const HISTORY_OBJECT = 'sfLma__License__History';
/** The parent license's name, package and customer travel with each history row: no query per license. */
const PARENT_FIELDS = [
  'Parent.Name',
  'Parent.sfLma__Package__r.Name',
  'Parent.sfLma__Account__r.Name',
  'Parent.sfLma__Lead__r.Company',
];
const REF_FIELDS = ['Id', 'Name', 'sfLma__Package__r.Name', 'sfLma__Account__r.Name', 'sfLma__Lead__r.Company'];
const SNAPSHOT_FIELDS = ['sfLma__Status__c', 'sfLma__Seats__c', 'sfLma__Expiration__c'];

type Raw = Record<string, unknown>;

export class ChangeDetector {
  constructor(
    private readonly client: LmoClient,
    private readonly db: Database.Database,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS digest_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    db.exec(
      'CREATE TABLE IF NOT EXISTS digest_snapshot (id TEXT PRIMARY KEY, status TEXT, seats INTEGER, expiration TEXT)',
    );
  }

  /**
   * Changes since `since` (the previous digest), or a first-run report when there is none. `forPosting` false (a
   * preview) sends no set-up queries: a first run is then only announced.
   */
  async detect(options: { since: Date | null; now: Date; forPosting: boolean }): Promise<DetectedChanges> {
    const source = this.state('source') as ChangeSource | undefined;
    if (options.since === null || source === undefined) {
      if (!options.forPosting) return { report: { kind: 'first_run', source }, commit: () => undefined };
      const tracked = (await this.client.describe(HISTORY_OBJECT)) !== null;
      return tracked ? this.startWithHistory() : this.takeBaseline(options.now);
    }
    if (source === 'snapshot') return this.fromSnapshot(options.now, options.forPosting);
    try {
      return await this.fromHistory(options.since);
    } catch (error) {
      // History tracking was switched off since the last digest: start keeping a snapshot instead.
      if (error instanceof LmoError && error.kind === 'no_history' && options.forPosting)
        return this.takeBaseline(options.now);
      throw error;
    }
  }

  private startWithHistory(): DetectedChanges {
    return { report: { kind: 'first_run', source: 'history' }, commit: () => this.setState('source', 'history') };
  }

  /** One query for history rows, one for new trial installs. */
  private async fromHistory(since: Date): Promise<DetectedChanges> {
    const after = `CreatedDate > ${dateTimeLiteral(since)}`;
    const [history, installs] = await Promise.all([
      this.client.queryPage<Raw>(
        `SELECT ParentId, Field, OldValue, NewValue, CreatedDate, ${PARENT_FIELDS.join(', ')} FROM ${HISTORY_OBJECT} ` +
          `WHERE ${and(`Field IN ('sfLma__Status__c', 'sfLma__Seats__c')`, after)} ORDER BY CreatedDate ASC, Id ASC`,
      ),
      this.client.queryPage<Raw>(
        `SELECT ${REF_FIELDS.join(', ')} FROM sfLma__License__c WHERE ${and(after, `sfLma__Status__c = 'Trial'`)} ORDER BY CreatedDate ASC, Id ASC`,
      ),
    ]);
    const lists = emptyLists();
    lists.installs = installs.records.map(refOf);
    const seats = new Map<string, SeatChange>();
    for (const row of history.records) {
      const parent = (row.Parent ?? {}) as Raw;
      const ref = refOf({ ...parent, Id: row.ParentId });
      if (row.Field === 'sfLma__Seats__c') {
        const change = seats.get(ref.id) ?? { ...ref, from: toSeats(row.OldValue), to: null };
        change.to = toSeats(row.NewValue);
        seats.set(ref.id, change);
      } else {
        addStatusChange(lists, ref, text(row.OldValue), text(row.NewValue));
      }
    }
    lists.seatChanges = [...seats.values()].filter((c) => c.from !== c.to);
    const truncated = !history.done || !installs.done;
    return {
      report: { kind: 'changes', source: 'history', since: since.toISOString(), truncated, ...lists },
      commit: () => undefined,
    };
  }

  /** One query: licenses modified since the snapshot, compared with it (new ones created since are installs). */
  private async fromSnapshot(now: Date, forPosting: boolean): Promise<DetectedChanges> {
    const since = new Date(this.state('snapshot_at') ?? now.toISOString());
    const page = await this.client.queryPage<Raw>(
      `SELECT ${[...REF_FIELDS, 'CreatedDate', 'LastModifiedDate', ...SNAPSHOT_FIELDS].join(', ')} FROM sfLma__License__c ` +
        `WHERE LastModifiedDate > ${dateTimeLiteral(since)} ORDER BY LastModifiedDate ASC, Id ASC`,
    );
    const previous = this.db.prepare<[string], SnapshotRow>(
      'SELECT id, status, seats, expiration FROM digest_snapshot WHERE id = ?',
    );
    const lists = emptyLists();
    const rows: SnapshotRow[] = [];
    for (const record of page.records) {
      const ref = refOf(record);
      const row: SnapshotRow = {
        id: ref.id,
        status: text(record.sfLma__Status__c),
        seats: toSeats(record.sfLma__Seats__c),
        expiration: text(record.sfLma__Expiration__c),
      };
      rows.push(row);
      const createdSince = Date.parse(String(record.CreatedDate)) > since.getTime();
      if (createdSince) {
        if (row.status === 'Trial') lists.installs.push(ref);
        continue;
      }
      const before = previous.get(ref.id);
      if (!before) continue; // never seen (a baseline cut short): recorded now, compared from the next digest on
      addStatusChange(lists, ref, before.status, row.status);
      if (before.seats !== row.seats) lists.seatChanges.push({ ...ref, from: before.seats, to: row.seats });
    }
    // A cut-short page: continue next time from the last license read, so no change is lost.
    const last = page.records.at(-1);
    const snapshotAt = page.done || !last ? now.toISOString() : new Date(String(last.LastModifiedDate)).toISOString();
    return {
      report: { kind: 'changes', source: 'snapshot', since: since.toISOString(), truncated: !page.done, ...lists },
      commit: () => {
        if (!forPosting) return;
        this.saveSnapshot(rows);
        this.setState('snapshot_at', snapshotAt);
      },
    };
  }

  /** Without history, a first snapshot of every license (narrow fields, once): the base for tomorrow's comparison. */
  private async takeBaseline(now: Date): Promise<DetectedChanges> {
    const all = await this.client.queryAll<Raw>(
      `SELECT Id, ${SNAPSHOT_FIELDS.join(', ')} FROM sfLma__License__c`,
      Number.MAX_SAFE_INTEGER,
    );
    const rows = all.records.map((r) => ({
      id: String(r.Id),
      status: text(r.sfLma__Status__c),
      seats: toSeats(r.sfLma__Seats__c),
      expiration: text(r.sfLma__Expiration__c),
    }));
    return {
      report: { kind: 'first_run', source: 'snapshot' },
      commit: () => {
        this.db.exec('DELETE FROM digest_snapshot');
        this.saveSnapshot(rows);
        this.setState('source', 'snapshot');
        this.setState('snapshot_at', now.toISOString());
      },
    };
  }

  private saveSnapshot(rows: SnapshotRow[]): void {
    const upsert = this.db.prepare(
      'INSERT INTO digest_snapshot (id, status, seats, expiration) VALUES (@id, @status, @seats, @expiration) ' +
        'ON CONFLICT (id) DO UPDATE SET status = excluded.status, seats = excluded.seats, expiration = excluded.expiration',
    );
    for (const row of rows) upsert.run(row);
  }

  private state(key: string): string | undefined {
    return this.db.prepare<[string], { value: string }>('SELECT value FROM digest_state WHERE key = ?').get(key)?.value;
  }

  private setState(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO digest_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value);
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

function refOf(record: Raw): LicenseRef {
  const pkg = record.sfLma__Package__r as { Name?: string } | null | undefined;
  return {
    id: String(record.Id),
    name: text(record.Name) ?? String(record.Id),
    customer: customerOf(record).name,
    packageName: pkg?.Name ?? 'Unknown package',
  };
}

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

/** History keeps numbers as text ("10"); -1 stays -1 (a site license). */
function toSeats(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
