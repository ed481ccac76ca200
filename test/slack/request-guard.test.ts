/**
 * The guard in front of Bolt, on a real HTTP server: what reaches the listener behind it, with which body, and what
 * is answered before it (fast: no Bolt, no LMO). The clock is fixed; the replay memory is a set standing in for the
 * store's event log (the real one is exercised through the real app in test/reliability/envelopes.test.ts).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '@lma-bot/slack-sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { guardSlackRequests } from '../../src/slack/request-guard.js';

const PATH = '/slack/events';
const LIMIT = 1024;
const FORM = 'application/x-www-form-urlencoded';
const SECRET = 'guard-secret';
const NOW_S = 1_790_000_000;

let server: Server;
let base: string;
/** What the listener behind the guard saw: method, path and the body handed on (rawBody). */
let reached: { method?: string; url?: string; rawBody?: string }[] = [];
let logged: string[] = [];
const claimed = new Set<string>();

beforeAll(async () => {
  server = createServer(
    guardSlackRequests(
      (req, res) => {
        const raw = (req as IncomingMessage & { rawBody?: Buffer }).rawBody;
        reached.push({ method: req.method, url: req.url, rawBody: raw?.toString('utf8') });
        res.end('behind');
      },
      {
        path: PATH,
        bodyLimit: LIMIT,
        signingSecret: SECRET,
        owned: { interactions: new Set(['block_actions']), commands: new Set(['/lma']) },
        firstDelivery: async (key) => !claimed.has(key) && Boolean(claimed.add(key)),
        logger: { warn: (...m: unknown[]) => void logged.push(`warn ${m.join(' ')}`), debug: () => undefined },
        now: () => NOW_S * 1000,
      },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  reached = [];
  logged = [];
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (
  body: string,
  contentType = 'application/json',
  o: { path?: string; ts?: number; headers?: Record<string, string> } = {},
) =>
  fetch(`${base}${o.path ?? PATH}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(o.headers ?? signSlackRequest(SECRET, body, o.ts ?? NOW_S)) },
    body,
  });

const mention = (id: string) =>
  JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    event_id: id,
    event: { type: 'app_mention', user: 'U1', channel: 'C1', ts: '1.2', text: 'hé 🚀' },
  });
const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

/** A raw request line that fetch would refuse to send. */
function rawTarget(method: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/`, { method, path: target }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('guardSlackRequests', () => {
  test('a signed Slack-shaped body reaches the listener, with the exact bytes as rawBody', async () => {
    const body = mention('Ev1');
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

  test('a timestamp more than 5 minutes away in either direction is refused with 401; inside the window it passes', async () => {
    const statuses = [];
    for (const [id, skew] of [
      ['Ev-past', -301],
      ['Ev-future', 301],
      ['Ev-century', 100 * 365 * 86_400],
      ['Ev-in', 299],
      ['Ev-in2', -299],
    ] as const)
      statuses.push((await post(mention(id), 'application/json', { ts: NOW_S + skew })).status);
    expect(statuses).toEqual([401, 401, 401, 200, 200]);
    expect(reached).toHaveLength(2);
  });

  test('no signature or a wrong one is refused with 401', async () => {
    const body = mention('Ev-unsigned');
    expect((await post(body, 'application/json', { headers: {} })).status).toBe(401);
    const wrong = signSlackRequest(`${SECRET}x`, body, NOW_S);
    expect((await post(body, 'application/json', { headers: wrong })).status).toBe(401);
    expect(reached).toEqual([]);
  });

  test('an exact replay (same timestamp and signature) is answered 200 and not handed on again', async () => {
    const body = mention('Ev-replayed');
    const headers = signSlackRequest(SECRET, body, NOW_S - 10);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(body, 'application/json', { headers })).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(reached).toHaveLength(1);
  });

  test('a signed payload of a known type with missing fields gets 200 and one warning naming its type', async () => {
    const res = await post(form({ type: 'block_actions', channel: null }), FORM);
    expect(res.status).toBe(200);
    expect(reached).toEqual([]);
    expect(logged).toEqual(['warn Ignored a signed block_actions payload that is not shaped as Slack sends it.']);
  });

  test('a type or command the app does not own gets 200 quietly and is not handed on', async () => {
    const shortcut = { type: 'shortcut', user: { id: 'U1' }, team: { id: 'T1' }, callback_id: 'x', trigger_id: '1' };
    expect((await post(form(shortcut), FORM)).status).toBe(200);
    const other = 'command=%2Fother&user_id=U1&channel_id=C1&team_id=T1&text=hi';
    expect((await post(other, FORM)).status).toBe(200);
    expect((await post('{"type":"app_rate_limited","minute_rate_limited":1}')).status).toBe(200);
    expect(reached).toEqual([]);
    expect(logged).toEqual([]);
  });

  test('every target that reads as the events path (a query string, a dot segment) is checked here, unsigned or not', async () => {
    // Bolt routes by the same URL parsing and no longer checks signatures itself (src/app/bolt.ts).
    expect((await post(mention('Ev9'), 'application/json', { path: `${PATH}?retry=1`, headers: {} })).status).toBe(401);
    for (const target of ['/slack/./events', `/x/..${PATH}`]) {
      expect({ target, ...(await rawTarget('POST', target)) }).toEqual({ target, status: 400, body: '' });
    }
    expect(reached).toEqual([]);
  });

  test('a request target that is no URL gets 400 with no body; other paths and methods pass straight through, unread', async () => {
    expect(await rawTarget('GET', '//')).toEqual({ status: 400, body: '' });
    expect(await rawTarget('POST', 'http://[')).toEqual({ status: 400, body: '' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await post('null', 'application/json', { path: '/elsewhere', headers: {} })).status).toBe(200);
    expect((await fetch(`${base}${PATH}`)).status).toBe(200);
    expect(reached).toEqual([
      { method: 'GET', url: '/healthz', rawBody: undefined },
      { method: 'POST', url: '/elsewhere', rawBody: undefined },
      { method: 'GET', url: PATH, rawBody: undefined },
    ]);
  });
});
