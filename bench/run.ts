/**
 * `npm run bench`: seeds sandboxes with 100, 1,000 and 10,000 registry projects (and 50 for the browser's baseline),
 * measures the portfolio load, the scheduled work, the Custom UI bundles and the first painted
 * row in Chromium, prints the figures against their targets, and writes bench/results.json and BENCHMARKS.md.
 * Not part of `npm test`: it takes minutes and its figures depend on the machine.
 *
 * Options: `--sizes=100,1000` to measure other portfolio sizes, `--no-browser`, `--no-bundles` for quicker runs, and
 * `--paint-only` to measure only the first painted row (N = 50 against 10,000), or `--reliability-only` to refresh only
 * the reliability section from test-results/ (after `npm test`), keeping every other figure of the last
 * bench/results.json.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import { buildResources } from '../sandbox/build-resources';
import { SQL_LATENCY } from '../sandbox/forge/sql/sql-service';
import { type DemoPortfolio, demoPortfolio } from '../sandbox/seed/demo-portfolio';
import { startSandbox } from '../sandbox/server';
import { freePort } from '../test/e2e/free-port';
import { testOutcomes } from './attack-classes';
import { measureLoad, measureBackgroundRun } from './backend';
import { measureBill } from './bill';
import { measureFirstRow, type PaintFigures } from './browser';
import { type BundleFigures, measureBundles } from './bundles';
import { instrumentForge } from './instrument';
import {
  type BenchResults,
  checksOf,
  type MachineInfo,
  type PaintResult,
  refreshBenchmarksMd,
  type SizeResult,
  textTable,
} from './report';
import { portfolioPrefix, seedBenchmarkData, seedLedgerHeads } from './seed';
import { installBenchClock } from './sim-clock';
import { benchmarkSpecs } from './specs';

/**
 * Forge SQL's buffer pool in the benchmark: Forge's TiDB serves a table read on every page view from memory (TiKV's
 * block cache), so the benchmark's MariaDB holds the registry in memory too (50,000 rows with their facts and
 * entries are about 400 MiB); the tests' 16 MiB would measure disk reads the platform does not make.
 */
const SQL_BUFFER_POOL_MIB = 1024;

const APP_ROOT = resolve(__dirname, '..');
const RESULTS = join(APP_ROOT, 'bench', 'results.json');
const BENCHMARKS_MD = join(APP_ROOT, 'BENCHMARKS.md');
const RELIABILITY = join(APP_ROOT, 'test-results', 'reliability.json');
const JEST_REPORT = join(APP_ROOT, 'test-results', 'jest.json');
const PAINT_SMALL = 50;
/** The larger painted portfolio by default; `--paint-large=N` measures another (the target is at 50,000). */
const PAINT_LARGE = 10_000;
const LOAD_RUNS = 3;
const PAINT_RUNS = 3;

const log = (line: string): void => {
  process.stdout.write(`[bench] ${line}\n`);
};

