/**
 * Secrets never leave the bot. Each run holds real secrets and is searched for exactly those: an in-process run with
 * LMO and Slack faults at debug level, then one real process per Salesforce auth flow (JWT, refresh token, password,
 * access token) and one in Socket Mode with an app token — compiled, `node dist/index.js` as production runs it —, each at debug level with faults; every log line, every
 * Slack call and message and /healthz are searched, and configuration errors for every secret variable. The figures
 * count the secrets searched and what was found: nothing is written as a constant.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorHandle, mulberry32, startEmulator } from '@lma-bot/lmo-emulator';
import { type FakeSlack, SlackDriver, startFakeSlack } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type Child, startChild, stopChild } from '../support/child-process.js';
import { BUILD_TIMEOUT_MS, buildCompiled } from '../support/compiled.js';
import { recordFigures } from '../support/figures.js';
import { BOT_TOKEN, CHANNEL, SIGNING_SECRET, startHarness, USER } from '../support/harness.js';
import { lmoFixture } from '../support/lmo-fixture.js';
import { commandBody, postToApp } from '../support/raw-slack.js';

const COMMANDS = ['renewals 30', 'trials', 'status Acme Corporation', 'conversions 30', 'status nobody'];
const APP_TOKEN = `xapp-1-A0SECRET-0123456789-${randomBytes(16).toString('hex')}`;
/** Secrets no other test uses, so a hit can only come from this run. */
const fresh = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

/** One searched run: the secrets it held, the places searched, and where any of them showed up. */
interface Searched {
  secrets: number;
  kinds: string[];
  places: number;
  found: string[];
}
const runs: Record<string, Searched> = {};
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Searches each text for each secret (by kind; a kind may have several values, as a key's lines) and for any access
 * token the LMO issued (`<org id>!…`). Returns "kind in place" for each hit.
 */
function searchPlaces(
  places: Record<string, string>,
  secrets: Record<string, string[]>,
  tokenPrefix: string,
): string[] {
  const hits: string[] = [];
  for (const [place, text] of Object.entries(places)) {
    for (const [kind, values] of Object.entries(secrets)) {
      if (values.some((value) => text.includes(value))) hits.push(`${kind} in ${place}`);
    }
    if (text.includes(tokenPrefix)) hits.push(`an LMO access token in ${place}`);
  }
  return hits;
}

function recordRun(name: string, secrets: Record<string, string[]>, places: Record<string, string>, found: string[]) {
  for (const values of Object.values(secrets))
    for (const value of values) expect(value.length).toBeGreaterThanOrEqual(8);
  runs[name] = {
    secrets: Object.values(secrets).flat().length,
    kinds: Object.keys(secrets),
    places: Object.keys(places).length,
    found,
  };
}

test('an in-process run with LMO and Slack faults: no secret in logs, Slack messages or /healthz', async () => {
  const h = await startHarness({ env: { LOG_LEVEL: 'debug', LMO_TIMEOUT_MS: '300', LMO_RETRIES: '2' } });
  try {
    const lmo = h.bot.emulator!;
    // The embedded LMO is reached on the refresh-token flow: these are the Salesforce secrets the bot holds.
    const secrets = {
      'bot token': [BOT_TOKEN],
      'signing secret': [SIGNING_SECRET],
      'client secret': [lmo.credentials.clientSecret],
      'refresh token': [lmo.credentials.refreshToken],
      'access token': [lmo.accessToken],
    };
    lmo.setFaults({ unavailableRate: 0.3, hangRate: 0.1, random: mulberry32(3) });
    for (const [i, text] of COMMANDS.entries()) {
      if (i === 2) lmo.expireSessions();
      const ack = await h.driver.command(text, { user: USER, channel: CHANNEL });
      await h.driver.responses(ack.responseUrl, 1, 60_000);
    }
    lmo.setFaults({ requestLimitExceeded: true });
    const spent = await h.driver.command('trials', { user: USER, channel: CHANNEL });
    await h.driver.responses(spent.responseUrl, 1, 60_000);
    lmo.setFaults({});
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 1 });
    const { message } = await h.driver.say(`<@${h.slack.identity.botUserId}> status of Globex?`, {
      user: USER,
      channel: CHANNEL,
    });
    await h.slack.waitFor(() => h.slack.thread(CHANNEL, message.ts).some((m) => m.bot_id !== undefined), 60_000);
    // A response_url that answers 404: logged, answered ephemerally.
    const body = commandBody(h.slack, {
      text: 'trials',
      user: USER,
      channel: CHANNEL,
      responseUrl: `${h.slack.url}/response-url/unknown`,
    });
    await postToApp(`${h.bot.url}/slack/events`, body, {
      contentType: 'application/x-www-form-urlencoded',
      signingSecret: SIGNING_SECRET,
    });
    await h.slack.waitFor(
      () => h.slack.messages(CHANNEL).some((m) => m.ephemeralTo === USER && m.text.includes('trial')),
      60_000,
    );
    const places = {
      log: h.logs.join('\n'),
      'Slack calls': JSON.stringify(h.slack.calls.map((c) => c.args)),
      'Slack messages': JSON.stringify(h.slack.messages(CHANNEL)),
      '/healthz': await (await fetch(`${h.bot.url}/healthz`)).text(),
    };
    expect(h.logs.some((l) => l.includes(' DEBUG '))).toBe(true);
    // The run went through the faults: retries, an expired session and a spent quota were logged.
    expect(places.log).toMatch(/REQUEST_LIMIT_EXCEEDED/);
    const found = searchPlaces(places, secrets, `${lmo.orgId.slice(0, 15)}!`);
    recordRun('inProcess', secrets, places, found);
    expect(found).toEqual([]);
  } finally {
    await h.close();
  }
}, 180_000);

