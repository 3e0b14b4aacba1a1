/**
 * The Forge SQL stand-in behind the wire protocol @forge/sql 4.x speaks (node_modules/@forge/sql/out/sql.js): `POST
 * /api/v1/execute` (`sql.prepare(q).bindParams(...).execute()`, `executeRaw`) or `/api/v1/execute/ddl` (`executeDDL`,
 * `migrationRunner`), body `{query, params, method}`. A read answers `{rows: [...]}`; a write or DDL answers `{rows:
 * {affectedRows, insertId, fieldCount, info, serverStatus, warningStatus, changedRows}}`, the mysql2 ResultSetHeader
 * the SDK's `UpdateQueryResponse` type copies (out/utils/types.d.ts); an error answers `{code, message, suggestion?,
 * debug?}`, which the SDK throws as `ForgeSQLAPIError` with `debug` under `context` (out/utils/error-handling.js).
 * Rows are JSON as Forge sends them ("Dates will be returned as strings", storage-reference/sql-api/): mysql2's
 * values put through JSON, so DATETIME and TIMESTAMP come as ISO strings in UTC, DECIMAL as strings.
 *
 * One database per installation, in a private MariaDB server (mariadb-server.ts) started on the first request, so an
 * app that never calls Forge SQL never starts one. Every query first passes Forge's query policy (sql-policy.ts) and
 * limits (sql-limits.ts); the per-query time limits are MariaDB's own `max_statement_time`, set for each statement.
 *
 * Error codes, where Atlassian documents them (storage-reference/sql-handling-errors/): `SQL_POLICY_VIOLATION` with a
 * `suggestion`; `SQL_EXECUTION_ERROR` with `debug: {code, errno, sqlMessage, sqlState}`, message "Unknown SQL execution
 * error" for parse errors; `QUERY_TIMED_OUT`; `APP_NOT_ENABLED` (in the SDK's errorCodes) when manifest.yml declares
 * no `sql` module. Where the docs are silent we chose, and docs/platform.md §3 lists the choices: HTTP 400 for policy
 * and execution errors, 504 for a timeout, 429 `RATE_LIMIT_EXCEEDED` for a rate limit, 413 `REQUEST_TOO_LARGE`, 400
 * `RESPONSE_TOO_LARGE`, 403 `APP_NOT_ENABLED`; other execution errors carry the engine's message as `message`.
 */
import { createConnection, createPool, type Pool, type QueryError } from 'mysql2/promise';
import { z } from 'zod';
import { Latency, type LatencyModel } from '../../jira/latency';
import { MariaDbServer } from './mariadb-server';
import { type SqlLimitOptions, SqlRateMeter, sqlLimits } from './sql-limits';
import { checkQuery, type SqlEndpoint, type StatementKind } from './sql-policy';

/** What one request answers: an HTTP status and a JSON body (already serialised when a string). */
export interface SqlReply {
  readonly status: number;
  readonly body: unknown;
}

/** Whether the installation's server has been started, for `/sandbox` and tests. */
export interface SqlStatus {
  readonly state: 'not-started' | 'starting' | 'running' | 'stopped';
  /** The installation's database (schema) name. */
  readonly database: string;
  readonly port?: number;
}

export interface SqlServiceOptions {
  /**
   * The server's data folder, for a sandbox that keeps its data. Without one the installation's database lives on
   * the process's shared server (MariaDbServer.shared) and is dropped on close.
   */
  readonly dataDir?: string;
  /** The buffer pool of a server of its own (with `dataDir`), in MiB (mariadb-server.ts). */
  readonly bufferPoolMiB?: number;
  /** The installation's database name. */
  readonly database: string;
  /** Whether manifest.yml declares a `sql` module; without one Forge answers APP_NOT_ENABLED. */
  readonly enabled: boolean;
  readonly limits?: SqlLimitOptions;
  /** Per-query latency to add to each answer (off unless given). */
  readonly latency?: LatencyModel;
  readonly now: () => number;
}

/**
 * Forge SQL's latency as the app sees it. Atlassian publishes no figure, and we found no measurement of a single
 * query's round trip in what Forge developers have published (the community posts measure query plans, not the
 * proxy hop). We assume a proxied HTTPS call to a TiDB in the same region: server time log-normal with P90 40 ms and
 * P99 120 ms (median ≈ 10 ms), plus the answer's transfer at 50 Mbit/s as for Jira (sandbox/jira/latency.ts).
 */
export const SQL_LATENCY: LatencyModel = { p90Ms: 40, p99Ms: 120, megabitsPerSecond: 50, seed: 11 };

