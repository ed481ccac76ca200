/**
 * The digest's figures. A day's digest is posted once (the ledger refuses a second post), so each fresh bot posts
 * it once — `/lma digest post` → the digest in the channel: composed from the LMO and posted — and the preview
 * (`/lma digest`: the same composition, answered to the caller) gives the repeated samples. Salesforce calls are
 * counted for both; the bot's peak RSS is VmHWM, reset first. Reported as not measured when the build has no digest.
 */
import { lmoStats, type Rig, untilQuiet } from './measure.js';
import { readMemory, resetPeak } from './processes.js';
import type { DigestFigures } from './results.js';
import { CHANNEL, timedCommand } from './slack.js';
import { summarize } from './stats.js';

/** What /lma answers when no feature declares `digest` (src/parse/command.ts: backticks shown as look-alikes). */
const NOT_AVAILABLE = /.digest. is not a command/;
const POST_TIMEOUT_MS = 30_000;

/**
 * A DIGEST_CRON whose slot is never today, so neither the schedule nor the start-up catch-up posts during the run
 * (the benchmark posts it itself): midnight on 1 January, or on 2 January when today is the first.
 */
export function digestCronNotToday(now: Date): string {
  const firstOfJanuary = now.getUTCMonth() === 0 && now.getUTCDate() === 1;
  return firstOfJanuary ? '0 0 2 1 *' : '0 0 1 1 *';
}

/** The bot's top-level messages in the digest channel. */
function channelPosts(rig: Rig): number {
  return rig.slack
    .messages(CHANNEL)
    .filter((m) => m.bot_id !== undefined && !m.ephemeralTo && (m.thread_ts === undefined || m.thread_ts === m.ts))
    .length;
}

export async function measureDigest(rig: Rig, previews: number): Promise<DigestFigures> {
  await untilQuiet(rig);
  const peakReset = resetPeak(rig.bot.child.pid);
  const previewTimes: number[] = [];
  const previewCalls: number[] = [];
  let failures = 0;
  for (let i = 0; i < previews; i++) {
    const before = await lmoStats(rig);
    const preview = await timedCommand(rig.bot.driver, rig.watcher, 'digest', true);
    if (preview.body && NOT_AVAILABLE.test(JSON.stringify(preview.body))) {
      return {
        measured: false,
        why: 'this build of the bot has no digest: `/lma digest` answers that it is not a command',
      };
    }
    const after = await untilQuiet(rig);
    if (preview.failed || preview.answerMs === undefined) failures++;
    else previewTimes.push(preview.answerMs);
    previewCalls.push(after.apiCalls - before.apiCalls);
  }

  const before = await lmoStats(rig);
  const posted = channelPosts(rig);
  const sent = performance.now();
  await timedCommand(rig.bot.driver, rig.watcher, 'digest post', false);
  const appeared = await rig.watcher.until(() => channelPosts(rig) > posted, POST_TIMEOUT_MS);
  const postMs = appeared ? performance.now() - sent : undefined;
  if (!appeared) failures++;
  const after = await untilQuiet(rig);
  const memory = readMemory(rig.bot.child.pid);
  return {
    measured: true,
    postMs,
    postCalls: after.apiCalls - before.apiCalls,
    soql: after.soql,
    preview: summarize(previewTimes),
    previewCallsMax: Math.max(...previewCalls),
    peakRssMb: memory.peakMb,
    peakIsLifetime: !peakReset,
    failures,
  };
}
