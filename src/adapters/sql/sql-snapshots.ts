/**
 * The weekly snapshots in Forge SQL (migrations v006–v008): each project's own RAG and worst risk band that week, in
 * the Jira project it was in, so what a reader may see of a week is counted by the Jira projects they may browse today
 * (less the rows under an issue security level they do not pass), from a few rows of counts a week:
 * - the snapshot is taken from the read model in SQL (INSERT … SELECT), and nothing travels through the function;
 * - its counts by Jira project and RAG (`snapshot_count`) and each row's green → red jump from the project's previous
 *   snapshot (`jump_from`) are worked out once, when the week is written;
 * - the trend, the "as of" week and the jumps read those, whatever the registry's size; "what changed" between two
 *   weeks is worked out in SQL too (sql-changes.ts).
 *
 * A week is written in several statements (Forge SQL has no transactions), so its `snapshot_week` row is removed
 * first and written last: a week whose writing failed half-way is not read, and the next weekly run writes it again.
 * Weeks are written in order (the weekly run writes the current one); an older week written after newer ones (moved
 * from KVS) works out the next week's jumps again, but not those of later weeks a project skipped the next one in.
 */
import { z } from 'zod';
import { type ReaderScope } from '../../app/ports';
import { RAGS, type RagOrNone, ragSeverity } from '../../domain/rag';
import { type RiskBandConfig } from '../../domain/risk';
import { type IsoDate } from '../../domain/time';
import { type InflationFlag, snapshotRag, type SnapshotRow, type TrendPoint } from '../../domain/trend';
import { inScope } from './sql-portfolio';
import { parsedRows, placeholders, run, runDml, type SqlValue } from './statements';

/** Keys one INSERT … SELECT of a week kept by key names: a statement of a few KB. */
const KEYS_PER_INSERT = 1000;
/** Snapshot rows one DELETE removes: each statement stays well inside Forge SQL's 10 s for a write. */
const ROWS_PER_DELETE = 10_000;

const ragSchema = z.enum([...RAGS, 'none']);
const weekText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.coerce.number().int().min(0);

const emptyByRag = (): Record<RagOrNone, number> => ({ green: 0, amber: 0, red: 0, none: 0 });
const totalOf = (byRag: Readonly<Record<RagOrNone, number>>): number =>
  Object.values(byRag).reduce((sum, n) => sum + n, 0);

/** Complete weeks from `from` to `to`, both included. */
const WEEKS_BETWEEN = 'SELECT week FROM snapshot_week WHERE week BETWEEN ? AND ?';

/** Removes a week's snapshot: its completeness first, so a week half removed is never read. */
async function removeWeek(week: IsoDate): Promise<void> {
  await runDml('DELETE FROM snapshot_week WHERE week = ?', [week]);
  await runDml('DELETE FROM snapshot_count WHERE week = ?', [week]);
  while ((await runDml('DELETE FROM weekly_snapshot WHERE week = ? LIMIT ?', [week, ROWS_PER_DELETE])) > 0) {
    // A week of more rows than one DELETE removes takes several.
  }
}

/** Each red row's green → red jump from the project's previous snapshot (the latest earlier week that had it). */
async function markJumps(week: IsoDate): Promise<void> {
  await runDml('UPDATE weekly_snapshot SET jump_from = NULL WHERE week = ? AND jump_from IS NOT NULL', [week]);
  await runDml(
    'UPDATE weekly_snapshot s ' +
      'JOIN (SELECT issue_id, MAX(week) AS w FROM weekly_snapshot WHERE week < ? AND issue_id IN ' +
      "(SELECT issue_id FROM weekly_snapshot WHERE week = ? AND rag = 'red') GROUP BY issue_id) l " +
      'ON l.issue_id = s.issue_id ' +
      'JOIN weekly_snapshot prev ON prev.issue_id = l.issue_id AND prev.week = l.w ' +
      "SET s.jump_from = l.w WHERE s.week = ? AND s.rag = 'red' AND prev.rag = 'green'",
    [week, week, week],
  );
}

/**
 * A week's rows are in: its jumps and counts are worked out, and it is marked complete. The next week's jumps are
 * worked out again, as this week may now be their previous one (an older week moved after a newer was taken).
 */
