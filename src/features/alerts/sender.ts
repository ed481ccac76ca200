/**
 * Posts the alert outbox, exactly once: for each channel, its oldest read's pending alerts — one message each, or one
 * summary when more than BURST_LIMIT arrived at once. Each alert is marked `sending` before its post and `sent` with
 * the message's ts after; one found `sending` (the process died in between) is first looked for in the channel by its
 * block_id, and posted only if Slack never got it. Rate limits wait Retry-After; a channel the bot was removed from
 * has its subscription suspended (with a note for `/lma alerts`) and the reason logged.
 */
import type { LicenseEvent } from '../../lma/license-events.js';
import type { BotLogger } from '../../logger.js';
import type { SlackView } from '../../slack/blocks.js';
import { CHANNEL_GONE, classifySlackFailure, markerOf, type SlackPoster, slackErrorCode } from '../../slack/posting.js';
import type { AlertStore, Leases, PendingPoll } from '../../store/store.js';
import { type AlertViewContext, alertView, burstDetailViews, burstView, DETAIL_LIMIT } from './views.js';

/** More alerts than this for one channel from one read become one summary. */
export const BURST_LIMIT = 10;
/** Tries of one post before leaving it for the next read (rate limits, Slack hiccups). */
const MAX_ATTEMPTS = 5;
/** How long one replica holds a channel's alerts while posting them; a replica that dies frees them after this. */
export const SEND_LEASE_MS = 5 * 60_000;

export interface AlertSenderDeps {
  alerts: AlertStore;
  /** Each channel's alerts are posted by one replica at a time (lease `alerts:send:<channel>`). */
  leases: Leases;
  owner: string;
  poster: SlackPoster;
  view: () => AlertViewContext;
  clock: () => Date;
  logger: BotLogger;
  sleep: (ms: number) => Promise<void>;
  /** The bot's own threads, so a question asked under an alert is answered there. */
  markThread: (channel: string, ts: string) => Promise<void>;
  stopped: () => boolean;
}

export interface FlushResult {
  posted: number;
  summaries: number;
}

export class AlertSender {
  constructor(private readonly deps: AlertSenderDeps) {}

  /** Posts until the outbox is empty, a channel fails for now, or the bot stops. */
  async flush(): Promise<FlushResult> {
    const result: FlushResult = { posted: 0, summaries: 0 };
    const stuck = new Set<string>();
    while (!this.deps.stopped()) {
      const polls = (await this.deps.alerts.pendingPolls(BURST_LIMIT + 1)).filter((p) => !stuck.has(p.channel));
      if (polls.length === 0) return result;
      for (const listed of polls) {
        const lease = `alerts:send:${listed.channel}`;
        // Another replica is posting this channel's alerts: they are its to post.
        if (!(await this.deps.leases.acquire(lease, this.deps.owner, this.deps.clock(), SEND_LEASE_MS))) {
          stuck.add(listed.channel);
          continue;
        }
        try {
          // Read again under the lease: another replica may have posted some since the list was read.
          const poll = (await this.deps.alerts.pendingPolls(BURST_LIMIT + 1)).find((p) => p.channel === listed.channel);
          if (!poll) continue;
          if (poll.total > BURST_LIMIT) {
            await this.sendBurst(poll);
            result.summaries += 1;
          } else {
            for (const alert of poll.first) await this.sendOne(poll.channel, alert.event, alert.state === 'sending');
            result.posted += poll.first.length;
          }
        } catch (error) {
          stuck.add(listed.channel);
          await this.failed(listed.channel, error);
        } finally {
          await this.deps.leases.release(lease, this.deps.owner);
        }
      }
    }
    return result;
  }

  private async sendOne(channel: string, event: LicenseEvent, resumed: boolean): Promise<void> {
    const view = alertView(event, this.deps.view());
    const ts = await this.postOnce(channel, view, resumed, () => this.deps.alerts.sending(channel, [event.key]));
    await this.deps.alerts.sent(channel, [event.key], ts, this.deps.clock());
    await this.deps.markThread(channel, ts);
  }

  /** One summary for the whole read, then its list in the thread; the read is marked posted after both. */
  private async sendBurst(poll: PendingPoll): Promise<void> {
    const { channel } = poll;
    const view = burstView(poll.poll, poll.byKind, poll.total);
    const ts = await this.postOnce(channel, view, poll.resumed, () => this.deps.alerts.pollSending(channel, poll.poll));
    const events = await this.deps.alerts.pollEvents(channel, poll.poll, DETAIL_LIMIT);
    for (const details of burstDetailViews(events, poll.total, this.deps.view())) {
      await this.withRetries(() => this.deps.poster.post({ channel, thread_ts: ts, ...details }));
    }
    await this.deps.alerts.pollSent(channel, poll.poll, ts, this.deps.clock());
    await this.deps.markThread(channel, ts);
    this.deps.logger.info(`Alerts: ${poll.total} changes at once in ${channel}, posted as one summary (ts ${ts}).`);
  }

  /** The message's ts: found in the channel when an interrupted run may have posted it, else posted now. */
  private async postOnce(
    channel: string,
    view: SlackView,
    resumed: boolean,
    markSending: () => Promise<void>,
  ): Promise<string> {
    const marker = markerOf(view);
    if (resumed && marker) {
      const found = await this.withRetries(
        () => this.deps.poster.find?.(channel, marker) ?? Promise.resolve(undefined),
      );
      if (found) {
        this.deps.logger.info(`Alerts: ${marker} was already in ${channel} (ts ${found}) from an interrupted run.`);
        return found;
      }
    }
    await markSending();
    return this.withRetries(() => this.deps.poster.post({ channel, ...view }));
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        const failure = classifySlackFailure(error, 'ALERT_CHANNEL');
        if (failure.kind === 'permanent' || n >= MAX_ATTEMPTS || this.deps.stopped()) throw error;
        await this.deps.sleep(failure.afterMs ?? 1000 * 2 ** n);
      }
    }
  }

  private async failed(channel: string, error: unknown): Promise<void> {
    const code = slackErrorCode(error);
    const failure = classifySlackFailure(error, 'ALERT_CHANNEL');
    if (code && CHANNEL_GONE.has(code)) {
      const note = `Slack answered ${code}: the bot can no longer post here. Invite it back (/invite @LMA), then run /lma alerts on.`;
      await this.deps.alerts.suspend(channel, note, this.deps.clock());
      this.deps.logger.warn(`Alerts to ${channel} suspended: ${note}`);
      return;
    }
    const fix = failure.kind === 'permanent' ? ` ${failure.fix.replaceAll('{channel}', channel)}` : '';
    this.deps.logger.error(
      `Alerts to ${channel} not posted for now (${failure.reason}); tried again at the next read.${fix}`,
    );
  }
}
