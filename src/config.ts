/**
 * Configuration: the environment (and `.env`, through dotenv) → one typed Config.
 * Every problem is collected and reported at once, so a newcomer fixes their `.env` in one pass.
 * Values of secrets never appear in a message: problems name variables, not their contents.
 */

import { readFileSync } from 'node:fs';
import { validateDetailed } from 'node-cron';
import type { SalesforceAuth } from './lma/salesforce.js';
import { isSlackId } from './util/slack-id.js';
import { trimEndWhere } from './util/trim-end.js';

export type SlackMode = 'http' | 'socket' | 'sandbox';

export interface SlackConfig {
  mode: SlackMode;
  botToken?: string;
  signingSecret?: string;
  appToken?: string;
  /** Web API base URL override (a proxy, or the fake Slack in tests). */
  apiUrl?: string;
}

/** Where the bot reads licenses from: a real org, or the embedded demo LMO. */
export type LmoConfig =
  | {
      kind: 'embedded';
      dataFile?: string;
      licenses?: number;
      /** LMO_HIDDEN_FIELDS, LMO_NO_OBJECTS: an integration user who cannot read these (`Object.Field`, objects). */
      hiddenFields?: string[];
      hiddenObjects?: string[];
      /** LMO_ACTIVITY: simulated license changes a minute; unset, the sandbox's default (none outside it). */
      activity?: number;
    }
  | { kind: 'salesforce'; auth: SalesforceAuth };

export interface DigestConfig {
  channels: string[];
  cron: string;
  timezone: string;
  days: number;
  trialDays: number;
  /** DIGEST_LEASE_MS: a replica's claim on a digest post that has been silent this long is taken over. */
  leaseMs: number;
}

export interface AlertsConfig {
  /** Channels subscribed to every event at start-up (ALERT_CHANNEL), for configuration as code. */
  channels: string[];
  /** Seconds between two reads of the change feed (ALERT_POLL_SECONDS); each quiet read is one API call. */
  pollSeconds: number;
}

/** The change feed is read at most this often: Salesforce's API allowance is per day. */
export const MIN_ALERT_POLL_SECONDS = 15;
export const DEFAULT_ALERT_POLL_SECONDS = 60;

export interface Config {
  slack: SlackConfig;
  port: number;
  /** The address HTTP mode listens on (HOST); unset: all interfaces. */
  host?: string;
  lmo: LmoConfig;
  apiVersion: string;
  /** Per-request timeout and retries for LMO calls. */
  lmoTimeoutMs: number;
  lmoRetries: number;
  timezone: string;
  digest: DigestConfig;
  alerts: AlertsConfig;
  dataDir: string;
  /** DATABASE_URL set: the Postgres store several replicas share, instead of the SQLite file under dataDir. */
  database?: DatabaseConfig;
  access: { channels: string[]; users: string[] };
  /** Seat health: "at risk" is a paid license renewing within `renewalDays` using under `lowUse` of its seats. */
  health: { renewalDays: number; lowUse: number };
  /** LMA_USER_MAP: Slack user id → the email of their Salesforce user, for people whose Slack email differs. */
  userMap: Map<string, string>;
  /** LMA_ADMIN_USERS: the Slack user ids allowed to run admin commands (`/lma doctor`); empty: nobody. */
  admins: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** LOG_FORMAT: human-readable lines (default) or one JSON object per line. */
  logFormat: 'text' | 'json';
}

export interface DatabaseConfig {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
}

/** A few connections per replica; a statement stuck this long is cancelled; an unreachable server fails this fast. */
export const DATABASE_DEFAULTS = { poolSize: 5, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 } as const;

export const DEFAULT_API_VERSION = '62.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
export const DEFAULT_DIGEST_CRON = '0 9 * * 1-5';
/**
 * How long a replica that died while posting a digest (on another host: on its own host a gone pid is seen at once)
 * keeps the others waiting. The holder renews its claim while it posts, so a slow Slack does not lose it.
 */
export const DEFAULT_DIGEST_LEASE_MS = 10 * 60_000;
export const MIN_DIGEST_LEASE_MS = 1_000;
/**
 * Longest wait for one LMO request, and extra attempts after a 503, a network error or a timeout. Tuned with the
 * reliability suite (30% 503 and 10% hanging requests): five attempts of 3 s fit the 9 s an answer may take.
 */
