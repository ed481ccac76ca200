import { describe, expect, test } from 'vitest';
import {
  conversionsView,
  customerView,
  licenseListView,
  renewalsView,
  trialsView,
} from '../../../src/features/answers/views.js';
import type { Customer, License } from '../../../src/lma/model.js';
import type {
  ConversionsAnswer,
  CustomerFocus,
  CustomerLookup,
  RenewalsAnswer,
  TrialsAnswer,
} from '../../../src/lma/service.js';
import { withoutTables } from '../../../src/slack/blocks.js';
import { expirationText, seatsText, type ViewContext } from '../../../src/slack/licenses.js';
import { blockText, tableRows } from '../../support/harness.js';
import { licenseNumber, viewContext } from '../../support/view-fixtures.js';

const ctx = viewContext;
const license = licenseNumber;

const renewals = (count: number, page = { number: 1, size: 20 }, total = count): RenewalsAnswer => ({
  kind: 'renewals',
  today: '2026-06-15',
  range: { from: '2026-06-15', to: '2026-07-15', label: 'in the next 30 days' },
  licenses: Array.from({ length: count }, (_, i) => license(i + 1)),
  page: { ...page, hasPrevious: page.number > 1, hasNext: page.number * page.size < total },
  total,
  seats: count * 10,
  siteLicenses: 0,
});

type Table = { type: 'table'; rows: { type: string; text?: string; elements?: unknown[] }[][] };
const tableOf = (blocks: unknown[]) => blocks.find((b) => (b as Table).type === 'table') as Table | undefined;

describe('long lists', () => {
  test('a page is a table block: a header row, a row per license, and where the page sits in the list', () => {
    const view = renewalsView(renewals(20, { number: 2, size: 20 }, 135), ctx);
    const table = tableOf(view.blocks);
    expect(table?.rows).toHaveLength(21);
    expect(table?.rows[0].map((c) => c.text)).toEqual([
      'Customer',
      'Package',
      'Seats',
      'Expires',
      'Days left',
      'Owner',
    ]);
    expect(table?.rows[1].slice(1).map((c) => c.text)).toEqual([
      'Invoicer 2.0.0',
      '4 of 10 seats used',
      'Sat 20 Jun 2026',
      '5',
      'Ann',
    ]);
    // The customer links to its license record.
    expect(JSON.stringify(table?.rows[1][0])).toContain('/lightning/r/sfLma__License__c/a0L000000000000001/view');
    expect(blockText(view.blocks)).toContain('Rows 21–40 of 135 · page 2 of 7');
  });

  test('withoutTables: the same message with the table as mrkdwn rows, escaped, and one line saying so', () => {
    const hostile = license(1, { customer: { name: '<!channel> *Evil*', kind: 'account', id: '0011', owner: 'Ann' } });
    const view = renewalsView({ ...renewals(1), licenses: [hostile, license(2)], total: 2 }, ctx);
    const text = withoutTables(view);
    expect(text?.blocks.some((b) => b.type === 'table')).toBe(false);
    const rows = blockText(text?.blocks);
    expect(rows).toContain(
      '*:warning: <https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L000000000000001/view|&lt;!channel&gt; ∗Evil∗>* · Invoicer 2.0.0',
    );
    expect(rows).toContain(
      '*:warning: <https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L000000000000002/view|Customer 2>* · Invoicer 2.0.0 · 4 of 10 seats used · Sat 20 Jun 2026 · 5 · Ann',
    );
    expect(rows.match(/Slack did not accept a table/g)).toHaveLength(1);
    expect(withoutTables({ text: 'x', blocks: [] })).toBeUndefined();
  });

  test('every view has a plain-text fallback and a context line with the LMO and read time', () => {
    const view = renewalsView(renewals(2), ctx);
    expect(view.text).toContain('Renewals in the next 30 days: 2 licenses, 20 seats.');
    expect(blockText(view.blocks)).toContain('LMO: ISV (00D…) · data read 15 Jun 2026, 10:00 (UTC)');
  });

  test('Share in channel appears only when a command can be re-run, never in threads', () => {
    expect(JSON.stringify(renewalsView(renewals(1), { ...ctx, shareCommand: 'renewals 30' }).blocks)).toContain(
      'lma_share',
    );
    expect(
      JSON.stringify(renewalsView(renewals(1), { ...ctx, shareCommand: 'renewals 30', compact: true }).blocks),
    ).not.toContain('lma_share');
  });
});

