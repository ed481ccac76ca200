/**
 * The records of an export, whatever tool wrote it, before they are checked: one flat list of RawRecords, each
 * knowing its object, where it came from (file, line or record) and whether its values are text to be read by the
 * field's type (CSV). Nested parents (`"sfLma__Account__r": {"attributes": …, "Name": "Acme"}`) and child
 * sub-queries (`"Histories": {"records": […]}`) become records of their own, linked by their lookup field.
 */
import type { ObjectDef, Schema } from '../schema.js';
import { findObject, findRelationship } from '../schema.js';

export interface RawRecord {
  /** The sObject as the export names it (its case may differ from the schema's). */
  type: string;
  fields: Record<string, unknown>;
  /** Where it is, for messages: `licenses.csv line 4`, `records[2].sfLma__Account__r`. */
  where: string;
  /** CSV: every value is text, read by the field's type. */
  textual: boolean;
  /** `sf data export tree`: the record's reference, which `@Ref` lookups name. */
  referenceId?: string;
  /** A parent found inside another record: merged with other mentions of the same record, never a duplicate. */
  nested: boolean;
}

export type Problem = string;

/** A JSON record, possibly with `attributes`, nested parents and child sub-queries. */
type JsonRecord = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const show = (value: unknown): string => (JSON.stringify(value) ?? String(value)).slice(0, 80);

const hasRecords = (value: unknown): value is { records: unknown[] } =>
  isPlainObject(value) && Array.isArray(value.records);

/** The lookup field behind a parent relationship: the schema's, else Salesforce's naming (`X__r` → `X__c`, `Owner` → `OwnerId`). */
export function lookupFieldOf(def: ObjectDef | undefined, relationship: string): string {
  const known = def && findRelationship(def, relationship);
  if (known) return known.name;
  return relationship.endsWith('__r') ? `${relationship.slice(0, -3)}__c` : `${relationship}Id`;
}

/**
 * A record's object from its attributes. A polymorphic parent (a Lead's `Owner`) comes back typed "Name": its url
 * says what it is (`…/sobjects/Group/00G…` for a queue).
 */
function typeOf(attributes: Record<string, unknown> | undefined): string | undefined {
  const type = typeof attributes?.type === 'string' ? attributes.type : undefined;
  if (type !== 'Name' || typeof attributes?.url !== 'string') return type;
  return /\/sobjects\/([^/]+)\/[^/]+$/.exec(attributes.url)?.[1] ?? type;
}

/** The Id at the end of a record's `attributes.url` (`/services/data/v62.0/sobjects/Account/001…`). */
function idFromUrl(attributes: unknown): string | undefined {
  if (!isPlainObject(attributes) || typeof attributes.url !== 'string') return undefined;
  return /\/([a-zA-Z0-9]{15,18})$/.exec(attributes.url)?.[1];
}

export interface WalkContext {
  schema: Schema;
  out: RawRecord[];
  problems: Problem[];
}

/**
 * Adds a JSON record (and the parents and children inside it) to `ctx.out`. `type` is the record's object when the
 * format says it elsewhere (the key of today's format); otherwise `attributes.type` must.
 */
export function walkJsonRecord(
  ctx: WalkContext,
  value: unknown,
  where: string,
  type?: string,
  nested = false,
): string | undefined {
  if (!isPlainObject(value)) {
    ctx.problems.push(`${where}: a record must be a JSON object, got ${show(value)}`);
    return undefined;
  }
  const attributes = isPlainObject(value.attributes) ? value.attributes : undefined;
  const recordType = typeOf(attributes) || type;
  if (!recordType) {
    ctx.problems.push(`${where}: a record without a type; each record needs "attributes": {"type": "<sObject>"}`);
    return undefined;
  }
  const def = findObject(ctx.schema, recordType);
  const fields: Record<string, unknown> = {};
  const referenceId = typeof attributes?.referenceId === 'string' ? attributes.referenceId : undefined;
  const record: RawRecord = { type: recordType, fields, where, textual: false, referenceId, nested };
  const urlId = idFromUrl(attributes);
  const id = (value.Id ?? value.id ?? value.ID ?? urlId) as unknown;
  const children: [string, unknown[]][] = [];
  for (const [key, field] of Object.entries(value as JsonRecord)) {
    if (key === 'attributes') continue;
    if (hasRecords(field)) children.push([key, field.records]);
    else if (isPlainObject(field) && 'attributes' in field) {
      const parent = walkJsonRecord(ctx, field, `${where}.${key}`, undefined, true);
      const lookup = lookupFieldOf(def, key);
      if (parent && fields[lookup] === undefined && !(lookup in value)) fields[lookup] = parent;
    } else if (isPlainObject(field)) {
      // A compound field (BillingAddress, a geolocation): its parts are fields of their own.
    } else if (field === null && (findRelationshipKey(def, key) || key.endsWith('__r'))) {
      // A parent relationship with no parent: the lookup is blank.
    } else fields[key] = field;
  }
  if (id !== undefined && fields.Id === undefined && fields.id === undefined && fields.ID === undefined) {
    fields.Id = id;
  }
  if (nested && typeof id !== 'string' && !record.referenceId)
    record.referenceId = contentReference(recordType, fields);
  ctx.out.push(record);
  const selfRef = typeof id === 'string' ? id : record.referenceId ? `@${record.referenceId}` : undefined;
  for (const [relationship, rows] of children) {
    const child = def?.childRelationships.find((c) => c.relationshipName.toLowerCase() === relationship.toLowerCase());
    if (!child) {
      ctx.problems.push(`${where}: "${relationship}" is not a child relationship of ${def?.name ?? recordType}`);
      continue;
    }
    for (const [i, row] of rows.entries()) {
      const childWhere = `${where}.${relationship}[${i}]`;
      const before = ctx.out.length;
      walkJsonRecord(ctx, row, childWhere, child.childSObject);
      const added = ctx.out[before];
      if (added && selfRef && added.fields[child.field] === undefined) added.fields[child.field] = selfRef;
    }
  }
  return selfRef;
}

/**
 * A parent named only by its values (a query's `sfLma__Account__r.Name` without the Id): one record per distinct
 * set of values, under a reference the lookups can name.
 */
export function contentReference(type: string, fields: Record<string, unknown>): string {
  const values = Object.keys(fields)
    .sort()
    .map((k) => [k.toLowerCase(), fields[k]]);
  return `parent:${type.toLowerCase()}:${JSON.stringify(values)}`;
}

const findRelationshipKey = (def: ObjectDef | undefined, key: string) => def && findRelationship(def, key);
