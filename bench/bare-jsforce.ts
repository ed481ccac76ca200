/**
 * The floor a user would write by hand: the SOQL of one of the bot's answers, issued through bare jsforce against the
 * same LMO, in the same run — calls the bot made together made together, calls it made one after another likewise,
 * as many pages of each as the bot read —
 * so answer p95 ÷ this p95 is what the bot adds on top of the queries themselves (Slack, parsing, views, its client).
 */
import { Connection } from 'jsforce';
import type { ServedCall } from './lmo-process.js';

/** One query of an answer, and how many of its pages the bot read (1 + the queryMore calls after it). */
export interface BareQuery {
  soql: string;
  pages: number;
}

/** Records per page when no batch size is asked for, as the LMO (and Salesforce) answer. */
const PAGE_SIZE = 2000;

/**
 * An answer's queries in stages: a call that arrived before every call so far was answered ran alongside them; one
 * that arrived after starts the next stage. A queryMore (no SOQL) is a further page of the latest query before it.
 * A composite call's queries are replayed as a user writes them by hand, one plain query each (their pages fetched
 * page by page): the floor is bare jsforce, which has no composite requests of its own.
 */
/** The log's arrival times are whole milliseconds: a call arriving this close to the stage's end came after it. */
const CLOCK_SLACK_MS = 2;

export function stagesOf(calls: readonly ServedCall[]): BareQuery[][] {
  const stages: BareQuery[][] = [];
  let stageEnd = -Infinity;
  let latest: BareQuery | undefined;
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    // A chained page past a query's last (PROCESSING_HALTED) read nothing.
    const parts = (call.subrequests ?? [{ soql: call.soql, status: 200 }]).filter((sub) => sub.status < 400);
    const newStage = call.at >= stageEnd - CLOCK_SLACK_MS;
    if (newStage && parts.some((part) => part.soql !== undefined)) stages.push([]);
    for (const { soql } of parts) {
      if (soql === undefined) {
        if (latest) latest.pages += 1;
        continue;
      }
      latest = { soql, pages: 1 };
      stages[stages.length - 1].push(latest);
    }
    stageEnd = Math.max(stageEnd, call.at + call.servedMs);
  }
  return stages;
}

export function bareConnection(instanceUrl: string, accessToken: string, version: string): Connection {
  return new Connection({ instanceUrl, accessToken, version });
}

/** Runs the stages once; resolves with the ms it took. */
export async function bareAnswer(connection: Connection, stages: readonly BareQuery[][]): Promise<number> {
  const started = performance.now();
  for (const stage of stages) {
    await Promise.all(
      stage.map(({ soql, pages }) => connection.query(soql, { autoFetch: pages > 1, maxFetch: pages * PAGE_SIZE })),
    );
  }
  return performance.now() - started;
}
