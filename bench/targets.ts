/**
 * The issue's targets, checked against a run's figures. A miss carries the figures that explain it (where the time
 * or the calls went), so RESULTS.md says why, not only that. Nothing here fails the build.
 */
import type { BenchResults, CommandFigures, SizeResult } from './results.js';

export interface Verdict {
  target: string;
  /** The LMO size it was checked at, when it depends on one. */
  licenses?: number;
  measured: string;
  limit: string;
  /** null: could not be checked (not measured). */
  met: boolean | null;
  why?: string;
}

/** Salesforce calls an answer may make (the issue's targets). */
export const CALL_BUDGET: Record<string, number> = { status: 1, trials: 1, renewals: 1, conversions: 2 };
export const ACK_RATIO_LIMIT = 1.5;
export const DIGEST_CALL_LIMIT = 5;
export const DIGEST_RSS_LIMIT_MB = 150;
export const RSS_GROWTH_LIMIT = 0.1;

/** A query in a sentence: a long field list becomes its count ("SELECT 21 fields FROM …"). */
export function shortSoql(soql: string): string {
  return soql.replace(/^SELECT (.+?) FROM /, (whole, fields: string) => {
    const n = fields.split(',').length;
    return n > 3 ? `SELECT ${n} fields FROM ` : whole;
  });
}

const queries = (soql: string[]) => soql.map((q) => `\`${shortSoql(q)}\``).join('; ');

const ms = (n: number) => `${n.toFixed(n < 10 ? 1 : 0)} ms`;
const calls = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Answer p95 allowed for an answer that makes `calls` calls: 1.5 × (calls × round trip) + 50 ms. */
export function answerBudgetMs(callsPerAnswer: number, roundTripMs: number): number {
  return 1.5 * callsPerAnswer * roundTripMs + 50;
}

/** Where an answer's time went, one at a time: round trips, the LMO's own work, the bot's own work. */
function answerBreakdown(c: CommandFigures, roundTripMs: number): string {
  const trips = c.callsMean * roundTripMs;
  return (
    `p95 ${ms(c.answer1.p95)} = ${calls(c.callsMean)} × ${roundTripMs} ms round trip + ${ms(c.answer1.p95 - trips)} beyond it; ` +
    `per answer the LMO process spent ${ms(c.lmoCpuMs)} CPU (its SOQL engine over the whole dataset) and the bot ${ms(c.botCpuMs)} CPU`
  );
}

function ackVerdicts(size: SizeResult): Verdict[] {
  return size.commands.flatMap((c) => {
    if (!c.ack50) return [];
    const limit = ACK_RATIO_LIMIT * size.floorAck50.p99;
    const met = c.ack50.p99 <= limit;
    const step = size.throughput.at(-1);
    return [
      {
        target: `ack p99 at 50 concurrent ≤ ${ACK_RATIO_LIMIT} × floor: ${c.name}`,
        licenses: size.licenses,
        measured: `${ms(c.ack50.p99)} (${(c.ack50.p99 / size.floorAck50.p99).toFixed(2)} × floor ${ms(size.floorAck50.p99)})`,
        limit: ms(limit),
        met,
        ...(met
          ? {}
          : {
              why:
                `the bot acks first, but the 50 answers started by the same burst run on the same event loop: ` +
                `${ms(c.botCpuMs)} bot CPU per answer${step ? ` (${ms(step.botCpuMsPerCommand)} at ${step.concurrency} concurrent)` : ''} ` +
                `queue in front of later acks, which the floor (no answers) never pays`,
            }),
      },
    ];
  });
}

function callVerdicts(size: SizeResult): Verdict[] {
  return size.commands.flatMap((c) => {
    const budget = CALL_BUDGET[c.name];
    if (budget === undefined) return [];
    const met = c.callsMax <= budget;
    return [
      {
        target: `Salesforce calls per answer: ${c.name}`,
        licenses: size.licenses,
        measured: `${calls(c.callsMean)} (max ${c.callsMax})`,
        limit: `≤ ${budget}`,
        met,
        ...(met ? {} : { why: `the answer's calls: ${queries(c.soql)}` }),
      },
    ];
  });
}

