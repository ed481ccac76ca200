/**
 * "Your week" over real jsforce to the embedded LMO: from one call, the same lists the answers give for the person's
 * customers (renewals, trials ending, at risk, over their seats), on the seat-health boundaries; partial, and saying so,
 * when the person owns more than one read holds.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { afterEach, expect, test } from 'vitest';
import { addDays } from '../../src/lma/dates.js';
import type { License } from '../../src/lma/model.js';
import { healthFixture } from '../features/health/health-fixture.js';
import { TODAY, USERS } from '../support/lmo-fixture.js';
import { serviceOver } from '../support/lmo-service.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function serviceFor(data: OrgData) {
  const over = await serviceOver(data);
  close = () => over.emulator.close();
  return over;
}

const WINDOWS = { renewalDays: 30, trialDays: 7, riskDays: 90, lowUse: 0.3 };
const ids = (licenses: License[]) => licenses.map((l) => l.id);

test.each([
  ['Ann', USERS.ann],
  ['Bob', USERS.bob],
])('%s’s week in one call equals the renewals, trials and health answers for their customers', async (_, ownerId) => {
  const { service, client } = await serviceFor(healthFixture());
  const week = await service.ownerWeek(ownerId, WINDOWS);
  expect(client.calls).toBe(1);
  const range = (days: number) => ({ from: TODAY, to: addDays(TODAY, days), label: `in the next ${days} days` });
  const [renewals, trials, health] = await Promise.all([
    service.renewals({ range: range(30), ownerId, page: { number: 1, size: 200 } }),
    service.trials({ range: range(7), ownerId, countExpired: false, page: { number: 1, size: 200 } }),
    service.health({ ownerId, lists: ['over', 'risk'], renewalDays: 90, lowUse: 0.3 }),
  ]);
  expect(ids(week.renewals.licenses)).toEqual(ids(renewals.licenses));
  expect([week.renewals.total, week.renewals.seats, week.renewals.siteLicenses]).toEqual([
    renewals.total,
    renewals.seats,
    renewals.siteLicenses,
  ]);
  expect(ids(week.trials.licenses)).toEqual(ids(trials.trials));
  expect(week.trials.total).toBe(trials.total);
  expect(ids(week.risk.licenses)).toEqual(ids(health.risk?.licenses ?? []));
  expect(week.risk.siteLicensesExcluded).toBe(health.risk?.siteLicensesExcluded);
  expect(ids(week.over.licenses).sort()).toEqual(ids(health.over?.licenses ?? []).sort());
  expect(week.partial).toBe(false);
});

test('the boundaries, written out: day 90 at risk and 91 not, 30% exactly not, used = bought not over, site licenses counted apart', async () => {
  const { service } = await serviceFor(healthFixture());
  const [ann, bob] = await Promise.all([service.ownerWeek(USERS.ann, WINDOWS), service.ownerWeek(USERS.bob, WINDOWS)]);
  const names = (licenses: License[]) => licenses.map((l) => l.customer.name);
  // The health fixture gives its boundary accounts to Ann and Bob in turn (Ann: 1st, 3rd, …).
  expect(names(ann.risk.licenses)).toEqual(['Day Ninety Co']);
  expect(names(bob.risk.licenses)).toEqual(['Twenty-Nine Co']);
  expect([...names(ann.over.licenses), ...names(bob.over.licenses)]).not.toContain('Equal Seats Co');
  expect(names(bob.over.licenses)).toContain('One Over Co');
  expect([...names(ann.risk.licenses), ...names(bob.risk.licenses)]).not.toContain('Thirty Percent Co');
  expect(ann.risk.siteLicensesExcluded).toBeGreaterThanOrEqual(1);
});

test('a book of more than one read: one call still, and the week says it is partial', async () => {
  const data = healthFixture();
  const template = data.sfLma__License__c.find((l) => l.sfLma__Status__c === 'Active');
  const account = data.Account.find((a) => a.OwnerId === USERS.bob);
  for (let i = 0; i < 2_100; i++)
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(50_000 + i).padStart(12, '0')}AAA`,
      sfLma__Expiration__c: addDays(TODAY, i % 30),
      sfLma__Account__c: account?.Id,
      sfLma__Lead__c: null,
    });
  const { service, client } = await serviceFor(data);
  const week = await service.ownerWeek(USERS.bob, WINDOWS);
  expect(client.calls).toBe(1);
  expect(week.partial).toBe(true);
  // Counted from the soonest 2,000 read, fewer than the 2,100 added alone.
  expect(week.renewals.total).toBeLessThanOrEqual(2_000);
});

test('by email, the look-up and the week are one composite call, the week the same as by the Id the look-up finds', async () => {
  const { service, client, emulator } = await serviceFor(healthFixture());
  const found = await service.ownerWeekByEmail('bob@isv.example', WINDOWS);
  expect(client.calls).toBe(1);
  expect(found.owner).toEqual({ id: USERS.bob, name: 'Bob Seller' });
  // The week's query named Bob by reference: Salesforce put his Id in.
  const [composite] = emulator.log.filter((e) => e.path.endsWith('/composite'));
  expect(composite.subrequests?.[1].soql).toContain(`sfLma__Account__r.OwnerId = '${USERS.bob}'`);
  expect(found.week).toEqual(await service.ownerWeek(USERS.bob, WINDOWS));
});

test('by email, no active user: no owner, and the week’s subrequest is not run; a shared email is no match', async () => {
  const { service, client, emulator } = await serviceFor(healthFixture());
  expect(await service.ownerWeekByEmail('nobody@isv.example', WINDOWS)).toEqual({ owner: undefined });
  expect(client.calls).toBe(1);
  expect(emulator.log.at(-1)?.subrequests?.map((s) => s.status)).toEqual([200, 400]);
  await emulator.close();

  const shared = healthFixture();
  shared.User = shared.User.map((u) => ({ ...u, Email: 'team@isv.example' }));
  const again = await serviceFor(shared);
  expect(await again.service.ownerWeekByEmail('team@isv.example', WINDOWS)).toEqual({ owner: undefined });
});

test('text that looks like a reference stays text: only the placeholder the service chose becomes one', async () => {
  const { service, emulator } = await serviceFor(healthFixture());
  const found = await service.ownerWeekByEmail('@{q0.records[0].Id}@isv.example', WINDOWS);
  expect(found).toEqual({ owner: undefined });
  const [lookUp] = emulator.log.at(-1)?.subrequests ?? [];
  expect(lookUp.soql).toContain("Email = '@{q0.records[0].Id}@isv.example'");
});
