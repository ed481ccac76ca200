/**
 * Real-time license alerts. Channels subscribe from Slack (`/lma alerts on [events…] [package:Name]`, `off`, and
 * `/lma alerts` to list), or at start-up from ALERT_CHANNEL. At start-up and every ALERT_POLL_SECONDS the change feed
 * (src/lma/change-feed.ts, the one the digest reads too) is read — one API call when nothing changed, none while no
 * channel is subscribed — and it routes its events to the channels subscribed to their kind and package since before
 * the change, in the same transaction as the new watermark; the sender then posts the outbox exactly once (sender.ts).
 * Buttons: Details (the customer's status, in the alert's thread) and Mute this customer (for that channel).
 */
import { randomUUID } from 'node:crypto';
import type { BotRuntime, CommandContext, Feature, StartContext } from '../../app/runtime.js';
import { LmoError } from '../../lma/client.js';
import { EVENT_KINDS, type EventKind } from '../../lma/license-events.js';
import { customerKey } from '../../lma/model.js';
import { accept, refuse } from '../../parse/index.js';
import { notice } from '../../slack/blocks.js';
import { type SlackPoster, slackErrorCode, webClientPoster } from '../../slack/posting.js';
import { processOwner } from '../../store/claim.js';
import { InOrder } from '../../util/in-order.js';
import { Sleeper } from '../../util/sleep.js';
import { AlertSender, type FlushResult } from './sender.js';
import {
  alertsHelpView,
  DETAILS_ACTION,
  MUTE_ACTION,
  NOT_A_CHANNEL,
  NOT_IN_CHANNEL,
  subscribedText,
  subscriptionsView,
  UNMUTE_ACTION,
} from './views.js';

export type AlertsRequest =
  | { kind: 'alerts'; action: 'list' }
  | { kind: 'alerts'; action: 'help' }
  | { kind: 'alerts'; action: 'on'; events: EventKind[]; package?: string }
  | { kind: 'alerts'; action: 'off'; events: EventKind[] };

export interface AlertsFeatureOptions {
  /** Start the poll timer (default true); tests call `tick()` instead. */
  scheduler?: boolean;
  sleep?: (ms: number) => Promise<void>;
  poster?: (slack: StartContext) => SlackPoster;
}

export interface AlertsFeature extends Feature {
  start(slack: StartContext): Promise<void>;
  stop(): Promise<void>;
  /** One read of the change feed and one flush of the outbox. */
  tick(): Promise<TickResult>;
  idle(): Promise<void>;
}

export interface TickResult {
  read: boolean;
  events: number;
  flushed: FlushResult;
}

/** Every kind, and the words people use for it ("trials", "churn"…). */
const EVENT_WORDS: Record<string, EventKind> = {
  ...Object.fromEntries(EVENT_KINDS.flatMap((kind) => [[kind, kind] as const, [`${kind}s`, kind] as const])),
  seat: 'seats',
  churn: 'uninstall',
  upgrades: 'upgrade',
};

/** `[events…]`: none means every kind. */
function readEvents(words: string[]): { events: EventKind[] } | { problem: string } {
  const events = new Set<EventKind>();
  for (const word of words) {
    const kind = EVENT_WORDS[word.toLowerCase().replace(/,$/, '')];
    if (!kind) return { problem: `\`${word}\` is not an alert event. The events are ${EVENT_KINDS.join(', ')}.` };
    events.add(kind);
  }
  return { events: events.size === 0 ? [...EVENT_KINDS] : EVENT_KINDS.filter((k) => events.has(k)) };
}

const RUNS = 'alerts';
/**
 * The lease of the one replica that polls for alerts; another takes it over once it expires. The feed's own lease
 * (ChangeFeed's FEED_LEASE) already lets one read at a time through, against the digest's reads too; this one still
 * picks which replica polls each interval, so that N replicas cost the org's API limit one read an interval, not N.
 */
const POLL_LEASE = 'alerts:poll';
/** The poll lease lasts this many poll intervals: a replica that dies is replaced after at most as many. */
const POLL_LEASE_INTERVALS = 3;