const ENDPOINTS: Readonly<Record<string, SqlEndpoint>> = {
  '/api/v1/execute': 'execute',
  '/api/v1/execute/ddl': 'ddl',
};

/** What the SDK sends (out/sql.js `storageApi`); bound values are JSON scalars once through JSON.stringify. */
const requestSchema = z.object({
  query: z.string(),
  params: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).default([]),
  method: z.string().optional(),
});

/** MariaDB's errno for a statement stopped by max_statement_time (ER_STATEMENT_TIMEOUT). */
const ER_STATEMENT_TIMEOUT = 1969;
const ER_PARSE_ERROR = 1064;

interface Engine {
  readonly server: MariaDbServer;
  readonly pool: Pool;
}

function isQueryError(error: unknown): error is QueryError & { sqlMessage?: string; sqlState?: string } {
  return error instanceof Error && typeof (error as { errno?: unknown }).errno === 'number';
}

function refusal(status: number, code: string, message: string, extra: Record<string, unknown> = {}): SqlReply {
  return { status, body: { code, message, ...extra } };
}

const quoteIdentifier = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

export class SqlService {
  private readonly limits: Required<SqlLimitOptions>;
  private readonly meter: SqlRateMeter;
  private readonly latency: Latency | null;
  private engine: Promise<Engine> | null = null;
  private port: number | undefined;
  private closed = false;

  constructor(private readonly options: SqlServiceOptions) {
    this.limits = sqlLimits(options.limits);
    this.meter = new SqlRateMeter(options.now, this.limits);
    this.latency = options.latency ? new Latency(options.latency) : null;
  }

  status(): SqlStatus {
    const base = { database: this.options.database, ...(this.port === undefined ? {} : { port: this.port }) };
    if (this.closed) return { ...base, state: this.engine ? 'stopped' : 'not-started' };
    if (!this.engine) return { ...base, state: 'not-started' };
    return { ...base, state: this.port === undefined ? 'starting' : 'running' };
  }

