/**
 * The embedded LMO's OAuth 2.0 token service and identity URL: the four grant types the bot
 * uses, with Salesforce's token response and its error answers, and the sessions they issue.
 */
import { createHmac, generateKeyPair, randomBytes, verify } from 'node:crypto';
import { promisify } from 'node:util';
import { wallClockMs } from '@lma-bot/zone';
import type { SObjectRecord } from './schema.js';

export interface EmulatorCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  securityToken?: string;
  refreshToken: string;
  /**
   * The connected app's certificate (or its public key), PEM: JWT bearer assertions must be signed with its private
   * key. Without one the server makes a key pair (demoJwtKeyPair) and gives its private half to whoever starts it.
   */
  jwtCertificatePem?: string;
}

/** Credentials of the demo org; fine to publish, it only ever listens on loopback. */
export const DEMO_CREDENTIALS: EmulatorCredentials = {
  clientId: 'lma-bot-demo-client-id',
  clientSecret: 'lma-bot-demo-client-secret',
  username: 'lma-bot@demo.example.com',
  password: 'demo-password',
  refreshToken: 'demo-refresh-token',
};

/** A key pair for the demo connected app, PEM; RSA keys take up to a second to make, so one serves a process. */
export interface JwtKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

let demoKeyPair: Promise<JwtKeyPair> | undefined;

/** Made once per process, on first use, off the event loop. */
export function demoJwtKeyPair(): Promise<JwtKeyPair> {
  demoKeyPair ??= promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).then(({ privateKey, publicKey }) => ({ privateKeyPem: privateKey, publicKeyPem: publicKey }));
  return demoKeyPair;
}

/** Access tokens issued by this server, each for one User; all of them can be invalidated at once. */
export class SessionStore {
  private readonly issued = new Map<string, { at: number; userId: string }>();

  constructor(
    private readonly orgId: string,
    private readonly clock: () => Date,
    private readonly ttlMs: number | undefined,
  ) {}

