import { createHmac, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../src/server.js';
import { startEmulator } from '../src/server.js';
import { IDS, orgFixture } from './support/org-fixture.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function assertion(claims: Record<string, unknown>, key: KeyObject = privateKey): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

describe('the embedded LMO token service, through jsforce OAuth2', () => {
  let handle: EmulatorHandle;
  let client: OAuth2;
  let anonymous: OAuth2;
  const goodClaims = () => ({
    iss: handle.credentials.clientId,
    sub: handle.credentials.username,
    aud: handle.url,
    exp: Math.floor(Date.now() / 1000) + 180,
  });

  beforeAll(async () => {
    const data = orgFixture();
    data.User.push({ Id: '005000000000009AAA', Username: 'gone@isv.example.com', LastName: 'Gone', IsActive: false });
    handle = await startEmulator({
      data,
      credentials: {
        securityToken: 'TOKEN123',
        jwtCertificatePem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
      },
    });
    const { clientId, clientSecret } = handle.credentials;
    client = new OAuth2({ loginUrl: handle.url, clientId, clientSecret });
    anonymous = new OAuth2({ loginUrl: handle.url });
  });
  afterAll(() => handle.close());

  /** A token response works when the session it carries can query. */
  async function expectUsable(token: { access_token: string; instance_url: string }) {
    const conn = new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token, version: '62.0' });
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(2);
  }

  it('grants the password flow with the security token appended, in Salesforce token-response shape', async () => {
    const { username, password } = handle.credentials;
    const token = await client.authenticate(username, `${password}TOKEN123`);
    expect(token).toMatchObject({
      instance_url: handle.url,
      id: `${handle.url}/id/${handle.orgId}/${handle.userId}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d+$/),
      signature: expect.any(String),
    });
    expect(token.access_token.startsWith(`${handle.orgId.slice(0, 15)}!`)).toBe(true);
    expect(token).not.toHaveProperty('refresh_token');
    await expectUsable(token);
    expect(handle.log.find((e) => e.path === '/services/oauth2/token')).toMatchObject({ method: 'POST', status: 200 });
  });

  it('refuses a wrong password (or one without the security token) with invalid_grant', async () => {
    const { username, password } = handle.credentials;
    await expect(client.authenticate(username, password)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'authentication failure',
    });
    expect(handle.log.at(-1)).toMatchObject({ path: '/services/oauth2/token', status: 400 });
  });

  it('refuses an unknown client id and a wrong client secret as Salesforce does', async () => {
    const { username, password } = handle.credentials;
    const stranger = new OAuth2({ loginUrl: handle.url, clientId: 'nobody', clientSecret: 'x' });
    await expect(stranger.authenticate(username, `${password}TOKEN123`)).rejects.toMatchObject({
      name: 'invalid_client_id',
      message: 'client identifier invalid',
    });
    const wrongSecret = new OAuth2({
      loginUrl: handle.url,
      clientId: handle.credentials.clientId,
      clientSecret: 'wrong',
    });
    await expect(wrongSecret.authenticate(username, `${password}TOKEN123`)).rejects.toMatchObject({
      name: 'invalid_client',
    });
  });

  it('grants the refresh-token flow and refuses an unknown refresh token', async () => {
    await expectUsable(await client.refreshToken(handle.credentials.refreshToken));
    await expect(client.refreshToken('revoked')).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('grants client_credentials', async () => {
    await expectUsable(await client.requestToken({ grant_type: 'client_credentials' }));
  });

  it('answers an unknown grant type with unsupported_grant_type', async () => {
    await expect(client.requestToken({ grant_type: 'magic' })).rejects.toMatchObject({
      name: 'unsupported_grant_type',
    });
  });

  it('grants a JWT bearer assertion signed with the registered key, for the API user', async () => {
    const token = await anonymous.requestToken({ grant_type: JWT_BEARER, assertion: assertion(goodClaims()) });
    expect(token.id).toBe(`${handle.url}/id/${handle.orgId}/${handle.userId}`);
    await expectUsable(token);
  });

  it.each([['https://login.salesforce.com'], ['https://test.salesforce.com'], ['https://login.salesforce.com/']])(
    'accepts the audience %s, as Salesforce does beside the instance URL',
    async (aud) => {
      await expectUsable(
        await anonymous.requestToken({ grant_type: JWT_BEARER, assertion: assertion({ ...goodClaims(), aud }) }),
      );
    },
  );

  it('accepts an exp far ahead, as Salesforce does (@salesforce/core sends milliseconds)', async () => {
    const claims = { ...goodClaims(), exp: Date.now() + 300 };
    await expectUsable(await anonymous.requestToken({ grant_type: JWT_BEARER, assertion: assertion(claims) }));
  });

  it("signs in any active User named in sub, and the token's identity is that User", async () => {
    const claims = { ...goodClaims(), sub: 'OLIVIA@isv.example.com' };
    const token = await anonymous.requestToken({ grant_type: JWT_BEARER, assertion: assertion(claims) });
    expect(token.id).toBe(`${handle.url}/id/${handle.orgId}/${IDS.owner}`);
    const conn = new Connection({ instanceUrl: handle.url, accessToken: token.access_token, version: '62.0' });
    expect(await conn.request(`${handle.url}/services/oauth2/userinfo`)).toMatchObject({
      user_id: IDS.owner,
      preferred_username: 'olivia@isv.example.com',
    });
  });

  const unsignedJwt = (claims: object) =>
    `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;

  it.each([
    ['signed with another key', () => assertion(goodClaims(), otherKey), 'invalid_grant', 'invalid assertion'],
    ['with the signature AAAA', () => `${unsignedJwt(goodClaims())}.AAAA`, 'invalid_grant', 'invalid assertion'],
    ['with no signature', () => `${unsignedJwt(goodClaims())}.`, 'invalid_grant', 'invalid assertion'],
    [
      'signed with HS256',
      () => {
        const unsigned = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(goodClaims())).toString('base64url')}`;
        return `${unsigned}.${createHmac('sha256', 'secret').update(unsigned).digest('base64url')}`;
      },
      'invalid_grant',
      'invalid assertion',
    ],
    [
      'for another audience',
      () => assertion({ ...goodClaims(), aud: 'https://acme.my.salesforce.com' }),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'expired',
      () => assertion({ ...goodClaims(), exp: Math.floor(Date.now() / 1000) - 10 }),
      'invalid_grant',
      'expired authorization code',
    ],
    ['without exp', () => assertion({ ...goodClaims(), exp: undefined }), 'invalid_grant', 'invalid assertion'],
    [
      'from an unknown client',
      () => assertion({ ...goodClaims(), iss: 'nobody' }),
      'invalid_client_id',
      'client identifier invalid',
    ],
    [
      'for a user the org does not have',
      () => assertion({ ...goodClaims(), sub: 'eve@example.com' }),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    [
      'for an inactive user',
      () => assertion({ ...goodClaims(), sub: 'gone@isv.example.com' }),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    ['that is not a JWT', () => 'garbage', 'invalid_grant', 'invalid assertion'],
  ])('refuses a JWT assertion %s, with HTTP 400', async (_case, make, name, message) => {
    await expect(anonymous.requestToken({ grant_type: JWT_BEARER, assertion: make() })).rejects.toMatchObject({
      name,
      message,
    });
    expect(handle.log.at(-1)).toMatchObject({ path: '/services/oauth2/token', status: 400 });
  });

  it('invalidates every issued token on expireSessions', async () => {
    const token = await client.requestToken({ grant_type: 'client_credentials' });
    handle.expireSessions();
    const conn = new Connection({ instanceUrl: handle.url, accessToken: token.access_token, version: '62.0' });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  });
});

describe('the connected app of the embedded LMO', () => {
  const certificate = readFileSync(new URL('./support/jwt-test-cert.pem', import.meta.url), 'utf8');
  const certificateKey = readFileSync(new URL('./support/jwt-test-key.pem', import.meta.url), 'utf8');
  const claimsFor = (handle: EmulatorHandle) => ({
    iss: handle.credentials.clientId,
    sub: handle.credentials.username,
    aud: handle.url,
    exp: Math.floor(Date.now() / 1000) + 180,
  });
  const jwtGrant = (handle: EmulatorHandle, key: string) =>
    new OAuth2({ loginUrl: handle.url }).requestToken({
      grant_type: JWT_BEARER,
      assertion: assertion(claimsFor(handle), createPrivateKey(key)),
    });

  it('verifies assertions against an X.509 certificate (--jwt-cert), and hands out no private key then', async () => {
    const handle = await startEmulator({ data: orgFixture(), credentials: { jwtCertificatePem: certificate } });
    try {
      expect(handle.jwtPrivateKeyPem).toBeUndefined();
      await expect(jwtGrant(handle, certificateKey)).resolves.toMatchObject({ instance_url: handle.url });
      const stranger = otherKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      await expect(jwtGrant(handle, stranger)).rejects.toMatchObject({ message: 'invalid assertion' });
    } finally {
      await handle.close();
    }
  });

  it('makes a key pair when given no certificate, one a process, and accepts only its private half', async () => {
    const [first, second] = await Promise.all([
      startEmulator({ data: orgFixture() }),
      startEmulator({ data: orgFixture() }),
    ]);
    try {
      expect(first.jwtPrivateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(second.jwtPrivateKeyPem).toBe(first.jwtPrivateKeyPem);
      await expect(jwtGrant(first, first.jwtPrivateKeyPem!)).resolves.toMatchObject({ instance_url: first.url });
      await expect(jwtGrant(first, certificateKey)).rejects.toMatchObject({ message: 'invalid assertion' });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('session lifetime', () => {
  it('expires a token sessionTtlMs after issue, by the emulator clock', async () => {
    let now = new Date('2026-03-15T12:00:00Z');
    const handle = await startEmulator({ data: orgFixture(), clock: () => now, sessionTtlMs: 60_000 });
    try {
      const conn = new Connection({ instanceUrl: handle.url, accessToken: handle.accessToken, version: '62.0' });
      await expect(conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ totalSize: 2 });
      now = new Date(now.getTime() + 60_000);
      await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    } finally {
      await handle.close();
    }
  });
});
