/**
 * The bot's persistence as features see it: small async repositories, one per kind of record. A backend
 * (src/store/sqlite.ts, src/store/postgres.ts) implements them; every table is defined in src/store/schema.ts and
 * every SQL statement lives in the backend. Each exactly-once decision (an event handled, a digest slot claimed, a digest kept) is ONE
 * method, so every backend decides it atomically in its own way (a write transaction, a row lock, a unique key).
 * JSON payloads (a guide's state, a digest's content) are opaque here: the feature that writes one names its type.
 */

import type { ChangeFeedStore, FeedLeases } from '../lma/change-feed.js';
import type { EventKind, LicenseEvent } from '../lma/license-events.js';
import type { StatusChangeDay } from '../lma/status-change-days.js';

// The change feed's port is declared beside the feed that uses it (src/lma/change-feed.ts); the backends implement it.
export type { ChangeFeedStore, FeedCommit } from '../lma/change-feed.js';
export type { StatusChangeDay } from '../lma/status-change-days.js';

/**
 * The store could not be reached (its connections keep failing) or did not answer in time. Answers that need it say
 * so; the ones that do not carry on.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface Store {
  events: EventLog;
  threads: BotThreads;
  threadContext: ThreadContexts;
  guides: Guides;
  digest: DigestLedger;
  feed: ChangeFeedStore;
  alerts: AlertStore;
  leases: Leases;
  ownerMatches: OwnerMatches;
  statusChangeDays: StatusChangeDays;
  readings: KeptReadings;
  close(): Promise<void>;
}

/**
 * Named leases with an expiry, for a job only one process may do at a time while any may take it over: polling the
 * LMO for alerts, reading the change feed, posting one channel's alerts. One statement decides, so two processes never
 * both hold one; a holder that is a dead process on this host (src/store/claim.ts) is replaced at once, as a digest
 * claim is. The change feed declares them as its port (FeedLeases, beside it in src/lma/change-feed.ts), as it does
 * its store.
 */
export type Leases = FeedLeases;

/**
 * The App Home's conversions and uninstalls per finished day (src/lma/status-change-days.ts), kept for one LMO (its
 * instance URL: an embedded LMO gets a new one, and new data, each start) in one time zone. Keeping days drops those
 * of any other LMO or time zone, and days a year older than the last kept: the store holds one LMO's recent year.
 */
export interface StatusChangeDays {
  /** The days kept from `from` (ISO date) on, oldest first. */
  since(lmo: string, timezone: string, from: string): Promise<StatusChangeDay[]>;
  /** Keeps (or replaces) these days' counts. */
  keep(lmo: string, timezone: string, days: StatusChangeDay[]): Promise<void>;
}

/** A reading of the LMO, kept with when it was read. */
export interface KeptReading {
  readAt: Date;
  content: unknown;
}

/**
 * Readings of the LMO every replica may show (the App Home's team figures), the newest kept per name, so that one
 * replica's reading spares the others theirs while it is fresh.
 */
export interface KeptReadings {
  /** The reading kept under `name`; undefined when there is none. */
  get(name: string): Promise<KeptReading | undefined>;
  /** Keeps a reading under `name`, unless one read later is kept already. */
  put(name: string, reading: KeptReading): Promise<void>;
}

/** How long a kept day stays: longer than any window the App Home reads. */
export const STATUS_CHANGE_DAYS_KEPT = 366;

/** A Slack user's Salesforce user as `mine` last looked it up. */
export interface StoredOwnerMatch {
  /** The LMA_USER_MAP email the lookup used, or null when it used the one Slack gave. */
  mapped: string | null;
  /** The email looked up; null when Slack gave none. */
  email: string | null;
  /** The one active Salesforce user with that email; null when there was none. */
  owner: { id: string; name: string } | null;
}

/** `mine`'s lookups, one per Slack user, kept until they expire, so every replica reuses them. */
export interface OwnerMatches {
  /** The user's lookup, unless none was kept or it expired by `now`. */
  get(slackUser: string, now: Date): Promise<StoredOwnerMatch | undefined>;
  /** Keeps the lookup until `until`, replacing the user's earlier one. */
  put(slackUser: string, match: StoredOwnerMatch, until: Date): Promise<void>;
}

/** Slack deliveries already handled: shared by every listener, so a retried delivery is answered once. */
export interface EventLog {
  /** Records a key (an event id, a message); true the first time, false for every later claim of it. */
  claim(key: string, now: Date): Promise<boolean>;
}

export type ThreadKind = 'guide' | 'answer' | 'digest';

