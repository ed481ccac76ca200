/**
 * "Your week" on the App Home: the person's own renewals in the next 30 days, trials ending in 7, and customers at
 * risk or over their seats, for the Salesforce user the person is matched to — the same match as `mine` (kept in the
 * store, so opening Home again asks neither Slack nor the LMO who they are). One LMO call (see owner-week.ts), the
 * look-up of who they are included when one is due (a composite call).
 */
import type { BotRuntime } from '../../app/runtime.js';
import type { OwnerWeek } from '../../lma/owner-week.js';
import type { Asker, UnmatchedOwner } from '../../slack/owners.js';

export const WEEK_RENEWAL_DAYS = 30;
export const WEEK_TRIAL_DAYS = 7;

export type YourWeek =
  | { kind: 'unmatched'; match: UnmatchedOwner }
  /** Hot trials are the team's business, not the week's. */
  | { kind: 'matched'; ownerName: string; week: OwnerWeek };

export async function readWeek(runtime: BotRuntime, asker: Asker): Promise<YourWeek> {
  const windows = {
    renewalDays: WEEK_RENEWAL_DAYS,
    trialDays: WEEK_TRIAL_DAYS,
    riskDays: runtime.config.health.renewalDays,
    lowUse: runtime.config.health.lowUse,
  };
  const { match, value: week } = await runtime.owners.matchAndRead(asker, {
    byOwner: (ownerId) => runtime.service.ownerWeek(ownerId, windows),
    byEmail: async (email) => {
      const { owner, week } = await runtime.service.ownerWeekByEmail(email, windows);
      return { owner, value: week };
    },
  });
  if (match.kind === 'unmatched') return { kind: 'unmatched', match };
  if (!week) throw new Error('a matched owner’s week was not read');
  return { kind: 'matched', ownerName: match.name, week };
}
