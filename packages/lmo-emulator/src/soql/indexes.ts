/**
 * Field indexes over the embedded LMO's records, so a selective query at 100,000 licenses reads the records it may
 * match rather than every one (plan.ts decides which index a WHERE clause can use). Each index is built on first use
 * and rebuilt once the object's records have changed (Org.version), so it never answers from stale data. Records
 * changed in place behind the Org's back (tests do that) would go unseen: indexes are opt-in
 * (EmulatorOptions.indexes).
 */
import type { Org } from '../org.js';
import { readField } from '../org.js';
import type { FieldDef, ObjectDef, SObjectRecord } from '../schema.js';
import { type Bound, comparisonKey, type Key } from './conditions.js';

/** The fields the bot and the demo filter by (and the lookups their relationship filters walk), per object. */
export const INDEXED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  sfLma__License__c: [
    'Id',
    'sfLma__Status__c',
    'sfLma__Expiration__c',
    'sfLma__Package__c',
    'sfLma__Account__c',
    'sfLma__Lead__c',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  sfLma__License__History: ['ParentId', 'Field', 'CreatedDate'],
  Account: ['OwnerId'],
  Lead: ['OwnerId'],
  User: ['Email'],
};

/** Comparison operators an index answers; every one of them is false for a null field. */
export type IndexedOperator = '=' | 'IN' | '<' | '<=' | '>' | '>=';

interface Sorted {
  /** Non-null keys ascending, ties in the object's order, and their records alongside. */
  keys: Key[];
  records: SObjectRecord[];
}

interface Built<T> {
  version: number;
  value: T;
}

/** First position whose key is ≥ `key` (`after`: > `key`). */
function bound(keys: readonly Key[], key: Key, after: boolean): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid] < key || (after && keys[mid] === key)) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class RecordIndexes {
  private readonly built = new Map<string, Built<unknown>>();

  constructor(private readonly org: Org) {}

  /** Whether `field` of `def` has an index (a stored field: a formula may read other records). */
  has(def: ObjectDef, field: FieldDef): boolean {
    return field.formula === undefined && (INDEXED_FIELDS[def.name]?.includes(field.name) ?? false);
  }

  /**
   * The records whose `field` satisfies `operator` against the literal's bounds, in no particular order (duplicates
   * possible for an IN list repeating a value); undefined when the field has no index.
   */
  lookup(
    def: ObjectDef,
    field: FieldDef,
    operator: IndexedOperator,
    bounds: readonly Bound[],
  ): SObjectRecord[] | undefined {
    if (!this.has(def, field)) return undefined;
    if (operator === '=' || operator === 'IN') return bounds.flatMap((b) => this.equal(def, field, b));
    const b = bounds[0];
    if (!b || b.kind === 'null') return [];
    const { keys, records } = this.sorted(def, field);
    // A date literal's span [from, until) compares as SOQL does: `< TODAY` before it starts, `<= TODAY` before it ends.
    const [low, high] = b.kind === 'range' ? [b.from, b.until] : [b.key, b.key];
    const point = b.kind === 'point';
    if (operator === '<') return records.slice(0, bound(keys, low, false));
    if (operator === '<=') return records.slice(0, bound(keys, high, point));
    if (operator === '>') return records.slice(bound(keys, high, point));
    return records.slice(bound(keys, low, false));
  }

  /** The records of `def` whose reference `field` points at one of `parents`; undefined without an index on it. */
  referencing(def: ObjectDef, field: FieldDef, parents: readonly SObjectRecord[]): SObjectRecord[] | undefined {
    if (!this.has(def, field)) return undefined;
    const hash = this.hash(def, field);
    return parents.flatMap((parent) => hash.get(comparisonKey('id', parent.Id)) ?? []);
  }

  /** `records` without repeats, in the object's own order (the order a scan would have met them in). */
  inObjectOrder(def: ObjectDef, records: readonly SObjectRecord[]): SObjectRecord[] {
    const positions = this.positions(def);
    const unique = [...new Set(records)];
    return unique.sort((a, b) => (positions.get(a) ?? 0) - (positions.get(b) ?? 0));
  }

  private equal(def: ObjectDef, field: FieldDef, b: Bound): SObjectRecord[] {
    if (b.kind === 'null') return [];
    if (b.kind === 'point') return this.hash(def, field).get(b.key) ?? [];
    const { keys, records } = this.sorted(def, field);
    return records.slice(bound(keys, b.from, false), bound(keys, b.until, false));
  }

  private hash(def: ObjectDef, field: FieldDef): Map<Key, SObjectRecord[]> {
    return this.cached(def, `hash:${field.name}`, (rows) => {
      const map = new Map<Key, SObjectRecord[]>();
      for (const record of rows) {
        const value = readField(field, record);
        if (value == null) continue;
        const key = comparisonKey(field.type, value);
        const bucket = map.get(key);
        if (bucket) bucket.push(record);
        else map.set(key, [record]);
      }
      return map;
    });
  }

  private sorted(def: ObjectDef, field: FieldDef): Sorted {
    return this.cached(def, `sorted:${field.name}`, (rows) => {
      const entries: { key: Key; at: number }[] = [];
      rows.forEach((record, at) => {
        const value = readField(field, record);
        if (value != null) entries.push({ key: comparisonKey(field.type, value), at });
      });
      entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.at - b.at));
      return { keys: entries.map((e) => e.key), records: entries.map((e) => rows[e.at]) };
    });
  }

  private positions(def: ObjectDef): Map<SObjectRecord, number> {
    return this.cached(def, 'positions', (rows) => new Map(rows.map((record, at) => [record, at])));
  }

  private cached<T>(def: ObjectDef, name: string, build: (rows: SObjectRecord[]) => T): T {
    const key = `${def.name}:${name}`;
    const version = this.org.version(def.name);
    const hit = this.built.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = build(this.org.records(def.name));
    this.built.set(key, { version, value });
    return value;
  }
}
