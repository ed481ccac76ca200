/**
 * `npm run lmo`: the embedded LMO on its own, for jsforce scripts, the Salesforce CLI or any REST
 * client. Flags override the matching LMO_* environment variables.
 */
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { lmoData } from './dataset.js';
import { DEFAULT_DEMO_LICENSES, DEFAULT_DEMO_SEED } from './demo-data.js';
import { DataFileError } from './load-data.js';
import type { EmulatorHandle } from './server.js';
import { startEmulator } from './server.js';
import { addDays, dateInZone } from './soql/dates.js';
import { nameList, type Visibility, VisibilityError } from './visibility.js';

export const DEFAULT_LMO_PORT = 7070;

export interface LmoCliOptions {
  host: string;
  port: number;
  /** A dataset file (LMO_DATA); without it, the demo dataset. */
  dataFile?: string;
  licenses: number;
  seed: number;
  latencyMs: number;
  unavailableRate: number;
  hangRate: number;
  lmaInstalled: boolean;
  historyTracked: boolean;
  timezone: string;
  /** Fields and objects the API user cannot read. */
  visibility: Visibility;
  /** The daily API requests left at start (/limits); omitted: all 15,000. */
  apiRemaining?: number;
  /** Simulated license changes a minute (0: none). */
  activity: number;
  /** The connected app's certificate (PEM) that JWT assertions are verified against; omitted: a key pair is made. */
  jwtCertFile?: string;
}

export type LmoCliCommand = { kind: 'help' } | { kind: 'serve'; options: LmoCliOptions };

