/**
 * The connection to the License Management Org: how to sign in (a real org's credentials, or the embedded demo LMO
 * started first through the bridge), the LmoClient and LmoService on it, and its catalog (the org's name, the package
 * names the grammar matches) read at start-up and every ten minutes.
 */
import type { Config } from '../config.js';
import { LmoClient } from '../lma/client.js';
import { connectToLmo, type SalesforceAuth } from '../lma/salesforce.js';
import { LmoService } from '../lma/service.js';
import type { BotLogger } from '../logger.js';
import type { EmulatorHandle, EmulatorOptions, OrgData } from './local.js';
import type { LmoConnection } from './runtime.js';

export interface LmoConnectionOptions {
  clock: () => Date;
  logger: BotLogger;
  /** Data for the embedded LMO instead of the demo dataset or LMO_DATA (tests). */
  embeddedData?: OrgData;
  /** Extra settings for the embedded LMO (faults, an org without the LMA). */
  embedded?: Partial<EmulatorOptions>;
}

export interface ConnectedLmo extends LmoConnection {
  client: LmoClient;
  service: LmoService;
  /** The package names last read, for the grammar. */
  packages(): string[];
  /** Settles once the first catalog read is done (a failure is logged, and read again later). */
  ready: Promise<void>;
  /** The embedded LMO, when the bot runs on it. */
  emulator?: EmulatorHandle;
  /** Stops the catalog refresh and the embedded LMO. */
  close(): Promise<void>;
}

const CATALOG_REFRESH_MS = 10 * 60_000;

export async function connectLmo(config: Config, options: LmoConnectionOptions): Promise<ConnectedLmo> {
  const { clock, logger } = options;
  const { auth, emulator } = await lmoAuth(config, options);
  const client = new LmoClient(
    async () => {
      const { connection, describe } = await connectToLmo(auth, { apiVersion: config.apiVersion, logger });
      logger.addSecrets(connection.accessToken ?? undefined);
      logger.info(`Connected to the LMO: ${emulator ? `embedded demo LMO at ${emulator.url}` : describe}`);
      return connection;
    },
    { apiVersion: config.apiVersion, timeoutMs: config.lmoTimeoutMs, retries: config.lmoRetries },
  );
  const service = new LmoService({ client, timezone: config.timezone, clock });

  let label = emulator ? 'embedded demo LMO' : 'Salesforce LMO';
  let packages: string[] = [];
  const refreshCatalog = async () => {
    try {
      const [org, names] = await Promise.all([service.orgInfo(), service.packageNames()]);
      label = emulator ? `embedded demo LMO (${org.name})` : `${org.name} (${org.id})`;
      packages = names;
    } catch (error) {
      logger.warn('Could not read the LMO organization and packages yet:', error);
    }
  };
  const ready = refreshCatalog();
  const timer = setInterval(() => void refreshCatalog(), CATALOG_REFRESH_MS);
  timer.unref();

  return {
    client,
    service,
    label: () => label,
    instanceUrl: () => client.instanceUrl ?? emulator?.url ?? '',
    packages: () => packages,
    ready,
    emulator,
    async close() {
      clearInterval(timer);
      await emulator?.close();
    },
  };
}

/** The credentials to reach the LMO; for the embedded one, the LMO is started first. */
async function lmoAuth(
  config: Config,
  options: LmoConnectionOptions,
): Promise<{ auth: SalesforceAuth; emulator?: EmulatorHandle }> {
  if (config.lmo.kind === 'salesforce') return { auth: config.lmo.auth };
  const { startEmbeddedLmo } = await import('./local.js');
  return startEmbeddedLmo(config, {
    clock: options.clock,
    logger: options.logger,
    data: options.embeddedData,
    settings: options.embedded,
  });
}
