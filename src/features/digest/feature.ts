/**
 * The daily digest as a Feature: node-cron ticks at DIGEST_CRON in DIGEST_TIMEZONE, a catch-up at start posts a day
 * whose slot passed while the bot was down, `/lma digest` previews today's digest for the caller, `/lma digest post`
 * posts it now unless it was posted today, and help shows the next run.
 */
import { type App, webApi } from '@slack/bolt';
import type { BotRuntime } from '../bot.js';
import type { Feature } from '../features.js';
import type { CommandContext } from '../listeners/commands.js';
import { LmoError } from '../lma/client.js';
import { formatDateTime } from '../lma/dates.js';
import { processOwner } from '../store/claim.js';
import { context, type SlackView, section } from '../views/blocks.js';
import { type DigestViewContext, digestDetailsView, digestView } from '../views/digest.js';
import { failureView, unexpectedFailureView } from '../views/messages.js';
import { DigestComposer, type DigestContent } from './compose.js';
import { DigestRunner, type RunResult, type SlackPoster } from './post.js';
import { CronClock, startCron } from './schedule.js';

export interface DigestFeatureOptions {
  /** Waits between retries; default a timer that stop() cuts short. */
  sleep?: (ms: number) => Promise<void>;
  /** Tries per scheduled run before giving up for the day's run (default 12: about 2 h of backoff). */
  maxAttempts?: number;
  /** Start node-cron (default true); tests drive `tick()` with their clock instead. */
  scheduler?: boolean;
  /** Posts to Slack; default a Web API client that leaves rate limits to the runner. */
  poster?: (app: App) => SlackPoster;
}

export interface DigestFeature extends Feature {
  start(app: App): Promise<void>;
  stop(): Promise<void>;
  /** What node-cron runs at each slot. */
  tick(): Promise<RunResult[]>;
  /** Resolves when queued runs (a catch-up, a tick) are done. */
  idle(): Promise<void>;
}

const MANUAL_ATTEMPTS = 2;