/** A flag or variable the CLI cannot use; the message says which and what it expects. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export const USAGE = `Usage: npm run lmo -- [options]

Starts the embedded LMO (a local Salesforce REST API serving License Management App data).

Options (environment variable in brackets; flags win):
  --port <n>               port on 127.0.0.1, 0 for any free one (LMO_PORT, default ${DEFAULT_LMO_PORT})
  --host <address>         interface to listen on (LMO_HOST, default 127.0.0.1)
  --data <file|folder>     serve this export instead of the demo (LMO_DATA): today's JSON, sf data query --json
                           output, an sf data export tree plan, Data Loader / Data Export CSV, or a folder of them
  --licenses <n>           size of the demo dataset (LMO_LICENSES, default ${DEFAULT_DEMO_LICENSES})
  --seed <n>               seed of the demo dataset (LMO_SEED, default ${DEFAULT_DEMO_SEED})
  --latency <ms>           delay added to every API call (LMO_LATENCY_MS, default 0)
  --unavailable-rate <0-1> share of API calls answered 503 SERVER_UNAVAILABLE (LMO_UNAVAILABLE_RATE)
  --hang-rate <0-1>        share of API calls never answered (LMO_HANG_RATE)
  --activity <n>           simulate n license changes a minute: trials, conversions, uninstalls, seats, upgrades
                           (LMO_ACTIVITY, default 0)
  --no-lma                 serve an org without the License Management App (LMO_NO_LMA=1)
  --no-history             serve an org without license field history (LMO_NO_HISTORY=1)
  --timezone <IANA zone>   the API user's time zone for TODAY, NEXT_N_DAYS… (LMO_TIMEZONE, default UTC)
  --hidden-fields <list>   fields the API user cannot read, e.g. sfLma__Seats__c,Account.OwnerId (LMO_HIDDEN_FIELDS)
  --no-objects <list>      objects the API user cannot read, e.g. Lead (LMO_NO_OBJECTS)
  --api-remaining <n>      daily API requests left, as /limits reports them (LMO_API_REMAINING, default 15000)
  --jwt-cert <file>        the connected app's certificate (PEM): JWT bearer assertions must be signed with its key
                           (LMO_JWT_CERT; default: a key pair is made and the private key written to a temp file)
  --help                   show this help`;

type Env = Readonly<Record<string, string | undefined>>;

function number(text: string, what: string, check: (n: number) => boolean, expected: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !check(value)) throw new CliUsageError(`${what} must be ${expected}, got "${text}"`);
  return value;
}

const isWhole = (n: number) => Number.isInteger(n) && n >= 0;
const isShare = (n: number) => n >= 0 && n <= 1;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const TRUTHY = new Set(['1', 'true', 'yes', 'on']);

/** Parses flags and LMO_* variables; throws CliUsageError naming the flag and what it expects. */
export function parseLmoArgs(argv: readonly string[], env: Env = {}): LmoCliCommand {
  let values: ReturnType<typeof parseFlags>['values'];
  try {
    values = parseFlags(argv).values;
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };

  /** The flag's text, else the variable's: with the name to blame in a message. */
  const setting = (flag: keyof typeof values, variable: string): [string, string] | undefined => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return [fromFlag, `--${flag}`];
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === '' ? undefined : [fromEnv, variable];
  };
  const numeric = (
    flag: keyof typeof values,
    variable: string,
    fallback: number,
    check: (n: number) => boolean,
    expected: string,
  ) => {
    const found = setting(flag, variable);
    return found ? number(found[0], found[1], check, expected) : fallback;
  };

  const port = numeric(
    'port',
    'LMO_PORT',
    DEFAULT_LMO_PORT,
    (n) => isWhole(n) && n <= 65535,
    'a port number (0-65535)',
  );
  const dataFile = setting('data', 'LMO_DATA')?.[0];
  const licensesSetting = setting('licenses', 'LMO_LICENSES');
  const seedSetting = setting('seed', 'LMO_SEED');
  if (dataFile && (licensesSetting || seedSetting)) {
    const name = (licensesSetting ?? seedSetting)![1];
    throw new CliUsageError(
      `${name} only shapes the demo dataset; it cannot be combined with a data file (--data, LMO_DATA)`,
    );
  }
  const timezone = setting('timezone', 'LMO_TIMEZONE')?.[0] ?? 'UTC';
  if (!isTimeZone(timezone)) throw new CliUsageError(`"${timezone}" is not an IANA time zone such as Europe/Paris`);

  return {
    kind: 'serve',
    options: {
      host: setting('host', 'LMO_HOST')?.[0] ?? '127.0.0.1',
      port,
      dataFile,
      licenses: licensesSetting
        ? number(licensesSetting[0], licensesSetting[1], isWhole, 'a whole number of licenses')
        : DEFAULT_DEMO_LICENSES,
      seed: seedSetting
        ? number(seedSetting[0], seedSetting[1], Number.isInteger, 'a whole number')
        : DEFAULT_DEMO_SEED,
      latencyMs: numeric('latency', 'LMO_LATENCY_MS', 0, (n) => n >= 0, 'a number of milliseconds ≥ 0'),
      unavailableRate: numeric('unavailable-rate', 'LMO_UNAVAILABLE_RATE', 0, isShare, 'a share between 0 and 1'),
      hangRate: numeric('hang-rate', 'LMO_HANG_RATE', 0, isShare, 'a share between 0 and 1'),
      activity: numeric(
        'activity',
        'LMO_ACTIVITY',
        0,
        (n) => n >= 0 && n <= 600,
        'a number of changes a minute (0-600)',
      ),
      lmaInstalled: !(values['no-lma'] || TRUTHY.has((env.LMO_NO_LMA ?? '').toLowerCase())),
      historyTracked: !(values['no-history'] || TRUTHY.has((env.LMO_NO_HISTORY ?? '').toLowerCase())),
      timezone,
      visibility: {
        hiddenFields: nameList(setting('hidden-fields', 'LMO_HIDDEN_FIELDS')?.[0]),
        hiddenObjects: nameList(setting('no-objects', 'LMO_NO_OBJECTS')?.[0]),
      },
      ...(setting('jwt-cert', 'LMO_JWT_CERT') ? { jwtCertFile: setting('jwt-cert', 'LMO_JWT_CERT')![0] } : {}),
      ...(setting('api-remaining', 'LMO_API_REMAINING')
        ? { apiRemaining: numeric('api-remaining', 'LMO_API_REMAINING', 0, isWhole, 'a whole number of API requests') }
        : {}),
    },
  };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      licenses: { type: 'string' },
      seed: { type: 'string' },
      latency: { type: 'string' },
      'unavailable-rate': { type: 'string' },
      'hang-rate': { type: 'string' },
      activity: { type: 'string' },
      'no-lma': { type: 'boolean' },
      'no-history': { type: 'boolean' },
      timezone: { type: 'string' },
      'hidden-fields': { type: 'string' },
      'no-objects': { type: 'string' },
      'api-remaining': { type: 'string' },
      'jwt-cert': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The certificate of --jwt-cert, checked to hold a public key; a CliUsageError names the file otherwise. */
