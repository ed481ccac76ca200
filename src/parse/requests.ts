/**
 * The typed requests every entry point produces: `/lma …`, "@LMA …", thread replies and buttons
 * all parse into one of these, and LmoService answers them.
 */

/** Inclusive calendar-date bounds (YYYY-MM-DD in the bot's time zone) with a human label. */
export interface DateRange {
  from: string;
  to: string;
  /** How the window reads in an answer: "in the next 30 days", "this month", "last month". */
  label: string;
}

/** Who a question is about: a search term, or "the customer we were just talking about". */
export type CustomerRef = { term: string } | { previous: true };

export type LmaRequest =
  | { kind: 'help'; topic?: 'ask' }
  | { kind: 'status'; customer: CustomerRef; package?: string }
  /** Trials on now, soonest to expire first; `range` limits to those expiring in it. */
  | { kind: 'trials'; range?: DateRange; package?: string }
  /** Trials converted to paid within `range` (a past window). */
  | { kind: 'conversions'; range: DateRange; package?: string; customer?: CustomerRef }
  /** Paid licenses expiring within `range` (a future window); with a customer, when that customer renews. */
  | { kind: 'renewals'; range: DateRange; package?: string; customer?: CustomerRef }
  /** Seats used of bought for a customer, or everyone over their seats. */
  | { kind: 'seats'; customer?: CustomerRef; overOnly?: boolean; package?: string }
  /** Installed versions for a customer, or who is on a version prefix ("1.x" → "1."). */
  | { kind: 'version'; customer?: CustomerRef; versionPrefix?: string; package?: string }
  | { kind: 'install' }
  | { kind: 'digest'; post: boolean };

export type LmaRequestKind = LmaRequest['kind'];

/** Why a text could not be turned into a request, in words a user can act on. */
export interface ParseFailure {
  /** One line: what was wrong ("`abc` is not a number of days"). */
  problem: string;
  /** The right usage for what the user seemed to want, e.g. "/lma renewals [days] [package]". */
  usage?: string;
  /** For free text: what the bot did understand, if anything ("a question about renewals"). */
  understood?: string;
}

export type ParseResult = { ok: true; request: LmaRequest } | { ok: false; failure: ParseFailure };
