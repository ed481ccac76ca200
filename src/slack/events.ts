/**
 * A license event in words, the same wherever it is shown (the alerts, the App Home's recent alerts): its emoji, its
 * title, its nouns for one and for many, what it means (for `/lma alerts help`), and a few-word headline.
 */
import type { EventKind, LicenseEvent } from '../lma/license-events.js';
import { plural } from './blocks.js';

interface KindText {
  emoji: string;
  /** "New trial"; the summary's nouns for one and for many. */
  title: string;
  one: string;
  many: string;
  /** What the event is, for `/lma alerts help`. */
  means: string;
}

export const KINDS: Record<EventKind, KindText> = {
  trial: { emoji: 'seedling', title: 'New trial', one: 'new trial', many: 'new trials', means: 'a new trial install' },
  install: {
    emoji: 'package',
    title: 'New install',
    one: 'new install',
    many: 'new installs',
    means: 'a new license that is not a trial',
  },
  conversion: {
    emoji: 'tada',
    title: 'Converted to paid',
    one: 'conversion',
    many: 'conversions',
    means: 'a trial became paid (Trial → Active)',
  },
  suspension: {
    emoji: 'no_entry',
    title: 'Suspended',
    one: 'suspension',
    many: 'suspensions',
    means: 'a license suspended',
  },
  reactivation: {
    emoji: 'arrows_counterclockwise',
    title: 'Reactivated',
    one: 'reactivation',
    many: 'reactivations',
    means: 'Suspended → Active',
  },
  uninstall: {
    emoji: 'wave',
    title: 'Uninstalled',
    one: 'uninstall',
    many: 'uninstalls',
    means: 'the package was uninstalled',
  },
  seats: {
    emoji: 'busts_in_silhouette',
    title: 'Seats changed',
    one: 'seat change',
    many: 'seat changes',
    means: 'the seats bought changed',
  },
  upgrade: {
    emoji: 'arrow_up',
    title: 'Upgraded',
    one: 'upgrade',
    many: 'upgrades',
    means: 'the installed version changed',
  },
};

const seatsText = (seats: number | null) =>
  seats === -1 ? 'site license' : seats === null ? 'unknown' : String(seats);

/** What happened, in a few words: "Converted to paid after a 30-day trial", "Seats changed: 20 → 40". */
export function eventHeadline(event: LicenseEvent): string {
  const { title } = KINDS[event.kind];
  switch (event.kind) {
    case 'conversion':
      return event.days === undefined ? title : `${title} after a ${event.days}-day trial`;
    case 'uninstall': {
      const paid = event.days === undefined ? '' : ` after ${plural(event.days, 'day')} paid`;
      const lost = event.seatsLost ? `, ${plural(event.seatsLost, 'seat')} lost` : '';
      return `${title}${paid}${lost}`;
    }
    case 'seats':
      return `${title}: ${seatsText(event.from as number | null)} → ${seatsText(event.to as number | null)}`;
    case 'upgrade':
      return `${title}: ${event.from ?? 'unknown'} → ${event.to}`;
    default:
      return title;
  }
}
