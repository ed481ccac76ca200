/**
 * "Your week" on the App Home: the person's own renewals in the next 30 days, trials ending in 7, and customers at
 * risk or over their seats, for the Salesforce user the person is matched to — the same match as `mine` (kept in the
 * store, so opening Home again asks neither Slack nor the LMO who they are). Four LMO calls, run together, and
 * one more for each of the two seat-health lists where they are long or not yet known short (LmoService.health).
 */
import type { BotRuntime } from '../../app/runtime.js';
import type { HealthAnswer, RenewalsAnswer, TrialsAnswer } from '../../lma/service.js';
import { requireIsoDate, windowForDays } from '../../parse/index.js';
import type { Asker, UnmatchedOwner } from '../../slack/owners.js';

export const WEEK_RENEWAL_DAYS = 30;
export const WEEK_TRIAL_DAYS = 7;

export type YourWeek =
  | { kind: 'unmatched'; match: UnmatchedOwner }
  | {
      kind: 'matched';
      ownerName: string;
      renewals: RenewalsAnswer;
      trials: TrialsAnswer;
      /** Over their seats and at risk (hot trials are the team's business, not the week's). */
      health: HealthAnswer;
    };

export async function readWeek(runtime: BotRuntime, asker: Asker): Promise<YourWeek> {
  const match = await runtime.owners.match(asker);
  if (match.kind === 'unmatched') return { kind: 'unmatched', match };
  const { service, config } = runtime;
  const today = requireIsoDate(runtime.parseContext().today);
  const ownerId = match.ownerId;
  const [renewals, trials, health] = await Promise.all([
    service.renewals({ range: windowForDays('renewals', WEEK_RENEWAL_DAYS, today), ownerId }),
    service.trials({ range: windowForDays('trials', WEEK_TRIAL_DAYS, today), ownerId, countExpired: false }),
    service.health({
      ownerId,
      lists: ['over', 'risk'],
      renewalDays: config.health.renewalDays,
      lowUse: config.health.lowUse,
    }),
  ]);
  return { kind: 'matched', ownerName: match.name, renewals, trials, health };
}