export function alertsFeature(runtime: BotRuntime, options: AlertsFeatureOptions = {}): AlertsFeature {
  const { config, store, clock, logger } = runtime;
  const { pollSeconds } = config.alerts;
  const { feed } = runtime;
  const owner = processOwner();
  const pollLeaseMs = POLL_LEASE_INTERVALS * pollSeconds * 1000;
  const runs = new InOrder();
  const sleeper = new Sleeper();
  let stopped = false;
  let sender: AlertSender | undefined;
  let timer: NodeJS.Timeout | undefined;

  const tick = (): Promise<TickResult> =>
    runs.run(RUNS, async () => {
      const active = (await store.alerts.subscriptions()).filter((s) => s.suspended === null);
      let read = false;
      let events = 0;
      // No channel listening: no read, no API call. Several replicas: only the poll lease's holder reads.
      if (active.length > 0 && (await store.leases.acquire(POLL_LEASE, owner, clock(), pollLeaseMs))) {
        try {
          const result = await feed.read(`${clock().toISOString()}#${randomUUID().slice(0, 8)}`);
          // Busy: another replica (its digest, say) reads the feed; what it commits reaches the outbox all the same.
          if (result.busy)
            logger.debug('Alerts: another replica is reading the change feed; this poll skips its read.');
          read = !result.busy;
          events = result.events;
          if (result.baseline) {
            const of = result.lazy
              ? 'its watermark (field history tells each license’s state)'
              : `${result.licenses} licenses`;
            logger.info(`Alerts: baseline of ${of} taken; alerts start now.`);
          }
        } catch (error) {
          // The watermark did not move: the changes are read again, and alerted, once the LMO answers.
          const reason = error instanceof LmoError ? error.message : String(error);
          logger.warn(`Alerts: could not read the LMO (${reason}); alerts are delayed, none lost.`);
        }
      }
      const flushed = sender ? await sender.flush() : { posted: 0, summaries: 0 };
      return { read, events, flushed };
    });

  // Unlike /lma doctor, alerts are open to everyone allowed until LMA_ADMIN_USERS names who may change them.
  const isAdmin = (user: string) => config.admins.length === 0 || config.admins.includes(user);
  const adminOnly = () =>
    `Only LMA admins can change alert subscriptions (LMA_ADMIN_USERS): ask ${config.admins.map((u) => `<@${u}>`).join(', ')}.`;

  /** Whether the bot can post in the channel the command came from; the reply when it cannot. */
  const postable = async ({ command, client }: CommandContext): Promise<string | undefined> => {
    if (command.channel_id.startsWith('D')) return NOT_A_CHANNEL;
    try {
      const info = await client.conversations.info({ channel: command.channel_id });
      return info.channel?.is_member === false ? NOT_IN_CHANNEL : undefined;
    } catch (error) {
      if (slackErrorCode(error) === 'channel_not_found') return NOT_IN_CHANNEL;
      throw error;
    }
  };

  const handle = async (request: AlertsRequest, ctx: CommandContext): Promise<void> => {
    const { command, tell } = ctx;
    const channel = command.channel_id;
    if (request.action === 'help') {
      const packageName = runtime.parseContext().packages?.[0] ?? 'Invoicer';
      return tell(alertsHelpView({ packageName, pollSeconds, adminsOnly: config.admins.length > 0 }));
    }
    if (request.action === 'list') {
      const mutes = await store.alerts.mutes(channel);
      return tell(subscriptionsView(await store.alerts.subscriptions(channel), mutes, pollSeconds));
    }
    if (!isAdmin(command.user_id)) return tell(notice('lock', adminOnly()));
    if (request.action === 'off') {
      const changed = await store.alerts.unsubscribe(
        channel,
        request.events.length === EVENT_KINDS.length ? 'all' : request.events,
      );
      const left = await store.alerts.subscriptions(channel);
      if (changed === 0) return tell(notice('information_source', 'This channel was not subscribed to those alerts.'));
      return tell(
        left.length === 0
          ? notice('no_bell', 'This channel gets no more license alerts.')
          : subscriptionsView(left, await store.alerts.mutes(channel), pollSeconds),
      );
    }
    const problem = await postable(ctx);
    if (problem) return tell(notice('warning', problem));
    const saved = await store.alerts.subscribe(
      channel,
      request.events,
      request.package ?? null,
      command.user_id,
      clock(),
    );
    await tell(notice('bell', subscribedText(saved, pollSeconds)));
  };

  return {
    name: 'alerts',
    commands: [
      {
        name: 'alerts',
        aliases: ['alert'],
        usage: '/lma alerts [on|off|help] [events…] [package:Name]',
        example: '/lma alerts on trial conversion uninstall package:Invoicer',
        summary: `Real-time license alerts in this channel: on, off, or what it gets. Events: ${EVENT_KINDS.join(', ')}.`,
        takesPackage: true,
        parse: ({ words, package: pkg }) => {
          const [verb, ...rest] = words.map((w) => w.toLowerCase());
          if (verb === undefined) {
            return pkg
              ? refuse('`package:` goes with `/lma alerts on`.')
              : accept<AlertsRequest>({ kind: 'alerts', action: 'list' });
          }
          if (verb === 'help') {
            return rest.length > 0 || pkg
              ? refuse('`/lma alerts help` takes nothing after it.')
              : accept<AlertsRequest>({ kind: 'alerts', action: 'help' });
          }
          if (verb !== 'on' && verb !== 'off') {
            return refuse(
              `\`/lma alerts\` takes \`on\` or \`off\`, then the events (${EVENT_KINDS.join(', ')}); \`/lma alerts help\` shows how.`,
            );
          }
          const read = readEvents(rest);
          if ('problem' in read) return refuse(read.problem);
          if (verb === 'off') {
            if (pkg) return refuse('`/lma alerts off` stops events for every package; it takes no `package:`.');
            return accept<AlertsRequest>({ kind: 'alerts', action: 'off', events: read.events });
          }
          return accept<AlertsRequest>({
            kind: 'alerts',
            action: 'on',
            events: read.events,
            ...(pkg && { package: pkg }),
          });
        },
        handle: (request: AlertsRequest, ctx) => handle(request, ctx),
      },
    ],
    actions: [
      {
        id: DETAILS_ACTION,
        async handle({ body, action, client, ask, tell }) {
          const event = await store.alerts.event(action.value ?? '');
          const channel = body.channel?.id;
          const ts = body.message?.ts;
          if (!event || !channel || !ts) return tell(notice('warning', 'This alert is too old: its details are gone.'));
          const { view } = await ask(
            {
              kind: 'status',
              customer: { term: event.license.customer.name },
              package: event.license.packageName,
            },
            { compact: true },
          );
          await client.chat.postMessage({ channel, thread_ts: ts, ...view, unfurl_links: false });
        },
      },
      {
        id: MUTE_ACTION,
        async handle({ body, action, tell }) {
          const event = await store.alerts.event(action.value ?? '');
          const channel = body.channel?.id;
          if (!event || !channel) return tell(notice('warning', 'This alert is too old to mute its customer.'));
          if (!isAdmin(body.user.id)) return tell(notice('lock', adminOnly()));
          const { customer } = event.license;
          await store.alerts.mute(channel, { key: customerKey(customer), name: customer.name }, body.user.id, clock());
          await tell(
            notice(
              'mute',
              `No more alerts about ${customer.name} in this channel. \`/lma alerts\` lists the muted customers, with Unmute.`,
            ),
          );
        },
      },
      {
        id: UNMUTE_ACTION,
        async handle({ body, action, tell }) {
          const channel = body.channel?.id;
          if (!channel) return tell(notice('warning', 'This button is out of date: run `/lma alerts` again.'));
          if (!isAdmin(body.user.id)) return tell(notice('lock', adminOnly()));
          const unmuted = await store.alerts.unmute(channel, action.value ?? '');
          await tell(
            unmuted
              ? notice('bell', 'Alerts about this customer are posted here again, from the next change on.')
              : notice('information_source', 'That customer is not muted here (any more).'),
          );
        },
      },
    ],
    async start(slack) {
      sender = new AlertSender({
        alerts: store.alerts,
        leases: store.leases,
        owner,
        poster: (options.poster ?? webClientPoster)(slack),
        view: () => ({ instanceUrl: runtime.client.instanceUrl ?? '', today: runtime.service.today() }),
        clock,
        logger,
        sleep: options.sleep ?? sleeper.sleep,
        markThread: (channel, ts) => store.threads.mark(channel, ts, 'answer', clock()),
        stopped: () => stopped,
      });
      for (const channel of config.alerts.channels) {
        const existing = await store.alerts.subscriptions(channel);
        if (!existing.some((s) => s.packageName === null && s.events.length === EVENT_KINDS.length)) {
          await store.alerts.subscribe(channel, [...EVENT_KINDS], null, 'ALERT_CHANNEL', clock());
        }
      }
      const count = (await store.alerts.subscriptions()).length;
      logger.info(`Alerts: the LMO is read every ${pollSeconds} s while a channel is subscribed (${count} now).`);
      if (options.scheduler ?? true) {
        const poll = () => {
          if (stopped) return;
          void tick().then(next, (error: unknown) => {
            logger.error('Alerts: a poll failed:', error);
            next();
          });
        };
        const next = () => {
          timer = setTimeout(poll, pollSeconds * 1000);
          timer.unref();
        };
        // At once, then every interval: alerts a stopped or killed process left in the outbox go out now.
        poll();
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      sleeper.wakeAll();
      await runs.idle();
      // Another replica may read at once instead of waiting for the lease to expire; if the store is gone already
      // (closed, or Postgres down), the lease simply expires.
      await store.leases.release(POLL_LEASE, owner).catch(() => undefined);
    },
    help: () => [
      'Alerts: `/lma alerts on` in a channel posts new trials, conversions, uninstalls… as they happen; `/lma alerts on trial uninstall package:Invoicer` only those; `/lma alerts off` stops them; `/lma alerts help` shows how.',
    ],
    tick,
    idle: () => runs.idle(),
  };
}
