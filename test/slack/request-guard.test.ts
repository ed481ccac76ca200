/**
 * The guard in front of Bolt, on a real HTTP server: what reaches the listener behind it, with which body, and what
 * is refused before it (fast: no Bolt, no LMO).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { guardSlackRequests, isSlackShaped } from '../../src/slack/request-guard.js';

const PATH = '/slack/events';
const LIMIT = 1024;
const FORM = 'application/x-www-form-urlencoded';

let server: Server;
let base: string;
/** What the listener behind the guard saw: method, path and the body handed on (rawBody). */
let reached: { method?: string; url?: string; rawBody?: string }[] = [];

beforeAll(async () => {
  server = createServer(
    guardSlackRequests(
      (req, res) => {
        const raw = (req as IncomingMessage & { rawBody?: Buffer }).rawBody;
        reached.push({ method: req.method, url: req.url, rawBody: raw?.toString('utf8') });
        res.end('behind');
      },
      { path: PATH, bodyLimit: LIMIT },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  reached = [];
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, contentType = 'application/json', path = PATH) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('guardSlackRequests', () => {
  test('a Slack-shaped body reaches the listener, with the exact bytes as rawBody', async () => {
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', text: 'hé 🚀' } });
    const res = await post(body);
    expect([res.status, await res.text()]).toEqual([200, 'behind']);
    expect(reached).toEqual([{ method: 'POST', url: PATH, rawBody: body }]);
  });

  test.each([
    ['null', 'null'],
    ['an event that is null', '{"type":"event_callback","event":null}'],
    ['an array', '[]'],
    ['an object without a type', '{}'],
    ['not JSON', '{"type":'],
  ])('%s is refused with 400 before the listener', async (_, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(reached).toEqual([]);
  });

  test('a body over the limit is refused with 413 and the connection closed; one at the limit passes', async () => {
    const padding = (size: number) => {
      const shell = JSON.stringify({ type: 'url_verification', challenge: '' });
      return JSON.stringify({ type: 'url_verification', challenge: 'x'.repeat(size - shell.length) });
    };
    const over = await post(padding(LIMIT + 1));
    expect(over.status).toBe(413);
    expect(over.headers.get('connection')).toBe('close');
    expect(reached).toEqual([]);
    const atLimit = padding(LIMIT);
    expect(Buffer.byteLength(atLimit)).toBe(LIMIT);
    expect((await post(atLimit)).status).toBe(200);
    expect(reached).toHaveLength(1);
  });

  test('other paths and methods pass straight through, unread', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await post('null', 'application/json', '/elsewhere')).status).toBe(200);
    expect((await fetch(`${base}${PATH}`)).status).toBe(200);
    expect(reached).toEqual([
      { method: 'GET', url: '/healthz', rawBody: undefined },
      { method: 'POST', url: '/elsewhere', rawBody: undefined },
      { method: 'GET', url: PATH, rawBody: undefined },
    ]);
  });
});

describe('isSlackShaped', () => {
  test('slash commands, interaction payloads and ssl_check as forms', () => {
    expect(isSlackShaped('command=%2Flma&text=trials', FORM)).toBe(true);
    expect(isSlackShaped('command=lma&text=trials', FORM)).toBe(false);
    expect(isSlackShaped('text=trials', FORM)).toBe(false);
    expect(isSlackShaped('ssl_check=1&token=x', FORM)).toBe(true);
    expect(isSlackShaped('ssl_check=0', FORM)).toBe(false);
    expect(isSlackShaped(`payload=${encodeURIComponent('{"type":"block_actions"}')}`, FORM)).toBe(true);
    expect(isSlackShaped(`payload=${encodeURIComponent('{"actions":[]}')}`, FORM)).toBe(false);
    expect(isSlackShaped(`payload=${encodeURIComponent('null')}`, FORM)).toBe(false);
    expect(isSlackShaped('payload=%7Bnot json', FORM)).toBe(false);
  });

  test('Events API envelopes as JSON: a type, and an event that is an object when there is one', () => {
    expect(isSlackShaped('{"type":"url_verification","challenge":"c"}', 'application/json')).toBe(true);
    expect(isSlackShaped('{"type":"event_callback","event":{"type":"message"}}', 'application/json')).toBe(true);
    expect(isSlackShaped('{"type":"event_callback","event":[]}', 'application/json')).toBe(false);
    expect(isSlackShaped('{"type":"event_callback","event":"x"}', 'application/json')).toBe(false);
    expect(isSlackShaped('{"type":7}', 'application/json')).toBe(false);
  });

  test('only the exact form content type is read as a form, as Bolt does; anything else as JSON', () => {
    expect(isSlackShaped('command=%2Flma', `${FORM}; charset=utf-8`)).toBe(false);
    expect(isSlackShaped('{"type":"event_callback"}', undefined)).toBe(true);
  });
});
