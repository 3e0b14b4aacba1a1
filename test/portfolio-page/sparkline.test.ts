import { type TrendPoint } from '../../src/domain/trend';
import { firstSnapshotBy, sparkline } from '../../static/portfolio/src/sparkline';

const week = (day: string, red: number, amber: number, green: number): TrendPoint => ({
  week: day,
  total: red + amber + green,
  byRag: { red, amber, green, none: 0 },
});

describe('the trend sparkline', () => {
  it('draws each RAG oldest to newest, zero at the bottom and the highest count at the top', () => {
    const chart = sparkline([week('2026-11-16', 4, 2, 10), week('2026-11-02', 2, 4, 8), week('2026-11-09', 3, 3, 9)]);
    expect(chart.max).toBe(10);
    const green = chart.series.find((s) => s.rag === 'green');
    // 240 wide, 56 high, 4 of padding: x from 4 to 236, y from 52 (zero) to 4 (ten).
    expect(green?.points).toBe('4,13.6 120,8.8 236,4');
    expect(green?.last).toEqual({ x: 236, y: 4, value: 10 });
    expect(chart.series.find((s) => s.rag === 'red')?.points).toBe('4,42.4 120,37.6 236,32.8');
    expect(chart.series.map((s) => s.rag)).toEqual(['red', 'amber', 'green']);
  });

  it('draws a single week as a level line and an all-zero history on the floor', () => {
    const one = sparkline([week('2026-11-16', 1, 0, 2)]);
    expect(one.series.find((s) => s.rag === 'amber')?.points).toBe('4,52 236,52');
    const empty = sparkline([week('2026-11-09', 0, 0, 0), week('2026-11-16', 0, 0, 0)]);
    expect(empty.max).toBe(1);
    expect(empty.series.every((s) => s.points === '4,52 236,52')).toBe(true);
  });

  it('expects the first weekly snapshot within a week', () => {
    expect(firstSnapshotBy('2026-11-21')).toBe('2026-11-28');
  });
});
