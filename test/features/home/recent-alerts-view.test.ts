/** "Recent alerts" on the App Home, pure: each alert's line (emoji, linked customer, what happened, channel, when). */
import { expect, test } from 'vitest';
import { recentAlertsBlocks } from '../../../src/features/home/recent-alerts-view.js';
import { licenseNumber, viewContext } from '../../support/view-fixtures.js';

const LINK = 'https://isv.my.salesforce.com/lightning/r/sfLma__License__c';

test('no alerts yet: the heading and how to get some', () => {
  expect(recentAlertsBlocks([], viewContext)).toEqual([
    { type: 'header', text: { type: 'plain_text', text: 'Recent alerts', emoji: true } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'No alerts in your channels yet: `/lma alerts on` in a channel posts new trials, conversions and more there.',
        },
      ],
    },
  ]);
});

test('one line an alert, newest first as given: the customer escaped and linked, the time in the bot’s zone', () => {
  const acme = licenseNumber(1, { customer: { name: 'Acme <&> Co', kind: 'account', id: '0011' } });
  const blocks = recentAlertsBlocks(
    [
      {
        channel: 'C0SALES',
        event: {
          key: 'k1',
          kind: 'conversion',
          at: '2026-06-15T09:30:00Z',
          license: acme,
          from: 'Trial',
          to: 'Active',
          days: 14,
        },
      },
      {
        channel: 'C0OPS',
        event: {
          key: 'k2',
          kind: 'upgrade',
          at: '2026-06-14T23:05:00Z',
          license: licenseNumber(2),
          from: '1.0',
          to: '2.0',
        },
      },
    ],
    { ...viewContext, timezone: 'Europe/Paris' },
  );
  expect(blocks).toEqual([
    { type: 'header', text: { type: 'plain_text', text: 'Recent alerts', emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `:tada: *<${LINK}/a0L000000000000001/view|Acme &lt;&amp;&gt; Co>* · Converted to paid after a 14-day trial · <#C0SALES> · 15 Jun 2026, 11:30 (Europe/Paris)`,
          `:arrow_up: *<${LINK}/a0L000000000000002/view|Customer 2>* · Upgraded: 1.0 → 2.0 · <#C0OPS> · 15 Jun 2026, 01:05 (Europe/Paris)`,
        ].join('\n'),
      },
    },
  ]);
});
