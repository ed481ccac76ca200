import { createHmac } from 'node:crypto';

/**
 * Slack's v0 request signing: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's signing secret.
 * The timestamp defaults to the real current time, because Bolt refuses requests more than five minutes
 * away from its own `Date.now()` — a simulated clock must not be used here.
 */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return {
    'X-Slack-Signature': `v0=${digest}`,
    'X-Slack-Request-Timestamp': String(timestampSeconds),
  };
}
