import { describe, expect, test } from 'vitest';
import { dateInZone, startOfDateInZone, wallClockMs, zonedInstant } from '../src/index.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('wall clocks in a zone', () => {
  test('the date at an instant differs east and west of UTC', () => {
    const at = Date.parse('2026-06-15T23:30:00Z');
    expect(dateInZone(at, 'UTC')).toBe('2026-06-15');
    expect(dateInZone(at, 'Asia/Tokyo')).toBe('2026-06-16');
    expect(new Date(wallClockMs(at, 'Asia/Kolkata')).toISOString()).toBe('2026-06-16T05:00:00.000Z');
  });

  test('a local time becomes its instant; a time DST skips has none', () => {
    expect(iso(zonedInstant('2026-06-15', 9, 0, 0, 'Europe/Paris'))).toBe('2026-06-15T07:00:00.000Z');
    expect(iso(zonedInstant('2026-01-15', 9, 0, 0, 'Europe/Paris'))).toBe('2026-01-15T08:00:00.000Z');
    expect(zonedInstant('2026-03-29', 2, 30, 0, 'Europe/Paris')).toBeNull();
  });

  test('a day starts at midnight, or at its first moment where DST skips midnight', () => {
    expect(iso(startOfDateInZone('2026-06-15', 'Europe/Paris'))).toBe('2026-06-14T22:00:00.000Z');
    // São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018.
    expect(iso(startOfDateInZone('2018-11-04', 'America/Sao_Paulo'))).toBe('2018-11-04T03:00:00.000Z');
    expect(dateInZone(startOfDateInZone('2018-11-04', 'America/Sao_Paulo'), 'America/Sao_Paulo')).toBe('2018-11-04');
  });
});
