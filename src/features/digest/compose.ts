/**
 * The digest's content for one day, as typed data (the view renders it; the ledger stores it as JSON).
 * A handful of queries whatever the LMO's size: the renewals window (the rows it keeps, its aggregate and its urgent
 * count), the trials window (read together, one call), and the change feed's read (one call when few licenses
 * changed). Never a query per license, and never more rows than it keeps.
 */
import type { DigestConfig } from '../../config.js';
import type { ChangeFeed } from '../../lma/change-feed.js';
import type { LmoClient } from '../../lma/client.js';
import { addDays, daysBetween } from '../../lma/dates.js';
import { type License, URGENT_DAYS } from '../../lma/model.js';
import { LmoService } from '../../lma/service.js';
import type { KeptDigest } from '../../store/store.js';
import { type ChangesReport, changesSince } from './changes.js';

/** Licenses kept per list: the channel shows the first few, the thread reply the rest of these. */
export const STORED_ROWS = 100;

export interface DigestContent {
  /** The digest's day in its time zone (YYYY-MM-DD). */
  day: string;
  timezone: string;
  /** When the LMO was read (ISO instant). */
  composedAt: string;
  renewals: {
    days: number;
    /** Soonest first, at most STORED_ROWS. */
    licenses: License[];
    total: number;
    /** Seats of the per-seat licenses in the window; site licenses are counted apart. */
    seats: number;
    siteLicenses: number;
    /** Those renewing within URGENT_DAYS (lma/model's isUrgent), counted by the LMO. */
    urgent: number;
  };
  trials: { days: number; licenses: License[]; total: number };
  changes: ChangesReport;
}

export interface DigestComposerDeps {
  client: LmoClient;
  feed: ChangeFeed;
  digest: DigestConfig;
  clock: () => Date;
}

export class DigestComposer {
  private readonly service: LmoService;

  constructor(private readonly deps: DigestComposerDeps) {
    // Its own service: "today" is the digest's zone, and a list reads only the rows the digest keeps (its totals are
    // the LMO's counts).
    this.service = new LmoService({
      client: deps.client,
      timezone: deps.digest.timezone,
      clock: deps.clock,
      listLimit: STORED_ROWS,
    });
  }

  /**
   * Reads the LMO for `day`; changes are those since the `previous` digest (none yet: a first run). A preview
   * (`forPosting` false) of a first run reads no changes.
   */
  async compose(
    day: string,
    previous: KeptDigest<DigestContent> | undefined,
    forPosting: boolean,
  ): Promise<DigestContent> {
    const now = this.deps.clock();
    const { days, trialDays } = this.deps.digest;
    // Read side by side: the windows' first pages, the renewals' aggregate and the urgent ones' count go as one
    // composite call.
    const urgentDays = { from: day, to: addDays(day, Math.min(days, URGENT_DAYS)), label: 'urgent' };
    const [renewals, urgent, trials, changes] = await this.deps.client.together(() =>
      Promise.all([
        this.service.renewals({ range: { from: day, to: addDays(day, days), label: `in the next ${days} days` } }),
        this.service.renewalsCount(urgentDays),
        this.service.trialsEnding({ from: day, to: addDays(day, trialDays) }),
        changesSince(this.deps.feed, previous, { poll: `${now.toISOString()}#digest`, forPosting }),
      ]),
    );
    const content: DigestContent = {
      day,
      timezone: this.deps.digest.timezone,
      composedAt: now.toISOString(),
      renewals: {
        days,
        licenses: renewals.licenses.slice(0, STORED_ROWS),
        total: renewals.total,
        seats: renewals.seats,
        siteLicenses: renewals.siteLicenses,
        urgent,
      },
      trials: { days: trialDays, licenses: trials.licenses.slice(0, STORED_ROWS), total: trials.total },
      changes,
    };
    return content;
  }
}

/** Days from the digest's day to a license's expiration. */
export function daysLeft(content: DigestContent, license: License): number | null {
  return license.expiration === null ? null : daysBetween(content.day, license.expiration);
}
