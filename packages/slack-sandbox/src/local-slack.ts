/**
 * A local Slack workspace ready for one app: a fake Slack with made-up credentials, and the page a person opens,
 * wired to the app as Slack would be (signed requests in, the app's own posts echoed back as events).
 */
import { randomBytes } from 'node:crypto';
import { SlackDriver } from './driver.js';
import { type ChannelSpec, type FakeSlack, startFakeSlack } from './fake-slack.js';
import {
  type PageLogger,
  SANDBOX_USER,
  type SandboxServer,
  type SandboxServerOptions,
  startSandboxServer,
} from './server.js';

export interface LocalSlackOptions {
  /** The channels of the workspace, in sidebar order; the page opens on the first. */
  channels: ChannelSpec[];
  /** Where the page is served (0 = any free port). */
  port: number;
  clock: () => Date;
  logger?: PageLogger;
}

export interface LocalSlack {
  slack: FakeSlack;
  /** Made up for this run: the app uses them as it would a real workspace's. */
  botToken: string;
  signingSecret: string;
  /** Serves the page on `port` once the app listens at `appUrl`, with the app's own GET endpoints beside it. */
  openPage(appUrl: string, appRoutes?: SandboxServerOptions['appRoutes']): Promise<SandboxServer>;
}

export async function startLocalSlack(options: LocalSlackOptions): Promise<LocalSlack> {
  const { channels, clock } = options;
  const botToken = `xoxb-sandbox-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const slack = await startFakeSlack({ botToken, clock, channels, users: [SANDBOX_USER] });
  return {
    slack,
    botToken,
    signingSecret,
    async openPage(appUrl, appRoutes) {
      const driver = new SlackDriver({
        appUrl: `${appUrl}/slack/events`,
        signingSecret,
        slack,
        clock,
        mentionsAlsoAsMessages: true,
      });
      // As Slack does, the bot's own posts come back to it as events (it must ignore them).
      slack.onEvent = (event) => driver.event(event);
      return startSandboxServer({
        slack,
        driver,
        user: SANDBOX_USER.id,
        channels: channels.map((c) => c.id),
        port: options.port,
        logger: options.logger,
        appRoutes,
      });
    },
  };
}
