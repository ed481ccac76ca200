/**
 * ORDER BY: several keys, ASC/DESC, NULLS FIRST/LAST with Salesforce's defaults (ASC puts nulls
 * first, DESC puts them last). Keys are computed once per row, not once per comparison.
 */
import type { OrderByClause } from '@jetstreamapp/soql-parser-js';
import type { FieldDef, FieldType } from '../schema.js';
import { comparisonKey } from './conditions.js';
import type { QueryContext } from './context.js';
import { atToken } from './errors.js';
import type { Column } from './indexes.js';

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
  /** The field of the object itself it sorts by (undefined: a parent's, through a lookup). */
  field?: FieldDef;
  /**
   * An index's column of the key (RecordIndexes.column): ranks by a record's position in its object, which order
   * records as their keys do; a sort told the rows' positions reads these instead of every row's value.
   */
  column?: () => Column | undefined;
}

export function sortDirection(clause: OrderByClause): { descending: boolean; nullsFirst: boolean } {
  const descending = clause.order === 'DESC';
  return { descending, nullsFirst: clause.nulls ? clause.nulls === 'FIRST' : !descending };
}

/** Rows in the keys' order, ties in the order given; `positionOf` (row i's position in its object) lets ranks be used. */
export function sortRows<T>(rows: T[], keys: SortKey<T>[], positionOf?: (i: number) => number): T[] {
  if (keys.length === 0) return rows;
  const ranked = positionOf && keys.map((k) => k.column?.());
  if (ranked?.every((c) => c !== undefined)) {
    const packed = sortPacked(rows, keys, ranked as Column[], positionOf as (i: number) => number);
    if (packed) return packed;
  }
  // One column of comparable keys per ORDER BY item; the sort then permutes row indexes.
  const columns = keys.map((k) =>
    rows.map((row) => {
      const value = k.read(row);
      return value == null ? null : comparisonKey(k.type, value);
    }),
  );
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

/**
 * The same order when every key has a column: each row's ranks, turned as its key asks (direction, nulls' end), and
 * its index packed into one integer, so a numeric sort of those (no comparator) orders the rows. Undefined when the
 * packed values would not all be exact in a double.
 */
function sortPacked<T>(
  rows: T[],
  keys: SortKey<T>[],
  columns: Column[],
  positionOf: (i: number) => number,
): T[] | undefined {
  const n = rows.length;
  // Each key takes its distinct values and a null: that many places.
  const places = columns.map((c) => c.keys.length + 1);
  if (places.reduce((product, p) => product * p, n) > Number.MAX_SAFE_INTEGER) return undefined;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = positionOf(i);
    let value = 0;
    for (let c = 0; c < keys.length; c++) {
      const rank = columns[c].ranks[at];
      const last = places[c] - 1;
      const { descending, nullsFirst } = keys[c];
      const place = rank < 0 ? (nullsFirst ? 0 : last) : (descending ? last - 1 - rank : rank) + (nullsFirst ? 1 : 0);
      value = value * places[c] + place;
    }
    packed[i] = value * n + i;
  }
  packed.sort();
  const sorted: T[] = new Array(n);
  for (let j = 0; j < n; j++) sorted[j] = rows[packed[j] % n];
  return sorted;
}

/** OFFSET then LIMIT, as Salesforce applies them. */
export function page<T>(rows: T[], offset: number | undefined, limit: number | undefined): T[] {
  const { start, end } = pageBounds(rows.length, offset, limit);
  return start === 0 && end === rows.length ? rows : rows.slice(start, end);
}

/** Where OFFSET and LIMIT cut `length` rows: from `start` to before `end` (a count's page needs no rows). */
export function pageBounds(
  length: number,
  offset: number | undefined,
  limit: number | undefined,
): { start: number; end: number } {
  const start = Math.min(offset ?? 0, length);
  return { start, end: limit === undefined ? length : Math.min(length, start + limit) };
}
