/** One parsed top-level query run over an org: FROM, WHERE, then either aggregation or records. */
import type { Query } from '@jetstreamapp/soql-parser-js';
import { isAggregateQuery, runAggregateQuery } from './aggregate.js';
import type { QueryContext } from './context.js';
import { atToken, malformed, SoqlError, unsupported } from './errors.js';
import { assertOffset, page, pageBounds, sortRows } from './order.js';
import { candidatePositions, exactCount } from './plan.js';
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
  // A LIMIT of rows by a field of the object: candidates met in that field's order can stop at the page's end.
  const limitedBy = query.limit !== undefined && !isCountAll(query) ? order[0] : undefined;
  // Indexes cover the live records; queryAll's recycle bin is read in full.
  const indexes = where && !ctx.includeDeleted ? ctx.indexes : undefined;
  const counted =
    indexes && query.where && isCountAll(query) ? exactCount(ctx, indexes, def, query.where, alias) : undefined;
  const offered =
    indexes && query.where && counted === undefined
      ? candidatePositions(ctx, indexes, def, query.where, { alias, anyOrder, inOrderOf: limitedBy?.field })
      : undefined;
  // Where the rows WHERE keeps sit in `all` (undefined: every record), in an index's sort order when it has one.
  let positions: number[] | undefined;
  if (where && counted === undefined) {
    const ranks = offered?.sorted ? limitedBy?.column?.()?.ranks : undefined;
    positions =
      offered && ranks && limitedBy
        ? firstMatches(ctx, offered.positions, where, {
            ranks,
            wanted: (query.offset ?? 0) + (query.limit ?? 0),
            descending: limitedBy.descending,
          })
        : allMatches(ctx, offered?.positions, all.length, where);
  }

  if (isCountAll(query)) {
    if ((query.fields ?? []).length > 1) throw malformed('COUNT() must be the only element in the SELECT list');
    if (query.groupBy || query.having) throw unsupported('COUNT() with GROUP BY');
    // A count needs no record, only how many there are.
    const { start, end } = pageBounds(counted ?? (positions ?? all).length, query.offset, query.limit);
    return pagesOf([], end - start);
  }
  const kept = positions;
  const rows = kept ? kept.map((at) => all[at]) : all;
  const positionOf = kept ? (i: number) => kept[i] : (i: number) => i;
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

/** The positions `where` keeps among the candidates (undefined: every record), in their order. */
function allMatches(
  ctx: QueryContext,
  candidates: Int32Array | undefined,
  records: number,
  where: (at: number) => boolean,
): number[] {
  const read = candidates ?? { length: records };
  ctx.examined.rows += read.length;
  const kept: number[] = [];
  for (let i = 0; i < read.length; i++) {
    const at = candidates ? candidates[i] : i;
    if (where(at)) kept.push(at);
  }
  return kept;
}

/**
 * The matches a page of `wanted` rows can hold, from candidates in ascending order of the ORDER BY's first field
 * (read from the end when it is descending): the first `wanted` met, and every later one tied with the last of them on
 * that field (the other keys may put any of them first). The rest sort after them all, so they are never read. In the
 * object's order, as allMatches would keep them: the sort then breaks ties as it would have.
 */
function firstMatches(
  ctx: QueryContext,
  candidates: Int32Array,
  where: (at: number) => boolean,
  o: { ranks: Int32Array; wanted: number; descending: boolean },
): number[] {
  const kept: number[] = [];
  let last = -1;
  let read = 0;
  for (; read < candidates.length; read++) {
    const at = candidates[o.descending ? candidates.length - 1 - read : read];
    if (kept.length >= o.wanted && (o.wanted === 0 || o.ranks[at] !== last)) break;
    if (!where(at)) continue;
    kept.push(at);
    if (kept.length === o.wanted) last = o.ranks[at];
  }
  ctx.examined.rows += read;
  return kept.sort((a, b) => a - b);
}
