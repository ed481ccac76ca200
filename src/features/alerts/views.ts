/**
 * Alerts → Block Kit: one message per license event (emoji by kind, customer, package and version, seats, expiration,
 * owner, a link to the license, Details and Mute buttons), a burst's summary and its details, and the replies of
 * `/lma alerts`. Pure functions; the first block of every posted message carries a block_id made from what it is
 * about, so a post accepted by Slack just before a crash is found again instead of posted twice.
 */
import { daysBetween, formatDate } from '../../lma/dates.js';
import { EVENT_KINDS, type EventKind, type LicenseEvent } from '../../lma/license-events.js';
import {
  actions,
  type Block,
  button,
  context,
  escapeEntities,
  escapeText,
  link,
  plural,
  type SlackView,
  section,
} from '../../slack/blocks.js';
import { eventHeadline, KINDS } from '../../slack/events.js';
import { userMention } from '../../slack/ids.js';
import { recordUrl } from '../../slack/records.js';
import type { AlertMute, AlertSubscription } from '../../store/store.js';

export const DETAILS_ACTION = 'lma_alert_details';
export const MUTE_ACTION = 'lma_alert_mute';
export const UNMUTE_ACTION = 'lma_alert_unmute';

/** Muted customers listed one by one, each with its Unmute button; past this many, a count (Block Kit caps blocks). */
const LISTED_MUTES = 20;

export interface AlertViewContext {
  instanceUrl: string;
  /** Today in the bot's zone, for "expires in N days". */
  today: string;
}

export const alertMarker = (event: LicenseEvent) => `lma_alert:${event.key}`;
export const burstMarker = (poll: string) => `lma_alert_burst:${poll}`;

/** One alert: what happened to whom, the license's facts, a link, and the two buttons. */
export function alertView(event: LicenseEvent, ctx: AlertViewContext): SlackView {
  const { license } = event;
  const customer = license.customer.name;
  const headline = eventHeadline(event);
  const facts = [
    `*Package:* ${escapeText(license.packageName)}${license.version ? ` ${escapeText(license.version)}` : ''}`,
    `*Seats:* ${
      license.siteLicense
        ? 'site license'
        : license.seats === null
          ? 'unknown'
          : `${license.usedSeats ?? 0} of ${license.seats} used`
    }`,
    `*Expires:* ${expiresText(license.expiration, ctx.today)}`,
    ...(license.customer.owner ? [`*Owner:* ${escapeText(license.customer.owner)}`] : []),
  ];
  const licenseLink = ctx.instanceUrl
    ? link(recordUrl(ctx, 'sfLma__License__c', license.id), license.name)
    : escapeText(license.name);
  const blocks: Block[] = [
    {
      type: 'section',
      block_id: alertMarker(event),
      text: {
        type: 'mrkdwn',
        text: `:${KINDS[event.kind].emoji}: *${escapeText(headline)}* — ${escapeText(customer)}`,
      },
    },
    { type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text })) },
    context(`License ${licenseLink}${license.isSandbox ? ' · sandbox' : ''}`),
    actions(`lma_alert_actions:${event.key}`, [
      button('Details', DETAILS_ACTION, event.key),
      button('Mute this customer', MUTE_ACTION, event.key),
    ]),
  ];
  // The notification text is mrkdwn too: a customer named "<!channel>" must not ping the channel from there either.
  const text = escapeText(
    `${headline}: ${customer} (${license.packageName}${license.version ? ` ${license.version}` : ''})`,
  );
  return { text, blocks };
}

function expiresText(expiration: string | null, today: string): string {
  if (expiration === null) return 'never';
  const days = daysBetween(today, expiration);
  const when = days === 0 ? 'today' : days > 0 ? `in ${plural(days, 'day')}` : `${plural(-days, 'day')} ago`;
  return `${formatDate(expiration)} (${when})`;
}

/** "23 new trials, 2 uninstalls", in the order of EVENT_KINDS. */
export function countsText(byKind: Partial<Record<EventKind, number>>): string {
  return EVENT_KINDS.filter((kind) => (byKind[kind] ?? 0) > 0)
    .map((kind) => {
      const n = byKind[kind] ?? 0;
      return `${n.toLocaleString('en-US')} ${n === 1 ? KINDS[kind].one : KINDS[kind].many}`;
    })
    .join(', ');
}

/** A burst: one message for many events of one read, the list in its thread. */
export function burstView(poll: string, byKind: Partial<Record<EventKind, number>>, total: number): SlackView {
  const counts = countsText(byKind);
  return {
    text: `${plural(total, 'license change')} at once: ${counts}`,
    blocks: [
      {
        type: 'section',
        block_id: burstMarker(poll),
        text: { type: 'mrkdwn', text: `:rotating_light: *${plural(total, 'license change')} at once:* ${counts}` },
      },
      context('Too many to post one by one: the list is in the thread.'),
    ],
  };
}

/** Lines per thread reply of a burst's list, and how many events the list shows at most. */
export const DETAIL_LINES = 40;
export const DETAIL_LIMIT = 200;

/** A burst's list, one line per event, in replies of DETAIL_LINES; beyond DETAIL_LIMIT, a count. */
export function burstDetailViews(events: LicenseEvent[], total: number, ctx: AlertViewContext): SlackView[] {
  const lines = events.slice(0, DETAIL_LIMIT).map((event) => {
    const { license } = event;
    const name = ctx.instanceUrl
      ? link(recordUrl(ctx, 'sfLma__License__c', license.id), license.name)
      : escapeText(license.name);
    return `:${KINDS[event.kind].emoji}: ${escapeText(eventHeadline(event))} — ${escapeText(license.customer.name)} (${escapeText(license.packageName)}) ${name}`;
  });
  const views: SlackView[] = [];
  for (let i = 0; i < lines.length; i += DETAIL_LINES) {
    const chunk = lines.slice(i, i + DETAIL_LINES).join('\n');
    views.push({ text: chunk, blocks: [section(chunk)] });
  }
  if (total > DETAIL_LIMIT) {
    const rest = `…and ${plural(total - DETAIL_LIMIT, 'more change')}: \`/lma trials\`, \`/lma conversions\` and \`/lma status <customer>\` answer from the LMO.`;
    views.push({ text: rest, blocks: [context(rest)] });
  }
  return views;
}