/** Threads the bot started or answered in, and what it did there. */
export interface BotThreads {
  /** Remembers a thread; the first kind wins (a guide thread stays a guide even after answers in it). */
  mark(channel: string, threadTs: string, kind: ThreadKind, now: Date): Promise<void>;
  /** What the bot did in that thread, or undefined when it never spoke there. */
  kind(channel: string, threadTs: string): Promise<ThreadKind | undefined>;
}

/** After this long a follow-up in a quiet thread no longer refers to its old customer. */
export const THREAD_CONTEXT_TTL_DAYS = 30;

/** The customer the bot last answered about per thread, so that "and their seats?" means that customer. */
export interface ThreadContexts {
  /** The customer last answered about in that thread, if any and not older than THREAD_CONTEXT_TTL_DAYS. */
  last(channel: string, threadKey: string, now: Date): Promise<string | undefined>;
  /** The latest answer wins. */
  remember(channel: string, threadKey: string, customer: string, now: Date): Promise<void>;
}

/** Alerts posted, muted or dropped are kept this long (what was sent where, and when), then removed. */
export const ALERT_OUTBOX_TTL_DAYS = 30;
/** The outbox is pruned once every so many marks of alerts as done: no timer, and a quiet bot does not scan it. */
export const ALERT_OUTBOX_PRUNE_EVERY = 200;
/** Done outbox rows, removable once older than ALERT_OUTBOX_TTL_DAYS. Deliveries are written only for events newly
 * kept, so removing a row can never make its event post again. */
export const DONE_ALERT_STATES = "('sent', 'muted', 'dropped')";

/** Guides nobody touched for this long are removed, finished or not. */
export const GUIDE_TTL_DAYS = 30;

export interface StoredGuide<State = unknown> {
  channel: string;
  /** The parent message: the thread the guide lives in. */
  threadTs: string;
  /** The guide message in the thread, updated in place. */
  messageTs: string;
  state: State;
  /** How many times it was saved: 0 for a guide not saved yet. */
  revision: number;
}

/**
 * Install guides, one per thread, so any bot instance on the same store carries a guide on. Stepping a guide is
 * read, step, save: the save is refused when someone saved the guide since it was read, so two processes acting on
 * one guide at once never both apply their input to the same state.
 */
export interface Guides {
  get<State>(channel: string, threadTs: string): Promise<StoredGuide<State> | undefined>;
  /**
   * Saves the guide as the revision after the one it carries (creating it when it carries 0); false, and nothing
   * written, when the stored guide is no longer at that revision.
   */
  save<State>(guide: StoredGuide<State>, now: Date): Promise<boolean>;
  /** Removes guides idle for GUIDE_TTL_DAYS; returns how many. */
  removeIdle(now: Date): Promise<number>;
}

/** claimed: someone is posting; parent_posted: message up, thread reply missing; posted: done; failed: gave up. */
export type LedgerState = 'claimed' | 'parent_posted' | 'posted' | 'failed';

export interface LedgerEntry {
  day: string;
  channel: string;
  state: LedgerState;
  owner: string;
  /** ISO instants. */
  heartbeat: string;
  ts: string | null;
  error: string | null;
  postedAt: string | null;
}

export type Claim =
  /** Ours, nothing recorded as posted; `resumed` when an earlier run (maybe killed mid-post) held it. */
  | { kind: 'post'; resumed?: boolean }
  /** Ours, the message is up but its thread reply is not: finish it. */
  | { kind: 'finish'; ts: string }
  /** Already posted today. */
  | { kind: 'done'; ts: string; postedAt: string }
  /** Another process holds a fresh claim (it is posting right now). */
  | { kind: 'busy'; owner: string };

export interface KeptDigest<Content> {
  composedAt: Date;
  content: Content;
}

/**
 * The digest's run ledger: one row per (day, channel), claimed before anything is posted, so that two processes on
 * one store, a restart or a manual run never post the same day's digest twice; and each day's composed digest, so
 * every channel (and a finished part-post) shows the same content. `owner` names the process (src/store/claim.ts).
 */
