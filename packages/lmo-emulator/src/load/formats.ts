/**
 * The four forms an export comes in, read into RawRecords:
 * 1. today's format: one JSON object, sObject name → array of records;
 * 2. a query result: `sf data query --json` (`{"status":0,"result":{"records":[…]}}`), the REST API's
 *    `{"records":[…],"totalSize":…,"done":true}` or just `{"records":[…]}`;
 * 3. `sf data export tree`: `{"records":[…]}` with `attributes.referenceId` and `"@Ref"` lookups, and its
 *    `*-plan.json` listing them (read in documents.ts);
 * 4. CSV as Data Loader and Setup's Data Export write it: a file named after the object, a header row of field
 *    API names, every value text.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { Schema } from '../schema.js';
import { findObject, findRelationship } from '../schema.js';
import {
  contentReference,
  isPlainObject,
  lookupFieldOf,
  type Problem,
  type RawRecord,
  show,
  walkJsonRecord,
} from './records.js';

/** A plan entry of `sf data export tree --plan`: the object and its record files (strings, or `{file}` in older plans). */
export interface PlanEntry {
  sobject: string;
  files: string[];
}

/** A parsed JSON file is a plan when it is an array of `{sobject, files}`. */
export function planEntries(value: unknown): PlanEntry[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const entries: PlanEntry[] = [];
  for (const item of value) {
    if (!isPlainObject(item) || typeof item.sobject !== 'string' || !Array.isArray(item.files)) return undefined;
    const files = item.files.map((file) => (isPlainObject(file) ? file.file : file));
    if (!files.every((file): file is string => typeof file === 'string')) return undefined;
    entries.push({ sobject: item.sobject, files });
  }
  return entries;
}

/** The records of a parsed JSON file (not a plan); `label` prefixes every place named in a problem. */
export function jsonRecords(
  value: unknown,
  schema: Schema,
  label: string,
): { records: RawRecord[]; problems: Problem[] } {
  const ctx = { schema, out: [] as RawRecord[], problems: [] as Problem[] };
  const at = (where: string) => `${label}${where}`;
  let body = value;
  if (isPlainObject(body) && typeof body.status === 'number' && !Array.isArray(body.records)) {
    if (body.status !== 0 || !isPlainObject(body.result)) {
      const message = typeof body.message === 'string' ? body.message : 'no result';
      ctx.problems.push(
        `${at('')}the output of a Salesforce CLI command that failed (status ${body.status}): ${message}`,
      );
      return { records: [], problems: ctx.problems };
    }
    body = body.result;
  }
  if (isPlainObject(body) && Array.isArray(body.records)) {
    for (const [i, row] of body.records.entries()) walkJsonRecord(ctx, row, at(`records[${i}]`));
  } else if (isPlainObject(body)) {
    for (const [key, rows] of Object.entries(body)) {
      if (!Array.isArray(rows)) {
        ctx.problems.push(`${at('')}${key}: must be an array of records, got ${show(rows).slice(0, 40)}`);
        continue;
      }
      for (const [i, row] of rows.entries()) walkJsonRecord(ctx, row, at(`${key}[${i}]`), key);
    }
  } else {
    ctx.problems.push(
      `${at('')}not an export the embedded LMO reads: expected a JSON object whose keys are sObject API names (e.g. "sfLma__License__c") and whose values are arrays of records, a query result ({"records": […]}, as sf data query --json writes it) or an sf data export tree file or plan`,
    );
  }
  return { records: ctx.out, problems: ctx.problems };
}

/** Where the text of a CSV record starts: its last line less the line breaks inside it. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

/**
 * The records of a CSV file of one object. Columns named `relationship.Field` (`sfLma__Account__r.Name`) make
 * the parent record, as a query's nested parent does.
 */
export function csvRecords(
  text: string,
  objectName: string,
  schema: Schema,
  label: string,
): { records: RawRecord[]; problems: Problem[] } {
  let rows: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    rows = parse(text, { bom: true, columns: true, info: true, raw: true, skip_empty_lines: true });
  } catch (error) {
    const line = error instanceof CsvError && typeof (error as { lines?: number }).lines === 'number';
    const where = line ? `line ${(error as unknown as { lines: number }).lines}: ` : '';
    return { records: [], problems: [`${label}${where}not valid CSV: ${(error as Error).message}`] };
  }
  const def = findObject(schema, objectName);
  const records: RawRecord[] = [];
  for (const { record: row, info, raw } of rows) {
    const where = `${label}line ${startLine(info.lines, raw)}`;
    const fields: Record<string, unknown> = {};
    const parents = new Map<string, Record<string, unknown>>();
    for (const [column, text] of Object.entries(row)) {
      const dot = column.indexOf('.');
      if (dot < 0) {
        fields[column] = text;
        continue;
      }
      const relationship = column.slice(0, dot);
      const parent = parents.get(relationship) ?? {};
      parent[column.slice(dot + 1)] = text;
      parents.set(relationship, parent);
    }
    for (const [relationship, parentFields] of parents) {
      if (Object.values(parentFields).every((v) => v === '')) continue;
      const lookup = def ? lookupFieldOf(def, relationship) : `${relationship}Id`;
      // Without the schema's relationship the parent's object is unknown: such columns are left out.
      const target = def && findRelationship(def, relationship)?.referenceTo;
      if (!target) continue;
      const key = Object.keys(fields).find((k) => k.toLowerCase() === lookup.toLowerCase());
      const id = key ? fields[key] : undefined;
      const referenceId = id ? undefined : contentReference(target, parentFields);
      records.push({
        type: target,
        fields: id ? { ...parentFields, Id: id } : parentFields,
        where: `${where}, ${relationship}`,
        textual: true,
        nested: true,
        referenceId,
      });
      if (!id) fields[lookup] = `@${referenceId}`;
    }
    records.push({ type: objectName, fields, where, textual: true, nested: false });
  }
  return { records, problems: [] };
}
