/**
 * Query result paging as Salesforce does it: the first page carries `nextRecordsUrl`
 * (`…/query/<cursor>-<offset>`) while records remain. A user holds at most 10 open cursors (the
 * oldest is released) and a cursor idle for 15 minutes expires; either way its locator then
 * answers INVALID_QUERY_LOCATOR.
 */
import { randomBytes } from 'node:crypto';
import type { QueryPages } from './soql/index.js';

export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
const MAX_OPEN_CURSORS = 10;
const CURSOR_IDLE_MS = 15 * 60 * 1000;

export interface QueryPage {
  totalSize: number;
  done: boolean;
  records: unknown[];
  nextRecordsUrl?: string;
}

interface Cursor {
  pages: QueryPages;
  totalSize: number;
  batchSize: number;
  lastUsed: number;
}

/** `Sforce-Query-Options: batchSize=N` (200..2000; Salesforce clamps rather than rejects). */
export function batchSizeFrom(header: string | undefined): number {
  const match = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!match) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(match[1])));
}

export class QueryCursors {
  private readonly open = new Map<string, Cursor>();

  constructor(private readonly clock: () => Date) {}

  /** The first page of a fresh result; opens a cursor only when more pages follow. */
  firstPage(result: QueryPages, batchSize: number, apiVersion: string): QueryPage {
    if (result.size <= batchSize) {
      return { totalSize: result.totalSize, done: true, records: result.slice(0, result.size) };
    }
    const id = `01g${randomBytes(8).toString('hex').slice(0, 15)}`;
    this.open.set(id, { pages: result, totalSize: result.totalSize, batchSize, lastUsed: this.now() });
    while (this.open.size > MAX_OPEN_CURSORS) this.open.delete(this.open.keys().next().value as string);
    return this.page(id, 0, apiVersion);
  }

  /** The page a locator (`<cursor>-<offset>`) points at, or undefined when it is unknown or expired. */
  nextPage(locator: string, apiVersion: string): QueryPage | undefined {
    const match = /^(.+)-(\d+)$/.exec(locator);
    const cursor = match ? this.open.get(match[1]) : undefined;
    if (!match || !cursor) return undefined;
    const offset = Number(match[2]);
    if (this.now() - cursor.lastUsed > CURSOR_IDLE_MS) {
      this.open.delete(match[1]);
      return undefined;
    }
    if (offset <= 0 || offset >= cursor.pages.size) return undefined;
    cursor.lastUsed = this.now();
    return this.page(match[1], offset, apiVersion);
  }

  private page(id: string, offset: number, apiVersion: string): QueryPage {
    const cursor = this.open.get(id) as Cursor;
    const end = offset + cursor.batchSize;
    const done = end >= cursor.pages.size;
    return {
      totalSize: cursor.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${apiVersion}/query/${id}-${end}` }),
      records: cursor.pages.slice(offset, end),
    };
  }

  private now(): number {
    return this.clock().getTime();
  }
}
