/**
 * A bot on the fixture LMO whose alerts feature the test drives: its clock is a variable (the embedded LMO stamps
 * writes with it), the poll timer is off (tests call `tick()`), retries do not wait, and jsforce writes change the
 * LMO as a person or the LMA would.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { Connection } from 'jsforce';
import { FEATURES } from '../../../src/app/features.js';
import { type AlertsFeature, type AlertsFeatureOptions, alertsFeature } from '../../../src/features/alerts/feature.js';
import type { Store } from '../../../src/store/store.js';
import { CHANNEL, type Harness, startHarness, USER } from '../../support/harness.js';
import { NOW } from '../../support/lmo-fixture.js';

export interface AlertsHarness {
  h: Harness;
  alerts: AlertsFeature;
  /** jsforce on the embedded LMO, for writes. */
  lmo: Connection;
  /** Moves the clock (the bot's and the LMO's) on. */
  tick(seconds?: number): void;
  sleeps: number[];
  /** Top-level messages the bot posted in a channel. */
  posts(channel?: string): { ts: string; text: string; blocks?: unknown[] }[];
  /** `/lma <text>` in a channel; the private answer's text. */
  command(text: string, o?: { channel?: string; user?: string }): Promise<string>;
  /** API calls the LMO answered so far (queries, describes, writes). */
  apiCalls(): number;
  close(): Promise<void>;
}

export async function startAlertsHarness(
  o: { env?: Record<string, string>; data?: OrgData; store?: Store; feature?: AlertsFeatureOptions } = {},
): Promise<AlertsHarness> {
  let now = NOW;
  const sleeps: number[] = [];
  let alerts: AlertsFeature | undefined;
  const features = FEATURES.map((factory) =>
    factory === alertsFeature
      ? (runtime: Parameters<typeof alertsFeature>[0]) => {
          alerts = alertsFeature(runtime, {
            scheduler: false,
            sleep: async (ms) => void sleeps.push(ms),
            ...o.feature,
          });
          return alerts;
        }
      : factory,
  );
  const h = await startHarness({ clock: () => now, features, env: o.env, data: o.data, store: o.store });
  const emulator = h.bot.emulator!;
  const lmo = new Connection({ instanceUrl: emulator.url, accessToken: emulator.accessToken, version: '62.0' });
  return {
    h,
    alerts: alerts!,
    lmo,
    tick: (seconds = 60) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
    sleeps,
    posts: (channel = CHANNEL) =>
      h.slack.messages(channel).filter((m) => m.bot_id && !m.thread_ts && !m.ephemeralTo) as {
        ts: string;
        text: string;
        blocks?: unknown[];
      }[],
    async command(text, c = {}) {
      const ack = await h.driver.command(text, { user: c.user ?? USER, channel: c.channel ?? CHANNEL });
      const [answer] = await h.driver.responses(ack.responseUrl, 1, 10_000);
      return (answer.body as { text: string }).text;
    },
    apiCalls: () => emulator.log.filter((e) => e.path.startsWith('/services/data/v')).length,
    close: () => h.close(),
  };
}
