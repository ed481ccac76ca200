/**
 * What the App Home costs the LMO: a reading is kept for a few minutes and shared by everyone who opens Home meanwhile
 * (concurrent opens wait for the one read in flight), a failed read is not retried for a while (the last good reading
 * is shown, with the failure). The team's figures are one reading, kept in the store too so every replica shares it;
 * each person's own (Your week) another, per person.
 */

export interface Reading<T> {
  value: T;
  readAt: Date;
}

/** The reading to show, and the failure of the read just tried when it is an older one. */
export interface Shown<T> {
  reading: Reading<T>;
  failure?: unknown;
}

/** Where a reading is kept for every replica on the store, so that one replica's read serves them all while fresh. */
export interface SharedReading<T> {
  get(): Promise<Reading<T> | undefined>;
  put(reading: Reading<T>): Promise<void>;
}

export class CachedReading<T> {
  private last?: Reading<T>;
  private pending?: Promise<Reading<T>>;
  private failed?: { at: number; error: unknown };

  constructor(
    private readonly load: () => Promise<T>,
    private readonly clock: () => Date,
    /** How long a reading is fresh, and how long after a failed read the LMO is left alone. */
    private readonly ttlMs: number,
    private readonly retryMs: number,
    private readonly shared?: SharedReading<T>,
  ) {}

  /** The fresh reading, or a new one (`fresh`: always a new one); rejects only when nothing was ever read. */
  async read(fresh = false): Promise<Shown<T>> {
    const now = this.clock().getTime();
    if (!fresh && !this.pending) {
      if (this.last && now - this.last.readAt.getTime() < this.ttlMs) return { reading: this.last };
      if (this.failed && now - this.failed.at < this.retryMs) return this.fallback(this.failed.error);
    }
    this.pending ??= this.start(fresh);
    try {
      return { reading: await this.pending };
    } catch (error) {
      return this.fallback(error);
    }
  }

  /** A fresh reading kept by another replica, or a new one (`fresh`: always new), kept for the others. */
  private async next(fresh: boolean): Promise<Reading<T>> {
    const kept = fresh ? undefined : await this.shared?.get();
    if (kept && this.clock().getTime() - kept.readAt.getTime() < this.ttlMs) return kept;
    const reading = { value: await this.load(), readAt: this.clock() };
    await this.shared?.put(reading);
    return reading;
  }

  private start(fresh: boolean): Promise<Reading<T>> {
    const run = this.next(fresh).then(
      (reading) => {
        this.last = reading;
        this.failed = undefined;
        return reading;
      },
      (error: unknown) => {
        this.failed = { at: this.clock().getTime(), error };
        throw error;
      },
    );
    return run.finally(() => {
      this.pending = undefined;
    });
  }

  private fallback(error: unknown): Shown<T> {
    if (!this.last) throw error;
    return { reading: this.last, failure: error };
  }
}

/**
 * One reading per person, each loaded by its own `load`; the people who read least recently are forgotten beyond
 * `people`, so memory follows who uses Home rather than the size of the workspace.
 */
export class PersonalReadings<T> {
  private readonly readings = new Map<string, CachedReading<T>>();

  constructor(
    private readonly clock: () => Date,
    private readonly ttlMs: number,
    private readonly retryMs: number,
    private readonly people = 1_000,
  ) {}

  /** The person's reading as CachedReading gives it; `load` reads theirs when they have none kept yet. */
  read(person: string, load: () => Promise<T>, fresh = false): Promise<Shown<T>> {
    const reading = this.readings.get(person) ?? new CachedReading(load, this.clock, this.ttlMs, this.retryMs);
    // Re-inserted on every read: the Map's order is then least recently read first.
    this.readings.delete(person);
    this.readings.set(person, reading);
    for (const oldest of this.readings.keys()) {
      if (this.readings.size <= this.people) break;
      this.readings.delete(oldest);
    }
    return reading.read(fresh);
  }
}
