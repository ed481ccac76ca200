/**
 * A fake Slack on loopback: the Web API at `<url>/api/<method>` (as `@slack/web-api`'s WebClient calls it, with
 * form or JSON bodies and a bearer token) and response_url endpoints, over an in-memory workspace.
 * Point the Bolt app at it with `clientOptions.slackApiUrl = fake.apiUrl`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Echo } from './bot-actions.js';
import { SlackApiError } from './message-format.js';
import { type ResponseUrlContext, type ResponseUrlPost, ResponseUrls } from './response-urls.js';
import { type ApiArgs, callMethod, UPLOAD_PATH } from './web-api.js';
import {
  type ChannelSpec,
  type SlackMessage,
  type StoredFile,
  type UserSpec,
  Workspace,
  type WorkspaceIdentity,
} from './workspace.js';

export type { ResponseUrlContext, ResponseUrlPost } from './response-urls.js';
export type { ChannelSpec, SharedFile, SlackMessage, StoredFile, UserSpec } from './workspace.js';

export interface FakeSlackOptions {
  host?: string;
  port?: number;
  botToken: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  teamId?: string;
  teamDomain?: string;
  /** Default: one public channel, #general (C0GENERAL), that everyone is in. */
  channels?: ChannelSpec[];
  users?: UserSpec[];
  clock?: () => Date;
  /** The bot token's scopes, sent in `x-oauth-scopes` as Slack does (default: DEFAULT_BOT_SCOPES). */
  scopes?: string[];
  /** An app-level token (`xapp-…`) that `apps.connections.open` accepts; none: that method refuses every token. */
  appToken?: string;
  /** The WebSocket URL `apps.connections.open` gives (a test's Socket Mode server); default one here, serving none. */
  socketModeUrl?: string;
  /** Block types refused with `invalid_blocks`, as a Slack that does not take them would (e.g. `['table']`). */
  refuseBlocks?: string[];
}

/** What a bot token of an app like LMA Bot is granted: commands, posting, mentions, message history and channel info (alerts check the bot is in a channel), people's emails (`mine`), file uploads and DMs (Export CSV, the App Home's buttons). */
export const DEFAULT_BOT_SCOPES = [
  'commands',
  'chat:write',
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'im:history',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'files:write',
  'im:write',
];

/**
 * The scopes (any one of them) a method needs, refused with `missing_scope` otherwise, for the methods whose scope a
 * test takes away: a DM (conversations.open) and a file upload. Other methods are not checked.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  'conversations.open': ['channels:manage', 'groups:write', 'im:write', 'mpim:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

export interface ApiCall {
  method: string;
  /** The decoded arguments, without the token. */
  args: Record<string, unknown>;
  at: Date;
  ok: boolean;
  error?: string;
}

export interface InjectedFailure {
  error: string;
  /** For `ratelimited`: the Retry-After header (default 1). */
  retryAfterSeconds?: number;
  /** HTTP status; default 429 for `ratelimited`, else 200 as Slack does for `ok: false`. */
  status?: number;
}

export interface FakeSlack {
  /** Base for `slackApiUrl`, ending in '/api/'. */
  apiUrl: string;
  /** Server root. */
  url: string;
  identity: WorkspaceIdentity;
  /** Every Web API call, in order, failed ones included. */
  calls: ApiCall[];
  /** Top-level messages and thread replies in ts order, ephemeral included. */
  messages(channel: string): SlackMessage[];
  thread(channel: string, threadTs: string): SlackMessage[];
  channel(idOrName: string): ChannelSpec | undefined;
  user(id: string): UserSpec | undefined;
  /** A file the app uploaded (files.uploadV2), with its bytes once they arrived. */
  file(id: string): StoredFile | undefined;
  /** The home tab last published for a user with views.publish. */
  homeView(userId: string): Record<string, unknown> | undefined;
  /** A response_url for one slash command or interaction; what is sent to it is recorded. */
  createResponseUrl(context: ResponseUrlContext): string;
  /** What the app posted to that response_url, in order, refused posts included (see `status`). */
  responses(responseUrl: string): ResponseUrlPost[];
  /** Resolves with the predicate's first value other than undefined/null/false; rejects on timeout. */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** A human posts a message (history only; the driver delivers the event). */
  postUserMessage(m: { channel: string; user: string; text: string; thread_ts?: string }): SlackMessage;
  /** From now on, messages holding a block of these types are refused with `invalid_blocks` (none: all accepted). */
  refuseBlocks(types: string[]): void;
  /** The next `times` calls of `method` fail with `failure` (ratelimited, channel_not_found, …). */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  /** Calls `listener` after every change to the workspace (messages, home tabs, response_url posts); returns an unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Receives the `message` events Slack would deliver for the bot's own posts, edits and deletions. */
  onEvent?: (event: Record<string, unknown>) => unknown;
  close(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5_000;
/** Waiters re-check on every change and also on this beat, for predicates that look beyond the fake. */
const WAIT_POLL_MS = 25;
const API_PREFIX = '/api/';

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options);
  await fake.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  return fake;
}

