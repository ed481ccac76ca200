/**
 * What the two backends (sqlite.ts, postgres.ts) share beyond the schema: how they write times, how often they prune
 * the tables that only grow, and how an alert subscription row reads and changes. The SQL stays in each backend.
 */
import { addDays } from '../lma/dates.js';
import type { EventKind } from '../lma/license-events.js';
import {
  type AlertSubscription,
  type KeptDigest,
  STATUS_CHANGE_DAYS_KEPT,
  type StatusChangeDay,
  type StoredOwnerMatch,
} from './store.js';

const DAY_MS = 86_400_000;
export const iso = (at: Date) => at.toISOString();
/** The moment `days` before `now`, as the store writes times. */
export const before = (now: Date, days: number) => iso(new Date(now.getTime() - days * DAY_MS));
/** Slack retries within minutes: a day of event ids is plenty. */
export const EVENT_TTL_DAYS = 1;
/** Tables that only grow are pruned every so many writes, to keep them small without a timer. */
export const PRUNE_EVERY = { events: 500, threadContext: 200 };
/**
 * The feed_state key naming the poll whose read has more commits to come (FeedCommit.more); absent when none. One
 * mark for the store: one read commits at a time, across processes (ChangeFeed's FEED_LEASE), so it is that read's.
 */
export const OPEN_POLL = 'open_poll';

export interface SubscriptionRow {
  channel: string;
  package: string;
  events: string;
  since: string;
  by_user: string;
  suspended_at: string | null;
  suspended_note: string | null;
}

export const toSubscription = (row: SubscriptionRow): AlertSubscription => ({
  channel: row.channel,
  events: JSON.parse(row.events) as EventKind[],
  packageName: row.package === '' ? null : row.package,
  since: row.since,
  by: row.by_user,
  suspended: row.suspended_at ? { at: row.suspended_at, note: row.suspended_note ?? '' } : null,
});

/** A subscription's events after subscribing again to `events`: the union, each once. */
export const eventsAdded = (existing: SubscriptionRow | undefined, events: readonly EventKind[]): EventKind[] =>
  existing ? [...new Set([...(JSON.parse(existing.events) as EventKind[]), ...events])] : [...events];

/**
 * A subscription's events after `off` for `events` ('all': none left; the row is then removed), or null when `off`
 * names none of them and the row stays as it is.
 */
export function eventsLeft(row: SubscriptionRow, events: readonly EventKind[] | 'all'): EventKind[] | null {
  const had = JSON.parse(row.events) as EventKind[];
  const left = events === 'all' ? [] : had.filter((kind) => !events.includes(kind));
  return left.length === had.length && left.length > 0 ? null : left;
}

/** An owner_matches row as both backends read and write it (`mapped` '' for no LMA_USER_MAP entry). */
export type OwnerMatchRow = {
  mapped: string;
  email: string | null;
  owner_id: string | null;
  owner_name: string | null;
};

export const toOwnerMatch = (row: OwnerMatchRow): StoredOwnerMatch => ({
  mapped: row.mapped === '' ? null : row.mapped,
  email: row.email,
  owner: row.owner_id === null ? null : { id: row.owner_id, name: row.owner_name ?? '' },
});

/** The row's values in column order: slack_user, mapped, email, owner_id, owner_name, expires_at. */
export const ownerMatchValues = (slackUser: string, match: StoredOwnerMatch, until: Date) => [
  slackUser,
  match.mapped ?? '',
  match.email,
  match.owner?.id ?? null,
  match.owner?.name ?? null,
  iso(until),
];

/** A digest_runs row as the ledger returns it. */
export const toKeptDigest = <Content>(row: { composedAt: string; content: string }): KeptDigest<Content> => ({
  composedAt: new Date(row.composedAt),
  content: JSON.parse(row.content) as Content,
});

/** Kept status change days older than this (a year before the last of `days`) are dropped. */
export function oldestKeptDay(days: readonly StatusChangeDay[]): string {
  const last = days.map((d) => d.day).sort()[days.length - 1];
  return addDays(last, -STATUS_CHANGE_DAYS_KEPT);
}
