/**
 * "What changed" between a week's snapshot and a later one, or today's rows, in Forge SQL: the two sides are joined
 * by issue in the reader's scope and each list (new reds, worse, better, risk bands up and down) is one statement
 * giving its count and its first rows, so a comparison reads a few hundred rows at any registry size instead of both
 * sides whole. The rules are the domain's `portfolioChanges` (src/domain/changes.ts), which a property test holds
 * this to; the one difference is that a project is followed by its issue, not its key, so a project moved to
 * another Jira project is the same project, not a new one.
 */
import { z } from 'zod';
import { type ChangeLists, type ReaderScope } from '../../app/ports';
import { RAGS } from '../../domain/rag';
import { RISK_BANDS, type RiskBandConfig } from '../../domain/risk';
import { type IsoDate } from '../../domain/time';
import { inScope } from './sql-portfolio';
import { parsedRows, run, type SqlValue } from './statements';

/** A complete week: one whose snapshot_week row says all of it is written. */
const COMPLETE_WEEK = 'week IN (SELECT week FROM snapshot_week WHERE week = ?)';
const KNOWN_BANDS = ['none', ...RISK_BANDS].map((band) => `'${band}'`).join(', ');
/** A stored band, or NULL when the snapshot kept none (an older one) or one this code does not know. */
const BAND = `CASE WHEN band IN (${KNOWN_BANDS}) THEN band END`;
const SEVERITY = (rag: string) => `CASE ${rag} WHEN 'red' THEN 3 WHEN 'amber' THEN 2 WHEN 'green' THEN 1 ELSE 0 END`;
const RANK = (band: string) =>
  `CASE ${band} ${RISK_BANDS.map((b, i) => `WHEN '${b}' THEN ${i}`).join(' ')} ELSE -1 END`;
/** A stored RAG as the snapshot reads it: anything else is 'none' (domain/trend.ts `snapshotRag`). */
const RAG = `CASE WHEN rag IN (${RAGS.map((r) => `'${r}'`).join(', ')}) THEN rag ELSE 'none' END`;

/** Today's band of a row's worst open risk, from the settings' bands ('none' without one). */
function liveBand(bands: RiskBandConfig): { sql: string; params: SqlValue[] } {
  return {
    sql: `CASE WHEN risk_max = 0 THEN 'none' ${bands.map(() => 'WHEN risk_max BETWEEN ? AND ? THEN ?').join(' ')} ELSE 'none' END`,
    params: bands.flatMap((range) => [range.min, range.max, range.band]),
  };
}

const ragSchema = z.enum([...RAGS, 'none']);
const bandSchema = z.enum(['none', ...RISK_BANDS]);
const listed = z.object({
  issue_key: z.string(),
  from_rag: ragSchema.nullable(),
  to_rag: ragSchema,
  from_band: bandSchema.nullable(),
  to_band: bandSchema.nullable(),
  total: z.coerce.number().int().min(0),
});
const counted = z.object({ n: z.coerce.number().int().min(0) });

/**
 * The changes from the complete week `from` to the complete week `to`, or to today's rows when `to` is null, among
 * the rows the reader may see, each list in key order with its first `limit` items.
 * @throws {UnavailableError} as `run`.
 */
export async function changesIn(
  scope: ReaderScope,
  query: {
    readonly from: IsoDate;
    readonly to: IsoDate | null;
    readonly bands: RiskBandConfig;
    readonly limit: number;
  },
): Promise<ChangeLists> {
  const where = inScope(scope);
  const band = liveBand(query.bands);
  const after =
    query.to === null
      ? {
          sql:
            `SELECT issue_id, issue_key, COALESCE(sort_key, issue_key) AS sort_key, ${RAG} AS rag, ` +
            `${band.sql} AS band FROM project_projection WHERE ${where.sql}`,
          params: [...band.params, ...where.params],
        }
      : {
          sql:
            `SELECT issue_id, issue_key, sort_key, ${RAG} AS rag, ${BAND} AS band FROM weekly_snapshot ` +
            `WHERE ${COMPLETE_WEEK} AND ${where.sql}`,
          params: [query.to, ...where.params],
        };
  const before = {
    sql: `SELECT issue_id, ${RAG} AS rag, ${BAND} AS band FROM weekly_snapshot WHERE ${COMPLETE_WEEK} AND ${where.sql}`,
    params: [query.from, ...where.params],
  };
  const joined = {
    sql: `(${after.sql}) n LEFT JOIN (${before.sql}) t ON t.issue_id = n.issue_id`,
    params: [...after.params, ...before.params],
  };
  const judged = "n.rag <> 'none' AND t.rag <> 'none'";
  const newRed = "n.rag = 'red' AND (t.issue_id IS NULL OR t.rag <> 'red')";
  const bandsDiffer = 't.band IS NOT NULL AND n.band IS NOT NULL AND t.band <> n.band';
  const list = (condition: string) =>
    run<unknown>(
      'SELECT n.issue_key, t.rag AS from_rag, n.rag AS to_rag, t.band AS from_band, n.band AS to_band, ' +
        `COUNT(*) OVER () AS total FROM ${joined.sql} WHERE ${condition} ORDER BY n.sort_key ASC, n.issue_id ASC LIMIT ?`,
      [...joined.params, query.limit],
    ).then((rows) => parsedRows(listed, rows));
  const [newReds, worse, better, up, down, added, unrecorded] = await Promise.all([
    list(newRed),
    list(`t.issue_id IS NOT NULL AND NOT (${newRed}) AND ${judged} AND ${SEVERITY('n.rag')} > ${SEVERITY('t.rag')}`),
    list(`t.issue_id IS NOT NULL AND ${judged} AND ${SEVERITY('n.rag')} < ${SEVERITY('t.rag')}`),
    list(`${bandsDiffer} AND ${RANK('n.band')} > ${RANK('t.band')}`),
    list(`${bandsDiffer} AND ${RANK('n.band')} < ${RANK('t.band')}`),
    run<unknown>(`SELECT COUNT(*) AS n FROM ${joined.sql} WHERE t.issue_id IS NULL`, joined.params),
    // Bands are compared only when the earlier week kept them for every project (older snapshots did not).
    run<unknown>(`SELECT COUNT(*) AS n FROM (${before.sql}) t WHERE t.band IS NULL`, before.params),
  ]);
  const ragChanges = (rows: ReadonlyArray<z.output<typeof listed>>) => ({
    total: rows[0]?.total ?? 0,
    items: rows.map((row) => ({ key: row.issue_key, from: row.from_rag, to: row.to_rag })),
  });
  const bandChanges = (rows: ReadonlyArray<z.output<typeof listed>>) => ({
    total: rows[0]?.total ?? 0,
    items: rows.flatMap((row) =>
      row.from_band === null || row.to_band === null
        ? []
        : [{ key: row.issue_key, from: row.from_band, to: row.to_band }],
    ),
  });
  const recorded = (parsedRows(counted, unrecorded)[0]?.n ?? 0) === 0;
  return {
    newReds: ragChanges(newReds),
    worse: ragChanges(worse),
    better: ragChanges(better),
    risksUp: recorded ? bandChanges(up) : null,
    risksDown: recorded ? bandChanges(down) : null,
    added: parsedRows(counted, added)[0]?.n ?? 0,
  };
}
