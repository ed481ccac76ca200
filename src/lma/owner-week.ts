/**
 * "Your week" from one read of the person's book (ownerWeekQuery): the same lists the answers give — renewals as
 * `/lma renewals`, trials as `/lma trials`, at risk and over their seats as `/lma health` — filtered here from the
 * licenses they own, so a week costs one LMO call however many lists it shows.
 */
import { addDays } from './dates.js';
import { isLowUse, isOverSeats, type License, seatsOver, sumSeats } from './model.js';

export interface WeekWindows {
  renewalDays: number;
  trialDays: number;
  /** At risk: renewing within `riskDays`, using under `lowUse` of the seats bought. */
  riskDays: number;
  lowUse: number;
}

export interface OwnerWeek extends WeekWindows {
  today: string;
  /** Soonest first; `seats` are the per-seat ones', site licenses counted apart. */
  renewals: { licenses: License[]; total: number; seats: number; siteLicenses: number };
  trials: { licenses: License[]; total: number };
  /** Most seats over first. */
  over: { licenses: License[]; total: number };
  /** Soonest first; site licenses renewing in the window are not compared, only counted. */
  risk: { licenses: License[]; total: number; siteLicensesExcluded: number };
  /** The book held more licenses than one read returns: the figures count the ones read (the soonest). */
  partial: boolean;
}

/**
 * The week's lists from the book, sorted soonest first (as read). `sandboxes` says whether the sandbox flag could be
 * read: renewals leave sandboxes out only then, as renewalsWhere does.
 */
export function ownerWeekOf(
  book: License[],
  o: WeekWindows & { today: string; sandboxes: boolean; partial: boolean },
): OwnerWeek {
  const expiresBy = (l: License, days: number) =>
    l.expiration !== null && l.expiration >= o.today && l.expiration <= addDays(o.today, days);
  const renewing = (days: number) =>
    book.filter((l) => l.status === 'Active' && expiresBy(l, days) && !(o.sandboxes && l.isSandbox));
  const renewals = renewing(o.renewalDays);
  const trials = book.filter((l) => l.status === 'Trial' && expiresBy(l, o.trialDays));
  const atRiskWindow = renewing(o.riskDays);
  const risk = atRiskWindow.filter((l) => !l.siteLicense && isLowUse(l, o.lowUse));
  const over = book
    .filter((l) => l.seats !== null && l.seats > 0 && isOverSeats(l))
    .sort((a, b) => seatsOver(b) - seatsOver(a));
  return {
    today: o.today,
    renewalDays: o.renewalDays,
    trialDays: o.trialDays,
    riskDays: o.riskDays,
    lowUse: o.lowUse,
    renewals: {
      licenses: renewals,
      total: renewals.length,
      seats: sumSeats(renewals),
      siteLicenses: renewals.filter((l) => l.siteLicense).length,
    },
    trials: { licenses: trials, total: trials.length },
    over: { licenses: over, total: over.length },
    risk: {
      licenses: risk,
      total: risk.length,
      siteLicensesExcluded: atRiskWindow.filter((l) => l.siteLicense).length,
    },
    partial: o.partial,
  };
}
