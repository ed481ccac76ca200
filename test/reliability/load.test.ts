/**
 * Load: 1,000 signed slash commands, 100 at a time, against an embedded LMO with 5,000 licenses and 100 ms of
 * added latency per request, in a process of its own (as a real org is remote). Every command must be
 * acknowledged with 200 and answered at its response_url with the answer itself (no failure message).
 * Timings and memory are reported, never asserted, and no answer is given a deadline of the test's own: on a loaded
 * machine the run is slower, not failed. The Salesforce calls are those the LMO's request log holds for the run.
 */
import { join } from 'node:path';
import type { EmulatorCredentials } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Child, startChild, stopChild } from '../support/child-process.js';
import { recordFigures } from '../support/figures.js';
import { isFailureText } from '../support/fixture-answers.js';
import { CHANNEL, type Harness, startHarness, USER } from '../support/harness.js';
import { runPool } from '../support/pool.js';

const COMMANDS = 1_000;
const CONCURRENCY = 100;
const LATENCY_MS = 100;
/** Licenses in the LMO: its query time grows with them, and the bench measures the large sizes. */
const LICENSES = 5_000;
/** The test's own limit, for a machine many times slower than a quiet one; no answer waits less. */
const TEST_MS = 300_000;
const ANSWER_WAIT_MS = TEST_MS;

let h: Harness;
let lmo: Child | undefined;
beforeAll(async () => {
  lmo = startChild(join(import.meta.dirname, 'child-lmo.ts'), {
    LMO_LICENSES: String(LICENSES),
    LMO_LATENCY_MS: String(LATENCY_MS),
  });
  const { url, credentials } = JSON.parse(await lmo.waitForLine(/^\{"url"/, 60_000)) as {
    url: string;
    credentials: EmulatorCredentials;
  };
  h = await startHarness({
    env: {
      SF_LOGIN_URL: url,
      SF_CLIENT_ID: credentials.clientId,
      SF_CLIENT_SECRET: credentials.clientSecret,
      SF_REFRESH_TOKEN: credentials.refreshToken,
    },
  });
}, 90_000);
afterAll(async () => {
  await h?.close();
  await stopChild(lmo);
});

/** What the LMO process has served so far, read from its request log. */
async function lmoServed(): Promise<{ requests: number; apiRequests: number }> {
  const mark = lmo!.lines.filter((l) => l.startsWith('{"mark"')).length + 1;
  lmo!.process.kill('SIGUSR2');
  return JSON.parse(await lmo!.waitForLine(new RegExp(`^\\{"mark":${mark},`), 30_000));
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

test(
  '1,000 slash commands at 100 concurrent: all acked with 200 and answered, none failed',
  async () => {
    // Mostly customer lookups, as people ask, with the list answers among them.
    const texts = [
      'status Acme',
      'renewals 30',
      'status Globex',
      'trials 14',
      'status Initech',
      'conversions 30',
      'renewals 7',
      'status Stark',
    ];
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const served = await lmoServed();
    const started = performance.now();

    const results = await runPool(
      Array.from({ length: COMMANDS }, (_, i) => texts[i % texts.length]!),
      CONCURRENCY,
      async (text) => {
        const sent = performance.now();
        const ack = await h.driver.command(text, { user: USER, channel: CHANNEL });
        const ackMs = performance.now() - sent;
        // Waits as long as the test runs: a slow answer is measured, not cut off.
        const posts = await h.driver.responses(ack.responseUrl, 1, ANSWER_WAIT_MS);
        const answer = posts.find((p) => p.status === 200);
        return {
          acked: ack.status === 200,
          ackMs,
          answered: answer !== undefined,
          failed: answer !== undefined && isFailureText(String(answer.body.text)),
          answerMs: performance.now() - sent,
        };
      },
    );
    clearInterval(sampler);
    const totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
    const after = await lmoServed();

    const ackTimes = results.map((r) => r.ackMs).sort((a, b) => a - b);
    const answerTimes = results.map((r) => r.answerMs).sort((a, b) => a - b);
    const acked = results.filter((r) => r.acked).length;
    const answered = results.filter((r) => r.answered && !r.failed).length;
    const errors = results.filter((r) => !r.acked || !r.answered || r.failed).length;
    await recordFigures('load', {
      commands: COMMANDS,
      concurrency: CONCURRENCY,
      licenses: LICENSES,
      lmoLatencyMs: LATENCY_MS,
      acked,
      answered,
      errors,
      ackP50Ms: Math.round(percentile(ackTimes, 50)),
      ackP99Ms: Math.round(percentile(ackTimes, 99)),
      ackMaxMs: Math.round(ackTimes.at(-1) ?? 0),
      answerP50Ms: Math.round(percentile(answerTimes, 50)),
      answerP99Ms: Math.round(percentile(answerTimes, 99)),
      totalSeconds,
      lmoApiCalls: after.apiRequests - served.apiRequests,
      lmoRequests: after.requests - served.requests,
      botProcessPeakRssMiB: Math.round(peakRss / 1024 / 1024),
    });
    expect(acked).toBe(COMMANDS);
    expect(answered).toBe(COMMANDS);
    expect(errors).toBe(0);
  },
  TEST_MS,
);
