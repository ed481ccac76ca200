/**
 * The embedded LMO's HTTP server: the parts of the Salesforce REST API and OAuth token service
 * the bot uses, on loopback, answering as a real org does (shapes, status codes, error bodies),
 * with fault injection and a request log for tests.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simulateOne } from './activity.js';
import {
  allOrNothing,
  halted,
  readCompositeBody,
  resolveReferences,
  type Subrequest,
  type SubrequestResult,
} from './composite.js';
import { mulberry32 } from './demo-data.js';
import {
  describeGlobal,
  describeSObject,
  isRetiredVersion,
  recordResource,
  sobjectBasicInfo,
  versions,
} from './describe.js';
import type { FaultOptions } from './faults.js';
import { decideFault, delay } from './faults.js';
import { toId18 } from './ids.js';
import { DAILY_API_REQUESTS_MAX, orgLimits } from './limits.js';
import type { EmulatorCredentials, OAuthContext } from './oauth.js';
import {
  DEMO_CREDENTIALS,
  demoJwtKeyPair,
  handleTokenRequest,
  identityResponse,
  identityUrl,
  SessionStore,
  userInfoResponse,
} from './oauth.js';
import { Org } from './org.js';
import { batchSizeFrom, QueryCursors } from './query-cursors.js';
import type { FieldDef, ObjectDef, OrgData, SObjectRecord } from './schema.js';
import { buildSchema, findField, findObject } from './schema.js';
import { extendSchema } from './schema-from-data.js';
import { formatDateTime } from './soql/dates.js';
import { executeSoqlPages, RecordIndexes, SoqlError } from './soql/index.js';
import { threadCpuMs } from './thread-cpu.js';
import { applyVisibility, type Visibility } from './visibility.js';
import { RecordWriter, WriteError } from './writes.js';

export type { FaultOptions } from './faults.js';
export type { EmulatorCredentials } from './oauth.js';

export interface EmulatorOptions {
  data: OrgData;
  /** Default true; false serves an org without the License Management App (no sfLma__* objects). */
  lmaInstalled?: boolean;
  /** Default true; false serves an org that does not track license field history (no sfLma__License__History). */
  historyTracked?: boolean;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** "Now" for TODAY and other date literals, token issue times and session TTL. */
  clock?: () => Date;
  /** The API user's time zone, in which SOQL date literals are evaluated. Default 'UTC'. */
  timezone?: string;
  /** The newest API version served. Default '62.0'. */
  apiVersion?: string;
  /** Overrides of the demo credentials. */
  credentials?: Partial<EmulatorCredentials>;
  faults?: FaultOptions;
  /** Access tokens stop working this long after issue; default: never (until expireSessions). */
  sessionTtlMs?: number;
  /** Default: the Id of the dataset's Organization record, else a fixed demo id. */
  orgId?: string;
  /** Fields and objects the API user cannot read (field-level security, object permissions). */
  visibility?: Visibility;
  /** The daily API requests left when the LMO starts (of 15,000); default all of them. Each API call spends one. */
  apiRemaining?: number;
  /**
   * Keep only about this many recent request-log entries (between this and twice this: the older ones are dropped
   * in one go when the log reaches twice the limit, so a reader's remembered `log.length` holds until then). Default:
   * every entry, as tests and the benchmark count them; a long-running embedded LMO sets it.
   */
  logLimit?: number;
  /**
   * Answer queries from field indexes (soql/indexes.ts) where they narrow the WHERE clause: the same rows, far fewer
   * records read at 100,000 licenses. Off by default: records changed in place through `org` (as tests do) would go
   * unseen by an index; writes through the REST API and simulated activity are seen.
   */
  indexes?: boolean;
}