export function readJwtCertificate(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`--jwt-cert: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  try {
    createPublicKey(text);
  } catch {
    throw new CliUsageError(
      `--jwt-cert: ${file} is not a PEM certificate ("-----BEGIN CERTIFICATE-----") or public key`,
    );
  }
  return text;
}

/**
 * What `npm run lmo` prints once listening: where, a token, how to sign in with the JWT bearer flow (against the given
 * certificate, or with the made key written to `jwtKeyFile`), and a jsforce script to paste.
 */
export function describeRunningLmo(
  lmo: Pick<EmulatorHandle, 'url' | 'accessToken' | 'orgId' | 'credentials' | 'apiVersion'>,
  options: LmoCliOptions,
  source: string,
  today: string,
  jwtKeyFile?: string,
): string {
  const faults = [
    options.latencyMs > 0 ? `${options.latencyMs} ms latency` : '',
    options.unavailableRate > 0 ? `${options.unavailableRate * 100}% answered 503` : '',
    options.hangRate > 0 ? `${options.hangRate * 100}% left hanging` : '',
  ].filter(Boolean);
  const { hiddenFields = [], hiddenObjects = [] } = options.visibility;
  const org = [
    options.lmaInstalled ? '' : 'without the License Management App',
    options.historyTracked ? '' : 'without license history',
    hiddenFields.length ? `hiding ${hiddenFields.join(', ')}` : '',
    hiddenObjects.length ? `without access to ${hiddenObjects.join(', ')}` : '',
  ].filter(Boolean);
  const { credentials: c } = lmo;
  const soql =
    'SELECT Name, sfLma__Account__r.Name, sfLma__Package__r.Name, sfLma__Expiration__c FROM sfLma__License__c ' +
    `WHERE sfLma__Status__c = 'Active' AND sfLma__Expiration__c >= ${today} AND sfLma__Expiration__c <= ${addDays(today, 30)} ` +
    'ORDER BY sfLma__Expiration__c';
  return [
    `Embedded LMO ready (${source}${org.length ? `; ${org.join(', ')}` : ''}).`,
    '',
    `  Instance URL:  ${lmo.url}`,
    `  Access token:  ${lmo.accessToken}`,
    `  Org Id:        ${lmo.orgId}   API v${lmo.apiVersion}   time zone ${options.timezone}`,
    `  OAuth login:   ${c.username} / ${c.password}   client ${c.clientId} / ${c.clientSecret}`,
    `  JWT bearer:    SF_LOGIN_URL=${lmo.url} SF_CLIENT_ID=${c.clientId} SF_USERNAME=${c.username} ` +
      (jwtKeyFile ? `SF_PRIVATE_KEY_FILE=${jwtKeyFile}` : `(signed with the key of ${options.jwtCertFile})`),
    ...(faults.length ? [`  Faults:        ${faults.join(', ')}`] : []),
    ...(options.activity > 0 ? [`  Activity:      ${options.activity} simulated license changes a minute`] : []),
    '',
    'Licenses renewing in the next 30 days, with jsforce:',
    '',
    `  const conn = new jsforce.Connection({ instanceUrl: '${lmo.url}', accessToken: '${lmo.accessToken}' });`,
    `  const { records } = await conn.query("${soql}");`,
    '  console.table(records.map((r) => [r.Name, r.sfLma__Account__r?.Name, r.sfLma__Package__r.Name, r.sfLma__Expiration__c]));',
    '',
    'Ctrl+C stops it.',
  ].join('\n');
}

async function main(argv: readonly string[], env: Env): Promise<void> {
  let command: LmoCliCommand;
  try {
    command = parseLmoArgs(argv, env);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`npm run lmo: ${error.message}\nRun "npm run lmo -- --help" for the options.`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return;
  }
  const { options } = command;
  const today = dateInZone(Date.now(), options.timezone);
  let lmo: EmulatorHandle;
  let source: string;
  try {
    const loaded = lmoData(options, today);
    source = loaded.source;
    for (const line of loaded.summary) console.log(`  ${line}`);
    lmo = await startEmulator({
      data: loaded.data,
      host: options.host,
      port: options.port,
      timezone: options.timezone,
      lmaInstalled: options.lmaInstalled,
      historyTracked: options.historyTracked,
      visibility: options.visibility,
      apiRemaining: options.apiRemaining,
      ...(options.jwtCertFile ? { credentials: { jwtCertificatePem: readJwtCertificate(options.jwtCertFile) } } : {}),
      // Every write here goes through the REST API or simulated activity, which indexes follow.
      indexes: true,
      faults: { latencyMs: options.latencyMs, unavailableRate: options.unavailableRate, hangRate: options.hangRate },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof DataFileError) console.error(error.message);
    else if (error instanceof VisibilityError || error instanceof CliUsageError)
      console.error(`npm run lmo: ${error.message}`);
    else if (code === 'EADDRINUSE') {
      console.error(
        `npm run lmo: port ${options.port} is in use; choose another with --port or LMO_PORT (0 = any free port).`,
      );
    } else throw error;
    process.exit(1);
  }
  const keyFile = lmo.jwtPrivateKeyPem ? writePrivateKey(lmo.jwtPrivateKeyPem) : undefined;
  console.log(describeRunningLmo(lmo, options, source, today, keyFile?.path));
  if (options.activity > 0) lmo.simulateActivity(options.activity, options.seed);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130); // a second Ctrl+C does not wait for the close
    stopping = true;
    console.log(`\n${signal}: stopping the embedded LMO.`);
    keyFile?.remove();
    void lmo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The made JWT key in a private temp folder (readable by this user only), removed when the LMO stops. */
function writePrivateKey(pem: string): { path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lma-bot-lmo-'));
  const path = join(dir, 'jwt-private-key.pem');
  writeFileSync(path, pem, { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when this file is the program being run (not imported by a test). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    console.error('npm run lmo: failed to start:', error);
    process.exit(1);
  });
}