export function digestFeature(runtime: BotRuntime, options: DigestFeatureOptions = {}): DigestFeature {
  const { config, store, clock, logger } = runtime;
  const { channels } = config.digest;
  const ledger = store.digest;
  const composer = new DigestComposer({
    client: runtime.client,
    snapshot: store.changes,
    digest: config.digest,
    clock,
  });
  const cronClock = new CronClock({ cron: config.digest.cron, timezone: config.digest.timezone });
  const owner = processOwner();

  let stopped = false;
  const sleepers = new Set<() => void>();
  const sleep =
    options.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleepers.add(wake);
      }));

  // One run at a time in this process: a tick, the catch-up and a manual post never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };

  const viewContext = (content: DigestContent, extra: Partial<DigestViewContext> = {}): DigestViewContext => ({
    instanceUrl: runtime.client.instanceUrl ?? '',
    lmoLabel: runtime.lmoLabel(),
    readAt: new Date(content.composedAt),
    timezone: content.timezone,
    ...extra,
  });

  /** The day's digest as kept for posting; composed (and the change snapshot advanced) the first time. */
  const keptContent = async (day: string): Promise<DigestContent> => {
    const kept = await ledger.composed<DigestContent>(day);
    if (kept) return kept.content;
    const { content, commit } = await composer.compose(day, await ledger.previousComposedAt(day), true);
    return (await ledger.keepComposed(day, { composedAt: new Date(content.composedAt), content }, commit)).content;
  };

  let runner: DigestRunner | undefined;
  let cron: { stop(): void } | undefined;

  const tick = () => {
    const active = runner;
    return active ? enqueue(() => active.run()) : Promise.resolve([]);
  };

  const preview = async ({ respond }: CommandContext) => {
    const day = cronClock.dayOf(clock());
    const content =
      (await ledger.composed<DigestContent>(day))?.content ??
      (await composer.compose(day, await ledger.previousComposedAt(day), false)).content;
    const view = digestView(content, viewContext(content, { note: await previewNote(day) }));
    await respond({ response_type: 'ephemeral', ...view });
  };

  const previewNote = async (day: string): Promise<string> => {
    const head = ':eyes: Preview, only you can see it.';
    if (channels.length === 0) return `${head} The daily digest is off: set DIGEST_CHANNEL to post it.`;
    const entries = await Promise.all(channels.map(async (c) => ({ c, entry: await ledger.entry(day, c) })));
    const posted = entries.flatMap(({ c, entry }) =>
      entry?.state === 'posted' && entry.postedAt
        ? [`<#${c}> at ${cronClock.timeOfDay(new Date(entry.postedAt))}`]
        : [],
    );
    if (posted.length === channels.length) return `${head} Today’s digest was posted to ${posted.join(', ')}.`;
    const next = cronClock.nextRun(clock());
    return `${head} Next digest: ${next ? formatDateTime(next, config.digest.timezone) : 'not scheduled'} to ${channels.map((c) => `<#${c}>`).join(', ')}. \`/lma digest post\` posts today’s now.`;
  };

  const postNow = async ({ respond }: CommandContext) => {
    if (channels.length === 0) {
      await respond({
        response_type: 'ephemeral',
        ...note('The daily digest is off: set DIGEST_CHANNEL to a channel id to post it.'),
      });
      return;
    }
    if (!runner) {
      await respond({ response_type: 'ephemeral', ...note('The digest is still starting up; try again in a moment.') });
      return;
    }
    const active = runner;
    const results = await enqueue(() => active.run({ maxAttempts: MANUAL_ATTEMPTS }));
    await respond({ response_type: 'ephemeral', ...note(results.map(describeResult).join('\n')) });
  };

  const describeResult = (r: RunResult): string => {
    switch (r.result) {
      case 'posted':
        return `:white_check_mark: Posted today’s digest to <#${r.channel}>.`;
      case 'finished':
        return `:white_check_mark: Today’s digest in <#${r.channel}> was missing its thread reply: finished it.`;
      case 'already_posted':
        return `Today’s digest was already posted to <#${r.channel}> at ${cronClock.timeOfDay(new Date(r.postedAt))}: nothing new posted.`;
      case 'in_progress':
        return `Another instance of the bot is posting today’s digest to <#${r.channel}> right now: nothing new posted.`;
      case 'failed':
        return `:warning: Could not post to <#${r.channel}> (${r.reason}). ${r.fix}`;
    }
  };

  return {
    name: 'digest',
    commands: {
      digest: async (ctx) => {
        if (ctx.request.kind !== 'digest') return;
        try {
          await (ctx.request.post ? postNow(ctx) : preview(ctx));
        } catch (error) {
          logger.error('/lma digest failed:', error);
          await ctx.respond({
            response_type: 'ephemeral',
            ...(error instanceof LmoError ? failureView(error) : unexpectedFailureView()),
          });
        }
      },
    },
    async start(app) {
      if (channels.length === 0) return;
      runner = new DigestRunner({
        ledger,
        poster: (options.poster ?? webClientPoster)(app),
        channels,
        owner,
        clock,
        dayOf: (now) => cronClock.dayOf(now),
        content: keptContent,
        render: (content, lateFor) => {
          const ctx = viewContext(content, lateFor ? { lateFor: cronClock.timeOfDay(lateFor) } : {});
          return { message: digestView(content, ctx), details: digestDetailsView(content, ctx) };
        },
        markThread: (channel, ts) => store.threads.mark(channel, ts, 'digest', clock()),
        logger,
        sleep,
        maxAttempts: options.maxAttempts ?? 12,
        stopped: () => stopped,
      });
      if (options.scheduler ?? true) cron = startCron(cronClock.spec, async () => void (await tick()));
      const next = cronClock.nextRun(clock());
      logger.info(
        `Daily digest: "${config.digest.cron}" in ${config.digest.timezone} to ${channels.join(', ')}; next ${next ? formatDateTime(next, config.digest.timezone) : 'never'}.`,
      );
      // Catch-up: today's slot passed while the bot was down and the digest is not out yet → post it now, marked late.
      const slot = cronClock.passedSlotToday(clock());
      if (slot && !(await runner.postedToday())) {
        logger.info(
          `Digest catch-up: today's slot (${cronClock.timeOfDay(slot)}) has passed; posting now if no one has.`,
        );
        const active = runner;
        void enqueue(() => active.run({ lateFor: slot })).then(
          (results) =>
            logger.info(`Digest catch-up done: ${results.map((r) => `${r.channel} ${r.result}`).join(', ')}.`),
          (error: unknown) => logger.error('Digest catch-up failed:', error),
        );
      }
    },
    async stop() {
      stopped = true;
      cron?.stop();
      for (const wake of [...sleepers]) wake();
      await queue;
    },
    help(info) {
      return channels.length === 0
        ? info
        : { ...info, digest: { ...info.digest, nextRun: cronClock.nextRun(clock()) } };
    },
    tick,
    idle: async () => {
      await queue;
    },
  };
}

/** A Web API client of its own: no automatic waiting on 429, so the runner applies Retry-After within its own bounds. */
function webClientPoster(app: App): SlackPoster {
  const client = new webApi.WebClient(app.client.token, {
    slackApiUrl: app.client.slackApiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  return {
    async post(message) {
      const result = await client.chat.postMessage({ ...message, unfurl_links: false, unfurl_media: false });
      return String(result.ts);
    },
    async find(channel, blockId) {
      const history = await client.conversations.history({ channel, limit: 100 });
      const found = history.messages?.find(
        (m) => m.bot_id !== undefined && (m.blocks?.[0] as { block_id?: string } | undefined)?.block_id === blockId,
      );
      return found?.ts;
    },
  };
}

function note(text: string): SlackView {
  return {
    text,
    blocks: [section(text), context('`/lma digest` previews today’s digest; `/lma help` shows the schedule.')],
  };
}
