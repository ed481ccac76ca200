/**
 * The one place that makes the jsforce Connection to an LMO, for each way of signing in, with
 * session renewal where the flow allows it. Tokens, secrets and keys never reach a log line or
 * an error message.
 */

import { sign } from 'node:crypto';
import type { Callback, ConnectionConfig, HttpRequest, StreamPromise, TokenResponse } from 'jsforce';
// jsforce's core: its index also loads the Bulk, Metadata, SOAP, Streaming… APIs the bot never calls (10 MB of RSS).
import { Connection, OAuth2 } from 'jsforce/lib/core.js';
import { trimEndWhere } from '../util/trim-end.js';

export type SalesforceAuth =
  | { kind: 'session'; instanceUrl: string; accessToken: string }
  | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKeyPem: string }
  | { kind: 'refresh'; loginUrl: string; clientId: string; clientSecret: string; refreshToken: string }
  | {
      kind: 'password';
      loginUrl: string;
      clientId: string;
      clientSecret: string;
      username: string;
      password: string;
      securityToken?: string;
    };

export interface LmoConnection {
  connection: Connection;
  /** Where, never a token: "https://acme.my.salesforce.com (JWT bearer flow as bot@acme.com)". */
  describe: string;
}

export interface ConnectOptions {
  apiVersion: string;
  logger?: { info(msg: string): void };
  /** What the JWT's expiry counts from; default the system clock. */
  clock?: () => Date;
}

type GrantAuth = Exclude<SalesforceAuth, { kind: 'session' }>;

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Salesforce accepts assertions up to 3 minutes ahead. */
const JWT_LIFETIME_SECONDS = 180;

export const FLOW_NAMES: Record<SalesforceAuth['kind'], string> = {
  session: 'access-token session',
  jwt: 'JWT bearer flow',
  refresh: 'refresh-token flow',
  password: 'username-password flow',
};

/**
 * What each JWT refusal means, by Salesforce's error description: the one thing to fix. Descriptions it does not use
 * for the JWT flow fall back to the flow's list (GRANT_HINTS).
 */
const JWT_REFUSAL_HINTS = new Map<string, string>([
  ['client identifier invalid', 'SF_CLIENT_ID is not the consumer key of a connected app in this org'],
  [
    'invalid assertion',
    'the connected app does not hold the certificate of SF_PRIVATE_KEY: upload the certificate made with that key ' +
      'under "Use digital signatures"',
  ],
  [
    'audience is invalid',
    "SF_LOGIN_URL must be https://login.salesforce.com, https://test.salesforce.com (sandboxes) or the org's My Domain URL",
  ],
  [
    'expired authorization code',
    "the assertion had expired when Salesforce read it: this machine's clock is behind, so set it right (NTP)",
  ],
  [
    "user hasn't approved this consumer",
    'SF_USERNAME must be an active user pre-authorized for the connected app (Permitted Users: "Admin approved users ' +
      'are pre-authorized", and the user\'s profile or permission set added to the app)',
  ],
]);

/** What to check when a grant is refused, by flow: names of settings, never their values. */
const GRANT_HINTS: Record<GrantAuth['kind'], string> = {
  jwt:
    'check SF_CLIENT_ID and SF_USERNAME, that the connected app holds the certificate of SF_PRIVATE_KEY, ' +
    'that the user is pre-authorized for the app, and SF_LOGIN_URL (test.salesforce.com for sandboxes)',
  refresh: 'check SF_CLIENT_ID and SF_CLIENT_SECRET, and that SF_REFRESH_TOKEN has not been revoked',
  password:
    'check SF_CLIENT_ID, SF_CLIENT_SECRET, SF_USERNAME, SF_PASSWORD and SF_SECURITY_TOKEN, ' +
    'and SF_LOGIN_URL (test.salesforce.com for sandboxes)',
};

export const SESSION_CANNOT_RENEW =
  'The Salesforce session (SF_ACCESS_TOKEN) has expired or is invalid and cannot be renewed: ' +
  're-authenticate: set a new SF_ACCESS_TOKEN, or configure a flow that renews itself (JWT bearer or refresh token).';

