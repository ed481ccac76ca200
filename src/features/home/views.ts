/**
 * The App Home as Block Kit: the person's own section, the team's figures, two charts, the recent alerts (or their tables when Slack refuses charts), the buttons
 * and a footer naming the LMO and when the figures were read. Pure: data in, a Home view out.
 */
import { formatDate, formatDateTime } from '../../lma/dates.js';
import type { MonthFigure, RenewalWindow, TeamSummary } from '../../lma/service.js';
import {
  actions,
  type Block,
  button,
  context,
  divider,
  escapeText,
  fields,
  header,
  plural,
  type SlackView,
  section,
} from '../../slack/blocks.js';
import { barChart, chartTable, type DataPoint, type HomeBlock } from './charts.js';

export const ACTION_HOME_RENEWALS = 'lma_home_renewals';
export const ACTION_HOME_TRIALS = 'lma_home_trials';
export const ACTION_HOME_HEALTH = 'lma_home_health';
export const ACTION_HOME_REFRESH = 'lma_home_refresh';

export interface HomeView {
  type: 'home';
  blocks: HomeBlock[];
}

export interface HomeViewContext {
  lmoLabel: string;
  timezone: string;
  /** When the figures shown were read from the LMO. */
  readAt: Date;
  /** Slack refused the chart block: show the tables instead. */
  tablesOnly?: boolean;
  /** The LMO failed just now: the figures are the last good ones, and this says why (already Slack-safe). */
  unreachable?: string;
  /** The person's own section (Your week), above the team's. */
  personal?: Block[];
  /** The last alerts in the person's channels, below the charts. */
  alerts?: Block[];
  /** What went wrong with the person's last click (a DM Slack refused), above everything: Home has no other reply. */
  notice?: Block[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026-06' → 'Jun 2026'. */
export function monthLabel(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

const points = (figures: MonthFigure[]): DataPoint[] =>
  figures.map((f) => ({ label: monthLabel(f.month), value: f.value }));

function renewalLine(w: RenewalWindow): string {
  const parts = [plural(w.licenses, 'license')];
  if (w.seats !== null) parts.push(plural(w.seats, 'seat'));
  if (w.siteLicenses) parts.push(plural(w.siteLicenses, 'site license'));
  return `next ${w.days} days: ${parts.join(' · ')}`;
}

function percent(rate: number | null): string {
  return rate === null ? 'no trial ended' : `${Math.round(rate * 100)}%`;
}

/** The team's figures: renewals, trials, conversions, uninstalls. */
export function teamBlocks(team: TeamSummary): Block[] {
  const { trials, conversions, uninstalls } = team;
  const history = team.historyTracked
    ? [
        `*Conversions, last ${conversions.days} days*\n${plural(conversions.count, 'trial')} converted · ` +
          `rate ${percent(conversions.rate)} (${plural(conversions.expiredUnconverted, 'trial')} expired unconverted)`,
        `*Uninstalls, last ${uninstalls.days} days*\n${plural(uninstalls.count, 'license')}`,
      ]
    : ['*Conversions and uninstalls*\nUnknown: the LMO does not track field history on licenses.'];
  return [
    header('The team'),
    fields([
      `*Renewals*\n${team.renewals.map(renewalLine).join('\n')}`,
      `*Trials*\n${plural(trials.onNow, 'trial')} on now · ${trials.endingSoon} ending by ${formatDate(trials.soonUntil)}`,
      ...history,
    ]),
  ];
}

/** The two charts, or their tables. */
export function chartBlocks(team: TeamSummary, tablesOnly: boolean): HomeBlock[] {
  const seatsTitle = 'Seats up for renewal per month';
  const conversionsTitle = 'Trials converted per month';
  const charts: { title: string; blockId: string; series: string; figures: MonthFigure[] }[] = [
    ...(team.historyTracked
      ? [
          {
            title: conversionsTitle,
            blockId: 'home_conversions',
            series: 'Conversions',
            figures: team.conversionsByMonth,
          },
        ]
      : []),
    { title: seatsTitle, blockId: 'home_renewal_seats', series: 'Seats', figures: team.renewalSeatsByMonth },
  ];
  return charts.flatMap((c): HomeBlock[] =>
    tablesOnly
      ? [section(`*${c.title}*\n${chartTable(points(c.figures))}`)]
      : [barChart({ blockId: c.blockId, title: c.title, series: c.series, yLabel: c.series }, points(c.figures))],
  );
}

/** The whole Home tab. */
export function homeView(team: TeamSummary, ctx: HomeViewContext): HomeView {
  const read = formatDateTime(ctx.readAt, ctx.timezone);
  const stale = ctx.unreachable
    ? [
        section(
          `:warning: *As of ${read}, the LMO is unreachable.* These are the last figures read.\n${ctx.unreachable}`,
        ),
      ]
    : [];
  return {
    type: 'home',
    blocks: [
      ...(ctx.notice ?? []),
      ...stale,
      ...(ctx.personal ?? []),
      ...teamBlocks(team),
      ...chartBlocks(team, ctx.tablesOnly ?? false),
      ...(ctx.alerts ?? []),
      actions('lma_home_actions', [
        button('Renewals', ACTION_HOME_RENEWALS, '30'),
        button('Trials', ACTION_HOME_TRIALS, 'all'),
        button('Health', ACTION_HOME_HEALTH, 'all'),
        button('Refresh', ACTION_HOME_REFRESH, 'refresh'),
      ]),
      divider(),
      context(`LMO: ${escapeText(ctx.lmoLabel)} · data read ${read}`),
    ],
  };
}

/** Nothing was ever read and the LMO fails: what went wrong and what to do, instead of an empty tab. */
export function unreachableHomeView(failure: SlackView, ctx: { lmoLabel: string }): HomeView {
  return {
    type: 'home',
    blocks: [
      header('LMA Bot'),
      ...failure.blocks,
      actions('lma_home_actions', [button('Refresh', ACTION_HOME_REFRESH, 'refresh')]),
      context(`LMO: ${escapeText(ctx.lmoLabel)}`),
    ],
  };
}
