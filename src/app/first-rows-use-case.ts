/**
 * The portfolio's first rows from Tollgate's read model in Forge SQL (projection.ts): what the page paints at once,
 * at any registry size, while `portfolio/load` counts the whole portfolio.
 *
 * Cost, whatever N is: two Jira requests — which of the read model's Jira projects the person may browse, then which
 * of the chosen rows' issues (a bulk permission check takes issue security levels into account, and leaves out an
 * issue deleted since its row was written) — and three to a dozen SQL queries. No search, so nothing per project.
 *
 * Rows are chosen and ordered by the health stored when each project was last refreshed (after every op, restore and
 * recompute), then judged again from their stored facts with today's date and with red from the projects they wait
 * on as far as this person may see them (read from the same model), so each row is the row the full load shows.
 * Provisional all the same (PortfolioFirstRows): a stored order a day old may put a project on this page that the
 * full load would not, and rows written before a project's latest write through Jira's REST API are not re-verified
 * here (the recompute is).
 */
import { type PortfolioFirstRows, type PortfolioFirstRowsPayload } from '../contract/portfolio';
import { assessHealth } from '../domain/health';
import { sortRows } from '../domain/portfolio';
import { allTemplates } from '../domain/settings';
import { templateTerms } from '../domain/template-words';
import { dayOf } from '../domain/time';
import { type AppDeps, templateLookup } from './deps';
import { healthConfigOf } from './facts';
import { openAllowance } from './points-allowance';
import { type ProjectionOrder, type StoredProjection } from './ports';
import { factsOf } from './projection';
import { browsable, judgeStoredRows, queueRewrite } from './stored-rows';
import { COUNTERPARTY_SEARCHES, counterpartiesFrom } from './viewer-counterparties';

/** What `loadFirstRows` is asked for. */
export interface FirstRowsRequest extends PortfolioFirstRowsPayload {
  readonly accountId: string;
  /** The reader's locale (Forge's context), for the templates' names. */
  readonly locale?: string;
}

const ORDER: Readonly<Record<PortfolioFirstRowsPayload['sort']['by'], ProjectionOrder>> = {
  rag: 'severity',
  riskMax: 'riskMax',
  mandatoryOpen: 'mandatoryOpen',
};

/**
 * The rows to show and the Jira projects the person may browse: the permission check of the model's projects, the
 * rows chosen in SQL among those, and the check of the chosen rows' issues (which also leaves out an issue deleted
 * since its row was written). Each check is charged to the allowance.
 */
async function chooseVisibleRows(
  deps: AppDeps,
  request: FirstRowsRequest,
  hourlyPoints: number,
): Promise<{ readonly rows: readonly StoredProjection[]; readonly projectIds: readonly string[] }> {
  const allowance = await openAllowance(deps, request.accountId, hourlyPoints);
  allowance.requirePage();
  const spend = (points: number) => allowance.spend(points);
  try {
    const projects = await browsable(deps, request.accountId, 'projectIds', await deps.readModel.jiraProjects(), spend);
    const projectIds = [...projects];
    const chosen = await deps.readModel.firstRows({
      projectIds,
      orderBy: ORDER[request.sort.by],
      direction: request.sort.direction,
      limit: request.limit,
    });
    const ids = chosen.map((row) => row.issueId);
    const visible = await browsable(deps, request.accountId, 'issueIds', ids, spend);
    return { rows: chosen.filter((row) => visible.has(row.issueId)), projectIds };
  } finally {
    await allowance.settle();
  }
}

/**
 * @throws {AllowanceSpentError} when the person's hourly allowance of Jira quota is spent; {UnavailableError |
 *   ForbiddenError} from the Jira port or the read model.
 */
export async function loadFirstRows(deps: AppDeps, request: FirstRowsRequest): Promise<PortfolioFirstRows> {
  const settings = await deps.storage.loadSettings();
  const { rows: stored, projectIds } = await chooseVisibleRows(deps, request, settings.quota.personHourlyPoints);
  const now = deps.clock.now();
  const today = dayOf(now);
  const config = healthConfigOf(settings);
  const lookup = templateLookup(settings);
  // Red from the projects these wait on, as far as this person may see them: their stored health, read from the model
  // within the Jira projects they may browse (rows under an issue security level are left out, which only Jira can
  // judge per reader), level by level as in the panel.
  const own = stored.flatMap((row) => {
    const facts = factsOf(row.facts, lookup);
    return facts ? [assessHealth(facts, config, today)] : [];
  });
  let reads = 0;
  const outside = await counterpartiesFrom(
    {
      read: async (keys, into) => {
        reads += 1;
        for (const [key, counterparty] of await deps.readModel.counterparties(projectIds, keys)) {
          into.set(key, counterparty);
        }
      },
      exhausted: () => reads >= COUNTERPARTY_SEARCHES,
    },
    own.flatMap((h) => h.summary.waitsOn),
    new Map(own.map((h) => [h.key, { rag: h.overall, waitsOn: h.summary.waitsOn }])),
  );
  const judged = judgeStoredRows(stored, settings, now, outside);
  await queueRewrite(deps, judged.damagedIds);
  return {
    provisional: true,
    today,
    computedAt: now,
    terms: templateTerms(allTemplates(settings.templates), request.locale ?? 'en-US'),
    // The table's own order (ties by key as people read keys), so the page does not reshuffle when the full load lands.
    rows: sortRows(
      judged.projects.map((p) => p.row),
      request.sort,
    ),
  };
}
