import { zonedInstant } from '@lma-bot/zone';
import { describe, expect, test } from 'vitest';
import { CronClock } from '../../../src/features/digest/schedule.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('CronClock: slots, catch-up and next run from an injected instant', () => {
  const weekdays = new CronClock({ cron: '0 9 * * 1-5', timezone: 'UTC' });

  test('a weekday has its 09:00 slot; a Saturday has none', () => {
    expect(weekdays.slotsOn('2026-06-15').map(iso)).toEqual(['2026-06-15T09:00:00.000Z']);
    expect(weekdays.slotsOn('2026-06-20')).toEqual([]);
  });

  test('the slot has passed only from 09:00 on', () => {
    expect(weekdays.passedSlotToday(new Date('2026-06-15T08:59:59Z'))).toBeNull();
    expect(iso(weekdays.passedSlotToday(new Date('2026-06-15T09:00:00Z')))).toBe('2026-06-15T09:00:00.000Z');
    expect(iso(weekdays.passedSlotToday(new Date('2026-06-15T23:59:00Z')))).toBe('2026-06-15T09:00:00.000Z');
    expect(weekdays.passedSlotToday(new Date('2026-06-20T12:00:00Z'))).toBeNull();
  });

  test('with two slots a day, catch-up stands in for the latest one that has passed', () => {
    const twice = new CronClock({ cron: '30 8,17 * * *', timezone: 'UTC' });
    expect(iso(twice.passedSlotToday(new Date('2026-06-15T12:00:00Z')))).toBe('2026-06-15T08:30:00.000Z');
    expect(iso(twice.passedSlotToday(new Date('2026-06-15T18:00:00Z')))).toBe('2026-06-15T17:30:00.000Z');
  });

  test('the next run skips the weekend', () => {
    expect(iso(weekdays.nextRun(new Date('2026-06-19T10:00:00Z')))).toBe('2026-06-22T09:00:00.000Z');
    expect(iso(weekdays.nextRun(new Date('2026-06-15T08:00:00Z')))).toBe('2026-06-15T09:00:00.000Z');
  });

  test('the day is the digest zone’s: 23:30 UTC is already tomorrow in Paris, still today in New York', () => {
    const at = new Date('2026-06-15T23:30:00Z');
    expect(new CronClock({ cron: '0 9 * * *', timezone: 'Europe/Paris' }).dayOf(at)).toBe('2026-06-16');
    expect(new CronClock({ cron: '0 9 * * *', timezone: 'America/New_York' }).dayOf(at)).toBe('2026-06-15');
  });

  test('a Paris slot just after midnight is on the Paris day, the evening before in UTC', () => {
    const paris = new CronClock({ cron: '15 0 * * *', timezone: 'Europe/Paris' });
    expect(paris.slotsOn('2026-06-16').map(iso)).toEqual(['2026-06-15T22:15:00.000Z']);
    expect(iso(paris.passedSlotToday(new Date('2026-06-15T22:20:00Z')))).toBe('2026-06-15T22:15:00.000Z');
  });

  test('across the spring DST change 09:00 Paris moves from 08:00 to 07:00 UTC', () => {
    const paris = new CronClock({ cron: '0 9 * * *', timezone: 'Europe/Paris' });
    expect(paris.slotsOn('2026-03-28').map(iso)).toEqual(['2026-03-28T08:00:00.000Z']);
    expect(paris.slotsOn('2026-03-29').map(iso)).toEqual(['2026-03-29T07:00:00.000Z']);
    expect(iso(paris.nextRun(new Date('2026-03-28T09:00:00Z')))).toBe('2026-03-29T07:00:00.000Z');
  });

  test('a time skipped by the DST change has no slot that day; the autumn change keeps one', () => {
    const paris = new CronClock({ cron: '30 2 * * *', timezone: 'Europe/Paris' });
    expect(paris.slotsOn('2026-03-29')).toEqual([]);
    expect(paris.slotsOn('2026-10-25')).toHaveLength(1);
    expect(zonedInstant('2026-03-29', 2, 30, 0, 'Europe/Paris')).toBeNull();
  });

  test('New York: 09:00 is 13:00 UTC in summer and 14:00 UTC in winter', () => {
    const ny = new CronClock({ cron: '0 9 * * *', timezone: 'America/New_York' });
    expect(iso(ny.slotsOn('2026-07-01')[0])).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(ny.slotsOn('2026-12-01')[0])).toBe('2026-12-01T14:00:00.000Z');
  });

  test('an invalid expression is refused', () => {
    expect(() => new CronClock({ cron: '0 25 * * *', timezone: 'UTC' })).toThrow(/cron/);
  });
});
