/**
 * The in-memory state of the fake Slack workspace: channels, users, every message ever posted (ephemeral ones
 * included) and the home tabs. The Web API, the response_url endpoint and the driver all read and write here.
 */

export interface ChannelSpec {
  id: string;
  name: string;
  /** Who is in the channel. Omitted: everyone, the bot included; given: only those listed. */
  members?: string[];
}

export interface UserSpec {
  id: string;
  name: string;
  realName?: string;
  /** What users.info gives as profile.email (scope users:read.email); default `<name>@example.com`. */
  email?: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  /** Set for ephemeral messages: the only user who sees them. */
  ephemeralTo?: string;
  /** On a thread's parent: how many replies it has. */
  replyCount?: number;
  edited?: boolean;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  reactions?: { name: string; users: string[] }[];
  files?: SharedFile[];
}

/** A file as a message shows it (files.completeUploadExternal shares it). */
export interface SharedFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
}

/** A file uploaded with files.getUploadURLExternal and its upload URL: its bytes once they arrived. */
export interface StoredFile extends SharedFile {
  content?: Buffer;
}

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
}

/** Direct-message channels are named after their user, so the same user always gets the same channel. */
const dmChannelId = (userId: string): string => `D${userId}`;

export class Workspace {
  private readonly channels = new Map<string, ChannelSpec>();
  private readonly users = new Map<string, UserSpec>();
  private readonly history = new Map<string, SlackMessage[]>();
  private readonly homeViews = new Map<string, Record<string, unknown>>();
  private readonly files = new Map<string, StoredFile>();
  private readonly listeners = new Set<() => void>();
  private lastTsMicros = 0;
  /** Block types this workspace refuses with `invalid_blocks` (none: it takes every block Slack knows). */
  readonly refusedBlocks = new Set<string>();

  constructor(
    readonly identity: WorkspaceIdentity,
    channels: ChannelSpec[],
    users: UserSpec[],
    readonly clock: () => Date,
  ) {
    for (const channel of channels) this.channels.set(channel.id, channel);
    for (const user of users) this.users.set(user.id, user);
    this.users.set(identity.botUserId, { id: identity.botUserId, name: 'lma', realName: 'LMA' });
  }

  /** A Slack timestamp ("1764441600.000100"): from the clock, but always unique and increasing. */
  nextTs(): string {
    const micros = Math.max(this.clock().getTime() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Looks a channel up by id, by name or `#name`; a user id means the DM channel with that user. */
  channel(ref: string): ChannelSpec | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    if (this.users.has(ref)) return this.openDm(ref);
    const name = ref.replace(/^#/, '');
    return [...this.channels.values()].find((c) => c.name === name);
  }

  openDm(userId: string): ChannelSpec {
    const id = dmChannelId(userId);
    const existing = this.channels.get(id);
    if (existing) return existing;
    const dm = { id, name: id, members: [userId, this.identity.botUserId] };
    this.channels.set(id, dm);
    return dm;
  }

  user(id: string): UserSpec | undefined {
    return this.users.get(id);
  }

  /** The channels (not DMs) a user is in, in the order they were made. */
  channelsOf(userId: string): ChannelSpec[] {
    return [...this.channels.values()].filter((c) => !c.id.startsWith('D') && this.isMember(c, userId));
  }

  isMember(channel: ChannelSpec, userId: string): boolean {
    return channel.members === undefined || channel.members.includes(userId);
  }

  /** Appends a message (its ts is always the newest) and counts it on its thread's parent. */
  add(message: SlackMessage): SlackMessage {
    const list = this.history.get(message.channel) ?? [];
    list.push(message);
    this.history.set(message.channel, list);
    if (message.thread_ts && message.thread_ts !== message.ts && !message.ephemeralTo) {
      const parent = this.find(message.channel, message.thread_ts);
      if (parent) parent.replyCount = (parent.replyCount ?? 0) + 1;
    }
    this.notifyChange();
    return message;
  }

  /** The stored message itself (not a copy), for the Web API to change in place. */
  find(channel: string, ts: string): SlackMessage | undefined {
    return this.history.get(channel)?.find((m) => m.ts === ts);
  }

  update(message: SlackMessage, patch: Partial<SlackMessage>): SlackMessage {
    Object.assign(message, patch);
    this.notifyChange();
    return message;
  }

  remove(message: SlackMessage): void {
    const list = this.history.get(message.channel) ?? [];
    this.history.set(
      message.channel,
      list.filter((m) => m !== message),
    );
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const parent = this.find(message.channel, message.thread_ts);
      if (parent?.replyCount) parent.replyCount -= 1;
    }
    this.notifyChange();
  }

  /** Top-level messages and thread replies, in ts order, ephemeral included (copies). */
  messages(channel: string): SlackMessage[] {
    return (this.history.get(channel) ?? []).map(copy);
  }

  /**
   * The parent and its replies, in ts order, ephemeral replies included (copies). Only the thread is copied: a waiter
   * checks a thread on every change, and copying the whole channel each time made a long-lived channel's checks slow.
   */
  thread(channel: string, threadTs: string): SlackMessage[] {
    const inThread = (this.history.get(channel) ?? []).filter((m) => m.ts === threadTs || m.thread_ts === threadTs);
    return inThread.map(copy);
  }

  /** A file being uploaded (no content yet) or uploaded. */
  file(id: string): StoredFile | undefined {
    return this.files.get(id);
  }

  putFile(file: StoredFile): void {
    this.files.set(file.id, file);
  }

  setHomeView(userId: string, view: Record<string, unknown>): void {
    this.homeViews.set(userId, view);
    this.notifyChange();
  }

  homeView(userId: string): Record<string, unknown> | undefined {
    return this.homeViews.get(userId);
  }

  /** Called after every change, so waiters re-check at once instead of polling. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notifyChange(): void {
    for (const listener of this.listeners) listener();
  }
}

function copy(message: SlackMessage): SlackMessage {
  return structuredClone(message);
}
