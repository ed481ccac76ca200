/** One parsed top-level query run over an org: FROM, WHERE, then either aggregation or records. */
import type { Query } from '@jetstreamapp/soql-parser-js';
import type { SObjectRecord } from '../schema.js';
import { isAggregateQuery, runAggregateQuery } from './aggregate.js';
import type { QueryContext } from './context.js';
import { atToken, malformed, SoqlError, unsupported } from './errors.js';
import { assertOffset, page, sortRows } from './order.js';
import { candidatePositions } from './plan.js';
import { compileProjection, compileRecordOrder } from './select.js';
import { compileWhereAt, resolveObject } from './where.js';

export interface QueryResult {
  totalSize: number;
  records: Record<string, unknown>[];
}

/**
 * A query's answer with its records put in Salesforce's shape a page at a time, as they are served: which records
 * and in what order is decided when the query runs; a page read later shows its records as they are then.
 */
export interface QueryPages {
  totalSize: number;
  /** Records the answer holds. */
  size: number;
  /** Records [start, end) of the answer, projected. */
  slice(start: number, end: number): Record<string, unknown>[];
}

const pagesOf = (records: Record<string, unknown>[], totalSize = records.length): QueryPages => ({
  totalSize,
  size: records.length,
  slice: (start, end) => records.slice(start, end),
});

/** The whole answer at once (executeSoql). */
export function runQuery(ctx: QueryContext, query: Query): QueryResult {
  const pages = runQueryPages(ctx, query);
  return { totalSize: pages.totalSize, records: pages.slice(0, pages.size) };
}

/** Clauses the emulator refuses outright rather than ignore. */
function assertSupported(query: Query): void {
  if (query.for) throw unsupported(`FOR ${query.for}`);
  if (query.update) throw unsupported(`UPDATE ${query.update}`);
  if (query.withSecurityEnforced) throw unsupported('WITH SECURITY_ENFORCED');
  if (query.withAccessLevel) throw unsupported(`WITH ${query.withAccessLevel}`);
  if (query.withDataCategory) throw unsupported('WITH DATA CATEGORY');
  if (query.usingScope) throw unsupported(`USING SCOPE ${query.usingScope}`);
}

/** Salesforce answers an aggregate query in one batch: it cannot be paged. */
const MAX_AGGREGATE_ROWS = 2000;

const isCountAll = (query: Query): boolean =>
  (query.fields ?? []).some(
    (f) =>
      f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'COUNT' && f.parameters.length === 0,
  );

export function runQueryPages(ctx: QueryContext, query: Query): QueryPages {
  assertSupported(query);
  assertOffset(ctx, query.offset);
  const def = resolveObject(ctx, query.sObject);
  const alias = query.sObjectAlias;
  const all = ctx.org.records(def.name, ctx.includeDeleted);
  const where = compileWhereAt(ctx, def, query.where, alias, all);
  const order = isAggregateQuery(query) ? [] : compileRecordOrder(ctx, def, query.orderBy, alias);
  // A count, or an order ending in ties no row shares, answers the same whatever order the records are read in.
  const anyOrder = isCountAll(query) || order.some((key) => key.unique);
  // Indexes cover the live records; queryAll's recycle bin is read in full.
  const offered =
    where && ctx.indexes && !ctx.includeDeleted && query.where
      ? candidatePositions(ctx, ctx.indexes, def, query.where, { alias, anyOrder })
      : undefined;
  // The rows WHERE keeps, and where each sits in `all` (an index's sort order is kept by position).
  let rows: SObjectRecord[] = all;
  let positionOf = (i: number) => i;
  if (where) {
    const read = offered ?? { length: all.length };
    ctx.examined.rows += read.length;
    rows = [];
    const positions: number[] = [];
    for (let i = 0; i < read.length; i++) {
      const at = offered ? offered[i] : i;
      if (!where(at)) continue;
      rows.push(all[at]);
      positions.push(at);
    }
    positionOf = (i) => positions[i];
  }

  if (isCountAll(query)) {
    if ((query.fields ?? []).length > 1) throw malformed('COUNT() must be the only element in the SELECT list');
    if (query.groupBy || query.having) throw unsupported('COUNT() with GROUP BY');
    return pagesOf([], page(rows, query.offset, query.limit).length);
  }
  if (isAggregateQuery(query)) {
    // The SOQL reference's own example of an invalid query is `SELECT MAX(CreatedDate) FROM Account LIMIT 1`.
    if (!query.groupBy && query.limit !== undefined) {
      throw atToken(
        'MALFORMED_QUERY',
        ctx.soql,
        'LIMIT',
        'LIMIT is not allowed in a query with aggregate functions but no GROUP BY',
      );
    }
    const records = runAggregateQuery(ctx, def, query, rows);
    if (records.length > MAX_AGGREGATE_ROWS) {
      throw new SoqlError(
        'EXCEEDED_ID_LIMIT',
        'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch',
      );
    }
    return pagesOf(records);
  }
  if (query.having) throw malformed('HAVING requires GROUP BY or an aggregate function');

  const projector = compileProjection(ctx, def, query.fields ?? [], { parentLimit: query.limit });
  const answer = page(sortRows(rows, order, positionOf), query.offset, query.limit);
  return {
    totalSize: answer.length,
    size: answer.length,
    slice: (start, end) => answer.slice(start, end).map(projector),
  };
}