describe('license facts', () => {
  test('seats, site licenses, perpetual and past expirations read plainly', () => {
    expect(seatsText(license(1))).toBe('4 of 10 seats used');
    expect(seatsText(license(1, { siteLicense: true, seats: null }))).toBe('site license');
    expect(expirationText(license(1, { expiration: null }), '2026-06-15')).toBe('does not expire');
    expect(expirationText(license(1, { expiration: '2026-06-12' }), '2026-06-15')).toBe(
      'expired Fri 12 Jun 2026 (3 days ago)',
    );
  });

  test('a renewal question about a customer leads with the next renewal date', () => {
    const view = customerView(
      {
        kind: 'found',
        term: 'Customer 1',
        customer: license(1).customer,
        licenses: [license(1), license(2, { expiration: '2026-09-01', packageName: 'Scheduler' })],
      },
      'renewal',
      ctx,
      '2026-06-15',
    );
    expect(view.text).toBe('Customer 1: Customer 1 renews Invoicer on Sat 20 Jun 2026 (in 5 days).');
  });
});

describe('facts the integration user cannot read', () => {
  test('are left out of list rows and license cards, not shown as unknown', () => {
    const hidden = { ...ctx, hidden: new Set(['seats', 'install date', 'instance'] as const) };
    const table = tableOf(renewalsView(renewals(1), hidden).blocks);
    expect(table?.rows[0].map((c) => c.text)).toEqual(['Customer', 'Package', 'Expires', 'Days left', 'Owner']);
    expect(JSON.stringify(table)).not.toMatch(/seats used|unknown/);
    const card = blockText(
      customerView(
        { kind: 'found', term: 'Customer 1', customer: license(1).customer, licenses: [license(1)] },
        'status',
        hidden,
        '2026-06-15',
      ).blocks,
    );
    expect(card).not.toMatch(/\*Seats\*|\*Installed\*|NA1/);
    expect(card).toContain('Production · Enterprise Edition');
    expect(seatsText(license(1), { ...ctx, hidden: new Set(['used seats'] as const) })).toBe('10 seats');
  });
});

const section = (blocks: unknown[], i: number) => (blocks[i] as { text?: { text: string } }).text?.text;
const pageOf = (hasNext = false) => ({ number: 1, size: 20, hasPrevious: false, hasNext });
const controls = [{ type: 'actions' as const, block_id: 'list_buttons', elements: [] }];

describe('renewals', () => {
  test('the summary counts paid licenses, seats and site licenses, with the package asked for', () => {
    const view = renewalsView(
      { ...renewals(2), package: 'In*voicer', seats: 20, siteLicenses: 1, total: 3 },
      ctx,
      controls,
    );
    expect(section(view.blocks, 1)).toBe(
      '*3 paid licenses* up for renewal for packages matching “In∗voicer”, Mon 15 Jun 2026 – Wed 15 Jul 2026: *20 seats + 1 site license*. Soonest first; :warning: = within 7 days.',
    );
    expect(view.text).toBe(
      'Renewals in the next 30 days: 3 licenses, 20 seats + 1 site license. Customer 1 (2026-06-20). Customer 2 (2026-06-20).',
    );
    // The list's buttons sit between the table and the footer.
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'table', 'actions', 'context']);
    expect((view.blocks[3] as { block_id: string }).block_id).toBe('list_buttons');
  });

  test('a window with no renewals says so, its dates, and what is not counted', () => {
    const view = renewalsView({ ...renewals(0), seats: 0 }, ctx);
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('Renewals in the next 30 days');
    expect(section(view.blocks, 1)).toBe(
      'No paid licenses expire in the next 30 days (Mon 15 Jun 2026 – Wed 15 Jul 2026). Sandboxes and licenses that do not expire are not counted.',
    );
    expect(view.text).toBe('Renewals in the next 30 days: 0 licenses, 0 seats.');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  test('the fallback names only the first three customers, with their expiration, escaped', () => {
    const licenses = [
      license(1, { customer: { name: '<Acme>', kind: 'account' } }),
      license(2, { expiration: '2026-06-22' }),
      license(3),
      license(4),
    ];
    const view = renewalsView({ ...renewals(4), licenses }, ctx);
    expect(view.text).toBe(
      'Renewals in the next 30 days: 4 licenses, 40 seats. &lt;Acme&gt; (2026-06-20). Customer 2 (2026-06-22). Customer 3 (2026-06-20).',
    );
  });
});

