/**
 * The App Home: when someone opens LMA Bot's Home tab, their own week (see week.ts), the team's renewals, trials,
 * conversions and uninstalls, with charts, and the last alerts in their channels (recent-alerts.ts), published with
 * `views.publish`. Its buttons open the full answers
 * (renewals, trials, seat health) in a DM from the bot, or read again. The team's figures are read in three LMO calls,
 * cached team-wide, in the store for every replica (the finished days of status history counted once, kept in the store), and each person's week in one, cached per person (see cache.ts); when the LMO fails the last good
 * figures stay up, saying so.
 */
import { randomUUID } from 'node:crypto';
import type { ActionHandler, FeatureFactory, WebClient } from '../../app/runtime.js';
import { formatDateTime } from '../../lma/dates.js';
import type { TeamSummary } from '../../lma/service.js';
import { type Question, requireIsoDate, windowForDays } from '../../parse/index.js';
import { type Block, context, header } from '../../slack/blocks.js';
import { dmFailureView, sendDm } from '../../slack/dm.js';
import { explainFailure } from '../../slack/messages.js';
import { slackErrorCode } from '../../slack/posting.js';
import type { PostedAlert } from '../../store/store.js';
import { CachedReading, PersonalReadings, type SharedReading, type Shown } from './cache.js';
import { readRecentAlerts } from './recent-alerts.js';
import { recentAlertsBlocks } from './recent-alerts-view.js';
import {
  ACTION_HOME_HEALTH,
  ACTION_HOME_REFRESH,
  ACTION_HOME_RENEWALS,
  ACTION_HOME_TRIALS,
  type HomeView,
  homeView,
  unreachableHomeView,
} from './views.js';
import { readWeek, type YourWeek } from './week.js';
import { weekBlocks } from './week-view.js';

/** How long figures are shown before they are read again, and how often a person may force a read. */
export const HOME_TTL_MS = 5 * 60_000;
export const REFRESH_INTERVAL_MS = 60_000;
/** After a failed read, the LMO is left alone this long (everyone sees the last good figures meanwhile). */
const RETRY_AFTER_FAILURE_MS = 30_000;
const TEAM_OPTIONS = { windows: [30, 60, 90], conversionDays: 90, uninstallDays: 30, months: 6 } as const;

