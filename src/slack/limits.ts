/**
 * Slack's own limits on what it sends (a message's text, a button's value). Input past them did not come from a
 * person in Slack, so nothing beyond them is ever parsed.
 */
export const SLACK_LIMITS = { messageText: 40_000, buttonValue: 2_000 } as const;

/** Text cut to `limit` characters; anything but a string is no text. */
export const cutText = (value: unknown, limit: number): string =>
  typeof value === 'string' ? value.slice(0, limit) : '';
