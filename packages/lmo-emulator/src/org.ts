/**
 * The in-memory data of one org, indexed for fast lookups. Records are copied once at load and
 * normalised to what Salesforce would hold: datetimes in its wire format, dates as 'YYYY-MM-DD',
 * empty strings as null (Salesforce stores no empty text), unset checkboxes false, and the audit
 * fields a dataset leaves out filled as Salesforce fills them (SystemModstamp from the last change).
 */

import type { FieldDef, ObjectDef, OrgData, Schema, SObjectRecord } from './schema.js';
import { findField, findObject } from './schema.js';
import { normalizeDateTime } from './soql/dates.js';

export interface OrgRecordRef {
  objectName: string;
  record: SObjectRecord;
}

/** Reads one field of a record, computing formula fields. */
export function readField(field: FieldDef, record: SObjectRecord): unknown {
  return field.formula ? field.formula(record) : (record[field.name] ?? null);
}

function normalizeValue(field: FieldDef, value: unknown): unknown {
  if (value === '' && field.type !== 'boolean') return null;
  if (typeof value !== 'string') return value;
  if (field.type === 'datetime') return normalizeDateTime(value) ?? value;
  if (field.type === 'date' && value.length > 10 && value[10] === 'T') return value.slice(0, 10);
  return value;
}

/** Audit fields a record leaves out, and the fields Salesforce fills them from, first found wins. */
const FILLED_FROM: Record<string, string[]> = {
  LastModifiedDate: ['CreatedDate'],
  SystemModstamp: ['LastModifiedDate', 'CreatedDate'],
  LastModifiedById: ['CreatedById'],
};

interface Normalizer {
  fields: Map<string, FieldDef>;
  checkboxes: string[];
  filled: [string, string[]][];
}

function normalizerOf(def: ObjectDef): Normalizer {
  const fields = new Map(def.fields.map((field) => [field.name, field]));
  return {
    fields,
    checkboxes: def.fields.filter((fd) => fd.type === 'boolean' && !fd.formula).map((fd) => fd.name),
    filled: Object.entries(FILLED_FROM).filter(([name]) => fields.has(name)),
  };
}

function normalizeRecord(normalizer: Normalizer | undefined, record: SObjectRecord): SObjectRecord {
  const copy: SObjectRecord = { ...record };
  if (!normalizer) return copy;
  for (const key of Object.keys(copy)) {
    const field = normalizer.fields.get(key);
    if (field) copy[key] = normalizeValue(field, copy[key]);
  }
  for (const name of normalizer.checkboxes) copy[name] ??= false;
  for (const [name, sources] of normalizer.filled) {
    if (copy[name] != null) continue;
    const source = sources.find((s) => copy[s] != null);
    if (source) copy[name] = copy[source];
  }
  return copy;
}

export class Org {
  private readonly byObject = new Map<string, SObjectRecord[]>();
  /** Keyed by the record's Id as stored and by its 15-character form. */
  private readonly byId = new Map<string, OrgRecordRef>();

  constructor(
    readonly schema: Schema,
    data: OrgData,
  ) {
    for (const [name, rows] of Object.entries(data)) {
      const def = findObject(schema, name);
      const objectName = def?.name ?? name;
      const normalizer = def && normalizerOf(def);
      const records = rows.map((row) => normalizeRecord(normalizer, row));
      const key = objectName.toLowerCase();
      this.byObject.set(key, [...(this.byObject.get(key) ?? []), ...records]);
      for (const record of records) {
        const ref = { objectName, record };
        this.byId.set(record.Id, ref);
        this.byId.set(record.Id.slice(0, 15), ref);
      }
    }
  }

  /** Records of one object (case-insensitive API name); [] for an object with no data. */
  records(objectName: string): SObjectRecord[] {
    return this.byObject.get(objectName.toLowerCase()) ?? [];
  }

  /** A record by Id (15 or 18 chars) in any object. */
  get(id: string): OrgRecordRef | undefined {
    return this.byId.get(id) ?? this.byId.get(id.slice(0, 15));
  }

  /** A field's value with formula fields computed; an unknown field gives undefined. */
  value(def: ObjectDef, record: SObjectRecord, fieldName: string): unknown {
    const field = findField(def, fieldName);
    return field ? readField(field, record) : undefined;
  }
}
