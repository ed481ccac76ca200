/**
 * Block Kit primitives. Every piece of text that came from the LMO or a user goes through `escapeText`, so a
 * customer named "<!channel>" or "*Acme*" is shown as text, never as a mention, a link or bold.
 */
import type { types } from '@slack/bolt';

type Button = types.Button;
type SectionBlock = types.SectionBlock;

export type Block = types.KnownBlock;
export type { Button };

/** A Slack message: blocks plus the plain-text fallback shown in notifications and read by screen readers. */
export interface SlackView {
  text: string;
  blocks: Block[];
}

const FORMATTING_LOOKALIKES: Record<string, string> = { '*': '∗', '~': '∼', '`': 'ˋ', _: '＿' };

/** Text from outside (LMO records, user input) made inert for mrkdwn: no mentions, links or formatting. */
export function escapeText(value: string): string {
  return escapeEntities(value).replace(/[*~`_]/g, (c) => FORMATTING_LOOKALIKES[c] ?? c);
}

/** Only `&`, `<` and `>`, which Slack reads as markup even inside `code`: for our own text such as usage lines. */
export function escapeEntities(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link whose label is escaped; the URL is ours (built from the LMO's instance URL and a record id). */
export function link(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${escapeText(label)}>`;
}

/** A one-section message led by an emoji; the fallback is the same words without it. */
export function notice(emoji: string, text: string): SlackView {
  return { text, blocks: [section(`:${emoji}: ${text}`)] };
}

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, 150), emoji: true },
});

export const section = (mrkdwn: string, accessory?: Button): Block => {
  const block: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, 3000) } };
  if (accessory) block.accessory = accessory;
  return block;
};

export const fields = (items: string[], mrkdwn?: string): Block => ({
  type: 'section',
  ...(mrkdwn ? { text: { type: 'mrkdwn' as const, text: truncate(mrkdwn, 3000) } } : {}),
  fields: items.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, 2000) })),
});

export const context = (...items: string[]): Block => ({
  type: 'context',
  elements: items.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, 2000) })),
});

export const divider = (): Block => ({ type: 'divider' });

export const actions = (blockId: string, buttons: Button[]): Block => ({
  type: 'actions',
  block_id: blockId,
  elements: buttons.slice(0, 25),
});

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
    action_id: actionId,
    value: truncate(value, 2000),
    ...(style ? { style } : {}),
  };
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "1 license", "3 licenses". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}
