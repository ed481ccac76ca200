/**
 * "Your week" as Block Kit: counts first, then the few customers that need the person now, each linked to its
 * license; unmatched, one line saying how to get matched. Pure: the person's reading in, blocks out.
 */
import type { License } from '../../lma/model.js';
import { type Block, context, escapeText, header, plural, section } from '../../slack/blocks.js';
import { expirationText, licenseLink, seatsText } from '../../slack/licenses.js';
import { unmatchedOwnerLines } from '../../slack/owners.js';
import type { RecordContext } from '../../slack/records.js';
import { WEEK_RENEWAL_DAYS, WEEK_TRIAL_DAYS, type YourWeek } from './week.js';

/** The soonest renewals and trials shown; the top at-risk and over-seat customers shown. */
export const WEEK_SOONEST = 5;
export const WEEK_TOP = 3;

export function weekBlocks(week: YourWeek, ctx: RecordContext & { userId: string }): Block[] {
  if (week.kind === 'unmatched') {
    const { tried, fix } = unmatchedOwnerLines(week.match, ctx.userId);
    return [header('Your week'), section(`:bust_in_silhouette: ${tried} ${fix}`)];
  }
  const { renewals, trials, over, risk, today } = week.week;
  const line = (license: License) =>
    `• *${licenseLink(ctx, license)}* · ${[expirationText(license, today), seatsText(license)].filter(Boolean).join(' · ')}`;
  const list = (title: string, licenses: License[], shown: number) =>
    section([title, ...licenses.slice(0, shown).map(line)].join('\n'));
  const renewalFigures = [plural(renewals.total, 'license'), plural(renewals.seats, 'seat')];
  if (renewals.siteLicenses) renewalFigures.push(plural(renewals.siteLicenses, 'site license'));
  const { riskDays, lowUse, partial } = week.week;
  return [
    header('Your week'),
    context(`Customers ${escapeText(week.ownerName)} owns in Salesforce.`),
    list(`*Renewals, next ${WEEK_RENEWAL_DAYS} days:* ${renewalFigures.join(' · ')}`, renewals.licenses, WEEK_SOONEST),
    list(`*Trials ending in ${WEEK_TRIAL_DAYS} days:* ${plural(trials.total, 'trial')}`, trials.licenses, WEEK_SOONEST),
    list(
      `*At risk* (renewing in ${riskDays} days, under ${Math.round(lowUse * 100)}% of seats used): ${risk.total}`,
      risk.licenses,
      WEEK_TOP,
    ),
    list(`*Over their seats:* ${over.total}`, over.licenses, WEEK_TOP),
    ...(partial
      ? [
          context(
            ':warning: You own more licenses than one read holds: these figures count the soonest to expire. `/lma renewals mine` and `/lma health mine` give every one.',
          ),
        ]
      : []),
  ];
}
