/**
 * startBot: config → dependencies → Bolt app → listening. Used by `npm start` (src/index.ts), by tests that
 * drive the real app over HTTP, and by the benchmark. Everything that varies (clock, LMO, Slack URL) is injectable.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { Answerer } from './answer.js';
import type { EmulatorHandle, EmulatorOptions, FakeSlack, OrgData, SandboxServer } from './app/local.js';
import { type AppDeps, createApp } from './app.js';
import type { Config } from './config.js';
import { createFeatures } from './features.js';
import { LmoClient } from './lma/client.js';
import { todayIn } from './lma/dates.js';
import { connectToLmo, type SalesforceAuth } from './lma/salesforce.js';
import { LmoService } from './lma/service.js';
import { type BotLogger, createLogger } from './logger.js';
import type { ParseContext } from './parse/index.js';
import { openSqliteStore, STORE_FILE } from './store/sqlite.js';
import type { Store } from './store/store.js';
import type { HelpInfo } from './views/messages.js';

export interface BotOptions {
  clock?: () => Date;
  logger?: BotLogger;
  /** Data for the embedded LMO instead of the demo dataset or LMO_DATA (tests). */
  embeddedData?: OrgData;
  /** Extra settings for the embedded LMO (faults, an org without the LMA). */
  embedded?: Partial<EmulatorOptions>;
  /** A store already open (tests share one between two bots). */
  store?: Store;
}

/** Everything the features (digest, guide, thread questions) build on. */
export interface BotRuntime {
  config: Config;
  logger: BotLogger;
  clock: () => Date;
  store: Store;
  client: LmoClient;
  service: LmoService;
  answerer: Answerer;
  /** "embedded demo LMO (Demo ISV)" or the org's name and id, once known. */
  lmoLabel: () => string;
  helpInfo: () => HelpInfo;
  /** Today and the known packages, for the grammar (free-text questions parse outside the /lma listener). */
  parseContext: () => ParseContext;
}

export interface RunningBot {
  /** Where Slack (or the sandbox) sends requests: http://127.0.0.1:<port>. */
  url: string;
  port: number;
  app: App;
  runtime: BotRuntime;
  /** The embedded LMO, when the bot runs on it. */
  emulator?: EmulatorHandle;
  /** The local Slack, in sandbox mode. */
  slack?: FakeSlack;
  /** In sandbox mode, the page a person opens to use the bot: http://127.0.0.1:<PORT>. */
  sandboxUrl?: string;
  /** Signing secret in use (sandbox mode makes one up). */
  signingSecret: string;
  /** Stops taking requests, lets in-flight answers finish, closes the store and the embedded LMO. */
  close(): Promise<void>;
}

const PACKAGE_REFRESH_MS = 10 * 60_000;
const DRAIN_LIMIT_MS = 10_000;
/** Every question is answered (or told "LMO unreachable") within this, retries included: Slack users wait for it. */
const ANSWER_DEADLINE_MS = 9_000;

