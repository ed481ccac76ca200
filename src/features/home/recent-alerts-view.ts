/**
 * "Recent alerts" as Block Kit: each alert's emoji, customer (linked to its license), what happened, the channel it
 * was posted to and when. Pure: the alerts in, blocks out.
 */
import { formatDateTime } from '../../lma/dates.js';
import { type Block, context, escapeText, header, section } from '../../slack/blocks.js';
import { eventHeadline, KINDS } from '../../slack/events.js';
import { channelMention } from '../../slack/ids.js';
import { licenseLink } from '../../slack/licenses.js';
import type { RecordContext } from '../../slack/records.js';
import type { PostedAlert } from '../../store/store.js';

export function recentAlertsBlocks(alerts: PostedAlert[], ctx: RecordContext): Block[] {
  if (alerts.length === 0) {
    return [
      header('Recent alerts'),
      context(
        'No alerts in your channels yet: `/lma alerts on` in a channel posts new trials, conversions and more there.',
      ),
    ];
  }
  const lines = alerts.map(({ channel, event }) => {
    const when = formatDateTime(new Date(event.at), ctx.timezone);
    const facts = [escapeText(eventHeadline(event)), channelMention(channel), when].filter(Boolean);
    return `:${KINDS[event.kind].emoji}: *${licenseLink(ctx, event.license)}* · ${facts.join(' · ')}`;
  });
  return [header('Recent alerts'), section(lines.join('\n'))];
}
