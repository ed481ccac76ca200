/**
 * Export CSV through the real Bolt app, jsforce against the embedded LMO and the local Slack's conversations.open and
 * files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal): the file goes to the clicker's DM with
 * the bot, never the list's channel, and the clicker is told beside the list; its rows equal a plain filter over the
 * data for every kind of list (trials, renewals, seat health's three, a version's installs), every row and not the
 * page shown, a notice first when it is long, formula-like cells made inert, and a clear word on each Slack refusal.
 */
import type { OrgData, RequestLogEntry } from '@lma-bot/lmo-emulator';
import { DEFAULT_BOT_SCOPES } from '@lma-bot/slack-sandbox';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import { CSV_COLUMNS, licensesCsv } from '../../../src/features/answers/csv.js';
import { rowsWritten } from '../../../src/features/answers/export.js';
import { addDays } from '../../../src/lma/dates.js';
import type { License } from '../../../src/lma/model.js';
import { expectedAnswer } from '../../support/fixture-answers.js';
import { CHANNEL, type Harness, type HarnessOptions, startHarness, USER } from '../../support/harness.js';
import { ACCOUNTS, lmoFixture, TODAY } from '../../support/lmo-fixture.js';
import { EXPECTED, healthFixture } from '../health/health-fixture.js';
import { botMention, waitForBotReplies } from '../threads/thread-support.js';

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

type Message = { blocks?: unknown[]; ts?: string; ephemeral?: boolean; thread_ts?: string };

/** Asks `/lma <command>` and returns its answer as a message to click on. */
async function answerOf(harness: Harness, command: string): Promise<Message> {
  const ack = await harness.driver.command(command, { user: USER, channel: CHANNEL });
  const [answer] = await harness.driver.responses(ack.responseUrl, 1, 30_000);
  return { blocks: (answer.body as { blocks: unknown[] }).blocks, ts: answer.message?.ts, ephemeral: true };
}

/** Clicks Export CSV on a message (in the block `blockId`, when it has several); the LMO's log length before it. */
async function clickExport(harness: Harness, message: Message, o: { blockId?: string; value?: string } = {}) {
  const blocks = o.blockId
    ? (message.blocks as { block_id?: string }[]).filter((b) => b.block_id === o.blockId)
    : message.blocks;
  expect(blocks?.length).toBeGreaterThan(0);
  const logged = harness.bot.emulator!.log.length;
  const click = await harness.driver.click({ ...message, blocks }, 'lma_export_csv', {
    user: USER,
    channel: CHANNEL,
    ...(o.value && { value: o.value }),
  });
  return { ...click, logged };
}

async function exportOf(harness: Harness, command: string, o: { blockId?: string } = {}) {
  return clickExport(harness, await answerOf(harness, command), o);
}

/** What the bot told the clicker beside the list (ephemeral, on the click's response_url): the last of `n`. */
async function told(harness: Harness, responseUrl: string, n = 1): Promise<{ text: string; blocks: string }> {
  const posts = await harness.driver.responses(responseUrl, n, 30_000);
  const body = posts[n - 1].body as { text: string; blocks?: unknown[] };
  return { text: String(body.text), blocks: JSON.stringify(body.blocks ?? []) };
}

/** The file the bot shared in the clicker's DM, its comment and its CSV rows (parsed). */
async function fileInDm(harness: Harness) {
  const dm = harness.slack.channel(USER)!.id;
  const message = await harness.slack.waitFor(() => harness.slack.messages(dm).find((m) => m.files?.length), 30_000);
  const file = harness.slack.file(message.files![0].id)!;
  const [header, ...rows] = parse(file.content!.toString('utf8')) as string[][];
  return { dm, message, file, header, rows, ids: rows.map((r) => r[10]) };
}

const filesInChannel = (harness: Harness) => harness.slack.messages(CHANNEL).filter((m) => m.files?.length);
/** An LMO request as Salesforce counts it, one API call: a query, or a composite of chained pages after its first. */
const lmoCall = (e: RequestLogEntry) =>
  e.soql
    ? 'query'
    : e.subrequests
      ? `composite of ${e.subrequests.length} page${e.subrequests.length === 1 ? '' : 's'}`
      : e.path;

