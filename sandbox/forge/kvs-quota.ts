/**
 * Forge's KVS operation limits per installation (developer.atlassian.com/platform/forge/limits-kvs-ce; docs/platform.md
 * §3): 1,000 requests a second, and 4,000 read and 4,000 write units a minute, a unit being 10 KB of request rounded
 * up (a 65 KB request is 7 units; anything up to 10 KB is 1). Past a limit the service answers 429
 * `RATE_LIMIT_EXCEEDED` ("KVS/Custom Entity Store API: Quotas and limits"), which @forge/kvs turns into a
 * ForgeKvsAPIError with that code.
 *
 * What a read "request" weighs is not spelt out; we count the bytes of the answer for reads (a `get` of a 200 KB value
 * is 20 units, as its transfer is what costs) and of the request body for writes. Windows are fixed calendar minutes
 * and seconds on the runtime's clock, as Jira's own quota windows are in rate-limits.ts.
 */

export interface KvsQuotaOptions {
  readonly readUnitsPerMinute?: number;
  readonly writeUnitsPerMinute?: number;
  readonly requestsPerSecond?: number;
}

export const KVS_UNIT_BYTES = 10 * 1024;
export const KVS_READ_UNITS_PER_MINUTE = 4_000;
export const KVS_WRITE_UNITS_PER_MINUTE = 4_000;
export const KVS_REQUESTS_PER_SECOND = 1_000;

const READS: ReadonlySet<string> = new Set(['/api/v1/get', '/api/v1/query', '/api/v1/secret/get', '/api/v1/batch/get']);

/** The units a request or answer of `bytes` costs. */
export function kvsUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / KVS_UNIT_BYTES));
}

/** What the meter shows on `/sandbox`. */
export interface KvsQuotaState {
  readonly readUnitsThisMinute: number;
  readonly writeUnitsThisMinute: number;
  readonly readUnitsPerMinute: number;
  readonly writeUnitsPerMinute: number;
  readonly refused: number;
}

export class KvsQuota {
  private minute = -1;
  private second = -1;
  private reads = 0;
  private writes = 0;
  private requests = 0;
  private refusedCount = 0;
  private readonly limits: Required<KvsQuotaOptions>;

  constructor(
    private readonly now: () => number,
    options: KvsQuotaOptions = {},
  ) {
    this.limits = {
      readUnitsPerMinute: options.readUnitsPerMinute ?? KVS_READ_UNITS_PER_MINUTE,
      writeUnitsPerMinute: options.writeUnitsPerMinute ?? KVS_WRITE_UNITS_PER_MINUTE,
      requestsPerSecond: options.requestsPerSecond ?? KVS_REQUESTS_PER_SECOND,
    };
  }

  /**
   * Whether a request to `path` may run now; a refusal's message names the limit. Writes are charged here, from the
   * request's size; reads are charged from their answer by `charged`.
   */
  admit(path: string, requestBytes: number): { readonly refused: string } | null {
    this.roll();
    const read = READS.has(path);
    let refused: string | null = null;
    if (this.requests >= this.limits.requestsPerSecond) refused = `${this.limits.requestsPerSecond} requests a second`;
    else if (read && this.reads >= this.limits.readUnitsPerMinute)
      refused = `${this.limits.readUnitsPerMinute} read units a minute`;
    else if (!read && this.writes + kvsUnits(requestBytes) > this.limits.writeUnitsPerMinute)
      refused = `${this.limits.writeUnitsPerMinute} write units a minute`;
    if (refused) {
      this.refusedCount += 1;
      return { refused };
    }
    this.requests += 1;
    if (!read) this.writes += kvsUnits(requestBytes);
    return null;
  }

  /** Starts a fresh minute and second, as if the meter's windows had passed (seeding a history at once). */
  reset(): void {
    this.reads = 0;
    this.writes = 0;
    this.requests = 0;
  }

  /** Charges a read for the bytes it answered with. */
  charged(path: string, answerBytes: number): void {
    if (READS.has(path)) this.reads += kvsUnits(answerBytes);
  }

  state(): KvsQuotaState {
    this.roll();
    return {
      readUnitsThisMinute: this.reads,
      writeUnitsThisMinute: this.writes,
      readUnitsPerMinute: this.limits.readUnitsPerMinute,
      writeUnitsPerMinute: this.limits.writeUnitsPerMinute,
      refused: this.refusedCount,
    };
  }

  private roll(): void {
    const now = this.now();
    const minute = Math.floor(now / 60_000);
    const second = Math.floor(now / 1_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.reads = 0;
      this.writes = 0;
    }
    if (second !== this.second) {
      this.second = second;
      this.requests = 0;
    }
  }
}
