/**
 * The embedded LMO as the bot uses it when no Salesforce org is configured: demo data (or LMO_DATA) served on a free
 * loopback port, and the credentials that point jsforce at it. Loaded only in that case, so a bot connected to a real
 * org carries neither the data generator nor the SOQL engine.
 */
import type { Config } from '../config.js';
import { todayIn } from '../lma/dates.js';
import { embeddedAuth, type SalesforceAuth } from '../lma/salesforce.js';
import type { BotLogger } from '../logger.js';
import { generateDemoData } from './demo-data.js';
import { loadOrgData } from './load-data.js';
import { buildSchema, type OrgData } from './schema.js';
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from './server.js';

export interface EmbeddedLmoOptions {
  clock: () => Date;
  logger: BotLogger;
  /** Data instead of the demo dataset or LMO_DATA (tests). */
  data?: OrgData;
  /** Extra settings (faults, an org without the LMA). */
  settings?: Partial<EmulatorOptions>;
}

export async function startEmbeddedLmo(
  config: Config,
  options: EmbeddedLmoOptions,
): Promise<{ auth: SalesforceAuth; emulator: EmulatorHandle }> {
  const dataFile = config.lmo.kind === 'embedded' ? config.lmo.dataFile : undefined;
  const licenses = config.lmo.kind === 'embedded' ? config.lmo.licenses : undefined;
  const data =
    options.data ??
    (dataFile
      ? loadOrgData(dataFile, buildSchema())
      : generateDemoData({ today: todayIn(config.timezone, options.clock()), licenses }));
  const emulator = await startEmulator({
    data,
    clock: options.clock,
    timezone: config.timezone,
    apiVersion: config.apiVersion,
    ...options.settings,
  });
  options.logger.addSecrets(
    emulator.accessToken,
    emulator.credentials.clientSecret,
    emulator.credentials.password,
    emulator.credentials.refreshToken,
  );
  options.logger.info(
    `Embedded demo LMO on ${emulator.url} (${dataFile ? `data from ${dataFile}` : 'generated demo data'}).`,
  );
  return { auth: embeddedAuth(emulator), emulator };
}
