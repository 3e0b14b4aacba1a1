import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ATTACK_SUITES, attackRows, testOutcomes } from '../../bench/attack-classes';
import { entryScripts, preloadedScripts } from '../../bench/bundles';
import {
  type BenchResults,
  checksOf,
  GENERATED_END,
  GENERATED_START,
  attackSummary,
  refreshBenchmarksMd,
  reliabilityTable,
} from '../../bench/report';
import { benchmarkSpecs, RAID_ITEMS } from '../../bench/specs';
import { median } from '../../bench/stats';

describe('benchmark portfolio specs', () => {
  const specs = benchmarkSpecs(2_000);

  it('are the same for the same seed, and a smaller portfolio is a prefix of a larger one', () => {
    expect(benchmarkSpecs(2_000)).toEqual(specs);
    expect(benchmarkSpecs(100)).toEqual(specs.slice(0, 100));
    expect(benchmarkSpecs(100, 7)).not.toEqual(specs.slice(0, 100));
  });

  it('only depend on earlier projects, and keep stages where their scenario can happen', () => {
    specs.forEach((spec, index) => {
      if (spec.dependsOn !== undefined) expect(spec.dependsOn).toBeLessThan(index);
      const last = spec.template === 'cooper' ? 5 : 3;
      expect(spec.stage).toBeGreaterThanOrEqual(0);
      expect(spec.stage).toBeLessThanOrEqual(last);
      if (spec.scenario === 'completed') expect(spec.stage).toBe(last);
      if (['on-hold', 'recycled', 'killed'].includes(spec.scenario)) expect(spec.stage).toBeLessThan(last);
      if (spec.scenario.startsWith('conditional')) expect(spec.stage).toBeGreaterThanOrEqual(1);
    });
  });

  it('log 4–28 RAID entries each and cover every scenario', () => {
    for (const spec of specs) {
      expect(spec.raidItems).toBeGreaterThanOrEqual(RAID_ITEMS.min);
      expect(spec.raidItems).toBeLessThanOrEqual(RAID_ITEMS.max);
    }
    expect(new Set(specs.map((s) => s.scenario)).size).toBe(15);
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => benchmarkSpecs(0)).toThrow(RangeError);
    expect(() => benchmarkSpecs(1.5)).toThrow(RangeError);
  });
});

