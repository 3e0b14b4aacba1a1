/**
 * The portfolio read path (docs/architecture.md §5): the person's rows of Tollgate's read model in Forge SQL, the
 * aggregates a PMO reports, and one page of the filtered, sorted table, all as SQL over the rows' figure columns
 * (src/adapters/sql/sql-portfolio.ts). No row is read whole unless it is shown (a page, the first exceptions, the
 * latest non-compliant passages) or must be judged again (portfolio-reader.ts: red for this person from what it
 * waits on, or a page row judged on an earlier day or not yet rewritten in this version).
 *
 * Cost, whatever N is: two Jira requests (the bulk permission checks; a macro's JQL scope adds one id-only search per
 * 5,000 matching issues), a dozen SQL statements whose answers are a page of rows and a few sums, and two KVS reads
 * (settings, allowance) and the weekly snapshots. One statement lists the key, RAG and risk of every row in scope,
 * for the trend and "what changed", a few dozen bytes a row.
 *
 * Freshness: a row is what the app last verified (after each op, restore and recompute) and judged (then or by today's
 * daily run; its figures are judged on that day). A document changed through Jira's REST API behind the app's back is
 * caught by the next recompute, which reads the ledger; `scope.checkedAt` says when the oldest row shown was last
 * checked against Jira. */
import { type ChangesView, DEFAULT_PAGE_SIZE, type PortfolioData } from '../contract/portfolio';
import { decisionsBetween } from '../domain/changes';
import { GATE_OUTCOMES } from '../domain/gates';
import {
  addSums,
  cellIndex,
  countsOfGroups,
  type FigureSums,
  kpiPeriod,
  kpisOfCounts,
  nonCompliantPassages,
  portfolioExceptions,
  type RowFilter,
  type RowSort,
  sumEntries,
} from '../domain/portfolio';
import { heatMapOfCounts } from '../domain/risk';
import { allTemplates } from '../domain/settings';
import { templateTerms } from '../domain/template-words';
import { addCalendarDays, type IsoDate } from '../domain/time';
import { mondayOf, trendStart } from '../domain/trend';
import { type AppDeps } from './deps';
import { entriesOf, openReaderView, type PortfolioScope, type ReaderView, viewPage } from './portfolio-reader';
import { type ChangeList, type ChangeLists } from './ports';
import { queueRewrite } from './stored-rows';

export { type PortfolioScope } from './portfolio-reader';

const MAX_EXCEPTIONS = 50;
const MAX_INFLATION_FLAGS = 50;
const MAX_NON_COMPLIANT = 20;

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

/** The weeks with a snapshot; a failure to read them costs the trend and the "as of" view, not the page. */
async function readSnapshotWeeks(deps: AppDeps): Promise<readonly IsoDate[]> {
  try {
    return await deps.readModel.snapshotWeeks();
  } catch (error) {
    console.error('Tollgate could not read the weekly snapshots for the portfolio trend:', error);
    return [];
  }
}

/** The latest week with a snapshot in or before the week of `day`. */
function weekAsOf(weeks: readonly IsoDate[], day: IsoDate): IsoDate | null {
  const monday = mondayOf(day);
  return weeks.filter((week) => week <= monday).at(-1) ?? null;
}

const DEFAULT_PAGE = { offset: 0, limit: DEFAULT_PAGE_SIZE } as const;
/** How far before a comparison's first week its snapshot may be (a weekly job missed for a few weeks). */
const COMPARE_LOOKBACK_DAYS = 28;
/** Projects each list of changes carries; the total says how many there are. */
const MAX_CHANGES = 50;

/** Worst first: the rows a PMO opens the page for. */
export const DEFAULT_SORT: RowSort = { by: 'rag', direction: 'desc' };

function facetsOf(sums: FigureSums, stages: readonly (string | null)[]): PortfolioData['facets'] {
  const byName = (a: string, b: string) => a.localeCompare(b, 'en');
  const decisions = new Map(sums.decisions.map((d) => [d.outcome, d.count]));
  return {
    owners: [...sums.owners].sort((a, b) => byName(a.name ?? a.accountId, b.name ?? b.accountId)),
    departments: [...sums.departments].sort((a, b) => byName(a.name, b.name)),
    decisions: [...GATE_OUTCOMES, 'none' as const].flatMap((outcome) => {
      const count = decisions.get(outcome) ?? 0;
      return count > 0 ? [{ outcome, count }] : [];
    }),
    stages: stages.filter((name): name is string => name !== null),
  };
}

