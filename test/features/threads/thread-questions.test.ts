/**
 * Questions asked in Slack threads, end to end: signed events through the real Bolt receiver, the real
 * jsforce against the embedded LMO (fixture: today 2026-06-15), answers read back from the fake Slack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { CHANNEL, type Harness, startHarness, tableRows, USER } from '../../support/harness.js';
import { LICENSE, NOW } from '../../support/lmo-fixture.js';
import {
  botMention,
  botReplies,
  messageText,
  postMessageCount,
  waitForBotReplies,
  waitForLog,
} from './thread-support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  h.slack.onEvent = undefined;
});
afterAll(async () => h?.close());

/** A top-level message that mentions the bot, and the bot's first answer in its thread. */
async function mention(text: string, channel = CHANNEL) {
  const { message } = await h.driver.say(`${botMention(h)} ${text}`, { user: USER, channel });
  const [answer] = await waitForBotReplies(h, channel, message.ts);
  return { ts: message.ts, answer };
}

describe('a mention', () => {
  test('is answered in its thread, for everyone, with the right renewal date and one LMO query', async () => {
    h.resetLog();
    const { ts, answer } = await mention('when does Acme Corporation renew?');
    expect(answer.thread_ts).toBe(ts);
    expect(answer.ephemeralTo).toBeUndefined();
    expect(answer.text).toContain('Acme Corporation renews Invoicer on Mon 15 Jun 2026');
    expect(h.soql()).toHaveLength(1);
    // Compact for threads: no "Share in channel" button.
    expect(JSON.stringify(answer.blocks)).not.toContain('lma_share');
  });

  test('delivered also as a message event (Slack sends both) is answered once', async () => {
    const before = postMessageCount(h);
    const text = `${botMention(h)} is Globex still on trial?`;
    const { message } = await h.driver.say(text, { user: USER, channel: CHANNEL });
    await h.driver.event({
      type: 'message',
      user: USER,
      text,
      ts: message.ts,
      channel: CHANNEL,
      channel_type: 'channel',
      event_ts: message.ts,
    });
    await waitForLog(h, 'answered as app_mention');
    const [answer] = await waitForBotReplies(h, CHANNEL, message.ts);
    expect(answer.text).toContain('Globex');
    expect(postMessageCount(h) - before).toBe(1);
  });

  test('inside an existing thread is answered in that thread', async () => {
    const parent = h.slack.postUserMessage({ channel: CHANNEL, user: USER, text: 'pipeline review' });
    await h.driver.say(`${botMention(h)} how many seats does Acme Corporation use?`, {
      user: USER,
      channel: CHANNEL,
      thread_ts: parent.ts,
    });
    const [answer] = await waitForBotReplies(h, CHANNEL, parent.ts);
    expect(answer.thread_ts).toBe(parent.ts);
    expect(answer.text).toContain('45 of 50 seats used');
  });
});

describe('follow-ups in a thread', () => {
  test('"and their seats?" and "when do they renew?" refer to the customer just answered about', async () => {
    const { ts } = await mention("what's the status of Acme Corporation");
    h.resetLog();
    await h.driver.say('and their seats?', { user: USER, channel: CHANNEL, thread_ts: ts });
    const [, seats] = await waitForBotReplies(h, CHANNEL, ts, 2);
    expect(seats.thread_ts).toBe(ts);
    expect(seats.text).toContain('Acme Corporation');
    expect(seats.text).toContain('45 of 50 seats used');
    expect(h.soql()).toHaveLength(1);

    await h.driver.say('when do they renew?', { user: USER, channel: CHANNEL, thread_ts: ts });
    const [, , renewal] = await waitForBotReplies(h, CHANNEL, ts, 3);
    expect(renewal.text).toContain('15 Jun 2026');
  });

  test('without a customer earlier in the thread, the bot asks which one and queries nothing', async () => {
    h.resetLog();
    const { answer } = await mention('and their seats?');
    expect(messageText(answer)).toContain('Which customer do you mean?');
    expect(h.soql()).toHaveLength(0);
  });

  test('context is per thread: another thread does not inherit the customer', async () => {
    await mention('status of Globex?');
    const { answer } = await mention('when do they renew?');
    expect(messageText(answer)).toContain('Which customer do you mean?');
  });

  test('"Acme Labs?" alone in a digest thread is its status', async () => {
    const digest = h.slack.postUserMessage({ channel: CHANNEL, user: USER, text: 'stand-in for the digest post' });
    await h.bot.runtime.store.threads.mark(CHANNEL, digest.ts, 'digest', NOW);
    await h.driver.say('Acme Labs?', { user: USER, channel: CHANNEL, thread_ts: digest.ts });
    const [answer] = await waitForBotReplies(h, CHANNEL, digest.ts);
    expect(answer.text).toContain('Acme Labs');
    expect(messageText(answer)).toContain('25 of 20 seats used');
  });
});

