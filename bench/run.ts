/**
 * `npm run bench`: the bot in its own process (HTTP mode) against the embedded LMO in another (100 ms per call),
 * a no-op Bolt app as the floor, and Slack played from here. See bench/args.ts for the options and
 * bench/RESULTS.md for the last full run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlackDriver } from '@lma-bot/slack-sandbox';
import { measureAlerts } from './alerts.js';
import { BENCH_USAGE, type BenchPlan, BenchUsageError, type Phase, parseBenchArgs } from './args.js';
import { bareAnswer, bareConnection, stagesOf } from './bare-jsforce.js';
import type { MemoryUsage } from './bot-probe.js';
import { digestCronNotToday, measureDigest } from './digest.js';
import type { FloorReady } from './floor-app.js';
import { measureLoopDelay } from './hostile.js';
import { measureIdleParts } from './idle-parts.js';
import type { LmoReady } from './lmo-process.js';
import {
  burst,
  closedLoop,
  floorBurst,
  floorOneAtATime,
  measureOneAtATime,
  type Probe,
  type Rig,
  throughputStep,
  untilQuiet,
} from './measure.js';
import {
  ask,
  type Child,
  compile,
  compiled,
  freePort,
  idleRssMb,
  killAllNow,
  nextMessage,
  readMemory,
  spawnNode,
  stop,
  stopAll,
  tail,
} from './processes.js';
import { benchReplicas } from './replicas.js';
import { formatReport } from './report.js';
import type { BenchResults, CommandFigures, MemoryFigures, SizeResult } from './results.js';
import type { Session } from './session.js';
import { AnswerWatcher, BOT_TOKEN, CHANNEL, driverFor, SIGNING_SECRET, startBenchSlack, type Timing } from './slack.js';
import { summarize } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STARTUP_TIMEOUT_MS = 120_000;
const WARM_UP_ROUNDS = 3;
/** Throughput counts while p99 answer latency stays within this. */
const P99_LIMIT_MS = 1_000;

