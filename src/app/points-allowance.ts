/**
 * One person's share of the app's Jira quota. Jira Cloud meters every app by points an hour (a request costs 1, plus
 * 1 for each object it returns; Tier 1 is 65,000 points for the app across all its installations: docs/platform.md
 * §3). A full portfolio read costs about N + N/100 points, so without a limit a PMO lead paging through a large
 * registry spends the hour of every customer. Each person's portfolio reads therefore draw on an hourly allowance
 * (settings `quota.personHourlyPoints`): a read stops where the next page would overdraw it, and a person whose
 * allowance is spent is told when it comes back instead of being served.
 */
import { type Instant } from '../domain/time';
import { type AppDeps } from './deps';
import { TollgateError } from './errors';

/** What one registry search page costs at most: the request, and each of up to 100 issues it returns. */
export const PAGE_POINTS = 101;

/** The hour an instant falls in, as the allowance is kept: `2026-12-02T07`. */
export function hourOf(instant: Instant): string {
  return instant.slice(0, 13);
}

/** Whole minutes from `instant` until the next hour starts (at least 1). */
export function minutesToNextHour(instant: Instant): number {
  const at = new Date(instant);
  return Math.max(1, 60 - at.getUTCMinutes());
}

/** The person's allowance for this hour is spent: UNAVAILABLE, with when it comes back. */
export class AllowanceSpentError extends TollgateError {
  constructor(minutes: number) {
    super(
      'UNAVAILABLE',
      `Your portfolio views this hour have used the share of Jira's request quota Tollgate allows one person. ` +
        `It comes back in ${minutes} minutes.`,
      { key: 'portfolio.allowanceSpent', params: { minutes } },
    );
  }
}

/** The points a person may still spend this hour, and what a read spent of them. */
export interface Allowance {
  /** Points left this hour. */
  readonly left: number;
  /** Counts `points` a request just spent. */
  spend(points: number): void;
  /** Records what was spent (best effort: a storage failure costs the count, never the page). */
  settle(): Promise<void>;
  /** Refuses with AllowanceSpentError when not even one page is left. */
  requirePage(): void;
}

/**
 * Opens the person's allowance for this hour. A storage failure reading it counts as nothing spent: the allowance
 * protects the quota, it must not take the portfolio down with KVS.
 */
export async function openAllowance(deps: AppDeps, accountId: string, hourlyPoints: number): Promise<Allowance> {
  const now = deps.clock.now();
  const hour = hourOf(now);
  const already = await deps.storage.pointsSpent(accountId, hour).catch((error: unknown) => {
    console.warn('Tollgate could not read how much of the Jira quota this person spent this hour:', error);
    return 0;
  });
  let spent = 0;
  return {
    get left() {
      return hourlyPoints - already - spent;
    },
    spend(points) {
      spent += points;
    },
    requirePage() {
      if (hourlyPoints - already - spent < PAGE_POINTS) throw new AllowanceSpentError(minutesToNextHour(now));
    },
    async settle() {
      if (spent === 0) return;
      await deps.storage.spendPoints(accountId, hour, spent).catch((error: unknown) => {
        console.warn('Tollgate could not record the Jira quota this read spent:', error);
      });
    },
  };
}
