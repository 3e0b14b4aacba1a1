import { type AppDeps } from './deps';
import {
  BACKGROUND_ACCOUNT,
  BACKGROUND_POINTS_PER_HOUR,
  BACKGROUND_POINTS_PER_MINUTE,
  claimFullRead,
  DEFER_SECONDS,
  deferSeconds,
  fullReadCost,
} from './recompute-pacing';

/** Deps whose storage keeps points per account and hour, on a clock the test moves. */
function pacedDeps(start: string) {
  const spent = new Map<string, number>();
  let now = start;
  const storage = {
    pointsSpent: (accountId: string, hour: string) => Promise.resolve(spent.get(`${hour}:${accountId}`) ?? 0),
    spendPoints: (accountId: string, hour: string, points: number) => {
      const key = `${hour}:${accountId}`;
      spent.set(key, (spent.get(key) ?? 0) + points);
      return Promise.resolve();
    },
  };
  const deps = { storage, clock: { now: () => now, sleep: () => Promise.resolve() } } as unknown as AppDeps;
  return { deps, spent, moveTo: (instant: string) => (now = instant) };
}

const at = (hour: number, minute: number): string =>
  `2026-12-03T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000Z`;

describe('pacing the full reads', () => {
  it('prices a batch at a search per 50 projects and two points a project', () => {
    expect(fullReadCost(1)).toBe(3);
    expect(fullReadCost(50)).toBe(101);
    expect(fullReadCost(100)).toBe(202);
  });

  it('claims from the hour and the minute, and refuses what either cannot afford', async () => {
    const { deps, spent, moveTo } = pacedDeps(at(7, 10));
    const hourKey = `2026-12-03T07:${BACKGROUND_ACCOUNT}`;
    expect(await claimFullRead(deps, 100)).toBe(true);
    expect(spent.get(hourKey)).toBe(202);
    expect(spent.get(`2026-12-03T07:${BACKGROUND_ACCOUNT}:m10`)).toBe(202);
    // Five jobs of 100 a minute; the sixth waits for the next minute.
    for (let job = 2; job <= 5; job += 1) expect(await claimFullRead(deps, 100)).toBe(true);
    expect(await claimFullRead(deps, 100)).toBe(false);
    moveTo(at(7, 11));
    expect(await claimFullRead(deps, 100)).toBe(true);
    // An hour with 201 points left refuses a job of 202 in any minute, and takes one of 200.
    moveTo(at(7, 12));
    spent.set(hourKey, BACKGROUND_POINTS_PER_HOUR - 201);
    expect(await claimFullRead(deps, 100)).toBe(false);
    expect(spent.get(hourKey)).toBe(BACKGROUND_POINTS_PER_HOUR - 201);
    expect(await claimFullRead(deps, 99)).toBe(true);
  });

  it('sends a job it refused back for between one and fifteen minutes, spread by its ids', () => {
    const waits = Array.from({ length: 500 }, (_, job) => deferSeconds([String(10_000 + job * 100)]));
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(DEFER_SECONDS.min);
      expect(wait).toBeLessThanOrEqual(DEFER_SECONDS.max);
    }
    expect(new Set(waits).size).toBeGreaterThan(100);
    expect(deferSeconds(['10000'])).toBe(deferSeconds(['10000']));
  });

  it('spreads a reconciliation of 50,000 projects over hours, no hour spending half of Tier 1', async () => {
    const { deps, spent, moveTo } = pacedDeps(at(0, 0));
    let waiting = 500; // jobs of 100 projects, each asking once a minute (at worst; they wait 1 to 15 minutes)
    let minutes = 0;
    for (; waiting > 0 && minutes < 24 * 60; minutes += 1) {
      moveTo(at(Math.floor(minutes / 60), minutes % 60));
      for (let asking = waiting; asking > 0; asking -= 1) if (await claimFullRead(deps, 100)) waiting -= 1;
    }
    expect(waiting).toBe(0);
    const hours = [...spent].filter(([key]) => key.endsWith(`:${BACKGROUND_ACCOUNT}`)).map(([, points]) => points);
    expect(hours).toHaveLength(Math.ceil((fullReadCost(100) * 500) / BACKGROUND_POINTS_PER_HOUR));
    for (const points of hours) expect(points).toBeLessThanOrEqual(65_000 / 2);
    const perMinute = [...spent].filter(([key]) => /:m\d\d$/.test(key)).map(([, points]) => points);
    for (const points of perMinute) expect(points).toBeLessThanOrEqual(BACKGROUND_POINTS_PER_MINUTE);
  });
});
