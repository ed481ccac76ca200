import { describe, expect, test } from 'vitest';
import type { DigestContent } from '../../../src/features/digest/compose.js';
import { type DigestViewContext, digestDetailsView, digestView } from '../../../src/features/digest/views.js';
import type { License } from '../../../src/lma/model.js';
import { blockText } from '../../support/harness.js';

const ctx: DigestViewContext = {
  instanceUrl: 'https://lmo.example',
  lmoLabel: 'Test LMO',
  readAt: new Date('2026-06-15T09:00:00Z'),
  timezone: 'UTC',
};

const license = (n: number, packageName: string, expiration: string): License => ({
  id: `a0L${String(n).padStart(15, '0')}`,
  name: `L-${n}`,
  status: 'Active',
  expiration,
  seats: 10,
  siteLicense: false,
  usedSeats: 1,
  installDate: null,
  orgId: null,
  isSandbox: false,
  instance: null,
  edition: null,
  version: null,
  packageId: null,
  packageName,
  customer: { name: `Customer ${n}`, kind: 'account', owner: 'Ann' },
  lastModified: null,
});

const content = (renewals: License[], total = renewals.length): DigestContent => ({
  day: '2026-06-15',
  timezone: 'UTC',
  composedAt: '2026-06-15T09:00:00.000Z',
  renewals: { days: 30, licenses: renewals, total, seats: 10 * total, siteLicenses: 0, urgent: 0 },
  trials: { days: 7, licenses: [], total: 0 },
  changes: {
    kind: 'changes',
    since: '2026-06-12T09:00:00.000Z',
    through: 7,
    truncated: false,
    installs: [],
    conversions: [],
    uninstalls: [],
    suspensions: [],
    seatChanges: [],
  },
});

describe('digest view', () => {
  test('one package: no sub-headings; everything fits: no thread reply', () => {
    const c = content([license(1, 'Invoicer', '2026-06-20'), license(2, 'Invoicer', '2026-06-21')]);
    const text = blockText(digestView(c, ctx).blocks);
    expect(text).not.toContain('*Invoicer*');
    expect(text).toContain('<https://lmo.example/lightning/r/sfLma__License__c/a0L000000000000001/view|Customer 1>');
    expect(digestDetailsView(c, ctx)).toBeNull();
  });

  test('more than the thread holds: the reply ends with the full count and the command that lists them', () => {
    const rows = Array.from({ length: 8 }, (_, i) => license(i, i % 2 ? 'Invoicer' : 'Scheduler', '2026-06-25'));
    const c = content(rows, 250);
    const message = blockText(digestView(c, ctx).blocks);
    expect(message).toContain('*Invoicer*');
    expect(message).toContain('*Scheduler*');
    expect(message).toContain('…and 245 more (250 in all): see the thread.');
    const details = blockText(digestDetailsView(c, ctx)!.blocks);
    expect(details.match(/expires/g)).toHaveLength(3);
    expect(details).toContain('…and 242 more: `/lma renewals 30` lists them all.');
  });

  test('no changes, no renewals, no trials: all clear', () => {
    const view = digestView(content([]), ctx);
    expect(blockText(view.blocks)).toContain('*All clear.*');
    expect(view.text).toContain('all clear');
  });
});

const url = (n: number | string) =>
  `https://lmo.example/lightning/r/sfLma__License__c/${typeof n === 'number' ? `a0L${String(n).padStart(15, '0')}` : n}/view`;
const ref = (n: number, packageName = 'Invoicer') => ({
  id: `r${n}`,
  name: `L-${n}`,
  customer: `Customer ${n}`,
  packageName,
});
const noChanges = {
  kind: 'changes' as const,
  since: '2026-06-12T09:00:00.000Z',
  through: 7,
  truncated: false,
  installs: [],
  conversions: [],
  uninstalls: [],
  suspensions: [],
  seatChanges: [],
};
const texts = (blocks: unknown[]) =>
  blocks.map((b) => {
    const block = b as { type: string; text?: { text: string }; elements?: { text: string }[] };
    return block.type === 'divider' ? '---' : (block.text?.text ?? block.elements?.map((e) => e.text).join(' | '));
  });