export interface DigestLedger {
  /**
   * Decides atomically who posts (day, channel); a claim whose holder is gone, or silent for `leaseMs`, is taken over.
   */
  claim(day: string, channel: string, owner: string, now: Date, leaseMs: number): Promise<Claim>;
  /** Keeps the owner's claim fresh while it posts and while it waits to retry. */
  heartbeat(day: string, channel: string, owner: string, now: Date): Promise<void>;
  parentPosted(day: string, channel: string, owner: string, ts: string, now: Date): Promise<void>;
  posted(day: string, channel: string, owner: string, now: Date): Promise<void>;
  /** Gave up for now; the row can be claimed again (a manual run, a restart), and tomorrow has its own row. */
  failed(day: string, channel: string, owner: string, error: string, now: Date): Promise<void>;
  entry(day: string, channel: string): Promise<LedgerEntry | undefined>;
  /** The day's composed digest, if one was kept for posting. */
  composed<Content>(day: string): Promise<KeptDigest<Content> | undefined>;
  /** Keeps the day's digest unless another process kept one first; returns the kept one. */
  keepComposed<Content>(day: string, digest: KeptDigest<Content>): Promise<KeptDigest<Content>>;
  /** The latest digest kept before `day`: changes are reported since it. */
  previous<Content>(day: string): Promise<KeptDigest<Content> | undefined>;
}

export interface AlertSubscription {
  channel: string;
  /** The events this channel gets; every kind when subscribed with none named. */
  events: EventKind[];
  /** Only this package's licenses (a name fragment, as `package:` means everywhere); null: every package. */
  packageName: string | null;
  /** ISO instant of the first subscription of this channel to this package. */
  since: string;
  by: string;
  /** Why posting stopped (the bot was removed from the channel), ISO instant and note; null while active. */
  suspended: { at: string; note: string } | null;
}

/** An event waiting in the outbox for one channel. */
export interface PendingAlert {
  channel: string;
  poll: string;
  /** `sending`: a post was attempted and may have reached Slack before a crash. */
  state: 'pending' | 'sending';
  event: LicenseEvent;
}

/** A poll's pending alerts for one channel: at most `limit` of them, and how many there are of each kind. */
export interface PendingPoll {
  channel: string;
  poll: string;
  total: number;
  byKind: Partial<Record<EventKind, number>>;
  /** `sending` when any was attempted (a summary is then looked for before it is posted again). */
  resumed: boolean;
  first: PendingAlert[];
}

export interface AlertMute {
  key: string;
  /** Null for a mute saved before names were kept. */
  name: string | null;
  by: string;
  at: string;
}

/** Per-channel alert subscriptions, muted customers, and the outbox the sender posts from exactly once. */
export interface AlertStore {
  subscriptions(channel?: string): Promise<AlertSubscription[]>;
  /** Adds events (merged with the channel's for that package); returns the subscription as saved. */
  subscribe(
    channel: string,
    events: readonly EventKind[],
    packageName: string | null,
    by: string,
    now: Date,
  ): Promise<AlertSubscription>;
  /** Removes those events (all of them when none are named) from every subscription of the channel; how many rows changed. */
  unsubscribe(channel: string, events: readonly EventKind[] | 'all'): Promise<number>;
  /** Stops posting to a channel (its pending alerts are dropped); `/lma alerts` shows the note. */
  suspend(channel: string, note: string, now: Date): Promise<void>;
  /** Stops alerts about a customer in the channel, its pending ones too. */
  mute(channel: string, customer: { key: string; name: string }, by: string, now: Date): Promise<void>;
  /** The channel's muted customers, by name. */
  mutes(channel: string): Promise<AlertMute[]>;
  /** Alerts about the customer are posted again from the next read on; whether it was muted. */
  unmute(channel: string, customerKey: string): Promise<boolean>;
  /**
   * Each channel's oldest poll with alerts still to post, `limit` of its alerts (oldest first) and its counts; never
   * the poll still being written (FeedCommit.more), so a poll is posted whole, whichever replica posts it.
   */
  pendingPolls(limit: number): Promise<PendingPoll[]>;
  /** Marks alerts as being posted, before the post (so a restart looks for the message first). */
  sending(channel: string, keys: readonly string[]): Promise<void>;
  /** Marks them posted (ts: the message) — or skipped, with ts null (a muted customer). */
  sent(channel: string, keys: readonly string[], ts: string | null, now: Date): Promise<void>;
  /** The whole poll for a channel at once (a summary posted for it). */
  pollSending(channel: string, poll: string): Promise<void>;
  pollSent(channel: string, poll: string, ts: string, now: Date): Promise<void>;
  /** Up to `limit` events of a poll for a channel, oldest first (a summary's details). */
  pollEvents(channel: string, poll: string, limit: number): Promise<LicenseEvent[]>;
  /** The event behind an alert (its Details button). */
  event(key: string): Promise<LicenseEvent | undefined>;
  /** The newest `limit` events posted to any of these channels, newest first, each once (with one channel it went to). */
  recent(channels: readonly string[], limit: number): Promise<PostedAlert[]>;
}

/** An event the sender posted, and a channel it was posted to. */
export interface PostedAlert {
  channel: string;
  event: LicenseEvent;
}
