/**
 * Long lists a page at a time through the real Bolt app and jsforce against the embedded LMO: 135 trials (the issue's
 * example) shown 20 to a table, every row reachable with Next, Previous back again, at most two LMO calls a page; and
 * a Slack that refuses table blocks gets the same rows as text.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { addDays } from '../../../src/lma/dates.js';
import { blockText, CHANNEL, type Harness, startHarness, tableRows, USER } from '../../support/harness.js';
import { lmoFixture, TODAY, USERS } from '../../support/lmo-fixture.js';

const TRIALS = 135;

/** The fixture's trials on now (2) and 133 more, several a day (so pages split days), each its own account. */
function manyTrials(): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c.find((l) => l.sfLma__Status__c === 'Trial')!;
  for (let i = 0; i < TRIALS - 2; i++) {
    const account = `001${String(900 + i).padStart(12, '0')}AAA`;
    data.Account.push({ Id: account, Name: `Trial Co ${String(i).padStart(3, '0')}`, OwnerId: USERS.bob });
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(5000 + i).padStart(12, '0')}AAA`,
      sfLma__Expiration__c: addDays(TODAY, 2 + (i % 40)),
      sfLma__Account__c: account,
      sfLma__Lead__c: null,
    });
  }
  return data;
}

/** The trials on now as a plain filter over the data, soonest first (then by Id): the order every page follows. */
function expectedOrder(data: OrgData): string[] {
  const names = new Map(data.Account.map((a) => [a.Id, String(a.Name)]));
  const leads = new Map(data.Lead.map((l) => [l.Id, String(l.Company)]));
  return data.sfLma__License__c
    .filter((l) => l.sfLma__Status__c === 'Trial' && String(l.sfLma__Expiration__c) >= TODAY)
    .sort((a, b) => (`${a.sfLma__Expiration__c}${a.Id}` < `${b.sfLma__Expiration__c}${b.Id}` ? -1 : 1))
    .map((l) => names.get(String(l.sfLma__Account__c)) ?? leads.get(String(l.sfLma__Lead__c)) ?? '?');
}

type Post = { body: { text: string; blocks: unknown[] }; message?: { ts: string } };

let h: Harness;
let data: OrgData;
beforeAll(async () => {
  data = manyTrials();
  h = await startHarness({ data });
});
afterAll(async () => h?.close());
beforeEach(() => h.slack.refuseBlocks([]));

/** The answer Slack accepted on a response_url (a refused post is recorded too). */
async function accepted(responseUrl: string, n = 1): Promise<Post> {
  const posts = await h.driver.responses(responseUrl, n, 30_000);
  const ok = posts.filter((p) => p.status === 200);
  expect(ok).toHaveLength(1);
  return ok[0] as unknown as Post;
}

async function firstPage(text: string): Promise<Post> {
  const ack = await h.driver.command(text, { user: USER, channel: CHANNEL });
  return accepted(ack.responseUrl);
}

/** Clicks a page button on an answer and returns the page that replaced it. */
async function click(post: Post, actionId: string, refused = 0): Promise<Post> {
  const message = { blocks: post.body.blocks, ts: post.message?.ts, ephemeral: true };
  const { responseUrl } = await h.driver.click(message, actionId, { user: USER, channel: CHANNEL });
  const next = await accepted(responseUrl, refused + 1);
  // Replaced in place: the same message, not a new one.
  expect(next.message?.ts).toBe(post.message?.ts);
  return next;
}

const hasButton = (post: Post, actionId: string) => JSON.stringify(post.body.blocks).includes(`"${actionId}"`);

describe('a 135-row list', () => {
  test('every row is reachable with Next, in order, one LMO call a page; Previous comes back', async () => {
    h.resetLog();
    let page = await firstPage('trials');
    // The rows and one more, the count on now and the expired count: one composite call.
    expect(h.soql()).toHaveLength(3);
    expect(h.lmoCalls()).toBe(1);
    expect(blockText(page.body.blocks)).toContain('*135 trials* running');
    expect(blockText(page.body.blocks)).toContain('Rows 1–20 of 135 · page 1 of 7');
    expect(hasButton(page, 'lma_page_previous')).toBe(false);
    const seen = tableRows(page.body.blocks).map(([customer]) => customer);
    const pages = [page];
    while (hasButton(page, 'lma_page_next')) {
      h.resetLog();
      page = await click(page, 'lma_page_next');
      expect(h.soql()).toHaveLength(1);
      seen.push(...tableRows(page.body.blocks).map(([customer]) => customer));
      pages.push(page);
    }
    expect(pages).toHaveLength(7);
    expect(blockText(page.body.blocks)).toContain('Rows 121–135 of 135 · page 7 of 7');
    expect(seen).toEqual(expectedOrder(data));

    const back = await click(page, 'lma_page_previous');
    expect(tableRows(back.body.blocks)).toEqual(tableRows(pages[5].body.blocks));
    expect(blockText(back.body.blocks)).toContain('page 6 of 7');
  });

  test('a Slack that refuses table blocks gets the rows as text, said once, and the pages still turn', async () => {
    h.slack.refuseBlocks(['table']);
    const ack = await h.driver.command('trials', { user: USER, channel: CHANNEL });
    const page = await accepted(ack.responseUrl, 2);
    const text = blockText(page.body.blocks);
    expect(JSON.stringify(page.body.blocks)).not.toContain('"type":"table"');
    expect(text.match(/Slack did not accept a table/g)).toHaveLength(1);
    expect(text).toContain('Rows 1–20 of 135');
    const order = expectedOrder(data);
    expect(text).toContain(`|${order[0]}>*`);
    const next = await click(page, 'lma_page_next', 1);
    expect(blockText(next.body.blocks)).toContain(`|${order[20]}>*`);
    expect(blockText(next.body.blocks)).toContain('Rows 21–40 of 135 · page 2 of 7');
  });

  test('a page button whose value this bot did not write says the answer is out of date', async () => {
    const page = await firstPage('trials');
    const message = { blocks: page.body.blocks, ts: page.message?.ts, ephemeral: true };
    for (const value of ['{"k":"trials","n":0}', '{"k":"renewals","n":2,"a":["2026-06-20","a0L000000000001AAA"]}']) {
      const { responseUrl } = await h.driver.click(message, 'lma_page_next', { user: USER, channel: CHANNEL, value });
      const [told] = await h.driver.responses(responseUrl);
      expect(String(told.body.text)).toMatch(/out of date|older version/i);
    }
  });
});

test('/lma help says how to turn the pages of a long list and export it, with real commands', async () => {
  const ack = await h.driver.command('help', { user: USER, channel: CHANNEL });
  const [help] = await h.driver.responses(ack.responseUrl);
  const text = blockText((help.body as { blocks: unknown[] }).blocks);
  expect(text).toContain('*Next ▶* and *◀ Previous* turn the pages in place');
  expect(text).toContain('`/lma renewals 365 mine`, then Export CSV');
});
