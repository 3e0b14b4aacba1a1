/**
 * The gate decisions in Forge SQL (migrations v009–v010): every recorded decision of every row, written with the row
 * from the facts it holds, so the decision log reads the latest few decisions of a reader's scope and their count,
 * whatever the registry's size, instead of every row's facts.
 *
 * Only the decisions of rows whose record is genuine (`integrity = 'ok'`) are listed: a steering document must not
 * repeat an approval nobody can vouch for. The rows left out for that are named, a few of them, with their count.
 * Rows written before the table existed (`decisions_kept` NULL) are counted as pending until their next write.
 */
import { z } from 'zod';
import { type DecisionLog, type ReaderScope } from '../../app/ports';
import { type Projection } from '../../app/projection';
import { gateDecisionSchema } from '../../domain/gates';
import { type IsoDate } from '../../domain/time';
import { inScope } from './sql-portfolio';
import { batches, IDS_PER_STATEMENT, jsonText, parsedRows, placeholders, run, type SqlValue } from './statements';

const DECISION_COLUMNS = [
  'issue_id',
  'decision_id',
  'decided_at',
  'decided_on',
  'template_id',
  'template_version',
  'decision',
];
const MAX_DECISIONS_PER_INSERT = 200;
const MAX_INSERT_BYTES = 900 * 1024;

/** The values of a row's decisions as gate_decision stores them. */
function decisionValues(row: Projection): SqlValue[][] {
  const governance = row.facts.governance;
  if (!governance) return [];
  return governance.decisions.map((decision) => [
    row.issueId,
    decision.id,
    decision.decidedAt,
    decision.decidedAt.slice(0, 10),
    governance.templateId,
    governance.templateVersion,
    JSON.stringify(decision),
  ]);
}

/**
 * Replaces the decisions of `rows` with the ones their facts hold now (the rows themselves were just written).
 * @throws {UnavailableError} as `run`.
 */
export async function keepDecisions(rows: readonly Projection[]): Promise<void> {
  await forgetDecisions(rows.map((row) => row.issueId));
  const values = rows.flatMap(decisionValues);
  const size = (tuple: SqlValue[]) =>
    tuple.reduce<number>((sum, v) => sum + (typeof v === 'string' ? Buffer.byteLength(v) : 8), 0);
  for (const group of batches(values, size, MAX_DECISIONS_PER_INSERT, MAX_INSERT_BYTES)) {
    const tuples = group.map(() => `(${placeholders(DECISION_COLUMNS.length)})`).join(', ');
    await run(`INSERT INTO gate_decision (${DECISION_COLUMNS.join(', ')}) VALUES ${tuples}`, group.flat());
  }
}

/** Removes the decisions of rows that are gone. */
export async function forgetDecisions(issueIds: readonly string[]): Promise<void> {
  for (let start = 0; start < issueIds.length; start += IDS_PER_STATEMENT) {
    const ids = issueIds.slice(start, start + IDS_PER_STATEMENT);
    await run(`DELETE FROM gate_decision WHERE issue_id IN (${placeholders(ids.length)})`, ids);
  }
}

const count = z.object({ n: z.coerce.number().int().min(0) });
const loggedSchema = z.object({
  issue_id: z.string(),
  issue_key: z.string(),
  summary: z.string().nullable(),
  template_id: z.string().nullable(),
  template_version: z.coerce.number().int().nullable(),
  decision: jsonText.pipe(gateDecisionSchema),
});
const withheldSchema = z.object({ issue_key: z.string(), integrity: z.enum(['tampered', 'unsigned']) });

/**
 * The reader's decision log: the latest `limit` decisions of genuine rows in scope (on or before `until`), their
 * count, up to `withheldLimit` rows whose decisions are left out and how many there are, and how many rows are
 * pending: five statements sent together.
 * @throws {UnavailableError} as `run`.
 */
export async function decisionLogIn(
  scope: ReaderScope,
  query: { readonly until?: IsoDate; readonly limit: number; readonly withheldLimit: number },
): Promise<DecisionLog> {
  const where = inScope(scope);
  const genuine = `SELECT issue_id FROM project_projection WHERE ${where.sql} AND integrity = 'ok' AND decisions_kept = 1`;
  const until =
    query.until === undefined ? { sql: '', params: [] } : { sql: ' AND d.decided_on <= ?', params: [query.until] };
  const chosen = `d.issue_id IN (${genuine})${until.sql}`;
  const chosenParams = [...where.params, ...until.params];
  const withheld = `${where.sql} AND integrity IN ('tampered', 'unsigned')`;
  const [total, decisions, withheldRows, withheldTotal, pending] = await Promise.all([
    run<unknown>(`SELECT COUNT(*) AS n FROM gate_decision d WHERE ${chosen}`, chosenParams),
    run<unknown>(
      'SELECT d.issue_id, p.issue_key, p.summary, d.template_id, d.template_version, d.decision ' +
        `FROM gate_decision d JOIN project_projection p ON p.issue_id = d.issue_id WHERE ${chosen} ` +
        'ORDER BY d.decided_at DESC, d.issue_id ASC, d.decision_id DESC LIMIT ?',
      [...chosenParams, query.limit],
    ),
    run<unknown>(
      `SELECT issue_key, integrity FROM project_projection WHERE ${withheld} ORDER BY sort_key ASC, issue_id ASC LIMIT ?`,
      [...where.params, query.withheldLimit],
    ),
    run<unknown>(`SELECT COUNT(*) AS n FROM project_projection WHERE ${withheld}`, where.params),
    run<unknown>(
      `SELECT COUNT(*) AS n FROM project_projection WHERE ${where.sql} AND decisions_kept IS NULL`,
      where.params,
    ),
  ]);
  return {
    total: parsedRows(count, total)[0]?.n ?? 0,
    decisions: parsedRows(loggedSchema, decisions).map((row) => ({
      issueId: row.issue_id,
      key: row.issue_key,
      summary: row.summary ?? '',
      template:
        row.template_id === null || row.template_version === null
          ? null
          : { templateId: row.template_id, templateVersion: row.template_version },
      decision: row.decision,
    })),
    withheld: parsedRows(withheldSchema, withheldRows).map((row) => ({ key: row.issue_key, integrity: row.integrity })),
    withheldTotal: parsedRows(count, withheldTotal)[0]?.n ?? 0,
    pending: parsedRows(count, pending)[0]?.n ?? 0,
  };
}
