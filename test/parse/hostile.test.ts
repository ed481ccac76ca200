import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../src/parse/index.js';
import { cleanSlackText, editDistance } from '../../src/parse/tokens.js';
import { parseCommand } from '../support/commands.js';

const ctx = { today: '2026-06-15', packages: ['Invoicer'] };

const HOSTILE_TERMS = [
  "O'Reilly",
  "' OR Name != '",
  'Acme\\',
  "back\\slash \\' quote",
  '100%_off',
  '%',
  '_',
  '"quoted"',
  'line\nbreak',
  '\u202Eevil\u202C Corp',
  'مرحبا شركة',
  '株式会社テスト',
  "Robert'); DROP TABLE Students;--",
  '<script>alert(1)</script>',
  '&lt;@U123&gt;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder typed as text is the hostile input
  '${process.env.SECRET}',
];

describe('hostile text through /lma status', () => {
  it.each(HOSTILE_TERMS)('%j is passed through as a plain term or refused', (term) => {
    const result = parseCommand(`status ${term}`, ctx);
    if (result.ok) {
      expect(result.request.kind).toBe('status');
      if (result.request.kind === 'status' && 'term' in result.request.customer) {
        expect(result.request.customer.term.length).toBeGreaterThan(0);
      }
    } else {
      expect(result.failure.problem.length).toBeGreaterThan(0);
    }
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
  it.each(HOSTILE_TERMS)('"status of %s" never crashes', (term) => {
    const result = parseQuestion(`status of ${term}`, ctx);
    expect(typeof result.ok).toBe('boolean');
    if (result.ok && result.request.kind === 'status' && 'term' in result.request.customer) {
      expect(result.request.customer.term.length).toBeGreaterThan(0);
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

  it('survives unbalanced markup and stray characters', () => {
    for (const text of [
      '<@U1',
      '<<>>',
      '<https://x|',
      '::',
      ':not an emoji',
      '\\\\\\',
      '"""',
      "'''",
      '%_%_',
      '\u0000\u0007?',
    ]) {
      expect(() => parseQuestion(text, ctx)).not.toThrow();
      expect(() => parseCommand(text, ctx)).not.toThrow();
    }
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