/** The licenses of the data as plain records, with the customer's name, for the plain filters below. */
function plainLicenses(data: OrgData) {
  const accounts = new Map(data.Account.map((a) => [a.Id, String(a.Name)]));
  const leads = new Map(data.Lead.map((l) => [l.Id, String(l.Company)]));
  return data.sfLma__License__c.map((l) => ({
    id: String(l.Id),
    status: String(l.sfLma__Status__c),
    expiration: (l.sfLma__Expiration__c as string | null) ?? null,
    seats: Number(l.sfLma__Seats__c),
    used: Number(l.sfLma__Used_Licenses__c ?? 0),
    sandbox: l.sfLma__Subscriber_Org_Is_Sandbox__c === true,
    version: String(l.sfLma__Version_Number__c ?? ''),
    customer: accounts.get(String(l.sfLma__Account__c)) ?? leads.get(String(l.sfLma__Lead__c)) ?? '',
  }));
}

type Plain = ReturnType<typeof plainLicenses>[number];
const byKey =
  (...keys: ((l: Plain) => number | string)[]) =>
  (a: Plain, b: Plain) => {
    for (const key of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

/** Seat health's lists over the data, as plain filters (HEALTH_RENEWAL_DAYS 90, HEALTH_LOW_USE 0.3). */
function plainHealth(data: OrgData) {
  const all = plainLicenses(data);
  const installed = all.filter((l) => l.status === 'Active' || l.status === 'Trial');
  return {
    over: installed
      .filter((l) => l.seats > 0 && l.used > l.seats)
      .sort(
        byKey(
          (l) => -(l.used - l.seats),
          (l) => -l.used,
        ),
      ),
    risk: all
      .filter(
        (l) =>
          l.status === 'Active' &&
          l.expiration !== null &&
          l.expiration >= TODAY &&
          l.expiration <= addDays(TODAY, 90) &&
          l.expiration !== '1970-01-01' &&
          !l.sandbox &&
          l.seats > 0 &&
          l.used < 0.3 * l.seats,
      )
      .sort(
        byKey(
          (l) => l.expiration ?? '',
          (l) => l.id,
        ),
      ),
    hot: all
      .filter((l) => l.status === 'Trial' && l.expiration !== null && l.expiration >= TODAY && l.used > 0)
      .sort(
        byKey(
          (l) => -l.used,
          (l) => l.expiration ?? '',
          (l) => l.id,
        ),
      ),
  };
}

describe('Export CSV sends the file to the clicker', () => {
  test('every row of the list (not the page shown) goes to the clicker’s DM, not the channel; they are told beside the list, with a link to the DM', async () => {
    const data = withRenewals(60);
    h = await startHarness({ data });
    const { responseUrl, logged } = await exportOf(h, 'renewals 30');
    const { dm, message, file, header, ids } = await fileInDm(h);
    expect(file.name).toBe(`renewals-${TODAY}.csv`);
    expect(file.mimetype).toBe('text/csv');
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(ids).toEqual(renewing(data));
    expect(message.text).toBe(`Renewals in the next 30 days: ${ids.length} rows, the whole list.`);
    // Destination changed on purpose (issue #16): to the person who asked, never shared in the list's channel.
    expect(filesInChannel(h)).toEqual([]);
    const upload = h.slack.calls.find((c) => c.method === 'files.completeUploadExternal')!;
    expect(upload.args.channel_id).toBe(dm);
    const { text, blocks } = await told(h, responseUrl);
    expect(text).toBe(`I sent you the CSV (${ids.length} rows) in a DM.`);
    expect(blocks).toContain(`https://slack.com/app_redirect?channel=${dm}`);
    // One page: one LMO call.
    expect(h.bot.emulator!.log.slice(logged).map(lmoCall)).toEqual(['query']);
    // No progress notice for a short list: one answer on the click.
    expect(h.slack.calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(1);
  });

  test('over 2,000 rows: a notice that it is coming, then every row: the first 2,000 in one LMO call, then up to 10,000 a call', async () => {
    const data = withRenewals(4200);
    h = await startHarness({ data });
    const { responseUrl, logged } = await exportOf(h, 'renewals 30');
    const notice = await told(h, responseUrl);
    expect(notice.text).toContain(`Exporting ${renewing(data).length.toLocaleString('en-US')} rows`);
    const { ids } = await fileInDm(h);
    expect(ids).toEqual(renewing(data));
    // 4,2xx rows, 3 pages of 2,000: the query's first page, then its other two chained in one composite call.
    expect(Math.ceil(ids.length / 2000)).toBe(3);
    expect(h.bot.emulator!.log.slice(logged).map(lmoCall)).toEqual(['query', 'composite of 2 pages']);
    expect((await told(h, responseUrl, 2)).text).toBe(
      `I sent you the CSV (${ids.length.toLocaleString('en-US')} rows) in a DM.`,
    );
  });
});

describe('Export CSV on every list answer', () => {
  test.each(['over', 'risk', 'hot'] as const)(
    'seat health’s “%s” list: the CSV’s rows are a plain filter over the data, in the answer’s order',
    async (kind) => {
      const data = healthFixture();
      h = await startHarness({ data });
      const answer = await answerOf(h, 'health');
      const { responseUrl } = await clickExport(h, answer, { blockId: `lma_list_${kind}` });
      const { rows, ids, file } = await fileInDm(h);
      const expected = plainHealth(data)[kind];
      expect(ids).toEqual(expected.map((l) => l.id));
      expect(rows.map((r) => r[0])).toEqual(EXPECTED[kind]);
      expect(file.name).toBe(`${kind}-${TODAY}.csv`);
      expect((await told(h, responseUrl)).text).toBe(
        `I sent you the CSV (${expected.length} ${expected.length === 1 ? 'row' : 'rows'}) in a DM.`,
      );
      expect(filesInChannel(h)).toEqual([]);
    },
  );

  test('over their seats past one batch: every candidate is read, its pages after the first chained in a composite call, and filtered in code, as the answer is', async () => {
    const data = healthFixture();
    const template = data.sfLma__License__c[0];
    for (let i = 0; i < 2300; i++)
      data.sfLma__License__c.push({
        ...template,
        Id: `a0L${String(8000 + i).padStart(12, '0')}AAA`,
        sfLma__Status__c: 'Active',
        sfLma__Seats__c: 10,
        // Every third one over its seats, by 1 to 3.
        sfLma__Used_Licenses__c: i % 3 === 0 ? 11 + (i % 9) / 3 : 5,
        sfLma__Account__c: ACCOUNTS.globex,
      });
    h = await startHarness({ data });
    const answer = await answerOf(h, 'health');
    const { logged, responseUrl } = await clickExport(h, answer, { blockId: 'lma_list_over' });
    const { ids } = await fileInDm(h);
    const expected = plainHealth(data).over;
    expect(new Set(ids)).toEqual(new Set(expected.map((l) => l.id)));
    expect(ids).toHaveLength(expected.length);
    // Most seats over first, as the answer sorts them.
    const over = new Map(expected.map((l) => [l.id, l.used - l.seats]));
    const excess = ids.map((id) => over.get(id)!);
    expect(excess).toEqual([...excess].sort((a, b) => b - a));
    // 2,3xx candidates: the query's first page, then its second in one composite call.
    expect(h.bot.emulator!.log.slice(logged).map(lmoCall)).toEqual(['query', 'composite of 1 page']);
    // 2,3xx licenses read: the notice says so (the rows are only known once filtered).
    expect((await told(h, responseUrl)).text).toMatch(/^Reading 2,3\d\d licenses for the CSV file/);
  });

  test('the installs on a version (a thread question): the CSV’s rows are a plain filter over the data', async () => {
    const data = lmoFixture();
    h = await startHarness({ data });
    const { message } = await h.driver.say(`${botMention(h)} who is still on 1.x?`, { user: USER, channel: CHANNEL });
    const [reply] = await waitForBotReplies(h, CHANNEL, message.ts);
    expect(JSON.stringify(reply.blocks)).toContain('lma_export_csv');
    const { responseUrl } = await clickExport(h, { blocks: reply.blocks, ts: reply.ts, thread_ts: reply.thread_ts });
    const { ids, file } = await fileInDm(h);
    const expected = plainLicenses(data)
      .filter((l) => (l.status === 'Active' || l.status === 'Trial') && l.version.startsWith('1.'))
      .sort(
        byKey(
          (l) => l.version,
          (l) => l.id,
        ),
      );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected.map((l) => l.id));
    expect(file.name).toBe(`version-${TODAY}.csv`);
    expect((await told(h, responseUrl)).text).toContain(`I sent you the CSV (${expected.length} rows) in a DM.`);
    // Not in the thread or the channel, though the question was asked in the open.
    expect(filesInChannel(h)).toEqual([]);
  });

  test('a button for a list kind this bot no longer knows (or a value it did not write) says it is out of date', async () => {
    h = await startHarness();
    const answer = await answerOf(h, 'renewals 30');
    for (const value of [
      '{"k":"churn"}',
      '{"k":"risk"}',
      '{"k":"over","r":["2026-06-15","2026-09-13","in the next 90 days"]}',
      '{"k":"version"}',
      '{"k":"hot","n":2,"a":["2026-06-20","a0L000000000001AAA"]}',
    ]) {
      const { responseUrl, logged } = await clickExport(h, answer, { value });
      expect((await told(h, responseUrl)).text).toMatch(/out of date/);
      expect(h.bot.emulator!.log.length).toBe(logged);
    }
    expect(h.slack.calls.filter((c) => c.method === 'conversations.open')).toEqual([]);
  });
});

describe('Export CSV when Slack refuses a step', () => {
  const withoutScope = (scope: string): HarnessOptions => ({
    slack: { scopes: DEFAULT_BOT_SCOPES.filter((s) => s !== scope) },
  });

  test('no im:write: says the DM cannot be opened, the scope and what to do; reads nothing from the LMO', async () => {
    h = await startHarness(withoutScope('im:write'));
    const { responseUrl, logged } = await exportOf(h, 'renewals 30');
    const { text } = await told(h, responseUrl);
    expect(text).toContain('I cannot open a DM with you: the app lacks the Slack scope `im:write`');
    expect(text).toContain('reinstalls the app');
    expect(h.bot.emulator!.log.length).toBe(logged);
    expect(filesInChannel(h)).toEqual([]);
  });

  test('no files:write: says the file cannot be uploaded, the scope and what to do', async () => {
    h = await startHarness(withoutScope('files:write'));
    const { responseUrl } = await exportOf(h, 'renewals 30');
    const { text } = await told(h, responseUrl);
    expect(text).toContain('I cannot upload the file to our DM: the app lacks the Slack scope `files:write`');
  });

  test.each([
    ['conversations.open', 'cannot_dm_bot', 'Slack says you are a bot user'],
    ['conversations.open', 'user_disabled', 'Slack does not let me reach your account (user_disabled)'],
    ['files.completeUploadExternal', 'file_uploads_disabled', 'file uploads are turned off in this workspace'],
    ['files.completeUploadExternal', 'channel_not_found', "Open the LMA app's Messages tab once"],
    ['files.completeUploadExternal', 'fatal_error', 'Slack answered `fatal_error`. Try again in a minute'],
  ])('%s answering %s is told plainly, with what to do', async (method, error, words) => {
    h = await startHarness();
    h.slack.failNext(method, { error });
    const { responseUrl } = await exportOf(h, 'renewals 30');
    expect((await told(h, responseUrl)).text).toContain(words);
    expect(filesInChannel(h)).toEqual([]);
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
