/** `/lma help` and "@LMA help": what the bot can do, assembled from every feature's commands and help lines. */
import type { CommandSpec } from '../../parse/index.js';
import { QUESTION_EXAMPLES } from '../../parse/index.js';
import { context, divider, escapeEntities, escapeText, header, type SlackView, section } from '../../slack/blocks.js';

export interface HelpInfo {
  lmoLabel: string;
  timezone: string;
  /** Every `/lma` subcommand, in the features' order. */
  commands: readonly Pick<CommandSpec, 'usage' | 'example' | 'summary'>[];
  /** The features' lines for the foot (the digest's schedule). */
  notes: string[];
}

export function helpView(info: HelpInfo, topic?: 'ask'): SlackView {
  const commands = info.commands
    .map((c) => `• \`${escapeEntities(c.usage)}\` — ${c.summary}\n    e.g. \`${escapeEntities(c.example)}\``)
    .join('\n');
  const questions = QUESTION_EXAMPLES.slice(0, 6)
    .map((q) => `• _${escapeText(q)}_`)
    .join('\n');
  const askFirst = topic === 'ask';
  const askSection = section(`*Ask me in a thread* — mention me or reply where I've spoken:\n${questions}`);
  const commandSection = section(`*Slash commands*\n${commands}`);
  return {
    text: `LMA Bot answers questions about trials, conversions and renewals from your License Management App. Try /lma renewals 30 or /lma status Acme.`,
    blocks: [
      header('LMA Bot: your License Management App in Slack'),
      section(
        'I answer questions about *trials*, *conversions* and *renewals* from your License Management Org. Slash-command answers are only visible to you until you share them; in a thread I answer for everyone there.',
      ),
      ...(askFirst ? [askSection, divider(), commandSection] : [commandSection, divider(), askSection]),
      context(`LMO: ${escapeText(info.lmoLabel)} · dates in ${info.timezone}`, ...info.notes),
    ],
  };
}
