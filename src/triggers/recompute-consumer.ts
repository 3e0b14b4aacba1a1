/**
 * The queue consumer: recomputes the health of the (at most 100) projects one event names, or removes the health
 * of issues outside the registry. A project that fails is logged and left for the next run; a Jira outage fails the
 * event so Forge retries it.
 */
import { forgeDeps } from '../adapters/forge-deps';
import { RECOMPUTE_ATTEMPTS, recomputeJobSchema } from '../adapters/queue/recompute-queue';
import { type AppDeps } from '../app/deps';
import { recomputeHealthUseCase } from '../app/recompute-use-case';
import { removeStrayHealthUseCase } from '../app/remove-stray-health-use-case';

/** Consumes one recompute event (`{ body }` as @forge/events delivers it). */
export async function consumeRecomputeEvent(event: unknown, deps: AppDeps): Promise<void> {
  const body = recomputeJobSchema.safeParse((event as { body?: unknown } | null)?.body);
  if (!body.success) {
    console.warn('Tollgate dropped a recompute event it could not read:', body.error.issues[0]?.message);
    return;
  }
  if (body.data.reason === 'stray-health') {
    await removeStrayHealthUseCase(deps, body.data.issueIds);
    return;
  }
  const outcome = await recomputeHealthUseCase(deps, body.data.issueIds);
  for (const failure of outcome.failed) console.warn(`Tollgate could not recompute ${failure.key}: ${failure.problem}`);
  // A project the platform was too busy for (Forge storage's minute spent by a large daily run, Jira unavailable)
  // goes back in the queue to run a little later, a few times, instead of staying stale until tomorrow.
  const attempt = body.data.attempt ?? 1;
  const retry = outcome.failed.flatMap((f) => (f.retriable && f.id !== undefined ? [f.id] : []));
  if (retry.length > 0 && attempt < RECOMPUTE_ATTEMPTS) {
    await deps.queue.recompute(retry, body.data.reason, attempt + 1).catch((error: unknown) => {
      console.warn(`Tollgate could not queue ${retry.length} projects to recompute again:`, error);
    });
  }
}

/** Forge consumer handler for the recompute queue. */
export const recomputeConsumer = (event: unknown): Promise<void> => consumeRecomputeEvent(event, forgeDeps());
