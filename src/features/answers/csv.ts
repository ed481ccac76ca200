/**
 * A license list as CSV (csv-stringify), one row per license with the columns a spreadsheet needs. Cells that start
 * like a formula (=, +, -, @, tab, CR) are prefixed with ' (the library's escape_formulas), so a customer named
 * "=HYPERLINK(…)" stays text when the file is opened.
 */
import { stringify } from 'csv-stringify/sync';
import { daysBetween } from '../../lma/dates.js';
import type { License } from '../../lma/model.js';
import { shows, type ViewContext } from '../../slack/licenses.js';
import { recordUrl } from '../../slack/records.js';

export const CSV_COLUMNS = [
  'Customer',
  'Package',
  'Version',
  'Status',
  'Seats bought',
  'Seats used',
  'Expiration',
  'Days left',
  'Owner',
  'Subscriber org id',
  'License id',
  'Link',
] as const;

/** The rows under a header; facts the integration user cannot read are left empty. */
export function licensesCsv(licenses: License[], ctx: ViewContext, today: string): string {
  const rows = licenses.map((l) => [
    l.customer.name,
    l.packageName,
    l.version ?? '',
    l.status,
    !shows(ctx, 'seats') ? '' : l.siteLicense ? 'site license' : (l.seats ?? ''),
    shows(ctx, 'used seats') ? (l.usedSeats ?? '') : '',
    l.expiration ?? 'does not expire',
    l.expiration === null ? '' : daysBetween(today, l.expiration),
    l.customer.owner ?? '',
    l.orgId ?? '',
    l.id,
    recordUrl(ctx, 'sfLma__License__c', l.id),
  ]);
  return stringify([[...CSV_COLUMNS], ...rows], { escape_formulas: true });
}