describe('trials', () => {
  const trials = (count: number, more: Partial<TrialsAnswer> = {}): TrialsAnswer => ({
    kind: 'trials',
    today: '2026-06-15',
    trials: Array.from({ length: count }, (_, i) => license(i + 1, { status: 'Trial' })),
    page: pageOf(),
    total: count,
    ...more,
  });

  test('a window, a package and the trials expired unconverted are all in the summary and the fallback', () => {
    const view = trialsView(
      trials(2, {
        range: { from: '2026-06-15', to: '2026-06-29', label: 'in the next 14 days' },
        package: 'In*voicer',
        expiredUnconverted: 3,
      }),
      ctx,
      controls,
    );
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('Trials in the next 14 days');
    expect(section(view.blocks, 1)).toBe(
      '*2 trials* running in the next 14 days for packages matching “In∗voicer”, soonest to expire first; :warning: = within 7 days. 3 trials expired without converting in the last 30 days.',
    );
    expect(view.text).toBe(
      'Trials in the next 14 days: 2 trials running; 3 trials expired without converting in the last 30 days.',
    );
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'table', 'actions', 'context']);
    expect(tableRows(view.blocks).map((row) => row[0])).toEqual(['Customer 1', 'Customer 2']);
  });

  test('no trials running, no window and the expired count left out: nothing else is said', () => {
    const view = trialsView(trials(0), ctx);
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('Trials');
    expect(section(view.blocks, 1)).toBe('No trials are running. ');
    expect(view.text).toBe('Trials: 0 trials running; ');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  test('one trial and one expired read in the singular; none expired is still said', () => {
    expect(section(trialsView(trials(1, { expiredUnconverted: 1 }), ctx).blocks, 1)).toBe(
      '*1 trial* running, soonest to expire first; :warning: = within 7 days. 1 trial expired without converting in the last 30 days.',
    );
    expect(trialsView(trials(0, { expiredUnconverted: 0 }), ctx).text).toBe(
      'Trials: 0 trials running; 0 trials expired without converting in the last 30 days.',
    );
  });
});

