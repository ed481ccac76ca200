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
