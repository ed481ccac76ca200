/**
 * Field indexes over the embedded LMO's records, so a selective query at 100,000 licenses reads the records it may
 * match rather than every one (plan.ts decides which index a WHERE clause can use). An index holds records by their
 * position in the object (Org.records), so offers intersect, merge and go back into the object's order as numbers.
 * Each index is built on first use and, once the object's records have changed (Org.version), brought up to date from
 * the records written or inserted since (Org.changedSince: the rest keep their place, the changed ones are sorted in
 * anew) — so one write costs no rebuild of 100,000 keys — or rebuilt when the Org cannot tell what changed (a
 * removal); it never answers from stale data. Records changed in place behind the Org's back (tests do that) would go
 * unseen: indexes are opt-in (EmulatorOptions.indexes).
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
    // Every renewals query tests it: through its column, not each record.
    'sfLma__Subscriber_Org_Is_Sandbox__c',
    'sfLma__Package__c',
    'sfLma__Account__c',
    'sfLma__Lead__c',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  sfLma__License__History: ['Id', 'ParentId', 'Field', 'CreatedDate'],
  Account: ['OwnerId'],
  Lead: ['OwnerId'],
  User: ['Email'],
};

/** Text fields a contains-LIKE searches (a customer's name): each has a trigram index. */
export const TEXT_INDEXED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Account: ['Name'],
  Lead: ['Company'],
};

/**
 * Comparison operators an index answers: every one but `= null` is false for a null field. `!=` and `NOT IN` (true
 * for a null field) only narrow another comparison of their field, which has already left the nulls out.
 */
export type IndexedOperator = '=' | 'IN' | '<' | '<=' | '>' | '>=' | '!=' | 'NOT IN';

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

/** A field by position (RecordIndexes.column). */
export interface Column {
  ranks: Int32Array;
  /** Kept up to date in place (RecordIndexes.column). */
  keys: Key[];
}

/** A field's sorted index, and the positions (ascending) of the records where it is null. */
interface SortedField extends Sorted {
  nulls: number[];
}

interface Built<T> {
  version: number;
  value: T;
}

/** The positions whose records changed since an index was built: flagged by position, and listed ascending. */
interface Delta {
  changed: Uint8Array;
  positions: number[];
}

/** A way to find a clause's candidates: how many it yields (known before any is gathered), and the gathering. */
export interface Option {
  size: number;
  take(): number[];
  /**
   * The field whose keys the positions come in, ascending (ties in the object's order), each once: a span of its
   * sorted index, or of one equality's bucket sorted by it. Undefined: no such order.
   */
  sortedBy?: FieldDef;
  /**
   * The comparisons whose matches the positions are exactly, each once (not a superset): a COUNT() filtered by no
   * more than these is the option's size (plan.ts exactCount). Undefined: none.
   */
  answers?: ReadonlySet<Comparison>;
}

/** Candidates found one way or another: an OR's (whichever part offers them). */
export function unionOf(options: readonly Option[]): Option {
  return { size: options.reduce((n, o) => n + o.size, 0), take: () => gather(options.map((o) => whole(o.take()))) };
}

/** The option yielding fewer candidates. */
export const fewer = (a: Option | undefined, b: Option | undefined): Option | undefined =>
  !a || (b && b.size < a.size) ? b : a;

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

/**
 * The keys every ranged comparison (each with one literal) allows, the intersection of their spans, less those every
 * exclusion (`!=`, `NOT IN`) leaves out: the spans between them.
 */
function spansOf(
  keys: readonly Key[],
  ranged: readonly Comparison[],
  exclusions: readonly Comparison[],
): [number, number][] {
  let start = 0;
  let end = keys.length;
  for (const c of ranged) {
    const [s, e] = spanOf(keys, c.operator, c.bounds[0]);
    start = Math.max(start, s);
    end = Math.min(end, e);
  }
  if (end <= start) return [];
  const holes = exclusions
    .flatMap((c) => c.bounds.filter((b) => b.kind !== 'null').map((b) => spanOf(keys, '=', b)))
    .sort((a, b) => a[0] - b[0]);
  const spans: [number, number][] = [];
  let from = start;
  for (const [s, e] of holes) {
    if (s > from) spans.push([from, Math.min(s, end)]);
    from = Math.max(from, e);
    if (from >= end) break;
  }
  if (from < end) spans.push([from, end]);
  return spans.filter(([s, e]) => e > s);
}

