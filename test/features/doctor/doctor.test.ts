/**
 * The doctor against the embedded LMO playing each broken org (no LMA, no history, a hidden field, an API quota nearly
 * spent, bad credentials, an API version it does not offer) and the local Slack playing a token without im:history,
 * a bot not in the digest channel, a bad token, an app token: each gives the right ✓, ⚠ or ✗ and fix. Real HTTP
 * throughout (WebClient to the fake Slack, jsforce to the emulator); `npm run doctor` itself as a process for the
 * exit status.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorHandle, type EmulatorOptions, generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { DEFAULT_BOT_SCOPES, type FakeSlack, type FakeSlackOptions, startFakeSlack } from '@lma-bot/slack-sandbox';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cliDoctorContext } from '../../../src/app/doctor-context.js';
import { type Config, ConfigError, loadConfig } from '../../../src/config.js';
import { type DoctorReport, type Finding, runDoctor } from '../../../src/features/doctor/checks.js';
import { manifestBotScopes } from '../../../src/features/doctor/context.js';
import { reportLines } from '../../../src/features/doctor/report.js';
import { todayIn } from '../../../src/lma/dates.js';
import { SCHEMA_VERSION } from '../../../src/store/schema.js';
import { STORE_FILE } from '../../../src/store/sqlite.js';
import { startChild, stopChild } from '../../support/child-process.js';
import { ask, BOT_TOKEN, type Harness, SIGNING_SECRET, startHarness, USER } from '../../support/harness.js';
import { createTestSchema, postgresAvailable } from '../../support/postgres.js';

const APP_TOKEN = 'xapp-1-A0LMA-1-doctor-app-token';
const DIGEST = 'C0DIGEST';
const NOT_INVITED = 'C0NOBOT';
const data = generateDemoData({ today: todayIn('UTC', new Date()) });

const started: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of started) await s.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function slackWith(options: Partial<FakeSlackOptions> = {}): Promise<FakeSlack> {
  const slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    appToken: APP_TOKEN,
    channels: [
      { id: 'C0GENERAL', name: 'general' },
      { id: DIGEST, name: 'lma-digest' },
      { id: NOT_INVITED, name: 'sales', members: [USER] },
    ],
    users: [{ id: USER, name: 'alice' }],
    ...options,
  });
  started.push(slack);
  return slack;
}

async function lmoWith(options: Partial<EmulatorOptions> = {}): Promise<EmulatorHandle> {
  const lmo = await startEmulator({ data, timezone: 'UTC', ...options });
  started.push(lmo);
  return lmo;
}

const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-doctor-'));
  dirs.push(dir);
  return dir;
};

function envFor(slack: FakeSlack, lmo: EmulatorHandle, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SF_LOGIN_URL: lmo.url,
    SF_CLIENT_ID: lmo.credentials.clientId,
    SF_CLIENT_SECRET: lmo.credentials.clientSecret,
    SF_REFRESH_TOKEN: lmo.credentials.refreshToken,
    DATA_DIR: scratch(),
    LMA_TIMEZONE: 'UTC',
    DIGEST_CHANNEL: DIGEST,
    ...extra,
  };
}

async function doctor(env: Record<string, string>): Promise<DoctorReport> {
  let config: Config | undefined;
  let problems: string[] = [];
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = error.problems;
  }
  const cli = cliDoctorContext(config, problems);
  try {
    return await runDoctor(cli.ctx);
  } finally {
    await cli.close();
  }
}

const of = (report: DoctorReport, check: string): Finding[] => report.findings.filter((f) => f.check === check);
const one = (report: DoctorReport, check: string): Finding => {
  const found = of(report, check);
  expect(found, `${check} in:\n${reportLines(report).join('\n')}`).toHaveLength(1);
  return found[0]!;
};

let slack: FakeSlack;
let lmo: EmulatorHandle;
beforeAll(async () => {
  slack = await slackWith();
  lmo = await lmoWith();
});

describe('a healthy setup', () => {
  test('every check is ✓, in order, and the report is ok', async () => {
    const report = await doctor(envFor(slack, lmo, { SLACK_APP_TOKEN: APP_TOKEN }));
    expect(report.findings.filter((f) => f.status !== 'ok')).toEqual([]);
    expect(report.ok).toBe(true);
    expect([...new Set(report.findings.map((f) => f.check))]).toEqual([
      'configuration',
      'bot token',
      'scopes',
      'app token',
      'digest channels',
      'sign-in',
      'API version',
      'License Management App',
      'field access',
      'field history',
      'API limit',
      'time zone',
      'store',
      'schema',
    ]);
    expect(one(report, 'bot token').found).toBe(
      'works: workspace LMA Sandbox (https://lma-sandbox.slack.com/), bot user @lma (U0LMABOT).',
    );
    expect(one(report, 'scopes').found).toContain(DEFAULT_BOT_SCOPES.join(', '));
    expect(one(report, 'digest channels').found).toBe(`the bot is a member of #lma-digest (${DIGEST}).`);
    expect(one(report, 'sign-in').found).toMatch(/^signed in to http:\/\/127\.0\.0\.1:\d+ \(refresh-token flow\).$/);
    expect(one(report, 'API version').found).toBe('the org offers API v62.0 (newest v62.0).');
    expect(one(report, 'License Management App').found).toMatch(/^installed: \d+ packages, \d+ licenses\.$/);
    expect(one(report, 'field history').found).toBe('license history tracks Status, Seats and Expiration.');
    expect(one(report, 'API limit').found).toMatch(
      / of 15,000 daily API requests left; the bot uses about 1,018 a day/,
    );
    expect(one(report, 'time zone').found).toBe("the integration user's time zone is UTC, as LMA_TIMEZONE.");
    expect(one(report, 'schema').found).toContain(`is created at start (schema v${SCHEMA_VERSION})`);
  });

  test('the manifest asks for the scopes the local Slack grants by default', () => {
    expect(manifestBotScopes()).toEqual(DEFAULT_BOT_SCOPES);
  });
});

describe('Slack', () => {
  test('a bad bot token: ✗ with where to copy the right one; nothing else of Slack is checked', async () => {
    const report = await doctor(envFor(slack, lmo, { SLACK_BOT_TOKEN: 'xoxb-revoked-token-000000' }));
    const bot = one(report, 'bot token');
    expect(bot).toMatchObject({ status: 'fail', found: 'auth.test refused the bot token (invalid_auth).' });
    expect(bot.fix).toContain('OAuth & Permissions: copy the Bot User OAuth Token');
    expect(of(report, 'scopes')).toEqual([]);
    expect(of(report, 'digest channels')).toEqual([]);
    expect(report.ok).toBe(false);
  });

  test('a token without im:history: ✗ naming the scope, with where to add it', async () => {
    const narrow = await slackWith({ scopes: DEFAULT_BOT_SCOPES.filter((s) => s !== 'im:history') });
    const report = await doctor(envFor(narrow, lmo));
    const scopes = one(report, 'scopes');
    expect(scopes).toMatchObject({
      status: 'fail',
      found: 'the bot token lacks im:history, which manifest.yml asks for.',
    });
    expect(scopes.fix).toContain('Bot Token Scopes: add im:history, then reinstall the app');
  });

  test('a token without im:write (Export CSV and the Home buttons send to a DM): ✗ naming it', async () => {
    const narrow = await slackWith({ scopes: DEFAULT_BOT_SCOPES.filter((s) => s !== 'im:write') });
    const report = await doctor(envFor(narrow, lmo));
    const scopes = one(report, 'scopes');
    expect(scopes).toMatchObject({
      status: 'fail',
      found: 'the bot token lacks im:write, which manifest.yml asks for.',
    });
    expect(scopes.fix).toContain('Bot Token Scopes: add im:write, then reinstall the app');
  });

  test('a bot not in the digest channel: ✗ with the /invite to type', async () => {
    const report = await doctor(envFor(slack, lmo, { DIGEST_CHANNEL: `${DIGEST},${NOT_INVITED}` }));
    const [member, outside] = of(report, 'digest channels');
    expect(member!.status).toBe('ok');
    expect(outside).toMatchObject({
      status: 'fail',
      found: `the bot is not a member of #sales (${NOT_INVITED}), so the digest cannot be posted there.`,
      fix: 'In Slack, type /invite @LMA in #sales.',
    });
  });

  test('an unknown digest channel and a wrong app token: ✗ each, with the fix', async () => {
    const report = await doctor(
      envFor(slack, lmo, { DIGEST_CHANNEL: 'C0UNKNOWN', SLACK_APP_TOKEN: 'xapp-1-A0LMA-1-wrong-token' }),
    );
    expect(one(report, 'digest channels')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('channel_not_found'),
    });
    const app = one(report, 'app token');
    expect(app).toMatchObject({
      status: 'fail',
      found: 'apps.connections.open refused SLACK_APP_TOKEN (invalid_auth).',
    });
    expect(app.fix).toContain('App-Level Tokens: generate a token with the connections:write scope');
  });
});

describe('Salesforce', () => {
  test('bad credentials: ✗ in Salesforce’s words with the fix; the org is not checked further', async () => {
    const report = await doctor(envFor(slack, lmo, { SF_REFRESH_TOKEN: 'not-the-refresh-token' }));
    const signIn = one(report, 'sign-in');
    expect(signIn.status).toBe('fail');
    expect(signIn.found).toContain('expired access/refresh token');
    expect(signIn.fix).toContain('authorize the connected app again');
    expect(of(report, 'License Management App')).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(lmo.credentials.clientSecret);
  });

  test('an API version the org does not offer: ✗ with the version to set', async () => {
    const report = await doctor(envFor(slack, lmo, { SF_API_VERSION: '63.0' }));
    expect(one(report, 'API version')).toMatchObject({
      status: 'fail',
      found: 'the org does not offer API v63.0 (it offers v31.0 to v62.0).',
      fix: 'Set SF_API_VERSION=62.0.',
    });
    expect(of(report, 'License Management App')).toEqual([]);
  });

  test('an org without the LMA: ✗ with where to point the bot', async () => {
    const report = await doctor(envFor(slack, await lmoWith({ lmaInstalled: false })));
    const lma = one(report, 'License Management App');
    expect(lma).toMatchObject({
      status: 'fail',
      found: 'this org has no License Management App (no sfLma__License__c).',
    });
    expect(lma.fix).toContain('/lma install');
    expect(of(report, 'field access')).toEqual([]);
  });

  test('no field history: ⚠ with what is lost and the Setup path; still exit-status ok', async () => {
    const report = await doctor(envFor(slack, await lmoWith({ historyTracked: false })));
    const history = one(report, 'field history');
    expect(history.status).toBe('warn');
    expect(history.found).toContain('cannot find trial conversions');
    expect(history.fix).toContain(
      'Set History Tracking: check Enable License History, then Status, Seats and Expiration',
    );
    expect(report.ok).toBe(true);
  });

  test('a hidden field the bot needs: ✗; an optional one: ⚠; each naming the field and the grant', async () => {
    const hidden = await lmoWith({
      visibility: { hiddenFields: ['sfLma__License__c.sfLma__Status__c', 'Account.OwnerId'] },
    });
    const [needed, optional] = of(await doctor(envFor(slack, hidden)), 'field access');
    expect(needed).toMatchObject({
      status: 'fail',
      found: 'the integration user cannot read sfLma__License__c.sfLma__Status__c, which every answer needs.',
    });
    expect(needed!.fix).toContain('Read on License and on the fields License: Status');
    expect(optional).toMatchObject({ status: 'warn', found: expect.stringContaining('Account.OwnerId') });
  });

  test('an API quota nearly spent: ✗ below the bot’s own daily use, ⚠ under 10% left', async () => {
    const spent = one(await doctor(envFor(slack, await lmoWith({ apiRemaining: 500 }))), 'API limit');
    expect(spent.status).toBe('fail');
    expect(spent.found).toMatch(/^nearly spent: 4\d\d of 15,000 daily API requests left/);
    expect(spent.fix).toContain('System Overview');
    const low = one(await doctor(envFor(slack, await lmoWith({ apiRemaining: 1_400 }))), 'API limit');
    expect(low.status).toBe('warn');
  });

  test('alert polling in the daily estimate: counted with ALERT_CHANNEL, one read per ALERT_POLL_SECONDS', async () => {
    const quota = await lmoWith({ apiRemaining: 1_400 });
    const unsubscribed = one(await doctor(envFor(slack, quota)), 'API limit');
    expect(unsubscribed.found).toContain('uses about 1,018 a day by itself');
    expect(unsubscribed.found).toContain('and 1,440 for alerts while a channel is subscribed (one read each 60 s)');
    const subscribed = one(await doctor(envFor(slack, quota, { ALERT_CHANNEL: DIGEST })), 'API limit');
    expect(subscribed.status).toBe('fail');
    expect(subscribed.found).toContain('uses about 2,458 a day by itself (catalog 1,008, digest 10, alerts 1,440)');
    const slow = one(
      await doctor(envFor(slack, quota, { ALERT_CHANNEL: DIGEST, ALERT_POLL_SECONDS: '900' })),
      'API limit',
    );
    expect(slow.found).toContain('alerts 96)');
  });

  test("the integration user's time zone beside LMA_TIMEZONE: a note, not an error", async () => {
    const paris = await lmoWith({ timezone: 'Europe/Paris' });
    const zone = one(await doctor(envFor(slack, paris)), 'time zone');
    expect(zone.status).toBe('ok');
    expect(zone.found).toContain("note: the integration user's time zone is Europe/Paris, LMA_TIMEZONE is UTC");
  });
});

describe('configuration and store', () => {
  test('every configuration problem at once, as start-up reports them', async () => {
    const report = await doctor({ DIGEST_CRON: 'every day', LOG_LEVEL: 'loud' });
    const config = of(report, 'configuration');
    expect(config.map((f) => f.status)).toEqual(['fail', 'fail']);
    expect(config.map((f) => f.found).join('\n')).toMatch(/DIGEST_CRON[\s\S]*LOG_LEVEL/);
    expect(report.ok).toBe(false);
  });

  test('a DATA_DIR that cannot be written, and a store from a newer bot: ✗ each with the fix', async () => {
    const file = join(scratch(), 'not-a-dir');
    writeFileSync(file, '');
    const unwritable = one(await doctor(envFor(slack, lmo, { DATA_DIR: file })), 'store');
    expect(unwritable).toMatchObject({ status: 'fail', found: expect.stringContaining('is not writable') });
    expect(unwritable.fix).toContain('Point DATA_DIR at a directory');

    const dir = scratch();
    const db = new Database(join(dir, STORE_FILE));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const newer = one(await doctor(envFor(slack, lmo, { DATA_DIR: dir })), 'schema');
    expect(newer).toMatchObject({
      status: 'fail',
      found: expect.stringContaining(`newer than this LMA Bot's v${SCHEMA_VERSION}`),
    });
  });
});

describe('the Postgres store (DATABASE_URL)', () => {
  test('a Postgres that does not answer: ✗ naming where, without the password, and what to check', async () => {
    const report = await doctor(
      envFor(slack, lmo, {
        DATABASE_URL: 'postgres://lma:s3cret-pw@127.0.0.1:1/lma',
        DATABASE_CONNECT_TIMEOUT_MS: '500',
      }),
    );
    const store = one(report, 'store');
    expect(store).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('127.0.0.1:1/lma cannot be reached'),
    });
    expect(store.fix).toContain('Check DATABASE_URL');
    expect(JSON.stringify(report)).not.toContain('s3cret-pw');
  });

  test.runIf(postgresAvailable())('a reachable Postgres: ✓, its schema not created yet, then current', async () => {
    const db = await createTestSchema('doctor');
    try {
      const before = await doctor(envFor(slack, lmo, { DATABASE_URL: db.url }));
      expect(one(before, 'store')).toMatchObject({ status: 'ok', found: expect.stringContaining('answers') });
      expect(one(before, 'schema').found).toContain('no tables yet');
      await (await db.open()).close();
      const after = await doctor(envFor(slack, lmo, { DATABASE_URL: db.url }));
      expect(one(after, 'schema')).toMatchObject({
        status: 'ok',
        found: expect.stringContaining(`v${SCHEMA_VERSION}, current`),
      });
    } finally {
      await db.drop();
    }
  });
});

describe('npm run doctor', () => {
  test('tried as a new user: against `npm run lmo -- --no-history`, one line per check, the ⚠ with its fix, exit 0', async () => {
    // The org a new user starts: the CLI in its own process, its printed instance URL and access token pasted in.
    const lmoCli = startChild('packages/lmo-emulator/src/cli.ts', {}, { args: ['--no-history', '--port', '0'] });
    try {
      await lmoCli.waitForLine(/^Ctrl\+C stops it\./, 60_000);
      const printed = (label: string) =>
        new RegExp(`^  ${label}:\\s+(\\S+)`).exec(lmoCli.lines.find((l) => l.startsWith(`  ${label}:`)) ?? '')?.[1];
      expect(lmoCli.lines[0]).toContain('without license history');
      const instanceUrl = printed('Instance URL');
      const accessToken = printed('Access token');
      expect(instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const child = startChild('src/doctor.ts', {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        SF_INSTANCE_URL: instanceUrl!,
        SF_ACCESS_TOKEN: accessToken!,
        DATA_DIR: scratch(),
        LMA_TIMEZONE: 'UTC',
        DIGEST_CHANNEL: DIGEST,
      });
      expect(await child.exited).toEqual({ code: 0, signal: null });
      const out = child.lines.join('\n');
      expect(out).toContain('  ⚠ field history: license field history is not tracked');
      expect(out).toContain(
        '      fix: Setup → Object Manager → License → Fields & Relationships → Set History Tracking',
      );
      expect(out).toContain('  ✓ bot token: works');
      expect(out).not.toContain('✗');
      expect(out).not.toContain(accessToken!);
    } finally {
      await stopChild(lmoCli);
    }
  }, 120_000);

  test('--json prints the same as JSON; a ✗ makes the exit status 1', async () => {
    const env = { ...envFor(slack, lmo), SLACK_BOT_TOKEN: 'xoxb-revoked-token-000000' };
    const child = startChild('src/doctor.ts', env, { args: ['--json'] });
    expect((await child.exited).code).toBe(1);
    const report = JSON.parse(child.lines.join('\n')) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(one(report, 'bot token').status).toBe('fail');
    expect(one(report, 'License Management App').status).toBe('ok');
  }, 120_000);
});

describe('/lma doctor', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LMA_ADMIN_USERS: USER } });
  });
  afterAll(async () => h?.close());

  test('an admin gets the report privately', async () => {
    const { answer } = await ask(h, 'doctor');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('LMA Bot doctor');
    expect(answer.text).toContain('✓ bot token: works');
    expect(answer.text).toContain('✓ License Management App: installed');
  });

  test('anyone else is refused without detail', async () => {
    const { answer } = await ask(h, 'doctor', { user: 'U0BOB' });
    expect(answer.text).toContain('Ask the bot’s admin for access');
    expect(answer.text).not.toMatch(/LMO|Salesforce|scope|token/);
  });
});