describe('bundle entry points', () => {
  const html =
    '<script type="module" crossorigin src="./assets/index-a.js"></script>' +
    '<link rel="modulepreload" crossorigin href="./assets/vendor-b.js">' +
    '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="./assets/i.css">';

  it('reads the entry scripts and preloads index.html names, not external ones or stylesheets', () => {
    expect(entryScripts(html)).toEqual(['assets/index-a.js']);
    expect(preloadedScripts(html)).toEqual(['assets/vendor-b.js']);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

function results(overrides: { requests: number; points: number }): BenchResults {
  const limits = {
    count: 1,
    limitMs: 300_000,
    maxMs: 10,
    medianMs: 10,
    maxJiraRequests: 1,
    maxKvsCalls: 2,
    failures: 0,
  };
  const recompute = {
    jiraRequests: 2,
    searches: 2,
    healthWrites: 0,
    kvsCalls: 2,
    eventsPushed: 1,
    deferredEvents: 0,
    pushes: 1,
    maxEventsPerPush: 1,
    maxPushBytes: 800,
    scheduled: limits,
    consumers: limits,
    withinLimits: true,
    wallMs: 20,
  };
  return {
    schema: 1,
    date: '2026-11-21T10:00:00.000Z',
    today: '2026-11-21',
    machine: { cpu: 'CPU', cores: 2, memoryGb: 4, node: 'v20', platform: 'linux x64' },
    durationMs: 1000,
    sizes: [
      {
        n: 100,
        seedMs: 5,
        raidItems: { min: 5, max: 30, mean: 17 },
        load: {
          projects: 100,
          jiraRequests: overrides.requests,
          searches: 0,
          points: overrides.points,
          responseBytes: 40_000,
          rowsOnPage: 25,
          staleQueued: 0,
          resolverMs: { median: 300, max: 300, runs: [300] },
          resolverLimitMs: 25_000,
          memoryGrowthMb: 40,
          memoryMb: 512,
        },
        recompute: { first: recompute, steady: recompute },
      },
    ],
    bundles: [],
    paint: null,
    reliability: null,
  };
}

describe('benchmark report', () => {
  it('passes a load of up to two Jira requests and 60 points, and misses beyond either', () => {
    const verdicts = (r: BenchResults) =>
      Object.fromEntries(checksOf(r).map((c) => [c.figure.split(' (')[0]!.split(':')[0]!, c.pass]));
    const figure = 'Jira requests / points per portfolio load';
    expect(verdicts(results({ requests: 2, points: 60 }))).toMatchObject({ [figure]: true });
    expect(verdicts(results({ requests: 3, points: 20 }))).toMatchObject({ [figure]: false });
    expect(verdicts(results({ requests: 2, points: 61 }))).toMatchObject({ [figure]: false });
  });

  it('replaces only the generated part of BENCHMARKS.md and keeps what people wrote around it', () => {
    const fresh = refreshBenchmarksMd(null, results({ requests: 1, points: 10 }), '# Benchmarks');
    expect(fresh.startsWith('# Benchmarks\n\n<!-- bench:generated:start -->')).toBe(true);
    const edited = fresh.replace('# Benchmarks', '# Benchmarks\n\nHow we measure.') + '\nNotes after.\n';
    const refreshed = refreshBenchmarksMd(edited, results({ requests: 5, points: 200 }), 'ignored');
    expect(refreshed).toContain('How we measure.');
    expect(refreshed).toContain('Notes after.');
    expect(refreshed).not.toContain('ignored');
    expect(refreshed.split(GENERATED_START)).toHaveLength(2);
    expect(refreshed.split(GENERATED_END)).toHaveLength(2);
    expect(refreshed).toContain('MISS');
  });

  it('shows the reliability figures as found, and says when there are none', () => {
    expect(reliabilityTable(null)).toContain('was not present');
    const table = reliabilityTable({ payloadsTried: 500, itemsLost: 0, faults: { '429': 3 } });
    expect(table).toContain('| payloadsTried | 500 |');
    expect(table).toContain('| faults › 429 | 3 |');
    expect(reliabilityTable({ fuzz: { keys: ['a', 'b'] } })).toContain('| fuzz › keys | ["a","b"] |');
  });
});

describe('the reliability summary by attack class', () => {
  const outcomes = Object.fromEntries(ATTACK_SUITES.map((suite) => [suite.file, { passed: 4, failed: 0 }]));
  const figures = {
    confidentiality: { surfacesChecked: 10, leaks: 0 },
    concurrency: { rounds: 3, opsPerRound: 10, lostUpdates: 0, duplicates: 0 },
    tamper: { attacks: 2, flaggedInPanel: 2, flaggedInHealthIndex: 1, transitionsBlocked: 2, restored: 2 },
  };
  const row = (rows: ReturnType<typeof attackRows>, file: string) => rows.find((r) => r.file.endsWith(file));

  it('names test files that exist, and every reliability test file', () => {
    const root = join(__dirname, '../..');
    for (const suite of ATTACK_SUITES) expect(existsSync(join(root, suite.file))).toBe(true);
    const reliability = readdirSync(join(root, 'test/reliability')).filter((f) => f.endsWith('.test.ts'));
    const named = new Set(ATTACK_SUITES.map((suite) => suite.file));
    expect(reliability.filter((f) => !named.has(`test/reliability/${f}`))).toEqual([]);
  });

  it('counts attacks from the figures, or one per test, and adds failed tests to what got through', () => {
    const rows = attackRows(figures, outcomes);
    expect(row(rows, 'confidentiality.test.ts')).toMatchObject({ attacks: 10, gotThrough: 0 });
    expect(row(rows, 'concurrency.test.ts')).toMatchObject({ attacks: 30, gotThrough: 0 });
    expect(row(rows, 'authority.test.ts')).toMatchObject({ attacks: 4, gotThrough: 0 });
    // One forgery flagged in the panel but not in the health index got through.
    expect(row(rows, 'tamper.test.ts')).toMatchObject({ attacks: 2, gotThrough: 1 });
    const failing = { ...outcomes, 'test/reliability/authority.test.ts': { passed: 3, failed: 1 } };
    expect(row(attackRows(figures, failing), 'authority.test.ts')).toMatchObject({ attacks: 4, gotThrough: 1 });
  });

  it('says "not recorded" rather than none when a figure or a test outcome is missing', () => {
    const rows = attackRows({}, outcomes);
    expect(row(rows, 'confidentiality.test.ts')).toMatchObject({ attacks: null, gotThrough: null });
    const summary = attackSummary({}, outcomes);
    expect(summary).toContain('| Confidentiality | 2 | not recorded | not recorded |');
    expect(attackSummary(figures, null)).toContain('jest.json was not present');
  });

  it("reads jest's --json report per file, relative to the app's root", () => {
    const report = {
      testResults: [
        {
          name: '/app/test/reliability/tamper.test.ts',
          assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'pending' }],
        },
      ],
    };
    expect(testOutcomes(report, '/app')).toEqual({ 'test/reliability/tamper.test.ts': { passed: 1, failed: 2 } });
    expect(testOutcomes({}, '/app')).toEqual({});
  });
});
