/**
 * The sandbox's Forge SQL through the real @forge/sql SDK, inside invocations of the adapters' fixture app (whose
 * manifest declares `sql: [{key: main, engine: mysql}]`): migrations, prepared statements, TiDB's case-sensitive
 * collation, and every limit and policy refusal as the SDK throws it (ForgeSQLAPIError with Forge's code). Limits are
 * lowered through options where the real figure would need real seconds; rate windows are held still by freezing
 * `Date` (timers stay real, so MariaDB and mysql2 run as usual).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgeSQLAPIError, errorCodes, migrationRunner, sql } from '@forge/sql';
import { MigrationRunner } from '@forge/sql/out/migration';
import { createConnection } from 'mysql2/promise';
import { inForge, startAdaptersApp } from '../../../test/fixtures/adapters-app/harness';
import { REAL_TIMERS } from '../../../test/support/site-clock';
import { startBareRuntime } from '../invocation';
import { parseManifest } from '../manifest';
import { createFakeJira } from '../testing/fake-jira';
import type { ForgeRuntime } from '../types';
import { MariaDbServer, MISSING_MARIADB } from './mariadb-server';

jest.setTimeout(30_000);

/** What an SDK call threw, for assertions on ForgeSQLAPIError's fields. */
async function failure(work: Promise<unknown>): Promise<ForgeSQLAPIError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ForgeSQLAPIError)) throw new Error(`expected ForgeSQLAPIError, got ${String(error)}`);
  return error;
}

/** Freezes `Date` only (rate windows), leaving timers, hrtime and performance real. */
function freezeDate(at: number): void {
  jest.useFakeTimers({
    now: at,
    doNotFake: [...REAL_TIMERS],
  });
}

const FROZEN_AT = Date.parse('2026-11-21T09:00:00.000Z');

afterEach(() => jest.useRealTimers());

