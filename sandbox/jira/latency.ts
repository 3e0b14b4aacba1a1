/**
 * How long Jira Cloud takes to answer the app. Atlassian published server-side times for the enhanced search service
 * (P90 144 ms, P99 358 ms; Atlassian developer community, "Avoiding pitfalls … enhanced JQL"); we model server time
 * as the log-normal distribution with exactly those two percentiles (median ≈ 47 ms), the same for every endpoint,
 * and add the time to transfer the answer at 50 Mbit/s (a 1.3 MB search page with properties: ≈ 210 ms), which is
 * our own assumption for a Forge function's link to Jira. Draws come from a seeded PRNG, so a benchmark is
 * reproducible. Off unless asked for: on in the benchmarks, one switch in `npm start` (TOLLGATE_LATENCY=on).
 */
import { prng } from '../prng';

export interface LatencyModel {
  /** Server time's 90th and 99th percentiles, in ms. */
  readonly p90Ms?: number;
  readonly p99Ms?: number;
  /** Transfer rate for the answer's bytes. */
  readonly megabitsPerSecond?: number;
  readonly seed?: number;
}

export const SEARCH_P90_MS = 144;
export const SEARCH_P99_MS = 358;
const DEFAULT_MBPS = 50;
/** Standard normal quantiles at 0.90 and 0.99. */
const Z90 = 1.2815516;
const Z99 = 2.3263479;

/** Draws the time one answer of `bytes` takes. */
export class Latency {
  private readonly mu: number;
  private readonly sigma: number;
  private readonly bytesPerMs: number;
  private readonly random: () => number;

  constructor(model: LatencyModel = {}) {
    const p90 = Math.log(model.p90Ms ?? SEARCH_P90_MS);
    const p99 = Math.log(model.p99Ms ?? SEARCH_P99_MS);
    this.sigma = (p99 - p90) / (Z99 - Z90);
    this.mu = p90 - Z90 * this.sigma;
    this.bytesPerMs = ((model.megabitsPerSecond ?? DEFAULT_MBPS) * 1_000_000) / 8 / 1000;
    this.random = prng(model.seed ?? 7);
  }

  /** Server time (log-normal, by Box–Muller) plus transfer time, in ms. */
  draw(bytes: number): number {
    const u1 = Math.max(this.random(), Number.EPSILON);
    const u2 = this.random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(this.mu + this.sigma * z) + bytes / this.bytesPerMs;
  }
}
