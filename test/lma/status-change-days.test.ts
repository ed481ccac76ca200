import { describe, expect, test } from 'vitest';
import { addDays, todayIn } from '../../src/lma/dates.js';
import { countByDay, firstUncounted, isConversion, total } from '../../src/lma/status-change-days.js';

const row = (createdDate: string, oldValue: string, newValue: string) => ({
  CreatedDate: createdDate,
  OldValue: oldValue,
  NewValue: newValue,
});

describe('countByDay', () => {
  test('puts each row on its calendar day in the time zone, across a DST change, as todayIn does, and leaves out rows outside the days', () => {
    const timezone = 'America/New_York';
    // DST ends on 1 Nov 2026 there: that day is 25 hours long.
    const from = '2026-10-30';
    const today = '2026-11-03';
    const rows = [];
    // Every 37 minutes from a day before the first to a day after the last, in Salesforce's and in ISO's spelling.
    for (let at = Date.parse('2026-10-29T00:00:00Z'); at < Date.parse('2026-11-05T00:00:00Z'); at += 37 * 60_000) {
      const iso = new Date(at).toISOString();
      rows.push(
        row(rows.length % 2 ? iso : iso.replace('Z', '+0000'), 'Trial', rows.length % 3 ? 'Active' : 'Uninstalled'),
      );
    }
    const expected = new Map<string, { conversions: number; uninstalls: number }>();
    for (let day = from; day <= today; day = addDays(day, 1)) expected.set(day, { conversions: 0, uninstalls: 0 });
    for (const r of rows) {
      const counts = expected.get(todayIn(timezone, new Date(r.CreatedDate)));
      if (!counts) continue;
      if (isConversion(r)) counts.conversions++;
      else counts.uninstalls++;
    }
    const days = countByDay(rows, { from, today, timezone });
    expect(days).toEqual([...expected].map(([day, counts]) => ({ day, ...counts })));
    // The long day holds 25 hours of rows.
    expect(days.find((d) => d.day === '2026-11-01')!.conversions).toBeGreaterThan(
      days.find((d) => d.day === '2026-10-31')!.conversions,
    );
  });

  test('a row at a day’s first instant is that day’s; none past the last day counts', () => {
    const days = countByDay(
      [
        row('2026-06-10T00:00:00.000Z', 'Trial', 'Active'),
        row('2026-06-09T23:59:59.999Z', 'Trial', 'Active'),
        row('2026-06-12T00:00:00.000Z', 'Trial', 'Active'),
      ],
      { from: '2026-06-09', today: '2026-06-11', timezone: 'UTC' },
    );
    expect(days.map((d) => [d.day, d.conversions])).toEqual([
      ['2026-06-09', 1],
      ['2026-06-10', 1],
      ['2026-06-11', 0],
    ]);
  });

  test('no days when the first is after the last', () => {
    expect(
      countByDay([row('2026-06-10T00:00:00Z', 'Trial', 'Active')], {
        from: '2026-06-11',
        today: '2026-06-10',
        timezone: 'UTC',
      }),
    ).toEqual([]);
  });
});

describe('total and firstUncounted', () => {
  const days = ['2026-06-01', '2026-06-02', '2026-06-03', '2026-07-01'].map((day, i) => ({
    day,
    conversions: i + 1,
    uninstalls: 10 * (i + 1),
  }));

  test('total sums the days between both bounds, included, and of a month', () => {
    expect(total(days, 'conversions', {})).toBe(10);
    expect(total(days, 'conversions', { from: '2026-06-02', until: '2026-06-03' })).toBe(5);
    expect(total(days, 'uninstalls', { prefix: '2026-06' })).toBe(60);
  });

  test('firstUncounted is the first day not kept, or the last day asked', () => {
    const kept = new Map(days.map((d) => [d.day, d]));
    expect(firstUncounted(kept, '2026-06-01', '2026-06-30')).toBe('2026-06-04');
    expect(firstUncounted(kept, '2026-06-01', '2026-06-03')).toBe('2026-06-03');
  });
});
