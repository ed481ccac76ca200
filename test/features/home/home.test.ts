/**
 * The App Home through the real Bolt receiver: `app_home_opened` → views.publish with the person's own week, the
 * team's figures and charts, its cost in LMO calls under many opens, Refresh (honoured once a minute per person, by the
 * store), the tables when Slack refuses charts, the last good figures when the LMO fails, and the buttons that open
 * the full answers in a DM.
 */
import type { SObjectRecord } from '@lma-bot/lmo-emulator';
import { DEFAULT_BOT_SCOPES } from '@lma-bot/slack-sandbox';
import { afterEach, expect, test } from 'vitest';
import { addDays } from '../../../src/lma/dates.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import { blockText, type Harness, type HarnessOptions, startHarness, USER } from '../../support/harness.js';
import { LICENSE, lmoFixture, NOW, TODAY, USERS } from '../../support/lmo-fixture.js';
import { postAlerts } from '../../support/posted-alerts.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Twenty people whose Slack emails (personN@example.com) are no Salesforce user's. */
const PEOPLE = Array.from({ length: 20 }, (_, i) => ({ id: `U0P${String(i).padStart(3, '0')}`, name: `person${i}` }));
/** Two people matched to the fixture's Salesforce users by their Slack emails. */
const ANN = { id: 'U0ANN', name: 'ann', email: 'ann@isv.example' };
const BOB = { id: 'U0BOB', name: 'bob', email: 'bob@isv.example' };

