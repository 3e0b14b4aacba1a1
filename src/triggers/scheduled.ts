/**
 * Scheduled work. Daily: health depends on today's date, so every registry project is recomputed (fanned out through
 * the queue in batches of 100). Weekly: a snapshot of every project's RAG for trends. Both run without a user. And
 * the same full pass once the app is installed or upgraded on a site, so the read model the portfolio reads is built
 * at once rather than at the first daily run (and rows written by an older version gain what a new one stores).
 */
import { startOfISOWeek, formatISO } from 'date-fns';
import { z } from 'zod';
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

/** The part of a life cycle event Tollgate reads (docs/platform.md §1 Triggers): which version was installed. */
const lifecycleEventSchema = z.object({ app: z.object({ version: z.string() }) });

/** Installed or upgraded: the daily pass at once, which builds (or refreshes) the read model. */
export async function runLifecycleRecompute(event: unknown, deps: AppDeps): Promise<void> {
  const parsed = lifecycleEventSchema.safeParse(event);
  const version = parsed.success ? parsed.data.app.version : 'an unknown version';
  const result = await scheduleRegistryRecomputeUseCase(deps);
  console.warn(`Tollgate ${version} queued ${result.projects} projects to build its read model.`);
}

/** Forge trigger handler: `avi:forge:installed:app` and `avi:forge:upgraded:app`. */
export const onLifecycleEvent = (event: unknown): Promise<void> => runLifecycleRecompute(event, forgeDeps());

/** Forge scheduled-trigger handler: daily recompute. */
export const dailyRecompute = (): Promise<void> => runDailyRecompute(forgeDeps());

/** Forge scheduled-trigger handler: weekly snapshot. */
export const weeklySnapshot = (): Promise<void> => runWeeklySnapshot(forgeDeps());
