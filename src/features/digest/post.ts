/**
 * Posting the day's digest to each channel, exactly once: claim the (day, channel) row in the ledger, post the
 * message, record its ts, post the thread reply, record done. A failure is retried with backoff while the day lasts
 * (Slack's Retry-After for rate limits); a permanent one (unknown channel, bot not invited) is logged with the fix,
 * and leaves the row claimable again, so a manual run, a restart or the next day start clean.
 */
import { LmoError } from '../../lma/client.js';
import type { BotLogger } from '../../logger.js';
import type { SlackView } from '../../slack/blocks.js';
import { classifySlackFailure, type Failure, markerOf, type SlackPoster } from '../../slack/posting.js';
import type { Claim, DigestLedger } from '../../store/store.js';
import type { DigestContent } from './compose.js';

export type RunResult =
  | { channel: string; result: 'posted' | 'finished'; ts: string }
  | { channel: string; result: 'already_posted'; ts: string; postedAt: string }
  | { channel: string; result: 'in_progress' }
  | { channel: string; result: 'failed'; reason: string; fix: string };

export interface DigestRunnerDeps {
  ledger: DigestLedger;
  poster: SlackPoster;
  channels: string[];
  /** This process's name in the ledger. */
  owner: string;
  /** A claim silent this long is another's to take over (DIGEST_LEASE_MS); renewed at a third of it while posting. */
  leaseMs: number;
  clock: () => Date;
  dayOf: (now: Date) => string;
  /** The day's digest: the one kept in the ledger, else composed now and kept. */
  content: (day: string) => Promise<DigestContent>;
  /** The channel message and the thread reply (null when everything fit). */
  render: (content: DigestContent, lateFor?: Date) => { message: SlackView; details: SlackView | null };
  markThread: (channel: string, ts: string) => Promise<void>;
  logger: BotLogger;
  /** Cancellable in production (stop() wakes it); instant in tests. */
  sleep: (ms: number) => Promise<void>;
  /** Tries per step before giving up for now (the day also ends the retries). */
  maxAttempts: number;
  /** Becomes true when the bot stops: retries end. */
  stopped?: () => boolean;
  /** Told of each channel's result (metrics). */
  record?: (result: RunResult) => void;
}

const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 15 * 60_000;

export class DigestRunner {
  constructor(private readonly deps: DigestRunnerDeps) {}

  /** Posts today's digest wherever it is not posted yet. `lateFor`: the slot missed while the bot was down. */
  async run(options: { lateFor?: Date; maxAttempts?: number } = {}): Promise<RunResult[]> {
    const day = this.deps.dayOf(this.deps.clock());
    const results: RunResult[] = [];
    for (const channel of this.deps.channels) {
      const result = await this.runChannel(day, channel, options.lateFor, options.maxAttempts ?? this.deps.maxAttempts);
      this.deps.record?.(result);
      results.push(result);
    }
    return results;
  }

  /** True when every channel has today's digest (or one is being posted by another process). */
  async postedToday(): Promise<boolean> {
    const day = this.deps.dayOf(this.deps.clock());
    const entries = await Promise.all(this.deps.channels.map((c) => this.deps.ledger.entry(day, c)));
    return entries.every((entry) => entry?.state === 'posted');
  }

