/**
 * healthView, pure: each list's title, definition and count, its rows' facts, the thresholds, the fallback text.
 * Expected text is written out here, not built with the helpers the view uses.
 */
import { describe, expect, test } from 'vitest';
import { healthPageView, healthView } from '../../../src/features/health/views.js';
import type { License } from '../../../src/lma/model.js';
import type { HealthAnswer } from '../../../src/lma/service.js';
import { blockText, tableRows } from '../../support/harness.js';
import { licenseNumber, viewContext } from '../../support/view-fixtures.js';

const ctx = viewContext;
const license = licenseNumber;

const base: HealthAnswer = { kind: 'health', today: '2026-06-15', renewalDays: 90, lowUse: 0.3 };
const risk = (licenses: License[], siteLicensesExcluded = 0): NonNullable<HealthAnswer['risk']> => ({
  licenses,
  total: licenses.length,
  siteLicensesExcluded,
  range: { from: '2026-06-15', to: '2026-09-13', label: 'in the next 90 days' },
});
const link = (n: number) =>
  `<https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L${String(n).padStart(15, '0')}/view|Customer ${n}>`;

describe('healthView', () => {
  test('one list: its title heads the answer; a row says how far over its seats it is, the version and the owner', () => {
    const view = healthView({ ...base, over: { licenses: [license(1, { usedSeats: 12 })], total: 1 } }, ctx);
    const text = blockText(view.blocks);
    expect(view.text).toBe('Over their seats: 1.');
    expect(text.split('\n')[0]).toBe('Over their seats');
    expect(text).toContain(
      '*Over their seats: 1*, per-seat licenses (active or trial) using more seats than bought, most seats over first',
    );
    expect(text).toContain(`*${link(1)}* · Invoicer 2.0.0 · *12 used of 10* (2 over) · owner Ann`);
    // The thresholds are said only where the at-risk list is shown; no package, no line naming one.
    expect(text).not.toContain('HEALTH_RENEWAL_DAYS');
    expect(text).not.toContain('Licenses for packages');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(text).toContain('LMO: ISV (00D…) · data read 15 Jun 2026, 10:00 (UTC)');
  });

  test('the three lists: "Seat health", each list counted, the at-risk window and thresholds spelled out', () => {
    const view = healthView(
      {
        ...base,
        over: { licenses: [], total: 0 },
        risk: risk([license(2, { usedSeats: 2 })], 2),
        hot: { licenses: [license(3, { status: 'Trial', usedSeats: 9, expiration: '2026-06-15' })], total: 1 },
      },
      ctx,
    );
    const text = blockText(view.blocks);
    expect(view.text).toBe('Over their seats: 0; At risk: 1; Hot trials: 1.');
    expect(text.split('\n')[0]).toBe('Seat health');
    expect(text).toContain(
      '*At risk: 1*, paid licenses renewing in the next 90 days (Mon 15 Jun 2026 – Sun 13 Sept 2026) using under 30% of their seats, soonest first. Site licenses are excluded (2 site licenses renewing in the window).',
    );
    expect(text).toContain(
      `*${link(2)}* · Invoicer 2.0.0 · 2 of 10 seats used (20%) · expires Sat 20 Jun 2026 (in 5 days) · owner Ann`,
    );
    expect(text).toContain('*Hot trials: 1*, trials on now with seats in use, most seats used first');
    expect(text).toContain(
      `*${link(3)}* · Invoicer 2.0.0 · 9 of 10 seats used (90%) · expires Mon 15 Jun 2026 (today) · owner Ann`,
    );
    expect(text).toContain(
      'At risk means renewing within 90 days (`HEALTH_RENEWAL_DAYS`) using under 30% of the seats bought (`HEALTH_LOW_USE`).',
    );
    // An empty list is counted, with no rows under it.
    const over = view.blocks.findIndex((b) => JSON.stringify(b).includes('*Over their seats: 0*'));
    expect(JSON.stringify(view.blocks[over + 1])).toContain('*At risk: 1*');
  });

  test('no site license renewing: said plainly; a package narrows the answer and is named, escaped', () => {
    const view = healthView({ ...base, package: 'Inv*oicer <!here>', risk: risk([]) }, ctx);
    const text = blockText(view.blocks);
    expect(text).toContain('soonest first. Site licenses are excluded.');
    expect(text).not.toContain('site licenses renewing');
    expect(text).toContain('Licenses for packages matching “Inv∗oicer &lt;!here&gt;”.');
  });

  test('a share of seats only where seats were bought; no used count reads as none used; no owner, no owner fact', () => {
    const view = healthView(
      {
        ...base,
        hot: {
          licenses: [
            license(4, { seats: 0, usedSeats: 3 }),
            license(5, { usedSeats: null, customer: { name: 'Customer 5', kind: 'lead', id: '00Q5' } }),
          ],
          total: 2,
        },
      },
      ctx,
    );
    const text = blockText(view.blocks);
    expect(text).toContain(
      `*${link(4)}* · Invoicer 2.0.0 · 3 of 0 seats used · expires Sat 20 Jun 2026 (in 5 days) · owner Ann`,
    );
    expect(text).toContain(
      `*${link(5)}* · Invoicer 2.0.0 · 0 of 10 seats used (0%) · expires Sat 20 Jun 2026 (in 5 days)\n`,
    );
  });

  test('a customer owner holding markup is shown as text', () => {
    const owner = '<!channel> *Evil*';
    const view = healthView(
      {
        ...base,
        over: { licenses: [license(6, { usedSeats: 11, customer: { ...license(6).customer, owner } })], total: 1 },
      },
      ctx,
    );
    expect(blockText(view.blocks)).toContain('owner &lt;!channel&gt; ∗Evil∗');
  });

  test('a list longer than a message shows says how many more and how to narrow it', () => {
    const licenses = Array.from({ length: 20 }, (_, i) => license(i + 10, { usedSeats: 11 }));
    const text = blockText(healthView({ ...base, over: { licenses, total: 20 } }, ctx).blocks);
    expect(text).toContain('…and 5 more (20 in all). Narrow it with a package.');
  });

  test('a list with buttons points at them for the rest, and the buttons follow its rows', () => {
    const licenses = Array.from({ length: 20 }, (_, i) => license(i + 10, { usedSeats: 11 }));
    const buttons = { type: 'actions' as const, block_id: 'over_buttons', elements: [] };
    const view = healthView({ ...base, over: { licenses, total: 20 } }, ctx, { over: [buttons] });
    expect(blockText(view.blocks)).toContain('…and 5 more (20 in all). Next ▶ shows them, Export CSV has every row.');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions', 'context']);
    expect(view.blocks[4]).toBe(buttons);
  });

  test('an empty list shows no buttons, even when it was given some', () => {
    const buttons = { type: 'actions' as const, block_id: 'over_buttons', elements: [] };
    const view = healthView({ ...base, over: { licenses: [], total: 0 } }, ctx, { over: [buttons] });
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });

  test('a partial list says so in one line, why and what to do, and counts "at least" what was read', () => {
    const partial = {
      why: 'seats bought may run from 1 to 5,000, more than the 150 seat values one query can compare; counted among the 2,000 soonest renewals',
      atLeast: true,
    };
    const view = healthView(
      { ...base, risk: { ...risk([license(2, { usedSeats: 2 })], 3), total: 412, partial } },
      ctx,
    );
    const text = blockText(view.blocks);
    expect(view.text).toBe('At risk: at least 412.');
    expect(text).toContain('*At risk: at least 412*, paid licenses renewing');
    expect(text).toContain('Site licenses are excluded (at least 3 site licenses renewing in the window).');
    expect(text).toContain(
      ':warning: Partial list: seats bought may run from 1 to 5,000, more than the 150 seat values one query can compare; counted among the 2,000 soonest renewals. Name a package to see it whole.',
    );
    const narrowed = healthView(
      {
        ...base,
        package: 'Invoicer',
        over: { licenses: [], total: 2300, partial: { why: 'more than 2,000 licenses are over', atLeast: false } },
      },
      ctx,
    );
    expect(narrowed.text).toBe('Over their seats: 2,300.');
    expect(blockText(narrowed.blocks)).toContain(
      'Partial list: more than 2,000 licenses are over. Name a narrower package to see it whole.',
    );
  });
});

