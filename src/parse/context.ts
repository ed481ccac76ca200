/** What the grammar needs to know about the world: today's date and the package names. */
export interface ParseContext {
  /** Today's date, YYYY-MM-DD, in the bot's time zone. Every date window is computed from it. */
  today: string;
  /** Known package names, so a trailing word ("/lma trials 30 Invoicer") can be read as a package. */
  packages?: string[];
}

/** Longest text we read; anything longer is refused before any of it is parsed. */
export const MAX_TEXT_LENGTH = 500;
/** A number of days in a command or question must fall in this range, future or past. */
export const MIN_DAYS = 1;
export const MAX_DAYS = 365;
/** Default window for `/lma renewals` and `/lma conversions` without a number. */
export const DEFAULT_WINDOW_DAYS = 30;
/** Window for "when does Acme renew" / "did Acme convert" when no time was given. */
export const CUSTOMER_WINDOW_DAYS = 365;