/** Signs in (except for a ready session) and returns a Connection that renews its session on 401. */
export async function connectToLmo(auth: SalesforceAuth, options: ConnectOptions): Promise<LmoConnection> {
  const version = options.apiVersion;
  if (auth.kind === 'session') {
    const connection = new RenewOnceConnection(
      { instanceUrl: auth.instanceUrl, accessToken: auth.accessToken, version },
      () => Promise.reject(new Error(SESSION_CANNOT_RENEW)),
    );
    return { connection, describe: `${auth.instanceUrl} (${FLOW_NAMES.session})` };
  }
  const oauth2 = oauth2For(auth);
  const clock = options.clock ?? (() => new Date());
  const token = await runGrant(auth, oauth2, clock);
  // Renewal re-runs the flow's grant: a new assertion, the password again, or jsforce's OAuth2 refresh.
  const connection = new RenewOnceConnection(
    { oauth2, instanceUrl: token.instance_url, accessToken: token.access_token, version },
    () => runGrant(auth, oauth2, clock),
  );
  connection.on('refresh', () => options.logger?.info(`Salesforce session renewed (${FLOW_NAMES[auth.kind]}).`));
  const who = 'username' in auth ? ` as ${auth.username}` : '';
  return { connection, describe: `${token.instance_url} (${FLOW_NAMES[auth.kind]}${who})` };
}

/**
 * A Connection that renews its session through jsforce's `refreshFn`, at most once per failing
 * call: jsforce retries after every successful renewal, so a server that refuses even fresh
 * tokens would otherwise make it renew forever.
 */
class RenewOnceConnection extends Connection {
  private renewedSinceSuccess = false;

  constructor(
    config: Omit<ConnectionConfig, 'refreshFn' | 'refreshToken'>,
    private readonly renew: () => Promise<TokenResponse>,
  ) {
    // jsforce hands refreshFn the connection itself.
    super({ ...config, refreshFn: (conn, callback) => (conn as RenewOnceConnection).renewOnce(callback) });
  }

  override request<R = unknown>(request: string | HttpRequest, options?: object): StreamPromise<R> {
    const pending = super.request<R>(request, options);
    pending.then(
      () => {
        this.renewedSinceSuccess = false;
      },
      () => undefined,
    );
    return pending;
  }

  private renewOnce(callback: Callback<string, TokenResponse>): void {
    if (this.renewedSinceSuccess) {
      this.renewedSinceSuccess = false;
      callback(new Error('The LMO refused the renewed session as well; check the connected app and the API user.'));
      return;
    }
    this.renewedSinceSuccess = true;
    this.renew().then(
      (token) => {
        this.instanceUrl = token.instance_url;
        callback(null, token.access_token, token);
      },
      (error: Error) => callback(error),
    );
  }
}

function oauth2For(auth: GrantAuth): OAuth2 {
  const loginUrl = trimEndWhere(auth.loginUrl, (c) => c === '/');
  // The JWT flow names its client inside the assertion; sending client_id as well is not part of the flow.
  return auth.kind === 'jwt'
    ? new OAuth2({ loginUrl })
    : new OAuth2({ loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret });
}

/** One token request for the flow; a refusal becomes an error that says what to check. */
async function runGrant(auth: GrantAuth, oauth2: OAuth2, clock: () => Date): Promise<TokenResponse> {
  try {
    switch (auth.kind) {
      case 'jwt': {
        const assertion = jwtAssertion(auth, oauth2.loginUrl, clock());
        return await oauth2.requestToken({ grant_type: JWT_BEARER, assertion });
      }
      case 'refresh':
        return await oauth2.refreshToken(auth.refreshToken);
      case 'password':
        return await oauth2.authenticate(auth.username, auth.password + (auth.securityToken ?? ''));
    }
  } catch (error) {
    // OAuth errors carry Salesforce's code as the name and its description as the message: no secrets.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const jwtHint = auth.kind === 'jwt' && error instanceof Error ? JWT_REFUSAL_HINTS.get(error.message) : undefined;
    const hint = jwtHint ?? GRANT_HINTS[auth.kind];
    throw new Error(
      `Could not sign in to Salesforce at ${oauth2.loginUrl} with the ${FLOW_NAMES[auth.kind]} (${reason}); ${hint}.`,
      { cause: error },
    );
  }
}

/** The RS256-signed assertion of the JWT bearer flow: iss = client, sub = user, aud = login URL. */
function jwtAssertion(auth: Extract<SalesforceAuth, { kind: 'jwt' }>, audience: string, now: Date): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const claims = {
    iss: auth.clientId,
    sub: auth.username,
    aud: audience,
    exp: Math.floor(now.getTime() / 1000) + JWT_LIFETIME_SECONDS,
  };
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  let signature: Buffer;
  try {
    signature = sign('RSA-SHA256', Buffer.from(unsigned), auth.privateKeyPem);
  } catch {
    throw new Error(
      'The JWT private key (SF_PRIVATE_KEY or SF_PRIVATE_KEY_FILE) cannot sign: is it an RSA private key in PEM form?',
    );
  }
  return `${unsigned}.${signature.toString('base64url')}`;
}