function answerVerdicts(size: SizeResult, roundTripMs: number): Verdict[] {
  return size.commands.map((c) => {
    const limit = answerBudgetMs(c.callsMean, roundTripMs);
    const met = c.answer1.n > 0 && c.answer1.p95 <= limit;
    return {
      target: `answer p95 ≤ 1.5 × calls × round trip + 50 ms: ${c.name}`,
      licenses: size.licenses,
      measured: c.answer1.n > 0 ? `${ms(c.answer1.p95)} (${calls(c.callsMean)} calls)` : 'no answer',
      limit: ms(limit),
      met,
      ...(met ? {} : { why: answerBreakdown(c, roundTripMs) }),
    };
  });
}

function digestVerdicts(size: SizeResult, largest: boolean, roundTripMs: number): Verdict[] {
  const d = size.digest;
  if (!d.measured) {
    return [{ target: 'digest', licenses: size.licenses, measured: 'not measured', limit: '', met: null, why: d.why }];
  }
  const mostCalls = Math.max(d.postCalls, d.previewCallsMax);
  const verdicts: Verdict[] = [
    {
      target: 'digest: Salesforce calls',
      licenses: size.licenses,
      measured: `${d.postCalls} to post, at most ${d.previewCallsMax} per preview`,
      limit: `≤ ${DIGEST_CALL_LIMIT}`,
      met: mostCalls <= DIGEST_CALL_LIMIT,
      ...(mostCalls <= DIGEST_CALL_LIMIT ? {} : { why: `the post's calls: ${queries(d.soql)}` }),
    },
    {
      target: 'digest: bot peak RSS',
      licenses: size.licenses,
      measured: `${d.peakRssMb.toFixed(0)} MB${d.peakIsLifetime ? ' (lifetime peak)' : ''}`,
      limit: `< ${DIGEST_RSS_LIMIT_MB} MB`,
      met: d.peakRssMb < DIGEST_RSS_LIMIT_MB,
      ...(d.peakRssMb < DIGEST_RSS_LIMIT_MB
        ? {}
        : {
            why:
              `the bot already held ${size.botStartRssMb.toFixed(0)} MB after start-up and warm-up, and the no-op floor app under the same loader ` +
              `${size.floorRssMb.toFixed(0)} MB; composing and posting the digest added ${(d.peakRssMb - size.botStartRssMb).toFixed(0)} MB at most`,
          }),
    },
  ];
  if (largest) {
    const limit = 1000 + d.postCalls * roundTripMs;
    const met = d.postMs !== undefined && d.postMs < limit;
    verdicts.push({
      target: 'digest: composed and posted in < 1 s + its calls',
      licenses: size.licenses,
      measured: d.postMs !== undefined ? `${ms(d.postMs)} (${d.postCalls} calls)` : 'never posted',
      limit: `< ${ms(limit)}`,
      met,
      ...(met || d.postMs === undefined
        ? {}
        : {
            why: `${ms(d.postMs - d.postCalls * roundTripMs)} beyond the calls' round trips; previews took ${ms(d.preview.p50)} (p50)`,
          }),
    });
  }
  return verdicts;
}

function memoryVerdict(results: BenchResults): Verdict[] {
  const m = results.memory;
  if (!m || m.checkpoints.length < 2) return [];
  const first = m.checkpoints[0];
  const last = m.checkpoints[m.checkpoints.length - 1];
  const growth = (last.rssMb - first.rssMb) / first.rssMb;
  const met = growth <= RSS_GROWTH_LIMIT;
  return [
    {
      target: `RSS after ${last.commands.toLocaleString('en-US')} commands within 10% of after ${first.commands.toLocaleString('en-US')}`,
      licenses: m.licenses,
      measured: `${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`,
      limit: `≤ +${RSS_GROWTH_LIMIT * 100}%`,
      met,
      ...(met
        ? {}
        : { why: `RSS at each checkpoint: ${m.checkpoints.map((c) => `${c.rssMb.toFixed(0)}`).join(', ')} MB` }),
    },
  ];
}

export function evaluateTargets(results: BenchResults): Verdict[] {
  const largest = Math.max(...results.sizes.map((s) => s.licenses));
  const roundTrip = results.plan.latencyMs;
  return [
    ...results.sizes.flatMap(ackVerdicts),
    ...results.sizes.flatMap(callVerdicts),
    ...results.sizes.flatMap((s) => answerVerdicts(s, roundTrip)),
    ...results.sizes.flatMap((s) => digestVerdicts(s, s.licenses === largest, roundTrip)),
    ...memoryVerdict(results),
  ];
}
