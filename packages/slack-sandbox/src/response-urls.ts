/**
 * response_url endpoints, one per slash command or interaction, with Slack's rules:
 * ephemeral to the user unless `response_type: 'in_channel'`; `replace_original` / `delete_original` act on the
 * message the interaction came from (or the last message sent through this url); at most 5 uses in 30 minutes.
 */
import { randomBytes } from 'node:crypto';
import { type BotWriter, deleteAsBot, editAsBot, postAsBot } from './bot-actions.js';
import { messageContent, SlackApiError } from './message-format.js';
import type { SlackMessage } from './workspace.js';

const RESPONSE_URL_MAX_USES = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
const PATH_PREFIX = '/response-url/';

export interface ResponseUrlContext {
  channel: string;
  user: string;
  /** For interactions on a message: the message that `replace_original` / `delete_original` act on. */
  messageTs?: string;
  /** For interactions in a thread: where new messages from this url go. */
  threadTs?: string;
}

/** One post the app made to a response_url, accepted or not. */
export interface ResponseUrlPost {
  body: Record<string, unknown>;
  at: Date;
  /** The HTTP status the app got: 200 when accepted. */
  status: number;
  error?: string;
  /** The message it created or replaced (absent for deletions and refusals). */
  message?: SlackMessage;
}

interface Hook {
  context: ResponseUrlContext;
  createdAt: Date;
  uses: number;
  posts: ResponseUrlPost[];
  /** The message this url last created or replaced, which a later replace/delete acts on. */
  lastMessageTs?: string;
}

export interface HookAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class ResponseUrls {
  private readonly hooks = new Map<string, Hook>();

  constructor(
    private readonly writer: BotWriter,
    private readonly serverRoot: () => string,
  ) {}

  static matches(path: string): boolean {
    return path.startsWith(PATH_PREFIX);
  }

  create(context: ResponseUrlContext): string {
    const id = randomBytes(12).toString('hex');
    this.hooks.set(id, { context, createdAt: this.writer.workspace.clock(), uses: 0, posts: [] });
    return `${this.serverRoot()}${PATH_PREFIX}${id}`;
  }

  /** What the app posted to this url, in order; an unknown url has none. */
  posts(url: string): ResponseUrlPost[] {
    return [...(this.hooks.get(idOf(url))?.posts ?? [])];
  }

  handle(path: string, body: Record<string, unknown>): HookAnswer {
    const hook = this.hooks.get(idOf(path));
    if (!hook) return { status: 404, body: { ok: false, error: 'no_service' } };
    const at = this.writer.workspace.clock();
    const answer = this.answer(hook, body, at);
    if (answer.error) {
      hook.posts.push({ body, at, status: answer.status, error: answer.error });
      this.writer.workspace.notifyChange();
      return { status: answer.status, body: { ok: false, error: answer.error } };
    }
    hook.uses += 1;
    hook.posts.push({ body, at, status: 200, ...(answer.message ? { message: answer.message } : {}) });
    this.writer.workspace.notifyChange();
    return { status: 200, body: { ok: true } };
  }

  private answer(
    hook: Hook,
    body: Record<string, unknown>,
    at: Date,
  ): { status: number; error?: string; message?: SlackMessage } {
    if (at.getTime() - hook.createdAt.getTime() > RESPONSE_URL_LIFETIME_MS)
      return { status: 404, error: 'expired_url' };
    if (hook.uses >= RESPONSE_URL_MAX_USES) return { status: 404, error: 'used_url' };
    const original = this.original(hook);
    const deleting = body.delete_original === true || body.delete_original === 'true';
    if (deleting && !original) return { status: 404, error: 'message_not_found' };
    let content: { text: string; blocks?: unknown[] } | undefined;
    try {
      // A deletion may carry content ("Share in channel"): Slack deletes the original, then posts it anew.
      if (!deleting || body.text !== undefined || body.blocks !== undefined)
        content = messageContent(body.text, body.blocks, this.writer.workspace.refusedBlocks);
    } catch (error) {
      if (error instanceof SlackApiError) return { status: 400, error: error.code };
      throw error;
    }
    if (deleting && original) {
      deleteAsBot(this.writer, original);
      hook.lastMessageTs = undefined;
    }
    if (!content) return { status: 200 };
    // Looked up again: after a deletion there is no original left to replace.
    const remaining = this.original(hook);
    const visibility = this.visibility(hook, body, remaining);
    const replace = body.replace_original === true || body.replace_original === 'true';
    const message =
      replace && remaining
        ? editAsBot(this.writer, remaining, { ...content, ephemeralTo: visibility, edited: false })
        : postAsBot(this.writer, {
            channel: hook.context.channel,
            ...content,
            ...(visibility ? { ephemeralTo: visibility } : {}),
            ...threadOf(hook, body),
          });
    hook.lastMessageTs = message.ts;
    return { status: 200, message: structuredClone(message) };
  }

  private original(hook: Hook): SlackMessage | undefined {
    const ts = hook.context.messageTs ?? hook.lastMessageTs;
    return ts ? this.writer.workspace.find(hook.context.channel, ts) : undefined;
  }

  /** Who sees the message: `undefined` means everyone in the channel. */
  private visibility(
    hook: Hook,
    body: Record<string, unknown>,
    original: SlackMessage | undefined,
  ): string | undefined {
    if (body.response_type === 'in_channel') return undefined;
    if (body.response_type === 'ephemeral') return hook.context.user;
    const replacing = body.replace_original === true || body.replace_original === 'true';
    return replacing && original ? original.ephemeralTo : hook.context.user;
  }
}

function idOf(urlOrPath: string): string {
  const path = urlOrPath.startsWith('http') ? new URL(urlOrPath).pathname : urlOrPath;
  return path.startsWith(PATH_PREFIX) ? path.slice(PATH_PREFIX.length) : '';
}

function threadOf(hook: Hook, body: Record<string, unknown>): { thread_ts?: string } {
  const threadTs = typeof body.thread_ts === 'string' && body.thread_ts ? body.thread_ts : hook.context.threadTs;
  return threadTs ? { thread_ts: threadTs } : {};
}