export const progress = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<void> {
  let command: ReturnType<typeof parseBenchArgs>;
  try {
    command = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(`npm run bench: ${error.message}\n\n${BENCH_USAGE}`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    console.log(BENCH_USAGE);
    return;
  }
  const { plan } = command;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping every process started`);
      void stopAll().finally(() => process.exit(130));
    });
  }

  const started = Date.now();
  const loadStart = os.loadavg();
  const dir = mkdtempSync(join(os.tmpdir(), 'lma-bench-'));
  if (plan.profileDir) mkdirSync(plan.profileDir, { recursive: true });
  const slack = await startBenchSlack();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    LOG_LEVEL: 'info',
  };
  try {
    progress('compiling (npm run build and tsconfig.bench.json)');
    compile();
    const session: Session = { plan, dir, env, rig: { slack, watcher: new AnswerWatcher(slack) } };
    progress(`logs in ${dir}`);

    const runs = (phase: Phase) => plan.phases.includes(phase);
    const sizes: SizeResult[] = [];
    if (runs('sizes')) for (const licenses of plan.sizes) sizes.push(await benchSize(session, licenses));
    const memory = runs('memory') ? await benchMemory(session, Math.min(...plan.sizes)) : undefined;
    const alerts = runs('alerts') && plan.alerts ? await benchAlerts(session, plan.alerts) : undefined;
    const replicas =
      runs('replicas') && plan.replicas
        ? await benchReplicas(session, plan.replicas, { withBot, startBot: startBotProcess, progress })
        : undefined;

    const results: BenchResults = {
      plan,
      sizes,
      memory,
      alerts,
      replicas,
      idleParts: runs('sizes') ? await measureIdleParts(ROOT) : undefined,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        memoryGb: os.totalmem() / 1024 ** 3,
        node: process.version,
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        loadStart,
        loadEnd: os.loadavg(),
        date: new Date().toISOString(),
        command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
        durationS: (Date.now() - started) / 1000,
      },
    };
    const report = formatReport(results);
    if (plan.out) {
      writeFileSync(resolve(ROOT, plan.out), report);
      progress(`wrote ${plan.out}`);
    } else {
      process.stdout.write(report);
    }
    progress(`done in ${results.machine.durationS.toFixed(0)} s`);
    rmSync(dir, { recursive: true, force: true });
  } finally {
    await stopAll();
    await slack.close();
  }
}

/** With --profile: a V8 CPU profile of the process, written there as `<name>.cpuprofile` when it exits. */
const profileFlags = (session: Session, name: string): string[] =>
  session.plan.profileDir
    ? ['--cpu-prof', '--cpu-prof-dir', resolve(session.plan.profileDir), '--cpu-prof-name', `${name}.cpuprofile`]
    : [];

async function startLmo(session: Session, licenses: number): Promise<{ child: Child; ready: LmoReady }> {
  const child = spawnNode(`lmo-${licenses}`, {
    entry: compiled.lmo,
    nodeFlags: [...compiled.lmoFlags, ...profileFlags(session, `lmo-${licenses}`)],
    args: [String(licenses), String(session.plan.latencyMs)],
    env: session.env,
    cwd: ROOT,
    logDir: session.dir,
  });
  return { child, ready: await nextMessage<LmoReady>(child, 'ready', STARTUP_TIMEOUT_MS) };
}

/** The floor's process, and the driver that plays Slack to it. */
interface Floor {
  child: Child;
  driver: SlackDriver;
}

/**
 * The floor (bench/floor-app.ts) as one node process. A fresh one per size, as the bot is: both are measured from the
 * same start (one that had served an earlier size's bursts would hold the young generation V8 grew for them).
 */
async function startFloor(session: Session): Promise<Floor> {
  const { slack } = session.rig;
  const child = spawnNode('floor', {
    entry: compiled.floor,
    env: {
      ...session.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    },
    cwd: ROOT,
    logDir: session.dir,
  });
  const ready = await nextMessage<FloorReady>(child, 'ready', STARTUP_TIMEOUT_MS);
  return { child, driver: driverFor(slack, ready.port) };
}

/** The compiled bot (dist/index.js) as one node process, in a scratch directory (no .env is read) with its own DATA_DIR. */

async function startBotProcess(
  session: Session,
  lmo: LmoReady,
  tag: string,
  extraEnv: Record<string, string> = {},
): Promise<{ child: Child; port: number }> {
  const port = await freePort();
  const dataDir = join(session.dir, `data-${tag}`);
  mkdirSync(dataDir, { recursive: true });
  const child = spawnNode(`bot-${tag}`, {
    entry: compiled.bot,
    nodeFlags: [...compiled.botFlags, ...profileFlags(session, `bot-${tag}`)],
    env: {
      ...session.env,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: session.rig.slack.apiUrl,
      SF_INSTANCE_URL: lmo.url,
      SF_ACCESS_TOKEN: lmo.accessToken,
      PORT: String(port),
      DATA_DIR: dataDir,
      DIGEST_CHANNEL: CHANNEL,
      DIGEST_CRON: digestCronNotToday(new Date()),
      LMA_TIMEZONE: 'UTC',
      ...extraEnv,
    },
    cwd: dataDir,
    logDir: session.dir,
  });
  await waitHealthy(child, port);
  return { child, port };
}

/** Polls /healthz until the bot listens and has reached the LMO. */
async function waitHealthy(child: Child, port: number): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited during start-up:\n${tail(child.logFile)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      const health = (await response.json()) as { lmo?: string };
      if (health.lmo === 'connected') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not become healthy in ${STARTUP_TIMEOUT_MS} ms:\n${tail(child.logFile)}`);
}

function probes(customer: string): { commands: Probe[]; thread: Probe } {
  return {
    commands: [
      { name: 'status', kind: 'command', text: `status ${customer}` },
      { name: 'trials', kind: 'command', text: 'trials' },
      { name: 'renewals', kind: 'command', text: 'renewals 30' },
      { name: 'conversions', kind: 'command', text: 'conversions 30' },
      { name: 'health', kind: 'command', text: 'health' },
    ],
    thread: { name: 'thread question', kind: 'mention', text: `when does ${customer} renew?` },
  };
}

