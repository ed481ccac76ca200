/**
 * startBot: config → runtime → features → Bolt app → listening, and back down again. Used by `npm start`
 * (src/index.ts), by tests that drive the real app over HTTP, and by the benchmark. Everything that varies (clock,
 * LMO, Slack URL, store, the features) is injectable.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { type Config, secretValues } from '../config.js';
import { todayIn } from '../lma/dates.js';
import { type FieldAccess, missingMessage, omittedWarning } from '../lma/fields.js';
import { type BotLogger, createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { SalesforceOwners } from '../slack/owners.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { createBoltApp, createReceiver } from './bolt.js';
import { FEATURES } from './features.js';
import { changeFeedOf } from './feed.js';
import { connectLmo, type LmoConnectionOptions } from './lmo-connection.js';
import type { EmulatorHandle, FakeSlack, LocalSlack, SandboxServer } from './local.js';
import { InFlight } from './middleware.js';
import { opsRoutes, routesByPath } from './ops.js';
import { type Registry, registerFeatures } from './registry.js';
import type { BotRuntime, FeatureFactory } from './runtime.js';
import { storedStatusChangeCounts } from './status-change-counts.js';

export interface BotOptions
  extends Partial<Pick<LmoConnectionOptions, 'embeddedData' | 'embedded' | 'catalogRefreshMs'>> {
  clock?: () => Date;
  logger?: BotLogger;
  /** A store already open (tests share one between two bots). */
  store?: Store;
  /** The features to run instead of src/app/features.ts's list (tests). */
  features?: readonly FeatureFactory[];
  /** /readyz trusts an LMO answer this recent instead of asking again; default 30 s (tests: 0). */
  readyFreshMs?: number;
}

