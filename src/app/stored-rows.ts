/**
 * Reading Tollgate's read model as a person (docs/architecture.md §5): which stored rows they may see (readerScope,
 * which every statement of a view carries), and rows judged again from their facts with today's date where a stored
 * entry cannot be used as it is (judgeStoredRows, judgeAgain). The portfolio, its CSV, the macros and the first rows
 * all read this way.
 *
 * Jira is asked only who the person is: one bulk permission check of the model's Jira projects together with the rows
 * under an issue security level (a thousand of each a request; only Jira can tell who passes a level), and, for a
 * view narrowed by JQL (a macro's scope), one id-only search per 5,000 matching issues, since only Jira can evaluate
 * JQL. Never a search of the registry's documents, so a view costs the same Jira requests at 40 projects or 50,000.
 */
import { type PortfolioRow, type RowError } from '../contract/portfolio';
import { type CounterpartyRag, type ProjectFacts, topReasons } from '../domain/health';
import {
  type AssessedProject,
  assessPortfolio,
  type PortfolioEntry,
  portfolioEntry,
  type ProjectRow,
  ROW_REASONS,
  toProjectRow,
} from '../domain/portfolio';
import { type RagOrNone } from '../domain/rag';
import { type Settings } from '../domain/settings';
import { dayOf, type Instant } from '../domain/time';
import { type AppDeps, templateLookup } from './deps';
import { JiraRejectedError, UnavailableError } from './errors';
import { healthConfigOf } from './facts';
import { type Browsable, MAX_PERMISSION_CHECK, type ReaderScope, type StoredProjection } from './ports';
import { factsOf } from './projection';
import { hiddenProjects, narrowJql, withoutHiddenProjects } from './registry-jql';

/** One project as read and judged. */
export interface ReadProject {
  readonly row: PortfolioRow;
  /** Absent for a stored row that could not be read. */
  readonly assessed?: AssessedProject;
}

/** One project as a portfolio view aggregates it. */
export interface EntryProject {
  readonly row: PortfolioRow;
  /** Absent for a stored row that could not be read: it is shown, and counts in no figure. */
  readonly entry?: PortfolioEntry;
}

/** Points one Jira request of `objects` results costs (docs/platform.md §3: a request plus each object returned). */
type Spend = (points: number) => void;

/**
 * Which of the Jira projects and issues the person may browse, asked in bulk: one request checks up to
 * MAX_PERMISSION_CHECK of each, so a registry in up to a thousand Jira projects with up to a thousand rows under an
 * issue security level costs one request.
 */
export async function permitted(
  deps: AppDeps,
  accountId: string,
  ids: { readonly projectIds: readonly string[]; readonly issueIds: readonly string[] },
  spend: Spend,
): Promise<{ readonly projectIds: Set<string>; readonly issueIds: Set<string> }> {
  const granted = { projectIds: new Set<string>(), issueIds: new Set<string>() };
  const requests = Math.ceil(Math.max(ids.projectIds.length, ids.issueIds.length) / MAX_PERMISSION_CHECK);
  for (let request = 0; request < requests; request += 1) {
    const slice = (list: readonly string[]) =>
      list.slice(request * MAX_PERMISSION_CHECK, (request + 1) * MAX_PERMISSION_CHECK);
    const answer = await deps.jira.browsable(accountId, {
      projectIds: slice(ids.projectIds),
      issueIds: slice(ids.issueIds),
    });
    spend(1 + answer.projectIds.length + answer.issueIds.length);
    for (const id of answer.projectIds) granted.projectIds.add(id);
    for (const id of answer.issueIds) granted.issueIds.add(id);
  }
  return granted;
}

/** Which of `ids` (Jira projects, or issues) the person may browse (see `permitted`). */
export async function browsable(
  deps: AppDeps,
  accountId: string,
  kind: keyof Browsable,
  ids: readonly string[],
  spend: Spend,
): Promise<Set<string>> {
  const none: readonly string[] = [];
  const granted = await permitted(
    deps,
    accountId,
    { projectIds: kind === 'projectIds' ? ids : none, issueIds: kind === 'issueIds' ? ids : none },
    spend,
  );
  return granted[kind];
}

/** Attempts at a narrowed query Jira refused for naming projects the person cannot browse. */
const HIDDEN_PROJECT_RETRIES = 2;

/**
 * The ids of registry issues a JQL narrowing matches, as the person sees them. Jira refuses, rather than filters, a
 * query naming a project the person may not browse; such a query is sent again without those projects
 * (registry-jql.ts), which returns exactly what they may see.
 * @throws {JiraRejectedError} when Jira refuses the JQL for another reason.
 */
