/**
 * `npm start`: read the configuration, start the bot, stop cleanly on SIGTERM/SIGINT.
 * With no Slack tokens and no Salesforce credentials it runs entirely locally (sandbox + embedded LMO).
 */
import './heap-sizing.js';
import 'dotenv/config';
import { startBot } from './app/start.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const bot = await startBot(config, { logger });
  if (config.slack.mode === 'sandbox' && bot.sandboxUrl) {
    logger.info(
      `LMA Bot is running locally: open ${bot.sandboxUrl.replace('127.0.0.1', 'localhost')} to try it in a local Slack sandbox (no account needed).`,
    );
    logger.info('To connect a real workspace, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README).');
  } else {
    logger.info(
      config.slack.mode === 'socket'
        ? `LMA Bot is connected to Slack over Socket Mode; its operations endpoints listen on ${bot.listening}.`
        : `LMA Bot is listening for Slack on ${bot.url}/slack/events (${bot.listening}).`,
    );
  }
  const stop = (signal: string) => {
    logger.info(`${signal} received: finishing in-flight requests, then stopping.`);
    bot.close().then(
      () => process.exit(0),
      (error) => {
        logger.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`LMA Bot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
