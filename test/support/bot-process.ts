/**
 * The compiled bot as a process of its own (HTTP mode) on the fake Slack and the embedded LMO running in the test:
 * its settings, its start (resolved once it listens), a driver that signs requests to it, and its operations URL.
 * The process-level reliability tests start one; the replica tests start two on one Postgres.
 */
import type { EmulatorHandle } from '@lma-bot/lmo-emulator';
import { type FakeSlack, SlackDriver } from '@lma-bot/slack-sandbox';
import { type Child, startChild } from './child-process.js';
import { BOT_TOKEN, SIGNING_SECRET } from './harness.js';

export interface BotProcess {
  child: Child;
  driver: SlackDriver;
  /** http://host:port, where /readyz and /metrics are. */
  url: string;
}

/** A bot on this Slack Web API (the fake Slack, or a proxy before it) and this embedded LMO, listening on any port. */
export const botSettings = (slackApiUrl: string, emulator: EmulatorHandle): Record<string, string> => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slackApiUrl,
  PORT: '0',
  SF_LOGIN_URL: emulator.url,
  SF_CLIENT_ID: emulator.credentials.clientId,
  SF_CLIENT_SECRET: emulator.credentials.clientSecret,
  SF_REFRESH_TOKEN: emulator.credentials.refreshToken,
  LOG_LEVEL: 'debug',
  LMA_TIMEZONE: 'UTC',
});

/** Starts `entry` (dist/index.js) with `env`; resolves once it listens for Slack. */
export async function startBotProcess(
  entry: string,
  env: Record<string, string>,
  slack: FakeSlack,
): Promise<BotProcess> {
  const child = startChild(entry, env);
  try {
    const line = await child.waitForLine(/listening for Slack on http:\/\/\S+\/slack\/events/, 60_000);
    const appUrl = /(http:\/\/\S+)\/slack\/events/.exec(line)!;
    return {
      child,
      driver: new SlackDriver({ appUrl: appUrl[0], signingSecret: SIGNING_SECRET, slack }),
      url: appUrl[1]!,
    };
  } catch (error) {
    child.process.kill('SIGKILL');
    throw error;
  }
}

/** Ends the process at once, as a crash or an OOM kill does, and waits for it. */
export async function killBot(bot: BotProcess): Promise<void> {
  bot.child.process.kill('SIGKILL');
  await bot.child.exited;
}
