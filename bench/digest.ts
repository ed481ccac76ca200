/**
 * The digest's figures: `/lma digest post` → the digest in the channel, timed, with the Salesforce calls it cost
 * and the bot's peak RSS meanwhile (VmHWM reset first). Reported as not measured when this build has no digest.
 */
import { lmoStats, type Rig } from './measure.js';
import { readMemory, resetPeak } from './processes.js';
import type { DigestFigures } from './results.js';
import { CHANNEL, timedCommand } from './slack.js';
import { summarize } from './stats.js';

/** What /lma answers for a subcommand no feature owns (src/listeners/commands.ts). */
const NOT_AVAILABLE = /not available in this installation/;
const POST_TIMEOUT_MS = 30_000;
const QUIET_MS = 300;

/** The bot's top-level messages in the digest channel. */
function channelPosts(rig: Rig): number {
  return rig.slack.messages(CHANNEL).filter((m) => m.bot_id !== undefined && !m.ephemeralTo && (m.thread_ts === undefined || m.thread_ts === m.ts)).length;
}

/**
 * Waits until the LMO has served no call for QUIET_MS (the digest's thread reply may follow its parent);
 * returns the SOQL received meanwhile and the call count reached.
 */
async function untilQuiet(rig: Rig): Promise<{ soql: string[]; apiCalls: number }> {
  let stats = await lmoStats(rig);
  const soql = [...stats.soql];
  for (;;) {
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const next = await lmoStats(rig);
    soql.push(...next.soql);
    if (next.apiCalls === stats.apiCalls) return { soql, apiCalls: next.apiCalls };
    stats = next;
  }
}

export async function measureDigest(rig: Rig, runs: number): Promise<DigestFigures> {
  const preview = await timedCommand(rig.bot.driver, rig.watcher, 'digest', true);
  if (!preview.body || NOT_AVAILABLE.test(JSON.stringify(preview.body))) {
    return { measured: false, why: 'this build of the bot has no digest: `/lma digest` answers that it is not available' };
  }
  await untilQuiet(rig);
  const peakReset = resetPeak(rig.bot.child.pid);
  const times: number[] = [];
  const calls: number[] = [];
  let soql: string[] = [];
  let failures = 0;
  for (let i = 0; i < runs; i++) {
    const before = await lmoStats(rig);
    const posted = channelPosts(rig);
    const sent = performance.now();
    await timedCommand(rig.bot.driver, rig.watcher, 'digest post', false);
    if (await rig.watcher.until(() => channelPosts(rig) > posted, POST_TIMEOUT_MS)) times.push(performance.now() - sent);
    else failures++;
    const after = await untilQuiet(rig);
    calls.push(after.apiCalls - before.apiCalls);
    soql = after.soql;
  }
  const memory = readMemory(rig.bot.child.pid);
  return {
    measured: true,
    time: summarize(times),
    callsMean: calls.reduce((a, b) => a + b, 0) / calls.length,
    callsMax: Math.max(...calls),
    soql,
    peakRssMb: memory.peakMb,
    peakIsLifetime: !peakReset,
    failures,
  };
}
