/**
 * A person's view of the read model (docs/architecture.md §5), shared by the portfolio page, its CSV and the macros:
 * which rows they may see (stored-rows.ts readerScope), which of those are red for them from what they wait on, and
 * one page of the filtered, sorted table as SQL chose it.
 *
 * Red flows along dependencies among the rows the person may see, from each row's stored own-facts RAG: only the
 * rows that wait on others are read for it (key, RAG and keys), and the few that turn red are judged again from
 * their facts, so their reasons say why. The read model adds up every other row in SQL.
 */
import { type PortfolioRow } from '../contract/portfolio';
import {
  type PortfolioEntry,
  redAlongDependencies,
  type RowFilter,
  type RowPage,
  type RowSort,
} from '../domain/portfolio';
import { type RagOrNone } from '../domain/rag';
import { type Settings } from '../domain/settings';
import { dayOf, type Instant, type IsoDate } from '../domain/time';
import { type AppDeps } from './deps';
import { openAllowance } from './points-allowance';
import { type ReaderScope, type StoredEntryRow } from './ports';
import { entryOf } from './projection';
import { type EntryProject, entryRow, judgeAgain, readerScope, unreadableRow } from './stored-rows';

/** Which projects: the registry as the person may see it, optionally narrowed by JQL (a macro's scope). */
export interface PortfolioScope {
  readonly accountId: string;
  /** ANDed with the registry JQL, never replacing it. */
  readonly jql?: string;
}

/** What a person's view reads before it asks for figures or rows. */
export interface ReaderView {
  readonly settings: Settings;
  readonly now: Instant;
  readonly today: IsoDate;
  readonly scope: ReaderScope;
  /** Projects the narrowing named that Jira would not search for the person. */
  readonly unseenProjects: readonly string[];
  /** Each row's RAG once red has flowed, for the rows that wait on others and what they wait on. */
  readonly rags: ReadonlyMap<string, RagOrNone>;
  /** The rows red for this person only from what they wait on, judged again, by issue id. */
  readonly reddened: ReadonlyMap<string, EntryProject & { readonly entry: PortfolioEntry }>;
  /** Rows judged again here whose stored row should be written again. */
  readonly staleIds: readonly string[];
}

/**
 * Opens a person's view: their scope, with the checks charged to their hourly allowance, and the rows red for them
 * from what they wait on.
 * @throws {JiraRejectedError} when Jira refuses the narrowing JQL; {AllowanceSpentError} when the person's hourly
 *   allowance of Jira quota is spent; {UnavailableError | ForbiddenError} from the Jira port or the read model.
 */
export async function openReaderView(deps: AppDeps, request: PortfolioScope): Promise<ReaderView> {
  const settings = await deps.storage.loadSettings();
  const allowance = await openAllowance(deps, request.accountId, settings.quota.personHourlyPoints);
  allowance.requirePage();
  const { scope, unseen } = await readerScope(
    deps,
    {
      accountId: request.accountId,
      registryJql: settings.registryJql,
      ...(request.jql === undefined ? {} : { jql: request.jql }),
    },
    (points) => allowance.spend(points),
  ).finally(() => allowance.settle());
  const now = deps.clock.now();
  const red = await redFromDependencies(deps, scope, settings, now);
  return { settings, now, today: dayOf(now), scope, unseenProjects: unseen, ...red };
}

async function redFromDependencies(
  deps: AppDeps,
  scope: ReaderScope,
  settings: Settings,
  now: Instant,
): Promise<Pick<ReaderView, 'rags' | 'reddened' | 'staleIds'>> {
  const waiting = await deps.readModel.dependencies(scope);
  if (waiting.size === 0) return { rags: new Map(), reddened: new Map(), staleIds: [] };
  const awaited = [...new Set([...waiting.values()].flatMap((row) => row.waitsOn))].filter((key) => !waiting.has(key));
  const known = new Map([...waiting, ...(await deps.readModel.dependencies(scope, awaited))]);
  const rags = redAlongDependencies(known);
  const turned = [...waiting.entries()].flatMap(([key, row]) =>
    rags.get(key) === 'red' && row.rag !== 'red' ? [row.issueId] : [],
  );
  const again = await judgeAgain(deps, turned, scope.projectIds, settings, now, rags);
  const reddened = new Map<string, EntryProject & { readonly entry: PortfolioEntry }>();
  for (const [issueId, project] of again.projects) {
    if (project.entry) reddened.set(issueId, { ...project, entry: project.entry });
  }
  return { rags, reddened, staleIds: again.staleIds };
}

/** A row's entry as stored, when this code wrote it (projection.ts entryOf). */
export const entriesOf = (rows: readonly StoredEntryRow[]): PortfolioEntry[] =>
  rows.flatMap((row) => entryOf(row.entry) ?? []);

/**
 * One page of the rows the filter keeps, in the sort order, as SQL chose it. A row red for this person is shown as
 * judged again; a row with no entry of this version (still to be rewritten), and, with `today`, a row last judged on
 * an earlier day (the daily run has not reached it yet), is judged again from its facts: at most a page of them.
 */
export async function viewPage(
  deps: AppDeps,
  view: ReaderView,
  query: {
    readonly filter: RowFilter;
    readonly sort: RowSort;
    readonly page: { readonly offset: number; readonly limit: number };
  },
  { today }: { readonly today: boolean },
): Promise<{ readonly rows: RowPage<PortfolioRow>; readonly staleIds: readonly string[] }> {
  const offset = Math.max(0, Math.floor(query.page.offset));
  const limit = Math.max(1, Math.floor(query.page.limit));
  const stored = await deps.readModel.pageOf(view.scope, {
    filter: query.filter,
    sort: query.sort,
    offset,
    limit,
    redIds: [...view.reddened.keys()],
  });
  const usable = (row: StoredEntryRow) => {
    const entry = entryOf(row.entry);
    return entry && (!today || row.judgedOn === view.today) ? entry : null;
  };
  const behind = stored.rows.filter((row) => !view.reddened.has(row.issueId) && usable(row) === null);
  const again = await judgeAgain(
    deps,
    behind.map((row) => row.issueId),
    view.scope.projectIds,
    view.settings,
    view.now,
    view.rags,
  );
  const rows = stored.rows.map((row): PortfolioRow => {
    const reddened = view.reddened.get(row.issueId);
    if (reddened) return reddened.row;
    const entry = usable(row);
    if (entry) return entryRow(entry, row);
    return again.projects.get(row.issueId)?.row ?? unreadableRow(row.key);
  });
  const end = offset + rows.length;
  return {
    rows: { rows, total: stored.total, offset, limit, nextOffset: end < stored.total ? end : null },
    staleIds: again.staleIds,
  };
}
