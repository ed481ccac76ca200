/**
 * The in-memory data of one org, indexed for fast lookups. Records are copied once at load and
 * normalised to what Salesforce would hold: datetimes in its wire format, dates as 'YYYY-MM-DD',
 * empty strings as null (Salesforce stores no empty text); unset checkboxes and audit fields read
 * as Salesforce holds them (readField).
 */

import type { FieldDef, ObjectDef, OrgData, Schema, SObjectRecord } from './schema.js';
import { findField, findObject } from './schema.js';
import { normalizeDateTime } from './soql/dates.js';

export interface OrgRecordRef {
  objectName: string;
  record: SObjectRecord;
}

/** Audit fields a record leaves out, and the fields Salesforce fills them from, first found wins. */
const FILLED_FROM: Record<string, string[]> = {
  LastModifiedDate: ['CreatedDate'],
  SystemModstamp: ['LastModifiedDate', 'CreatedDate'],
  LastModifiedById: ['CreatedById'],
};

/**
 * Reads one field of a record, computing formula fields. What a dataset leaves unset reads as Salesforce holds it:
 * a checkbox as false, an audit field from the one it follows. Read here rather than stored, so 100k records cost
 * no extra memory.
 */
export function readField(field: FieldDef, record: SObjectRecord): unknown {
  if (field.formula) return field.formula(record);
  const value = record[field.name];
  if (value != null) return value;
  if (field.type === 'boolean') return false;
  const sources = FILLED_FROM[field.name];
  if (sources) for (const source of sources) if (record[source] != null) return record[source];
  return null;
}

function normalizeValue(field: FieldDef, value: unknown): unknown {
  if (value === '' && field.type !== 'boolean') return null;
  if (typeof value !== 'string') return value;
  if (field.type === 'datetime') return normalizeDateTime(value) ?? value;
  if (field.type === 'date' && value.length > 10 && value[10] === 'T') return value.slice(0, 10);
  return value;
}

function normalizeRecord(
  fields: Map<string, FieldDef> | undefined,
  record: SObjectRecord,
  loadedAt: string | undefined,
): SObjectRecord {
  const copy: SObjectRecord = { ...record };
  if (!fields) return copy;
  // Every Salesforce record has a creation time; one an export left out is the load's, which the other audit dates
  // then follow (readField), so a SystemModstamp filter never meets a null.
  if (loadedAt !== undefined && copy.CreatedDate == null && fields.has('CreatedDate')) copy.CreatedDate = loadedAt;
  for (const key of Object.keys(copy)) {
    const field = fields.get(key);
    if (field) copy[key] = normalizeValue(field, copy[key]);
  }
  return copy;
}

/**
 * The records written or inserted since a version, oldest first, each as often as it was (changedSince), so an index
 * can be brought up to date rather than rebuilt. A removal, a change the Org was not shown, or a journal grown past
 * JOURNAL_LIMIT starts it afresh: an index older than its start is rebuilt.
 */
interface Journal {
  /** The version the journal starts after. */
  since: number;
  records: SObjectRecord[];
  /** The version each record was written at. */
  versions: number[];
}

/** Past this many writes unread, an index rebuilt from the records costs no more than reading the journal. */
const JOURNAL_LIMIT = 50_000;

export class Org {
  private readonly byObject = new Map<string, SObjectRecord[]>();
  /** The recycle bin: deleted records (IsDeleted true), by object, which only queryAll reads. */
  private readonly deleted = new Map<string, SObjectRecord[]>();
  /** Keyed by the record's Id as stored and by its 15-character form. */
  private readonly byId = new Map<string, OrgRecordRef>();
  /** Per object: bumped by every insert, removal and write, so an index built from its records knows it is stale. */
  private readonly versions = new Map<string, number>();
  private readonly journals = new Map<string, Journal>();