describe('Forge SQL in the sandbox, through @forge/sql', () => {
  let runtime: ForgeRuntime;

  beforeAll(async () => {
    runtime = await startAdaptersApp();
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('starts no server until the first SQL request, then one for the runtime', async () => {
    expect(runtime.sqlStatus()).toMatchObject({ state: 'not-started' });
    await inForge(runtime, () => sql.executeRaw('SELECT 1 AS one'));
    const first = runtime.sqlStatus();
    expect(first).toMatchObject({ state: 'running' });
    // On the process's shared server, each runtime's database has a name of its own.
    expect(first.database).toMatch(/^forge_5a1e0f3c_0000_4000_8000_000000000101_\d+$/);
    await inForge(runtime, () => sql.executeRaw('SELECT 2 AS two'));
    expect(runtime.sqlStatus().port).toBe(first.port);
  });

  it('applies enqueued migrations once and records them in __migrations', async () => {
    const runner = new MigrationRunner(sql)
      .enqueue(
        'v001_create_gates',
        'CREATE TABLE gates (id BIGINT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100) NOT NULL, decided_at DATETIME NULL)',
      )
      .enqueue('v002_index_gates', 'CREATE INDEX gates_name ON gates (name)');
    await expect(inForge(runtime, () => runner.run())).resolves.toEqual(['v001_create_gates', 'v002_index_gates']);
    await expect(inForge(runtime, () => runner.run())).resolves.toEqual([]);
    const listed = await inForge(runtime, () => runner.list());
    expect(listed.map((m) => m.name)).toEqual(['v001_create_gates', 'v002_index_gates']);
    expect(listed.every((m) => !Number.isNaN(m.migratedAt.getTime()))).toBe(true);
    // The SDK's own singleton reads the same record.
    migrationRunner.enqueue('v001_create_gates', 'CREATE TABLE gates (id INT)');
    await expect(inForge(runtime, () => migrationRunner.run())).resolves.toEqual([]);
  });

  it('round-trips prepared statements, compares case-sensitively (utf8mb4_bin) and answers dates as strings', async () => {
    await inForge(runtime, async () => {
      const inserted = await sql
        .prepare('INSERT INTO gates (name, decided_at) VALUES (?, ?)')
        .bindParams('Gate A', '2026-11-21 10:30:00')
        .execute();
      expect(inserted.rows).toMatchObject({ affectedRows: 1, insertId: 1, fieldCount: 0, warningStatus: 0 });
      await sql.prepare('INSERT INTO gates (name) VALUES (?)').bindParams('gate a').execute();
      const exact = await sql
        .prepare<{ id: number; name: string; decided_at: string | null }>('SELECT * FROM gates WHERE name = ?')
        .bindParams('Gate A')
        .execute();
      expect(exact.rows).toEqual([{ id: 1, name: 'Gate A', decided_at: '2026-11-21T10:30:00.000Z' }]);
      const lower = await sql.prepare('SELECT id FROM gates WHERE name = ?').bindParams('GATE A').execute();
      expect(lower.rows).toEqual([]);
      const literal = await sql.executeRaw<{ same: number }>("SELECT 'a' = 'A' AS same");
      expect(literal.rows).toEqual([{ same: 0 }]);
      const updated = await sql.prepare('UPDATE gates SET name = ? WHERE id > ?').bindParams('Gate B', 1).execute();
      expect(updated.rows).toMatchObject({ affectedRows: 1, changedRows: 1 });
    });
  });

  it("answers the engine's errors as SQL_EXECUTION_ERROR, parse errors in Forge's documented shape", async () => {
    await inForge(runtime, async () => {
      const duplicate = await failure(
        sql.prepare('INSERT INTO gates (id, name) VALUES (?, ?)').bindParams(1, 'x').execute(),
      );
      expect(duplicate).toMatchObject({ code: errorCodes.SQL_EXECUTION_ERROR, responseDetails: { status: 400 } });
      expect(duplicate.message).toMatch(/Duplicate entry '1'/);
      expect(duplicate.context).toMatchObject({ debug: { code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' } });
      const parse = await failure(sql.executeRaw('SELEC 1'));
      expect(parse).toMatchObject({ code: 'SQL_EXECUTION_ERROR', message: 'Unknown SQL execution error' });
      expect(parse.context).toMatchObject({ debug: { code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000' } });
      const empty = await failure(sql.executeRaw('  -- nothing\n'));
      expect(empty).toMatchObject({ code: 'SQL_EXECUTION_ERROR', message: 'Unknown SQL execution error' });
      expect(empty.context).toMatchObject({ debug: { code: 'ER_PARSE_ERROR', errno: 1064 } });
    });
  });

  it.each([
    ['two statements', 'SELECT 1; SELECT 2', /only one statement/],
    ['a FOREIGN KEY', 'CREATE TABLE c (id INT, g BIGINT, FOREIGN KEY (g) REFERENCES gates (id))', /Foreign keys/],
    ['an inline REFERENCES', 'CREATE TABLE c (id INT, g BIGINT REFERENCES gates (id))', /Foreign keys/],
    ['LOAD DATA', "LOAD DATA INFILE '/etc/passwd' INTO TABLE gates", /LOAD DATA/],
    ['INTO OUTFILE', "SELECT * FROM gates INTO OUTFILE '/tmp/gates'", /OUTFILE/],
    ['SLEEP()', 'SELECT SLEEP(1)', /SLEEP/],
    ['SLEEP() in an executable comment', 'SELECT /*!50000 SLEEP(1) */ 1', /SLEEP/],
    ['BENCHMARK()', "SELECT BENCHMARK(1000000, MD5('x'))", /BENCHMARK/],
    ['GET_LOCK()', "SELECT GET_LOCK('x', 1)", /GET_LOCK/],
    ['CREATE USER', "CREATE USER 'eve'@'%' IDENTIFIED BY 'x'", /CREATE USER/],
    ['ALTER USER', "ALTER USER 'root'@'localhost' IDENTIFIED BY 'x'", /ALTER USER/],
    ['GRANT', "GRANT ALL ON *.* TO 'eve'@'%'", /privilege/],
    ['SET GLOBAL', 'SET GLOBAL max_connections = 1', /user-variable/],
    ['SET a session variable', 'SET foreign_key_checks = 0', /user-variable/],
    ['BEGIN', 'BEGIN', /Transactions/],
    ['START TRANSACTION', 'START TRANSACTION', /Transactions/],
    ['COMMIT', 'COMMIT', /Transactions/],
    ['LOCK TABLES', 'LOCK TABLES gates WRITE', /LOCK TABLES/],
    ['USE', 'USE mysql', /USE/],
    ['SQL-level PREPARE', "PREPARE s FROM 'SELECT 1'", /PREPARE/],
    ['SHOW DATABASES', 'SHOW DATABASES', /SHOW DATABASES/],
    ['FLUSH', 'FLUSH PRIVILEGES', /FLUSH/],
    ['CALL', 'CALL p()', /CALL/],
    ['an unlisted optimizer hint', 'SELECT /*+ MAX_EXECUTION_TIME(1) */ 1', /MAX_EXECUTION_TIME/],
    ['another schema', 'SELECT * FROM performance_schema.threads', /another schema/],
    ['DDL through sql.prepare', 'CREATE TABLE d (id INT)', /executeDDL/],
  ])('refuses %s with SQL_POLICY_VIOLATION and a suggestion', async (_what, query, message) => {
    const error = await failure(inForge(runtime, () => sql.executeRaw(query)));
    expect(error).toMatchObject({ code: 'SQL_POLICY_VIOLATION', responseDetails: { status: 400 } });
    expect(error.message).toMatch(message);
    expect(error.suggestion).toEqual(expect.any(String));
  });

  it('refuses INSERT through sql.executeDDL, and accepts what the policy permits', async () => {
    await inForge(runtime, async () => {
      const error = await failure(sql.executeDDL("INSERT INTO gates (name) VALUES ('x')"));
      expect(error).toMatchObject({ code: 'SQL_POLICY_VIOLATION' });
      expect(error.message).toMatch(/Only DDL statements and reads/);
      await expect(sql.executeRaw("SELECT 'a;b' AS s;")).resolves.toEqual({ rows: [{ s: 'a;b' }] });
      await expect(sql.executeRaw('SET @x = 1')).resolves.toMatchObject({ rows: { affectedRows: 0 } });
      const tables = await sql.executeRaw('SHOW TABLES');
      expect(tables.rows).toHaveLength(2);
      const columns = await sql.executeRaw<{ n: number }>(
        "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gates'",
      );
      expect(columns.rows).toEqual([{ n: 3 }]);
      await expect(sql.executeRaw('SELECT /*+ HASH_JOIN(g) */ COUNT(*) AS n FROM gates g')).resolves.toEqual({
        rows: [{ n: 2 }],
      });
    });
  });

  it('refuses a request over 1 MiB and a response over 4 MiB', async () => {
    await inForge(runtime, async () => {
      const request = await failure(
        sql
          .prepare('SELECT ? AS v')
          .bindParams('x'.repeat(1024 * 1024))
          .execute(),
      );
      expect(request).toMatchObject({ code: 'REQUEST_TOO_LARGE', responseDetails: { status: 413 } });
      const response = await failure(sql.executeRaw("SELECT REPEAT('x', 4194304) AS v"));
      expect(response).toMatchObject({ code: 'RESPONSE_TOO_LARGE', responseDetails: { status: 400 } });
    });
  });

  it('refuses the 151st DML request in a second and the 26th DDL request in a minute with 429', async () => {
    freezeDate(FROZEN_AT);
    await inForge(runtime, async () => {
      for (let n = 0; n < 150; n += 1) await sql.executeRaw('SELECT 1 AS one');
      const dml = await failure(sql.executeRaw('SELECT 1 AS one'));
      expect(dml).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } });
      expect(dml.message).toMatch(/150 DML requests a second/);
      jest.setSystemTime(FROZEN_AT + 1_000);
      await expect(sql.executeRaw('SELECT 1 AS one')).resolves.toEqual({ rows: [{ one: 1 }] });

      jest.setSystemTime(FROZEN_AT + 60_000);
      for (let n = 0; n < 25; n += 1) await sql.executeDDL('CREATE TABLE IF NOT EXISTS spare (id INT)');
      const ddl = await failure(sql.executeDDL('CREATE TABLE IF NOT EXISTS spare (id INT)'));
      expect(ddl).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } });
      expect(ddl.message).toMatch(/25 DDL requests a minute/);
      jest.setSystemTime(FROZEN_AT + 120_000);
      await expect(sql.executeDDL('DROP TABLE spare')).resolves.toMatchObject({ rows: { affectedRows: 0 } });
    });
  });
});

describe('Forge SQL limits lowered for the test', () => {
  it('stops a SELECT and an INSERT past their time limit with QUERY_TIMED_OUT', async () => {
    const runtime = await startAdaptersApp(':memory:', { sqlLimits: { selectTimeoutMs: 20, dmlTimeoutMs: 20 } });
    try {
      await inForge(runtime, async () => {
        await sql.executeDDL('CREATE TABLE digits (d INT)');
        await sql.executeRaw('INSERT INTO digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)');
        // 10^8 rows to count: seconds of work on any machine, so the 20 ms limit always stops it.
        const heavy =
          'SELECT COUNT(*) FROM digits a, digits b, digits c, digits d, digits e, digits f, digits g, digits h';
        const select = await failure(sql.executeRaw(heavy));
        expect(select).toMatchObject({ code: errorCodes.QUERY_TIMED_OUT, responseDetails: { status: 504 } });
        expect(select.message).toMatch(/0.02 s Forge SQL allows a SELECT/);
        const insert = await failure(sql.executeRaw(`INSERT INTO digits ${heavy.replace('COUNT(*)', 'a.d')}`));
        expect(insert).toMatchObject({ code: 'QUERY_TIMED_OUT' });
        expect(insert.message).toMatch(/an INSERT, UPDATE or DELETE/);
      });
    } finally {
      await runtime.close();
    }
  });

  it("refuses queries once the minute's query time is spent, and CREATE TABLE past the table limit", async () => {
    freezeDate(FROZEN_AT);
    const runtime = await startAdaptersApp(':memory:', { sqlLimits: { queryMsPerMinute: 0.001, maxTables: 1 } });
    try {
      await inForge(runtime, async () => {
        await sql.executeDDL('CREATE TABLE one (id INT)');
        const spent = await failure(sql.executeRaw('SELECT 1'));
        expect(spent).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', responseDetails: { status: 429 } });
        expect(spent.message).toMatch(/of query time a minute/);
        jest.setSystemTime(FROZEN_AT + 60_000);
        const tables = await failure(sql.executeDDL('CREATE TABLE two (id INT)'));
        expect(tables).toMatchObject({ code: 'SQL_EXECUTION_ERROR' });
        expect(tables.message).toMatch(/already has 1 tables; Forge SQL allows 1/);
      });
    } finally {
      await runtime.close();
    }
  });
});

describe('Forge SQL and the runtime', () => {
  it('stops its own server when a runtime with a data folder closes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'forge-sql-own-'));
    try {
      const runtime = await startAdaptersApp(':memory:', { sqlDataDir: dataDir });
      await inForge(runtime, () => sql.executeRaw('SELECT 1'));
      const { port } = runtime.sqlStatus();
      await runtime.close();
      expect(runtime.sqlStatus()).toMatchObject({ state: 'stopped' });
      await expect(
        createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2_000 }),
      ).rejects.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('drops only its own database from the shared server when a runtime without one closes', async () => {
    const [one, two] = [await startAdaptersApp(), await startAdaptersApp()];
    await inForge(one, () => sql.executeRaw('SELECT 1'));
    await inForge(two, () => sql.executeRaw('SELECT 1'));
    const { port, database } = one.sqlStatus();
    expect(two.sqlStatus()).toMatchObject({ port, state: 'running' });
    await one.close();
    const admin = await createConnection({ host: '127.0.0.1', port, user: 'root' });
    const [rows] = await admin.query('SHOW DATABASES');
    await admin.end();
    const names = (rows as Array<{ Database: string }>).map((row) => row.Database);
    expect(names).not.toContain(database);
    expect(names).toContain(two.sqlStatus().database);
    await expect(inForge(two, () => sql.executeRaw('SELECT 2 AS two'))).resolves.toMatchObject({ rows: [{ two: 2 }] });
    await two.close();
  });

  it('answers APP_NOT_ENABLED, without starting a server, when manifest.yml declares no sql module', async () => {
    const bare = await startBareRuntime({ jira: createFakeJira() });
    try {
      const error = await failure(inForge(bare.runtime, () => sql.executeRaw('SELECT 1')));
      expect(error).toMatchObject({ code: errorCodes.APP_NOT_ENABLED, responseDetails: { status: 403 } });
      expect(bare.runtime.sqlStatus()).toMatchObject({ state: 'not-started' });
    } finally {
      await bare.close();
    }
  });

  it('says what to install when mariadb-server is missing', async () => {
    await expect(
      MariaDbServer.start({ dataDir: '/nonexistent', binaries: { server: '/nonexistent/mariadbd', install: '/x' } }),
    ).rejects.toThrow(MISSING_MARIADB);
    expect(MISSING_MARIADB).toMatch(/apt-get install -y mariadb-server/);
  });

  it('reads `sql` modules from manifest.yml and refuses an engine Forge does not offer', () => {
    const manifest = (engine: string): string =>
      `app:\n  id: ari:cloud:ecosystem::app/3c0b5f2e-8a41-4d6b-9e27-6f1d0a4b7c93\nmodules:\n  sql:\n    - key: main\n      engine: ${engine}\n`;
    expect(parseManifest(manifest('mysql')).sqlModules).toEqual([{ key: 'main', engine: 'mysql' }]);
    expect(() => parseManifest(manifest('postgres'))).toThrow(/engine must be "mysql"/);
  });
});
