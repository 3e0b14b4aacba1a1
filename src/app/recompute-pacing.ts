/**
 * Pacing the app's full reads from Jira (docs/platform.md §3, docs/architecture.md §5a). A reconciliation of 50,000
 * projects run flat out would spend more than the Tier 1 hour (65,000 points, for the app across all its
 * installations), and its ledger reads (a Forge storage query a project) would spend this site's 4,000 storage read
 * units a minute, so people's pages would wait for storage. Each job that reads projects from Jira in full therefore
 * claims its worst-case cost from this installation's background budget for the hour and for the minute first; a job
 * either cannot afford waits in the queue and asks again.
 */
import { type AppDeps } from './deps';
import { hourOf } from './points-allowance';

/** The background reads' share of an hour: under half of Tier 1's 65,000, so people's views and ops keep the rest. */
export const BACKGROUND_POINTS_PER_HOUR = 30_000;
/**
 * And of a minute: five jobs of 100 projects, whose 500 ledger reads stay well under half of Forge storage's 4,000
 * read units a minute. The hour's budget then lasts about half an hour.
 */
export const BACKGROUND_POINTS_PER_MINUTE = 5 * fullReadCost(100);
/** The KVS counter the budget is kept under (not an Atlassian account id: those never contain "tollgate"). */
export const BACKGROUND_ACCOUNT = 'tollgate:background';
/** The shortest and longest wait of a job the budget could not afford (Forge's longest queue delay is 900 s). */
export const DEFER_SECONDS = { min: 60, max: 900 } as const;

/** The counter of the minute an instant falls in, kept under the hour's key: `tollgate:background:m07`. */
const minuteAccount = (instant: string): string => `${BACKGROUND_ACCOUNT}:m${instant.slice(14, 16)}`;

/**
 * Points reading `projects` in full costs at most: a search per 50 with one point per issue it returns, and a
 * health write per project (written only when it changed, so usually far fewer).
 */
export function fullReadCost(projects: number): number {
  return Math.ceil(projects / 50) + 2 * projects;
}

/**
 * How long a job the budget could not afford waits: spread between DEFER_SECONDS.min and .max by its first id, so
 * the jobs of one reconciliation come back a few at a time rather than all in the same minute.
 */
export function deferSeconds(issueIds: readonly string[]): number {
  const id = issueIds[0] ?? '';
  let spread = 0;
  for (const char of id) spread = (spread * 31 + char.charCodeAt(0)) % 1_000_003;
  return DEFER_SECONDS.min + (spread % (DEFER_SECONDS.max - DEFER_SECONDS.min + 1));
}

/** Points listing `ids` issue ids costs at most: the search, and a point per id it returns. */
export function listingCost(ids: number): number {
  return 1 + ids;
}

/** Whether this hour's and this minute's background budget can afford `cost` points now. */
export async function backgroundAffords(deps: AppDeps, cost: number): Promise<boolean> {
  const now = deps.clock.now();
  const hour = hourOf(now);
  const [inHour, inMinute] = await Promise.all([
    deps.storage.pointsSpent(BACKGROUND_ACCOUNT, hour),
    deps.storage.pointsSpent(minuteAccount(now), hour),
  ]);
  return inHour + cost <= BACKGROUND_POINTS_PER_HOUR && inMinute + cost <= BACKGROUND_POINTS_PER_MINUTE;
}

/** Counts `cost` points as spent in this hour's and this minute's background budget. */
export async function spendBackground(deps: AppDeps, cost: number): Promise<void> {
  const now = deps.clock.now();
  const hour = hourOf(now);
  await Promise.all([
    deps.storage.spendPoints(BACKGROUND_ACCOUNT, hour, cost),
    deps.storage.spendPoints(minuteAccount(now), hour, cost),
  ]);
}

/**
 * Claims `cost` points from this hour's and this minute's background budget; false when either cannot afford it.
 * Read, add, write, like a person's allowance: two jobs claiming at once may both pass, so a burst can overrun the
 * budget by one job's cost (≈ 200 points) — well inside what is left to everything else.
 * @throws {ForgeKvsAPIError} when KVS fails.
 */
export async function claimBackground(deps: AppDeps, cost: number): Promise<boolean> {
  if (!(await backgroundAffords(deps, cost))) return false;
  await spendBackground(deps, cost);
  return true;
}

/** Claims the cost of reading `projects` in full (`fullReadCost`), as `claimBackground`. */
export function claimFullRead(deps: AppDeps, projects: number): Promise<boolean> {
  return claimBackground(deps, fullReadCost(projects));
}
