/**
 * The Composite resource (`POST /services/data/vXX.X/composite`) as Salesforce checks it: up to 25 subrequests, at
 * most 5 of them queries (query, queryAll, or a query locator's next page), each with a unique reference Id of
 * letters, digits and underscores; a later subrequest's URL may name an earlier one's result as `@{ref.path}`
 * (`.field` and `[index]`). A reference with no value fails that subrequest with PROCESSING_HALTED, as a subrequest
 * that depends on a failed one does; with `allOrNone` any failure fails them all. The whole counts as one API call.
 */

export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_SUBREQUESTS = 5;

export interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  httpHeaders: Record<string, string>;
}

export interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

export type CompositeBody = { allOrNone: boolean; subrequests: Subrequest[] } | { error: string; errorCode: string };

const REFERENCE_ID = /^[A-Za-z0-9][A-Za-z0-9_]*$/;
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;
const QUERY_PATH = /^\/services\/data\/v[^/]+\/(?:query|queryAll)(?:\/|\?|$)/;

/** The request body checked as Salesforce checks it before running anything: its subrequests, or why not. */
export function readCompositeBody(json: unknown): CompositeBody {
  const invalid = (error: string) => ({ error, errorCode: 'INVALID_INPUT' });
  if (typeof json !== 'object' || json === null) return invalid('The composite request body must be a JSON object');
  const { allOrNone = false, compositeRequest } = json as { allOrNone?: unknown; compositeRequest?: unknown };
  if (typeof allOrNone !== 'boolean') return invalid('allOrNone must be true or false');
  if (!Array.isArray(compositeRequest) || compositeRequest.length === 0)
    return invalid('compositeRequest must list at least one subrequest');
  if (compositeRequest.length > MAX_SUBREQUESTS)
    return {
      error: `A composite request takes up to ${MAX_SUBREQUESTS} subrequests`,
      errorCode: 'LIMIT_EXCEEDED',
    };
  const subrequests: Subrequest[] = [];
  const seen = new Set<string>();
  for (const raw of compositeRequest as unknown[]) {
    const sub = (raw ?? {}) as { method?: unknown; url?: unknown; referenceId?: unknown; httpHeaders?: unknown };
    if (typeof sub.method !== 'string' || typeof sub.url !== 'string')
      return invalid('Each subrequest needs a method and a url');
    if (typeof sub.referenceId !== 'string' || !REFERENCE_ID.test(sub.referenceId))
      return invalid(
        `Provided referenceId ('${String(sub.referenceId)}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
      );
    if (seen.has(sub.referenceId)) return invalid(`Duplicate referenceId ${sub.referenceId}`);
    seen.add(sub.referenceId);
    if (!sub.url.startsWith('/services/data/v') && !sub.url.startsWith('@{'))
      return invalid(`The url of ${sub.referenceId} must start with /services/data/vXX.X/`);
    const headers = (typeof sub.httpHeaders === 'object' && sub.httpHeaders) || {};
    subrequests.push({
      method: sub.method,
      url: sub.url,
      referenceId: sub.referenceId,
      httpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    });
  }
  const queries = subrequests.filter((s) => isQuerySubrequest(s.url)).length;
  if (queries > MAX_QUERY_SUBREQUESTS)
    return {
      error: `A composite request takes up to ${MAX_QUERY_SUBREQUESTS} query operations (query, queryAll, query more); it had ${queries}`,
      errorCode: 'LIMIT_EXCEEDED',
    };
  return { allOrNone, subrequests };
}

/** A query, a queryAll or a next page; a URL that is a reference is one (it can only be a locator Salesforce gave). */
function isQuerySubrequest(url: string): boolean {
  return QUERY_PATH.test(url) || url.startsWith('@{');
}

/** The URL with each `@{ref.path}` replaced by that earlier result's value, or the failure Salesforce answers. */
export function resolveReferences(
  url: string,
  results: ReadonlyMap<string, SubrequestResult>,
): { url: string } | { failed: string } {
  let failed: string | undefined;
  const resolved = url.replace(REFERENCE, (whole, ref: string, path: string) => {
    const value = valueAt(results.get(ref), path);
    if (value === undefined) failed ??= `Invalid reference specified. No value for ${ref}${path} found in ${ref}.`;
    return value ?? whole;
  });
  return failed ? { failed } : { url: resolved };
}

function valueAt(result: SubrequestResult | undefined, path: string): string | undefined {
  if (!result || result.httpStatusCode >= 400) return undefined;
  let value: unknown = result.body;
  for (const [, field, index] of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[field ?? Number(index)];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

export const halted = (referenceId: string, message: string): SubrequestResult => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

/** With allOrNone, one failure fails every subrequest (the rest rolled back, as Salesforce answers them). */
export function allOrNothing(results: SubrequestResult[]): SubrequestResult[] {
  if (!results.some((r) => r.httpStatusCode >= 400)) return results;
  return results.map((r) =>
    r.httpStatusCode >= 400
      ? r
      : halted(
          r.referenceId,
          'The transaction was rolled back since another operation in the same transaction failed.',
        ),
  );
}
