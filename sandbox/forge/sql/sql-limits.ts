/**
 * Forge SQL's limits per installation and per query (developer.atlassian.com/platform/forge/limits-sql/; docs/platform.md
 * §3): 150 DML requests a second, 25 DDL requests a minute, 62.5 s of query time a minute, 200 tables; per query a
 * 1 MiB request, a 4 MiB response, 5 s for a SELECT, 10 s for INSERT/UPDATE/DELETE and 20 s for DDL.
 *
 * The page names no error for a rate limit; like KVS (kvs-quota.ts) a refusal is 429 `RATE_LIMIT_EXCEEDED`. Requests
 * are counted by endpoint, as Forge's proxy sees them: everything sent to /api/v1/execute is DML (SELECTs too: TiDB
 * counts SELECT among its DML statements), everything sent to /api/v1/execute/ddl is DDL, so `migrationRunner.run()`
 * costs two DDL requests (its CREATE TABLE IF NOT EXISTS and its SELECT of applied migrations) plus one per migration
 * it applies. Windows are fixed calendar seconds and minutes on the runtime's clock, as in kvs-quota.ts; query time is
 * measured on the process's monotonic clock, so a test that freezes `Date` still charges it.
 */

export interface SqlLimitOptions {
  readonly dmlRequestsPerSecond?: number;
  readonly ddlRequestsPerMinute?: number;
  /** Query time the installation may spend in each calendar minute, in ms. */
  readonly queryMsPerMinute?: number;
  readonly maxTables?: number;
  readonly maxRequestBytes?: number;
  readonly maxResponseBytes?: number;
  /** Per-statement time limits, in ms (MariaDB's max_statement_time enforces them). */
  readonly selectTimeoutMs?: number;
  readonly dmlTimeoutMs?: number;
  readonly ddlTimeoutMs?: number;
}

export const SQL_DML_REQUESTS_PER_SECOND = 150;
export const SQL_DDL_REQUESTS_PER_MINUTE = 25;
export const SQL_QUERY_MS_PER_MINUTE = 62_500;
export const SQL_MAX_TABLES = 200;
export const SQL_MAX_REQUEST_BYTES = 1024 * 1024;
export const SQL_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
export const SQL_SELECT_TIMEOUT_MS = 5_000;
export const SQL_DML_TIMEOUT_MS = 10_000;
export const SQL_DDL_TIMEOUT_MS = 20_000;

/** Atlassian's figures, or the caller's where given. */
export function sqlLimits(options: SqlLimitOptions = {}): Required<SqlLimitOptions> {
  return {
    dmlRequestsPerSecond: options.dmlRequestsPerSecond ?? SQL_DML_REQUESTS_PER_SECOND,
    ddlRequestsPerMinute: options.ddlRequestsPerMinute ?? SQL_DDL_REQUESTS_PER_MINUTE,
    queryMsPerMinute: options.queryMsPerMinute ?? SQL_QUERY_MS_PER_MINUTE,
    maxTables: options.maxTables ?? SQL_MAX_TABLES,
    maxRequestBytes: options.maxRequestBytes ?? SQL_MAX_REQUEST_BYTES,
    maxResponseBytes: options.maxResponseBytes ?? SQL_MAX_RESPONSE_BYTES,
    selectTimeoutMs: options.selectTimeoutMs ?? SQL_SELECT_TIMEOUT_MS,
    dmlTimeoutMs: options.dmlTimeoutMs ?? SQL_DML_TIMEOUT_MS,
    ddlTimeoutMs: options.ddlTimeoutMs ?? SQL_DDL_TIMEOUT_MS,
  };
}

/** The request-rate and query-time meters of one installation. */
export class SqlRateMeter {
  private second = -1;
  private minute = -1;
  private dml = 0;
  private ddl = 0;
  private queryMs = 0;

  constructor(
    private readonly now: () => number,
    private readonly limits: Required<SqlLimitOptions>,
  ) {}

  /** Whether a request to the endpoint may run now; a refusal names the limit. Admitted requests are counted. */
  admit(endpoint: 'execute' | 'ddl'): string | null {
    this.roll();
    if (this.queryMs >= this.limits.queryMsPerMinute) {
      return `${this.limits.queryMsPerMinute / 1000} s of query time a minute`;
    }
    if (endpoint === 'execute') {
      if (this.dml >= this.limits.dmlRequestsPerSecond)
        return `${this.limits.dmlRequestsPerSecond} DML requests a second`;
      this.dml += 1;
    } else {
      if (this.ddl >= this.limits.ddlRequestsPerMinute)
        return `${this.limits.ddlRequestsPerMinute} DDL requests a minute`;
      this.ddl += 1;
    }
    return null;
  }

  /** Charges the time a query spent in the database. */
  spent(ms: number): void {
    this.roll();
    this.queryMs += ms;
  }

  private roll(): void {
    const now = this.now();
    const second = Math.floor(now / 1_000);
    const minute = Math.floor(now / 60_000);
    if (second !== this.second) {
      this.second = second;
      this.dml = 0;
    }
    if (minute !== this.minute) {
      this.minute = minute;
      this.ddl = 0;
      this.queryMs = 0;
    }
  }
}
