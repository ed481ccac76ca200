/**
 * License alerts through the real Bolt app (signed slash commands and button clicks), real jsforce reads of the
 * embedded LMO changed by jsforce writes, and the fake Slack: subscriptions per channel and package, one message per
 * event exactly once, bursts summarised, Details and Mute, and what Slack or the LMO failing does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { EVENT_KINDS } from '../../../src/lma/license-events.js';
import { openSqliteStore, STORE_FILE } from '../../../src/store/sqlite.js';
import { ask, blockText, CHANNEL, USER } from '../../support/harness.js';
import { ACCOUNTS, LEADS, LICENSE, lmoFixture, PACKAGES, upgradeTo } from '../../support/lmo-fixture.js';
import { pausedReplica } from '../../support/paused-source.js';
import { type AlertsHarness, startAlertsHarness } from './support.js';

// Each test starts a bot, an LMO and a Slack and makes jsforce writes: on a shared 2-core machine that is slow.
vi.setConfig({ testTimeout: 90_000 });

const SALES = 'C0SALES';
const open: AlertsHarness[] = [];
afterEach(async () => {
  for (const a of open.splice(0)) await a.close();
});
const start = async (o: Parameters<typeof startAlertsHarness>[0] = {}) => {
  const a = await startAlertsHarness(o);
  open.push(a);
  return a;
};
const licenses = (a: AlertsHarness) => a.lmo.sobject('sfLma__License__c');
/** A bot whose channel gets every alert, past the silent baseline read and a moment later. */
const subscribed = async (): Promise<AlertsHarness> => {
  const a = await start();
  await a.command('alerts on');
  await a.alerts.tick();
  a.tick();
  return a;
};
const texts = (a: AlertsHarness, channel = CHANNEL) => a.posts(channel).map((m) => m.text);

test('each event reaches only the channels subscribed to its kind and package, once', async () => {
  const a = await start();
  expect(await a.command('alerts on trial conversion uninstall')).toContain(
    'This channel now gets alerts for trial, conversion, uninstall for every package',
  );
  expect(await a.command('alerts on package:Scheduler', { channel: SALES })).toContain(
    'every event for package Scheduler',
  );
  // The first read is a silent baseline.
  expect(await a.alerts.tick()).toMatchObject({ read: true, events: 0 });
  expect(a.posts()).toEqual([]);

  a.tick();
  await licenses(a).create({
    sfLma__Status__c: 'Trial',
    sfLma__Lead__c: LEADS.umbrella,
    sfLma__Package__c: PACKAGES.scheduler,
    sfLma__Seats__c: 10,
    sfLma__Version_Number__c: '1.0.0',
    sfLma__Expiration__c: '2026-07-15',
  });
  await licenses(a).update({ Id: LICENSE(9), sfLma__Status__c: 'Active' }); // Initech converts (Invoicer)
  await licenses(a).update({ Id: LICENSE(3), sfLma__Seats__c: 40 }); // seats: nobody subscribed in CHANNEL
  await licenses(a).update({ Id: LICENSE(12), sfLma__Seats__c: 12, sfLma__Status__c: 'Active' }); // Scheduler
  a.tick();
  const before = a.apiCalls();
  await a.alerts.tick();
  expect(a.apiCalls() - before).toBe(1);

  // In the order of the changes (SystemModstamp, then Id).
  expect(texts(a)).toEqual([
    'Converted to paid after a 161-day trial: Initech (Invoicer 2.1.0)',
    'New trial: Umbrella Corporation (Scheduler Pro 1.0.0)',
  ]);
  expect(texts(a, SALES)).toEqual([
    'New install: Globex (Scheduler Pro 1.0.0)',
    'Seats changed: 10 → 12: Globex (Scheduler Pro 1.0.0)',
    'New trial: Umbrella Corporation (Scheduler Pro 1.0.0)',
  ]);
  const trial = blockText(a.posts()[1].blocks);
  expect(trial).toContain(':seedling: *New trial* — Umbrella Corporation');
  expect(trial).toContain('*Seats:* 0 of 10 used');
  expect(trial).toContain('*Expires:* Wed 15 Jul 2026 (in 30 days)');
  expect(trial).toContain('*Owner:* Bob Seller');
  expect(trial).toMatch(/License <http:\/\/127\.0\.0\.1:\d+\/lightning\/r\/sfLma__License__c\/a0L\w+\/view\|L-00014>/);

  // Nothing new: nothing posted again, one call.
  a.tick();
  const quiet = a.apiCalls();
  await a.alerts.tick();
  expect(a.apiCalls() - quiet).toBe(1);
  expect(a.posts()).toHaveLength(2);
  expect(a.posts(SALES)).toHaveLength(3);
});

