/**
 * The bot as a real process, compiled and run as production runs it (`node dist/index.js`), against the fake Slack and the embedded LMO running here:
 * killed with SIGKILL while the digest or a guide step is being posted, then restarted on the same DATA_DIR; and
 * stopped with SIGTERM while an answer is in flight. A proxy in front of the fake Slack stops the chosen Web API
 * call so the kill lands exactly there.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorHandle, generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { type FakeSlack, startFakeSlack } from '@lma-bot/slack-sandbox';
import Database from 'better-sqlite3';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIn } from '../../src/lma/dates.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { STORE_FILE } from '../../src/store/sqlite.js';
import { type BotProcess, botSettings, killBot, startBotProcess } from '../support/bot-process.js';
import { type Child, startChild, stopChild } from '../support/child-process.js';
import { BUILD_TIMEOUT_MS, buildCompiled } from '../support/compiled.js';
import { recordFigures } from '../support/figures.js';
import { BOT_TOKEN, CHANNEL, USER } from '../support/harness.js';
import { LICENSE, lmoFixture } from '../support/lmo-fixture.js';
import { type SlackProxy, type StopMode, type StoppedCall, startSlackProxy } from '../support/slack-proxy.js';

let entry = '';
const DIGEST_CHANNELS = ['C0DIGESTA', 'C0DIGESTB', 'C0DIGESTC'];
const ALERT_CHANNELS = ['C0ALERTSA', 'C0ALERTSB'];

let slack: FakeSlack;
let proxy: SlackProxy;
let emulator: EmulatorHandle;
const dirs: string[] = [];
const children: Child[] = [];
const figures = { restarts: 0, dataLost: 0, duplicates: 0 };

beforeAll(async () => {
  entry = await buildCompiled();
  slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    channels: [
      { id: CHANNEL, name: 'general' },
      ...[...DIGEST_CHANNELS, ...ALERT_CHANNELS].map((id) => ({ id, name: id.toLowerCase() })),
    ],
    users: [{ id: USER, name: 'alice' }],
  });
  proxy = await startSlackProxy(slack.url);
  // Dated from the real today, as the child bot runs on the real clock: the digest has a thread reply to post.
  emulator = await startEmulator({ data: generateDemoData({ today: todayIn('UTC', new Date()) }), timezone: 'UTC' });
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  for (const child of children) await stopChild(child);
  // Only a run of the SIGKILL tests has figures: a filtered run (-t SIGTERM) records none rather than zeros.
  if (figures.restarts > 0) {
    await recordFigures('process', {
      restartsTried: figures.restarts,
      dataLost: figures.dataLost,
      duplicates: figures.duplicates,
    });
  }
  await proxy?.close();
  await slack?.close();
  await emulator?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * The bot's settings: this fake Slack (through the proxy) and an embedded LMO (the shared one unless `lmo`),
 * `dataDir`; the digest's daily slot (00:00 UTC) has passed.
 */
const botEnv = (dataDir: string, digestChannel: string, lmo = emulator) => ({
  ...botSettings(proxy.apiUrl, lmo),
  DATA_DIR: dataDir,
  DIGEST_CHANNEL: digestChannel,
  DIGEST_CRON: '0 0 * * *',
});

/** Starts the bot process on `dataDir`; resolves once it listens. */
async function startBot(
  dataDir: string,
  digestChannel: string,
  o: { lmo?: EmulatorHandle; env?: Record<string, string> } = {},
): Promise<BotProcess> {
  const bot = await startBotProcess(entry, { ...botEnv(dataDir, digestChannel, o.lmo), ...o.env }, slack);
  children.push(bot.child);
  return bot;
}

const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-bot-reliability-'));
  dirs.push(dir);
  return dir;
};

const botPosts = (channel: string) => slack.messages(channel).filter((m) => m.bot_id !== undefined);

