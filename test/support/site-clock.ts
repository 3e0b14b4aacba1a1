/**
 * The clock of a seeded sandbox world. The demo is seeded for a fixed day so its dates read the same in every run;
 * the app, the emulators and the test must then all live on that day, or what is overdue depends on when the suite
 * runs. Only `Date` is faked, and it keeps running at real speed from 09:00 UTC of the day, so timers, timeouts and
 * durations behave as they do in production.
 */

/** Every time-related API jest can fake except `Date`: the world's timers stay real. */
export const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/** The instant a world seeded for `day` starts at. */
export const startOfSiteDay = (day: string): number => Date.parse(`${day}T09:00:00.000Z`);

/** Sets this test file's clock to 09:00 UTC on `day`, running; `releaseSiteClock` gives the real one back. */
export function holdSiteClock(day: string): void {
  jest.useFakeTimers({ now: startOfSiteDay(day), advanceTimers: true, doNotFake: [...REAL_TIMERS] });
}

export function releaseSiteClock(): void {
  jest.useRealTimers();
}
