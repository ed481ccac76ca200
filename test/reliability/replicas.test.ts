/**
 * Two replicas of the compiled bot (`node dist/index.js`, HTTP mode) on one Postgres schema, with the fake Slack and
 * the embedded LMO running here, and Slack's requests alternating between them as a load balancer spreads them:
 * both digest crons fire and each channel gets its digest once; an alert is posted once; an install guide driven
 * through both ends in the right step; the replicas' connections killed (pg_terminate_backend, as a Postgres
 * restart does) lose and double nothing; the replica holding a digest claim killed with SIGKILL mid-post → the
 * other finishes it, without a second post. The replicas reach Postgres through a TCP proxy here (to tell their
 * connections apart from other tests' on the shared server, which is never restarted).
 */
import { type EmulatorHandle, generateDemoData, startEmulator } from '@lma-bot/lmo-emulator';
import { type FakeSlack, startFakeSlack } from '@lma-bot/slack-sandbox';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIn } from '../../src/lma/dates.js';
import { type BotProcess, botSettings, killBot, startBotProcess } from '../support/bot-process.js';
import { stopChild } from '../support/child-process.js';
import { BUILD_TIMEOUT_MS, buildCompiled } from '../support/compiled.js';
import { eventually } from '../support/eventually.js';
import { recordFigures } from '../support/figures.js';
import { BOT_TOKEN, CHANNEL, USER } from '../support/harness.js';
import { createTestSchema, postgresAvailable, TEST_DATABASE_URL, type TestSchema } from '../support/postgres.js';
import { type SlackProxy, startSlackProxy } from '../support/slack-proxy.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const DIGEST_CHANNELS = ['C0DIGESTA', 'C0DIGESTB'];
const KILL_CHANNEL = 'C0DIGESTK';
const ALERT_CHANNEL = 'C0ALERTS';

