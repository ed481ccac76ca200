/**
 * The App Home: when someone opens LMA Bot's Home tab, the team's renewals, trials, conversions and uninstalls, with
 * charts, published with `views.publish`. Its buttons open the full answers (renewals, trials, seat health) in a DM from the bot, or read again.
 * Figures are read from the LMO in three calls, cached team-wide (see cache.ts); when the LMO fails the last good
 * figures stay up, saying so.
 */
import type { ActionHandler, FeatureFactory, WebClient } from '../../app/runtime.js';
import type { TeamSummary } from '../../lma/service.js';
import { type Question, requireIsoDate, windowForDays } from '../../parse/index.js';
import type { SlackView } from '../../slack/blocks.js';
import { explainFailure } from '../../slack/messages.js';
import { CachedReading, RefreshLimit } from './cache.js';
import {
  ACTION_HOME_HEALTH,
  ACTION_HOME_REFRESH,
  ACTION_HOME_RENEWALS,
  ACTION_HOME_TRIALS,
  type HomeView,
  homeView,
  unreachableHomeView,
} from './views.js';

/** How long figures are shown before they are read again, and how often a person may force a read. */
export const HOME_TTL_MS = 5 * 60_000;
export const REFRESH_INTERVAL_MS = 60_000;
/** After a failed read, the LMO is left alone this long (everyone sees the last good figures meanwhile). */
const RETRY_AFTER_FAILURE_MS = 30_000;
const TEAM_OPTIONS = { windows: [30, 60, 90], conversionDays: 90, uninstallDays: 30, months: 6 } as const;

export const homeFeature: FeatureFactory = (runtime) => {
  const { logger, clock, config } = runtime;
  const team = new CachedReading<TeamSummary>(
    () => runtime.service.teamSummary(TEAM_OPTIONS),
    clock,
    HOME_TTL_MS,
    RETRY_AFTER_FAILURE_MS,
  );
  const refreshes = new RefreshLimit(clock, REFRESH_INTERVAL_MS);
  // Once Slack refuses the chart block (a workspace without it), every Home shows the tables instead.
  let chartsRefused = false;

  /** The view for one person: the figures (or the last good ones, or why there are none) as of now. */
  async function viewFor(user: string, refresh: boolean): Promise<(tablesOnly: boolean) => HomeView> {
    const lmoLabel = runtime.lmo.label();
    try {
      const { reading, failure } = await team.read(refresh && refreshes.allow(user));
      const unreachable = failure ? explainFailure(failure, 'reading the App Home', logger).text : undefined;
      return (tablesOnly) =>
        homeView(reading.value, {
          lmoLabel,
          timezone: config.timezone,
          readAt: reading.readAt,
          tablesOnly,
          unreachable,
        });
    } catch (error) {
      const failure = explainFailure(error, 'reading the App Home', logger);
      return () => unreachableHomeView(failure, { lmoLabel });
    }
  }

  async function publish(client: WebClient, user: string, refresh = false): Promise<void> {
    const view = await viewFor(user, refresh);
    if (!chartsRefused) {
      try {
        await client.views.publish({ user_id: user, view: view(false) });
        return;
      } catch (error) {
        if (slackError(error) !== 'invalid_blocks') throw error;
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
      await dm(client, body.user.id, view);
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
        handle: ({ body, client }) => publish(client, body.user.id, true),
      },
    ],
  };
};

async function dm(client: WebClient, user: string, view: SlackView): Promise<void> {
  const opened = await client.conversations.open({ users: user });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await client.chat.postMessage({ channel, text: view.text, blocks: view.blocks });
}

/** The `error` of a Web API call Slack answered with `ok: false`. */
function slackError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