describe('the channel message, section by section', () => {
  const busy = (): DigestContent => ({
    ...content([]),
    renewals: {
      days: 30,
      licenses: [
        license(1, 'Invoicer', '2026-06-22'),
        { ...license(2, 'Invoicer', '2026-06-23'), siteLicense: true, customer: { name: 'Customer 2', kind: 'lead' } },
      ],
      total: 2,
      seats: 10,
      siteLicenses: 1,
      urgent: 1,
    },
    trials: {
      days: 7,
      licenses: [
        { ...license(3, 'Scheduler', '2026-06-16'), status: 'Trial' },
        { ...license(4, 'Scheduler', '2026-06-15'), status: 'Trial', customer: { name: 'Customer 4', kind: 'lead' } },
      ],
      total: 2,
    },
    changes: {
      ...noChanges,
      installs: [ref(5)],
      conversions: [ref(6), ref(7, 'Sched*uler')],
      seatChanges: [
        { ...ref(8), from: 10, to: 1 },
        { ...ref(9), from: -1, to: null },
      ],
    },
  });

  test('renewals, trials and changes in that order, between dividers, each line with its facts', () => {
    const view = digestView(busy(), ctx);
    expect(view.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'LMA digest · Mon 15 Jun 2026', emoji: true },
      block_id: 'lma_digest_2026-06-15',
    });
    expect(texts(view.blocks.slice(1))).toEqual([
      [
        '*Renewals in the next 30 days* — 2 paid licenses, *10 seats + 1 site license* up for renewal, *1 urgent* (within 7 days) :rotating_light:. Soonest first.',
        `:rotating_light: *<${url(1)}|Customer 1>* · Invoicer · 10 seats · owner Ann · expires Mon 22 Jun 2026 (in 7 days)`,
        `*<${url(2)}|Customer 2>* · Invoicer · site license · expires Tue 23 Jun 2026 (in 8 days)`,
      ].join('\n'),
      '---',
      [
        '*Trials ending in the next 7 days* — 2 trials.',
        `*<${url(3)}|Customer 3>* · Scheduler · trial ends Tue 16 Jun 2026 (tomorrow) · owner Ann`,
        `*<${url(4)}|Customer 4>* · Scheduler · trial ends Mon 15 Jun 2026 (today)`,
      ].join('\n'),
      '---',
      [
        '*Since the last digest* (12 Jun 2026, 09:00 (UTC)) — 1 new trial install · 2 conversions to paid · 0 uninstalls · 0 suspensions · 2 seat changes',
        `• *New trial install*: <${url('r5')}|Customer 5> (Invoicer)`,
        `• *Conversions to paid*: <${url('r6')}|Customer 6> (Invoicer), <${url('r7')}|Customer 7> (Sched∗uler)`,
        `• *Seat changes*: <${url('r8')}|Customer 8> (Invoicer): 10 seats → 1 seat, <${url('r9')}|Customer 9> (Invoicer): site license → ?`,
      ].join('\n'),
      'LMO: Test LMO · read 15 Jun 2026, 09:00 (UTC) · reply in the thread to ask about anything here',
    ]);
    expect(digestDetailsView(busy(), ctx)).toBeNull();
  });

  test('the fallback: the counts, the three soonest renewals and their dates, the trials and changes', () => {
    const c = busy();
    c.renewals.licenses.push(license(10, 'Invoicer', '2026-07-01'), license(11, 'Invoicer', '2026-07-02'));
    c.renewals.licenses[1].customer.name = '<Lead*>';
    c.renewals.total = 4;
    expect(digestView(c, ctx).text).toBe(
      'LMA digest for Mon 15 Jun 2026: 4 renewals in the next 30 days (10 seats, 1 urgent), soonest Customer 1 (2026-06-22), &lt;Lead∗&gt; (2026-06-23), Customer 10 (2026-07-01); 2 trials ending in the next 7 days; 5 changes since the last digest.',
    );
  });

  test('the fallback with no renewal and changes not yet tracked', () => {
    const c: DigestContent = { ...busy(), changes: { kind: 'first_run' } };
    c.renewals = { days: 30, licenses: [], total: 0, seats: 0, siteLicenses: 0, urgent: 0 };
    c.trials.total = 1;
    expect(digestView(c, ctx).text).toBe(
      'LMA digest for Mon 15 Jun 2026: 0 renewals in the next 30 days (0 seats, 0 urgent); 1 trial ending in the next 7 days; changes reported from the next digest on.',
    );
  });

  test('an empty section says none in its window; no urgent renewal, no urgent note; no expiration reads so', () => {
    const c: DigestContent = {
      ...content([{ ...license(1, 'Invoicer', '2026-07-10'), expiration: null }]),
      trials: { days: 14, licenses: [], total: 0 },
    };
    const view = digestView(c, ctx);
    expect(texts(view.blocks).slice(1, 4)).toEqual([
      [
        '*Renewals in the next 30 days* — 1 paid license, *10 seats* up for renewal. Soonest first.',
        `*<${url(1)}|Customer 1>* · Invoicer · 10 seats · owner Ann · expires does not expire`,
      ].join('\n'),
      '---',
      '*Trials ending* — none in the next 14 days.',
    ]);
    const noRenewals = digestView({ ...busy(), renewals: { ...busy().renewals, licenses: [], total: 0 } }, ctx);
    expect(texts(noRenewals.blocks)[1]).toBe('*Renewals* — none in the next 30 days.');
  });

  test('a section with more in its window than it kept: the rest counted, no thread', () => {
    const c = content([license(1, 'Invoicer', '2026-06-20'), license(2, 'Invoicer', '2026-06-21')], 9);
    expect(blockText(digestView(c, ctx).blocks)).toContain('…and 7 more (9 in all).');
    expect(blockText(digestView(c, ctx).blocks)).not.toContain('see the thread');
  });

  test('a note and a late post are said first, in that order', () => {
    const view = digestView(content([license(1, 'Invoicer', '2026-06-20')]), {
      ...ctx,
      note: 'Preview: not posted.',
      lateFor: '09:00',
    });
    expect(texts(view.blocks).slice(1, 3)).toEqual([
      'Preview: not posted.',
      ':alarm_clock: Posted late: this digest was due at 09:00 (UTC), while the bot was not running or could not post.',
    ]);
    expect(view.blocks[1].type).toBe('context');
  });

  test('rows of several packages go under their package, escaped, in the order first met', () => {
    const c = content([license(1, 'B*', '2026-06-25'), license(2, 'A', '2026-06-26'), license(3, 'B*', '2026-06-22')]);
    const lines = texts(digestView(c, ctx).blocks)[1]?.split('\n');
    expect(lines?.map((l) => l.split(' · ')[0])).toEqual([
      '*Renewals in the next 30 days* — 3 paid licenses, *30 seats* up for renewal. Soonest first.',
      '*B∗*',
      `*<${url(1)}|Customer 1>*`,
      `:rotating_light: *<${url(3)}|Customer 3>*`,
      '*A*',
      `*<${url(2)}|Customer 2>*`,
    ]);
  });
});