  issue(userId: string): string {
    // Salesforce access tokens are "<15-char org id>!<opaque>".
    const token = `${this.orgId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
    this.issued.set(token, { at: this.clock().getTime(), userId });
    return token;
  }

  /** The User a live token was issued for; undefined for an unknown or expired one. */
  userOf(token: string | undefined): string | undefined {
    const issued = token === undefined ? undefined : this.issued.get(token);
    if (!issued) return undefined;
    const live = this.ttlMs === undefined || this.clock().getTime() - issued.at < this.ttlMs;
    return live ? issued.userId : undefined;
  }

  isValid(token: string | undefined): boolean {
    return this.userOf(token) !== undefined;
  }

  expireAll(): void {
    this.issued.clear();
  }
}

export interface OAuthContext {
  /** The server's own URL: instance URL, login URL (JWT audience) and identity host at once. */
  url: string;
  orgId: string;
  /** The API user: whom the password, refresh-token and client-credentials grants sign in. */
  userId: string;
  credentials: EmulatorCredentials;
  /** The org's Users, read live (an export's, plus the API user). */
  users: () => readonly SObjectRecord[];
  sessions: SessionStore;
  clock: () => Date;
  /** The API user's time zone (the identity service's `timezone`). */
  timezone: string;
}

export interface OAuthAnswer {
  status: number;
  body: unknown;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Audiences Salesforce takes besides the instance URL (My Domain): production and sandbox login. */
const JWT_LOGIN_AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

const oauthError = (error: string, description: string): OAuthAnswer => ({
  status: 400,
  body: { error, error_description: description },
});
const AUTHENTICATION_FAILURE = oauthError('invalid_grant', 'authentication failure');
const INVALID_CLIENT_ID = oauthError('invalid_client_id', 'client identifier invalid');
const INVALID_CLIENT = oauthError('invalid_client', 'invalid client credentials');
const INVALID_ASSERTION = oauthError('invalid_grant', 'invalid assertion');

/** `POST /services/oauth2/token`: the form fields (and a Basic header, which client_credentials allows). */
export function handleTokenRequest(
  form: URLSearchParams,
  authorization: string | undefined,
  ctx: OAuthContext,
): OAuthAnswer {
  const { credentials } = ctx;
  const grantType = form.get('grant_type');
  if (grantType === JWT_BEARER) return jwtBearerGrant(form.get('assertion') ?? '', ctx);
  const client = clientFrom(form, authorization);
  const clientProblem = (secretRequired: boolean): OAuthAnswer | undefined => {
    if (client.id !== credentials.clientId) return INVALID_CLIENT_ID;
    if ((secretRequired || client.secret !== undefined) && client.secret !== credentials.clientSecret)
      return INVALID_CLIENT;
    return undefined;
  };
  const granted = tokenResponse(ctx, ctx.userId);
  switch (grantType) {
    case 'password': {
      const expectedPassword = credentials.password + (credentials.securityToken ?? '');
      const valid = form.get('username') === credentials.username && form.get('password') === expectedPassword;
      return clientProblem(true) ?? (valid ? granted : AUTHENTICATION_FAILURE);
    }
    case 'refresh_token': {
      // The connected app may waive the secret for refresh; check it only when sent.
      const valid = form.get('refresh_token') === credentials.refreshToken;
      return clientProblem(false) ?? (valid ? granted : oauthError('invalid_grant', 'expired access/refresh token'));
    }
    case 'client_credentials':
      return clientProblem(true) ?? granted;
    default:
      return oauthError('unsupported_grant_type', 'grant type not supported');
  }
}

function clientFrom(form: URLSearchParams, authorization: string | undefined): { id?: string; secret?: string } {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '');
  if (basic) {
    const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(rest.join(':')) };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

/** Salesforce's token response, for one User; none of these four grants returns a new refresh token. */
function tokenResponse(ctx: OAuthContext, userId: string): OAuthAnswer {
  const id = identityUrl(ctx, userId);
  const issuedAt = String(ctx.clock().getTime());
  return {
    status: 200,
    body: {
      access_token: ctx.sessions.issue(userId),
      signature: createHmac('sha256', ctx.credentials.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api',
      instance_url: ctx.url,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    },
  };
}

export const identityUrl = (ctx: Pick<OAuthContext, 'url' | 'orgId'>, userId: string): string =>
  `${ctx.url}/id/${ctx.orgId}/${userId}`;

/** The active User with this username (Salesforce usernames are case-insensitive). */
function activeUser(ctx: OAuthContext, username: string): SObjectRecord | undefined {
  const lower = username.toLowerCase();
  return ctx.users().find((u) => u.IsActive === true && String(u.Username).toLowerCase() === lower);
}

interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/**
 * The RS256 assertion of the JWT bearer flow, checked as Salesforce checks it: the connected app (iss), the signature
 * against its certificate, the audience, expiry, and the user (sub: an active User's username), each refusal with
 * Salesforce's error and description. No upper bound on exp: Salesforce takes far-future ones (@salesforce/core has
 * long sent exp in milliseconds).
 */
function jwtBearerGrant(assertion: string, ctx: OAuthContext): OAuthAnswer {
  const parts = assertion.split('.');
  if (parts.length !== 3) return INVALID_ASSERTION;
  const [headerPart, payloadPart, signaturePart] = parts;
  let header: { alg?: unknown };
  let claims: JwtClaims;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as JwtClaims;
  } catch {
    return INVALID_ASSERTION;
  }
  if (header.alg !== 'RS256' || claims === null || typeof claims !== 'object') return INVALID_ASSERTION;
  if (claims.iss !== ctx.credentials.clientId) return INVALID_CLIENT_ID;
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (!signatureMatches(signed, Buffer.from(signaturePart, 'base64url'), ctx.credentials.jwtCertificatePem)) {
    return INVALID_ASSERTION;
  }
  const accepted = [ctx.url, ...JWT_LOGIN_AUDIENCES];
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && accepted.includes(aud.replace(/\/+$/, '')))) {
    return oauthError('invalid_grant', 'audience is invalid');
  }
  if (typeof claims.exp !== 'number') return INVALID_ASSERTION;
  if (claims.exp * 1000 <= ctx.clock().getTime()) return oauthError('invalid_grant', 'expired authorization code');
  const user = typeof claims.sub === 'string' ? activeUser(ctx, claims.sub) : undefined;
  if (!user) return oauthError('invalid_grant', "user hasn't approved this consumer");
  return tokenResponse(ctx, user.Id);
}

/** RS256 over the signed part, against the certificate or public key; a connected app without one takes none. */
function signatureMatches(signed: Buffer, signature: Buffer, certificatePem: string | undefined): boolean {
  if (!certificatePem) return false;
  try {
    return verify('RSA-SHA256', signed, certificatePem, signature);
  } catch {
    return false;
  }
}

/** What the identity service and userinfo both say of a User: time zone, its offset now, locale, links. */
function userFacts(ctx: OAuthContext, user: SObjectRecord) {
  const { url } = ctx;
  const dataUrl = (path: string) => `${url}/services/data/v{version}/${path}`;
  const username = String(user.Username);
  const timezone = typeof user.TimeZoneSidKey === 'string' ? user.TimeZoneSidKey : ctx.timezone;
  const now = ctx.clock().getTime();
  return {
    username,
    nickname: username.split('@')[0],
    name: String(user.Name ?? username),
    email: String(user.Email ?? username),
    timezone,
    common: {
      user_id: user.Id,
      organization_id: ctx.orgId,
      active: user.IsActive === true,
      user_type: 'STANDARD',
      language: user.LanguageLocaleKey ?? 'en_US',
      locale: user.LocaleSidKey ?? 'en_US',
      // Milliseconds from UTC now, as Salesforce gives it (-25200000 for Los Angeles in summer).
      utcOffset: wallClockMs(now, timezone) - now,
      urls: {
        rest: dataUrl(''),
        sobjects: dataUrl('sobjects/'),
        query: dataUrl('query/'),
        limits: dataUrl('limits/'),
        profile: `${url}/${user.Id}`,
      },
    },
    modified: String(user.LastModifiedDate ?? user.CreatedDate ?? new Date(now).toISOString()),
  };
}

/** `GET /id/<orgId>/<userId>`: the identity service's answer for one User of the org. */
export function identityResponse(ctx: OAuthContext, user: SObjectRecord): Record<string, unknown> {
  const facts = userFacts(ctx, user);
  return {
    id: identityUrl(ctx, user.Id),
    asserted_user: true,
    ...facts.common,
    username: facts.username,
    nick_name: facts.nickname,
    display_name: facts.name,
    email: facts.email,
    timezone: facts.timezone,
    last_modified_date: facts.modified,
  };
}

/** `GET /services/oauth2/userinfo`: OpenID Connect's claims for the token's User, with Salesforce's own beside. */
export function userInfoResponse(ctx: OAuthContext, user: SObjectRecord): Record<string, unknown> {
  const facts = userFacts(ctx, user);
  return {
    sub: identityUrl(ctx, user.Id),
    ...facts.common,
    preferred_username: facts.username,
    nickname: facts.nickname,
    name: facts.name,
    email: facts.email,
    email_verified: true,
    given_name: user.FirstName ?? null,
    family_name: user.LastName ?? facts.name,
    zoneinfo: facts.timezone,
    profile: facts.common.urls.profile,
    updated_at: facts.modified,
    is_app_installed: true,
  };
}
