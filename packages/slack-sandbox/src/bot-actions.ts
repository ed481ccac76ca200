/**
 * The bot's writes to the workspace, shared by the Web API and the response_url endpoint: each stores the
 * change and, for messages everyone sees, echoes the event Slack would deliver back to the app.
 */
import { changedMessageEvent, deletedMessageEvent, newMessageEvent } from './message-format.js';
import type { SharedFile, SlackMessage, Workspace } from './workspace.js';

export type Echo = (event: Record<string, unknown>) => void;

export interface BotWriter {
  workspace: Workspace;
  echo: Echo;
  /** The fake's own URL, for the upload URLs it hands out. */
  root?: () => string;
}

export interface NewBotMessage {
  channel: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  ephemeralTo?: string;
  broadcast?: boolean;
  files?: SharedFile[];
}

export function postAsBot({ workspace, echo }: BotWriter, m: NewBotMessage): SlackMessage {
  const { botUserId, botId } = workspace.identity;
  const message = workspace.add({
    channel: m.channel,
    ts: workspace.nextTs(),
    user: botUserId,
    bot_id: botId,
    text: m.text,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    ...(m.ephemeralTo ? { ephemeralTo: m.ephemeralTo } : {}),
    ...(m.broadcast ? { broadcast: true } : {}),
    ...(m.files ? { files: m.files } : {}),
  });
  if (!message.ephemeralTo) echo(newMessageEvent(message, workspace.identity));
  return message;
}

/** Replaces a message's content in place (same ts); `ephemeralTo` decides who sees the result. */
export function editAsBot(
  { workspace, echo }: BotWriter,
  message: SlackMessage,
  patch: Pick<SlackMessage, 'text' | 'blocks' | 'ephemeralTo' | 'edited'>,
): SlackMessage {
  const previous = structuredClone(message);
  const updated = workspace.update(message, patch);
  if (!updated.ephemeralTo) echo(changedMessageEvent(previous, updated, workspace));
  return updated;
}

export function deleteAsBot({ workspace, echo }: BotWriter, message: SlackMessage): void {
  workspace.remove(message);
  if (!message.ephemeralTo) echo(deletedMessageEvent(message, workspace));
}
