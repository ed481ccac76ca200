/**
 * Alerts as Block Kit, pure: one alert's message (what happened, the license's facts, its link, Details and Mute), a
 * burst's summary and its list in thread replies, and the replies of `/lma alerts` (what a channel gets, who is
 * muted, help, subscribed).
 */
import { expect, test } from 'vitest';
import {
  alertMarker,
  alertsHelpView,
  alertView,
  burstDetailViews,
  burstMarker,
  burstView,
  countsText,
  DETAIL_LIMIT,
  DETAIL_LINES,
  DETAILS_ACTION,
  MUTE_ACTION,
  NOT_A_CHANNEL,
  NOT_IN_CHANNEL,
  subscribedText,
  subscriptionsView,
  UNMUTE_ACTION,
} from '../../../src/features/alerts/views.js';
import { EVENT_KINDS, type EventKind, type LicenseEvent } from '../../../src/lma/license-events.js';
import type { License } from '../../../src/lma/model.js';
import type { AlertMute, AlertSubscription } from '../../../src/store/store.js';
import { licenseNumber } from '../../support/view-fixtures.js';

const URL = 'https://isv.my.salesforce.com/lightning/r/sfLma__License__c';
const ctx = { instanceUrl: 'https://isv.my.salesforce.com', today: '2026-06-15' };

const mrkdwn = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const contextOf = (...texts: string[]) => ({
  type: 'context',
  elements: texts.map((text) => ({ type: 'mrkdwn', text })),
});
const buttonOf = (text: string, action_id: string, value: string) => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id,
  value,
});

function event(
  n: number,
  kind: EventKind,
  o: Partial<Omit<LicenseEvent, 'license'>> & { license?: Partial<License> } = {},
): LicenseEvent {
  const { license, ...rest } = o;
  return {
    key: `k${n}`,
    kind,
    at: '2026-06-15T09:00:00Z',
    license: licenseNumber(n, license),
    from: null,
    to: null,
    ...rest,
  };
}
const factsOf = (e: LicenseEvent, c = ctx) =>
  (alertView(e, c).blocks[1] as { fields: { text: string }[] }).fields.map((f) => f.text);

test('the action ids and the replies for a channel the bot cannot post in', () => {
  expect([DETAILS_ACTION, MUTE_ACTION, UNMUTE_ACTION]).toEqual([
    'lma_alert_details',
    'lma_alert_mute',
    'lma_alert_unmute',
  ]);
  expect(NOT_IN_CHANNEL).toBe(
    'I am not in this channel, so I could not post alerts here. Invite me with `/invite @LMA`, then run the command again.',
  );
  expect(NOT_A_CHANNEL).toBe(
    'Alerts are posted to channels: run `/lma alerts on` in the channel that should get them.',
  );
  expect([DETAIL_LINES, DETAIL_LIMIT]).toEqual([40, 200]);
});

test('markers: an alert by its event key, a burst by its poll', () => {
  expect(alertMarker(event(1, 'trial', { key: 'lic-1#2026' }))).toBe('lma_alert:lic-1#2026');
  expect(burstMarker('2026-06-15T09:00:00.000Z#ab12')).toBe('lma_alert_burst:2026-06-15T09:00:00.000Z#ab12');
});

