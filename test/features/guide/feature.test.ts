import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackDriver } from '@lma-bot/slack-sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBot, startBot } from '../../../src/app/start.js';
import { loadConfig } from '../../../src/config.js';
import { type GuideState, step } from '../../../src/features/guide/machine.js';
import { createLogger } from '../../../src/logger.js';
import { openSqliteStore } from '../../../src/store/sqlite.js';
import type { Store } from '../../../src/store/store.js';
import {
  BOT_TOKEN,
  blockText,
  CHANNEL,
  type Harness,
  SIGNING_SECRET,
  startHarness,
  USER,
} from '../../support/harness.js';
import { lmoFixture, NOW } from '../../support/lmo-fixture.js';
import {
  botReplies,
  click,
  type GuideThread,
  guideMessage,
  reply,
  replyAndWaitFor,
  type Side,
  startInstall,
  waitForProgress,
} from './helpers.js';

const BOB = 'U0BOB';
const updatesOf = (h: Harness, g: GuideThread) =>
  h.slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === g.guideTs && c.ok).length;

describe('/lma install with the LMA in the connected org', () => {
  let h: Harness;
  const echoes = new Set<Promise<unknown>>();
  let closing = false;
  beforeAll(async () => {
    h = await startHarness();
    // Slack sends the bot's own posts and edits back as events: the guide must ignore them.
    h.slack.onEvent = (event) => {
      if (closing) return;
      const delivery = h.driver.event(event).finally(() => echoes.delete(delivery));
      echoes.add(delivery);
      return delivery;
    };
  });
  afterAll(async () => {
    closing = true;
    await Promise.allSettled([...echoes]);
    await h?.close();
  });

  test('starts with a parent message in the channel and the first stage in its thread', async () => {
    const g = await startInstall(h);
    const parent = h.slack.messages(CHANNEL).find((m) => m.ts === g.threadTs);
    expect(parent?.text).toBe(`LMA install guide started by <@${USER}>`);
    expect(parent?.thread_ts).toBeUndefined();
    const guide = guideMessage(h, g);
    expect(guide.thread_ts).toBe(g.threadTs);
    expect(guide.text).toContain('step 1 of 8');
    const text = blockText(guide.blocks);
    expect(text).toContain('Choose the License Management Org');
    expect(text).toContain('Which org will be the LMO?');
    expect(text).toContain('Developer Edition');
    expect(text).toContain('CRM for ISVs');
    expect(JSON.stringify(guide.blocks)).toMatch(/guide_done.*guide_back.*guide_stuck.*guide_cancel/);
    expect(await h.bot.runtime.store.threads.kind(CHANNEL, g.threadTs)).toBe('guide');
  });

  test('a whole guide by buttons: the LMO named in the thread, warnings confirmed, org checked, summary posted', async () => {
    const g = await startInstall(h);
    await click(h, g, 'guide_done');
    expect(
      (await h.slack.waitFor(() => botReplies(h, g).find((m) => m.text.includes('name of the org')))).text,
    ).toContain('LMO: Acme Production');

    expect((await reply(h, g, 'Acme Production', 'Noted')).text).toContain('*Acme Production* will be the LMO');
    await click(h, g, 'guide_done');
    let guide = await waitForProgress(h, g, 'step 2 of 8');
    expect(blockText(guide.blocks)).toContain('cannot be moved');
    expect(JSON.stringify(guide.blocks)).not.toContain('guide_done');

    await click(h, g, 'guide_understood', BOB);
    guide = await waitForProgress(h, g, 'step 3 of 8');
    expect(blockText(guide.blocks)).toContain('Salesforce Support');
    await click(h, g, 'guide_understood');
    await waitForProgress(h, g, 'step 4 of 8');
    for (const next of [4, 5, 6, 7]) {
      await click(h, g, 'guide_done', next % 2 ? USER : BOB);
      await waitForProgress(h, g, `step ${next + 1} of 8`);
    }
    // Step 8 of 8 checks the connected org at once.
    // Counted from the fixture the LMO serves, not with the queries under test.
    const fixture = lmoFixture();
    const [packages, licenses] = [fixture.sfLma__Package__c.length, fixture.sfLma__License__c.length];
    expect([packages, licenses]).toEqual([2, 13]);
    const check = await h.slack.waitFor(() =>
      botReplies(h, g).find((m) => m.text.includes('License Management App is installed')),
    );
    expect(check.text).toContain(`${packages} packages and ${licenses} licenses`);
    guide = guideMessage(h, g);
    expect(blockText(guide.blocks)).toMatch(
      /:white_check_mark: 1\. Choose the License Management Org \(LMO\): \*Acme Production\*/,
    );
    expect(blockText(guide.blocks)).toContain(':point_right: *8. Check the LMA is installed*');

    await click(h, g, 'guide_done');
    const summary = await h.slack.waitFor(() =>
      botReplies(h, g).find((m) => m.text.startsWith('LMA install guide finished')),
    );
    const text = blockText(summary.blocks);
    expect(text).toContain('*License Management Org:* *Acme Production*');
    expect(text).toContain('2. Confirm: the LMO choice is permanent: understood by <@U0BOB>');
    expect(text).toContain('3. Confirm: the LMA cannot be uninstalled by you: understood by <@U0ALICE>');
    expect(text).toMatch(/8\. Check the LMA is installed: done by <@U0ALICE> on /);
    expect(text).toContain('Register your managed package');
    expect(text).toContain('default license terms');
    expect(text).toMatch(/field history tracking.*\*Status\*, \*Seats\* and \*Expiration\*/);
    expect(guideMessage(h, g).text).toContain('finished, all 8 steps');
    // The guide stayed one message, updated in place; the thread reads as a checklist.
    expect(h.slack.thread(CHANNEL, g.threadTs).filter((m) => m.text.startsWith('LMA install guide:'))).toHaveLength(1);
    expect(updatesOf(h, g)).toBeGreaterThanOrEqual(9);
  });

  test('a whole guide by typing, with typos, unknown text, back, skip, help, where am I and check', async () => {
    const g = await startInstall(h);
    await reply(h, g, 'done', 'name of the org');
    await reply(h, g, 'LMO: Globex HQ', 'Noted');
    await replyAndWaitFor(h, g, 'NXET', 'step 2 of 8');
    expect((await reply(h, g, 'next', 'explicit confirmation')).text).toContain('I understand');
    expect((await reply(h, g, 'skip', 'cannot be skipped')).text).toContain('Confirm: the LMO choice is permanent');
    await replyAndWaitFor(h, g, 'i undrstand', 'step 3 of 8');
    await replyAndWaitFor(h, g, 'I understand.', 'step 4 of 8');
    expect((await reply(h, g, 'what do I do now?', 'did not get that')).text).toMatch(/`done`, `back`, `skip`/);
    expect((await reply(h, g, 'Where am I?', 'Step 4 of 8')).text).toContain('LMO: *Globex HQ*');
    const help = await reply(h, g, 'help', 'Still stuck?');
    expect(help.text).toContain('AppExchange and Feature Requests › License Management App');
    await replyAndWaitFor(h, g, 'Skip', 'step 5 of 8');
    await replyAndWaitFor(h, g, 'bakc', 'step 4 of 8');
    await replyAndWaitFor(h, g, 'done', 'step 5 of 8');
    await replyAndWaitFor(h, g, 'skpi', 'step 6 of 8');
    await replyAndWaitFor(h, g, 'done', 'step 7 of 8');
    await replyAndWaitFor(h, g, 'DONE', 'step 8 of 8');
    await h.slack.waitFor(() => botReplies(h, g).find((m) => m.text.includes('License Management App is installed')));
    expect((await reply(h, g, 'chekc', 'License Management App is installed')).ts).toBeDefined();
    expect(botReplies(h, g).filter((m) => m.text.includes('License Management App is installed'))).toHaveLength(2);
    await reply(h, g, 'done', 'LMA install guide finished');
    const summary = blockText(botReplies(h, g).find((m) => m.text.startsWith('LMA install guide finished'))?.blocks);
    expect(summary).toContain('*Globex HQ*');
    expect(summary).toContain('4. Ask Salesforce for the LMA: done by <@U0ALICE>');
    expect(summary).toContain('5. Open the installation link in the LMO: skipped by <@U0ALICE>');
    // A finished guide says so, and restart takes it from the top.
    expect((await reply(h, g, 'next', 'finished')).text).toContain('restart');
    await replyAndWaitFor(h, g, 'restart', 'step 1 of 8');
  });

  test('a mention of the bot in a guide thread acts once, though Slack delivers it as app_mention and message', async () => {
    const g = await startInstall(h);
    await reply(h, g, 'LMO: Initech Prod', 'Noted');
    const before = updatesOf(h, g);
    const repliesBefore = botReplies(h, g).length;
    const mention = await h.driver.say(`<@${h.slack.identity.botUserId}> next`, {
      user: USER,
      channel: CHANNEL,
      thread_ts: g.threadTs,
    });
    await h.driver.event({
      type: 'message',
      user: USER,
      text: mention.message.text,
      ts: mention.message.ts,
      channel: CHANNEL,
      thread_ts: g.threadTs,
      channel_type: 'channel',
      event_ts: mention.message.ts,
    });
    await waitForProgress(h, g, 'step 2 of 8');
    await reply(h, g, 'where am i', 'Step 2 of 8');
    expect(updatesOf(h, g)).toBe(before + 1);
    // Only the answer to "where am i": no second reply, and no thread-question answer either.
    expect(botReplies(h, g)).toHaveLength(repliesBefore + 1);
  });

  test('I’m stuck and Back buttons; edits and deletions of replies are not replies', async () => {
    const g = await startInstall(h);
    await click(h, g, 'guide_stuck', BOB);
    const help = await h.slack.waitFor(() => botReplies(h, g).find((m) => m.text.includes('Still stuck?')));
    expect(help.text).toContain('Partner Community');
    await click(h, g, 'guide_back');
    await h.slack.waitFor(() => botReplies(h, g).find((m) => m.text.includes('already the first step')));
    await reply(h, g, 'LMO: Acme', 'Noted');
    await click(h, g, 'guide_done');
    await waitForProgress(h, g, 'step 2 of 8');
    await click(h, g, 'guide_back');
    await waitForProgress(h, g, 'step 1 of 8');

    const repliesBefore = botReplies(h, g).length;
    const edited = { type: 'message', user: USER, text: 'next', ts: '1.000001', thread_ts: g.threadTs };
    await h.driver.event({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      hidden: true,
      ts: '2.000001',
      message: edited,
      previous_message: { ...edited, text: 'nxt' },
    });
    await h.driver.event({
      type: 'message',
      subtype: 'message_deleted',
      channel: CHANNEL,
      hidden: true,
      ts: '2.000002',
      deleted_ts: '1.000001',
      previous_message: edited,
    });
    await reply(h, g, 'where am i', 'Step 1 of 8');
    expect(botReplies(h, g)).toHaveLength(repliesBefore + 1);
    expect(guideMessage(h, g).text).toContain('step 1 of 8');
  });

  test('Slack retries of the same event do not advance twice', async () => {
    const g = await startInstall(h);
    await reply(h, g, 'LMO: Stark Prod', 'Noted');
    const first = await h.driver.say('done', { user: USER, channel: CHANNEL, thread_ts: g.threadTs });
    await waitForProgress(h, g, 'step 2 of 8');
    const event = {
      type: 'message',
      user: USER,
      text: 'done',
      ts: first.message.ts,
      channel: CHANNEL,
      thread_ts: g.threadTs,
      channel_type: 'channel',
      event_ts: first.message.ts,
    };
    await h.driver.event(event, { eventId: first.eventId, retryNum: 1 });
    await h.driver.event(event, { eventId: first.eventId, retryNum: 2 });
    await reply(h, g, 'where am i', 'Step 2 of 8');
    expect(guideMessage(h, g).text).toContain('step 2 of 8');
  });

  test('cancel ends the guide for everyone; its buttons are gone and typed commands say it is cancelled', async () => {
    const g = await startInstall(h);
    await click(h, g, 'guide_cancel', BOB);
    const note = await h.slack.waitFor(() => botReplies(h, g).find((m) => m.text.includes('cancelled the guide')));
    expect(note.text).toContain('<@U0BOB>');
    const guide = await waitForProgress(h, g, 'cancelled at step 1 of 8');
    expect(JSON.stringify(guide.blocks)).not.toContain('guide_done');
    expect((await reply(h, g, 'done', 'is cancelled')).text).toContain('/lma install');
  });

  test('two guides run side by side, each owned by its thread', async () => {
    const a = await startInstall(h);
    const b = await startInstall(h, { channel: 'C0SALES' });
    await reply(h, a, 'LMO: First Org', 'Noted');
    await reply(h, b, 'LMO: Second Org', 'Noted');
    await click(h, a, 'guide_done');
    await waitForProgress(h, a, 'step 2 of 8');
    expect(guideMessage(h, b).text).toContain('step 1 of 8');
    await click(h, b, 'guide_done', BOB);
    await waitForProgress(h, b, 'step 2 of 8');
    await click(h, b, 'guide_understood', BOB);
    await waitForProgress(h, b, 'step 3 of 8');
    expect(guideMessage(h, a).text).toContain('step 2 of 8');
    expect(blockText(guideMessage(h, a).blocks)).toContain('*First Org*');
    expect(blockText(guideMessage(h, b).blocks)).toContain('*Second Org*');
  });

  test('a button on an outdated view of the guide tells only the clicker and changes nothing', async () => {
    const g = await startInstall(h);
    await reply(h, g, 'LMO: Umbrella Prod', 'Noted');
    const firstView = structuredClone(guideMessage(h, g));
    await click(h, g, 'guide_done');
    await waitForProgress(h, g, 'step 2 of 8');
    const late = await h.driver.click(firstView, 'guide_done', { user: BOB, channel: CHANNEL });
    const [answer] = await h.driver.responses(late.responseUrl);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String((answer.body as { text: string }).text)).toContain('now at step 2 of 8');
    expect(guideMessage(h, g).text).toContain('step 2 of 8');
  });

  test('when the bot is not in the channel, the user is told how to invite it', async () => {
    h.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const ack = await h.driver.command('install', { user: USER, channel: CHANNEL });
    const [answer] = await h.driver.responses(ack.responseUrl);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String((answer.body as { text: string }).text)).toContain('/invite @LMA Bot');
  });

  test('when the LMO fails, the check says so clearly', async () => {
    const g = await startInstall(h);
    h.bot.emulator!.setFaults({ requestLimitExceeded: true });
    try {
      const answer = await reply(h, g, 'check', 'could not check');
      expect(answer.text).toContain('REQUEST_LIMIT_EXCEEDED');
    } finally {
      h.bot.emulator!.setFaults({});
    }
  });
});

