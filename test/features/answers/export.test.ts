/**
 * Export CSV through the real Bolt app, jsforce against the embedded LMO and the local Slack's files.uploadV2
 * (getUploadURLExternal, the upload, completeUploadExternal): the file's rows equal a plain filter over the data,
 * every row and not the page shown, a notice first when it is long, formula-like cells made inert, and a clear word
 * when Slack does not take the file.
 */
import type { OrgData } from '@lma-bot/lmo-emulator';
import { afterEach, describe, expect, test } from 'vitest';
import { CSV_COLUMNS, licensesCsv } from '../../../src/features/answers/csv.js';
import { rowsWritten } from '../../../src/features/answers/export.js';
import { addDays } from '../../../src/lma/dates.js';
import type { License } from '../../../src/lma/model.js';
import { expectedAnswer } from '../../support/fixture-answers.js';
import { CHANNEL, type Harness, startHarness, USER } from '../../support/harness.js';
import { ACCOUNTS, lmoFixture, TODAY } from '../../support/lmo-fixture.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The fixture with `n` more paid licenses renewing over the next 30 days, for Globex. */
function withRenewals(n: number): OrgData {
  const data = lmoFixture();
  const template = data.sfLma__License__c[0];
  for (let i = 0; i < n; i++)
    data.sfLma__License__c.push({
      ...template,
      Id: `a0L${String(7000 + i).padStart(12, '0')}AAA`,
      sfLma__Expiration__c: addDays(TODAY, i % 31),
      sfLma__Account__c: ACCOUNTS.globex,
    });
  return data;
}

/** License ids renewing in 30 days, soonest first, then by id: the plain filter the reliability tests use too. */
const renewing = (data: OrgData): string[] => expectedAnswer('renewals 30', data, TODAY).licenses;

/** Asks for a list and clicks Export CSV on it; returns where it was told things and the LMO's log before the click. */
async function exportOf(harness: Harness, command: string) {
  const ack = await harness.driver.command(command, { user: USER, channel: CHANNEL });
  const [answer] = await harness.driver.responses(ack.responseUrl, 1, 30_000);
  const message = { blocks: (answer.body as { blocks: unknown[] }).blocks, ts: answer.message?.ts, ephemeral: true };
  const logged = harness.bot.emulator!.log.length;
  const click = await harness.driver.click(message, 'lma_export_csv', { user: USER, channel: CHANNEL });
  return { ...click, logged };
}

/** The file the bot shared in the channel, its comment and its CSV rows. */
async function sharedFile(harness: Harness) {
  const message = await harness.slack.waitFor(
    () => harness.slack.messages(CHANNEL).find((m) => m.files?.length),
    30_000,
  );
  const file = harness.slack.file(message.files![0].id)!;
  const lines = file.content!.toString('utf8').trimEnd().split('\n');
  return { message, file, header: lines[0], rows: lines.slice(1).map((line) => line.split(',')) };
}

describe('Export CSV', () => {
  test('uploads every row of the list (not the page shown) to the channel, with the columns and how many', async () => {
    const data = withRenewals(60);
    h = await startHarness({ data });
    await exportOf(h, 'renewals 30');
    const { message, file, header, rows } = await sharedFile(h);
    expect(file.name).toBe(`renewals-${TODAY}.csv`);
    expect(file.mimetype).toBe('text/csv');
    expect(header).toBe(CSV_COLUMNS.join(','));
    const ids = renewing(data);
    expect(rows.map((r) => r[10])).toEqual(ids);
    expect(message.text).toBe(`<@${USER}> exported Renewals in the next 30 days: ${ids.length} rows, the whole list.`);
    // No progress notice for a short list.
    expect(h.slack.calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(1);
  });

  test('over 2,000 rows: a notice that it is coming, then every row, one LMO call per 2,000', async () => {
    const data = withRenewals(4200);
    h = await startHarness({ data });
    const { responseUrl, logged } = await exportOf(h, 'renewals 30');
    const [notice] = await h.driver.responses(responseUrl, 1, 30_000);
    expect(String(notice.body.text)).toContain(`Exporting ${renewing(data).length.toLocaleString('en-US')} rows`);
    const { rows } = await sharedFile(h);
    expect(rows.map((r) => r[10])).toEqual(renewing(data));
    // 4,2xx rows: the query and two more batches of 2,000 (queryMore).
    expect(h.bot.emulator!.log.slice(logged).map((e) => (e.soql ? 'query' : 'more'))).toEqual([
      'query',
      'more',
      'more',
    ]);
  });

  test('Slack refusing the file is told plainly, with what to do', async () => {
    h = await startHarness();
    h.slack.failNext('files.completeUploadExternal', { error: 'not_in_channel' });
    const { responseUrl } = await exportOf(h, 'renewals 30');
    const [told] = await h.driver.responses(responseUrl, 1, 30_000);
    expect(String(told.body.text)).toContain('invite me (`/invite @LMA`) or export the list from a DM with me');
  });
});

describe('the CSV', () => {
  const license = (name: string): License => ({
    id: 'a0L000000000001AAA',
    name: 'L-1',
    status: 'Active',
    expiration: '2026-06-20',
    seats: 10,
    siteLicense: false,
    usedSeats: -2,
    installDate: null,
    orgId: '00D000000000001XYZ',
    isSandbox: false,
    instance: null,
    edition: null,
    version: '2.0',
    packageId: 'a0P1',
    packageName: '+Invoicer',
    customer: { name, kind: 'account', id: '0011', owner: '@Ann' },
    lastModified: null,
  });
  const ctx = { instanceUrl: 'https://isv.my.salesforce.com', lmoLabel: 'ISV', readAt: new Date(), timezone: 'UTC' };

  test('cells that start like a formula are made text; numbers (days left) are left as numbers', () => {
    const csv = licensesCsv([license('=HYPERLINK("http://evil.example","click")')], ctx, '2026-06-15');
    const row = csv.split('\n')[1];
    expect(
      row.startsWith(
        `"'=HYPERLINK(""http://evil.example"",""click"")",'+Invoicer,2.0,Active,10,-2,2026-06-20,5,'@Ann,`,
      ),
    ).toBe(true);
  });

  test('a capped export says how many it wrote of how many, and how to get the rest', () => {
    expect(rowsWritten(135, 135)).toBe('135 rows, the whole list.');
    expect(rowsWritten(50_000, 62_000)).toBe(
      'the first 50,000 rows of 62,000 (an export writes at most 50,000): narrow it with a package or a shorter window for the rest.',
    );
  });
});
