/**
 * `LMO_DATA=path`: a dataset for the embedded LMO instead of the demo — a file or a folder of exports in any of the
 * forms load/formats.ts reads. Every problem is collected before failing, so one run tells the author everything
 * to fix, and nothing is half-loaded.
 */
import { statSync } from 'node:fs';
import { assemble } from './load/assemble.js';
import { readExport } from './load/documents.js';
import { jsonRecords } from './load/formats.js';
import type { OrgData, Schema } from './schema.js';

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
    super(`LMO data ${kindOf(file)} ${file} cannot be loaded (${count}):\n${listed.join('\n')}`);
    this.name = 'DataFileError';
  }
}

function kindOf(path: string): 'file' | 'folder' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'file';
  }
}

export interface LoadedData {
  data: OrgData;
  /** What start-up prints: one line per object loaded, fields inferred, lookups kept as bare Ids. */
  summary: string[];
  /** The files read, relative to a folder. */
  files: string[];
}

/** Reads and checks a file or folder of exports; throws DataFileError naming each file, line or record and field. */
export function loadLmoData(path: string, schema: Schema): LoadedData {
  const contents = readExport(path, schema);
  if (contents.files.length === 0 && contents.problems.length === 0) {
    throw new DataFileError(path, ['holds no .json or .csv file to load']);
  }
  const { data, summary, problems } = assemble(contents.records, schema);
  if (contents.problems.length + problems.length > 0)
    throw new DataFileError(path, [...contents.problems, ...problems]);
  return { data, summary: [...summary, ...contents.notes], files: contents.files };
}

/** The data of `loadLmoData`, for callers that need only it. */
export function loadOrgData(path: string, schema: Schema): OrgData {
  return loadLmoData(path, schema).data;
}

/** Checks already-parsed JSON (any of the JSON forms) as `loadLmoData` checks a file; `file` names it in errors. */
export function validateOrgData(raw: unknown, schema: Schema, file: string): OrgData {
  const read = jsonRecords(raw, schema, '');
  if (read.problems.length > 0) throw new DataFileError(file, read.problems);
  const { data, problems } = assemble(read.records, schema);
  if (problems.length > 0) throw new DataFileError(file, problems);
  return data;
}
