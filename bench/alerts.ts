/**
 * The alerts' figures, against a bot subscribed at start-up (ALERT_CHANNEL) and polling every ALERT_POLL_SECONDS:
 * quiet polls (API calls and CPU each costs, bot and LMO, and the LMO's while serving them), the delay from one license written in the LMO to its alert
 * in Slack, and a burst of changes read in one poll — from the poll's first call to its summary in the channel, and
 * the RSS it added (VmHWM, reset first).
 */
import { readFileSync } from 'node:fs';
import type { LmoChanged, ServedCall } from './lmo-process.js';
import { lmoStats, type Rig } from './measure.js';
import { ask, cpuMs, readMemory, resetPeak } from './processes.js';
import type { AlertFigures } from './results.js';
import { CHANNEL } from './slack.js';

/** The change feed's query (src/lma/queries.ts changedLicensesQuery): every poll starts with it. */
const FEED_QUERY = /ORDER BY SystemModstamp ASC/;
/** A call that carries the feed's query: alone, or in a composite beside the history's (a lazy baseline's org). */
const startsPoll = (call: ServedCall) =>
  [call.soql, ...(call.subrequests ?? []).map((sub) => sub.soql)].some((soql) => soql && FEED_QUERY.test(soql));
const BASELINE_LINE = /Alerts: baseline of .+ taken/;
/** Beyond the poll interval, how long a phase may wait for what it watches before it counts as not come. */
const GRACE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bot's top-level posts in the alert channel. */
const channelPosts = (rig: Rig) =>
  rig.slack
    .messages(CHANNEL)
    .filter((m) => m.bot_id !== undefined && (m.thread_ts === undefined || m.thread_ts === m.ts)).length;

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

/** Epoch ms at which the change feed's polls started, as the LMO saw their first call, from now on. */
class PollWatch {
  readonly starts: number[] = [];
  apiCalls = 0;
  lmoCpuMs = 0;
  /** The LMO's CPU while serving the calls seen so far (each from its arrival to its answer). */
  servingCpuMs = 0;

  constructor(private readonly rig: Rig) {}

  async read(): Promise<void> {
    const stats = await lmoStats(this.rig);
    for (const call of stats.calls) {
      if (startsPoll(call)) this.starts.push(call.at);
      this.servingCpuMs += call.cpuMs ?? 0;
    }
    this.apiCalls = stats.apiCalls;
    this.lmoCpuMs = stats.cpuMs;
  }

  /** Reads until `n` polls in all have started, or the time is up. */
  untilPolls(n: number, timeoutMs: number): Promise<boolean> {
    return until(async () => {
      await this.read();
      return this.starts.length >= n;
    }, timeoutMs);
  }
}

export async function measureAlerts(
  rig: Rig,
  o: { pollSeconds: number; quietPolls: number; burst: number },
): Promise<AlertFigures> {
  const intervalMs = o.pollSeconds * 1000;
  const baseline = await until(
    () => BASELINE_LINE.test(readFileSync(rig.bot.child.logFile, 'utf8')),
    120_000 + intervalMs,
  );
  if (!baseline) return { measured: false, why: `the bot logged no alert baseline within ${120 + o.pollSeconds} s` };
  const watch = new PollWatch(rig);
  await watch.read();

  // Quiet polls: from the start of one to the start of the one `quietPolls` later, nothing changed in the LMO.
  let quiet = { polls: 0, callsPerPoll: NaN, botCpuMsPerPoll: NaN, lmoCpuMsPerPoll: NaN, lmoServingCpuMsPerPoll: NaN };
  if (o.quietPolls > 0) {
    await watch.untilPolls(1, intervalMs + GRACE_MS);
    const first = {
      calls: watch.apiCalls,
      botCpu: cpuMs(rig.bot.child.pid),
      lmoCpu: watch.lmoCpuMs,
      serving: watch.servingCpuMs,
    };
    const seen = watch.starts.length;
    await watch.untilPolls(seen + o.quietPolls, o.quietPolls * intervalMs + GRACE_MS);
    const polls = watch.starts.length - seen;
    quiet = {
      polls,
      callsPerPoll: (watch.apiCalls - first.calls) / polls,
      botCpuMsPerPoll: (cpuMs(rig.bot.child.pid) - first.botCpu) / polls,
      lmoCpuMsPerPoll: (watch.lmoCpuMs - first.lmoCpu) / polls,
      lmoServingCpuMsPerPoll: (watch.servingCpuMs - first.serving) / polls,
    };
  }

  // One license written → its alert in the channel.
  const before = channelPosts(rig);
  const one = await ask<LmoChanged>(rig.lmo, { type: 'change', count: 1 });
  const posted = await rig.watcher.until(() => channelPosts(rig) > before, intervalMs + GRACE_MS);
  const delayMs = posted ? Date.now() - one.at : undefined;

  // A burst read in one poll: its first call → its summary in the channel.
  await watch.read();
  const pollsBefore = watch.starts.length;
  const peakReset = resetPeak(rig.bot.child.pid);
  const rssBefore = readMemory(rig.bot.child.pid).rssMb;
  const postsBefore = channelPosts(rig);
  const burst = await ask<LmoChanged>(rig.lmo, { type: 'change', count: o.burst }, 60_000);
  const summarized = await rig.watcher.until(() => channelPosts(rig) > postsBefore, intervalMs + GRACE_MS + 60_000);
  const summaryAt = Date.now();
  await watch.read();
  const pollStart = watch.starts.slice(pollsBefore).find((at) => at >= burst.at);
  return {
    measured: true,
    pollSeconds: o.pollSeconds,
    quiet,
    delayMs,
    burst: {
      changes: burst.changed,
      processedMs: summarized && pollStart !== undefined ? summaryAt - pollStart : undefined,
      addedRssMb: readMemory(rig.bot.child.pid).peakMb - rssBefore,
      peakIsLifetime: !peakReset,
    },
  };
}
