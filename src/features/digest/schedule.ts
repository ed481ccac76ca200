/**
 * When the digest runs. The decisions (which day is it, when are today's slots, has one passed, when is the next)
 * are pure functions of an injected instant, so tests check them with a clock; node-cron only triggers the tick.
 * Matching uses node-cron's own matcher (a task created but never started), so the slots computed here are
 * exactly the instants node-cron fires at.
 */

import { zonedInstant } from '@lma-bot/zone';
import { createTask, parse, type ScheduledTask, schedule, validate } from 'node-cron';
import { addDays, todayIn } from '../../lma/dates.js';

export interface DigestSchedule {
  cron: string;
  timezone: string;
}

/** How far ahead `nextRun` looks: a cron such as "0 9 29 2 *" fires once in four years. */
const NEXT_RUN_HORIZON_DAYS = 366 * 4;

/** Slot arithmetic for one cron expression in one IANA zone. */
export class CronClock {
  private readonly matcher: ScheduledTask;
  private readonly times: { hour: number; minute: number; second: number }[];

  constructor(readonly spec: DigestSchedule) {
    if (!validate(spec.cron)) throw new Error(`Not a valid cron expression: "${spec.cron}"`);
    // Never started: no timer, only node-cron's match().
    this.matcher = createTask(spec.cron, () => undefined, { timezone: spec.timezone });
    const fields = parse(spec.cron);
    this.times = [];
    for (const hour of fields.hour)
      for (const minute of fields.minute) for (const second of fields.second) this.times.push({ hour, minute, second });
    this.times.sort((a, b) => a.hour - b.hour || a.minute - b.minute || a.second - b.second);
  }

  /** The digest's calendar day at `now`. */
  dayOf(now: Date): string {
    return todayIn(this.spec.timezone, now);
  }

  /** Every instant the cron fires on a local date, earliest first ([] when it does not fire that day). */
  slotsOn(date: string): Date[] {
    const slots: Date[] = [];
    for (const time of this.times) {
      const instant = zonedInstant(date, time.hour, time.minute, time.second, this.spec.timezone);
      if (instant === null) continue; // skipped by a DST change
      const at = new Date(instant);
      // The hour, minute and second are the cron's own: a miss means the day itself does not fire.
      if (!this.matcher.match(at)) return [];
      slots.push(at);
    }
    return slots;
  }

  /** Today's latest slot at or before `now`: the one a catch-up stands in for. Null when none has passed yet. */
  passedSlotToday(now: Date): Date | null {
    const passed = this.slotsOn(this.dayOf(now)).filter((slot) => slot.getTime() <= now.getTime());
    return passed.at(-1) ?? null;
  }

  /** The first slot after `now`, or null when the cron never fires within four years. */
  nextRun(now: Date): Date | null {
    const today = this.dayOf(now);
    for (let offset = 0; offset <= NEXT_RUN_HORIZON_DAYS; offset++) {
      const next = this.slotsOn(addDays(today, offset)).find((slot) => slot.getTime() > now.getTime());
      if (next) return next;
    }
    return null;
  }

  /** "09:00" for a slot, in the schedule's zone. */
  timeOfDay(at: Date): string {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: this.spec.timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
  }
}

/** Starts node-cron: `tick` runs at each slot. Production only; tests call the runner with a clock instead. */
export function startCron(spec: DigestSchedule, tick: () => Promise<void>): { stop(): void } {
  const task = schedule(spec.cron, () => tick(), { timezone: spec.timezone, name: 'lma-digest', noOverlap: true });
  return {
    stop: () => void task.destroy(),
  };
}
