/**
 * The queue consumer: reads the (at most 100) projects one event names from Jira and recomputes their health (paced,
 * for a full read the app started itself), judges their stored rows again (the daily run), or removes the health of
 * issues outside the registry; or runs a step of a sweep, which queues such jobs a page at a time. A project that
 * fails is logged and left for the next run; a Jira outage fails the event so Forge retries it.
 */
import { forgeDeps } from '../adapters/forge-deps';
import { RECOMPUTE_ATTEMPTS, recomputeJobSchema, sweepStepSchema } from '../adapters/queue/recompute-queue';
import { type AppDeps } from '../app/deps';
import { claimFullRead, deferSeconds } from '../app/recompute-pacing';
import { recomputeHealthUseCase } from '../app/recompute-use-case';
import { rejudgeStoredHealthUseCase } from '../app/rejudge-use-case';
import { removeStrayHealthUseCase } from '../app/remove-stray-health-use-case';
import { sweepStepUseCase } from '../app/sweep-use-case';

/** Consumes one recompute event (`{ body }` as @forge/events delivers it). */
export async function consumeRecomputeEvent(event: unknown, deps: AppDeps): Promise<void> {
  const raw = (event as { body?: unknown } | null)?.body;
  const step = sweepStepSchema.safeParse(raw);
  if (step.success) {
    await sweepStepUseCase(deps, step.data);
    return;
  }
  const body = recomputeJobSchema.safeParse(raw);
  if (!body.success) {
    console.warn('Tollgate dropped a recompute event it could not read:', body.error.issues[0]?.message);
    return;
  }
  const { reason, issueIds } = body.data;
  if (reason === 'stray-health') {
    await removeStrayHealthUseCase(deps, issueIds);
    return;
  }
  if (reason === 'rejudge') {
    const judged = await rejudgeStoredHealthUseCase(deps, issueIds);
    if (judged.written > 0) console.warn(`Tollgate wrote the health of ${judged.written} projects whose RAG changed.`);
    return;
  }
  // A full read of the registry's projects (a reconciliation, the daily run's changed issues) waits for a minute
  // and an hour that can afford it; what a person's change asked for goes at once.
  const full = reason === 'reconcile' || reason === 'daily';
  if (full && !(await claimFullRead(deps, issueIds.length))) {
    await deps.queue.recompute(issueIds, reason, body.data.attempt, deferSeconds(issueIds));
    return;
  }
  const outcome = await recomputeHealthUseCase(deps, issueIds, undefined, { removeGone: full });
  for (const failure of outcome.failed) console.warn(`Tollgate could not recompute ${failure.key}: ${failure.problem}`);
  // A project the platform was too busy for (Forge storage's minute spent by a large daily run, Jira unavailable)
  // goes back in the queue to run a little later, a few times, instead of staying stale until tomorrow.
  const attempt = body.data.attempt ?? 1;
  const retry = outcome.failed.flatMap((f) => (f.retriable && f.id !== undefined ? [f.id] : []));
  if (retry.length > 0 && attempt < RECOMPUTE_ATTEMPTS) {
    await deps.queue.recompute(retry, reason, attempt + 1).catch((error: unknown) => {
      console.warn(`Tollgate could not queue ${retry.length} projects to recompute again:`, error);
    });
  }
}

/** Forge consumer handler for the recompute queue. */
export const recomputeConsumer = (event: unknown): Promise<void> => consumeRecomputeEvent(event, forgeDeps());
