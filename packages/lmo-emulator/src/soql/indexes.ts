/**
 * Field indexes over the embedded LMO's records, so a selective query at 100,000 licenses reads the records it may
 * match rather than every one (plan.ts decides which index a WHERE clause can use). An index holds records by their
 * position in the object (Org.records), so offers intersect, merge and go back into the object's order as numbers.
 * Each index is built on first use and rebuilt once the object's records have changed (Org.version), so it never
 * answers from stale data. Records changed in place behind the Org's back (tests do that) would go unseen: indexes
 * are opt-in (EmulatorOptions.indexes).
 */
import type { Org } from '../org.js';
import { readField } from '../org.js';
import type { FieldDef, ObjectDef, SObjectRecord } from '../schema.js';
import { type Bound, comparisonKey, type Key, likeCharacterKey } from './conditions.js';

/** The fields the bot and the demo filter by (and the lookups their relationship filters walk), per object. */
export const INDEXED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  sfLma__License__c: [
    'Id',
    'sfLma__Status__c',
    'sfLma__Expiration__c',
    'sfLma__Seats__c',
    'sfLma__Used_Licenses__c',
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

/** Text fields a contains-LIKE searches (a customer's name): each has a trigram index. */
export const TEXT_INDEXED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name'],
  Lead: ['Company'],
};

/** Comparison operators an index answers; every one of them is false for a null field. */
export type IndexedOperator = '=' | 'IN' | '<' | '<=' | '>' | '>=';

/** One `field operator literal` of a WHERE clause, on a field of the queried object itself. */
export interface Comparison {
  field: FieldDef;
  operator: IndexedOperator;
  bounds: readonly Bound[];
}

interface Sorted {
  /** Non-null keys ascending, ties in the object's order, and their records' positions alongside. */
  keys: Key[];
  positions: number[];
}

interface Built<T> {
  version: number;
  value: T;
}

/** A way to find a conjunction's candidates: how many it yields (known before any is gathered), and the gathering. */
interface Option {
  size: number;
  take(): number[];
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

/**
 * The keys [start, end) of a sorted index that satisfy one comparison. A date literal's span [from, until) compares
 * as SOQL does: `< TODAY` before it starts, `<= TODAY` before it ends, `= TODAY` inside it.
 */
function spanOf(keys: readonly Key[], operator: IndexedOperator, b: Bound): [number, number] {
  if (b.kind === 'null') return [0, 0];
  const [low, high] = b.kind === 'range' ? [b.from, b.until] : [b.key, b.key];
  const point = b.kind === 'point';
  switch (operator) {
    case '<':
      return [0, bound(keys, low, false)];
    case '<=':
      return [0, bound(keys, high, point)];
    case '>':
      return [bound(keys, high, point), keys.length];
    case '>=':
      return [bound(keys, low, false), keys.length];
    default:
      return [bound(keys, low, false), bound(keys, high, point)];
  }
}

/** The keys every comparison (each with one literal) allows: the intersection of their spans. */
function spanOfAll(keys: readonly Key[], comparisons: readonly Comparison[]): [number, number] {
  let start = 0;
  let end = keys.length;
  for (const c of comparisons) {
    const [s, e] = spanOf(keys, c.operator, c.bounds[0]);
    start = Math.max(start, s);
    end = Math.min(end, e);
  }
  return [start, Math.max(start, end)];
}

/** A comparison a hash answers: equal to one of its literals, each a single value. */
const isPointEquality = (c: Comparison) =>
  (c.operator === '=' || c.operator === 'IN') && c.bounds.every((b) => b.kind === 'point');

/** Entries sorted by key, ties by position. */
function sortedOf(entries: { key: Key; at: number }[]): Sorted {
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.at - b.at));
  return { keys: entries.map((e) => e.key), positions: entries.map((e) => e.at) };
}

/** Positions in both ascending lists. */
function intersect(small: readonly number[], large: readonly number[]): number[] {
  const both: number[] = [];
  let j = 0;
  for (const at of small) {
    while (j < large.length && large[j] < at) j++;
    if (j === large.length) break;
    if (large[j] === at) both.push(at);
  }
  return both;
}

/** The three-character runs of a text, each character (UTF-16 unit, as LIKE's pattern reads them) as LIKE compares it. */
function trigrams(text: string): string[] {
  const chars = text.split('').map(likeCharacterKey);
  const grams: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) grams.push(chars[i] + chars[i + 1] + chars[i + 2]);
  return grams;
}

export class RecordIndexes {
  private readonly built = new Map<string, Built<unknown>>();

  constructor(private readonly org: Org) {}

  /** Whether `field` of `def` has an index (a stored field: a formula may read other records). */
  has(def: ObjectDef, field: FieldDef): boolean {
    return field.formula === undefined && (INDEXED_FIELDS[def.name]?.includes(field.name) ?? false);
  }

