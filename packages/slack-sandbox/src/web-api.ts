/**
 * The Slack Web API methods the bot uses, with Slack's response shapes and error codes.
 * Each method takes the decoded arguments and returns the body of an `ok: true` answer, or throws
 * SlackApiError with Slack's error code.
 */
import { type BotWriter, deleteAsBot, editAsBot, postAsBot } from './bot-actions.js';
import { channelType, messageContent, parseBlocks, SlackApiError, toWireMessage } from './message-format.js';
import type { ChannelSpec, SharedFile, SlackMessage, Workspace } from './workspace.js';

export type ApiArgs = Record<string, unknown>;
type Method = (args: ApiArgs, writer: BotWriter) => Record<string, unknown>;

const DEFAULT_PAGE_SIZE = 100;
/** Where files.getUploadURLExternal's upload URLs point, on the fake's own server. */
export const UPLOAD_PATH = '/upload/';

function mimetypeOf(filename: string): string {
  if (filename.endsWith('.csv')) return 'text/csv';
  return filename.endsWith('.txt') ? 'text/plain' : 'application/octet-stream';
}

export function callMethod(method: string, args: ApiArgs, writer: BotWriter): Record<string, unknown> {
  const handler = METHODS[method];
  if (!handler) throw new SlackApiError('unknown_method');
  return { ok: true, ...handler(args, writer) };
}

