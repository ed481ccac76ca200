/**
 * The select list of a record query: fields, parent paths nested as Salesforce nests them
 * (`{ sfLma__Package__r: { attributes, Name } }`, or `null` without a parent) and child
 * sub-queries (`{ totalSize, done: true, records }`, or `null` without children).
 */
import type { OrderByClause, FieldType as SelectItem, Subquery } from '@jetstreamapp/soql-parser-js';
import { readField } from '../org.js';
import type { FieldDef, ObjectDef, SObjectRecord } from '../schema.js';
import { findField, findObject } from '../schema.js';
import type { QueryContext } from './context.js';
import { atToken, malformed, noSuchColumn, SoqlError, unsupported } from './errors.js';
import type { SortKey } from './order.js';
import { assertOffset, page, sortDirection, sortRows } from './order.js';
import { assertUsableIn, parentOf, pathSegments, resolveFieldPath, resolveParent } from './paths.js';
import { compileWhere } from './where.js';

type Entry =
  | { kind: 'value'; key: string; field: FieldDef }
  | { kind: 'parent'; key: string; relationship: FieldDef; projection: Projection }
  | { kind: 'children'; key: string; fetch: (parent: SObjectRecord) => ChildResult | null };

interface Projection {
  def: ObjectDef;
  entries: Entry[];
  /** Built once the select list is complete, on first use. */
  build?: Builder;
}

type Builder = (
  attributes: unknown,
  record: SObjectRecord,
  entries: readonly Entry[],
  ctx: QueryContext,
  read: typeof readField,
  parentValue: typeof projectParent,
) => Record<string, unknown>;

/**
 * One projected record as an object literal of the projection's keys in order: every record then has the same shape
 * from the start, where adding its keys one at a time costs a slow keyed store each (the larger part of a page's
 * projection) and gives a record that serialises at half the speed. The keys are schema names quoted as JSON strings.
 */
function builderOf(entries: readonly Entry[]): Builder {
  const body = builderBody(entries);
  let builder = builders.get(body);
  if (!builder) {
    builder = new Function('attributes', 'record', 'entries', 'ctx', 'read', 'parentValue', body) as Builder;
    if (builders.size >= BUILDERS_KEPT) builders.delete(builders.keys().next().value as string);
    builders.set(body, builder);
  }
  return builder;
}

/**
 * Builders by their code, so a select list sent again (the bot sends a few, over and over) reuses a function the
 * engine has already optimised rather than compiling a new one for each query.
 */
const builders = new Map<string, Builder>();
const BUILDERS_KEPT = 200;

function builderBody(entries: readonly Entry[]): string {
  const properties = entries.map((entry, i) => {
    // A stored field is read straight from the record; readField only for a formula, or what the record leaves unset.
    const stored = entry.kind === 'value' && !entry.field.formula && `record[${JSON.stringify(entry.field.name)}]`;
    const value = stored
      ? `${stored} ?? read(entries[${i}].field, record)`
      : entry.kind === 'value'
        ? `read(entries[${i}].field, record)`
        : entry.kind === 'parent'
          ? `parentValue(entries[${i}], record, ctx)`
          : `entries[${i}].fetch(record)`;
    return `${JSON.stringify(entry.key)}: ${value}`;
  });
  return `return { attributes, ${properties.join(', ')} };`;
}

export interface ChildResult {
  totalSize: number;
  done: true;
  records: Record<string, unknown>[];
}

export type Projector = (record: SObjectRecord) => Record<string, unknown>;

/** Segments of a plain field or relationship path in the select list. */
export function selectedSegments(item: SelectItem): string[] | undefined {
  if (item.type === 'Field') return [item.field];
  if (item.type === 'FieldRelationship') return [...item.relationships, item.field];
  return undefined;
}

export function compileRecordOrder(
  ctx: QueryContext,
  def: ObjectDef,
  orderBy: OrderByClause | OrderByClause[] | undefined,
  alias?: string,
): SortKey<SObjectRecord>[] {
  return [orderBy ?? []].flat().map((clause) => {
    if ('fn' in clause)
      throw unsupported(`ORDER BY ${clause.fn.rawValue ?? clause.fn.functionName} outside an aggregate query`);
    const path = resolveFieldPath(ctx.org, def, pathSegments(clause.field, alias));
    assertUsableIn(path, 'sorted');
    const own = path.hops.length === 0;
    const unique = own && path.field.type === 'id';
    // Indexes rank the live records only, not queryAll's recycle bin.
    const { indexes } = ctx;
    const column = own && indexes && !ctx.includeDeleted ? () => indexes.column(def, path.field) : undefined;
    const field = own ? path.field : undefined;
    return { type: path.field.type, read: path.read, unique, column, field, ...sortDirection(clause) };
  });
}

