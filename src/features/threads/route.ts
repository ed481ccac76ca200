/**
 * Which people's messages are questions for the bot, and where their answers go: mentions anywhere, direct messages,
 * and plain replies in threads where the bot has spoken. Pure: the core's one message listener has already dropped
 * bots, edits and deletions, handed threads other features own to them, and looked up what the bot did here.
 */
import type { PersonMessage, RouteInfo } from '../../app/runtime.js';

/** A message the bot answers. */
export interface ThreadQuestion {
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
  addressed: boolean;
}

export type Route = { answer: ThreadQuestion } | { ignore: string };

// The label stops at '<' as well as '>' (Slack escapes both inside it), so `<@U1|` repeated costs linear time.
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g;

function mentionedUsers(text: string): string[] {
  return [...text.matchAll(USER_MENTION)].map((match) => match[1]);
}

export function routeQuestion(message: PersonMessage, { thread, botUserId }: RouteInfo): Route {
  const { channel, user, text, ts, threadTs } = message;
  if (message.type === 'app_mention') {
    const replyThreadTs = threadTs ?? ts;
    return {
      answer: { channel, user, text, replyThreadTs, contextKey: replyThreadTs, via: 'mention', addressed: true },
    };
  }
  if (message.channelType === 'im') {
    return {
      answer: {
        channel,
        user,
        text,
        ...(threadTs !== undefined && { replyThreadTs: threadTs }),
        contextKey: threadTs ?? '',
        via: 'dm',
        addressed: true,
      },
    };
  }
  const mentions = mentionedUsers(text);
  // Slack sends a channel mention twice, as app_mention and as message: the app_mention is the one answered.
  if (botUserId !== undefined && mentions.includes(botUserId)) return { ignore: 'a mention, answered as app_mention' };
  if (threadTs === undefined) return { ignore: 'a channel message not addressed to the bot' };
  if (thread === undefined) return { ignore: 'a reply in a thread the bot never spoke in' };
  if (mentions.length > 0) return { ignore: 'a reply addressed to someone else' };
  return {
    answer: { channel, user, text, replyThreadTs: threadTs, contextKey: threadTs, via: 'thread', addressed: false },
  };
}
