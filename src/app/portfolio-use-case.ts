/**
 * The portfolio read path (docs/architecture.md §5): every row of Tollgate's read model in Forge SQL the person may
 * see (stored-rows.ts) as its stored entry — the row, KPI inputs, placed risks and exception cause judged when the row
 * was written or by today's daily run — the aggregates a PMO reports, and one page of the filtered, sorted table, whose
 * rows are judged with today's date. No project's facts are read or judged unless its entry cannot be used as stored
 * (a visible red it waits on turns it red; no entry of the current version; a page row judged on an earlier day).
 *
 * Cost, whatever N is: two Jira requests (the bulk permission checks; a macro's JQL scope adds one id-only search per
 * 5,000 matching issues) and a few SQL queries per 2 MiB of stored entries. Two KVS reads (settings, allowance) and
 * one for the weekly snapshots. Nothing per project in Jira, so the Jira quota a view spends does not grow with N.
 *
 * Size: only the requested page of rows travels (≤ 100 rows of ~0.85 KB). The aggregates are bounded by the model,
 * not by N: counts and the funnel by stage, the heat map as 25 squares without risk ids, twelve trend points, and
 * lists capped at 50 (exceptions, inflation flags) or 20 (non-compliant gate passages). Facets grow with the number
 * of distinct owners and departments (a thousand owners is ~80 KB). The CSV travels in parts (`portfolio/csv`).
 *
 * Freshness: a row is what the app last verified (after each op, restore and recompute). A document changed through
 * Jira's REST API behind the app's back is caught by the next recompute, which reads the ledger; `scope.checkedAt`
 * says when the oldest row shown was last checked against Jira. */
import { type ChangesView, DEFAULT_PAGE_SIZE, type PortfolioData, type PortfolioRow } from '../contract/portfolio';
import { decisionsBetween, portfolioChanges, type ProjectState } from '../domain/changes';
import { GATE_OUTCOMES } from '../domain/gates';
import {
  countedIn,
  filterRows,
  pageRows,
  portfolioCounts,
  portfolioExceptions,
  portfolioHeatMap,
  portfolioKpis,
  type Period,
  type PortfolioEntry,
  type RowFilter,
  type RowPage,
  type RowSort,
  sortRows,
} from '../domain/portfolio';
import { type RagOrNone, ragSeverity } from '../domain/rag';
import { RISK_BANDS } from '../domain/risk';
import { allTemplates, type Settings } from '../domain/settings';
import { templateTerms } from '../domain/template-words';
import { addCalendarDays, dayOf, type Instant, type IsoDate } from '../domain/time';
import {
  mondayOf,
  portfolioTrend,
  snapshotAsOf,
  snapshotRag,
  type SnapshotRow,
  trendStart,
  type WeeklySnapshot,
} from '../domain/trend';
import { type AppDeps } from './deps';
import { openAllowance } from './points-allowance';
import {
  type EntryProject,
  judgeAgain,
  judgeEntries,
  judgeStoredRows,
  queueRewrite,
  type ReadProject,
  type RowReader,
  type SecuredRow,
  visibleRows,
  type VisibleRows,
} from './stored-rows';

/** The KPI reporting period, in days up to and including today. */
export const KPI_PERIOD_DAYS = 90;
const MAX_EXCEPTIONS = 50;
const MAX_INFLATION_FLAGS = 50;
const MAX_NON_COMPLIANT = 20;

/** Which projects: the registry as the person may see it, optionally narrowed by JQL (a macro's scope). */
export interface PortfolioScope {
  readonly accountId: string;
  /** ANDed with the registry JQL, never replacing it. */
  readonly jql?: string;
}

/** What `loadPortfolio` is asked for. */
export interface PortfolioRequest extends PortfolioScope {
  readonly filter?: RowFilter;
  readonly sort?: RowSort;
  readonly page?: { readonly offset: number; readonly limit: number };
  /** Also report each project's RAG as the weekly snapshot of this day's week recorded it; the trend ends there. */
  readonly asOf?: IsoDate;
  /** The reader's locale (Forge's context), for the templates' names. */
  readonly locale?: string;
  /** Also say what changed from `from` to `to` (today's live portfolio when absent). */
  readonly compare?: { readonly from: IsoDate; readonly to?: IsoDate };
}

