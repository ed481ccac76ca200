/**
 * Hostile data for the reliability suite: an LMO whose customers have names that break naive SOQL and Slack
 * formatting, seeded generators of hostile user text, a plain-TypeScript oracle for which customers a name
 * search must find, and readers for what the bot answered.
 */

import type { OrgData, SObjectRecord } from '@lma-bot/lmo-emulator';
import { mulberry32 } from '@lma-bot/lmo-emulator';
import { lmoFixture, PACKAGES, USERS } from '../support/lmo-fixture.js';

/** Account names (and lead companies) a careless query or view would mishandle. */
export const HOSTILE_ACCOUNTS = [
  "O'Brien & Sons",
  'Back\\slash Holdings',
  '100% Pure_Water',
  'Quote "Double" Co',
  'Ünïcödé Straße GmbH',
  'שלום\u200f Systems',
  '🚀 Rocket Labs 👩‍💻',
  "' OR Name != '",
  '%_% Wildcards Inc',
  'Zero\u200bWidth AG',
  'Tab*Star* ~Tilde~ `Tick`',
  '<!here> <#C0GENERAL|general> Broadcast Ltd',
];
export const HOSTILE_LEADS = ["D'Angelo \\' Trading", '50%_off Leads'];

/** The fixture plus hostile customers, each with one paid license renewing within 30 days. */
export function hostileFixture(): OrgData {
  const data = lmoFixture();
  const id = (prefix: string, n: number) => `${prefix}${String(900 + n).padStart(12, '0')}AAA`;
  const license = (n: number, customer: { account?: string; lead?: string }): SObjectRecord => ({
    ...data.sfLma__License__c![0]!,
    Id: id('a0L', n),
    Name: `L-H${n}`,
    sfLma__Status__c: 'Active',
    sfLma__Expiration__c: '2026-07-01',
    sfLma__Subscriber_Org_ID__c: `00D${String(900 + n).padStart(12, '0')}XYZ`,
    sfLma__Package__c: PACKAGES.invoicer,
    sfLma__Account__c: customer.account ?? null,
    sfLma__Lead__c: customer.lead ?? null,
  });
  HOSTILE_ACCOUNTS.forEach((name, i) => {
    data.Account!.push({ Id: id('001', i), Name: name, OwnerId: USERS.ann });
    data.sfLma__License__c!.push(license(i, { account: id('001', i) }));
  });
  HOSTILE_LEADS.forEach((company, i) => {
    const n = 50 + i;
    data.Lead!.push({
      Id: id('00Q', n),
      Name: 'Hostile Lead',
      Company: company,
      LeadSource: 'Package Installation',
      OwnerId: USERS.bob,
      IsConverted: false,
    });
    data.sfLma__License__c!.push(license(n, { lead: id('00Q', n) }));
  });
  return data;
}

const INJECTIONS = [
  "' OR Name != '",
  "\\' OR 1=1 --",
  "'; DELETE FROM sfLma__License__c; --",
  "' OR sfLma__Status__c LIKE '%",
  "') OR (Name LIKE '%",
  '%',
  '_',
  '%%',
  '\\',
  "\\\\'",
  '\\%',
  '"',
  "''",
  "%' AND Id != null AND Name LIKE '%",
];
const UNICODE = [
  'Ünïcödé',
  'Straße',
  'שלום',
  '\u202e',
  '\u200f',
  '\u200b',
  '🚀',
  '👩‍💻',
  '😀😀',
  'e\u0301',
  '\ufeff',
  '𝔘𝔫𝔦',
  '\ud83d',
];
const SLACK_MARKUP = [
  '<@U0ALICE>',
  '<!channel>',
  '<!here>',
  '<#C0GENERAL|general>',
  '<http://evil.example|click>',
  '<mailto:a@evil.example|mail>',
  '*bold*',
  '~strike~',
  '`code`',
];
const WHITESPACE = ['\n', '\t', '\r\n', '  '];
const PLAIN = ['Acme', 'Globex', 'Corporation', 'Labs', 'Initech', 'Rocket', 'Sons', 'Water', 'Holdings', 'Trading'];