test('/lma alerts lists what the channel gets and since when; off stops it; no subscription costs no call', async () => {
  const a = await start();
  expect(await a.command('alerts')).toContain('This channel gets no license alerts');
  await a.command('alerts on uninstalls');
  await a.command('alerts on seats package:Invoicer');
  const list = await a.command('alerts');
  expect(list).toContain('• uninstall for every package (since Mon 15 Jun 2026, set by <@U0ALICE>)');
  expect(list).toContain('• seats for package Invoicer');
  expect(await a.command('alerts off seats')).not.toContain('seats for package');
  expect(await a.command('alerts off')).toContain('This channel gets no more license alerts.');
  const before = a.apiCalls();
  await a.alerts.tick();
  expect(a.apiCalls()).toBe(before);
  expect(await a.command('alerts on refunds')).toMatch(
    /refunds. is not an alert event\. The events are trial, install/,
  );
});

test('`/lma alerts help` says how to subscribe, with commands for one of the org’s packages and every event; `/lma help` points to it', async () => {
  const a = await start({ env: { LMA_ADMIN_USERS: 'U0ADMIN' } });
  const { answer } = await ask(a.h, 'alerts help');
  const help = blockText(answer.blocks);
  const packages = a.h.bot.runtime.parseContext().packages ?? [];
  expect(['Invoicer', 'Scheduler Pro']).toContain(packages[0]);
  const pkg = packages[0] === 'Invoicer' ? 'package:Invoicer' : 'package:"Scheduler Pro"';
  for (const command of ['/lma alerts on`', '/lma alerts on trial conversion uninstall`', `/lma alerts on ${pkg}\``])
    expect(help).toContain(`\`${command}`);
  for (const kind of EVENT_KINDS) expect(help).toContain(`\`${kind}\``);
  expect(help).toContain('`/invite @LMA`');
  expect(help).toContain('Only the LMA admins (LMA_ADMIN_USERS) may change subscriptions.');
  expect(answer.text).toContain('/lma alerts off');
  expect(await a.command('alerts help me')).toMatch(/lma alerts help. takes nothing after it\./);
  expect(await a.command('alerts subscribe')).toMatch(/lma alerts help. shows how/);
  const { answer: general } = await ask(a.h, 'help');
  expect(blockText(general.blocks)).toContain('`/lma alerts help` shows how');
  expect(blockText(general.blocks)).toContain('/lma alerts [on|off|help] [events…] [package:Name]');
});

test('the bot must be in the channel; LMA_ADMIN_USERS may change subscriptions, everyone may list them', async () => {
  const a = await start({ env: { LMA_ADMIN_USERS: 'U0ADMIN' } });
  a.h.slack.channel(SALES)!.members = [USER, 'U0ADMIN'];
  expect(await a.command('alerts on')).toContain('Only LMA admins can change alert subscriptions');
  expect(await a.command('alerts on', { channel: SALES, user: 'U0ADMIN' })).toContain('Invite me with `/invite @LMA`');
  expect(await a.command('alerts on', { user: 'U0ADMIN' })).toContain('This channel now gets alerts');
  expect(await a.command('alerts')).toContain('every event for every package');
});

