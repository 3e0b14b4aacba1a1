/**
 * A private MariaDB server for the sandbox's Forge SQL stand-in: Debian's mariadb-server (10.11), a MySQL-family engine
 * close enough to Forge's TiDB to run the same DML and DDL (docs/platform.md §3 "Forge SQL"). It listens on 127.0.0.1
 * on a free port with its data in a folder the caller owns; a folder that already holds a database is reused, so a
 * sandbox that restarts keeps its tables, as KVS keeps its SQLite file.
 *
 * Configured like TiDB where the two differ: utf8mb4 with the case-sensitive utf8mb4_bin collation (TiDB's default),
 * strict SQL mode with ONLY_FULL_GROUP_BY (TiDB's default sql_mode), explicit_defaults_for_timestamp. InnoDB is made
 * small (16 MiB buffer pool, 4 MiB redo log) so a test's server starts in about a second; a server that must hold a
 * large registry in memory, as Forge's TiDB keeps a hot table in its block cache (the benchmark's), asks for a bigger
 * buffer pool.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

const run = promisify(execFile);

export const MISSING_MARIADB =
  "Forge SQL in the sandbox needs Debian's mariadb-server (apt-get install -y mariadb-server)";

const SERVER_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/local/sbin/mariadbd'];
const INSTALL_CANDIDATES = ['/usr/bin/mariadb-install-db', '/usr/local/bin/mariadb-install-db'];
const READY_POLL_MS = 50;
const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_BUFFER_POOL_MIB = 16;
const STOP_TIMEOUT_MS = 10_000;
/** A Unix socket path must fit in sockaddr_un (108 bytes on Linux). */
const MAX_SOCKET_PATH = 100;

/** TiDB's default sql_mode, less NO_AUTO_CREATE_USER, which only matters to GRANT (refused by the policy anyway). */
const TIDB_SQL_MODE = [
  'ONLY_FULL_GROUP_BY',
  'STRICT_TRANS_TABLES',
  'NO_ZERO_IN_DATE',
  'NO_ZERO_DATE',
  'ERROR_FOR_DIVISION_BY_ZERO',
  'NO_ENGINE_SUBSTITUTION',
].join(',');

/** Flags shared by mariadb-install-db (which bootstraps with them) and mariadbd: the InnoDB files must agree. */
const STORAGE_FLAGS = ['--innodb-log-file-size=4M', '--innodb-data-file-path=ibdata1:4M:autoextend', '--skip-log-bin'];

const SERVER_FLAGS = [
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_bin',
  `--sql-mode=${TIDB_SQL_MODE}`,
  '--explicit-defaults-for-timestamp=ON',
  '--default-time-zone=+00:00',
  // A sandbox's data is disposable: don't fsync each commit.
  '--innodb-flush-log-at-trx-commit=2',
  '--skip-name-resolve',
  '--max-connections=64',
];

