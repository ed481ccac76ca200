/**
 * While the store is unavailable the bot still answers what needs only the LMO: a delivery whose first-time check
 * cannot be made counts as a first delivery (a Slack retry in that window may be answered twice: better than no
 * answer), and the outage is logged. Any other failure of the check is thrown as before.
 */
import type { BotLogger } from '../logger.js';
import { StoreUnavailableError } from '../store/store.js';

export async function firstUnlessStoreDown(claim: Promise<boolean>, what: string, logger: BotLogger): Promise<boolean> {
  try {
    return await claim;
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    logger.warn(`${what}: not checked for an earlier delivery (${error.message}); handled as a first one.`);
    return true;
  }
}
