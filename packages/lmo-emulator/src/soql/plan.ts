/**
 * The records a WHERE clause may match, offered by the field indexes (indexes.ts) instead of a read of every record.
 * An offer is a superset of the matches — the compiled predicate still filters it — in the object's order, so an
 * index changes how many records a query reads, never which rows it answers or in what order.
 *
 * A condition offers when an index answers it: `=`, `IN` or a comparison on an indexed field, or the same through
 * parent lookups (`sfLma__Account__r.OwnerId = …`, `Parent.CreatedDate > …`), whose parents come from an index or,
 * where none helps (`sfLma__Account__r.Name LIKE '%oak%'`), from a read of the parent object, usually far smaller.
 * AND takes its smallest offer, OR offers only when every part does, NOT never does.
 */
import type { ConditionWithValueQuery, WhereClause } from '@jetstreamapp/soql-parser-js';
import { readField } from '../org.js';
import type { ObjectDef, SObjectRecord } from '../schema.js';
import { findObject } from '../schema.js';
import { type ConditionValue, compileCondition, literalBounds } from './conditions.js';
import type { QueryContext } from './context.js';
import type { IndexedOperator, RecordIndexes } from './indexes.js';
import { foldClause } from './logic.js';
import type { FieldPath } from './paths.js';
import { pathSegments, resolveFieldPath } from './paths.js';

/** Records a condition may match; undefined: no index narrows it. */
type Offer = SObjectRecord[] | undefined;

const INDEXED: ReadonlySet<string> = new Set<IndexedOperator>(['=', 'IN', '<', '<=', '>', '>=']);

/**
 * The records of `def` worth testing against `where`, in the object's order; undefined when no index narrows the
 * clause enough to beat reading every record.
 */
export function candidateRecords(
  ctx: QueryContext,
  indexes: RecordIndexes,
  def: ObjectDef,
  where: WhereClause,
  alias?: string,
): SObjectRecord[] | undefined {
  const offer = foldClause<ConditionWithValueQuery, Offer>(where, {
    condition: (condition) => conditionOffer(ctx, indexes, def, condition, alias),
    and: (parts) =>
      parts.reduce<Offer>((best, part) => (part && (!best || part.length < best.length) ? part : best), undefined),
    or: (parts) => (parts.every((p) => p !== undefined) ? (parts as SObjectRecord[][]).flat() : undefined),
    not: () => undefined,
  });
  // Half the object or more: one pass over it costs no more than putting the offer back in order.
  if (!offer || offer.length >= ctx.org.records(def.name).length / 2) return undefined;
  return indexes.inObjectOrder(def, offer);
}

function conditionOffer(
  ctx: QueryContext,
  indexes: RecordIndexes,
  def: ObjectDef,
  condition: ConditionWithValueQuery,
  alias: string | undefined,
): Offer {
  if ('fn' in condition || !('field' in condition) || 'valueQuery' in condition) return undefined;
  const value = condition as ConditionValue;
  const operator = value.operator;
  // LIKE narrows parents only (read in full); the rest answer from an index. Null literals match rows no index holds.
  if (operator !== 'LIKE' && !INDEXED.has(operator)) return undefined;
  const path = resolveFieldPath(ctx.org, def, pathSegments(condition.field, alias));
  const operand = {
    name: condition.field,
    type: path.field.type,
    field: path.field,
    read: (r: SObjectRecord) => readField(path.field, r),
  };
  const bounds = literalBounds(operand, value, ctx.dates);
  if (bounds.some((b) => b.kind === 'null')) return undefined;

  let matches =
    operator === 'LIKE' ? undefined : indexes.lookup(path.owner, path.field, operator as IndexedOperator, bounds);
  if (!matches && path.hops.length > 0) {
    const test = compileCondition(operand, value, ctx.dates);
    const parents = ctx.org.records(path.owner.name);
    ctx.examined.rows += parents.length;
    matches = parents.filter(test);
  }
  return matches && childrenAlong(ctx, indexes, def, path, matches);
}

/** From records of the path's last parent back down its lookups to the records of `def` that reach them. */
function childrenAlong(
  ctx: QueryContext,
  indexes: RecordIndexes,
  def: ObjectDef,
  path: FieldPath,
  parents: SObjectRecord[],
): Offer {
  const owners: ObjectDef[] = [def];
  for (const hop of path.hops.slice(0, -1)) {
    const next = hop.referenceTo && findObject(ctx.org.schema, hop.referenceTo);
    if (!next) return undefined;
    owners.push(next);
  }
  let records: Offer = parents;
  for (let i = path.hops.length - 1; i >= 0 && records; i--) {
    records = indexes.referencing(owners[i], path.hops[i], records);
  }
  return records;
}
