import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SObjectRecord } from '@lma-bot/lmo-emulator';
import { Connection } from 'jsforce';
import { afterEach, describe, expect, test } from 'vitest';
import type { StartContext } from '../../../src/app/runtime.js';
import { alertsFeature } from '../../../src/features/alerts/feature.js';
import { digestFeature } from '../../../src/features/digest/feature.js';
import { EVENT_KINDS } from '../../../src/lma/license-events.js';
import type { SlackPoster } from '../../../src/slack/posting.js';
import { STORE_FILE } from '../../../src/store/sqlite.js';
import { eventually } from '../../support/eventually.js';
import { ask, blockText, CHANNEL, type Harness, startHarness } from '../../support/harness.js';
import { ACCOUNTS, LEADS, LICENSE, lmoFixture, PACKAGES } from '../../support/lmo-fixture.js';
import { pausedReplica } from '../../support/paused-source.js';
import { type DigestHarness, startDigestHarness } from './support.js';

const open: { close(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const digest = async (options: Parameters<typeof startDigestHarness>[0]): Promise<DigestHarness> => {
  const d = await startDigestHarness(options);
  open.push(d);
  return d;
};
const storeFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lma-digest-'));
  dirs.push(dir);
  return join(dir, STORE_FILE);
};
const textOf = (d: DigestHarness, i = 0) => blockText(d.posts()[i]?.blocks);
/** API calls the LMO answered (queries, describes), as Salesforce counts them. */
const apiCalls = (h: Harness) => h.bot.emulator!.log.filter((e) => e.path.startsWith('/services/data/v')).length;

const extraLicense = (n: number, fields: Partial<SObjectRecord>): SObjectRecord => ({
  Id: LICENSE(n),
  Name: `L-${String(n).padStart(5, '0')}`,
  CreatedDate: '2026-01-05T09:00:00.000Z',
  LastModifiedDate: '2026-06-01T09:00:00.000Z',
  sfLma__Status__c: 'Active',
  sfLma__Expiration__c: '2026-06-25',
  sfLma__Seats__c: 10,
  sfLma__Used_Licenses__c: 1,
  sfLma__Subscriber_Org_Is_Sandbox__c: false,
  sfLma__Package__c: PACKAGES.invoicer,
  sfLma__Account__c: ACCOUNTS.stark,
  ...fields,
});

describe('content for the fixture (today 2026-06-15, UTC)', () => {
  test('every section: renewals with urgency, seats and per-package headings, trials ending, first-run note, links', async () => {
    const d = await digest({ now: '2026-06-15T10:00:00Z' });
    expect(d.posts()).toHaveLength(1);
    const text = textOf(d);
    expect(text).toContain('LMA digest · Mon 15 Jun 2026');
    expect(text).toContain('4 paid licenses, *73 seats + 1 site license* up for renewal, *2 urgent*');
    // Day 0 and day 30 are in the window, day 31 (Globex Invoicer) and the sandbox are not.
    expect(text).toMatch(
      /:rotating_light: \*<[^|]+a0L000000000001AAA\/view\|Acme Corporation>\* · Invoicer · 50 seats · owner Ann Owner · expires Mon 15 Jun 2026 \(today\)/,
    );
    expect(text).toContain(
      'Acme Labs>* · Invoicer · 20 seats · owner Bob Seller · expires Wed 15 Jul 2026 (in 30 days)',
    );
    expect(text).not.toContain('a0L000000000004AAA');
    expect(text).not.toContain('a0L000000000005AAA');
    expect(text).toMatch(/\*Invoicer\*\n[\s\S]*\*Scheduler Pro\*\n:rotating_light: .*Globex.* · site license/);
    // Trials: Initech tomorrow; Acme's trial (day 10) is outside 7 days; Umbrella's expired one is not "ending".
    expect(text).toContain('*Trials ending in the next 7 days* — 1 trial.');
    expect(text).toContain('Initech>* · Invoicer · trial ends Tue 16 Jun 2026 (tomorrow)');
    expect(text).not.toContain('Umbrella');
    expect(text).toContain('this is the first digest: changes');
    // The hostile customer name is shown as text, never as a mention or a link of its own.
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(d.posts()[0].text).toMatch(
      /^LMA digest for Mon 15 Jun 2026: 4 renewals in the next 30 days \(73 seats, 2 urgent\)/,
    );
  });

  test('window boundaries: day N is in, day N + 1 is out, for renewals and trials', async () => {
    const d = await digest({ now: '2026-06-15T10:00:00Z', env: { DIGEST_DAYS: '31', DIGEST_TRIAL_DAYS: '10' } });
    const text = textOf(d);
    expect(text).toContain('5 paid licenses');
    expect(text).toContain('a0L000000000004AAA'); // day 31
    expect(text).toContain('*Trials ending in the next 10 days* — 2 trials.'); // Acme's trial on day 10
    const narrow = await digest({ now: '2026-06-15T10:00:00Z', env: { DIGEST_DAYS: '29', DIGEST_TRIAL_DAYS: '9' } });
    expect(textOf(narrow)).toContain('3 paid licenses');
    expect(textOf(narrow)).not.toContain('Acme Labs'); // day 30
    expect(textOf(narrow)).toContain('— 1 trial.');
  });

  test('the day is the digest zone’s: just after midnight in Auckland it is already 16 June there', async () => {
    const d = await digest({
      now: '2026-06-15T12:30:00Z',
      env: { DIGEST_TIMEZONE: 'Pacific/Auckland', DIGEST_CRON: '0 0 * * *' },
    });
    const text = textOf(d);
    expect(text).toContain('LMA digest · Tue 16 Jun 2026');
    expect(text).not.toContain('Acme Corporation>'); // expired on the 15th: no longer up for renewal
    expect(text).toContain('trial ends Tue 16 Jun 2026 (today)');
    expect(text).toContain('read 16 Jun 2026, 00:30 (Pacific/Auckland)');
  });

  test('on the day of a DST change the slot follows the zone: 09:30 EDT has passed 09:00 (a fixed EST offset would say 08:30)', async () => {
    const d = await digest({
      now: '2026-03-08T13:30:00Z',
      env: { DIGEST_TIMEZONE: 'America/New_York', DIGEST_CRON: '0 9 * * *' },
    });
    expect(d.posts()).toHaveLength(1);
    expect(textOf(d)).toContain('LMA digest · Sun 8 Mar 2026');
    expect(textOf(d)).toContain('due at 09:00 (America/New_York)');
    const before = await digest({
      now: '2026-03-08T12:30:00Z',
      env: { DIGEST_TIMEZONE: 'America/New_York', DIGEST_CRON: '0 9 * * *' },
    });
    expect(before.posts()).toHaveLength(0);
  });

  test('all clear: a short line with the counts, not silence', async () => {
    const data = lmoFixture();
    data.sfLma__License__c = data.sfLma__License__c.filter(
      (l) => !['Active', 'Trial'].includes(String(l.sfLma__Status__c)),
    );
    const d = await digest({ now: '2026-06-15T10:00:00Z', data });
    expect(d.posts()).toHaveLength(1);
    expect(textOf(d)).toContain(
      ':white_check_mark: *All clear.* 0 paid licenses up for renewal in the next 30 days, 0 trials ending in the next 7 days',
    );
    expect(d.posts()[0].text).toContain('all clear');
  });

  test('long sections are cut with "and N more" and the full counts; the rest goes in the digest’s thread', async () => {
    const data = lmoFixture();
    for (let n = 100; n < 108; n++)
      data.sfLma__License__c.push(extraLicense(n, { sfLma__Expiration__c: '2026-06-25' }));
    const d = await digest({ now: '2026-06-15T10:00:00Z', data });
    const [post] = d.posts();
    expect(blockText(post.blocks)).toContain('…and 7 more (12 in all): see the thread.');
    const thread = d.h.slack.thread(CHANNEL, post.ts).filter((m) => m.thread_ts === post.ts && m.ts !== post.ts);
    expect(thread).toHaveLength(1);
    expect(blockText(thread[0].blocks)).toContain('Renewals in the next 30 days');
    expect(blockText(thread[0].blocks).match(/expires/g)).toHaveLength(7);
    expect(await d.h.bot.runtime.store.threads.kind(CHANNEL, post.ts)).toBe('digest');
  });

  test('a first digest costs 2 Salesforce calls: renewals, their urgent count and trials together, and the change feed’s first read (its baseline: the watermark, and whether the org tracks field history)', async () => {
    const d = await digest({ now: '2026-06-15T08:00:00Z' });
    const start = d.h.bot.emulator!.log.length;
    d.setNow('2026-06-15T09:00:00Z');
    await d.feature.tick();
    expect(d.posts()).toHaveLength(1);
    const what = (soql?: string) =>
      soql?.match(/sfLma__Status__c = '\w+'|ORDER BY SystemModstamp DESC LIMIT 1|FROM sfLma__License__History/)?.[0];
    // Each call: the queries it carries (a composite call carries several).
    const calls = d.h.bot
      .emulator!.log.slice(start)
      .map((e) => (e.subrequests ?? [e]).map((q) => what(q.soql) ?? e.path).join(' + '));
    expect(calls.sort()).toEqual([
      'ORDER BY SystemModstamp DESC LIMIT 1 + FROM sfLma__License__History',
      // The renewals' list (its rows and one more), their count, their per-seat aggregate and their urgent count, the
      // trials' list.
      "sfLma__Status__c = 'Active' + sfLma__Status__c = 'Active' + sfLma__Status__c = 'Active' + sfLma__Status__c = 'Active' + sfLma__Status__c = 'Trial'",
    ]);
  });
});

describe('what changed since the last digest', () => {
  /** jsforce on the embedded LMO, writing as a person or the LMA would; the LMO stamps writes with the bot's clock. */
  const writer = (d: DigestHarness) => {
    const emulator = d.h.bot.emulator!;
    const lmo = new Connection({ instanceUrl: emulator.url, accessToken: emulator.accessToken, version: '62.0' });
    return lmo.sobject('sfLma__License__c');
  };

  test('from the change feed: conversions, uninstalls, suspensions, seat changes and new trial installs, with names, once', async () => {
    const d = await digest({ now: '2026-06-10T10:00:00Z' });
    expect(textOf(d)).toContain('this is the first digest: changes');
    d.setNow('2026-06-12T09:00:00Z');
    const licenses = writer(d);
    await licenses.update({ Id: LICENSE(9), sfLma__Status__c: 'Active' }); // Initech converts
    await licenses.update({ Id: LICENSE(11), sfLma__Status__c: 'Uninstalled' });
    await licenses.update({ Id: LICENSE(2), sfLma__Status__c: 'Suspended' });
    await licenses.update({ Id: LICENSE(3), sfLma__Seats__c: 30 });
    await licenses.update({ Id: LICENSE(7), sfLma__Used_Licenses__c: 4 }); // modified, but nothing the digest reports
    await licenses.create({
      sfLma__Status__c: 'Trial',
      sfLma__Lead__c: LEADS.umbrella,
      sfLma__Package__c: PACKAGES.invoicer,
    });
    d.setNow('2026-06-15T10:00:00Z');
    d.h.resetLog();
    const before = apiCalls(d.h);
    await d.feature.tick();
    expect(apiCalls(d.h) - before).toBeLessThanOrEqual(5);
    expect(d.h.soql().filter((q) => q.includes('WHERE SystemModstamp >='))).toHaveLength(1);
    // No history query of the digest's own: the feed's, beside its changes (the licenses the baseline did not store).
    expect(d.h.soql().filter((q) => q.includes('History'))).toEqual([expect.stringMatching(/^SELECT ParentId, Field/)]);
    const text = textOf(d, 1);
    expect(text).toContain(
      '*Since the last digest* (10 Jun 2026, 10:00 (UTC)) — 1 new trial install · 1 conversion to paid · 1 uninstall · 1 suspension · 1 seat change',
    );
    expect(text).toMatch(/\*Conversion to paid\*: <[^|]+\|Initech> \(Invoicer\)/);
    expect(text).toMatch(/\*Uninstall\*: <[^|]+\|&lt;!channel&gt;/);
    expect(text).toMatch(/\*Suspension\*: <[^|]+\|Acme Corporation> \(Scheduler Pro\)/);
    expect(text).toMatch(/\*Seat change\*: <[^|]+\|Acme Labs> \(Invoicer\): 20 seats → 30 seats/);
    expect(text).toMatch(/\*New trial install\*: <[^|]+\|Umbrella Corporation> \(Invoicer\)/);
    // The digest's place in the feed moved: the same changes are not reported again the day after.
    d.setNow('2026-06-16T10:00:00Z');
    await d.feature.tick();
    expect(textOf(d, 2)).toContain('no installs, conversions, uninstalls, suspensions or seat changes');
  });

  test('a seat count changed and changed back between two digests is no change; two changes show first → last', async () => {
    const d = await digest({ now: '2026-06-10T10:00:00Z' });
    const licenses = writer(d);
    d.setNow('2026-06-11T09:00:00Z');
    await licenses.update({ Id: LICENSE(3), sfLma__Seats__c: 30 });
    await licenses.update({ Id: LICENSE(7), sfLma__Seats__c: 8 });
    await d.feature.tick(); // the 11th's digest: both changes
    d.setNow('2026-06-12T08:00:00Z');
    await licenses.update({ Id: LICENSE(3), sfLma__Seats__c: 20 });
    await licenses.update({ Id: LICENSE(7), sfLma__Seats__c: 9 });
    d.setNow('2026-06-12T08:30:00Z');
    await ask(d.h, 'digest'); // a preview reads the feed in between: the seats event of each change is kept
    d.setNow('2026-06-12T08:45:00Z');
    await licenses.update({ Id: LICENSE(3), sfLma__Seats__c: 30 });
    await licenses.update({ Id: LICENSE(7), sfLma__Seats__c: 12 });
    d.setNow('2026-06-12T09:00:00Z');
    await d.feature.tick();
    const text = textOf(d, 2);
    expect(text).toContain('0 suspensions · 1 seat change');
    expect(text).toMatch(/\*Seat change\*: <[^|]+\|Stark Industries> \(Invoicer\): 8 seats → 12 seats/);
    expect(text).not.toContain('Acme Labs');
  });

  test('a preview does not move the digest’s place in the feed', async () => {
    const d = await digest({ now: '2026-06-10T10:00:00Z' });
    d.setNow('2026-06-12T09:00:00Z');
    await writer(d).update({ Id: LICENSE(3), sfLma__Seats__c: 30 });
    d.setNow('2026-06-15T08:00:00Z');
    const preview = await ask(d.h, 'digest');
    expect(blockText(preview.answer.blocks)).toContain('1 seat change');
    d.setNow('2026-06-15T09:00:00Z');
    await d.feature.tick();
    expect(textOf(d, 1)).toContain('1 seat change');
  });

  test('a digest composed while another replica reads the feed still posts, with the changes that read committed so far; the next digest has the rest', async () => {
    const d = await digest({ now: '2026-06-10T10:00:00Z' });
    d.setNow('2026-06-11T09:00:00Z');
    await writer(d).update({ Id: LICENSE(9), sfLma__Status__c: 'Active' }); // Initech converts: on the read's first page
    // 2,100 licenses edited in no way the digest reports fill that page and start the next.
    const edited = '2026-06-12T09:00:00.000Z';
    for (let n = 1000; n < 3100; n++) {
      const fields = { LastModifiedDate: edited, SystemModstamp: edited, sfLma__Expiration__c: '2027-06-25' };
      d.h.bot.emulator!.org.insert('sfLma__License__c', extraLicense(n, fields));
    }
    d.setNow('2026-06-13T09:00:00Z');
    await writer(d).update({ Id: LICENSE(3), sfLma__Seats__c: 30 }); // Acme Labs buys seats: on its second page
    // The other replica reads as the digest composes (its lease runs FEED_LEASE_MS from now).
    d.setNow('2026-06-15T09:00:00Z');
    const other = pausedReplica(d.runtime);
    const reading = other.feed.read('replica B');
    await other.paused;
    await d.feature.tick();
    expect(textOf(d, 1)).toMatch(/\*Conversion to paid\*: <[^|]+\|Initech>/);
    expect(textOf(d, 1)).not.toMatch(/\*Seat change\*/);
    other.resume();
    expect(await reading).toMatchObject({ busy: false, pages: 2 });
    d.setNow('2026-06-16T09:00:00Z');
    await d.feature.tick();
    expect(textOf(d, 2)).toMatch(/\*Seat change\*: <[^|]+\|Acme Labs> \(Invoicer\): 20 seats → 30 seats/);
    expect(textOf(d, 2)).not.toMatch(/\*Conversion to paid\*/);
  });

  test('the digest reports the changes the alerts posted: one feed, read by both', async () => {
    const d = await digest({ now: '2026-06-10T10:00:00Z' });
    await d.runtime.store.alerts.subscribe('C0SALES', [...EVENT_KINDS], null, 'U0ALICE', d.runtime.clock());
    const alerts = alertsFeature(d.runtime, { scheduler: false });
    await alerts.start(d.h.bot.app);
    open.unshift({ close: () => alerts.stop() });
    d.setNow('2026-06-10T10:01:00Z');
    // The poller reads on from where the digest's first read (the baseline) left the feed: no baseline of its own.
    expect(await alerts.tick()).toMatchObject({ read: true, events: 0 });
    d.setNow('2026-06-12T09:00:00Z');
    await writer(d).update({ Id: LICENSE(9), sfLma__Status__c: 'Active' });
    d.setNow('2026-06-12T09:01:00Z');
    const before = apiCalls(d.h);
    expect(await alerts.tick()).toMatchObject({ read: true, events: 1, flushed: { posted: 1 } });
    expect(apiCalls(d.h) - before).toBe(1);
    expect(blockText(d.posts('C0SALES')[0].blocks)).toContain('Initech');
    d.setNow('2026-06-15T09:00:00Z');
    await d.feature.tick();
    expect(textOf(d, 1)).toContain('1 conversion to paid · 0 uninstalls · 0 suspensions · 0 seat changes');
    expect(textOf(d, 1)).toMatch(/\*Conversion to paid\*: <[^|]+\|Initech>/);
  });
});

describe('exactly once per day and channel', () => {
  test('two bot processes sharing one store file: one posts, the other posts nothing', async () => {
    const file = storeFile();
    const a = await digest({ now: '2026-06-15T08:00:00Z', storePath: file });
    const b = await digest({ now: '2026-06-15T08:00:00Z', storePath: file });
    a.setNow('2026-06-15T09:00:00Z');
    b.setNow('2026-06-15T09:00:00Z');
    const [ra, rb] = await Promise.all([a.feature.tick(), b.feature.tick()]);
    expect(a.posts().length + b.posts().length).toBe(1);
    // The loser saw the winner's claim (still posting, or done): either way it posted nothing.
    const results = [ra[0].result, rb[0].result];
    expect(results.filter((r) => r === 'posted')).toHaveLength(1);
    expect(results.filter((r) => r === 'already_posted' || r === 'in_progress')).toHaveLength(1);
    expect((await a.h.bot.runtime.store.digest.entry('2026-06-15', CHANNEL))?.state).toBe('posted');
  });

  test('a restart the same day posts nothing new; the next day posts again', async () => {
    const file = storeFile();
    const first = await digest({ now: '2026-06-15T10:00:00Z', storePath: file });
    expect(first.posts()).toHaveLength(1);
    await first.close();
    open.splice(open.indexOf(first), 1);
    const again = await digest({ now: '2026-06-15T11:00:00Z', storePath: file });
    expect(again.posts()).toHaveLength(0);
    expect(again.h.logs.some((l) => l.includes('catch-up'))).toBe(false);
    const [result] = await again.feature.tick();
    expect(result.result).toBe('already_posted');
    again.setNow('2026-06-16T09:00:00Z');
    await again.feature.tick();
    expect(again.posts()).toHaveLength(1);
    expect(textOf(again)).toContain('Tue 16 Jun 2026');
    expect(textOf(again)).not.toContain('Posted late');
  });

  test('catch-up after downtime: started after the slot, it posts at once and says it is late; before the slot it waits', async () => {
    const late = await digest({ now: '2026-06-15T14:00:00Z' });
    expect(late.posts()).toHaveLength(1);
    expect(textOf(late)).toContain('Posted late: this digest was due at 09:00 (UTC)');
    const early = await digest({ now: '2026-06-15T08:59:00Z' });
    expect(early.posts()).toHaveLength(0);
    early.setNow('2026-06-15T09:00:00Z');
    await early.feature.tick();
    expect(early.posts()).toHaveLength(1);
    expect(textOf(early)).not.toContain('Posted late');
    const weekend = await digest({ now: '2026-06-20T14:00:00Z' });
    expect(weekend.posts()).toHaveLength(0);
  });

  test('a replica posting slowly renews its claim (DIGEST_LEASE_MS): another one past the lease still waits, no second post', async () => {
    const file = storeFile();
    const LEASE_MS = 1_000;
    const env = { DIGEST_LEASE_MS: String(LEASE_MS) };
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowPoster = (app: StartContext): SlackPoster => ({
      async post(message) {
        await held;
        return String((await app.client.chat.postMessage(message)).ts);
      },
    });
    const a = await digest({ now: '2026-06-15T08:00:00Z', storePath: file, env, feature: { poster: slowPoster } });
    const waits: number[] = [];
    const b = await digest({
      now: '2026-06-15T08:00:00Z',
      storePath: file,
      env,
      feature: { maxAttempts: 2, sleep: async (ms) => void waits.push(ms) },
    });
    a.setNow('2026-06-15T09:00:00Z');
    const posting = a.feature.tick();
    const ledger = a.h.bot.runtime.store.digest;
    await eventually(async () => (await ledger.entry('2026-06-15', CHANNEL))?.state === 'claimed', 'A’s claim');
    // A's Slack call outlives the lease; its renewals (at a third of the lease) carry A's clock along.
    a.setNow('2026-06-15T09:10:00Z');
    await eventually(
      async () => (await ledger.entry('2026-06-15', CHANNEL))?.heartbeat === '2026-06-15T09:10:00.000Z',
      'A’s claim renewed',
    );
    b.setNow(new Date(Date.parse('2026-06-15T09:10:00Z') + LEASE_MS / 2));
    const [waited] = await b.feature.tick();
    expect(waited.result).toBe('in_progress');
    // B waited one lease between its two tries, then gave the slot back to its holder.
    expect(waits).toEqual([LEASE_MS]);
    release();
    expect((await posting)[0].result).toBe('posted');
    expect(a.posts().length).toBe(1);
  });

  test('a part-posted digest (message up, thread reply failed) is finished, not repeated', async () => {
    const data = lmoFixture();
    for (let n = 100; n < 108; n++) data.sfLma__License__c.push(extraLicense(n, {}));
    const failingThread = (app: StartContext): SlackPoster => ({
      async post(message) {
        if (message.thread_ts) throw Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' });
        const r = await app.client.chat.postMessage(message);
        return String(r.ts);
      },
    });
    const d = await digest({ now: '2026-06-15T10:00:00Z', data, feature: { poster: failingThread, maxAttempts: 2 } });
    expect(d.posts()).toHaveLength(1);
    const ledger = d.h.bot.runtime.store.digest;
    expect(await ledger.entry('2026-06-15', CHANNEL)).toMatchObject({ state: 'failed', ts: d.posts()[0].ts });
    // The bot restarts (same store): the catch-up finishes the thread instead of posting again.
    const restarted = digestFeature(d.runtime, { scheduler: false, sleep: async () => undefined });
    await restarted.start(d.h.bot.app);
    await restarted.idle();
    await restarted.stop();
    expect(d.posts()).toHaveLength(1);
    const replies = d.h.slack
      .thread(CHANNEL, d.posts()[0].ts)
      .filter((m) => m.thread_ts === d.posts()[0].ts && m.ts !== d.posts()[0].ts);
    expect(replies).toHaveLength(1);
    expect((await ledger.entry('2026-06-15', CHANNEL))?.state).toBe('posted');
  });
});

describe('failures', () => {
  test('a 429 with Retry-After is retried after the time Slack asks for, then posted once', async () => {
    const waits: number[] = [];
    const d = await digest({
      now: '2026-06-15T10:00:00Z',
      feature: { sleep: async (ms) => void waits.push(ms) },
      beforeStart: (h) => h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 0 }, 2),
    });
    expect(d.posts()).toHaveLength(1);
    expect(d.h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(3);
    expect(waits).toEqual([0, 0]);
    const d2 = await digest({
      now: '2026-06-15T10:00:00Z',
      feature: { sleep: async (ms) => void waits.push(ms) },
      beforeStart: (h) => h.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 7 }, 1),
    });
    expect(d2.posts()).toHaveLength(1);
    expect(waits.at(-1)).toBe(7000);
  });

  test('an unknown channel is logged with the fix, not retried, and other channels still get the digest', async () => {
    const waits: number[] = [];
    const d = await digest({
      now: '2026-06-15T10:00:00Z',
      channels: ['C0NOSUCH', CHANNEL],
      feature: { sleep: async (ms) => void waits.push(ms) },
    });
    expect(d.posts()).toHaveLength(1);
    expect(waits).toEqual([]);
    const line = d.h.logs.find((l) => l.includes('could not be posted to C0NOSUCH'));
    expect(line).toContain('channel_not_found');
    expect(line).toContain('/invite @LMA Bot');
  });

  test('bot not in the channel: logged with "/invite @LMA Bot"; the next day is unaffected', async () => {
    const d = await digest({
      now: '2026-06-15T10:00:00Z',
      beforeStart: (h) => h.slack.failNext('chat.postMessage', { error: 'not_in_channel' }, 1),
    });
    expect(d.posts()).toHaveLength(0);
    expect(
      d.h.logs.some(
        (l) => l.includes('not_in_channel') && l.includes('Invite the bot to C0GENERAL with /invite @LMA Bot'),
      ),
    ).toBe(true);
    d.setNow('2026-06-16T09:00:00Z');
    const [result] = await d.feature.tick();
    expect(result.result).toBe('posted');
    expect(d.posts()).toHaveLength(1);
  });

  test('LMO down: retried with backoff, then posted when it answers', async () => {
    const waits: number[] = [];
    const d = await digest({ now: '2026-06-15T08:00:00Z', feature: { sleep: async (ms) => void waits.push(ms) } });
    d.h.bot.emulator!.setFaults({ unavailableRate: 1 });
    d.setNow('2026-06-15T09:00:00Z');
    const sleepThenHeal = d.feature.tick();
    await d.h.slack.waitFor(() => waits.length >= 1, 10_000);
    d.h.bot.emulator!.setFaults({});
    const [result] = await sleepThenHeal;
    expect(result.result).toBe('posted');
    expect(waits[0]).toBe(30_000);
  });
});

