/**
 * The reconciliation (docs/architecture.md §5a): every read-model row read again from Jira in full, which finds what
 * the daily run from the rows cannot — a REST forgery of a property, an event that never came — and removes the rows
 * of issues the registry no longer holds. Run weekly, on install and upgrade, after the settings change what the
 * registry selects or how it is judged, and on demand from the admin page.
 *
 * The rows are listed from Forge SQL (no Jira request); the registry is listed from Jira (about a point per issue)
 * only when its membership may differ from the rows': on install, upgrade and a settings change. Both go a page at a
 * time through the queue (sweep-use-case.ts), and the reads are paced there (recompute-pacing.ts), so a
 * reconciliation of 50,000 projects spends at most a set share of the app's hourly Jira quota, whenever it was
 * started, and the invocation that starts it does almost nothing.
 */
import { type AppDeps } from './deps';

/**
 * Starts the reconciliation: every row, and with `listRegistry` every registry issue, to be read from Jira in full;
 * then the health on issues outside the registry (written by an earlier version, or left by a project that left it)
 * to be removed, so JQL on tollgateHealth finds only projects.
 * @returns how many rows the read model holds now: the registry's count is known only once it has been listed.
 * @throws {UnavailableError} from the read model; the queue's errors.
 */
export async function scheduleReconciliationUseCase(
  deps: AppDeps,
  options: { readonly listRegistry: boolean },
): Promise<{ readonly rows: number }> {
  const { rows } = await deps.readModel.census();
  await deps.queue.sweep({ listing: 'rows', reason: 'reconcile', listRegistry: options.listRegistry });
  return { rows };
}
