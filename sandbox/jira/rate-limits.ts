/**
 * Jira Cloud's rate limits on app traffic, as Atlassian documents them (developer.atlassian.com/cloud/jira/platform/
 * rate-limiting, enforced for Forge apps since 2 March 2026; the "build an app that respects rate limits" guide names
 * the three limits by their `RateLimit-Reason`). Three independent limits, each with its own scope:
 *
 * - **points quota** (`jira-quota-global-based`): a request costs 1 point plus 1 per object it returns (an issue in a
 *   search page, a user, a group); a write costs 1. Tier 1 gives the app 65,000 points an hour across all its
 *   installations, and the sandbox is one installation, so it gets them all;
 * - **burst** (`jira-burst-based`): per endpoint and method, 100 requests a second for GET and POST, 50 for PUT (and,
 *   as the writes they are, DELETE);
 * - **per-issue writes** (`jira-per-issue-on-write`): 20 writes to one issue in 2 s, 100 in 30 s.
 *
 * A refusal is Jira's 429 with `Retry-After` (seconds), `X-RateLimit-Reset` (`yyyy-MM-ddTHH:mmZ`), `RateLimit-Reason`
 * and the JSON body captured from Jira Cloud; every answer to the app carries the quota's `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining` and, with less than a fifth left, `X-RateLimit-NearLimit: true`. A refused request costs
 * nothing and changes nothing. API-token traffic (a person's REST client) is not under the points quota, as on Jira.
 */
import { RATE_LIMITED_BODY } from './faults';
import type { Clock } from './time';

export interface RateLimitOptions {
  /** Points an hour for the app (Tier 1: 65,000). */
  readonly pointsPerHour?: number;
  /** Requests a second per endpoint and method. */
  readonly burstPerSecond?: Readonly<Partial<Record<string, number>>>;
  /** Writes to one issue allowed in each window. */
  readonly perIssueWrites?: ReadonlyArray<{ readonly max: number; readonly windowMs: number }>;
}

export const TIER_1_POINTS_PER_HOUR = 65_000;
const DEFAULT_BURST: Readonly<Record<string, number>> = { GET: 100, POST: 100, PUT: 50, DELETE: 50 };
const DEFAULT_PER_ISSUE = [
  { max: 20, windowMs: 2_000 },
  { max: 100, windowMs: 30_000 },
] as const;
const HOUR_MS = 3_600_000;
const WRITE_METHODS = new Set(['PUT', 'DELETE']);
/** POSTs that only read (searches, bulk fetches): they cost like a GET. */
const READING_POSTS = [
  /\/search\/jql$/,
  /\/search\/approximate-count$/,
  /\/issue\/bulkfetch$/,
  /\/search$/,
  /\/permissions\/check$/,
];

/** The state of the quota, for /sandbox and the benchmarks. */
export interface RateLimitState {
  readonly pointsPerHour: number;
  readonly pointsUsed: number;
  readonly windowEndsAt: string;
  readonly refused: Readonly<
    Record<'jira-quota-global-based' | 'jira-burst-based' | 'jira-per-issue-on-write', number>
  >;
}

export interface RateDecision {
  /** Set when the request is refused: Jira's 429. */
  readonly refusal?: { readonly status: 429; readonly headers: Record<string, string>; readonly body: string };
  /** Headers every answer to the app carries. */
  readonly headers: Record<string, string>;
}

/** `/rest/api/3/issue/PMO-1/properties/x` → `/rest/api/3/issue/{id}/properties/{key}`: the endpoint a burst counts. */
export function endpointOf(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return bare
    .replace(/\/properties\/[^/]+/, '/properties/{key}')
    .split('/')
    .map((segment, i, all) =>
      // `/rest/api/3`: the version stays; ids and keys elsewhere become the placeholder.
      all[i - 1] !== 'api' && (/^\d+$/.test(segment) || /^[A-Z][A-Z0-9_]*-\d+$/.test(segment)) ? '{id}' : segment,
    )
    .join('/');
}

/** The issue a write addresses (`/issue/{idOrKey}/…`), if any. */
function issueOf(method: string, path: string): string | undefined {
  if (!WRITE_METHODS.has(method) && method !== 'POST') return undefined;
  return /\/rest\/api\/[23]\/issue\/([^/?]+)/.exec(path)?.[1];
}

function isRead(method: string, path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  return method === 'GET' || (method === 'POST' && READING_POSTS.some((pattern) => pattern.test(bare)));
}

/** Objects a response returns: issues of a page, entries of a list, or the one issue or user it is. */
export function objectsReturned(body: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 0;
  }
  if (Array.isArray(parsed)) return parsed.length;
  if (typeof parsed !== 'object' || parsed === null) return 0;
  const record = parsed as Record<string, unknown>;
  for (const list of ['issues', 'values', 'users', 'groups', 'issueIds']) {
    if (Array.isArray(record[list])) return record[list].length;
  }
  // A bulk permission check returns ids of projects and issues; each counts as an object (our reading of the page).
  if (Array.isArray(record.projectPermissions)) {
    return record.projectPermissions.reduce<number>((sum, grant: unknown) => {
      const { projects, issues } = (grant ?? {}) as { projects?: unknown; issues?: unknown };
      return sum + (Array.isArray(projects) ? projects.length : 0) + (Array.isArray(issues) ? issues.length : 0);
    }, 0);
  }
  return typeof record.accountId === 'string' || typeof record.key === 'string' ? 1 : 0;
}