describe('slash commands and help', () => {
  const withChannel = async (now: string): Promise<Harness> => {
    const h = await startHarness({ now: new Date(now), env: { DIGEST_CHANNEL: CHANNEL } });
    open.push(h);
    return h;
  };
  const channelPosts = (h: Harness) =>
    h.slack.messages(CHANNEL).filter((m) => m.bot_id && !m.thread_ts && !m.ephemeralTo);

  test('/lma digest previews today’s digest to the caller only', async () => {
    const h = await withChannel('2026-06-15T08:00:00Z');
    const { answer } = await ask(h, 'digest');
    expect(answer.response_type).toBe('ephemeral');
    const text = blockText(answer.blocks);
    expect(text).toContain('Preview, only you can see it');
    expect(text).toContain('Next digest: 15 Jun 2026, 09:00 (UTC)');
    expect(text).toContain('4 paid licenses');
    expect(channelPosts(h)).toHaveLength(0);
  });

  test('/lma digest post posts once; a second manual run says it was already posted', async () => {
    const h = await withChannel('2026-06-15T08:00:00Z');
    const first = await ask(h, 'digest post');
    expect(blockText(first.answer.blocks)).toContain('Posted today’s digest to <#C0GENERAL>');
    const second = await ask(h, 'digest post');
    expect(blockText(second.answer.blocks)).toContain('already posted to <#C0GENERAL> at 08:00: nothing new posted');
    expect(channelPosts(h)).toHaveLength(1);
  });

  test('/lma help shows the schedule and the next run', async () => {
    const h = await withChannel('2026-06-19T10:00:00Z');
    const { answer } = await ask(h, 'help');
    expect(blockText(answer.blocks)).toContain(
      'Daily digest: `0 9 * * 1-5` (UTC) to <#C0GENERAL>; next 22 Jun 2026, 09:00 (UTC)',
    );
  });
});
