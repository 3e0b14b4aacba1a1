/**
 * ReadModelPort over Forge SQL (@forge/sql): Tollgate's projection of the registry (src/app/projection.ts), in the
 * tables of read-model-schema.ts.
 *
 * The schema is made on demand: a query that finds its table or a column missing (MySQL errors 1146 and 1054, which
 * TiDB reports too) runs the migrations still to run and is sent once more. Running `migrationRunner.run()` on every invocation instead would cost two DDL
 * requests each time, and Forge SQL allows an installation 25 DDL requests a minute (docs/platform.md §3).
 *
 * Every statement is one parameterised statement (Forge's query policy); rows coming back are validated with zod, and a
 * row that does not parse is left out and logged, so one damaged row never breaks a page. A rate-limited or timed-out
 * statement is an UnavailableError: the caller says the platform is busy, as it does for Jira and KVS.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/sql-api/
 */
import { z } from 'zod';
import { type ProjectionOrder, type ReadModelPort, type StoredHealth, type StoredProjection } from '../../app/ports';
import { type Projection } from '../../app/projection';
import { INTEGRITY_STATES } from '../../domain/documents/health-document';
import { RAGS } from '../../domain/rag';
import { STORED_COLUMNS, storedRowSchema } from './row-schemas';
import { changesIn } from './sql-changes';
import { decisionLogIn, forgetDecisions, keepDecisions } from './sql-decisions';
import { FIGURE_COLUMNS, figureValues, portfolioQueries } from './sql-portfolio';
import { snapshotQueries } from './sql-snapshots';
import {
  batches,
  idSizeSchema,
  IDS_PER_STATEMENT,
  jsonText,
  parsedRows,
  placeholders,
  readGroups,
  run,
  runDml,
} from './statements';

/**
 * Rows one INSERT carries: each row's facts are at most a few tens of KB (they come from properties of ≤ 32 KB), and
 * Forge SQL takes a request of at most 1 MiB, so big rows go in smaller groups (see `groups`).
 */
const MAX_ROWS_PER_INSERT = 50;
const MAX_INSERT_BYTES = 900 * 1024;
/**
 * Rows whose facts one SELECT returns: a RAID log can fill several 32 KB properties, so 20 rows stay well under the
 * 4 MiB Forge SQL answers with. The rows are chosen first by id alone, which is small whatever their facts.
 */
const ROWS_PER_READ = 20;
/** Rows of ids one SELECT returns when listing the whole model. */
const IDS_PER_READ = 10_000;
/** Ids one DELETE names: small requests, well inside the 1 MiB. */
const MAX_ROWS_PER_DELETE = 500;

const COLUMNS = [
  'issue_id',
  'issue_key',
  'key_prefix',
  'key_number',
  'jira_project_id',
  'security_level_id',
  'owner_name',
  'integrity',
  'rag',
  'severity',
  'risk_max',
  'mandatory_open',
  'waits_on',
  'facts',
  'judged_on',
  'written_at',
  'problem',
  'health',
  'entry',
  ...FIGURE_COLUMNS,
  'decisions_kept',
];

const ORDER_COLUMN: Readonly<Record<ProjectionOrder, string>> = {
  severity: 'severity',
  riskMax: 'risk_max',
  mandatoryOpen: 'mandatory_open',
};

/** `PMO-12` → `PMO`, 12: keys sort by project, then number, as people read them. */
function keyParts(key: string): [string, number] {
  const match = /^(.*)-(\d+)$/.exec(key);
  return match ? [match[1] as string, Number(match[2])] : [key, 0];
}

function valuesOf(row: Projection): Array<string | number | null> {
  const [prefix, number] = keyParts(row.key);
  return [
    row.issueId,
    row.key,
    prefix,
    number,
    row.jiraProjectId,
    row.securityLevelId,
    row.ownerName,
    row.integrity,
    row.rag,
    row.severity,
    row.riskMax,
    row.mandatoryOpen,
    JSON.stringify(row.waitsOn),
    JSON.stringify(row.facts),
    row.judgedOn,
    row.writtenAt,
    row.problem === null ? null : JSON.stringify(row.problem),
    JSON.stringify(row.health),
    JSON.stringify(row.entry),
    ...figureValues(row.entry, row.judgedOn),
    // The row's decisions are written with it (sql-decisions.ts).
    1,
  ];
}

/** Rows' values in groups that each fit one request. */
function groups(rows: readonly Projection[]): Array<Array<Array<string | number | null>>> {
  return batches(
    rows.map(valuesOf),
    (values) => values.reduce<number>((sum, v) => sum + (typeof v === 'string' ? Buffer.byteLength(v) : 8), 0),
    MAX_ROWS_PER_INSERT,
    MAX_INSERT_BYTES,
  );
}

