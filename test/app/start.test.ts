/** startBot checks the features before it listens: a conflict stops the start, naming both features. */
import { startFakeSlack } from '@lma-bot/slack-sandbox';
import { expect, test } from 'vitest';
import { FEATURES } from '../../src/app/features.js';
import type { FeatureFactory } from '../../src/app/runtime.js';
import { startBot } from '../../src/app/start.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
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
