import { addCalendarDays } from '../../src/domain/time';
import { portfolioTrend } from '../../src/domain/trend';
import { demoPortfolio } from './demo-portfolio';
import { DEMO_SNAPSHOT_WEEKS, demoSnapshots } from './demo-snapshots';

const TODAY = '2026-11-21';
const snapshots = demoSnapshots(TODAY);
const demo = demoPortfolio(TODAY);

describe('the demo snapshot history', () => {
  it('is the same on every reset for the same day', () => {
    expect(JSON.stringify(demoSnapshots(TODAY))).toBe(JSON.stringify(snapshots));
  });

  it('has one snapshot per week, keyed by Monday, ending with this week', () => {
    expect(snapshots.map((s) => s.week)).toEqual([
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    expect(snapshots).toHaveLength(DEMO_SNAPSHOT_WEEKS);
  });

  it("ends with what every project's stored health says today", () => {
    const latest = new Map(snapshots.at(-1)?.rows.map((r) => [r.key, r.rag]));
    demo.issues.forEach((issue, i) => {
      expect(latest.get(demo.keys[i] as string)).toBe((issue.properties['tollgate-health'] as { rag: string }).rag);
    });
  });

  it('flags some status inflation, but far from every red, and shows slides through amber too', () => {
    const trend = portfolioTrend(snapshots, () => true);
    const reds = snapshots.at(-1)?.rows.filter((r) => r.rag === 'red').length ?? 0;
    expect(trend.inflation.length).toBeGreaterThan(0);
    expect(new Set(trend.inflation.map((f) => f.key)).size).toBeLessThan(reds);
    expect(trend.points.some((p, i) => i > 0 && p.byRag.amber !== trend.points[i - 1]?.byRag.amber)).toBe(true);
  });

  it('leaves a project out of the weeks before it was created', () => {
    demo.issues.forEach((issue, i) => {
      const key = demo.keys[i] as string;
      for (const snapshot of snapshots) {
        const present = snapshot.rows.some((r) => r.key === key);
        // A snapshot is taken some day of its week: a project created by that Sunday may be in it.
        if (present) expect(issue.created.slice(0, 10) <= addCalendarDays(snapshot.week, 6)).toBe(true);
      }
    });
  });
});
