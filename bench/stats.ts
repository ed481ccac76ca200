/**
 * Latency statistics for the benchmark: nearest-rank percentiles (no interpolation, so a p99 is a latency that
 * really happened) and the summary every table prints.
 */

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** The nearest-rank percentile of samples sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  if (p <= 0) return sorted[0];
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, rank) - 1];
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? total / sorted.length : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** a ÷ b, NaN when b is not a positive number (a ratio to a floor that was not measured). */
export function ratio(a: number, b: number): number {
  return b > 0 ? a / b : NaN;
}

/** The time covered by a set of intervals (epoch ms start, duration), overlaps counted once. */
export function coveredMs(intervals: readonly { at: number; servedMs: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.at - b.at);
  let total = 0;
  let end = -Infinity;
  for (const { at, servedMs } of sorted) {
    const stop = at + servedMs;
    if (stop <= end) continue;
    total += stop - Math.max(at, end);
    end = stop;
  }
  return total;
}
