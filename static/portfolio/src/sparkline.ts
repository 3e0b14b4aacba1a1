/**
 * The geometry of the trend sparkline: one polyline per RAG over the weekly snapshots, in a fixed view box the SVG
 * scales. Pure so it can be tested without a browser.
 */
import { type IsoDate } from '../../../src/domain/time';
import { type TrendPoint } from '../../../src/domain/trend';

/** The RAGs the sparkline draws, worst first (the order of its legend). */
export const SPARK_RAGS = ['red', 'amber', 'green'] as const;
/** One of the RAGs the sparkline draws. */
export type SparkRag = (typeof SPARK_RAGS)[number];

/** Where a series' points sit in the view box. */
export interface SparkSeries {
  readonly rag: SparkRag;
  /** SVG `points`: "x,y x,y …". */
  readonly points: string;
  /** The last point, where the chart marks today's value. */
  readonly last: { readonly x: number; readonly y: number; readonly value: number };
}

/** The sparkline of a trend. */
export interface Sparkline {
  readonly width: number;
  readonly height: number;
  /** The highest count of any RAG in any week: the top of the scale. */
  readonly max: number;
  readonly series: readonly SparkSeries[];
}

const round = (value: number): number => Math.round(value * 10) / 10;

/**
 * Lays the weeks out left to right, oldest first, counts bottom to top from zero (a scale that starts above zero
 * would make a change from 9 to 10 look like a collapse). A single week is drawn as a flat line across the box so
 * it still reads as a level. `pad` keeps the stroke and the end dots inside the box.
 */
export function sparkline(weeks: readonly TrendPoint[], width = 240, height = 56, pad = 4): Sparkline {
  const ordered = [...weeks].sort((a, b) => a.week.localeCompare(b.week));
  const max = Math.max(1, ...ordered.flatMap((point) => SPARK_RAGS.map((rag) => point.byRag[rag])));
  const x = (index: number): number =>
    ordered.length === 1 ? width - pad : pad + (index * (width - 2 * pad)) / (ordered.length - 1);
  const y = (value: number): number => height - pad - (value * (height - 2 * pad)) / max;
  const series = SPARK_RAGS.map((rag) => {
    const coordinates = ordered.map((point, index) => ({ x: round(x(index)), y: round(y(point.byRag[rag])) }));
    if (ordered.length === 1 && coordinates[0]) coordinates.unshift({ x: pad, y: coordinates[0].y });
    const last = coordinates.at(-1) ?? { x: width - pad, y: height - pad };
    return {
      rag,
      points: coordinates.map((c) => `${c.x},${c.y}`).join(' '),
      last: { ...last, value: ordered.at(-1)?.byRag[rag] ?? 0 },
    };
  });
  return { width, height, max, series };
}

/**
 * The latest day the first weekly snapshot can be expected: Forge runs a weekly scheduled trigger once in every
 * seven days, counted from when the app was installed, which the page does not know — so a week from today.
 */
export function firstSnapshotBy(today: IsoDate): IsoDate {
  // Plain UTC arithmetic rather than the domain's addCalendarDays, whose module would bring its zod schemas into
  // the trend's chunk. Noon keeps the day whatever the reader's time zone.
  const day = new Date(`${today}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 7);
  return day.toISOString().slice(0, 10);
}