export interface RequestLogEntry {
  at: Date;
  method: string;
  /** The path without the query string (which may hold a token). */
  path: string;
  /** The decoded SOQL of a query or queryAll request. */
  soql?: string;
  /** The HTTP status answered; 0 for a request left hanging. */
  status: number;
  /** Milliseconds from the request's arrival to its answer (injected latency included); unset while hanging. */
  servedMs?: number;
  /**
   * The CPU time of the thread serving it over the same span, ms (thread-cpu.ts: V8's helper threads left out where the
   * OS tells them apart), so a caller can tell what serving its calls cost from what the process spent between and
   * beside them; unset while hanging.
   */
  cpuMs?: number;
  /** For a query: the records its evaluation read (all of the object's, unless an index narrowed it). */
  examined?: number;
  /** For a query or a next page: the records the page answered holds (its batch). */
  returned?: number;
  /** For a composite request (one API call): each subrequest, in order, as it was served. */
  subrequests?: RequestLogEntry[];
}

export interface EmulatorHandle {
  /** http://127.0.0.1:<port>: instance URL and login URL at once. */
  url: string;
  /** A ready session token (printed by `npm run lmo`). */
  accessToken: string;
  credentials: EmulatorCredentials;
  /**
   * The private half of the key pair made for the connected app when no `jwtCertificatePem` was given: what signs a
   * JWT bearer assertion this LMO accepts. Undefined when the certificate came from outside (its holder has the key).
   */
  jwtPrivateKeyPem?: string;
  orgId: string;
  /** The API user: a User record (the dataset's with the credentials' username, else one added). */
  userId: string;
  apiVersion: string;
  /** The live data (tests may mutate records through it). */
  org: Org;
  /** Every request served (the recent ones, with `logLimit`), in order. API calls: paths starting /services/data/v. */
  log: RequestLogEntry[];
  /** API calls answered past authentication and faults: what DailyApiRequests counts. */
  apiCallCount(): number;
  setFaults(faults: FaultOptions): void;
  /** Every access token issued so far becomes invalid → 401 INVALID_SESSION_ID. */
  expireSessions(): void;
  /** What the API user may read from now on, as when an admin changes its permission sets. */
  setVisibility(visibility: Visibility): void;
  /** Makes `perMinute` simulated license changes a minute (activity.ts) until the returned stop, or close. */
  simulateActivity(perMinute: number, seed?: number): () => void;
  /** Updates a record as the REST API's PATCH does (checked, audit fields stamped, history written), without a call. */
  update(objectName: string, id: string, fields: Record<string, unknown>): void;
  /** Stops the server, releasing hanging requests; closing twice is harmless. */
  close(): Promise<void>;
}

const DEFAULT_ORG_ID = '00D000000000001EAA';
const API_USER_ID = toId18('005000000000API');

interface Answer {
  status: number;
  body: unknown;
}