test('alert: headline and customer escaped, package and version, seats used, expiry, owner, license link, the two buttons', () => {
  const e = event(1, 'conversion', {
    days: 14,
    license: { customer: { name: 'Acme <&> *Co*', kind: 'account', owner: 'Ann_Lee' }, packageName: 'Invoicer' },
  });
  expect(alertView(e, ctx).blocks).toEqual([
    {
      type: 'section',
      block_id: 'lma_alert:k1',
      text: { type: 'mrkdwn', text: ':tada: *Converted to paid after a 14-day trial* — Acme &lt;&amp;&gt; ∗Co∗' },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Package:* Invoicer 2.0.0' },
        { type: 'mrkdwn', text: '*Seats:* 4 of 10 used' },
        { type: 'mrkdwn', text: '*Expires:* Sat 20 Jun 2026 (in 5 days)' },
        { type: 'mrkdwn', text: '*Owner:* Ann＿Lee' },
      ],
    },
    contextOf(`License <${URL}/a0L000000000000001/view|L-1>`),
    {
      type: 'actions',
      block_id: 'lma_alert_actions:k1',
      elements: [
        buttonOf('Details', 'lma_alert_details', 'k1'),
        buttonOf('Mute this customer', 'lma_alert_mute', 'k1'),
      ],
    },
  ]);
  expect(alertView(event(1, 'trial'), ctx).text).toBe('New trial: Customer 1 (Invoicer 2.0.0)');
});

test('alert of a sandbox site license with no version, no owner, no expiry and no instance URL: the name unlinked, escaped', () => {
  const e = event(2, 'trial', {
    license: {
      name: 'L-<2>',
      packageName: 'Pay_Roll',
      version: null,
      siteLicense: true,
      seats: -1,
      expiration: null,
      isSandbox: true,
      customer: { name: 'Globex', kind: 'lead' },
    },
  });
  const view = alertView(e, { instanceUrl: '', today: '2026-06-15' });
  expect(view.blocks.slice(1, 3)).toEqual([
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Package:* Pay＿Roll' },
        { type: 'mrkdwn', text: '*Seats:* site license' },
        { type: 'mrkdwn', text: '*Expires:* never' },
      ],
    },
    contextOf('License L-&lt;2&gt; · sandbox'),
  ]);
  expect(alertView(event(2, 'trial', { license: { version: null } }), ctx).text).toBe(
    'New trial: Customer 2 (Invoicer)',
  );
});

test('alert notification text: the customer, package and version escaped like the blocks, so no markup pings or links', () => {
  const e = event(3, 'upgrade', {
    from: '1_0',
    to: '2.0',
    license: {
      customer: { name: '<!channel> *Acme*', kind: 'account' },
      packageName: 'Pay_Roll <x>',
      version: '2.0 & up',
    },
  });
  expect(alertView(e, ctx).text).toBe(
    'Upgraded: 1＿0 → 2.0: &lt;!channel&gt; ∗Acme∗ (Pay＿Roll &lt;x&gt; 2.0 &amp; up)',
  );
});

test('alert seats: unknown when the seats cannot be read, none used when the count is missing', () => {
  expect(factsOf(event(1, 'install', { license: { seats: null } }))[1]).toBe('*Seats:* unknown');
  expect(factsOf(event(1, 'install', { license: { usedSeats: null } }))[1]).toBe('*Seats:* 0 of 10 used');
});

test('alert expiry: today, one day either side, and days ago', () => {
  const expires = (expiration: string) => factsOf(event(1, 'suspension', { license: { expiration } }))[2];
  expect(['2026-06-15', '2026-06-16', '2026-06-14', '2026-06-12'].map(expires)).toEqual([
    '*Expires:* Mon 15 Jun 2026 (today)',
    '*Expires:* Tue 16 Jun 2026 (in 1 day)',
    '*Expires:* Sun 14 Jun 2026 (1 day ago)',
    '*Expires:* Fri 12 Jun 2026 (3 days ago)',
  ]);
});

test('alert: each kind has its emoji', () => {
  const first = (kind: EventKind) =>
    (alertView(event(1, kind, { from: 1, to: 2 }), ctx).blocks[0] as { text: { text: string } }).text.text.split(
      ' ',
    )[0];
  expect(EVENT_KINDS.map(first)).toEqual([
    ':seedling:',
    ':package:',
    ':tada:',
    ':no_entry:',
    ':arrows_counterclockwise:',
    ':wave:',
    ':busts_in_silhouette:',
    ':arrow_up:',
  ]);
});

