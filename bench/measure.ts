/**
 * The measurements, each against running processes: one at a time (latency, Salesforce calls and CPU per answer),
 * bursts (ack under concurrency, bot and floor alike), a closed loop (throughput, memory over many commands).
 */
import type { FakeSlack, SlackDriver } from '@lma-bot/slack-sandbox';
import type { CpuTime } from './bot-probe.js';
import type { LmoStats, ServedCall } from './lmo-process.js';
import { ask, type Child, cpuMs } from './processes.js';
import type { CommandFigures, ThroughputStep } from './results.js';
import { type AnswerWatcher, type Timing, timedCommand, timedHome, timedMention } from './slack.js';
import { coveredMs, summarize } from './stats.js';

/** A bot process and the driver that plays Slack towards it. */
export interface Bot {
  child: Child;
  driver: SlackDriver;
  /** Where it listens on loopback (for requests built by hand). */
  port: number;
}

/** Everything a measurement talks to. */
export interface Rig {
  slack: FakeSlack;
  watcher: AnswerWatcher;
  bot: Bot;
  lmo: Child;
}

/** A slash command (`/lma <text>`), a thread question (an @mention), or opening the App Home. */
export interface Probe {
  name: string;
  kind: 'command' | 'mention' | 'home';
  text: string;
}

export function lmoStats(rig: Rig): Promise<LmoStats> {
  return ask<LmoStats>(rig.lmo, { type: 'stats' });
}

const QUIET_MS = 300;
/** The LMO counts as idle below this share of one core over QUIET_MS. */
const IDLE_CPU_SHARE = 0.1;
const QUIET_LIMIT_MS = 60_000;

/**
 * Waits until the LMO has served no new call and spent almost no CPU for QUIET_MS — the digest's thread reply may
 * follow its parent; an overloaded LMO may still be working off queries the bot gave up on — and returns the SOQL
 * received meanwhile and the call count reached. Gives up waiting after QUIET_LIMIT_MS.
 */
export async function untilQuiet(rig: Rig): Promise<{ soql: string[]; apiCalls: number }> {
  let stats = await lmoStats(rig);
  const soql = [...stats.soql];
  const giveUpAt = performance.now() + QUIET_LIMIT_MS;
  for (;;) {
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const next = await lmoStats(rig);
    soql.push(...next.soql);
    const idle = next.apiCalls === stats.apiCalls && next.cpuMs - stats.cpuMs < IDLE_CPU_SHARE * QUIET_MS;
    if (idle || performance.now() > giveUpAt) return { soql, apiCalls: next.apiCalls };
    stats = next;
  }
}

function send(rig: Rig, probe: Probe): Promise<Timing> {
  if (probe.kind === 'home') return timedHome(rig.slack, rig.bot.driver, rig.watcher);
  return probe.kind === 'command'
    ? timedCommand(rig.bot.driver, rig.watcher, probe.text, true)
    : timedMention(rig.slack, rig.bot.driver, rig.watcher, probe.text);
}

const answered = (timings: Timing[]) => timings.flatMap((t) => (t.answerMs === undefined ? [] : [t.answerMs]));

/** The bot's CPU time so far, ms, to the microsecond (its probe answers once the work in hand is done). */
const botCpuMs = (rig: Rig) => ask<CpuTime>(rig.bot.child, { type: 'cpu' }).then((cpu) => cpu.ms);

/** How long the bot may go on after the last answer of a series (its store writes, the Web API's reply). */
const AFTER_ANSWER_MS = 100;

/**
 * One request at a time: ack and answer latency, and the Salesforce calls and CPU each answer costs. The bot's CPU is
 * read once around the whole series, its end after AFTER_ANSWER_MS: read around each request, it left out what the
 * bot does after its answer is seen (a thread answer's store writes), and every reading was off by up to a 10 ms tick.
 */