describe('conversions', () => {
  const lastMonth = { from: '2026-05-01', to: '2026-05-31', label: 'last month' };
  const conversion = (n: number, at: string) => ({
    license: { id: `a0L${n}`, name: `L-${n}`, customer: `Customer ${n}`, packageName: 'Invoicer' },
    at,
  });
  const conversions = (more: Partial<ConversionsAnswer> = {}): ConversionsAnswer => ({
    kind: 'conversions',
    today: '2026-06-15',
    range: lastMonth,
    historyTracked: true,
    converted: 2,
    conversions: [conversion(1, '2026-05-10T09:00:00.000Z'), conversion(2, '2026-05-31T23:00:00.000Z')],
    expiredUnconverted: 1,
    rate: 2 / 3,
    ...more,
  });

  test('the converted trials, those ended unconverted and the rate, rounded, then a line per conversion', () => {
    const view = conversionsView(conversions({ package: 'In*voicer' }), ctx);
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('Conversions last month');
    expect(section(view.blocks, 1)).toBe(
      '*2 trials* converted to paid for packages matching “In∗voicer” (Fri 1 May 2026 – Sun 31 May 2026); 1 trial ended unconverted; conversion rate *67%* of trials that ended.',
    );
    expect(section(view.blocks, 2)).toBe(
      [
        '*<https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L1/view|Customer 1>* · Invoicer · converted Sun 10 May 2026',
        '*<https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L2/view|Customer 2>* · Invoicer · converted Sun 31 May 2026',
      ].join('\n'),
    );
    expect(view.text).toBe('Conversions last month: 2 converted, 1 expired unconverted, rate 67%.');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  });

  test('more converted than listed: the rest are counted', () => {
    const view = conversionsView(conversions({ converted: 40 }), ctx);
    expect(blockText(view.blocks)).toContain('…and 38 more (40 in all). Narrow it with a package or a shorter window.');
  });

  test('no trial ended in the window: no rate', () => {
    const view = conversionsView(
      conversions({ converted: 0, conversions: [], expiredUnconverted: 0, rate: null }),
      ctx,
    );
    expect(section(view.blocks, 1)).toBe(
      '*0 trials* converted to paid (Fri 1 May 2026 – Sun 31 May 2026); 0 trials ended unconverted; no trial ended in this window of trials that ended.',
    );
    expect(view.text).toBe('Conversions last month: 0 converted, 0 expired unconverted, rate n/a.');
  });

  test('without field history: how to turn it on, and what the bot can still tell', () => {
    const view = conversionsView(
      conversions({ historyTracked: false, converted: 0, conversions: [], expiredUnconverted: 4, package: 'Inv' }),
      ctx,
    );
    expect(view.text).toBe(
      'Conversions last month: license history tracking is off in this LMO; 4 trials expired unconverted.',
    );
    expect(section(view.blocks, 1)).toBe(
      'This LMO does not track field history on licenses, so the bot cannot tell when trials became paid.\n' +
        '*To enable it:* Setup → Object Manager → License → Fields & Relationships → *Set History Tracking* → tick *Status* (and Seats, Expiration) → Save. Conversions are reported from then on.\n' +
        'What the bot can still tell: *4 trials* expired without converting last month for packages matching “Inv”; `/lma trials` lists the trials running now.',
    );
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });
});

describe('installs on a version', () => {
  test('the title and summary name the version, the fallback the first three customers and their versions', () => {
    const licenses = [license(1), license(2, { version: '2.1' }), license(3, { version: null }), license(4)];
    const view = licenseListView(
      { versionPrefix: '2.', package: 'In*voicer', today: '2026-06-15', licenses, total: 4, page: pageOf() },
      ctx,
      controls,
    );
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('Installs on version 2.x');
    expect(section(view.blocks, 1)).toBe(
      '*4 active or trial licenses* for packages matching “In∗voicer” run a version starting with 2., by version.',
    );
    expect(view.text).toBe(
      'Installs on version 2.x: 4 licenses. Customer 1 (2.0.0). Customer 2 (2.1). Customer 3 (?).',
    );
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'table', 'actions', 'context']);
  });

  test('one license, no package', () => {
    const view = licenseListView(
      { versionPrefix: '1.*', today: '2026-06-15', licenses: [license(1)], total: 1, page: pageOf() },
      ctx,
    );
    expect(section(view.blocks, 1)).toBe('*1 active or trial license* run a version starting with 1.∗, by version.');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'table', 'context']);
  });
});

