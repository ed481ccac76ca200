/**
 * The sandbox page end to end in headless Chromium: a person types and clicks on the page, the page server turns
 * that into signed Slack requests to the real bot (on the fixed LMO fixture), and the answers render back.
 * Screenshots of each state go to test-artifacts/sandbox/ (git-ignored).
 *
 * Needs Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). Without it the tests are
 * skipped with a notice, except under CI=true, where a missing browser fails the run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { addDays } from '../../../src/lma/dates.js';
import { ACCOUNTS, LICENSE, lmoFixture, NOW, TODAY } from '../../support/lmo-fixture.js';
import { postAlerts } from '../../support/posted-alerts.js';
import { type SandboxBot, startSandboxBot } from '../../support/sandbox-bot.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const ARTIFACTS = join('test-artifacts', 'sandbox');
const INSTALL = 'Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) or set CHROMIUM_PATH.';
const INSTALL_HINT = `Chromium not found at ${CHROMIUM}: the sandbox browser tests are skipped. ${INSTALL}`;
/** Answers come from the real bot through the embedded LMO: give them time, but fail clearly. */
const ANSWER_MS = 15_000;

if (!HAVE_CHROMIUM && !IN_CI) {
  process.stderr.write(`\n⚠️  ${INSTALL_HINT}\n\n`);
  test.skip(INSTALL_HINT, () => {});
}

