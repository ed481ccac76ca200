/**
 * The floor a user would write by hand: the SOQL of one of the bot's answers, issued through bare jsforce against the
 * same LMO, in the same run — calls the bot made together made together, calls it made one after another likewise —
 * so answer p95 ÷ this p95 is what the bot adds on top of the queries themselves (Slack, parsing, views, its client).
 */
import { Connection } from 'jsforce';
import type { ServedCall } from './lmo-process.js';

/**
 * An answer's queries in stages: a call that arrived before every call so far was answered ran alongside them; one
 * that arrived after starts the next stage. A queryMore is left out: autoFetch follows the pages as the bot did.
 */
/** The log's arrival times are whole milliseconds: a call arriving this close to the stage's end came after it. */
const CLOCK_SLACK_MS = 2;

export function stagesOf(calls: readonly ServedCall[]): string[][] {
  const stages: string[][] = [];
  let stageEnd = -Infinity;
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    if (call.soql === undefined) continue;
    if (call.at >= stageEnd - CLOCK_SLACK_MS) stages.push([]);
    stages[stages.length - 1].push(call.soql);
    stageEnd = Math.max(stageEnd, call.at + call.servedMs);
  }
  return stages;
}

export function bareConnection(instanceUrl: string, accessToken: string, version: string): Connection {
  return new Connection({ instanceUrl, accessToken, version });
}

/** Runs the stages once; resolves with the ms it took. */
export async function bareAnswer(connection: Connection, stages: readonly string[][]): Promise<number> {
  const started = performance.now();
  for (const stage of stages) {
    await Promise.all(stage.map((soql) => connection.query(soql, { autoFetch: true, maxFetch: 1_000_000 })));
  }
  return performance.now() - started;
}
