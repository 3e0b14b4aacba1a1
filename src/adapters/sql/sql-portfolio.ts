/**
 * The portfolio as SQL over the read model's figure columns (migration v005): what a row adds to the figures, kept
 * as scalars when the row is written, and the statements that filter, sort, page and add them up for one reader, so
 * a view's answers are the size of a page and a few sums whatever the registry's size.
 *
 * Text sorts by collation keys (src/domain/collation.ts), whose byte order under TiDB's utf8mb4_bin is the page's
 * order; ties are broken by the key's collation key and then the issue id, as the page breaks them by key.
 */
import { z } from 'zod';
import { type PageQuery, type ReaderScope, type ScopeFigures, type StoredEntryRow } from '../../app/ports';
import { ENTRY_VERSION, type StoredEntry } from '../../app/projection';
import { sortKey } from '../../domain/collation';
import { GATE_OUTCOMES } from '../../domain/gates';
import { HEALTH_DIMENSIONS } from '../../domain/health';
import {
  cellIndex,
  DIMENSION_COLUMN,
  entryFigures,
  type FigureSums,
  type KpiId,
  type RowFilter,
  type RowSort,
  type SortKey,
} from '../../domain/portfolio';
import { RAGS, ragSeverity } from '../../domain/rag';
import { RISK_LEVELS } from '../../domain/risk';
import { type IsoDate } from '../../domain/time';
import { ENTRY_COLUMNS, storedEntrySchema } from './row-schemas';
import { idSizeSchema, jsonText, parsedRows, placeholders, readGroups, run, type SqlValue } from './statements';

const SEVERITY_COLUMN = {
  schedule: 'sev_schedule',
  gate: 'sev_gate',
  risk: 'sev_risk',
  raid: 'sev_raid',
  budget: 'sev_budget',
  tolerance: 'sev_tolerance',
  staleness: 'sev_staleness',
} as const;

const CELL_COLUMNS = RISK_LEVELS.flatMap((likelihood) =>
  RISK_LEVELS.map((impact) => ({ likelihood, impact, column: `cell_${likelihood}${impact}` })),
);

/** The KPI counts' columns (KpiCounts, in its order): numerator and denominator of each, and overdue actions. */
const KPI_COLUMNS = ['gc_num', 'gc_den', 'ot_num', 'ot_den', 'ba_num', 'ba_den', 'rh_num', 'rh_den', 'rh_overdue'];

/** The figure columns, in the order `figureValues` gives their values. */
export const FIGURE_COLUMNS: readonly string[] = [
  'fig_version',
  'sort_key',
  'summary',
  'search_text',
  'sort_summary',
  'owner_id',
  'sort_owner',
  'department',
  'sort_department',
  'stage_id',
  'stage_name',
  'sort_stage_name',
  'stage_index',
  'stage_position',
  'status',
  'sort_status',
  'closed',
  'last_decision',
  'sort_decision',
  'decided_on',
  ...HEALTH_DIMENSIONS.map((d) => SEVERITY_COLUMN[d]),
  'next_gate_date',
  'due_date',
  'wsjf',
  'roi',
  ...KPI_COLUMNS,
  'exc',
  'exc_tolerance',
  'exc_red',
  'last_noncompliant',
  ...CELL_COLUMNS.map((c) => c.column),
];

const keyOrNull = (text: string | null): string | null => (text === null ? null : sortKey(text));