describe('a customer', () => {
  const found = (licenses: License[], customer: Customer = license(1).customer): CustomerLookup => ({
    kind: 'found',
    term: 'Customer 1',
    customer,
    licenses,
  });
  const headline = (focus: CustomerFocus, licenses: License[]) =>
    customerView(found(licenses), focus, ctx, '2026-06-15').text;

  test('the card: a header, the headline and owner, then each license with its facts and a link to it', () => {
    const view = customerView(
      found([
        license(1),
        license(2, { orgId: null, installDate: null, isSandbox: true, edition: null, instance: null }),
      ]),
      'status',
      ctx,
      '2026-06-15',
    );
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('Customer 1');
    expect(section(view.blocks, 1)).toBe('2 licenses: 2 Active.\nAccount owner: Ann');
    const card = (i: number) => view.blocks[i] as { text: { text: string }; fields: { text: string }[] };
    expect(card(2).text.text).toBe(
      '*<https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L000000000000001/view|L-1>* · org `00D000000000001XYZ`',
    );
    expect(card(2).fields.map((f) => f.text)).toEqual([
      '*Package*\nInvoicer 2.0.0',
      '*Status*\nActive',
      '*Seats*\n4 of 10 seats used',
      '*Expiration*\nexpires Sat 20 Jun 2026 (in 5 days)',
      '*Installed*\nThu 1 Jan 2026',
      '*Org*\nProduction · Enterprise Edition · NA1',
    ]);
    expect(card(3).text.text).toBe(
      '*<https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L000000000000002/view|L-2>*',
    );
    expect(
      card(3)
        .fields.map((f) => f.text)
        .slice(4),
    ).toEqual(['*Installed*\nunknown', '*Org*\nSandbox · edition unknown · ?']);
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
    expect(view.text).toBe('Customer 1: 2 licenses: 2 Active.');
  });

  test('facts the integration user cannot read are left out of the card, the rest kept in order', () => {
    const fieldsOf = (hidden: string[]) => {
      const view = customerView(
        found([license(1)]),
        'status',
        { ...ctx, hidden: new Set(hidden) as ViewContext['hidden'] },
        '2026-06-15',
      );
      return (view.blocks[2] as { fields: { text: string }[] }).fields.map((f) => f.text);
    };
    expect(fieldsOf(['seats', 'install date', 'instance'])).toEqual([
      '*Package*\nInvoicer 2.0.0',
      '*Status*\nActive',
      '*Expiration*\nexpires Sat 20 Jun 2026 (in 5 days)',
      '*Org*\nProduction · Enterprise Edition',
    ]);
    expect(fieldsOf(['sandbox', 'edition']).slice(-1)).toEqual(['*Org*\nNA1']);
    expect(fieldsOf(['sandbox']).slice(-1)).toEqual(['*Org*\nEnterprise Edition · NA1']);
    expect(fieldsOf(['edition']).slice(-1)).toEqual(['*Org*\nProduction · NA1']);
  });

  test('in a thread the card is compact: three licenses, no install date or org, and the rest counted', () => {
    const licenses = Array.from({ length: 5 }, (_, i) => license(i + 1));
    const view = customerView(found(licenses), 'status', { ...ctx, compact: true }, '2026-06-15');
    const cards = view.blocks.filter((b) => b.type === 'section' && 'fields' in b) as { fields: { text: string }[] }[];
    expect(cards).toHaveLength(3);
    expect(cards[0].fields.map((f) => f.text.split('\n')[0])).toEqual([
      '*Package*',
      '*Status*',
      '*Seats*',
      '*Expiration*',
    ]);
    expect(blockText(view.blocks)).toContain('…and 2 more licenses (5 in all).');
  });

  test('ten licenses are shown in full; the eleventh is counted', () => {
    const view = customerView(found(Array.from({ length: 11 }, (_, i) => license(i + 1))), 'status', ctx, '2026-06-15');
    expect(view.blocks.filter((b) => b.type === 'section' && 'fields' in b)).toHaveLength(10);
    expect(blockText(view.blocks)).toContain('…and 1 more license (11 in all).');
    const all = customerView(found(Array.from({ length: 10 }, (_, i) => license(i + 1))), 'status', ctx, '2026-06-15');
    expect(blockText(all.blocks)).not.toContain('more license');
  });

  test('the owner line: an account or lead owner, or what the customer is when no owner is known', () => {
    const ownerLine = (customer: Customer) =>
      section(customerView(found([license(1)], customer), 'status', ctx, '2026-06-15').blocks, 1)?.split('\n')[1];
    expect(ownerLine({ name: 'Acme', kind: 'lead', owner: 'B*ob' })).toBe('Lead owner: B∗ob');
    expect(ownerLine({ name: 'Acme', kind: 'lead' })).toBe('Lead (not converted)');
    expect(ownerLine({ name: 'Acme', kind: 'account' })).toBe('Account');
  });

  test('the headline and the fallback are escaped; the header is plain text, left as it is', () => {
    const view = customerView(
      found([license(1)], { name: '*Acme* <!here>', kind: 'account', owner: 'Ann' }),
      'conversion',
      ctx,
      '2026-06-15',
    );
    expect((view.blocks[0] as { text: { text: string } }).text.text).toBe('*Acme* <!here>');
    expect(section(view.blocks, 1)).toBe('Yes: ∗Acme∗ &lt;!here&gt; is paying for Invoicer.\nAccount owner: Ann');
    expect(view.text).toBe('∗Acme∗ &lt;!here&gt;: Yes: ∗Acme∗ &lt;!here&gt; is paying for Invoicer.');
  });

  test('status: every status counted, in the order first met', () => {
    expect(
      headline('status', [
        license(1, { status: 'Trial' }),
        license(2),
        license(3, { status: 'Trial' }),
        license(4, { status: 'Uninstalled' }),
      ]),
    ).toBe('Customer 1: 4 licenses: 2 Trial, 1 Active, 1 Uninstalled.');
    expect(headline('status', [license(1)])).toBe('Customer 1: 1 license: 1 Active.');
  });

  test('renewal: the soonest paid license expiring from today on, whatever the order', () => {
    expect(
      headline('renewal', [
        license(1, { expiration: '2026-09-01', packageName: 'Later' }),
        license(2, { expiration: '2026-06-10', packageName: 'Expired' }),
        license(3, { expiration: '2026-06-16', packageName: 'Trial', status: 'Trial' }),
        license(4, { expiration: '2026-06-22', packageName: 'Next' }),
        license(5, { expiration: null, packageName: 'Perpetual' }),
      ]),
    ).toBe('Customer 1: Customer 1 renews Next on Mon 22 Jun 2026 (in 7 days).');
    expect(headline('renewal', [license(1, { expiration: '2026-06-15' })])).toBe(
      'Customer 1: Customer 1 renews Invoicer on Mon 15 Jun 2026 (today).',
    );
  });

  test('renewal: paid licenses that do not expire or have expired, or no paid license', () => {
    expect(headline('renewal', [license(1, { expiration: null }), license(2, { expiration: '2026-06-14' })])).toBe(
      "Customer 1: Customer 1's paid licenses do not expire (or have already expired): nothing to renew.",
    );
    expect(headline('renewal', [license(1, { status: 'Trial' })])).toBe(
      'Customer 1: Customer 1 has no paid license, so nothing renews.',
    );
  });

  test('conversion: paying for which packages, still on trial, or neither', () => {
    expect(
      headline('conversion', [
        license(1, { packageName: 'A' }),
        license(2, { packageName: 'T', status: 'Trial' }),
        license(3, { packageName: 'B' }),
      ]),
    ).toBe('Customer 1: Yes: Customer 1 is paying for A, B.');
    expect(
      headline('conversion', [
        license(1, { packageName: 'S', status: 'Suspended' }),
        license(2, { packageName: 'T', status: 'Trial' }),
      ]),
    ).toBe('Customer 1: Not yet: Customer 1 is still on trial (T).');
    expect(headline('conversion', [license(1, { status: 'Uninstalled' })])).toBe(
      'Customer 1: No: Customer 1 has no paid license.',
    );
  });

  test('seats: per active or trial license, or that they cannot be read', () => {
    expect(
      headline('seats', [
        license(1, { packageName: 'A' }),
        license(2, { packageName: 'S', status: 'Suspended' }),
        license(3, { packageName: 'T', status: 'Trial', siteLicense: true }),
      ]),
    ).toBe('Customer 1: Customer 1 uses A: 4 of 10 seats used; T: site license.');
    const hidden = { ...ctx, hidden: new Set(['seats'] as const) };
    expect(customerView(found([license(1)]), 'seats', hidden, '2026-06-15').text).toBe(
      'Customer 1: Customer 1 uses Invoicer: seats not readable.',
    );
    expect(headline('seats', [license(1, { status: 'Uninstalled' })])).toBe(
      'Customer 1: Customer 1 has no active or trial license.',
    );
  });

  test('version: every package not uninstalled, or uninstalled everywhere', () => {
    expect(
      headline('version', [
        license(1, { packageName: 'A' }),
        license(2, { packageName: 'U', status: 'Uninstalled' }),
        license(3, { packageName: 'B', version: null, status: 'Suspended' }),
      ]),
    ).toBe('Customer 1: Customer 1 is on A 2.0.0, B (version unknown).');
    expect(headline('version', [license(1, { status: 'Uninstalled' })])).toBe(
      'Customer 1: Customer 1 has the package uninstalled everywhere.',
    );
  });
});

