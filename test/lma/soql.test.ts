import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { describe, expect, test } from 'vitest';
import {
  and,
  containsLiteral,
  dateLiteral,
  dateTimeLiteral,
  idLiteral,
  isSalesforceId,
  literal,
  startsWithLiteral,
} from '../../src/lma/soql.js';

/** The string a SOQL literal stands for, read back the way Salesforce reads it: quotes off, escapes decoded. */
const READ_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
const whereValue = (soqlLiteral: string) => {
  const query = parseQuery(`SELECT Id FROM Account WHERE Name = ${soqlLiteral}`);
  const raw = (query.where?.left as { value?: string } | undefined)?.value ?? '';
  expect(raw).toMatch(/^'.*'$/s);
  return raw.slice(1, -1).replace(/\\(.)/gs, (_, c: string) => READ_ESCAPES[c] ?? c);
};

describe('literal: the one escaping helper', () => {
  test.each([`O'Brien`, `a\\b`, `' OR Name != '`, 'line\nbreak', '\t', '"quoted"', '%_', '‮rtl', '🚀'])(
    '%j stays one string literal and reads back as typed',
    (text) => {
      const soql = `SELECT Id FROM Account WHERE Name = ${literal(text)}`;
      const query = parseQuery(soql);
      expect((query.where as { right?: unknown }).right).toBeUndefined();
      expect(query.where?.left).toMatchObject({ field: 'Name', operator: '=' });
      expect(whereValue(literal(text))).toBe(text);
    },
  );

  test('quotes and backslashes are escaped, newlines written as \\n', () => {
    expect(literal(`O'Brien \\ x\ny`)).toBe(`'O\\'Brien \\\\ x\\ny'`);
  });
  test('every control character SOQL escapes is written as its escape: \\r, \\t, \\b, \\f', () => {
    expect(literal('a\rb\tc\bd\fe')).toBe(`'a\\rb\\tc\\bd\\fe'`);
  });

  test('a lone half of a surrogate pair becomes U+FFFD; a whole pair is kept', () => {
    expect(literal('cut \uD83D')).toBe(`'cut \uFFFD'`);
    expect(literal('\uDE80 tail')).toBe(`'\uFFFD tail'`);
    expect(literal('🚀')).toBe(`'🚀'`);
  });
});

describe('LIKE patterns', () => {
  test('containsLiteral wraps in % and takes the user’s own % and _ literally', () => {
    expect(containsLiteral('50%_off')).toBe(`'%50\\%\\_off%'`);
    expect(startsWithLiteral('1.')).toBe(`'1.%'`);
  });

  test('startsWithLiteral takes the user’s own % and _ literally too', () => {
    expect(startsWithLiteral('50%_off')).toBe(`'50\\%\\_off%'`);
  });
});

describe('validated literals', () => {
  test('dates and ids are checked, never pasted', () => {
    expect(dateLiteral('2026-06-15')).toBe('2026-06-15');
    expect(() => dateLiteral("2026-06-15' OR '1'='1")).toThrow('Not a date');
    expect(() => dateLiteral('2026-13-45')).toThrow('Not a date');
    // A date JavaScript reads (an expanded year) but SOQL does not.
    expect(() => dateLiteral('+012026-06-15')).toThrow('Not a date');
    // A real date followed by text JavaScript's date parser skips as a comment: the text would reach the query.
    expect(() => dateLiteral("2026-06-15 (' OR Name != '")).toThrow('Not a date');
    expect(idLiteral('a0L000000000001AAA')).toBe(`'a0L000000000001AAA'`);
    expect(() => idLiteral("a0L' OR Id != '")).toThrow('Not a Salesforce id');
  });

  test('a datetime literal is the instant in UTC to the second, its milliseconds dropped', () => {
    expect(dateTimeLiteral(new Date('2026-11-29T09:00:00.123+01:00'))).toBe('2026-11-29T08:00:00Z');
  });

  test('an id is 15 or 18 alphanumerics, nothing around them', () => {
    const id15 = 'a0L000000000001';
    expect(isSalesforceId(id15)).toBe(true);
    expect(isSalesforceId(`${id15}AAA`)).toBe(true);
    for (const wrong of [`${id15}A`, `${id15}AA`, `${id15}AAAA`, `x${id15}AAA`, `-${id15}`, id15.slice(1)]) {
      expect(isSalesforceId(wrong), wrong).toBe(false);
    }
  });

  test('and() parenthesises each condition and drops empty ones', () => {
    expect(and('A = 1 OR B = 2', undefined, false, 'C = 3')).toBe('(A = 1 OR B = 2) AND (C = 3)');
  });
});