async function withBot<T>(
  session: Session,
  licenses: number,
  tag: string,
  work: (rig: Rig, lmo: LmoReady) => Promise<T>,
  extraEnv: Record<string, string> = {},
): Promise<T> {
  progress(`${tag}: starting the LMO with ${licenses.toLocaleString('en-US')} licenses`);
  const lmo = await startLmo(session, licenses);
  try {
    const bot = await startBotProcess(session, lmo.ready, tag, extraEnv);
    const rig: Rig = {
      ...session.rig,
      lmo: lmo.child,
      bot: { child: bot.child, driver: driverFor(session.rig.slack, bot.port), port: bot.port },
    };
    try {
      return await work(rig, lmo.ready);
    } finally {
      await stop(bot.child);
    }
  } finally {
    await stop(lmo.child);
  }
}

async function benchSize(session: Session, licenses: number): Promise<SizeResult> {
  const floor = await startFloor(session);
  try {
    return await measureSize(session, licenses, floor);
  } finally {
    await stop(floor.child);
  }
}

async function measureSize(session: Session, licenses: number, floor: Floor): Promise<SizeResult> {
  const { plan } = session;
  return withBot(session, licenses, String(licenses), async (rig, lmo) => {
    const { commands, thread } = probes(lmo.customer);
    const all = [...commands, thread];
    progress(`${licenses}: warming up`);
    for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const probe of all) await measureOneAtATime(rig, probe, 1);
    // Home shares one reading for minutes: its first open (the warm-up opens none) is the one that reads the LMO.
    progress(`${licenses}: App Home, first open`);
    const home = await measureOneAtATime(rig, { name: 'Home', kind: 'home', text: '' }, 1);
    await floorOneAtATime(rig, floor.driver, 'trials', WARM_UP_ROUNDS * commands.length);
    // Both idle: what each holds once V8 has given back the heap the warm-up grew.
    const [botStartRssMb, floorStartRssMb] = await Promise.all([
      idleRssMb(rig.bot.child.pid, plan.idleWaitSeconds),
      idleRssMb(floor.child.pid, plan.idleWaitSeconds),
    ]);
    const botStartMemory = await ask<MemoryUsage>(rig.bot.child, { type: 'memory' });

    progress(`${licenses}: digest`);
    const digest = await measureDigest(rig, plan.digestPreviews);

    progress(`${licenses}: one at a time (${plan.sequentialSamples} per command)`);
    const figures: CommandFigures[] = [];
    for (const probe of all) figures.push(await measureOneAtATime(rig, probe, plan.sequentialSamples));
    progress(`${licenses}: the same SOQL through bare jsforce`);
    const bare = bareConnection(lmo.url, lmo.accessToken, '62.0');
    for (const c of figures) {
      const stages = stagesOf(c.calls);
      const times: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < plan.sequentialSamples; i++) times.push(await bareAnswer(bare, stages));
      const spent = process.cpuUsage(cpu);
      c.bare1 = summarize(times);
      c.bareCpuMs = (spent.user + spent.system) / 1000 / plan.sequentialSamples;
    }
    const floorAck1 = summarize(
      await floorOneAtATime(rig, floor.driver, 'trials', plan.sequentialSamples * commands.length),
    );

    progress(`${licenses}: bursts of ${plan.concurrency}, bot and floor alternating`);
    const floorAcks: number[] = [];
    const botTimings: Timing[][] = commands.map(() => []);
    // Both warmed alike first: one unmeasured burst each, so that the first measured one (status) does not alone pay
    // for opening its connections and running code concurrently for the first time (the floor's connections from an
    // earlier size have long closed).
    await burst(rig, commands[0].text, plan.concurrency);
    await floorBurst(rig, floor.driver, commands[0].text, plan.concurrency);
    const burstsUntil = performance.now() + plan.burstSeconds * 1000;
    // Whole rounds (every command once) until the rounds or the time are used up; always one.
    for (let round = 0; round < plan.burstRounds && (round === 0 || performance.now() < burstsUntil); round++) {
      for (const [index, probe] of commands.entries()) {
        botTimings[index].push(...(await burst(rig, probe.text, plan.concurrency)));
        floorAcks.push(...(await floorBurst(rig, floor.driver, probe.text, plan.concurrency)).map((t) => t.ackMs));
      }
    }
    for (const [index, timings] of botTimings.entries()) {
      figures[index].ack50 = summarize(timings.map((t) => t.ackMs));
      figures[index].answer50 = summarize(timings.flatMap((t) => (t.answerMs === undefined ? [] : [t.answerMs])));
      figures[index].failures += timings.filter((t) => t.failed).length;
    }

    const texts = commands.map((p) => p.text);
    progress(
      `${licenses}: event-loop delay, ${plan.hostileRequests} ordinary then ${plan.hostileRequests} hostile requests`,
    );
    await untilQuiet(rig);
    const loopDelay = await measureLoopDelay(rig, texts, plan.hostileRequests);

    progress(`${licenses}: throughput at ${plan.throughputSteps.join(', ')} concurrent`);
    const throughput = [];
    for (const concurrency of plan.throughputSteps) {
      const step = await throughputStep(rig, texts, plan.throughputCommands, concurrency, plan.throughputSeconds);
      throughput.push(step);
      if (step.answer.p99 > P99_LIMIT_MS || step.failures > 0) break; // more concurrency only queues longer
    }

    const memory = readMemory(rig.bot.child.pid);
    return {
      licenses,
      lmoStartMs: lmo.startMs,
      commands: figures,
      floorAck1,
      floorAck50: summarize(floorAcks),
      throughput,
      digest,
      botStartRssMb,
      floorStartRssMb,
      botStartMemory,
      botRssMb: memory.rssMb,
      botPeakMb: memory.peakMb,
      floorRssMb: readMemory(floor.child.pid).rssMb,
      home: { ...home, name: 'Home' },
      loopDelay,
    };
  });
}

