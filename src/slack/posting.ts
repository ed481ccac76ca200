/**
 * Posting to Slack from the bot's own timers (the digest, alerts): a Web API client that leaves rate limits to the
 * caller, finding a message an interrupted run posted (by the deterministic block_id of its first block), and sorting
 * a Slack failure into "wait and retry" or "needs a person".
 */
import { webApi } from '@slack/bolt';
import type { Block } from './blocks.js';

type WebClient = webApi.WebClient;

export interface SlackPoster {
  /** Posts a message; resolves with its ts. */
  post(message: { channel: string; text: string; blocks: Block[]; thread_ts?: string }): Promise<string>;
  /** The ts of the bot's recent message in `channel` whose first block has `blockId`, if any. */
  find?(channel: string, blockId: string): Promise<string | undefined>;
}

/** Why an attempt failed, and whether waiting helps. */
export type Failure =
  | { kind: 'retry'; afterMs?: number; reason: string }
  | { kind: 'permanent'; reason: string; fix: string };

/** A Web API client of its own: no automatic waiting on 429, so the caller applies Retry-After within its own bounds. */
export function webClientPoster(app: { client: WebClient }): SlackPoster {
  const client = new webApi.WebClient(app.client.token, {
    slackApiUrl: app.client.slackApiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
  return {
    async post(message) {
      const result = await client.chat.postMessage({ ...message, unfurl_links: false, unfurl_media: false });
      return String(result.ts);
    },
    async find(channel, blockId) {
      const history = await client.conversations.history({ channel, limit: 100 });
      const found = history.messages?.find(
        (m) => m.bot_id !== undefined && (m.blocks?.[0] as { block_id?: string } | undefined)?.block_id === blockId,
      );
      return found?.ts;
    },
  };
}

/** The first block's block_id: the marker a post is found again by. */
export function markerOf(view: { blocks: Block[] }): string | undefined {
  return (view.blocks[0] as { block_id?: string } | undefined)?.block_id;
}

/** Slack errors no retry fixes; `{channel}` and `{setting}` (the variable naming the channel) are filled in. */
const PERMANENT_SLACK: Record<string, string> = {
  channel_not_found:
    'Check {setting}: no channel {channel} is visible to the bot. Copy the id from the channel’s details; for a private channel, invite the bot with /invite @LMA Bot.',
  not_in_channel: 'Invite the bot to {channel} with /invite @LMA Bot.',
  is_archived: 'The channel {channel} is archived: unarchive it or set {setting} to another channel.',
  channel_is_archived: 'The channel {channel} is archived: unarchive it or set {setting} to another channel.',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token again.',
  not_authed: 'SLACK_BOT_TOKEN is missing.',
  token_revoked: 'The bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN.',
  account_inactive: 'The bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN.',
  missing_scope: 'The app lacks the chat:write scope: add it and reinstall the app.',
  restricted_action: 'A workspace setting forbids posting in {channel}.',
};

/** The Slack errors that mean the bot cannot post in that channel any more (removed, archived, gone). */
export const CHANNEL_GONE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived']);

/** The Web API error code of a failed call, if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; data?: { error?: string } };
  if (e?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

/** Sorts a Slack Web API error (or any other) into "wait and retry" or "needs a person". */
export function classifySlackFailure(error: unknown, setting: string): Failure {
  const e = error as { code?: string; retryAfter?: number; message?: string };
  if (e?.code === 'slack_webapi_rate_limited_error')
    return {
      kind: 'retry',
      reason: 'Slack rate limit (ratelimited)',
      afterMs: Math.max(0, (e.retryAfter ?? 1) * 1000),
    };
  const slackError = slackErrorCode(error);
  if (slackError === 'ratelimited') return { kind: 'retry', reason: 'Slack rate limit (ratelimited)' };
  if (slackError && PERMANENT_SLACK[slackError])
    return {
      kind: 'permanent',
      reason: `Slack: ${slackError}`,
      fix: PERMANENT_SLACK[slackError].replaceAll('{setting}', setting),
    };
  if (slackError)
    return {
      kind: 'permanent',
      reason: `Slack: ${slackError}`,
      fix: 'See https://api.slack.com/methods/chat.postMessage for this error.',
    };
  return { kind: 'retry', reason: String(e?.message ?? error) };
}
