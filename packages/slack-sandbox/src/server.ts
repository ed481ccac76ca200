/**
 * The local Slack sandbox page: serves the page (plain HTML, CSS and a script from the package's page/) and a small JSON +
 * Server-Sent Events API for it. What the person does on the page becomes what Slack would send the app, through
 * the SlackDriver: `/lma …` a slash command, `@LMA …` a mention, a thread reply a `message` event, a button a
 * `block_actions` payload — all signed HTTP to the app's /slack/events. The app's answers land in the fake Slack,
 * whose changes the page hears about over SSE.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackDriver } from './driver.js';
import type { FakeSlack, SharedFile, SlackMessage, UserSpec } from './fake-slack.js';

/** The person using the sandbox page. */
export const SANDBOX_USER: UserSpec = { id: 'U0YOU', name: 'you', realName: 'You' };
/** The channel the page opens on. */
export const SANDBOX_CHANNEL = { id: 'C0GENERAL', name: 'general' };
/** Where the sandbox's license alerts arrive. */
export const SANDBOX_ALERTS_CHANNEL = { id: 'C0ALERTS', name: 'alerts' };

export interface SandboxServerOptions {
  slack: FakeSlack;
  driver: SlackDriver;
  /** The user the page acts as. */
  user: string;
  /** Channels shown in the sidebar, in order (default: #general). */
  channels?: string[];
  port: number;
  /** Loopback by default: the sandbox answers from the LMO without any sign-in. */
  host?: string;
  /** Where a failed page request is reported (the app's logger; nothing by default). */
  logger?: PageLogger;
  /** The app's own GET endpoints, by path (its /healthz, …), served here too: the page holds the app's port. */
  appRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
}

/** The one logging call the page server makes; any console-like logger fits. */
export interface PageLogger {
  error(...messages: unknown[]): void;
}

export interface SandboxServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the composer's text means, as Slack would read it. */
export type ComposerIntent =
  | { kind: 'command'; command: string; text: string }
  | { kind: 'message'; text: string }
  | { kind: 'invalid'; error: string };

const SLASH_COMMAND = '/lma';
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
};
/** Beside src/ (and a compiled dist/), so the same relative path finds it from either. */
const PAGE_DIR = new URL('../page/', import.meta.url);
const SSE_KEEPALIVE_MS = 15_000;
/** Files the bot shared, downloaded from the page: /api/files/<id>. */
const FILES_PATH = '/api/files/';
const PREVIEW_LINES = 6;
const MAX_BODY_BYTES = 64 * 1024;
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/** Slack escapes these three in every text a person sends; `&` first so nothing is escaped twice. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Reads the composer as Slack does: a leading `/word` is a slash command (only /lma exists here); anything
 * else is a message, escaped, with `@LMA` turned into a mention of the bot.
 */
export function interpretComposerText(raw: string, botUserId: string): ComposerIntent {
  const text = raw.trim();
  if (text === '') return { kind: 'invalid', error: 'Type a message or a command first.' };
  const command = text.match(/^(\/\S+)\s*([\s\S]*)$/);
  if (command) {
    const name = command[1]!.toLowerCase();
    if (name !== SLASH_COMMAND)
      return {
        kind: 'invalid',
        error: `${command[1]} is not a valid command. In this sandbox, try ${SLASH_COMMAND} help.`,
      };
    return { kind: 'command', command: SLASH_COMMAND, text: slackEscape(command[2]!.trim()) };
  }
  return { kind: 'message', text: slackEscape(text).replace(/(^|[^\w@])@lma\b/gi, `$1<@${botUserId}>`) };
}

/** A message as the page shows it: the stored message plus who wrote it and whether only this user sees it. */
function pageMessage(message: SlackMessage, slack: FakeSlack): Record<string, unknown> {
  const author = message.user ? slack.user(message.user) : undefined;
  return {
    ts: message.ts,
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    user: message.user,
    userName: author?.realName ?? author?.name ?? message.user ?? 'unknown',
    isBot: message.bot_id !== undefined,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ephemeral: message.ephemeralTo !== undefined,
    replyCount: message.replyCount ?? 0,
    edited: message.edited === true,
    broadcast: message.broadcast === true,
    ...(message.files ? { files: message.files.map((f) => pageFile(f, slack)) } : {}),
  };
}

