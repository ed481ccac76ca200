/**
 * `/lma doctor`: the doctor's checks from Slack, privately, for the admins in LMA_ADMIN_USERS; everyone else is
 * refused without detail (the report names settings, channels and the org).
 */
import { webApi } from '@slack/bolt';
import type { FeatureFactory, WebClient } from '../../app/runtime.js';
import { readNothing } from '../../parse/index.js';
import { refusalView } from '../../slack/messages.js';
import { type DoctorContext, runDoctor } from './checks.js';
import { lmoFlow, manifestBotScopes, offeredVersions, once } from './context.js';
import { reportView } from './report.js';

export const doctorFeature: FeatureFactory = (runtime) => {
  const { config } = runtime;
  const context = (client: WebClient): DoctorContext => ({
    config,
    configProblems: [],
    slack: client,
    appSlack: config.slack.appToken
      ? new webApi.WebClient(config.slack.appToken, {
          slackApiUrl: config.slack.apiUrl,
          retryConfig: { retries: 0 },
          logger: runtime.logger,
        })
      : undefined,
    manifestScopes: manifestBotScopes(),
    lmoFlow: lmoFlow(config),
    // The bot's own session: one query proves it still works.
    lmo: once(async () => {
      await runtime.service.orgInfo();
      const { client, service } = runtime;
      return { ok: true, client, service, describe: runtime.lmo.label(), offered: await offeredVersions(client) };
    }),
  });
  return {
    name: 'doctor',
    commands: [
      {
        name: 'doctor',
        usage: '/lma doctor',
        example: '/lma doctor',
        summary: 'Admins only: checks Slack, the LMO and the store, and says what to fix.',
        parse: readNothing('doctor'),
        handle: async (_request, { command, client, tell }) => {
          if (!config.admins.includes(command.user_id)) return tell(refusalView());
          await tell(reportView(await runDoctor(context(client))));
        },
      },
    ],
  };
};