/** The registry as a view aggregates it, before filtering: what every portfolio-shaped view is built from. */
export interface PortfolioRead {
  readonly settings: Settings;
  readonly now: Instant;
  readonly today: IsoDate;
  /** Every project read, in the read model's order. */
  readonly projects: readonly EntryProject[];
  /** The entries of every project that could be read: what the figures count. */
  readonly entries: readonly PortfolioEntry[];
  /** Issue ids whose stored row should be written again (out of date, or damaged). */
  readonly staleIds: readonly string[];
  /** When the oldest row read was last checked against Jira; null when none was read. */
  readonly checkedAt: Instant | null;
  /** The Jira projects the person may browse, and each project's RAG once red has flowed: for judging rows again. */
  readonly projectIds: readonly string[];
  readonly rags: ReadonlyMap<string, RagOrNone>;
  /** Projects the narrowing named that Jira would not search for the person. */
  readonly unseenProjects: readonly string[];
}

/** What a person may see of the read model, with the checks charged to their hourly allowance. */
async function readVisible<R extends SecuredRow>(
  deps: AppDeps,
  scope: PortfolioScope,
  settings: Settings,
  read: RowReader<R>,
): Promise<VisibleRows<R>> {
  const allowance = await openAllowance(deps, scope.accountId, settings.quota.personHourlyPoints);
  allowance.requirePage();
  return visibleRows(
    deps,
    {
      accountId: scope.accountId,
      registryJql: settings.registryJql,
      ...(scope.jql === undefined ? {} : { jql: scope.jql }),
    },
    (points) => allowance.spend(points),
    read,
  ).finally(() => allowance.settle());
}

const oldestWrite = (rows: ReadonlyArray<{ readonly writtenAt: string }>): Instant | null =>
  rows.reduce<string | null>(
    (oldest, row) => (oldest === null || row.writtenAt < oldest ? row.writtenAt : oldest),
    null,
  );

/**
 * The registry (or the part a JQL narrowing picks) as the person may see it, from the read model's entries: no
 * project's facts are read or judged unless its entry cannot be used as stored (stored-rows.ts judgeEntries). A
 * damaged row is a row with an error, never a failed read.
 * @throws {JiraRejectedError} when Jira refuses the narrowing JQL; {AllowanceSpentError} when the person's hourly
 *   allowance of Jira quota is spent; {UnavailableError | ForbiddenError} from the Jira port or the read model.
 */
export async function readPortfolio(deps: AppDeps, scope: PortfolioScope): Promise<PortfolioRead> {
  const settings = await deps.storage.loadSettings();
  const { rows, projectIds, unseen } = await readVisible(deps, scope, settings, (query) =>
    deps.readModel.entriesIn(query),
  );
  const now = deps.clock.now();
  const judged = await judgeEntries(deps, rows, projectIds, settings, now);
  return {
    settings,
    now,
    today: dayOf(now),
    projects: judged.projects,
    entries: judged.entries,
    staleIds: judged.staleIds,
    checkedAt: oldestWrite(rows),
    projectIds,
    rags: judged.rags,
    unseenProjects: unseen,
  };
}

/** The registry with every project's facts, judged together: for the one view that lists what facts hold. */
export interface PortfolioFacts {
  readonly now: Instant;
  readonly projects: readonly ReadProject[];
}

/**
 * Reads and judges every project's stored facts as the person may see them: the decision log lists each project's
 * decisions, which only the facts hold. Unlike readPortfolio it reads every visible row's facts.
 * @throws what readPortfolio throws.
 */
export async function readPortfolioFacts(deps: AppDeps, scope: PortfolioScope): Promise<PortfolioFacts> {
  const settings = await deps.storage.loadSettings();
  const { rows } = await readVisible(deps, scope, settings, (query) => deps.readModel.rowsIn(query));
  const now = deps.clock.now();
  return { now, projects: judgeStoredRows(rows, settings, now).projects };
}

/** Snapshots for the trend; a storage failure costs the trend, not the page. */
async function readSnapshots(deps: AppDeps, since: IsoDate): Promise<WeeklySnapshot[]> {
  try {
    return [...(await deps.storage.snapshots(since))];
  } catch (error) {
    console.error('Tollgate could not read the weekly snapshots for the portfolio trend:', error);
    return [];
  }
}