/** The summaries of `keys` in the person's scope. */
async function summariesOf(deps: AppDeps, view: ReaderView, keys: readonly string[]): Promise<Map<string, string>> {
  const entries = entriesOf(await deps.readModel.rowsByKey(view.scope, keys));
  return new Map(entries.map((entry) => [entry.row.key, entry.row.summary]));
}

/** The "as of" view: the latest snapshot in the trend's weeks up to the requested day's. */
async function snapshotView(
  deps: AppDeps,
  view: ReaderView,
  requested: IsoDate,
  limit: number,
): Promise<NonNullable<PortfolioData['snapshot']>> {
  // Only projects the person can see today: a snapshot is taken as the app and holds every project.
  const snapshot = await deps.readModel.snapshotIn(view.scope, trendStart(requested), mondayOf(requested), limit);
  return {
    requested,
    week: snapshot.week,
    byRag: snapshot.byRag,
    rows: { total: snapshot.total, items: snapshot.rows },
  };
}

/** The trend's twelve weeks, ending with the week of `lastDay`; a failure to read it costs the trend, not the page. */
async function readTrend(
  deps: AppDeps,
  view: ReaderView,
  lastDay: IsoDate,
): Promise<Awaited<ReturnType<AppDeps['readModel']['trendIn']>>> {
  try {
    return await deps.readModel.trendIn(view.scope, trendStart(lastDay), mondayOf(lastDay), MAX_INFLATION_FLAGS);
  } catch (error) {
    console.error('Tollgate could not read the weekly snapshots for the portfolio trend:', error);
    return { points: [], inflation: { total: 0, items: [] } };
  }
}

/**
 * The portfolio page: one page of the filtered, sorted table and the aggregates of the whole scope, with the trend
 * from the weekly snapshots and, when asked, the "as of" view and what changed between two days.
 * @throws what openReaderView throws.
 */
export async function loadPortfolio(deps: AppDeps, request: PortfolioRequest): Promise<PortfolioData> {
  const view = await openReaderView(deps, request);
  const { settings, today, scope } = view;
  const period = kpiPeriod(today);
  const reddened = [...view.reddened.values()];
  const excluded = [...view.reddened.keys()];
  // Every read at once: each is a few statements whose answers are sums or a page of rows.
  const [figures, exceptionRows, nonCompliantRows, page, weeks, trend, snapshot] = await Promise.all([
    deps.readModel.figures(scope, excluded),
    deps.readModel.exceptionRows(scope, excluded, MAX_EXCEPTIONS),
    deps.readModel.nonCompliantRows(scope, period.from, MAX_NON_COMPLIANT),
    viewPage(
      deps,
      view,
      { filter: request.filter ?? {}, sort: request.sort ?? DEFAULT_SORT, page: request.page ?? DEFAULT_PAGE },
      { today: true },
    ),
    readSnapshotWeeks(deps),
    // The trend's weeks end with the "as of" day's week.
    readTrend(deps, view, request.asOf ?? today),
    request.asOf === undefined
      ? null
      : snapshotView(deps, view, request.asOf, request.page?.limit ?? DEFAULT_PAGE_SIZE),
  ]);
  const sums = addSums([
    figures.sums,
    sumEntries(reddened.map((p) => ({ entry: p.entry, ownerName: p.row.ownerName, judgedOn: today }))),
  ]);
  const counts = countsOfGroups(sums.groups);
  const kpis = kpisOfCounts(sums.kpis);
  const exceptions = portfolioExceptions([...entriesOf(exceptionRows), ...reddened.map((p) => p.entry)]);
  const exceptionTotal = figures.exceptions + reddened.filter((p) => p.entry.exception !== null).length;
  const heatMap = heatMapOfCounts(
    (likelihood, impact) => sums.cells[cellIndex(likelihood, impact)] ?? 0,
    'residual',
    settings.health.risk.bands,
  );

  const [changes, staleQueued] = await Promise.all([
    request.compare === undefined ? null : changesView(deps, view, weeks, request.compare),
    queueRewrite(deps, [...new Set([...view.staleIds, ...page.staleIds])]),
  ]);
  return {
    terms: templateTerms(allTemplates(settings.templates), request.locale ?? 'en-US'),
    today,
    computedAt: view.now,
    scope: {
      projects: figures.rows,
      withErrors: figures.withErrors,
      pending: figures.pending,
      checkedAt: figures.checkedAt,
      unseenProjects: view.unseenProjects,
    },
    page: page.rows,
    counts,
    kpis: {
      period,
      gateCompliance: {
        ...kpis.gateCompliance,
        nonCompliant: nonCompliantPassages(entriesOf(nonCompliantRows), period, MAX_NON_COMPLIANT),
      },
      onTime: kpis.onTime,
      budgetAdherence: kpis.budgetAdherence,
      raidHygiene: kpis.raidHygiene,
    },
    exceptions: { total: exceptionTotal, items: exceptions.slice(0, MAX_EXCEPTIONS) },
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
    funnel: countsOfGroups(sums.groups.filter((g) => !g.closed)).byStage.filter((s) => s.stageName !== null),
    trend: { weeks: trend.points, inflation: trend.inflation, earliestWeek: weeks[0] ?? null },
    facets: facetsOf(
      sums,
      counts.byStage.map((s) => s.stageName),
    ),
    staleQueued,
    snapshot,
    changes,
  };
}

