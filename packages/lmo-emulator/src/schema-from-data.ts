/**
 * The fields a dataset adds to the schema. A real export carries the ISV's own custom fields (`ARR__c`,
 * `Uninstall_Date__c`, …) and standard fields the embedded LMO does not list: they are kept, with a type inferred
 * from their values (custom fields) or as text (standard ones), and become queryable and described like any other.
 * Custom objects take their key prefix from the dataset's Ids, since each org numbers its own.
 */
import { isRecordId } from './ids.js';
import type { FieldDef, FieldType, ObjectDef, OrgData, Schema } from './schema.js';
import { findObject } from './schema.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const LONG_TEXT = 255;

const isCustomName = (name: string) => name.endsWith('__c');

/** Keys that describe a record rather than hold a field. */
export const NOT_FIELDS = new Set(['attributes']);

export interface InferredField {
  object: string;
  field: FieldDef;
}

/** The type of a field from its values (null and undefined ignored): the narrowest that fits them all. */
export function inferFieldType(values: Iterable<unknown>): FieldType {
  let kinds = new Set<FieldType>(['boolean', 'double', 'date', 'datetime']);
  let long = false;
  let seen = false;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    seen = true;
    if (typeof value === 'string' && value.length > LONG_TEXT) long = true;
    const fits = new Set<FieldType>();
    if (typeof value === 'boolean') fits.add('boolean');
    else if (typeof value === 'number' && Number.isFinite(value)) fits.add('double');
    else if (typeof value === 'string' && DATE.test(value)) fits.add('date');
    else if (typeof value === 'string' && DATETIME.test(value)) fits.add('datetime');
    kinds = new Set([...kinds].filter((k) => fits.has(k)));
    if (kinds.size === 0) break;
  }
  if (!seen || kinds.size === 0) return long ? 'textarea' : 'string';
  return [...kinds][0];
}

const label = (name: string) => name.replace(/__c$/, '').replace(/_/g, ' ');

/**
 * The schema extended with the fields the data holds and the schema does not know, and the list of what was added.
 * `objectOfId` tells which object an Id belongs to, so a custom field of Ids of one object becomes a lookup.
 */
export function extendSchema(schema: Schema, data: OrgData): { schema: Schema; inferred: InferredField[] } {
  const inferred: InferredField[] = [];
  let objectOfId: Map<string, string> | undefined;
  const idIndex = () => {
    objectOfId ??= new Map(
      Object.entries(data).flatMap(([name, rows]) => rows.map((r) => [r.Id, findObject(schema, name)?.name ?? name])),
    );
    return objectOfId;
  };
  const out: Schema = { ...schema };
  for (const [objectName, rows] of Object.entries(data)) {
    const def = findObject(schema, objectName);
    if (!def || rows.length === 0) continue;
    const known = new Set(def.fields.map((fd) => fd.name.toLowerCase()));
    const extra = new Map<string, unknown[]>();
    for (const row of rows) {
      for (const key in row) {
        if (NOT_FIELDS.has(key) || known.has(key.toLowerCase())) continue;
        const values = extra.get(key) ?? [];
        extra.set(key, values);
        values.push(row[key]);
      }
    }
    const added = [...extra].map(([name, values]) => inferField(name, values, idIndex));
    for (const field of added) inferred.push({ object: def.name, field });
    const keyPrefix = isCustomName(def.name) ? (commonPrefix(rows.map((r) => r.Id)) ?? def.keyPrefix) : def.keyPrefix;
    if (added.length > 0 || keyPrefix !== def.keyPrefix) {
      out[def.name] = { ...def, keyPrefix, fields: [...def.fields, ...added] } satisfies ObjectDef;
    }
  }
  return { schema: out, inferred };
}

function inferField(name: string, values: unknown[], objectOfId: () => Map<string, string>): FieldDef {
  const base = { name, label: label(name), nillable: true, inferred: true };
  if (!isCustomName(name)) return { ...base, type: 'string' };
  const target = referenceTarget(values, objectOfId);
  if (target) return { ...base, type: 'reference', referenceTo: target, relationshipName: name.replace(/__c$/, '__r') };
  const type = inferFieldType(values);
  return type === 'double' ? { ...base, type, precision: 18, scale: maxDecimals(values) } : { ...base, type };
}

/** The one object whose records every (non-null) value is the Id of, if any. */
function referenceTarget(values: unknown[], objectOfId: () => Map<string, string>): string | undefined {
  let target: string | undefined;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (!isRecordId(value)) return undefined;
    const object = objectOfId().get(value);
    if (!object || (target && object !== target)) return undefined;
    target = object;
  }
  return target;
}

function maxDecimals(values: unknown[]): number {
  let scale = 0;
  for (const value of values) {
    if (typeof value !== 'number') continue;
    const text = String(value);
    const dot = text.indexOf('.');
    if (dot >= 0) scale = Math.max(scale, text.length - dot - 1);
  }
  return scale;
}

/** The key prefix most of the Ids share. */
function commonPrefix(ids: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const id of ids)
    if (typeof id === 'string' && id.length >= 3) counts.set(id.slice(0, 3), (counts.get(id.slice(0, 3)) ?? 0) + 1);
  let best: string | undefined;
  for (const [prefix, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = prefix;
  return best;
}
