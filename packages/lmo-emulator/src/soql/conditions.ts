/**
 * One comparison (`field op value`) compiled into a predicate, with Salesforce's typing rules
 * (a literal must match its field's type) and its null rules (a null field matches `= null`,
 * `!= 'x'` and `NOT IN`, never `<`, `>` or LIKE). Values are compared as keys: text lower-cased
 * (SOQL text comparison is case-insensitive), Ids by their 15-character form, dates and datetimes
 * as fixed-width strings.
 */
import type { LiteralType, Operator } from '@jetstreamapp/soql-parser-js';
import type { FieldDef, FieldType } from '../schema.js';
import { dateLiteralRange, formatDateTime, normalizeDateTime, startOfDateInZone } from './dates.js';
import { malformed, SoqlError, unsupported } from './errors.js';
import type { Predicate } from './logic.js';

export interface Operand<T> {
  /** As written in the query, for messages. */
  name: string;
  type: FieldType;
  /** For INCLUDES/EXCLUDES and LIKE, which only some fields allow. */
  field?: FieldDef;
  read: (row: T) => unknown;
}

/** The literal side of a condition, as the parser gives it. */
export interface ConditionValue {
  operator: Operator;
  value: string | string[];
  literalType?: LiteralType | LiteralType[];
}

export interface DateContext {
  today: string;
  timezone: string;
}

export type Key = string | number | boolean;
/** A literal as a key: null, one value, or a date literal's span [from, until). */
export type Bound = { kind: 'null' } | { kind: 'point'; key: Key } | { kind: 'range'; from: string; until: string };

type ValueClass = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

const VALUE_CLASS: Record<FieldType, ValueClass> = {
  id: 'id',
  reference: 'id',
  string: 'text',
  textarea: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  picklist: 'text',
  boolean: 'boolean',
  int: 'number',
  double: 'number',
  currency: 'number',
  date: 'date',
  datetime: 'datetime',
  anyType: 'text',
};

const ACCEPTED_LITERALS: Record<ValueClass, LiteralType[]> = {
  text: ['STRING'],
  id: ['STRING'],
  number: ['INTEGER', 'DECIMAL'],
  boolean: ['BOOLEAN'],
  date: ['DATE', 'DATE_LITERAL', 'DATE_N_LITERAL'],
  datetime: ['DATETIME', 'DATE_LITERAL', 'DATE_N_LITERAL'],
};

const TYPE_WORD: Record<ValueClass, string> = {
  text: 'string',
  id: 'id',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

const keyOf: Record<ValueClass, (value: unknown) => Key> = {
  text: (v) => String(v).toLowerCase(),
  id: (v) => String(v).slice(0, 15),
  number: (v) => Number(v),
  boolean: (v) => v === true,
  date: (v) => String(v),
  datetime: (v) => String(v),
};

const filterError = (message: string) => new SoqlError('INVALID_QUERY_FILTER_OPERATOR', message);

// ---- string literals -------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** A quoted SOQL string as characters; `wildcard` marks an unescaped `%` or `_` (meaningful to LIKE). */
function scanString(quoted: string): { char: string; wildcard: boolean }[] {
  const body = quoted.slice(1, -1);
  const chars: { char: string; wildcard: boolean }[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      chars.push({ char: c, wildcard: c === '%' || c === '_' });
      continue;
    }
    const next = body[++i];
    const decoded = next === '%' || next === '_' ? next : ESCAPES[next];
    if (decoded === undefined) {
      throw malformed(
        `Invalid string literal ${quoted}. Illegal character sequence '\\${next ?? ''}' in string literal.`,
      );
    }
    chars.push({ char: decoded, wildcard: false });
  }
  return chars;
}

export function decodeString(quoted: string): string {
  return scanString(quoted)
    .map((c) => c.char)
    .join('');
}

/**
 * A character as LIKE's case-insensitive match compares it: JavaScript's `i` flag without `u` (ECMAScript's
 * Canonicalize), so an index of these keys finds every text the pattern matches.
 */