export async function measureOneAtATime(
  rig: Rig,
  probe: Probe,
  samples: number,
): Promise<Omit<CommandFigures, 'ack50' | 'answer50'>> {
  const timings: Timing[] = [];
  const calls: number[] = [];
  const own: number[] = [];
  let soql: string[] = [];
  let served: ServedCall[] = [];
  let lmoCpu = 0;
  const botBefore = await botCpuMs(rig);
  for (let i = 0; i < samples; i++) {
    const before = await lmoStats(rig);
    const timing = await send(rig, probe);
    timings.push(timing);
    const after = await lmoStats(rig);
    calls.push(after.apiCalls - before.apiCalls);
    lmoCpu += after.cpuMs - before.cpuMs;
    soql = after.soql;
    served = after.calls;
    if (timing.answerMs !== undefined) own.push(timing.answerMs - coveredMs(after.calls));
  }
  await new Promise((resolve) => setTimeout(resolve, AFTER_ANSWER_MS));
  const botCpu = (await botCpuMs(rig)) - botBefore;
  return {
    name: probe.name,
    text: probe.text,
    ack1: summarize(timings.map((t) => t.ackMs)),
    answer1: summarize(answered(timings)),
    callsMean: calls.reduce((a, b) => a + b, 0) / calls.length,
    callsMax: Math.max(...calls),
    soql,
    calls: served,
    own1: summarize(own),
    botCpuMs: botCpu / samples,
    lmoCpuMs: lmoCpu / samples,
    failures: timings.filter((t) => t.failed).length,
  };
}

/** `n` copies of a command sent at once to the bot; resolves when every answer is in (or timed out). */
export function burst(rig: Rig, text: string, n: number): Promise<Timing[]> {
  return Promise.all(Array.from({ length: n }, () => timedCommand(rig.bot.driver, rig.watcher, text, true)));
}

/** The same to the floor, which only acks. */
export function floorBurst(rig: Rig, floor: SlackDriver, text: string, n: number): Promise<Timing[]> {
  return Promise.all(Array.from({ length: n }, () => timedCommand(floor, rig.watcher, text, false)));
}

export async function floorOneAtATime(rig: Rig, floor: SlackDriver, text: string, samples: number): Promise<number[]> {
  const acks: number[] = [];
  for (let i = 0; i < samples; i++) acks.push((await timedCommand(floor, rig.watcher, text, false)).ackMs);
  return acks;
}

/**
 * A closed loop: `concurrency` users each send the next command as soon as their previous one is answered,
 * cycling through `texts`, until `total` commands are answered — or, with `maxSeconds`, until that time is up
 * (commands in flight then still finish and count). With several bots (replicas), users are spread over them.
 */
export async function closedLoop(
  rig: Rig,
  texts: string[],
  total: number,
  concurrency: number,
  maxSeconds = Infinity,
  bots: Bot[] = [rig.bot],
): Promise<{ timings: Timing[]; seconds: number }> {
  const timings: Timing[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  const user = async (n: number) => {
    const { driver } = bots[n % bots.length];
    while (next < total && performance.now() < deadline) {
      const text = texts[next++ % texts.length];
      timings.push(await timedCommand(driver, rig.watcher, text, true));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, (_, n) => user(n)));
  return { timings, seconds: (performance.now() - started) / 1000 };
}

/** Throughput at one concurrency, with the CPU each command cost in the bot and in the LMO. */
export async function throughputStep(
  rig: Rig,
  texts: string[],
  total: number,
  concurrency: number,
  maxSeconds: number,
  bots: Bot[] = [rig.bot],
): Promise<ThroughputStep> {
  await untilQuiet(rig); // start with an LMO that is not still working off the previous step
  const lmoBefore = await lmoStats(rig);
  const botsCpu = () => bots.reduce((sum, bot) => sum + cpuMs(bot.child.pid), 0);
  const botBefore = botsCpu();
  const { timings, seconds } = await closedLoop(rig, texts, total, concurrency, maxSeconds, bots);
  const botCpu = botsCpu() - botBefore;
  const lmoAfter = await lmoStats(rig);
  const ok = timings.filter((t) => !t.failed);
  return {
    concurrency,
    answered: ok.length,
    failures: timings.length - ok.length,
    seconds,
    perSecond: ok.length / seconds,
    answer: summarize(answered(timings)),
    botCpuMsPerCommand: botCpu / timings.length,
    lmoCpuMsPerCommand: (lmoAfter.cpuMs - lmoBefore.cpuMs) / timings.length,
  };
}
