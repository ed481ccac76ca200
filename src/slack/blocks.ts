/**
 * Block Kit primitives. Every piece of text that came from the LMO or a user goes through `escapeText`, so a
 * customer named "<!channel>" or "*Acme*" is shown as text, never as a mention, a link or bold.
 */
import type { types } from '@slack/bolt';

type Button = types.Button;
type SectionBlock = types.SectionBlock;
type TableBlock = types.TableBlock;
type RichTextBlock = types.RichTextBlock;

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

/** A table cell: plain text (never formatted by Slack), or a link with an optional emoji before it. */
export type Cell = string | { text: string; url?: string; emoji?: string };

/** A table's rows hold at most 100 rows (the header is one) of at most 20 cells. */
export const TABLE_MAX_ROWS = 100;

/** A table block: a header row, then the rows; `right` columns (by index) are aligned right. */
export function table(headers: string[], rows: Cell[][], right: number[] = []): Block {
  const cellOf = (cell: Cell): TableBlock['rows'][number][number] => {
    if (typeof cell === 'string') return { type: 'raw_text', text: truncate(cell, 2000) || '—' };
    return {
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            ...(cell.emoji
              ? [
                  { type: 'emoji' as const, name: cell.emoji },
                  { type: 'text' as const, text: ' ' },
                ]
              : []),
            cell.url
              ? { type: 'link' as const, url: cell.url, text: truncate(cell.text, 2000) }
              : { type: 'text' as const, text: truncate(cell.text, 2000) || '—' },
          ],
        },
      ],
    };
  };
  return {
    type: 'table',
    column_settings: headers.map((_, i) => (right.includes(i) ? { align: 'right' as const } : { is_wrapped: true })),
    rows: [headers, ...rows.slice(0, TABLE_MAX_ROWS - 1)].map((row) => row.slice(0, 20).map(cellOf)),
  };
}

/**
 * The same message with each table as mrkdwn rows (one line per row, its cells joined by " · ", the first in bold)
 * and one line saying why: for a Slack that refuses table blocks. Undefined when the message has no table.
 */
export function withoutTables(view: SlackView): SlackView | undefined {
  if (!view.blocks.some((b) => b.type === 'table')) return undefined;
  const blocks = view.blocks.flatMap((block) => {
    if (block.type !== 'table') return [block];
    const lines = block.rows.slice(1).map((row) => row.map(cellText).map((text, i) => (i === 0 ? `*${text}*` : text)));
    return [
      ...linesInSections(lines.map((cells) => cells.join(' · '))),
      context('Slack did not accept a table in this message, so its rows are shown as text.'),
    ];
  });
  return { text: view.text, blocks };
}

/** One cell of a table block as mrkdwn: text escaped, links kept. */
function cellText(cell: TableBlock['rows'][number][number]): string {
  if (cell.type === 'raw_text' || cell.type === 'raw_number') return escapeText(cell.text);
  const inline: types.RichTextElement[] = (cell as RichTextBlock).elements.flatMap((section) =>
    section.type === 'rich_text_section' ? section.elements : [],
  );
  return inline
    .map((e) => {
      if (e.type === 'link') return link(e.url, e.text ?? e.url);
      if (e.type === 'emoji') return `:${e.name}:`;
      return e.type === 'text' ? escapeText(e.text) : '';
    })
    .join('');
}

/** Lines grouped into sections of at most 3,000 characters, no line cut. */
export function linesInSections(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let chunk: string[] = [];
  for (const line of lines) {
    if (chunk.length > 0 && [...chunk, line].join('\n').length > 2900) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
    }
    chunk.push(line);
  }
  if (chunk.length > 0) blocks.push(section(chunk.join('\n')));
  return blocks;
}

/**
 * Whether Slack refused a message for what it holds: `invalid_blocks` from the Web API, or a 400 from a response_url
 * (Bolt's respond() gives the status only, and a 400 there means the message, not the url, was at fault).
 */
export function refusedBlocks(error: unknown): boolean {
  const e = error as { data?: { error?: unknown }; statusCode?: unknown } | null;
  return e?.data?.error === 'invalid_blocks' || e?.statusCode === 400;
}

/** Sends a view; when Slack refuses it for a table block, sends it again with the table as text rows. */
export async function sendWithFallback(view: SlackView, send: (view: SlackView) => Promise<unknown>): Promise<void> {
  try {
    await send(view);
  } catch (error) {
    const fallback = withoutTables(view);
    if (!fallback || !refusedBlocks(error)) throw error;
    await send(fallback);
  }
}
