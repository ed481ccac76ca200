/**
 * Secrets never leave the bot: runs with faults (503s, hangs, expired sessions, a spent quota, Slack rate limits, a
 * failing response_url) at debug level, in-process and as a real process on the JWT flow, then every log line, every
 * Slack message and /healthz are searched for each secret, and configuration errors for every secret variable.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorHandle, mulberry32, startEmulator } from '@lma-bot/lmo-emulator';
import { type FakeSlack, SlackDriver, startFakeSlack } from '@lma-bot/slack-sandbox';
import { afterAll, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type Child, startChild, stopChild } from '../support/child-process.js';
import { recordFigures } from '../support/figures.js';
import { BOT_TOKEN, CHANNEL, type Harness, SIGNING_SECRET, startHarness, USER } from '../support/harness.js';
import { lmoFixture } from '../support/lmo-fixture.js';
import { commandBody, postToApp } from '../support/raw-slack.js';

const COMMANDS = ['renewals 30', 'trials', 'status Acme Corporation', 'conversions 30', 'status nobody'];
const APP_TOKEN = 'xapp-1-A0SECRET-0123456789-abcdefabcdef0123456789';
const SECRET_KINDS = [
  'bot token',
  'signing secret',
  'app token',
  'client secret',
  'refresh token',
  'password',
  'private key',
  'LMO access tokens',
];

let h: Harness | undefined;
let emulator: EmulatorHandle | undefined;
let slack: FakeSlack | undefined;
let child: Child | undefined;
const dirs: string[] = [];
const found: Record<string, number> = {};
afterAll(async () => {
  await h?.close();
  await stopChild(child);
  await slack?.close();
  await emulator?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Where each secret shows up in `text` (an empty list is the only good answer). */
function leaks(text: string, secrets: Record<string, string>, tokenPrefix: string): string[] {
  const named = Object.entries(secrets)
    .filter(([, value]) => value.length >= 8 && text.includes(value))
    .map(([name]) => name);
  // Any access token the LMO issued: "<org id>!<opaque>".
  return text.includes(tokenPrefix) ? [...named, 'an LMO access token'] : named;
}

function record(where: string, count: number): void {
  found[where] = count;
}

test('an in-process run with LMO and Slack faults: no secret in logs, Slack messages or /healthz', async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'debug', LMO_TIMEOUT_MS: '300', LMO_RETRIES: '2' } });
  const lmo = h.bot.emulator!;
  const creds = lmo.credentials;
  const secrets = {
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    clientSecret: creds.clientSecret,
    refreshToken: creds.refreshToken,
    password: creds.password,
    accessToken: lmo.accessToken,
  };
  const tokenPrefix = `${lmo.orgId.slice(0, 15)}!`;

  lmo.setFaults({ unavailableRate: 0.3, hangRate: 0.1, random: mulberry32(3) });
  for (const [i, text] of COMMANDS.entries()) {
    if (i === 2) lmo.expireSessions();
    const ack = await h.driver.command(text, { user: USER, channel: CHANNEL });
    await h.driver.responses(ack.responseUrl, 1, 10_000);
  }
  lmo.setFaults({ requestLimitExceeded: true });
  await h.driver
    .command('trials', { user: USER, channel: CHANNEL })
    .then((ack) => h!.driver.responses(ack.responseUrl, 1, 10_000));
  lmo.setFaults({});
  h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 1 });
  const { message } = await h.driver.say(`<@${h.slack.identity.botUserId}> status of Globex?`, {
    user: USER,
    channel: CHANNEL,
  });
  await h.slack.waitFor(() => h!.slack.thread(CHANNEL, message.ts).some((m) => m.bot_id !== undefined), 10_000);
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
    () => h!.slack.messages(CHANNEL).some((m) => m.ephemeralTo === USER && m.text.includes('trial')),
    10_000,
  );
  const health = await (await fetch(`${h.bot.url}/healthz`)).text();

  const slackText = JSON.stringify([h.slack.calls.map((c) => c.args), h.slack.messages(CHANNEL)]);
  const logText = h.logs.join('\n');
  record('inProcessLogLines', h.logs.length);
  expect(h.logs.some((l) => l.includes(' DEBUG '))).toBe(true);
  expect(leaks(logText, secrets, tokenPrefix)).toEqual([]);
  expect(leaks(slackText, secrets, tokenPrefix)).toEqual([]);
  expect(leaks(health, secrets, tokenPrefix)).toEqual([]);
}, 90_000);

