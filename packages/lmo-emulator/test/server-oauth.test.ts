import { generateKeyPairSync, sign } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../src/server.js';
import { startEmulator } from '../src/server.js';
import { orgFixture } from './support/org-fixture.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function assertion(claims: Record<string, unknown>, key = privateKey): string {
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
    handle = await startEmulator({
      data: orgFixture(),
      credentials: {
        securityToken: 'TOKEN123',
        jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
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

  it('grants a JWT bearer assertion signed with the registered key', async () => {
    await expectUsable(await anonymous.requestToken({ grant_type: JWT_BEARER, assertion: assertion(goodClaims()) }));
  });

  it.each([
    ['signed with another key', () => assertion(goodClaims(), otherKey), 'invalid_grant', 'invalid assertion'],
    [
      'for another audience',
      () => assertion({ ...goodClaims(), aud: 'https://login.salesforce.com' }),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'expired',
      () => assertion({ ...goodClaims(), exp: Math.floor(Date.now() / 1000) - 10 }),
      'invalid_grant',
      'invalid assertion',
    ],
    [
      'from an unknown client',
      () => assertion({ ...goodClaims(), iss: 'nobody' }),
      'invalid_client_id',
      'client identifier invalid',
    ],
    [
      'for another user',
      () => assertion({ ...goodClaims(), sub: 'eve@example.com' }),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    ['that is not a JWT', () => 'garbage', 'invalid_grant', 'invalid assertion'],
  ])('refuses a JWT assertion %s', async (_case, make, name, message) => {
    await expect(anonymous.requestToken({ grant_type: JWT_BEARER, assertion: make() })).rejects.toMatchObject({
      name,
      message,
    });
  });

  it('invalidates every issued token on expireSessions', async () => {
    const token = await client.requestToken({ grant_type: 'client_credentials' });
    handle.expireSessions();
    const conn = new Connection({ instanceUrl: handle.url, accessToken: token.access_token, version: '62.0' });
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
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