function machine(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function raidItemStats(portfolio: DemoPortfolio): SizeResult['raidItems'] {
  const counts = portfolio.issues.flatMap((issue) => {
    const shards = Object.entries(issue.properties).filter(([key]) => key.startsWith('tollgate-raid'));
    if (shards.length === 0) return [];
    return [shards.reduce((sum, [, shard]) => sum + ((shard as { items?: unknown[] }).items?.length ?? 0), 0)];
  });
  return {
    min: Math.min(...counts),
    max: Math.max(...counts),
    mean: counts.reduce((sum, c) => sum + c, 0) / Math.max(1, counts.length),
  };
}

/** Seeds a sandbox with the first `n` projects, starts it, runs `work` on it, and removes it. */
async function withSandbox<T>(
  portfolio: DemoPortfolio,
  n: number,
  today: string,
  work: (sandbox: Awaited<ReturnType<typeof startSandbox>>, seedMs: number) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `tollgate-bench-${n}-`));
  try {
    const started = performance.now();
    await seedBenchmarkData(APP_ROOT, dataDir, portfolioPrefix(portfolio, n), today);
    // Forge SQL answers with its assumed latency throughout; Jira's is switched on for the bill (bill.ts).
    const sandbox = await startSandbox({
      appRoot: APP_ROOT,
      dataDir,
      port: await freePort(),
      today,
      sqlLatency: SQL_LATENCY,
      sqlBufferPoolMiB: SQL_BUFFER_POOL_MIB,
      // The instrument holds the app's pushes and delivers them later, so it keeps Forge's 500 events a minute itself,
      // at the moment the app pushes (instrument.ts): the queue counting them again on delivery would count twice.
      queueLimits: false,
    });
    try {
      await seedLedgerHeads(sandbox);
      const seedMs = performance.now() - started;
      log(`N = ${n}: seeded in ${Math.round(seedMs)} ms`);
      return await work(sandbox, seedMs);
    } finally {
      await sandbox.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureSize(
  portfolio: DemoPortfolio,
  n: number,
  today: string,
  paint: boolean,
): Promise<{ size: SizeResult; paint?: PaintFigures }> {
  return withSandbox(portfolio, n, today, async (sandbox, seedMs) => {
    const instrument = instrumentForge();
    try {
      // Each phase starts a fresh quota hour, so the figures of one are not the 429s of the one before: Jira's
      // points, and the background budget the app's paced reads claim (kept in KVS under points:).
      const pointsOf = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
        sandbox.jira.emulator.resetRateLimits();
        sandbox.forge.expireStorage('points:');
        const result = await work();
        return [result, sandbox.jira.emulator.rateLimits()?.pointsUsed ?? 0];
      };
      // Installed: the read model is built from Jira (the seed wrote only Jira's issues and the app's storage).
      log(`N = ${n}: installed (the reconciliation with the registry listed)`);
      const [install, installPoints] = await pointsOf(() => measureBackgroundRun(sandbox, instrument, 'install'));
      log(`N = ${n}: daily run (first: every stored health judged for the bench's today)`);
      const [first, firstPoints] = await pointsOf(() => measureBackgroundRun(sandbox, instrument, 'daily'));
      log(`N = ${n}: daily run (steady state)`);
      const [steady, steadyPoints] = await pointsOf(() => measureBackgroundRun(sandbox, instrument, 'daily'));
      log(`N = ${n}: weekly reconciliation`);
      const [weekly, weeklyPoints] = await pointsOf(() => measureBackgroundRun(sandbox, instrument, 'weekly'));
      log(`N = ${n}: portfolio loads`);
      // A load that fails (Forge's 25 s) is a figure too: the rest of the size is still measured.
      const [load] = await pointsOf(() =>
        measureLoad(sandbox, instrument, LOAD_RUNS).catch((error: unknown) => {
          instrument.holdPushes = false;
          instrument.dropHeld();
          log(`N = ${n}: portfolio/load failed: ${error instanceof Error ? error.message : String(error)}`);
          return { failed: error instanceof Error ? error.message : String(error) };
        }),
      );
      log(`N = ${n}: the bill, under the latency and quota models`);
      const bill = await measureBill(sandbox, instrument);
      let painted: PaintFigures | undefined;
      if (paint) {
        log(`N = ${n}: first painted row in Chromium`);
        painted = await measureFirstRow(sandbox.url, PAINT_RUNS, () => sandbox.forge.expireStorage('points:'));
      }
      const raidItems = raidItemStats(portfolioPrefix(portfolio, n));
      return {
        size: {
          n,
          seedMs,
          raidItems,
          load,
          recompute: { install, first, steady, weekly },
          scheduledPoints: {
            install: installPoints,
            first: firstPoints,
            steady: steadyPoints,
            weekly: weeklyPoints,
          },
          bill,
        },
        ...(painted ? { paint: painted } : {}),
      };
    } finally {
      instrument.restore();
    }
  });
}

async function paintOnly(portfolio: DemoPortfolio, n: number, today: string): Promise<PaintFigures> {
  return withSandbox(portfolio, n, today, async (sandbox) => {
    const instrument = instrumentForge();
    try {
      // Build the read model first, as at N = 10,000, so both pages do the same work.
      await measureBackgroundRun(sandbox, instrument, 'install');
    } finally {
      instrument.restore();
    }
    log(`N = ${n}: first painted row in Chromium`);
    return measureFirstRow(sandbox.url, PAINT_RUNS, () => sandbox.forge.expireStorage('points:'));
  });
}

/** The head of a new BENCHMARKS.md; once it exists, everything outside the generated markers is kept as written. */
const INTRO = '# Benchmarks\n\n_Tables generated by `npm run bench` (bench/run.ts) from bench/results.json._';

/** Writes a file as Prettier would leave it, so the committed outputs pass `npm run format:check`. */
async function writeFormatted(path: string, text: string): Promise<void> {
  const options = await prettier.resolveConfig(path);
  writeFileSync(path, await prettier.format(text, { ...options, filepath: path }));
}

async function main(): Promise<void> {
  const started = performance.now();
  const paintOnlyRun = process.argv.includes('--paint-only');
  const reliabilityOnly = process.argv.includes('--reliability-only');
  const partial = paintOnlyRun || reliabilityOnly;
  const sizes = partial ? [] : (option('sizes') ?? '100,1000,10000').split(',').map(Number);
  const browser = paintOnlyRun || (!reliabilityOnly && !process.argv.includes('--no-browser'));
  const bundlesWanted = !partial && !process.argv.includes('--no-bundles');
  const today = new Date().toISOString().slice(0, 10);
  // The benchmark's own clock from 01:00 UTC of its day, moved on a minute at a time while background work waits for
  // its budgets (sim-clock.ts): a day of hours before its "today" would change.
  installBenchClock(Date.parse(`${today}T01:00:00.000Z`));

  let bundles: BundleFigures[] = [];
  if (bundlesWanted) {
    log('building and measuring the Custom UI bundles');
    bundles = measureBundles(APP_ROOT, log);
  } else if (browser) {
    // The browser measures the bundles as built: a stale build would time yesterday's page.
    buildResources(APP_ROOT, log);
  }

  const paintLarge = Number(option('paint-large') ?? PAINT_LARGE);
  const largest = Math.max(0, ...sizes, browser ? paintLarge : 0);
  if (largest > 0) log(`building ${largest} projects through the domain reducer`);
  const portfolio = demoPortfolio(today, benchmarkSpecs(largest));

  const results: SizeResult[] = [];
  let paint: PaintResult | null = null;
  let large: PaintFigures | undefined;
  for (const n of sizes) {
    const measured = await measureSize(portfolio, n, today, browser && n === paintLarge);
    results.push(measured.size);
    large = measured.paint ?? large;
  }
  if (browser) {
    large ??= await paintOnly(portfolio, paintLarge, today);
    const small = await paintOnly(portfolio, PAINT_SMALL, today);
    paint = {
      small: { n: PAINT_SMALL, ...small },
      large: { n: paintLarge, ...large },
      ratio: large.medianMs / small.medianMs,
    };
  }

  const reliability: unknown = existsSync(RELIABILITY)
    ? (JSON.parse(readFileSync(RELIABILITY, 'utf8')) as unknown)
    : null;
  const reliabilityTests = existsSync(JEST_REPORT)
    ? testOutcomes(JSON.parse(readFileSync(JEST_REPORT, 'utf8')) as unknown, APP_ROOT)
    : null;
  const keepOtherSizes = process.argv.includes('--keep-other-sizes');
  const previous =
    (partial || keepOtherSizes) && existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults)
      : null;
  // With --keep-other-sizes, the sizes this run did not measure stay as measured then, dated, and so do the bundles and
  // the paint when this run did not measure them.
  const kept = keepOtherSizes
    ? (previous?.sizes ?? [])
        .filter((size) => !sizes.includes(size.n))
        .map((size) => ({ ...size, measuredOn: size.measuredOn ?? previous!.date.slice(0, 10) }))
    : [];
  // A partial run replaces its own figures (and the reliability suite's, as found now) and keeps the rest (and its
  // run's date) as measured then.
  const output: BenchResults =
    previous && partial
      ? {
          ...previous,
          paint: paintOnlyRun ? paint : previous.paint,
          reliability: reliability ?? previous.reliability,
          reliabilityTests: reliabilityTests ?? previous.reliabilityTests ?? null,
        }
      : {
          schema: 1,
          date: new Date().toISOString(),
          today,
          machine: machine(),
          durationMs: performance.now() - started,
          sizes: [...kept, ...results].sort((a, b) => a.n - b.n),
          bundles: bundlesWanted || !keepOtherSizes ? bundles : (previous?.bundles ?? []),
          paint: paint ?? (keepOtherSizes ? (previous?.paint ?? null) : null),
          reliability,
          reliabilityTests,
        };
  await writeFormatted(RESULTS, JSON.stringify(output, null, 2));
  const existing = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : null;
  await writeFormatted(BENCHMARKS_MD, refreshBenchmarksMd(existing, output, INTRO));
  process.stdout.write(`\n${textTable(checksOf(output))}\n\n`);
  if (reliability !== null) process.stdout.write(`Reliability: ${JSON.stringify(reliability)}\n`);
  log(`wrote ${RESULTS} and ${BENCHMARKS_MD} in ${Math.round(output.durationMs / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
