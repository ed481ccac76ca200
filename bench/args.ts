/**
 * `npm run bench -- [--quick] [--sizes 1000,10000] [--out file] [--profile dir]`: what to run and how much of it.
 * The full plan takes about 10 minutes on two cores (560 s on 3 Dec 2026); the quick one is a smoke check of under a
 * minute (53 s on 8 Dec 2026, compiling from nothing included).
 */
import { parseArgs } from 'node:util';
import { CALL_BUDGET, HEALTH_LIST_BUDGET } from './budgets.js';

export interface BenchPlan {
  quick: boolean;
  /** LMO sizes in licenses, each served by a fresh LMO process. */
  sizes: number[];
  /** LMO round trip added to every Salesforce call. */
  latencyMs: number;
  /** Samples per command sent one at a time (ack, answer latency and Salesforce calls). */
  sequentialSamples: number;
  /** Requests sent at once for the concurrent ack figures. */
  concurrency: number;
  /** Bursts of `concurrency` requests per command, for the bot and for the floor: rounds, and a time after which no new round starts. */
  burstRounds: number;
  burstSeconds: number;
  /** Concurrency steps of the throughput search (closed loop), and commands per step (or seconds, if sooner). */
  throughputSteps: number[];
  throughputCommands: number;
  throughputSeconds: number;
  /** RSS is read after this many commands and after this many (1,000 and 10,000 in the full run). */
  memoryCheckpoints: [number, number];
  /**
   * Longest wait for an idle RSS reading (processes.ts idleRssMb): a process with nothing to give back waits it out,
   * twice a size (after warm-up, and at each memory checkpoint), so the smoke check waits less and reads sooner.
   */
  idleWaitSeconds: number;
  /** `/lma digest` previews per size (the post itself happens once: a day's digest is posted once). */
  digestPreviews: number;
  /** Requests in each burst of the event-loop comparison (ordinary, then hostile). */
  hostileRequests: number;
  /**
   * The alerts' phase: its LMO size, poll interval, quiet polls watched and the changes made for one poll. Full run
   * only: a poll interval is at least 15 s, so the phase takes a minute or more.
   */
  alerts?: { licenses: number; pollSeconds: number; quietPolls: number; burst: number };
  /** One replica against two on Postgres: LMO size and the closed loop's concurrency steps. Full run only. */
  replicas?: { licenses: number; steps: number[] };
  /** Phases to run (default all): the per-size figures, memory over time, alerts, replicas. */
  phases: Phase[];
  /** Where RESULTS.md goes; undefined: print only. */
  out?: string;
  /** Directory for a V8 CPU profile of each bot and LMO process (--cpu-prof). */
  profileDir?: string;
}

export const PHASES = ['sizes', 'memory', 'alerts', 'replicas'] as const;
export type Phase = (typeof PHASES)[number];

export type BenchCommand = { kind: 'help' } | { kind: 'run'; plan: BenchPlan };

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export const DEFAULT_RESULTS_FILE = 'bench/RESULTS.md';

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Measures the bot (its own process, HTTP mode) against the embedded LMO (its own process, 100 ms per call)
and a no-op Bolt app, and writes bench/RESULTS.md.

Answers measured, with their Salesforce call budgets: /lma status (${CALL_BUDGET.status}), trials (${CALL_BUDGET.trials}),
renewals 30 (${CALL_BUDGET.renewals}), conversions 30 (${CALL_BUDGET.conversions}), health (${CALL_BUDGET.health}: over their seats ${HEALTH_LIST_BUDGET.over},
at risk ${HEALTH_LIST_BUDGET.risk}, hot trials ${HEALTH_LIST_BUDGET.hot}), a thread question, the App Home (${CALL_BUDGET.Home}).

Options:
  --quick             smoke check of under a minute: 1,000 licenses, few samples, no alerts or replicas phase,
                      prints the report only
  --sizes <n,n,…>     LMO sizes in licenses (default 1000,10000,100000; quick: 1000)
  --out <file>        where to write the report (default ${DEFAULT_RESULTS_FILE}; quick: nowhere)
  --only <phase,…>    run only these phases: ${PHASES.join(', ')} (default all; a partial report)
  --profile <dir>     write a V8 CPU profile of each bot and LMO process there
  --help              show this help`;

const FULL: Omit<BenchPlan, 'quick' | 'out' | 'profileDir' | 'phases'> = {
  sizes: [1_000, 10_000, 100_000],
  latencyMs: 100,
  sequentialSamples: 20,
  concurrency: 50,
  burstRounds: 3,
  burstSeconds: 30,
  throughputSteps: [10, 25, 50],
  throughputCommands: 250,
  throughputSeconds: 8,
  memoryCheckpoints: [1_000, 10_000],
  digestPreviews: 5,
  idleWaitSeconds: 60,
  hostileRequests: 50,
  alerts: { licenses: 100_000, pollSeconds: 15, quietPolls: 2, burst: 10_000 },
  replicas: { licenses: 1_000, steps: [10, 25, 50, 100] },
};

const QUICK: Omit<BenchPlan, 'quick' | 'out' | 'profileDir' | 'phases'> = {
  sizes: [1_000],
  latencyMs: 100,
  sequentialSamples: 5,
  concurrency: 50,
  burstRounds: 1,
  burstSeconds: 0,
  throughputSteps: [50],
  throughputCommands: 100,
  throughputSeconds: 4,
  memoryCheckpoints: [100, 200],
  digestPreviews: 2,
  idleWaitSeconds: 5,
  hostileRequests: 20,
};

const readFlags = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean' },
      sizes: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;

export function parseBenchArgs(argv: readonly string[]): BenchCommand {
  let values: ReturnType<typeof readFlags>;
  try {
    values = readFlags(argv);
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  const quick = values.quick ?? false;
  const base = quick ? QUICK : FULL;
  return {
    kind: 'run',
    plan: {
      ...base,
      quick,
      sizes: values.sizes === undefined ? base.sizes : parseSizes(values.sizes),
      out: values.out ?? (quick ? undefined : DEFAULT_RESULTS_FILE),
      profileDir: values.profile,
      phases: values.only === undefined ? [...PHASES] : parsePhases(values.only),
    },
  };
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => part.trim().replace(/_/g, ''));
  return sizes.map((size) => {
    const n = Number(size);
    if (size === '' || !Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new BenchUsageError(
        `--sizes takes whole numbers of licenses between 1 and 1000000, separated by commas (got "${text}")`,
      );
    }
    return n;
  });
}

function parsePhases(text: string): Phase[] {
  const words = text.split(',').map((w) => w.trim());
  const unknown = words.filter((w) => !(PHASES as readonly string[]).includes(w));
  if (unknown.length > 0 || words.length === 0) {
    throw new BenchUsageError(`--only takes phases among ${PHASES.join(', ')}, separated by commas (got "${text}")`);
  }
  return PHASES.filter((p) => words.includes(p));
}