function resetStamp(at: number): string {
  // yyyy-MM-ddTHH:mmZ, as Jira writes it.
  return `${new Date(at).toISOString().slice(0, 16)}Z`;
}

/** The app's limits on one site. Time comes from the emulator's clock, so a test's fake clock moves the windows. */
export class RateLimiter {
  private readonly pointsPerHour: number;
  private readonly burst: Readonly<Record<string, number>>;
  private readonly perIssue: ReadonlyArray<{ readonly max: number; readonly windowMs: number }>;
  private windowStart = Number.NaN;
  private pointsUsed = 0;
  private readonly bursts = new Map<string, { second: number; count: number }>();
  private readonly writes = new Map<string, number[]>();
  private readonly refused = { 'jira-quota-global-based': 0, 'jira-burst-based': 0, 'jira-per-issue-on-write': 0 };

  constructor(
    private readonly clock: Clock,
    options: RateLimitOptions = {},
    /** Resolves an issue key or id to one name, so writes to PMO-1 and to its id count together. */
    private readonly issueIdOf: (idOrKey: string) => string = (idOrKey) => idOrKey,
  ) {
    this.pointsPerHour = options.pointsPerHour ?? TIER_1_POINTS_PER_HOUR;
    this.burst = { ...DEFAULT_BURST, ...options.burstPerSecond } as Record<string, number>;
    this.perIssue = options.perIssueWrites ?? DEFAULT_PER_ISSUE;
  }

  state(): RateLimitState {
    const now = this.now();
    this.roll(now);
    return {
      pointsPerHour: this.pointsPerHour,
      pointsUsed: this.pointsUsed,
      windowEndsAt: new Date(this.windowStart + HOUR_MS).toISOString(),
      refused: { ...this.refused },
    };
  }

  /**
   * Starts a fresh hour with nothing spent (a benchmark instrument: each interaction's bill is measured as if it were
   * the hour's first, so one expensive interaction does not make the next one fail).
   */
  reset(): void {
    this.windowStart = Number.NaN;
    this.pointsUsed = 0;
    this.bursts.clear();
    this.writes.clear();
  }

  /** Before serving: refuses the request when a limit is spent; otherwise counts it against burst and writes. */
  admit(method: string, path: string): RateDecision {
    const now = this.now();
    this.roll(now);
    const verb = method.toUpperCase();
    if (this.pointsUsed >= this.pointsPerHour) {
      return this.refuse('jira-quota-global-based', Math.ceil((this.windowStart + HOUR_MS - now) / 1000), now);
    }
    const endpoint = `${verb} ${endpointOf(path)}`;
    const second = Math.floor(now / 1000);
    const seen = this.bursts.get(endpoint);
    const count = seen && seen.second === second ? seen.count : 0;
    if (count >= (this.burst[verb] ?? DEFAULT_BURST.GET!)) return this.refuse('jira-burst-based', 1, now);
    const issue = isRead(verb, path) ? undefined : issueOf(verb, path);
    if (issue !== undefined) {
      const id = this.issueIdOf(issue);
      const recent = (this.writes.get(id) ?? []).filter((at) => at > now - 30_000);
      for (const { max, windowMs } of this.perIssue) {
        const inWindow = recent.filter((at) => at > now - windowMs);
        if (inWindow.length >= max) {
          const freeAt = inWindow[inWindow.length - max]! + windowMs;
          return this.refuse('jira-per-issue-on-write', Math.max(1, Math.ceil((freeAt - now) / 1000)), now);
        }
      }
      recent.push(now);
      this.writes.set(id, recent);
    }
    this.bursts.set(endpoint, { second, count: count + 1 });
    return { headers: this.quotaHeaders() };
  }

  /** After serving: charges the points the answer cost (a refused or failed request costs nothing). */
  charge(method: string, path: string, status: number, body: string): Record<string, string> {
    if (status < 400) {
      const verb = method.toUpperCase();
      this.pointsUsed += isRead(verb, path) ? 1 + objectsReturned(body) : 1;
    }
    return this.quotaHeaders();
  }

  private refuse(reason: keyof RateLimiter['refused'], retryAfterSeconds: number, now: number): RateDecision {
    this.refused[reason] += 1;
    const headers = {
      ...this.quotaHeaders(),
      'retry-after': String(retryAfterSeconds),
      'x-ratelimit-reset': resetStamp(now + retryAfterSeconds * 1000),
      'ratelimit-reason': reason,
      'content-type': 'application/json;charset=UTF-8',
    };
    return { headers, refusal: { status: 429, headers, body: JSON.stringify(RATE_LIMITED_BODY) } };
  }

  private quotaHeaders(): Record<string, string> {
    const remaining = Math.max(0, this.pointsPerHour - this.pointsUsed);
    return {
      'x-ratelimit-limit': String(this.pointsPerHour),
      'x-ratelimit-remaining': String(remaining),
      ...(remaining < this.pointsPerHour / 5 ? { 'x-ratelimit-nearlimit': 'true' } : {}),
    };
  }

  private roll(now: number): void {
    if (Number.isNaN(this.windowStart) || now >= this.windowStart + HOUR_MS) {
      this.windowStart = Number.isNaN(this.windowStart) ? now : now - ((now - this.windowStart) % HOUR_MS);
      this.pointsUsed = 0;
    }
  }

  private now(): number {
    return new Date(this.clock()).getTime();
  }
}
