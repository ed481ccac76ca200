/**
 * ORDER BY: several keys, ASC/DESC, NULLS FIRST/LAST with Salesforce's defaults (ASC puts nulls
 * first, DESC puts them last). Keys are computed once per row, not once per comparison.
 */
import type { OrderByClause } from '@jetstreamapp/soql-parser-js';
import type { FieldType } from '../schema.js';
import { comparisonKey } from './conditions.js';
import type { QueryContext } from './context.js';
import { atToken } from './errors.js';

/** Salesforce's ceiling on OFFSET, in a query and in a child sub-query alike. */
const MAX_OFFSET = 2000;

export function assertOffset(ctx: QueryContext, offset: number | undefined): void {
  if (offset !== undefined && offset > MAX_OFFSET) {
    throw atToken('NUMBER_OUTSIDE_VALID_RANGE', ctx.soql, 'OFFSET', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }
}

export interface SortKey<T> {
  type: FieldType;
  read: (row: T) => unknown;
  descending: boolean;
  nullsFirst: boolean;
  /** No two rows share it (a record's own Id): the sort then orders rows whatever order they came in. */
  unique?: boolean;
  /**
   * An index's ranks of the key by a record's position in its object (-1: null), which order records as their keys
   * do; a sort told the rows' positions reads these instead of every row's value.
   */
  ranks?: () => Int32Array | undefined;
}

export function sortDirection(clause: OrderByClause): { descending: boolean; nullsFirst: boolean } {
  const descending = clause.order === 'DESC';
  return { descending, nullsFirst: clause.nulls ? clause.nulls === 'FIRST' : !descending };
}

/** Rows in the keys' order, ties in the order given; `positionOf` (row i's position in its object) lets ranks be used. */
export function sortRows<T>(rows: T[], keys: SortKey<T>[], positionOf?: (i: number) => number): T[] {
  if (keys.length === 0) return rows;
  // One column of comparable keys per ORDER BY item; the sort then permutes row indexes.
  const columns = keys.map((k) => {
    const ranks = positionOf && k.ranks?.();
    if (ranks) {
      return rows.map((_, i) => {
        const rank = ranks[positionOf(i)];
        return rank < 0 ? null : rank;
      });
    }
    return rows.map((row) => {
      const value = k.read(row);
      return value == null ? null : comparisonKey(k.type, value);
    });
  });
  const directions = keys.map((k) => (k.descending ? -1 : 1));
  const nullOrder = keys.map((k) => (k.nullsFirst ? -1 : 1));
  const indexes = rows.map((_, i) => i);
  indexes.sort((a, b) => {
    for (let c = 0; c < columns.length; c++) {
      const x = columns[c][a];
      const y = columns[c][b];
      if (x === y) continue;
      if (x === null) return nullOrder[c];
      if (y === null) return -nullOrder[c];
      return x < y ? -directions[c] : directions[c];
    }
    return a - b;
  });
  return indexes.map((i) => rows[i]);
}

/** OFFSET then LIMIT, as Salesforce applies them. */
export function page<T>(rows: T[], offset: number | undefined, limit: number | undefined): T[] {
  const start = offset ?? 0;
  return start === 0 && (limit === undefined || limit >= rows.length)
    ? rows
    : rows.slice(start, limit === undefined ? undefined : start + limit);
}