const sizeOf = (spans: readonly [number, number][]) => spans.reduce((n, [s, e]) => n + e - s, 0);
/** Spans of a list of positions. */
interface Spanned {
  positions: readonly number[];
  spans: readonly [number, number][];
}

const whole = (positions: readonly number[]): Spanned => ({ positions, spans: [[0, positions.length]] });

/** The positions in every span, in order, in one array (a loop: flat and flatMap copy many times slower). */
function gather(lists: readonly Spanned[]): number[] {
  const gathered: number[] = [];
  for (const { positions, spans } of lists) {
    for (const [start, end] of spans) for (let i = start; i < end; i++) gathered.push(positions[i]);
  }
  return gathered;
}

/** A condition on a field's comparison keys: its operator and literals, and its test of one key (null: of a null). */
export interface KeyComparison {
  operator: string;
  bounds: readonly Bound[];
  test: (key: unknown) => boolean;
}

const SPANNED: ReadonlySet<string> = new Set(['=', 'IN', '<', '<=', '>', '>=', '!=', 'NOT IN']);

/**
 * A condition through a column, true for the positions whose rank it holds for. A comparison holds for spans of the
 * sorted keys (spanOf, as an index reads them; their complement for `!=` and `NOT IN`), so a record costs a look-up
 * of its rank; any other (LIKE) is decided once per distinct key. A null rank takes the condition's own null rule.
 */
export function columnTest(column: Column, comparison: KeyComparison): (at: number) => boolean {
  const { ranks, keys } = column;
  const whenNull = comparison.test(null);
  if (!SPANNED.has(comparison.operator)) {
    const decided = new Int8Array(keys.length).fill(-1);
    return (at) => {
      const rank = ranks[at];
      if (rank < 0) return whenNull;
      let holds = decided[rank];
      if (holds < 0) holds = decided[rank] = comparison.test(keys[rank]) ? 1 : 0;
      return holds === 1;
    };
  }
  const listed = comparison.operator === 'IN' || comparison.operator === 'NOT IN' || comparison.operator === '!=';
  const operator = (listed ? '=' : comparison.operator) as IndexedOperator;
  const spans = comparison.bounds.map((b) => spanOf(keys, operator, b));
  const outside = comparison.operator === '!=' || comparison.operator === 'NOT IN';
  if (spans.length === 1) {
    const [start, end] = spans[0];
    return (at) => {
      const rank = ranks[at];
      return rank < 0 ? whenNull : (rank >= start && rank < end) !== outside;
    };
  }
  const inside = new Uint8Array(keys.length);
  for (const [start, end] of spans) inside.fill(1, start, end);
  return (at) => {
    const rank = ranks[at];
    return rank < 0 ? whenNull : (inside[rank] === 1) !== outside;
  };
}

/** A comparison a hash answers: equal to one of its literals, each a single value. */
const isPointEquality = (c: Comparison) =>
  (c.operator === '=' || c.operator === 'IN') && c.bounds.every((b) => b.kind === 'point');
const isNullEquality = (c: Comparison) => c.operator === '=' && c.bounds.length === 1 && c.bounds[0].kind === 'null';
const isExclusion = (c: Comparison) => c.operator === '!=' || c.operator === 'NOT IN';
/** A comparison one span of a sorted index answers: one literal, false for a null field. */
const isRanged = (c: Comparison) => c.bounds.length === 1 && !isExclusion(c) && !isNullEquality(c);

/** Entries sorted by key, ties by position. */
function sortedOf(entries: { key: Key; at: number }[]): Sorted {
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.at - b.at));
  return { keys: entries.map((e) => e.key), positions: entries.map((e) => e.at) };
}

/**
 * A sorted index with the changed positions' old entries dropped and their new ones (`fresh`, sorted) merged in: the
 * order a rebuild gives (key, then position), without sorting what did not change.
 */
function mergedInto(stale: Sorted, changed: Uint8Array, fresh: Sorted): Sorted {
  const gone: number[] = [];
  for (let i = 0; i < stale.positions.length && gone.length <= FEW; i++) if (changed[stale.positions[i]]) gone.push(i);
  if (gone.length + fresh.keys.length <= FEW) return splicedInto(stale, gone, fresh);
  const keys: Key[] = [];
  const positions: number[] = [];
  let j = 0;
  for (let i = 0; i < stale.keys.length; i++) {
    const at = stale.positions[i];
    if (changed[at]) continue;
    const key = stale.keys[i];
    while (j < fresh.keys.length && (fresh.keys[j] < key || (fresh.keys[j] === key && fresh.positions[j] < at))) {
      keys.push(fresh.keys[j]);
      positions.push(fresh.positions[j++]);
    }
    keys.push(key);
    positions.push(at);
  }
  for (; j < fresh.keys.length; j++) {
    keys.push(fresh.keys[j]);
    positions.push(fresh.positions[j]);
  }
  return { keys, positions };
}