async function matchingIds(
  deps: AppDeps,
  accountId: string,
  jql: string,
  spend: Spend,
): Promise<{ readonly ids: string[]; readonly unseen: string[] }> {
  let query = jql;
  const unseen: string[] = [];
  for (let refused = 0; ; refused += 1) {
    try {
      const ids: string[] = [];
      let token: string | undefined;
      for (;;) {
        const page = await deps.jira.searchIds(
          { as: 'user', accountId },
          { jql: query, ...(token === undefined ? {} : { nextPageToken: token }) },
        );
        spend(1 + page.ids.length);
        ids.push(...page.ids);
        if (page.nextPageToken === null) return { ids, unseen };
        if (page.nextPageToken === token) {
          throw new UnavailableError(
            'Jira kept answering the search with the same page. Please try again in a minute.',
          );
        }
        token = page.nextPageToken;
      }
    } catch (error) {
      const hidden = error instanceof JiraRejectedError ? hiddenProjects(error.jiraMessages) : null;
      const narrower = hidden ? withoutHiddenProjects(query, hidden) : query;
      if (refused >= HIDDEN_PROJECT_RETRIES || narrower === query || !hidden) throw error;
      // A refusal is a request too.
      spend(1);
      unseen.push(...hidden);
      query = narrower;
    }
  }
}

/**
 * The rows of the read model the person may see (ports.ts ReaderScope), optionally narrowed by JQL, and what the
 * narrowing named that they may not: the Jira projects they may browse, and, among the rows under an issue security
 * level there, the ones Jira would not show them.
 * @throws {JiraRejectedError} when Jira refuses the narrowing JQL; {UnavailableError | ForbiddenError} from the
 *   Jira port or the read model.
 */
export async function readerScope(
  deps: AppDeps,
  request: { readonly accountId: string; readonly jql?: string; readonly registryJql: string },
  spend: Spend,
): Promise<{ readonly scope: ReaderScope; readonly unseen: readonly string[] }> {
  const { accountId, jql } = request;
  // A search as the person already leaves out what an issue security level hides from them.
  const [projects, secured] = await Promise.all([
    deps.readModel.jiraProjects(),
    jql === undefined ? deps.readModel.securedRows() : [],
  ]);
  const [granted, matching] = await Promise.all([
    permitted(deps, accountId, { projectIds: projects, issueIds: secured.map((row) => row.issueId) }, spend),
    jql === undefined ? undefined : matchingIds(deps, accountId, narrowJql(request.registryJql, jql), spend),
  ]);
  const projectIds = projects.filter((id) => granted.projectIds.has(id));
  if (matching !== undefined) {
    return { scope: { projectIds, hiddenIds: [], issueIds: matching.ids }, unseen: matching.unseen };
  }
  const hiddenIds = secured.flatMap((row) =>
    granted.projectIds.has(row.jiraProjectId) && !granted.issueIds.has(row.issueId) ? [row.issueId] : [],
  );
  return { scope: { projectIds, hiddenIds }, unseen: [] };
}

/** Why a record that is not genuine is left out of a row's figures. */
export function leftOutError(integrity: 'tampered' | 'unsigned'): RowError {
  return {
    source: 'governance',
    code: integrity,
    message:
      integrity === 'tampered'
        ? 'Its stage-gate record failed Tollgate’s integrity check, so it is left out of every figure.'
        : 'Its stage-gate record was not written by Tollgate, so it is left out of every figure until a PMO lead confirms it.',
    problems: [],
  };
}

/** The rows' own words when a stored row cannot be judged: it is still shown, and queued to be written again. */
const DAMAGED_ROW = 'Tollgate’s stored copy of this project could not be read; it is being rewritten.';

/** The row of a project whose stored copy could not be read: shown with why, judged as nothing. */
export function unreadableRow(key: string, problem = DAMAGED_ROW): PortfolioRow {
  return {
    key,
    summary: '',
    owner: null,
    department: null,
    stage: null,
    stageName: null,
    stageIndex: null,
    status: 'ungoverned',
    rag: 'none',
    ragSchedule: 'none',
    ragGate: 'none',
    ragRisk: 'none',
    ragRaid: 'none',
    ragBudget: 'none',
    ragTolerance: 'none',
    ragStaleness: 'none',
    lastDecision: 'none',
    riskMax: 0,
    riskBand: 'none',
    mandatoryOpen: 0,
    nextGateDate: null,
    dueDate: null,
    wsjf: null,
    roi: null,
    reasons: [],
    riskCells: [],
    issueId: null,
    ownerName: null,
    integrity: null,
    why: [],
    error: { source: 'issue', code: 'unreadable', message: problem, problems: [] },
  };
}

/** What a portfolio row adds to a project's table row, from its stored row's columns. */
function rowExtras(row: Omit<StoredProjection, 'facts'>): Omit<PortfolioRow, keyof ProjectRow | 'why'> {
  return {
    issueId: row.issueId,
    ownerName: row.ownerName,
    integrity: row.integrity,
    error: row.integrity === 'ok' ? null : (row.problem ?? leftOutError(row.integrity)),
  };
}