export function likeCharacterKey(char: string): string {
  const upper = char.toUpperCase();
  return upper.length !== 1 || (char.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? char : upper;
}

/** The literal text of a LIKE pattern between its wildcards, for a trigram lookup. */
export function likeRuns(quoted: string): string[] {
  const runs = [''];
  for (const { char, wildcard } of scanString(quoted)) {
    if (wildcard) runs.push('');
    else runs[runs.length - 1] += char;
  }
  return runs.filter((run) => run.length > 0);
}

function likePattern(quoted: string): RegExp {
  const source = scanString(quoted)
    .map(({ char, wildcard }) => (wildcard ? (char === '%' ? '.*' : '.') : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'is');
}

// ---- literal → bound ---------------------------------------------------------------------------

const asArray = <V>(value: V | V[] | undefined): V[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function isValidDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

function toBound(
  operand: Operand<unknown>,
  valueClass: ValueClass,
  raw: string,
  literalType: LiteralType,
  dates: DateContext,
): Bound {
  if (literalType === 'NULL') return { kind: 'null' };
  if (literalType === 'APEX_BIND_VARIABLE') throw malformed(`Bind variables are only allowed in Apex code: ${raw}`);
  if (literalType.endsWith('CURRENCY_PREFIX')) throw unsupported(`currency-prefixed values (${raw})`);
  if (!ACCEPTED_LITERALS[valueClass].includes(literalType)) {
    const quoting = valueClass === 'text' || valueClass === 'id' ? 'should be enclosed' : 'should not be enclosed';
    throw filterError(
      `value of filter criterion for field '${operand.name}' must be of type ${TYPE_WORD[valueClass]} and ${quoting} in quotes`,
    );
  }
  switch (literalType) {
    case 'STRING': {
      const text = decodeString(raw);
      if (valueClass === 'id' && !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(text))
        throw filterError(`invalid ID field: ${text}`);
      return { kind: 'point', key: keyOf[valueClass](text) };
    }
    case 'INTEGER':
    case 'DECIMAL':
      return { kind: 'point', key: Number(raw) };
    case 'BOOLEAN':
      return { kind: 'point', key: raw.toUpperCase() === 'TRUE' };
    case 'DATE':
      if (!isValidDate(raw)) throw malformed(`line 1: invalid date: ${raw}`);
      return { kind: 'point', key: raw };
    case 'DATETIME': {
      const normalized = isValidDate(raw.slice(0, 10)) && normalizeDateTime(raw);
      if (!normalized) throw malformed(`line 1: invalid datetime: ${raw}`);
      return { kind: 'point', key: normalized };
    }
    default: {
      // The literal carries its own `:n`; the parser's dateLiteralVariable drops a 0.
      const range = dateLiteralRange(raw, dates.today);
      if (valueClass === 'date') return { kind: 'range', ...range };
      const instant = (date: string) => formatDateTime(startOfDateInZone(date, dates.timezone));
      return { kind: 'range', from: instant(range.from), until: instant(range.until) };
    }
  }
}

function bounds(
  operand: Operand<unknown>,
  valueClass: ValueClass,
  condition: ConditionValue,
  dates: DateContext,
): Bound[] {
  const values = asArray(condition.value);
  const types = asArray(condition.literalType);
  return values.map((raw, i) => toBound(operand, valueClass, raw, types[i] ?? types[0], dates));
}

// ---- operators ---------------------------------------------------------------------------------

function equals(key: Key, bound: Bound): boolean {
  if (bound.kind === 'point') return key === bound.key;
  if (bound.kind === 'range') return key >= bound.from && key < bound.until;
  return false;
}

/** For a non-null field value: does `key op bound` hold? */
function orderingTest(operator: '<' | '<=' | '>' | '>=', bound: Bound): (key: Key) => boolean {
  if (bound.kind === 'null') return () => false;
  if (bound.kind === 'range') {
    const { from, until } = bound;
    if (operator === '<') return (key) => key < from;
    if (operator === '<=') return (key) => key < until;
    if (operator === '>') return (key) => key >= until;
    return (key) => key >= from;
  }
  const b = bound.key;
  if (operator === '<') return (key) => key < b;
  if (operator === '<=') return (key) => key <= b;
  if (operator === '>') return (key) => key > b;
  return (key) => key >= b;
}

export function compileCondition<T>(operand: Operand<T>, condition: ConditionValue, dates: DateContext): Predicate<T> {
  const valueClass = VALUE_CLASS[operand.type];
  // The parser passes `<>` through as written; it means `!=`.
  const operator = (condition.operator as string) === '<>' ? '!=' : condition.operator;
  const invalidOperator = () => filterError(`invalid operator on field '${operand.name}': ${operator}`);
  const list = bounds(operand as Operand<unknown>, valueClass, condition, dates);
  const hasNull = list.some((b) => b.kind === 'null');

  let test: (key: Key) => boolean;
  let whenNull = false;
  switch (operator) {
    case '=':
      test = (key) => equals(key, list[0]);
      whenNull = hasNull;
      break;
    case '!=':
      test = (key) => !equals(key, list[0]);
      whenNull = !hasNull;
      break;
    case 'IN':
      test = (key) => list.some((b) => equals(key, b));
      whenNull = hasNull;
      break;
    case 'NOT IN':
      test = (key) => !list.some((b) => equals(key, b));
      whenNull = !hasNull;
      break;
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (valueClass === 'boolean') throw invalidOperator();
      test = orderingTest(operator, list[0]);
      break;
    case 'LIKE': {
      if (valueClass !== 'text' || list[0].kind !== 'point') throw invalidOperator();
      const pattern = likePattern(asArray(condition.value)[0]);
      test = (key) => pattern.test(key as string);
      break;
    }
    case 'INCLUDES':
    case 'EXCLUDES':
      // Salesforce allows these on multi-select picklists only, and the LMA's objects have none.
      throw filterError('includes or excludes operator only valid on multipicklist field');
    default:
      throw unsupported(`the operator ${String(operator)}`);
  }

  const key = keyOf[valueClass];
  const { read } = operand;
  return (row) => {
    const value = read(row);
    return value == null ? whenNull : test(key(value));
  };
}

/** The keys a condition's literals stand for (as its predicate compares them), for an index lookup (plan.ts). */
export function literalBounds<T>(operand: Operand<T>, condition: ConditionValue, dates: DateContext): Bound[] {
  return bounds(operand as Operand<unknown>, VALUE_CLASS[operand.type], condition, dates);
}

/** The comparable key of a value of a field type, as conditions use it (exported for semi-joins). */
export function comparisonKey(type: FieldType, value: unknown): Key {
  return keyOf[VALUE_CLASS[type]](value);
}
