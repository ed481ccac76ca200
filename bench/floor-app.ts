/**
 * The floor: a Bolt app with one no-op `/lma` handler and the bot's receiver settings (HTTP receiver,
 * ack-then-work, same timeouts and body limit, same logger), so bot ÷ floor is what the bot's own work costs.
 * Reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL; listens on a free port; reports it over IPC.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { createLogger } from '../src/logger.js';

export interface FloorReady {
  type: 'ready';
  port: number;
}

async function main(): Promise<void> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const receiver = new HTTPReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    endpoints: '/slack/events',
    logger,
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: 2900,
    bodyLimit: 1024 * 1024,
  });
  const apiUrl = process.env.SLACK_API_URL;
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    receiver,
    logger,
    clientOptions: apiUrl ? { slackApiUrl: apiUrl } : undefined,
  });
  app.command('/lma', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  const ready: FloorReady = { type: 'ready', port: (server.address() as AddressInfo).port };
  process.send?.(ready);
  const stop = () => void app.stop().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('bench floor app failed:', error);
  process.exit(1);
});
