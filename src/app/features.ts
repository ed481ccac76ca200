/**
 * The bot's features beyond plain answers. Each is built from the runtime and plugs into the app:
 * listeners, subcommands it owns, work started once the app listens, and what it adds to help.
 */
import type { App } from '@slack/bolt';
import { askFeature } from './ask/feature.js';
import type { BotRuntime } from './bot.js';
import { digestFeature } from './digest/feature.js';
import { guideFeature } from './guide/feature.js';
import type { CommandHandler } from './listeners/commands.js';
import type { LmaRequest } from './lma/requests.js';
import type { HelpInfo } from './views/messages.js';

export interface Feature {
  name: string;
  /** Registers the feature's Bolt listeners. */
  register?(app: App): void;
  /** Subcommands this feature answers (`install`, `digest`). */
  commands?: Partial<Record<LmaRequest['kind'], CommandHandler>>;
  /** Runs once the app listens (schedulers, catch-up); `app.client` is ready to post. */
  start?(app: App): Promise<void> | void;
  stop?(): Promise<void> | void;
  /** Adds to what `/lma help` shows (e.g. the next digest time). */
  help?(info: HelpInfo): HelpInfo;
}

/** Every feature, in the order their listeners register. Add one line per feature. */
export function createFeatures(runtime: BotRuntime): Feature[] {
  return [askFeature(runtime), guideFeature(runtime), digestFeature(runtime)];
}