const DEFAULT_PAGE = { offset: 0, limit: DEFAULT_PAGE_SIZE } as const;
/** How far before a comparison's first week its snapshot may be (a weekly job missed for a few weeks). */
const COMPARE_LOOKBACK_DAYS = 28;
/** Projects each list of changes carries; the total says how many there are. */
const MAX_CHANGES = 50;

/** Worst first: the rows a PMO opens the page for. */
export const DEFAULT_SORT: RowSort = { by: 'rag', direction: 'desc' };

/** The KPI reporting period that ends today. */
export function kpiPeriod(today: IsoDate): Period {
  return { from: addCalendarDays(today, -(KPI_PERIOD_DAYS - 1)), to: today };
}

/** The rows a filter keeps, in the sort order. */
export function filteredRows(
  read: PortfolioRead,
  filter: RowFilter = {},
  sort: RowSort = DEFAULT_SORT,
): PortfolioRow[] {
  const { kpi } = filter;
  const period = kpiPeriod(read.today);
  // A KPI counts entries: a row without one (damaged) is in no KPI.
  const projects =
    kpi === undefined
      ? read.projects
      : read.projects.filter((p) => p.entry !== undefined && countedIn(p.entry.kpi, kpi, period, read.today));
  return sortRows(
    filterRows(
      projects.map((p) => p.row),
      filter,
    ),
    sort,
  );
}

function facetsOf(rows: readonly PortfolioRow[], stages: readonly (string | null)[]): PortfolioData['facets'] {
  const owners = new Map<string, { accountId: string; name: string | null; count: number }>();
  const departments = new Map<string, number>();
  for (const row of rows) {
    if (row.owner !== null) {
      const owner = owners.get(row.owner) ?? { accountId: row.owner, name: row.ownerName, count: 0 };
      owner.count += 1;
      owners.set(row.owner, owner);
    }
    if (row.department !== null) departments.set(row.department, (departments.get(row.department) ?? 0) + 1);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'en');
  const decisions = [...GATE_OUTCOMES, 'none' as const]
    .map((outcome) => ({ outcome, count: rows.filter((row) => row.lastDecision === outcome).length }))
    .filter((decision) => decision.count > 0);
  return {
    owners: [...owners.values()].sort((a, b) => byName(a.name ?? a.accountId, b.name ?? b.accountId)),
    departments: [...departments.entries()]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => byName(a.name, b.name)),
    decisions,
    stages: stages.filter((name): name is string => name !== null),
  };
}

function snapshotView(
  snapshots: readonly WeeklySnapshot[],
  requested: IsoDate,
  read: PortfolioRead,
  limit: number,
): NonNullable<PortfolioData['snapshot']> {
  const snapshot = snapshotAsOf(snapshots, requested);
  const summaries = new Map(read.projects.map((p) => [p.row.key, p.row.summary]));
  const byRag: Record<RagOrNone, number> = { green: 0, amber: 0, red: 0, none: 0 };
  const rows = (snapshot?.rows ?? []).flatMap((row) => {
    const summary = summaries.get(row.key);
    // Only projects the person can see today: a snapshot is taken as the app and holds every project.
    if (summary === undefined) return [];
    const rag = snapshotRag(row.rag);
    byRag[rag] += 1;
    return [{ key: row.key, summary, rag }];
  });
  rows.sort((a, b) => ragSeverity(b.rag) - ragSeverity(a.rag) || a.key.localeCompare(b.key, 'en', { numeric: true }));
  return {
    requested,
    week: snapshot?.week ?? null,
    byRag,
    rows: { total: rows.length, items: rows.slice(0, limit) },
  };
}

/**
 * The portfolio page: one page of the filtered, sorted table and the aggregates of the whole scope, with the trend
 * from the weekly snapshots and, when asked, the CSV of every filtered row.
 * @throws what readPortfolio throws.
 */