/** A bot whose clock the test moves. */
async function home(options: HarnessOptions = {}) {
  let now = NOW.getTime();
  const started = await startHarness({ clock: () => new Date(now), users: [...PEOPLE, ANN, BOB], ...options });
  h = started;
  return {
    h: started,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

type View = { blocks: { type: string; block_id?: string; chart?: unknown }[] };

/** Opens Home for `user` and waits for a new view to be published for them. */
async function open(h: Harness, user = USER): Promise<View> {
  const before = h.slack.homeView(user)?.hash;
  await h.driver.openHome(user);
  return (await h.slack.waitFor(() => {
    const view = h.slack.homeView(user);
    return view && view.hash !== before ? view : undefined;
  })) as unknown as View;
}

const userQueries = (h: Harness) => h.soql().filter((q) => q.includes('FROM User WHERE'));

const chart = (view: View, blockId: string) =>
  view.blocks.find((b) => b.type === 'data_visualization' && b.block_id === blockId)?.chart as {
    series: { data: { label: string; value: number }[] }[];
  };

test('opening Home publishes the team figures and two charts, from one composite LMO call of three queries (and one look-up of the person)', async () => {
  const { h } = await home();
  h.resetLog();
  const view = await open(h);
  const text = blockText(view.blocks);
  expect(text).toContain('next 30 days: 4 licenses · 73 seats · 1 site license');
  expect(text).toContain('next 90 days: 5 licenses · 173 seats · 1 site license');
  expect(text).toContain('2 trials on now · 1 ending by Mon 22 Jun 2026');
  expect(text).toContain('3 trials converted · rate 75% (1 trial expired unconverted)');
  expect(text).toContain('LMO: embedded demo LMO');
  expect(text).toContain('data read 15 Jun 2026, 10:00 (UTC)');
  // Conversions 5 and 29 days ago (June, May) and 45 days ago (May 1st): per month from January.
  expect(chart(view, 'home_conversions').series[0].data).toEqual([
    { label: 'Jan 2026', value: 0 },
    { label: 'Feb 2026', value: 0 },
    { label: 'Mar 2026', value: 0 },
    { label: 'Apr 2026', value: 0 },
    { label: 'May 2026', value: 2 },
    { label: 'Jun 2026', value: 1 },
  ]);
  // Day 0 (50 seats) in June; days 20, 30 and 31 (3 + 20 + 100) in July.
  expect(chart(view, 'home_renewal_seats').series[0].data.map((p) => p.value)).toEqual([50, 123, 0, 0, 0, 0]);
  // Alice matches no Salesforce user: her week costs the look-up only.
  expect(userQueries(h)).toHaveLength(1);
  expect(h.soql()).toHaveLength(3 + 1);
  expect(h.lmoCalls()).toBe(1 + 1);
  expect(h.soql().some((q) => q.includes('GROUP BY sfLma__Expiration__c'))).toBe(true);
});

test('100 opens in a minute across 20 people cost one LMO call (three queries) and one look-up each; after 5 minutes, one more, reading history only from today', async () => {
  const { h, advance } = await home();
  h.resetLog();
  for (let round = 0; round < 5; round++) {
    await Promise.all(PEOPLE.map((p) => open(h, p.id)));
    advance(10_000);
  }
  expect(h.slack.calls.filter((c) => c.method === 'views.publish' && c.ok)).toHaveLength(100);
  // Each person is looked up once (users.info, then User by email): none matches, and the miss is kept for an hour.
  expect(userQueries(h)).toHaveLength(20);
  expect(h.slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(20);
  expect(h.soql()).toHaveLength(3 + 20);
  expect(h.lmoCalls()).toBe(1 + 20);
  advance(5 * 60_000);
  await open(h, PEOPLE[0].id);
  await open(h, PEOPLE[1].id);
  expect(h.soql()).toHaveLength(6 + 20);
  expect(h.lmoCalls()).toBe(2 + 20);
  // The finished days' conversions and uninstalls were kept in the store by the first reading.
  const history = h.soql().filter((q) => q.includes('FROM sfLma__License__History'));
  expect(history).toHaveLength(2);
  expect(history[0]).toContain('CreatedDate >= 2026-01-01T00:00:00Z');
  expect(history[1]).toContain(`CreatedDate >= ${TODAY}T00:00:00Z`);
  // Counted, never shown: the rows are read without their licenses.
  for (const q of history) expect(q).toMatch(/^SELECT Id, ParentId, CreatedDate, OldValue, NewValue FROM /);
});

const licenseUrl = (h: Harness, id: string) =>
  `${h.bot.runtime.lmo.instanceUrl()}/lightning/r/sfLma__License__c/${id}/view`;

/** A Salesforce user's licenses in the fixture: those of the accounts he owns, and of the leads he owns without an account. */
function ownedBy(owner: string): SObjectRecord[] {
  const data = lmoFixture();
  const owns = (type: 'Account' | 'Lead', recordId: unknown) =>
    data[type]!.some((r) => r.Id === recordId && r.OwnerId === owner);
  return data.sfLma__License__c!.filter((l) =>
    l.sfLma__Account__c ? owns('Account', l.sfLma__Account__c) : owns('Lead', l.sfLma__Lead__c),
  );
}

test('a matched person’s Home opens with Your week: counts equal to a plain count over their customers, from two LMO calls (the team’s, and the look-up with the week)', async () => {
  const { h } = await home();
  h.resetLog();
  const view = await open(h, BOB.id);
  const text = blockText(view.blocks);
  const bob = ownedBy(USERS.bob);
  const expiring = (l: SObjectRecord, days: number) => {
    const at = l.sfLma__Expiration__c as string | null;
    return at !== null && at >= TODAY && at <= addDays(TODAY, days);
  };
  const renewing = bob.filter(
    (l) => l.sfLma__Status__c === 'Active' && !l.sfLma__Subscriber_Org_Is_Sandbox__c && expiring(l, 30),
  );
  const perSeat = renewing.filter((l) => l.sfLma__Seats__c !== -1);
  const seats = perSeat.reduce((sum, l) => sum + (l.sfLma__Seats__c as number), 0);
  const sites = renewing.length - perSeat.length;
  const over = bob.filter(
    (l) =>
      ['Active', 'Trial'].includes(l.sfLma__Status__c as string) &&
      (l.sfLma__Seats__c as number) > 0 &&
      (l.sfLma__Used_Licenses__c as number) > (l.sfLma__Seats__c as number),
  );
  const trials = bob.filter((l) => l.sfLma__Status__c === 'Trial' && expiring(l, 7));
  expect([renewing.length, seats, sites, over.length, trials.length]).toEqual([2, 20, 1, 1, 0]);
  expect(text).toContain('Your week\nCustomers Bob Seller owns in Salesforce.');
  expect(text).toContain(
    `*Renewals, next 30 days:* ${renewing.length} licenses · ${seats} seats · ${sites} site license`,
  );
  expect(text).toContain(`*Trials ending in 7 days:* ${trials.length} trials`);
  expect(text).toContain(`*Over their seats:* ${over.length}\n• *<${licenseUrl(h, over[0].Id as string)}|Acme Labs>*`);
  expect(text).toMatch(/\*At risk\* \(renewing in 90 days, under 30% of seats used\): 0/);
  // The team's three in one composite call; the look-up and the week in another (the week names the user found).
  expect(userQueries(h)).toHaveLength(1);
  expect(h.soql()).toHaveLength(3 + 1 + 1);
  expect(h.lmoCalls()).toBe(2);
});

test('an unmatched person’s Home says, in one line, which email was tried and how an admin maps them', async () => {
  const { h } = await home();
  const text = blockText((await open(h, PEOPLE[0].id)).blocks);
  expect(text).toContain('No active Salesforce user has the email person0@example.com');
  expect(text).toContain(`LMA_USER_MAP=${PEOPLE[0].id}:someone@company.com`);
  expect(text).toContain('next 30 days: 4 licenses');
});

test('Your week is kept 5 minutes per person: opening again asks nobody; then the team’s three and one, without a new look-up', async () => {
  const { h, advance } = await home();
  await open(h, ANN.id);
  await open(h, BOB.id);
  h.resetLog();
  const infoCalls = h.slack.calls.filter((c) => c.method === 'users.info').length;
  advance(4 * 60_000);
  await open(h, ANN.id);
  await open(h, BOB.id);
  expect(h.soql()).toHaveLength(0);
  advance(60_000);
  await open(h, ANN.id);
  // The team's three (one call) and Ann's one; the match is the store's (a day), so no User query and no users.info.
  expect(h.soql()).toHaveLength(3 + 1);
  expect(h.lmoCalls()).toBe(2);
  expect(userQueries(h)).toHaveLength(0);
  expect(h.slack.calls.filter((c) => c.method === 'users.info')).toHaveLength(infoCalls);
});

/** Clicks Refresh on `user`'s Home and waits for the view published for it. */
async function refresh(h: Harness, user = USER) {
  const before = h.slack.homeView(user)?.hash;
  await h.driver.clickInHome(user, 'lma_home_refresh');
  await h.slack.waitFor(() => h.slack.homeView(user)?.hash !== before);
}

test('Refresh reads again at most once a minute per person: the team’s figures and the person’s week', async () => {
  const { h, advance } = await home();
  await open(h, BOB.id);
  h.resetLog();
  await refresh(h, BOB.id);
  expect(h.soql()).toHaveLength(3 + 1);
  advance(30_000);
  await refresh(h, BOB.id);
  expect(h.soql()).toHaveLength(3 + 1);
  advance(31_000);
  await refresh(h, BOB.id);
  expect(h.soql()).toHaveLength(2 * (3 + 1));
});

test('the once-a-minute Refresh is the store’s decision: a second bot on the same store refuses it too', async () => {
  const store = openSqliteStore(':memory:');
  const first = await home({ store });
  // The second bot is stopped here, leaving the store to the first (closed after the test).
  const second = await startHarness({ clock: () => NOW, users: [BOB], store });
  try {
    await open(first.h, BOB.id);
    await open(second, BOB.id);
    await refresh(first.h, BOB.id);
    second.resetLog();
    await refresh(second, BOB.id);
    expect(second.soql()).toHaveLength(0);
  } finally {
    await second.bot.close();
    await second.slack.close();
  }
});

test('the team’s figures are kept in the store: a second bot on the same store and LMO shows them without reading them again', async () => {
  const store = openSqliteStore(':memory:');
  const first = await home({ store });
  const emulator = first.h.bot.emulator!;
  const second = await startHarness({
    clock: () => NOW,
    users: [BOB],
    store,
    env: {
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: emulator.credentials.clientId,
      SF_CLIENT_SECRET: emulator.credentials.clientSecret,
      SF_REFRESH_TOKEN: emulator.credentials.refreshToken,
    },
  });
  const teamQueries = () => first.h.soql().filter((q) => q.includes('GROUP BY') || q.includes('License__History'));
  try {
    const shown = blockText((await open(first.h, ANN.id)).blocks);
    expect(teamQueries()).toHaveLength(3);
    first.h.resetLog();
    const text = blockText((await open(second, BOB.id)).blocks);
    // Bob's look-up and week reach the LMO; the team's figures come from the store, as the first bot read them.
    expect(teamQueries()).toHaveLength(0);
    expect(first.h.soql().length).toBeGreaterThan(0);
    const teamPart = (t: string) => t.slice(t.indexOf('The team'), t.indexOf('Recent alerts'));
    expect(teamPart(shown)).toContain('next 30 days: 4 licenses');
    expect(teamPart(text)).toBe(teamPart(shown));
  } finally {
    await second.bot.close();
    await second.slack.close();
  }
});

test('Recent alerts: the last 5 posted to channels the person is in, newest first, each linked to its license', async () => {
  const { h } = await home({ channels: [{ id: 'C0BOBS', name: 'bobs', members: [BOB.id, 'U0LMABOT'] }] });
  const general = [1, 2, 3, 4, 5, 6].map((n) => ({ n, channel: 'C0GENERAL', customer: `Customer ${n}` }));
  await postAlerts(h.bot.runtime.store, NOW, [...general, { n: 7, channel: 'C0BOBS', customer: 'Bob Only' }]);
  h.resetLog();
  const lines = (text: string) =>
    text
      .split('Recent alerts\n')[1]
      .split('\n')
      .filter((l) => l.startsWith(':seedling:'));
  const ann = lines(blockText((await open(h, ANN.id)).blocks));
  expect(ann.map((l) => l.match(/\|([^>]+)>/)?.[1])).toEqual([6, 5, 4, 3, 2].map((n) => `Customer ${n}`));
  expect(ann[0]).toContain(
    `*<${licenseUrl(h, LICENSE(6))}|Customer 6>* · New trial · <#C0GENERAL> · 15 Jun 2026, 09:58 (UTC)`,
  );
  const bob = lines(blockText((await open(h, BOB.id)).blocks));
  expect(bob[0]).toContain(`<${licenseUrl(h, LICENSE(7))}|Bob Only>* · New trial · <#C0BOBS>`);
  expect(bob).toHaveLength(5);
  // Channels from Slack, one users.conversations call each; alerts from the store: no LMO call beyond the figures.
  expect(h.slack.calls.filter((c) => c.method === 'users.conversations')).toHaveLength(2);
  expect(h.soql().filter((q) => !q.includes('FROM User WHERE'))).toHaveLength(3 + 1 + 1);
});

test('Recent alerts says how to get alerts when none were posted in the person’s channels', async () => {
  const { h } = await home();
  expect(blockText((await open(h)).blocks)).toContain('No alerts in your channels yet: `/lma alerts on` in a channel');
});

test('when Slack refuses the chart block, Home is published with the tables instead', async () => {
  const { h } = await home();
  h.slack.failNext('views.publish', { error: 'invalid_blocks' });
  const view = await open(h);
  expect(view.blocks.some((b) => b.type === 'data_visualization')).toBe(false);
  const text = blockText(view.blocks);
  expect(text).toContain('*Seats up for renewal per month*');
  expect(text).toMatch(/Jun 2026 +Jul 2026[^\n]*\n +50 +123 +0/);
});

test('an LMO failure keeps the last good figures up, saying since when and that the LMO is unreachable', async () => {
  const { h, advance } = await home();
  await open(h, BOB.id);
  h.bot.emulator!.setFaults({ unavailableRate: 1 });
  advance(6 * 60_000);
  const view = await open(h, BOB.id);
  const text = blockText(view.blocks);
  expect(text).toContain('As of 15 Jun 2026, 10:00 (UTC), the LMO is unreachable.');
  expect(text).toContain('next 30 days: 4 licenses');
  expect(text).toContain('*Renewals, next 30 days:* 2 licenses');
  expect(text).toContain('Your week as of 15 Jun 2026, 10:00 (UTC): the LMO could not be read just now.');
  expect(view.blocks.some((b) => b.type === 'data_visualization')).toBe(true);
});

test('an LMO that fails before anything was read: Home says what went wrong and what to do', async () => {
  const { h } = await home();
  h.bot.emulator!.setFaults({ unavailableRate: 1 });
  const view = await open(h);
  const text = blockText(view.blocks);
  expect(text).toContain('could not be reached');
  expect(text).toContain('Try again in a minute');
});

test('Renewals, Trials and Health open the full answers in a DM from the bot', async () => {
  const { h } = await home();
  await open(h);
  await h.driver.clickInHome(USER, 'lma_home_renewals');
  const dm = h.slack.channel(USER)!.id;
  const [renewals] = await h.slack.waitFor(() => {
    const posted = h.slack.messages(dm).filter((m) => m.bot_id);
    return posted.length >= 1 ? posted : undefined;
  });
  expect(renewals.text).toContain('Renewals in the next 30 days: 4 licenses');
  await h.driver.clickInHome(USER, 'lma_home_trials');
  const posted = await h.slack.waitFor(() => {
    const all = h.slack.messages(dm).filter((m) => m.bot_id);
    return all.length >= 2 ? all : undefined;
  });
  expect(posted[1].text).toMatch(/2 trials/);
  await h.driver.clickInHome(USER, 'lma_home_health');
  const health = await h.slack.waitFor(() => {
    const all = h.slack.messages(dm).filter((m) => m.bot_id);
    return all.length >= 3 ? all[2] : undefined;
  });
  expect(health.text).toContain('Over their seats:');
});

test('a Home button whose DM Slack refuses (no im:write): the person’s Home says so at the top, from its cached figures; nothing is posted', async () => {
  const { h } = await home({ slack: { scopes: DEFAULT_BOT_SCOPES.filter((s) => s !== 'im:write') } });
  const before = h.slack.homeView(USER)?.hash;
  await open(h);
  h.resetLog();
  const published = h.slack.homeView(USER)?.hash;
  expect(published).not.toBe(before);
  await h.driver.clickInHome(USER, 'lma_home_renewals');
  const view = (await h.slack.waitFor(() => {
    const now = h.slack.homeView(USER);
    return now && now.hash !== published ? now : undefined;
  })) as unknown as View;
  const text = blockText(view.blocks);
  expect(text).toContain('I cannot open a DM with you: the app lacks the Slack scope `im:write`');
  expect(text.indexOf('I cannot open a DM')).toBeLessThan(text.indexOf('The team'));
  expect(h.logs.some((l) => l.includes('could not send its answer'))).toBe(true);
  expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  // The renewals asked for, and nothing more: the republished Home is the cached one.
  expect(h.soql().filter((q) => q.includes('GROUP BY') || q.includes('License__History'))).toEqual([]);
});

test('with channels restricted, a Home click counts as a DM: allowed people get the DM, others nothing', async () => {
  h = await startHarness({
    env: { LMA_ALLOWED_CHANNELS: 'C0SALES', LMA_ALLOWED_USERS: USER },
    users: [{ id: 'U0EVE', name: 'eve' }],
  });
  await open(h);
  await h.driver.clickInHome(USER, 'lma_home_renewals');
  const dm = h.slack.channel(USER)!.id;
  const [answer] = await h.slack.waitFor(() => {
    const posted = h!.slack.messages(dm).filter((m) => m.bot_id);
    return posted.length >= 1 ? posted : undefined;
  });
  expect(answer.text).toContain('Renewals in the next 30 days');
  // Eve is not among the allowed users: her Home is refused, never published.
  await h.driver.openHome('U0EVE');
  await h.slack.waitFor(() =>
    h!.logs.some((l) => l.includes('Refused a app_home_opened event') && l.includes('U0EVE')),
  );
  expect(h.slack.homeView('U0EVE')).toBeUndefined();
});
