/**
 * SOQL building. `literal` is the one escaping helper: user text reaches a query only through it.
 * Numbers and dates are validated, not pasted.
 */

/**
 * A SOQL string literal, quoted and escaped ('\\', quote, newlines, tabs…). A lone UTF-16 surrogate (half an
 * emoji cut by a slice, or sent escaped in a JSON event) becomes U+FFFD: it cannot be URL-encoded into a request.
 */
export function literal(value: string): string {
  const escaped = value.replace(LONE_SURROGATE, '\uFFFD').replace(/[\\'"\n\r\t\b\f]/g, (c) => SOQL_ESCAPES[c] ?? c);
  return `'${escaped}'`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A LIKE pattern matching `value` anywhere, with its own `%` and `_` taken literally. */
export function containsLiteral(value: string): string {
  return literal(value)
    .replace(/[%_]/g, (c) => `\\${c}`)
    .replace(/^'/, "'%")
    .replace(/'$/, "%'");
}

/** A LIKE pattern matching values that start with `value` (its `%` and `_` literal). */
export function startsWithLiteral(value: string): string {
  return literal(value)
    .replace(/[%_]/g, (c) => `\\${c}`)
    .replace(/'$/, "%'");
}

const SOQL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A date literal; throws on anything that is not a real YYYY-MM-DD date (never reached by user text unchecked). */
export function dateLiteral(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new Error(`Not a date: ${JSON.stringify(date)}`);
  }
  return date;
}

/** A datetime literal for an instant, in UTC ('2026-11-29T09:00:00Z'). */
export function dateTimeLiteral(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An Id literal, only for text that has the shape of a Salesforce id (15 or 18 alphanumerics). */
export function idLiteral(id: string): string {
  if (!isSalesforceId(id)) throw new Error(`Not a Salesforce id: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

export function isSalesforceId(text: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(text);
}

/** Joins conditions with AND, dropping empty ones; parenthesised so OR-groups stay intact. */
export function and(...conditions: (string | undefined | false)[]): string {
  return conditions
    .filter((c): c is string => Boolean(c))
    .map((c) => `(${c})`)
    .join(' AND ');
}
