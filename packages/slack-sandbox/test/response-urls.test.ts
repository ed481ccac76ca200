import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../src/fake-slack.js';

const alice = { id: 'U0ALICE', name: 'alice' };
let slack: FakeSlack;
let now: Date;

/** Posts to a response_url the way Bolt's respond() does: JSON. */
async function respond(url: string, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

beforeEach(async () => {
  now = new Date('2025-12-01T09:00:00Z');
  slack = await startFakeSlack({
    botToken: 'xoxb-sandbox',
    channels: [{ id: 'C0SALES', name: 'sales' }],
    users: [alice],
    clock: () => now,
  });
});

afterEach(() => slack.close());

describe('response_url', () => {
  it('answers ephemerally to the user by default, and for everyone with response_type in_channel', async () => {
    const url = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    expect(await respond(url, { text: 'only you' })).toEqual({ status: 200, body: { ok: true } });
    await respond(url, { text: 'everyone', response_type: 'in_channel' });

    expect(slack.messages('C0SALES').map((m) => [m.text, m.ephemeralTo ?? 'everyone', m.bot_id])).toEqual([
      ['only you', alice.id, 'B0LMABOT'],
      ['everyone', 'everyone', 'B0LMABOT'],
    ]);
    expect(slack.responses(url).map((p) => [p.status, p.message?.text])).toEqual([
      [200, 'only you'],
      [200, 'everyone'],
    ]);
  });

  it('is used at most 5 times, then answers 404 used_url', async () => {
    const url = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    for (let i = 1; i <= 5; i += 1) expect((await respond(url, { text: `answer ${i}` })).status).toBe(200);
    expect(await respond(url, { text: 'one too many' })).toEqual({
      status: 404,
      body: { ok: false, error: 'used_url' },
    });
    expect(slack.messages('C0SALES')).toHaveLength(5);
    expect(slack.responses(url).at(-1)).toMatchObject({ status: 404, error: 'used_url' });
  });

  it('expires 30 minutes after it was issued', async () => {
    const url = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    now = new Date(now.getTime() + 30 * 60 * 1000);
    expect((await respond(url, { text: 'just in time' })).status).toBe(200);
    now = new Date(now.getTime() + 1000);
    expect(await respond(url, { text: 'too late' })).toEqual({
      status: 404,
      body: { ok: false, error: 'expired_url' },
    });
  });

  it('replaces the last message sent through a slash command’s url with replace_original', async () => {
    const url = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    await respond(url, { text: 'Looking…' });
    await respond(url, { text: 'Found 3 licenses', replace_original: true });
    expect(slack.messages('C0SALES')).toMatchObject([{ text: 'Found 3 licenses', ephemeralTo: alice.id }]);
  });

  it('replaces or deletes the message an interaction came from', async () => {
    const commandUrl = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    await respond(commandUrl, { text: 'Pick one', response_type: 'in_channel' });
    const [message] = slack.messages('C0SALES');
    const clickUrl = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id, messageTs: message!.ts });

    await respond(clickUrl, { text: 'You picked Acme', replace_original: true });
    expect(slack.messages('C0SALES').map((m) => [m.ts, m.text, m.ephemeralTo ?? 'everyone'])).toEqual([
      [message!.ts, 'You picked Acme', 'everyone'],
    ]);

    await respond(clickUrl, { delete_original: true });
    expect(slack.messages('C0SALES')).toEqual([]);
  });

  it('deletes the original and posts what came along, for "Share in channel"', async () => {
    const commandUrl = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    await respond(commandUrl, { text: 'Only you see this' });
    const [ephemeral] = slack.messages('C0SALES');
    const clickUrl = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id, messageTs: ephemeral!.ts });

    await respond(clickUrl, { delete_original: true, response_type: 'in_channel', text: 'Everyone sees this' });
    expect(slack.messages('C0SALES').map((m) => [m.text, m.ephemeralTo ?? 'everyone'])).toEqual([
      ['Everyone sees this', 'everyone'],
    ]);
  });

  it('refuses a post with neither text nor blocks, without counting it as a use', async () => {
    const url = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    expect(await respond(url, {})).toEqual({ status: 400, body: { ok: false, error: 'no_text' } });
    expect(await respond(url, { blocks: [{ nope: true }] })).toEqual({
      status: 400,
      body: { ok: false, error: 'invalid_blocks' },
    });
    for (let i = 1; i <= 5; i += 1) expect((await respond(url, { text: `answer ${i}` })).status).toBe(200);
  });

  it('accepts a form-encoded payload field too', async () => {
    const url = slack.createResponseUrl({ channel: 'C0SALES', user: alice.id });
    const body = new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) });
    const response = await fetch(url, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(slack.messages('C0SALES')[0]?.text).toBe('from a form');
  });

  it('answers 404 for a url it never issued', async () => {
    const response = await fetch(`${slack.url}/response-url/unknown`, { method: 'POST', body: '{"text":"x"}' });
    expect(response.status).toBe(404);
    expect(slack.responses(`${slack.url}/response-url/unknown`)).toEqual([]);
  });
});
