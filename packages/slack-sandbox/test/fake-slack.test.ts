import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../src/fake-slack.js';

const token = 'xoxb-sandbox';
const alice = { id: 'U0ALICE', name: 'alice', realName: 'Alice Admin' };
const bob = { id: 'U0BOB', name: 'bob' };

let slack: FakeSlack;
let client: webApi.WebClient;

/** A real WebClient, retrying quickly so rate-limit tests stay fast. */
function clientFor(fake: FakeSlack, clientToken = token): webApi.WebClient {
  return new webApi.WebClient(clientToken, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
}

/** The Slack error code of a failed call. */
async function errorOf(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error ?? String(error);
  }
}

beforeEach(async () => {
  slack = await startFakeSlack({
    botToken: token,
    channels: [
      { id: 'C0SALES', name: 'sales' },
      { id: 'C0PRIVATE', name: 'private', members: [alice.id] },
    ],
    users: [alice, bob],
  });
  client = clientFor(slack);
});

afterEach(() => slack.close());

describe('fake Slack Web API, called by the real WebClient', () => {
  it('answers auth.test with the bot’s identity', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, user_id: 'U0LMABOT', bot_id: 'B0LMABOT', team_id: 'T0LMATEAM' });
    expect(slack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('refuses a wrong token with invalid_auth and no token with not_authed', async () => {
    expect(await errorOf(clientFor(slack, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
    expect(await errorOf(clientFor(slack, '').auth.test())).toBe('not_authed');
  });

  it('answers an unknown method with unknown_method', async () => {
    expect(await errorOf(client.apiCall('chat.teleport', { channel: 'C0SALES' }))).toBe('unknown_method');
  });

  it('posts messages and thread replies with unique increasing ts, counting replies on the parent', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0SALES', text: 'Renewals this month' });
    expect(parent).toMatchObject({
      ok: true,
      channel: 'C0SALES',
      message: { text: 'Renewals this month', bot_id: 'B0LMABOT' },
    });
    const reply = await client.chat.postMessage({ channel: 'C0SALES', text: 'details', thread_ts: parent.ts });
    const broadcast = await client.chat.postMessage({
      channel: 'C0SALES',
      text: 'also in channel',
      thread_ts: parent.ts!,
      reply_broadcast: true,
      unfurl_links: false,
      unfurl_media: false,
    });
    const timestamps = slack.messages('C0SALES').map((m) => m.ts);
    expect(timestamps).toEqual([parent.ts, reply.ts, broadcast.ts]);
    expect([...timestamps].sort()).toEqual(timestamps);
    expect(timestamps[0]).toMatch(/^\d{10}\.\d{6}$/);
    expect(new Set(timestamps).size).toBe(3);
    expect(slack.thread('C0SALES', parent.ts!)).toMatchObject([
      { replyCount: 2 },
      { thread_ts: parent.ts },
      { broadcast: true },
    ]);

    const history = await client.conversations.history({ channel: 'C0SALES' });
    expect(history.messages?.map((m) => m.text)).toEqual(['also in channel', 'Renewals this month']);
    const replies = await client.conversations.replies({ channel: 'C0SALES', ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['Renewals this month', 'details', 'also in channel']);
    expect(replies.messages?.[0]).toMatchObject({ reply_count: 2 });
  });

  it('accepts JSON bodies as well as form bodies', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({
        channel: 'C0SALES',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }],
      }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0SALES' });
    expect(slack.messages('C0SALES')[0]?.blocks).toHaveLength(1);
  });

  it('refuses posts Slack would refuse', async () => {
    const post = (args: Record<string, unknown>): Promise<string | undefined> =>
      errorOf(client.apiCall('chat.postMessage', { channel: 'C0SALES', text: 'x', ...args }));
    expect(await post({ channel: 'C0NOWHERE' })).toBe('channel_not_found');
    expect(await post({ channel: 'C0PRIVATE' })).toBe('not_in_channel');
    expect(await post({ text: '' })).toBe('no_text');
    expect(await post({ text: 'x'.repeat(40_001) })).toBe('msg_too_long');
    expect(await post({ blocks: { type: 'section' } })).toBe('invalid_blocks');
    expect(await post({ blocks: [{ text: 'no type' }] })).toBe('invalid_blocks');
    expect(await post({ blocks: 'not json' })).toBe('invalid_blocks');
    expect(slack.messages('C0SALES')).toEqual([]);
    expect(slack.calls.filter((c) => !c.ok).map((c) => c.error)).toHaveLength(7);
  });

  it('posts by channel name and to a user id as a DM', async () => {
    await client.chat.postMessage({ channel: '#sales', text: 'by name' });
    const dm = await client.chat.postMessage({ channel: alice.id, text: 'just you' });
    expect(slack.messages('C0SALES')[0]?.text).toBe('by name');
    expect(slack.messages(dm.channel!)[0]?.text).toBe('just you');
    expect(await client.conversations.info({ channel: dm.channel! })).toMatchObject({
      channel: { is_im: true, user: alice.id },
    });
  });

  it('keeps ephemeral messages out of history and replies but in the recorded messages', async () => {
    const result = await client.chat.postEphemeral({ channel: 'C0SALES', user: alice.id, text: 'only Alice' });
    expect(result.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.messages('C0SALES')).toMatchObject([{ text: 'only Alice', ephemeralTo: alice.id }]);
    expect((await client.conversations.history({ channel: 'C0SALES' })).messages).toEqual([]);
    expect(await errorOf(client.chat.postEphemeral({ channel: 'C0SALES', user: 'U0NOBODY', text: 'x' }))).toBe(
      'user_not_found',
    );
    expect(await errorOf(client.chat.update({ channel: 'C0SALES', ts: result.message_ts!, text: 'y' }))).toBe(
      'message_not_found',
    );
  });

  it('updates and deletes only the bot’s own messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0SALES', text: 'Working…' });
    const updated = await client.chat.update({ channel: 'C0SALES', ts: posted.ts!, text: 'Done' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0SALES', ts: posted.ts, text: 'Done' });
    expect(slack.messages('C0SALES')).toMatchObject([{ ts: posted.ts, text: 'Done', edited: true }]);

    const human = slack.postUserMessage({ channel: 'C0SALES', user: alice.id, text: 'hello' });
    expect(await errorOf(client.chat.update({ channel: 'C0SALES', ts: human.ts, text: 'x' }))).toBe(
      'cant_update_message',
    );
    expect(await errorOf(client.chat.update({ channel: 'C0SALES', ts: '1.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
    expect(await errorOf(client.chat.delete({ channel: 'C0SALES', ts: human.ts }))).toBe('cant_delete_message');

    expect(await client.chat.delete({ channel: 'C0SALES', ts: posted.ts! })).toMatchObject({ ok: true, ts: posted.ts });
    expect(slack.messages('C0SALES').map((m) => m.text)).toEqual(['hello']);
  });

  it('answers conversations.replies for an unknown thread with thread_not_found, and pages long threads', async () => {
    expect(await errorOf(client.conversations.replies({ channel: 'C0SALES', ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
    const parent = await client.chat.postMessage({ channel: 'C0SALES', text: 'p' });
    for (const text of ['1', '2', '3'])
      await client.chat.postMessage({ channel: 'C0SALES', text, thread_ts: parent.ts });
    const first = await client.conversations.replies({ channel: 'C0SALES', ts: parent.ts!, limit: 2 });
    expect(first.has_more).toBe(true);
    const rest = await client.conversations.replies({
      channel: 'C0SALES',
      ts: parent.ts!,
      limit: 2,
      cursor: first.response_metadata!.next_cursor!,
    });
    expect([...first.messages!, ...rest.messages!].map((m) => m.text)).toEqual(['p', '1', '2', '3']);
  });

  it('answers conversations.info and users.info, or channel_not_found / user_not_found', async () => {
    expect(await client.conversations.info({ channel: 'C0PRIVATE' })).toMatchObject({
      channel: { id: 'C0PRIVATE', name: 'private', is_member: false },
    });
    expect(await errorOf(client.conversations.info({ channel: 'C0NOWHERE' }))).toBe('channel_not_found');
    expect(await client.users.info({ user: alice.id })).toMatchObject({
      user: { id: alice.id, name: 'alice', real_name: 'Alice Admin', profile: { real_name: 'Alice Admin' } },
    });
    expect(await errorOf(client.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('answers users.conversations with the channels a user is in, page by page, never a DM', async () => {
    await client.conversations.open({ users: alice.id });
    const ids = async (user: string, cursor?: string) => {
      const page = await client.users.conversations({
        user,
        types: 'public_channel,private_channel',
        limit: 1,
        cursor,
      });
      return { ids: page.channels?.map((c) => c.id), next: page.response_metadata?.next_cursor };
    };
    expect(await ids(alice.id)).toEqual({ ids: ['C0SALES'], next: '1' });
    expect(await ids(alice.id, '1')).toEqual({ ids: ['C0PRIVATE'], next: '' });
    expect(await ids(bob.id)).toEqual({ ids: ['C0SALES'], next: '' });
    expect(await errorOf(client.users.conversations({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('publishes home tabs and adds reactions once', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Home' } }];
    const published = await client.views.publish({ user_id: alice.id, view: { type: 'home', blocks } });
    expect(published.view).toMatchObject({ type: 'home', blocks });
    expect(slack.homeView(alice.id)).toMatchObject({ blocks });

    const human = slack.postUserMessage({ channel: 'C0SALES', user: alice.id, text: 'thanks' });
    await client.reactions.add({ channel: 'C0SALES', timestamp: human.ts, name: 'white_check_mark' });
    expect(slack.messages('C0SALES')[0]?.reactions).toEqual([{ name: 'white_check_mark', users: ['U0LMABOT'] }]);
    expect(
      await errorOf(client.reactions.add({ channel: 'C0SALES', timestamp: human.ts, name: 'white_check_mark' })),
    ).toBe('already_reacted');
  });

  it('opens a DM with a person and takes a file uploaded to it (files.uploadV2), as a message with the file', async () => {
    const opened = await client.conversations.open({ users: alice.id });
    const dm = opened.channel!.id!;
    expect(dm).toBe(slack.channel(alice.id)!.id);
    await client.files.uploadV2({
      channel_id: dm,
      filename: 'rows.csv',
      content: 'a,b\n1,2\n',
      initial_comment: 'Rows',
    });
    const [message] = slack.messages(dm).filter((m) => m.files?.length);
    expect(message).toMatchObject({ text: 'Rows', files: [{ name: 'rows.csv', mimetype: 'text/csv' }] });
    expect(slack.file(message.files![0].id)!.content!.toString('utf8')).toBe('a,b\n1,2\n');
  });

  it('refuses a DM without im:write and an upload without files:write with missing_scope, naming what would do', async () => {
    const narrow = await startFakeSlack({ botToken: token, users: [alice], scopes: ['chat:write'] });
    try {
      const narrowClient = clientFor(narrow);
      const refused = await narrowClient.conversations.open({ users: alice.id }).catch((e) => e.data);
      expect(refused).toMatchObject({ ok: false, error: 'missing_scope' });
      expect(refused.needed.split(',')).toContain('im:write');
      expect(await errorOf(narrowClient.files.getUploadURLExternal({ filename: 'a.csv', length: 3 }))).toBe(
        'missing_scope',
      );
    } finally {
      await narrow.close();
    }
  });

  it('records every call with its arguments but never the token', async () => {
    await client.chat.postMessage({ channel: 'C0SALES', text: 'x', token });
    expect(slack.calls).toHaveLength(1);
    expect(slack.calls[0]).toMatchObject({
      method: 'chat.postMessage',
      ok: true,
      args: { channel: 'C0SALES', text: 'x' },
    });
    expect(JSON.stringify(slack.calls)).not.toContain(token);
  });
});

describe('injected failures', () => {
  it('answers ratelimited with 429 and Retry-After, which WebClient honours by retrying once', async () => {
    slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 0 });
    const rateLimited: number[] = [];
    client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));

    const result = await client.chat.postMessage({ channel: 'C0SALES', text: 'eventually' });

    expect(result.ok).toBe(true);
    expect(rateLimited).toEqual([0]);
    expect(slack.calls.map((c) => [c.method, c.error ?? 'ok'])).toEqual([
      ['chat.postMessage', 'ratelimited'],
      ['chat.postMessage', 'ok'],
    ]);
    expect(slack.messages('C0SALES').map((m) => m.text)).toEqual(['eventually']);
  });

  it('sends the Retry-After header Slack sends', async () => {
    slack.failNext('auth.test', { error: 'ratelimited', retryAfterSeconds: 30 });
    const response = await fetch(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('fails the next N calls of a method with the given error, then recovers', async () => {
    slack.failNext('conversations.info', { error: 'channel_not_found' }, 2);
    expect(await errorOf(client.conversations.info({ channel: 'C0SALES' }))).toBe('channel_not_found');
    expect(await errorOf(client.conversations.info({ channel: 'C0SALES' }))).toBe('channel_not_found');
    expect((await client.conversations.info({ channel: 'C0SALES' })).ok).toBe(true);
  });
});

describe('echoed events and waiting', () => {
  it('delivers the bot’s own posts, edits and deletions as message events, but not ephemeral ones', async () => {
    const events: Record<string, unknown>[] = [];
    slack.onEvent = (event) => void events.push(event);
    const posted = await client.chat.postMessage({ channel: 'C0SALES', text: 'hi' });
    await client.chat.update({ channel: 'C0SALES', ts: posted.ts!, text: 'hello' });
    await client.chat.postEphemeral({ channel: 'C0SALES', user: alice.id, text: 'secret' });
    await client.chat.delete({ channel: 'C0SALES', ts: posted.ts! });

    await slack.waitFor(() => events.length >= 3);
    expect(events).toMatchObject([
      {
        type: 'message',
        channel: 'C0SALES',
        ts: posted.ts,
        bot_id: 'B0LMABOT',
        user: 'U0LMABOT',
        channel_type: 'channel',
      },
      { type: 'message', subtype: 'message_changed', message: { text: 'hello' } },
      { type: 'message', subtype: 'message_deleted', deleted_ts: posted.ts },
    ]);
  });

  it('resolves waitFor when the predicate first returns a value, and rejects with a clear message on timeout', async () => {
    const waiting = slack.waitFor(() => slack.messages('C0SALES')[0]);
    await client.chat.postMessage({ channel: 'C0SALES', text: 'first' });
    expect((await waiting).text).toBe('first');
    await expect(slack.waitFor(() => undefined, 50)).rejects.toThrow(/timed out after 50 ms.*chat\.postMessage ok/);
  });
});