const sfError = (status: number, errorCode: string, message: string): Answer => ({
  status,
  body: [{ message, errorCode }],
});
const NOT_FOUND = sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
/** SObject Collections take up to 2,000 Ids in one retrieve. */
const MAX_COLLECTION_IDS = 2000;
const noSuchColumn = (field: string, def: ObjectDef): Answer =>
  sfError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${def.name}`);
/** A retired API version (30.0 and older), as Salesforce answers it since Summer '25. */
const VERSION_GONE = sfError(410, 'GONE', 'The requested version of the API is no longer available');
/** The identity service's answer to a missing or dead token: plain text, as Salesforce sends it. */
const BAD_OAUTH_TOKEN: Answer = { status: 403, body: 'Bad_OAuth_Token' };
const INVALID_SESSION = sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
const ok = (body: unknown): Answer => ({ status: 200, body });
const NO_CONTENT: Answer = { status: 204, body: undefined };

interface ApiRequest {
  req: IncomingMessage;
  url: URL;
  /** Captures of the route pattern. */
  params: string[];
  apiVersion: string;
  entry: RequestLogEntry;
}

/** undefined: the request is left hanging on purpose (fault injection). */
type Outcome = Answer | undefined;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Route<R> {
  method: Method;
  pattern: RegExp;
  handle(request: R): Outcome | Promise<Outcome>;
}

export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? (() => new Date());
  const newestVersion = options.apiVersion ?? '62.0';
  const timezone = options.timezone ?? 'UTC';
  const given: EmulatorCredentials = { ...DEMO_CREDENTIALS, ...options.credentials };
  const madeKeys = given.jwtCertificatePem ? undefined : await demoJwtKeyPair();
  const credentials: EmulatorCredentials = madeKeys ? { ...given, jwtCertificatePem: madeKeys.publicKeyPem } : given;
  const orgId = options.orgId ?? options.data.Organization?.[0]?.Id ?? DEFAULT_ORG_ID;
  const { data, userId } = withApiUser(withOrganization(options.data, orgId), credentials.username, timezone, clock());
  const { schema } = extendSchema(
    buildSchema({ lmaInstalled: options.lmaInstalled ?? true, historyTracked: options.historyTracked }),
    data,
  );
  const org = new Org(schema, data, formatDateTime(clock().getTime()));
  const indexes = options.indexes ? new RecordIndexes(org) : undefined;
  org.setSchema(applyVisibility(schema, options.visibility));
  const writer = new RecordWriter(org, clock, userId);
  const sessions = new SessionStore(orgId, clock, options.sessionTtlMs);
  const cursors = new QueryCursors(clock);
  const servedVersions = new Set(versions(newestVersion).map((v) => v.version));
  const log: RequestLogEntry[] = [];
  const hanging = new Set<ServerResponse>();
  let faults: FaultOptions = options.faults ?? {};
  let apiCalls = 0;
  let closing: Promise<void> | undefined;
  const activities = new Set<NodeJS.Timeout>();

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  const users = () => org.records('User');
  const oauth: OAuthContext = { url, orgId, userId, credentials, users, sessions, clock, timezone };
  // Calls spent before this LMO started: what is left today is what --api-remaining says.
  const spentBefore =
    DAILY_API_REQUESTS_MAX - Math.min(options.apiRemaining ?? DAILY_API_REQUESTS_MAX, DAILY_API_REQUESTS_MAX);

  const runQuery = (request: ApiRequest): Answer => {
    const soql = request.url.searchParams.get('q');
    if (!soql) return sfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    request.entry.soql = soql;
    const includeDeleted = /\/queryAll\/?$/.test(request.url.pathname);
    const examined = { rows: 0 };
    const result = executeSoqlPages(org, soql, {
      now: clock(),
      timezone,
      apiVersion: request.apiVersion,
      includeDeleted,
      indexes,
      examined,
    });
    request.entry.examined = examined.rows;
    const batchSize = batchSizeFrom(headerValue(request.req, 'sforce-query-options'));
    const page = cursors.firstPage(result, batchSize, request.apiVersion);
    request.entry.returned = page.records.length;
    return ok(page);
  };
  const nextQueryPage = (request: ApiRequest): Answer => {
    const page = cursors.nextPage(request.params[0], request.apiVersion);
    if (!page) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    request.entry.returned = page.records.length;
    return ok(page);
  };

  /** Records of one object by Id, in the order asked, null for an Id that is not one of them. */
  const retrieveMany = (type: string, ids: unknown, fieldNames: unknown, apiVersion: string): Answer => {
    const def = findObject(org.schema, type);
    if (!def) return NOT_FOUND;
    const isList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (!isList(ids) || ids.length === 0)
      return sfError(400, 'MISSING_ARGUMENT', 'ids: the list of record Ids is required');
    if (!isList(fieldNames) || fieldNames.length === 0) {
      return sfError(400, 'MISSING_ARGUMENT', 'fields: the list of fields to retrieve is required');
    }
    if (ids.length > MAX_COLLECTION_IDS) {
      return sfError(400, 'EXCEEDED_ID_LIMIT', `Up to ${MAX_COLLECTION_IDS} ids can be retrieved at once`);
    }
    const fields = selectedFields(def, fieldNames.join(','));
    if ('unknown' in fields) return noSuchColumn(fields.unknown, def);
    return ok(
      ids.map((id) => {
        const found = org.get(id);
        return found?.objectName === def.name ? recordResource(org, def, found.record, apiVersion, fields.known) : null;
      }),
    );
  };

  /** One subrequest of a composite, served by the API route its resolved URL names (GET only: the bot only reads). */
  const serveSubrequest = async (sub: Subrequest, parent: ApiRequest): Promise<SubrequestResult> => {
    const entry: RequestLogEntry = { at: clock(), method: sub.method, path: sub.url.split('?')[0], status: 0 };
    parent.entry.subrequests?.push(entry);
    const answer = await Promise.resolve()
      .then((): Outcome | Promise<Outcome> => {
        const subUrl = new URL(sub.url, url);
        entry.path = subUrl.pathname;
        const version = /^\/services\/data\/v([^/]+)(\/.*)?$/.exec(subUrl.pathname);
        if (!version || !servedVersions.has(version[1])) return NOT_FOUND;
        if (sub.method !== 'GET')
          return sfError(
            405,
            'METHOD_NOT_ALLOWED',
            'The embedded LMO runs GET subrequests only (it is read by the bot)',
          );
        const routed = match(apiRoutes, 'GET', version[2] ?? '/');
        if (!('route' in routed)) return routed.answer;
        const headers = { ...sub.httpHeaders, authorization: parent.req.headers.authorization };
        const req = { method: 'GET', headers } as unknown as IncomingMessage;
        return routed.route.handle({ req, url: subUrl, params: routed.params, apiVersion: version[1], entry });
      })
      .catch((error: unknown) => errorAnswer(error));
    const served = answer ?? sfError(500, 'UNKNOWN_EXCEPTION', 'The subrequest was not answered');
    entry.status = served.status;
    return { body: served.body, httpHeaders: {}, httpStatusCode: served.status, referenceId: sub.referenceId };
  };

  const runComposite = async (request: ApiRequest): Promise<Answer> => {
    const composite = readCompositeBody(await readJson(request.req));
    if ('error' in composite) return sfError(400, composite.errorCode, composite.error);
    request.entry.subrequests = [];
    const results = new Map<string, SubrequestResult>();
    for (const sub of composite.subrequests) {
      const resolved = resolveReferences(sub.url, results);
      let result: SubrequestResult;
      if ('failed' in resolved) {
        request.entry.subrequests.push({ at: clock(), method: sub.method, path: sub.url, status: 400 });
        result = halted(sub.referenceId, resolved.failed);
      } else result = await serveSubrequest({ ...sub, url: resolved.url }, request);
      results.set(sub.referenceId, result);
      // Salesforce stops at the first failure when all must succeed.
      if (composite.allOrNone && result.httpStatusCode >= 400) break;
    }
    const answered = composite.subrequests.map(
      (sub) =>
        results.get(sub.referenceId) ??
        halted(
          sub.referenceId,
          'The transaction was rolled back since another operation in the same transaction failed.',
        ),
    );
    return ok({ compositeResponse: composite.allOrNone ? allOrNothing(answered) : answered });
  };

  const apiRoutes: Route<ApiRequest>[] = [
    {
      method: 'GET',
      pattern: /^\/?$/,
      handle: ({ apiVersion, req }) => {
        const base = `/services/data/v${apiVersion}`;
        return ok({
          sobjects: `${base}/sobjects`,
          query: `${base}/query`,
          queryAll: `${base}/queryAll`,
          limits: `${base}/limits`,
          identity: identityUrl(oauth, sessions.userOf(bearerToken(req)) ?? userId),
        });
      },
    },
    { method: 'GET', pattern: /^\/(?:query|queryAll)\/?$/, handle: runQuery },
    { method: 'GET', pattern: /^\/(?:query|queryAll)\/([^/]+)$/, handle: nextQueryPage },
    {
      method: 'GET',
      pattern: /^\/sobjects\/?$/,
      handle: ({ apiVersion }) => ok(describeGlobal(org.schema, apiVersion)),
    },
    {
      method: 'GET',
      pattern: /^\/sobjects\/([^/]+)\/?$/,
      handle: ({ params, apiVersion }) => {
        const def = findObject(org.schema, params[0]);
        return def ? ok(sobjectBasicInfo(def, apiVersion)) : NOT_FOUND;
      },
    },
    {
      method: 'GET',
      pattern: /^\/sobjects\/([^/]+)\/describe\/?$/,
      handle: ({ params, apiVersion }) => {
        const def = findObject(org.schema, params[0]);
        return def ? ok(describeSObject(def, apiVersion)) : NOT_FOUND;
      },
    },
    {
      method: 'GET',
      pattern: /^\/sobjects\/([^/]+)\/([^/]+)$/,
      handle: ({ params, apiVersion, url: requestUrl }) => {
        const def = findObject(org.schema, params[0]);
        const found = def ? org.get(params[1]) : undefined;
        if (!def || !found || found.objectName !== def.name) return NOT_FOUND;
        const fields = selectedFields(def, requestUrl.searchParams.get('fields'));
        if ('unknown' in fields) return noSuchColumn(fields.unknown, def);
        return ok(recordResource(org, def, found.record, apiVersion, fields.known));
      },
    },
    { method: 'POST', pattern: /^\/composite\/?$/, handle: runComposite },
    // SObject Collections retrieve (jsforce's retrieve([ids])): ids and fields in a JSON body, or in the query string.
    {
      method: 'POST',
      pattern: /^\/composite\/sobjects\/([^/]+)\/?$/,
      handle: async ({ req, params, apiVersion }) => {
        const body = (await readJson(req)) as { ids?: unknown; fields?: unknown } | null;
        return retrieveMany(params[0], body?.ids, body?.fields, apiVersion);
      },
    },
    {
      method: 'GET',
      pattern: /^\/composite\/sobjects\/([^/]+)\/?$/,
      handle: ({ params, url: requestUrl, apiVersion }) => {
        const list = (name: string) =>
          requestUrl.searchParams
            .get(name)
            ?.split(',')
            .map((v) => v.trim());
        return retrieveMany(params[0], list('ids'), list('fields'), apiVersion);
      },
    },
    {
      method: 'POST',
      pattern: /^\/sobjects\/([^/]+)\/?$/,
      handle: async ({ req, params }) => {
        const id = writer.create(params[0], await readJson(req));
        return { status: 201, body: { id, success: true, errors: [] } };
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/sobjects\/([^/]+)\/([^/]+)$/,
      handle: async ({ req, params }) => {
        writer.update(params[0], params[1], await readJson(req));
        return NO_CONTENT;
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/sobjects\/([^/]+)\/([^/]+)$/,
      handle: ({ params }) => {
        writer.destroy(params[0], params[1]);
        return NO_CONTENT;
      },
    },
    {
      method: 'GET',
      pattern: /^\/limits\/?$/,
      handle: () => ok(orgLimits(DAILY_API_REQUESTS_MAX - spentBefore - apiCalls)),
    },
  ];

  /** Faults, then the session, then the route: a hanging request resolves to undefined. */
  const serveApi = async (request: ApiRequest, res: ServerResponse): Promise<Outcome> => {
    if (!servedVersions.has(request.apiVersion)) return isRetiredVersion(request.apiVersion) ? VERSION_GONE : NOT_FOUND;
    await delay(faults.latencyMs ?? 0);
    const fault = decideFault(faults);
    if (fault.kind === 'hang') {
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      return undefined;
    }
    if (fault.kind === 'error') return sfError(fault.status, fault.errorCode, fault.message);
    if (!sessions.isValid(bearerToken(request.req))) return INVALID_SESSION;
    const routed = match(apiRoutes, request.req.method, request.url.pathname.replace(/^\/services\/data\/v[^/]+/, ''));
    if (!('route' in routed)) return routed.answer;
    apiCalls += 1;
    res.setHeader('Sforce-Limit-Info', `api-usage=${spentBefore + apiCalls}/${DAILY_API_REQUESTS_MAX}`);
    return routed.route.handle({ ...request, params: routed.params });
  };

  interface TopRequest {
    req: IncomingMessage;
    res: ServerResponse;
    url: URL;
    params: string[];
    entry: RequestLogEntry;
  }
  const topRoutes: Route<TopRequest>[] = [
    {
      method: 'POST',
      pattern: /^\/services\/oauth2\/token\/?$/,
      handle: async ({ req }) => {
        const form = new URLSearchParams(await readBody(req));
        return handleTokenRequest(form, headerValue(req, 'authorization'), oauth);
      },
    },
    {
      method: 'GET',
      pattern: /^\/id\/([^/]+)\/([^/]+)\/?$/,
      handle: ({ req, url: requestUrl, params }) => {
        if (!sessions.isValid(identityToken(req, requestUrl))) return BAD_OAUTH_TOKEN;
        const user = params[0] === orgId ? userRecord(org, params[1]) : undefined;
        return user ? ok(identityResponse(oauth, user)) : NOT_FOUND;
      },
    },
    {
      method: 'GET',
      pattern: /^\/services\/oauth2\/userinfo\/?$/,
      handle: ({ req, url: requestUrl }) => {
        const user = userRecord(org, sessions.userOf(identityToken(req, requestUrl)));
        return user ? ok(userInfoResponse(oauth, user)) : BAD_OAUTH_TOKEN;
      },
    },
    { method: 'GET', pattern: /^\/services\/data\/?$/, handle: () => ok(versions(newestVersion)) },
    // Every method reaches the API routes, which answer 405 for one a path does not take.
    ...(['GET', 'POST', 'PATCH', 'DELETE'] as const).map(
      (method): Route<TopRequest> => ({
        method,
        pattern: /^\/services\/data\/v([^/]+)(?:\/.*)?$/,
        handle: ({ req, res, url: requestUrl, params, entry }) =>
          serveApi({ req, url: requestUrl, params: [], apiVersion: params[0], entry }, res),
      }),
    ),
  ];

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestUrl = new URL(req.url ?? '/', url);
    const arrived = performance.now();
    const cpuAtArrival = threadCpuMs();
    const entry: RequestLogEntry = { at: clock(), method: req.method ?? 'GET', path: requestUrl.pathname, status: 0 };
    log.push(entry);
    if (options.logLimit !== undefined && log.length >= 2 * options.logLimit)
      log.splice(0, log.length - options.logLimit);
    const routed = match(topRoutes, req.method, requestUrl.pathname);
    const answer =
      'route' in routed
        ? Promise.resolve().then(() => routed.route.handle({ req, res, url: requestUrl, params: routed.params, entry }))
        : Promise.resolve(routed.answer);
    answer
      .catch((error: unknown) => errorAnswer(error))
      .then((result: Outcome) => {
        if (!result) return;
        entry.status = result.status;
        send(res, result);
        entry.servedMs = performance.now() - arrived;
        entry.cpuMs = threadCpuMs() - cpuAtArrival;
      });
  });

  return {
    url,
    accessToken: sessions.issue(userId),
    credentials,
    jwtPrivateKeyPem: madeKeys?.privateKeyPem,
    orgId,
    userId,
    apiVersion: newestVersion,
    org,
    log,
    apiCallCount: () => apiCalls,
    setFaults: (next) => {
      faults = next;
    },
    expireSessions: () => sessions.expireAll(),
    setVisibility: (visibility) => org.setSchema(applyVisibility(schema, visibility)),
    simulateActivity: (perMinute, seed = 1) => {
      const random = mulberry32(seed);
      const timer = setInterval(() => simulateOne(org, writer, random, clock()), 60_000 / perMinute);
      timer.unref();
      activities.add(timer);
      return () => {
        clearInterval(timer);
        activities.delete(timer);
      };
    },
    update: (objectName, id, fields) => writer.update(objectName, id, fields),
    close: () => {
      for (const timer of activities) clearInterval(timer);
      closing ??= new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.destroy();
        hanging.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The SOQL of every query the log holds, in order: a composite request's subrequests' as well as plain queries'. */
export function loggedQueries(log: readonly RequestLogEntry[]): string[] {
  return log.flatMap((entry) => [entry, ...(entry.subrequests ?? [])].flatMap((e) => (e.soql ? [e.soql] : [])));
}

/** Every org has its one Organization record; an export rarely carries it, so one stands in. */
function withOrganization(data: OrgData, orgId: string): OrgData {
  if ((data.Organization?.length ?? 0) > 0) return data;
  const organization = { Id: orgId, Name: 'Embedded LMO', OrganizationType: 'Enterprise Edition', IsSandbox: false };
  return { ...data, Organization: [organization] };
}

/**
 * The API user: the dataset's active User with the credentials' username, else one added for it (an export rarely
 * holds the integration user), in the API user's time zone.
 */
function withApiUser(data: OrgData, username: string, timezone: string, now: Date): { data: OrgData; userId: string } {
  const lower = username.toLowerCase();
  const found = data.User?.find((u) => u.IsActive === true && String(u.Username).toLowerCase() === lower);
  if (found) return { data, userId: found.Id };
  const created = formatDateTime(now.getTime());
  const apiUser = {
    Id: API_USER_ID,
    Username: username,
    Name: 'LMA Bot Integration',
    FirstName: 'LMA Bot',
    LastName: 'Integration',
    Alias: 'lmabot',
    Email: username,
    IsActive: true,
    TimeZoneSidKey: timezone,
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    UserType: 'Standard',
    CreatedDate: created,
  };
  return { data: { ...data, User: [...(data.User ?? []), apiUser] }, userId: API_USER_ID };
}

/** A User of the org by Id; undefined for anything else. */
function userRecord(org: Org, id: string | undefined): SObjectRecord | undefined {
  const found = id === undefined ? undefined : org.get(id);
  return found?.objectName === 'User' ? found.record : undefined;
}

/** The identity service and userinfo take the token as a header or as `oauth_token` (as jsforce sends it). */
function identityToken(req: IncomingMessage, requestUrl: URL): string | undefined {
  return requestUrl.searchParams.get('oauth_token') ?? bearerToken(req);
}

/** The route for a method and path; a known path with another method is Salesforce's 405. */
function match<R>(
  routes: Route<R>[],
  method: string | undefined,
  path: string,
): { route: Route<R>; params: string[] } | { answer: Answer } {
  const onPath = routes.map((route) => ({ route, found: route.pattern.exec(path) })).filter((r) => r.found);
  const exact = onPath.find((r) => r.route.method === method);
  if (exact?.found) return { route: exact.route, params: exact.found.slice(1).map(decodePathPart) };
  if (onPath.length === 0) return { answer: NOT_FOUND };
  const allowed = [...new Set(onPath.map((r) => r.route.method))].join(',');
  return { answer: sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`) };
}

