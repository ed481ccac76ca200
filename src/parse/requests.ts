/**
 * The questions the one grammar reads: `/lma status Acme`, "@LMA when does Acme renew?", a thread reply and a
 * "Share in channel" button all parse into one of these, and the feature that answers its kind answers it.
 * QUESTION_KINDS is the one table of question kinds; a subcommand that is not a question (`/lma install`) declares
 * its own request type next to its feature.
 */
import type { DateRange } from '../lma/dates.js';
import type { HealthListName } from '../lma/model.js';

/** Who a question is about: a search term, or "the customer we were just talking about". */
export type CustomerRef = { term: string } | { previous: true };

export type Question =
  | { kind: 'help'; topic?: 'ask' }
  | { kind: 'status'; customer: CustomerRef; package?: string }
  /** Trials on now, soonest to expire first; `range` limits to those expiring in it. */
  | { kind: 'trials'; range?: DateRange; package?: string; mine?: true }
  /** Trials converted to paid within `range` (a past window). */
  | { kind: 'conversions'; range: DateRange; package?: string; customer?: CustomerRef }
  /** Paid licenses expiring within `range` (a future window); with a customer, when that customer renews. */
  | { kind: 'renewals'; range: DateRange; package?: string; customer?: CustomerRef; mine?: true }
  /** Seats used of bought for a customer. */
  | { kind: 'seats'; customer: CustomerRef; package?: string }
  /** Seat health: over their seats, at risk, hot trials (`list`: only that one, as asked in a thread). */
  | { kind: 'health'; list?: HealthListName; package?: string; mine?: true }
  /** Installed versions for a customer, or who is on a version prefix ("1.x" → "1."). */
  | { kind: 'version'; customer?: CustomerRef; versionPrefix?: string; package?: string };

export type QuestionKind = Question['kind'];

/** Every kind of question, each answered by exactly one feature (checked at start-up); the Record keeps it complete. */
const EVERY_KIND: Record<QuestionKind, true> = {
  help: true,
  status: true,
  trials: true,
  conversions: true,
  renewals: true,
  seats: true,
  version: true,
  health: true,
};
export const QUESTION_KINDS = Object.keys(EVERY_KIND) as QuestionKind[];

/** Why a text could not be turned into a request, in words a user can act on. */
export interface ParseFailure {
  /** One line: what was wrong ("`abc` is not a number of days"). */
  problem: string;
  /** The right usage for what the user seemed to want, e.g. "/lma renewals [days] [package]". */
  usage?: string;
  /** For free text: what the bot did understand, if anything ("a question about renewals"). */
  understood?: string;
}

export type ParseResult<Request = Question> = { ok: true; request: Request } | { ok: false; failure: ParseFailure };
