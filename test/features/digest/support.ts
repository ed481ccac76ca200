/**
 * A bot on the fixture LMO with a digest feature the test drives: its clock is a variable, node-cron is off
 * (tests call `tick()`), retries do not wait, and it may share a store file with another "process".
 */

import type { EmulatorOptions, OrgData } from '@lma-bot/lmo-emulator';
import type { BotRuntime } from '../../../src/app/runtime.js';
import { type DigestFeature, type DigestFeatureOptions, digestFeature } from '../../../src/features/digest/feature.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import { CHANNEL, type Harness, startHarness } from '../../support/harness.js';

export interface DigestHarness {
  h: Harness;
  feature: DigestFeature;
  runtime: BotRuntime;
  setNow(at: Date | string): void;
  /** Top-level messages the bot posted in a channel. */
  posts(channel?: string): { ts: string; text: string; blocks?: unknown[]; thread_ts?: string }[];
  close(): Promise<void>;
}

export interface DigestHarnessOptions {
  now: Date | string;
  channels?: string[];
  /** A SQLite file shared with another harness; default an in-memory store. */
  storePath?: string;
  env?: Record<string, string>;
  data?: OrgData;
  embedded?: Partial<EmulatorOptions>;
  feature?: DigestFeatureOptions;
  /** Fails Slack calls before the feature starts (its catch-up runs at start). */
  beforeStart?: (h: Harness) => void;
}

export async function startDigestHarness(options: DigestHarnessOptions): Promise<DigestHarness> {
  let now = new Date(options.now);
  const h = await startHarness({
    clock: () => now,
    store: openSqliteStore(options.storePath ?? ':memory:'),
    data: options.data,
    embedded: options.embedded,
    env: options.env,
  });
  const base = h.bot.runtime;
  const runtime: BotRuntime = {
    ...base,
    config: { ...base.config, digest: { ...base.config.digest, channels: options.channels ?? [CHANNEL] } },
  };
  const feature = digestFeature(runtime, { scheduler: false, sleep: async () => undefined, ...options.feature });
  options.beforeStart?.(h);
  await feature.start(h.bot.app);
  await feature.idle();
  return {
    h,
    feature,
    runtime,
    setNow: (at) => {
      now = new Date(at);
    },
    posts: (channel = CHANNEL) => h.slack.messages(channel).filter((m) => m.bot_id && !m.thread_ts && !m.ephemeralTo),
    async close() {
      await feature.stop();
      await h.close();
    },
  };
}
