/**
 * `mine` through the real Bolt app, the local Slack's users.info and jsforce against the embedded LMO: a person
 * matched by their Slack email, one mapped by LMA_USER_MAP, and one who matches nobody.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXPECTED, healthFixture } from '../features/health/health-fixture.js';
import { ask, blockText, type Harness, startHarness, USER } from '../support/harness.js';

const ANN = 'U0ANN'; // Slack email ann@isv.example: the Salesforce user Ann Owner
const CAROL = 'U0CAROL'; // carol@example.com: no Salesforce user
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    data: healthFixture(),
    users: [
      { id: ANN, name: 'ann', email: 'ann@isv.example' },
      { id: CAROL, name: 'carol' },
    ],
    // Alice's Slack email (alice@example.com) is no Salesforce user's: an admin maps her to Bob's.
    env: { LMA_USER_MAP: `${USER}:bob@isv.example` },
  });
});
afterAll(async () => h?.close());

/** The license lines of a list answer (`*<link|Name>* · …`). */
const rows = (text: string) => text.split('\n').filter((line) => /^(:warning: )?\*</.test(line));

describe('mine', () => {
  test.each([
    ['renewals 365', ANN, 'Ann Owner'],
    ['trials', ANN, 'Ann Owner'],
    ['renewals 365', USER, 'Bob Seller'],
  ])(
    '`%s mine` as %s lists exactly the rows of the whole list that %s owns, for one more LMO call',
    async (command, user, owner) => {
      h.resetLog();
      const all = rows(blockText((await ask(h, command, { user })).answer.blocks));
      const everyone = h.soql().length;
      h.resetLog();
      const { answer } = await ask(h, `${command} mine`, { user });
      const text = blockText(answer.blocks);
      const theirs = all.filter((line) => line.includes(`owner ${owner}`));
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.length).toBeLessThan(all.length);
      expect(rows(text)).toEqual(theirs);
      expect(text).toContain(`Only the customers ${owner} owns in Salesforce (\`mine\`).`);
      expect(h.soql()).toHaveLength(everyone + 1);
      expect(h.soql()[0]).toContain('FROM User WHERE');
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
    expect(rows(text).every((line) => line.includes('Invoicer') && line.includes('owner Ann Owner'))).toBe(true);
  });
});