/** RSS of a fresh bot over many commands at full concurrency, read at each tenth of the way (after a short rest). */
async function benchMemory(session: Session, licenses: number): Promise<MemoryFigures> {
  const { plan } = session;
  const [first, last] = plan.memoryCheckpoints;
  return withBot(session, licenses, `memory-${licenses}`, async (rig, lmo) => {
    const texts = probes(lmo.customer).commands.map((p) => p.text);
    const checkpoints: MemoryFigures['checkpoints'] = [];
    let sent = 0;
    let failures = 0;
    const idle: number[] = [];
    const step = first;
    progress(`memory: ${last.toLocaleString('en-US')} commands at ${plan.concurrency} concurrent`);
    while (sent < last) {
      const n = Math.min(step, last - sent);
      const { timings } = await closedLoop(rig, texts, n, plan.concurrency);
      failures += timings.filter((t) => t.failed).length;
      sent += n;
      await new Promise((r) => setTimeout(r, 300));
      checkpoints.push({ commands: sent, rssMb: readMemory(rig.bot.child.pid).rssMb });
      if (sent === step || sent === last) idle.push(await idleRssMb(rig.bot.child.pid, plan.idleWaitSeconds));
    }
    const settled = idle.length === 2 ? { idle: { first: idle[0]!, last: idle[1]! } } : {};
    return { licenses, concurrency: plan.concurrency, checkpoints, ...settled, failures };
  });
}

/** The alerts against a bot subscribed at start-up (ALERT_CHANNEL), in its own LMO and bot processes. */
async function benchAlerts(session: Session, phase: NonNullable<BenchPlan['alerts']>): Promise<BenchResults['alerts']> {
  const { licenses, pollSeconds, quietPolls, burst: changes } = phase;
  const env = { ALERT_CHANNEL: CHANNEL, ALERT_POLL_SECONDS: String(pollSeconds) };
  return withBot(
    session,
    licenses,
    `alerts-${licenses}`,
    async (rig) => {
      progress(
        `alerts: baseline, ${quietPolls} quiet polls, one change, then ${changes.toLocaleString('en-US')} at once`,
      );
      return { licenses, ...(await measureAlerts(rig, { pollSeconds, quietPolls, burst: changes })) };
    },
    env,
  );
}

main().catch((error: unknown) => {
  console.error('npm run bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