describe('other answers in threads', () => {
  test('"help" lists what can be asked in threads, with examples', async () => {
    const { answer } = await mention('help');
    expect(messageText(answer)).toContain('Ask me in a thread');
  });

  test('a list question gets the compact list in the thread: a page of 5 rows, Next for the rest, no Share button', async () => {
    // Stark's two perpetual licenses renew on day 45 for this test: 7 renewals in the next 60 days.
    const stark = [LICENSE(7), LICENSE(8)].map((id) => h.bot.emulator!.org.get(id)!.record);
    const kept = stark.map((record) => record.sfLma__Expiration__c);
    for (const record of stark) record.sfLma__Expiration__c = '2026-07-30';
    try {
      const { answer } = await mention('what is up for renewal in the next 60 days?');
      expect(answer.text).toMatch(/renew/i);
      const text = messageText(answer);
      expect(tableRows(answer.blocks).map(([customer]) => customer)).toHaveLength(5);
      expect(text).toContain('Acme Labs');
      expect(text).toContain('Rows 1–5 of 7 · page 1 of 2');
      expect(text).not.toContain('Stark Industries');
      expect(JSON.stringify(answer.blocks)).toContain('lma_page_next');
      expect(JSON.stringify(answer.blocks)).not.toContain('Share in channel');
    } finally {
      stark.forEach((record, i) => {
        record.sfLma__Expiration__c = kept[i];
      });
    }
  });

  test('an unreachable LMO is said in the thread, not silence', async () => {
    h.bot.emulator!.setFaults({ unavailableRate: 1 });
    try {
      const { answer } = await mention('when does Acme Corporation renew?');
      expect(answer.text).toContain('LMO unreachable');
    } finally {
      h.bot.emulator!.setFaults({ unavailableRate: 0 });
    }
  });

  test('a failed post to Slack is logged, and the next question is answered', async () => {
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' }, 2);
    const { message } = await h.driver.say(`${botMention(h)} status of Globex?`, { user: USER, channel: CHANNEL });
    await waitForLog(h, 'could not post the failure notice');
    expect(botReplies(h, CHANNEL, message.ts)).toHaveLength(0);
    const { answer } = await mention('status of Globex?');
    expect(answer.text).toContain('Globex');
  });
});

describe('what the bot does not understand', () => {
  test('an unmappable mention gets what was understood and example questions, and no query', async () => {
    h.resetLog();
    const { answer } = await mention('what is the weather like in Paris?');
    const text = messageText(answer);
    expect(text).toMatch(/couldn.t match that/i);
    expect(text).toContain('Try:');
    expect(h.soql()).toHaveLength(0);
  });

  test('an ambiguous customer gets the list of candidates', async () => {
    const { answer } = await mention("what's the status of acm");
    const text = messageText(answer);
    expect(text).toContain('Acme Corporation');
    expect(text).toContain('Acme Labs');
  });

  test('a pick from the candidates answers in the thread for everyone, and follow-ups refer to the pick', async () => {
    const { ts, answer } = await mention("what's the status of acm");
    const pick = await h.driver.click(answer, 'lma_pick_customer_1', { user: USER, channel: CHANNEL });
    expect(pick.status).toBe(200);
    const [picked] = await h.slack.waitFor(() => {
      const replies = botReplies(h, CHANNEL, ts).filter((m) => m.text.includes('Acme Labs:'));
      return replies.length > 0 ? replies : undefined;
    });
    expect(picked.ts).toBe(answer.ts);
    expect(picked.ephemeralTo).toBeUndefined();
    await h.driver.say('and their seats?', { user: USER, channel: CHANNEL, thread_ts: ts });
    const [, seats] = await waitForBotReplies(h, CHANNEL, ts, 2);
    expect(seats.text).toContain('Acme Labs');
    expect(messageText(seats)).toContain('25 of 20 seats used');
  });

  test('chatter between people in a bot thread is left alone; a question there is answered', async () => {
    const { ts } = await mention('status of Globex?');
    await h.driver.say('thanks, that helps', { user: USER, channel: CHANNEL, thread_ts: ts });
    await waitForLog(h, 'not answering a thread reply that is not a question');
    expect(botReplies(h, CHANNEL, ts)).toHaveLength(1);
    await h.driver.say('what is the weather like?', { user: USER, channel: CHANNEL, thread_ts: ts });
    const [, reply] = await waitForBotReplies(h, CHANNEL, ts, 2);
    expect(messageText(reply)).toContain('Try:');
  });
});

