import { describe, expect, it } from 'vitest';
import { interpretComposerText, slackEscape } from '../src/server.js';

const BOT = 'U0LMABOT';

describe('interpretComposerText', () => {
  it('reads /lma as the slash command, with Slack escaping its text', () => {
    expect(interpretComposerText('  /lma renewals 30 ', BOT)).toEqual({
      kind: 'command',
      command: '/lma',
      text: 'renewals 30',
    });
    expect(interpretComposerText('/LMA status AT&T <b>', BOT)).toEqual({
      kind: 'command',
      command: '/lma',
      text: 'status AT&amp;T &lt;b&gt;',
    });
  });

  it('refuses other slash commands and empty text with a message saying what works', () => {
    expect(interpretComposerText('/giphy cats', BOT)).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('/lma help'),
    });
    expect(interpretComposerText('   ', BOT)).toMatchObject({ kind: 'invalid' });
  });

  it('turns @LMA into a mention of the bot and escapes the rest', () => {
    expect(interpretComposerText('@LMA who renews <soon> & why?', BOT)).toEqual({
      kind: 'message',
      text: `<@${BOT}> who renews &lt;soon&gt; &amp; why?`,
    });
    expect(interpretComposerText('hey @lma, status Acme', BOT)).toEqual({
      kind: 'message',
      text: `hey <@${BOT}>, status Acme`,
    });
    expect(interpretComposerText('mail me at bob@lma.example', BOT)).toEqual({
      kind: 'message',
      text: 'mail me at bob@lma.example',
    });
  });

  it('slackEscape escapes & first so nothing is escaped twice', () => {
    expect(slackEscape('&lt; <')).toBe('&amp;lt; &lt;');
  });
});
