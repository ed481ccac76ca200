import { describe, expect, test } from 'vitest';
import { escapeText, fields, link, section, truncate } from '../../src/slack/blocks.js';

describe('escapeText', () => {
  test('mentions, links and formatting from outside become inert text', () => {
    const shown = escapeText('<!channel> *Evil* <@U123> <http://evil.example|click> _x_ ~y~ `z` & co');
    expect(shown).not.toMatch(/[<>*_~`]/);
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('&amp; co');
  });

  test('a link label is escaped; the url cannot break out of the link', () => {
    expect(link('https://x.example/a|b>c', 'Acme <Corp>')).toBe('<https://x.example/a%7Cb%3Ec|Acme &lt;Corp&gt;>');
  });
});

describe("Slack's limits", () => {
  test('sections are cut at 3,000 characters and fields at 10 items', () => {
    const long = section('x'.repeat(5000)) as { text: { text: string } };
    expect(long.text.text.length).toBe(3000);
    expect(long.text.text.endsWith('…')).toBe(true);
    const many = fields(Array.from({ length: 12 }, (_, i) => `f${i}`)) as { fields: unknown[] };
    expect(many.fields).toHaveLength(10);
    expect(truncate('abc', 5)).toBe('abc');
  });
});
