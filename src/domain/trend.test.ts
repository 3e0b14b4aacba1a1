import { mondayOf, portfolioTrend, trendStart, type WeeklySnapshot } from './trend';

const week = (monday: string, rows: Record<string, string>): WeeklySnapshot => ({
  week: monday,
  rows: Object.entries(rows).map(([key, rag]) => ({ key, rag })),
});

describe('weekly snapshots', () => {
  it('keys weeks by their ISO Monday and spans twelve weeks ending this week', () => {
    expect(mondayOf('2026-11-21')).toBe('2026-11-16');
    expect(mondayOf('2026-11-16')).toBe('2026-11-16');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(trendStart('2026-11-21')).toBe('2026-08-31');
    expect(trendStart('2026-11-21', 1)).toBe('2026-11-16');
  });
});

describe('portfolioTrend', () => {
  const snapshots = [
    week('2026-11-16', { A: 'red', B: 'red', C: 'amber', X: 'red' }),
    week('2026-11-02', { A: 'green', B: 'green', C: 'green', X: 'green' }),
    week('2026-11-09', { A: 'green', B: 'amber', X: 'green', D: 'weird' }),
  ];

  it('counts each week by RAG, oldest first, only for projects in scope', () => {
    const { points } = portfolioTrend(snapshots, (key) => key !== 'X');
    expect(points.map((p) => [p.week, p.total, p.byRag])).toEqual([
      ['2026-11-02', 3, { green: 3, amber: 0, red: 0, none: 0 }],
      ['2026-11-09', 3, { green: 1, amber: 1, red: 0, none: 1 }],
      ['2026-11-16', 3, { green: 0, amber: 1, red: 2, none: 0 }],
    ]);
  });

  it('flags green → red between consecutive snapshots, not through amber, and never out of scope', () => {
    const { inflation } = portfolioTrend(snapshots, (key) => key !== 'X');
    expect(inflation).toEqual([{ key: 'A', fromWeek: '2026-11-09', toWeek: '2026-11-16' }]);
  });

  it('compares with the last snapshot that had the project when a week is missing', () => {
    const { inflation } = portfolioTrend(
      [week('2026-11-02', { A: 'green' }), week('2026-11-09', {}), week('2026-11-16', { A: 'red' })],
      () => true,
    );
    expect(inflation).toEqual([{ key: 'A', fromWeek: '2026-11-02', toWeek: '2026-11-16' }]);
  });
});
