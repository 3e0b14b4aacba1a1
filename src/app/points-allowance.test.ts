import { type AppDeps } from './deps';
import { AllowanceSpentError, hourOf, minutesToNextHour, openAllowance, PAGE_POINTS } from './points-allowance';

const NOW = '2026-12-02T07:42:10.000Z';

/** Deps with a storage that remembers points, or fails as asked. */
function depsWith(spent: number, fail: { read?: boolean; write?: boolean } = {}) {
  const written: Array<[string, string, number]> = [];
  const storage = {
    pointsSpent: jest.fn((_accountId: string, _hour: string) =>
      fail.read ? Promise.reject(new Error('KVS is down')) : Promise.resolve(spent),
    ),
    spendPoints: jest.fn((accountId: string, hour: string, points: number) => {
      written.push([accountId, hour, points]);
      return fail.write ? Promise.reject(new Error('KVS is down')) : Promise.resolve();
    }),
  };
  const deps = { storage, clock: { now: () => NOW, sleep: () => Promise.resolve() } } as unknown as AppDeps;
  return { deps, written, storage };
}

describe('points allowance', () => {
  beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('keeps hours as their first 13 characters and counts whole minutes to the next one', () => {
    expect(hourOf(NOW)).toBe('2026-12-02T07');
    expect(minutesToNextHour(NOW)).toBe(18);
    expect(minutesToNextHour('2026-12-02T07:59:59.000Z')).toBe(1);
    expect(minutesToNextHour('2026-12-02T08:00:00.000Z')).toBe(60);
  });

  it('leaves what the hour allows minus what was spent, and records only what this read spent', async () => {
    const { deps, written, storage } = depsWith(1_000);
    const allowance = await openAllowance(deps, 'user-lead', 1_500);
    expect(storage.pointsSpent).toHaveBeenCalledWith('user-lead', '2026-12-02T07');
    expect(allowance.left).toBe(500);
    allowance.spend(101);
    allowance.spend(42);
    expect(allowance.left).toBe(357);
    await allowance.settle();
    expect(written).toEqual([['user-lead', '2026-12-02T07', 143]]);
  });

  it('refuses a read with not one page left, saying in how many minutes it comes back', async () => {
    const { deps } = depsWith(1_500 - PAGE_POINTS + 1);
    const allowance = await openAllowance(deps, 'user-lead', 1_500);
    expect(() => allowance.requirePage()).toThrow(AllowanceSpentError);
    try {
      allowance.requirePage();
    } catch (error) {
      expect(error).toMatchObject({ errorType: 'UNAVAILABLE', i18n: { params: { minutes: 18 } } });
    }
    const { deps: fresh } = depsWith(1_500 - PAGE_POINTS);
    const onePageLeft = await openAllowance(fresh, 'user-lead', 1_500);
    expect(() => onePageLeft.requirePage()).not.toThrow();
  });

  it('never takes the portfolio down with storage: a failed read counts nothing spent, a failed write is logged', async () => {
    const { deps } = depsWith(0, { read: true, write: true });
    const allowance = await openAllowance(deps, 'user-lead', 1_500);
    expect(allowance.left).toBe(1_500);
    allowance.spend(10);
    await expect(allowance.settle()).resolves.toBeUndefined();
    expect(console.warn).toHaveBeenCalledTimes(2);
  });

  it('writes nothing when the read spent nothing', async () => {
    const { deps, written } = depsWith(0);
    await (await openAllowance(deps, 'user-lead', 1_500)).settle();
    expect(written).toEqual([]);
  });
});
