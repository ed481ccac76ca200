/** startBot checks the features before it listens: a conflict stops the start, naming both features. */
import { startFakeSlack } from '@lma-bot/slack-sandbox';
import { expect, test } from 'vitest';
import { FEATURES } from '../../src/app/features.js';
import type { FeatureFactory } from '../../src/app/runtime.js';
import { startBot } from '../../src/app/start.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { startHarness } from '../support/harness.js';
import { lmoFixture, NOW } from '../support/lmo-fixture.js';

test('two features claiming one subcommand stop the start with a message naming both', async () => {
  const slack = await startFakeSlack({ botToken: 'xoxb-start-test-token' });
  const store = openSqliteStore(':memory:');
  const clash: FeatureFactory = () => ({
    name: 'clash',
    commands: [
      {
        name: 'digest',
        usage: '/lma digest',
        example: '/lma digest',
        summary: 'A second digest.',
        parse: () => ({ ok: true, request: { kind: 'digest' } }),
        handle: async () => undefined,
      },
    ],
  });
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-start-test-token',
    SLACK_SIGNING_SECRET: 'start-test-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LMA_TIMEZONE: 'UTC',
  });
  try {
    await expect(
      startBot(config, {
        clock: () => NOW,
        logger: createLogger({ level: 'error', write: () => undefined }),
        embeddedData: lmoFixture(),
        store,
        features: [...FEATURES, clash],
      }),
    ).rejects.toThrow('the features "digest" and "clash" both claim the /lma subcommand `digest`.');
  } finally {
    await store.close();
    await slack.close();
  }
});

test('HTTP mode says where it really listens: all interfaces unless HOST names one address', async () => {
  const everywhere = await startHarness();
  const loopback = await startHarness({ env: { HOST: '127.0.0.1' } });
  try {
    expect(everywhere.bot.listening).toBe(`all interfaces, port ${everywhere.bot.port}`);
    expect(loopback.bot.listening).toBe(`127.0.0.1, port ${loopback.bot.port}`);
    expect(loopback.bot.url).toBe(`http://127.0.0.1:${loopback.bot.port}`);
    // Both answer Slack where they say.
    const statuses = await Promise.all([everywhere, loopback].map((h) => fetch(`${h.bot.url}/healthz`)));
    expect(statuses.map((r) => r.status)).toEqual([200, 200]);
  } finally {
    await everywhere.close();
    await loopback.close();
  }
});