describe('direct messages', () => {
  test('are answered in the conversation, and follow-ups keep context there', async () => {
    const { message } = await h.driver.say('when does Acme Corporation renew?', { user: USER, channel: USER });
    const dm = message.channel;
    const answers = () => h.slack.messages(dm).filter((m) => m.bot_id !== undefined);
    const [first] = await h.slack.waitFor(() => (answers().length >= 1 ? answers() : undefined));
    expect(first.thread_ts).toBeUndefined();
    expect(first.text).toContain('15 Jun 2026');
    await h.driver.say('and their seats?', { user: USER, channel: USER });
    const [, second] = await h.slack.waitFor(() => (answers().length >= 2 ? answers() : undefined));
    expect(second.text).toContain('45 of 50 seats used');
  });
});

describe('events that are not questions', () => {
  test('a retried delivery (same event id) is answered once', async () => {
    const { message, eventId } = await h.driver.say(`${botMention(h)} status of Globex?`, {
      user: USER,
      channel: CHANNEL,
    });
    await waitForBotReplies(h, CHANNEL, message.ts);
    const event = {
      type: 'app_mention',
      user: USER,
      text: message.text,
      ts: message.ts,
      channel: CHANNEL,
      event_ts: message.ts,
    };
    const retry = await h.driver.event(event, { eventId, retryNum: 1 });
    expect(retry.status).toBe(200);
    await waitForLog(h, `event ${eventId} already answered`);
    expect(botReplies(h, CHANNEL, message.ts)).toHaveLength(1);
  });

  test("the bot's own posts, looped back as Slack delivers them, cause no reply storm", async () => {
    const echoes: Promise<{ status: number }>[] = [];
    h.slack.onEvent = (event) => {
      const delivered = h.driver.event(event);
      echoes.push(delivered);
      return delivered;
    };
    const before = postMessageCount(h);
    const { ts } = await mention('status of Globex?');
    await h.slack.waitFor(() => echoes.length >= 1);
    expect((await echoes[0]).status).toBe(200);
    // A later question answered in full means the echo, delivered before it, was handled (and dropped).
    await mention('status of Stark Industries?');
    expect(botReplies(h, CHANNEL, ts)).toHaveLength(1);
    expect(postMessageCount(h) - before).toBe(2);
  });

  test('another bot in a bot thread is ignored', async () => {
    const { ts } = await mention('status of Globex?');
    await h.driver.event({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'B0OTHER',
      text: 'Acme?',
      ts: '1781517600.999999',
      thread_ts: ts,
      channel: CHANNEL,
      channel_type: 'channel',
    });
    await h.driver.event({
      type: 'message',
      bot_id: 'B0OTHER',
      user: 'U0OTHERBOT',
      text: 'Acme?',
      ts: '1781517601.999999',
      thread_ts: ts,
      channel: CHANNEL,
      channel_type: 'channel',
    });
    await waitForLog(h, 'ignoring a bot wrote it', 2);
    expect(botReplies(h, CHANNEL, ts)).toHaveLength(1);
  });

  test('edits and deletions are ignored', async () => {
    const { ts } = await mention('status of Globex?');
    const before = postMessageCount(h);
    const edited = { type: 'message', user: USER, text: 'Acme Labs?', ts, thread_ts: ts };
    await h.driver.event({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: CHANNEL,
      channel_type: 'channel',
      message: edited,
      ts: '1781517700.000001',
      event_ts: '1781517700.000001',
    });
    await h.driver.event({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: CHANNEL,
      channel_type: 'channel',
      deleted_ts: ts,
      ts: '1781517700.000002',
      event_ts: '1781517700.000002',
    });
    await h.driver.event({
      type: 'app_mention',
      user: USER,
      text: `${botMention(h)} Acme Labs?`,
      ts,
      channel: CHANNEL,
      edited: { user: USER, ts: '1781517700.000003' },
    });
    await waitForLog(h, 'ignoring a message_changed event');
    await waitForLog(h, 'ignoring a message_deleted event');
    await waitForLog(h, 'ignoring an edit');
    expect(postMessageCount(h)).toBe(before);
  });

  test('a reply in a thread where the bot never spoke is ignored', async () => {
    const parent = h.slack.postUserMessage({ channel: CHANNEL, user: USER, text: 'lunch?' });
    const before = postMessageCount(h);
    await h.driver.say('when does Acme Corporation renew?', { user: USER, channel: CHANNEL, thread_ts: parent.ts });
    await waitForLog(h, 'a thread the bot never spoke in');
    expect(postMessageCount(h)).toBe(before);
  });

  test('an install guide thread is left to the guide', async () => {
    const parent = h.slack.postUserMessage({ channel: CHANNEL, user: USER, text: 'guide stand-in' });
    await h.bot.runtime.store.threads.mark(CHANNEL, parent.ts, 'guide', NOW);
    const before = postMessageCount(h);
    await h.driver.say('done', { user: USER, channel: CHANNEL, thread_ts: parent.ts });
    await h.driver.say(`${botMention(h)} Acme Labs?`, { user: USER, channel: CHANNEL, thread_ts: parent.ts });
    await waitForLog(h, 'a reply in a guide thread, handed to guide', 2);
    expect(postMessageCount(h)).toBe(before);
  });
});

