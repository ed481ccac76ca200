import { generateKeyPairSync } from 'node:crypto';
import type { EmulatorHandle } from '@lma-bot/lmo-emulator';
import { startEmulator } from '@lma-bot/lmo-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orgFixture } from '../../packages/lmo-emulator/test/support/org-fixture.js';
import { embeddedAuth } from '../../src/app/local.js';
import type { SalesforceAuth } from '../../src/lma/salesforce.js';
import { connectToLmo } from '../../src/lma/salesforce.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const API = { apiVersion: '62.0' };

/** The error a call ends in (the test fails if it succeeds). */
const failureOf = (call: PromiseLike<unknown>): Promise<Error> =>
  Promise.resolve(call).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error) => error,
  );
const ACCOUNTS = 'SELECT Id FROM Account';

describe('connectToLmo', () => {
  let handle: EmulatorHandle;
  const tokenRequests = () => handle.log.filter((e) => e.path === '/services/oauth2/token');

  beforeEach(async () => {
    handle = await startEmulator({
      data: orgFixture(),
      credentials: { securityToken: 'SECTOKEN', jwtCertificatePem: publicKey },
    });
  });
  afterEach(() => handle.close());

  const flows: Record<Exclude<SalesforceAuth['kind'], 'session'>, () => SalesforceAuth> = {
    jwt: () => ({
      kind: 'jwt',
      loginUrl: handle.url,
      clientId: handle.credentials.clientId,
      username: handle.credentials.username,
      privateKeyPem: privateKey,
    }),
    refresh: () => embeddedAuth(handle),
    password: () => ({
      kind: 'password',
      loginUrl: handle.url,
      clientId: handle.credentials.clientId,
      clientSecret: handle.credentials.clientSecret,
      username: handle.credentials.username,
      password: handle.credentials.password,
      securityToken: 'SECTOKEN',
    }),
  };

  describe.each(Object.keys(flows) as (keyof typeof flows)[])('the %s flow', (kind) => {
    it('signs in and queries', async () => {
      const { connection, describe: where } = await connectToLmo(flows[kind](), API);
      expect((await connection.query(ACCOUNTS)).totalSize).toBe(2);
      expect(where).toContain(handle.url);
      expect(tokenRequests()).toHaveLength(1);
    });

    it('renews an expired session transparently, each time it expires, and logs the renewal', async () => {
      const messages: string[] = [];
      const { connection } = await connectToLmo(flows[kind](), { ...API, logger: { info: (m) => messages.push(m) } });
      handle.expireSessions();
      expect((await connection.query(ACCOUNTS)).totalSize).toBe(2);
      expect(handle.log.map((e) => `${e.path} ${e.status}`)).toEqual([
        '/services/oauth2/token 200',
        '/services/data/v62.0/query 401',
        '/services/oauth2/token 200',
        '/services/data/v62.0/query 200',
      ]);
      expect(messages).toEqual([expect.stringMatching(/renewed/)]);
      handle.expireSessions();
      expect((await connection.query(ACCOUNTS)).totalSize).toBe(2);
      expect(tokenRequests()).toHaveLength(3);
    });

    it('stops after one renewal when the server refuses even the fresh session', async () => {
      await handle.close();
      // An org where every token stops working as soon as it is issued.
      handle = await startEmulator({ data: orgFixture(), credentials: handle.credentials, sessionTtlMs: 0 });
      const { connection } = await connectToLmo(flows[kind](), API);
      await expect(connection.query(ACCOUNTS)).rejects.toThrow(/refused the renewed session/);
      expect(handle.log.map((e) => `${e.path} ${e.status}`)).toEqual([
        '/services/oauth2/token 200',
        '/services/data/v62.0/query 401',
        '/services/oauth2/token 200',
        '/services/data/v62.0/query 401',
      ]);
    });
  });

  it('reports bad credentials clearly, naming the settings to check and no secret', async () => {
    const auth = { ...flows.password(), password: 'wrong-password' } as SalesforceAuth;
    const { message } = await failureOf(connectToLmo(auth, API));
    expect(message).toContain('username-password flow');
    expect(message).toContain('invalid_grant: authentication failure');
    expect(message).toContain('SF_PASSWORD');
    expect(message).not.toContain('wrong-password');
    expect(message).not.toContain(handle.credentials.clientSecret);
  });

  const stranger = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
  const TEN_MINUTES_AGO = () => new Date(Date.now() - 10 * 60_000);

  it.each([
    [
      'signed with a key the connected app does not hold',
      () => ({ privateKeyPem: stranger() }),
      {},
      'invalid_grant: invalid assertion',
      'does not hold the certificate of SF_PRIVATE_KEY',
    ],
    [
      'from a client id the org does not know',
      () => ({ clientId: 'not-a-consumer-key' }),
      {},
      'invalid_client_id: client identifier invalid',
      'SF_CLIENT_ID is not the consumer key',
    ],
    [
      'for an audience the org does not answer to (localhost for 127.0.0.1)',
      () => ({ loginUrl: handle.url.replace('127.0.0.1', 'localhost') }),
      {},
      'invalid_grant: audience is invalid',
      'SF_LOGIN_URL must be https://login.salesforce.com',
    ],
    [
      'already expired, from a clock ten minutes behind',
      () => ({}),
      { clock: TEN_MINUTES_AGO },
      'invalid_grant: expired authorization code',
      "this machine's clock is behind",
    ],
    [
      'for a user the org does not have',
      () => ({ username: 'eve@isv.example' }),
      {},
      "invalid_grant: user hasn't approved this consumer",
      'SF_USERNAME must be an active user pre-authorized',
    ],
  ])(
    'refuses a JWT %s, with what Salesforce said and the one thing to fix',
    async (_case, change, options, said, fix) => {
      const auth = { ...flows.jwt(), ...change() } as SalesforceAuth;
      const { message } = await failureOf(connectToLmo(auth, { ...API, ...options }));
      expect(message).toContain(`JWT bearer flow (${said})`);
      expect(message).toContain(fix);
      expect(message).not.toContain('PRIVATE KEY');
      expect(tokenRequests().map((e) => e.status)).toEqual([400]);
    },
  );

  it('signs in with the JWT bearer flow on an embedded LMO that made its own key pair', async () => {
    const made = await startEmulator({ data: orgFixture() });
    try {
      const auth = embeddedAuth(made);
      expect(auth.kind).toBe('jwt');
      const { connection, describe: where } = await connectToLmo(auth, API);
      expect((await connection.query(ACCOUNTS)).totalSize).toBe(2);
      expect(where).toContain('JWT bearer flow');
    } finally {
      await made.close();
    }
  });

  it('explains a private key that cannot sign, without echoing it', async () => {
    const badKey = '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----';
    const { message } = await failureOf(connectToLmo({ ...flows.jwt(), privateKeyPem: badKey } as SalesforceAuth, API));
    expect(message).toMatch(/SF_PRIVATE_KEY/);
    expect(message).not.toContain('not-a-key');
  });

  it('uses a ready session as it is, and asks to re-authenticate once it expires', async () => {
    const auth: SalesforceAuth = { kind: 'session', instanceUrl: handle.url, accessToken: handle.accessToken };
    const { connection, describe: where } = await connectToLmo(auth, API);
    expect(where).not.toContain(handle.accessToken);
    expect((await connection.query(ACCOUNTS)).totalSize).toBe(2);
    handle.expireSessions();
    const { message } = await failureOf(connection.query(ACCOUNTS));
    expect(message).toMatch(/re-authenticate: set a new SF_ACCESS_TOKEN/);
    expect(message).not.toContain(handle.accessToken);
    expect(tokenRequests()).toHaveLength(0);
  });

  it('never puts the token or secrets into the description', async () => {
    const { connection, describe: where } = await connectToLmo(flows.password(), API);
    for (const secret of [connection.accessToken ?? '', handle.credentials.clientSecret, handle.credentials.password]) {
      expect(where).not.toContain(secret);
    }
  });
});