describe('/lma install against an org without the LMA', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ embedded: { lmaInstalled: false } });
  });
  afterAll(async () => h?.close());

  test('the org check reports the LMA missing, at the last step and on "check"', async () => {
    const g = await startInstall(h);
    const answer = await reply(h, g, 'check', 'found no License Management App');
    expect(answer.text).toContain('no License object');
    expect(h.soql().some((q) => q.includes('COUNT()'))).toBe(false);
  });
});

describe('access control', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { LMA_ALLOWED_USERS: USER } });
  });
  afterAll(async () => h?.close());

  test('a click by someone not allowed is refused and does not move the guide', async () => {
    const g = await startInstall(h);
    await reply(h, g, 'LMO: Acme', 'Noted');
    const { responseUrl } = await click(h, g, 'guide_done', BOB);
    const [answer] = await h.driver.responses(responseUrl);
    expect(String((answer.body as { text: string }).text)).toContain('only available to the people and channels');
    expect(guideMessage(h, g).text).toContain('step 1 of 8');
  });
});

describe('a restart of the bot', () => {
  let dir: string;
  const running: { close(): Promise<void> | void }[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lma-guide-'));
  });
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A second bot on the same fake Slack and the same store file, as after a restart. */
  async function restartBot(h: Harness, store: Store, now: Date): Promise<{ side: Side; bot: RunningBot }> {
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: h.slack.apiUrl,
      PORT: '0',
      LMA_TIMEZONE: 'UTC',
    });
    const bot = await startBot(config, {
      clock: () => now,
      logger: createLogger({ level: 'error', write: () => {} }),
      embeddedData: lmoFixture(),
      store,
    });
    running.push(bot);
    const driver = new SlackDriver({
      appUrl: `${bot.url}/slack/events`,
      signingSecret: SIGNING_SECRET,
      slack: h.slack,
    });
    return { side: { slack: h.slack, driver }, bot };
  }

  test('a guide carries on where its thread was, on a new bot instance with the same store file', async () => {
    const file = join(dir, 'continue.sqlite');
    const h = await startHarness({ store: openSqliteStore(file) });
    running.push(h);
    const g = await startInstall(h);
    await reply(h, g, 'LMO: Acme Production', 'Noted');
    await replyAndWaitFor(h, g, 'done', 'step 2 of 8');
    await h.bot.close();
    await h.bot.runtime.store.close();

    const store = openSqliteStore(file);
    running.push(store);
    const { side } = await restartBot(h, store, NOW);
    await replyAndWaitFor(side, g, 'I understand', 'step 3 of 8');
    expect((await reply(side, g, 'where am i', 'Step 3 of 8')).text).toContain('*Acme Production*');
    await side.driver.click(guideMessage(side, g), 'guide_understood', { user: BOB, channel: CHANNEL });
    await waitForProgress(side, g, 'step 4 of 8');
  });

  test('guides idle for 30 days are cleaned up; their buttons and threads then say so', async () => {
    const file = join(dir, 'idle.sqlite');
    const h = await startHarness({ store: openSqliteStore(file) });
    running.push(h);
    const g = await startInstall(h);
    const oldView = structuredClone(guideMessage(h, g));
    await h.bot.close();
    await h.bot.runtime.store.close();

    const store = openSqliteStore(file);
    running.push(store);
    const { side } = await restartBot(h, store, new Date(NOW.getTime() + 31 * 86_400_000));
    const { responseUrl } = await side.driver.click(oldView, 'guide_done', { user: USER, channel: CHANNEL });
    const [answer] = await side.driver.responses(responseUrl);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String((answer.body as { text: string }).text)).toContain('no longer exists');
    const typed = await reply(side, g, 'next', 'no longer exists');
    expect(typed.ephemeralTo).toBe(USER);
    expect(guideMessage(side, g).text).toContain('step 1 of 8');
  });
});

