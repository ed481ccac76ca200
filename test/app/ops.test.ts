/**
 * The operations endpoints over HTTP, on the port the bot listens on: /healthz, /readyz (ready, and 503 with the
 * reason), /metrics (what the bot counted, against what the LMO and Slack saw); in HTTP mode and in the local sandbox
 * mode, where the page holds PORT. And LOG_FORMAT=json: one JSON object per line, with the request's context, and no
 * secret in any of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBot, startBot } from '../../src/app/start.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { ask, BOT_TOKEN, CHANNEL, type Harness, SIGNING_SECRET, startHarness, USER } from '../support/harness.js';

const get = async (base: string, path: string) => {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};

/** The value of one sample in the Prometheus text, e.g. `lma_answers_total{kind="trials",outcome="ok"}`. */
const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

describe('HTTP mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { DIGEST_CHANNEL: CHANNEL, LMO_RETRIES: '0' },
      readyFreshMs: 0,
    });
  });
  afterAll(async () => h?.close());

  test('/healthz answers 200 with the LMO connection state', async () => {
    const health = await get(h.bot.url, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ slack: 'http', lmo: 'connected' });
  });

  test('/readyz answers 200 while the LMO answers, and 503 with the reason while it does not', async () => {
    const ready = await get(h.bot.url, '/readyz');
    expect([ready.status, JSON.parse(ready.text)]).toEqual([200, { ready: true }]);
    h.bot.emulator!.setFaults({ unavailableRate: 1 });
    try {
      const down = await get(h.bot.url, '/readyz');
      expect(down.status).toBe(503);
      expect(JSON.parse(down.text)).toEqual({
        ready: false,
        reason: 'the LMO did not answer within 2000 ms (LMO_TIMEOUT_MS): The LMO could not be reached.',
      });
    } finally {
      h.bot.emulator!.setFaults({});
    }
    expect((await get(h.bot.url, '/readyz')).status).toBe(200);
  });

  test('/metrics counts answers by kind and outcome, LMO calls by outcome and today, digest runs, deduplicated events', async () => {
    const callsBefore = h.bot.runtime.client.calls;
    await ask(h, 'renewals 30');
    await ask(h, 'renewals 30');
    await ask(h, 'health');
    h.bot.emulator!.setFaults({ unavailableRate: 1 });
    try {
      const { answer } = await ask(h, 'trials');
      expect(answer.text).toMatch(/could not be reached|unreachable/i);
    } finally {
      h.bot.emulator!.setFaults({});
    }
    await ask(h, 'digest post');
    // A mention, then Slack's retry of the same delivery: answered once, the retry counted as deduplicated.
    const { message, eventId } = await h.driver.say(`<@${h.slack.identity.botUserId}> trials`, {
      user: USER,
      channel: CHANNEL,
    });
    await h.slack.waitFor(() => h.slack.thread(CHANNEL, message.ts).some((m) => m.bot_id !== undefined), 10_000);
    const event = { type: 'app_mention', user: USER, text: message.text, ts: message.ts, channel: CHANNEL };
    expect((await h.driver.event(event, { eventId, retryNum: 1 })).status).toBe(200);
    await h.slack.waitFor(() => h.logs.some((l) => l.includes(`event ${eventId} already answered`)), 10_000);

    const metrics = await get(h.bot.url, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    const m = metrics.text;
    expect(sample(m, 'lma_answers_total{kind="renewals",outcome="ok"}')).toBe(2);
    expect(sample(m, 'lma_answers_total{kind="trials",outcome="unreachable"}')).toBe(1);
    expect(sample(m, 'lma_answers_total{kind="trials",outcome="ok"}')).toBe(1);
    expect(sample(m, 'lma_answers_total{kind="health",outcome="ok"}')).toBe(1);
    expect(sample(m, 'lma_answer_duration_seconds_count{kind="renewals"}')).toBe(2);
    expect(sample(m, 'lma_digest_runs_total{outcome="posted"}')).toBe(1);
    expect(sample(m, 'lma_events_deduplicated_total')).toBe(1);
    // Every request the client sent is counted once, by how it ended; /readyz's probes and the catalog included.
    const ok = sample(m, 'lma_lmo_calls_total{outcome="ok"}')!;
    const unreachable = sample(m, 'lma_lmo_calls_total{outcome="unreachable"}')!;
    expect(unreachable).toBeGreaterThanOrEqual(2);
    expect(ok + unreachable).toBe(h.bot.runtime.client.calls);
    expect(sample(m, 'lma_lmo_api_calls_today')).toBe(h.bot.runtime.client.calls);
    expect(h.bot.runtime.client.calls).toBeGreaterThan(callsBefore);
    expect(m).toContain('process_resident_memory_bytes');
  });

  test('/readyz answers 503 naming the store once the store is closed', async () => {
    await h.bot.runtime.store.close();
    const down = await get(h.bot.url, '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toEqual({ ready: false, reason: 'the store cannot be read (see the bot log)' });
  });
});