export async function loadPortfolio(deps: AppDeps, request: PortfolioRequest): Promise<PortfolioData> {
  const read = await readPortfolio(deps, request);
  const trendFrom = trendStart(request.asOf ?? read.today);
  // A comparison reads back to its first day's week and a few before it, where the snapshot it is read from may be.
  const compareFrom = request.compare && addCalendarDays(mondayOf(request.compare.from), -COMPARE_LOOKBACK_DAYS);
  const [page, snapshots] = await Promise.all([
    todaysPage(deps, read, request),
    readSnapshots(deps, compareFrom !== undefined && compareFrom < trendFrom ? compareFrom : trendFrom),
  ]);
  const staleQueued = await queueRewrite(deps, [...new Set([...read.staleIds, ...page.staleIds])]);
  return portfolioView(read, request, snapshots, staleQueued, page.rows);
}

/**
 * The requested page of rows, each judged with today's date: a row whose entry was judged on an earlier day (the
 * daily run has not reached it yet) is judged again from its facts, at most a page of them.
 */
async function todaysPage(
  deps: AppDeps,
  read: PortfolioRead,
  request: PortfolioRequest,
): Promise<{ readonly rows: RowPage<PortfolioRow>; readonly staleIds: readonly string[] }> {
  const page = pageRows(filteredRows(read, request.filter, request.sort), request.page ?? DEFAULT_PAGE);
  const behind = new Set(read.projects.filter((p) => !p.judgedToday && p.row.issueId !== null).map((p) => p.row.key));
  const ids = page.rows.flatMap((row) => (behind.has(row.key) && row.issueId !== null ? [row.issueId] : []));
  if (ids.length === 0) return { rows: page, staleIds: [] };
  const again = await judgeAgain(deps, ids, read.projectIds, read.settings, read.now, read.rags);
  const rows = page.rows.map((row) => (row.issueId === null ? row : (again.projects.get(row.issueId)?.row ?? row)));
  return { rows: { ...page, rows }, staleIds: again.staleIds };
}

/**
 * The aggregation half of a load (pure): the page of rows, counts, KPIs, exceptions, heat map, funnel, trend and
 * facets of what was read, with the weekly snapshots from the trend's start on.
 */
export function portfolioView(
  read: PortfolioRead,
  request: PortfolioRequest,
  allSnapshots: readonly WeeklySnapshot[],
  staleQueued: number,
  page: RowPage<PortfolioRow> = pageRows(
    filteredRows(read, request.filter, request.sort),
    request.page ?? DEFAULT_PAGE,
  ),
): PortfolioData {
  const lastDay = request.asOf ?? read.today;
  // The trend's own weeks only: a comparison may have read further back.
  const first = trendStart(lastDay);
  const snapshots = allSnapshots.filter((s) => s.week >= first && s.week <= mondayOf(lastDay));
  const visible = new Set(read.projects.map((p) => p.row.key));
  const trend = portfolioTrend(snapshots, (key) => visible.has(key));

  const counts = portfolioCounts(read.entries);
  const period = kpiPeriod(read.today);
  const kpis = portfolioKpis(
    read.entries.map((e) => e.kpi),
    period,
    read.today,
  );
  const exceptions = portfolioExceptions(read.entries);
  const heatMap = portfolioHeatMap(read.entries, read.settings.health.risk.bands);
  const { passages, ...gateCompliance } = kpis.gateCompliance;
  return {
    terms: templateTerms(allTemplates(read.settings.templates), request.locale ?? 'en-US'),
    today: read.today,
    computedAt: read.now,
    scope: {
      projects: read.projects.length,
      withErrors: read.projects.filter((p) => p.row.error !== null).length,
      checkedAt: read.checkedAt,
      unseenProjects: read.unseenProjects,
    },
    page,
    counts,
    kpis: {
      period,
      gateCompliance: {
        ...gateCompliance,
        nonCompliant: passages
          .filter((p) => p.problem !== null)
          .sort((a, b) => b.day.localeCompare(a.day))
          .slice(0, MAX_NON_COMPLIANT),
      },
      onTime: kpis.onTime,
      budgetAdherence: kpis.budgetAdherence,
      raidHygiene: kpis.raidHygiene,
    },
    exceptions: { total: exceptions.length, items: exceptions.slice(0, MAX_EXCEPTIONS) },
    heatMap: {
      basis: 'residual',
      total: heatMap.total,
      totals: heatMap.totals,
      squares: heatMap.cells.flat().map(({ likelihood, impact, score, band, count }) => ({
        likelihood,
        impact,
        score,
        band,
        count,
      })),
    },
    funnel: portfolioCounts(read.entries.filter((e) => !e.closed)).byStage.filter((s) => s.stageName !== null),
    trend: {
      weeks: trend.points,
      inflation: { total: trend.inflation.length, items: trend.inflation.slice(-MAX_INFLATION_FLAGS).reverse() },
      earliestWeek: earliestWeekOf(allSnapshots),
    },
    facets: facetsOf(
      read.projects.map((p) => p.row),
      counts.byStage.map((s) => s.stageName),
    ),
    staleQueued,
    snapshot:
      request.asOf === undefined
        ? null
        : snapshotView(snapshots, request.asOf, read, request.page?.limit ?? DEFAULT_PAGE_SIZE),
    changes: request.compare === undefined ? null : changesView(allSnapshots, request.compare, read),
  };
}

