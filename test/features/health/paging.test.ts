/**
 * Long seat-health lists and a version's installs page like trials and renewals, through the real Bolt app and the
 * embedded LMO: the answer shows a list's first rows with Next ▶, each page replaces the message in place as a table
 * with where it sits, every row is reachable in the order the answer and the CSV use, and Previous comes back.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { blockText, CHANNEL, type Harness, startHarness, tableRows, USER } from '../../support/harness.js';
import { ACCOUNTS, lmoFixture, USERS } from '../../support/lmo-fixture.js';
import { botMention, waitForBotReplies } from '../threads/thread-support.js';

const OVER = 40;
const ON_ONE = 30;

/** The fixture plus 40 licenses over their seats (by 1 to 40, each its own account) and 30 more installs on 1.x. */
function manyLists(): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  for (let i = 0; i < OVER; i++) {
    const account = `001${String(700 + i).padStart(12, '0')}AAA`;
    data.Account.push({ Id: account, Name: `Over Co ${String(i).padStart(2, '0')}`, OwnerId: USERS.bob });
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(6000 + i).padStart(12, '0')}AAA`,
      sfLma__Status__c: 'Active',
      sfLma__Seats__c: 100,
      sfLma__Used_Licenses__c: 100 + OVER - i,
      sfLma__Version_Number__c: '2.1.0',
      sfLma__Account__c: account,
      sfLma__Lead__c: null,
    });
  }
  for (let i = 0; i < ON_ONE; i++)
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(6500 + i).padStart(12, '0')}AAA`,
      sfLma__Status__c: 'Active',
      sfLma__Seats__c: 10,
      sfLma__Used_Licenses__c: 1,
      sfLma__Version_Number__c: `1.${i % 4}.0`,
      sfLma__Account__c: ACCOUNTS.globex,
    });
  return data;
}

const over = (l: OrgData['sfLma__License__c'][number]) => Number(l.sfLma__Used_Licenses__c) - Number(l.sfLma__Seats__c);

/** The over-their-seats list as a plain filter over the data: most seats over first. */
function overOrder(data: OrgData): string[] {
  const names = new Map(data.Account.map((a) => [a.Id, String(a.Name)]));
  return (
    data.sfLma__License__c
      .filter(
        (l) =>
          (l.sfLma__Status__c === 'Active' || l.sfLma__Status__c === 'Trial') &&
          Number(l.sfLma__Seats__c) > 0 &&
          Number(l.sfLma__Used_Licenses__c) > Number(l.sfLma__Seats__c),
      )
      // Most seats over first; on a tie, most seats used (the query's order, which the sort keeps).
      .sort((a, b) => over(b) - over(a) || Number(b.sfLma__Used_Licenses__c) - Number(a.sfLma__Used_Licenses__c))
      .map((l) => names.get(String(l.sfLma__Account__c)) ?? '?')
  );
}

/** The installs on 1.x as a plain filter: by version, then Id. */
function onOneIds(data: OrgData): string[] {
  return data.sfLma__License__c
    .filter(
      (l) =>
        (l.sfLma__Status__c === 'Active' || l.sfLma__Status__c === 'Trial') &&
        String(l.sfLma__Version_Number__c).startsWith('1.'),
    )
    .sort((a, b) => (`${a.sfLma__Version_Number__c} ${a.Id}` < `${b.sfLma__Version_Number__c} ${b.Id}` ? -1 : 1))
    .map((l) => String(l.Id));
}

type Post = { body: { text: string; blocks: { block_id?: string }[] }; message?: { ts: string } };

let h: Harness;
let data: OrgData;
beforeAll(async () => {
  data = manyLists();
  h = await startHarness({ data });
});
afterAll(async () => h?.close());

/** Clicks a button of one list (its block) and returns what replaced the message. */
async function click(post: Post, blockId: string, actionId: string): Promise<Post> {
  const blocks = post.body.blocks.filter((b) => b.block_id === blockId);
  const message = { blocks, ts: post.message?.ts, ephemeral: true };
  const { responseUrl } = await h.driver.click(message, actionId, { user: USER, channel: CHANNEL });
  const [next] = await h.driver.responses(responseUrl, 1, 30_000);
  expect(next.message?.ts).toBe(post.message?.ts);
  return next as unknown as Post;
}

