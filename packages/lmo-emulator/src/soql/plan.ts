/**
 * The records a WHERE clause may match, offered by the field indexes (indexes.ts) instead of a read of every record.
 * An offer is a superset of the matches — the compiled predicate still filters it — in the object's order, so an
 * index changes how many records a query reads, never which rows it answers or in what order.
 *
 * A comparison on an indexed field of the object itself (`=`, `IN`, `<`, `<=`, `>`, `>=`, `= null`, and `!=` or
 * `NOT IN` beside one of those) waits for the rest of its AND, so the indexes can answer the conjunction at once:
 * `Status = 'Trial' AND Expiration >= d AND Expiration <= e` reads only trials expiring in that span, and
 * `Seats > 0 AND Seats NOT IN (5, 10)` only the licenses with other counts. Through parent lookups
 * (`sfLma__Account__r.OwnerId = …`, `Parent.CreatedDate > …`) the parents come from an index, from a trigram index
 * for a contains-LIKE on a name (`sfLma__Account__r.Name LIKE '%oak%'`), or else from a read of the parent object,
 * usually far smaller.
 * AND takes its smallest offer, OR offers only when every part does, NOT never does. Offers are sized before any is
 * gathered, so a large one that loses costs nothing. A COUNT() whose clause the chosen offer answers exactly is that
 * offer's size (exactCount), no record read.
 */
import type { ConditionWithValueQuery, WhereClause } from '@jetstreamapp/soql-parser-js';
import { readField } from '../org.js';
import type { FieldDef, ObjectDef, SObjectRecord } from '../schema.js';
import { findObject } from '../schema.js';
import { type ConditionValue, compileCondition, likeRuns, literalBounds } from './conditions.js';
import type { QueryContext } from './context.js';
import type { Comparison, IndexedOperator, Option, RecordIndexes } from './indexes.js';
import { fewer, unionOf } from './indexes.js';
import { foldClause } from './logic.js';
import type { FieldPath } from './paths.js';
import { pathSegments, resolveFieldPath } from './paths.js';

/**
 * What part of a clause offers: comparisons on the object's own indexed fields, not yet looked up, and the smallest
 * option any other part offered; `whole`: the part is nothing but those comparisons ANDed. Undefined: no index
 * narrows it.
 */
type Offer = { comparisons: Comparison[]; option?: Option; whole: boolean } | undefined;

/** Operators an index answers through a parent lookup, and on the object's own fields. */
const THROUGH_PARENTS: ReadonlySet<string> = new Set<IndexedOperator>(['=', 'IN', '<', '<=', '>', '>=']);
const OWN: ReadonlySet<string> = new Set([...THROUGH_PARENTS, '!=', 'NOT IN']);

/** What an offer stands for: its comparisons looked up together, or its option, whichever yields fewer. */
function optionOf(indexes: RecordIndexes, def: ObjectDef, offer: Offer): Option | undefined {
  if (!offer) return undefined;
  const looked = offer.comparisons.length > 0 ? indexes.conjunction(def, offer.comparisons) : undefined;
  return fewer(offer.option, looked);
}

/** Positions already gathered (a parent lookup's children). */
const offering = (positions: number[]): Offer => ({
  comparisons: [],
  option: { size: positions.length, take: () => positions },
  whole: false,
});

/** Candidates for a WHERE clause; `sorted`: in ascending order of the field a query asked them in (`inOrderOf`). */
export interface Candidates {
  positions: Int32Array;
  sorted: boolean;
}

/**
 * The positions (in Org.records) of the records of `def` worth testing against `where`, each once, in the object's
 * order (`anyOrder`: in the order the index
 * holds them, which for a span of a sorted index is often the ORDER BY's, so the sort meets them nearly sorted);
 * undefined when no index narrows the clause enough to beat reading every record. With `inOrderOf` (a LIMIT's first
 * ORDER BY field), an offer in that field's order is kept in it (`sorted`) however large: a LIMIT can stop early.
 */
export function candidatePositions(
  ctx: QueryContext,
  indexes: RecordIndexes,
  def: ObjectDef,
  where: WhereClause,
  { alias, anyOrder = false, inOrderOf }: { alias?: string; anyOrder?: boolean; inOrderOf?: FieldDef } = {},
): Candidates | undefined {
  const option = optionOf(indexes, def, offerOf(ctx, indexes, def, where, alias));
  if (!option) return undefined;
  // Already in the order asked for, each once: read as it is.
  if (inOrderOf && option.sortedBy === inOrderOf) return { positions: Int32Array.from(option.take()), sorted: true };
  // Half the object or more: one pass over it costs no more than putting the offer back in order.
  if (option.size >= ctx.org.records(def.name).length / 2) return undefined;
  const positions = option.take();
  return {
    positions: anyOrder ? indexes.distinct(def, positions) : indexes.inObjectOrder(positions),
    sorted: false,
  };
}