function addPath(ctx: QueryContext, projection: Projection, segments: string[]): void {
  let current = projection;
  for (const segment of segments.slice(0, -1)) {
    const { relationship, parentDef } = resolveParent(ctx.org, current.def, segment);
    const key = relationship.relationshipName!;
    let parent = current.entries.find((e) => e.kind === 'parent' && e.key === key);
    if (!parent) {
      parent = { kind: 'parent', key, relationship, projection: { def: parentDef, entries: [] } };
      current.entries.push(parent);
    }
    current = (parent as Extract<Entry, { kind: 'parent' }>).projection;
  }
  const name = segments[segments.length - 1];
  const field = findField(current.def, name);
  if (!field) throw noSuchColumn(name, current.def.name);
  if (current.entries.some((e) => e.kind === 'value' && e.key === field.name)) {
    throw new SoqlError('INVALID_FIELD', `duplicate field selected: ${segments.join('.')}`);
  }
  current.entries.push({ kind: 'value', key: field.name, field });
}

/** Where a select list sits: the top query (with its LIMIT, which a child OFFSET needs to be 1) or a child. */
export type ProjectionScope = { parentLimit?: number } | 'child';

export function compileProjection(
  ctx: QueryContext,
  def: ObjectDef,
  items: SelectItem[],
  scope: ProjectionScope,
): Projector {
  const projection: Projection = { def, entries: [] };
  for (const item of items) {
    switch (item.type) {
      case 'Field':
      case 'FieldRelationship':
        if ('alias' in item && item.alias) throw malformed(`unexpected token: ${item.alias}`);
        addPath(ctx, projection, selectedSegments(item)!);
        break;
      case 'FieldSubquery':
        if (scope === 'child') throw unsupported('a sub-query inside a sub-query');
        projection.entries.push(compileChildren(ctx, def, item.subquery, scope.parentLimit));
        break;
      case 'FieldTypeof':
        throw unsupported('TYPEOF');
      default:
        throw unsupported(`the function ${item.rawValue ?? item.functionName} in a non-aggregate select list`);
    }
  }
  return (record) => project(ctx, projection, record);
}

/**
 * A polymorphic parent (an owner that may be a queue) comes typed "Name", as Salesforce sends it; its url names the
 * record's own object (`…/Group/00G…` for a queue).
 */
function project(
  ctx: QueryContext,
  projection: Projection,
  record: SObjectRecord,
  polymorphic = false,
): Record<string, unknown> {
  const objectName = polymorphic ? (ctx.org.get(record.Id)?.objectName ?? projection.def.name) : projection.def.name;
  const attributes = { type: polymorphic ? 'Name' : objectName, url: `${ctx.sobjectsUrl}${objectName}/${record.Id}` };
  projection.build ??= builderOf(projection.entries);
  return projection.build(attributes, record, projection.entries, ctx, readField, projectParent);
}

/** A parent's projection, or null without one. */
function projectParent(
  entry: Extract<Entry, { kind: 'parent' }>,
  record: SObjectRecord,
  ctx: QueryContext,
): Record<string, unknown> | null {
  const parent = parentOf(ctx.org, record, entry.relationship);
  return parent ? project(ctx, entry.projection, parent, entry.relationship.polymorphicTo !== undefined) : null;
}

/** `(SELECT … FROM sfLma__Licenses__r …)`: children filtered and sorted once, then bucketed by parent. */
function compileChildren(
  ctx: QueryContext,
  parentDef: ObjectDef,
  subquery: Subquery,
  parentLimit: number | undefined,
): Entry {
  const relationship = parentDef.childRelationships.find(
    (c) => c.relationshipName.toLowerCase() === subquery.relationshipName.toLowerCase(),
  );
  const childDef = relationship && findObject(ctx.org.schema, relationship.childSObject);
  if (!relationship || !childDef) {
    throw new SoqlError(
      'INVALID_TYPE',
      `Didn't understand relationship '${subquery.relationshipName}' in FROM part of query call. If you are ` +
        `attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ` +
        `Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  if (subquery.groupBy || subquery.having) throw unsupported('GROUP BY or HAVING in a child sub-query');
  if (subquery.offset !== undefined && parentLimit !== 1) {
    throw atToken('MALFORMED_QUERY', ctx.soql, 'OFFSET', 'OFFSET in a sub-query requires LIMIT 1 on the outer query');
  }
  assertOffset(ctx, subquery.offset);
  const linkField = findField(childDef, relationship.field)!;
  const where = compileWhere(ctx, childDef, subquery.where);
  const order = compileRecordOrder(ctx, childDef, subquery.orderBy);
  const projector = compileProjection(ctx, childDef, subquery.fields ?? [], 'child');

  let byParent: Map<string, SObjectRecord[]> | undefined;
  const childrenOf = (parent: SObjectRecord): SObjectRecord[] | undefined => {
    if (!byParent) {
      byParent = new Map();
      const matching = ctx.org.records(childDef.name).filter((r) => !where || where(r));
      for (const child of sortRows(matching, order)) {
        const parentId = child[linkField.name];
        if (typeof parentId !== 'string') continue;
        const key = parentId.slice(0, 15);
        const bucket = byParent.get(key);
        if (bucket) bucket.push(child);
        else byParent.set(key, [child]);
      }
    }
    return byParent.get(parent.Id.slice(0, 15));
  };

  return {
    kind: 'children',
    key: relationship.relationshipName,
    fetch: (parent) => {
      const children = page(childrenOf(parent) ?? [], subquery.offset, subquery.limit);
      if (children.length === 0) return null;
      return { totalSize: children.length, done: true, records: children.map(projector) };
    },
  };
}
