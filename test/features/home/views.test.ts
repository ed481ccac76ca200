/**
 * The App Home's team part, pure: the team's figures, the two charts (or their tables when Slack refuses the chart
 * block), the whole Home tab around them (notice, stale warning, Your week, alerts, buttons, footer) and the tab shown
 * when nothing was ever read.
 */
import { expect, test } from 'vitest';
import type { HomeBlock } from '../../../src/features/home/charts.js';
import {
  ACTION_HOME_HEALTH,
  ACTION_HOME_REFRESH,
  ACTION_HOME_RENEWALS,
  ACTION_HOME_TRIALS,
  chartBlocks,
  homeView,
  monthLabel,
  teamBlocks,
  unreachableHomeView,
} from '../../../src/features/home/views.js';
import type { TeamSummary } from '../../../src/lma/service.js';
import type { Block } from '../../../src/slack/blocks.js';

const heading = (text: string) => ({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
const mrkdwn = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const fieldsOf = (texts: string[]) => ({ type: 'section', fields: texts.map((text) => ({ type: 'mrkdwn', text })) });
const contextOf = (text: string) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const buttonOf = (text: string, action_id: string, value: string) => ({
  type: 'button',
  text: { type: 'plain_text', text, emoji: true },
  action_id,
  value,
});
const homeButtons = {
  type: 'actions',
  block_id: 'lma_home_actions',
  elements: [
    buttonOf('Renewals', 'lma_home_renewals', '30'),
    buttonOf('Trials', 'lma_home_trials', 'all'),
    buttonOf('Health', 'lma_home_health', 'all'),
    buttonOf('Refresh', 'lma_home_refresh', 'refresh'),
  ],
};

function team(overrides: Partial<TeamSummary> = {}): TeamSummary {
  return {
    today: '2026-06-15',
    renewals: [
      { days: 30, licenses: 3, seats: 1234, siteLicenses: 1 },
      { days: 90, licenses: 1, seats: 1, siteLicenses: 0 },
    ],
    trials: { onNow: 12, endingSoon: 3, soonUntil: '2026-06-22' },
    historyTracked: true,
    conversions: { days: 90, count: 4, expiredUnconverted: 1, rate: 2 / 3 },
    uninstalls: { days: 30, count: 2 },
    conversionsByMonth: [
      { month: '2026-04', value: 2 },
      { month: '2026-05', value: 0 },
      { month: '2026-06', value: 1 },
    ],
    renewalSeatsByMonth: [
      { month: '2026-06', value: 1200 },
      { month: '2026-07', value: 15 },
    ],
    ...overrides,
  };
}

const RENEWALS =
  '*Renewals*\nnext 30 days: 3 licenses · 1,234 seats · 1 site license\nnext 90 days: 1 license · 1 seat';
const TRIALS = '*Trials*\n12 trials on now · 3 ending by Mon 22 Jun 2026';
const CONVERSIONS = '*Conversions, last 90 days*\n4 trials converted · rate 67% (1 trial expired unconverted)';
const UNINSTALLS = '*Uninstalls, last 30 days*\n2 licenses';

const conversionsChart = {
  type: 'data_visualization',
  block_id: 'home_conversions',
  title: 'Trials converted per month',
  chart: {
    type: 'bar',
    series: [
      {
        name: 'Conversions',
        data: [
          { label: 'Apr 2026', value: 2 },
          { label: 'May 2026', value: 0 },
          { label: 'Jun 2026', value: 1 },
        ],
      },
    ],
    axis_config: { categories: ['Apr 2026', 'May 2026', 'Jun 2026'], y_label: 'Conversions' },
  },
};
const seatsChart = {
  type: 'data_visualization',
  block_id: 'home_renewal_seats',
  title: 'Seats up for renewal per month',
  chart: {
    type: 'bar',
    series: [
      {
        name: 'Seats',
        data: [
          { label: 'Jun 2026', value: 1200 },
          { label: 'Jul 2026', value: 15 },
        ],
      },
    ],
    axis_config: { categories: ['Jun 2026', 'Jul 2026'], y_label: 'Seats' },
  },
};
const seatsTable = mrkdwn('*Seats up for renewal per month*\n```\nJun 2026 Jul 2026\n   1,200       15\n```');

test('the action ids the Home listeners answer', () => {
  expect([ACTION_HOME_RENEWALS, ACTION_HOME_TRIALS, ACTION_HOME_HEALTH, ACTION_HOME_REFRESH]).toEqual([
    'lma_home_renewals',
    'lma_home_trials',
    'lma_home_health',
    'lma_home_refresh',
  ]);
});

test('a month key reads as its short name and year, January to December', () => {
  expect(['2026-01', '2026-06', '2025-12'].map(monthLabel)).toEqual(['Jan 2026', 'Jun 2026', 'Dec 2025']);
});

test('team figures: each renewal window, trials on now and ending, conversions with their rate, uninstalls', () => {
  expect(teamBlocks(team())).toEqual([heading('The team'), fieldsOf([RENEWALS, TRIALS, CONVERSIONS, UNINSTALLS])]);
});

test('team figures: unreadable seats leave a window its licenses only; no site license is not counted', () => {
  const blocks = teamBlocks(
    team({
      renewals: [
        { days: 30, licenses: 2, seats: null, siteLicenses: null },
        { days: 60, licenses: 5, seats: 0, siteLicenses: 0 },
      ],
    }),
  );
  expect((blocks[1] as { fields: { text: string }[] }).fields[0]?.text).toBe(
    '*Renewals*\nnext 30 days: 2 licenses\nnext 60 days: 5 licenses · 0 seats',
  );
});

test('team figures: no trial ended gives no rate; one of each reads singular', () => {
  const blocks = teamBlocks(
    team({
      trials: { onNow: 1, endingSoon: 0, soonUntil: '2026-06-22' },
      conversions: { days: 30, count: 1, expiredUnconverted: 0, rate: null },
      uninstalls: { days: 60, count: 1 },
    }),
  );
  expect((blocks[1] as { fields: { text: string }[] }).fields.map((f) => f.text).slice(1)).toEqual([
    '*Trials*\n1 trial on now · 0 ending by Mon 22 Jun 2026',
    '*Conversions, last 30 days*\n1 trial converted · rate no trial ended (0 trials expired unconverted)',
    '*Uninstalls, last 60 days*\n1 license',
  ]);
});

test('team figures: a rate is rounded to a whole percent', () => {
  const rateText = (rate: number) =>
    (
      teamBlocks(team({ conversions: { days: 90, count: 1, expiredUnconverted: 1, rate } }))[1] as {
        fields: { text: string }[];
      }
    ).fields[2]?.text;
  expect(rateText(0.5)).toContain('· rate 50% (');
  expect(rateText(0.004)).toContain('· rate 0% (');
  expect(rateText(1)).toContain('· rate 100% (');
});

test('team figures without field history: conversions and uninstalls are unknown, and why', () => {
  expect(teamBlocks(team({ historyTracked: false }))).toEqual([
    heading('The team'),
    fieldsOf([
      RENEWALS,
      TRIALS,
      '*Conversions and uninstalls*\nUnknown: the LMO does not track field history on licenses.',
    ]),
  ]);
});

test('charts: conversions then seats up for renewal, one bar a month', () => {
  expect(chartBlocks(team(), false)).toEqual([conversionsChart, seatsChart]);
});

test('charts refused by Slack: each as its title and a table, labels over right-aligned values', () => {
  expect(chartBlocks(team(), true)).toEqual([
    mrkdwn('*Trials converted per month*\n```\nApr 2026 May 2026 Jun 2026\n       2        0        1\n```'),
    seatsTable,
  ]);
});

test('charts without field history: only the seats, as a chart or a table', () => {
  expect(chartBlocks(team({ historyTracked: false }), false)).toEqual([seatsChart]);
  expect(chartBlocks(team({ historyTracked: false }), true)).toEqual([seatsTable]);
});

const readAt = new Date('2026-06-15T10:05:00Z');
const footer = contextOf('LMO: ISV &lt;prod&gt; ∗A∗ · data read 15 Jun 2026, 12:05 (Europe/Paris)');
const ctx = { lmoLabel: 'ISV <prod> *A*', timezone: 'Europe/Paris', readAt };

test('Home with nothing of the person’s own: the team, charts, buttons and a footer with the LMO escaped and the read time in the bot’s zone', () => {
  expect(homeView(team(), ctx)).toEqual({
    type: 'home',
    blocks: [
      heading('The team'),
      fieldsOf([RENEWALS, TRIALS, CONVERSIONS, UNINSTALLS]),
      conversionsChart,
      seatsChart,
      homeButtons,
      { type: 'divider' },
      footer,
    ],
  });
});

test('Home with every part: the notice first, the stale warning, Your week above the team, tables, alerts below', () => {
  const notice = [mrkdwn(':warning: I could not DM you.')] as Block[];
  const personal = [heading('Your week'), mrkdwn('Customers Ann owns.')] as Block[];
  const alerts = [heading('Recent alerts')] as Block[];
  const blocks: HomeBlock[] = homeView(team({ historyTracked: false }), {
    ...ctx,
    tablesOnly: true,
    unreachable: 'The LMO timed out.',
    notice,
    personal,
    alerts,
  }).blocks;
  expect(blocks).toEqual([
    mrkdwn(':warning: I could not DM you.'),
    mrkdwn(
      ':warning: *As of 15 Jun 2026, 12:05 (Europe/Paris), the LMO is unreachable.* These are the last figures read.\nThe LMO timed out.',
    ),
    heading('Your week'),
    mrkdwn('Customers Ann owns.'),
    heading('The team'),
    fieldsOf([
      RENEWALS,
      TRIALS,
      '*Conversions and uninstalls*\nUnknown: the LMO does not track field history on licenses.',
    ]),
    seatsTable,
    heading('Recent alerts'),
    homeButtons,
    { type: 'divider' },
    footer,
  ]);
});

test('Home when nothing was ever read: the failure, a Refresh button and the LMO escaped', () => {
  const failure = { text: 'The LMO refused the login.', blocks: [mrkdwn(':x: The LMO refused the login.')] as Block[] };
  expect(unreachableHomeView(failure, { lmoLabel: 'ISV <prod>' })).toEqual({
    type: 'home',
    blocks: [
      heading('LMA Bot'),
      mrkdwn(':x: The LMO refused the login.'),
      { type: 'actions', block_id: 'lma_home_actions', elements: [buttonOf('Refresh', 'lma_home_refresh', 'refresh')] },
      contextOf('LMO: ISV &lt;prod&gt;'),
    ],
  });
});
