/**
 * Plays Slack's side towards the app: slash commands, events and button clicks, shaped and signed as Slack
 * sends them to `/slack/events`, with response_urls that lead back to the fake Slack.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeSlack, ResponseUrlPost, SlackMessage } from './fake-slack.js';
import { channelType } from './message-format.js';
import { signSlackRequest } from './signing.js';

export interface DriverOptions {
  /** e.g. http://127.0.0.1:<port>/slack/events */
  appUrl: string;
  signingSecret: string;
  slack: FakeSlack;
  teamId?: string;
  apiAppId?: string;
  /** The time payloads carry (event_time, action_ts); signatures always use the real time, as Bolt checks it. */
  clock?: () => Date;
  /**
   * Deliver a channel mention as a `message` event too, after its `app_mention`, as Slack does when the app
   * subscribes to `message.channels` (the local sandbox plays it that way; tests choose).
   */
  mentionsAlsoAsMessages?: boolean;
}

/** A message a button can be clicked on: from the fake's history, or a response_url post's `message`. */
export interface ClickableMessage {
  blocks?: unknown[];
  ts?: string;
  channel?: string;
  thread_ts?: string;
  ephemeral?: boolean;
  ephemeralTo?: string;
}

export interface DeliveryOptions {
  eventId?: string;
  /** Set for a redelivery: sends X-Slack-Retry-Num and X-Slack-Retry-Reason as Slack does. */
  retryNum?: number;
}

/** The verification token is deprecated and unchecked by Bolt, but Slack still sends one. */
const VERIFICATION_TOKEN = 'sandbox-verification-token';

export class SlackDriver {
  private readonly slack: FakeSlack;
  private readonly teamId: string;
  private readonly apiAppId: string;
  private readonly clock: () => Date;

  constructor(private readonly options: DriverOptions) {
    this.slack = options.slack;
    this.teamId = options.teamId ?? options.slack.identity.teamId;
    this.apiAppId = options.apiAppId ?? options.slack.identity.appId;
    this.clock = options.clock ?? (() => new Date());
  }

  /** POSTs a slash command form body; resolves with the HTTP ack and the response_url created for it. */
  async command(
    text: string,
    o: { user: string; channel: string; command?: string },
  ): Promise<{ status: number; body: string; responseUrl: string }> {
    const responseUrl = this.slack.createResponseUrl({ channel: o.channel, user: o.user });
    const form = new URLSearchParams({
      token: VERIFICATION_TOKEN,
      team_id: this.teamId,
      team_domain: this.slack.identity.teamDomain,
      channel_id: o.channel,
      channel_name: this.channelName(o.channel),
      user_id: o.user,
      user_name: this.userName(o.user),
      command: o.command ?? '/lma',
      text,
      api_app_id: this.apiAppId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: this.triggerId(),
    });
    const { status, body } = await this.post(form.toString(), 'application/x-www-form-urlencoded');
    return { status, body, responseUrl };
  }

  /** Waits until at least `n` posts reached that response_url (default 1) and returns all of them. */
  responses(responseUrl: string, n = 1, timeoutMs?: number): Promise<ResponseUrlPost[]> {
    return this.slack.waitFor(() => {
      const posts = this.slack.responses(responseUrl);
      return posts.length >= n ? posts : undefined;
    }, timeoutMs);
  }

  /**
   * A human message: recorded in the fake's history, then delivered as a signed event — `app_mention` when it
   * mentions the bot outside a DM, otherwise `message` (with `channel_type` im for D… channels).
   */
  async say(
    text: string,
    o: { user: string; channel: string; thread_ts?: string } & DeliveryOptions,
  ): Promise<{ status: number; eventId: string; message: SlackMessage }> {
    const message = this.slack.postUserMessage({ channel: o.channel, user: o.user, text, thread_ts: o.thread_ts });
    const type = channelType(message.channel);
    const mention = text.includes(`<@${this.slack.identity.botUserId}>`) && type !== 'im';
    const event = (eventType: 'app_mention' | 'message') => ({
      type: eventType,
      client_msg_id: randomUUID(),
      user: message.user,
      text: message.text,
      ts: message.ts,
      team: this.teamId,
      channel: message.channel,
      event_ts: message.ts,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(eventType === 'message' ? { channel_type: type } : {}),
    });
    const delivered = await this.event(event(mention ? 'app_mention' : 'message'), o);
    if (mention && this.options.mentionsAlsoAsMessages) await this.event(event('message'));
    return { ...delivered, message };
  }