  /**
   * `schema` holds every object and field, so all records are normalised whatever the API user may see. `loadedAt`
   * (Salesforce's datetime format) stands in for a CreatedDate a record lacks.
   */
  constructor(
    private served: Schema,
    data: OrgData,
    loadedAt?: string,
  ) {
    const schema = served;
    for (const [name, rows] of Object.entries(data)) {
      const def = findObject(schema, name);
      const objectName = def?.name ?? name;
      const fields = def && new Map(def.fields.map((field) => [field.name, field]));
      const records = rows.map((row) => normalizeRecord(fields, row, loadedAt));
      const key = objectName.toLowerCase();
      // An export made with queryAll holds deleted rows: they go to the recycle bin, as in the org they came from.
      const live = records.filter((r) => r.IsDeleted !== true);
      this.byObject.set(key, [...(this.byObject.get(key) ?? []), ...live]);
      if (live.length < records.length) {
        this.deleted.set(key, [...(this.deleted.get(key) ?? []), ...records.filter((r) => r.IsDeleted === true)]);
      }
      for (const record of live) {
        const ref = { objectName, record };
        this.byId.set(record.Id, ref);
        this.byId.set(record.Id.slice(0, 15), ref);
      }
    }
  }

  /** The objects and fields the API user sees. */
  get schema(): Schema {
    return this.served;
  }

  /** Another view of the same records (permissions changed); records are kept as they are. */
  setSchema(schema: Schema): void {
    this.served = schema;
  }

  /** Records of one object (case-insensitive API name); [] for an object with no data. With `withDeleted`, the
   * recycle bin's after them (queryAll). */
  records(objectName: string, withDeleted = false): SObjectRecord[] {
    const live = this.byObject.get(objectName.toLowerCase()) ?? [];
    const deleted = withDeleted ? this.deleted.get(objectName.toLowerCase()) : undefined;
    return deleted?.length ? [...live, ...deleted] : live;
  }

  /** A record by Id (15 or 18 chars) in any object. */
  get(id: string): OrgRecordRef | undefined {
    return this.byId.get(id) ?? this.byId.get(id.slice(0, 15));
  }

  /** How many times the object's records have changed (through insert, remove and `changed`). */
  version(objectName: string): number {
    return this.versions.get(objectName.toLowerCase()) ?? 0;
  }

  /**
   * Records of the object were written in place (writes.ts): `record`, kept in place, which indexes bring up to date
   * on next use (changedSince); without it, any of them, and indexes over them are rebuilt.
   */
  changed(objectName: string, record?: SObjectRecord): void {
    const key = objectName.toLowerCase();
    const version = this.version(key) + 1;
    this.versions.set(key, version);
    const journal = this.journals.get(key);
    if (record && journal && journal.records.length < JOURNAL_LIMIT) {
      journal.records.push(record);
      journal.versions.push(version);
    } else {
      this.journals.set(key, {
        since: version - (record ? 1 : 0),
        records: record ? [record] : [],
        versions: record ? [version] : [],
      });
    }
  }

  /**
   * The records written in place or inserted after `version` (positions unchanged, the inserted after the others),
   * oldest first; undefined when the Org cannot tell (a removal since, or more changes than it keeps).
   */
  changedSince(objectName: string, version: number): readonly SObjectRecord[] | undefined {
    const journal = this.journals.get(objectName.toLowerCase());
    if (version === this.version(objectName)) return [];
    if (!journal || version < journal.since) return undefined;
    let first = journal.versions.length;
    while (first > 0 && journal.versions[first - 1] > version) first--;
    return journal.records.slice(first);
  }

  /** Adds a record as stored (writes.ts has checked and normalised it). */
  insert(objectName: string, record: SObjectRecord): void {
    this.changed(objectName, record);
    const key = objectName.toLowerCase();
    const rows = this.byObject.get(key);
    if (rows) rows.push(record);
    else this.byObject.set(key, [record]);
    const ref = { objectName, record };
    this.byId.set(record.Id, ref);
    this.byId.set(record.Id.slice(0, 15), ref);
  }

  /** Removes a record by Id into the recycle bin, marked IsDeleted; false when there is none. */
  remove(id: string): boolean {
    const ref = this.get(id);
    if (!ref) return false;
    this.changed(ref.objectName);
    const rows = this.records(ref.objectName);
    rows.splice(rows.indexOf(ref.record), 1);
    this.byId.delete(ref.record.Id);
    this.byId.delete(ref.record.Id.slice(0, 15));
    ref.record.IsDeleted = true;
    const key = ref.objectName.toLowerCase();
    const bin = this.deleted.get(key);
    if (bin) bin.push(ref.record);
    else this.deleted.set(key, [ref.record]);
    return true;
  }

  /** A field's value with formula fields computed; an unknown field gives undefined. */
  value(def: ObjectDef, record: SObjectRecord, fieldName: string): unknown {
    const field = findField(def, fieldName);
    return field ? readField(field, record) : undefined;
  }
}
