/**
 * The weekly snapshots in Forge SQL (migrations v006 and v007): each project's own RAG and worst risk band, one row
 * per project and week, read joined to the read model's rows a reader may see today, so the trend, the "as of" view
 * and what changed cost a few statements whose answers are counts and a page of rows, whatever the registry's size.
 *
 * A week is written in several statements (Forge SQL has no transactions), so its `snapshot_week` row is removed
 * first and written last: a week whose writing failed half-way is not read, and the next weekly run writes it again.
 */
import { z } from 'zod';
import { type ReaderScope } from '../../app/ports';
import { RAGS, type RagOrNone, ragSeverity } from '../../domain/rag';
import { type IsoDate } from '../../domain/time';
import { type InflationFlag, snapshotRag, type SnapshotRow, type TrendPoint } from '../../domain/trend';
import { inScope } from './sql-portfolio';
import { parsedRows, placeholders, run, runDml, type SqlValue } from './statements';

/** Snapshot rows one INSERT carries (~80 bytes each, far inside Forge SQL's 1 MiB request). */
const ROWS_PER_INSERT = 1000;
/** Snapshot rows one DELETE removes: each statement stays well inside Forge SQL's 10 s for a write. */
const ROWS_PER_DELETE = 10_000;

const ragSchema = z.enum([...RAGS, 'none']);
const weekText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.coerce.number().int().min(0);

const emptyByRag = (): Record<RagOrNone, number> => ({ green: 0, amber: 0, red: 0, none: 0 });

/** Complete weeks from `from` to `to`, both included: a subquery, so a read needs no list of weeks first. */
const WEEKS_BETWEEN = 'SELECT week FROM snapshot_week WHERE week BETWEEN ? AND ?';

/** The snapshot rows of the rows in scope, in the complete weeks between two days: what every read of them joins. */
function visibleSnapshots(scope: ReaderScope, from: IsoDate, to: IsoDate): { sql: string; params: SqlValue[] } {
  const where = inScope(scope);
  return {
    sql:
      'weekly_snapshot s JOIN project_projection p ON p.issue_key = s.issue_key ' +
      `WHERE s.week IN (${WEEKS_BETWEEN}) AND ${where.sql}`,
    params: [from, to, ...where.params],
  };
}

