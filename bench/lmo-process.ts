/**
 * The embedded LMO in its own process for the benchmark: the demo dataset at a given size, with a fixed latency
 * on every Salesforce call. It reports over IPC (never over HTTP, so counting costs no API call):
 * `ready` once listening; on request `stats`: API calls served so far (what DailyApiRequests counts), the calls
 * received since the previous `stats` (their SOQL and when and how long each was served), and its own CPU time; and
 * `change`: seat counts of that many paid licenses raised by one, as the ISV's users would (each a real write:
 * SystemModstamp and history), answered once written.
 *
 * Usage (by bench/run.ts, compiled by tsconfig.bench.json): node dist/bench/bench/lmo-process.js <licenses> <latencyMs>
 */

import type { OrgData, RequestLogEntry } from '@lma-bot/lmo-emulator';
import { generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { todayIn } from '../src/lma/dates.js';

export interface LmoReady {
  type: 'ready';
  url: string;
  accessToken: string;
  /** A customer with several licenses, for `/lma status`. */
  customer: string;
  licenses: number;
  startMs: number;
}

/** One API call as the LMO's request log has it. */
export interface ServedCall {
  /** Its SOQL; undefined for a queryMore (the next page of a query before) and other API calls. */
  soql?: string;
  /** Epoch ms it arrived, and ms until answered (the 100 ms added latency included). */
  at: number;
  servedMs: number;
  /** The CPU time of the LMO's thread serving it over that span, ms (RequestLogEntry.cpuMs). */
  cpuMs?: number;
  /** For a query: the records the LMO read to answer it (fewer than the object holds when an index narrowed it). */
  examined?: number;
  /** The records its answer held (each subrequest's page, for a composite). */
  returned?: number;
  /** For a composite request (one API call): its subrequests in order, each a query (`soql`) or a next page. */
  subrequests?: { soql?: string; status: number }[];
}

export interface LmoStats {
  type: 'stats';
  apiCalls: number;
  /** SOQL received since the previous stats request (NEXT_PAGE for a queryMore). */
  soql: string[];
  /** API calls answered since the previous stats request. */
  calls: ServedCall[];
  cpuMs: number;
}

export interface LmoChange {
  type: 'change';
  count: number;
}

export interface LmoChanged {
  type: 'change';
  /** Licenses written, and the epoch ms the last write was made. */
  changed: number;
  at: number;
}

/** A query's next page (queryMore) is an API call too; it carries no SOQL. */
const QUERY_MORE = /\/query(?:All)?\/[^/]+$/;
export const NEXT_PAGE = 'queryMore (the next page of the query before)';

/** The account with the most licenses: a status answer with something to show. */
function busiestCustomer(data: OrgData): string {
  const counts = new Map<unknown, number>();
  for (const license of data.sfLma__License__c ?? []) {
    const account = license.sfLma__Account__c;
    if (account) counts.set(account, (counts.get(account) ?? 0) + 1);
  }
  let best: { name: string; n: number } = { name: 'Acme', n: -1 };
  for (const account of data.Account ?? []) {
    const n = counts.get(account.Id) ?? 0;
    if (n > best.n) best = { name: String(account.Name), n };
  }
  return best.name;
}

async function main(): Promise<void> {
  const [licensesArg, latencyArg] = process.argv.slice(2);
  const licenses = Number(licensesArg);
  const latencyMs = Number(latencyArg);
  const started = performance.now();
  const data = generateDemoData({ today: todayIn('UTC', new Date()), licenses });
  // Indexed, as a real org's filters are: at 100,000 licenses the bench then measures the bot, not a full scan per query.
  const lmo = await startEmulator({ data, timezone: 'UTC', faults: { latencyMs }, indexes: true });
  const ready: LmoReady = {
    type: 'ready',
    url: lmo.url,
    accessToken: lmo.accessToken,
    customer: busiestCustomer(data),
    licenses,
    startMs: performance.now() - started,
  };
  process.send?.(ready);

  let logRead = 0;
  const paid = data.sfLma__License__c.filter((l) => l.sfLma__Status__c === 'Active' && Number(l.sfLma__Seats__c) > 0);
  let nextPaid = 0;
  process.on('message', (message: { type?: string; count?: number }) => {
    if (message?.type === 'change') {
      const count = Math.min(message.count ?? 1, paid.length);
      for (let i = 0; i < count; i++) {
        const license = paid[nextPaid++ % paid.length];
        const seats = Number(lmo.org.get(license.Id)?.record.sfLma__Seats__c ?? 0);
        lmo.update('sfLma__License__c', license.Id, { sfLma__Seats__c: seats + 1 });
      }
      process.send?.({ type: 'change', changed: count, at: Date.now() } satisfies LmoChanged);
      return;
    }
    if (message?.type !== 'stats') return;
    // Entries still being served stay for the next request (servedMs unset).
    let end = logRead;
    while (end < lmo.log.length && lmo.log[end].servedMs !== undefined) end++;
    const entries = lmo.log.slice(logRead, end).filter((e) => e.path.startsWith('/services/data/v'));
    logRead = end;
    const soqlOf = (e: { path: string; soql?: string; status: number }) =>
      e.soql ?? (QUERY_MORE.test(e.path) && e.status < 400 ? NEXT_PAGE : undefined);
    const cpu = process.cpuUsage();
    const stats: LmoStats = {
      type: 'stats',
      apiCalls: lmo.apiCallCount(),
      soql: entries.flatMap((e) => (e.subrequests ?? [e]).flatMap((one) => soqlOf(one) ?? [])),
      calls: entries.map((e) => ({
        soql: e.soql,
        at: e.at.getTime(),
        servedMs: e.servedMs ?? 0,
        cpuMs: e.cpuMs,
        examined: sumOver(e, 'examined'),
        returned: sumOver(e, 'returned'),
        ...(e.subrequests && { subrequests: e.subrequests.map((sub) => ({ soql: sub.soql, status: sub.status })) }),
      })),
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    process.send?.(stats);
  });
  // The IPC channel closes when the benchmark goes: do not outlive it.
  process.on('disconnect', () => void lmo.close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void lmo.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error('bench LMO failed:', error);
  process.exit(1);
});

/** A count of a call: its own, or its subrequests' together for a composite. */
function sumOver(e: RequestLogEntry, count: 'examined' | 'returned'): number | undefined {
  return e.subrequests ? e.subrequests.reduce((sum, sub) => sum + (sub[count] ?? 0), 0) : e[count];
}
