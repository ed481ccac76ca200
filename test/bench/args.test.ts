import { describe, expect, it } from 'vitest';
import { BenchUsageError, DEFAULT_RESULTS_FILE, parseBenchArgs } from '../../bench/args.js';

function plan(argv: string[]) {
  const command = parseBenchArgs(argv);
  if (command.kind !== 'run') throw new Error('expected a run');
  return command.plan;
}

describe('npm run bench arguments', () => {
  it('runs the full plan by default: the three sizes, 50 concurrent, 1,000 and 10,000 commands, RESULTS.md', () => {
    const full = plan([]);
    expect(full.quick).toBe(false);
    expect(full.sizes).toEqual([1_000, 10_000, 100_000]);
    expect(full.latencyMs).toBe(100);
    expect(full.concurrency).toBe(50);
    expect(full.throughputSteps).toContain(50);
    expect(full.memoryCheckpoints).toEqual([1_000, 10_000]);
    expect(full.out).toBe(DEFAULT_RESULTS_FILE);
    // The alerts and replicas figures: 10,000 changes in one poll at 100,000 licenses; one replica and two.
    expect(full.alerts).toMatchObject({ licenses: 100_000, burst: 10_000, pollSeconds: 15 });
    expect(full.replicas?.steps.length).toBeGreaterThan(1);
  });

  it('--quick is a smaller smoke check that prints instead of overwriting RESULTS.md', () => {
    const quick = plan(['--quick']);
    const full = plan([]);
    expect(quick.quick).toBe(true);
    expect(quick.sizes).toEqual([1_000]);
    expect(quick.sequentialSamples).toBeLessThan(full.sequentialSamples);
    expect(quick.memoryCheckpoints[1]).toBeLessThan(full.memoryCheckpoints[1]);
    expect(quick.idleWaitSeconds).toBeLessThan(full.idleWaitSeconds);
    expect(quick.out).toBeUndefined();
    // Polls are 15 s apart at least: the alerts phase alone would take the minute.
    expect(quick.alerts).toBeUndefined();
    expect(quick.replicas).toBeUndefined();
    expect(plan(['--quick', '--out', 'quick.md']).out).toBe('quick.md');
  });

  it('runs every phase unless --only names some, and refuses a phase it does not know', () => {
    expect(plan([]).phases).toEqual(['sizes', 'memory', 'alerts', 'replicas']);
    expect(plan(['--only', 'replicas, alerts']).phases).toEqual(['alerts', 'replicas']);
    expect(() => parseBenchArgs(['--only', 'alerts,digest'])).toThrow(/--only takes phases among sizes, memory/);
  });

  it('takes sizes as a comma list, underscores allowed', () => {
    expect(plan(['--sizes', '500, 20_000']).sizes).toEqual([500, 20_000]);
    expect(plan(['--quick', '--sizes', '2000']).sizes).toEqual([2_000]);
  });

  it('refuses sizes that are not whole numbers of licenses, naming the flag', () => {
    for (const bad of ['', 'abc', '10,', '1.5', '0', '2000000']) {
      expect(() => parseBenchArgs(['--sizes', bad])).toThrow(/--sizes/);
    }
  });

  it('refuses unknown flags and stray words', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['quick'])).toThrow(BenchUsageError);
  });

  it('shows help', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseBenchArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('passes a profile directory through', () => {
    expect(plan(['--profile', 'prof']).profileDir).toBe('prof');
  });
});