describe('the changes', () => {
  const withChanges = (changes: DigestContent['changes']) => ({
    ...content([license(1, 'Invoicer', '2026-06-20')]),
    changes,
  });
  const changesText = (c: DigestContent) => texts(digestView(c, ctx).blocks).at(-2);

  test('a first digest says changes come from the next one', () => {
    expect(changesText(withChanges({ kind: 'first_run' }))).toBe(
      '*Since the last digest* — this is the first digest: changes (installs, conversions, uninstalls, suspensions, seats) are reported from the next day on.',
    );
    expect(texts(digestView(withChanges({ kind: 'first_run' }), ctx).blocks).at(-3)).toBe('---');
  });

  test('no change since the last digest says so, with when that was', () => {
    expect(changesText(withChanges(noChanges))).toBe(
      '*Since the last digest* (12 Jun 2026, 09:00 (UTC)) — no installs, conversions, uninstalls, suspensions or seat changes.',
    );
  });

  test('one of each kind in the singular; a kind with more than five lists five and sends the rest to the thread', () => {
    const uninstalls = Array.from({ length: 7 }, (_, i) => ref(20 + i));
    const c = withChanges({
      ...noChanges,
      installs: [ref(1)],
      conversions: [ref(2)],
      uninstalls,
      suspensions: [ref(3)],
      seatChanges: [{ ...ref(4), from: null, to: 5 }],
    });
    const lines = changesText(c)?.split('\n');
    expect(lines?.[0]).toBe(
      '*Since the last digest* (12 Jun 2026, 09:00 (UTC)) — 1 new trial install · 1 conversion to paid · 7 uninstalls · 1 suspension · 1 seat change',
    );
    expect(lines?.slice(1).map((l) => l.split(':')[0])).toEqual([
      '• *New trial install*',
      '• *Conversion to paid*',
      '• *Uninstalls*',
      '• *Suspension*',
      '• *Seat change*',
    ]);
    expect(lines?.[3]).toBe(
      `• *Uninstalls*: ${[20, 21, 22, 23, 24].map((n) => `<${url(`r${n}`)}|Customer ${n}> (Invoicer)`).join(', ')} and 2 more (see the thread)`,
    );
    expect(lines?.[5]).toBe(`• *Seat change*: <${url('r4')}|Customer 4> (Invoicer): ? → 5 seats`);
    const details = digestDetailsView(c, ctx);
    expect(details?.text).toBe('More from the LMA digest of Mon 15 Jun 2026.');
    expect(texts(details?.blocks ?? [])).toEqual([
      `*Since the last digest (continued)*\n• *Uninstalls*: <${url('r25')}|Customer 25> (Invoicer), <${url('r26')}|Customer 26> (Invoicer)`,
    ]);
  });

  test('more changes than a digest reads: the counts are said to be of the first ones', () => {
    const lines = changesText(withChanges({ ...noChanges, truncated: true, installs: [ref(1)] }))?.split('\n');
    expect(lines?.at(-1)).toBe('_More changes than a digest lists (5,000): the counts above are of the first ones._');
  });
});

