/**
 * `mine` through the real Bolt app, the local Slack's users.info and jsforce against the embedded LMO: a person
 * matched by their Slack email, one mapped by LMA_USER_MAP, and one who matches nobody; and the match kept in the
 * store (a day; a miss an hour), so repeated answers ask neither Slack nor the LMO who the asker is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MATCH_TTL_MS, MISS_TTL_MS } from '../../src/slack/owners.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { EXPECTED, healthFixture } from '../features/health/health-fixture.js';
import { botMention, messageText, waitForBotReplies } from '../features/threads/thread-support.js';
import {
  ask,
  blockText,
  CHANNEL,
  type Harness,
  type HarnessOptions,
  startHarness,
  tableRows,
  USER,
} from '../support/harness.js';
import { NOW } from '../support/lmo-fixture.js';

const ANN = 'U0ANN'; // Slack email ann@isv.example: the Salesforce user Ann Owner
const CAROL = 'U0CAROL'; // carol@example.com: no Salesforce user
const ANNE = 'U0ANNE'; // a second Slack account with Ann's email, asking for the first time in the cache tests
const DAN = 'U0DAN'; // dan@example.com: no Salesforce user
const PEOPLE = [
  { id: ANN, name: 'ann', email: 'ann@isv.example' },
  { id: CAROL, name: 'carol' },
  { id: ANNE, name: 'anne', email: 'ann@isv.example' },
  { id: DAN, name: 'dan' },
];
let now = NOW.getTime();
/** A bot on the boundary fixture whose clock the tests move. */
const start = (options: HarnessOptions = {}) =>
  startHarness({ data: healthFixture(), users: PEOPLE, clock: () => new Date(now), ...options });
let h: Harness;
beforeAll(async () => {
  // Alice's Slack email (alice@example.com) is no Salesforce user's: an admin maps her to Bob's.
  h = await start({ env: { LMA_USER_MAP: `${USER}:bob@isv.example` } });
});
afterAll(async () => h?.close());

/** The rows of a list answer's table; the owner is the last cell. */
const rows = (blocks: unknown) => tableRows(blocks);

describe('mine', () => {
  test.each([
    ['renewals 365', ANN, 'Ann Owner'],
    ['trials', ANN, 'Ann Owner'],
    ['renewals 365', USER, 'Bob Seller'],
  ])(
    '`%s mine` as %s lists exactly the rows of the whole list that %s owns, for at most one more LMO call',
    async (command, user, owner) => {
      h.resetLog();
      const all = rows((await ask(h, command, { user })).answer.blocks);
      const everyone = h.soql().length;
      h.resetLog();
      const { answer } = await ask(h, `${command} mine`, { user });
      const text = blockText(answer.blocks);
      const theirs = all.filter((row) => row.at(-1) === owner);
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.length).toBeLessThan(all.length);
      expect(rows(answer.blocks)).toEqual(theirs);
      expect(text).toContain(`Only the customers ${owner} owns in Salesforce (\`mine\`).`);
      // The User query only the first time this person asks: the match is kept (see 'the match is kept').
      expect(h.soql().filter((q) => !q.includes('FROM User WHERE'))).toHaveLength(everyone);
    },
  );

  test('`health mine` keeps each list to the asker’s customers (the boundary fixture’s owners alternate)', async () => {
    const { answer } = await ask(h, 'health mine', { user: ANN });
    // Of the full lists (EXPECTED), Ann owns Day Ninety Co (at risk), Initech and Acme Corporation (hot).
    expect(EXPECTED.risk).toContain('Day Ninety Co');
    expect(answer.text).toBe('Over their seats: 0; At risk: 1; Hot trials: 2.');
    expect(blockText(answer.blocks)).toContain('Day Ninety Co');
  });

  test('no Salesforce user with the Slack email: says which email was tried and how an admin maps it, lists nothing', async () => {
    h.resetLog();
    now += MISS_TTL_MS; // past any miss kept by an earlier test
    const { answer } = await ask(h, 'renewals mine', { user: CAROL });
    expect(answer.text).toContain('No active Salesforce user has the email carol@example.com');
    expect(answer.text).toContain(`LMA_USER_MAP=${CAROL}:someone@company.com`);
    expect(h.soql()).toHaveLength(1);
    expect(h.soql()[0]).toContain("Email = 'carol@example.com'");
  });

  test('`mine` goes anywhere among a list command’s words', async () => {
    const { answer } = await ask(h, 'renewals 365 mine Invoicer', { user: ANN });
    const text = blockText(answer.blocks);
    expect(text).toContain('Only the customers Ann Owner owns in Salesforce');
    const listed = rows(answer.blocks);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((row) => row[1].startsWith('Invoicer') && row.at(-1) === 'Ann Owner')).toBe(true);
  });
});