test('counts: each kind with a count, in the order of the events, one or many, thousands separated', () => {
  expect(countsText({ uninstall: 2, trial: 1234, seats: 0, conversion: 1 })).toBe(
    '1,234 new trials, 1 conversion, 2 uninstalls',
  );
  expect(countsText({ upgrade: 1, install: 3 })).toBe('3 new installs, 1 upgrade');
  expect(countsText({})).toBe('');
});

test('burst: the total and the counts, marked by its poll, the list said to be in the thread', () => {
  expect(burstView('p1', { trial: 12, uninstall: 1 }, 13)).toEqual({
    text: '13 license changes at once: 12 new trials, 1 uninstall',
    blocks: [
      {
        type: 'section',
        block_id: 'lma_alert_burst:p1',
        text: { type: 'mrkdwn', text: ':rotating_light: *13 license changes at once:* 12 new trials, 1 uninstall' },
      },
      contextOf('Too many to post one by one: the list is in the thread.'),
    ],
  });
});

test('burst details: one line an event, headline, customer and package escaped, the license linked', () => {
  const events = [
    event(1, 'trial', { license: { customer: { name: 'A*B', kind: 'account' } } }),
    event(2, 'upgrade', { from: 'v<1>', to: '2.0', license: { packageName: 'Pay_Roll', name: 'L_2' } }),
  ];
  const lines = [
    `:seedling: New trial — A∗B (Invoicer) <${URL}/a0L000000000000001/view|L-1>`,
    `:arrow_up: Upgraded: v&lt;1&gt; → 2.0 — Customer 2 (Pay＿Roll) <${URL}/a0L000000000000002/view|L＿2>`,
  ].join('\n');
  expect(burstDetailViews(events, 2, ctx)).toEqual([{ text: lines, blocks: [mrkdwn(lines)] }]);
  expect(burstDetailViews([events[1] as LicenseEvent], 1, { instanceUrl: '', today: ctx.today })[0]?.text).toBe(
    ':arrow_up: Upgraded: v&lt;1&gt; → 2.0 — Customer 2 (Pay＿Roll) L＿2',
  );
});

const many = (count: number) => Array.from({ length: count }, (_, i) => event(i + 1, 'trial'));
const detailLine = (n: number) =>
  `:seedling: New trial — Customer ${n} (Invoicer) <${URL}/a0L${String(n).padStart(15, '0')}/view|L-${n}>`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('burst details: forty lines a reply', () => {
  const views = burstDetailViews(many(41), 41, ctx);
  expect(views.map((v) => v.text)).toEqual([range(1, 40).map(detailLine).join('\n'), detailLine(41)]);
  expect(burstDetailViews(many(40), 40, ctx)).toHaveLength(1);
});

test('burst details: two hundred at most, then how many more and where to look', () => {
  const views = burstDetailViews(many(205), 205, ctx);
  const rest =
    '…and 5 more changes: `/lma trials`, `/lma conversions` and `/lma status <customer>` answer from the LMO.';
  expect(views.map((v) => v.text)).toEqual([
    ...[1, 41, 81, 121, 161].map((from) =>
      range(from, from + 39)
        .map(detailLine)
        .join('\n'),
    ),
    rest,
  ]);
  expect(views.at(-1)).toEqual({ text: rest, blocks: [contextOf(rest)] });
  expect(burstDetailViews(many(201), 201, ctx).at(-1)?.text).toBe(
    '…and 1 more change: `/lma trials`, `/lma conversions` and `/lma status <customer>` answer from the LMO.',
  );
  expect(burstDetailViews(many(200), 200, ctx).map((v) => v.text.split('\n').length)).toEqual([40, 40, 40, 40, 40]);
});

test('subscriptions: none yet, and how to subscribe', () => {
  const text =
    'This channel gets no license alerts. `/lma alerts on` subscribes it to every event; ' +
    '`/lma alerts on trial conversion package:Invoicer` to some, for one package.';
  expect(subscriptionsView([], [], 60)).toEqual({ text, blocks: [mrkdwn(`:bell: ${text}`)] });
});