const storedHealthSchema = z
  .object({
    issue_id: z.string(),
    issue_key: z.string(),
    integrity: z.enum(INTEGRITY_STATES),
    written_at: z.string(),
    facts: jsonText,
    health: jsonText.nullable(),
  })
  .transform((row): StoredHealth => ({
    issueId: row.issue_id,
    key: row.issue_key,
    integrity: row.integrity,
    writtenAt: row.written_at,
    facts: row.facts,
    health: row.health,
  }));

const issueIdSchema = z.object({ issue_id: z.string() });

const counterpartyRowSchema = z.object({
  issue_key: z.string(),
  rag: z.enum([...RAGS, 'none']),
  waits_on: jsonText.pipe(z.array(z.string())),
});

/** Whole rows by id, for ids already grouped to fit one answer. */
async function readWhole(ids: readonly string[]): Promise<StoredProjection[]> {
  const rows = await run<unknown>(
    `SELECT ${STORED_COLUMNS} FROM project_projection WHERE issue_id IN (${placeholders(ids.length)})`,
    ids,
  );
  return parsedRows(storedRowSchema, rows);
}

/**
 * The ids (and sizes of their facts) of every row in the Jira projects, optionally among `issueIds`, in
 * pages by id.
 */
async function sizedIds(
  projectIds: readonly string[] | null,
  issueIds: readonly string[] | undefined,
): Promise<Array<z.output<typeof idSizeSchema>>> {
  const size = 'COALESCE(LENGTH(facts), 0) AS size';
  // The app's own background work reads rows in every Jira project (null); a reader, only in those they may browse.
  const inProjects = projectIds === null ? 'TRUE' : `jira_project_id IN (${placeholders(projectIds.length)})`;
  const inProjectParams = projectIds ?? [];
  if (issueIds !== undefined) {
    const out: Array<z.output<typeof idSizeSchema>> = [];
    for (let start = 0; start < issueIds.length; start += IDS_PER_STATEMENT) {
      const ids = issueIds.slice(start, start + IDS_PER_STATEMENT);
      const rows = await run<unknown>(
        `SELECT issue_id, ${size} FROM project_projection WHERE ${inProjects} ` +
          `AND issue_id IN (${placeholders(ids.length)})`,
        [...inProjectParams, ...ids],
      );
      out.push(...parsedRows(idSizeSchema, rows));
    }
    return out;
  }
  const out: Array<z.output<typeof idSizeSchema>> = [];
  for (let after = ''; ;) {
    const page = parsedRows(
      idSizeSchema,
      await run<unknown>(
        `SELECT issue_id, ${size} FROM project_projection WHERE ${inProjects} AND issue_id > ? ` +
          'ORDER BY issue_id LIMIT ?',
        [...inProjectParams, after, IDS_PER_READ],
      ),
    );
    out.push(...page);
    const last = page.at(-1);
    if (page.length < IDS_PER_READ || !last) return out;
    after = last.issue_id;
  }
}