describe('access control', () => {
  let restricted: Harness;
  beforeAll(async () => {
    restricted = await startHarness({ env: { LMA_ALLOWED_CHANNELS: 'C0SALES' } });
  });
  afterAll(async () => restricted?.close());

  test('a mention in a channel that is not allowed gets a private refusal naming no data, and no query', async () => {
    restricted.resetLog();
    const { message } = await restricted.driver.say(`${botMention(restricted)} when does Acme Corporation renew?`, {
      user: USER,
      channel: CHANNEL,
    });
    const [answer] = await waitForBotReplies(restricted, CHANNEL, message.ts);
    expect(answer.text).toContain('only available to the people and channels');
    expect(answer.ephemeralTo).toBe(USER);
    expect(messageText(answer)).not.toMatch(/Acme|Jun 2026/);
    expect(restricted.soql()).toHaveLength(0);
    // A refusal does not open the thread to plain replies.
    expect(await restricted.bot.runtime.store.threads.kind(CHANNEL, message.ts)).toBeUndefined();
  });

  test('a person not allowed chatting in a bot thread gets nothing; their mention there a private refusal', async () => {
    const outsider = await startHarness({
      env: { LMA_ALLOWED_USERS: USER },
      users: [{ id: 'U0MALLORY', name: 'mallory' }],
    });
    try {
      const { message } = await outsider.driver.say(`${botMention(outsider)} when does Acme Corporation renew?`, {
        user: USER,
        channel: CHANNEL,
      });
      await waitForBotReplies(outsider, CHANNEL, message.ts);
      const thread = { user: 'U0MALLORY', channel: CHANNEL, thread_ts: message.ts };
      await outsider.driver.say('thanks, nice', thread);
      await outsider.driver.say(`${botMention(outsider)} and their seats?`, thread);
      const replies = await waitForBotReplies(outsider, CHANNEL, message.ts, 2);
      // Time for a reply to the chatter, had there been one.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const toMallory = botReplies(outsider, CHANNEL, message.ts).slice(1);
      expect(replies.length).toBe(2);
      expect(toMallory.map((m) => [m.ephemeralTo, m.text.includes('only available to the people')])).toEqual([
        ['U0MALLORY', true],
      ]);
    } finally {
      await outsider.close();
    }
  });

  test('a mention in an allowed channel is answered', async () => {
    const { message } = await restricted.driver.say(`${botMention(restricted)} when does Acme Corporation renew?`, {
      user: USER,
      channel: 'C0SALES',
    });
    const [answer] = await waitForBotReplies(restricted, 'C0SALES', message.ts);
    expect(answer.text).toContain('15 Jun 2026');
  });
});