const subscription = (o: Partial<AlertSubscription> = {}): AlertSubscription => ({
  channel: 'C0ALERTS',
  events: [...EVENT_KINDS],
  packageName: null,
  since: '2026-06-01T09:00:00Z',
  by: 'U0ANN',
  suspended: null,
  ...o,
});

test('subscriptions: what each gets, for which package, since when and by whom, a suspension and why; the poll period', () => {
  const view = subscriptionsView(
    [
      subscription(),
      subscription({
        events: ['trial', 'conversion'],
        packageName: 'In*voicer',
        since: '2026-06-10T23:30:00Z',
        by: 'someone',
        suspended: { at: '2026-06-12T08:00:00Z', note: 'I was removed from the channel.' },
      }),
    ],
    [],
    1,
  );
  const lines =
    'This channel gets license alerts:\n' +
    '• every event for every package (since Mon 1 Jun 2026, set by <@U0ANN>)\n' +
    '• trial, conversion for package In∗voicer (since Wed 10 Jun 2026, set by someone)\n' +
    '   :warning: Suspended Fri 12 Jun 2026: I was removed from the channel.';
  const foot = 'The LMO is read every 1 second. Change with `/lma alerts on …` or `/lma alerts off …`.';
  expect(view).toEqual({ text: `${lines}\n${foot}`, blocks: [mrkdwn(`:bell: ${lines}`), contextOf(foot)] });
});

const mute = (n: number, o: Partial<AlertMute> = {}): AlertMute => ({
  key: `account:001${n}`,
  name: `Customer ${n}`,
  by: 'U0BOB',
  at: '2026-06-14T10:00:00Z',
  ...o,
});
const muteLine = (text: string, key: string) => ({
  ...mrkdwn(text),
  accessory: buttonOf('Unmute', 'lma_alert_unmute', key),
});

test('subscriptions with muted customers: counted in the foot, each with who muted it when and an Unmute button', () => {
  const view = subscriptionsView(
    [subscription({ events: ['seats'] })],
    [mute(1, { name: 'Acme <Co>' }), mute(2, { name: null, by: '<!channel>', at: '2026-06-02T00:00:00Z' })],
    60,
  );
  const foot =
    'The LMO is read every 60 seconds. 2 customers muted here. Change with `/lma alerts on …` or `/lma alerts off …`.';
  expect(view.text).toBe(
    `This channel gets license alerts:\n• seats for every package (since Mon 1 Jun 2026, set by <@U0ANN>)\n${foot}`,
  );
  expect(view.blocks.slice(1)).toEqual([
    contextOf(foot),
    muteLine(':mute: *Acme &lt;Co&gt;* muted Sun 14 Jun 2026 by <@U0BOB>', 'account:0011'),
    muteLine(':mute: A customer muted Tue 2 Jun 2026 by &lt;!channel&gt;', 'account:0012'),
  ]);
  expect(subscriptionsView([subscription()], [mute(1)], 60).blocks[1]).toEqual(
    contextOf(
      'The LMO is read every 60 seconds. 1 customer muted here. Change with `/lma alerts on …` or `/lma alerts off …`.',
    ),
  );
});

test('subscriptions: twenty muted customers listed, the rest counted', () => {
  const blocks = (count: number) =>
    subscriptionsView(
      [subscription()],
      range(1, count).map((n) => mute(n)),
      60,
    ).blocks.slice(2);
  const listed = range(1, 20).map((n) =>
    muteLine(`:mute: *Customer ${n}* muted Sun 14 Jun 2026 by <@U0BOB>`, `account:001${n}`),
  );
  expect(blocks(20)).toEqual(listed);
  expect(blocks(21)).toEqual([...listed, contextOf('and 1 more muted customer')]);
  expect(blocks(23)).toEqual([...listed, contextOf('and 3 more muted customers')]);
});

