import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../src/config.js';

const problemsOf = (env: Record<string, string>, readFile?: (p: string) => string): string[] => {
  try {
    loadConfig(env, readFile);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('defaults', () => {
  test('nothing set → sandbox Slack, embedded LMO, UTC, weekday 09:00 digest, port 3000', () => {
    const config = loadConfig({});
    expect(config.slack.mode).toBe('sandbox');
    expect(config.lmo).toEqual({
      kind: 'embedded',
      dataFile: undefined,
      licenses: undefined,
      hiddenFields: [],
      hiddenObjects: [],
    });
    expect(config.timezone).toBe('UTC');
    expect(config.digest).toMatchObject({
      cron: '0 9 * * 1-5',
      timezone: 'UTC',
      days: 30,
      trialDays: 7,
      channels: [],
      leaseMs: 600_000,
    });
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('./data');
  });

  test('LMO_DATA, LMO_HIDDEN_FIELDS and LMO_NO_OBJECTS shape the embedded LMO', () => {
    const config = loadConfig({
      LMO_DATA: './lmo-export',
      LMO_HIDDEN_FIELDS: 'sfLma__Seats__c, Account.OwnerId',
      LMO_NO_OBJECTS: 'Lead',
    });
    expect(config.lmo).toEqual({
      kind: 'embedded',
      dataFile: './lmo-export',
      licenses: undefined,
      hiddenFields: ['sfLma__Seats__c', 'Account.OwnerId'],
      hiddenObjects: ['Lead'],
    });
  });

  test('LMO_ACTIVITY: simulated license changes a minute, 0 to 600; unset, the sandbox decides', () => {
    expect(loadConfig({}).lmo).not.toHaveProperty('activity');
    expect(loadConfig({ LMO_ACTIVITY: '5' }).lmo).toMatchObject({ kind: 'embedded', activity: 5 });
    expect(loadConfig({ LMO_ACTIVITY: '0' }).lmo).toMatchObject({ activity: 0 });
    expect(problemsOf({ LMO_ACTIVITY: '601' }).join('\n')).toContain('LMO_ACTIVITY');
  });

  test('seat health: at risk within 90 days under 30% of the seats, unless HEALTH_RENEWAL_DAYS and HEALTH_LOW_USE say', () => {
    expect(loadConfig({}).health).toEqual({ renewalDays: 90, lowUse: 0.3 });
    expect(loadConfig({ HEALTH_RENEWAL_DAYS: '60', HEALTH_LOW_USE: '0.25' }).health).toEqual({
      renewalDays: 60,
      lowUse: 0.25,
    });
    expect(() => loadConfig({ HEALTH_LOW_USE: '30%' })).toThrow(
      'HEALTH_LOW_USE must be a fraction from 0 to 1, such as 0.3 for 30% (got "30%").',
    );
  });

  test('LMA_USER_MAP: Slack user id:email pairs for `mine`; anything else is refused with the shape to use', () => {
    expect(loadConfig({}).userMap).toEqual(new Map());
    const { userMap } = loadConfig({ LMA_USER_MAP: 'U0123:ann@isv.example, W0456:bob@isv.example' });
    expect([...userMap]).toEqual([
      ['U0123', 'ann@isv.example'],
      ['W0456', 'bob@isv.example'],
    ]);
    expect(() => loadConfig({ LMA_USER_MAP: 'ann@isv.example' })).toThrow(
      'LMA_USER_MAP must list Slack user id:email pairs such as U0123456789:someone@company.com (got "ann@isv.example").',
    );
  });

  test('DIGEST_TIMEZONE defaults to LMA_TIMEZONE', () => {
    expect(loadConfig({ LMA_TIMEZONE: 'Europe/Paris' }).digest.timezone).toBe('Europe/Paris');
  });
});

describe('the store', () => {
  test('no DATABASE_URL → the SQLite file under DATA_DIR; DATABASE_URL → Postgres with the pool defaults', () => {
    expect(loadConfig({}).database).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://lma:pw@db:5432/lma' }).database).toEqual({
      url: 'postgres://lma:pw@db:5432/lma',
      poolSize: 5,
      statementTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
    });
    const tuned = loadConfig({
      DATABASE_URL: 'postgresql://db/lma',
      DATABASE_POOL_SIZE: '12',
      DATABASE_STATEMENT_TIMEOUT_MS: '2000',
      DATABASE_CONNECT_TIMEOUT_MS: '1500',
    });
    expect(tuned.database).toMatchObject({ poolSize: 12, statementTimeoutMs: 2000, connectTimeoutMs: 1500 });
  });

  test('DIGEST_LEASE_MS sets how long a silent digest claim blocks the other replicas: at least 1 s', () => {
    expect(loadConfig({ DIGEST_LEASE_MS: '3000' }).digest.leaseMs).toBe(3000);
    expect(problemsOf({ DIGEST_LEASE_MS: '999' })).toEqual([
      'DIGEST_LEASE_MS must be a whole number from 1000 to 86400000 (got "999").',
    ]);
    expect(problemsOf({ DIGEST_LEASE_MS: '2m' })).toEqual([
      'DIGEST_LEASE_MS must be a whole number from 1000 to 86400000 (got "2m").',
    ]);
  });

  test('a DATABASE_URL that is not postgres:// and a pool of 0 are refused; the URL and its password are secrets', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://db/lma', DATABASE_POOL_SIZE: '0' })).toEqual([
      'DATABASE_URL must be a postgres:// URL such as postgres://lma:secret@db.internal:5432/lma.',
      'DATABASE_POOL_SIZE must be a whole number from 1 to 100 (got "0").',
    ]);
    const secrets = secretValues(loadConfig({ DATABASE_URL: 'postgres://lma:p%40ss@db/lma' }));
    expect(secrets).toContain('p@ss');
    expect(secrets).toContain('postgres://lma:p%40ss@db/lma');
  });
});

