/**
 * One benchmark run's shared state, and the shapes of the runner's ways to start bots that other phases (replicas)
 * are handed: typed here so that the phases need not import the runner that calls them.
 */
import type { BenchPlan } from './args.js';
import type { LmoReady } from './lmo-process.js';
import type { Rig } from './measure.js';
import type { Child } from './processes.js';

export interface Session {
  plan: BenchPlan;
  dir: string;
  rig: Omit<Rig, 'bot' | 'lmo'>;
  /** The base environment of every child: no inherited Slack or Salesforce settings. */
  env: Record<string, string>;
}

/** Starts one compiled bot against a running LMO; `tag` names its log and data directory. */
export type StartBot = (
  session: Session,
  lmo: LmoReady,
  tag: string,
  extraEnv?: Record<string, string>,
) => Promise<{ child: Child; port: number }>;

/** Runs `work` with a fresh LMO of `licenses` and a bot on it, both stopped after. */
export type WithBot = <T>(
  session: Session,
  licenses: number,
  tag: string,
  work: (rig: Rig, lmo: LmoReady) => Promise<T>,
  extraEnv?: Record<string, string>,
) => Promise<T>;
