/**
 * A trial lead owned by a queue, as real trial leads often are: the answer names the queue (a Group), read through
 * the polymorphic Owner the embedded LMO serves as Salesforce does.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ask, blockText, type Harness, startHarness } from '../../support/harness.js';
import { LEADS, lmoFixture } from '../../support/lmo-fixture.js';

const QUEUE = '00G000000000001AAA';
let h: Harness;
beforeAll(async () => {
  const data = lmoFixture();
  data.Group = [{ Id: QUEUE, Name: 'Trial Leads Queue', DeveloperName: 'Trial_Leads', Type: 'Queue' }];
  const initech = data.Lead.find((lead) => lead.Id === LEADS.initech)!;
  initech.OwnerId = QUEUE;
  h = await startHarness({ data });
});
afterAll(async () => h?.close());

test("a lead owned by a queue shows the queue's name as its owner, in the one query", async () => {
  h.resetLog();
  const { answer } = await ask(h, 'status Initech');
  expect(blockText(answer.blocks)).toContain('Lead owner: Trial Leads Queue');
  expect(h.soql()).toHaveLength(1);
});
