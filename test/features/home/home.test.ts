/**
 * The App Home through the real Bolt receiver: `app_home_opened` → views.publish with the team's figures and charts,
 * its cost in LMO calls under many opens, Refresh, the tables when Slack refuses charts, the last good figures when
 * the LMO fails, and the buttons that open the full answers in a DM.
 */
import { afterEach, expect, test } from 'vitest';
import { blockText, type Harness, startHarness, USER } from '../../support/harness.js';
import { NOW } from '../../support/lmo-fixture.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PEOPLE = Array.from({ length: 20 }, (_, i) => ({ id: `U0P${String(i).padStart(3, '0')}`, name: `person${i}` }));

/** A bot whose clock the test moves. */
async function home() {
  let now = NOW.getTime();
  const started = await startHarness({ clock: () => new Date(now), users: PEOPLE });
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

const chart = (view: View, blockId: string) =>
  view.blocks.find((b) => b.type === 'data_visualization' && b.block_id === blockId)?.chart as {
    series: { data: { label: string; value: number }[] }[];
  };

test('opening Home publishes the team figures and two charts, from three LMO calls', async () => {
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
  expect(h.soql()).toHaveLength(3);
  expect(h.soql().some((q) => q.includes('GROUP BY sfLma__Expiration__c'))).toBe(true);
});

test('100 opens in a minute across 20 people cost three LMO calls; after 5 minutes, three more', async () => {
  const { h, advance } = await home();
  h.resetLog();
  for (let round = 0; round < 5; round++) {
    await Promise.all(PEOPLE.map((p) => open(h, p.id)));
    advance(10_000);
  }
  expect(h.slack.calls.filter((c) => c.method === 'views.publish' && c.ok)).toHaveLength(100);
  expect(h.soql()).toHaveLength(3);
  advance(5 * 60_000);
  await open(h, PEOPLE[0].id);
  await open(h, PEOPLE[1].id);
  expect(h.soql()).toHaveLength(6);
});

test('Refresh reads again at most once a minute per person', async () => {
  const { h, advance } = await home();
  await open(h);
  h.resetLog();
  const refresh = async (user = USER) => {
    const before = h.slack.homeView(user)?.hash;
    await h.driver.clickInHome(user, 'lma_home_refresh');
    await h.slack.waitFor(() => h.slack.homeView(user)?.hash !== before);
  };
  await refresh();
  expect(h.soql()).toHaveLength(3);
  advance(30_000);
  await refresh();
  expect(h.soql()).toHaveLength(3);
  advance(31_000);
  await refresh();
  expect(h.soql()).toHaveLength(6);
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
  await open(h);
  h.bot.emulator!.setFaults({ unavailableRate: 1 });
  advance(6 * 60_000);
  const view = await open(h);
  const text = blockText(view.blocks);
  expect(text).toContain('As of 15 Jun 2026, 10:00 (UTC), the LMO is unreachable.');
  expect(text).toContain('next 30 days: 4 licenses');
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