describe('real processes, one per way the bot signs in', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyLines = privateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const credentials = {
    clientId: fresh('client-id'),
    clientSecret: fresh('client-secret'),
    username: 'integration@isv.example',
    password: fresh('password'),
    refreshToken: fresh('refresh-token'),
    jwtCertificatePem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  let emulator: EmulatorHandle;
  let slack: FakeSlack;
  let entry = '';
  beforeAll(async () => {
    entry = await buildCompiled();
    emulator = await startEmulator({ data: lmoFixture(), credentials });
    slack = await startFakeSlack({
      botToken: BOT_TOKEN,
      channels: [{ id: CHANNEL, name: 'general' }],
      users: [{ id: USER, name: 'alice' }],
    });
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await slack?.close();
    await emulator?.close();
  });

  const slackEnv = () => ({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  const start = (env: Record<string, string>): Child => {
    const dir = mkdtempSync(join(tmpdir(), 'lma-bot-secrets-'));
    dirs.push(dir);
    return startChild(entry, {
      PORT: '0',
      DATA_DIR: dir,
      LOG_LEVEL: 'debug',
      LMO_TIMEOUT_MS: '300',
      ...slackEnv(),
      ...env,
    });
  };
  const searchChild = (name: string, child: Child, secrets: Record<string, string[]>) => {
    const places = {
      'process output': child.lines.join('\n'),
      'Slack calls': JSON.stringify(slack.calls.map((c) => c.args)),
      'Slack messages': JSON.stringify(slack.messages(CHANNEL)),
    };
    expect(child.lines.some((l) => l.includes(' DEBUG '))).toBe(true);
    const found = searchPlaces(places, secrets, `${emulator.orgId.slice(0, 15)}!`);
    recordRun(name, secrets, places, found);
    return found;
  };

  const flows: [string, () => Record<string, string>, () => Record<string, string[]>][] = [
    [
      'JWT',
      () => ({
        SF_LOGIN_URL: emulator.url,
        SF_CLIENT_ID: credentials.clientId,
        SF_USERNAME: credentials.username,
        SF_PRIVATE_KEY: privateKeyPem.replace(/\n/g, '\\n'),
      }),
      () => ({ 'private key': keyLines }),
    ],
    [
      'refresh token',
      () => ({
        SF_LOGIN_URL: emulator.url,
        SF_CLIENT_ID: credentials.clientId,
        SF_CLIENT_SECRET: credentials.clientSecret,
        SF_REFRESH_TOKEN: credentials.refreshToken,
      }),
      () => ({ 'client secret': [credentials.clientSecret], 'refresh token': [credentials.refreshToken] }),
    ],
    [
      'password',
      () => ({
        SF_LOGIN_URL: emulator.url,
        SF_CLIENT_ID: credentials.clientId,
        SF_CLIENT_SECRET: credentials.clientSecret,
        SF_USERNAME: credentials.username,
        SF_PASSWORD: credentials.password,
      }),
      () => ({ 'client secret': [credentials.clientSecret], password: [credentials.password] }),
    ],
    [
      'access token',
      () => ({ SF_INSTANCE_URL: emulator.url, SF_ACCESS_TOKEN: emulator.accessToken }),
      () => ({ 'access token': [emulator.accessToken] }),
    ],
  ];

  test.each(flows)(
    'the %s flow with LMO faults, at debug level: no secret in its output or in Slack',
    async (name, env, held) => {
      const child = start(env());
      try {
        const line = await child.waitForLine(/listening for Slack on http:\/\/\S+\/slack\/events/, 90_000);
        const appUrl = /(http:\/\/\S+\/slack\/events)/.exec(line)![1]!;
        const driver = new SlackDriver({ appUrl, signingSecret: SIGNING_SECRET, slack });
        emulator.setFaults({ unavailableRate: 0.3, hangRate: 0.1, random: mulberry32(4) });
        for (const text of COMMANDS) {
          const ack = await driver.command(text, { user: USER, channel: CHANNEL });
          await driver.responses(ack.responseUrl, 1, 60_000);
        }
      } finally {
        emulator.setFaults({});
        await stopChild(child);
      }
      const secrets = { 'bot token': [BOT_TOKEN], 'signing secret': [SIGNING_SECRET], ...held() };
      expect(searchChild(`process (${name})`, child, secrets)).toEqual([]);
    },
    180_000,
  );

  test('Socket Mode with an app token that Slack refuses: the token is not in the output', async () => {
    const calls = slack.calls.length;
    const child = start({
      SLACK_APP_TOKEN: APP_TOKEN,
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: credentials.clientId,
      SF_CLIENT_SECRET: credentials.clientSecret,
      SF_REFRESH_TOKEN: credentials.refreshToken,
    });
    try {
      // The process really held and used the app token: it asked Slack for a Socket Mode connection with it.
      await slack.waitFor(() => slack.calls.slice(calls).some((c) => c.method === 'apps.connections.open'), 90_000);
      await child.waitForLine(/invalid_auth/, 90_000);
    } finally {
      await stopChild(child);
    }
    const secrets = {
      'bot token': [BOT_TOKEN],
      'signing secret': [SIGNING_SECRET],
      'app token': [APP_TOKEN],
      'client secret': [credentials.clientSecret],
      'refresh token': [credentials.refreshToken],
    };
    expect(searchChild('process (Socket Mode)', child, secrets)).toEqual([]);
  }, 180_000);
});

test('configuration errors name the variables, never the values of secrets', async () => {
  const secrets = {
    SLACK_BOT_TOKEN: 'xoxb-not-really-a-bot-token-0123456789',
    SLACK_SIGNING_SECRET: 'signing-secret-0123456789abcdef',
    SLACK_APP_TOKEN: APP_TOKEN,
    SF_CLIENT_SECRET: 'client-secret-0123456789abcdef',
    SF_REFRESH_TOKEN: 'refresh-token-0123456789abcdef',
    SF_PRIVATE_KEY: 'not-a-pem-private-key-0123456789abcdef',
    SF_PASSWORD: 'password-0123456789abcdef',
    SF_ACCESS_TOKEN: '00D000000000001!AQ0123456789abcdef',
  };
  let message = '';
  try {
    loadConfig({
      ...secrets,
      SF_CLIENT_ID: 'client-id-0123456789',
      SF_USERNAME: 'bot@isv.example',
      PORT: 'not-a-port',
      SF_INSTANCE_URL: 'ftp://nowhere',
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    message = (error as Error).message;
  }
  expect(message).toContain('PORT');
  const held = Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, [value]]));
  const found = searchPlaces({ 'configuration error': message }, held, '\u0000');
  recordRun('configErrors', held, { 'configuration error': message }, found);
  expect(found).toEqual([]);

  const all = Object.values(runs);
  await recordFigures('secrets', {
    runs: all.length,
    processes: Object.keys(runs).filter((name) => name.startsWith('process')).length,
    secretKindsHeld: new Set(
      Object.entries(runs)
        .filter(([name]) => name !== 'configErrors')
        .flatMap(([, r]) => r.kinds),
    ).size,
    secretVariablesInConfigErrors: runs.configErrors.secrets,
    secretValuesSearched: all.reduce((sum, r) => sum + r.secrets, 0),
    placesSearched: all.reduce((sum, r) => sum + r.places, 0),
    leaks: all.reduce((sum, r) => sum + r.found.length, 0),
  });
});