test('a real process on the JWT flow with faults, at debug level: no secret in its stdout or stderr', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  emulator = await startEmulator({
    data: lmoFixture(),
    credentials: { jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
  slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    channels: [{ id: CHANNEL, name: 'general' }],
    users: [{ id: USER, name: 'alice' }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'lma-bot-secrets-'));
  dirs.push(dir);
  child = startChild(join(process.cwd(), 'src', 'index.ts'), {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    SF_LOGIN_URL: emulator.url,
    SF_CLIENT_ID: emulator.credentials.clientId,
    SF_USERNAME: emulator.credentials.username,
    SF_PRIVATE_KEY: privateKeyPem.replace(/\n/g, '\\n'),
    DATA_DIR: dir,
    LOG_LEVEL: 'debug',
    LMO_TIMEOUT_MS: '300',
  });
  const line = await child.waitForLine(/listening for Slack on http:\/\/\S+\/slack\/events/, 60_000);
  const appUrl = /(http:\/\/\S+\/slack\/events)/.exec(line)![1]!;
  const driver = new SlackDriver({ appUrl, signingSecret: SIGNING_SECRET, slack });
  emulator.setFaults({ unavailableRate: 0.3, hangRate: 0.1, random: mulberry32(4) });
  for (const [i, text] of COMMANDS.entries()) {
    if (i === 2) emulator.expireSessions();
    const ack = await driver.command(text, { user: USER, channel: CHANNEL });
    await driver.responses(ack.responseUrl, 1, 10_000);
  }
  await stopChild(child);

  const keyBody = privateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const secrets = {
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    accessToken: emulator.accessToken,
    ...Object.fromEntries(keyBody.map((l, i) => [`privateKeyLine${i}`, l])),
  };
  const output = child.lines.join('\n');
  record('childProcessOutputLines', child.lines.length);
  expect(child.lines.some((l) => l.includes(' DEBUG '))).toBe(true);
  expect(leaks(output, secrets, `${emulator.orgId.slice(0, 15)}!`)).toEqual([]);
  expect(leaks(JSON.stringify(slack.calls.map((c) => c.args)), secrets, `${emulator.orgId.slice(0, 15)}!`)).toEqual([]);
}, 120_000);

test('configuration errors name the variables, never the values of secrets', async () => {
  const secrets = {
    SLACK_BOT_TOKEN: 'xoxb-not-really-a-bot-token-0123456789',
    SLACK_SIGNING_SECRET: 'signing-secret-0123456789abcdef',
    SLACK_APP_TOKEN: APP_TOKEN,
    SF_CLIENT_ID: 'client-id-0123456789',
    SF_CLIENT_SECRET: 'client-secret-0123456789abcdef',
    SF_REFRESH_TOKEN: 'refresh-token-0123456789abcdef',
    SF_PRIVATE_KEY: 'not-a-pem-private-key-0123456789abcdef',
    SF_USERNAME: 'bot@isv.example',
    SF_PASSWORD: 'password-0123456789abcdef',
    SF_ACCESS_TOKEN: '00D000000000001!AQ0123456789abcdef',
  };
  let message = '';
  try {
    loadConfig({ ...secrets, PORT: 'not-a-port', SF_INSTANCE_URL: 'ftp://nowhere' });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    message = (error as Error).message;
  }
  expect(message).toContain('PORT');
  const named = Object.fromEntries(
    Object.entries(secrets).filter(([name]) => !['SF_CLIENT_ID', 'SF_USERNAME'].includes(name)),
  );
  expect(leaks(message, named, '\u0000')).toEqual([]);
  await recordFigures('secrets', { ...found, secretKindsSearched: SECRET_KINDS.length, leaks: 0 });
});
