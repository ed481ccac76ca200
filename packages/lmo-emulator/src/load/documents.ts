/**
 * `LMO_DATA` names a file or a folder. A folder's `*.json` and `*.csv` files are read in name order; a plan of
 * `sf data export tree --plan` reads the files it lists (once, even when the folder holds them too).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Schema } from '../schema.js';
import { findObject } from '../schema.js';
import { csvRecords, jsonRecords, planEntries } from './formats.js';
import type { Problem, RawRecord } from './records.js';

export interface ExportContents {
  records: RawRecord[];
  problems: Problem[];
  /** Files read, as named in messages. */
  files: string[];
  /** Start-up notes (files left out). */
  notes: string[];
}

const READABLE = new Set(['.json', '.csv']);

/** Node's JSON errors give a character position; people need a line and column. */
export function describeJsonError(error: Error, text: string): string {
  const position = /at position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${error.message} (line ${line}, column ${column})`;
}

/** Reads every record of a file or folder; problems name the file (relative to a folder) and the place in it. */
export function readExport(root: string, schema: Schema): ExportContents {
  const contents: ExportContents = { records: [], problems: [], files: [], notes: [] };
  let isFolder: boolean;
  try {
    isFolder = statSync(root).isDirectory();
  } catch (error) {
    contents.problems.push(`cannot read the file: ${(error as Error).message}`);
    return contents;
  }
  const base = isFolder ? root : dirname(root);
  const name = (path: string) => relative(base, path) || basename(path);
  const paths = isFolder
    ? readdirSync(root)
        .filter((entry) => READABLE.has(extname(entry).toLowerCase()))
        .sort()
        .map((entry) => join(root, entry))
    : [root];
  const parsed = new Map<string, unknown>();
  const viaPlan = new Set<string>();
  for (const path of paths.filter((p) => extname(p).toLowerCase() === '.json')) {
    const value = parseJson(path, isFolder ? `${name(path)}: ` : '', contents);
    parsed.set(path, value);
    for (const entry of planEntries(value) ?? [])
      for (const file of entry.files) viaPlan.add(resolve(dirname(path), file));
  }
  // One file alone is named by the error's header; several are named in each problem.
  const label = (path: string) => (isFolder || viaPlan.size > 0 ? `${name(path)} ` : '');
  for (const path of paths) {
    if (viaPlan.has(resolve(path))) continue;
    if (extname(path).toLowerCase() === '.csv') {
      readCsv(path, label(path), schema, contents, isFolder);
      continue;
    }
    const value = parsed.get(path);
    if (value === undefined) continue;
    const plan = planEntries(value);
    if (!plan) {
      addJson(value, label(path), schema, contents, name(path));
      continue;
    }
    contents.files.push(name(path));
    for (const entry of plan) {
      for (const file of entry.files) {
        const target = resolve(dirname(path), file);
        const planned = parseJson(target, `${name(path)}: ${file}: `, contents);
        if (planned !== undefined) addJson(planned, `${name(target)} `, schema, contents, name(target));
      }
    }
  }
  return contents;
}

function parseJson(path: string, label: string, contents: ExportContents): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    contents.problems.push(`${label}cannot read the file: ${(error as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    contents.problems.push(`${label}not valid JSON: ${describeJsonError(error as Error, text)}`);
    return undefined;
  }
}

function addJson(value: unknown, label: string, schema: Schema, contents: ExportContents, file: string): void {
  const { records, problems } = jsonRecords(value, schema, label);
  contents.records.push(...records);
  contents.problems.push(...problems);
  contents.files.push(file);
}

function readCsv(path: string, label: string, schema: Schema, contents: ExportContents, inFolder: boolean): void {
  const objectName = basename(path, extname(path));
  if (!findObject(schema, objectName)) {
    const served = Object.keys(schema).join(', ');
    if (inFolder)
      contents.notes.push(`${basename(path)} left out: the embedded LMO serves no ${objectName} (it serves ${served})`);
    else {
      contents.problems.push(
        `cannot tell which object ${basename(path)} holds: name a CSV file after its object's API name, e.g. sfLma__License__c.csv (the objects are ${served})`,
      );
    }
    return;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    contents.problems.push(`${label}cannot read the file: ${(error as Error).message}`);
    return;
  }
  const { records, problems } = csvRecords(text, objectName, schema, label);
  contents.records.push(...records);
  contents.problems.push(...problems);
  contents.files.push(basename(path));
}
