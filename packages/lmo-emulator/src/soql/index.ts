/**
 * SOQL over the embedded LMO's in-memory records, with Salesforce's semantics, result shape and
 * error codes. A construct the emulator does not implement ends in EMULATOR_UNSUPPORTED, never in
 * a silently different answer.
 */

import type { Query } from '@jetstreamapp/soql-parser-js';
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { Org } from '../org.js';
import { dateInZone } from './dates.js';
import { malformed } from './errors.js';
import type { RecordIndexes } from './indexes.js';
import type { QueryPages, QueryResult } from './query.js';
import { runQueryPages } from './query.js';

export type { SoqlErrorCode } from './errors.js';
export { SoqlError } from './errors.js';
export { INDEXED_FIELDS, RecordIndexes } from './indexes.js';
export type { QueryPages, QueryResult } from './query.js';

export interface QueryOptions {
  /** The org's clock. */
  now: Date;
  /** IANA zone the date literals (TODAY, LAST_N_DAYS:n …) are evaluated in. */
  timezone: string;
  /** e.g. '62.0', for attributes.url. */
  apiVersion: string;
  /** queryAll: deleted records (IsDeleted = true) too. Default false. */
  includeDeleted?: boolean;
  /** Field indexes to narrow WHERE clauses with (indexes.ts); without, every query reads all of its object. */
  indexes?: RecordIndexes;
  /** Adds the records the query read (its WHERE tested them) to `rows`: all of the object's, unless an index narrowed it. */
  examined?: { rows: number };
}

/**
 * Queries parsed lately, by their text: the bot sends the same few again and again, and parsing one of seat health's
 * long ones costs more than answering it from the indexes. The engine only reads a parsed query.
 */
const parsed = new Map<string, Query>();
const PARSED_KEPT = 500;

function parse(soql: string): Query {
  const known = parsed.get(soql);
  if (known) return known;
  let query: Query;
  try {
    query = parseQuery(soql);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw malformed(`Could not parse the query: ${detail}`);
  }
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(soql, query);
  return query;
}

export function executeSoql(org: Org, soql: string, options: QueryOptions): QueryResult {
  const pages = executeSoqlPages(org, soql, options);
  return { totalSize: pages.totalSize, records: pages.slice(0, pages.size) };
}

/** The same answer, its records projected page by page as the server sends them (a 100,000-row answer's first page costs one page). */
export function executeSoqlPages(org: Org, soql: string, options: QueryOptions): QueryPages {
  const query = parse(soql);
  const today = dateInZone(options.now.getTime(), options.timezone);
  return runQueryPages(
    {
      org,
      dates: { today, timezone: options.timezone },
      sobjectsUrl: `/services/data/v${options.apiVersion}/sobjects/`,
      soql,
      includeDeleted: options.includeDeleted ?? false,
      indexes: options.indexes,
      examined: options.examined ?? { rows: 0 },
    },
    query,
  );
}