export const DEFAULT_LMO_TIMEOUT_MS = 3000;
export const DEFAULT_LMO_RETRIES = 4;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `LMA Bot cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the whole configuration; throws one ConfigError listing every problem. */
export function loadConfig(
  env: Env = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return fallback;
    }
    return Number(raw);
  };

  const url = (name: string, fallback?: string): string | undefined => {
    const raw = get(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http');
      return trimEndWhere(raw, (c) => c === '/');
    } catch {
      problems.push(`${name} must be an http(s) URL such as https://example.my.salesforce.com (got "${raw}").`);
      return undefined;
    }
  };

  const timezone = (name: string, fallback: string): string => {
    const zone = get(name) ?? fallback;
    if (!isValidTimeZone(zone)) {
      problems.push(`${name} must be an IANA time zone such as Europe/Paris or America/New_York (got "${zone}").`);
      return 'UTC';
    }
    return zone;
  };

  const list = (name: string): string[] =>
    (get(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  const slack = slackConfig(get, url, problems);
  const lmo = lmoConfig(get, url, integer, readFile, problems);
  const tz = timezone('LMA_TIMEZONE', 'UTC');

  const cron = get('DIGEST_CRON') ?? DEFAULT_DIGEST_CRON;
  const cronCheck = validateDetailed(cron);
  if (!cronCheck.valid) {
    const detail = cronCheck.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    problems.push(
      `DIGEST_CRON is not a valid cron expression (got "${cron}"${detail ? `: ${detail}` : ''}); for example "0 9 * * 1-5" is 09:00 on weekdays.`,
    );
  }
  const channelList = (name: string): string[] => {
    const channels = list(name);
    for (const channel of channels) {
      if (!isSlackId('channel', channel)) {
        problems.push(
          `${name} must list channel ids such as C0123456789 (got "${channel}"); copy it from the channel's details in Slack.`,
        );
      }
    }
    return channels;
  };
  const digestChannels = channelList('DIGEST_CHANNEL');

  const fraction = (name: string, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(raw)) {
      problems.push(`${name} must be a fraction from 0 to 1, such as 0.3 for 30% (got "${raw}").`);
      return fallback;
    }
    return Number(raw);
  };

  const userMap = new Map<string, string>();
  for (const entry of list('LMA_USER_MAP')) {
    const [user = '', email = ''] = entry.split(':').map((part) => part.trim());
    if (isSlackId('user', user) && /^[^\s@]+@[^\s@]+$/.test(email)) userMap.set(user, email);
    else
      problems.push(
        `LMA_USER_MAP must list Slack user id:email pairs such as U0123456789:someone@company.com (got "${entry}").`,
      );
  }

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of debug, info, warn, error (got "${logLevel}").`);
  }

  const logFormat = (get('LOG_FORMAT') ?? 'text').toLowerCase();
  if (!['text', 'json'].includes(logFormat)) problems.push(`LOG_FORMAT must be text or json (got "${logFormat}").`);

  const apiVersion = get('SF_API_VERSION') ?? DEFAULT_API_VERSION;
  if (!/^\d{2,3}\.0$/.test(apiVersion)) problems.push(`SF_API_VERSION must look like 62.0 (got "${apiVersion}").`);

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// URL such as postgres://lma:secret@db.internal:5432/lma.');
  const database = databaseUrl && {
    url: databaseUrl,
    poolSize: integer('DATABASE_POOL_SIZE', DATABASE_DEFAULTS.poolSize, 1, 100),
    statementTimeoutMs: integer('DATABASE_STATEMENT_TIMEOUT_MS', DATABASE_DEFAULTS.statementTimeoutMs, 100, 600_000),
    connectTimeoutMs: integer('DATABASE_CONNECT_TIMEOUT_MS', DATABASE_DEFAULTS.connectTimeoutMs, 100, 120_000),
  };

  const config: Config = {
    slack,
    port: integer('PORT', 3000, 0, 65535),
    ...(get('HOST') !== undefined && { host: get('HOST') }),
    lmo,
    apiVersion,
    lmoTimeoutMs: integer('LMO_TIMEOUT_MS', DEFAULT_LMO_TIMEOUT_MS, 100, 120_000),
    lmoRetries: integer('LMO_RETRIES', DEFAULT_LMO_RETRIES, 0, 5),
    timezone: tz,
    digest: {
      channels: digestChannels,
      cron,
      timezone: timezone('DIGEST_TIMEZONE', tz),
      days: integer('DIGEST_DAYS', 30, 1, 365),
      trialDays: integer('DIGEST_TRIAL_DAYS', 7, 1, 90),
      leaseMs: integer('DIGEST_LEASE_MS', DEFAULT_DIGEST_LEASE_MS, MIN_DIGEST_LEASE_MS, 86_400_000),
    },
    alerts: {
      channels: channelList('ALERT_CHANNEL'),
      pollSeconds: integer('ALERT_POLL_SECONDS', DEFAULT_ALERT_POLL_SECONDS, MIN_ALERT_POLL_SECONDS, 86_400),
    },
    dataDir: get('DATA_DIR') ?? './data',
    ...(database && { database }),
    access: { channels: list('LMA_ALLOWED_CHANNELS'), users: list('LMA_ALLOWED_USERS') },
    health: { renewalDays: integer('HEALTH_RENEWAL_DAYS', 90, 1, 365), lowUse: fraction('HEALTH_LOW_USE', 0.3) },
    userMap,
    admins: list('LMA_ADMIN_USERS'),
    logLevel: logLevel as Config['logLevel'],
    logFormat: logFormat as Config['logFormat'],
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function slackConfig(
  get: (name: string) => string | undefined,
  url: (name: string) => string | undefined,
  problems: string[],
): SlackConfig {
  const botToken = get('SLACK_BOT_TOKEN');
  const signingSecret = get('SLACK_SIGNING_SECRET');
  const appToken = get('SLACK_APP_TOKEN');
  const apiUrl = url('SLACK_API_URL');
  const withSlash = apiUrl && !apiUrl.endsWith('/') ? `${apiUrl}/` : apiUrl;
  if (!botToken && !signingSecret) {
    if (appToken)
      problems.push(
        'SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not: Socket Mode needs all three.',
      );
    return { mode: 'sandbox', apiUrl: withSlash };
  }
  if (!botToken)
    problems.push(
      'SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: set both (Basic Information and OAuth & Permissions pages of your Slack app).',
    );
  if (!signingSecret)
    problems.push(
      'SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: set both (Basic Information and OAuth & Permissions pages of your Slack app).',
    );
  if (botToken && !botToken.startsWith('xoxb-'))
    problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb-.');
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp- (for Socket Mode).');
  return { mode: appToken ? 'socket' : 'http', botToken, signingSecret, appToken, apiUrl: withSlash };
}

function lmoConfig(
  get: (name: string) => string | undefined,
  url: (name: string, fallback?: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  readFile: (path: string) => string,
  problems: string[],
): LmoConfig {
  const names = [
    'SF_INSTANCE_URL',
    'SF_ACCESS_TOKEN',
    'SF_CLIENT_ID',
    'SF_CLIENT_SECRET',
    'SF_USERNAME',
    'SF_PASSWORD',
    'SF_PRIVATE_KEY',
    'SF_PRIVATE_KEY_FILE',
    'SF_REFRESH_TOKEN',
  ];
  const set = new Set(names.filter((n) => get(n) !== undefined));
  if (set.size === 0) {
    const licenses = get('LMO_LICENSES') ? integer('LMO_LICENSES', 850, 1, 1_000_000) : undefined;
    const names = (name: string) => (get(name) ?? '').split(',').flatMap((n) => (n.trim() ? [n.trim()] : []));
    const hidden = { hiddenFields: names('LMO_HIDDEN_FIELDS'), hiddenObjects: names('LMO_NO_OBJECTS') };
    const activity = get('LMO_ACTIVITY') ? integer('LMO_ACTIVITY', 0, 0, 600) : undefined;
    return {
      kind: 'embedded',
      dataFile: get('LMO_DATA'),
      licenses,
      ...hidden,
      ...(activity !== undefined && { activity }),
    };
  }
  const loginUrl = url('SF_LOGIN_URL', DEFAULT_LOGIN_URL) ?? DEFAULT_LOGIN_URL;
  const need = (flow: string, required: string[]): boolean => {
    const missing = required.filter((n) => !set.has(n));
    if (missing.length > 0) problems.push(`${flow} needs ${required.join(' + ')}; missing ${missing.join(', ')}.`);
    return missing.length === 0;
  };
  const value = (name: string): string => get(name) ?? '';

  if (set.has('SF_ACCESS_TOKEN') || (set.has('SF_INSTANCE_URL') && set.size === 1)) {
    const instanceUrl = url('SF_INSTANCE_URL');
    need('The access-token flow', ['SF_INSTANCE_URL', 'SF_ACCESS_TOKEN']);
    return {
      kind: 'salesforce',
      auth: { kind: 'session', instanceUrl: instanceUrl ?? '', accessToken: value('SF_ACCESS_TOKEN') },
    };
  }
  if (set.has('SF_PRIVATE_KEY') || set.has('SF_PRIVATE_KEY_FILE')) {
    need('The JWT bearer flow', ['SF_CLIENT_ID', 'SF_USERNAME']);
    let privateKeyPem = value('SF_PRIVATE_KEY').replace(/\\n/g, '\n');
    const keyFile = get('SF_PRIVATE_KEY_FILE');
    if (keyFile) {
      try {
        privateKeyPem = readFile(keyFile);
      } catch {
        problems.push(`SF_PRIVATE_KEY_FILE names a file that cannot be read: ${keyFile}.`);
      }
    }
    if (privateKeyPem && !privateKeyPem.includes('PRIVATE KEY-----')) {
      problems.push(
        'The JWT private key (SF_PRIVATE_KEY or SF_PRIVATE_KEY_FILE) is not a PEM private key ("-----BEGIN PRIVATE KEY-----").',
      );
    }
    return {
      kind: 'salesforce',
      auth: { kind: 'jwt', loginUrl, clientId: value('SF_CLIENT_ID'), username: value('SF_USERNAME'), privateKeyPem },
    };
  }
  if (set.has('SF_REFRESH_TOKEN')) {
    need('The refresh-token flow', ['SF_CLIENT_ID', 'SF_CLIENT_SECRET', 'SF_REFRESH_TOKEN']);
    return {
      kind: 'salesforce',
      auth: {
        kind: 'refresh',
        loginUrl,
        clientId: value('SF_CLIENT_ID'),
        clientSecret: value('SF_CLIENT_SECRET'),
        refreshToken: value('SF_REFRESH_TOKEN'),
      },
    };
  }
  if (set.has('SF_PASSWORD')) {
    need('The username-password flow', ['SF_CLIENT_ID', 'SF_CLIENT_SECRET', 'SF_USERNAME', 'SF_PASSWORD']);
    return {
      kind: 'salesforce',
      auth: {
        kind: 'password',
        loginUrl,
        clientId: value('SF_CLIENT_ID'),
        clientSecret: value('SF_CLIENT_SECRET'),
        username: value('SF_USERNAME'),
        password: value('SF_PASSWORD'),
        securityToken: get('SF_SECURITY_TOKEN'),
      },
    };
  }
  problems.push(
    `Salesforce variables are set (${[...set].join(', ')}) but they make no complete flow. Use one of: ` +
      'SF_INSTANCE_URL + SF_ACCESS_TOKEN; SF_CLIENT_ID + SF_USERNAME + SF_PRIVATE_KEY_FILE (JWT); ' +
      'SF_CLIENT_ID + SF_CLIENT_SECRET + SF_REFRESH_TOKEN; SF_CLIENT_ID + SF_CLIENT_SECRET + SF_USERNAME + SF_PASSWORD. ' +
      'Or unset them all to use the embedded demo LMO.',
  );
  return { kind: 'embedded' };
}

/** Every secret value in the configuration, so the logger can keep them out of every line it writes. */
export function secretValues(config: Config): (string | undefined)[] {
  const slack = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    ...databaseSecrets(config.database?.url),
  ];
  if (config.lmo.kind !== 'salesforce') return slack;
  const auth = config.lmo.auth;
  switch (auth.kind) {
    case 'session':
      return [...slack, auth.accessToken];
    case 'jwt':
      return [...slack, auth.privateKeyPem];
    case 'refresh':
      return [...slack, auth.clientSecret, auth.refreshToken];
    case 'password':
      return [...slack, auth.clientSecret, auth.password, auth.securityToken];
  }
}

/** DATABASE_URL and the password in it. */
function databaseSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [url, password] : [url];
  } catch {
    return [url];
  }
}
