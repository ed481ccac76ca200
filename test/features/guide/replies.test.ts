import { describe, expect, test } from 'vitest';
import { parseReply } from '../../../src/features/guide/replies.js';

const command = (text: string) => {
  const reply = parseReply(text);
  return reply.kind === 'command' ? reply.command : undefined;
};

describe('typed replies in a guide thread', () => {
  test('each command is understood in any case, with punctuation and a mention of the bot', () => {
    expect(command('done')).toBe('done');
    expect(command('NEXT')).toBe('done');
    expect(command('Back!')).toBe('back');
    expect(command('skip')).toBe('skip');
    expect(command('Restart')).toBe('restart');
    expect(command('where am I?')).toBe('where');
    expect(command('help')).toBe('help');
    expect(command('I’m stuck')).toBe('help');
    expect(command('cancel')).toBe('cancel');
    expect(command('check')).toBe('check');
    expect(command('I understand')).toBe('understood');
    expect(command('<@U0LMABOT> next')).toBe('done');
  });

  test('small typos are tolerated, swapped letters included', () => {
    expect(command('nxet')).toBe('done');
    expect(command('dnoe')).toBe('done');
    expect(command('bakc')).toBe('back');
    expect(command('restrat')).toBe('restart');
    expect(command('cancle')).toBe('cancel');
    expect(command('wher am i')).toBe('where');
    expect(command('chekc')).toBe('check');
    expect(command('i undrstand')).toBe('understood');
  });

  test('anything else is free text, not a guessed command', () => {
    expect(parseReply('what is an LMO?')).toEqual({ kind: 'text', text: 'what is an LMO?' });
    expect(parseReply('Acme Production')).toEqual({ kind: 'text', text: 'Acme Production' });
    expect(command('dome it all')).toBeUndefined();
    expect(command('')).toBeUndefined();
  });

  test('an explicit "LMO: name" answer is never read as a command', () => {
    expect(parseReply('LMO: Done Corp')).toEqual({ kind: 'org', name: 'Done Corp' });
    expect(parseReply('the org is Acme Production')).toEqual({ kind: 'org', name: 'Acme Production' });
    expect(parseReply('<@U0LMABOT> lmo = Globex HQ')).toEqual({ kind: 'org', name: 'Globex HQ' });
  });
});