test('Details answers the customer’s status in the alert’s thread; Mute stops alerts about that customer here, Unmute in `/lma alerts` undoes it', async () => {
  const a = await subscribed();
  await licenses(a).update({ Id: LICENSE(1), sfLma__Status__c: 'Suspended' });
  a.tick();
  await a.alerts.tick();
  const [alert] = a.posts();
  expect(alert.text).toBe('Suspended: Acme Corporation (Invoicer 2.1.0)');
  await a.h.driver.click(alert, 'lma_alert_details', { user: USER, channel: CHANNEL });
  const reply = await a.h.slack.waitFor(() => a.h.slack.thread(CHANNEL, alert.ts).find((m) => m.ts !== alert.ts));
  expect(blockText(reply.blocks)).toContain('Acme Corporation');

  const { responseUrl } = await a.h.driver.click(alert, 'lma_alert_mute', { user: USER, channel: CHANNEL });
  const [muted] = await a.h.driver.responses(responseUrl, 1, 10_000);
  expect((muted.body as { text: string }).text).toBe(
    'No more alerts about Acme Corporation in this channel. `/lma alerts` lists the muted customers, with Unmute.',
  );
  a.tick();
  await licenses(a).update({ Id: LICENSE(1), sfLma__Status__c: 'Active' }); // Acme: muted
  await licenses(a).update({ Id: LICENSE(7), ...upgradeTo(PACKAGES.invoicer, '2.2.0') }); // Stark: not muted
  a.tick();
  await a.alerts.tick();
  expect(texts(a)).toEqual([
    'Suspended: Acme Corporation (Invoicer 2.1.0)',
    'Upgraded: 2.0.0 → 2.2.0: Stark Industries (Invoicer 2.2.0)',
  ]);
  expect(await a.command('alerts')).toContain('1 customer muted here.');

  const ack = await a.h.driver.command('alerts', { user: USER, channel: CHANNEL });
  const [list] = await a.h.driver.responses(ack.responseUrl, 1, 10_000);
  const listed = list.body as { blocks: unknown[] };
  expect(blockText(listed.blocks)).toMatch(/:mute: \*Acme Corporation\* muted .+ by <@U/);
  const unmute = await a.h.driver.click({ blocks: listed.blocks, ephemeral: true }, 'lma_alert_unmute', {
    user: USER,
    channel: CHANNEL,
  });
  const [unmuted] = await a.h.driver.responses(unmute.responseUrl, 1, 10_000);
  expect((unmuted.body as { text: string }).text).toBe(
    'Alerts about this customer are posted here again, from the next change on.',
  );
  expect(await a.command('alerts')).not.toContain('muted here');
  a.tick();
  await licenses(a).update({ Id: LICENSE(1), sfLma__Status__c: 'Suspended' }); // Acme: unmuted
  a.tick();
  await a.alerts.tick();
  expect(texts(a).at(-1)).toBe('Suspended: Acme Corporation (Invoicer 2.1.0)');
  expect(texts(a)).toHaveLength(3);
});

test('more than ten events at once for a channel become one summary, the list in its thread', async () => {
  const a = await subscribed();
  for (let i = 0; i < 12; i++) {
    await licenses(a).create({
      sfLma__Status__c: 'Trial',
      sfLma__Lead__c: LEADS.initech,
      sfLma__Package__c: PACKAGES.invoicer,
    });
  }
  await licenses(a).update({ Id: LICENSE(4), sfLma__Status__c: 'Uninstalled' });
  a.tick();
  await a.alerts.tick();
  const posts = a.posts();
  expect(posts.map((p) => p.text)).toEqual(['13 license changes at once: 12 new trials, 1 uninstall']);
  const thread = a.h.slack.thread(CHANNEL, posts[0].ts).filter((m) => m.ts !== posts[0].ts);
  expect(thread).toHaveLength(1);
  expect(thread[0].text.split('\n')).toHaveLength(13);
  expect(thread[0].text).toContain('Uninstalled after 161 days paid, 100 seats lost — Globex (Invoicer)');
  // A quiet read after it posts nothing more.
  a.tick();
  await a.alerts.tick();
  expect(a.posts()).toHaveLength(1);
});

test('Slack rate limits are waited out as Retry-After says; a channel the bot left is suspended, with a note', async () => {
  const a = await start();
  await a.command('alerts on');
  await a.command('alerts on', { channel: SALES });
  await a.alerts.tick();
  a.tick();
  await licenses(a).update({ Id: LICENSE(13), sfLma__Status__c: 'Active' });
  a.tick();
  a.h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 7 });
  // Someone removed the bot from #sales.
  a.h.slack.channel(SALES)!.members = [USER];
  await a.alerts.tick();
  // CHANNEL's post waited 7 s and went out; SALES answered not_in_channel.
  expect(a.sleeps).toContain(7000);
  expect(texts(a)).toEqual(['Reactivated: Stark Industries (Invoicer 2.1.0)']);
  expect(a.posts(SALES)).toEqual([]);
  expect(a.h.logs.some((l) => l.includes(`Alerts to ${SALES} suspended`))).toBe(true);
  expect(await a.command('alerts', { channel: SALES })).toContain(':warning: Suspended');
  // Suspended: later events do not go there; subscribing again resumes it.
  a.tick();
  await licenses(a).update({ Id: LICENSE(13), sfLma__Status__c: 'Suspended' });
  a.tick();
  await a.alerts.tick();
  expect(a.posts(SALES)).toEqual([]);
  expect(texts(a)).toHaveLength(2);
});

