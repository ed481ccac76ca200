/**
 * Typed replies in a guide thread → a guide command, tolerating case, punctuation, a mention of the bot and small
 * typos ("nxet", "Restrat"). Anything else is free text (the LMO's name, or something to answer with a hint).
 */
import { editDistance } from '../../util/edit-distance.js';

export type GuideCommand = 'done' | 'back' | 'skip' | 'restart' | 'where' | 'help' | 'cancel' | 'check' | 'understood';

export type Reply =
  | { kind: 'command'; command: GuideCommand }
  | { kind: 'text'; text: string }
  | { kind: 'org'; name: string };

const PHRASES: Record<GuideCommand, string[]> = {
  done: ['done', 'next', 'continue', 'finished'],
  back: ['back', 'previous', 'go back'],
  skip: ['skip'],
  restart: ['restart', 'start over'],
  where: ['where am i', 'where are we', 'status', 'progress'],
  help: ['help', 'stuck', 'im stuck', 'i am stuck'],
  cancel: ['cancel', 'stop', 'quit'],
  check: ['check', 'check the org', 'check org'],
  understood: ['i understand', 'understood', 'i understand the risk'],
};

const ENTRIES = Object.entries(PHRASES).flatMap(([command, phrases]) =>
  phrases.map((phrase) => ({ command: command as GuideCommand, phrase })),
);

/** "LMO: Acme Production", "org is Acme": an explicit answer, never read as a command. */
const ORG_ANSWER = /^\s*(?:the\s+)?(?:lmo|org)\s*(?::|=|is\b|will be\b)\s*(\S.*)$/i;
// A label stops at the next '<' too (Slack escapes it inside one): an unclosed mention is then read once, not to
// the end of the text from every '<@'.
const MENTION = /<@[A-Z0-9]+(?:\|[^<>]*)?>/g;

export function parseReply(raw: string): Reply {
  const text = raw.replace(MENTION, ' ').replace(/\s+/g, ' ').trim();
  const org = ORG_ANSWER.exec(text);
  if (org) return { kind: 'org', name: org[1].trim() };
  const command = matchCommand(normalize(text));
  return command ? { kind: 'command', command } : { kind: 'text', text };
}

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Exact phrase first; else the single nearest phrase within the typo allowance for its length. */
function matchCommand(words: string): GuideCommand | undefined {
  if (words === '') return undefined;
  const exact = ENTRIES.find((e) => e.phrase === words);
  if (exact) return exact.command;
  const near = ENTRIES.map((e) => ({ ...e, distance: typoDistance(words, e.phrase) }))
    .filter((e) => e.distance <= typoAllowance(e.phrase))
    .sort((a, b) => a.distance - b.distance);
  if (near.length === 0) return undefined;
  // Two different commands equally near: too ambiguous to act on.
  const tied = near.filter((e) => e.distance === near[0].distance);
  return tied.every((e) => e.command === tied[0].command) ? tied[0].command : undefined;
}

/** Short words allow one slip, longer phrases two; three letters or fewer must be exact. */
function typoAllowance(phrase: string): number {
  if (phrase.length <= 3) return 0;
  return phrase.length <= 6 ? 1 : 2;
}

/** Edit distance where swapping two neighbouring letters ("nxet") counts as one slip, as people type. */
function typoDistance(typed: string, phrase: string): number {
  const distance = editDistance(typed, phrase);
  if (distance !== 2 || typed.length !== phrase.length) return distance;
  const differ = [...typed].flatMap((c, i) => (c === phrase[i] ? [] : [i]));
  const swapped =
    differ.length === 2 &&
    differ[1] === differ[0] + 1 &&
    typed[differ[0]] === phrase[differ[1]] &&
    typed[differ[1]] === phrase[differ[0]];
  return swapped ? 1 : distance;
}