describe.runIf(postgresAvailable())('two replicas on one Postgres', () => {
  let entry = '';
  let slack: FakeSlack;
  let slackProxy: SlackProxy;
  let emulator: EmulatorHandle;
  let db: TestSchema;
  let pg: TcpProxy;
  const started: BotProcess[] = [];
  let replicas: BotProcess[] = [];
  /** What the README reports (test-artifacts/reliability.json, section `replicas`). */
  const figures = {
    digestChannels: DIGEST_CHANNELS.length,
    digestRuns: 0,
    digestPosts: 0,
    guideSteps: 0,
    licensesConverted: 0,
    alertsPosted: 0,
    connectionsTerminated: 0,
    claimHoldersKilled: 0,
    digestPostsAfterKill: 0,
  };

  beforeAll(async () => {
    entry = await buildCompiled();
    slack = await startFakeSlack({
      botToken: BOT_TOKEN,
      channels: [CHANNEL, ...DIGEST_CHANNELS, KILL_CHANNEL, ALERT_CHANNEL].map((id) => ({
        id,
        name: id.toLowerCase(),
      })),
      users: [{ id: USER, name: 'alice' }],
    });
    slackProxy = await startSlackProxy(slack.url);
    // Dated from the real today, as the replicas run on the real clock.
    emulator = await startEmulator({ data: generateDemoData({ today: todayIn('UTC', new Date()) }), timezone: 'UTC' });
    db = await createTestSchema('replicas');
    const server = new URL(TEST_DATABASE_URL!);
    pg = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    replicas = await startReplicas({
      DIGEST_CHANNEL: DIGEST_CHANNELS.join(','),
      // Every two seconds: both replicas' crons fire again and again on the same day; one that finds the other
      // posting tries again two seconds later.
      DIGEST_CRON: '*/2 * * * * *',
      DIGEST_LEASE_MS: '2000',
      ALERT_CHANNEL,
      ALERT_POLL_SECONDS: '15',
    });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    // A filtered run (-t) records nothing rather than a part.
    if (figures.alertsPosted > 0 && figures.connectionsTerminated > 0) await recordFigures('replicas', figures);
    // A replica that died on its own says why (the kill test's holder aside).
    for (const bot of started)
      if (bot.child.process.exitCode !== null)
        console.error(`replica ${bot.child.process.pid} exited:\n${bot.child.lines.slice(-60).join('\n')}`);
    for (const bot of started) await stopChild(bot.child);
    await pg?.close();
    await slackProxy?.close();
    await slack?.close();
    await emulator?.close();
    await db?.drop();
  });

  /** Two replicas with these settings on the test's schema, started together. */
  const startReplicas = async (env: Record<string, string>) => {
    const settings = { ...botSettings(slackProxy.apiUrl, emulator), DATABASE_URL: pg.via(db.url), ...env };
    const pair = await Promise.all([0, 1].map(() => startBotProcess(entry, settings, slack)));
    started.push(...pair);
    return pair;
  };

  /** The load balancer: each request to the next replica. */
  let turn = 0;
  const nextReplica = () => replicas[turn++ % replicas.length]!;

  const botPosts = (channel: string) => slack.messages(channel).filter((m) => m.bot_id !== undefined);
  const parents = (channel: string) => botPosts(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  const threadReplies = (channel: string, ts: string) =>
    slack.thread(channel, ts).filter((m) => m.bot_id !== undefined && m.ts !== ts);

  /** How many digest runs (one per channel and try) a replica's /metrics counts, by outcome. */
  const digestRuns = async (bot: BotProcess) => {
    const text = await (await fetch(`${bot.url}/metrics`)).text();
    return [...text.matchAll(/^lma_digest_runs_total\{outcome="(\w+)"\} (\d+)$/gm)].reduce(
      (sum, match) => sum + Number(match[2]),
      0,
    );
  };

  const ledger = (channel: string) =>
    db.query<{ state: string; owner: string }>('SELECT state, owner FROM digest_ledger WHERE channel = $1', [channel]);

  test('both replicas’ digest crons fire: each channel gets its digest once, thread reply included', async () => {
    // Each replica has tried every channel at least three times (its catch-up and two cron ticks).
    for (const bot of replicas)
      await eventually(async () => (await digestRuns(bot)) >= 3 * DIGEST_CHANNELS.length, 'three runs each', 30_000);
    for (const bot of replicas) figures.digestRuns += await digestRuns(bot);
    for (const channel of DIGEST_CHANNELS) {
      figures.digestPosts += parents(channel).length;
      expect(parents(channel)).toHaveLength(1);
      expect(threadReplies(channel, parents(channel)[0]!.ts)).toHaveLength(1);
      expect(await ledger(channel)).toEqual([expect.objectContaining({ state: 'posted' })]);
    }
  }, 60_000);

  /** The install guide of a thread, as the store has it. */
  const guide = async (threadTs: string) =>
    (
      await db.query<{
        revision: number;
        state: { stage: number; lmo?: { name: string }; history: { action: string }[] };
      }>('SELECT revision, state::json AS state FROM guides WHERE channel = $1 AND thread_ts = $2', [CHANNEL, threadTs])
    )[0];

  /** `/lma install` through one replica; the guide's thread once it is saved. */
  const startGuide = async () => {
    const before = new Set(botPosts(CHANNEL).map((m) => m.ts));
    const ack = await nextReplica().driver.command('install', { user: USER, channel: CHANNEL });
    expect(ack.status).toBe(200);
    const message = await slack.waitFor(
      () =>
        botPosts(CHANNEL).find(
          (m) => !before.has(m.ts) && m.thread_ts && JSON.stringify(m.blocks ?? []).includes('guide_done'),
        ),
      15_000,
    );
    const threadTs = message.thread_ts!;
    await eventually(() => guide(threadTs), 'the guide saved');
    return threadTs;
  };

  /** Replies in the guide's thread, each through the next replica, each waited for until the guide has moved. */
  const driveGuide = async (threadTs: string, replies: string[], between?: () => Promise<void>) => {
    for (const reply of replies) {
      const { revision } = (await guide(threadTs))!;
      const sent = await nextReplica().driver.say(reply, { user: USER, channel: CHANNEL, thread_ts: threadTs });
      expect(sent.status).toBe(200);
      await eventually(async () => (await guide(threadTs))!.revision > revision, `the guide moved by "${reply}"`);
      figures.guideSteps++;
      await between?.();
    }
  };

  const GUIDE_REPLIES = ['LMO: Acme Production', 'done', 'I understand', 'I understand', 'done'];
  /** Where those replies lead: every step taken once, in order. */
  const expectGuideAfterReplies = async (threadTs: string) => {
    const { state } = (await guide(threadTs))!;
    expect(state.stage).toBe(4);
    expect(state.lmo?.name).toBe('Acme Production');
    expect(state.history.map((h) => h.action)).toEqual(['start', 'org', 'done', 'understood', 'understood', 'done']);
  };

  test('an install guide driven alternately through both replicas ends in the right step, none lost or repeated', async () => {
    const threadTs = await startGuide();
    await driveGuide(threadTs, GUIDE_REPLIES);
    await expectGuideAfterReplies(threadTs);
  }, 60_000);

  const lmo = () => new Connection({ instanceUrl: emulator.url, accessToken: emulator.accessToken, version: '62.0' });
  /** Converts one more trial to paid, as a customer buying would: one alert for the subscribed channel. */
  const convertTrial = async (): Promise<string> => {
    const trial = (
      await lmo().query<{ Id: string }>("SELECT Id FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial' LIMIT 1")
    ).records[0]!;
    await lmo().sobject('sfLma__License__c').update({ Id: trial.Id, sfLma__Status__c: 'Active' });
    figures.licensesConverted++;
    return trial.Id;
  };
  const alertPosts = () => parents(ALERT_CHANNEL);

  test('alerts: each license change is posted once, whichever replica reads it', async () => {
    // The change feed's baseline, taken by whichever replica read it first (the digest reads it too).
    await eventually(
      async () => (await db.query(`SELECT value FROM feed_state WHERE key = 'watermark'`)).length === 1,
      'the change feed baseline',
      40_000,
    );
    for (const n of [1, 2]) {
      await convertTrial();
      await eventually(async () => alertPosts().length >= n, `alert ${n}`, 40_000);
    }
    // By the second alert both replicas have flushed the outbox since the first: neither posted one twice.
    expect(alertPosts()).toHaveLength(2);
    // A replica marks an alert sent once Slack has answered its post: the second may still be 'sending' just after.
    const outbox = () =>
      db.query<{ state: string; n: number }>(
        'SELECT state, COUNT(*)::int AS n FROM alert_outbox WHERE channel = $1 GROUP BY state',
        [ALERT_CHANNEL],
      );
    await eventually(
      async () => (await outbox()).every((row) => row.state === 'sent'),
      'both alerts marked sent',
      10_000,
    );
    expect(await outbox()).toEqual([{ state: 'sent', n: 2 }]);
    expect(alertPosts()).toHaveLength(2);
  }, 120_000);

  /** Ends every connection the replicas hold, from the server's side. */
  const terminateReplicaConnections = async () => {
    const ports = pg.upstreamPorts();
    const ended = await db.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE client_port = ANY($1::int[])',
      [ports],
    );
    return ended.length;
  };

  test('their Postgres connections killed between every step: both reconnect, nothing lost or doubled', async () => {
    let terminated = 0;
    const threadTs = await startGuide();
    await driveGuide(threadTs, GUIDE_REPLIES, async () => {
      terminated += await terminateReplicaConnections();
    });
    expect(terminated).toBeGreaterThan(0);
    await expectGuideAfterReplies(threadTs);
    // An alert after the connections died is posted once too.
    terminated += await terminateReplicaConnections();
    await convertTrial();
    await eventually(async () => alertPosts().length >= 3, 'alert 3', 40_000);
    for (const bot of replicas) expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    expect(alertPosts()).toHaveLength(3);
    for (const channel of DIGEST_CHANNELS) expect(parents(channel)).toHaveLength(1);
    figures.alertsPosted = alertPosts().length;
    figures.connectionsTerminated = terminated;
  }, 120_000);

  /** `/lma <text>` through a replica; the private answer's text. */
  const ask = async (bot: BotProcess, text: string) => {
    const ack = await bot.driver.command(text, { user: USER, channel: CHANNEL });
    expect(ack.status).toBe(200);
    const [answer] = await bot.driver.responses(ack.responseUrl, 1, 30_000);
    return String(answer!.body.text);
  };
  const readiness = async (bot: BotProcess) => {
    const response = await fetch(`${bot.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { reason?: string } };
  };

  test('Postgres unreachable: /readyz is 503 naming the store, answers that need it say so, the others still work; back by itself', async () => {
    const customer = (await lmo().query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name LIMIT 1')).records[0]!
      .Name;
    pg.cut();
    try {
      for (const bot of replicas) {
        const ready = await readiness(bot);
        expect(ready.status).toBe(503);
        expect(ready.body.reason).toContain('the store cannot be read');
        // The LMO alone answers: the request's replay check could not be made, and is skipped.
        expect(await ask(bot, `status ${customer}`)).toContain(customer);
        // The channel's alert subscriptions live in the store.
        const refused = await ask(bot, 'alerts');
        expect(refused).toContain('I cannot reach my database right now');
        expect(refused).toContain('Try again in a few minutes');
      }
      // A license changed during the outage is alerted once Postgres is back: the watermark did not move.
      await convertTrial();
    } finally {
      pg.restore();
    }
    for (const bot of replicas) await eventually(async () => (await readiness(bot)).status === 200, 'ready again');
    expect(await ask(nextReplica(), 'alerts')).toContain('This channel gets no license alerts');
    await eventually(async () => alertPosts().length >= 4, 'the alert of the outage', 60_000);
    expect(alertPosts()).toHaveLength(4);
    figures.alertsPosted = alertPosts().length;
    // Neither replica died of the outage (the digest cron and the alert poll met it too).
    expect(replicas.every((bot) => bot.child.process.exitCode === null)).toBe(true);
  }, 120_000);

  test('SIGKILL of the replica holding a digest claim mid-post: the other finishes it, without a second post', async () => {
    // Slack posts the message, the holder never hears back: it cannot record the ts before it dies.
    const swallowed = slackProxy.stopNext(
      'swallow',
      (call) => call.method === 'chat.postMessage' && call.args.get('channel') === KILL_CHANNEL,
    );
    // A lease of 1 s: the replica that finds the slot busy tries again every second.
    const pair = await startReplicas({
      DIGEST_CHANNEL: KILL_CHANNEL,
      DIGEST_CRON: '0 0 * * *',
      DIGEST_LEASE_MS: '1000',
    });
    await swallowed;
    const [claim] = await ledger(KILL_CHANNEL);
    const holderPid = Number(claim!.owner.split(':').at(-2));
    const holder = pair.find((bot) => bot.child.process.pid === holderPid)!;
    const other = pair.find((bot) => bot !== holder)!;
    expect(holder).toBeDefined();
    await killBot(holder);
    figures.claimHoldersKilled++;
    await eventually(
      async () => (await ledger(KILL_CHANNEL))[0]?.state === 'posted',
      'the other replica finished',
      30_000,
    );
    figures.digestPostsAfterKill = parents(KILL_CHANNEL).length;
    expect(parents(KILL_CHANNEL)).toHaveLength(1);
    expect(threadReplies(KILL_CHANNEL, parents(KILL_CHANNEL)[0]!.ts)).toHaveLength(1);
    expect((await ledger(KILL_CHANNEL))[0]!.owner).toContain(`:${other.child.process.pid}:`);
    expect(other.child.lines.some((l) => l.includes('from an interrupted run: not posted again'))).toBe(true);
  }, 90_000);
});
