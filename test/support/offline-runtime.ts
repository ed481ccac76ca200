/**
 * A runtime that never reaches an LMO (every query fails), on an in-memory store: enough to build the real features
 * — their declarations, grammars and listeners — in tests that need no Salesforce.
 */

import { changeFeedOf } from '../../src/app/feed.js';
import type { BotRuntime } from '../../src/app/runtime.js';
import { storedStatusChangeCounts } from '../../src/app/status-change-counts.js';
import { loadConfig } from '../../src/config.js';
import { LmoClient } from '../../src/lma/client.js';
import { todayIn } from '../../src/lma/dates.js';
import { LmoService } from '../../src/lma/service.js';
import { type BotLogger, createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics.js';
import { SalesforceOwners } from '../../src/slack/owners.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { NOW } from './lmo-fixture.js';

export function offlineRuntime(
  options: { env?: Record<string, string>; logger?: BotLogger; packages?: string[] } = {},
): BotRuntime {
  const config = loadConfig({ LMA_TIMEZONE: 'UTC', ...options.env });
  const clock = () => NOW;
  const client = new LmoClient(() => Promise.reject(new Error('no LMO in this test')), {
    apiVersion: config.apiVersion,
    timeoutMs: 100,
    retries: 0,
  });
  const service = new LmoService({ client, timezone: config.timezone, clock });
  const store = openSqliteStore(':memory:');
  const logger = options.logger ?? createLogger({ level: 'error', write: () => undefined });
  const lmo = { label: () => 'offline LMO', instanceUrl: () => 'https://lmo.example' };
  return {
    config,
    logger,
    clock,
    store,
    client,
    service,
    feed: changeFeedOf(service, store, clock),
    owners: new SalesforceOwners({ userMap: config.userMap, service, matches: store.ownerMatches, clock }),
    lmo,
    statusChangeCounts: storedStatusChangeCounts(store.statusChangeDays, lmo, logger),
    metrics: createMetrics({ timezone: config.timezone, clock }),
    parseContext: () => ({ today: todayIn(config.timezone, clock()), packages: options.packages ?? [] }),
  };
}
