import { describe, expect, test, vi } from 'vitest';
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

  test('a second recently asked of a zone is not formatted again; other seconds and other zones are', () => {
    const format = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const midnight = Date.parse('2026-06-16T00:00:00Z');
      for (let ms = 1; ms <= 50; ms++) expect(dateInZone(midnight - ms, 'UTC')).toBe('2026-06-15');
      expect(format).toHaveBeenCalledTimes(1);
      expect(dateInZone(midnight, 'UTC')).toBe('2026-06-16');
      expect(dateInZone(midnight - 1, 'Asia/Tokyo')).toBe('2026-06-16');
      expect(format).toHaveBeenCalledTimes(3);
      expect(dateInZone(midnight - 1, 'UTC')).toBe('2026-06-15');
      expect(dateInZone(midnight, 'UTC')).toBe('2026-06-16');
      expect(format).toHaveBeenCalledTimes(3);
    } finally {
      format.mockRestore();
    }
  });

  test('however many seconds are asked, each answer is the one formatting gives', () => {
    const hourIn = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      hour: '2-digit',
    });
    // 200 seconds a minute apart, across the start of DST: more than a zone remembers.
    const start = Date.parse('2026-03-08T06:00:00Z');
    for (let s = 0; s < 200; s++) {
      const at = start + s * 61_000;
      const hour = Number(hourIn.formatToParts(new Date(at)).find((p) => p.type === 'hour')?.value);
      expect(new Date(wallClockMs(at, 'America/New_York')).getUTCHours()).toBe(hour);
    }
  });
});
