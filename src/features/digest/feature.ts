/**
 * The daily digest: node-cron ticks at DIGEST_CRON in DIGEST_TIMEZONE, a catch-up at start posts a day whose slot
 * passed while the bot was down, `/lma digest` previews today's digest for the caller, `/lma digest post` posts it now
 * unless it was posted today, and help shows the next run. Posting exactly once is the ledger's (post.ts).
 */
import type { BotRuntime, CommandContext, Feature, StartContext } from '../../app/runtime.js';
import { formatDateTime } from '../../lma/dates.js';
import { accept, refuse } from '../../parse/index.js';
import { type SlackPoster, webClientPoster } from '../../slack/posting.js';
import { processOwner } from '../../store/claim.js';
import { InOrder } from '../../util/in-order.js';
import { Sleeper } from '../../util/sleep.js';
import { DigestComposer, type DigestContent } from './compose.js';
import { DigestRunner, type RunResult } from './post.js';
import { DIGEST_OFF, DIGEST_STARTING, describeRun, digestHelpLine, digestNoteView, previewNote } from './replies.js';
import { CronClock, startCron } from './schedule.js';
import { type DigestViewContext, digestDetailsView, digestView } from './views.js';

export interface DigestFeatureOptions {
  /** Waits between retries; default a timer that stop() cuts short. */
  sleep?: (ms: number) => Promise<void>;
  /** Tries per scheduled run before giving up for the day's run (default 12: about 2 h of backoff). */
  maxAttempts?: number;
  /** Start node-cron (default true); tests drive `tick()` with their clock instead. */
  scheduler?: boolean;
  /** Posts to Slack; default a Web API client that leaves rate limits to the runner. */
  poster?: (slack: StartContext) => SlackPoster;
}

export interface DigestFeature extends Feature {
  start(slack: StartContext): Promise<void>;
  stop(): Promise<void>;
  /** What node-cron runs at each slot. */
  tick(): Promise<RunResult[]>;
  /** Resolves when queued runs (a catch-up, a tick) are done. */
  idle(): Promise<void>;
}

export type DigestRequest = { kind: 'digest'; post: boolean };

const MANUAL_ATTEMPTS = 2;
/** One run at a time in this process: a tick, the catch-up and a manual post never interleave. */
const RUNS = 'digest';

