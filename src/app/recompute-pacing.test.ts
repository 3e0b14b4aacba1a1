import { type AppDeps } from './deps';
import { BACKGROUND_ACCOUNT, BACKGROUND_POINTS_PER_HOUR, claimFullRead, fullReadCost } from './recompute-pacing';

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

describe('pacing the full reads', () => {
  it('prices a batch at a search per 50 projects and two points a project', () => {
    expect(fullReadCost(1)).toBe(3);
    expect(fullReadCost(50)).toBe(101);
    expect(fullReadCost(100)).toBe(202);
  });

  it('claims from this hour under the background account, and refuses what the hour cannot afford', async () => {
    const { deps, spent } = pacedDeps('2026-12-03T07:10:00.000Z');
    expect(await claimFullRead(deps, 100)).toBe(true);
    expect(spent.get(`2026-12-03T07:${BACKGROUND_ACCOUNT}`)).toBe(202);
    spent.set(`2026-12-03T07:${BACKGROUND_ACCOUNT}`, BACKGROUND_POINTS_PER_HOUR - 201);
    expect(await claimFullRead(deps, 100)).toBe(false);
    expect(spent.get(`2026-12-03T07:${BACKGROUND_ACCOUNT}`)).toBe(BACKGROUND_POINTS_PER_HOUR - 201);
    expect(await claimFullRead(deps, 99)).toBe(true);
  });

  it('spreads a reconciliation of 50,000 projects over hours, none spending half of Tier 1', async () => {
    const { deps, spent, moveTo } = pacedDeps('2026-12-03T00:00:00.000Z');
    let waiting = 500; // jobs of 100 projects
    let hour = 0;
    while (waiting > 0 && hour < 24) {
      // Every waiting job asks once per queue delay (900 s): four times an hour.
      for (const minute of ['00', '15', '30', '45']) {
        moveTo(`2026-12-03T${String(hour).padStart(2, '0')}:${minute}:00.000Z`);
        let asking = waiting;
        while (asking > 0) {
          if (await claimFullRead(deps, 100)) waiting -= 1;
          asking -= 1;
        }
      }
      hour += 1;
    }
    expect(waiting).toBe(0);
    const hours = [...spent.values()];
    expect(hours.length).toBe(Math.ceil((fullReadCost(100) * 500) / BACKGROUND_POINTS_PER_HOUR));
    for (const points of hours) expect(points).toBeLessThanOrEqual(65_000 / 2);
  });
});
