/**
 * The finished days' status change counts (src/lma/status-change-days.ts) the App Home and the conversions answer
 * share, kept in the store for the LMO in use: one read of a day's history serves both, on every replica. A store
 * that fails only costs reading those days again.
 */
import type { StatusChangeCounts } from '../lma/status-change-days.js';
import type { BotLogger } from '../logger.js';
import type { Store } from '../store/store.js';

export function storedStatusChangeCounts(
  days: Store['statusChangeDays'],
  lmo: { instanceUrl(): string },
  logger: BotLogger,
): StatusChangeCounts {
  return {
    since: (timezone, from) =>
      days.since(lmo.instanceUrl(), timezone, from).catch((error: unknown) => {
        logger.warn('Status change counts not read from the store (reading history instead):', error);
        return [];
      }),
    keep: (timezone, kept) =>
      days.keep(lmo.instanceUrl(), timezone, kept).catch((error: unknown) => {
        logger.warn('Status change counts not kept in the store:', error);
      }),
  };
}
