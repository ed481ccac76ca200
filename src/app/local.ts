/**
 * The one bridge from the bot to its local stand-ins: the embedded LMO (@lma-bot/lmo-emulator) when no Salesforce org
 * is configured, and the local Slack (@lma-bot/slack-sandbox) when no Slack tokens are. The bot loads this module only
 * in those modes, and it loads each package only when its own mode is used, so a bot connected to a real org and
 * workspace carries neither the demo generator, the SOQL engine nor the sandbox page.
 */
import type { DatasetChoice, EmulatorHandle, EmulatorOptions, OrgData } from '@lma-bot/lmo-emulator';
import type { ChannelSpec, LocalSlack } from '@lma-bot/slack-sandbox';
import type { Config } from '../config.js';
import { todayIn } from '../lma/dates.js';
import type { SalesforceAuth } from '../lma/salesforce.js';
import type { BotLogger } from '../logger.js';

export type { EmulatorHandle, EmulatorOptions, OrgData } from '@lma-bot/lmo-emulator';
export type { FakeSlack, LocalSlack, SandboxServer } from '@lma-bot/slack-sandbox';

export interface EmbeddedLmoOptions {
  clock: () => Date;
  logger: BotLogger;
  /** Data instead of the demo dataset or LMO_DATA (tests). */
  data?: OrgData;
  /** Extra settings (faults, an org without the LMA). */
  settings?: Partial<EmulatorOptions>;
}

/** Demo data (or LMO_DATA) served on a free loopback port, and the credentials that point jsforce at it. */
export async function startEmbeddedLmo(
  config: Config,
  options: EmbeddedLmoOptions,
): Promise<{ auth: SalesforceAuth; emulator: EmulatorHandle }> {
  const { lmoData, startEmulator } = await import('@lma-bot/lmo-emulator');
  const choice: DatasetChoice & { hiddenFields?: string[]; hiddenObjects?: string[] } =
    config.lmo.kind === 'embedded' ? config.lmo : {};
  const loaded = options.data
    ? { data: options.data, summary: [] }
    : lmoData(choice, todayIn(config.timezone, options.clock()));
  // What an export held, one line per object, before the bot says it is running.
  for (const line of loaded.summary) options.logger.info(`LMO_DATA: ${line}`);
  const emulator = await startEmulator({
    data: loaded.data,
    clock: options.clock,
    timezone: config.timezone,
    apiVersion: config.apiVersion,
    visibility: { hiddenFields: choice.hiddenFields, hiddenObjects: choice.hiddenObjects },
    // The bot never reads the log; tests read only recent entries. Unbounded, it grew ~2.5 KB per call for good.
    logLimit: EMBEDDED_LOG_LIMIT,
    ...options.settings,
  });
  options.logger.addSecrets(
    emulator.accessToken,
    emulator.credentials.clientSecret,
    emulator.credentials.password,
    emulator.credentials.refreshToken,
    emulator.jwtPrivateKeyPem,
  );
  options.logger.info(
    `Embedded demo LMO on ${emulator.url} (${choice.dataFile ? `data from ${choice.dataFile}` : 'generated demo data'}).`,
  );
  return { auth: embeddedAuth(emulator), emulator };
}

/** Request-log entries the embedded LMO keeps (up to twice this): enough for any one test's counting. */
const EMBEDDED_LOG_LIMIT = 5_000;

/**
 * The auth that points the bot at a running embedded LMO: the JWT bearer flow, signed with the private half of the key
 * pair the LMO made for its connected app, so the flow a production bot uses is the one proven here. An LMO given its
 * certificate from outside holds no private key: the refresh-token flow then.
 */
export function embeddedAuth(handle: EmulatorHandle): SalesforceAuth {
  const { credentials } = handle;
  if (handle.jwtPrivateKeyPem) {
    return {
      kind: 'jwt',
      loginUrl: handle.url,
      clientId: credentials.clientId,
      username: credentials.username,
      privateKeyPem: handle.jwtPrivateKeyPem,
    };
  }
  return {
    kind: 'refresh',
    loginUrl: handle.url,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    refreshToken: credentials.refreshToken,
  };
}

/** The local Slack for `npm start` without Slack tokens: its page on PORT, its channels from the configuration. */
export async function startLocalSlack(config: Config, clock: () => Date, logger: BotLogger): Promise<LocalSlack> {
  const sandbox = await import('@lma-bot/slack-sandbox');
  const channels = sandboxChannels(config, sandbox.SANDBOX_CHANNEL);
  return sandbox.startLocalSlack({ channels, port: config.port, clock, logger });
}

/** In the sandbox, the digest posts to #general unless DIGEST_CHANNEL says otherwise, so "Run digest now" shows it. */
export async function withSandboxDefaults(config: Config): Promise<Config> {
  if (config.digest.channels.length > 0) return config;
  const { SANDBOX_CHANNEL } = await import('@lma-bot/slack-sandbox');
  return { ...config, digest: { ...config.digest, channels: [SANDBOX_CHANNEL.id] } };
}

/** #general, plus any digest channel configured, so the digest has somewhere to post in the sandbox. */
function sandboxChannels(config: Config, general: ChannelSpec): ChannelSpec[] {
  const digest = config.digest.channels
    .filter((id) => id !== general.id)
    .map((id, i) => ({ id, name: i === 0 ? 'lma-digest' : `lma-digest-${i + 1}` }));
  return [general, ...digest];
}
