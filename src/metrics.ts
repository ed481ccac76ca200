/**
 * What the bot counts for GET /metrics (Prometheus text format, prom-client): answers by kind and outcome and how
 * long they took, LMO calls by outcome and how many today, digest runs by outcome, Slack deliveries deduplicated.
 * One registry per bot (not prom-client's global one), so that two bots in one process (tests) count apart.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { LmoError } from './lma/client.js';
import { todayIn } from './lma/dates.js';

export interface BotMetrics {
  /**
   * Runs one answer and counts it by kind (`trials`, `health`, …) and outcome (`ok`, or the LMO failure: `timeout`,
   * `auth`, … ; `error` for anything else), with how long it took. Rethrows: the answerer turns failures into views.
   */
  timed<T>(kind: string, run: () => Promise<T>): Promise<T>;
  /** One HTTP request to the LMO: `ok`, or the kind of failure (`unreachable`, `timeout`, `request_limit`, …). */
  lmoCall(outcome: string): void;
  /** One channel's digest run: `posted`, `finished`, `already_posted`, `in_progress` or `failed`. */
  digestRun(outcome: string): void;
  /** A Slack delivery already handled (a retry, the message event of a mention): not answered again. */
  deduplicated(): void;
  contentType: string;
  /** The metrics in the Prometheus text format. */
  text(): Promise<string>;
}

/** The metric names, as the README documents them. */
export const METRIC_NAMES = {
  answers: 'lma_answers_total',
  answerSeconds: 'lma_answer_duration_seconds',
  lmoCalls: 'lma_lmo_calls_total',
  lmoCallsToday: 'lma_lmo_api_calls_today',
  digestRuns: 'lma_digest_runs_total',
  deduplicated: 'lma_events_deduplicated_total',
} as const;

/**
 * How often the event-loop delay histogram (nodejs_eventloop_lag_*) samples, ms. prom-client's default, 10, wakes an
 * idle bot 100 times a second — about 5 ms of CPU a second, most of what an idle bot spends between alert polls;
 * every 100 ms still catches each stall of 100 ms or more, long before one endangers Slack's 3-second ack.
 */
export const EVENT_LOOP_SAMPLE_MS = 100;

/** Seconds: an answer is due within 9 s (the LMO deadline); most take well under one. */
const ANSWER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 9, 15];

export function createMetrics(options: { timezone: string; clock: () => Date }): BotMetrics {
  const registry = new Registry();
  // Memory, CPU, event-loop lag and the like, under the usual process_/nodejs_ names.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const answers = new Counter({
    name: METRIC_NAMES.answers,
    help: 'Answers given, by question kind and outcome (ok, or the LMO failure the person was told of).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const answerSeconds = new Histogram({
    name: METRIC_NAMES.answerSeconds,
    help: 'Time from the question reaching the answerer to its answer, by question kind.',
    labelNames: ['kind'],
    buckets: ANSWER_BUCKETS,
    registers: [registry],
  });
  const lmoCalls = new Counter({
    name: METRIC_NAMES.lmoCalls,
    help: 'HTTP requests sent to the LMO (each page and each retry), by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Salesforce counts its daily API limit per day: this is the bot's share of it, since midnight in LMA_TIMEZONE.
  let day = todayIn(options.timezone, options.clock());
  let today = 0;
  const rollOver = () => {
    const now = todayIn(options.timezone, options.clock());
    if (now !== day) [day, today] = [now, 0];
  };
  new Gauge({
    name: METRIC_NAMES.lmoCallsToday,
    help: 'LMO API requests this bot sent today (since midnight in LMA_TIMEZONE).',
    registers: [registry],
    collect() {
      rollOver();
      this.set(today);
    },
  });
  const digestRuns = new Counter({
    name: METRIC_NAMES.digestRuns,
    help: 'Digest runs per channel, by outcome (posted, finished, already_posted, in_progress, failed).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deduplicated = new Counter({
    name: METRIC_NAMES.deduplicated,
    help: 'Slack deliveries of a message already handled (retries, the message event of a mention), not answered again.',
    registers: [registry],
  });
  return {
    async timed(kind, run) {
      const started = performance.now();
      const done = (outcome: string) => {
        answers.inc({ kind, outcome });
        answerSeconds.observe({ kind }, (performance.now() - started) / 1000);
      };
      try {
        const result = await run();
        done('ok');
        return result;
      } catch (error) {
        done(error instanceof LmoError ? error.kind : 'error');
        throw error;
      }
    },
    lmoCall(outcome) {
      lmoCalls.inc({ outcome });
      rollOver();
      today += 1;
    },
    digestRun: (outcome) => digestRuns.inc({ outcome }),
    deduplicated: () => deduplicated.inc(),
    contentType: registry.contentType,
    text: () => registry.metrics(),
  };
}