const earliestWeekOf = (snapshots: readonly WeeklySnapshot[]): IsoDate | null =>
  snapshots.reduce<IsoDate | null>((earliest, s) => (earliest === null || s.week < earliest ? s.week : earliest), null);

/** A project's state as a snapshot row recorded it (a week stored before risk bands were kept says none). */
function snapshotState(row: SnapshotRow): ProjectState {
  const risk = row.risk === 'none' || (RISK_BANDS as readonly string[]).includes(row.risk ?? '') ? row.risk : undefined;
  return { key: row.key, rag: snapshotRag(row.rag), risk: (risk as ProjectState['risk'] | undefined) ?? null };
}

/**
 * What changed between the compare's two days, for the projects the person may see today (a snapshot is taken as
 * the app and holds every project): RAG moves and risk-band crossings between the two snapshots (or the first and
 * today's live portfolio), and the decisions the entries hold in between. RAG is each project's own (before red
 * flows in from what it waits on), as snapshots record it: taken as the app, a snapshot cannot know which of the
 * projects a project waits on each reader may see.
 */
function changesView(
  snapshots: readonly WeeklySnapshot[],
  compare: NonNullable<PortfolioRequest['compare']>,
  read: PortfolioRead,
): ChangesView {
  const shown = new Map(read.projects.map((p) => [p.row.key, p]));
  const visible = (row: SnapshotRow) => shown.has(row.key);
  const first = snapshotAsOf(snapshots, compare.from);
  const second = compare.to === undefined ? undefined : snapshotAsOf(snapshots, compare.to);
  const before = (first?.rows ?? []).filter(visible).map(snapshotState);
  const after =
    compare.to === undefined
      ? read.projects.map((p) => ({ key: p.row.key, rag: p.ownRag, risk: p.row.riskBand }))
      : (second?.rows ?? []).filter(visible).map(snapshotState);
  // Without a snapshot on either side there is nothing to compare: nothing is claimed to have changed.
  const comparable = first !== undefined && (compare.to === undefined || second !== undefined);
  const changes = comparable ? portfolioChanges(before, after) : portfolioChanges([], []);
  const summary = (key: string) => shown.get(key)?.row.summary ?? '';
  const capped = <T>(items: ReadonlyArray<{ readonly key: string; readonly from: T | null; readonly to: T }>) => ({
    total: items.length,
    items: items.slice(0, MAX_CHANGES).map((item) => ({ ...item, summary: summary(item.key) })),
  });
  const decisions = decisionsBetween(
    read.projects.flatMap((p) => (p.entry?.decisions ?? []).map((decision) => ({ ...decision, key: p.row.key }))),
    compare.from,
    compare.to ?? read.today,
  );
  return {
    from: { requested: compare.from, week: first?.week ?? null },
    to: { requested: compare.to ?? read.today, week: second?.week ?? null, live: compare.to === undefined },
    earliestWeek: earliestWeekOf(snapshots),
    newReds: capped(changes.newReds),
    worse: capped(changes.worse),
    better: capped(changes.better),
    risksUp: changes.risksUp && capped(changes.risksUp),
    risksDown: changes.risksDown && capped(changes.risksDown),
    decisions: {
      total: decisions.length,
      items: decisions.slice(0, MAX_CHANGES).map((decision) => ({ ...decision, summary: summary(decision.key) })),
    },
    added: changes.added.length,
  };
}
