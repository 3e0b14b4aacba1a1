/**
 * Portfolio history from the weekly snapshots (docs/pmo-rules.md, "What no existing tool does well" 6): how many
 * projects were green, amber and red each week, and the "status inflation" a PMO wants called out — a project that
 * reported green one week and red the next, with no amber in between ("everything is green until it's suddenly red").
 */
import { formatISO, parseISO, startOfISOWeek } from 'date-fns';
import { RAGS, type RagOrNone } from './rag';
import { addCalendarDays, type IsoDate } from './time';

/** One project's overall RAG in a weekly snapshot, as stored. */
export interface SnapshotRow {
  readonly key: string;
  readonly rag: string;
  /** The band of its worst open risk; absent in weeks stored before bands were kept. */
  readonly risk?: string;
}

/** One week's snapshot: `week` is the Monday of its ISO week. */
export interface WeeklySnapshot {
  readonly week: IsoDate;
  readonly rows: readonly SnapshotRow[];
}

/** The portfolio in one week. */
export interface TrendPoint {
  readonly week: IsoDate;
  readonly total: number;
  readonly byRag: Readonly<Record<RagOrNone, number>>;
}

/** A project that went from green straight to red between two consecutive snapshots. */
export interface InflationFlag {
  readonly key: string;
  readonly fromWeek: IsoDate;
  readonly toWeek: IsoDate;
}

/** Weeks a trend covers by default: a quarter, what a steering committee looks back over. */
export const TREND_WEEKS = 12;

/** The Monday of the ISO week `day` falls in (snapshots are keyed by it). */
export function mondayOf(day: IsoDate): IsoDate {
  return formatISO(startOfISOWeek(parseISO(day)), { representation: 'date' });
}

/** The first Monday of a trend of `weeks` weeks that ends with the week of `lastDay`. */
export function trendStart(lastDay: IsoDate, weeks: number = TREND_WEEKS): IsoDate {
  return addCalendarDays(mondayOf(lastDay), -7 * (Math.max(1, weeks) - 1));
}

/** A stored RAG as the domain knows it; anything else (an older or damaged snapshot) counts as not judged. */
export function snapshotRag(stored: string): RagOrNone {
  return (RAGS as readonly string[]).includes(stored) ? (stored as RagOrNone) : 'none';
}

/**
 * The trend over `snapshots` (any order), counting only projects `inScope` says belong — a person never sees a week
 * count a project they may not see today — with every green → red jump between one project's consecutive snapshots.
 * A week the project is missing from (not yet in the registry) does not break the sequence: the comparison is with
 * the last snapshot that had it.
 */
export function portfolioTrend(
  snapshots: readonly WeeklySnapshot[],
  inScope: (key: string) => boolean,
): { readonly points: TrendPoint[]; readonly inflation: InflationFlag[] } {
  const ordered = [...snapshots].sort((a, b) => a.week.localeCompare(b.week));
  const last = new Map<string, { readonly rag: RagOrNone; readonly week: IsoDate }>();
  const inflation: InflationFlag[] = [];
  const points = ordered.map((snapshot) => {
    const byRag: Record<RagOrNone, number> = { green: 0, amber: 0, red: 0, none: 0 };
    let total = 0;
    for (const row of snapshot.rows) {
      if (!inScope(row.key)) continue;
      const rag = snapshotRag(row.rag);
      byRag[rag] += 1;
      total += 1;
      const before = last.get(row.key);
      if (before?.rag === 'green' && rag === 'red') {
        inflation.push({ key: row.key, fromWeek: before.week, toWeek: snapshot.week });
      }
      last.set(row.key, { rag, week: snapshot.week });
    }
    return { week: snapshot.week, total, byRag };
  });
  return { points, inflation };
}
