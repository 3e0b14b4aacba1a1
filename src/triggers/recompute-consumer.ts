/**
 * The queue consumer: recomputes the health of the (at most 100) projects one event names, or removes the health
 * of issues outside the registry. A project that fails is logged and left for the next run; a Jira outage fails the
 * event so Forge retries it.
 */
import { forgeDeps } from '../adapters/forge-deps';
import { recomputeJobSchema } from '../adapters/queue/recompute-queue';
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
}

/** Forge consumer handler for the recompute queue. */
export const recomputeConsumer = (event: unknown): Promise<void> => consumeRecomputeEvent(event, forgeDeps());
