/**
 * The reconciliation (docs/architecture.md §5a): every read-model row read again from Jira in full, which finds what
 * the daily run from the rows cannot — a REST forgery of a property, an event that never came — and removes the rows
 * of issues the registry no longer holds. Run weekly, on install and upgrade, after the settings change what the
 * registry selects or how it is judged, and on demand from the admin page.
 *
 * Listing the rows costs no Jira request (they are in Forge SQL). The registry is listed from Jira (about a point per
 * issue) only when its membership may differ from the rows': on install, upgrade and a settings change. The reads
 * themselves go through the queue and are paced there (recompute-pacing.ts), so a reconciliation of 50,000 projects
 * spends at most a set share of the app's hourly Jira quota, whenever it was started.
 */
import { type AppDeps } from './deps';
import { allIds } from './registry-ids';
import { outsideRegistryJql } from './registry-jql';
import { STRAY_HEALTH_CLAUSE } from './remove-stray-health-use-case';

export interface ReconciliationPlan {
  /** Projects queued to be read from Jira. */
  readonly projects: number;
  /** Issues outside the registry whose health is queued for removal. */
  readonly strays: number;
  readonly searches: number;
}

/**
 * Queues every row, and with `listRegistry` every registry issue, to be read from Jira in full; and the health on
 * issues outside the registry (written by an earlier version, or left by a project that left it) to be removed, so
 * JQL on tollgateHealth finds only projects.
 * @throws {UnavailableError | JiraRejectedError} from the Jira port or the read model.
 */
export async function scheduleReconciliationUseCase(
  deps: AppDeps,
  options: { readonly listRegistry: boolean },
): Promise<ReconciliationPlan> {
  const settings = await deps.storage.loadSettings();
  const rows = (await deps.readModel.rowIndex()).map((row) => row.issueId);
  const registry = options.listRegistry ? await allIds(deps, settings.registryJql) : { ids: [], searches: 0 };
  const projects = [...new Set([...rows, ...registry.ids])];
  await deps.queue.recompute(projects, 'reconcile');
  const strays = await allIds(deps, outsideRegistryJql(settings.registryJql, STRAY_HEALTH_CLAUSE));
  if (strays.ids.length > 0) await deps.queue.recompute(strays.ids, 'stray-health');
  return { projects: projects.length, strays: strays.ids.length, searches: registry.searches + strays.searches };
}