describe('healthPageView', () => {
  const page = { number: 2, size: 20, hasPrevious: true, hasNext: false };
  const buttons = { type: 'actions' as const, block_id: 'page_buttons', elements: [] };
  const title = (view: { blocks: unknown[] }) => (view.blocks[0] as { text: { text: string } }).text.text;
  const sectionText = (view: { blocks: unknown[] }, i: number) =>
    (view.blocks[i] as { text: { text: string } }).text.text;

  test('a later page of the over list: its title, count and definition, the page as a table, its buttons', () => {
    const read = { today: '2026-06-15', licenses: [license(21, { usedSeats: 12 })], total: 21, page };
    const view = healthPageView('over', read, { lowUse: 0.3 }, ctx, [buttons]);
    expect(title(view)).toBe('Over their seats');
    expect(sectionText(view, 1)).toBe(
      '*Over their seats: 21*, per-seat licenses (active or trial) using more seats than bought, most seats over first',
    );
    expect(tableRows(view.blocks)).toEqual([
      ['Customer 21', 'Invoicer 2.0.0', '12 of 10 seats used', 'Sat 20 Jun 2026', '5', 'Ann'],
    ]);
    expect(blockText(view.blocks)).toContain('Rows 21–21 of 21 · page 2 of 2');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'table', 'context', 'actions', 'context']);
    expect(view.blocks[4]).toBe(buttons);
    expect(view.text).toBe('Over their seats: 21, page 2.');
  });

  test('a page of the at-risk list names its window and threshold, and the package asked for, escaped', () => {
    const read = { today: '2026-06-15', licenses: [license(22, { usedSeats: 1 })], total: 1234, page };
    const view = healthPageView(
      'risk',
      read,
      {
        package: 'Inv*oicer',
        range: { from: '2026-06-15', to: '2026-09-13', label: 'in the next 90 days' },
        lowUse: 0.25,
      },
      ctx,
      [],
    );
    expect(title(view)).toBe('At risk');
    expect(view.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Licenses for packages matching “Inv∗oicer”.' }],
    });
    expect(sectionText(view, 2)).toBe(
      '*At risk: 1,234*, paid licenses renewing in the next 90 days (Mon 15 Jun 2026 – Sun 13 Sept 2026) using under 25% of their seats, soonest first.',
    );
    expect(view.text).toBe('At risk: 1234, page 2.');
  });

  test('a page of the hot trials', () => {
    const read = { today: '2026-06-15', licenses: [license(23, { status: 'Trial' })], total: 30, page };
    const view = healthPageView('hot', read, { lowUse: 0.3 }, ctx, []);
    expect(title(view)).toBe('Hot trials');
    expect(sectionText(view, 1)).toBe('*Hot trials: 30*, trials on now with seats in use, most seats used first');
    expect(view.text).toBe('Hot trials: 30, page 2.');
    expect(view.blocks.map((b) => b.type)).toEqual(['header', 'section', 'table', 'context', 'context']);
  });
});
