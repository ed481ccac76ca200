/**
 * The issue's targets, checked against a run's figures. A miss carries the figures that explain it (where the time
 * or the calls went), so RESULTS.md says why, not only that. Nothing here fails the build.
 */

import { CALL_BUDGET } from './budgets.js';
import type { IdleParts } from './idle-parts.js';
import type { BenchResults, CommandFigures, SizeResult, ThroughputStep } from './results.js';

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

export const ACK_RATIO_LIMIT = 1.5;
export const DIGEST_CALL_LIMIT = 5;
export const RSS_GROWTH_LIMIT = 0.1;
/** The bot's own share of an answer (latency minus the LMO serving its calls), p95, one at a time. */
export const OWN_SHARE_LIMIT_MS = 15;
/** The bot's CPU per answer at the largest size. */
export const BOT_CPU_LIMIT_MS = 10;
/** Answer p95 ÷ the same SOQL through bare jsforce, p95. */
export const BARE_RATIO_LIMIT = 1.2;
/** 50 concurrent answers at the largest size: p99. */
export const LOAD_P99_LIMIT_MS = 3_000;
/** The LMO's CPU per call for the bot's queries at the largest size (its indexes' target). */
export const LMO_CPU_PER_CALL_LIMIT_MS = 10;
/** Idle RSS after warm-up ÷ the compiled no-op floor. */
export const IDLE_RSS_RATIO_LIMIT = 1.3;
/** What the digest and a burst of alert changes may add to the bot's RSS. */
export const ADDED_RSS_LIMIT_MB = 30;
/** Alerts: delay beyond the poll interval; a burst of changes read in one poll, processed. */
export const ALERT_DELAY_SLACK_S = 5;
export const ALERT_BURST_LIMIT_MS = 10_000;
/** Two replicas' throughput ÷ one's, at least (2× within 20%). */
export const REPLICA_SCALING_MIN = 1.6;
/** Event-loop delay p99 over a hostile burst ÷ over an ordinary one. */
export const LOOP_DELAY_RATIO_LIMIT = 2;

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

