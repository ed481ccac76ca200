/**
 * "Your week" on the App Home, pure: the counts of the person's renewals and trials, the soonest five of each, the
 * top three at risk and over their seats, each linked; and for someone matched to no Salesforce user, how to be.
 */
import { expect, test } from 'vitest';
import type { YourWeek } from '../../../src/features/home/week.js';
import { weekBlocks } from '../../../src/features/home/week-view.js';
import type { License } from '../../../src/lma/model.js';
import { licenseNumber, viewContext } from '../../support/view-fixtures.js';

const ctx = { ...viewContext, userId: 'U0ANN' };
const TODAY = '2026-06-15';
const row = (n: number, facts: string) =>
  `• *<https://isv.my.salesforce.com/lightning/r/sfLma__License__c/a0L${String(n).padStart(15, '0')}/view|Customer ${n}>* · ${facts}`;
const texts = (week: YourWeek) =>
  weekBlocks(week, ctx).map((b) => {
    const block = b as { text?: { text: string }; elements?: { text: string }[] };
    return block.text?.text ?? block.elements?.map((e) => e.text).join(' ');
  });

function week(parts: {
  renewals?: License[];
  siteLicenses?: number;
  trials?: License[];
  over?: License[];
  risk?: License[];
  partial?: boolean;
}): YourWeek {
  const list = (licenses: License[] = []) => ({ licenses, total: licenses.length });
  const renewals = parts.renewals ?? [];
  return {
    kind: 'matched',
    ownerName: 'Ann <Lee>',
    week: {
      today: TODAY,
      renewalDays: 30,
      trialDays: 7,
      riskDays: 90,
      lowUse: 0.3,
      renewals: { ...list(renewals), seats: renewals.length * 10, siteLicenses: parts.siteLicenses ?? 0 },
      trials: list(parts.trials),
      over: list(parts.over),
      risk: { ...list(parts.risk), siteLicensesExcluded: 0 },
      partial: parts.partial ?? false,
    },
  };
}

test('unmatched: the email tried and how an admin maps the person', () => {
  expect(texts({ kind: 'unmatched', match: { kind: 'unmatched', email: 'ann@x.example' } })).toEqual([
    'Your week',
    ':bust_in_silhouette: No active Salesforce user has the email ann@x.example, so I cannot tell which customers are yours. ' +
      "An admin can map you to your Salesforce user's email with `LMA_USER_MAP=U0ANN:someone@company.com` (pairs separated by commas).",
  ]);
});

test('matched: the owner escaped, the counts, the soonest five renewals and trials, the top three of each health list', () => {
  const six = [1, 2, 3, 4, 5, 6].map((n) => licenseNumber(n));
  const sixOver = [11, 12, 13, 14, 15, 16].map((n) => licenseNumber(n, { usedSeats: 12 }));
  const risk = [21, 22, 23, 24].map((n) => licenseNumber(n, { usedSeats: 1 }));
  const trials = [7, 8, 9, 30, 31, 32].map((n) => licenseNumber(n, { status: 'Trial', seats: null }));
  const expires = 'expires Sat 20 Jun 2026 (in 5 days)';
  expect(texts(week({ renewals: six, siteLicenses: 1, trials, over: sixOver, risk }))).toEqual([
    'Your week',
    'Customers Ann &lt;Lee&gt; owns in Salesforce.',
    [
      '*Renewals, next 30 days:* 6 licenses · 60 seats · 1 site license',
      ...[1, 2, 3, 4, 5].map((n) => row(n, `${expires} · 4 of 10 seats used`)),
    ].join('\n'),
    ['*Trials ending in 7 days:* 6 trials', ...[7, 8, 9, 30, 31].map((n) => row(n, `${expires} · seats unknown`))].join(
      '\n',
    ),
    [
      '*At risk* (renewing in 90 days, under 30% of seats used): 4',
      ...[21, 22, 23].map((n) => row(n, `${expires} · 1 of 10 seats used`)),
    ].join('\n'),
    ['*Over their seats:* 6', ...[11, 12, 13].map((n) => row(n, `${expires} · 12 of 10 seats used`))].join('\n'),
  ]);
});

test('no site licenses: none counted; empty lists read as none', () => {
  expect(texts(week({ renewals: [licenseNumber(1)] })).slice(2)).toEqual([
    [
      '*Renewals, next 30 days:* 1 license · 10 seats',
      row(1, 'expires Sat 20 Jun 2026 (in 5 days) · 4 of 10 seats used'),
    ].join('\n'),
    '*Trials ending in 7 days:* 0 trials',
    '*At risk* (renewing in 90 days, under 30% of seats used): 0',
    '*Over their seats:* 0',
  ]);
});

test('a book past one read: the week says it counts only the soonest to expire, and where every one is', () => {
  expect(texts(week({ renewals: [licenseNumber(1)], partial: true })).at(-1)).toBe(
    ':warning: You own more licenses than one read holds: these figures count the soonest to expire. `/lma renewals mine` and `/lma health mine` give every one.',
  );
  expect(texts(week({ renewals: [licenseNumber(1)] })).at(-1)).toBe('*Over their seats:* 0');
});