describe('"my" in a thread', () => {
  /** Mentions the bot with a question and returns its answer in the thread, as text with its blocks. */
  async function mention(text: string, user: string) {
    const { message } = await h.driver.say(`${botMention(h)} ${text}`, { user, channel: CHANNEL });
    const [answer] = await waitForBotReplies(h, CHANNEL, message.ts);
    return { text: messageText(answer), blocks: answer.blocks };
  }
  /** The owners a list names: the last cell of a table's rows, or "owner …" in the lines of a health list. */
  const owners = ({ text, blocks }: { text: string; blocks?: unknown }) => [
    ...tableRows(blocks).map((row) => row.at(-1)),
    ...[...text.matchAll(/owner ([A-Z][a-z]+ [A-Z][a-z]+)/g)].map((m) => m[1]),
  ];

  test.each([
    ['which of my trials end in the next 90 days?', 'which trials end in the next 90 days?', ANN, 'Ann Owner'],
    ['what are my renewals this year?', 'what are the renewals this year?', USER, 'Bob Seller'],
    ['who of mine is at risk?', 'who is at risk?', ANN, 'Ann Owner'],
  ])(
    '“%s” narrows “%s” to the customers of %s’s Salesforce user (%s), asking nobody who they are',
    async (mine, all, user, owner) => {
      const everyone = owners(await mention(all, user));
      expect(everyone).toContain(owner);
      expect(everyone.some((name) => name !== owner)).toBe(true);
      await ask(h, 'trials mine', { user }); // the match is kept from here on
      h.resetLog();
      const infoBefore = h.slack.calls.filter((c) => c.method === 'users.info').length;
      const answer = await mention(mine, user);
      expect(answer.text).toContain(`Only the customers ${owner} owns in Salesforce`);
      expect(owners(answer).length).toBeGreaterThan(0);
      expect(new Set(owners(answer))).toEqual(new Set([owner]));
      expect(h.soql().some((q) => q.includes('FROM User WHERE'))).toBe(false);
      expect(h.slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(infoBefore);
    },
  );

  test('someone matched to no Salesforce user is told the email tried and how to be mapped', async () => {
    const { text } = await mention('my renewals', CAROL);
    expect(text).toContain('No active Salesforce user has the email carol@example.com');
    expect(text).toContain(`LMA_USER_MAP=${CAROL}:someone@company.com`);
  });

  test('“my” about one named customer is only a possessive; “my conversions” says what “my” narrows', async () => {
    expect((await mention('when does my customer Initech renew?', ANN)).text).not.toContain('Only the customers');
    expect((await mention('what are my conversions this year?', ANN)).text).toContain(
      '“My” narrows trials, renewals and seat health to your customers',
    );
  });
});

describe('the match is kept', () => {
  const infoCalls = (user: string) =>
    h.slack.calls.filter((c) => c.method === 'users.info' && (c.args as { user?: string }).user === user).length;
  const userQueries = () => h.soql().filter((q) => q.includes('FROM User WHERE')).length;

  test('a found match for a day: later `mine` answers call users.info and query User no more, then once again', async () => {
    h.resetLog();
    await ask(h, 'renewals 365 mine', { user: ANNE });
    expect([infoCalls(ANNE), userQueries()]).toEqual([1, 1]);
    h.resetLog();
    const trials = await ask(h, 'trials mine', { user: ANNE });
    const trialCalls = h.soql().length;
    now += MATCH_TTL_MS - 1;
    const health = await ask(h, 'health mine', { user: ANNE });
    expect(blockText(trials.answer.blocks)).toContain('Only the customers Ann Owner owns in Salesforce');
    expect(health.answer.text).toBe('Over their seats: 0; At risk: 1; Hot trials: 2.');
    expect([infoCalls(ANNE), userQueries()]).toEqual([1, 0]);
    expect(trialCalls).toBe(3); // the trials, their COUNT() and the count expired unconverted: no look-up of the person
    now += 1;
    await ask(h, 'trials mine', { user: ANNE });
    expect([infoCalls(ANNE), userQueries()]).toEqual([2, 1]);
  });

  test('a miss for an hour: the same answer without asking again, then a new look-up', async () => {
    h.resetLog();
    const first = await ask(h, 'renewals mine', { user: DAN });
    now += MISS_TTL_MS - 1;
    const again = await ask(h, 'trials mine', { user: DAN });
    expect(again.answer.text).toBe(first.answer.text);
    expect(again.answer.text).toContain('dan@example.com');
    expect([infoCalls(DAN), userQueries()]).toEqual([1, 1]);
    now += 1;
    await ask(h, 'trials mine', { user: DAN });
    expect([infoCalls(DAN), userQueries()]).toEqual([2, 2]);
  });
});

test('an admin’s LMA_USER_MAP change takes effect at the next start, over a match kept in the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-owners-'));
  const file = join(dir, 'store.sqlite');
  try {
    // Carol unmapped: a miss is kept. Mapped to Ann's email: matched to Ann. Mapped to Bob's: Bob.
    const owners: string[] = [];
    for (const map of [undefined, `${CAROL}:ann@isv.example`, `${CAROL}:bob@isv.example`]) {
      const bot = await start({ store: openSqliteStore(file), env: map ? { LMA_USER_MAP: map } : {} });
      try {
        owners.push(blockText((await ask(bot, 'renewals 365 mine', { user: CAROL })).answer.blocks));
      } finally {
        await bot.close();
      }
    }
    expect(owners[0]).toContain('No active Salesforce user has the email carol@example.com');
    expect(owners[1]).toContain('Ann Owner');
    expect(owners[2]).toContain('Bob Seller');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
