/**
 * Wall clocks in IANA time zones, for every part that needs "which day is it there" or "when does that local time
 * happen": the bot's "today", the digest's slots and the embedded LMO's date literals. Arithmetic on instants
 * (epoch ms); formatters are cached per zone because building one costs far more than using it.
 */

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall-clock time in `timeZone` at an instant, written as if it were UTC (ms, whole seconds). */
export function wallClockMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The calendar date (YYYY-MM-DD) in `timeZone` at an instant. */
export function dateInZone(epochMs: number, timeZone: string): string {
  return new Date(wallClockMs(epochMs, timeZone)).toISOString().slice(0, 10);
}

/** The instant a local wall-clock time happens in `timeZone`, or null when DST skips it. */
export function zonedInstant(
  date: string,
  hour: number,
  minute: number,
  second: number,
  timeZone: string,
): number | null {
  const wall = Date.parse(`${date}T${pad(hour)}:${pad(minute)}:${pad(second)}Z`);
  const instant = settle(wall, timeZone);
  return wallClockMs(instant, timeZone) === wall ? instant : null;
}

/** The instant `date` begins in `timeZone`: midnight, or the day's first moment where DST skips midnight. */
export function startOfDateInZone(date: string, timeZone: string): number {
  const instant = settle(Date.parse(`${date}T00:00:00Z`), timeZone);
  // Where midnight does not exist the settled guess can sit an hour off; the earliest candidate on that date wins.
  const candidates = [instant - HOUR_MS, instant, instant + HOUR_MS];
  return candidates.find((c) => dateInZone(c, timeZone) === date) ?? instant;
}

/** Moves a wall time to the instant with that wall time, correcting by the zone's offset twice to settle across DST. */
function settle(wall: number, timeZone: string): number {
  let instant = wall;
  for (let i = 0; i < 2; i++) instant = wall - (wallClockMs(instant, timeZone) - instant);
  return instant;
}

const pad = (n: number) => String(n).padStart(2, '0');
