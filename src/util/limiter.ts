/**
 * At most `max` tasks at once; the others wait in arrival order. A waiter gives up at its deadline, so time spent
 * queueing counts against the same budget as the work itself.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  /** Runs `task` once a slot is free; rejects with `onTimeout()` if none frees up within `waitMs`. */
  async run<T>(waitMs: number, onTimeout: () => Error, task: () => Promise<T>): Promise<T> {
    await this.acquire(waitMs, onTimeout);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(waitMs: number, onTimeout: () => Error): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () => {
          this.waiting.splice(this.waiting.indexOf(wake), 1);
          reject(onTimeout());
        },
        Math.max(0, waitMs),
      );
      this.waiting.push(wake);
    });
  }

  /** Hands the slot to the next waiter, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
