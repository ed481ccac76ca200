/**
 * Slack faults: rate limits with Retry-After (thread answers, digest), a failing response_url, digest channels the
 * bot cannot post to, and Slack's redelivery of events it thinks were not acknowledged.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInstall } from '../features/guide/helpers.js';
import { recordFigures } from '../support/figures.js';
import { CHANNEL, type Harness, SIGNING_SECRET, startHarness, USER } from '../support/harness.js';
import { commandBody, postToApp } from '../support/raw-slack.js';

const DIGEST_CHANNEL = 'C0SALES';
const UNKNOWN_CHANNEL = 'C0NOWHERE';

let h: Harness;
let brokenResponseUrls: Server;
let brokenUrl = '';
beforeAll(async () => {
  // The digest slot is late in the day, so nothing posts until a test asks.
  h = await startHarness({
    env: { DIGEST_CHANNEL: `${DIGEST_CHANNEL},${UNKNOWN_CHANNEL}`, DIGEST_CRON: '0 18 * * *' },
  });
  // response_urls that fail: /404 and /500 answer with that status.
  brokenResponseUrls = createServer((req, res) => {
    req.resume();
    res.writeHead(Number(req.url?.slice(1)) || 500);
    res.end();
  });
  await new Promise<void>((resolve) => brokenResponseUrls.listen(0, '127.0.0.1', resolve));
  brokenUrl = `http://127.0.0.1:${(brokenResponseUrls.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => brokenResponseUrls?.close(resolve));
});

const mention = (text: string) => `<@${h.slack.identity.botUserId}> ${text}`;
const botReplies = (channel: string, ts: string) => h.slack.thread(channel, ts).filter((m) => m.bot_id !== undefined);
const calls = (method: string, from: number) => h.slack.calls.slice(from).filter((c) => c.method === method);
const waitForLog = (fragment: string) => h.slack.waitFor(() => h.logs.find((line) => line.includes(fragment)), 10_000);

describe('rate limits', () => {
  test('a thread answer met with ratelimited + Retry-After waits and is posted once', async () => {
    const from = h.slack.calls.length;
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 1 });
    const { message } = await h.driver.say(mention('when does Acme Corporation renew?'), {
      user: USER,
      channel: CHANNEL,
    });
    const [answer] = await h.slack.waitFor(
      () => (botReplies(CHANNEL, message.ts).length > 0 ? botReplies(CHANNEL, message.ts) : undefined),
      10_000,
    );
    expect(answer!.text).toContain('Acme Corporation renews');
    expect(calls('chat.postMessage', from).map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
    expect(botReplies(CHANNEL, message.ts)).toHaveLength(1);
  });

  test('the digest met with ratelimited + Retry-After waits and posts once; an unknown channel is logged with its fix', async () => {
    const from = h.slack.calls.length;
    h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 1 });
    const ack = await h.driver.command('digest post', { user: USER, channel: CHANNEL });
    const [reply] = await h.driver.responses(ack.responseUrl, 1, 15_000);
    expect(String(reply!.body.text)).toContain(`Posted today’s digest to <#${DIGEST_CHANNEL}>`);
    const parents = h.slack.messages(DIGEST_CHANNEL).filter((m) => m.bot_id !== undefined && !m.thread_ts);
    expect(parents).toHaveLength(1);
    expect(calls('chat.postMessage', from).filter((c) => c.error === 'ratelimited')).toHaveLength(1);

    // The unknown channel: a clear line in the log that says what to do, and the same for the user.
    const line = await waitForLog(`could not be posted to ${UNKNOWN_CHANNEL}`);
    expect(line).toContain('channel_not_found');
    expect(line).toContain('Check DIGEST_CHANNEL');
    expect(String(reply!.body.text)).toContain(`Could not post to <#${UNKNOWN_CHANNEL}>`);
  });

  test('not_in_channel for the digest: logged with the /invite fix, and the posted channel is not posted again', async () => {
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const ack = await h.driver.command('digest post', { user: USER, channel: CHANNEL });
    const [reply] = await h.driver.responses(ack.responseUrl, 1, 15_000);
    expect(String(reply!.body.text)).toContain('already posted');
    const line = await waitForLog('not_in_channel');
    expect(line).toContain('/invite');
    expect(h.slack.messages(DIGEST_CHANNEL).filter((m) => m.bot_id !== undefined && !m.thread_ts)).toHaveLength(1);
  });
});

describe('a failing response_url', () => {
  test.each([404, 500])(
    'answering %i: the error is logged and the user gets the answer as an ephemeral message',
    async (status) => {
      const before = h.slack.messages(CHANNEL).length;
      const body = commandBody(h.slack, {
        text: 'renewals 30',
        user: USER,
        channel: CHANNEL,
        responseUrl: `${brokenUrl}/${status}`,
      });
      expect(
        await postToApp(`${h.bot.url}/slack/events`, body, {
          contentType: 'application/x-www-form-urlencoded',
          signingSecret: SIGNING_SECRET,
        }),
      ).toBe(200);
      const told = await h.slack.waitFor(
        () =>
          h.slack
            .messages(CHANNEL)
            .slice(before)
            .find((m) => m.ephemeralTo === USER),
        10_000,
      );
      expect(told.text).toContain('Renewals in the next 30 days');
      expect(
        h.logs.some((l) => l.includes('Could not answer /lma through its response_url') && l.includes(String(status))),
      ).toBe(true);
    },
  );
});

describe("Slack's redeliveries", () => {
  test('a mention redelivered with X-Slack-Retry-Num and the same event_id is answered once; a guide reply too', async () => {
    const eventId = 'EvRETRY0001';
    const { message } = await h.driver.say(mention('is Globex still on trial?'), {
      user: USER,
      channel: CHANNEL,
      eventId,
    });
    const event = {
      type: 'app_mention',
      user: USER,
      text: message.text,
      ts: message.ts,
      channel: CHANNEL,
      event_ts: message.ts,
    };
    let redelivered = 0;
    for (const retryNum of [1, 2, 3]) {
      expect((await h.driver.event(event, { eventId, retryNum })).status).toBe(200);
      redelivered++;
    }
    await h.slack.waitFor(() => botReplies(CHANNEL, message.ts).length > 0, 10_000);
    // A later question in another thread is answered: the redeliveries have been handled by then.
    const { message: later } = await h.driver.say(mention('status Stark Industries'), { user: USER, channel: CHANNEL });
    await h.slack.waitFor(() => botReplies(CHANNEL, later.ts).length > 0, 10_000);
    const mentionReplies = botReplies(CHANNEL, message.ts).length;

    // A typed reply in an install-guide thread, redelivered: one effect.
    const guide = { ts: (await startInstall(h)).threadTs };
    expect(await h.bot.runtime.store.threads.kind(CHANNEL, guide.ts)).toBe('guide');
    const guideFrom = h.slack.calls.length;
    const reply = await h.driver.say('where am i', {
      user: USER,
      channel: CHANNEL,
      thread_ts: guide.ts,
      eventId: 'EvRETRY0002',
    });
    const replyEvent = {
      type: 'message',
      user: USER,
      text: 'where am i',
      ts: reply.message.ts,
      thread_ts: guide.ts,
      channel: CHANNEL,
      channel_type: 'channel',
      event_ts: reply.message.ts,
    };
    for (const retryNum of [1, 2]) {
      expect((await h.driver.event(replyEvent, { eventId: 'EvRETRY0002', retryNum })).status).toBe(200);
      redelivered++;
    }
    await h.slack.waitFor(() => h.slack.calls.slice(guideFrom).some((c) => c.ok && c.method !== 'auth.test'), 10_000);
    // The next reply's answer marks the point where the redeliveries have been handled.
    await h.driver.say('help', { user: USER, channel: CHANNEL, thread_ts: guide.ts });
    await h.slack.waitFor(
      () => h.slack.calls.slice(guideFrom).filter((c) => c.ok && c.method !== 'auth.test').length >= 2,
      10_000,
    );
    const guideEffects = h.slack.calls.slice(guideFrom).filter((c) => c.ok && c.method !== 'auth.test').length;

    await recordFigures('slackRetries', {
      redeliveries: redelivered,
      mentionAnswers: mentionReplies,
      guideReplyEffects: guideEffects - 1,
    });
    expect(mentionReplies).toBe(1);
    expect(guideEffects).toBe(2);
  });
});
