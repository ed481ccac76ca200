/**
 * The local Slack for `npm start` without Slack tokens: a fake Slack with made-up credentials, and the page a person
 * opens, wired to the app as Slack would be. Loaded only in sandbox mode.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { BotLogger } from '../logger.js';
import { SlackDriver } from './driver.js';
import { type ChannelSpec, type FakeSlack, startFakeSlack } from './fake-slack.js';
import { SANDBOX_CHANNEL, SANDBOX_USER, type SandboxServer, startSandboxServer } from './server.js';

export interface LocalSlack {
  slack: FakeSlack;
  botToken: string;
  signingSecret: string;
  /** Serves the page on PORT once the app listens at `appUrl`. */
  openPage(appUrl: string): Promise<SandboxServer>;
}

export async function startLocalSlack(config: Config, clock: () => Date, logger: BotLogger): Promise<LocalSlack> {
  const botToken = `xoxb-sandbox-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const channels = sandboxChannels(config);
  const slack = await startFakeSlack({ botToken, clock, channels, users: [SANDBOX_USER] });
  return {
    slack,
    botToken,
    signingSecret,
    async openPage(appUrl) {
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
        port: config.port,
        logger,
      });
    },
  };
}

/** In the sandbox, the digest posts to #general unless DIGEST_CHANNEL says otherwise, so "Run digest now" shows it. */
export function withSandboxDefaults(config: Config): Config {
  if (config.digest.channels.length > 0) return config;
  return { ...config, digest: { ...config.digest, channels: [SANDBOX_CHANNEL.id] } };
}

/** #general, plus any digest channel configured, so the digest has somewhere to post in the sandbox. */
function sandboxChannels(config: Config): ChannelSpec[] {
  const digest = config.digest.channels
    .filter((id) => id !== SANDBOX_CHANNEL.id)
    .map((id, i) => ({ id, name: i === 0 ? 'lma-digest' : `lma-digest-${i + 1}` }));
  return [SANDBOX_CHANNEL, ...digest];
}
