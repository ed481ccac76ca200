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
  const choice: DatasetChoice & { hiddenFields?: string[]; hiddenObjects?: string[]; activity?: number } =
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
    // The bot never reads the log (tests ask for more of it). Unbounded, it grew ~2.5 KB per call for good.
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
  if (choice.activity) {
    // Stopped when the emulator closes.
    emulator.simulateActivity(choice.activity);
    options.logger.info(
      `Embedded LMO: ${choice.activity} simulated license changes a minute (new trials, conversions, uninstalls…; LMO_ACTIVITY=0 stops them).`,
    );
  }
  return { auth: embeddedAuth(emulator), emulator };
}

/**
 * Request-log entries the embedded LMO keeps (up to twice this, about 2.5 KB each): a few, for a person debugging;
 * at 5,000 the log alone outweighed the rest of a running bot's heap.
 */
const EMBEDDED_LOG_LIMIT = 100;

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
  const channels = sandboxChannels(config, sandbox.SANDBOX_CHANNEL, sandbox.SANDBOX_ALERTS_CHANNEL);
  return sandbox.startLocalSlack({ channels, port: config.port, clock, logger });
}

/** Simulated license changes a minute in the sandbox's embedded LMO, unless LMO_ACTIVITY says otherwise. */
export const SANDBOX_ACTIVITY = 2;

/**
 * The sandbox shows what the bot does without setting anything: the digest posts to #general unless DIGEST_CHANNEL
 * says otherwise (so "Run digest now" shows it), #alerts gets every license alert unless ALERT_CHANNEL names channels,
 * the embedded LMO makes SANDBOX_ACTIVITY license changes a minute, so a newcomer sees alerts arrive, and on the demo
 * data the page's person is one of its sales reps (so `mine` and Home's week have customers) unless LMA_USER_MAP maps
 * them (`LMA_USER_MAP=U0YOU:newcomer@example.com` shows what an unmatched person sees).
 */
export async function withSandboxDefaults(config: Config): Promise<Config> {
  const { SANDBOX_ALERTS_CHANNEL, SANDBOX_CHANNEL, SANDBOX_USER } = await import('@lma-bot/slack-sandbox');
  const { digest, alerts, lmo, userMap } = config;
  const demo = lmo.kind === 'embedded' && lmo.dataFile === undefined && !userMap.has(SANDBOX_USER.id);
  const rep = demo ? (await import('@lma-bot/lmo-emulator')).DEMO_REP_EMAIL : undefined;
  return {
    ...config,
    userMap: rep ? new Map([...userMap, [SANDBOX_USER.id, rep]]) : userMap,
    digest: digest.channels.length > 0 ? digest : { ...digest, channels: [SANDBOX_CHANNEL.id] },
    alerts: alerts.channels.length > 0 ? alerts : { ...alerts, channels: [SANDBOX_ALERTS_CHANNEL.id] },
    lmo: lmo.kind === 'embedded' && lmo.activity === undefined ? { ...lmo, activity: SANDBOX_ACTIVITY } : lmo,
  };
}

/** #general, #alerts when used, and each other digest or alert channel configured: somewhere to post in the sandbox. */
function sandboxChannels(config: Config, general: ChannelSpec, alerts: ChannelSpec): ChannelSpec[] {
  const named = (ids: string[], prefix: string) =>
    ids
      .filter((id) => id !== general.id && id !== alerts.id)
      .map((id, i) => ({ id, name: i === 0 ? prefix : `${prefix}-${i + 1}` }));
  const used = [...config.digest.channels, ...config.alerts.channels];
  const others = [...named(config.digest.channels, 'lma-digest'), ...named(config.alerts.channels, 'lma-alerts')];
  return [
    general,
    ...(used.includes(alerts.id) ? [alerts] : []),
    // A channel both the digest and the alerts post to is listed once.
    ...others.filter((c, i) => others.findIndex((o) => o.id === c.id) === i),
  ];
}