describe('a customer not found, or several', () => {
  type Buttons = {
    type: string;
    block_id: string;
    elements: { text: { text: string }; action_id: string; value: string }[];
  };

  test('several match: the first ten as a list and as buttons that ask again with the same focus', () => {
    const candidates = Array.from({ length: 12 }, (_, i) => ({
      customer: { name: i === 0 ? '*Acme*' : `Acme ${i + 1}`, kind: 'account' as const },
      licenses: i + 1,
    }));
    const view = customerView({ kind: 'ambiguous', term: 'ac*', candidates }, 'seats', ctx, '2026-06-15');
    const lines = section(view.blocks, 0)?.split('\n');
    expect(lines?.[0]).toBe('*12 customers match “ac∗”.* Which one did you mean?');
    expect(lines?.slice(1, 3)).toEqual(['• ∗Acme∗ (1 license)', '• Acme 2 (2 licenses)']);
    expect(lines).toHaveLength(12);
    expect(lines?.[10]).toBe('• Acme 10 (10 licenses)');
    expect(lines?.[11]).toBe('…and 2 more: type more of the name.');
    const buttons = view.blocks[1] as unknown as Buttons;
    expect(buttons.type).toBe('actions');
    expect(buttons.block_id).toBe('lma_pick_customer');
    expect(buttons.elements).toHaveLength(10);
    expect(buttons.elements[1].text.text).toBe('Acme 2');
    expect(buttons.elements[1].action_id).toBe('lma_pick_customer_1');
    expect(JSON.parse(buttons.elements[1].value)).toEqual({ name: 'Acme 2', focus: 'seats' });
    expect(view.text).toBe(
      '12 customers match "ac∗": ∗Acme∗, Acme 2, Acme 3, Acme 4, Acme 5, Acme 6, Acme 7, Acme 8, Acme 9, Acme 10. Which one?',
    );
    expect(view.blocks).toHaveLength(2);
  });

  test('ten or fewer match: no "more" line', () => {
    const candidates = [1, 2].map((n) => ({ customer: { name: `Acme ${n}`, kind: 'account' as const }, licenses: 1 }));
    const view = customerView({ kind: 'ambiguous', term: 'acme', candidates }, 'status', ctx, '2026-06-15');
    expect(section(view.blocks, 0)).toBe(
      '*2 customers match “acme”.* Which one did you mean?\n• Acme 1 (1 license)\n• Acme 2 (1 license)',
    );
  });

  test('none match: the suggestions, bold and as buttons asking for the status', () => {
    const view = customerView(
      { kind: 'none', term: '<Acm>', suggestions: ['Acme', 'A*cne'] },
      'renewal',
      ctx,
      '2026-06-15',
    );
    expect(section(view.blocks, 0)).toBe(
      'No customer matches “&lt;Acm&gt;” (account name, lead company, subscriber org id or license id). Did you mean *Acme*, *A∗cne*?',
    );
    expect(view.text).toBe('No customer matches "&lt;Acm&gt;". Did you mean Acme, A∗cne?');
    const buttons = view.blocks[1] as unknown as Buttons;
    expect(buttons.block_id).toBe('lma_pick_customer');
    expect(buttons.elements.map((b) => [b.text.text, b.action_id, JSON.parse(b.value)])).toEqual([
      ['Acme', 'lma_pick_customer_0', { name: 'Acme', focus: 'status' }],
      ['A*cne', 'lma_pick_customer_1', { name: 'A*cne', focus: 'status' }],
    ]);
  });

  test('none match and nothing near: no suggestion, no buttons', () => {
    const view = customerView({ kind: 'none', term: 'zz', suggestions: [] }, 'status', ctx, '2026-06-15');
    expect(view.text).toBe('No customer matches "zz".');
    expect(view.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'No customer matches “zz” (account name, lead company, subscriber org id or license id).',
        },
      },
    ]);
  });
});
