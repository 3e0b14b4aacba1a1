/**
 * Counts background work (queued async events, product events on their way to triggers) so `drainQueue()` can wait
 * until nothing is left, including work that other work started.
 */
export class Outstanding {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** One more unit of work is under way. */
  hold(): void {
    this.count += 1;
  }

  /** One unit finished; wakes the waiters once nothing is left. */
  release(): void {
    this.count -= 1;
    if (this.count > 0) return;
    this.count = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when every held unit has been released. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