async function completeWeek(week: IsoDate): Promise<void> {
  await markJumps(week);
  const [next] = parsedRows(
    z.object({ week: weekText.nullable() }),
    await run<unknown>('SELECT CAST(MIN(week) AS CHAR) AS week FROM snapshot_week WHERE week > ?', [week]),
  );
  if (next?.week) await markJumps(next.week);
  await run(
    'INSERT INTO snapshot_count (week, jira_project_id, rag, n) ' +
      'SELECT week, jira_project_id, rag, COUNT(*) FROM weekly_snapshot WHERE week = ? ' +
      'GROUP BY week, jira_project_id, rag',
    [week],
  );
  await run(
    'INSERT INTO snapshot_week (week, projects) VALUES (?, (SELECT COUNT(*) FROM weekly_snapshot WHERE week = ?))',
    [week, week],
  );
}

/** The band of a stored highest risk score, as SQL: the PMO's bands of the day. */
function bandOf(bands: RiskBandConfig): { sql: string; params: SqlValue[] } {
  return {
    sql: `CASE WHEN risk_max = 0 THEN 'none' ${bands.map(() => 'WHEN risk_max BETWEEN ? AND ? THEN ?').join(' ')} END`,
    params: bands.flatMap((range) => [range.min, range.max, range.band]),
  };
}

/** How many rows by week and RAG in the reader's scope, among `weeks` (a subquery with its parameters). */
async function countsIn(
  scope: ReaderScope,
  weeks: { sql: string; params: SqlValue[] },
): Promise<Map<string, Record<RagOrNone, number>>> {
  const out = new Map<string, Record<RagOrNone, number>>();
  const add = (rows: unknown[], sign: 1 | -1) => {
    for (const row of parsedRows(z.object({ week: weekText, rag: ragSchema, n: count }), rows)) {
      const byRag = out.get(row.week) ?? emptyByRag();
      byRag[row.rag] += sign * row.n;
      out.set(row.week, byRag);
    }
  };
  const rowsOf = (where: { sql: string; params: readonly SqlValue[] }) =>
    run<unknown>(
      'SELECT CAST(week AS CHAR) AS week, rag, COUNT(*) AS n FROM weekly_snapshot ' +
        `WHERE week IN (${weeks.sql}) AND ${where.sql} GROUP BY week, rag`,
      [...weeks.params, ...where.params],
    );
  if (scope.issueIds !== undefined) {
    // A narrowing names its issues: their rows, by the issue index.
    add(await rowsOf(inScope(scope)), 1);
    return out;
  }
  const projects = inScope({ projectIds: scope.projectIds, hiddenIds: [] });
  const [counted, hidden] = await Promise.all([
    run<unknown>(
      'SELECT CAST(week AS CHAR) AS week, rag, SUM(n) AS n FROM snapshot_count ' +
        `WHERE week IN (${weeks.sql}) AND ${projects.sql} GROUP BY week, rag`,
      [...weeks.params, ...projects.params],
    ),
    scope.hiddenIds.length === 0
      ? []
      : rowsOf({
          sql: `${projects.sql} AND issue_id IN (${placeholders(scope.hiddenIds.length)})`,
          params: [...projects.params, ...scope.hiddenIds],
        }),
  ]);
  add(counted, 1);
  add(hidden, -1);
  return out;
}