describe.runIf(HAVE_CHROMIUM || IN_CI)('the sandbox page in Chromium', () => {
  let browser: Browser;
  let sandbox: SandboxBot;
  let page: Page;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM)
      throw new Error(`CI=true: the sandbox browser tests must run, but Chromium is not at ${CHROMIUM}. ${INSTALL}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  // Each scenario gets a fresh bot and page, so one scenario's messages never satisfy another's wait.
  beforeEach(async () => {
    // The digest is due at 18:00, after the fixture's 10:00: nothing is posted until "Run digest now".
    // The page's person (U0YOU) is mapped to the fixture's Ann Owner, so Home has a week to show.
    sandbox = await startSandboxBot({ DIGEST_CRON: '0 18 * * 1-5', LMA_USER_MAP: 'U0YOU:ann@isv.example' });
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(sandbox.url.replace('127.0.0.1', 'localhost'));
    await page.locator('body[data-ready="true"]').waitFor();
    return async () => {
      await page.close();
      await sandbox.close();
    };
  });

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  const channelMessages = () => page.locator('#messages .message');
  const threadPanel = () => page.locator('#thread');
  const type = async (text: string, composer = '#composer-input') => {
    await page.locator(composer).fill(text);
    await page.locator(composer).press('Enter');
  };
  const messageWith = (scope: Locator, text: string | RegExp) => scope.filter({ hasText: text }).last();

  test('/lma renewals 30 answers only to you, with the right customers, rendered and escaped', async () => {
    await type('/lma renewals 30');
    const answer = messageWith(page.locator('#messages .message.ephemeral'), 'Acme Labs');
    await answer.waitFor({ timeout: ANSWER_MS });
    expect(await answer.locator('.only-you').innerText()).toContain('Only visible to you');
    const text = await answer.innerText();
    for (const customer of ['Acme Corporation', 'Acme Labs', 'Globex']) expect(text).toContain(customer);
    expect(text).not.toContain('Stark Industries');
    expect(text).not.toContain('Umbrella');
    // The hostile account name shows as text: no link to evil.example, no mention markup, no injected element.
    expect(text).toContain('<!channel>');
    expect(await answer.locator('a[href*="evil.example"]').count()).toBe(0);
    expect(await answer.locator('.block-header').count()).toBeGreaterThan(0);
    await answer.getByRole('button', { name: /Share in channel/i }).waitFor();
    await shot('01-renewals-30');
  });

  test('"Share in channel" posts the answer for everyone', async () => {
    await type('/lma renewals 30');
    const answer = messageWith(page.locator('#messages .message.ephemeral'), 'Acme Labs');
    await answer.waitFor({ timeout: ANSWER_MS });
    await answer.getByRole('button', { name: /Share in channel/i }).click();
    const shared = messageWith(page.locator('#messages .message:not(.ephemeral)'), /Shared by/);
    await shared.waitFor({ timeout: ANSWER_MS });
    expect(await shared.innerText()).toContain('Acme Labs');
    expect(await shared.locator('.mention').first().innerText()).toBe('@You');
    await shot('02-shared-in-channel');
  });

  test('/lma install: a guide in a thread, advanced by a typed reply, a button and a typed confirmation', async () => {
    await type('/lma install');
    const parent = channelMessages()
      .filter({ has: page.locator('.thread-summary') })
      .last();
    await parent.waitFor({ timeout: ANSWER_MS });
    await parent.locator('.thread-summary').click();
    await threadPanel().waitFor();
    await threadPanel().getByText('Choose the License Management Org (LMO)').first().waitFor({ timeout: ANSWER_MS });
    expect(await parent.innerText()).toContain('LMA install guide started by');
    expect(await threadPanel().innerText()).toContain('Which org will be the LMO?');
    await shot('03-install-step-1');

    // Step 1 is a decision: name the org in the thread, then click Done.
    await type('LMO: Sandbox Production', '#thread-input');
    await threadPanel().getByText('Sandbox Production').last().waitFor({ timeout: ANSWER_MS });
    await threadPanel().getByRole('button', { name: /^Done/ }).first().click();
    await threadPanel().getByText('Confirm: the LMO choice is permanent').first().waitFor({ timeout: ANSWER_MS });
    expect(await threadPanel().innerText()).toContain('Sandbox Production will be the LMO');
    // A warning step is confirmed, not skipped: no "Done" on it. Its checklist is updated after the note above is
    // posted, so the button is waited for, not counted at once.
    const understood = threadPanel().getByRole('button', { name: /I understand/ });
    await understood.first().waitFor({ timeout: ANSWER_MS });
    expect(await understood.count()).toBeGreaterThan(0);
    await shot('04-install-step-2');

    // Step 2 is a warning: confirmed by typing "I understand" in the thread.
    await type('I understand', '#thread-input');
    await threadPanel()
      .getByText('Confirm: the LMA cannot be uninstalled by you')
      .first()
      .waitFor({ timeout: ANSWER_MS });
    // The guide's message is edited in place: wait for the re-render rather than reading the panel at once.
    await threadPanel().getByText('Progress: step 3 of 8').first().waitFor({ timeout: ANSWER_MS });
    await shot('05-install-step-3');
  });

  test('@LMA with a question: the answer arrives in a thread', async () => {
    await type('@LMA which trials end this week?');
    const question = messageWith(channelMessages(), 'which trials end this week?');
    expect(await question.locator('.mention').first().innerText()).toBe('@LMA');
    await question.locator('.thread-summary').waitFor({ timeout: ANSWER_MS });
    await question.locator('.thread-summary').click();
    const reply = threadPanel().locator('.message').filter({ hasText: 'Initech' }).last();
    await reply.waitFor({ timeout: ANSWER_MS });
    expect(await reply.innerText()).not.toContain('Umbrella');
    await shot('06-mention-thread-answer');
  });

  test('"Run digest now" posts the digest to the channel', async () => {
    const digests = page.locator('#messages .message:not(.ephemeral)').filter({ hasText: /LMA digest/ });
    expect(await digests.count()).toBe(0);
    await page.locator('#run-digest').click();
    await digests.first().waitFor({ timeout: ANSWER_MS });
    const text = await digests.first().innerText();
    for (const section of ['Renewals in the next 30 days', 'Acme Corporation', 'Initech'])
      expect(text).toContain(section);
    const confirmation = messageWith(page.locator('#messages .message.ephemeral'), /digest/i);
    await confirmation.waitFor({ timeout: ANSWER_MS });
    expect(await confirmation.locator('.mention').allInnerTexts()).toContain('#general');
    await shot('07-digest');
  });

  test('a slash command the sandbox does not know gets a notice, not silence', async () => {
    await type('/remind me tomorrow');
    const notice = messageWith(page.locator('#messages .message.notice'), 'not a valid command');
    await notice.waitFor({ timeout: ANSWER_MS });
    expect(await notice.innerText()).toContain('/remind');
    expect(await notice.locator('.only-you').innerText()).toContain('Only visible to you');
    // The page server answered it itself: the bot has posted nothing.
    expect(await page.locator('#messages .message .app-badge').count()).toBe(0);
  });

  test('text typed by a person is shown as text, never as markup', async () => {
    await type('<img src=x onerror="document.body.dataset.pwned=1"> *bold* _it_ `code` <https://example.com|a link>');
    const mine = messageWith(channelMessages(), 'onerror');
    await mine.waitFor({ timeout: ANSWER_MS });
    expect(await mine.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.pwned)).toBeUndefined();
    expect(await mine.locator('strong').innerText()).toBe('bold');
    expect(await mine.locator('em').innerText()).toBe('it');
    expect(await mine.locator('code').innerText()).toBe('code');
  });
  test('the Home tab of the LMA app shows your week, the team figures, charts and recent alerts; Renewals sends the full answer to its Messages tab', async () => {
    await postAlerts(sandbox.bot.runtime.store, NOW, [{ n: 2, channel: 'C0GENERAL', customer: 'Hooli' }]);
    await page.locator('#app-lma').click();
    const home = page.locator('#home-view');
    const charts = home.locator('.block-chart');
    await charts.first().waitFor({ timeout: ANSWER_MS });
    const text = await home.innerText();
    expect(text).toContain('Your week');
    expect(text).toContain('Customers Ann Owner owns in Salesforce.');
    expect(text).toMatch(/Renewals, next 30 days: 2 licenses · 53 seats/);
    expect(text).toContain('Trials ending in 7 days: 1 trial');
    expect(text).toMatch(/Recent alerts\n.*Hooli · New trial · #general/);
    const alert = home.getByRole('link', { name: 'Hooli' });
    expect(await alert.getAttribute('href')).toContain(`/lightning/r/sfLma__License__c/${LICENSE(2)}/view`);
    expect(await charts.locator('figcaption').allInnerTexts()).toEqual([
      'Trials converted per month',
      'Seats up for renewal per month',
    ]);
    // Six bars each; July's 123 seats are the tallest of the renewal chart.
    expect(await charts.nth(1).locator('.chart-column').count()).toBe(6);
    expect(await charts.nth(1).locator('.chart-value').allInnerTexts()).toEqual(['50', '123', '0', '0', '0', '0']);
    expect(await home.innerText()).toContain('next 30 days: 4 licenses · 73 seats · 1 site license');
    await shot('08-home');
    await home.getByRole('button', { name: 'Renewals' }).click();
    await page.locator('#tab-messages').click();
    const answer = messageWith(channelMessages(), 'Acme Labs');
    await answer.waitFor({ timeout: ANSWER_MS });
    expect(await page.locator('#channel-title').innerText()).toBe('LMA');
    expect(await answer.innerText()).toContain('Renewals in the next 30 days');
    await shot('09-home-renewals-dm');
  });

  test('a 60-row renewals list pages in place, and Export CSV sends a file to the DM with the app that downloads with every row', async () => {
    const many = await startSandboxBot({ DIGEST_CRON: '0 18 * * 1-5' }, withRenewals(56));
    const tab = await browser.newPage({ viewport: { width: 1360, height: 860 }, acceptDownloads: true });
    try {
      await tab.goto(many.url.replace('127.0.0.1', 'localhost'));
      await tab.locator('body[data-ready="true"]').waitFor();
      await tab.locator('#composer-input').fill('/lma renewals 30');
      await tab.locator('#composer-input').press('Enter');
      const first = tab
        .locator('#messages .message.ephemeral')
        .filter({ has: tab.locator('.block-table') })
        .last();
      await first.waitFor({ timeout: ANSWER_MS });
      // Next replaces this very message: follow it by its ts.
      const answer = tab.locator(`#messages .message[data-ts="${await first.getAttribute('data-ts')}"]`);
      const rows = answer.locator('.block-table tbody tr');
      expect(await answer.innerText()).toContain('Rows 1–20 of 60 · page 1 of 3');
      expect(await rows.count()).toBe(20);
      expect(await answer.locator('.block-table th').allInnerTexts()).toEqual([
        'Customer',
        'Package',
        'Seats',
        'Expires',
        'Days left',
        'Owner',
      ]);
      await tab.screenshot({ path: join(ARTIFACTS, '10-renewals-table-page-1.png') });
      for (const [range, page] of [
        ['21–40', '2'],
        ['41–60', '3'],
      ]) {
        await answer.getByRole('button', { name: /Next/ }).click();
        await answer.getByText(`Rows ${range} of 60 · page ${page} of 3`).waitFor({ timeout: ANSWER_MS });
        expect(await rows.count()).toBe(20);
      }
      expect(await answer.getByRole('button', { name: /Next/ }).count()).toBe(0);
      await tab.screenshot({ path: join(ARTIFACTS, '11-renewals-table-page-3.png') });
      await answer.getByRole('button', { name: /Previous/ }).click();
      await answer.getByText('Rows 21–40 of 60 · page 2 of 3').waitFor({ timeout: ANSWER_MS });

      await answer.getByRole('button', { name: 'Export CSV' }).click();
      // Told beside the list where the file went, with a link that opens the DM with the app.
      const sent = tab.locator('#messages .message.ephemeral').filter({ hasText: 'I sent you the CSV' }).last();
      await sent.waitFor({ timeout: ANSWER_MS });
      expect(await sent.innerText()).toContain('I sent you the CSV (60 rows) in a DM.');
      // Not shared in the channel.
      expect(await tab.locator('#messages .message .file').count()).toBe(0);
      await sent.getByRole('link', { name: 'a DM' }).click();
      await tab.locator('#channel-title', { hasText: 'LMA' }).waitFor({ timeout: ANSWER_MS });
      expect(await tab.locator('#tab-messages').getAttribute('class')).toContain('active');
      const shared = tab
        .locator('#messages .message')
        .filter({ has: tab.locator('.file') })
        .last();
      await shared.waitFor({ timeout: ANSWER_MS });
      expect(await shared.innerText()).toContain('Renewals in the next 30 days: 60 rows, the whole list.');
      expect(await shared.locator('.file-preview').innerText()).toContain('Customer,Package,Version,Status');
      await tab.screenshot({ path: join(ARTIFACTS, '12-renewals-csv.png') });
      const [download] = await Promise.all([tab.waitForEvent('download'), shared.locator('a.file-name').click()]);
      expect(download.suggestedFilename()).toBe('renewals-2026-06-15.csv');
      const csv = readFileSync((await download.path())!, 'utf8')
        .trimEnd()
        .split('\n');
      expect(csv).toHaveLength(61);
    } finally {
      await tab.close();
      await many.close();
    }
  });
});

/** The fixture with `n` more paid licenses renewing over the next 30 days. */
function withRenewals(n: number) {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  for (let i = 0; i < n; i++)
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(7000 + i).padStart(12, '0')}AAA`,
      sfLma__Expiration__c: addDays(TODAY, 1 + (i % 29)),
      sfLma__Account__c: ACCOUNTS.globex,
    });
  return data;
}
