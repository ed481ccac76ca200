/**
 * License events from license changes: a license as it is now, compared with the state the bot last stored for it
 * (or, for a license it stored none for, its state at the watermark told by field history), gives the events between
 * the two (a new trial, a conversion, an uninstall, a seat change, …). Pure: the change feed (change-feed.ts) reads and
 * stores, this decides. Comparing states rather than replaying edits means a field changed and changed back between
 * two reads gives nothing, and an edit to a field no event is about gives nothing.
 */
import { daysBetween } from './dates.js';
import type { License } from './model.js';

export const EVENT_KINDS = [
  'trial',
  'install',
  'conversion',
  'suspension',
  'reactivation',
  'uninstall',
  'seats',
  'upgrade',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What the bot stores of each license between reads: the fields events are about. */
export interface TrackedLicense {
  id: string;
  status: string | null;
  /** Seats bought; -1 a site license, null unknown. */
  seats: number | null;
  version: string | null;
  expiration: string | null;
  /** When the bot saw the license become paid (a conversion, an install as Active); null when it never did. */
  paidSince: string | null;
}

/** A license read from the change source: the license now, when it was created and last changed. */
export interface ChangedLicense {
  license: License;
  createdDate: string;
  /** SystemModstamp: the change feed's watermark moves to the newest one read. */
  modstamp: string;
}

/** A page of changed licenses; `last`: the read has no page after it. */
export interface ChangePage {
  licenses: ChangedLicense[];
  last: boolean;
}

/** The tracked fields field history says changed since a moment, with their values then (a field absent: unchanged). */
export type PastValues = Partial<Pick<TrackedLicense, 'status' | 'seats' | 'version' | 'expiration'>>;

/** One event, with what its message shows (a copy of the license at the time, so a later change cannot alter it). */
export interface LicenseEvent {
  /** Deterministic: the same change read twice is the same event. */
  key: string;
  kind: EventKind;
  /** The change's SystemModstamp. */
  at: string;
  license: License;
  /** Before and after, for seats and upgrade; status for the status events. */
  from: string | number | null;
  to: string | number | null;
  /** A conversion: days from install to the conversion. An uninstall: days paid. */
  days?: number;
  /** An uninstall: the seats it held (null for a site license or unknown). */
  seatsLost?: number | null;
}

/** The state to store for a license read now. */
export function trackedState(changed: ChangedLicense, before: TrackedLicense | undefined): TrackedLicense {
  const { license } = changed;
  const seats = license.siteLicense ? -1 : license.seats;
  // Unknown for a license first read as paid: an uninstall then counts from its install date.
  const becamePaid = license.status === 'Active' && (before?.status === 'Trial' || before?.status === 'Uninstalled');
  const paidSince = becamePaid ? changed.modstamp : (before?.paidSince ?? null);
  return {
    id: license.id,
    status: license.status,
    seats,
    version: license.version,
    expiration: license.expiration,
    paidSince,
  };
}

/**
 * A license's state at an earlier moment: as it is now, but for the fields field history says changed since then,
 * which take their values from then. When it became paid is unknown (as for a license first read as paid).
 */
export function pastState(changed: ChangedLicense, past: PastValues | undefined): TrackedLicense {
  return { ...trackedState(changed, undefined), ...past };
}

/**
 * The events between the stored state and the license now. `since`: the watermark of the previous read; a license
 * the bot has no state for is new only if it was created at or after it (else the change feed gives its state at the
 * watermark from field history; with no history, it is recorded silently).
 */
export function deriveEvents(
  changed: ChangedLicense,
  before: TrackedLicense | undefined,
  since: string,
): LicenseEvent[] {
  const { license, modstamp } = changed;
  const event = (kind: EventKind, from: LicenseEvent['from'], to: LicenseEvent['to'], extra = {}): LicenseEvent => ({
    key: `${license.id}:${kind}:${modstamp}`,
    kind,
    at: modstamp,
    license,
    from,
    to,
    ...extra,
  });
  if (!before) {
    if (Date.parse(changed.createdDate) < Date.parse(since)) return [];
    if (license.status === 'Trial') return [event('trial', null, 'Trial')];
    if (license.status === 'Active') return [event('install', null, 'Active')];
    return [];
  }
  const events: LicenseEvent[] = [];
  const from = before.status;
  const to = license.status;
  if (from !== to) {
    const kind = statusEvent(from, to);
    if (kind === 'conversion') {
      const days = license.installDate ? daysBetween(license.installDate, modstamp.slice(0, 10)) : undefined;
      events.push(event(kind, from, to, days === undefined ? {} : { days }));
    } else if (kind === 'uninstall') {
      const paidFrom = before.paidSince?.slice(0, 10) ?? (from === 'Trial' ? null : license.installDate);
      const days = paidFrom ? daysBetween(paidFrom, modstamp.slice(0, 10)) : undefined;
      const seatsLost = before.seats === -1 ? null : before.seats;
      events.push(event(kind, from, to, { ...(days !== undefined && from !== 'Trial' && { days }), seatsLost }));
    } else if (kind) events.push(event(kind, from, to));
  }
  const seats = license.siteLicense ? -1 : license.seats;
  if (before.seats !== seats && to !== 'Uninstalled' && seats !== null)
    events.push(event('seats', before.seats, seats));
  if (before.version !== license.version && license.version !== null && to !== 'Uninstalled') {
    events.push(event('upgrade', before.version, license.version));
  }
  return events;
}

function statusEvent(from: string | null, to: string): EventKind | undefined {
  if (to === 'Uninstalled') return 'uninstall';
  if (to === 'Suspended') return 'suspension';
  if (from === 'Trial' && to === 'Active') return 'conversion';
  if (from === 'Suspended' && to === 'Active') return 'reactivation';
  // Installed again after an uninstall: a new trial or a new paid install.
  if (from === 'Uninstalled') return to === 'Trial' ? 'trial' : 'install';
  return undefined;
}
