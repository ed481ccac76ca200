/** Drives install guides through the real bot and reads them back from the fake Slack. */

import type { FakeSlack, SlackDriver, SlackMessage } from '@lma-bot/slack-sandbox';
import { CHANNEL, USER } from '../../support/harness.js';

export interface Side {
  slack: FakeSlack;
  driver: SlackDriver;
}

export interface GuideThread {
  channel: string;
  threadTs: string;
  guideTs: string;
}

/** `/lma install`, then waits for the parent message and the guide in its thread. */
export async function startInstall(side: Side, o: { user?: string; channel?: string } = {}): Promise<GuideThread> {
  const channel = o.channel ?? CHANNEL;
  const before = new Set(side.slack.messages(channel).map((m) => m.ts));
  const ack = await side.driver.command('install', { user: o.user ?? USER, channel });
  if (ack.status !== 200) throw new Error(`install: HTTP ${ack.status}`);
  const parent = await side.slack.waitFor(() =>
    side.slack.messages(channel).find((m) => !before.has(m.ts) && m.text.startsWith('LMA install guide started by')),
  );
  const guide = await side.slack.waitFor(() =>
    side.slack.thread(channel, parent.ts).find((m) => m.ts !== parent.ts && m.bot_id),
  );
  return { channel, threadTs: parent.ts, guideTs: guide.ts };
}

/** The guide message as it stands now. */
export function guideMessage(side: Side, g: GuideThread): SlackMessage {
  const message = side.slack.messages(g.channel).find((m) => m.ts === g.guideTs);
  if (!message) throw new Error('guide message is gone');
  return message;
}

/** Bot messages in the thread other than the guide itself, ephemeral ones included. */
export function botReplies(side: Side, g: GuideThread): SlackMessage[] {
  return side.slack.thread(g.channel, g.threadTs).filter((m) => m.bot_id && m.ts !== g.guideTs && m.ts !== g.threadTs);
}

/** Types in the thread and waits for the bot's next reply there (optionally one containing `fragment`). */
export async function reply(
  side: Side,
  g: GuideThread,
  text: string,
  fragment = '',
  o: { user?: string; eventId?: string; retryNum?: number } = {},
): Promise<SlackMessage> {
  const sent = await side.driver.say(text, {
    user: o.user ?? USER,
    channel: g.channel,
    thread_ts: g.threadTs,
    eventId: o.eventId,
    retryNum: o.retryNum,
  });
  return side.slack.waitFor(() => botReplies(side, g).find((m) => m.ts > sent.message.ts && m.text.includes(fragment)));
}

/** Types in the thread and waits until the guide message shows `progress` (e.g. "step 3 of 8"). */
export async function replyAndWaitFor(
  side: Side,
  g: GuideThread,
  text: string,
  progress: string,
  user = USER,
): Promise<void> {
  await side.driver.say(text, { user, channel: g.channel, thread_ts: g.threadTs });
  await waitForProgress(side, g, progress);
}

export function waitForProgress(side: Side, g: GuideThread, progress: string): Promise<SlackMessage> {
  return side.slack.waitFor(() => {
    const message = guideMessage(side, g);
    return message.text.includes(progress) ? message : undefined;
  });
}

/** Clicks a button on the guide message as it stands now. */
export function click(
  side: Side,
  g: GuideThread,
  actionId: string,
  user = USER,
): Promise<{ status: number; responseUrl: string }> {
  return side.driver.click(guideMessage(side, g), actionId, { user, channel: g.channel });
}