/** Where an answer's time went, one at a time: the LMO serving its calls, the bot's own share, the CPU of each. */
function answerBreakdown(c: CommandFigures): string {
  return (
    `p95 ${ms(c.answer1.p95)}, of which the bot's own share ${ms(c.own1.p95)} (p95; p50 ${ms(c.own1.p50)}); ` +
    `${calls(c.callsMean)} calls; per answer the bot spent ${ms(c.botCpuMs)} CPU and the LMO ${ms(c.lmoCpuMs)}` +
    (c.bareCpuMs === undefined ? '' : `; bare jsforce spent ${ms(c.bareCpuMs)} CPU reading the same SOQL`)
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
  return [...size.commands, ...(size.home ? [size.home] : [])].flatMap((c) => {
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

function ownShareVerdicts(size: SizeResult): Verdict[] {
  return size.commands.map((c) => {
    const met = c.own1.n > 0 && c.own1.p95 <= OWN_SHARE_LIMIT_MS;
    return {
      target: `the bot's own share of an answer, p95: ${c.name}`,
      licenses: size.licenses,
      measured: c.own1.n > 0 ? ms(c.own1.p95) : 'no answer',
      limit: `≤ ${ms(OWN_SHARE_LIMIT_MS)}`,
      met,
      ...(met ? {} : { why: answerBreakdown(c) }),
    };
  });
}

function botCpuVerdicts(size: SizeResult): Verdict[] {
  return size.commands.map((c) => {
    const met = c.botCpuMs <= BOT_CPU_LIMIT_MS;
    return {
      target: `bot CPU per answer: ${c.name}`,
      licenses: size.licenses,
      measured: ms(c.botCpuMs),
      limit: `≤ ${ms(BOT_CPU_LIMIT_MS)}`,
      met,
      ...(met ? {} : { why: `${answerBreakdown(c)}; the answer's calls: ${queries(c.soql)}` }),
    };
  });
}

function lmoCpuVerdicts(size: SizeResult): Verdict[] {
  return size.commands.map((c) => {
    const perCall = c.lmoCpuMs / Math.max(1, c.callsMean);
    const met = perCall <= LMO_CPU_PER_CALL_LIMIT_MS;
    return {
      target: `embedded LMO CPU per call: ${c.name}`,
      licenses: size.licenses,
      measured: `${ms(perCall)} (${ms(c.lmoCpuMs)} for ${calls(c.callsMean)} calls)`,
      limit: `≤ ${ms(LMO_CPU_PER_CALL_LIMIT_MS)}`,
      met,
      ...(met ? {} : { why: lmoCpuWhy(c) }),
    };
  });
}

/** Each query of the answer with the records the LMO read for it, from its request log. */
function lmoCpuWhy(c: CommandFigures): string {
  const read = c.calls.filter((call) => call.soql !== undefined);
  const rows = read.map(
    (call) => `\`${shortSoql(call.soql!)}\` read ${call.examined?.toLocaleString('en-US') ?? '?'} records`,
  );
  return rows.length ? rows.join('; ') : `its queries: ${queries(c.soql)}`;
}

function bareVerdicts(size: SizeResult): Verdict[] {
  return size.commands.flatMap((c) => {
    if (!c.bare1 || c.bare1.n === 0) return [];
    const r = c.answer1.p95 / c.bare1.p95;
    const met = r <= BARE_RATIO_LIMIT;
    return [
      {
        target: `answer p95 ÷ bare jsforce p95 (same SOQL): ${c.name}`,
        licenses: size.licenses,
        measured: `${r.toFixed(2)} (${ms(c.answer1.p95)} ÷ ${ms(c.bare1.p95)})`,
        limit: `≤ ${BARE_RATIO_LIMIT}`,
        met,
        ...(met ? {} : { why: answerBreakdown(c) }),
      },
    ];
  });
}

function loadVerdicts(size: SizeResult): Verdict[] {
  return size.commands.flatMap((c) => {
    if (!c.answer50) return [];
    const failures = c.failures;
    const met = failures === 0 && c.answer50.n > 0 && c.answer50.p99 <= LOAD_P99_LIMIT_MS;
    const step = size.throughput.at(-1);
    return [
      {
        target: `50 concurrent: 0 failures and answer p99 ≤ ${LOAD_P99_LIMIT_MS / 1000} s: ${c.name}`,
        licenses: size.licenses,
        measured: `${failures} failures, p99 ${c.answer50.n > 0 ? ms(c.answer50.p99) : '–'}`,
        limit: `0, ≤ ${ms(LOAD_P99_LIMIT_MS)}`,
        met,
        ...(met
          ? {}
          : {
              why:
                `50 answers share the bot's event loop and the LMO's: ${ms(c.botCpuMs)} bot CPU and ${ms(c.lmoCpuMs)} LMO CPU per answer ` +
                `(one at a time) is ${ms(50 * (c.botCpuMs + c.lmoCpuMs))} of CPU for the burst on ${step ? `a machine the closed loop found at ${step.perSecond.toFixed(0)} answers/s` : 'two cores'}`,
            }),
      },
    ];
  });
}

function constancyVerdicts(results: BenchResults): Verdict[] {
  if (results.sizes.length < 2) return [];
  const [smallest, largest] = [results.sizes[0], results.sizes[results.sizes.length - 1]];
  const answers = [...largest.commands, ...(largest.home ? [largest.home] : [])];
  return answers.flatMap((c) => {
    const small = [...smallest.commands, ...(smallest.home ? [smallest.home] : [])].find((x) => x.name === c.name);
    if (!small) return [];
    const met = c.callsMax <= small.callsMax;
    const at = (size: SizeResult) => size.licenses.toLocaleString('en-US');
    const rows = (x: CommandFigures) => x.calls.reduce((sum, call) => sum + (call.returned ?? 0), 0);
    const read = `the rows the LMO answered: ${rows(small).toLocaleString('en-US')} at ${at(smallest)}, ${rows(c).toLocaleString('en-US')} at ${at(largest)}`;
    return [
      {
        target: `calls constant in LMO size: ${c.name}`,
        measured: `${small.callsMax} at ${at(smallest)}, ${c.callsMax} at ${at(largest)}`,
        limit: 'no more at the largest size',
        met,
        ...(met ? {} : { why: `${read}; at ${at(largest)}: ${queries(c.soql)}` }),
      },
    ];
  });
}

function idleRssWhy(size: SizeResult, parts: IdleParts | undefined): string {
  const above = `${(size.botStartRssMb - size.floorStartRssMb).toFixed(0)} MB above the floor after start-up and warm-up, both idle`;
  const m = size.botStartMemory;
  const rest = m && m.rssMb - m.heapTotalMb - m.externalMb;
  const usage =
    m &&
    `the bot's process.memoryUsage() then: V8 heap ${m.heapUsedMb.toFixed(0)} MB used of ${m.heapTotalMb.toFixed(0)} MB reserved, ` +
      `external ${m.externalMb.toFixed(0)} MB (array buffers ${m.arrayBuffersMb.toFixed(0)} MB), and ${rest?.toFixed(0)} MB of code, ` +
      'native libraries (SQLite among them) and stacks outside the heap';
  const loaded =
    parts &&
    `what the bot loads and the floor does not, each alone on top of Bolt in fresh Node processes (idle-parts.ts, the median of 3): jsforce's core ` +
      `${parts.jsforceMb.toFixed(0)} MB, SQLite with a database open ${parts.sqliteMb.toFixed(0)} MB, and ICU's data mapped by ` +
      `the first time-zone formatter ${parts.icuMb.toFixed(0)} MB`;
  return [above, usage, loaded].filter(Boolean).join('; ');
}

function idleRssVerdicts(size: SizeResult, parts: IdleParts | undefined): Verdict[] {
  const r = size.botStartRssMb / size.floorStartRssMb;
  const met = r <= IDLE_RSS_RATIO_LIMIT;
  return [
    {
      target: `idle RSS after warm-up ≤ ${IDLE_RSS_RATIO_LIMIT} × the compiled no-op floor`,
      licenses: size.licenses,
      measured: `${size.botStartRssMb.toFixed(0)} MB (${r.toFixed(2)} × ${size.floorStartRssMb.toFixed(0)} MB)`,
      limit: `≤ ${(IDLE_RSS_RATIO_LIMIT * size.floorStartRssMb).toFixed(0)} MB`,
      met,
      ...(met ? {} : { why: idleRssWhy(size, parts) }),
    },
  ];
}

function loopDelayVerdicts(size: SizeResult): Verdict[] {
  const d = size.loopDelay;
  if (!d) return [];
  const r = d.hostile.p99 / d.normal.p99;
  const met = r <= LOOP_DELAY_RATIO_LIMIT;
  return [
    {
      target: `event-loop delay p99, hostile burst ≤ ${LOOP_DELAY_RATIO_LIMIT} × ordinary burst`,
      licenses: size.licenses,
      measured: `${ms(d.hostile.p99)} vs ${ms(d.normal.p99)} (${r.toFixed(2)}×)`,
      limit: `≤ ${LOOP_DELAY_RATIO_LIMIT}×`,
      met,
      ...(met
        ? {}
        : {
            why: `over the hostile burst (max ${ms(d.hostile.max)}; ordinary max ${ms(d.normal.max)}) the bot answered ${Object.entries(
              d.statuses,
            )
              .map(([k, n]) => `${n} × ${k}`)
              .join(', ')}`,
          }),
    },
  ];
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
      target: 'digest: adds to the bot RSS',
      licenses: size.licenses,
      measured: `${(d.peakRssMb - size.botStartRssMb).toFixed(0)} MB (peak ${d.peakRssMb.toFixed(0)} MB${d.peakIsLifetime ? ', lifetime' : ''} over ${size.botStartRssMb.toFixed(0)} MB)`,
      limit: `≤ ${ADDED_RSS_LIMIT_MB} MB`,
      met: d.peakRssMb - size.botStartRssMb <= ADDED_RSS_LIMIT_MB,
      ...(d.peakRssMb - size.botStartRssMb <= ADDED_RSS_LIMIT_MB
        ? {}
        : { why: `the post's calls: ${queries(d.soql)}; their rows are held while the digest is composed` }),
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
  const [from, to] = m.idle ? [m.idle.first, m.idle.last] : [first.rssMb, last.rssMb];
  const growth = (to - from) / from;
  const met = growth <= RSS_GROWTH_LIMIT;
  const rightAfter = `right after: ${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB`;
  const change = `${from.toFixed(0)} → ${to.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`;
  return [
    {
      target: `RSS after ${last.commands.toLocaleString('en-US')} commands within 10% of after ${first.commands.toLocaleString('en-US')}`,
      licenses: m.licenses,
      measured: m.idle ? `idle ${change}; ${rightAfter}` : change,
      limit: `≤ +${RSS_GROWTH_LIMIT * 100}%`,
      met,
      ...(met
        ? {}
        : { why: `RSS at each checkpoint: ${m.checkpoints.map((c) => `${c.rssMb.toFixed(0)}`).join(', ')} MB` }),
    },
  ];
}

function alertVerdicts(results: BenchResults): Verdict[] {
  const a = results.alerts;
  if (!a) return [];
  if (!a.measured)
    return [{ target: 'alerts', licenses: a.licenses, measured: 'not measured', limit: '', met: null, why: a.why }];
  const limitMs = (a.pollSeconds + ALERT_DELAY_SLACK_S) * 1000;
  const verdicts: Verdict[] = [];
  if (a.quiet.polls > 0) {
    const met = a.quiet.callsPerPoll <= 1;
    verdicts.push({
      target: 'alerts: calls per quiet poll',
      licenses: a.licenses,
      measured: `${calls(a.quiet.callsPerPoll)} (${a.quiet.polls} polls; bot ${ms(a.quiet.botCpuMsPerPoll)}, LMO ${ms(a.quiet.lmoCpuMsPerPoll)} CPU each, ${ms(a.quiet.lmoServingCpuMsPerPoll)} of it serving the poll)`,
      limit: '≤ 1',
      met,
    });
  }
  const delayMet = a.delayMs !== undefined && a.delayMs <= limitMs;
  verdicts.push({
    target: 'alerts: LMO write → Slack post ≤ poll interval + 5 s',
    licenses: a.licenses,
    measured: a.delayMs === undefined ? 'never posted' : ms(a.delayMs),
    limit: `≤ ${ms(limitMs)}`,
    met: delayMet,
    ...(delayMet ? {} : { why: `polled every ${a.pollSeconds} s; see the bot's log` }),
  });
  const b = a.burst;
  const burstMet = b.processedMs !== undefined && b.processedMs <= ALERT_BURST_LIMIT_MS;
  verdicts.push({
    target: `alerts: ${b.changes.toLocaleString('en-US')} changes in one poll, first call → summary posted`,
    licenses: a.licenses,
    measured: b.processedMs === undefined ? 'no summary' : ms(b.processedMs),
    limit: `≤ ${ms(ALERT_BURST_LIMIT_MS)}`,
    met: burstMet,
    ...(burstMet ? {} : { why: 'the poll reads every changed license (pages of 2,000, one call each) before routing' }),
  });
  const rssMet = b.addedRssMb <= ADDED_RSS_LIMIT_MB;
  verdicts.push({
    target: `alerts: ${b.changes.toLocaleString('en-US')}-change poll adds to the bot RSS`,
    licenses: a.licenses,
    measured: `${b.addedRssMb.toFixed(0)} MB${b.peakIsLifetime ? ' (lifetime peak)' : ''}`,
    limit: `≤ ${ADDED_RSS_LIMIT_MB} MB`,
    met: rssMet,
    ...(rssMet
      ? {}
      : {
          why: 'each page read (2,000 licenses, one call) is written in its own transaction, but what V8 promoted of it stays in its old space until a full collection: the heap grew from 21 to 38 MB before the first and to 45 MB before the second (--trace-gc, 8 Dec 2026); pages of 500 added 26-28 MB, but made a quiet poll after a mass update more than one call (src/lma/service.ts, FEED_PAGES_PER_CALL)',
        }),
  });
  return verdicts;
}

/** The best throughput with p99 ≤ 1 s and no failures among the steps; 0 when none. */
export function bestRate(steps: readonly ThroughputStep[]): number {
  return Math.max(0, ...steps.filter((t) => t.answer.p99 <= 1000 && t.failures === 0).map((t) => t.perSecond));
}

function replicaVerdicts(results: BenchResults): Verdict[] {
  const r = results.replicas;
  if (!r) return [];
  if (r.why)
    return [{ target: 'replicas', licenses: r.licenses, measured: 'not measured', limit: '', met: null, why: r.why }];
  const one = bestRate(r.one);
  const two = bestRate(r.two);
  const scaling = one > 0 ? two / one : NaN;
  const met = scaling >= REPLICA_SCALING_MIN;
  const cpu = (steps: readonly ThroughputStep[]) => steps.at(-1)?.botCpuMsPerCommand ?? NaN;
  return [
    {
      target: "two replicas on Postgres: 2 × one replica's throughput at p99 ≤ 1 s, within 20%",
      licenses: r.licenses,
      measured: `${two.toFixed(0)} vs ${one.toFixed(0)} commands/s (${scaling.toFixed(2)}×)`,
      limit: `≥ ${REPLICA_SCALING_MIN}×`,
      met,
      ...(met
        ? {}
        : {
            why:
              `at their last steps one replica spent ${ms(cpu(r.one))} bot CPU per command and two ${ms(cpu(r.two))} together, ` +
              `beside the LMO and this process on the same ${results.machine.cpus} cores: a second process adds no core`,
          }),
    },
  ];
}

export function evaluateTargets(results: BenchResults): Verdict[] {
  const largest = Math.max(...results.sizes.map((s) => s.licenses));
  const roundTrip = results.plan.latencyMs;
  const atLargest = results.sizes.filter((s) => s.licenses === largest);
  return [
    ...results.sizes.flatMap(callVerdicts),
    ...constancyVerdicts(results),
    ...results.sizes.flatMap(ownShareVerdicts),
    ...atLargest.flatMap(botCpuVerdicts),
    ...results.sizes.flatMap(bareVerdicts),
    ...atLargest.flatMap(loadVerdicts),
    ...atLargest.flatMap(lmoCpuVerdicts),
    ...results.sizes.flatMap(ackVerdicts),
    ...results.sizes.flatMap((s) => idleRssVerdicts(s, results.idleParts)),
    ...results.sizes.flatMap((s) => digestVerdicts(s, s.licenses === largest, roundTrip)),
    ...memoryVerdict(results),
    ...alertVerdicts(results),
    ...replicaVerdicts(results),
    ...results.sizes.flatMap(loopDelayVerdicts),
  ];
}