/** Up to this many entries dropped and added, a sorted index is copied and spliced rather than merged entry by entry. */
const FEW = 64;

/**
 * mergedInto for a few changes, in place: the entries at `gone` cut out, `fresh` put in at their places. Nothing the
 * size of the index is allocated, so one write does not set off a full collection of a large heap.
 */
function splicedInto(stale: Sorted, gone: readonly number[], fresh: Sorted): Sorted {
  const { keys, positions } = stale;
  for (let g = gone.length - 1; g >= 0; g--) {
    keys.splice(gone[g], 1);
    positions.splice(gone[g], 1);
  }
  for (let j = 0; j < fresh.keys.length; j++) {
    const key = fresh.keys[j];
    const at = fresh.positions[j];
    let i = bound(keys, key, false);
    while (i < keys.length && keys[i] === key && positions[i] < at) i++;
    keys.splice(i, 0, key);
    positions.splice(i, 0, at);
  }
  return { keys, positions };
}

/** Entries grouped by a key, each group in the order given. */
function groupedBy<T>(entries: Iterable<T>, keyOf: (entry: T) => Key | undefined): Map<Key, T[]> {
  const groups = new Map<Key, T[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
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
  /** The last delta worked out (every index of an object stale since one write shares it). */
  private delta?: { object: string; from: number; to: number; value: Delta };
  /** Indexes built from every record, and brought up to date from the records changed since. */
  readonly counts = { built: 0, updated: 0 };

  constructor(private readonly org: Org) {}

  /** Whether `field` of `def` has an index (a stored field: a formula may read other records). */
  has(def: ObjectDef, field: FieldDef): boolean {
    return field.formula === undefined && (INDEXED_FIELDS[def.name]?.includes(field.name) ?? false);
  }

  /**
   * The records that may satisfy every comparison (each on an indexed field of `def`), from whichever index offers the
   * fewest: a hash bucket, a span of one field's sorted keys (all its comparisons at once, less what its exclusions
   * leave out), the field's nulls for `= null`, or an equality's bucket sorted by a second field and spanned by that
   * field's comparisons. Ascending is not promised; each record comes once (an IN's repeated values are looked up
   * once). Undefined when no comparison has an index that narrows it.
   */
  conjunction(def: ObjectDef, comparisons: readonly Comparison[]): Option | undefined {
    return this.options(def, comparisons).reduce<Option | undefined>(fewer, undefined);
  }

  /**
   * How many records satisfy every comparison, when one of conjunction's options answers them all exactly (a smaller
   * superset may be chosen to read); undefined when none does.
   */
  exactSize(def: ObjectDef, comparisons: readonly Comparison[]): number | undefined {
    return this.options(def, comparisons).find((o) => comparisons.every((c) => o.answers?.has(c)))?.size;
  }

  /** Every way conjunction could find the comparisons' records. */
  private options(def: ObjectDef, comparisons: readonly Comparison[]): Option[] {
    const byField = new Map<FieldDef, Comparison[]>();
    for (const c of comparisons) {
      if (!this.has(def, c.field)) continue;
      byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
    }
    const options: Option[] = [];
    for (const [field, group] of byField) {
      const ranged = group.filter(isRanged);
      const exclusions = group.filter(isExclusion);
      if (ranged.length > 0) {
        const { positions, keys } = this.sorted(def, field);
        const spans = spansOf(keys, ranged, exclusions);
        options.push({
          size: sizeOf(spans),
          take: () => gather([{ positions, spans }]),
          sortedBy: field,
          answers: new Set([...ranged, ...exclusions]),
        });
      }
      const nullEqualities = group.filter(isNullEquality);
      if (nullEqualities.length > 0) {
        const { nulls } = this.sorted(def, field);
        options.push({ size: nulls.length, take: () => nulls, answers: new Set(nullEqualities) });
      }
      const equality = group.find(isPointEquality);
      if (!equality) continue;
      const keys = [...new Set(equality.bounds.map((b) => (b as { key: Key }).key))];
      const hash = this.hash(def, field);
      const buckets = keys.map((key) => hash.get(key) ?? []);
      options.push({
        size: buckets.reduce((n, b) => n + b.length, 0),
        take: () => gather(buckets.map(whole)),
        answers: new Set([equality]),
      });
      for (const [second, secondGroup] of byField) {
        const secondRanged = secondGroup.filter(isRanged);
        if (second === field || secondRanged.length === 0) continue;
        const secondExclusions = secondGroup.filter(isExclusion);
        const pair = this.pair(def, field, second);
        const spans = keys.map((key) => {
          const sorted = pair.get(key) ?? { keys: [], positions: [] };
          return { sorted, spans: spansOf(sorted.keys, secondRanged, secondExclusions) };
        });
        options.push({
          size: spans.reduce((n, { spans }) => n + sizeOf(spans), 0),
          take: () => gather(spans.map(({ sorted, spans }) => ({ positions: sorted.positions, spans }))),
          answers: new Set([equality, ...secondRanged, ...secondExclusions]),
          // One bucket is in the second field's order; several, one after another, are not.
          ...(keys.length === 1 && { sortedBy: second }),
        });
      }
    }
    return options;
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
    return gather(parents.map((parent) => whole(hash.get(comparisonKey('id', parent.Id)) ?? [])));
  }

  /** `positions` without repeats, in the object's own order (the order a scan would have met them in). */
  inObjectOrder(positions: readonly number[]): Int32Array {
    const sorted = Int32Array.from(positions).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i];
    return sorted.subarray(0, n);
  }

  /** `positions` without repeats, in the order given. */
  distinct(def: ObjectDef, positions: readonly number[]): Int32Array {
    const seen = new Uint8Array(this.org.records(def.name).length);
    const kept = new Int32Array(positions.length);
    let n = 0;
    for (const at of positions) {
      if (seen[at]) continue;
      seen[at] = 1;
      kept[n++] = at;
    }
    return kept.subarray(0, n);
  }

  /**
   * A field as a column: per position, the rank of the record's value among the field's distinct keys ascending (-1:
   * null), and those keys by rank. Records compare by rank as by their values, and a test of a key holds for every
   * record of that rank; undefined for a field without an index.
   */
  column(def: ObjectDef, field: FieldDef): Column | undefined {
    if (!this.has(def, field)) return undefined;
    const fromSorted = (): Column => {
      const { keys, positions } = this.sorted(def, field);
      const ranks = new Int32Array(this.org.records(def.name).length).fill(-1);
      const distinct: Key[] = [];
      for (let i = 0; i < keys.length; i++) {
        if (i === 0 || keys[i] !== keys[i - 1]) distinct.push(keys[i]);
        ranks[positions[i]] = distinct.length - 1;
      }
      return { ranks, keys: distinct };
    };
    return this.cached(def, `column:${field.name}`, fromSorted, (stale, { positions }) => {
      // The changed records' keys among those the column has, or after them all (a stamp of now, a new Id): their
      // ranks are set and every other record's kept. A key between two others would move ranks: derived anew.
      const rows = this.org.records(def.name);
      const { keys } = stale;
      let { ranks } = stale;
      if (ranks.length < rows.length) {
        ranks = new Int32Array(rows.length).fill(-1);
        ranks.set(stale.ranks);
      }
      for (const at of positions) {
        const value = readField(field, rows[at]);
        if (value == null) {
          ranks[at] = -1;
          continue;
        }
        const key = comparisonKey(field.type, value);
        const rank = bound(keys, key, false);
        if (rank === keys.length) keys.push(key);
        else if (keys[rank] !== key) return fromSorted();
        ranks[at] = rank;
      }
      return { ranks, keys };
    });
  }

  /** The field's key at each position (every record, or those given, ascending); the nulls' positions go to `nulls`. */
  private keyed(
    def: ObjectDef,
    field: FieldDef,
    nulls: number[] = [],
    positions?: readonly number[],
  ): { key: Key; at: number }[] {
    const rows = this.org.records(def.name);
    const entries: { key: Key; at: number }[] = [];
    const add = (at: number) => {
      const value = readField(field, rows[at]);
      if (value != null) entries.push({ key: comparisonKey(field.type, value), at });
      else nulls.push(at);
    };
    if (positions) for (const at of positions) add(at);
    else for (let at = 0; at < rows.length; at++) add(at);
    return entries;
  }

  /** Each key of the field to its records' positions, ascending (those given, or every record). */
  private buckets(def: ObjectDef, field: FieldDef, positions?: readonly number[]): Map<Key, number[]> {
    const groups = groupedBy(this.keyed(def, field, [], positions), ({ key }) => key);
    return new Map([...groups].map(([key, entries]) => [key, entries.map(({ at }) => at)]));
  }

  private hash(def: ObjectDef, field: FieldDef): Map<Key, number[]> {
    // A bucket as a sorted index whose keys are all one: mergedInto then merges by position.
    const asSorted = (bucket: readonly number[]): Sorted => ({ keys: bucket.map(() => 0), positions: [...bucket] });
    return this.cached(
      def,
      `hash:${field.name}`,
      () => this.buckets(def, field),
      (stale, { changed, positions }) => {
        const fresh = this.buckets(def, field, positions);
        const map = new Map<Key, number[]>();
        for (const key of new Set([...stale.keys(), ...fresh.keys()])) {
          const old = stale.get(key) ?? [];
          const added = fresh.get(key);
          if (!added && !old.some((at) => changed[at])) {
            map.set(key, old);
            continue;
          }
          const merged = mergedInto(asSorted(old), changed, asSorted(added ?? [])).positions;
          if (merged.length > 0) map.set(key, merged);
        }
        return map;
      },
    );
  }

  private sorted(def: ObjectDef, field: FieldDef): SortedField {
    return this.cached(
      def,
      `sorted:${field.name}`,
      () => {
        const nulls: number[] = [];
        return { ...sortedOf(this.keyed(def, field, nulls)), nulls };
      },
      (stale, { changed, positions }) => {
        const nulls = stale.nulls.filter((at) => !changed[at]);
        const fresh = sortedOf(this.keyed(def, field, nulls, positions));
        return { ...mergedInto(stale, changed, fresh), nulls: nulls.sort((a, b) => a - b) };
      },
    );
  }

  /** Per key of `first`, its records sorted by `second` (a composite index, as (status, expiration)). */
  private pair(def: ObjectDef, first: FieldDef, second: FieldDef): Map<Key, Sorted> {
    const rows = this.org.records(def.name);
    /** The entries of `second` (at these positions, or every record's) by their record's key of `first`. */
    const groups = (positions?: readonly number[]) =>
      groupedBy(this.keyed(def, second, [], positions), ({ at }) => {
        const value = readField(first, rows[at]);
        return value == null ? undefined : comparisonKey(first.type, value);
      });
    return this.cached(
      def,
      `pair:${first.name}:${second.name}`,
      () => new Map([...groups()].map(([key, entries]) => [key, sortedOf(entries)])),
      (stale, { changed, positions }) => {
        const fresh = groups(positions);
        const map = new Map<Key, Sorted>();
        for (const key of new Set([...stale.keys(), ...fresh.keys()])) {
          const merged = mergedInto(
            stale.get(key) ?? { keys: [], positions: [] },
            changed,
            sortedOf(fresh.get(key) ?? []),
          );
          if (merged.positions.length > 0) map.set(key, merged);
        }
        return map;
      },
    );
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

  /**
   * The index named, as of the object's version now: kept, brought up to date by `update` from the records changed
   * since it was built (when the Org can tell which), or built.
   */
  private cached<T>(def: ObjectDef, name: string, build: () => T, update?: (stale: T, delta: Delta) => T): T {
    const key = `${def.name}:${name}`;
    const version = this.org.version(def.name);
    const hit = this.built.get(key) as Built<T> | undefined;
    if (hit && hit.version === version) return hit.value;
    const delta = hit && update ? this.deltaSince(def, hit.version) : undefined;
    const value = hit && update && delta ? update(hit.value, delta) : build();
    this.counts[delta ? 'updated' : 'built'] += 1;
    this.built.set(key, { version, value });
    return value;
  }

  /** The positions of the records written or inserted since `version`; undefined when the Org cannot tell. */
  private deltaSince(def: ObjectDef, version: number): Delta | undefined {
    const to = this.org.version(def.name);
    const last = this.delta;
    if (last && last.object === def.name && last.from === version && last.to === to) return last.value;
    const written = this.org.changedSince(def.name, version);
    if (!written) return undefined;
    const rows = this.org.records(def.name);
    const changed = new Uint8Array(rows.length);
    const records = new Set(written);
    const positions: number[] = [];
    for (let at = 0; at < rows.length; at++) {
      if (!records.has(rows[at])) continue;
      changed[at] = 1;
      positions.push(at);
    }
    const value = { changed, positions };
    this.delta = { object: def.name, from: version, to, value };
    return value;
  }
}