describe('all clear and the thread reply', () => {
  test('all clear: the windows and that nothing changed, in the message and the fallback', () => {
    const c = { ...content([]), trials: { days: 14, licenses: [], total: 0 } };
    const view = digestView(c, ctx);
    expect(texts(view.blocks).slice(1)).toEqual([
      ':white_check_mark: *All clear.* 0 paid licenses up for renewal in the next 30 days, 0 trials ending in the next 14 days, no changes since the last digest.',
      'LMO: Test LMO · read 15 Jun 2026, 09:00 (UTC) · reply in the thread to ask about anything here',
    ]);
    expect(view.text).toBe(
      'LMA digest for Mon 15 Jun 2026: all clear. 0 paid licenses up for renewal in the next 30 days, 0 trials ending in the next 14 days, no changes since the last digest.',
    );
    expect(digestDetailsView(c, ctx)).toBeNull();
  });

  test('all clear on a first digest: changes come from the next one', () => {
    const view = digestView({ ...content([]), changes: { kind: 'first_run' } }, ctx);
    expect(view.text).toBe(
      'LMA digest for Mon 15 Jun 2026: all clear. 0 paid licenses up for renewal in the next 30 days, 0 trials ending in the next 7 days, changes are reported from the next digest on.',
    );
  });

  test('only changes make a digest not all clear', () => {
    const view = digestView({ ...content([]), changes: { ...noChanges, suspensions: [ref(1)] } }, ctx);
    expect(blockText(view.blocks)).not.toContain('All clear');
    expect(view.text).toContain('1 change since the last digest');
  });

  test('the reply continues each overflowing section under its title; one that holds all it read is not counted', () => {
    const rows = Array.from({ length: 7 }, (_, i) => license(i + 1, 'Invoicer', '2026-06-25'));
    const c = content(rows);
    const details = digestDetailsView(c, ctx);
    const [first, ...rest] = texts(details?.blocks ?? []);
    expect(first?.split('\n')).toEqual([
      '*Renewals in the next 30 days* — 7 paid licenses, *70 seats* up for renewal. Soonest first. (continued)',
      `*<${url(6)}|Customer 6>* · Invoicer · 10 seats · owner Ann · expires Thu 25 Jun 2026 (in 10 days)`,
      `*<${url(7)}|Customer 7>* · Invoicer · 10 seats · owner Ann · expires Thu 25 Jun 2026 (in 10 days)`,
    ]);
    expect(rest).toEqual([]);
    expect(blockText(digestView(c, ctx).blocks)).toContain('…and 2 more (7 in all): see the thread.');
  });

  test('trials overflowing: the command listing them all is the trials one', () => {
    const trials = Array.from({ length: 6 }, (_, i) => license(i + 1, 'Invoicer', '2026-06-20'));
    const c = { ...content([]), trials: { days: 7, licenses: trials, total: 10 } };
    expect(texts(digestDetailsView(c, ctx)?.blocks ?? []).at(-1)).toBe('…and 4 more: `/lma trials 7` lists them all.');
  });
});

