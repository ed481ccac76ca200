import { describe, expect, it } from 'vitest';
import { coveredMs, percentile, ratio, summarize } from '../../bench/stats.js';

describe('bench stats', () => {
  it('takes nearest-rank percentiles, so a p99 is a latency that really happened', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7, 9, 30], 99)).toBe(30);
    expect(percentile([7, 9, 30], 50)).toBe(9);
  });

  it('answers NaN for no samples rather than a made-up zero', () => {
    expect(percentile([], 50)).toBeNaN();
    const empty = summarize([]);
    expect(empty.n).toBe(0);
    expect(empty.p99).toBeNaN();
    expect(empty.mean).toBeNaN();
  });

  it('summarizes unsorted samples without reordering the caller’s array', () => {
    const samples = [30, 10, 20];
    expect(summarize(samples)).toEqual({ n: 3, p50: 20, p95: 30, p99: 30, mean: 20, max: 30 });
    expect(samples).toEqual([30, 10, 20]);
  });

  it('gives no ratio to a floor that was not measured', () => {
    expect(ratio(30, 20)).toBe(1.5);
    expect(ratio(30, 0)).toBeNaN();
    expect(ratio(30, NaN)).toBeNaN();
  });
});

describe('coveredMs', () => {
  it('adds up the time a set of intervals covers, overlaps counted once', () => {
    expect(coveredMs([])).toBe(0);
    expect(coveredMs([{ at: 1000, servedMs: 100 }])).toBe(100);
    // Two calls one after the other, then two made together.
    expect(
      coveredMs([
        { at: 1000, servedMs: 100 },
        { at: 1150, servedMs: 100 },
        { at: 1300, servedMs: 100 },
        { at: 1301, servedMs: 120 },
      ]),
    ).toBe(321);
    // One inside another, given out of order.
    expect(
      coveredMs([
        { at: 1010, servedMs: 10 },
        { at: 1000, servedMs: 100 },
      ]),
    ).toBe(100);
  });
});