/** A shared file as the page shows it: a download link through this server, and a text file's first lines. */
function pageFile(file: SharedFile, slack: FakeSlack): Record<string, unknown> {
  const content = slack.file(file.id)?.content;
  const text = content && file.mimetype.startsWith('text/');
  return {
    ...file,
    url: `${FILES_PATH}${file.id}`,
    ...(text ? { preview: content.toString('utf8').split('\n').slice(0, PREVIEW_LINES).join('\n') } : {}),
  };
}

export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const { slack, driver, user } = options;
  const channelIds = options.channels ?? [SANDBOX_CHANNEL.id];
  const streams = new Set<ServerResponse>();
  let version = 0;
  let broadcastPending = false;

  // Many workspace changes happen per answer; the page hears about them once per tick.
  const unsubscribe = slack.onChange(() => {
    version += 1;
    if (broadcastPending) return;
    broadcastPending = true;
    setImmediate(() => {
      broadcastPending = false;
      for (const stream of streams) stream.write(`event: change\ndata: ${JSON.stringify({ version })}\n\n`);
    });
  });
  const keepalive = setInterval(() => {
    for (const stream of streams) stream.write(': keepalive\n\n');
  }, SSE_KEEPALIVE_MS);
  keepalive.unref();

  // The person's DM with the bot (where Home's buttons answer) is shown as the LMA app's Messages tab.
  const dmId = () => slack.channel(user)?.id;
  const knownChannel = (id: unknown): string | undefined =>
    typeof id === 'string' && (channelIds.includes(id) || id === dmId()) && slack.channel(id) ? id : undefined;

  const workspace = () => {
    const bot = slack.user(slack.identity.botUserId);
    const people = [user, slack.identity.botUserId].flatMap((id) => slack.user(id) ?? []);
    return {
      team: slack.identity.teamDomain,
      user: slack.user(user),
      bot: { id: slack.identity.botUserId, name: bot?.realName ?? 'LMA' },
      channels: channelIds.flatMap((id) => {
        const channel = slack.channel(id);
        return channel ? [{ id: channel.id, name: channel.name }] : [];
      }),
      users: Object.fromEntries(people.map((p) => [p.id, p.realName ?? p.name])),
      dm: dmId(),
      version,
    };
  };

  /** Opening the app's Home tab: Slack sends `app_home_opened`; the app answers with views.publish. */
  const openHome = async (): Promise<[number, Record<string, unknown>]> => {
    const { status } = await driver.openHome(user);
    if (status !== 200) return [502, { ok: false, error: `The app answered HTTP ${status} to app_home_opened.` }];
    return [200, { ok: true }];
  };

  const clickInHome = async (body: Record<string, unknown>): Promise<[number, Record<string, unknown>]> => {
    if (typeof body.action_id !== 'string') return [400, { ok: false, error: 'action_id is required' }];
    try {
      const { status } = await driver.clickInHome(user, body.action_id);
      if (status !== 200) return [502, { ok: false, error: `The app answered HTTP ${status} to the click.` }];
      return [200, { ok: true }];
    } catch (error) {
      return [404, { ok: false, error: error instanceof Error ? error.message : String(error) }];
    }
  };

  const messages = (channel: string) => ({
    version,
    messages: slack
      .messages(channel)
      .filter((m) => m.ephemeralTo === undefined || m.ephemeralTo === user)
      .map((m) => pageMessage(m, slack)),
  });

  const send = async (body: Record<string, unknown>): Promise<[number, Record<string, unknown>]> => {
    const channel = knownChannel(body.channel);
    if (!channel) return [404, { ok: false, error: 'channel_not_found' }];
    const threadTs = typeof body.thread_ts === 'string' && body.thread_ts ? body.thread_ts : undefined;
    if (threadTs && !slack.messages(channel).some((m) => m.ts === threadTs))
      return [404, { ok: false, error: 'thread_not_found' }];
    const intent = interpretComposerText(typeof body.text === 'string' ? body.text : '', slack.identity.botUserId);
    if (intent.kind === 'invalid') return [400, { ok: false, error: intent.error }];
    if (intent.kind === 'command') {
      const ack = await driver.command(intent.text, { user, channel, command: intent.command });
      // Slack tells the user when the app did not acknowledge in time.
      if (ack.status !== 200)
        return [502, { ok: false, error: `${intent.command} failed: the app answered HTTP ${ack.status}.` }];
      return [200, { ok: true, kind: 'command' }];
    }
    const said = await driver.say(intent.text, { user, channel, ...(threadTs ? { thread_ts: threadTs } : {}) });
    if (said.status !== 200) return [502, { ok: false, error: `The app answered HTTP ${said.status} to the event.` }];
    return [200, { ok: true, kind: 'message', ts: said.message.ts }];
  };

  const click = async (body: Record<string, unknown>): Promise<[number, Record<string, unknown>]> => {
    const channel = knownChannel(body.channel);
    if (!channel) return [404, { ok: false, error: 'channel_not_found' }];
    const message = slack
      .messages(channel)
      .find((m) => m.ts === body.ts && (m.ephemeralTo === undefined || m.ephemeralTo === user));
    if (!message) return [404, { ok: false, error: 'message_not_found' }];
    if (typeof body.action_id !== 'string') return [400, { ok: false, error: 'action_id is required' }];
    try {
      const value = typeof body.value === 'string' ? body.value : undefined;
      const { status } = await driver.click(message, body.action_id, {
        user,
        channel,
        ...(value !== undefined ? { value } : {}),
      });
      if (status !== 200) return [502, { ok: false, error: `The app answered HTTP ${status} to the click.` }];
      return [200, { ok: true }];
    } catch (error) {
      return [404, { ok: false, error: error instanceof Error ? error.message : String(error) }];
    }
  };

  /** A file the bot uploaded, as a download (its bytes only once they arrived). */
  const download = (id: string, res: ServerResponse): void => {
    const file = slack.file(id);
    if (!file?.content) {
      sendJson(res, 404, { error: 'No such file.' });
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.mimetype,
      'Content-Disposition': `attachment; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    });
    res.end(file.content);
  };

  const stream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(`retry: 1000\nevent: change\ndata: ${JSON.stringify({ version })}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  };

  const POSTS: Record<string, (body: Record<string, unknown>) => Promise<[number, Record<string, unknown>]>> = {
    '/api/messages': send,
    '/api/actions': click,
    '/api/home/open': openHome,
    '/api/home/actions': clickInHome,
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Only pages on this machine may talk to the sandbox: no DNS rebinding, no cross-site form posts.
    if (!LOCAL_HOST.test(req.headers.host ?? ''))
      return sendJson(res, 403, { ok: false, error: 'The sandbox answers on localhost only.' });
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const appRoute = req.method === 'GET' ? options.appRoutes?.[url.pathname] : undefined;
    if (appRoute) return appRoute(req, res);
    const page = PAGE_FILES[url.pathname];
    if (req.method === 'GET' && page) {
      const content = await readFile(new URL(page.file, PAGE_DIR));
      res.writeHead(200, {
        'Content-Type': page.type,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(content);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/workspace') return sendJson(res, 200, workspace());
    if (req.method === 'GET' && url.pathname === '/api/events') return stream(req, res);
    if (req.method === 'GET' && url.pathname.startsWith(FILES_PATH))
      return download(url.pathname.slice(FILES_PATH.length), res);
    if (req.method === 'GET' && url.pathname === '/api/home')
      return sendJson(res, 200, { version, view: slack.homeView(user) ?? null });
    const history = url.pathname.match(/^\/api\/channels\/([^/]+)\/messages$/);
    if (req.method === 'GET' && history) {
      const channel = knownChannel(decodeURIComponent(history[1]!));
      return channel
        ? sendJson(res, 200, messages(channel))
        : sendJson(res, 404, { ok: false, error: 'channel_not_found' });
    }
    const post = POSTS[url.pathname];
    if (req.method === 'POST' && post) {
      if (!req.headers['content-type']?.startsWith('application/json'))
        return sendJson(res, 415, { ok: false, error: 'Send JSON.' });
      const body = await readJson(req);
      if (!body) return sendJson(res, 400, { ok: false, error: 'The body must be a JSON object.' });
      const [status, answer] = await post(body);
      return sendJson(res, status, answer);
    }
    sendJson(res, 404, { ok: false, error: 'not_found' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      options.logger?.error('Sandbox page request failed:', error);
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: 'The sandbox could not handle that request; see the bot log.' });
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        unsubscribe();
        clearInterval(keepalive);
        for (const s of streams) s.end();
        streams.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
