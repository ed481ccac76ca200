/**
 * The pieces every view listing licenses is made of — one line per license, seats and expiration in words, the
 * rows cut at a limit, the footer naming the LMO — shared by the features that list licenses (answers, health) so
 * a license reads the same in every answer.
 */
import { daysBetween, formatDate, formatDateTime, relativeDays } from '../lma/dates.js';
import type { LicenseFact } from '../lma/fields.js';
import { isUrgent, type License } from '../lma/model.js';
import type { PageInfo } from '../lma/service.js';
import { actions, type Block, button, type Cell, context, escapeText, linesInSections, link, table } from './blocks.js';
import { type RecordContext, recordUrl } from './records.js';

export interface ViewContext extends RecordContext {
  /** Thread answers list fewer rows. */
  compact?: boolean;
  /** When set, a "Share in channel" button re-runs this command text for everyone. */
  shareCommand?: string;
  /** `mine`: the Salesforce user whose customers the list is limited to. */
  ownerName?: string;
  /** Facts the LMO's integration user cannot read: left out of answers rather than shown as unknown. */
  hidden?: ReadonlySet<LicenseFact>;
}

export const shows = (ctx: ViewContext, fact: LicenseFact) => !ctx.hidden?.has(fact);

export const ACTION_SHARE = 'lma_share';

export const rowLimit = (ctx: ViewContext) => (ctx.compact ? 5 : 15);

export const licenseLink = (ctx: ViewContext, license: License, label = license.customer.name) =>
  link(recordUrl(ctx, 'sfLma__License__c', license.id), label);

/** Seats bought and used; '' when the seats cannot be read, only those bought when the seats used cannot. */
export function seatsText(license: License, ctx?: ViewContext): string {
  if (ctx && !shows(ctx, 'seats')) return '';
  if (license.siteLicense) return 'site license';
  if (license.seats === null) return 'seats unknown';
  if (ctx && !shows(ctx, 'used seats')) return `${license.seats} seats`;
  return `${license.usedSeats ?? 0} of ${license.seats} seats used`;
}

export function expirationText(license: License, today: string): string {
  if (license.expiration === null) return 'does not expire';
  const days = daysBetween(today, license.expiration);
  const verb = days < 0 ? 'expired' : 'expires';
  return `${verb} ${formatDate(license.expiration)} (${relativeDays(days)})`;
}

export const versionText = (l: License) =>
  `${escapeText(l.packageName)}${l.version ? ` ${escapeText(l.version)}` : ''}`;

export function footer(ctx: ViewContext, extra: Block[] = []): Block[] {
  const blocks = [
    ...extra,
    ...(ctx.ownerName
      ? [context(`Only the customers ${escapeText(ctx.ownerName)} owns in Salesforce (\`mine\`).`)]
      : []),
    context(`LMO: ${escapeText(ctx.lmoLabel)} · data read ${formatDateTime(ctx.readAt, ctx.timezone)}`),
  ];
  if (ctx.shareCommand && !ctx.compact)
    blocks.push(actions('lma_share', [button('Share in channel', ACTION_SHARE, ctx.shareCommand)]));
  return blocks;
}

/** Rows a page of a paged list holds (a table holds 99 under its header). */
export const pageSize = (ctx: { compact?: boolean }) => (ctx.compact ? 5 : 20);

/**
 * One page of a license list as a table — customer (linked to the record; :warning: when it expires within
 * URGENT_DAYS), package and version, seats, expiration, days left, owner — and where the page sits in the list.
 */
export function licensePageBlocks(
  ctx: ViewContext,
  licenses: License[],
  o: { today: string; page: PageInfo; total: number },
): Block[] {
  if (licenses.length === 0) return [];
  const [seats, owner] = [shows(ctx, 'seats'), shows(ctx, 'owner')];
  const headers = [
    'Customer',
    'Package',
    ...(seats ? ['Seats'] : []),
    'Expires',
    'Days left',
    ...(owner ? ['Owner'] : []),
  ];
  const rows = licenses.map((l): Cell[] => [
    {
      text: l.customer.name,
      url: recordUrl(ctx, 'sfLma__License__c', l.id),
      ...(isUrgent(l, o.today) ? { emoji: 'warning' } : {}),
    },
    `${l.packageName}${l.version ? ` ${l.version}` : ''}`,
    ...(seats ? [seatsText(l, ctx)] : []),
    l.expiration === null ? 'does not expire' : formatDate(l.expiration),
    l.expiration === null ? '—' : String(daysBetween(o.today, l.expiration)),
    ...(owner ? [l.customer.owner ?? '—'] : []),
  ]);
  const rowsTable = table(headers, rows, [headers.indexOf('Days left')]);
  const pages = Math.max(o.page.number, Math.ceil(o.total / o.page.size));
  if (pages <= 1) return [rowsTable];
  const first = (o.page.number - 1) * o.page.size + 1;
  const count = (n: number) => n.toLocaleString('en-US');
  const where = `Rows ${count(first)}–${count(first + licenses.length - 1)} of ${count(o.total)} · page ${o.page.number} of ${pages}`;
  return [rowsTable, context(where)];
}

/** The rows of a list, cut at the limit with "and N more" and the full count, and how to narrow it. */
export function listBlocks(
  ctx: ViewContext,
  lines: string[],
  total: number,
  narrow = 'Narrow it with a package or a shorter window.',
): Block[] {
  const shown = lines.slice(0, rowLimit(ctx));
  const blocks = linesInSections(shown);
  if (total > shown.length)
    blocks.push(
      context(
        `…and ${(total - shown.length).toLocaleString('en-US')} more (${total.toLocaleString('en-US')} in all). ${narrow}`,
      ),
    );
  return blocks;
}