describe('the local sandbox mode', () => {
  let bot: RunningBot;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lma-ops-'));
    bot = await startBot(loadConfig({ PORT: '0', DATA_DIR: dir, LMA_TIMEZONE: 'UTC' }), {
      logger: createLogger({ level: 'error', write: () => undefined }),
    });
  });
  afterAll(async () => {
    await bot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the page on PORT serves /healthz, /readyz and /metrics beside itself', async () => {
    const page = bot.sandboxUrl!;
    expect((await get(page, '/')).type).toContain('text/html');
    const health = await get(page, '/healthz');
    expect([health.status, JSON.parse(health.text).slack]).toEqual([200, 'sandbox']);
    expect((await get(page, '/readyz')).status).toBe(200);
    const metrics = await get(page, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE lma_answers_total counter');
  });
});

describe('LOG_FORMAT=json', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_FORMAT: 'json' } });
  });
  afterAll(async () => h?.close());

  test('one JSON object per line, with the request context, and no secret in any line', async () => {
    await ask(h, 'renewals 30');
    await h.slack.waitFor(() => h.logs.some((l) => l.includes('Handled the /lma command')), 10_000);
    const lines = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['time', 'level', 'msg']));
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    }
    const handled = lines.find((l) => String(l.msg).includes('Handled the /lma command'))!;
    expect(handled.level).toBe('debug');
    expect(handled.context).toMatchObject({ channel: CHANNEL, kind: 'renewals', requestId: expect.any(String) });
    const context = handled.context as { lmoCalls: number; durationMs: number };
    expect(context.lmoCalls).toBeGreaterThan(0);
    expect(context.durationMs).toBeGreaterThanOrEqual(0);

    const emulator = h.bot.emulator!;
    // A library error that carries them is redacted as well.
    h.bot.runtime.logger.error('Request failed:', new Error(`token ${emulator.accessToken}`), { BOT_TOKEN });
    const secrets = [
      BOT_TOKEN,
      SIGNING_SECRET,
      emulator.accessToken,
      emulator.credentials.clientSecret,
      emulator.credentials.refreshToken,
      emulator.credentials.password,
    ];
    const all = h.logs.join('\n');
    expect(all).toContain('[redacted]');
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});

describe('LOG_FORMAT=json with LOG_LEVEL=debug', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => h?.close());

  test("Bolt's own lines (its Web API client's calls) come through the same JSON logger, without the bot token", async () => {
    await ask(h, 'renewals 30');
    await h.slack.waitFor(() => h.logs.some((l) => l.includes('apiCall(')), 10_000);
    const bolts = h.logs.filter((l) => l.includes('apiCall(')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(bolts.length).toBeGreaterThan(0);
    for (const line of bolts)
      expect(line).toMatchObject({
        time: expect.any(String),
        level: 'debug',
        msg: expect.stringMatching(/^apiCall\('/),
      });
    expect(h.logs.join('\n')).not.toContain(BOT_TOKEN);
  });
});