/** What one stored entry, judged on `judgedOn`, writes into the figure columns. */
export function figureValues(entry: StoredEntry, judgedOn: IsoDate): SqlValue[] {
  const { row } = entry;
  const figures = entryFigures(entry, judgedOn);
  const { kpis } = figures;
  const decidedOn = entry.decisions.reduce<string | null>(
    (last, d) => (last === null || d.day > last ? d.day : last),
    null,
  );
  return [
    ENTRY_VERSION,
    sortKey(row.key),
    row.summary,
    `${row.key}\n${row.summary}`.toLocaleLowerCase('en'),
    sortKey(row.summary),
    row.owner,
    keyOrNull(row.owner),
    row.department,
    keyOrNull(row.department),
    row.stage,
    row.stageName,
    keyOrNull(row.stageName),
    row.stageIndex,
    entry.stagePosition,
    row.status,
    sortKey(row.status),
    entry.closed ? 1 : 0,
    row.lastDecision,
    sortKey(row.lastDecision),
    decidedOn,
    ...HEALTH_DIMENSIONS.map((d) => ragSeverity(row[DIMENSION_COLUMN[d]])),
    row.nextGateDate,
    row.dueDate,
    row.wsjf,
    row.roi,
    kpis.gateCompliance.numerator,
    kpis.gateCompliance.denominator,
    kpis.onTime.numerator,
    kpis.onTime.denominator,
    kpis.budgetAdherence.numerator,
    kpis.budgetAdherence.denominator,
    kpis.raidHygiene.numerator,
    kpis.raidHygiene.denominator,
    kpis.raidHygiene.overdueActions,
    entry.exception === null ? 0 : 1,
    entry.exception?.toleranceBreached ? 1 : 0,
    entry.exception?.redCount ?? 0,
    figures.lastNonCompliant,
    ...CELL_COLUMNS.map((c) => figures.cells[cellIndex(c.likelihood, c.impact)] ?? 0),
  ];
}

