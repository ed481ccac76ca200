import { describe, expect, test } from 'vitest';
import { customerView, renewalsView } from '../../../src/features/answers/views.js';
import type { RenewalsAnswer } from '../../../src/lma/service.js';
import { withoutTables } from '../../../src/slack/blocks.js';
import { expirationText, seatsText } from '../../../src/slack/licenses.js';
import { blockText } from '../../support/harness.js';
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
