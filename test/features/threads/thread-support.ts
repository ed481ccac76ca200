/**
 * Helpers for thread-question tests: waiting for the bot's replies in a thread, and for the bot to have
 * decided to ignore an event (so "no reply" is asserted after the decision, not after a sleep).
 */
import type { SlackMessage } from '@lma-bot/slack-sandbox';
import type { Harness } from '../../support/harness.js';

export const botMention = (h: Harness): string => `<@${h.slack.identity.botUserId}>`;

/** The bot's messages in a thread (the parent excluded when a person wrote it). */
export function botReplies(h: Harness, channel: string, threadTs: string): SlackMessage[] {
  return h.slack.thread(channel, threadTs).filter((m) => m.bot_id !== undefined);
}

/** Waits until the bot has posted at least `n` messages in the thread and returns them. */
export function waitForBotReplies(h: Harness, channel: string, threadTs: string, n = 1): Promise<SlackMessage[]> {
  return h.slack.waitFor(() => {
    const replies = botReplies(h, channel, threadTs);
    return replies.length >= n ? replies : undefined;
  }, 10_000);
}

/** Waits until the bot has logged `count` lines containing `fragment` (how routing reports an ignored event). */
export function waitForLog(h: Harness, fragment: string, count = 1): Promise<string[]> {
  return h.slack.waitFor(() => {
    const lines = h.logs.filter((line) => line.includes(fragment));
    return lines.length >= count ? lines : undefined;
  }, 10_000);
}

export const postMessageCount = (h: Harness): number =>
  h.slack.calls.filter((c) => c.method === 'chat.postMessage').length;

/** A message's text and blocks' text, for content assertions. */
export function messageText(message: SlackMessage): string {
  return [message.text, JSON.stringify(message.blocks ?? [])].join('\n');
}
