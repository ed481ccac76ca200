/**
 * The bot's only door to the LMO: SOQL over the REST API through jsforce, with a per-request timeout,
 * bounded retries with backoff, a call counter, and errors sorted into kinds a user can act on.
 * jsforce's own retry loop (up to 5 tries, 15 s of backoff) is switched off so that the bot's bound holds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection } from 'jsforce';
import { Limiter } from '../util/limiter.js';
import {
  batchHeaders,
  type Chain,
  type ChainStart,
  COMPOSITE_QUERIES,
  type CompositeAnswer,
  chainOf,
  chainPages,
  Gathered,
  type QueryPage,
  type QueryPages,
  type Read,
  readChain,
  type TogetherQuery,
} from './composite.js';

export { COMPOSITE_QUERIES, QUERY_BATCH, type QueryPage, type QueryPages, type TogetherQuery } from './composite.js';

export type LmoErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'request_limit'
  | 'auth'
  | 'not_installed'
  | 'no_history'
  /** The integration user cannot read a field or object the answer needs; the message says what to grant. */
  | 'permission'
  | 'query';

export class LmoError extends Error {
  constructor(
    readonly kind: LmoErrorKind,
    message: string,
    /** The Salesforce errorCode or network code, for logs. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'LmoError';
  }
}

export interface LmoClientOptions {
  apiVersion: string;
  /** Longest wait for one HTTP request to the LMO. */
  timeoutMs: number;
  /** Extra attempts after a 503, a network error or a timeout. */
  retries: number;
  /** The whole answer, retries included, gives up after this long (Slack users wait for it). */
  deadlineMs?: number;
  /** First backoff; doubles on each retry. */
  backoffMs?: number;
  /** After REQUEST_LIMIT_EXCEEDED, no call is sent for this long (no retry storm against a spent quota). */
  limitCooldownMs?: number;
  /**
   * Requests in flight at most; the rest queue within their deadline. A busy org answers more slowly the more it is
   * sent, and timed-out requests retried on top would snowball (measured by the reliability suite's load test).
   */
  maxConcurrent?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told of every request sent: `ok`, or the kind of failure (metrics and the request's log context count them). */
  onCall?: (outcome: 'ok' | LmoErrorKind) => void;
}

const DEFAULT_MAX_CONCURRENT = 16;
/** Longest wait for a free slot under load (a response_url stays valid for 30 minutes). */
const QUEUE_WAIT_MS = 60_000;
const RETRYABLE_STATUS = new Set([
  'SERVER_UNAVAILABLE',
  'ERROR_HTTP_503',
  'ERROR_HTTP_502',
  'ERROR_HTTP_504',
  'ERROR_HTTP_500',
  'UNABLE_TO_LOCK_ROW',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
]);

/** Every question is answered (or told "LMO unreachable") within this, retries included: Slack users wait for it. */
export const ANSWER_DEADLINE_MS = 9_000;

export class LmoClient {
  /**
   * API requests sent to the LMO, as Salesforce counts them: each retry counts, and a composite request (several
   * queries, or a query's pages chained) is one.
   */
  calls = 0;
  /** When the LMO last answered a request (epoch ms, `now`'s clock); 0: never. */
  lastAnsweredAt = 0;
  private blockedUntil = 0;
  private connecting: Promise<Connection> | undefined;
  private connected: Connection | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The deadline shared by the calls of one answer (see `withDeadline`). */
  private readonly sharedDeadline = new AsyncLocalStorage<{ at: number }>();
  private readonly limiter: Limiter;
  /** The single pages `together` gathers (see there). */
  private readonly gathering = new AsyncLocalStorage<Gathered>();

  /**
   * `connect` signs in; it runs on first use and again after a failed sign-in, so a bot started while the
   * LMO was down answers "unreachable" meanwhile and recovers by itself.
   */
  constructor(
    private readonly connect: () => Promise<Connection>,
    private readonly options: LmoClientOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.limiter = new Limiter(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  }

  /** The LMO's base URL once connected (for record links); never a token. */
  get instanceUrl(): string | undefined {
    return this.connected?.instanceUrl;
  }

  private connection(): Promise<Connection> {
    this.connecting ??= this.connect().then(
      (connection) => (this.connected = connection),
      (error) => {
        this.connecting = undefined;
        throw classify(error);
      },
    );
    return this.connecting;
  }

  /**
   * Runs `run` with all its LMO calls sharing one deadline, retries included: an answer that needs several
   * queries still reaches the user in time. Nested calls keep the earlier deadline.
   */
  withDeadline<T>(ms: number, run: () => Promise<T>): Promise<T> {
    const outer = this.sharedDeadline.getStore();
    return outer && outer.at <= this.now() + ms ? run() : this.sharedDeadline.run({ at: this.now() + ms }, run);
  }

  /**
   * One page of results (up to 2,000 records, or `batchSize`: 200 to 2,000, Salesforce's Sforce-Query-Options) with
   * the full `totalSize`.
   */
  async queryPage<T = Record<string, unknown>>(soql: string, o: { batchSize?: number } = {}): Promise<QueryPage<T>> {
    const gathered = this.gathering.getStore();
    if (gathered) return gathered.add<T>({ soql, batchSize: o.batchSize });
    const url = `/services/data/v${this.options.apiVersion}/query?q=${encodeURIComponent(soql)}`;
    return this.get<QueryPage<T>>(url, batchHeaders(o.batchSize) ?? {});
  }

  /**
   * Runs `run` with the single pages it asks for in one turn of the event loop gathered into composite calls (5 queries
   * a call; a query alone goes as a plain one): an answer made of lists read side by side, each in its own steps, costs
   * one call per step instead of one per query. Each query still settles alone.
   */
  together<T>(run: () => Promise<T>): Promise<T> {
    const gathered = new Gathered(
      (queries) => this.queryTogether(queries),
      ({ soql, batchSize }) => this.gathering.exit(() => this.queryPage(soql, { batchSize })),
    );
    return this.gathering.run(gathered, run);
  }

  /** Every record (up to `maxRecords`): one API call per 5 pages of 2,000 (see `queryTogether`). */
  async queryAll<T = Record<string, unknown>>(soql: string, maxRecords = 50_000): Promise<QueryPage<T>> {
    const [result] = await this.queryTogether<T>([{ soql, all: true, maxRecords }]);
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }

  /**
   * Up to 5 queries in one composite request, which Salesforce counts as one API call: each one's first page, and for
   * those marked `all`, the following pages too, chained by reference (`@{ref.nextRecordsUrl}`) in the query slots the
   * call has left, then 5 pages a call. A chained page past a query's last fails with PROCESSING_HALTED: that is the
   * end of the query, not an error. Each query settles alone, as `Promise.allSettled` would.
   */
  async queryTogether<T = Record<string, unknown>>(
    queries: readonly TogetherQuery[],
  ): Promise<PromiseSettledResult<QueryPage<T>>[]> {
    if (queries.length === 0 || queries.length > COMPOSITE_QUERIES)
      throw new RangeError(`queryTogether takes 1 to ${COMPOSITE_QUERIES} queries`);
    const base = `/services/data/v${this.options.apiVersion}`;
    const reads: Read<T>[] = queries.map((q) => ({ ...q, pages: [], totalSize: 0, done: false }));
    // Text in the SOQL is percent-encoded, so no `@{` in it is a reference; only a placeholder becomes one.
    const queryUrl = ({ soql, idOf }: TogetherQuery) => {
      const q = encodeURIComponent(soql);
      return `${base}/query?q=${idOf ? q.replaceAll(idOf.placeholder, `@{q${idOf.query}.records[0].Id}`) : q}`;
    };
    let round: ChainStart<T>[] = reads.map((read, i) => ({
      read,
      url: queryUrl(queries[i]),
      ref: `q${i}`,
      headers: batchHeaders(queries[i].batchSize),
    }));
    while (round.length > 0) {
      try {
        await this.sendChains(chainPages(round, COMPOSITE_QUERIES - round.length));
      } catch (error) {
        for (const { read } of round) read.error = error;
        break;
      }
      round = reads.flatMap((read, i) =>
        read.all && !read.error && !read.done && read.next
          ? [{ read, url: read.next, ref: `q${i}p${read.pages.length}` }]
          : [],
      );
    }
    return reads.map((read): PromiseSettledResult<QueryPage<T>> => {
      if (read.error) return { status: 'rejected', reason: classify(read.error) };
      // One page (most reads) is its own array: flattening would copy every row.
      const records = read.pages.length === 1 ? read.pages[0] : read.pages.flat();
      const page = { totalSize: read.totalSize, done: read.done, records };
      // A first page only: its locator, for the caller's queryMorePages.
      return { status: 'fulfilled', value: read.all || !read.next ? page : { ...page, nextRecordsUrl: read.next } };
    });
  }

  /**
   * Up to `pages` (1 to 5) pages following `nextRecordsUrl` (a page's locator) in one composite request, which
   * Salesforce counts as one API call: the locators chained by reference, as `queryTogether` chains them. Fewer pages
   * when the query ends first; `nextRecordsUrl` goes on after the last one read. A page that fails fails the whole
   * (the pages before it are not returned: the caller reads again from the same locator), as `queryPage` would.
   */
  async queryMorePages<T = Record<string, unknown>>(nextRecordsUrl: string, pages: number): Promise<QueryPages<T>> {
    if (!Number.isInteger(pages) || pages < 1 || pages > COMPOSITE_QUERIES)
      throw new RangeError(`queryMorePages reads 1 to ${COMPOSITE_QUERIES} pages`);
    const read: Read<T> = { all: true, pages: [], totalSize: 0, done: false };
    await this.sendChains([chainOf(read, nextRecordsUrl, 'p', pages)]);
    if (read.error) throw classify(read.error);
    return { totalSize: read.totalSize, done: read.done, pages: read.pages, nextRecordsUrl: read.next };
  }

  /** Describe of one object, or null when the object does not exist in the org. */
  async describe(objectName: string): Promise<{ name: string; fields: { name: string }[] } | null> {
    try {
      return await this.get(
        `/services/data/v${this.options.apiVersion}/sobjects/${encodeURIComponent(objectName)}/describe`,
      );
    } catch (error) {
      if (error instanceof LmoError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  /** A REST resource by path or URL, not a query: the versions the org offers, /limits, the identity service (doctor). */
  async resource<T = Record<string, unknown>>(url: string): Promise<T> {
    return this.get<T>(url);
  }

  /** One composite request of `chains` (each a query's pages, chained by reference), read into their queries. */
  private async sendChains<T>(chains: Chain<T>[]): Promise<void> {
    const sent = chains.flatMap((chain) =>
      chain.map((ref, n) => ({
        method: 'GET',
        referenceId: ref.id,
        url: n === 0 ? chain.url : `@{${chain[n - 1].id}.nextRecordsUrl}`,
        ...(n === 0 && chain.headers && { httpHeaders: chain.headers }),
      })),
    );
    const answer = await this.send<CompositeAnswer>({
      method: 'POST',
      url: `/services/data/v${this.options.apiVersion}/composite`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, compositeRequest: sent }),
    });
    const byRef = new Map(answer.compositeResponse.map((r) => [r.referenceId, r]));
    for (const chain of chains) readChain(chain, byRef);
  }

  private get<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>({ method: 'GET', url, headers });
  }

  private async send<T>(request: {
    method: 'GET' | 'POST';
    url: string;
    headers: Record<string, string>;
    body?: string;
  }): Promise<T> {
    const start = this.now();
    const shared = this.sharedDeadline.getStore();
    let deadline = Math.min(start + (this.options.deadlineMs ?? 9_000), shared?.at ?? Infinity);
    let backoff = this.options.backoffMs ?? 150;
    for (let attempt = 0; ; attempt++) {
      if (this.now() < this.blockedUntil) {
        throw new LmoError(
          'request_limit',
          'The LMO org has used its daily API request limit.',
          'REQUEST_LIMIT_EXCEEDED',
        );
      }
      try {
        const connection = await this.connection();
        const notInTime = () => new LmoError('timeout', 'The LMO did not answer in time.', 'TIMEOUT');
        const queuedAt = this.now();
        return await this.limiter.run(QUEUE_WAIT_MS, notInTime, async () => {
          // Waiting behind the bot's own requests is not the LMO being slow: it does not use up the deadlines.
          const waited = this.now() - queuedAt;
          deadline += waited;
          if (shared) shared.at += waited;
          const timeout = Math.max(1, Math.min(this.options.timeoutMs, deadline - this.now()));
          this.calls++;
          try {
            const answer = (await connection.request<T>(
              request,
              // jsforce passes these to its fetch layer: our timeout, and no retries of its own.
              { timeout, retry: { maxRetries: 0 } } as object,
            )) as T;
            this.lastAnsweredAt = this.now();
            this.options.onCall?.('ok');
            return answer;
          } catch (failed) {
            this.options.onCall?.(classify(failed).kind);
            throw failed;
          }
        });
      } catch (raw) {
        const error = classify(raw);
        if (error.kind === 'request_limit') this.blockedUntil = this.now() + (this.options.limitCooldownMs ?? 60_000);
        const retryable = error.kind === 'unreachable' || error.kind === 'timeout';
        if (!retryable || attempt >= this.options.retries || this.now() + backoff >= deadline) throw error;
        await this.sleep(backoff);
        backoff *= 2;
      }
    }
  }
}

/** Sorts a jsforce/network error into a kind; messages carry no tokens (jsforce errors hold none). */
export function classify(raw: unknown): LmoError {
  if (raw instanceof LmoError) return raw;
  const error = raw as { name?: string; errorCode?: string; code?: string; message?: string; type?: string };
  const code = error?.errorCode ?? error?.code ?? error?.name ?? 'UNKNOWN';
  const message = String(error?.message ?? raw);
  if (error?.name === 'AbortError' || /aborted due to timeout/i.test(message)) {
    return new LmoError('timeout', 'The LMO did not answer in time.', 'TIMEOUT');
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED')
    return new LmoError('request_limit', 'The LMO org has used its daily API request limit.', code);
  if (
    code === 'INVALID_SESSION_ID' ||
    code === 'invalid_grant' ||
    /re-?authenticate|expired access\/refresh token|authentication failure|refused the renewed session/i.test(message)
  ) {
    return new LmoError(
      'auth',
      'The bot could not sign in to the LMO: its Salesforce credentials are expired or wrong.',
      code,
    );
  }
  // The History object exists only while field history tracking is on for licenses.
  if (code === 'INVALID_TYPE' && /sfLma__License__History/i.test(message)) {
    return new LmoError('no_history', 'The LMO does not track field history on licenses.', code);
  }
  if (code === 'INVALID_TYPE' && /sfLma__/i.test(message)) {
    return new LmoError('not_installed', 'The connected org has no License Management App objects.', code);
  }
  if (
    RETRYABLE_STATUS.has(code) ||
    NETWORK_CODES.has(code) ||
    error?.type === 'system' ||
    /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed/i.test(message)
  ) {
    return new LmoError('unreachable', 'The LMO could not be reached.', code);
  }
  return new LmoError('query', `The LMO rejected a query (${code}).`, code);
}
