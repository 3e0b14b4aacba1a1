import { createJiraEmulator } from './emulator';
import { Latency, SEARCH_P90_MS, SEARCH_P99_MS } from './latency';
import { AS, buildTestSite, SITE_URL } from './testing';

const percentile = (sorted: readonly number[], p: number) => sorted[Math.floor(p * (sorted.length - 1))]!;

describe("Jira Cloud's answer times", () => {
  it('draws server times with the published P90 and P99 of the search service', () => {
    const latency = new Latency({ seed: 3 });
    const draws = Array.from({ length: 40_000 }, () => latency.draw(0)).sort((a, b) => a - b);
    expect(percentile(draws, 0.9) / SEARCH_P90_MS).toBeCloseTo(1, 1);
    expect(percentile(draws, 0.99) / SEARCH_P99_MS).toBeCloseTo(1, 1);
  });

  it('adds the transfer of the answer, and the same seed draws the same times', () => {
    const fixed = (seed: number) => new Latency({ p90Ms: 40, p99Ms: 40, megabitsPerSecond: 50, seed });
    // 1.3 MB at 50 Mbit/s is 208 ms on top of the server's 40.
    expect(fixed(1).draw(1_300_000)).toBeCloseTo(248, 6);
    const a = new Latency({ seed: 9 });
    const b = new Latency({ seed: 9 });
    expect([a.draw(10), a.draw(10)]).toEqual([b.draw(10), b.draw(10)]);
  });

  it("delays only the app's traffic", async () => {
    const site = buildTestSite();
    try {
      const emulator = createJiraEmulator({
        store: site.store,
        siteUrl: SITE_URL,
        latency: { p90Ms: 2_000, p99Ms: 2_000, megabitsPerSecond: 1_000_000 },
      }).emulator;
      const timed = async (app: boolean) => {
        const started = performance.now();
        await emulator.handle({ method: 'GET', path: '/rest/api/3/myself' }, AS.lead, { app });
        return performance.now() - started;
      };
      // A person's REST client is served as fast as the emulator can, far below the app's 2 s.
      expect(await timed(false)).toBeLessThan(1_500);
      expect(await timed(true)).toBeGreaterThanOrEqual(1_950);
    } finally {
      await site.close();
    }
  });
});