test('LMO 503s during a read delay the alerts and lose none', async () => {
  const a = await subscribed();
  await licenses(a).update({ Id: LICENSE(2), sfLma__Status__c: 'Active' });
  a.h.bot.emulator!.setFaults({ unavailableRate: 1 });
  a.tick();
  expect(await a.alerts.tick()).toMatchObject({ read: false });
  expect(a.posts()).toEqual([]);
  expect(a.h.logs.some((l) => l.includes('alerts are delayed, none lost'))).toBe(true);
  a.h.bot.emulator!.setFaults({});
  a.tick();
  await a.alerts.tick();
  expect(texts(a)).toEqual(['Converted to paid after a 161-day trial: Acme Corporation (Scheduler Pro 1.0.0)']);
});

test('while another replica reads the change feed (its digest), the poller skips its read, quietly, and still posts what that read committed', async () => {
  const a = await subscribed();
  await licenses(a).update({ Id: LICENSE(2), sfLma__Status__c: 'Active' });
  a.tick();
  const other = pausedReplica(a.h.bot.runtime);
  const reading = other.feed.read('another replica');
  await other.paused; // its one page is committed; it still holds the feed's lease
  const [calls, logs] = [a.apiCalls(), a.h.logs.length];
  expect(await a.alerts.tick()).toMatchObject({ read: false, events: 0, flushed: { posted: 1 } });
  expect(a.apiCalls()).toBe(calls);
  expect(texts(a)).toEqual(['Converted to paid after a 161-day trial: Acme Corporation (Scheduler Pro 1.0.0)']);
  expect(a.h.logs.slice(logs).filter((line) => /warn|error/i.test(line))).toEqual([]);
  other.resume();
  expect(await reading).toMatchObject({ busy: false, events: 1 });
  a.tick();
  expect(await a.alerts.tick()).toMatchObject({ read: true, events: 0, flushed: { posted: 0 } });
});

test('ALERT_CHANNEL subscribes channels to everything at start-up', async () => {
  const data = lmoFixture();
  const a = await start({ env: { ALERT_CHANNEL: SALES }, data });
  expect(await a.command('alerts', { channel: SALES })).toContain('every event for every package');
  expect(await a.command('alerts', { channel: SALES })).toContain('set by ALERT_CHANNEL');
  void ACCOUNTS;
});

test('two replicas on one store: only the poll lease holder reads the LMO, each alert posts once, a dead holder is replaced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-alerts-replicas-'));
  try {
    const file = join(dir, STORE_FILE);
    const a = await start({ store: openSqliteStore(file) });
    const b = await start({ store: openSqliteStore(file) });
    await a.command('alerts on');
    expect(await a.alerts.tick()).toMatchObject({ read: true, events: 0 }); // the baseline, by the lease holder
    expect(await b.alerts.tick()).toMatchObject({ read: false });

    a.tick();
    b.tick();
    await licenses(a).update({ Id: LICENSE(9), sfLma__Status__c: 'Active' });
    await licenses(a).update({ Id: LICENSE(3), sfLma__Seats__c: 40 });
    a.tick();
    b.tick();
    const [readA, readB] = await Promise.all([a.alerts.tick(), b.alerts.tick()]);
    expect([readA.read, readB.read]).toEqual([true, false]);
    expect(readA.events).toBe(2);
    // Both replicas flushed the one outbox: each alert is in Slack once, whichever replica posted it.
    const posted = [...texts(a), ...texts(b)];
    expect(posted).toHaveLength(2);
    expect(new Set(posted).size).toBe(2);

    // A stops renewing (it died): once its lease (3 poll intervals) runs out, B reads, and A no longer does.
    b.tick(3 * 60 + 1);
    expect(await b.alerts.tick()).toMatchObject({ read: true });
    a.tick(3 * 60 + 1);
    expect(await a.alerts.tick()).toMatchObject({ read: false });
    // B stops cleanly: it gives the lease up, and A reads at its next tick without waiting.
    await open.splice(open.indexOf(b), 1)[0].close();
    a.tick();
    expect(await a.alerts.tick()).toMatchObject({ read: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
