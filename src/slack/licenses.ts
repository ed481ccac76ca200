/**
 * The pieces every view listing licenses is made of — one line per license, seats and expiration in words, the
 * rows cut at a limit, the footer naming the LMO — shared by the features that list licenses (answers, health) so
 * a license reads the same in every answer.
 */
import { daysBetween, formatDate, formatDateTime, relativeDays } from '../lma/dates.js';
import type { LicenseFact } from '../lma/fields.js';
import { isUrgent, type License } from '../lma/model.js';
import { actions, type Block, button, context, escapeText, link, section } from './blocks.js';
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

/** One line per license in a list answer. */
export function licenseLine(ctx: ViewContext, license: License, today: string): string {
  const urgent = isUrgent(license, today) ? ':warning: ' : '';
  const owner = license.customer.owner ? `owner ${escapeText(license.customer.owner)}` : '';
  const facts = [versionText(license), seatsText(license, ctx), expirationText(license, today), owner];
  return `${urgent}*${licenseLink(ctx, license)}* · ${facts.filter(Boolean).join(' · ')}`;
}

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

/** The rows of a list, cut at the limit with "and N more" and the full count, and how to narrow it. */
export function listBlocks(
  ctx: ViewContext,
  lines: string[],
  total: number,
  narrow = 'Narrow it with a package or a shorter window.',
): Block[] {
  const shown = lines.slice(0, rowLimit(ctx));
  const blocks: Block[] = [];
  // Sections hold 3,000 characters: group lines so no row is cut.
  let chunk: string[] = [];
  for (const line of shown) {
    if ([...chunk, line].join('\n').length > 2900) {
      blocks.push(section(chunk.join('\n')));
      chunk = [];
    }
    chunk.push(line);
  }
  if (chunk.length > 0) blocks.push(section(chunk.join('\n')));
  if (total > shown.length)
    blocks.push(
      context(
        `…and ${(total - shown.length).toLocaleString('en-US')} more (${total.toLocaleString('en-US')} in all). ${narrow}`,
      ),
    );
  return blocks;
}