class FakeSlackServer implements FakeSlack {
  url = '';
  readonly calls: ApiCall[] = [];
  onEvent?: (event: Record<string, unknown>) => unknown;
  readonly identity: WorkspaceIdentity;
  private readonly workspace: Workspace;
  private readonly hooks: ResponseUrls;
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly server = createServer((req, res) => void this.route(req, res));

  constructor(private readonly options: FakeSlackOptions) {
    this.identity = {
      teamId: options.teamId ?? 'T0LMATEAM',
      teamDomain: options.teamDomain ?? 'lma-sandbox',
      botUserId: options.botUserId ?? 'U0LMABOT',
      botId: options.botId ?? 'B0LMABOT',
      appId: options.appId ?? 'A0LMAAPP',
    };
    this.workspace = new Workspace(
      this.identity,
      options.channels ?? [{ id: 'C0GENERAL', name: 'general' }],
      options.users ?? [],
      options.clock ?? (() => new Date()),
    );
    this.refuseBlocks(options.refuseBlocks ?? []);
    const writer = { workspace: this.workspace, echo: this.echo, root: () => this.url };
    this.hooks = new ResponseUrls(writer, () => this.url);
  }

  get apiUrl(): string {
    return `${this.url}${API_PREFIX}`;
  }

  listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address() as AddressInfo;
        this.url = `http://${host}:${address.port}`;
        resolve();
      });
    });
  }

  messages(channel: string): SlackMessage[] {
    return this.workspace.messages(channel);
  }

  thread(channel: string, threadTs: string): SlackMessage[] {
    return this.workspace.thread(channel, threadTs);
  }

  channel(idOrName: string): ChannelSpec | undefined {
    return this.workspace.channel(idOrName);
  }

  user(id: string): UserSpec | undefined {
    return this.workspace.user(id);
  }

  homeView(userId: string): Record<string, unknown> | undefined {
    return this.workspace.homeView(userId);
  }

  file(id: string): StoredFile | undefined {
    return this.workspace.file(id);
  }

  createResponseUrl(context: ResponseUrlContext): string {
    return this.hooks.create(context);
  }

  responses(responseUrl: string): ResponseUrlPost[] {
    return this.hooks.posts(responseUrl);
  }

  postUserMessage(m: { channel: string; user: string; text: string; thread_ts?: string }): SlackMessage {
    const channel = this.workspace.channel(m.channel);
    if (!channel) throw new Error(`fake Slack: no channel ${m.channel}`);
    if (!this.workspace.user(m.user)) throw new Error(`fake Slack: no user ${m.user}`);
    const parent = m.thread_ts ? this.workspace.find(channel.id, m.thread_ts) : undefined;
    if (m.thread_ts && !parent) throw new Error(`fake Slack: no message ${m.thread_ts} in ${channel.id} to reply to`);
    const threadTs = parent ? (parent.thread_ts ?? parent.ts) : undefined;
    const message = this.workspace.add({
      channel: channel.id,
      ts: this.workspace.nextTs(),
      user: m.user,
      text: m.text,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return structuredClone(message);
  }

  onChange(listener: () => void): () => void {
    return this.workspace.onChange(listener);
  }

  refuseBlocks(types: string[]): void {
    this.workspace.refusedBlocks.clear();
    for (const type of types) this.workspace.refusedBlocks.add(type);
  }

  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(...Array.from({ length: times }, () => failure));
    this.failures.set(method, queue);
  }

  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = (): void => {
        unsubscribe();
        clearInterval(poll);
        clearTimeout(timer);
      };
      const check = (): void => {
        try {
          const value = predicate();
          if (value !== undefined && value !== null && value !== false) {
            stop();
            resolve(value);
          }
        } catch (error) {
          stop();
          reject(error);
        }
      };
      const unsubscribe = this.workspace.onChange(check);
      const poll = setInterval(check, WAIT_POLL_MS);
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`fake Slack: waitFor timed out after ${timeoutMs} ms. ${this.recentCalls()}`));
      }, timeoutMs);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  /** Slack delivers the bot's own messages back as events, after the API call has answered. */
  private readonly echo: Echo = (event) => {
    const handler = this.onEvent;
    if (!handler) return;
    setImmediate(() => {
      Promise.resolve(handler(event)).catch((error: unknown) => {
        console.error('fake Slack: onEvent handler failed:', error);
      });
    });
  };

  private recentCalls(): string {
    const last = this.calls.slice(-5).map((c) => `${c.method} ${c.ok ? 'ok' : c.error}`);
    return last.length ? `Last Web API calls: ${last.join(', ')}.` : 'No Web API calls were made.';
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.url);
      if (url.pathname.startsWith(UPLOAD_PATH) && req.method === 'POST') return await this.upload(url, req, res);
      const body = parseBody(await readBody(req), req.headers['content-type']);
      if (url.pathname.startsWith(API_PREFIX)) {
        const args = { ...Object.fromEntries(url.searchParams), ...body };
        this.webApi(url.pathname.slice(API_PREFIX.length), args, req.headers.authorization, res);
      } else if (ResponseUrls.matches(url.pathname) && req.method === 'POST') {
        const payload = typeof body.payload === 'string' ? parseJsonObject(body.payload) : body;
        const answer = this.hooks.handle(url.pathname, payload);
        send(res, answer.status, answer.body);
      } else {
        send(res, 404, { ok: false, error: 'not_found' });
      }
    } catch (error) {
      send(res, 400, { ok: false, error: 'invalid_request', detail: String(error) });
    }
  }

  /**
   * The upload URL files.getUploadURLExternal handed out: the file's bytes, raw or as the one file of a multipart form
   * (how WebClient sends them), of the length announced.
   */
  private async upload(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = this.workspace.file(url.pathname.slice(UPLOAD_PATH.length));
    const raw = await readBytes(req);
    const type = req.headers['content-type'] ?? '';
    const form = type.startsWith('multipart/form-data')
      ? await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData()
      : undefined;
    const part = form && [...form.values()].find((v): v is File => typeof v !== 'string');
    const content = part ? Buffer.from(await part.arrayBuffer()) : raw;
    if (!file || file.content || content.length !== file.size) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('upload refused');
      return;
    }
    this.workspace.putFile({ ...file, content });
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`OK - ${content.length}`);
  }

  private webApi(method: string, rawArgs: ApiArgs, authorization: string | undefined, res: ServerResponse): void {
    const { token, ...args } = rawArgs;
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const presented = bearer ?? (typeof token === 'string' ? token : undefined);
    const at = this.workspace.clock();
    const fail = (error: string, status = 200, headers: Record<string, string> = {}): void => {
      this.calls.push({ method, args, at, ok: false, error });
      send(res, status, { ok: false, error }, headers);
    };
    // The one method an app-level token calls: Socket Mode's WebSocket URL (served by a test, if anyone).
    if (method === 'apps.connections.open') {
      const refused = !presented
        ? 'not_authed'
        : presented === this.options.botToken
          ? 'not_allowed_token_type'
          : presented !== this.options.appToken
            ? 'invalid_auth'
            : undefined;
      if (refused) fail(refused);
      else {
        this.calls.push({ method, args, at, ok: true });
        const url = this.options.socketModeUrl ?? `${this.url.replace(/^http/, 'ws')}/link/?ticket=sandbox`;
        send(res, 200, { ok: true, url });
      }
      return;
    }
    if (!presented || presented !== this.options.botToken) {
      fail(presented ? 'invalid_auth' : 'not_authed');
      return;
    }
    const granted = this.options.scopes ?? DEFAULT_BOT_SCOPES;
    const scopes = { 'x-oauth-scopes': granted.join(',') };
    const needed = METHOD_SCOPES[method];
    if (needed && !needed.some((scope) => granted.includes(scope))) {
      // As Slack answers a token without the method's scope: which would do, and which it holds.
      this.calls.push({ method, args, at, ok: false, error: 'missing_scope' });
      send(
        res,
        200,
        { ok: false, error: 'missing_scope', needed: needed.join(','), provided: granted.join(',') },
        scopes,
      );
      return;
    }
    const injected = this.failures.get(method)?.shift();
    if (injected) {
      const rateLimited = injected.error === 'ratelimited';
      const headers: Record<string, string> = rateLimited
        ? { 'Retry-After': String(injected.retryAfterSeconds ?? 1) }
        : {};
      fail(injected.error, injected.status ?? (rateLimited ? 429 : 200), headers);
      return;
    }
    try {
      const result = callMethod(method, args, { workspace: this.workspace, echo: this.echo, root: () => this.url });
      this.calls.push({ method, args, at, ok: true });
      send(res, 200, result, scopes);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      fail(error.code);
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** WebClient sends form bodies; Bolt's respond() and JSON-posting clients send JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw.trim() === '') return {};
  if (contentType?.includes('application/json')) return parseJsonObject(raw);
  return Object.fromEntries(new URLSearchParams(raw));
}

function parseJsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('body is not a JSON object');
  return value as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
