/**
 * Runs the real bot (Bolt HTTP receiver, jsforce) against the embedded LMO with a fixed dataset and a fake Slack,
 * all on loopback, and drives it with signed requests as Slack would.
 */

import { loggedQueries, type OrgData } from '@lma-bot/lmo-emulator';
import { type FakeSlack, type FakeSlackOptions, SlackDriver, startFakeSlack } from '@lma-bot/slack-sandbox';
import { type BotOptions, type RunningBot, startBot } from '../../src/app/start.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { lmoFixture, NOW } from './lmo-fixture.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-0123456789';
export const USER = 'U0ALICE';
export const CHANNEL = 'C0GENERAL';

export interface Harness {
  bot: RunningBot;
  slack: FakeSlack;
  driver: SlackDriver;
  /** Every log line the bot wrote. */
  logs: string[];
  /** SOQL the embedded LMO received since the last `resetLog` (a composite call's queries each). */
  soql(): string[];
  /** API calls the embedded LMO received since the last `resetLog`, as Salesforce counts them (a composite is one). */
  lmoCalls(): number;
  resetLog(): void;
  close(): Promise<void>;
}

export interface HarnessOptions extends BotOptions {
  env?: Record<string, string>;
  /** More people in the workspace than alice. */
  users?: { id: string; name: string; email?: string }[];
  /** More channels than #general and #sales (everyone is in those). */
  channels?: { id: string; name: string; members?: string[] }[];
  data?: OrgData;
  now?: Date;
  /** Settings of the fake Slack beyond its workspace (an app token, where Socket Mode connects, the bot's scopes). */
  slack?: Pick<FakeSlackOptions, 'appToken' | 'socketModeUrl' | 'scopes'>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    channels: [{ id: CHANNEL, name: 'general' }, { id: 'C0SALES', name: 'sales' }, ...(options.channels ?? [])],
    users: [{ id: USER, name: 'alice' }, ...(options.users ?? [])],
    ...options.slack,
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LMA_TIMEZONE: 'UTC',
    LMO_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: string[] = [];
  const now = options.now ?? NOW;
  const bot = await startBot(config, {
    clock: options.clock ?? (() => now),
    logger: createLogger({ level: 'debug', format: config.logFormat, write: (line) => logs.push(line) }),
    embeddedData: options.data ?? lmoFixture(),
    store: options.store ?? openSqliteStore(':memory:'),
    // Enough of the LMO's request log for any one test's counting.
    embedded: { logLimit: 5_000, ...options.embedded },
    catalogRefreshMs: options.catalogRefreshMs,
    features: options.features,
    readyFreshMs: options.readyFreshMs,
  });
  const driver = new SlackDriver({ appUrl: `${bot.url}/slack/events`, signingSecret: SIGNING_SECRET, slack });
  let logStart = bot.emulator?.log.length ?? 0;
  return {
    bot,
    slack,
    driver,
    logs,
    soql: () => loggedQueries((bot.emulator?.log ?? []).slice(logStart)),
    lmoCalls: () =>
      (bot.emulator?.log ?? []).slice(logStart).filter((e) => e.path.startsWith('/services/data/v')).length,
    resetLog: () => {
      logStart = bot.emulator?.log.length ?? 0;
    },
    async close() {
      await bot.close();
      await bot.runtime.store.close();
      await slack.close();
    },
  };
}

/** Sends `/lma <text>` and returns the first answer posted to its response_url. */
export async function ask(h: Harness, text: string, o: { user?: string; channel?: string } = {}) {
  const ack = await h.driver.command(text, { user: o.user ?? USER, channel: o.channel ?? CHANNEL });
  // A wait, not a bound: on a loaded machine an answer may take longer than the bot's 9 s deadline to arrive.
  const [answer] = await h.driver.responses(ack.responseUrl, 1, 60_000);
  return {
    ack,
    answer: answer.body as { text: string; blocks: unknown[]; response_type?: string },
    responseUrl: ack.responseUrl,
  };
}

/** All text in an answer's blocks, flattened, for assertions on content. */
export function blockText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') out.push(value);
        else walk(value);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** The data rows of the table blocks in an answer, each as its cells' text (a link by its label), header left out. */
export function tableRows(blocks: unknown): string[][] {
  type Cell = { type: string; text?: string; elements?: { elements?: { type: string; text?: string }[] }[] };
  const cellText = (cell: Cell) =>
    cell.type === 'rich_text'
      ? (cell.elements ?? [])
          .flatMap((s) => s.elements ?? [])
          .map((e) => (e.type === 'emoji' ? '' : (e.text ?? '')))
          .join('')
          .trim()
      : (cell.text ?? '');
  return ((blocks ?? []) as { type: string; rows?: Cell[][] }[])
    .filter((b) => b.type === 'table')
    .flatMap((b) => (b.rows ?? []).slice(1).map((row) => row.map(cellText)));
}
