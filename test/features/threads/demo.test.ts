/**
 * The "done when", on the generated demo LMO the bot runs on by default: "@LMA when does <customer>
 * renew?" in a thread is answered there with the right date, and "and their seats?" right after is answered too.
 */

import type { OrgData, SObjectRecord } from '@lma-bot/lmo-emulator';
import { generateDemoData } from '@lma-bot/lmo-emulator';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { formatDate } from '../../../src/lma/dates.js';
import { CHANNEL, type Harness, startHarness, USER } from '../../support/harness.js';
import { TODAY } from '../../support/lmo-fixture.js';
import { botMention, messageText, waitForBotReplies } from './thread-support.js';

const data: OrgData = generateDemoData({ today: TODAY });
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ data });
});
afterAll(async () => h?.close());

/** A customer whose name no other customer's contains, with a paid license still to renew, and its next renewal. */
function renewingCustomer(): { name: string; renews: string } {
  const names = [
    ...(data.Account ?? []).map((a) => String(a.Name)),
    ...(data.Lead ?? []).map((l) => String(l.Company)),
  ];
  const licensesOf = (account: SObjectRecord) =>
    (data.sfLma__License__c ?? []).filter((l) => l.sfLma__Account__c === account.Id);
  for (const account of data.Account ?? []) {
    const name = String(account.Name);
    if (names.filter((other) => other.toLowerCase().includes(name.toLowerCase())).length !== 1) continue;
    const upcoming = licensesOf(account)
      .filter(
        (l) =>
          l.sfLma__Status__c === 'Active' &&
          typeof l.sfLma__Expiration__c === 'string' &&
          l.sfLma__Expiration__c >= TODAY,
      )
      .map((l) => String(l.sfLma__Expiration__c))
      .sort();
    if (upcoming.length > 0) return { name, renews: upcoming[0] };
  }
  throw new Error('the demo data has no customer with a renewal ahead');
}

test('a renewal question and its follow-up are answered in the thread, from the demo LMO', async () => {
  const { name, renews } = renewingCustomer();
  const { message } = await h.driver.say(`${botMention(h)} when does ${name} renew?`, { user: USER, channel: CHANNEL });
  const [answer] = await waitForBotReplies(h, CHANNEL, message.ts);
  expect(answer.thread_ts).toBe(message.ts);
  expect(answer.text).toContain(`${name} renews`);
  expect(answer.text).toContain(formatDate(renews));

  await h.driver.say('and their seats?', { user: USER, channel: CHANNEL, thread_ts: message.ts });
  const [, seats] = await waitForBotReplies(h, CHANNEL, message.ts, 2);
  expect(seats.text).toContain(name);
  expect(messageText(seats)).toMatch(/seats used|site license/);
});
