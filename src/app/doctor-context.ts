/**
 * The context `npm run doctor` checks: the configuration as start-up reads it (or its problems), Web API clients
 * for the bot and app tokens, and a sign-in to the LMO (a real org's flow, or the embedded demo LMO started for the
 * doctor and stopped after).
 */
import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { DoctorContext } from '../features/doctor/checks.js';
import { lmoFlow, manifestBotScopes, offeredVersions, once } from '../features/doctor/context.js';
import { LmoClient } from '../lma/client.js';
import { connectToLmo, type SalesforceAuth } from '../lma/salesforce.js';
import { LmoService } from '../lma/service.js';
import { type BotLogger, createLogger } from '../logger.js';

export interface CliDoctor {
  ctx: DoctorContext;
  /** Stops what the doctor started (the embedded LMO). */
  close(): Promise<void>;
}

export function cliDoctorContext(
  config: Config | undefined,
  configProblems: string[],
  // Only errors: the report is the output. Secrets are redacted from whatever a library logs.
  logger: BotLogger = createLogger({ level: 'error' }),
): CliDoctor {
  const closing: (() => Promise<void>)[] = [];
  const webClient = (token: string) =>
    new webApi.WebClient(token, { slackApiUrl: config?.slack.apiUrl, retryConfig: { retries: 0 }, logger });
  const ctx: DoctorContext = {
    config,
    configProblems,
    slack: config?.slack.botToken ? webClient(config.slack.botToken) : undefined,
    appSlack: config?.slack.appToken ? webClient(config.slack.appToken) : undefined,
    manifestScopes: manifestBotScopes(),
    lmoFlow: lmoFlow(config),
    lmo: once(async () => {
      if (!config) return { ok: false, error: 'not checked: the configuration is invalid.' };
      const auth = await lmoAuth(config, logger, closing);
      const { connection, describe } = await connectToLmo(auth, { apiVersion: config.apiVersion });
      const client = new LmoClient(async () => connection, {
        apiVersion: config.apiVersion,
        timeoutMs: config.lmoTimeoutMs,
        retries: 1,
      });
      const service = new LmoService({ client, timezone: config.timezone, clock: () => new Date() });
      const offered = await offeredVersions(client);
      // A session flow signs in at its first call: prove the session here, where its refusal is reported.
      if (offered.includes(config.apiVersion)) await service.orgInfo();
      return { ok: true, client, service, describe, offered };
    }),
  };
  return {
    ctx,
    async close() {
      for (const close of closing) await close();
    },
  };
}

async function lmoAuth(config: Config, logger: BotLogger, closing: (() => Promise<void>)[]): Promise<SalesforceAuth> {
  if (config.lmo.kind === 'salesforce') return config.lmo.auth;
  const { startEmbeddedLmo } = await import('./local.js');
  const { auth, emulator } = await startEmbeddedLmo(config, { clock: () => new Date(), logger });
  closing.push(() => emulator.close());
  return auth;
}
