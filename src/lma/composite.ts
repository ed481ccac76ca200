/**
 * Salesforce's Composite resource as the client uses it: queries sent in one request (one API call, up to 5 query
 * operations), a query's following pages chained by reference (`@{ref.nextRecordsUrl}`), and the single pages an
 * answer asks for in one turn gathered into such requests. How a composite answer reads back into pages.
 */

export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

/** Pages read in one call (`queryMorePages`), each one's records in order; `nextRecordsUrl` goes on after them. */
export interface QueryPages<T> {
  totalSize: number;
  done: boolean;
  pages: T[][];
  nextRecordsUrl?: string;
}

/** Query operations Salesforce takes in one composite request (query, queryAll, a next page). */
export const COMPOSITE_QUERIES = 5;

type Settled = PromiseSettledResult<QueryPage<unknown>>;

/** Single pages asked for within `together`, sent on the next turn of the event loop, 5 to a composite call. */
export class Gathered {
  private waiting: { query: TogetherQuery; settle: (result: Settled) => void }[] = [];

  constructor(
    private readonly sendTogether: (queries: TogetherQuery[]) => Promise<Settled[]>,
    private readonly sendAlone: (query: TogetherQuery) => Promise<QueryPage<unknown>>,
  ) {}

  add<T>(query: TogetherQuery): Promise<QueryPage<T>> {
    if (this.waiting.length === 0) setImmediate(() => this.flush());
    return new Promise<QueryPage<unknown>>((resolve, reject) => {
      const settle = (result: Settled) =>
        result.status === 'fulfilled' ? resolve(result.value) : reject(result.reason);
      this.waiting.push({ query, settle });
    }) as Promise<QueryPage<T>>;
  }

  private flush(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i += COMPOSITE_QUERIES) {
      const group = waiting.slice(i, i + COMPOSITE_QUERIES);
      const sent: Promise<Settled[]> =
        group.length > 1
          ? this.sendTogether(group.map((w) => w.query))
          : this.sendAlone(group[0].query).then(
              (value) => [{ status: 'fulfilled', value }],
              (reason: unknown) => [{ status: 'rejected', reason }],
            );
      void sent.then(
        (results) => {
          for (const [n, w] of group.entries()) w.settle(results[n]);
        },
        (error: unknown) => {
          for (const w of group) w.settle({ status: 'rejected', reason: error });
        },
      );
    }
  }
}
/** Records in a page of a query: Salesforce's default batch, and its largest. */
export const QUERY_BATCH = 2_000;

export interface TogetherQuery {
  soql: string;
  /** Every page (queryAll), not only the first. */
  all?: boolean;
  /** With `all`: stop reading pages once this many records are read. */
  maxRecords?: number;
  /** Records a page (200 to 2,000): Salesforce's Sforce-Query-Options, sent with the subrequest. */
  batchSize?: number;
  /**
   * The Id of the first record an earlier query of the same call finds, put in by Salesforce where `placeholder`
   * stands in `soql` (a reference, `@{ref.records[0].Id}`). With no such record this query is not run (it fails).
   */
  idOf?: { placeholder: string; query: number };
}

export interface Read<T> extends Omit<TogetherQuery, 'soql'> {
  pages: T[][];
  totalSize: number;
  done: boolean;
  next?: string;
  error?: unknown;
}

export interface CompositeAnswer {
  compositeResponse: { referenceId: string; httpStatusCode: number; body: unknown }[];
}

/** The pages one query asks for in a composite: its next page's URL, then chained references (`id`s in order). */
export type Chain<T> = { id: string }[] & { read: Read<T>; url: string; headers?: Record<string, string> };

/** `pages` pages of `read` from `url` on, in one chain: referenced `ref`, then `${ref}m1`, `${ref}m2`… */
export function chainOf<T>(read: Read<T>, url: string, ref: string, pages = 1): Chain<T> {
  const ids = Array.from({ length: pages }, (_, n) => ({ id: n === 0 ? ref : `${ref}m${n}` }));
  return Object.assign(ids, { read, url });
}

/** Where a query's pages this round start: its first page's URL (with its headers) or the locator it is at. */
export interface ChainStart<T> {
  read: Read<T>;
  url: string;
  ref: string;
  headers?: Record<string, string>;
}

/** Salesforce's header for a page size; none for its default of 2,000. */
export function batchHeaders(batchSize: number | undefined): Record<string, string> | undefined {
  return batchSize ? { 'Sforce-Query-Options': `batchSize=${batchSize}` } : undefined;
}

/** One chain per query read this round; the `spare` query slots go to those reading every page, one each in turn. */
export function chainPages<T>(round: ChainStart<T>[], spare: number): Chain<T>[] {
  const chains = round.map(({ read, url, ref, headers }) => Object.assign(chainOf(read, url, ref), { headers }));
  let takers = chains.filter((chain) => chain.read.all);
  while (spare > 0) {
    // A query whose pages so far and to come reach its maxRecords takes no more.
    takers = takers.filter((chain) => !overMax(chain.read, chain.length));
    if (takers.length === 0) break;
    for (const chain of takers.slice(0, spare)) chain.push({ id: `${chain[0].id}m${chain.length}` });
    spare -= Math.min(spare, takers.length);
  }
  return chains;
}

/** Pages enough for `maxRecords` already, counting `more` pages of 2,000 still to come. */
function overMax<T>(read: Read<T>, more: number): boolean {
  return read.maxRecords !== undefined && read.pages.flat().length + more * QUERY_BATCH >= read.maxRecords;
}

/** A query's pages from a composite answer, in order, up to its last page (or the first failure). */
export function readChain<T>(chain: Chain<T>, byRef: Map<string, CompositeAnswer['compositeResponse'][number]>): void {
  const { read } = chain;
  for (const { id } of chain) {
    const result = byRef.get(id);
    if (!result) {
      read.error = { errorCode: 'UNANSWERED', message: 'The LMO left a query unanswered.' };
      return;
    }
    if (result.httpStatusCode >= 400) {
      const [first] = (Array.isArray(result.body) ? result.body : []) as { errorCode?: string; message?: string }[];
      read.error = { errorCode: first?.errorCode ?? `ERROR_HTTP_${result.httpStatusCode}`, message: first?.message };
      return;
    }
    const page = result.body as QueryPage<T>;
    if (read.pages.length === 0) read.totalSize = page.totalSize;
    read.pages.push(page.records);
    read.done = page.done || !page.nextRecordsUrl || overMax(read, 0);
    read.next = page.nextRecordsUrl;
    if (read.done) {
      if (!page.done) read.done = false; // stopped at maxRecords: more remain unread
      read.next = undefined;
      return;
    }
  }
}