/** A piece of a WHERE clause with its parameters. */
interface Clause {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const all = (clauses: readonly Clause[]): Clause => ({
  sql: clauses.map((c) => `(${c.sql})`).join(' AND ') || 'TRUE',
  params: clauses.flatMap((c) => c.params),
});

// `IN ()` is not SQL: an empty list keeps nothing.
const within = (column: string, values: readonly SqlValue[]): Clause =>
  values.length === 0
    ? { sql: 'FALSE', params: [] }
    : { sql: `${column} IN (${placeholders(values.length)})`, params: values };

/** The rows a reader may see (columns of `project_projection`, which no other table has). */
export function inScope(scope: ReaderScope): Clause {
  return all([
    within('jira_project_id', scope.projectIds),
    ...(scope.hiddenIds.length > 0
      ? [{ sql: `issue_id NOT IN (${placeholders(scope.hiddenIds.length)})`, params: scope.hiddenIds }]
      : []),
    ...(scope.issueIds === undefined ? [] : [within('issue_id', scope.issueIds)]),
  ]);
}

const COUNTED: Clause = { sql: 'fig_version = ?', params: [ENTRY_VERSION] };

const notAmong = (ids: readonly string[]): Clause[] =>
  ids.length === 0 ? [] : [{ sql: `issue_id NOT IN (${placeholders(ids.length)})`, params: ids }];

/** A column whose value is `red`'s for the rows red for the reader: `rag` and its severity, `sev_raid`. */
function asRed(column: string, red: readonly string[], redValue: SqlValue): Clause {
  if (red.length === 0) return { sql: column, params: [] };
  return {
    sql: `CASE WHEN issue_id IN (${placeholders(red.length)}) THEN ? ELSE ${column} END`,
    params: [...red, redValue],
  };
}

const KPI_CLAUSE: Readonly<Record<KpiId, string>> = {
  gateCompliance: 'gc_den > 0',
  onTime: 'ot_den > 0',
  budgetAdherence: 'ba_den > 0',
  raidHygiene: 'rh_den > 0 OR rh_overdue > 0',
};

const wanted = <T>(values: readonly T[] | undefined): values is readonly T[] =>
  values !== undefined && values.length > 0;

/** LIKE's escape character, named in the statement so no server setting changes its meaning. */
const likeText = (text: string): string => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * The filter as SQL: the same "any of" rules as `filterRows`. A row still to be brought up to date has no figure
 * columns, so only the unfiltered table shows it.
 */
function filterClause(filter: RowFilter, red: readonly string[]): Clause {
  const parts: Clause[] = [];
  if (wanted(filter.stage)) {
    parts.push({
      sql: `stage_name IN (${placeholders(filter.stage.length)}) OR stage_id IN (${placeholders(filter.stage.length)})`,
      params: [...filter.stage, ...filter.stage],
    });
  }
  if (wanted(filter.rag)) {
    const rag = asRed('rag', red, 'red');
    parts.push({ sql: `${rag.sql} IN (${placeholders(filter.rag.length)})`, params: [...rag.params, ...filter.rag] });
  }
  if (wanted(filter.owner)) parts.push(within('owner_id', filter.owner));
  if (wanted(filter.department)) parts.push(within('department', filter.department));
  if (wanted(filter.decision)) parts.push(within('last_decision', filter.decision));
  if (wanted(filter.status)) parts.push(within('status', filter.status));
  const text = filter.text?.trim().toLocaleLowerCase('en') ?? '';
  if (text !== '') parts.push({ sql: "search_text LIKE ? ESCAPE '!'", params: [likeText(text)] });
  const { cell } = filter;
  if (cell !== undefined) {
    const column = CELL_COLUMNS.find((c) => c.likelihood === cell.likelihood && c.impact === cell.impact)?.column;
    // A square off the grid holds no risk: nothing matches.
    parts.push({ sql: column === undefined ? 'FALSE' : `${column} > 0`, params: [] });
  }
  if (filter.kpi !== undefined) parts.push({ sql: KPI_CLAUSE[filter.kpi], params: [] });
  return parts.length === 0 ? all([]) : all([COUNTED, ...parts]);
}

const TEXT_SORT: Partial<Record<SortKey, string>> = {
  key: 'sort_key',
  summary: 'sort_summary',
  owner: 'sort_owner',
  department: 'sort_department',
  status: 'sort_status',
  lastDecision: 'sort_decision',
  riskMax: 'risk_max',
  mandatoryOpen: 'mandatory_open',
  nextGateDate: 'next_gate_date',
  dueDate: 'due_date',
  wsjf: 'wsjf',
  roi: 'roi',
  ragSchedule: SEVERITY_COLUMN.schedule,
  ragGate: SEVERITY_COLUMN.gate,
  ragRisk: SEVERITY_COLUMN.risk,
  ragBudget: SEVERITY_COLUMN.budget,
  ragTolerance: SEVERITY_COLUMN.tolerance,
  ragStaleness: SEVERITY_COLUMN.staleness,
};

/**
 * The sort as SQL, as `sortRows` orders: empty values last in either direction, the stage by its place in the
 * lifecycle and then its name, ties by key.
 */
function orderClause(sort: RowSort, red: readonly string[]): Clause {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const redSeverity = ragSeverity('red');
  const value =
    sort.by === 'rag'
      ? asRed('severity', red, redSeverity)
      : sort.by === 'ragRaid'
        ? asRed(SEVERITY_COLUMN.raid, red, redSeverity)
        : { sql: sort.by === 'stage' ? 'stage_index' : (TEXT_SORT[sort.by] ?? 'sort_key'), params: [] };
  const then = sort.by === 'stage' ? `, COALESCE(sort_stage_name, '') ${direction}` : '';
  return {
    sql: `(${value.sql}) IS NULL, ${value.sql} ${direction}${then}, sort_key ASC, issue_id ASC`,
    params: [...value.params, ...value.params],
  };
}

/** The ids (and entry sizes) of rows in scope the clause keeps, in the order given. */
async function chosenIds(where: Clause, order: Clause | string, limit: number, offset = 0) {
  const orderSql = typeof order === 'string' ? order : order.sql;
  const orderParams = typeof order === 'string' ? [] : order.params;
  return parsedRows(
    idSizeSchema,
    await run<unknown>(
      `SELECT issue_id, COALESCE(LENGTH(entry), 0) AS size FROM project_projection WHERE ${where.sql} ` +
        `ORDER BY ${orderSql} LIMIT ? OFFSET ?`,
      [...where.params, ...orderParams, limit, offset],
    ),
  );
}

const countSchema = z.object({ n: z.coerce.number().int() });

/** Whole entries of chosen rows, in the chosen order, in groups that fit one answer. */
async function entriesInOrder(chosen: ReadonlyArray<z.output<typeof idSizeSchema>>): Promise<StoredEntryRow[]> {
  const byId = new Map<string, StoredEntryRow>();
  for (const ids of readGroups(chosen)) {
    const rows = await run<unknown>(
      `SELECT ${ENTRY_COLUMNS} FROM project_projection WHERE issue_id IN (${placeholders(ids.length)})`,
      ids,
    );
    for (const row of parsedRows(storedEntrySchema, rows)) byId.set(row.issueId, row);
  }
  return chosen.flatMap((c) => byId.get(c.issue_id) ?? []);
}

/**
 * Rows a clause keeps, whole, in the order given: at most a page (ENTRIES_PER_SELECT) in one SELECT of entries,
 * which stays far inside the 4 MiB answer; more (a CSV part) by id first, then in groups by size.
 */
async function chosenEntries(where: Clause, order: Clause | string, limit: number, offset = 0) {
  if (limit > ENTRIES_PER_SELECT) return entriesInOrder(await chosenIds(where, order, limit, offset));
  const orderSql = typeof order === 'string' ? order : order.sql;
  const orderParams = typeof order === 'string' ? [] : order.params;
  return parsedRows(
    storedEntrySchema,
    await run<unknown>(
      `SELECT ${ENTRY_COLUMNS} FROM project_projection WHERE ${where.sql} ORDER BY ${orderSql} LIMIT ? OFFSET ?`,
      [...where.params, ...orderParams, limit, offset],
    ),
  );
}

/** The reads a portfolio view makes of the read model. */
export const portfolioQueries = {
  async figures(scope: ReaderScope, excludeIds: readonly string[]): Promise<ScopeFigures> {
    const where = inScope(scope);
    const counted = all([where, COUNTED, ...notAmong(excludeIds)]);
    const grouped = async <S extends z.ZodType>(select: string, group: string, schema: S) =>
      parsedRows(
        schema,
        await run<unknown>(
          `SELECT ${select}, COUNT(*) AS n FROM project_projection WHERE ${counted.sql} GROUP BY ${group}`,
          counted.params,
        ),
      );
    const sumColumns = [...KPI_COLUMNS, 'exc', ...CELL_COLUMNS.map((c) => c.column)];
    const [census, sums, groups, owners, departments, decisions] = await Promise.all([
      run<unknown>(
        'SELECT COUNT(*) AS n, COALESCE(SUM(fig_version IS NULL OR fig_version <> ?), 0) AS pending, ' +
          `COALESCE(SUM(integrity <> 'ok'), 0) AS errors, MIN(written_at) AS oldest FROM project_projection ` +
          `WHERE ${where.sql}`,
        [ENTRY_VERSION, ...where.params],
      ),
      run<unknown>(
        `SELECT ${sumColumns.map((c) => `COALESCE(SUM(${c}), 0) AS ${c}`).join(', ')} FROM project_projection ` +
          `WHERE ${counted.sql}`,
        counted.params,
      ),
      grouped(
        'stage_name, MIN(stage_position) AS position, rag, status, closed',
        'stage_name, rag, status, closed',
        z.object({
          stage_name: z.string().nullable(),
          position: z.coerce.number(),
          rag: z.enum([...RAGS, 'none']),
          status: z.enum(['active', 'on-hold', 'killed', 'completed', 'ungoverned']),
          closed: z.coerce.number(),
          n: z.coerce.number().int(),
        }),
      ),
      grouped(
        'owner_id, MAX(owner_name) AS name',
        'owner_id',
        z.object({ owner_id: z.string().nullable(), name: z.string().nullable(), n: z.coerce.number().int() }),
      ),
      grouped('department', 'department', z.object({ department: z.string().nullable(), n: z.coerce.number().int() })),
      grouped(
        'last_decision',
        'last_decision',
        z.object({ last_decision: z.enum([...GATE_OUTCOMES, 'none']), n: z.coerce.number().int() }),
      ),
    ]);
    const [head] = parsedRows(
      z.object({
        n: z.coerce.number().int(),
        pending: z.coerce.number().int(),
        errors: z.coerce.number().int(),
        oldest: z.string().nullable(),
      }),
      census,
    );
    const [total] = parsedRows(z.record(z.string(), z.coerce.number()), sums);
    const sum = (column: string): number => total?.[column] ?? 0;
    const figureSums: FigureSums = {
      groups: groups.map((g) => ({
        stageName: g.stage_name,
        stagePosition: g.position,
        rag: g.rag,
        status: g.status,
        closed: g.closed !== 0,
        count: g.n,
      })),
      owners: owners.flatMap((o) => (o.owner_id === null ? [] : [{ accountId: o.owner_id, name: o.name, count: o.n }])),
      departments: departments.flatMap((d) => (d.department === null ? [] : [{ name: d.department, count: d.n }])),
      decisions: decisions.map((d) => ({ outcome: d.last_decision, count: d.n })),
      kpis: {
        gateCompliance: { numerator: sum('gc_num'), denominator: sum('gc_den') },
        onTime: { numerator: sum('ot_num'), denominator: sum('ot_den') },
        budgetAdherence: { numerator: sum('ba_num'), denominator: sum('ba_den') },
        raidHygiene: { numerator: sum('rh_num'), denominator: sum('rh_den'), overdueActions: sum('rh_overdue') },
      },
      cells: Array.from({ length: CELL_COLUMNS.length }, (_, index) => {
        const cell = CELL_COLUMNS.find((c) => cellIndex(c.likelihood, c.impact) === index);
        return cell ? sum(cell.column) : 0;
      }),
    };
    return {
      rows: head?.n ?? 0,
      pending: head?.pending ?? 0,
      withErrors: head?.errors ?? 0,
      checkedAt: head?.oldest ?? null,
      exceptions: sum('exc'),
      sums: figureSums,
    };
  },

  async exceptionRows(scope: ReaderScope, excludeIds: readonly string[], limit: number) {
    const where = all([inScope(scope), COUNTED, { sql: 'exc = 1', params: [] }, ...notAmong(excludeIds)]);
    return chosenEntries(where, 'exc_tolerance DESC, exc_red DESC, sort_key ASC, issue_id ASC', limit);
  },

  async nonCompliantRows(scope: ReaderScope, since: IsoDate, limit: number) {
    const where = all([inScope(scope), COUNTED, { sql: 'last_noncompliant >= ?', params: [since] }]);
    return chosenEntries(where, 'last_noncompliant DESC, sort_key ASC, issue_id ASC', limit);
  },

  async decidedRows(scope: ReaderScope, since: IsoDate) {
    const where = all([inScope(scope), COUNTED, { sql: 'decided_on >= ?', params: [since] }]);
    const out: StoredEntryRow[] = [];
    for (let offset = 0; ; offset += ROWS_PER_LIST) {
      const chosen = await chosenEntries(where, 'sort_key ASC, issue_id ASC', ROWS_PER_LIST, offset);
      out.push(...chosen);
      if (chosen.length < ROWS_PER_LIST) return out;
    }
  },

  async pageOf(scope: ReaderScope, query: PageQuery) {
    const where = all([inScope(scope), filterClause(query.filter, query.redIds)]);
    const order = orderClause(query.sort, query.redIds);
    const [counted, chosen] = await Promise.all([
      run<unknown>(`SELECT COUNT(*) AS n FROM project_projection WHERE ${where.sql}`, where.params),
      chosenEntries(where, order, query.limit, query.offset),
    ]);
    return { total: parsedRows(countSchema, counted)[0]?.n ?? 0, rows: chosen };
  },

  async rowsByKey(scope: ReaderScope, keys: readonly string[]) {
    if (keys.length === 0) return [];
    const where = all([inScope(scope), within('issue_key', keys)]);
    return chosenEntries(where, 'issue_id ASC', keys.length);
  },

  async dependencies(scope: ReaderScope, keys?: readonly string[]) {
    if (keys?.length === 0) return new Map();
    const where = all([
      inScope(scope),
      keys === undefined ? { sql: "waits_on <> '[]'", params: [] } : within('issue_key', keys),
    ]);
    const rows = await run<unknown>(
      `SELECT issue_id, issue_key, rag, waits_on FROM project_projection WHERE ${where.sql}`,
      where.params,
    );
    return new Map(
      parsedRows(
        z.object({
          issue_id: z.string(),
          issue_key: z.string(),
          rag: z.enum([...RAGS, 'none']),
          waits_on: jsonText.pipe(z.array(z.string())),
        }),
        rows,
      ).map((row) => [row.issue_key, { issueId: row.issue_id, rag: row.rag, waitsOn: row.waits_on }]),
    );
  },
};

/** Rows one list of whole entries reads at a time (decisions between two days): a page each. */
const ROWS_PER_LIST = 100;
/** Whole entries one SELECT returns: a page of rows of ~1.5 KB each (tens of KB at most), far inside 4 MiB. */
const ENTRIES_PER_SELECT = 100;
