/** Sleeps that `wakeAll` cuts short: stopping the bot must not wait out a retry's backoff. */
export class Sleeper {
  private readonly sleepers = new Set<() => void>();

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });

  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