/** What a WHERE clause offers, its parts folded. */
function offerOf(
  ctx: QueryContext,
  indexes: RecordIndexes,
  def: ObjectDef,
  where: WhereClause,
  alias: string | undefined,
): Offer {
  return foldClause<ConditionWithValueQuery, Offer>(where, {
    condition: (condition) => conditionOffer(ctx, indexes, def, condition, alias),
    and: (parts) => {
      const offered = parts.filter((p) => p !== undefined);
      if (offered.length === 0) return undefined;
      return {
        comparisons: offered.flatMap((p) => p.comparisons),
        option: offered.reduce<Option | undefined>((best, p) => fewer(best, p.option), undefined),
        whole: offered.length === parts.length && offered.every((p) => p.whole),
      };
    },
    or: (parts) => {
      const each = parts.map((part) => optionOf(indexes, def, part));
      return each.every((o) => o !== undefined) ? { comparisons: [], option: unionOf(each), whole: false } : undefined;
    },
    not: () => undefined,
  });
}

/**
 * How many records match `where`, counted from an index without reading one, when the clause is only comparisons
 * ANDed that one index answers exactly (a span, a bucket, a composite's spans or the nulls that are the matches, not
 * a superset to filter); undefined otherwise, and the matches are counted one by one.
 */
export function exactCount(
  ctx: QueryContext,
  indexes: RecordIndexes,
  def: ObjectDef,
  where: WhereClause,
  alias: string | undefined,
): number | undefined {
  const offer = offerOf(ctx, indexes, def, where, alias);
  return offer?.whole ? indexes.exactSize(def, offer.comparisons) : undefined;
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
  // The parser passes `<>` through as written; it means `!=`.
  const operator = (value.operator as string) === '<>' ? '!=' : value.operator;
  const path = resolveFieldPath(ctx.org, def, pathSegments(condition.field, alias));
  const own = path.hops.length === 0;
  // LIKE narrows parents only; the rest answer from an index.
  if (operator !== 'LIKE' && !(own ? OWN : THROUGH_PARENTS).has(operator)) return undefined;
  const operand = {
    name: condition.field,
    type: path.field.type,
    field: path.field,
    read: (r: SObjectRecord) => readField(path.field, r),
  };
  const bounds = literalBounds(operand, value, ctx.dates);
  const comparison = { field: path.field, operator: operator as IndexedOperator, bounds };
  // A null literal matches the records an index holds as nulls (`= null` on the object's own field) or none at all;
  // an exclusion only narrows a span, which has no nulls.
  const exclusion = operator === '!=' || operator === 'NOT IN';
  const nullEquality = own && operator === '=' && bounds.length === 1;
  if (!exclusion && !nullEquality && bounds.some((b) => b.kind === 'null')) return undefined;
  if (operator !== 'LIKE' && own) {
    return indexes.has(def, path.field) ? { comparisons: [comparison], whole: true } : undefined;
  }
  if (own) return undefined;

  const parentRows = ctx.org.records(path.owner.name);
  const found =
    operator === 'LIKE'
      ? indexes.containing(path.owner, path.field, likeRuns(String(value.value)))
      : indexes.conjunction(path.owner, [comparison])?.take();
  const parents = found ? found.map((at) => parentRows[at]) : parentRows;
  if (operator === 'LIKE' || !found) {
    // Read in full, or narrowed by trigrams to a superset: each parent read is tested.
    ctx.examined.rows += parents.length;
    const test = compileCondition(operand, value, ctx.dates);
    const matching = parents.filter(test);
    return childrenAlong(ctx, indexes, def, path, matching);
  }
  return childrenAlong(ctx, indexes, def, path, parents);
}

/** From records of the path's last parent back down its lookups to the positions of the records of `def` reaching them. */
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
  let records = parents;
  for (let i = path.hops.length - 1; i >= 0; i--) {
    const positions = indexes.referencing(owners[i], path.hops[i], records);
    if (!positions) return undefined;
    if (i === 0) return offering(positions);
    const rows = ctx.org.records(owners[i].name);
    records = positions.map((at) => rows[at]);
  }
  return undefined;
}
