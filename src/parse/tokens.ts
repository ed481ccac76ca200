/**
 * Text clean-up and word handling shared by the command and question parsers:
 * Slack markup, HTML entities, emoji and invisible characters, tokens, and typo distance.
 */

import { trimEndWhere } from '../util/trim-end.js';

/** Slack escapes these three in every text it sends. `&amp;` last, so "&amp;lt;" stays "&lt;". */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// Bidi controls, zero-width characters and the byte-order mark: invisible, and never part of a name.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001F\u007F]/g;
const UNICODE_EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F\u20E3]/gu;
// Slack shortcodes such as :smile:, :+1: and :skin-tone-2: (at least one letter or +; the first one is where the
// middle class matches, so a long unclosed run is read once).
const EMOJI_SHORTCODE = /:[0-9_'-]*[a-z+][a-z0-9_+'-]*:/gi;

/** Replaces Slack's <…> markup: mentions and channels vanish, links keep their label (or the URL). */
function stripSlackMarkup(text: string): string {
  return text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    if (/^[@#!]/.test(inner)) return ' ';
    const bar = inner.indexOf('|');
    if (bar >= 0) return inner.slice(bar + 1);
    return inner.replace(/^mailto:/i, '');
  });
}

/** Straight quotes for the typographic ones Slack clients insert ("what’s", “Two Words”). */
export function straightenQuotes(text: string): string {
  return text.replace(/[\u2018\u2019\u201B\u2032]/g, "'").replace(/[\u201C\u201D\u201F\u2033]/g, '"');
}

/**
 * Turns a Slack message into plain text: markup first (so a typed "&lt;@U1&gt;" stays text),
 * then entities, emoji, invisible and control characters, quotes, and runs of whitespace.
 */
export function cleanSlackText(text: string): string {
  const withoutMarkup = decodeSlackEntities(stripSlackMarkup(text));
  return straightenQuotes(withoutMarkup)
    .replace(EMOJI_SHORTCODE, ' ')
    .replace(UNICODE_EMOJI, '')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Collapses whitespace (newlines, tabs) to single spaces and trims, leaving everything else as typed. */
export function collapseWhitespace(text: string): string {
  return text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** Strips punctuation from both ends of a piece of text, keeping anything inside ("AT&T", "1.x"). */
export function trimPunctuation(text: string): string {
  return trimEndWhere(text.replace(/^[^\p{L}\p{N}]+/u, ''), (c) => !/[\p{L}\p{N}]/u.test(c));
}

export interface Token {
  /** As typed (punctuation included), for customer terms. */
  raw: string;
  /** Lower case without edge punctuation, for matching; may be empty for a lone "?" or "&". */
  word: string;
}

export function tokenize(text: string): Token[] {
  return text
    .split(' ')
    .filter((raw) => raw.length > 0)
    .map((raw) => ({ raw, word: trimPunctuation(raw.toLowerCase()) }));
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent swaps ("trails" → "trials" is 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** How many typos a word of this length may carry: none for short words, where typos collide. */
function allowedTypos(length: number): number {
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

/** The candidate `word` is closest to within its typo allowance, or undefined. */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > 2) continue;
    const distance = editDistance(word, candidate);
    if (distance <= allowedTypos(Math.min(word.length, candidate.length)) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