const METHODS: Record<string, Method> = {
  'auth.test': (_args, { workspace }) => {
    const { teamId, teamDomain, botUserId, botId } = workspace.identity;
    return {
      url: `https://${teamDomain}.slack.com/`,
      team: 'LMA Sandbox',
      user: workspace.user(botUserId)?.name,
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    };
  },

  'chat.postMessage': (args, writer) => {
    const channel = channelWhereBotIsMember(args, writer.workspace);
    const content = messageContent(args.text, args.blocks, writer.workspace.refusedBlocks);
    const threadTs = threadRoot(writer.workspace, channel.id, optionalString(args.thread_ts));
    const message = postAsBot(writer, {
      channel: channel.id,
      ...content,
      ...(threadTs ? { thread_ts: threadTs, broadcast: flag(args.reply_broadcast) } : {}),
    });
    return { channel: channel.id, ts: message.ts, message: toWireMessage(message, writer.workspace.identity) };
  },

  'chat.postEphemeral': (args, writer) => {
    const channel = channelWhereBotIsMember(args, writer.workspace);
    const user = optionalString(args.user);
    if (!user || !writer.workspace.user(user)) throw new SlackApiError('user_not_found');
    if (!writer.workspace.isMember(channel, user)) throw new SlackApiError('user_not_in_channel');
    const content = messageContent(args.text, args.blocks, writer.workspace.refusedBlocks);
    const threadTs = threadRoot(writer.workspace, channel.id, optionalString(args.thread_ts));
    const message = postAsBot(writer, {
      channel: channel.id,
      ...content,
      ephemeralTo: user,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { message_ts: message.ts };
  },

  'chat.update': (args, writer) => {
    const message = botMessage(args, writer.workspace, 'cant_update_message');
    const text = args.text === undefined ? message.text : String(args.text);
    const blocks = args.blocks === undefined ? message.blocks : parseBlocks(args.blocks);
    const content = messageContent(text, blocks, writer.workspace.refusedBlocks);
    const updated = editAsBot(writer, message, { ...content, ephemeralTo: undefined, edited: true });
    return {
      channel: updated.channel,
      ts: updated.ts,
      text: updated.text,
      message: toWireMessage(updated, writer.workspace.identity),
    };
  },

  'chat.delete': (args, writer) => {
    const message = botMessage(args, writer.workspace, 'cant_delete_message');
    deleteAsBot(writer, message);
    return { channel: message.channel, ts: message.ts };
  },

  'conversations.replies': (args, { workspace }) => {
    const channel = existingChannel(args, workspace);
    const ts = optionalString(args.ts) ?? '';
    const root = threadRoot(workspace, channel.id, ts);
    if (!root) throw new SlackApiError('thread_not_found');
    const thread = workspace.thread(channel.id, root).filter((m) => !m.ephemeralTo);
    return page(thread, args, workspace);
  },

  'conversations.history': (args, { workspace }) => {
    const channel = existingChannel(args, workspace);
    const latest = optionalString(args.latest);
    const oldest = optionalString(args.oldest);
    const visible = workspace
      .messages(channel.id)
      .filter((m) => !m.ephemeralTo && (!m.thread_ts || m.thread_ts === m.ts || m.broadcast))
      .filter((m) => (latest === undefined || m.ts < latest) && (oldest === undefined || m.ts > oldest))
      .reverse();
    return { ...page(visible, args, workspace), pin_count: 0 };
  },

  'conversations.info': (args, { workspace }) => ({
    channel: channelInfo(existingChannel(args, workspace), workspace),
  }),

  'conversations.open': (args, { workspace }) => {
    const user = optionalString(args.users);
    if (!user || !workspace.user(user)) throw new SlackApiError('user_not_found');
    return { channel: { id: workspace.openDm(user).id } };
  },

  'users.info': (args, { workspace }) => {
    const user = workspace.user(optionalString(args.user) ?? '');
    if (!user) throw new SlackApiError('user_not_found');
    const realName = user.realName ?? user.name;
    return {
      user: {
        id: user.id,
        team_id: workspace.identity.teamId,
        name: user.name,
        real_name: realName,
        deleted: false,
        is_bot: user.id === workspace.identity.botUserId,
        tz: 'UTC',
        tz_offset: 0,
        profile: {
          real_name: realName,
          display_name: user.name,
          real_name_normalized: realName,
          email: user.email ?? `${user.name}@example.com`,
        },
      },
    };
  },

  // With a bot token, the channels `user` is in (public ones; private ones where the bot is too), by cursor.
  'users.conversations': (args, { workspace }) => {
    const user = optionalString(args.user) ?? workspace.identity.botUserId;
    if (!workspace.user(user)) throw new SlackApiError('user_not_found');
    const types = (optionalString(args.types) ?? 'public_channel').split(',');
    const visible = workspace
      .channelsOf(user)
      .filter((c) => (channelType(c.id) === 'group' ? workspace.isMember(c, workspace.identity.botUserId) : true))
      .filter((c) => types.includes(channelType(c.id) === 'group' ? 'private_channel' : 'public_channel'));
    const limit = Number(args.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
    const offset = Number(optionalString(args.cursor) ?? 0) || 0;
    const next = offset + limit < visible.length ? String(offset + limit) : '';
    return {
      channels: visible.slice(offset, offset + limit).map((c) => channelInfo(c, workspace)),
      response_metadata: { next_cursor: next },
    };
  },

  'views.publish': (args, { workspace }) => {
    const userId = optionalString(args.user_id);
    const view = typeof args.view === 'string' ? safeJson(args.view) : args.view;
    if (!userId || typeof view !== 'object' || view === null) throw new SlackApiError('invalid_arguments');
    if (!workspace.user(userId)) throw new SlackApiError('user_not_found');
    const { blocks, ...rest } = view as Record<string, unknown>;
    if ((rest.type ?? 'home') !== 'home') throw new SlackApiError('invalid_arguments');
    const published = {
      id: `V${workspace.nextTs().replace('.', '')}`,
      team_id: workspace.identity.teamId,
      app_id: workspace.identity.appId,
      bot_id: workspace.identity.botId,
      state: { values: {} },
      hash: workspace.nextTs(),
      ...rest,
      type: 'home',
      blocks: parseBlocks(blocks) ?? [],
    };
    workspace.setHomeView(userId, published);
    return { view: published };
  },

  'files.getUploadURLExternal': (args, { workspace, root }) => {
    const filename = optionalString(args.filename);
    const length = Number(args.length);
    if (!filename || !Number.isSafeInteger(length) || length <= 0) throw new SlackApiError('invalid_arguments');
    const id = `F${workspace.nextTs().replace('.', '')}`;
    workspace.putFile({ id, name: filename, title: filename, mimetype: mimetypeOf(filename), size: length });
    return { upload_url: `${root?.() ?? ''}${UPLOAD_PATH}${id}`, file_id: id };
  },

  'files.completeUploadExternal': (args, writer) => {
    const listed = typeof args.files === 'string' ? safeJson(args.files) : args.files;
    if (!Array.isArray(listed) || listed.length === 0) throw new SlackApiError('invalid_arguments');
    const files = listed.map((entry: { id?: unknown; title?: unknown }) => {
      const stored = writer.workspace.file(typeof entry.id === 'string' ? entry.id : '');
      // Completing before the bytes arrived is what Slack refuses as file_not_found.
      if (!stored?.content) throw new SlackApiError('file_not_found');
      const title = typeof entry.title === 'string' && entry.title !== '' ? entry.title : stored.name;
      writer.workspace.putFile({ ...stored, title });
      const shared: SharedFile = {
        id: stored.id,
        name: stored.name,
        title,
        mimetype: stored.mimetype,
        size: stored.size,
      };
      return shared;
    });
    const channelId = optionalString(args.channel_id);
    if (channelId) {
      const channel = channelWhereBotIsMember({ channel: channelId }, writer.workspace);
      const threadTs = threadRoot(writer.workspace, channel.id, optionalString(args.thread_ts));
      postAsBot(writer, {
        channel: channel.id,
        text: optionalString(args.initial_comment) ?? '',
        files,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    }
    return { files: files.map((f) => ({ id: f.id, title: f.title })) };
  },

  'reactions.add': (args, { workspace }) => {
    const channel = existingChannel(args, workspace);
    const message = workspace.find(channel.id, optionalString(args.timestamp) ?? '');
    if (!message || message.ephemeralTo) throw new SlackApiError('message_not_found');
    const name = optionalString(args.name)?.replace(/^:|:$/g, '');
    if (!name || !/^[a-z0-9_+'-]+$/.test(name)) throw new SlackApiError('invalid_name');
    const { botUserId } = workspace.identity;
    const reactions = message.reactions ?? [];
    const reaction = reactions.find((r) => r.name === name);
    if (reaction?.users.includes(botUserId)) throw new SlackApiError('already_reacted');
    if (reaction) reaction.users.push(botUserId);
    else reactions.push({ name, users: [botUserId] });
    workspace.update(message, { reactions });
    return {};
  },
};

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Form bodies carry booleans as strings. */
function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function existingChannel(args: ApiArgs, workspace: Workspace): ChannelSpec {
  const channel = workspace.channel(optionalString(args.channel) ?? '');
  if (!channel) throw new SlackApiError('channel_not_found');
  return channel;
}

function channelWhereBotIsMember(args: ApiArgs, workspace: Workspace): ChannelSpec {
  const channel = existingChannel(args, workspace);
  if (!workspace.isMember(channel, workspace.identity.botUserId)) throw new SlackApiError('not_in_channel');
  return channel;
}

/** A message the bot may change: anything else is `cantError`; ephemeral messages cannot be found. */
function botMessage(args: ApiArgs, workspace: Workspace, cantError: string): SlackMessage {
  const channel = existingChannel(args, workspace);
  const message = workspace.find(channel.id, optionalString(args.ts) ?? '');
  if (!message || message.ephemeralTo) throw new SlackApiError('message_not_found');
  if (message.bot_id !== workspace.identity.botId) throw new SlackApiError(cantError);
  return message;
}

/** Replies to a reply belong to the same thread, as in Slack; an unknown ts starts no thread. */
function threadRoot(workspace: Workspace, channel: string, ts: string | undefined): string | undefined {
  if (!ts) return undefined;
  const message = workspace.find(channel, ts);
  return message ? (message.thread_ts ?? message.ts) : undefined;
}

/** Slack's cursor pagination; the cursor here is simply the offset of the next page. */
function page(messages: SlackMessage[], args: ApiArgs, workspace: Workspace): Record<string, unknown> {
  const limit = Number(args.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE;
  const offset = Number(optionalString(args.cursor) ?? 0) || 0;
  const slice = messages.slice(offset, offset + limit);
  const hasMore = offset + limit < messages.length;
  return {
    messages: slice.map((m) => toWireMessage(m, workspace.identity)),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? String(offset + limit) : '' },
  };
}

function channelInfo(channel: ChannelSpec, workspace: Workspace): Record<string, unknown> {
  const type = channelType(channel.id);
  if (type === 'im') {
    const user = channel.members?.find((m) => m !== workspace.identity.botUserId);
    return { id: channel.id, created: 0, is_im: true, is_org_shared: false, user, is_user_deleted: false };
  }
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    created: 0,
    creator: '',
    is_channel: type === 'channel',
    is_group: type === 'group',
    is_im: false,
    is_mpim: false,
    is_private: type === 'group',
    is_archived: false,
    is_general: channel.name === 'general',
    is_member: workspace.isMember(channel, workspace.identity.botUserId),
    ...(channel.members ? { num_members: channel.members.length } : {}),
  };
}
