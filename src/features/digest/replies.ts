/** What `/lma digest` and `/lma digest post` tell the person who typed them, and the digest's line in help. */
import type { DigestConfig } from '../../config.js';
import { formatDateTime } from '../../lma/dates.js';
import { context, type SlackView, section } from '../../slack/blocks.js';
import type { LedgerEntry } from '../../store/store.js';
import type { RunResult } from './post.js';

/** A short reply to `/lma digest post`. */
export function digestNoteView(text: string): SlackView {
  return {
    text,
    blocks: [section(text), context('`/lma digest` previews today’s digest; `/lma help` shows the schedule.')],
  };
}

export const DIGEST_OFF = 'The daily digest is off: set DIGEST_CHANNEL to a channel id to post it.';
export const DIGEST_STARTING = 'The digest is still starting up; try again in a moment.';

/** One line per channel: what `/lma digest post` did there. */
export function describeRun(r: RunResult, timeOfDay: (at: Date) => string): string {
  switch (r.result) {
    case 'posted':
      return `:white_check_mark: Posted today’s digest to <#${r.channel}>.`;
    case 'finished':
      return `:white_check_mark: Today’s digest in <#${r.channel}> was missing its thread reply: finished it.`;
    case 'already_posted':
      return `Today’s digest was already posted to <#${r.channel}> at ${timeOfDay(new Date(r.postedAt))}: nothing new posted.`;
    case 'in_progress':
      return `Another instance of the bot is posting today’s digest to <#${r.channel}> right now: nothing new posted.`;
    case 'failed':
      return `:warning: Could not post to <#${r.channel}> (${r.reason}). ${r.fix}`;
  }
}

/** The line above a preview: only you see it, and whether today's digest is out or when the next one is. */
export function previewNote(
  channels: string[],
  entries: (LedgerEntry | undefined)[],
  next: Date | null,
  digest: Pick<DigestConfig, 'timezone'>,
  timeOfDay: (at: Date) => string,
): string {
  const head = ':eyes: Preview, only you can see it.';
  if (channels.length === 0) return `${head} The daily digest is off: set DIGEST_CHANNEL to post it.`;
  const posted = channels.flatMap((c, i) => {
    const entry = entries[i];
    return entry?.state === 'posted' && entry.postedAt ? [`<#${c}> at ${timeOfDay(new Date(entry.postedAt))}`] : [];
  });
  if (posted.length === channels.length) return `${head} Today’s digest was posted to ${posted.join(', ')}.`;
  return `${head} Next digest: ${next ? formatDateTime(next, digest.timezone) : 'not scheduled'} to ${channels.map((c) => `<#${c}>`).join(', ')}. \`/lma digest post\` posts today’s now.`;
}

/** The digest's line at the foot of `/lma help`. */
export function digestHelpLine(
  digest: Pick<DigestConfig, 'channels' | 'cron' | 'timezone'>,
  next: Date | null,
): string {
  if (digest.channels.length === 0) return 'Daily digest: off (set DIGEST_CHANNEL to a channel id to turn it on).';
  const channels = digest.channels.map((c) => `<#${c}>`).join(', ');
  return `Daily digest: \`${digest.cron}\` (${digest.timezone}) to ${channels}${next ? `; next ${formatDateTime(next, digest.timezone)}` : ''}.`;
}
