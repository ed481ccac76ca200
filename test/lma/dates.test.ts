import { describe, expect, test } from 'vitest';
import {
  addDays,
  daysBetween,
  formatDate,
  formatDateTime,
  relativeDays,
  startOfDayIn,
  todayIn,
} from '../../src/lma/dates.js';

describe('today in a time zone', () => {
  test('the same instant is a different date east and west of UTC', () => {
    const at = new Date('2026-06-15T23:30:00Z');
    expect(todayIn('UTC', at)).toBe('2026-06-15');
    expect(todayIn('Asia/Tokyo', at)).toBe('2026-06-16');
    expect(todayIn('America/Los_Angeles', at)).toBe('2026-06-15');
    expect(todayIn('Pacific/Honolulu', new Date('2026-06-16T05:00:00Z'))).toBe('2026-06-15');
  });

  test('start of a day in a zone, also on a DST change day', () => {
    expect(startOfDayIn('2026-06-15', 'UTC').toISOString()).toBe('2026-06-15T00:00:00.000Z');
    expect(startOfDayIn('2026-06-15', 'Europe/Paris').toISOString()).toBe('2026-06-14T22:00:00.000Z');
    // Clocks go forward at 02:00 on 8 March 2026 in New York: the day starts at 05:00Z (EST), the next at 04:00Z (EDT).
    expect(startOfDayIn('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDayIn('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });
});

describe('date arithmetic', () => {
  test('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-06-15', 30)).toBe('2026-07-15');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  test('days between, readable forms', () => {
    expect(daysBetween('2026-06-15', '2026-07-15')).toBe(30);
    expect(daysBetween('2026-06-15', '2026-06-12')).toBe(-3);
    expect(formatDate('2026-06-15')).toBe('Mon 15 Jun 2026');
    expect([0, 1, -1, 5, -3].map(relativeDays)).toEqual(['today', 'tomorrow', 'yesterday', 'in 5 days', '3 days ago']);
  });
});

describe('an instant shown in the bot’s zone', () => {
  test('day, month, year and 24-hour time in that zone, the zone named; each zone its own', () => {
    const at = new Date('2026-11-29T08:05:00Z');
    expect(formatDateTime(at, 'Europe/Paris')).toBe('29 Nov 2026, 09:05 (Europe/Paris)');
    expect(formatDateTime(at, 'America/Los_Angeles')).toBe('29 Nov 2026, 00:05 (America/Los_Angeles)');
    expect(formatDateTime(new Date('2026-11-29T23:30:00Z'), 'UTC')).toBe('29 Nov 2026, 23:30 (UTC)');
  });
});