const NONE_CHANGED = { total: 0, items: [] } as const;
const NO_CHANGES: ChangeLists = {
  newReds: NONE_CHANGED,
  worse: NONE_CHANGED,
  better: NONE_CHANGED,
  risksUp: NONE_CHANGED,
  risksDown: NONE_CHANGED,
  added: 0,
};

/**
 * What changed between the compare's two days, for the projects the person may see today (a snapshot is taken as
 * the app and holds every project): RAG moves and risk-band crossings between the two snapshots (or the first and
 * today's live portfolio), and the decisions recorded in between. RAG is each project's own (before red flows in
 * from what it waits on), as snapshots record it: taken as the app, a snapshot cannot know which of the projects a
 * project waits on each reader may see.
 */
async function changesView(
  deps: AppDeps,
  view: ReaderView,
  weeks: readonly IsoDate[],
  compare: NonNullable<PortfolioRequest['compare']>,
): Promise<ChangesView> {
  // A comparison's first snapshot is its first day's week or one of the few before it (a weekly run missed).
  const earliest = addCalendarDays(mondayOf(compare.from), -COMPARE_LOOKBACK_DAYS);
  const candidates = weeks.filter((week) => week >= earliest);
  const first = weekAsOf(candidates, compare.from);
  const second = compare.to === undefined ? null : weekAsOf(candidates, compare.to);
  // Without a snapshot on either side there is nothing to compare: nothing is claimed to have changed.
  const [changes, decided] = await Promise.all([
    first !== null && (compare.to === undefined || second !== null)
      ? deps.readModel.changesIn(view.scope, {
          from: first,
          to: second,
          bands: view.settings.health.risk.bands,
          limit: MAX_CHANGES,
        })
      : NO_CHANGES,
    deps.readModel.decidedRows(view.scope, compare.from),
  ]);
  const until = compare.to ?? view.today;
  const decisions = decisionsBetween(
    entriesOf(decided).flatMap((entry) => entry.decisions.map((decision) => ({ ...decision, key: entry.row.key }))),
    compare.from,
    until,
  );
  const lists = [changes.newReds, changes.worse, changes.better, changes.risksUp, changes.risksDown];
  const shownKeys = new Set([
    ...lists.flatMap((list) => list?.items.map((item) => item.key) ?? []),
    ...decisions.slice(0, MAX_CHANGES).map((decision) => decision.key),
  ]);
  const summaries = await summariesOf(deps, view, [...shownKeys]);
  const summary = (key: string) => summaries.get(key) ?? '';
  const withSummaries = <T extends { readonly key: string }>(list: ChangeList<T>) => ({
    total: list.total,
    items: list.items.map((item) => ({ ...item, summary: summary(item.key) })),
  });
  return {
    from: { requested: compare.from, week: first },
    to: { requested: until, week: second, live: compare.to === undefined },
    earliestWeek: weeks[0] ?? null,
    newReds: withSummaries(changes.newReds),
    worse: withSummaries(changes.worse),
    better: withSummaries(changes.better),
    risksUp: changes.risksUp && withSummaries(changes.risksUp),
    risksDown: changes.risksDown && withSummaries(changes.risksDown),
    decisions: {
      total: decisions.length,
      items: decisions.slice(0, MAX_CHANGES).map((decision) => ({ ...decision, summary: summary(decision.key) })),
    },
    added: changes.added,
  };
}
