/**
 * "Recent alerts" on the App Home: the last alerts posted to the channels the person is in — their channels from
 * Slack (users.conversations: public ones, and private ones the bot is in too, which are the only ones it posts to),
 * the alerts from the store's outbox. One Slack call per 200 channels; no LMO call.
 */
import type { WebClient } from '../../app/runtime.js';
import type { AlertStore, PostedAlert } from '../../store/store.js';

export const RECENT_ALERTS = 5;
/** Channels read per users.conversations page (Slack's limit), and pages read at most: a person in more channels sees
 * the alerts of their first 1,000. */
const CHANNELS_PER_PAGE = 200;
const CHANNEL_PAGES = 5;

export async function readRecentAlerts(
  client: WebClient,
  user: string,
  alerts: Pick<AlertStore, 'recent'>,
): Promise<PostedAlert[]> {
  const channels: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < CHANNEL_PAGES; page++) {
    const listed = await client.users.conversations({
      user,
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: CHANNELS_PER_PAGE,
      ...(cursor && { cursor }),
    });
    channels.push(...(listed.channels ?? []).flatMap((channel) => (channel.id ? [channel.id] : [])));
    cursor = listed.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return channels.length === 0 ? [] : alerts.recent(channels, RECENT_ALERTS);
}
