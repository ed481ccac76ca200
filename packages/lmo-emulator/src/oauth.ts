/**
 * The embedded LMO's OAuth 2.0 token service and identity URL: the four grant types the bot
 * uses, with Salesforce's token response and its error answers, and the sessions they issue.
 */
import { createHmac, randomBytes, verify } from 'node:crypto';

export interface EmulatorCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  securityToken?: string;
  refreshToken: string;
  /** When set, JWT bearer assertions must be signed with the matching private key. */
  jwtPublicKeyPem?: string;
}

/** Credentials of the demo org; fine to publish, it only ever listens on loopback. */
export const DEMO_CREDENTIALS: EmulatorCredentials = {
  clientId: 'lma-bot-demo-client-id',
  clientSecret: 'lma-bot-demo-client-secret',
  username: 'lma-bot@demo.example.com',
  password: 'demo-password',
  refreshToken: 'demo-refresh-token',
};

/** Access tokens issued by this server; all of them can be invalidated at once. */
export class SessionStore {
  private readonly issuedAt = new Map<string, number>();

  constructor(
    private readonly orgId: string,
    private readonly clock: () => Date,
    private readonly ttlMs: number | undefined,
  ) {}

  issue(): string {
    // Salesforce access tokens are "<15-char org id>!<opaque>".
    const token = `${this.orgId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
    this.issuedAt.set(token, this.clock().getTime());
    return token;
  }

  isValid(token: string | undefined): boolean {
    if (!token) return false;
    const issued = this.issuedAt.get(token);
    if (issued === undefined) return false;
    return this.ttlMs === undefined || this.clock().getTime() - issued < this.ttlMs;
  }

  expireAll(): void {
    this.issuedAt.clear();
  }
}

export interface OAuthContext {
  /** The server's own URL: instance URL, login URL (JWT audience) and identity host at once. */
  url: string;
  orgId: string;
  userId: string;
  credentials: EmulatorCredentials;
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

const oauthError = (error: string, description: string): OAuthAnswer => ({
  status: 400,
  body: { error, error_description: description },
});
const AUTHENTICATION_FAILURE = oauthError('invalid_grant', 'authentication failure');
const INVALID_CLIENT_ID = oauthError('invalid_client_id', 'client identifier invalid');
const INVALID_CLIENT = oauthError('invalid_client', 'invalid client credentials');

/** `POST /services/oauth2/token`: the form fields (and a Basic header, which client_credentials allows). */
export function handleTokenRequest(
  form: URLSearchParams,
  authorization: string | undefined,
  ctx: OAuthContext,
): OAuthAnswer {
  const { credentials } = ctx;
  const grantType = form.get('grant_type');
  if (grantType === JWT_BEARER) {
    const problem = jwtAssertionProblem(form.get('assertion') ?? '', ctx);
    return problem ?? tokenResponse(ctx);
  }
  const client = clientFrom(form, authorization);
  const clientProblem = (secretRequired: boolean): OAuthAnswer | undefined => {
    if (client.id !== credentials.clientId) return INVALID_CLIENT_ID;
    if ((secretRequired || client.secret !== undefined) && client.secret !== credentials.clientSecret)
      return INVALID_CLIENT;
    return undefined;
  };
  switch (grantType) {
    case 'password': {
      const expectedPassword = credentials.password + (credentials.securityToken ?? '');
      const valid = form.get('username') === credentials.username && form.get('password') === expectedPassword;
      return clientProblem(true) ?? (valid ? tokenResponse(ctx) : AUTHENTICATION_FAILURE);
    }
    case 'refresh_token': {
      // The connected app may waive the secret for refresh; check it only when sent.
      const valid = form.get('refresh_token') === credentials.refreshToken;
      return (
        clientProblem(false) ??
        (valid ? tokenResponse(ctx) : oauthError('invalid_grant', 'expired access/refresh token'))
      );
    }
    case 'client_credentials':
      return clientProblem(true) ?? tokenResponse(ctx);
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

/** Salesforce's token response; none of these four grants returns a new refresh token. */
function tokenResponse(ctx: OAuthContext): OAuthAnswer {
  const id = identityUrl(ctx);
  const issuedAt = String(ctx.clock().getTime());
  return {
    status: 200,
    body: {
      access_token: ctx.sessions.issue(),
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

export const identityUrl = (ctx: Pick<OAuthContext, 'url' | 'orgId' | 'userId'>): string =>
  `${ctx.url}/id/${ctx.orgId}/${ctx.userId}`;

/** The RS256 assertion's checks, in the order Salesforce reports them; undefined when it is good. */
function jwtAssertionProblem(assertion: string, ctx: OAuthContext): OAuthAnswer | undefined {
  const invalidAssertion = oauthError('invalid_grant', 'invalid assertion');
  const parts = assertion.split('.');
  if (parts.length !== 3) return invalidAssertion;
  const [headerPart, payloadPart, signaturePart] = parts;
  let header: { alg?: unknown };
  let claims: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return invalidAssertion;
  }
  if (header.alg !== 'RS256') return invalidAssertion;
  if (claims.iss !== ctx.credentials.clientId) return INVALID_CLIENT_ID;
  const publicKey = ctx.credentials.jwtPublicKeyPem;
  if (publicKey) {
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    let good = false;
    try {
      good = verify('RSA-SHA256', signed, publicKey, Buffer.from(signaturePart, 'base64url'));
    } catch {
      good = false;
    }
    if (!good) return invalidAssertion;
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && aud.replace(/\/+$/, '') === ctx.url)) {
    return oauthError('invalid_grant', 'audience is invalid');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.clock().getTime()) return invalidAssertion;
  if (claims.sub !== ctx.credentials.username) return oauthError('invalid_grant', "user hasn't approved this consumer");
  return undefined;
}

/** `GET /id/<orgId>/<userId>`: the identity service's answer for the API user. */
export function identityResponse(ctx: OAuthContext): Record<string, unknown> {
  const { url, orgId, userId, credentials } = ctx;
  const dataUrl = (path: string) => `${url}/services/data/v{version}/${path}`;
  return {
    id: identityUrl(ctx),
    asserted_user: true,
    user_id: userId,
    organization_id: orgId,
    username: credentials.username,
    nick_name: credentials.username.split('@')[0],
    display_name: 'LMA Bot Integration',
    email: credentials.username,
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    timezone: ctx.timezone,
    utcOffset: 0,
    last_modified_date: ctx.clock().toISOString().replace('Z', '+0000'),
    urls: {
      rest: dataUrl(''),
      sobjects: dataUrl('sobjects/'),
      query: dataUrl('query/'),
      limits: dataUrl('limits/'),
      profile: `${url}/${userId}`,
    },
  };
}
