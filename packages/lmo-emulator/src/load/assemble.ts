/**
 * RawRecords → the org's data: Ids made whole (15 → 18 characters, minted for tree exports), mentions of one record
 * merged, field names in the schema's case, values read by their field's type, custom fields inferred, lookups
 * checked. Everything wrong is collected, so one run names every problem and nothing is half-loaded.
 */
import { IdMint, isRecordId, toId18 } from '../ids.js';
import type { FieldDef, ObjectDef, OrgData, Schema, SObjectRecord } from '../schema.js';
import { findField, findObject } from '../schema.js';
import { extendSchema, type InferredField } from '../schema-from-data.js';
import type { Problem, RawRecord } from './records.js';
import { show } from './records.js';

export interface Assembled {
  data: OrgData;
  /** One line per object loaded, then notes (lookups kept as bare Ids, objects left out). */
  summary: string[];
  problems: Problem[];
}

interface Entry {
  def: ObjectDef;
  id: string;
  fields: Record<string, unknown>;
  where: string;
  nested: boolean;
  /** The values are CSV text, still to be read by their field's type. */
  textual: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;

/** The prefix of queue Ids: a record owned by a queue has a Group as its owner. */
const QUEUE_PREFIX = '00G';
/** Who created or last changed a record: users an export rarely carries, so never an error. */
const AUDIT_LOOKUPS = new Set(['CreatedById', 'LastModifiedById']);

/** Datasets repeat the same few thousand dates; remembering them keeps 100k records fast. */
const calendarDates = new Map<string, boolean>();
function isCalendarDate(text: string): boolean {
  let valid = calendarDates.get(text);
  if (valid === undefined) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    valid = !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
    calendarDates.set(text, valid);
  }
  return valid;
}

const isNumeric = (type: string) => type === 'int' || type === 'double' || type === 'currency';

/** A CSV cell read by its field's type; text that does not fit stays text, for typeProblem to name. */
function fromText(field: FieldDef, text: unknown): unknown {
  if (typeof text !== 'string') return text;
  if (text === '') return field.type === 'boolean' ? false : null;
  if (field.type === 'boolean') return BOOLEAN.test(text) ? text.toLowerCase() === 'true' : text;
  if (isNumeric(field.type)) return NUMBER.test(text.trim()) ? Number(text.trim()) : text;
  if (field.type === 'date') return MIDNIGHT.exec(text)?.[1] ?? text;
  return text;
}