const eventList = (events: readonly EventKind[]) =>
  events.length === EVENT_KINDS.length ? 'every event' : events.join(', ');

/** `/lma alerts`: what this channel gets, since when, and what stopped it. */
export function subscriptionsView(
  subscriptions: AlertSubscription[],
  mutes: AlertMute[],
  pollSeconds: number,
): SlackView {
  if (subscriptions.length === 0) {
    const text =
      'This channel gets no license alerts. `/lma alerts on` subscribes it to every event; ' +
      '`/lma alerts on trial conversion package:Invoicer` to some, for one package.';
    return { text, blocks: [section(`:bell: ${text}`)] };
  }
  const lines = subscriptions.map((s) => {
    const what = `${eventList(s.events)} for ${s.packageName ? `package ${escapeText(s.packageName)}` : 'every package'}`;
    const by = userMention(s.by) ?? s.by;
    const since = `since ${formatDate(s.since.slice(0, 10))}, set by ${by}`;
    const stopped = s.suspended
      ? `\n   :warning: Suspended ${formatDate(s.suspended.at.slice(0, 10))}: ${s.suspended.note}`
      : '';
    return `• ${what} (${since})${stopped}`;
  });
  const foot = [
    `The LMO is read every ${plural(pollSeconds, 'second')}.`,
    mutes.length > 0 ? `${plural(mutes.length, 'customer')} muted here.` : '',
    'Change with `/lma alerts on …` or `/lma alerts off …`.',
  ]
    .filter(Boolean)
    .join(' ');
  const text = `This channel gets license alerts:\n${lines.join('\n')}`;
  return {
    text: `${text}\n${foot}`,
    blocks: [section(`:bell: ${text}`), context(foot), ...muteBlocks(mutes)],
  };
}

/** One line per muted customer with its Unmute button (value: the customer key the mute was saved with). */
function muteBlocks(mutes: AlertMute[]): Block[] {
  const listed = mutes.slice(0, LISTED_MUTES).map((m) => {
    const who = m.name ? `*${escapeText(m.name)}*` : 'A customer';
    const by = userMention(m.by) ?? escapeText(m.by);
    return section(
      `:mute: ${who} muted ${formatDate(m.at.slice(0, 10))} by ${by}`,
      button('Unmute', UNMUTE_ACTION, m.key),
    );
  });
  const more = mutes.length - listed.length;
  return more > 0 ? [...listed, context(`and ${plural(more, 'more muted customer')}`)] : listed;
}

/**
 * `/lma alerts help`: how a channel subscribes, with commands to copy (`packageName`: one of the org's packages), what
 * each event is, and what the messages offer.
 */
export function alertsHelpView(o: { packageName: string; pollSeconds: number; adminsOnly: boolean }): SlackView {
  const pkg = /\s/.test(o.packageName) ? `package:"${o.packageName}"` : `package:${o.packageName}`;
  const examples = [
    ['/lma alerts on', 'every event, for every package'],
    ['/lma alerts on trial conversion uninstall', 'only those'],
    [`/lma alerts on ${pkg}`, `every event about ${escapeText(o.packageName)}`],
    ['/lma alerts off seats upgrade', 'stop those, keep the rest'],
    ['/lma alerts off', 'stop them all'],
    ['/lma alerts', 'what this channel gets, since when, and who is muted'],
  ];
  const commands = examples.map(([command, what]) => `• \`${escapeEntities(command)}\` — ${what}`);
  const events = EVENT_KINDS.map((kind) => `:${KINDS[kind].emoji}: \`${kind}\` ${KINDS[kind].means}`);
  const notes = [
    'Run these in the channel that should get the alerts; invite me there first (`/invite @LMA`).',
    o.adminsOnly ? 'Only the LMA admins (LMA_ADMIN_USERS) may change subscriptions.' : '',
    `The LMO is read every ${plural(o.pollSeconds, 'second')}: an alert arrives within about that long. More than ten changes at once become one summary, the list in its thread. Each alert has *Details* (the customer's status, in its thread) and *Mute this customer*.`,
  ].filter(Boolean);
  const intro = '*License alerts in a channel*: new trials, conversions, uninstalls… posted as they happen.';
  return {
    text: `${intro}\n${examples.map(([command]) => command).join('\n')}`,
    blocks: [
      section(`:bell: ${intro}\n${commands.join('\n')}`),
      section(`*Events* (none named: all of them)\n${events.join('\n')}`),
      context(...notes),
    ],
  };
}

export const NOT_IN_CHANNEL =
  'I am not in this channel, so I could not post alerts here. Invite me with `/invite @LMA`, then run the command again.';
export const NOT_A_CHANNEL = 'Alerts are posted to channels: run `/lma alerts on` in the channel that should get them.';

export function subscribedText(s: AlertSubscription, pollSeconds: number): string {
  const what = `${eventList(s.events)} for ${s.packageName ? `package ${escapeText(s.packageName)}` : 'every package'}`;
  return `This channel now gets alerts for ${what}. The LMO is read every ${plural(pollSeconds, 'second')}; \`/lma alerts\` lists what it gets, \`/lma alerts off\` stops them.`;
}