  /** Delivers any event payload in Slack's event_callback envelope. */
  async event(event: Record<string, unknown>, o: DeliveryOptions = {}): Promise<{ status: number; eventId: string }> {
    const eventId = o.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: this.teamId,
      api_app_id: this.apiAppId,
      event,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(this.clock().getTime() / 1000),
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.slack.identity.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
    };
    const retryHeaders: Record<string, string> =
      o.retryNum === undefined
        ? {}
        : { 'X-Slack-Retry-Num': String(o.retryNum), 'X-Slack-Retry-Reason': 'http_timeout' };
    const { status } = await this.post(JSON.stringify(envelope), 'application/json', retryHeaders);
    return { status, eventId };
  }

  /**
   * Clicks the element with `actionId` on a message: a signed `block_actions` payload with a fresh
   * response_url (whose replace/delete_original act on that message), container, channel, user and trigger_id.
   */
  async click(
    message: ClickableMessage,
    actionId: string,
    o: { user: string; channel: string; value?: string },
  ): Promise<{ status: number; responseUrl: string }> {
    const found = findAction(message.blocks ?? [], actionId);
    if (!found) throw new Error(`driver: no element with action_id "${actionId}" in the message`);
    const ephemeral = message.ephemeral ?? message.ephemeralTo !== undefined;
    const messageTs = message.ts ?? '';
    const responseUrl = this.slack.createResponseUrl({
      channel: o.channel,
      user: o.user,
      ...(message.ts ? { messageTs: message.ts } : {}),
      ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
    });
    const { element, blockId } = found;
    const actionTs = (this.clock().getTime() / 1000).toFixed(6);
    const payload = {
      type: 'block_actions',
      user: { id: o.user, username: this.userName(o.user), name: this.userName(o.user), team_id: this.teamId },
      api_app_id: this.apiAppId,
      token: VERIFICATION_TOKEN,
      container: { type: 'message', message_ts: messageTs, channel_id: o.channel, is_ephemeral: ephemeral },
      trigger_id: this.triggerId(),
      team: { id: this.teamId, domain: this.slack.identity.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: o.channel, name: this.channelName(o.channel) },
      // Slack leaves the message out when it was ephemeral: the app never had it in history.
      ...(ephemeral ? {} : { message: this.messagePayload(o.channel, message) }),
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: element.type,
          action_id: actionId,
          block_id: blockId,
          ...(element.text ? { text: element.text } : {}),
          ...((o.value ?? element.value) ? { value: o.value ?? element.value } : {}),
          action_ts: actionTs,
        },
      ],
    };
    const form = new URLSearchParams({ payload: JSON.stringify(payload) });
    const { status } = await this.post(form.toString(), 'application/x-www-form-urlencoded');
    return { status, responseUrl };
  }

  /** Delivers `app_home_opened` for a person opening the app's Home tab, with the view last published for them. */
  openHome(user: string, o: DeliveryOptions = {}): Promise<{ status: number; eventId: string }> {
    const view = this.slack.homeView(user);
    return this.event(
      {
        type: 'app_home_opened',
        user,
        channel: this.slack.channel(user)?.id,
        tab: 'home',
        event_ts: (this.clock().getTime() / 1000).toFixed(6),
        ...(view ? { view } : {}),
      },
      o,
    );
  }

  /**
   * Clicks the element with `actionId` in the Home tab last published for `user`: a signed `block_actions` payload
   * from a view container, as Slack sends it from Home (no channel, no response_url).
   */
  async clickInHome(user: string, actionId: string): Promise<{ status: number }> {
    const view = this.slack.homeView(user);
    if (!view) throw new Error(`driver: nothing was published to ${user}'s Home tab`);
    const found = findAction((view.blocks as unknown[]) ?? [], actionId);
    if (!found) throw new Error(`driver: no element with action_id "${actionId}" in ${user}'s Home tab`);
    const { element, blockId } = found;
    const payload = {
      type: 'block_actions',
      user: { id: user, username: this.userName(user), name: this.userName(user), team_id: this.teamId },
      api_app_id: this.apiAppId,
      token: VERIFICATION_TOKEN,
      container: { type: 'view', view_id: view.id },
      trigger_id: this.triggerId(),
      team: { id: this.teamId, domain: this.slack.identity.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      view,
      actions: [
        {
          type: element.type,
          action_id: actionId,
          block_id: blockId,
          ...(element.text ? { text: element.text } : {}),
          ...(element.value ? { value: element.value } : {}),
          action_ts: (this.clock().getTime() / 1000).toFixed(6),
        },
      ],
    };
    const form = new URLSearchParams({ payload: JSON.stringify(payload) });
    const { status } = await this.post(form.toString(), 'application/x-www-form-urlencoded');
    return { status };
  }

  private messagePayload(channel: string, message: ClickableMessage): Record<string, unknown> {
    const stored = message.ts ? this.slack.messages(channel).find((m) => m.ts === message.ts) : undefined;
    return {
      type: 'message',
      user: stored?.user ?? this.slack.identity.botUserId,
      ...(stored?.bot_id ? { bot_id: stored.bot_id, app_id: this.apiAppId } : {}),
      ts: message.ts,
      text: stored?.text ?? '',
      team: this.teamId,
      blocks: message.blocks ?? [],
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    };
  }

  private async post(
    body: string,
    contentType: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const response = await fetch(this.options.appUrl, {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        ...signSlackRequest(this.options.signingSecret, body),
        ...extraHeaders,
      },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  private channelName(channelId: string): string {
    const channel = this.slack.channel(channelId);
    if (!channel) return 'unknown';
    // Slack names DMs this way in slash command payloads.
    return channelType(channel.id) === 'im' ? 'directmessage' : channel.name;
  }

  private userName(userId: string): string {
    return this.slack.user(userId)?.name ?? userId.toLowerCase();
  }

  private triggerId(): string {
    const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
    return `${digits(13)}.${digits(13)}.${randomBytes(16).toString('hex')}`;
  }
}

interface ActionElement {
  type: string;
  action_id: string;
  text?: unknown;
  value?: string;
}

/** Finds an interactive element by action_id in `actions` blocks and section accessories. */
function findAction(blocks: unknown[], actionId: string): { element: ActionElement; blockId: string } | undefined {
  for (const block of blocks as { type?: string; block_id?: string; elements?: unknown[]; accessory?: unknown }[]) {
    const candidates = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])] as ActionElement[];
    const element = candidates.find((e) => e?.action_id === actionId);
    if (element) return { element, blockId: block.block_id ?? randomBytes(3).toString('base64url') };
  }
  return undefined;
}