  /**
   * Positions of the records that may satisfy every comparison (each on an indexed field of `def`), from whichever
   * index offers the fewest: a hash bucket, a span of one field's sorted keys (all its comparisons at once), or an
   * equality's bucket sorted by a second field and spanned by that field's comparisons. Ascending is not promised, and
   * an IN repeating a value repeats its records. Undefined when no comparison has an index.
   */
  conjunction(def: ObjectDef, comparisons: readonly Comparison[]): number[] | undefined {
    const byField = new Map<FieldDef, Comparison[]>();
    for (const c of comparisons) {
      if (!this.has(def, c.field)) continue;
      byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
    }
    const options: Option[] = [];
    for (const [field, group] of byField) {
      const ranged = group.filter((c) => c.bounds.length === 1);
      if (ranged.length > 0) {
        const { keys, positions } = this.sorted(def, field);
        const [start, end] = spanOfAll(keys, ranged);
        options.push({ size: end - start, take: () => positions.slice(start, end) });
      }
      const equality = group.find(isPointEquality);
      if (!equality) continue;
      const keys = equality.bounds.map((b) => (b as { key: Key }).key);
      const hash = this.hash(def, field);
      const buckets = keys.map((key) => hash.get(key) ?? []);
      options.push({ size: buckets.reduce((n, b) => n + b.length, 0), take: () => buckets.flat() });
      for (const [second, secondGroup] of byField) {
        const secondRanged = secondGroup.filter((c) => c.bounds.length === 1);
        if (second === field || secondRanged.length === 0) continue;
        const pair = this.pair(def, field, second);
        const spans = keys.map((key) => {
          const sorted = pair.get(key) ?? { keys: [], positions: [] };
          return { sorted, span: spanOfAll(sorted.keys, secondRanged) };
        });
        options.push({
          size: spans.reduce((n, { span }) => n + span[1] - span[0], 0),
          take: () => spans.flatMap(({ sorted, span }) => sorted.positions.slice(span[0], span[1])),
        });
      }
    }
    if (options.length === 0) return undefined;
    return options.reduce((best, option) => (option.size < best.size ? option : best)).take();
  }

  /**
   * Positions (ascending) of the records whose text `field` may match a LIKE pattern with these literal runs (the text
   * between its wildcards): those holding every three-character run of them. Undefined without a trigram index on the
   * field, or when no run is three characters long.
   */
  containing(def: ObjectDef, field: FieldDef, runs: readonly string[]): number[] | undefined {
    if (!(TEXT_INDEXED_FIELDS[def.name]?.includes(field.name) ?? false)) return undefined;
    const grams = [...new Set(runs.flatMap(trigrams))];
    if (grams.length === 0) return undefined;
    const index = this.trigrams(def, field);
    const lists = grams.map((gram) => index.get(gram) ?? []).sort((a, b) => a.length - b.length);
    return lists.slice(1).reduce((found, list) => intersect(found, list), lists[0]);
  }

  /** Positions of the records of `def` whose reference `field` points at one of `parents`; undefined without an index. */
  referencing(def: ObjectDef, field: FieldDef, parents: readonly SObjectRecord[]): number[] | undefined {
    if (!this.has(def, field)) return undefined;
    const hash = this.hash(def, field);
    return parents.flatMap((parent) => hash.get(comparisonKey('id', parent.Id)) ?? []);
  }

  /** The records at `positions` without repeats, in the object's own order (the order a scan would have met them in). */
  inObjectOrder(def: ObjectDef, positions: readonly number[]): SObjectRecord[] {
    const rows = this.org.records(def.name);
    const sorted = Int32Array.from(positions).sort();
    const records: SObjectRecord[] = [];
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) records.push(rows[sorted[i]]);
    return records;
  }

  /** The records at `positions` without repeats, in the order given. */
  distinct(def: ObjectDef, positions: readonly number[]): SObjectRecord[] {
    const rows = this.org.records(def.name);
    const seen = new Uint8Array(rows.length);
    const records: SObjectRecord[] = [];
    for (const at of positions) {
      if (seen[at]) continue;
      seen[at] = 1;
      records.push(rows[at]);
    }
    return records;
  }

  private keyed(def: ObjectDef, field: FieldDef): { key: Key; at: number }[] {
    const entries: { key: Key; at: number }[] = [];
    this.org.records(def.name).forEach((record, at) => {
      const value = readField(field, record);
      if (value != null) entries.push({ key: comparisonKey(field.type, value), at });
    });
    return entries;
  }

  private hash(def: ObjectDef, field: FieldDef): Map<Key, number[]> {
    return this.cached(def, `hash:${field.name}`, () => {
      const map = new Map<Key, number[]>();
      for (const { key, at } of this.keyed(def, field)) {
        const bucket = map.get(key);
        if (bucket) bucket.push(at);
        else map.set(key, [at]);
      }
      return map;
    });
  }

  private sorted(def: ObjectDef, field: FieldDef): Sorted {
    return this.cached(def, `sorted:${field.name}`, () => sortedOf(this.keyed(def, field)));
  }

  /** Per key of `first`, its records sorted by `second` (a composite index, as (status, expiration)). */
  private pair(def: ObjectDef, first: FieldDef, second: FieldDef): Map<Key, Sorted> {
    return this.cached(def, `pair:${first.name}:${second.name}`, () => {
      const rows = this.org.records(def.name);
      const groups = new Map<Key, { key: Key; at: number }[]>();
      for (const entry of this.keyed(def, second)) {
        const value = readField(first, rows[entry.at]);
        if (value == null) continue;
        const key = comparisonKey(first.type, value);
        const group = groups.get(key);
        if (group) group.push(entry);
        else groups.set(key, [entry]);
      }
      return new Map([...groups].map(([key, entries]) => [key, sortedOf(entries)]));
    });
  }

  /** Each trigram of the field's values, as LIKE compares them, to the positions (ascending) holding it. */
  private trigrams(def: ObjectDef, field: FieldDef): Map<string, number[]> {
    return this.cached(def, `trigrams:${field.name}`, () => {
      const map = new Map<string, number[]>();
      for (const { key, at } of this.keyed(def, field)) {
        for (const gram of new Set(trigrams(String(key)))) {
          const list = map.get(gram);
          if (list) list.push(at);
          else map.set(gram, [at]);
        }
      }
      return map;
    });
  }

  private cached<T>(def: ObjectDef, name: string, build: () => T): T {
    const key = `${def.name}:${name}`;
    const version = this.org.version(def.name);
    const hit = this.built.get(key);
    if (hit && hit.version === version) return hit.value as T;
    const value = build();
    this.built.set(key, { version, value });
    return value;
  }
}