/** Stored rows judged again: the rows to show, the projects judged, and which stored rows need writing again. */
export interface JudgedRows {
  readonly projects: readonly ReadProject[];
  readonly assessed: readonly AssessedProject[];
  /** Rows whose stored health no longer says what today's rules say (the daily run has not reached them yet). */
  readonly staleIds: readonly string[];
  /** Rows whose stored facts do not parse: shown as unreadable. */
  readonly damagedIds: readonly string[];
}

/**
 * The rows judged from their stored facts with today's date, together so red flows along dependencies, with
 * `outside` answering for projects the rows wait on that are not among them. A record that is not genuine (the
 * ledger check said tampered or unsigned) was stored without its governance, so it reaches no figure. Should judging
 * them together fail (a stored row whose facts break a rule), each is judged apart and the ones that fail alone are
 * shown as unreadable: one damaged row never costs the others.
 */
export function judgeStoredRows(
  rows: readonly StoredProjection[],
  settings: Settings,
  now: Instant,
  outside?: CounterpartyRag,
): JudgedRows {
  const lookup = templateLookup(settings);
  const config = healthConfigOf(settings);
  const today = dayOf(now);
  type Judgeable = { readonly row: StoredProjection; readonly facts: ProjectFacts };
  const judgeable: Judgeable[] = [];
  const damaged: StoredProjection[] = [];
  for (const row of rows) {
    const facts = factsOf(row.facts, lookup);
    if (facts) judgeable.push({ row, facts });
    else damaged.push(row);
  }
  const judge = (list: readonly Judgeable[]) => {
    const assessed = assessPortfolio(
      list.map((j) => j.facts),
      config,
      today,
      outside,
    );
    return list.map(({ row }, index) => {
      const project = assessed[index] as AssessedProject;
      return {
        row,
        project,
        shown: toProjectRow(project, { ...rowExtras(row), why: topReasons(project.health, ROW_REASONS) }),
      };
    });
  };
  let judged: ReturnType<typeof judge>;
  try {
    judged = judge(judgeable);
  } catch (error) {
    console.error('Tollgate could not judge the stored rows together, so it judges each apart:', error);
    judged = judge(
      judgeable.filter((j) => {
        try {
          judge([j]);
          return true;
        } catch {
          damaged.push(j.row);
          return false;
        }
      }),
    );
  }
  return {
    projects: [
      ...judged.map(({ project, shown }) => ({ assessed: project, row: shown })),
      ...damaged.map((row) => ({ row: unreadableRow(row.key) })),
    ],
    assessed: judged.map((j) => j.project),
    staleIds: judged.filter((j) => j.project.standalone.overall !== j.row.rag).map((j) => j.row.issueId),
    damagedIds: damaged.map((row) => row.issueId),
  };
}

/** The portfolio row of a stored entry. */
export function entryRow(entry: PortfolioEntry, row: Omit<StoredProjection, 'facts'>): PortfolioRow {
  return { ...entry.row, ...rowExtras(row), why: entry.why };
}

/**
 * The rows of `issueIds` judged again from their stored facts with today's date, with `rags` answering for the
 * projects they wait on: what a view shows of rows whose entry it cannot use as stored. Rows gone since are left out.
 */
export async function judgeAgain(
  deps: AppDeps,
  issueIds: readonly string[],
  projectIds: readonly string[],
  settings: Settings,
  now: Instant,
  rags: ReadonlyMap<string, RagOrNone>,
): Promise<{ readonly projects: ReadonlyMap<string, EntryProject>; readonly staleIds: readonly string[] }> {
  if (issueIds.length === 0) return { projects: new Map(), staleIds: [] };
  const rows = await deps.readModel.rowsIn({ projectIds, issueIds });
  const judged = judgeStoredRows(rows, settings, now, (key) => rags.get(key));
  const idOf = new Map(rows.map((row) => [row.key, row.issueId]));
  const projects = new Map<string, EntryProject>();
  judged.projects.forEach((project) => {
    const issueId = idOf.get(project.row.key);
    if (issueId === undefined) return;
    projects.set(issueId, {
      row: project.row,
      ...(project.assessed ? { entry: portfolioEntry(project.assessed) } : {}),
    });
  });
  return { projects, staleIds: [...judged.staleIds, ...judged.damagedIds] };
}

/**
 * Queues rows to be written again by the recompute consumer. Best effort: the page is already right (it was judged
 * just now), so a queue failure is logged and the next view or the daily run tries again.
 */
export async function queueRewrite(deps: AppDeps, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  try {
    await deps.queue.recompute(ids, 'stale-health');
    return ids.length;
  } catch (error) {
    console.error(`Tollgate could not queue ${ids.length} projects for a rewrite:`, error);
    return 0;
  }
}