export const snapshotQueries = {
  async saveSnapshot(week: IsoDate, rows: readonly SnapshotRow[]): Promise<void> {
    await runDml('DELETE FROM snapshot_week WHERE week = ?', [week]);
    while ((await runDml('DELETE FROM weekly_snapshot WHERE week = ? LIMIT ?', [week, ROWS_PER_DELETE])) > 0) {
      // A week of more rows than one DELETE removes takes several.
    }
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const part = rows.slice(start, start + ROWS_PER_INSERT);
      await run(
        'INSERT INTO weekly_snapshot (week, issue_key, rag, severity, band) VALUES ' +
          `${part.map(() => '(?, ?, ?, ?, ?)').join(', ')} ` +
          'ON DUPLICATE KEY UPDATE rag = VALUES(rag), severity = VALUES(severity), band = VALUES(band)',
        part.flatMap((row) => {
          const rag = snapshotRag(row.rag);
          return [week, row.key, rag, ragSeverity(rag), row.risk ?? null];
        }),
      );
    }
    await run('INSERT INTO snapshot_week (week, projects) VALUES (?, ?)', [week, rows.length]);
  },

  async snapshotWeeks(): Promise<readonly IsoDate[]> {
    const rows = await run<unknown>('SELECT CAST(week AS CHAR) AS week FROM snapshot_week ORDER BY week', []);
    return parsedRows(z.object({ week: weekText }), rows).map((row) => row.week);
  },

  async trendIn(scope: ReaderScope, from: IsoDate, to: IsoDate, limit: number) {
    const visible = visibleSnapshots(scope, from, to);
    // Each project's previous snapshot among these weeks, in which it was green while it is red now.
    const jumps =
      'SELECT s.issue_key AS issue_key, CAST(s.week AS CHAR) AS to_week, s.rag AS rag, ' +
      'LAG(s.rag) OVER (PARTITION BY s.issue_key ORDER BY s.week) AS before_rag, ' +
      'CAST(LAG(s.week) OVER (PARTITION BY s.issue_key ORDER BY s.week) AS CHAR) AS from_week ' +
      `FROM ${visible.sql}`;
    const [weeks, counts, flags] = await Promise.all([
      run<unknown>(`SELECT CAST(week AS CHAR) AS week FROM (${WEEKS_BETWEEN}) w ORDER BY week`, [from, to]),
      run<unknown>(
        `SELECT CAST(s.week AS CHAR) AS week, s.rag AS rag, COUNT(*) AS n FROM ${visible.sql} GROUP BY s.week, s.rag`,
        visible.params,
      ),
      run<unknown>(
        'SELECT issue_key, from_week, to_week, COUNT(*) OVER () AS total ' +
          `FROM (${jumps}) j WHERE rag = 'red' AND before_rag = 'green' ORDER BY to_week DESC, issue_key ASC LIMIT ?`,
        [...visible.params, limit],
      ),
    ]);
    const byWeek = new Map(
      parsedRows(z.object({ week: weekText }), weeks).map((row) => [row.week, emptyByRag()] as const),
    );
    for (const row of parsedRows(z.object({ week: weekText, rag: ragSchema, n: count }), counts)) {
      const byRag = byWeek.get(row.week);
      if (byRag) byRag[row.rag] += row.n;
    }
    const points: TrendPoint[] = [...byWeek].map(([week, byRag]) => ({
      week,
      total: Object.values(byRag).reduce((sum, n) => sum + n, 0),
      byRag,
    }));
    const flagged = parsedRows(
      z.object({ issue_key: z.string(), from_week: weekText, to_week: weekText, total: count }),
      flags,
    );
    const items: InflationFlag[] = flagged.map((row) => ({
      key: row.issue_key,
      fromWeek: row.from_week,
      toWeek: row.to_week,
    }));
    return { points, inflation: { total: flagged[0]?.total ?? 0, items } };
  },

  async snapshotIn(scope: ReaderScope, from: IsoDate, to: IsoDate, limit: number) {
    // The latest complete week between the two days.
    const latest = `SELECT MAX(week) FROM snapshot_week WHERE week BETWEEN ? AND ?`;
    const where = inScope(scope);
    const visible = {
      sql:
        'weekly_snapshot s JOIN project_projection p ON p.issue_key = s.issue_key ' +
        `WHERE s.week = (${latest}) AND ${where.sql}`,
      params: [from, to, ...where.params],
    };
    const [week, counts, first] = await Promise.all([
      run<unknown>(`SELECT CAST((${latest}) AS CHAR) AS week`, [from, to]),
      run<unknown>(`SELECT s.rag AS rag, COUNT(*) AS n FROM ${visible.sql} GROUP BY s.rag`, visible.params),
      run<unknown>(
        `SELECT s.issue_key AS issue_key, s.rag AS rag, p.summary AS summary FROM ${visible.sql} ` +
          'ORDER BY s.severity DESC, p.sort_key ASC, s.issue_key ASC LIMIT ?',
        [...visible.params, limit],
      ),
    ]);
    const byRag = emptyByRag();
    for (const row of parsedRows(z.object({ rag: ragSchema, n: count }), counts)) byRag[row.rag] += row.n;
    return {
      week: parsedRows(z.object({ week: weekText.nullable() }), week)[0]?.week ?? null,
      byRag,
      total: Object.values(byRag).reduce((sum, n) => sum + n, 0),
      rows: parsedRows(z.object({ issue_key: z.string(), rag: ragSchema, summary: z.string().nullable() }), first).map(
        (row) => ({ key: row.issue_key, rag: row.rag, summary: row.summary ?? '' }),
      ),
    };
  },

  async snapshotRowsIn(scope: ReaderScope, week: IsoDate): Promise<readonly SnapshotRow[]> {
    const from = visibleSnapshots(scope, week, week);
    const rows = await run<unknown>(
      `SELECT s.issue_key AS issue_key, s.rag AS rag, s.band AS band FROM ${from.sql}`,
      from.params,
    );
    return parsedRows(z.object({ issue_key: z.string(), rag: ragSchema, band: z.string().nullable() }), rows).map(
      (row) => ({ key: row.issue_key, rag: row.rag, ...(row.band === null ? {} : { risk: row.band }) }),
    );
  },

  async snapshotHistory(key: string, weeks: readonly IsoDate[]) {
    if (weeks.length === 0) return [];
    const rows = await run<unknown>(
      'SELECT CAST(week AS CHAR) AS week, rag FROM weekly_snapshot ' +
        `WHERE issue_key = ? AND week IN (${placeholders(weeks.length)}) ORDER BY week`,
      [key, ...weeks],
    );
    return parsedRows(z.object({ week: weekText, rag: ragSchema }), rows);
  },
};