  private async runChannel(
    day: string,
    channel: string,
    lateFor: Date | undefined,
    maxAttempts: number,
  ): Promise<RunResult> {
    const { ledger, owner, clock } = this.deps;
    try {
      return await this.withRetries(day, channel, maxAttempts, async () => {
        const claim = await ledger.claim(day, channel, owner, clock(), this.deps.leaseMs);
        if (claim.kind === 'done') return { channel, result: 'already_posted', ts: claim.ts, postedAt: claim.postedAt };
        // The holder may have died: its claim lapses after the lease.
        if (claim.kind === 'busy') throw new BusyError(claim.owner, this.deps.leaseMs);
        const renewal = this.renewWhilePosting(day, channel);
        try {
          return await this.post(day, channel, claim, lateFor);
        } finally {
          clearInterval(renewal);
        }
      });
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'retry' && error instanceof BusyError) return { channel, result: 'in_progress' };
      const fix =
        failure.kind === 'permanent'
          ? failure.fix
          : 'It will be tried again at the next run, a restart or `/lma digest post`.';
      await ledger.failed(day, channel, owner, failure.reason, clock());
      this.deps.logger.error(
        `Digest for ${day} could not be posted to ${channel}: ${failure.reason}. ${fix.replace('{channel}', channel)}`,
      );
      return { channel, result: 'failed', reason: failure.reason, fix: fix.replace('{channel}', channel) };
    }
  }

  /** Posts the claimed slot: the message (unless an interrupted run left it up), then the thread reply. */
  private async post(
    day: string,
    channel: string,
    claim: Extract<Claim, { kind: 'post' | 'finish' }>,
    lateFor: Date | undefined,
  ): Promise<RunResult> {
    const { ledger, owner, clock } = this.deps;
    const content = await this.deps.content(day);
    const { message, details } = this.deps.render(content, lateFor);
    let ts = claim.kind === 'finish' ? claim.ts : undefined;
    // A run killed between Slack's answer and the ledger's record left the message up: find it, do not repost.
    const marker = markerOf(message);
    if (ts === undefined && claim.kind === 'post' && claim.resumed && marker) {
      ts = await this.deps.poster.find?.(channel, marker).catch((error: unknown) => {
        // Not fatal: without the history (a missing scope), posting is still better than no digest.
        this.deps.logger.warn(
          `Digest for ${day}: could not look for an interrupted run's message in ${channel}:`,
          error,
        );
        return undefined;
      });
      if (ts !== undefined) {
        await ledger.parentPosted(day, channel, owner, ts, clock());
        await this.deps.markThread(channel, ts);
        this.deps.logger.info(
          `Digest for ${day} was already in ${channel} (ts ${ts}) from an interrupted run: not posted again.`,
        );
      }
    }
    if (ts === undefined) {
      ts = await this.deps.poster.post({ channel, ...message });
      await ledger.parentPosted(day, channel, owner, ts, clock());
      await this.deps.markThread(channel, ts);
      this.deps.logger.info(`Digest for ${day} posted to ${channel} (ts ${ts})${lateFor ? ', late' : ''}.`);
    }
    if (details) await this.deps.poster.post({ channel, thread_ts: ts, ...details });
    await ledger.posted(day, channel, owner, clock());
    return { channel, result: claim.kind === 'finish' ? 'finished' : 'posted', ts };
  }

  /**
   * Renews the claim at a third of the lease while this process posts, so a slow Slack call (its own retries) never
   * lets another replica take a live claim over and post the digest twice.
   */
  private renewWhilePosting(day: string, channel: string): NodeJS.Timeout {
    const renewal = setInterval(() => {
      this.deps.ledger.heartbeat(day, channel, this.deps.owner, this.deps.clock()).catch((error: unknown) => {
        this.deps.logger.warn(`Digest for ${day} to ${channel}: could not renew the claim:`, error);
      });
    }, this.deps.leaseMs / 3);
    renewal.unref();
    return renewal;
  }

  /** Runs `attempt` until it succeeds, fails for good, the tries run out, the day ends or the bot stops. */
  private async withRetries<T>(
    day: string,
    channel: string,
    maxAttempts: number,
    attempt: () => Promise<T>,
  ): Promise<T> {
    let backoff = FIRST_BACKOFF_MS;
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const failure = classifyFailure(error);
        const dayOver = this.deps.dayOf(this.deps.clock()) !== day;
        if (failure.kind === 'permanent' || n >= maxAttempts || dayOver || this.deps.stopped?.()) throw error;
        const wait = failure.afterMs ?? backoff;
        this.deps.logger.warn(
          `Digest for ${day} to ${channel}: ${failure.reason}; trying again in ${Math.round(wait / 1000)} s (attempt ${n + 1} of ${maxAttempts}).`,
        );
        await this.deps.ledger.heartbeat(day, channel, this.deps.owner, this.deps.clock());
        await this.deps.sleep(wait);
        if (this.deps.stopped?.()) throw error;
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }
}

/** Another process holds today's claim for this channel. */
class BusyError extends Error {
  constructor(
    readonly owner: string,
    readonly leaseMs: number,
  ) {
    super(`another bot instance (${owner}) is posting it`);
  }
}

const PERMANENT_LMO: Partial<Record<LmoError['kind'], string>> = {
  auth: 'Renew the bot’s Salesforce credentials (SF_* settings) and restart it.',
  not_installed: 'Point the bot at the License Management Org.',
  query: 'This is a bug in LMA Bot; the error is in the log.',
};

/** Sorts a Slack Web API or LMO error into "wait and retry" or "needs a person". */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof BusyError) return { kind: 'retry', reason: error.message, afterMs: error.leaseMs };
  if (error instanceof LmoError) {
    const fix = PERMANENT_LMO[error.kind];
    if (fix) return { kind: 'permanent', reason: `LMO: ${error.message}`, fix };
    // A spent daily API quota frees up slowly: wait an hour rather than hammering it.
    return {
      kind: 'retry',
      reason: `LMO: ${error.message}`,
      afterMs: error.kind === 'request_limit' ? 60 * 60_000 : undefined,
    };
  }
  return classifySlackFailure(error, 'DIGEST_CHANNEL');
}