/** Why a value does not fit a field's type, or undefined when it does. References are checked later. */
function typeProblem(field: FieldDef, value: unknown): string | undefined {
  if (value === null) return field.type === 'boolean' ? 'must be true or false, not null' : undefined;
  switch (field.type) {
    case 'anyType':
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${show(value)} must be true or false`;
    case 'int':
    case 'double':
    case 'currency':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${show(value)} must be a number`;
      return field.type === 'int' && !Number.isInteger(value) ? `${show(value)} must be a whole number` : undefined;
    case 'date':
      return typeof value === 'string' && DATE.test(value) && isCalendarDate(value)
        ? undefined
        : `${show(value)} is not a date; use YYYY-MM-DD`;
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && isCalendarDate(value.slice(0, 10))
        ? undefined
        : `${show(value)} is not an ISO 8601 datetime such as 2026-11-29T09:30:00Z`;
    case 'reference':
      return typeof value === 'string'
        ? undefined
        : `${show(value)} must be the Id of a ${field.referenceTo} record, or null`;
    default:
      if (typeof value !== 'string') return `${show(value)} must be text`;
      if (field.length !== undefined && value.length > field.length) {
        return `${show(value)} is longer than ${field.length} characters`;
      }
      if (field.restrictedPicklist && field.picklistValues && !field.picklistValues.includes(value)) {
        return `${show(value)} is not one of ${field.picklistValues.map((v) => `'${v}'`).join(', ')}`;
      }
      if (field.type === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) return `${show(value)} is not an email address`;
      return undefined;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Fields by lower-cased API name: one map lookup per value, even for 100k records. */
function fieldIndex(def: ObjectDef): Map<string, FieldDef> {
  return new Map(def.fields.map((field) => [field.name.toLowerCase(), field]));
}

export function assemble(raw: RawRecord[], schema: Schema): Assembled {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const label = (e: { where: string; id?: string }) => `${e.where}${e.id ? ` (Id ${e.id})` : ''}`;
  const problem = (e: { where: string; id?: string }, text: string, field?: string) =>
    problems.push(`${label(e)}${field ? `, field ${field}` : ''}: ${text}`);

  // 1. Objects, Ids and references; mentions of one record merged.
  const mint = new IdMint('Ex0', 0);
  const refs = new Map<string, string>();
  const byId = new Map<string, Entry>();
  const order: Entry[] = [];
  const leftOut = new Map<string, number>();
  const indexes = new Map<string, Map<string, FieldDef>>();
  for (const record of raw) {
    const def = findObject(schema, record.type);
    if (!def) {
      leftOut.set(record.type, (leftOut.get(record.type) ?? 0) + 1);
      continue;
    }
    const index = indexes.get(def.name) ?? fieldIndex(def);
    indexes.set(def.name, index);
    const fields: Record<string, unknown> = {};
    let given: unknown;
    for (const [key, value] of Object.entries(record.fields)) {
      if (key.toLowerCase() === 'id') given = value;
      else fields[index.get(key.toLowerCase())?.name ?? key] = value;
    }
    let id: string | undefined;
    if (given !== undefined && given !== '' && given !== null) {
      if (!isRecordId(given)) {
        problem(record, `${show(given)} is not a Salesforce Id (15 or 18 letters and digits)`, 'Id');
        continue;
      }
      id = toId18(given);
      // Standard objects share one key prefix in every org; custom objects get theirs per org.
      if (!def.name.endsWith('__c') && !def.name.endsWith('__History') && !id.startsWith(def.keyPrefix)) {
        problem({ ...record, id }, `must start with ${def.keyPrefix}, the key prefix of ${def.name}`, 'Id');
        continue;
      }
    } else if (record.referenceId) {
      id = refs.get(record.referenceId) ?? mint.next(def.keyPrefix);
    } else {
      problem(record, 'missing; every record needs its Id', 'Id');
      continue;
    }
    if (record.referenceId) {
      const known = refs.get(record.referenceId);
      if (known && known !== id) problem({ ...record, id }, `the reference ${record.referenceId} names two records`);
      refs.set(record.referenceId, id);
    }
    const entry: Entry = { def, id, fields, where: record.where, nested: record.nested, textual: record.textual };
    const existing = byId.get(id);
    if (!existing) {
      byId.set(id, entry);
      order.push(entry);
    } else if (existing.def !== def) {
      problem(entry, `${id} is also the Id of a ${existing.def.name} record (${existing.where})`, 'Id');
    } else if (!existing.nested && !entry.nested) {
      problem(entry, `duplicate Id, already used by ${existing.where}`, 'Id');
    } else {
      // A nested mention adds what the full record lacks; the full record's values win.
      const [full, mention] = existing.nested && !entry.nested ? [entry, existing] : [existing, entry];
      existing.fields = { ...mention.fields, ...full.fields };
      existing.where = full.where;
      existing.nested = full.nested;
      existing.textual = full.textual;
    }
  }
  for (const [type, n] of leftOut) {
    notes.push(`${plural(n, `${type} record`)} left out: the embedded LMO serves no ${type}`);
  }

  const resolveRef = (value: unknown): unknown =>
    typeof value === 'string' && value.startsWith('@') && refs.has(value.slice(1)) ? refs.get(value.slice(1)) : value;

  // 2. Values read by their field's type; formula values restore the stored field they show.
  const unknownFields = new Map<string, Set<string>>();
  for (const entry of order) {
    const index = indexes.get(entry.def.name)!;
    for (const [key, value] of Object.entries(entry.fields)) {
      const field = index.get(key.toLowerCase());
      if (!field?.formula) continue;
      delete entry.fields[key];
      const typed = entry.textual ? fromText(field, value) : value;
      const wrong = typeProblem(field, typed);
      if (wrong) problem(entry, wrong, field.name);
      else if (field.formulaSource && entry.fields[field.formulaSource.field] === undefined && typed !== null) {
        const restored = field.formulaSource.restore(typed);
        if (restored !== undefined) entry.fields[field.formulaSource.field] = restored;
      }
    }
    for (const [key, value] of Object.entries(entry.fields)) {
      const field = index.get(key.toLowerCase());
      if (!field) {
        const names = unknownFields.get(entry.def.name) ?? new Set<string>();
        unknownFields.set(entry.def.name, names.add(key));
        continue;
      }
      let typed = entry.textual ? fromText(field, value) : value;
      if (field.type === 'reference') typed = resolveRef(typed);
      const wrong = typeProblem(field, typed);
      if (wrong) problem(entry, wrong, field.name);
      else if (field.type === 'reference' && typeof typed === 'string') {
        if (typed.startsWith('@')) {
          // An unresolved reference: counted with the missing lookups below.
        } else if (!isRecordId(typed)) {
          problem(entry, `${show(typed)} is not the Id of a ${field.referenceTo} record`, field.name);
        } else typed = toId18(typed);
      }
      entry.fields[key] = typed;
    }
  }

  // 3. Fields the schema does not know: custom ones typed by their values, standard ones kept as text.
  for (const [objectName, names] of unknownFields) {
    const entries = order.filter((e) => e.def.name === objectName);
    for (const name of names) {
      const custom = name.endsWith('__c');
      const texts = entries.filter((e) => e.textual && typeof e.fields[name] === 'string' && e.fields[name] !== '');
      const kind = custom ? textKind(texts.map((e) => e.fields[name] as string)) : 'text';
      for (const entry of entries) {
        const value = entry.fields[name];
        if (value === undefined) continue;
        if (value === '' || value === null) entry.fields[name] = null;
        else if (!custom) entry.fields[name] = typeof value === 'string' ? value : JSON.stringify(value);
        else if (typeof value === 'string' && entry.textual && kind === 'boolean')
          entry.fields[name] = value.toLowerCase() === 'true';
        else if (typeof value === 'string' && entry.textual && kind === 'number') entry.fields[name] = Number(value);
        else if (typeof value === 'string') entry.fields[name] = resolveRef(value);
      }
    }
  }

  const data: OrgData = {};
  for (const name of Object.keys(schema)) data[name] = [];
  for (const entry of order) data[entry.def.name].push({ Id: entry.id, ...entry.fields } as SObjectRecord);
  const extended = extendSchema(schema, data);

  // 4. Lookups: to a record the export should hold, or kept as a bare Id where it holds none of that object. An
  // object counts as held when the export has records of its own; parents named inside other records do not.
  const held = new Set(order.filter((e) => !e.nested).map((e) => e.def.name));
  const bare = new Map<string, number>();
  const missing = new Map<string, { entry: Entry; id: string; target: string; count: number }>();
  const addMissing = (entry: Entry, objectName: string, fieldName: string, id: string, target: string) => {
    const key = `${objectName}.${fieldName}`;
    const seen = missing.get(key);
    if (seen) seen.count += 1;
    else missing.set(key, { entry, id, target, count: 1 });
  };
  for (const entry of order) {
    const def = extended.schema[entry.def.name];
    for (const field of def.fields) {
      if (field.type !== 'reference' || !field.referenceTo) continue;
      const value = entry.fields[field.name];
      if (typeof value !== 'string') continue;
      const queue = field.name === 'OwnerId' && value.startsWith(QUEUE_PREFIX);
      const target = queue ? 'Group' : field.referenceTo;
      if (value.startsWith('@')) {
        addMissing(entry, def.name, field.name, value, target);
        continue;
      }
      const found = byId.get(value);
      if (found) {
        if (found.def.name !== target) {
          problem(entry, `${value} is a ${found.def.name} record; it must be a ${target}`, field.name);
        }
        continue;
      }
      const standardPrefix = !target.endsWith('__c') && findObject(schema, target)?.keyPrefix;
      const other = Object.values(schema).find((o) => !o.name.endsWith('__c') && o.keyPrefix === value.slice(0, 3));
      if (!queue && standardPrefix && !value.startsWith(standardPrefix) && other) {
        problem(entry, `${value} is the Id of a ${other.name} record; it must be a ${target}`, field.name);
        continue;
      }
      const servedAndHeld = findObject(schema, target) !== undefined && held.has(target);
      if (servedAndHeld && !AUDIT_LOOKUPS.has(field.name)) {
        addMissing(entry, def.name, field.name, value, target);
        continue;
      }
      if (findObject(schema, target) === undefined && !queue) continue;
      const key = `${def.name}.${field.name}\u0000${target}`;
      bare.set(key, (bare.get(key) ?? 0) + 1);
    }
  }
  for (const [key, { entry, id, target, count }] of missing) {
    const [objectName, fieldName] = key.split('.');
    const more =
      count > 1 ? ` (and ${count - 1} more ${objectName} records whose ${fieldName} names a missing ${target})` : '';
    const what = id.startsWith('@')
      ? `${show(id)} names no record of the export (no referenceId ${id.slice(1)})`
      : `no ${target} with Id ${id} in the export`;
    problem(entry, `${what}${more}`, fieldName);
  }
  for (const [key, count] of bare) {
    const [path, target] = key.split('\u0000');
    const field = findField(extended.schema[path.split('.')[0]], path.split('.')[1]);
    const relationship = field?.relationshipName ? ` (${field.relationshipName} reads null)` : '';
    notes.push(
      `${path}: ${plural(count, 'lookup')} to ${target} records the export does not hold, kept as bare Ids${relationship}`,
    );
  }
  if (problems.length > 0) return { data, summary: [], problems };

  typeHistoryValues(data, extended.schema);
  return { data, summary: [...summaryLines(order, extended.inferred, Object.keys(schema)), ...notes], problems };
}

/** How a custom field's CSV text reads: checkboxes, numbers, else text (dates and datetimes are text already). */
function textKind(texts: string[]): 'boolean' | 'number' | 'text' {
  if (texts.length === 0) return 'text';
  if (texts.every((t) => BOOLEAN.test(t))) return 'boolean';
  if (texts.every((t) => NUMBER.test(t.trim()))) return 'number';
  return 'text';
}

/** History values as the tracked field's type: numbers for seats, checkboxes as true/false. */
function typeHistoryValues(data: OrgData, schema: Schema): void {
  const license = schema.sfLma__License__c;
  const rows = data.sfLma__License__History;
  if (!license || !rows) return;
  for (const row of rows) {
    const field = typeof row.Field === 'string' ? findField(license, row.Field) : undefined;
    if (!field) continue;
    for (const key of ['OldValue', 'NewValue']) {
      const value = row[key];
      if (typeof value !== 'string') continue;
      if (value === '') row[key] = null;
      else if (isNumeric(field.type) && NUMBER.test(value.trim())) row[key] = Number(value.trim());
      else if (field.type === 'boolean' && BOOLEAN.test(value)) row[key] = value.toLowerCase() === 'true';
    }
  }
}

const TYPE_WORDS: Record<string, string> = {
  double: 'number',
  boolean: 'checkbox',
  string: 'text',
  textarea: 'long text',
  date: 'date',
  datetime: 'datetime',
};

function summaryLines(order: Entry[], inferred: InferredField[], schemaOrder: string[]): string[] {
  const counts = new Map<string, { all: number; nested: number }>();
  for (const entry of order) {
    const c = counts.get(entry.def.name) ?? { all: 0, nested: 0 };
    c.all += 1;
    if (entry.nested) c.nested += 1;
    counts.set(entry.def.name, c);
  }
  const inSchemaOrder = [...counts].sort(([a], [b]) => schemaOrder.indexOf(a) - schemaOrder.indexOf(b));
  return inSchemaOrder.map(([name, { all, nested }]) => {
    const parts = [`${name}: ${plural(all, 'record')}`];
    if (nested > 0) parts[0] += ` (${nested === all ? 'all' : nested} made from the parents named in other records)`;
    const mine = inferred.filter((i) => i.object === name);
    const custom = mine.filter((i) => i.field.name.endsWith('__c'));
    const text = mine.filter((i) => !i.field.name.endsWith('__c'));
    if (custom.length > 0) {
      const typed = custom.map(({ field }) =>
        field.type === 'reference'
          ? `${field.name} (lookup to ${field.referenceTo})`
          : `${field.name} (${TYPE_WORDS[field.type]})`,
      );
      parts.push(`custom fields inferred: ${typed.join(', ')}`);
    }
    if (text.length > 0)
      parts.push(`unknown standard fields kept as text: ${text.map((i) => i.field.name).join(', ')}`);
    return parts.join('; ');
  });
}