describe('two bot instances on one store', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lma-guide-race-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('an input another instance beat to the save is applied again to what that instance saved', async () => {
    const file = join(dir, 'race.sqlite');
    const other = openSqliteStore(file);
    const mine = openSqliteStore(file);
    // Once armed, the other instance steps the guide right after this one has read it.
    let interfere: (() => Promise<void>) | undefined;
    const racing: Store = {
      ...mine,
      guides: {
        ...mine.guides,
        async get<State>(channel: string, threadTs: string) {
          const guide = await mine.guides.get<State>(channel, threadTs);
          const before = interfere;
          interfere = undefined;
          await before?.();
          return guide;
        },
      },
    };
    const h = await startHarness({ store: racing });
    try {
      const g = await startInstall(h);
      interfere = async () => {
        const guide = await other.guides.get<GuideState>(CHANNEL, g.threadTs);
        const { state } = step(guide!.state, { kind: 'org', name: 'Globex Production' }, { user: BOB, at: NOW });
        expect(await other.guides.save({ ...guide!, state }, NOW)).toBe(true);
      };
      await reply(h, g, 'LMO: Acme Production', 'Noted');
      expect(interfere).toBeUndefined();
      const saved = await other.guides.get<GuideState>(CHANNEL, g.threadTs);
      // Both inputs are in the guide, in the order they were saved: none overwrote the other.
      expect(saved?.state.history.filter((e) => e.action === 'org').map((e) => e.user)).toEqual([BOB, USER]);
      expect(saved?.state.lmo?.name).toBe('Acme Production');
      expect(saved?.revision).toBe(3);
    } finally {
      await h.close();
      await other.close();
    }
  });
});