export function digestFeature(runtime: BotRuntime, options: DigestFeatureOptions = {}): DigestFeature {
  const { config, store, clock, logger } = runtime;
  const { channels } = config.digest;
  const ledger = store.digest;
  const composer = new DigestComposer({
    client: runtime.client,
    feed: runtime.feed,
    digest: config.digest,
    clock,
  });
  const cronClock = new CronClock({ cron: config.digest.cron, timezone: config.digest.timezone });
  const timeOfDay = (at: Date) => cronClock.timeOfDay(at);
  const owner = processOwner();
  const runs = new InOrder();
  const sleeper = new Sleeper();
  let stopped = false;
  let runner: DigestRunner | undefined;
  let cron: { stop(): void } | undefined;

  const viewContext = (content: DigestContent, extra: Partial<DigestViewContext> = {}): DigestViewContext => ({
    instanceUrl: runtime.client.instanceUrl ?? '',
    lmoLabel: runtime.lmo.label(),
    readAt: new Date(content.composedAt),
    timezone: content.timezone,
    ...extra,
  });

  /** The day's digest as kept for posting; composed the first time (its place in the change feed kept with it). */
  const keptContent = async (day: string): Promise<DigestContent> => {
    const kept = await ledger.composed<DigestContent>(day);
    if (kept) return kept.content;
    const content = await composer.compose(day, await ledger.previous<DigestContent>(day), true);
    return (await ledger.keepComposed(day, { composedAt: new Date(content.composedAt), content })).content;
  };

  const tick = () => {
    const active = runner;
    return active ? runs.run(RUNS, () => active.run()) : Promise.resolve([]);
  };

  const preview = async ({ tell }: CommandContext) => {
    const day = cronClock.dayOf(clock());
    const content =
      (await ledger.composed<DigestContent>(day))?.content ??
      (await composer.compose(day, await ledger.previous<DigestContent>(day), false));
    const entries = await Promise.all(channels.map((c) => ledger.entry(day, c)));
    const note = previewNote(channels, entries, cronClock.nextRun(clock()), config.digest, timeOfDay);
    await tell(digestView(content, viewContext(content, { note })));
  };

  const postNow = async ({ tell }: CommandContext) => {
    if (channels.length === 0) return tell(digestNoteView(DIGEST_OFF));
    const active = runner;
    if (!active) return tell(digestNoteView(DIGEST_STARTING));
    const results = await runs.run(RUNS, () => active.run({ maxAttempts: MANUAL_ATTEMPTS }));
    await tell(digestNoteView(results.map((r) => describeRun(r, timeOfDay)).join('\n')));
  };

  return {
    name: 'digest',
    commands: [
      {
        name: 'digest',
        usage: '/lma digest [post]',
        example: '/lma digest post',
        summary: "Preview today's digest; with post, post it to the digest channel now.",
        parse: ({ words }) => {
          if (words.length === 0) return accept<DigestRequest>({ kind: 'digest', post: false });
          if (words.length === 1 && words[0].toLowerCase() === 'post') return accept({ kind: 'digest', post: true });
          return refuse(`\`${words.join(' ')}\` is not something \`/lma digest\` understands; only \`post\` is.`);
        },
        handle: (request: DigestRequest, ctx) => (request.post ? postNow(ctx) : preview(ctx)),
      },
    ],
    async start(slack) {
      if (channels.length === 0) return;
      const started = new DigestRunner({
        ledger,
        poster: (options.poster ?? webClientPoster)(slack),
        channels,
        owner,
        leaseMs: config.digest.leaseMs,
        clock,
        dayOf: (now) => cronClock.dayOf(now),
        content: keptContent,
        render: (content, lateFor) => {
          const ctx = viewContext(content, lateFor ? { lateFor: timeOfDay(lateFor) } : {});
          return { message: digestView(content, ctx), details: digestDetailsView(content, ctx) };
        },
        markThread: (channel, ts) => store.threads.mark(channel, ts, 'digest', clock()),
        logger,
        sleep: options.sleep ?? sleeper.sleep,
        maxAttempts: options.maxAttempts ?? 12,
        stopped: () => stopped,
        record: (result) => runtime.metrics.digestRun(result.result),
      });
      runner = started;
      if (options.scheduler ?? true) cron = startCron(cronClock.spec, async () => void (await tick()));
      const next = cronClock.nextRun(clock());
      logger.info(
        `Daily digest: "${config.digest.cron}" in ${config.digest.timezone} to ${channels.join(', ')}; next ${next ? formatDateTime(next, config.digest.timezone) : 'never'}.`,
      );
      // Catch-up: today's slot passed while the bot was down and the digest is not out yet → post it now, marked late.
      const slot = cronClock.passedSlotToday(clock());
      if (slot && !(await started.postedToday())) {
        logger.info(`Digest catch-up: today's slot (${timeOfDay(slot)}) has passed; posting now if no one has.`);
        void runs
          .run(RUNS, () => started.run({ lateFor: slot }))
          .then(
            (results) =>
              logger.info(`Digest catch-up done: ${results.map((r) => `${r.channel} ${r.result}`).join(', ')}.`),
            (error: unknown) => logger.error('Digest catch-up failed:', error),
          );
      }
    },
    async stop() {
      stopped = true;
      cron?.stop();
      sleeper.wakeAll();
      await runs.idle();
    },
    help: () => [digestHelpLine(config.digest, channels.length === 0 ? null : cronClock.nextRun(clock()))],
    tick,
    idle: () => runs.idle(),
  };
}
