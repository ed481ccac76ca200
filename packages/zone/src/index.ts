/**
 * Wall clocks in IANA time zones, for every part that needs "which day is it there" or "when does that local time
 * happen": the bot's "today", the digest's slots and the embedded LMO's date literals. Arithmetic on instants
 * (epoch ms); formatters are cached per zone because building one costs far more than using it, and so are the
 * wall clocks of the seconds last formatted, because formatting costs far more than a lookup.
 */

const HOUR_MS = 3_600_000;

/** A zone's formatter, and the wall clocks of the seconds it formatted last: a burst asks for the same few again. */
interface ZoneClock {
  format: Intl.DateTimeFormat;
  wallBySecond: Map<number, number>;
}
const clocks = new Map<string, ZoneClock>();
/** Seconds remembered per zone: the few a burst of answers asks for (now, today's start, a window's ends). */
const REMEMBERED_SECONDS = 64;

function clockOf(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (!clock) {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    clock = { format, wallBySecond: new Map() };
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** The wall-clock time in `timeZone` at an instant, written as if it were UTC (ms, whole seconds). */
export function wallClockMs(epochMs: number, timeZone: string): number {
  const clock = clockOf(timeZone);
  // The result depends on the whole second only: the formatter drops milliseconds.
  const second = Math.floor(epochMs / 1000);
  const known = clock.wallBySecond.get(second);
  if (known !== undefined) return known;
  const parts: Record<string, number> = {};
  for (const p of clock.format.formatToParts(new Date(epochMs))) parts[p.type] = Number(p.value);
  const wallMs = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  if (clock.wallBySecond.size >= REMEMBERED_SECONDS) clock.wallBySecond.clear();
  clock.wallBySecond.set(second, wallMs);
  return wallMs;
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
