/** The digest's Slack Web API adapter: posting, and finding a message an interrupted run posted. */
import { webApi } from '@slack/bolt';
import type { WebClient } from '../../app/runtime.js';
import type { SlackPoster } from './post.js';

/** A Web API client of its own: no automatic waiting on 429, so the runner applies Retry-After within its own bounds. */
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
