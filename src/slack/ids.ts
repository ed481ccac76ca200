/**
 * Slack ids by their shape. Ids arrive as data in payloads (only Slack can sign them, but a field can still hold
 * anything): one that reaches a message's text must be an id, or the message leaves it out — never `<@undefined>`,
 * never markup such as `<!channel>` riding in on a user id.
 */
const SHAPES = {
  user: /^[UW][A-Z0-9]{2,}$/,
  channel: /^[CGD][A-Z0-9]{2,}$/,
  team: /^[TE][A-Z0-9]{2,}$/,
} as const;

export type SlackIdKind = keyof typeof SHAPES;

export const isSlackId = (kind: SlackIdKind, value: unknown): value is string =>
  typeof value === 'string' && SHAPES[kind].test(value);

/** `<@U…>` for a user id, or undefined for anything else. */
export const userMention = (id: unknown): string | undefined => (isSlackId('user', id) ? `<@${id}>` : undefined);

/** `<#C…>` for a channel id, or undefined for anything else. */
export const channelMention = (id: unknown): string | undefined => (isSlackId('channel', id) ? `<#${id}>` : undefined);
