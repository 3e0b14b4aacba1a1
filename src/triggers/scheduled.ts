/**
 * Scheduled and life-cycle work, all without a user (docs/architecture.md §5a).
 * - Daily: health depends on today's date, so every project is judged again from its read-model row (no Jira read),
 *   and the registry issues Jira changed in the last day are read in full (rejudge-use-case.ts).
 * - Weekly: a snapshot of every project's RAG for trends, and the reconciliation, which reads every row again from
 *   Jira, paced (reconciliation-use-case.ts).
 * - Installed or upgraded: the weekly snapshots an earlier version kept in KVS moved to Forge SQL, and the
 *   reconciliation with the registry listed, so the read model the portfolio reads is
 *   built at once rather than at the first weekly run (and rows written by an older version gain what a new one
 *   stores).
 */
import { startOfISOWeek, formatISO } from 'date-fns';
import { z } from 'zod';
import { forgeDeps } from '../adapters/forge-deps';
import { type AppDeps } from '../app/deps';
import { moveKeptSnapshotsUseCase, snapshotPortfolioUseCase } from '../app/recompute-use-case';
import { scheduleReconciliationUseCase } from '../app/reconciliation-use-case';
import { scheduleDailyRejudgeUseCase } from '../app/rejudge-use-case';

/** Daily: queues every row to be judged again, and the issues Jira changed to be read. */
export async function runDailyRecompute(deps: AppDeps): Promise<void> {
  const result = await scheduleDailyRejudgeUseCase(deps);
  console.warn(
    `Tollgate started judging its ${result.rows} projects again and queued ${result.changed} changed in Jira to be read ` +
      `(${result.searches} searches).`,
  );
}

/** Weekly: snapshots the portfolio's RAGs under this ISO week's Monday, then queues the reconciliation. */
export async function runWeekly(deps: AppDeps): Promise<void> {
  // Weeks an upgrade could not move in its own invocation's time are moved here (one KVS query when none is left).
  await moveKeptSnapshotsUseCase(deps);
  const week = formatISO(startOfISOWeek(new Date(deps.clock.now())), { representation: 'date' });
  await snapshotPortfolioUseCase(deps, week);
  const { rows } = await scheduleReconciliationUseCase(deps, { listRegistry: false });
  console.warn(`Tollgate started this week's check of its ${rows} projects against Jira.`);
}

/** The part of a life cycle event Tollgate reads (docs/platform.md §1 Triggers): which version was installed. */
const lifecycleEventSchema = z.object({ app: z.object({ version: z.string() }) });

/** Installed or upgraded: the reconciliation at once, with the registry listed, which builds the read model. */
export async function runLifecycleRecompute(event: unknown, deps: AppDeps): Promise<void> {
  const parsed = lifecycleEventSchema.safeParse(event);
  const version = parsed.success ? parsed.data.app.version : 'an unknown version';
  const { weeks } = await moveKeptSnapshotsUseCase(deps);
  if (weeks > 0) console.warn(`Tollgate ${version} moved ${weeks} weekly snapshots to its read model.`);
  const { rows } = await scheduleReconciliationUseCase(deps, { listRegistry: true });
  console.warn(`Tollgate ${version} started building its read model from the registry (${rows} rows kept).`);
}

/** Forge trigger handler: `avi:forge:installed:app` and `avi:forge:upgraded:app`. */
export const onLifecycleEvent = (event: unknown): Promise<void> => runLifecycleRecompute(event, forgeDeps());

/** Forge scheduled-trigger handler: daily. */
export const dailyRecompute = (): Promise<void> => runDailyRecompute(forgeDeps());

/** Forge scheduled-trigger handler: weekly. */
export const weekly = (): Promise<void> => runWeekly(forgeDeps());