describe('five rows fit the channel message', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => license(i + 1, 'Invoicer', '2026-06-25'));
  const renewalLines = (c: DigestContent) =>
    texts(digestView(c, ctx).blocks)[1]
      ?.split('\n')
      .slice(1)
      .map((l) => l.split(' · ')[0]);

  test('seven rows kept: the first five in the channel, the other two in the thread', () => {
    expect(renewalLines(content(rows(7)))).toEqual([1, 2, 3, 4, 5].map((n) => `*<${url(n)}|Customer ${n}>*`));
  });

  test('five rows kept of more in the window: all in the channel, the rest counted, no thread reply', () => {
    const c = content(rows(5), 9);
    expect(renewalLines(c)).toHaveLength(5);
    expect(blockText(digestView(c, ctx).blocks)).toContain('…and 4 more (9 in all).');
    expect(blockText(digestView(c, ctx).blocks)).not.toContain('see the thread');
    expect(digestDetailsView(c, ctx)).toBeNull();
  });

  test('five changes of a kind: all listed, none left for the thread', () => {
    const c = { ...content(rows(1)), changes: { ...noChanges, installs: [1, 2, 3, 4, 5].map((n) => ref(n)) } };
    const lines = texts(digestView(c, ctx).blocks).at(-2)?.split('\n');
    expect(lines?.[1]).toBe(
      `• *New trial installs*: ${[1, 2, 3, 4, 5].map((n) => `<${url(`r${n}`)}|Customer ${n}> (Invoicer)`).join(', ')}`,
    );
    expect(digestDetailsView(c, ctx)).toBeNull();
  });

  test('a first digest with rows for the thread: the reply holds them and no changes', () => {
    const c: DigestContent = { ...content(rows(6)), changes: { kind: 'first_run' } };
    expect(texts(digestDetailsView(c, ctx)?.blocks ?? [])).toEqual([
      [
        '*Renewals in the next 30 days* — 6 paid licenses, *60 seats* up for renewal. Soonest first. (continued)',
        `*<${url(6)}|Customer 6>* · Invoicer · 10 seats · owner Ann · expires Thu 25 Jun 2026 (in 10 days)`,
      ].join('\n'),
    ]);
  });

  test('the thread reply holds at most the 50 blocks Slack takes in a message', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      ...license(i + 1, 'Invoicer', '2026-06-25'),
      customer: { name: `Customer ${i + 1} ${'x'.repeat(40)}`, kind: 'account' as const, owner: 'Ann' },
    }));
    const details = digestDetailsView(content(many), ctx);
    expect(details?.blocks).toHaveLength(50);
  });
});