export const snapshotQueries = {
  async takeSnapshot(week: IsoDate, bands: RiskBandConfig): Promise<number> {
    await removeWeek(week);
    const band = bandOf(bands);
    await run(
      'INSERT INTO weekly_snapshot (week, issue_id, issue_key, jira_project_id, sort_key, rag, severity, band) ' +
        `SELECT ?, issue_id, issue_key, jira_project_id, COALESCE(sort_key, issue_key), rag, severity, ${band.sql} ` +
        'FROM project_projection',
      [week, ...band.params],
    );
    await completeWeek(week);
    const [written] = parsedRows(
      z.object({ projects: count }),
      await run<unknown>('SELECT projects FROM snapshot_week WHERE week = ?', [week]),
    );
    return written?.projects ?? 0;
  },

  async saveSnapshot(week: IsoDate, rows: readonly SnapshotRow[]): Promise<void> {
    await removeWeek(week);
    // Rows by their RAG and band, each group inserted from the read model's rows of its keys.
    const groups = new Map<string, { rag: RagOrNone; band: string | null; keys: string[] }>();
    for (const row of rows) {
      const rag = snapshotRag(row.rag);
      const band = row.risk ?? null;
      const id = `${rag}\u0000${band ?? ''}`;
      const group = groups.get(id) ?? { rag, band, keys: [] };
      group.keys.push(row.key);
      groups.set(id, group);
    }
    for (const { rag, band, keys } of groups.values()) {
      for (let start = 0; start < keys.length; start += KEYS_PER_INSERT) {
        const part = keys.slice(start, start + KEYS_PER_INSERT);
        await run(
          'INSERT IGNORE INTO weekly_snapshot (week, issue_id, issue_key, jira_project_id, sort_key, rag, severity, band) ' +
            'SELECT ?, issue_id, issue_key, jira_project_id, COALESCE(sort_key, issue_key), ?, ?, ? ' +
            `FROM project_projection WHERE issue_key IN (${placeholders(part.length)})`,
          [week, rag, ragSeverity(rag), band, ...part],
        );
      }
    }
    await completeWeek(week);
  },

  async snapshotWeeks(): Promise<readonly IsoDate[]> {
    const rows = await run<unknown>('SELECT CAST(week AS CHAR) AS week FROM snapshot_week ORDER BY week', []);
    return parsedRows(z.object({ week: weekText }), rows).map((row) => row.week);
  },

  async trendIn(scope: ReaderScope, from: IsoDate, to: IsoDate, limit: number) {
    const weeks = { sql: WEEKS_BETWEEN, params: [from, to] };
    const where = inScope(scope);
    const [listed, counts, flags] = await Promise.all([
      run<unknown>(`SELECT CAST(week AS CHAR) AS week FROM (${WEEKS_BETWEEN}) w ORDER BY week`, [from, to]),
      countsIn(scope, weeks),
      // A jump whose previous snapshot is in the trend's weeks too: consecutive snapshots among them.
      run<unknown>(
        'SELECT issue_key, CAST(jump_from AS CHAR) AS from_week, CAST(week AS CHAR) AS to_week, ' +
          'COUNT(*) OVER () AS total FROM weekly_snapshot ' +
          `WHERE jump_from >= ? AND week IN (${WEEKS_BETWEEN}) AND ${where.sql} ` +
          'ORDER BY week DESC, issue_key ASC LIMIT ?',
        [from, from, to, ...where.params, limit],
      ),
    ]);
    const points: TrendPoint[] = parsedRows(z.object({ week: weekText }), listed).map(({ week }) => {
      const byRag = counts.get(week) ?? emptyByRag();
      return { week, total: totalOf(byRag), byRag };
    });
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
    const [latest] = parsedRows(
      z.object({ week: weekText.nullable() }),
      await run<unknown>('SELECT CAST(MAX(week) AS CHAR) AS week FROM snapshot_week WHERE week BETWEEN ? AND ?', [
        from,
        to,
      ]),
    );
    const week = latest?.week ?? null;
    if (week === null) return { week, byRag: emptyByRag(), total: 0, rows: [] };
    const where = inScope(scope);
    const [counts, first] = await Promise.all([
      countsIn(scope, { sql: '?', params: [week] }),
      run<unknown>(
        'SELECT s.issue_key AS issue_key, s.rag AS rag, p.summary AS summary FROM ' +
          `(SELECT issue_id, issue_key, rag, severity, sort_key FROM weekly_snapshot WHERE week = ? AND ${where.sql} ` +
          'ORDER BY severity DESC, sort_key ASC, issue_key ASC LIMIT ?) s ' +
          'LEFT JOIN project_projection p ON p.issue_id = s.issue_id ' +
          'ORDER BY s.severity DESC, s.sort_key ASC, s.issue_key ASC',
        [week, ...where.params, limit],
      ),
    ]);
    const byRag = counts.get(week) ?? emptyByRag();
    return {
      week,
      byRag,
      total: totalOf(byRag),
      rows: parsedRows(z.object({ issue_key: z.string(), rag: ragSchema, summary: z.string().nullable() }), first).map(
        (row) => ({ key: row.issue_key, rag: row.rag, summary: row.summary ?? '' }),
      ),
    };
  },

  async snapshotRowsIn(scope: ReaderScope, week: IsoDate): Promise<readonly SnapshotRow[]> {
    const where = inScope(scope);
    const rows = await run<unknown>(
      `SELECT issue_key, rag, band FROM weekly_snapshot WHERE week IN (${WEEKS_BETWEEN}) AND ${where.sql}`,
      [week, week, ...where.params],
    );
    return parsedRows(z.object({ issue_key: z.string(), rag: ragSchema, band: z.string().nullable() }), rows).map(
      (row) => ({ key: row.issue_key, rag: row.rag, ...(row.band === null ? {} : { risk: row.band }) }),
    );
  },

  async snapshotHistory(key: string, from: IsoDate, to: IsoDate) {
    const rows = await run<unknown>(
      'SELECT CAST(week AS CHAR) AS week, rag FROM weekly_snapshot ' +
        `WHERE issue_key = ? AND week IN (${WEEKS_BETWEEN}) ORDER BY week`,
      [key, from, to],
    );
    return parsedRows(z.object({ week: weekText, rag: ragSchema }), rows);
  },
};
