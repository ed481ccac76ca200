/**
 * Which Slack events are questions for the bot, and where their answers go. No I/O of its own (the thread lookup is
 * passed in, and asked only when a rule needs it): the Bolt listener asks, this decides, so every rule (no bots, no
 * edits, mentions answered once, guide threads left alone) is testable.
 */
import type { ThreadKind } from '../store/store.js';

/** The fields of an `app_mention` or `message` event that routing reads (Slack sends many more). */
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

/** A message the bot answers. */
export interface Question {
  channel: string;
  user: string;
  text: string;
  /**
   * The thread the answer is posted in: the message's thread, or the thread it starts. Undefined for a
   * top-level direct message, answered in the conversation itself like a chat.
   */
  replyThreadTs?: string;
  /** What follow-ups share context by: the thread, or '' for a DM's main conversation. */
  contextKey: string;
  /** How it reached the bot: a mention, a reply in a thread where the bot spoke, or a direct message. */
  via: 'mention' | 'thread' | 'dm';
}

export type Route = { answer: Question } | { ignore: string };

export interface RouteContext {
  /** The bot's own user id (Bolt's `context.botUserId`). */
  botUserId?: string;
  threadKind(channel: string, threadTs: string): Promise<ThreadKind | undefined>;
}

/** Subtypes that are still a person writing; every other one (edits, deletions, joins, bots) is not a question. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

function mentionedUsers(text: string): string[] {
  return [...text.matchAll(USER_MENTION)].map((match) => match[1]);
}

export async function routeEvent(event: IncomingEvent, ctx: RouteContext): Promise<Route> {
  if (
    event.bot_id !== undefined ||
    event.subtype === 'bot_message' ||
    (ctx.botUserId !== undefined && event.user === ctx.botUserId)
  ) {
    return { ignore: 'a bot wrote it' };
  }
  if (!PERSON_SUBTYPES.has(event.subtype)) return { ignore: `a ${event.subtype} event` };
  if (event.edited !== undefined) return { ignore: 'an edit' };
  const { user, channel, ts } = event;
  if (user === undefined || channel === undefined || ts === undefined) return { ignore: 'no user, channel or ts' };
  const text = event.text ?? '';
  const threadTs = event.thread_ts;
  const kind = threadTs === undefined ? undefined : await ctx.threadKind(channel, threadTs);
  if (kind === 'guide') return { ignore: 'a reply in an install guide thread' };

  if (event.type === 'app_mention') {
    const replyThreadTs = threadTs ?? ts;
    return { answer: { channel, user, text, replyThreadTs, contextKey: replyThreadTs, via: 'mention' } };
  }
  if (event.type !== 'message') return { ignore: `a ${event.type ?? 'typeless'} event` };
  if (event.channel_type === 'im') {
    return {
      answer: {
        channel,
        user,
        text,
        ...(threadTs !== undefined && { replyThreadTs: threadTs }),
        contextKey: threadTs ?? '',
        via: 'dm',
      },
    };
  }
  const mentions = mentionedUsers(text);
  // Slack sends a channel mention twice, as app_mention and as message: the app_mention is the one answered.
  if (ctx.botUserId !== undefined && mentions.includes(ctx.botUserId))
    return { ignore: 'a mention, answered as app_mention' };
  if (threadTs === undefined) return { ignore: 'a channel message not addressed to the bot' };
  if (kind === undefined) return { ignore: 'a reply in a thread the bot never spoke in' };
  if (mentions.length > 0) return { ignore: 'a reply addressed to someone else' };
  return { answer: { channel, user, text, replyThreadTs: threadTs, contextKey: threadTs, via: 'thread' } };
}
