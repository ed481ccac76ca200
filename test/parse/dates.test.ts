import { describe, expect, test } from 'vitest';
import { formatIsoDate, isValidDate, parseIsoDate } from '../../src/parse/dates.js';

describe('isValidDate', () => {
  test('years 1900 to 2999 only, whole numbers', () => {
    expect(isValidDate({ year: 1900, month: 1, day: 1 })).toBe(true);
    expect(isValidDate({ year: 2999, month: 12, day: 31 })).toBe(true);
    for (const year of [1899, 3000, 2026.5]) expect(isValidDate({ year, month: 6, day: 1 }), String(year)).toBe(false);
  });

  test('months 1 to 12 and days from 1 to the month’s last, whole numbers', () => {
    for (const [month, day] of [
      [0, 1],
      [13, 1],
      [1.5, 1],
      [6, 0],
      [6, 31],
      [6, 1.5],
    ] as const) {
      expect(isValidDate({ year: 2026, month, day }), `${month}/${day}`).toBe(false);
    }
  });
});

describe('parseIsoDate', () => {
  test('reads exactly YYYY-MM-DD, nothing before or after it', () => {
    expect(parseIsoDate('2026-06-15')).toEqual({ year: 2026, month: 6, day: 15 });
    for (const text of ['x2026-06-15', '12026-06-15', '2026-06-150', '2026-06-15 ']) {
      expect(parseIsoDate(text), text).toBeUndefined();
    }
  });
});

describe('formatIsoDate', () => {
  test('writes months and days with two digits', () => {
    expect(formatIsoDate({ year: 2026, month: 3, day: 5 })).toBe('2026-03-05');
  });
});
