/**
 * Mentions of Slack ids. One that reaches a message's text must be an id, or the message leaves it out — never
 * `<@undefined>`, never markup such as `<!channel>` riding in on a user id.
 */
import { isSlackId } from '../util/slack-id.js';

/** `<@U…>` for a user id, or undefined for anything else. */
export const userMention = (id: unknown): string | undefined => (isSlackId('user', id) ? `<@${id}>` : undefined);

/** `<#C…>` for a channel id, or undefined for anything else. */
export const channelMention = (id: unknown): string | undefined => (isSlackId('channel', id) ? `<#${id}>` : undefined);
