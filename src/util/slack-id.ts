/**
 * Slack ids by their shape. Ids arrive as data (in payloads, in the configuration): only Slack can sign a payload,
 * but a field can still hold anything. Here, below both the configuration and the Slack edge, so that each checks
 * ids with this one definition.
 */
const SHAPES = {
  user: /^[UW][A-Z0-9]{2,}$/,
  channel: /^[CGD][A-Z0-9]{2,}$/,
  team: /^[TE][A-Z0-9]{2,}$/,
} as const;

type SlackIdKind = keyof typeof SHAPES;

export const isSlackId = (kind: SlackIdKind, value: unknown): value is string =>
  typeof value === 'string' && SHAPES[kind].test(value);
