/**
 * The benchmark's clock. Background work at 50,000 projects runs for hours on Forge (the app paces a reconciliation
 * to half of Tier 1's hour), and every budget it is paced by is kept by the clock: the app's background budget per
 * hour and per minute (src/app/recompute-pacing.ts), Forge storage's read units a minute, the queue's pushes a
 * minute, and Jira's points quota per hour. The benchmark stands in for the minutes passing by moving `Date` on, so
 * each of those windows opens when it would on the platform, instead of resetting some of them by hand (which let the
 * app's hourly budget refill every minute, and then left the run waiting a real hour on Jira's 429).
 *
 * Only `Date` moves: timers, `performance.now()` and therefore every duration measured stay real.
 */
const RealDate = Date;
let offsetMs = 0;

class BenchDate extends RealDate {
  constructor(...args: [] | [string | number | Date]) {
    if (args.length === 0) super(RealDate.now() + offsetMs);
    else super(args[0]);
  }

  static override now(): number {
    return RealDate.now() + offsetMs;
  }
}

let installed = false;

/**
 * Puts the benchmark on its own clock, starting at `startAt` (01:00 UTC of the benchmark's day leaves it a day of
 * hours to move through before its "today" changes).
 */
export function installBenchClock(startAt: number): void {
  offsetMs = startAt - RealDate.now();
  if (!installed) globalThis.Date = BenchDate as DateConstructor;
  installed = true;
}

/** Moves the benchmark's clock on, as minutes passing on the platform would. */
export function advanceBenchClock(ms: number): void {
  if (!installed) throw new Error('advanceBenchClock needs installBenchClock first');
  offsetMs += ms;
}
