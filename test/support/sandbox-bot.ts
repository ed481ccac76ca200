/**
 * Runs the real bot in sandbox mode (no Slack tokens) on the fixed LMO fixture, the way `npm start` runs it
 * for a newcomer, with the sandbox page on a free loopback port.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { type RunningBot, startBot } from '../../src/app/start.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { lmoFixture, NOW } from './lmo-fixture.js';

export interface SandboxBot {
  bot: RunningBot;
  /** The page: http://127.0.0.1:<port> */
  url: string;
  logs: string[];
  close(): Promise<void>;
}

/** `data`: the LMO the bot reads (default: the fixed fixture). */
export async function startSandboxBot(
  env: Record<string, string> = {},
  data: OrgData = lmoFixture(),
): Promise<SandboxBot> {
  const logs: string[] = [];
  const store = openSqliteStore(':memory:');
  const config = loadConfig({ PORT: '0', LMA_TIMEZONE: 'UTC', LMO_TIMEOUT_MS: '4000', LOG_LEVEL: 'debug', ...env });
  const bot = await startBot(config, {
    clock: () => NOW,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    embeddedData: data,
    store,
  });
  if (!bot.sandboxUrl) throw new Error('sandbox mode did not start the sandbox page');
  return {
    bot,
    url: bot.sandboxUrl,
    logs,
    async close() {
      await bot.close();
      await store.close();
    },
  };
}
