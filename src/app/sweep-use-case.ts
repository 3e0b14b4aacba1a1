/**
 * A sweep: a list too long for one invocation — every row for the daily run, every row and the registry for a
 * reconciliation — queued a page at a time, each page a queue event that pushes the next (docs/architecture.md §5a).
 *
 * Forge takes 500 events a minute from an installation and a push of at most 50. A daily run or a reconciliation
 * over 50,000 projects is 500 jobs of 100; pushed from the trigger they would spend that minute alone (and any more
 * would be refused, with the trigger's 25 s long gone). So the trigger pushes the first step, and each step pushes at
 * most a page of jobs (one push) and the next step, 10 s later after a full page of rows: at most 6 such pages and
 * about 300 events a minute, leaving the rest to retries and to people's changes.
 *
 * Listing from Jira costs points (about one per id), so a registry or stray page runs only when the background budget
 * (recompute-pacing.ts) can afford a full page, and waits in the queue when it cannot, as a job reading projects does.
 */
import { type AppDeps } from './deps';
import { type RecomputeReason, type SweepStep } from './ports';
import { backgroundAffords, deferSeconds, listingCost, spendBackground } from './recompute-pacing';
import { RECOMPUTE_BATCH } from './recompute-use-case';
import { outsideRegistryJql } from './registry-jql';
import { STRAY_HEALTH_CLAUSE } from './remove-stray-health-use-case';

/** Rows a page queues: 50 jobs of 100, one push. */
export const ROWS_PER_PAGE = 50 * RECOMPUTE_BATCH;
/** Ids a page lists from Jira: about 200 points, a job's worth of the background minute, so pages and jobs share it. */
export const LISTED_PER_PAGE = 200;
/** The pause after a full page of rows before the next one runs. */
export const SWEEP_PAUSE_SECONDS = 10;

/** What one step did, for the logs and tests. */
export interface SweepOutcome {
  readonly queued: number;
  /** The step that runs next, or null when the sweep is done. */
  readonly next: SweepStep | null;
  /** The step could not afford its listing this minute and waits in the queue. */
  readonly deferred: boolean;
}

/** The step after the rows, or after the registry: the strays for a reconciliation, nothing for the daily run. */
function after(step: SweepStep, listing: SweepStep['listing']): SweepStep | null {
  if (step.reason === 'rejudge') return null;
  if (listing === 'rows' && step.listRegistry) return { ...withoutCursor(step), listing: 'registry' };
  if (listing !== 'strays') return { ...withoutCursor(step), listing: 'strays' };
  return null;
}

function withoutCursor({ listing, reason, listRegistry }: SweepStep): SweepStep {
  return { listing, reason, listRegistry };
}

/** A page of ids listed from Jira as the app, or null when the background budget cannot afford one now. */
async function listedPage(
  deps: AppDeps,
  jql: string,
  cursor: string | undefined,
): Promise<{ readonly ids: readonly string[]; readonly nextPageToken: string | null } | null> {
  // A full page's cost must be affordable; what the page really returned is what is spent (a small registry's
  // page, or the usual empty page of strays, costs a point or a few dozen, not 201).
  if (!(await backgroundAffords(deps, listingCost(LISTED_PER_PAGE)))) return null;
  const page = await deps.jira.searchIds(
    { as: 'app' },
    { jql, maxResults: LISTED_PER_PAGE, ...(cursor === undefined ? {} : { nextPageToken: cursor }) },
  );
  await spendBackground(deps, listingCost(page.ids.length));
  return page;
}

/** The ids a step queues and where its list goes on, or null when the budget cannot afford a listing now. */
async function pageOf(
  deps: AppDeps,
  step: SweepStep,
): Promise<{
  readonly ids: readonly string[];
  readonly reason: RecomputeReason;
  readonly cursor: string | null;
} | null> {
  if (step.listing === 'rows') {
    const ids = await deps.readModel.rowIdsAfter(step.cursor ?? '', ROWS_PER_PAGE);
    return { ids, reason: step.reason, cursor: ids.length === ROWS_PER_PAGE ? ids.at(-1)! : null };
  }
  const settings = await deps.storage.loadSettings();
  if (step.listing === 'strays') {
    const page = await listedPage(deps, outsideRegistryJql(settings.registryJql, STRAY_HEALTH_CLAUSE), step.cursor);
    return page && { ids: page.ids, reason: 'stray-health', cursor: page.nextPageToken };
  }
  const page = await listedPage(deps, settings.registryJql, step.cursor);
  if (page === null) return null;
  // Projects with a row were queued with the rows.
  const known = await deps.readModel.rowsAmong(page.ids);
  return { ids: page.ids.filter((id) => !known.has(id)), reason: 'reconcile', cursor: page.nextPageToken };
}

/**
 * Runs one step: queues its page and pushes the step after it.
 * @throws {UnavailableError | JiraRejectedError} from Jira or the read model; the queue's errors. The event is then
 *   retried by Forge, which repeats only this page.
 */
export async function sweepStepUseCase(deps: AppDeps, step: SweepStep): Promise<SweepOutcome> {
  const page = await pageOf(deps, step);
  if (page === null) {
    await deps.queue.sweep(step, deferSeconds([step.cursor ?? step.listing]));
    return { queued: 0, next: step, deferred: true };
  }
  await deps.queue.recompute(page.ids, page.reason);
  const next = page.cursor === null ? after(step, step.listing) : { ...step, cursor: page.cursor };
  // A full page of rows is 50 events: the pause keeps a sweep to 6 of them a minute. A listing page is 3 events, and
  // the budget paces it.
  const pause = page.cursor !== null && step.listing === 'rows' ? SWEEP_PAUSE_SECONDS : undefined;
  if (next !== null) await deps.queue.sweep(next, pause);
  return { queued: page.ids.length, next, deferred: false };
}
