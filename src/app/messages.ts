/**
 * The bot's ONE listener for `message` and `app_mention` events, as a chain of small middleware: one filter (a
 * person wrote it), one owner per message (the feature owning its thread's kind, else the conversation, which decides
 * whether it is a question), one dedupe key (the message itself: Slack's retries and the app_mention + message pair
 * of one mention are handled once) and the one access check.
 */
import type { App, Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotLogger } from '../logger.js';
import type { BotMetrics } from '../metrics.js';
import type { AccessPolicy } from '../slack/access.js';
import { cutText, SLACK_LIMITS } from '../slack/limits.js';
import type { Store, ThreadKind } from '../store/store.js';
import { allowedOnly, contextSlot, REFUSE, TELL, tableOrText } from './middleware.js';
import type { Registry } from './registry.js';
import type { Asked, PersonMessage, Tell, ThreadHandler, WebClient } from './runtime.js';
import { firstUnlessStoreDown } from './store-outage.js';

/** The fields of an `app_mention` or `message` event the filter reads (Slack sends many more). */
export interface IncomingEvent {
  type?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  channel_type?: string;
  edited?: unknown;
}

export interface MessageDeps {
  registry: Registry;
  store: Store;
  clock: () => Date;
  logger: BotLogger;
  access: AccessPolicy;
  metrics: BotMetrics;
}

type Args = SlackEventMiddlewareArgs<string>;

const ROUTE = contextSlot<Exclude<MessageRoute, { ignore: string }>>('lmaMessageRoute');

/** Subtypes that are still a person writing; every other one (edits, deletions, joins, bots) is not. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/** A person's message, or why it is not one: bots (ours included), edits, deletions, joins. */
function personMessage(
  event: IncomingEvent,
  botUserId: string | undefined,
): { message: PersonMessage } | { ignore: string } {
  if (
    event.bot_id !== undefined ||
    event.subtype === 'bot_message' ||
    (botUserId !== undefined && event.user === botUserId)
  )
    return { ignore: 'a bot wrote it' };
  if (!PERSON_SUBTYPES.has(event.subtype)) return { ignore: `a ${event.subtype} event` };
  if (event.edited !== undefined) return { ignore: 'an edit' };
  const { user, channel, ts } = event;
  if (user === undefined || channel === undefined || ts === undefined) return { ignore: 'no user, channel or ts' };
  if (event.type !== 'message' && event.type !== 'app_mention')
    return { ignore: `a ${event.type ?? 'typeless'} event` };
  return {
    message: {
      type: event.type,
      channel,
      user,
      text: cutText(event.text, SLACK_LIMITS.messageText),
      ts,
      ...(event.channel_type !== undefined && { channelType: event.channel_type }),
      ...(event.thread_ts !== undefined && { threadTs: event.thread_ts }),
    },
  };
}

export type MessageRoute =
  | { ignore: string }
  /** A message in a thread another feature owns: handed to that feature. */
  | { owner: ThreadHandler & { feature: string }; message: PersonMessage & { threadTs: string } }
  /** A question for the conversation, answered in the open where it says. */
  | { answer: Asked; message: PersonMessage };

export interface RouteContext {
  registry: Pick<Registry, 'threads' | 'conversation'>;
  /** The bot's own user id (Bolt's `context.botUserId`). */
  botUserId?: string;
  /** What the bot did in a thread; asked only for a message in a thread. */
  threadKind(channel: string, threadTs: string): Promise<ThreadKind | undefined>;
}

/** Whose message this is: nobody's (not a person's, or not for the bot), a thread owner's, or the conversation's. */
export async function routeMessage(event: IncomingEvent, ctx: RouteContext): Promise<MessageRoute> {
  const read = personMessage(event, ctx.botUserId);
  if ('ignore' in read) return read;
  const { message } = read;
  const { threadTs } = message;
  const kind = threadTs === undefined ? undefined : await ctx.threadKind(message.channel, threadTs);
  const owner = kind === undefined ? undefined : ctx.registry.threads.get(kind);
  if (owner && threadTs !== undefined) return { owner, message: { ...message, threadTs } };
  const { conversation } = ctx.registry;
  if (!conversation) return { ignore: 'no feature holds the conversation' };
  const route = conversation.route(message, { thread: kind, botUserId: ctx.botUserId });
  return 'ignore' in route ? route : { answer: route.answer, message };
}

export function registerMessages(app: App, deps: MessageDeps): void {
  app.event(
    /^(message|app_mention)$/,
    toOwner(deps),
    firstDeliveryOnly(deps),
    allowedOnly(deps.access, deps.logger),
    async ({ context, client }) => {
      const route = ROUTE.get(context)!;
      const tell = TELL.get(context)!;
      if ('owner' in route) await route.owner.handle(route.message, { client, tell });
      else await deps.registry.conversation!.handle(route.answer, { client, tell, ask: deps.registry.ask });
    },
  );
}

/** Lets through a person's message for its one owner, and sets where to tell them (privately in an owned thread). */
function toOwner({ registry, store, logger }: MessageDeps): Middleware<Args> {
  return async ({ event, context, client, next }) => {
    const route = await routeMessage(event as IncomingEvent, {
      registry,
      botUserId: context.botUserId,
      threadKind: (channel, ts) => store.threads.kind(channel, ts),
    });
    if ('ignore' in route) return logger.debug(`messages: ignoring ${route.ignore}`);
    const { message } = route;
    if ('owner' in route) {
      logger.debug(`messages: a reply in a ${route.owner.kind} thread, handed to ${route.owner.feature}`);
      TELL.set(context, toThePerson(client, message.channel, message.user, message.threadTs));
    } else {
      const { channel, replyThreadTs, addressed } = route.answer;
      TELL.set(context, inTheOpen(client, channel, replyThreadTs));
      // Refusals are private, where the answer would have been; a plain reply in a thread is not addressed to the
      // bot, so it is not refused at all.
      REFUSE.set(context, addressed ? toThePerson(client, channel, message.user, replyThreadTs) : undefined);
    }
    ROUTE.set(context, route);
    await next();
  };
}

/** Lets each message through once, whichever event brought it and however often. */
function firstDeliveryOnly({ store, clock, logger, metrics }: MessageDeps): Middleware<Args> {
  return async ({ context, body, next }) => {
    const { channel, ts } = ROUTE.get(context)!.message;
    const claim = store.events.claim(`message:${channel}:${ts}`, clock());
    if (await firstUnlessStoreDown(claim, `Message ${channel} ${ts}`, logger)) return next();
    metrics.deduplicated();
    logger.debug(`messages: event ${body.event_id} already answered (message ${channel} ${ts} was handled)`);
  };
}

/** An ephemeral message to one person, in the thread when there is one. */
function toThePerson(client: WebClient, channel: string, user: string, threadTs: string | undefined): Tell {
  return tableOrText((view) =>
    client.chat.postEphemeral({ channel, user, ...(threadTs !== undefined && { thread_ts: threadTs }), ...view }),
  );
}

/** Posts for everyone in the channel, in the thread when there is one. */
function inTheOpen(client: WebClient, channel: string, threadTs: string | undefined): Tell {
  return tableOrText((view) =>
    client.chat.postMessage({
      channel,
      ...(threadTs !== undefined && { thread_ts: threadTs }),
      text: view.text,
      blocks: view.blocks,
      unfurl_links: false,
      unfurl_media: false,
    }),
  );
}