export interface MariaDbServerOptions {
  /** The server's data folder; created and initialised when it holds no database yet. */
  readonly dataDir: string;
  readonly startTimeoutMs?: number;
  /** InnoDB's buffer pool, in MiB: 16 by default. */
  readonly bufferPoolMiB?: number;
  /** The programs to run; Debian's paths by default (tests point them elsewhere to see the missing-server error). */
  readonly binaries?: { readonly server: string; readonly install: string };
  /** The data folder is this server's alone: removed once the server has stopped, however it or this process ended. */
  readonly scratch?: boolean;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A server left running would outlive the test or sandbox that started it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Stops `child` once this process is gone, however it went. The exit hook above runs only on a normal exit; a
 * process ended by a signal (jest stopping a worker, a CI timeout) would leave its servers running, and a day of test
 * runs left hundreds of them holding the machine's memory. A detached shell polls this process and kills the server
 * when it has gone; then it removes `leftovers`, once the server has exited. Removing them from this process instead
 * missed every jest worker ended by a signal: a day of test runs left 846 data folders, 76 GiB, and CI ran out of disk.
 */
function watchParent(child: ChildProcess, leftovers: readonly string[]): void {
  if (child.pid === undefined) return;
  const watcher = spawn(
    'sh',
    [
      '-c',
      [
        'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done',
        'kill -9 "$2" 2>/dev/null',
        'while kill -0 "$2" 2>/dev/null; do sleep 0.2; done',
        'shift 2',
        '[ "$#" -gt 0 ] && rm -rf -- "$@"',
      ].join('; '),
      'watch',
      String(process.pid),
      String(child.pid),
      ...leftovers,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watcher.unref();
}

let shared: Promise<MariaDbServer> | null = null;

function findBinary(candidates: readonly string[]): string | undefined {
  return candidates.find((candidate) => existsSync(candidate));
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export class MariaDbServer {
  private exited: Promise<void>;
  private closed = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly host: string,
    readonly port: number,
    private readonly log: () => string,
  ) {
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  /**
   * Initialises `options.dataDir` if needed, starts mariadbd on a free port and waits until it accepts connections.
   * @throws {Error} when mariadb-server is not installed, or the server exits or does not answer in time (the
   *   message carries the end of its log).
   */
  static async start(options: MariaDbServerOptions): Promise<MariaDbServer> {
    const server = findBinary(options.binaries ? [options.binaries.server] : SERVER_CANDIDATES);
    const install = findBinary(options.binaries ? [options.binaries.install] : INSTALL_CANDIDATES);
    if (!server || !install) throw new Error(MISSING_MARIADB);
    mkdirSync(options.dataDir, { recursive: true });
    const dataDir = join(options.dataDir, 'data');
    if (!existsSync(join(dataDir, 'mysql'))) {
      await run(install, [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        ...STORAGE_FLAGS,
        `--innodb-buffer-pool-size=${DEFAULT_BUFFER_POOL_MIB}M`,
      ]).catch((error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`Forge sandbox: mariadb-install-db failed for ${dataDir}: ${detail}`);
      });
    }
    const port = await freePort();
    const ownSocket = join(options.dataDir, 'sock');
    // A socket's path has a length limit; past it the socket goes to the temporary folder, and is left there when the
    // server is killed.
    const socket = ownSocket.length <= MAX_SOCKET_PATH ? ownSocket : join(tmpdir(), `forge-sql-${port}.sock`);
    const child = spawn(
      server,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        `--pid-file=${join(options.dataDir, 'mariadbd.pid')}`,
        ...STORAGE_FLAGS,
        `--innodb-buffer-pool-size=${options.bufferPoolMiB ?? DEFAULT_BUFFER_POOL_MIB}M`,
        ...SERVER_FLAGS,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log = (log + chunk).slice(-4_000);
    });
    running.add(child);
    installExitHook();
    watchParent(child, [...(options.scratch ? [options.dataDir] : []), ...(socket === ownSocket ? [] : [socket])]);
    child.once('exit', () => running.delete(child));
    const instance = new MariaDbServer(child, '127.0.0.1', port, () => log);
    try {
      await instance.waitUntilReady(options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    } catch (error) {
      await instance.close();
      throw error;
    }
    return instance;
  }

  /**
   * One server for the whole process, for sandboxes that keep nothing on disk (the tests' in-memory worlds): each
   * installation gets its own database on it, so a test file pays for one server start, not one per world. It stops
   * with the process and does not hold the process open.
   */
  static shared(): Promise<MariaDbServer> {
    shared ??= (async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'forge-sql-shared-'));
      const server = await MariaDbServer.start({ dataDir, scratch: true }).catch((error: unknown) => {
        rmSync(dataDir, { recursive: true, force: true });
        throw error;
      });
      server.child.unref();
      (server.child.stderr as { unref?: () => void } | null)?.unref?.();
      return server;
    })().catch((error: unknown) => {
      shared = null;
      throw error;
    });
    return shared;
  }

  /** Whether the process is still running (for tests that prove it stopped). */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops the server and waits for it to exit; SIGKILL if it has not in 10 s. */
  async close(): Promise<void> {
    if (this.closed) return this.exited;
    this.closed = true;
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let started = 0;
    for (;;) {
      if (!this.alive) {
        throw new Error(`Forge sandbox: mariadbd exited while starting:\n${this.log()}`);
      }
      try {
        const connection = await createConnection({ host: this.host, port: this.port, user: 'root' });
        await connection.end();
        return;
      } catch {
        // Not listening yet.
      }
      // Counted in polls as well as on the clock, as a test may hold `Date` still.
      started += 1;
      if (Date.now() > deadline || started * READY_POLL_MS > timeoutMs) {
        throw new Error(`Forge sandbox: mariadbd did not accept connections in ${timeoutMs} ms:\n${this.log()}`);
      }
      await delay(READY_POLL_MS);
    }
  }
}
