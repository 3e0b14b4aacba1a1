/**
 * Fault injection for the Jira emulator (types.ts `FaultPlan`): added latency, and failures on the next N matching
 * requests or at a rate drawn from a seeded PRNG, so a test or benchmark that passes once passes every time.
 *
 * The failures look like Jira's: a 429 carries `Retry-After` (seconds), `X-RateLimit-Reset` (`yyyy-MM-ddTHH:mmZ`),
 * `RateLimit-Reason: jira-burst-based` and the JSON body captured from Jira Cloud in 2026 (docs/platform.md §3
 * "Jira REST rate limiting"; test/vendor/jira-fixtures/errors-real-captures.json, raycast/extensions#29015). A 500 is
 * an ErrorCollection, as the spec's 500 examples are. A 502 or 503 comes from the edge in front of Jira, so its body
 * is an HTML page, not JSON (test/vendor/README.md notes HTML error pages and 503s with Retry-After): adapters
 * must not assume JSON on a failure.
 */
import { prng } from '../prng';
import type { Clock } from './time';
import type { FaultPlan } from './types';

/** A failure to send instead of serving the request. */
export interface InjectedFault {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly body: string;
}

/** The body Jira Cloud sends with a 429 (raycast/extensions#29015 capture). */
export const RATE_LIMITED_BODY = {
  errorMessages: ['The request has been rate-limited. Please try again later.'],
  errors: {},
  status: 429,
} as const;

const DEFAULT_RETRY_AFTER_SECONDS = 5;

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Decides, per request, the latency and whether to fail it; counts the failures it injects. */
export class FaultInjector {
  private plan: FaultPlan | null = null;
  private remaining = 0;
  private random: () => number = prng(1);
  private injected = 0;

  constructor(private readonly clock: Clock) {}

  /** Replaces the plan (null switches faults off); the PRNG restarts from the plan's seed. */
  set(plan: FaultPlan | null): void {
    if (plan?.rate !== undefined && (plan.rate < 0 || plan.rate > 1)) {
      throw new RangeError(`FaultPlan.rate must be between 0 and 1, not ${plan.rate}.`);
    }
    this.plan = plan;
    this.remaining = plan?.next ?? 0;
    this.random = prng(plan?.seed ?? 1);
  }

  /** Faults injected since the emulator started. */
  count(): number {
    return this.injected;
  }

  /** What to do with a request to `path`: wait `latencyMs`, then send `fault` if there is one. */
  decide(path: string): { latencyMs: number; fault: InjectedFault | null } {
    const plan = this.plan;
    if (!plan || !path.startsWith(plan.pathPrefix ?? '/rest/')) return { latencyMs: 0, fault: null };
    const latencyMs = plan.latencyMs ?? 0;
    let fail = false;
    if (this.remaining > 0) {
      this.remaining -= 1;
      fail = true;
    } else if (plan.rate !== undefined && plan.rate > 0) {
      fail = this.random() < plan.rate;
    }
    if (!fail) return { latencyMs, fault: null };
    this.injected += 1;
    return { latencyMs, fault: this.failure(plan) };
  }

  private failure(plan: FaultPlan): InjectedFault {
    const retryAfter = plan.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    switch (plan.kind ?? '429') {
      case '429': {
        const reset = new Date(this.clock().getTime() + retryAfter * 1000);
        return {
          status: 429,
          headers: {
            'Retry-After': String(retryAfter),
            'X-RateLimit-Reset':
              `${reset.getUTCFullYear()}-${pad(reset.getUTCMonth() + 1)}-${pad(reset.getUTCDate())}` +
              `T${pad(reset.getUTCHours())}:${pad(reset.getUTCMinutes())}Z`,
            'RateLimit-Reason': 'jira-burst-based',
            'X-RateLimit-Remaining': '0',
          },
          contentType: 'application/json;charset=UTF-8',
          body: JSON.stringify(RATE_LIMITED_BODY),
        };
      }
      case '500':
        return {
          status: 500,
          headers: {},
          contentType: 'application/json;charset=UTF-8',
          body: JSON.stringify({ errorMessages: ['Internal server error'], errors: {} }),
        };
      case '502':
        return {
          status: 502,
          headers: {},
          contentType: 'text/html;charset=utf-8',
          body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
        };
      case '503':
        return {
          status: 503,
          headers: { 'Retry-After': String(retryAfter) },
          contentType: 'text/html;charset=utf-8',
          body: '<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Unavailable</h1></body></html>',
        };
    }
  }
}
