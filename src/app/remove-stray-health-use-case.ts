/**
 * Health belongs on registry projects only. Earlier versions of Tollgate refreshed `tollgate-health` on any issue a
 * person edited, so ordinary tasks turned up in `tollgateHealth = amber`; a project that leaves the registry keeps
 * its last health too. The daily run finds such issues and queues them here, where each is checked again against
 * the registry (it may have joined it since) and its health property removed. Governance and RAID documents stay:
 * they are the project's record, and come back into view if it rejoins the registry. (Its read-model row goes with
 * the daily run's pruning, recompute-use-case.ts.)
 */
import { HEALTH_PROPERTY_KEY } from '../domain/documents/health-document';
import { type AppDeps } from './deps';
import { MAX_RECONCILE_ISSUES } from './ports';
import { outsideRegistryJql } from './registry-jql';

/** The issues that carry a health document: `tollgateHealth` is its indexed `rag`. */
export const STRAY_HEALTH_CLAUSE = 'tollgateHealth IS NOT EMPTY';

/**
 * Removes `tollgate-health` from those of `issueIds` that carry it and are outside the registry now: one search to
 * confirm, then one delete each, as the app (which wrote them).
 */
export async function removeStrayHealthUseCase(
  deps: AppDeps,
  issueIds: readonly string[],
): Promise<{ readonly removed: number }> {
  const ids = issueIds.filter((id) => /^\d+$/.test(id));
  if (ids.length === 0) return { removed: 0 };
  const settings = await deps.storage.loadSettings();
  let removed = 0;
  // Reconciled, so an issue that moved into the registry a second ago (the index may not show it yet) keeps its health.
  for (let start = 0; start < ids.length; start += MAX_RECONCILE_ISSUES) {
    const chunk = ids.slice(start, start + MAX_RECONCILE_ISSUES);
    const confirmed = await deps.jira.searchIds(
      { as: 'app' },
      {
        jql: outsideRegistryJql(settings.registryJql, `id in (${chunk.join(', ')}) AND ${STRAY_HEALTH_CLAUSE}`),
        reconcileIssues: chunk,
      },
    );
    for (const id of confirmed.ids) await deps.jira.deleteProperty({ as: 'app' }, id, HEALTH_PROPERTY_KEY);
    removed += confirmed.ids.length;
  }
  return { removed };
}