const hasButton = (post: Post, actionId: string) => JSON.stringify(post.body.blocks).includes(`"${actionId}"`);

describe('seat health', () => {
  test('over their seats: the answer’s first 15 rows, then Next pages of 15 as tables through every row, Previous back', async () => {
    const ack = await h.driver.command('health', { user: USER, channel: CHANNEL });
    const [first] = (await h.driver.responses(ack.responseUrl, 1, 30_000)) as unknown as Post[];
    const expected = overOrder(data);
    expect(expected).toHaveLength(OVER + 1);
    const text = blockText(first.body.blocks);
    expect(text).toContain(`*Over their seats: ${expected.length}*`);
    expect(text).toContain('Next ▶ shows them, Export CSV has every row.');
    const seen = expected.slice(0, 15).filter((name) => text.includes(`|${name}>*`));
    expect(seen).toHaveLength(15);
    let page = await click(first, 'lma_list_over', 'lma_health_page_next');
    const pages = [page];
    const rows = tableRows(page.body.blocks).map(([customer]) => customer);
    expect(blockText(page.body.blocks)).toContain(`Rows 16–30 of ${expected.length} · page 2 of 3`);
    while (hasButton(page, 'lma_health_page_next')) {
      page = await click(page, 'lma_list_over', 'lma_health_page_next');
      rows.push(...tableRows(page.body.blocks).map(([customer]) => customer));
      pages.push(page);
    }
    expect(pages).toHaveLength(2);
    expect([...seen, ...rows]).toEqual(expected);
    const back = await click(page, 'lma_list_over', 'lma_health_page_previous');
    expect(tableRows(back.body.blocks)).toEqual(tableRows(pages[0].body.blocks));
    expect(hasButton(back, 'lma_export_csv')).toBe(true);
  });

  test('a page button whose value this bot did not write says the answer is out of date', async () => {
    const ack = await h.driver.command('health', { user: USER, channel: CHANNEL });
    const [first] = (await h.driver.responses(ack.responseUrl, 1, 30_000)) as unknown as Post[];
    const blocks = first.body.blocks.filter((b) => b.block_id === 'lma_list_over');
    for (const value of ['{"k":"over","n":0}', '{"k":"trials","n":2}', '{"k":"lapsed","n":2}']) {
      const { responseUrl } = await h.driver.click(
        { blocks, ts: first.message?.ts, ephemeral: true },
        'lma_health_page_next',
        {
          user: USER,
          channel: CHANNEL,
          value,
        },
      );
      const [told] = await h.driver.responses(responseUrl);
      expect(String(told.body.text)).toMatch(/out of date/);
    }
  });
});

describe('a version’s installs', () => {
  test('asked in a thread: 5 rows a page as a table, Next through every row in version order', async () => {
    const { message } = await h.driver.say(`${botMention(h)} who is still on 1.x?`, { user: USER, channel: CHANNEL });
    const [reply] = await waitForBotReplies(h, CHANNEL, message.ts);
    const expected = onOneIds(data);
    let post: Post = {
      body: { text: reply.text, blocks: reply.blocks as Post['body']['blocks'] },
      message: { ts: reply.ts },
    };
    expect(blockText(post.body.blocks)).toContain(
      `Rows 1–5 of ${expected.length} · page 1 of ${Math.ceil(expected.length / 5)}`,
    );
    const links = (p: Post) =>
      [...JSON.stringify(p.body.blocks).matchAll(/sfLma__License__c\/(a0L\w+)\/view/g)].map((m) => m[1]);
    const ids = [...links(post)];
    while (hasButton(post, 'lma_page_next')) {
      post = await click(post, 'lma_list_version', 'lma_page_next');
      ids.push(...links(post));
    }
    expect(ids).toEqual(expected);
  });
});
