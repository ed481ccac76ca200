/**
 * Text clean-up and typo matching (src/parse/tokens.ts) on their own: what a Slack message's markup and emoji leave
 * between words, and which typed word is corrected to which command. Distances are the textbook values.
 */
import { describe, expect, it } from 'vitest';
import { cleanSlackText, closestWord, editDistance } from '../../src/parse/tokens.js';

describe('cleanSlackText', () => {
  it('a mention or a shortcode between two words leaves them two words', () => {
    expect(cleanSlackText('Acme<@U123>Corp')).toBe('Acme Corp');
    expect(cleanSlackText('Acme:smile:Corp')).toBe('Acme Corp');
  });

  it('a mailto link reads as its address; a link that only contains "mailto:" is kept whole', () => {
    expect(cleanSlackText('<mailto:ann@acme.example>')).toBe('ann@acme.example');
    expect(cleanSlackText('<mailto:ann@acme.example|Ann>')).toBe('Ann');
    expect(cleanSlackText('<https://acme.example/mailto:x>')).toBe('https://acme.example/mailto:x');
  });
});

describe('editDistance: optimal string alignment', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['xtrials', 'trials', 1],
    ['abc', 'xyz', 3],
    ['trails', 'trials', 1],
    ['ab', 'ba', 1],
    // A swap needs both letters to match crosswise.
    ['ab', 'xa', 2],
    ['ab', 'bx', 2],
    // Optimal string alignment edits no substring twice: 3, where unrestricted Damerau-Levenshtein gives 2.
    ['ca', 'abc', 3],
  ] as const)('%j → %j: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('closestWord: typos allowed by length', () => {
  it('a word under five letters is never corrected, even to a longer one', () => {
    expect(closestWord('hlep', ['help'])).toBeUndefined();
    expect(closestWord('stat', ['stats'])).toBeUndefined();
  });

  it('five to seven letters: one typo, not two', () => {
    expect(closestWord('trails', ['trials'])).toBe('trials');
    expect(closestWord('trxxls', ['trials'])).toBeUndefined();
  });

  it('eight letters or more: two typos, also when the lengths differ by two', () => {
    expect(closestWord('convresoins', ['conversions'])).toBe('conversions');
    expect(closestWord('rxnewalx', ['renewals'])).toBe('renewals');
    expect(closestWord('renewalsxx', ['renewals'])).toBe('renewals');
  });

  it('the closest candidate wins, and of equally close ones the first', () => {
    expect(closestWord('trials', ['trials', 'trails'])).toBe('trials');
    expect(closestWord('trals', ['trials', 'trams'])).toBe('trials');
  });
});