/** `count` hostile customer names: fragments of real (hostile) names, injections, unicode, markup, long text. */
export function hostileTerms(count: number, seed = 5): string[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const names = [...HOSTILE_ACCOUNTS, ...HOSTILE_LEADS];
  const fragment = () => {
    const name = pick(names);
    const chars = [...name];
    const start = Math.floor(random() * Math.max(1, chars.length - 2));
    return chars.slice(start, start + 2 + Math.floor(random() * chars.length)).join('');
  };
  const part = () => {
    const r = random();
    if (r < 0.3) return fragment();
    if (r < 0.5) return pick(INJECTIONS);
    if (r < 0.65) return pick(UNICODE);
    if (r < 0.8) return pick(SLACK_MARKUP);
    if (r < 0.9) return pick(PLAIN);
    return pick(WHITESPACE);
  };
  const terms: string[] = [...names];
  while (terms.length < count) {
    if (random() < 0.04) {
      terms.push(`${part()}${'x'.repeat(5_000)}`.slice(0, 5_000));
      continue;
    }
    const parts = Array.from({ length: 1 + Math.floor(random() * 3) }, part);
    const joined = parts.join(random() < 0.7 ? ' ' : '').trim();
    terms.push(joined === '' ? pick(INJECTIONS) : joined);
  }
  return terms;
}

/** The customers a name search must find: a plain case-insensitive "contains" over account names and lead companies. */
export function expectedCustomers(data: OrgData, term: string, packageName?: string): string[] {
  // Half an emoji cannot travel in a URL or a form: it arrives (and is searched for) as U+FFFD.
  const needle = term
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .trim()
    .toLowerCase();
  const byId = new Map<string, string>();
  for (const a of data.Account ?? []) byId.set(a.Id as string, a.Name as string);
  for (const l of data.Lead ?? []) byId.set(l.Id as string, l.Company as string);
  const packages = new Map((data.sfLma__Package__c ?? []).map((p) => [p.Id as string, p.Name as string]));
  const found = new Map<string, string>();
  for (const license of data.sfLma__License__c ?? []) {
    if (packageName && packages.get(license.sfLma__Package__c as string)?.toLowerCase() !== packageName.toLowerCase())
      continue;
    const owner = (license.sfLma__Account__c ?? license.sfLma__Lead__c) as string | null;
    const name = owner ? byId.get(owner) : undefined;
    if (owner && name?.toLowerCase().includes(needle)) found.set(owner, name);
  }
  const all = [...found.values()];
  // As the bot does: one exact (case-insensitive) name among several wins.
  const exact = all.filter((name) => name.toLowerCase() === needle);
  return (exact.length === 1 ? exact : all).sort((a, b) => a.localeCompare(b));
}

export type CustomerAnswer =
  | { kind: 'found'; names: string[] }
  | { kind: 'ambiguous'; count: number; names: string[] }
  | { kind: 'none' }
  | { kind: 'other'; text: string };

interface BlockLike {
  type?: string;
  text?: { text?: string };
  elements?: { value?: string }[];
}

/** What a customer answer says: the one customer (its header), the candidates (button values), or none. */
export function readCustomerAnswer(message: { text?: unknown; blocks?: unknown }): CustomerAnswer {
  const text = String(message.text ?? '');
  const blocks = (message.blocks ?? []) as BlockLike[];
  const header = blocks.find((b) => b.type === 'header');
  if (header?.text?.text !== undefined) return { kind: 'found', names: [header.text.text] };
  const ambiguous = /^(\d+) customers match/.exec(text);
  if (ambiguous) {
    const names = blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .map((e) => (JSON.parse(e.value ?? '{}') as { name?: string }).name ?? '');
    return { kind: 'ambiguous', count: Number(ambiguous[1]), names };
  }
  if (text.startsWith('No customer matches')) return { kind: 'none' };
  return { kind: 'other', text };
}

/** Whether the answer names exactly the expected customers (the first ten candidates when there are more). */
export function answerMatches(answer: CustomerAnswer, expected: string[]): boolean {
  switch (answer.kind) {
    case 'found':
      return expected.length === 1 && answer.names[0] === expected[0];
    case 'ambiguous':
      // Up to ten candidates are shown as buttons; the count covers them all.
      return (
        answer.count === expected.length &&
        new Set(answer.names).size === answer.names.length &&
        answer.names.every((name) => expected.includes(name))
      );
    case 'none':
      return expected.length === 0;
    case 'other':
      return false;
  }
}
