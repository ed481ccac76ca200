/**
 * The connection to the License Management Org: how to sign in (a real org's credentials, or the embedded demo LMO
 * started first through the bridge), the LmoClient and LmoService on it, and its catalog (the org's name, the package
 * names the grammar matches) read at start-up and every ten minutes.
 */
import type { Config } from '../config.js';
import { LmoClient } from '../lma/client.js';
import { type FieldAccess, missingMessage, omittedWarning, PACKAGE_OBJECT } from '../lma/fields.js';
import { connectToLmo, type SalesforceAuth } from '../lma/salesforce.js';
import { LmoService } from '../lma/service.js';
import { type BotLogger, countLmoCall } from '../logger.js';
import type { BotMetrics } from '../metrics.js';
import type { EmulatorHandle, EmulatorOptions, OrgData } from './local.js';
import type { LmoConnection } from './runtime.js';

export interface LmoConnectionOptions {
  clock: () => Date;
  logger: BotLogger;
  /** Counts every LMO call by outcome. */
  metrics: BotMetrics;
  /** Data for the embedded LMO instead of the demo dataset or LMO_DATA (tests). */
  embeddedData?: OrgData;
  /** Extra settings for the embedded LMO (faults, an org without the LMA). */
  embedded?: Partial<EmulatorOptions>;
  /** How often the catalog and the integration user's access are read again; default ten minutes (tests: less). */
  catalogRefreshMs?: number;
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
      const { connection, describe } = await connectToLmo(auth, { apiVersion: config.apiVersion, logger, clock });
      logger.addSecrets(connection.accessToken ?? undefined);
      logger.info(`Connected to the LMO: ${emulator ? `embedded demo LMO at ${emulator.url}` : describe}`);
      return connection;
    },
    {
      apiVersion: config.apiVersion,
      timeoutMs: config.lmoTimeoutMs,
      retries: config.lmoRetries,
      onCall: (outcome) => {
        options.metrics.lmoCall(outcome);
        countLmoCall();
      },
    },
  );
  const service = new LmoService({ client, timezone: config.timezone, clock });

  let label = emulator ? 'embedded demo LMO' : 'Salesforce LMO';
  let packages: string[] = [];
  const reportAccess = accessReporter(logger);
  const refreshCatalog = async () => {
    try {
      // What the integration user may read decides every query's fields until the next refresh.
      const access = await service.checkAccess();
      reportAccess(access);
      const names = access.can(PACKAGE_OBJECT, 'Name') ? service.packageNames() : Promise.resolve([]);
      const [org, readNames] = await Promise.all([service.orgInfo(), names]);
      label = emulator ? `embedded demo LMO (${org.name})` : `${org.name} (${org.id})`;
      packages = readNames;
    } catch (error) {
      logger.warn('Could not read the LMO organization and packages yet:', error);
    }
  };
  const ready = refreshCatalog();
  const timer = setInterval(() => void refreshCatalog(), options.catalogRefreshMs ?? CATALOG_REFRESH_MS);
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

/**
 * Logs what the integration user cannot read: an error while a needed field is missing, one warning for optional
 * ones left out; each again only when it changes (the catalog is re-read every ten minutes).
 */
function accessReporter(logger: BotLogger): (access: FieldAccess) => void {
  let last: string | undefined;
  return (access) => {
    const missing = missingMessage(access);
    const omitted = omittedWarning(access);
    const now = `${missing ?? ''}\u0000${omitted ?? ''}`;
    if (now === last) return;
    const before = last;
    last = now;
    if (missing) logger.error(missing);
    if (omitted) logger.warn(omitted);
    if (!missing && !omitted && before !== undefined) {
      logger.info('The LMO integration user can now read every field the bot reads.');
    }
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
