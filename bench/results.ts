/** What a benchmark run measured: the input of the report. */
import type { BenchPlan } from './args.js';
import type { MemoryUsage } from './bot-probe.js';
import type { IdleParts } from './idle-parts.js';
import type { ServedCall } from './lmo-process.js';
import type { Summary } from './stats.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
  /** os.loadavg() (1, 5, 15 minutes) at the start and at the end of the run. */
  loadStart: number[];
  loadEnd: number[];
  date: string;
  command: string;
  durationS: number;
}

/** One command measured against one LMO size. */
export interface CommandFigures {
  /** e.g. "status", "renewals", "thread question". */
  name: string;
  /** What was sent: the /lma text or the mention. */
  text: string;
  /** One request at a time. */
  ack1: Summary;
  answer1: Summary;
  /** `concurrency` requests at once (slash commands only). */
  ack50?: Summary;
  answer50?: Summary;
  /** Salesforce API calls per answer (one at a time, counted by the LMO). */
  callsMean: number;
  callsMax: number;
  /** The SOQL of one answer, for the report's diagnosis, and its calls as the LMO served them. */
  soql: string[];
  calls: ServedCall[];
  /** The bot's own share of each answer: its latency minus the time the LMO spent serving its calls (one at a time). */
  own1: Summary;
  /** The same SOQL through bare jsforce, staged as the bot issued it (bare-jsforce.ts), in the same run. */
  bare1?: Summary;
  /**
   * CPU ms per answer of that bare series, from process.cpuUsage() in this process over the whole series: what the
   * same reads cost a hand-written script, so a bot CPU figure can be told apart from the rows it must parse.
   */
  bareCpuMs?: number;
  /** CPU ms per answer in the bot process and in the LMO process (one at a time). */
  botCpuMs: number;
  lmoCpuMs: number;
  failures: number;
}

export interface ThroughputStep {
  concurrency: number;
  answered: number;
  failures: number;
  seconds: number;
  perSecond: number;
  answer: Summary;
  botCpuMsPerCommand: number;
  lmoCpuMsPerCommand: number;
}

export type DigestFigures =
  | { measured: false; why: string }
  | {
      measured: true;
      /** `/lma digest post` sent → the digest in the channel (composed and posted), ms; undefined if it never came. */
      postMs?: number;
      /** Salesforce calls of that post (the day's first composition). */
      postCalls: number;
      /** Its SOQL. */
      soql: string[];
      /** `/lma digest` (the same composition, answered to the caller) sent → answer, ms. */
      preview: Summary;
      previewCallsMax: number;
      /** The bot's peak RSS over the previews and the post (VmHWM reset before), MB. */
      peakRssMb: number;
      /** The kernel refused the reset: the peak is the process's lifetime peak. */
      peakIsLifetime: boolean;
      failures: number;
    };

export interface SizeResult {
  licenses: number;
  /** LMO process: dataset generated and listening, ms. */
  lmoStartMs: number;
  commands: CommandFigures[];
  floorAck1: Summary;
  floorAck50: Summary;
  throughput: ThroughputStep[];
  digest: DigestFigures;
  /** The bot process after start-up and warm-up, once idle (processes.ts idleRssMb), and after this size's phases. */
  botStartRssMb: number;
  /** The floor (below) idle at the same moment as `botStartRssMb`. */
  floorStartRssMb: number;
  /** Where that memory was, as the bot's process.memoryUsage() had it at the same moment. */
  botStartMemory?: MemoryUsage;
  botRssMb: number;
  botPeakMb: number;
  /** The floor (a Bolt app doing nothing, compiled too) at the same moment: the memory any such app starts with. */
  floorRssMb: number;
  /** The App Home opened for the first time (nothing cached): its answer and calls. */
  home?: CommandFigures;
  loopDelay?: LoopDelayFigures;
}

export interface MemoryFigures {
  licenses: number;
  concurrency: number;
  /** RSS of the bot process after this many commands (fresh process). */
  checkpoints: { commands: number; rssMb: number }[];
  /**
   * RSS once idle again (processes.ts idleRssMb) after the first and the last checkpoint: what the commands left
   * behind, without the garbage a reading right after traffic still holds until V8 collects it.
   */
  idle?: { first: number; last: number };
  failures: number;
}

export type AlertFigures =
  | { measured: false; why: string }
  | {
      measured: true;
      licenses?: number;
      pollSeconds: number;
      /**
       * Polls with nothing changed: API calls and CPU each cost — the bot's and the LMO's over the whole interval, and
       * the LMO's while serving the polls' calls (the whole interval's also holds what the LMO does between calls on
       * its own, such as a full garbage collection of its heap).
       */
      quiet: {
        polls: number;
        callsPerPoll: number;
        botCpuMsPerPoll: number;
        lmoCpuMsPerPoll: number;
        lmoServingCpuMsPerPoll: number;
      };
      /** One license written in the LMO → its alert in the channel, ms; undefined when none came. */
      delayMs?: number;
      burst: {
        changes: number;
        /** The poll's first call → its summary in the channel, ms; undefined when none came. */
        processedMs?: number;
        /** The bot's peak RSS over the burst above its RSS before, MB. */
        addedRssMb: number;
        peakIsLifetime: boolean;
      };
    };

/** Event-loop delay in the bot (monitorEventLoopDelay), ms, over a burst of ordinary and of hostile requests. */
export interface LoopDelayFigures {
  requests: number;
  normal: { p50: number; p99: number; max: number };
  hostile: { p50: number; p99: number; max: number };
  /** What the hostile burst held, and how the bot answered it (HTTP status: count). */
  kinds: string[];
  statuses: Record<string, number>;
}

/** Throughput at p99 ≤ 1 s of one compiled replica and of two, sharing one Postgres schema and one LMO. */
export interface ReplicaFigures {
  licenses: number;
  one: ThroughputStep[];
  two: ThroughputStep[];
  /** Why not, when the run could not measure it (no Postgres). */
  why?: string;
}

export interface BenchResults {
  machine: Machine;
  plan: BenchPlan;
  sizes: SizeResult[];
  memory?: MemoryFigures;
  alerts?: AlertFigures & { licenses: number };
  replicas?: ReplicaFigures;
  /** What the bot loads beyond the floor, each part's RSS in a bare Node (idle-parts.ts). */
  idleParts?: IdleParts;
}
