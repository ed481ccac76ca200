import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../src/parse/index.js';
import { cleanSlackText, editDistance } from '../../src/parse/tokens.js';
import { parseCommand } from '../support/commands.js';

const ctx = { today: '2026-06-15', packages: ['Invoicer'] };

/**
 * Each hostile term with what `/lma status <term>` and "status of <term>" read from it: the term itself, or a
 * cleaned term (Slack markup and punctuation a question does not carry), or no name at all (undefined).
 */
const HOSTILE_TERMS: [typed: string, command: string, question: string | undefined][] = [
  ["O'Reilly", "O'Reilly", "O'Reilly"],
  ["' OR Name != '", "' OR Name != '", 'Name'],
  ['Acme\\', 'Acme\\', 'Acme'],
  ["back\\slash \\' quote", "back\\slash \\' quote", "back\\slash \\' quote"],
  ['100%_off', '100%_off', '100%_off'],
  ['%', '%', undefined],
  ['_', '_', undefined],
  ['"quoted"', 'quoted', 'quoted'],
  ['line\nbreak', 'line break', 'line break'],
  ['\u202Eevil\u202C Corp', 'evil Corp', 'evil Corp'],
  ['مرحبا شركة', 'مرحبا شركة', 'مرحبا شركة'],
  ['株式会社テスト', '株式会社テスト', '株式会社テスト'],
  ["Robert'); DROP TABLE Students;--", "Robert'); DROP TABLE Students;--", "Robert'); DROP TABLE Students"],
  ['<script>alert(1)</script>', '<script>alert(1)</script>', 'scriptalert(1)/script'],
  ['&lt;@U123&gt;', '<@U123>', 'U123'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder typed as text is the hostile input
  ['${process.env.SECRET}', '${process.env.SECRET}', 'process.env.SECRET'],
];

describe('hostile text through /lma status', () => {
  it.each(HOSTILE_TERMS)('%j is passed through as one plain term: %j', (typed, term) => {
    expect(parseCommand(`status ${typed}`, ctx)).toEqual({ ok: true, request: { kind: 'status', customer: { term } } });
  });

  it('keeps quotes, backslashes, % and _ exactly as typed', () => {
    expect(parseCommand("status ' OR Name != '", ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: "' OR Name != '" } },
    });
    expect(parseCommand('status 100%_off\\', ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: '100%_off\\' } },
    });
    expect(parseCommand("status O'Reilly", ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: "O'Reilly" } },
    });
  });

  it('turns newlines and invisible direction marks into plain spacing', () => {
    expect(parseCommand('status line\nbreak', ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'line break' } },
    });
    expect(parseCommand('status \u202Eevil\u202C Corp', ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'evil Corp' } },
    });
  });

  it('refuses 5,000 characters', () => {
    expect(parseCommand(`status ${'a'.repeat(5000)}`, ctx).ok).toBe(false);
  });
});

describe('hostile text through questions', () => {
  it.each(HOSTILE_TERMS)('"status of %s" asks about one plain term, or says it read no name', (typed, _, term) => {
    const result = parseQuestion(`status of ${typed}`, ctx);
    if (term === undefined) {
      expect(result).toMatchObject({ ok: false, failure: { problem: "Which customer? I couldn't read a name." } });
    } else {
      expect(result).toEqual({ ok: true, request: { kind: 'status', customer: { term } } });
    }
  });

  it('keeps a non-Latin name as typed', () => {
    expect(parseQuestion('status of 株式会社テスト', ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: '株式会社テスト' } },
    });
    expect(parseQuestion('when does مرحبا شركة renew?', ctx)).toMatchObject({
      ok: true,
      request: { customer: { term: 'مرحبا شركة' } },
    });
  });

  it('does not turn an escaped mention typed by a user into markup', () => {
    expect(parseQuestion('status of &lt;@U123&gt;', ctx)).toEqual({
      ok: true,
      request: { kind: 'status', customer: { term: 'U123' } },
    });
  });

  it('refuses 5,000 characters, with or without Slack markup', () => {
    expect(parseQuestion(`status of ${'a'.repeat(5000)}`, ctx)).toMatchObject({
      ok: false,
      failure: { problem: expect.stringContaining('too long') },
    });
    expect(parseQuestion(`<@U1> ${'<https://x.example|link> '.repeat(300)}`, ctx).ok).toBe(false);
    expect(parseQuestion('🎉'.repeat(2500), ctx).ok).toBe(false);
  });

  it('answers unbalanced markup and stray characters with what it could not read, as a question and as a command', () => {
    const NOTHING = 'There is nothing in that message I can read as a question.';
    const questions: [string, string][] = [
      ['<@U1', "I'm not sure what you'd like to know about “U1”; ask “U1?” for its status."],
      ['<<>>', NOTHING],
      ['<https://x|', "I'm not sure what you'd like to know about “https://x”; ask “https://x?” for its status."],
      ['::', NOTHING],
      [':not an emoji', "I couldn't match that to a question about licenses."],
      ['\\\\\\', NOTHING],
      ['"""', NOTHING],
      ["'''", NOTHING],
      ['%_%_', NOTHING],
    ];
    for (const [text, problem] of questions) {
      expect(parseQuestion(text, ctx), text).toMatchObject({ ok: false, failure: { problem } });
      const firstWord = text.split(' ')[0];
      expect(parseCommand(text, ctx), text).toMatchObject({
        ok: false,
        failure: { problem: `\`${firstWord}\` is not a command.` },
      });
    }
    // Control characters are dropped: a lone "?" is a request for help on asking.
    expect(parseQuestion('\u0000\u0007?', ctx)).toEqual({ ok: true, request: { kind: 'help', topic: 'ask' } });
  });
});

describe('Slack text clean-up', () => {
  it('removes mentions, channels, special mentions and emoji; keeps link labels', () => {
    expect(
      cleanSlackText(
        '<@U123> hi <@U9|bob> in <#C1|general> <!here> see <https://a.example/x|the page> :wave::skin-tone-2: 👋🏽 ok',
      ),
    ).toBe('hi in see the page ok');
    expect(cleanSlackText('mail <mailto:a@b.example|a@b.example> or <https://acme.example>')).toBe(
      'mail a@b.example or https://acme.example',
    );
  });
  it('decodes entities after markup, and straightens typographic quotes', () => {
    expect(cleanSlackText('AT&amp;T &lt;b&gt; what’s “up”')).toBe('AT&T <b> what\'s "up"');
  });
});

describe('edit distance', () => {
  it('counts an adjacent swap as one typo', () => {
    expect(editDistance('trails', 'trials')).toBe(1);
    expect(editDistance('renewls', 'renewals')).toBe(1);
    expect(editDistance('status', 'status')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
