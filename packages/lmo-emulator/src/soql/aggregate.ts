/**
 * Aggregate queries: GROUP BY (fields and parent paths), COUNT(field), COUNT_DISTINCT, SUM, AVG,
 * MIN, MAX, HAVING and ORDER BY over groups, returning `AggregateResult` records keyed by alias,
 * by `expr0, expr1 …` for unaliased aggregates, and by field name for grouped fields.
 */
import type { FunctionExp, HavingClause, Query } from '@jetstreamapp/soql-parser-js';
import type { FieldType, ObjectDef, SObjectRecord } from '../schema.js';
import { isAggregatable, isGroupable } from '../schema.js';
import type { ConditionValue } from './conditions.js';
import { comparisonKey, compileCondition } from './conditions.js';
import type { QueryContext } from './context.js';
import { malformed, SoqlError, unsupported } from './errors.js';
import type { Predicate } from './logic.js';
import { compileClause } from './logic.js';
import type { SortKey } from './order.js';
import { page, sortDirection, sortRows } from './order.js';
import type { FieldPath } from './paths.js';
import { assertUsableIn, pathSegments, resolveFieldPath } from './paths.js';
import { selectedSegments } from './select.js';

const AGGREGATE_FUNCTIONS = ['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX'] as const;
type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

interface Aggregator {
  fn: AggregateFunction;
  path: FieldPath;
  /** The type of its result, for HAVING and ORDER BY. */
  type: FieldType;
}

interface Group {
  values: unknown[];
  states: AggregateState[];
  results: unknown[];
}

interface AggregateState {
  add(value: unknown): void;
  result(): unknown;
}

const isAggregateFunction = (name: string): name is AggregateFunction =>
  (AGGREGATE_FUNCTIONS as readonly string[]).includes(name);

export function isAggregateQuery(query: Query): boolean {
  return (
    Boolean(query.groupBy) || (query.fields ?? []).some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn)
  );
}

function newState(aggregator: Aggregator): AggregateState {
  const { fn } = aggregator;
  const type = aggregator.path.field.type;
  let count = 0;
  let sum = 0;
  let best: unknown = null;
  let bestKey: string | number | boolean | null = null;
  const distinct = new Set<string | number | boolean>();
  return {
    add(value) {
      if (value == null) return;
      count++;
      if (fn === 'SUM' || fn === 'AVG') sum += Number(value);
      else if (fn === 'COUNT_DISTINCT') distinct.add(comparisonKey(type, value));
      else if (fn === 'MIN' || fn === 'MAX') {
        const key = comparisonKey(type, value);
        if (bestKey === null || (fn === 'MIN' ? key < bestKey : key > bestKey)) {
          best = value;
          bestKey = key;
        }
      }
    },
    result() {
      switch (fn) {
        case 'COUNT':
          return count;
        case 'COUNT_DISTINCT':
          return distinct.size;
        case 'SUM':
          return count === 0 ? null : sum;
        case 'AVG':
          return count === 0 ? null : sum / count;
        default:
          return best;
      }
    },
  };
}

