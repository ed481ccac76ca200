/**
 * `LMO_DATA=path/to/file.json`: a dataset for the embedded LMO instead of the demo. One JSON
 * object keyed by sObject API name, each an array of records keyed by field API name. Every
 * problem is collected before failing, so one run tells the author everything to fix.
 */
import { readFileSync } from 'node:fs';
import type { FieldDef, ObjectDef, OrgData, Schema, SObjectRecord } from './schema.js';
import { findObject } from './schema.js';

/** Problems listed in the message; the full list stays on `problems`. */
const MAX_LISTED_PROBLEMS = 20;

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `  - ${p}`);
    const more = problems.length - listed.length;
    if (more > 0) listed.push(`  … and ${more} more problem${more === 1 ? '' : 's'}`);
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`LMO data file ${file} cannot be loaded (${count}):\n${listed.join('\n')}`);
    this.name = 'DataFileError';
  }
}

/** Reads and validates a dataset file; throws DataFileError naming the file, record and field. */
export function loadOrgData(file: string, schema: Schema): OrgData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DataFileError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, [`not valid JSON: ${describeJsonError(error as Error, text)}`]);
  }
  return validateOrgData(raw, schema, file);
}

/** Node's JSON errors give a character position; people need a line and column. */
function describeJsonError(error: Error, text: string): string {
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error.message} (line ${line}, column ${column})`;
}

const ID_PATTERN = /^[a-zA-Z0-9]{18}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Why a value does not fit a field's type, or undefined when it does. References are checked later. */
function typeProblem(field: FieldDef, value: unknown): string | undefined {
  if (value === null) return field.type === 'boolean' ? 'must be true or false, not null' : undefined;
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${show(value)} must be true or false`;
    case 'int':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${show(value)} must be a number`;
      return field.type === 'int' && !Number.isInteger(value) ? `${show(value)} must be a whole number` : undefined;
    case 'date':
      return typeof value === 'string' && DATE_PATTERN.test(value) && isCalendarDate(value)
        ? undefined
        : `${show(value)} is not a date; use YYYY-MM-DD`;
    case 'datetime':
      return typeof value === 'string' && DATETIME_PATTERN.test(value) && isCalendarDate(value.slice(0, 10))
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
      if (field.picklistValues && !field.picklistValues.includes(value)) {
        return `${show(value)} is not one of ${field.picklistValues.map((v) => `'${v}'`).join(', ')}`;
      }
      if (field.type === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) return `${show(value)} is not an email address`;
      return undefined;
  }
}

/** Where a problem is: the object, the record's position in its array, and its Id when it has one. */
function recordLabel(def: ObjectDef, index: number, id: unknown): string {
  return typeof id === 'string' ? `${def.name}[${index}] (Id ${id})` : `${def.name}[${index}]`;
}

/**
 * Checks a parsed dataset against the schema and returns it with API names in their canonical
 * case, every schema object present and unset checkboxes false (Salesforce has no null booleans).
 */
export function validateOrgData(raw: unknown, schema: Schema, file: string): OrgData {
  if (!isPlainObject(raw)) {
    throw new DataFileError(file, [
      'the file must hold one JSON object whose keys are sObject API names (e.g. "sfLma__License__c") and whose values are arrays of records',
    ]);
  }
  const problems: string[] = [];
  // First every object's records and Ids, so that lookups can be checked in any order.
  const objects: { def: ObjectDef; rows: unknown[] }[] = [];
  for (const [key, rows] of Object.entries(raw)) {
    const def = findObject(schema, key);
    if (!def) problems.push(`unknown object "${key}"; the objects are ${Object.keys(schema).join(', ')}`);
    else if (!Array.isArray(rows))
      problems.push(`${def.name}: must be an array of records, got ${show(rows).slice(0, 40)}`);
    else objects.push({ def, rows });
  }
  const objectOfId = new Map<string, string>();
  for (const { def, rows } of objects) {
    for (const [index, row] of rows.entries()) registerId(def, row, index, objectOfId, problems);
  }

  const data: OrgData = {};
  for (const name of Object.keys(schema)) data[name] = [];
  for (const { def, rows } of objects) {
    const fields = fieldIndex(def);
    const checkboxes = def.fields.filter((f) => f.type === 'boolean' && !f.formula);
    rows.forEach((row, index) => {
      if (!isPlainObject(row)) return;
      const record = validateFields(def, fields, row, index, objectOfId, problems);
      for (const box of checkboxes) record[box.name] ??= false;
      data[def.name].push(record);
    });
  }
  if (problems.length > 0) throw new DataFileError(file, problems);
  return data;
}

/** Fields by exact and by lower-cased API name: one map lookup per value, even for 100k records. */
function fieldIndex(def: ObjectDef): Map<string, FieldDef> {
  const index = new Map<string, FieldDef>();
  for (const field of def.fields) index.set(field.name.toLowerCase(), field).set(field.name, field);
  return index;
}

function registerId(def: ObjectDef, row: unknown, index: number, objectOfId: Map<string, string>, problems: string[]) {
  if (!isPlainObject(row)) {
    problems.push(`${def.name}[${index}]: a record must be a JSON object, got ${show(row).slice(0, 40)}`);
    return;
  }
  const id = row.Id ?? row.id ?? row.ID;
  const where = recordLabel(def, index, id);
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    problems.push(
      `${def.name}[${index}], field Id: ${id === undefined ? 'missing' : `${show(id)} is not an 18-character Salesforce Id`}`,
    );
  } else if (objectOfId.has(id)) {
    problems.push(`${where}, field Id: duplicate Id, already used by a ${objectOfId.get(id)} record`);
  } else {
    objectOfId.set(id, def.name);
    if (!id.startsWith(def.keyPrefix)) {
      problems.push(`${where}, field Id: must start with ${def.keyPrefix}, the key prefix of ${def.name}`);
    }
  }
}

/** A copy of the record with canonical field names; each bad field adds a problem. */
function validateFields(
  def: ObjectDef,
  fields: Map<string, FieldDef>,
  row: Record<string, unknown>,
  index: number,
  objectOfId: Map<string, string>,
  problems: string[],
): SObjectRecord {
  const record: Record<string, unknown> = { ...row };
  const problem = (text: string, field?: string) =>
    problems.push(`${recordLabel(def, index, row.Id)}${field ? `, field ${field}` : ''}: ${text}`);
  for (const key in row) {
    const field = fields.get(key) ?? fields.get(key.toLowerCase());
    if (!field) {
      problem(`unknown field "${key}" on ${def.name}`);
      continue;
    }
    if (field.name !== key) {
      delete record[key];
      record[field.name] = row[key];
    }
    const value = row[key];
    if (field.type === 'id') continue;
    if (field.formula) {
      problem('a formula field, computed from the record; leave it out', field.name);
      continue;
    }
    const typeError = typeProblem(field, value);
    if (typeError) problem(typeError, field.name);
    else if (field.type === 'reference' && typeof value === 'string' && objectOfId.get(value) !== field.referenceTo) {
      const target = objectOfId.get(value);
      problem(
        target
          ? `${value} is a ${target} record; it must be a ${field.referenceTo}`
          : `no ${field.referenceTo} with Id ${value} in the file`,
        field.name,
      );
    }
  }
  return record as SObjectRecord;
}