  /**
   * Answers one SDK request.
   * @throws {Error} when the engine cannot start (mariadb-server missing) or fails outside a query, as a broken
   *   platform would make the SDK's fetch fail.
   */
  async handle(path: string, body: string | undefined): Promise<SqlReply> {
    if (this.closed) throw new Error('Forge sandbox: Forge SQL is closed');
    const endpoint = ENDPOINTS[path];
    if (!endpoint) return refusal(404, 'NOT_FOUND', `Forge SQL has no endpoint ${path}`);
    if (!this.options.enabled) {
      return refusal(
        403,
        'APP_NOT_ENABLED',
        'Forge SQL is not enabled for this app: manifest.yml declares no `sql` module',
        { suggestion: 'Add `sql: [{ key: main, engine: mysql }]` under `modules` in manifest.yml.' },
      );
    }
    const text = body ?? '';
    if (Buffer.byteLength(text, 'utf8') > this.limits.maxRequestBytes) {
      return refusal(
        413,
        'REQUEST_TOO_LARGE',
        `The request is larger than the ${this.limits.maxRequestBytes} bytes Forge SQL accepts`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      return refusal(400, 'BAD_REQUEST', 'The request body is not JSON');
    }
    const parsed = requestSchema.safeParse(json);
    if (!parsed.success) {
      return refusal(400, 'BAD_REQUEST', `The request body is not {query, params, method}: ${parsed.error.message}`);
    }
    const { query, params } = parsed.data;
    const verdict = checkQuery(query, endpoint, this.options.database);
    if (!verdict.ok) {
      const { status, ...error } = verdict.refusal;
      return { status, body: error };
    }
    const refused = this.meter.admit(endpoint);
    if (refused) {
      return refusal(429, 'RATE_LIMIT_EXCEEDED', `This installation has exceeded Forge SQL's limit of ${refused}.`);
    }
    const { pool } = await this.start();
    if (verdict.createsTable) {
      const full = await this.tableLimitReached(pool);
      if (full) return full;
    }
    const answer = await this.run(pool, verdict.kind, query, params);
    if (answer.status === 200 && this.latency) {
      const ms = this.latency.draw(Buffer.byteLength(String(answer.body), 'utf8'));
      await new Promise((done) => setTimeout(done, ms));
    }
    return answer;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const engine = await this.engine?.catch(() => null);
    if (!engine) return;
    if (this.options.dataDir !== undefined) {
      await engine.pool.end().catch(() => undefined);
      await engine.server.close();
      return;
    }
    // On the shared server: drop this installation's database, leave the server to the others.
    await engine.pool.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(this.options.database)}`).catch(() => undefined);
    await engine.pool.end().catch(() => undefined);
  }

  /** Starts the server and the installation's database on first use; later calls share the same one. */
  private start(): Promise<Engine> {
    this.engine ??= (async () => {
      const { dataDir } = this.options;
      const server =
        dataDir === undefined
          ? await MariaDbServer.shared()
          : await MariaDbServer.start({
              dataDir,
              ...(this.options.bufferPoolMiB === undefined ? {} : { bufferPoolMiB: this.options.bufferPoolMiB }),
            });
      try {
        const admin = await createConnection({ host: server.host, port: server.port, user: 'root' });
        await admin.query(
          `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(this.options.database)} ` +
            'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
        );
        await admin.end();
        const pool = createPool({
          host: server.host,
          port: server.port,
          user: 'root',
          database: this.options.database,
          // The connection's collation decides how literals compare: TiDB's default, case-sensitive.
          charset: 'UTF8MB4_BIN',
          timezone: 'Z',
          multipleStatements: false,
          connectionLimit: 8,
        });
        this.port = server.port;
        return { server, pool };
      } catch (error) {
        if (dataDir !== undefined) await server.close();
        throw error;
      }
    })();
    return this.engine;
  }

  private async tableLimitReached(pool: Pool): Promise<SqlReply | null> {
    const [rows] = await pool.query(
      'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    );
    const count = Number((rows as { n: number }[])[0]?.n ?? 0);
    if (count < this.limits.maxTables) return null;
    return refusal(
      400,
      'SQL_EXECUTION_ERROR',
      `This installation already has ${count} tables; Forge SQL allows ${this.limits.maxTables}`,
      { suggestion: 'Drop tables the app no longer needs before creating another.' },
    );
  }

  private timeoutMs(kind: StatementKind): number {
    if (kind === 'ddl') return this.limits.ddlTimeoutMs;
    if (kind === 'dml') return this.limits.dmlTimeoutMs;
    return this.limits.selectTimeoutMs;
  }

  private async run(
    pool: Pool,
    kind: StatementKind,
    query: string,
    params: readonly (string | number | boolean | null)[],
  ): Promise<SqlReply> {
    const connection = await pool.getConnection();
    const limitMs = this.timeoutMs(kind);
    const started = process.hrtime.bigint();
    try {
      await connection.query('SET SESSION max_statement_time = ?', [limitMs / 1000]);
      const [result] = params.length > 0 ? await connection.execute(query, [...params]) : await connection.query(query);
      const text = JSON.stringify({ rows: Array.isArray(result) ? result : { ...result } });
      if (Buffer.byteLength(text, 'utf8') > this.limits.maxResponseBytes) {
        return refusal(
          400,
          'RESPONSE_TOO_LARGE',
          `The response is larger than the ${this.limits.maxResponseBytes} bytes Forge SQL returns`,
          { suggestion: 'Select fewer rows or columns, or page through the results with LIMIT.' },
        );
      }
      return { status: 200, body: text };
    } catch (error) {
      if (!isQueryError(error)) throw error;
      return this.executionError(error, kind, limitMs);
    } finally {
      this.meter.spent(Number(process.hrtime.bigint() - started) / 1e6);
      connection.release();
    }
  }

  private executionError(
    error: QueryError & { sqlMessage?: string; sqlState?: string },
    kind: StatementKind,
    limitMs: number,
  ): SqlReply {
    const debug = { code: error.code, errno: error.errno, sqlMessage: error.sqlMessage, sqlState: error.sqlState };
    if (error.errno === ER_STATEMENT_TIMEOUT) {
      const what = kind === 'read' ? 'a SELECT' : kind === 'dml' ? 'an INSERT, UPDATE or DELETE' : 'a DDL statement';
      return refusal(
        504,
        'QUERY_TIMED_OUT',
        `The query took longer than the ${limitMs / 1000} s Forge SQL allows ${what}`,
        {
          suggestion: 'Make the query cheaper (an index, fewer rows) or split the work.',
          debug,
        },
      );
    }
    if (error.errno === ER_PARSE_ERROR) {
      return refusal(400, 'SQL_EXECUTION_ERROR', 'Unknown SQL execution error', {
        suggestion: 'Fix the syntax error that debug.sqlMessage describes.',
        debug,
      });
    }
    return refusal(400, 'SQL_EXECUTION_ERROR', error.sqlMessage ?? error.message, { debug });
  }
}
