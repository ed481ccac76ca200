/**
 * The embedded LMO in its own process for the benchmark: the demo dataset at a given size, with a fixed latency
 * on every Salesforce call. It reports over IPC (never over HTTP, so counting costs no API call):
 * `ready` once listening, and on request `stats`: API calls served so far (what DailyApiRequests counts),
 * the SOQL received since the previous `stats`, and its own CPU time.
 *
 * Usage (by bench/run.ts, compiled by tsconfig.bench.json): node dist/bench/bench/lmo-process.js <licenses> <latencyMs>
 */

import type { OrgData } from '@lma-bot/lmo-emulator';
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

export interface LmoStats {
  type: 'stats';
  apiCalls: number;
  /** SOQL received since the previous stats request (NEXT_PAGE for a queryMore). */
  soql: string[];
  cpuMs: number;
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
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'stats') return;
    const entries = lmo.log.slice(logRead);
    logRead = lmo.log.length;
    const cpu = process.cpuUsage();
    const stats: LmoStats = {
      type: 'stats',
      apiCalls: lmo.apiCallCount(),
      soql: entries.flatMap((e) => (e.soql ? [e.soql] : QUERY_MORE.test(e.path) ? [NEXT_PAGE] : [])),
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