/** A malformed escape stays as sent (and then matches nothing) rather than failing the request. */
function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function errorAnswer(error: unknown): Answer {
  if (error instanceof SoqlError) return sfError(400, error.errorCode, error.message);
  if (error instanceof WriteError) {
    return {
      status: error.status,
      body: [{ message: error.message, errorCode: error.errorCode, fields: error.fields }],
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return sfError(500, 'UNKNOWN_EXCEPTION', `The embedded LMO failed: ${message}`);
}

/** `?fields=A,B` of a record GET: those fields (case-insensitive), or every field. */
function selectedFields(def: ObjectDef, list: string | null): { known: FieldDef[] } | { unknown: string } {
  if (!list) return { known: def.fields };
  const known: FieldDef[] = [];
  for (const name of list.split(',').map((n) => n.trim())) {
    const field = findField(def, name);
    if (!field) return { unknown: name };
    known.push(field);
  }
  return { known };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Salesforce takes the session as `Bearer <token>` or the older `OAuth <token>`. */
function bearerToken(req: IncomingMessage): string | undefined {
  return /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(headerValue(req, 'authorization') ?? '')?.[1];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A write's JSON body; one that does not parse is Salesforce's JSON_PARSER_ERROR. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw new WriteError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${text.slice(0, 40)}`);
  }
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  if (answer.body === undefined) {
    res.writeHead(answer.status);
    res.end();
    return;
  }
  const text = typeof answer.body === 'string';
  // Encoded once: its length is then known, where measuring the text and writing it would encode a page twice.
  const payload = Buffer.from(text ? (answer.body as string) : JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    'Content-Type': text ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8',
    'Content-Length': payload.length,
  });
  res.end(payload);
}