export interface RunningBot {
  /** Where Slack (or the sandbox) sends requests: http://127.0.0.1:<port>, or HOST's address when set. */
  url: string;
  port: number;
  /** Where the server really listens, for the start-up log: "all interfaces, port 3000", "10.0.0.5, port 3000". */
  listening: string;
  app: App;
  runtime: BotRuntime;
  registry: Registry;
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

const DRAIN_LIMIT_MS = 10_000;
/** A readiness probe every few seconds must not spend the org's daily API limit: a recent answer is proof enough. */
const READY_FRESH_MS = 30_000;

export async function startBot(given: Config, options: BotOptions = {}): Promise<RunningBot> {
  // The local Slack and the embedded LMO are loaded only when used: a production bot carries neither.
  const local = given.slack.mode === 'sandbox' ? await import('./local.js') : undefined;
  const config = local ? await local.withSandboxDefaults(given) : given;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  logger.addSecrets(...secretValues(config));
  const metrics = createMetrics({ timezone: config.timezone, clock });
  // First: a store this version cannot use (written by a newer bot) stops the start before anything runs.
  const store =
    options.store ??
    (await openStore(config, (error) => logger.warn(`A pooled Postgres connection died (replaced): ${error.message}`)));
  const opened: { close(): Promise<void> }[] = options.store ? [] : [store];
  try {
    const lmo = await connectLmo(config, {
      clock,
      logger,
      metrics,
      embeddedData: options.embeddedData,
      embedded: options.embedded,
      catalogRefreshMs: options.catalogRefreshMs,
    });
    opened.push(lmo);
    const runtime: BotRuntime = {
      config,
      logger,
      clock,
      store,
      client: lmo.client,
      service: lmo.service,
      feed: changeFeedOf(lmo.service, store, clock),
      lmo,
      metrics,
      owners: new SalesforceOwners({
        userMap: config.userMap,
        service: lmo.service,
        matches: store.ownerMatches,
        clock,
      }),
      statusChangeCounts: storedStatusChangeCounts(store.statusChangeDays, lmo, logger),
      parseContext: () => ({ today: todayIn(config.timezone, clock()), packages: lmo.packages() }),
    };
    // Two features claiming the same input stop the start here, before the bot listens.
    const registry = registerFeatures((options.features ?? FEATURES).map((feature) => feature(runtime)));

    // Sandbox mode: a local Slack stands in for the real one, with made-up credentials.
    const sandbox: LocalSlack | undefined = local ? await local.startLocalSlack(config, clock, logger) : undefined;
    if (sandbox) opened.push(sandbox.slack);
    const slack = {
      botToken: config.slack.botToken ?? sandbox?.botToken ?? '',
      signingSecret: config.slack.signingSecret ?? sandbox?.signingSecret ?? '',
      appToken: config.slack.appToken,
      apiUrl: sandbox?.slack.apiUrl ?? config.slack.apiUrl,
    };
    const inFlight = new InFlight();
    const health = async () => ({
      ok: lmo.service.fieldAccess().missing.length === 0,
      slack: config.slack.mode,
      lmo: lmo.client.instanceUrl ? 'connected' : 'not connected yet',
      lmoName: lmo.label(),
      apiCalls: lmo.client.calls,
      inFlight: inFlight.count,
      permissions: permissionsHealth(lmo.service.fieldAccess()),
    });
    const notReady = async (): Promise<string | undefined> => {
      try {
        // Any read: it fails once the store is closed or its file is gone.
        await store.threads.kind('readyz', '0');
      } catch (error) {
        logger.warn('/readyz: the store cannot be read:', error);
        return 'the store cannot be read (see the bot log)';
      }
      if (Date.now() - lmo.client.lastAnsweredAt < (options.readyFreshMs ?? READY_FRESH_MS)) return undefined;
      try {
        await lmo.client.withDeadline(config.lmoTimeoutMs, () => lmo.service.orgInfo());
        return undefined;
      } catch (error) {
        return `the LMO did not answer within ${config.lmoTimeoutMs} ms (LMO_TIMEOUT_MS): ${error instanceof Error ? error.message : 'unknown error'}`;
      }
    };
    const routes = opsRoutes({ health, notReady, metrics });
    const receiver = createReceiver({ slack, logger, routes, port: config.port, store, clock });
    const app = createBoltApp({ slack, receiver, registry, runtime, access: config.access, inFlight });
    // In sandbox mode the page takes PORT; the app listens where only the page's driver reaches it.
    const where = sandbox ? { port: 0, host: '127.0.0.1' } : { port: config.port, host: config.host };
    const started = (await app.start(where.host === undefined ? where.port : where)) as unknown;
    opened.push({ close: async () => void (await app.stop()) });
    const address = config.slack.appToken ? undefined : ((started as Server).address() as AddressInfo);
    const port = address?.port ?? config.port;
    const allInterfaces = address === undefined || address.address === '::' || address.address === '0.0.0.0';
    const listening = `${allInterfaces ? 'all interfaces' : address.address}, port ${port}`;
    // All interfaces include loopback; a HOST is reached at that address only.
    const host = allInterfaces ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${port}`;
    // The page holds PORT in sandbox mode: it serves the operations endpoints too.
    const page: SandboxServer | undefined = await sandbox?.openPage(url, routesByPath(routes));
    await lmo.ready;
    for (const feature of registry.features) await feature.start?.({ client: app.client });

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await page?.close();
        if (sandbox) sandbox.slack.onEvent = undefined;
        for (const feature of registry.features) await feature.stop?.();
        await app.stop().catch((e: unknown) => logger.warn('Stopping the Slack receiver:', e));
        await inFlight.drained(DRAIN_LIMIT_MS);
        if (!options.store) await store.close();
        await sandbox?.slack.close();
        await lmo.close();
      })());

    return {
      url,
      port,
      listening,
      app,
      runtime,
      registry,
      emulator: lmo.emulator,
      slack: sandbox?.slack,
      sandboxUrl: page?.url,
      signingSecret: slack.signingSecret,
      close,
    };
  } catch (error) {
    // A start that fails half-way leaves nothing open behind it.
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
    throw error;
  }
}

/** What /healthz says of the integration user's access: what no answer can do without, and what answers leave out. */
function permissionsHealth(access: FieldAccess) {
  const paths = (list: FieldAccess['missing']) => list.map((u) => (u.field ? `${u.object}.${u.field}` : u.object));
  return {
    missing: paths(access.missing),
    omitted: paths(access.omitted),
    ...(access.missing.length > 0 ? { fix: missingMessage(access) } : {}),
    ...(access.omitted.length > 0 ? { note: omittedWarning(access) } : {}),
  };
}