describe('SIGKILL while posting the digest, then a restart', () => {
  const cases: { channel: string; mode: StopMode; part: 'message' | 'thread reply'; when: string }[] = [
    { channel: DIGEST_CHANNELS[0]!, mode: 'hold', part: 'message', when: 'before Slack has the message' },
    {
      channel: DIGEST_CHANNELS[1]!,
      mode: 'swallow',
      part: 'message',
      when: 'after Slack posted the message, before the bot heard back',
    },
    {
      channel: DIGEST_CHANNELS[2]!,
      mode: 'hold',
      part: 'thread reply',
      when: 'with the message up and its thread reply in flight',
    },
  ];
  test.each(cases)(
    'killed $when: posted exactly once that day, thread reply included',
    async ({ channel, mode, part }) => {
      const dir = freshDir();
      const isPart = (call: StoppedCall) =>
        call.method === 'chat.postMessage' &&
        call.args.get('channel') === channel &&
        (part === 'message') === !call.args.get('thread_ts');
      const stopped = proxy.stopNext(mode, isPart);
      const first = await startBot(dir, channel);
      await stopped;
      await killBot(first);

      figures.restarts++;
      const second = await startBot(dir, channel);
      await second.child.waitForLine(/Digest catch-up done|Digest catch-up failed/, 60_000);
      await stopChild(second.child);

      // A parent carries thread_ts = its own ts once it has replies.
      const parents = botPosts(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      const replies = parents.flatMap((p) =>
        slack.thread(channel, p.ts).filter((m) => m.bot_id !== undefined && m.ts !== p.ts),
      );
      if (parents.length === 0 || replies.length === 0) figures.dataLost++;
      if (parents.length > 1 || replies.length > parents.length) figures.duplicates++;
      expect(parents).toHaveLength(1);
      expect(replies).toHaveLength(1);
    },
    120_000,
  );
});

describe('SIGKILL while posting alerts, then a restart', () => {
  const cases: { channel: string; mode: StopMode; when: string }[] = [
    { channel: ALERT_CHANNELS[0]!, mode: 'hold', when: 'after the outbox was written, before Slack has the post' },
    { channel: ALERT_CHANNELS[1]!, mode: 'swallow', when: 'after Slack posted it, before the outbox marked it sent' },
  ];
  test.each(cases)(
    'killed $when: every alert posted exactly once, none lost',
    async ({ channel, mode }) => {
      // An LMO of its own, dated in the past (the fixture): the watermark cannot run ahead of the writes.
      const lmo = await startEmulator({ data: lmoFixture(), timezone: 'UTC' });
      try {
        const dir = freshDir();
        const env = { ALERT_CHANNEL: channel, ALERT_POLL_SECONDS: '15' };
        const first = await startBot(dir, DIGEST_CHANNELS[0]!, { lmo, env });
        // The first read at start-up (the digest's catch-up or the poller) takes the feed's baseline.
        await slack.waitFor(() => storeValue(dir, `SELECT value FROM feed_state WHERE key = 'watermark'`), 30_000);
        const writer = new Connection({ instanceUrl: lmo.url, accessToken: lmo.accessToken, version: '62.0' });
        // Three seat changes: three alerts, the first of which is stopped in flight.
        for (const n of [1, 3, 4])
          await writer.sobject('sfLma__License__c').update({ Id: LICENSE(n), sfLma__Seats__c: 200 + n });
        const stopped = proxy.stopNext(
          mode,
          (call) => call.method === 'chat.postMessage' && call.args.get('channel') === channel,
        );
        await stopped;
        // The outbox holds the three alerts, the first marked as being sent: the process dies between two steps.
        expect(storeValue(dir, `SELECT COUNT(*) AS value FROM alert_outbox WHERE state = 'sending'`)).toBe(1);
        await killBot(first);

        figures.restarts++;
        const second = await startBot(dir, DIGEST_CHANNELS[0]!, { lmo, env });
        // The poller runs at start: the outbox is posted now, the stopped alert looked for in the channel first.
        await slack.waitFor(
          () => storeValue(dir, `SELECT COUNT(*) AS value FROM alert_outbox WHERE state = 'sent'`) === 3,
          30_000,
        );
        if (mode === 'swallow') expect(second.child.lines.some((l) => /was already in C0ALERTS/.test(l))).toBe(true);
        await stopChild(second.child);

        const posts = botPosts(channel).filter((m) => !m.thread_ts);
        const markers = posts.map((m) => (m.blocks?.[0] as { block_id?: string } | undefined)?.block_id);
        const distinct = new Set(markers);
        if (distinct.size < 3) figures.dataLost++;
        if (posts.length > distinct.size) figures.duplicates++;
        expect(posts).toHaveLength(3);
        expect(distinct.size).toBe(3);
        expect([...distinct].every((m) => m?.startsWith('lma_alert:'))).toBe(true);
        for (const n of [1, 3, 4]) expect(posts.filter((m) => m.text.includes(`${200 + n}`))).toHaveLength(1);
      } finally {
        await lmo.close();
      }
    },
    120_000,
  );
});

/** One value from the bot's SQLite store, read as another process would (undefined when there is no row). */
function storeValue(dir: string, sql: string): unknown {
  let db: Database.Database | undefined;
  try {
    db = new Database(join(dir, STORE_FILE), { readonly: true, fileMustExist: true });
    return (db.prepare(sql).get() as { value?: unknown } | undefined)?.value;
  } catch {
    return undefined; // not created yet, or the bot is still migrating it
  } finally {
    db?.close();
  }
}

describe('SIGKILL during a guide step, then a restart', () => {
  test('the guide carries on at the step the reply moved it to: no step lost, none taken twice', async () => {
    const dir = freshDir();
    const first = await startBot(dir, DIGEST_CHANNELS[0]!);
    const ack = await first.driver.command('install', { user: USER, channel: CHANNEL });
    expect(ack.status).toBe(200);
    const guideMessage = await slack.waitFor(
      () =>
        slack
          .messages(CHANNEL)
          .find((m) => m.bot_id !== undefined && m.thread_ts && JSON.stringify(m.blocks ?? []).includes('guide_done')),
      15_000,
    );
    const threadTs = guideMessage.thread_ts!;
    const stage = (): number | undefined => {
      const db = new Database(join(dir, STORE_FILE), { readonly: true });
      try {
        const row = db
          .prepare<[string, string], { state: string }>('SELECT state FROM guides WHERE channel = ? AND thread_ts = ?')
          .get(CHANNEL, threadTs);
        return row ? (JSON.parse(row.state) as { stage: number }).stage : undefined;
      } finally {
        db.close();
      }
    };
    // The guide is saved just after its message is posted.
    await slack.waitFor(() => stage() !== undefined, 30_000);
    const before = stage()!;

    // The first stage needs the LMO's name before "done".
    const named = slack.calls.length;
    await first.driver.say('LMO: Acme Production', { user: USER, channel: CHANNEL, thread_ts: threadTs });
    await slack.waitFor(
      () => slack.calls.slice(named).filter((c) => c.ok && c.method.startsWith('chat.')).length >= 2,
      15_000,
    );
    const shown = slack.messages(CHANNEL).find((m) => m.ts === guideMessage.ts)!;

    // "done" is saved, then the guide message is being updated when the process dies.
    const stopped = proxy.stopNext(
      'hold',
      (call) =>
        call.method === 'chat.update' ||
        (call.method === 'chat.postMessage' && call.args.get('thread_ts') === threadTs),
    );
    await first.driver.click(shown, 'guide_done', { user: USER, channel: CHANNEL });
    await stopped;
    await killBot(first);

    figures.restarts++;
    const second = await startBot(dir, DIGEST_CHANNELS[0]!);
    // The stale message's button is clicked again (the user saw no change): it must not skip a second step.
    await second.driver.click(shown, 'guide_done', { user: USER, channel: CHANNEL });
    const from = slack.calls.length;
    await second.driver.say('where am i', { user: USER, channel: CHANNEL, thread_ts: threadTs });
    await slack.waitFor(() => slack.calls.slice(from).some((c) => c.ok && c.method.startsWith('chat.')), 15_000);
    const after = stage() ?? -1;
    await stopChild(second.child);

    if (after < before + 1) figures.dataLost++;
    if (after > before + 1) figures.duplicates++;
    expect(after).toBe(before + 1);
  }, 120_000);
});

describe('SIGTERM', () => {
  test('an answer in flight still arrives, the process exits 0 and the store is closed cleanly', async () => {
    const dir = freshDir();
    const running = await startBot(dir, DIGEST_CHANNELS[0]!);
    await running.child.waitForLine(/Digest catch-up done|Digest catch-up failed|Daily digest/, 60_000);
    // Held 1.5 s, within the bot's 3 s per request: long enough to stop the bot while the LMO has the query.
    emulator.setFaults({ latencyMs: 1_500 });
    const before = emulator.log.length;
    try {
      const ack = await running.driver.command('renewals 30', { user: USER, channel: CHANNEL });
      expect(ack.status).toBe(200);
      // The LMO has the renewals query and has not answered it yet: stop the bot now.
      const inFlight = await slack.waitFor(
        () => emulator.log.slice(before).find((e) => /\/(query|composite)$/.test(e.path) && e.status === 0),
        30_000,
      );
      running.child.process.kill('SIGTERM');
      const [answer] = await running.driver.responses(ack.responseUrl, 1, 30_000);
      // The answer came from the query that was in flight at SIGTERM, answered after it.
      expect(inFlight.status).toBe(200);
      expect(String(answer!.body.text)).toContain('Renewals in the next 30 days');
      expect(await running.child.exited).toEqual({ code: 0, signal: null });
    } finally {
      emulator.setFaults({});
    }
    expect(running.child.lines.some((l) => l.includes('SIGTERM received'))).toBe(true);
    // A clean close checkpoints the write-ahead log and removes it.
    expect(existsSync(join(dir, `${STORE_FILE}-wal`))).toBe(false);
  }, 90_000);
});

describe('a DATA_DIR from a newer LMA Bot', () => {
  test('is refused: the process exits 1 saying which file, both versions and what to do, having started nothing', async () => {
    const dir = freshDir();
    const file = join(dir, STORE_FILE);
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const child = startChild(entry, botEnv(dir, DIGEST_CHANNELS[0]!));
    children.push(child);
    expect(await child.exited).toEqual({ code: 1, signal: null });
    const refusal = child.lines.find((l) => l.startsWith('LMA Bot failed to start:'));
    expect(refusal).toContain(`The store ${file} has schema version ${SCHEMA_VERSION + 1}`);
    expect(refusal).toContain(`knows versions up to ${SCHEMA_VERSION}`);
    expect(refusal).toContain('point DATA_DIR at another directory');
    expect(child.lines.some((l) => /Connected to the LMO|listening/.test(l))).toBe(false);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  }, 60_000);
});
