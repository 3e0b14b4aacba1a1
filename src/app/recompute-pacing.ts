/**
 * Pacing the app's full reads from Jira (docs/platform.md §3): a reconciliation of 50,000 projects would spend more
 * than the Tier 1 hour (65,000 points, for the app across all its installations) if the queue ran it flat out. Each
 * job that reads projects from Jira in full claims its worst-case cost from this installation's hourly background
 * budget first; a job the hour cannot afford waits in the queue and tries again.
 */
import { type AppDeps } from './deps';
import { hourOf } from './points-allowance';

/** The background reads' share of an hour: under half of Tier 1's 65,000, so people's views and ops keep the rest. */
export const BACKGROUND_POINTS_PER_HOUR = 30_000;
/** The KVS counter the budget is kept under (not an Atlassian account id: those never contain "tollgate"). */
export const BACKGROUND_ACCOUNT = 'tollgate:background';
/** How long a job the hour cannot afford waits before it asks again (Forge's longest queue delay). */
export const DEFER_SECONDS = 900;

/**
 * Points reading `projects` in full costs at most: a search per 50 with one point per issue it returns, and a
 * health write per project (written only when it changed, so usually far fewer).
 */
export function fullReadCost(projects: number): number {
  return Math.ceil(projects / 50) + 2 * projects;
}

/**
 * Claims the cost of reading `projects` from this hour's background budget; false when the hour cannot afford it.
 * Read, add, write, like a person's allowance: two jobs claiming at once may both pass, so a burst can overrun the
 * budget by one job's cost (≈ 200 points) — well inside the half of the hour left to everything else.
 * @throws {ForgeKvsAPIError} when KVS fails.
 */
export async function claimFullRead(deps: AppDeps, projects: number): Promise<boolean> {
  const hour = hourOf(deps.clock.now());
  const cost = fullReadCost(projects);
  const spent = await deps.storage.pointsSpent(BACKGROUND_ACCOUNT, hour);
  if (spent + cost > BACKGROUND_POINTS_PER_HOUR) return false;
  await deps.storage.spendPoints(BACKGROUND_ACCOUNT, hour, cost);
  return true;
}
