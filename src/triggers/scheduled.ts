/**
 * Scheduled work. Daily: health depends on today's date, so every registry project is recomputed (fanned out through
 * the queue in batches of 100). Weekly: a snapshot of every project's RAG for trends. Both run without a user.
 */
import { startOfISOWeek, formatISO } from 'date-fns';
import { forgeDeps } from '../adapters/forge-deps';
import { type AppDeps } from '../app/deps';
import { scheduleRegistryRecomputeUseCase, snapshotPortfolioUseCase } from '../app/recompute-use-case';

/** Daily: queues a recompute of the whole registry. */
export async function runDailyRecompute(deps: AppDeps): Promise<void> {
  const result = await scheduleRegistryRecomputeUseCase(deps);
  console.warn(
    `Tollgate daily recompute queued ${result.projects} projects and ${result.strays} issues outside the registry ` +
      `whose health is to be removed (${result.searches} searches).`,
  );
}

/** Weekly: snapshots the portfolio's RAGs under this ISO week's Monday. */
export async function runWeeklySnapshot(deps: AppDeps): Promise<void> {
  const week = formatISO(startOfISOWeek(new Date(deps.clock.now())), { representation: 'date' });
  await snapshotPortfolioUseCase(deps, week);
}

/** Forge scheduled-trigger handler: daily recompute. */
export const dailyRecompute = (): Promise<void> => runDailyRecompute(forgeDeps());

/** Forge scheduled-trigger handler: weekly snapshot. */
export const weeklySnapshot = (): Promise<void> => runWeeklySnapshot(forgeDeps());
