/**
 * The admin page's view of Tollgate's read model (docs/architecture.md §5a): how many projects it holds and since when
 * every one was checked against Jira, and a full check on demand — what a PMO lead asks for after suspecting a change
 * made behind Tollgate's back, instead of waiting for the weekly reconciliation.
 *
 * Authority: Jira administrators and members of the PMO group (the same as seeing the settings); the count covers
 * projects some of them may not browse, as the registry preview already does. A full check reads every registry
 * project from Jira as the app (about one point each), so it is refused while the last one is minutes old.
 */
import { type ReadModelRecheckResult, type ReadModelStatus } from '../contract/admin';
import { type AppDeps } from './deps';
import { TollgateError } from './errors';
import { scheduleReconciliationUseCase } from './reconciliation-use-case';
import { requireAdminOrPmo } from './settings-use-case';

/** How long after every project was checked a full check is refused: it would read the same Jira again. */
export const RECHECK_INTERVAL_MS = 10 * 60 * 1000;

function recheckFrom(oldestWrite: string | null, now: string): string | null {
  if (oldestWrite === null) return null;
  const from = Date.parse(oldestWrite) + RECHECK_INTERVAL_MS;
  return from > Date.parse(now) ? new Date(from).toISOString() : null;
}

/**
 * @throws {ForbiddenError} for anyone but a Jira administrator or a member of the PMO group; {UnavailableError}.
 */
export async function readModelStatusUseCase(
  deps: AppDeps,
  request: { readonly accountId: string },
): Promise<ReadModelStatus> {
  await requireAdminOrPmo(deps, request.accountId);
  const { rows, oldestWrite } = await deps.readModel.census();
  return { projects: rows, checkedSince: oldestWrite, recheckFrom: recheckFrom(oldestWrite, deps.clock.now()) };
}

/**
 * Queues every registry project and row to be checked against Jira again (the reconciliation, paced).
 * @throws {ForbiddenError} as readModelStatusUseCase; {TollgateError} REFUSED while every project was checked in the
 *   last RECHECK_INTERVAL_MS; {UnavailableError}.
 */
export async function recheckReadModelUseCase(
  deps: AppDeps,
  request: { readonly accountId: string },
): Promise<ReadModelRecheckResult> {
  await requireAdminOrPmo(deps, request.accountId);
  const { oldestWrite } = await deps.readModel.census();
  const from = recheckFrom(oldestWrite, deps.clock.now());
  if (from !== null) {
    throw new TollgateError(
      'REFUSED',
      `Every project was checked against Jira since ${oldestWrite ?? ''}; a full check can be asked for again from ${from}.`,
      { key: 'admin.readModel.recent', params: { from } },
    );
  }
  const { rows } = await scheduleReconciliationUseCase(deps, { listRegistry: true });
  return { queued: rows };
}
