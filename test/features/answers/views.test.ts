import { describe, expect, test } from 'vitest';
import { customerView, renewalsView } from '../../../src/features/answers/views.js';
import type { License } from '../../../src/lma/model.js';
import type { RenewalsAnswer } from '../../../src/lma/service.js';
import { expirationText, seatsText, type ViewContext } from '../../../src/slack/licenses.js';
import { blockText } from '../../support/harness.js';

const ctx: ViewContext = {
  instanceUrl: 'https://isv.my.salesforce.com',
  lmoLabel: 'ISV (00D…)',
  readAt: new Date('2026-06-15T10:00:00Z'),
  timezone: 'UTC',
};

const license = (n: number, overrides: Partial<License> = {}): License => ({
  id: `a0L${String(n).padStart(15, '0')}`,
  name: `L-${n}`,
  status: 'Active',
  expiration: '2026-06-20',
  seats: 10,
  siteLicense: false,
  usedSeats: 4,
  installDate: '2026-01-01',
  orgId: '00D000000000001XYZ',
  isSandbox: false,
  instance: 'NA1',
  edition: 'Enterprise Edition',
  version: '2.0.0',
  packageId: 'a0P1',
  packageName: 'Invoicer',
  customer: { name: `Customer ${n}`, kind: 'account', id: `001${n}`, owner: 'Ann' },
  lastModified: null,
  ...overrides,
});

const renewals = (count: number): RenewalsAnswer => ({
  kind: 'renewals',
  today: '2026-06-15',
  range: { from: '2026-06-15', to: '2026-07-15', label: 'in the next 30 days' },
  licenses: Array.from({ length: count }, (_, i) => license(i + 1)),
  total: count,
  seats: count * 10,
  siteLicenses: 0,
});

describe('long lists', () => {
  test('are cut at 15 rows with "and N more" and the full count; threads show 5', () => {
    expect(blockText(renewalsView(renewals(20), ctx).blocks)).toContain('…and 5 more (20 in all)');
    const compact = renewalsView(renewals(20), { ...ctx, compact: true });
    expect(blockText(compact.blocks)).toContain('…and 15 more (20 in all)');
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
    const row = blockText(renewalsView(renewals(1), hidden).blocks);
    expect(row).toContain('Invoicer 2.0.0 · expires Sat 20 Jun 2026 (in 5 days) · owner Ann');
    expect(row).not.toMatch(/seats used|unknown/);
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
