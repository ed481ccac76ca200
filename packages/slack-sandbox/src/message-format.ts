/**
 * What a message looks like on Slack's wire, and the content rules Slack applies to every message an app
 * sends (through chat.postMessage, chat.update or a response_url).
 */
import type { SlackMessage, Workspace, WorkspaceIdentity } from './workspace.js';

/** Slack truncates above 40,000 characters and refuses with `msg_too_long`. */
const MAX_TEXT_LENGTH = 40_000;
const MAX_BLOCKS = 50;

export class SlackApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * Blocks arrive as an array (JSON bodies) or as a JSON string (form bodies, the way WebClient sends them).
 * Anything that is not an array of objects with a string `type` is `invalid_blocks`.
 */
export function parseBlocks(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let blocks: unknown = value;
  if (typeof value === 'string') {
    try {
      blocks = JSON.parse(value);
    } catch {
      throw new SlackApiError('invalid_blocks');
    }
  }
  const wellFormed =
    Array.isArray(blocks) &&
    blocks.length <= MAX_BLOCKS &&
    blocks.every((b) => typeof b === 'object' && b !== null && typeof (b as { type?: unknown }).type === 'string');
  if (!wellFormed) throw new SlackApiError('invalid_blocks');
  return blocks as unknown[];
}

/** A table holds at most 100 rows of at most 20 cells, as Slack's Block Kit reference says. */
const MAX_TABLE_ROWS = 100;
const MAX_TABLE_CELLS = 20;

/** Slack refuses a table beyond its limits, and any block of a type this workspace does not take (`refused`). */
function checkBlockTypes(blocks: unknown[], refused: ReadonlySet<string>): void {
  for (const block of blocks as { type: string; rows?: unknown }[]) {
    if (refused.has(block.type)) throw new SlackApiError('invalid_blocks');
    if (block.type !== 'table') continue;
    const rows = block.rows;
    const wellFormed =
      Array.isArray(rows) &&
      rows.length > 0 &&
      rows.length <= MAX_TABLE_ROWS &&
      rows.every((row) => Array.isArray(row) && row.length > 0 && row.length <= MAX_TABLE_CELLS);
    if (!wellFormed) throw new SlackApiError('invalid_blocks');
  }
}

/** The content of a new message: text and/or blocks, within Slack's limits; `refused`: block types refused. */
export function messageContent(
  text: unknown,
  rawBlocks: unknown,
  refused: ReadonlySet<string> = new Set(),
): { text: string; blocks?: unknown[] } {
  const blocks = parseBlocks(rawBlocks);
  if (blocks) checkBlockTypes(blocks, refused);
  const body = typeof text === 'string' ? text : '';
  if (body === '' && (blocks === undefined || blocks.length === 0)) throw new SlackApiError('no_text');
  if (body.length > MAX_TEXT_LENGTH) throw new SlackApiError('msg_too_long');
  return blocks === undefined ? { text: body } : { text: body, blocks };
}

/** A message as conversations.history / replies and chat.* responses show it. */
export function toWireMessage(message: SlackMessage, identity: WorkspaceIdentity): Record<string, unknown> {
  const byBot = message.bot_id !== undefined;
  return {
    type: 'message',
    ...(message.broadcast ? { subtype: 'thread_broadcast' } : {}),
    ts: message.ts,
    user: message.user,
    text: message.text,
    team: identity.teamId,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.files ? { files: message.files.map((f) => ({ ...f, url_private: `/files/${f.id}/${f.name}` })) } : {}),
    ...(byBot
      ? {
          bot_id: message.bot_id,
          app_id: identity.appId,
          bot_profile: {
            id: identity.botId,
            app_id: identity.appId,
            name: 'LMA',
            deleted: false,
            team_id: identity.teamId,
          },
        }
      : {}),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    ...(message.replyCount ? { reply_count: message.replyCount } : {}),
    ...(message.edited ? { edited: { user: message.user, ts: message.ts } } : {}),
    ...(message.reactions?.length
      ? { reactions: message.reactions.map((r) => ({ ...r, count: r.users.length })) }
      : {}),
  };
}

export function channelType(channelId: string): 'im' | 'group' | 'channel' {
  if (channelId.startsWith('D')) return 'im';
  if (channelId.startsWith('G')) return 'group';
  return 'channel';
}

/** The `message` event Slack delivers for a new message (the app receives its own too, and must ignore them). */
export function newMessageEvent(message: SlackMessage, identity: WorkspaceIdentity): Record<string, unknown> {
  return {
    ...toWireMessage(message, identity),
    channel: message.channel,
    event_ts: message.ts,
    channel_type: channelType(message.channel),
  };
}

/** The hidden `message_changed` event Slack sends after an edit. */
export function changedMessageEvent(
  previous: SlackMessage,
  current: SlackMessage,
  workspace: Workspace,
): Record<string, unknown> {
  const ts = workspace.nextTs();
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: current.channel,
    channel_type: channelType(current.channel),
    message: toWireMessage(current, workspace.identity),
    previous_message: toWireMessage(previous, workspace.identity),
    ts,
    event_ts: ts,
  };
}

/** The hidden `message_deleted` event Slack sends after a deletion. */
export function deletedMessageEvent(deleted: SlackMessage, workspace: Workspace): Record<string, unknown> {
  const ts = workspace.nextTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: deleted.channel,
    channel_type: channelType(deleted.channel),
    deleted_ts: deleted.ts,
    previous_message: toWireMessage(deleted, workspace.identity),
    ts,
    event_ts: ts,
  };
}