describe('Slack modes', () => {
  test('bot token + signing secret → HTTP mode; with an app token → Socket Mode', () => {
    const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(http.slack.mode).toBe('http');
    expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xapp-1' }).slack.mode,
    ).toBe('socket');
  });

  test('SLACK_API_URL is normalised to end in a slash', () => {
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9/api' }).slack.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  test('half a pair, wrong token kinds → each problem named', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' }).join('\n')).toContain('SLACK_SIGNING_SECRET is not');
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' }).join('\n')).toContain(
      'must be a bot token starting with xoxb-',
    );
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1' }).join('\n')).toContain('Socket Mode needs all three');
  });
});

describe('Salesforce flows', () => {
  test('access token, JWT, refresh token and password flows are recognised', () => {
    expect(loadConfig({ SF_INSTANCE_URL: 'https://x.my.salesforce.com', SF_ACCESS_TOKEN: 't' }).lmo).toMatchObject({
      auth: { kind: 'session' },
    });
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    expect(
      loadConfig({ SF_CLIENT_ID: 'c', SF_USERNAME: 'u', SF_PRIVATE_KEY_FILE: '/k.pem' }, () => pem).lmo,
    ).toMatchObject({
      auth: { kind: 'jwt', loginUrl: 'https://login.salesforce.com', privateKeyPem: pem },
    });
    expect(loadConfig({ SF_CLIENT_ID: 'c', SF_CLIENT_SECRET: 's', SF_REFRESH_TOKEN: 'r' }).lmo).toMatchObject({
      auth: { kind: 'refresh' },
    });
    expect(
      loadConfig({
        SF_CLIENT_ID: 'c',
        SF_CLIENT_SECRET: 's',
        SF_USERNAME: 'u',
        SF_PASSWORD: 'p',
        SF_LOGIN_URL: 'https://test.salesforce.com',
      }).lmo,
    ).toMatchObject({
      auth: { kind: 'password', loginUrl: 'https://test.salesforce.com' },
    });
  });

  test('an incomplete flow names the missing variables, never the values given', () => {
    const problems = problemsOf({ SF_CLIENT_ID: 'c', SF_CLIENT_SECRET: 'super-secret-value' });
    expect(problems.join('\n')).toContain('no complete flow');
    expect(problems.join('\n')).not.toContain('super-secret-value');
    expect(problemsOf({ SF_ACCESS_TOKEN: 'secret-token-value' }).join('\n')).toMatch(/missing SF_INSTANCE_URL/);
    expect(problemsOf({ SF_ACCESS_TOKEN: 'secret-token-value' }).join('\n')).not.toContain('secret-token-value');
  });

  test('an unreadable key file and a key that is not PEM are reported', () => {
    const unreadable = () => {
      throw new Error('ENOENT');
    };
    expect(
      problemsOf({ SF_CLIENT_ID: 'c', SF_USERNAME: 'u', SF_PRIVATE_KEY_FILE: '/nope.pem' }, unreadable).join('\n'),
    ).toContain('cannot be read: /nope.pem');
    expect(problemsOf({ SF_CLIENT_ID: 'c', SF_USERNAME: 'u', SF_PRIVATE_KEY: 'not a key' }).join('\n')).toContain(
      'not a PEM private key',
    );
  });
});

describe('every problem at once', () => {
  test('a malformed URL, an unknown time zone, a bad cron and bad numbers are listed together', () => {
    const problems = problemsOf({
      SF_INSTANCE_URL: 'not a url',
      SF_ACCESS_TOKEN: 't',
      LMA_TIMEZONE: 'Mars/Olympus',
      DIGEST_CRON: '0 25 * * *',
      DIGEST_DAYS: 'abc',
      PORT: '70000',
      DIGEST_CHANNEL: '#sales',
      LOG_LEVEL: 'loud',
    });
    const text = problems.join('\n');
    expect(text).toContain('SF_INSTANCE_URL must be an http(s) URL');
    expect(text).toContain('LMA_TIMEZONE must be an IANA time zone');
    expect(text).toContain('DIGEST_CRON is not a valid cron expression');
    expect(text).toContain('DIGEST_DAYS must be a whole number');
    expect(text).toContain('PORT must be a whole number from 0 to 65535');
    expect(text).toContain('DIGEST_CHANNEL must list channel ids');
    expect(text).toContain('LOG_LEVEL must be one of');
    expect(problems.length).toBeGreaterThanOrEqual(7);
  });

  test('the error message lists each problem on its own line and points at .env.example', () => {
    try {
      loadConfig({ LMA_TIMEZONE: 'Nowhere/City', DIGEST_CRON: 'every day' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/2 configuration problems:\n {2}- .*\n {2}- .*\nSee \.env\.example/);
    }
  });
});