export const homeFeature: FeatureFactory = (runtime) => {
  const { logger, clock, config, store } = runtime;
  // The team's reading is the same on every replica: kept in the store (per LMO and time zone), one replica's read
  // serves the others while it is fresh; a store that fails only costs this replica a read of its own.
  const teamReading = () => `home:team:v1:${runtime.lmo.instanceUrl()}:${config.timezone}`;
  const sharedTeam: SharedReading<TeamSummary> = {
    get: () =>
      store.readings.get(teamReading()).then(
        (kept) => kept && { value: kept.content as TeamSummary, readAt: kept.readAt },
        (error: unknown) => {
          logger.warn('App Home: the team figures kept in the store not read (reading the LMO instead):', error);
          return undefined;
        },
      ),
    put: (reading) =>
      store.readings.put(teamReading(), { readAt: reading.readAt, content: reading.value }).catch((error: unknown) => {
        logger.warn('App Home: the team figures not kept in the store:', error);
      }),
  };
  const team = new CachedReading<TeamSummary>(
    () => runtime.service.teamSummary(TEAM_OPTIONS, runtime.statusChangeCounts),
    clock,
    HOME_TTL_MS,
    RETRY_AFTER_FAILURE_MS,
    sharedTeam,
  );
  const weeks = new PersonalReadings<YourWeek>(clock, HOME_TTL_MS, RETRY_AFTER_FAILURE_MS);
  const alerts = new PersonalReadings<PostedAlert[]>(clock, HOME_TTL_MS, RETRY_AFTER_FAILURE_MS);
  // Once Slack refuses the chart block (a workspace without it), every Home shows the tables instead.
  let chartsRefused = false;

  /** Refresh skips the caches at most once a minute per person: a lease per person in the store (a new holder each
   * time, so a second Refresh within the minute is refused), which every replica on the store agrees on. */
  const mayRefresh = (user: string) =>
    store.leases.acquire(`home:refresh:${user}`, randomUUID(), clock(), REFRESH_INTERVAL_MS);

  /** The person's own section: their week, the last good one (saying so), or what went wrong reading it. */
  function yours(shown: PromiseSettledResult<Shown<YourWeek>>, user: string): Block[] {
    if (shown.status === 'rejected')
      return [
        header('Your week'),
        ...explainFailure(shown.reason, 'reading your week for the App Home', logger).blocks,
      ];
    const { reading, failure } = shown.value;
    const ctx = { userId: user, instanceUrl: runtime.lmo.instanceUrl(), lmoLabel: runtime.lmo.label() };
    const blocks = weekBlocks(reading.value, { ...ctx, readAt: reading.readAt, timezone: config.timezone });
    if (failure === undefined) return blocks;
    const asOf = formatDateTime(reading.readAt, config.timezone);
    return [...blocks, context(`:warning: Your week as of ${asOf}: the LMO could not be read just now.`)];
  }

  /** The last alerts in the person's channels, the last good ones, or what went wrong reading them. */
  function recent(shown: PromiseSettledResult<Shown<PostedAlert[]>>): Block[] {
    if (shown.status === 'rejected')
      return [header('Recent alerts'), ...explainFailure(shown.reason, 'reading your recent alerts', logger).blocks];
    const ctx = { instanceUrl: runtime.lmo.instanceUrl(), lmoLabel: runtime.lmo.label() };
    return recentAlertsBlocks(shown.value.reading.value, {
      ...ctx,
      readAt: shown.value.reading.readAt,
      timezone: config.timezone,
    });
  }

  /** The view for one person: the figures (or the last good ones, or why there are none) as of now. */
  async function viewFor(
    user: string,
    client: WebClient,
    { refresh = false, notice }: PublishOptions,
  ): Promise<(tablesOnly: boolean) => HomeView> {
    const lmoLabel = runtime.lmo.label();
    const fresh = refresh && (await mayRefresh(user));
    const [teamShown, weekShown, alertsShown] = await Promise.allSettled([
      team.read(fresh),
      weeks.read(user, () => readWeek(runtime, { userId: user, client }), fresh),
      alerts.read(user, () => readRecentAlerts(client, user, store.alerts), fresh),
    ]);
    if (teamShown.status === 'rejected') {
      const failure = explainFailure(teamShown.reason, 'reading the App Home', logger);
      return () => unreachableHomeView(failure, { lmoLabel });
    }
    const { reading, failure } = teamShown.value;
    const unreachable = failure ? explainFailure(failure, 'reading the App Home', logger).text : undefined;
    const personal = yours(weekShown, user);
    const alertBlocks = recent(alertsShown);
    return (tablesOnly) =>
      homeView(reading.value, {
        lmoLabel,
        timezone: config.timezone,
        readAt: reading.readAt,
        tablesOnly,
        unreachable,
        personal,
        alerts: alertBlocks,
        notice,
      });
  }

  async function publish(client: WebClient, user: string, options: PublishOptions = {}): Promise<void> {
    const view = await viewFor(user, client, options);
    if (!chartsRefused) {
      try {
        await client.views.publish({ user_id: user, view: view(false) });
        return;
      } catch (error) {
        if (slackErrorCode(error) !== 'invalid_blocks') throw error;
        logger.warn('Slack refused the App Home charts (invalid_blocks): publishing tables instead.');
        chartsRefused = true;
      }
    }
    await client.views.publish({ user_id: user, view: view(true) });
  }

  /** A Home button that sends the full answer to a question in a DM from the bot. */
  const answerInDm = (id: string, question: () => Question): ActionHandler => ({
    id,
    async handle({ body, client, ask }) {
      const { view } = await ask(question());
      try {
        await sendDm(client, body.user.id, view);
      } catch (error) {
        // Slack refused the DM (a missing im:write, …): a Home click has no response_url, so the person is told on
        // their Home, republished from its cached figures with what went wrong and what to do at the top.
        const failure = dmFailureView(error);
        if (!failure) throw error;
        logger.warn(`App Home: ${id} could not send its answer to ${body.user.id}: ${failure.text}`);
        await publish(client, body.user.id, { notice: failure.blocks });
      }
    },
  });

  return {
    name: 'home',
    events: [
      {
        type: 'app_home_opened',
        async handle({ event, client }) {
          const opened = event as { user?: string; tab?: string };
          if (opened.tab !== 'home' || !opened.user) return;
          await publish(client, opened.user);
        },
      },
    ],
    actions: [
      answerInDm(ACTION_HOME_RENEWALS, () => ({
        kind: 'renewals',
        range: windowForDays('renewals', 30, requireIsoDate(runtime.parseContext().today)),
      })),
      answerInDm(ACTION_HOME_TRIALS, () => ({ kind: 'trials' })),
      answerInDm(ACTION_HOME_HEALTH, () => ({ kind: 'health' })),
      {
        id: ACTION_HOME_REFRESH,
        handle: ({ body, client }) => publish(client, body.user.id, { refresh: true }),
      },
    ],
  };
};

interface PublishOptions {
  /** Read again, past the caches (Refresh, at most once a minute per person). */
  refresh?: boolean;
  /** Shown above the view: what went wrong with the person's last click. */
  notice?: Block[];
}
