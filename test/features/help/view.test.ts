/** helpView, pure: the commands with their examples, six questions to ask, which comes first, the foot. */
import { describe, expect, test } from 'vitest';
import { helpView } from '../../../src/features/help/view.js';
import { blockText } from '../../support/harness.js';

const info = {
  lmoLabel: 'ISV <Prod> *main*',
  timezone: 'Europe/Berlin',
  commands: [
    { usage: '/lma renewals [days] [package]', example: '/lma renewals 30', summary: 'Renewals coming up.' },
    { usage: '/lma status <customer>', example: '/lma status Acme & Co', summary: 'One customer.' },
  ],
  notes: ['Daily digest at 09:00 in #sales.'],
};

describe('helpView', () => {
  test('every command with its usage and example, markup in them escaped; the fallback names two to try', () => {
    const view = helpView(info);
    const text = blockText(view.blocks);
    expect(text).toContain(
      '*Slash commands*\n• `/lma renewals [days] [package]` — Renewals coming up.\n    e.g. `/lma renewals 30`\n• `/lma status &lt;customer&gt;` — One customer.\n    e.g. `/lma status Acme &amp; Co`',
    );
    expect(view.text).toBe(
      'LMA Bot answers questions about trials, conversions and renewals from your License Management App. Try /lma renewals 30 or /lma status Acme.',
    );
    expect(text.split('\n')[0]).toBe('LMA Bot: your License Management App in Slack');
    expect(text.split('\n')[1]).toBe(
      'I answer questions about *trials*, *conversions* and *renewals* from your License Management Org. Slash-command answers are only visible to you until you share them; in a thread I answer for everyone there.',
    );
  });

  test('six questions to ask, in italics; the commands come first unless the topic is asking', () => {
    const questions =
      "*Ask me in a thread* — mention me or reply where I've spoken:\n• _What's the status of Acme?_\n• _When does Acme renew?_\n• _What's up for renewal in the next 60 days?_\n• _Which trials end this week?_\n• _How many trials converted last month?_\n• _How many seats does Acme use?_";
    const order = (topic?: 'ask') =>
      helpView(info, topic)
        .blocks.map((b) => JSON.stringify(b))
        .map((b) => (b.includes('Slash commands') ? 'commands' : b.includes('Ask me in a thread') ? 'ask' : b))
        .filter((b) => b === 'commands' || b === 'ask' || b.includes('"divider"'));
    expect(blockText(helpView(info).blocks)).toContain(questions);
    expect(blockText(helpView(info).blocks)).not.toContain('Who is over their seats?');
    expect(order()).toEqual(['commands', '{"type":"divider"}', 'ask']);
    expect(order('ask')).toEqual(['ask', '{"type":"divider"}', 'commands']);
  });

  test('the foot names the LMO (escaped) and the time zone, then each feature’s note', () => {
    const foot = helpView(info).blocks.at(-1);
    expect(foot).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'LMO: ISV &lt;Prod&gt; ∗main∗ · dates in Europe/Berlin' },
        { type: 'mrkdwn', text: 'Daily digest at 09:00 in #sales.' },
      ],
    });
  });
});
