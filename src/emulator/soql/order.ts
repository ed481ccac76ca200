/**
 * ORDER BY: several keys, ASC/DESC, NULLS FIRST/LAST with Salesforce's defaults (ASC puts nulls
 * first, DESC puts them last). Keys are computed once per row, not once per comparison.
 */
import type { OrderByClause } from '@jetstreamapp/soql-parser-js';
import type { FieldType } from '../schema.js';
import { comparisonKey } from './conditions.js';

export interface SortKey<T> {
  type: FieldType;
  read: (row: T) => unknown;
  descending: boolean;
  nullsFirst: boolean;
}

export function sortDirection(clause: OrderByClause): { descending: boolean; nullsFirst: boolean } {
  const descending = clause.order === 'DESC';
  return { descending, nullsFirst: clause.nulls ? clause.nulls === 'FIRST' : !descending };
}

export function sortRows<T>(rows: T[], keys: SortKey<T>[]): T[] {
  if (keys.length === 0) return rows;
  const decorated = rows.map((row) => ({
    row,
    values: keys.map((k) => {
      const value = k.read(row);
      return value == null ? null : comparisonKey(k.type, value);
    }),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x === y) continue;
      if (x === null) return keys[i].nullsFirst ? -1 : 1;
      if (y === null) return keys[i].nullsFirst ? 1 : -1;
      const order = x < y ? -1 : 1;
      return keys[i].descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

/** OFFSET then LIMIT, as Salesforce applies them. */
export function page<T>(rows: T[], offset: number | undefined, limit: number | undefined): T[] {
  const start = offset ?? 0;
  return start === 0 && (limit === undefined || limit >= rows.length) ? rows : rows.slice(start, limit === undefined ? undefined : start + limit);
}
