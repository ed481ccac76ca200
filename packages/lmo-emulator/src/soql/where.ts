/** A WHERE clause over records compiled into one predicate, including `Id IN (SELECT …)` semi-joins. */
import type { ConditionWithValueQuery, Query, ValueQueryCondition, WhereClause } from '@jetstreamapp/soql-parser-js';
import type { FieldDef, ObjectDef, SObjectRecord } from '../schema.js';
import { findObject } from '../schema.js';
import type { ConditionValue } from './conditions.js';
import { comparisonKey, compileCondition, literalBounds } from './conditions.js';
import type { QueryContext } from './context.js';
import { malformed, SoqlError, unsupported } from './errors.js';
import { columnTest, type KeyComparison } from './indexes.js';
import type { Placement, Predicate } from './logic.js';
import { compileClause } from './logic.js';
import type { FieldPath } from './paths.js';
import { assertUsableIn, pathSegments, resolveFieldPath } from './paths.js';

export function resolveObject(ctx: QueryContext, name: string | undefined): ObjectDef {
  const def = name ? findObject(ctx.org.schema, name) : undefined;
  if (!def) {
    throw new SoqlError(
      'INVALID_TYPE',
      `sObject type '${name ?? ''}' is not supported. If you are attempting to use a custom object, be sure to ` +
        `append the '__c' after the entity name. Please reference your WSDL or the describe call for the ` +
        `appropriate names.`,
    );
  }
  return def;
}

export function compileWhere(
  ctx: QueryContext,
  def: ObjectDef,
  where: WhereClause | undefined,
  alias?: string,
  insideSemiJoin = false,
): Predicate<SObjectRecord> | undefined {
  if (!where) return undefined;
  return compileClause<SObjectRecord, ConditionWithValueQuery>(
    where,
    (condition, placement) => compileOne(ctx, def, condition, placement, alias, insideSemiJoin).test,
  );
}

/**
 * The same clause as a predicate over positions in `records` (the object's records as the query reads them). With
 * indexes, a condition on an indexed field of the object itself tests the field's column (RecordIndexes.column,
 * columnTest): each record costs a look-up of its rank, where reading the value from every record (spread all over
 * memory) would cost a cache miss or two.
 */
export function compileWhereAt(
  ctx: QueryContext,
  def: ObjectDef,
  where: WhereClause | undefined,
  alias: string | undefined,
  records: readonly SObjectRecord[],
): Predicate<number> | undefined {
  if (!where) return undefined;
  // Indexes cover the live records only, not queryAll's recycle bin.
  const indexes = ctx.includeDeleted ? undefined : ctx.indexes;
  return compileClause<number, ConditionWithValueQuery>(where, (condition, placement) => {
    const { test, onKeys } = compileOne(ctx, def, condition, placement, alias, false);
    const column = onKeys && indexes?.column(def, onKeys.field);
    return column && onKeys ? columnTest(column, onKeys.comparison()) : (at) => test(records[at]);
  });
}

/**
 * One condition as a predicate over records and, on a field of the object itself, over the field's comparison keys
 * (a key is its own key), which the field's column can answer.
 */
function compileOne(
  ctx: QueryContext,
  def: ObjectDef,
  condition: ConditionWithValueQuery,
  placement: Placement,
  alias: string | undefined,
  insideSemiJoin: boolean,
): { test: Predicate<SObjectRecord>; onKeys?: { field: FieldDef; comparison: () => KeyComparison } } {
  if ('fn' in condition) {
    throw unsupported(`the function ${condition.fn.rawValue ?? condition.fn.functionName} in WHERE`);
  }
  if (!('field' in condition)) throw malformed('unexpected NOT');
  const path = resolveFieldPath(ctx.org, def, pathSegments(condition.field, alias));
  assertUsableIn(path, 'filtered');
  if ('valueQuery' in condition) {
    assertSemiJoinPlacement(insideSemiJoin, placement);
    return { test: semiJoin(ctx, path, condition) };
  }
  const operand = { name: condition.field, type: path.field.type, field: path.field, read: path.read };
  const value = condition as ConditionValue;
  const test = compileCondition(operand, value, ctx.dates);
  if (path.hops.length > 0) return { test };
  const comparison = (): KeyComparison => ({
    // The parser passes `<>` through as written; it means `!=`.
    operator: (value.operator as string) === '<>' ? '!=' : value.operator,
    bounds: literalBounds(operand, value, ctx.dates),
    test: compileCondition({ ...operand, read: (key: unknown) => key }, value, ctx.dates),
  });
  return { test, onKeys: { field: path.field, comparison } };
}

/** Salesforce's refusals of a semi-join anywhere but the top level of the outer WHERE, joined by AND. */
function assertSemiJoinPlacement(insideSemiJoin: boolean, placement: Placement): void {
  if (insideSemiJoin) throw malformed('Nesting of semi join sub-selects is not supported');
  if (placement.withOr) throw malformed("Semi join sub-selects are not allowed with the 'OR' operator");
  if (placement.nested) {
    throw malformed(
      'Semi join sub-selects are only allowed at the top level WHERE expressions and not in nested WHERE expressions.',
    );
  }
}

/** `field IN (SELECT idField FROM Other WHERE …)`: the inner query runs once into a set of Ids. */
function semiJoin(ctx: QueryContext, path: FieldPath, condition: ValueQueryCondition): Predicate<SObjectRecord> {
  const inner: Query = condition.valueQuery;
  if (condition.operator !== 'IN' && condition.operator !== 'NOT IN') {
    throw malformed(`a sub-query can only follow IN or NOT IN, not ${condition.operator}`);
  }
  const innerDef = resolveObject(ctx, inner.sObject);
  const selected = inner.fields ?? [];
  if (selected.length !== 1 || (selected[0].type !== 'Field' && selected[0].type !== 'FieldRelationship')) {
    throw malformed('a semi-join sub-query must select exactly one Id or reference field');
  }
  if (inner.groupBy || inner.having || inner.orderBy || inner.limit !== undefined || inner.offset !== undefined) {
    throw unsupported('GROUP BY, HAVING, ORDER BY, LIMIT or OFFSET in a semi-join sub-query');
  }
  const field = selected[0];
  const segments = field.type === 'FieldRelationship' ? [...field.relationships, field.field] : [field.field];
  const innerPath = resolveFieldPath(ctx.org, innerDef, segments);
  const isId = (p: FieldPath) => p.field.type === 'id' || p.field.type === 'reference';
  if (!isId(innerPath) || !isId(path)) throw malformed('semi-joins compare Id or reference fields only');

  const innerWhere = compileWhere(ctx, innerDef, inner.where, inner.sObjectAlias, true);
  const ids = new Set<string | number | boolean>();
  const innerRecords = ctx.org.records(innerDef.name);
  ctx.examined.rows += innerRecords.length;
  for (const record of innerRecords) {
    if (innerWhere && !innerWhere(record)) continue;
    const value = innerPath.read(record);
    if (value != null) ids.add(comparisonKey('id', value));
  }
  const wanted = condition.operator === 'IN';
  return (record) => {
    const value = path.read(record);
    return value == null ? !wanted : ids.has(comparisonKey('id', value)) === wanted;
  };
}