const HELP_EVENTS = [
  '*Events* (none named: all of them)',
  ':seedling: `trial` a new trial install',
  ':package: `install` a new license that is not a trial',
  ':tada: `conversion` a trial became paid (Trial → Active)',
  ':no_entry: `suspension` a license suspended',
  ':arrows_counterclockwise: `reactivation` Suspended → Active',
  ':wave: `uninstall` the package was uninstalled',
  ':busts_in_silhouette: `seats` the seats bought changed',
  ':arrow_up: `upgrade` the installed version changed',
].join('\n');
const INTRO = '*License alerts in a channel*: new trials, conversions, uninstalls… posted as they happen.';
const WHERE = 'Run these in the channel that should get the alerts; invite me there first (`/invite @LMA`).';
const pollNote = (period: string) =>
  `The LMO is read every ${period}: an alert arrives within about that long. More than ten changes at once become one summary, the list in its thread. Each alert has *Details* (the customer's status, in its thread) and *Mute this customer*.`;

test('help: commands to copy with one of the org’s packages, every event and what it means, the notes for admins-only', () => {
  expect(alertsHelpView({ packageName: 'Invoicer', pollSeconds: 60, adminsOnly: true })).toEqual({
    text: [
      INTRO,
      '/lma alerts on',
      '/lma alerts on trial conversion uninstall',
      '/lma alerts on package:Invoicer',
      '/lma alerts off seats upgrade',
      '/lma alerts off',
      '/lma alerts',
    ].join('\n'),
    blocks: [
      mrkdwn(
        [
          `:bell: ${INTRO}`,
          '• `/lma alerts on` — every event, for every package',
          '• `/lma alerts on trial conversion uninstall` — only those',
          '• `/lma alerts on package:Invoicer` — every event about Invoicer',
          '• `/lma alerts off seats upgrade` — stop those, keep the rest',
          '• `/lma alerts off` — stop them all',
          '• `/lma alerts` — what this channel gets, since when, and who is muted',
        ].join('\n'),
      ),
      mrkdwn(HELP_EVENTS),
      contextOf(WHERE, 'Only the LMA admins (LMA_ADMIN_USERS) may change subscriptions.', pollNote('60 seconds')),
    ],
  });
});

test('help: a package name with a space quoted, markup in it escaped; no admins, no admins note', () => {
  const view = alertsHelpView({ packageName: 'A&B <Pro>', pollSeconds: 1, adminsOnly: false });
  expect(view.text.split('\n')[3]).toBe('/lma alerts on package:"A&B <Pro>"');
  expect((view.blocks[0] as { text: { text: string } }).text.text.split('\n')[3]).toBe(
    '• `/lma alerts on package:"A&amp;B &lt;Pro&gt;"` — every event about A&amp;B &lt;Pro&gt;',
  );
  expect(view.blocks[2]).toEqual(contextOf(WHERE, pollNote('1 second')));
  expect(alertsHelpView({ packageName: 'Tab\tName', pollSeconds: 60, adminsOnly: false }).text.split('\n')[3]).toBe(
    '/lma alerts on package:"Tab\tName"',
  );
});

test('subscribed: what the channel now gets, how often the LMO is read, how to list and stop', () => {
  expect(subscribedText(subscription(), 60)).toBe(
    'This channel now gets alerts for every event for every package. The LMO is read every 60 seconds; `/lma alerts` lists what it gets, `/lma alerts off` stops them.',
  );
  expect(subscribedText(subscription({ events: ['trial', 'uninstall'], packageName: 'Invoicer' }), 1)).toBe(
    'This channel now gets alerts for trial, uninstall for package Invoicer. The LMO is read every 1 second; `/lma alerts` lists what it gets, `/lma alerts off` stops them.',
  );
  expect(subscribedText(subscription({ packageName: '<!here> *Pro*' }), 60)).toContain(
    'for every event for package &lt;!here&gt; ∗Pro∗. The LMO',
  );
});