export async function startBot(given: Config, options: BotOptions = {}): Promise<RunningBot> {
  // The local Slack and the embedded LMO are loaded only when used: a production bot carries neither.
  const sandboxMode = given.slack.mode === 'sandbox' ? await import('./app/local.js') : undefined;
  const config = sandboxMode ? await sandboxMode.withSandboxDefaults(given) : given;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  logger.addSecrets(config.slack.botToken, config.slack.signingSecret, config.slack.appToken, ...secretsOf(config));
  // First: a store this version cannot use (written by a newer bot) stops the start before anything runs.
  const store = options.store ?? openSqliteStore(join(config.dataDir, STORE_FILE));

  const { auth, emulator } = await lmoAuth(config, options, clock, logger);
  let connectionLabel = emulator ? 'embedded demo LMO' : 'Salesforce LMO';
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

  let packages: string[] = [];
  const refreshCatalog = async () => {
    try {
      const [org, names] = await Promise.all([service.orgInfo(), service.packageNames()]);
      connectionLabel = emulator ? `embedded demo LMO (${org.name})` : `${org.name} (${org.id})`;
      packages = names;
    } catch (error) {
      logger.warn('Could not read the LMO organization and packages yet:', error);
    }
  };
  const catalogReady = refreshCatalog();
  const refreshTimer = setInterval(() => void refreshCatalog(), PACKAGE_REFRESH_MS);
  refreshTimer.unref();

  const helpInfo = (): HelpInfo =>
    features.reduce((info, feature) => feature.help?.(info) ?? info, {
      lmoLabel: connectionLabel,
      timezone: config.timezone,
      digest: {
        channels: config.digest.channels,
        cron: config.digest.cron,
        timezone: config.digest.timezone,
        nextRun: null,
      },
    } as HelpInfo);
  const answerer = new Answerer({
    service,
    logger,
    clock,
    timezone: config.timezone,
    lmo: { label: () => connectionLabel, instanceUrl: () => client.instanceUrl ?? emulator?.url ?? '' },
    helpInfo: () => runtime.helpInfo(),
    withinDeadline: (run) => client.withDeadline(ANSWER_DEADLINE_MS, run),
  });
  const parseContext = (): ParseContext => ({ today: todayIn(config.timezone, clock()), packages });
  const runtime: BotRuntime = {
    config,
    logger,
    clock,
    store,
    client,
    service,
    answerer,
    lmoLabel: () => connectionLabel,
    helpInfo,
    parseContext,
  };
  const features = createFeatures(runtime);

  // Sandbox mode: a local Slack stands in for the real one, with made-up credentials.
  const local = sandboxMode ? await sandboxMode.startLocalSlack(config, clock, logger) : undefined;
  const slack = local?.slack;
  const botToken = config.slack.botToken ?? local?.botToken ?? '';
  const signingSecret = config.slack.signingSecret ?? local?.signingSecret ?? '';

  let inFlight = 0;
  const deps: AppDeps = {
    slack: { botToken, signingSecret, appToken: config.slack.appToken, apiUrl: slack?.apiUrl ?? config.slack.apiUrl },
    answerer,
    access: config.access,
    logger,
    parseContext,
    health: async () => ({
      ok: true,
      slack: config.slack.mode,
      lmo: client.instanceUrl ? 'connected' : 'not connected yet',
      lmoName: connectionLabel,
      apiCalls: client.calls,
      inFlight,
    }),
    port: config.port,
    features: [
      (app) =>
        app.use(async ({ next }) => {
          inFlight++;
          try {
            await next();
          } finally {
            inFlight--;
          }
        }),
      ...features.flatMap((f) => (f.register ? [(app: App) => f.register?.(app)] : [])),
    ],
    commandHandlers: Object.assign({}, ...features.map((f) => f.commands ?? {})),
  };
  const { app } = createApp(deps);
  // In sandbox mode the page takes PORT; the app listens where only the page's driver reaches it.
  const started = (await app.start(slack ? { port: 0, host: '127.0.0.1' } : config.port)) as unknown;
  const port = config.slack.appToken ? config.port : ((started as Server).address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const sandbox: SandboxServer | undefined = await local?.openPage(url);
  await catalogReady;
  for (const feature of features) await feature.start?.(app);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(refreshTimer);
      await sandbox?.close();
      if (slack) slack.onEvent = undefined;
      for (const feature of features) await feature.stop?.();
      await app.stop().catch((e: unknown) => logger.warn('Stopping the Slack receiver:', e));
      const deadline = Date.now() + DRAIN_LIMIT_MS;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (!options.store) await store.close();
      await slack?.close();
      await emulator?.close();
    })());

  return { url, port, app, runtime, emulator, slack, sandboxUrl: sandbox?.url, signingSecret, close };
}

/** The credentials to reach the LMO; for the embedded one, the LMO is started first. */
async function lmoAuth(
  config: Config,
  options: BotOptions,
  clock: () => Date,
  logger: BotLogger,
): Promise<{ auth: SalesforceAuth; emulator?: EmulatorHandle }> {
  if (config.lmo.kind === 'salesforce') return { auth: config.lmo.auth };
  const { startEmbeddedLmo } = await import('./app/local.js');
  return startEmbeddedLmo(config, { clock, logger, data: options.embeddedData, settings: options.embedded });
}

function secretsOf(config: Config): string[] {
  if (config.lmo.kind !== 'salesforce') return [];
  const auth = config.lmo.auth;
  switch (auth.kind) {
    case 'session':
      return [auth.accessToken];
    case 'jwt':
      return [auth.privateKeyPem];
    case 'refresh':
      return [auth.clientSecret, auth.refreshToken];
    case 'password':
      return [auth.clientSecret, auth.password, auth.securityToken ?? ''];
  }
}