export function createSqlReadModel(): ReadModelPort {
  return {
    ...portfolioQueries,
    ...snapshotQueries,

    async securedRows() {
      const rows = await run<unknown>(
        'SELECT issue_id, jira_project_id FROM project_projection WHERE security_level_id IS NOT NULL',
        [],
      );
      return parsedRows(z.object({ issue_id: z.string(), jira_project_id: z.string() }), rows).map((row) => ({
        issueId: row.issue_id,
        jiraProjectId: row.jira_project_id,
      }));
    },

    async put(rows): Promise<void> {
      const updates = COLUMNS.filter((c) => c !== 'issue_id')
        .map((c) => `${c} = VALUES(${c})`)
        .join(', ');
      for (const group of groups(rows)) {
        const tuples = group.map(() => `(${placeholders(COLUMNS.length)})`).join(', ');
        await run(
          `INSERT INTO project_projection (${COLUMNS.join(', ')}) VALUES ${tuples} ON DUPLICATE KEY UPDATE ${updates}`,
          group.flat(),
        );
      }
      await keepDecisions(rows);
    },

    async remove(issueIds): Promise<void> {
      for (let start = 0; start < issueIds.length; start += MAX_ROWS_PER_DELETE) {
        const ids = issueIds.slice(start, start + MAX_ROWS_PER_DELETE);
        await run(`DELETE FROM project_projection WHERE issue_id IN (${placeholders(ids.length)})`, ids);
        await forgetDecisions(ids);
      }
    },

    async rowIdsAfter(after, limit) {
      const rows = await run<unknown>(
        'SELECT issue_id FROM project_projection WHERE issue_id > ? ORDER BY issue_id LIMIT ?',
        [after, limit],
      );
      return parsedRows(issueIdSchema, rows).map((row) => row.issue_id);
    },

    decisionLog: decisionLogIn,
    changesIn,

    async rowsAmong(issueIds) {
      const groups = [];
      for (let start = 0; start < issueIds.length; start += IDS_PER_STATEMENT) {
        const ids = issueIds.slice(start, start + IDS_PER_STATEMENT);
        groups.push(
          run<unknown>(`SELECT issue_id FROM project_projection WHERE issue_id IN (${placeholders(ids.length)})`, ids),
        );
      }
      const answers = await Promise.all(groups);
      return new Set(answers.flatMap((rows) => parsedRows(issueIdSchema, rows).map((row) => row.issue_id)));
    },

    async storedHealth(issueIds): Promise<readonly StoredHealth[]> {
      if (issueIds.length === 0) return [];
      const out: StoredHealth[] = [];
      for (const ids of readGroups(await sizedIds(null, issueIds))) {
        const rows = await run<unknown>(
          'SELECT issue_id, issue_key, integrity, written_at, facts, health FROM project_projection ' +
            `WHERE issue_id IN (${placeholders(ids.length)})`,
          ids,
        );
        out.push(...parsedRows(storedHealthSchema, rows));
      }
      return out;
    },

    async rejudge(rows): Promise<readonly string[]> {
      const leftAlone: string[] = [];
      // One UPDATE a row (Forge SQL takes 150 DML requests a second; a day changes few rows). The written_at guard
      // leaves a row an op rewrote meanwhile as that op stored it.
      for (const row of rows) {
        const changed = await runDml(
          'UPDATE project_projection SET rag = ?, severity = ?, risk_max = ?, mandatory_open = ?, waits_on = ?, ' +
            `health = ?, entry = ?, judged_on = ?, ${FIGURE_COLUMNS.map((c) => `${c} = ?`).join(', ')} ` +
            'WHERE issue_id = ? AND written_at = ?',
          [
            row.rag,
            row.severity,
            row.riskMax,
            row.mandatoryOpen,
            JSON.stringify(row.waitsOn),
            JSON.stringify(row.health),
            JSON.stringify(row.entry),
            row.judgedOn,
            ...figureValues(row.entry, row.judgedOn),
            row.issueId,
            row.writtenAt,
          ],
        );
        if (changed === 0) leftAlone.push(row.issueId);
      }
      return leftAlone;
    },

    async census() {
      const [row] = parsedRows(
        z.object({ n: z.coerce.number().int(), oldest: z.string().nullable() }),
        await run<unknown>('SELECT COUNT(*) AS n, MIN(written_at) AS oldest FROM project_projection', []),
      );
      return { rows: row?.n ?? 0, oldestWrite: row?.oldest ?? null };
    },

    async jiraProjects(): Promise<readonly string[]> {
      const rows = await run<unknown>('SELECT DISTINCT jira_project_id FROM project_projection', []);
      return parsedRows(z.object({ jira_project_id: z.string() }), rows).map((row) => row.jira_project_id);
    },

    async firstRows({ projectIds, orderBy, direction, limit }): Promise<readonly StoredProjection[]> {
      if (projectIds.length === 0) return [];
      const order = direction === 'asc' ? 'ASC' : 'DESC';
      const chosen = parsedRows(
        issueIdSchema,
        await run<unknown>(
          `SELECT issue_id FROM project_projection WHERE jira_project_id IN (${placeholders(projectIds.length)}) ` +
            `ORDER BY ${ORDER_COLUMN[orderBy]} ${order}, key_prefix ASC, key_number ASC LIMIT ?`,
          [...projectIds, limit],
        ),
      ).map((row) => row.issue_id);
      const byId = new Map<string, StoredProjection>();
      for (let start = 0; start < chosen.length; start += ROWS_PER_READ) {
        for (const row of await readWhole(chosen.slice(start, start + ROWS_PER_READ))) byId.set(row.issueId, row);
      }
      return chosen.flatMap((id) => byId.get(id) ?? []);
    },

    async rowsIn({ projectIds, issueIds }): Promise<readonly StoredProjection[]> {
      if (projectIds.length === 0 || issueIds?.length === 0) return [];
      const out: StoredProjection[] = [];
      for (const ids of readGroups(await sizedIds(projectIds, issueIds))) out.push(...(await readWhole(ids)));
      return out;
    },

    async counterparties(projectIds, keys) {
      if (projectIds.length === 0 || keys.length === 0) return new Map();
      const rows = await run<unknown>(
        'SELECT issue_key, rag, waits_on FROM project_projection ' +
          `WHERE jira_project_id IN (${placeholders(projectIds.length)}) ` +
          `AND issue_key IN (${placeholders(keys.length)}) AND security_level_id IS NULL`,
        [...projectIds, ...keys],
      );
      return new Map(
        parsedRows(counterpartyRowSchema, rows).map((row) => [row.issue_key, { rag: row.rag, waitsOn: row.waits_on }]),
      );
    },
  };
}