export function runAggregateQuery(
  ctx: QueryContext,
  def: ObjectDef,
  query: Query,
  rows: SObjectRecord[],
): Record<string, unknown>[] {
  const alias = query.sObjectAlias;
  const resolve = (text: string) => resolveFieldPath(ctx.org, def, pathSegments(text, alias));

  const groupPaths = [query.groupBy ?? []].flat().map((clause) => {
    if ('fn' in clause) throw unsupported(`GROUP BY ${clause.fn.rawValue ?? clause.fn.functionName}`);
    const path = resolve(clause.field);
    assertUsableIn(path, 'grouped');
    if (!isGroupable(path.field)) {
      throw new SoqlError('INVALID_FIELD', `field '${path.field.name}' can not be grouped in a query call`);
    }
    return path;
  });
  const groupIndex = (path: FieldPath, raw: string): number => {
    const index = groupPaths.findIndex((g) => g.name === path.name);
    if (index < 0) throw malformed(`Field must be grouped or aggregated: ${raw}`);
    return index;
  };

  const aggregators: Aggregator[] = [];
  const aggregatorIndex = (fn: FunctionExp): number => {
    const name = (fn.functionName ?? '').toUpperCase();
    if (!isAggregateFunction(name)) throw unsupported(`the function ${fn.rawValue ?? fn.functionName}`);
    const [param, ...rest] = fn.parameters ?? [];
    if (typeof param !== 'string' || rest.length > 0) throw unsupported(`${fn.rawValue} (nested or several arguments)`);
    const path = resolve(param);
    const numeric = path.field.type === 'int' || path.field.type === 'double' || path.field.type === 'currency';
    if (((name === 'SUM' || name === 'AVG') && !numeric) || !isAggregatable(path.field)) {
      throw new SoqlError('INVALID_FIELD', `field ${path.field.name} does not support aggregate operator ${name}`);
    }
    const existing = aggregators.findIndex((a) => a.fn === name && a.path.name === path.name);
    if (existing >= 0) return existing;
    const type: FieldType =
      name === 'COUNT' || name === 'COUNT_DISTINCT' ? 'int' : name === 'AVG' ? 'double' : path.field.type;
    return aggregators.push({ fn: name, path, type }) - 1;
  };

  // The output columns, in select-list order.
  let unnamed = 0;
  const columns = (query.fields ?? []).map((item) => {
    if (item.type === 'FieldFunctionExpression') {
      const index = aggregatorIndex(item);
      return { key: item.alias ?? `expr${unnamed++}`, read: (g: Group) => g.results[index] };
    }
    const segments = selectedSegments(item);
    if (!segments) throw unsupported(item.type === 'FieldSubquery' ? 'a sub-query in an aggregate query' : 'TYPEOF');
    const path = resolveFieldPath(ctx.org, def, segments);
    const index = groupIndex(path, segments.join('.'));
    const key = ('alias' in item && item.alias) || path.field.name;
    return { key, read: (g: Group) => g.values[index] };
  });

  const having = query.having
    ? compileHaving(ctx, query.having, resolve, groupPaths, groupIndex, aggregatorIndex, aggregators)
    : undefined;
  const order: SortKey<Group>[] = [query.orderBy ?? []].flat().map((clause) => {
    if ('fn' in clause) {
      const index = aggregatorIndex(clause.fn);
      return { type: aggregators[index].type, read: (g: Group) => g.results[index], ...sortDirection(clause) };
    }
    const index = groupIndex(resolve(clause.field), clause.field);
    return { type: groupPaths[index].field.type, read: (g: Group) => g.values[index], ...sortDirection(clause) };
  });

  const groups = groupRows(rows, groupPaths, aggregators);
  const kept = having ? groups.filter(having) : groups;
  return page(sortRows(kept, order), query.offset, query.limit).map((group) => {
    const out: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const column of columns) out[column.key] = column.read(group);
    return out;
  });
}

function groupRows(rows: SObjectRecord[], groupPaths: FieldPath[], aggregators: Aggregator[]): Group[] {
  const groups = new Map<string, Group>();
  const newGroup = (values: unknown[]): Group => ({ values, states: aggregators.map(newState), results: [] });
  // Without GROUP BY there is exactly one group, even over no rows (COUNT(Id) = 0), and no row needs a group key.
  const only = groupPaths.length === 0 ? newGroup([]) : undefined;
  if (only) groups.set('', only);
  const groupOf = (row: SObjectRecord): Group => {
    const values = groupPaths.map((p) => p.read(row));
    // Text groups case-insensitively, as Salesforce does; the first spelling seen is kept.
    const key = values
      .map((v, i) => (v == null ? '\u0000' : String(comparisonKey(groupPaths[i].field.type, v))))
      .join('\u0001');
    let group = groups.get(key);
    if (!group) {
      group = newGroup(values);
      groups.set(key, group);
    }
    return group;
  };
  for (const row of rows) {
    const group = only ?? groupOf(row);
    for (let i = 0; i < aggregators.length; i++) group.states[i].add(aggregators[i].path.read(row));
  }
  const all = [...groups.values()];
  for (const group of all) group.results = group.states.map((s) => s.result());
  return all;
}

function compileHaving(
  ctx: QueryContext,
  having: HavingClause,
  resolve: (text: string) => FieldPath,
  groupPaths: FieldPath[],
  groupIndex: (path: FieldPath, raw: string) => number,
  aggregatorIndex: (fn: FunctionExp) => number,
  aggregators: Aggregator[],
): Predicate<Group> {
  return compileClause<Group, ConditionValue & ({ fn: FunctionExp } | { field: string })>(having, (condition) => {
    if ('fn' in condition) {
      const index = aggregatorIndex(condition.fn);
      const operand = {
        name: condition.fn.rawValue ?? '',
        type: aggregators[index].type,
        read: (g: Group) => g.results[index],
      };
      return compileCondition(operand, condition, ctx.dates);
    }
    const index = groupIndex(resolve(condition.field), condition.field);
    const path = groupPaths[index];
    const operand = {
      name: condition.field,
      type: path.field.type,
      field: path.field,
      read: (g: Group) => g.values[index],
    };
    return compileCondition(operand, condition, ctx.dates);
  });
}
