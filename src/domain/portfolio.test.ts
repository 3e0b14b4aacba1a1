import fc from 'fast-check';
import { DEFAULT_HEALTH_CONFIG, type ProjectFacts } from './health';
import {
  type AssessedProject,
  assessPortfolio,
  redAlongDependencies,
  budgetAdherence,
  countedIn,
  type CsvColumn,
  KPI_IDS,
  DEFAULT_CSV_COLUMNS,
  filterRows,
  neutraliseFormula,
  gateCompliance,
  onTimeDelivery,
  pageRows,
  portfolioCounts,
  portfolioExceptions,
  portfolioKpis,
  type ProjectRow,
  raidHygiene,
  type RowFilter,
  type SortKey,
  sortRows,
  toCsv,
  toProjectRow,
  kpiInputsOf,
  portfolioEntry,
  cellIndex,
  type PortfolioEntry,
  sumEntries,
} from './portfolio';
import { type RagOrNone } from './rag';
import { openOfType } from './raid';
import { type HeatMap, heatMap, heatMapOfCounts, mergeHeatMaps, type RiskLevel } from './risk';
import {
  allMustsDone,
  buildDecision,
  buildDependency,
  buildFacts,
  buildGovernance,
  buildIssue,
  buildRaidLog,
  buildReview,
  buildRisk,
  buildTransition,
  COOPER,
  PRINCE2,
} from './testing/builders';

const TODAY = '2026-03-02';
const YESTERDAY = '2026-03-01';
const G1 = 'g1-idea-screen';

/** A project that is green on every dimension unless a test changes something. */
function healthy(key: string, overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return buildFacts({
    key,
    summary: `Project ${key}`,
    dueDate: '2026-12-31',
    governance: buildGovernance({
      nextGateDate: '2026-06-01',
      gates: { [G1]: allMustsDone(COOPER, G1) },
      reviews: [buildReview({ at: '2026-02-27T10:00:00.000Z' })],
    }),
    ...overrides,
  });
}

const dependsOn = (counterpartyKey: string, direction: 'inbound' | 'outbound' = 'inbound') =>
  buildRaidLog([buildDependency({ counterpartyKey, direction })]);

const assess = (facts: readonly ProjectFacts[]) => assessPortfolio(facts, DEFAULT_HEALTH_CONFIG, TODAY);
const overallOf = (projects: readonly AssessedProject[]) =>
  Object.fromEntries(projects.map((p) => [p.health.key, p.health.overall]));

describe('assessPortfolio: dependencies', () => {
  it('spreads red along inbound dependencies, naming the project waited on', () => {
    // Listed so that the first round cannot see the end of the chain: A waits on B, B on C, C is overdue.
    const projects = assess([
      healthy('PMO-1', { raid: dependsOn('PMO-2') }),
      healthy('PMO-2', { raid: dependsOn('PMO-3') }),
      healthy('PMO-3', { dueDate: YESTERDAY }),
    ]);
    expect(overallOf(projects)).toEqual({ 'PMO-1': 'red', 'PMO-2': 'red', 'PMO-3': 'red' });
    const dependencyReasons = projects.map((p) =>
      p.health.dimensions.raid.reasons.filter((r) => r.code === 'raid.dependencyRed').map((r) => r.params.counterparty),
    );
    expect(dependencyReasons).toEqual([['PMO-2'], ['PMO-3'], []]);
  });

  it('asks `outside` about a project waited on that is not among those judged, and prefers its own judgement', () => {
    const outside = (key: string): RagOrNone | undefined => (key === 'OPS-1' || key === 'PMO-2' ? 'red' : undefined);
    const projects = assessPortfolio(
      [
        healthy('PMO-1', { raid: dependsOn('OPS-1') }),
        healthy('PMO-2'),
        healthy('PMO-3', { raid: dependsOn('PMO-2') }),
        healthy('PMO-4', { raid: dependsOn('OPS-9') }),
      ],
      DEFAULT_HEALTH_CONFIG,
      TODAY,
      outside,
    );
    expect(overallOf(projects)).toEqual({ 'PMO-1': 'red', 'PMO-2': 'green', 'PMO-3': 'green', 'PMO-4': 'green' });
  });

  it('turns exactly the projects that reach a red one red, each naming every red project it waits on', () => {
    const graph = fc.array(fc.record({ overdue: fc.boolean(), waitsOn: fc.uniqueArray(fc.nat(7), { maxLength: 3 }) }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(graph, (nodes) => {
        const key = (i: number) => `PMO-${i + 1}`;
        const edges = nodes.map((n) => n.waitsOn.filter((i) => i < nodes.length));
        const facts = nodes.map((n, i) =>
          healthy(key(i), {
            ...(n.overdue ? { dueDate: YESTERDAY } : {}),
            raid: buildRaidLog(
              edges[i]?.map((to, d) => buildDependency({ id: `D-${d + 1}`, counterpartyKey: key(to) })),
            ),
          }),
        );
        // Red: overdue, or waiting (transitively) on an overdue project.
        const reaches = (from: number, seen = new Set<number>()): boolean =>
          Boolean(nodes[from]?.overdue) ||
          (edges[from] ?? []).some((to) => !seen.has(to) && reaches(to, new Set([...seen, from])));
        const projects = assess(facts);
        // From stored health alone (each project judged alone, and whom it waits on), the same verdicts.
        const stored = new Map(
          projects.map((p) => [p.facts.key, { rag: p.standalone.overall, waitsOn: p.standalone.summary.waitsOn }]),
        );
        expect(Object.fromEntries(redAlongDependencies(stored))).toEqual(overallOf(projects));
        projects.forEach((p, i) => {
          expect(p.standalone.overall === 'red').toBe(Boolean(nodes[i]?.overdue));
          expect(p.health.overall === 'red').toBe(reaches(i));
          const named = p.health.dimensions.raid.reasons.filter((r) => r.code === 'raid.dependencyRed');
          const expected = [...new Set(edges[i]?.filter((to) => reaches(to)).map(key))];
          expect(named.map((r) => r.params.counterparty).sort()).toEqual(expected.sort());
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each project judged alone beside the verdict that heard its dependencies', () => {
    const [waiting, late] = assess([
      healthy('PMO-1', { raid: dependsOn('PMO-2') }),
      healthy('PMO-2', { dueDate: YESTERDAY }),
    ]);
    expect(waiting?.health.overall).toBe('red');
    expect(waiting?.standalone.overall).toBe('green');
    expect(waiting?.standalone.summary.waitsOn).toEqual(['PMO-2']);
    expect(late?.standalone).toEqual(late?.health);
  });

  it('redAlongDependencies: a project hidden from the viewer colours nothing, and a closed one stays closed', () => {
    const rags = redAlongDependencies(
      new Map([
        ['PMO-1', { rag: 'green', waitsOn: ['CONF-2'] }],
        ['PMO-2', { rag: 'amber', waitsOn: ['PMO-3'] }],
        ['PMO-3', { rag: 'red', waitsOn: [] }],
        ['PMO-4', { rag: 'none', waitsOn: ['PMO-3'] }],
      ] as const),
    );
    expect(Object.fromEntries(rags)).toEqual({ 'PMO-1': 'green', 'PMO-2': 'red', 'PMO-3': 'red', 'PMO-4': 'none' });
  });

  it('carries red down a long chain', () => {
    const facts = Array.from({ length: 30 }, (_, i) =>
      i === 29
        ? healthy(`PMO-${i + 1}`, { dueDate: YESTERDAY })
        : healthy(`PMO-${i + 1}`, { raid: dependsOn(`PMO-${i + 2}`) }),
    );
    expect(assess(facts).every((p) => p.health.overall === 'red')).toBe(true);
  });

  it.each<[string, ProjectFacts[], Record<string, RagOrNone>]>([
    [
      'a cycle with nothing red stays green',
      [healthy('PMO-1', { raid: dependsOn('PMO-2') }), healthy('PMO-2', { raid: dependsOn('PMO-1') })],
      { 'PMO-1': 'green', 'PMO-2': 'green' },
    ],
    [
      'a cycle with one red turns red',
      [
        healthy('PMO-1', { raid: dependsOn('PMO-2') }),
        healthy('PMO-2', { raid: dependsOn('PMO-1'), dueDate: YESTERDAY }),
      ],
      { 'PMO-1': 'red', 'PMO-2': 'red' },
    ],
    [
      'outbound dependencies do not spread',
      [healthy('PMO-1', { raid: dependsOn('PMO-2', 'outbound') }), healthy('PMO-2', { dueDate: YESTERDAY })],
      { 'PMO-1': 'green', 'PMO-2': 'red' },
    ],
    [
      'amber does not spread',
      [
        healthy('PMO-1', { raid: dependsOn('PMO-2') }),
        healthy('PMO-2', { raid: buildRaidLog([buildIssue({ dueDate: YESTERDAY })]) }),
      ],
      { 'PMO-1': 'green', 'PMO-2': 'amber' },
    ],
    [
      'a closed project does not spread',
      [
        healthy('PMO-1', { raid: dependsOn('PMO-2') }),
        healthy('PMO-2', { governance: buildGovernance({ status: 'killed' }), dueDate: YESTERDAY }),
      ],
      { 'PMO-1': 'green', 'PMO-2': 'none' },
    ],
    [
      'a project outside the portfolio is ignored',
      [healthy('PMO-1', { raid: dependsOn('OPS-7') })],
      { 'PMO-1': 'green' },
    ],
  ])('%s', (_label, facts, expected) => {
    expect(overallOf(assess(facts))).toEqual(expected);
  });

  it('keeps the order of the facts', () => {
    const facts = [healthy('PMO-3'), healthy('PMO-1'), healthy('PMO-2')];
    expect(assess(facts).map((p) => p.facts.key)).toEqual(['PMO-3', 'PMO-1', 'PMO-2']);
    expect(assess(facts).map((p) => p.facts)).toEqual(facts);
  });
});

describe('portfolioCounts', () => {
  const projects = assess([
    healthy('PMO-1'),
    healthy('PMO-2', { dueDate: YESTERDAY }),
    healthy('PMO-3', { governance: buildGovernance({ stage: 'scoping', status: 'on-hold' }) }),
    healthy('PMO-4', { governance: buildGovernance({ status: 'completed', stage: 'launch' }) }),
    healthy('PMO-5', {
      template: PRINCE2,
      governance: buildGovernance({ templateId: PRINCE2.id, stage: 'starting-up', nextGateDate: '2026-06-01' }),
    }),
    healthy('PMO-6', { governance: null }),
  ]);
  const counts = portfolioCounts(projects.map(portfolioEntry));

  it('counts by overall RAG, closed projects under none', () => {
    expect(counts.total).toBe(6);
    // PMO-3 and PMO-5 have never been reviewed since January, so staleness makes them red.
    expect(counts.byRag).toEqual({ green: 1, amber: 1, red: 3, none: 1 });
  });

  it('counts by status, including projects not under governance', () => {
    expect(counts.byStatus).toEqual({ active: 3, 'on-hold': 1, killed: 0, completed: 1, ungoverned: 1 });
  });

  it('groups by stage name in lifecycle order, ungoverned last', () => {
    expect(counts.byStage.map((s) => [s.stageName, s.count])).toEqual([
      ['Discovery', 2],
      ['Starting up', 1],
      ['Scoping', 1],
      ['Launch & Post-Launch Review', 1],
      [null, 1],
    ]);
    expect(counts.byStage[0]?.byRag).toEqual({ green: 1, amber: 0, red: 1, none: 0 });
  });

  it('puts projects on different templates in one group when the stage names match', () => {
    const renamed = { ...PRINCE2, stages: PRINCE2.stages.map((s, i) => (i === 0 ? { ...s, name: 'Discovery' } : s)) };
    const merged = portfolioCounts(
      assess([
        healthy('PMO-1'),
        healthy('PMO-2', { template: renamed, governance: buildGovernance({ stage: 'starting-up' }) }),
      ]).map(portfolioEntry),
    );
    expect(merged.byStage.map((s) => [s.stageName, s.count])).toEqual([['Discovery', 2]]);
  });
});

describe('gateCompliance', () => {
  const period = { from: '2026-02-01', to: '2026-02-28' };
  const inPeriod = '2026-02-10T10:00:00.000Z';
  const governed = (governance: Parameters<typeof buildGovernance>[0]) =>
    healthy('PMO-1', { governance: buildGovernance(governance) });

  it.each<[string, Parameters<typeof buildGovernance>[0], number, number, (string | null)[]]>([
    ['a clean Go', { decisions: [buildDecision({ decidedAt: inPeriod })] }, 1, 1, [null]],
    [
      'a clean Conditional-Go',
      { decisions: [buildDecision({ outcome: 'CONDITIONAL_GO', decidedAt: inPeriod })] },
      1,
      1,
      [null],
    ],
    [
      'a Go with a must-meet open',
      { decisions: [buildDecision({ decidedAt: inPeriod, readiness: { mustOpen: 1, score: 0.7 } })] },
      0,
      1,
      ['mustOpen'],
    ],
    [
      'a Go by override',
      { decisions: [buildDecision({ decidedAt: inPeriod, override: { reason: 'Board accepted the gap.' } })] },
      0,
      1,
      ['override'],
    ],
    ['a Hold', { decisions: [buildDecision({ outcome: 'HOLD', decidedAt: inPeriod })] }, 0, 0, []],
    ['a Kill', { decisions: [buildDecision({ outcome: 'KILL', decidedAt: inPeriod })] }, 0, 0, []],
    [
      'a transition nobody decided',
      { transitions: [buildTransition({ at: inPeriod, decisionId: undefined })] },
      0,
      1,
      ['noDecision'],
    ],
    [
      'a Go and the transition it authorised, counted once',
      { decisions: [buildDecision({ decidedAt: inPeriod })], transitions: [buildTransition({ at: inPeriod })] },
      1,
      1,
      [null],
    ],
    [
      'a Go whose transition found items open',
      {
        decisions: [buildDecision({ decidedAt: inPeriod })],
        transitions: [buildTransition({ at: inPeriod, mandatoryOpen: 2 })],
      },
      0,
      1,
      ['mustOpen'],
    ],
    [
      'a transition citing a decision no longer inline',
      { transitions: [buildTransition({ at: inPeriod, decisionId: 'd9' })] },
      1,
      1,
      [null],
    ],
    [
      'a transition citing an unknown decision with items open',
      { transitions: [buildTransition({ at: inPeriod, decisionId: 'd9', mandatoryOpen: 1 })] },
      0,
      1,
      ['mustOpen'],
    ],
  ])('%s', (_label, governance, numerator, denominator, problems) => {
    const result = gateCompliance([governed(governance)].map(kpiInputsOf), period);
    expect(result).toMatchObject({ numerator, denominator });
    expect(result.passages.map((p) => p.problem)).toEqual(problems);
  });

  it.each<[string, boolean]>([
    ['2026-01-31T23:59:59.000Z', false],
    ['2026-02-01T00:00:00.000Z', true],
    ['2026-02-28T23:59:59.000Z', true],
    ['2026-03-01T00:00:00.000Z', false],
  ])('counts a decision at %s in February: %s', (decidedAt, counted) => {
    expect(
      gateCompliance([governed({ decisions: [buildDecision({ decidedAt })] })].map(kpiInputsOf), period).denominator,
    ).toBe(counted ? 1 : 0);
  });

  it('reports 7 of 9 as 77.8 % across projects, and null when nothing passed a gate', () => {
    const clean = (id: string) => buildDecision({ id, decidedAt: inPeriod });
    const facts = [
      governed({ decisions: [clean('d1'), clean('d2'), clean('d3'), clean('d4')] }),
      healthy('PMO-2', {
        governance: buildGovernance({
          decisions: [
            clean('d1'),
            clean('d2'),
            clean('d3'),
            buildDecision({ id: 'd4', decidedAt: inPeriod, override: { reason: 'x' } }),
          ],
          transitions: [buildTransition({ at: inPeriod, decisionId: undefined })],
        }),
      }),
      healthy('PMO-3', { governance: null }),
    ];
    expect(gateCompliance(facts.map(kpiInputsOf), period)).toMatchObject({ value: 77.8, numerator: 7, denominator: 9 });
    expect(gateCompliance([], period)).toMatchObject({ value: null, numerator: 0, denominator: 0, passages: [] });
  });
});

describe('onTimeDelivery and budgetAdherence', () => {
  const completed = (completedAt: string, overrides: Partial<ProjectFacts> = {}) =>
    healthy('PMO-1', { governance: buildGovernance({ status: 'completed', completedAt }), ...overrides });

  it.each<[string, string, string | undefined, number, number]>([
    ['on the due date', '2026-02-10T23:00:00.000Z', '2026-02-10', 1, 1],
    ['the day after', '2026-02-11T01:00:00.000Z', '2026-02-10', 0, 1],
    ['early', '2026-01-20T09:00:00.000Z', '2026-02-10', 1, 1],
    ['without a due date', '2026-02-11T01:00:00.000Z', undefined, 0, 0],
  ])('completed %s counts as on time %s of %s', (_label, completedAt, dueDate, numerator, denominator) => {
    expect(onTimeDelivery([completed(completedAt, { dueDate })].map(kpiInputsOf))).toMatchObject({
      numerator,
      denominator,
    });
  });

  it('leaves out projects not completed, and completions outside the period', () => {
    const facts = [
      healthy('PMO-1', { dueDate: '2026-01-01' }),
      completed('2026-01-31T09:00:00.000Z', { dueDate: '2026-02-01' }),
      completed('2026-02-01T09:00:00.000Z', { dueDate: '2026-02-01' }),
    ];
    expect(onTimeDelivery(facts.map(kpiInputsOf))).toMatchObject({ value: 100, numerator: 2, denominator: 2 });
    expect(onTimeDelivery(facts.map(kpiInputsOf), { from: '2026-02-01', to: '2026-02-28' })).toMatchObject({
      numerator: 1,
      denominator: 1,
    });
  });

  it.each<[string, ProjectFacts['evm'], number, number]>([
    ['under budget', { bac: 100, pv: 100, ev: 100, ac: 90 }, 1, 1],
    ['exactly on budget', { bac: 100, pv: 100, ev: 100, ac: 100 }, 1, 1],
    ['over budget', { bac: 100, pv: 100, ev: 100, ac: 100.01 }, 0, 1],
    ['without cost data', undefined, 0, 0],
  ])('a completed project %s', (_label, evm, numerator, denominator) => {
    expect(budgetAdherence([completed('2026-02-01T09:00:00.000Z', { evm })].map(kpiInputsOf))).toMatchObject({
      numerator,
      denominator,
    });
  });

  it('ignores cost data of projects still running', () => {
    expect(
      budgetAdherence([healthy('PMO-1', { evm: { bac: 1, pv: 1, ev: 1, ac: 2 } })].map(kpiInputsOf)),
    ).toMatchObject({
      value: null,
      denominator: 0,
    });
  });
});

describe('raidHygiene', () => {
  it.each<[string, Parameters<typeof buildRisk>[0], boolean]>([
    ['reviewed 30 days ago', { lastReviewedAt: '2026-01-31T09:00:00.000Z' }, true],
    ['reviewed 31 days ago', { lastReviewedAt: '2026-01-30T23:00:00.000Z' }, false],
    ['never reviewed, raised 30 days ago', { raisedAt: '2026-01-31T09:00:00.000Z' }, true],
    ['never reviewed, raised 31 days ago', { raisedAt: '2026-01-30T09:00:00.000Z' }, false],
    ['reviewed long ago but closed', { lastReviewedAt: '2025-01-01T09:00:00.000Z', status: 'closed' }, false],
  ])('a risk %s', (label, overrides, reviewed) => {
    const result = raidHygiene(
      [healthy('PMO-1', { raid: buildRaidLog([buildRisk(overrides)]) })].map(kpiInputsOf),
      TODAY,
      30,
    );
    const closed = label.endsWith('closed');
    expect(result).toMatchObject({ numerator: reviewed ? 1 : 0, denominator: closed ? 0 : 1 });
  });

  it('counts overdue actions on live projects only', () => {
    const issues = buildRaidLog([
      buildIssue({ id: 'I-1', dueDate: YESTERDAY }),
      buildIssue({ id: 'I-2', dueDate: TODAY }),
      buildIssue({ id: 'I-3', dueDate: '2026-01-01', status: 'closed' }),
    ]);
    const facts = [
      healthy('PMO-1', { raid: issues }),
      healthy('PMO-2', { raid: issues, governance: buildGovernance({ status: 'killed' }) }),
    ];
    expect(raidHygiene(facts.map(kpiInputsOf), TODAY, 30)).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
      overdueActions: 1,
    });
  });

  it('uses the configured review window in portfolioKpis', () => {
    const facts = [
      healthy('PMO-1', { raid: buildRaidLog([buildRisk({ lastReviewedAt: '2026-02-20T09:00:00.000Z' })]) }),
    ];
    const period = { from: '2026-02-01', to: '2026-02-28' };
    expect(portfolioKpis(facts.map(kpiInputsOf), period, TODAY).raidHygiene.value).toBe(100);
    expect(portfolioKpis(facts.map(kpiInputsOf), period, TODAY, { hygieneReviewDays: 9 }).raidHygiene.value).toBe(0);
    expect(portfolioKpis(facts.map(kpiInputsOf), period, TODAY, { hygieneReviewDays: 10 }).raidHygiene.value).toBe(100);
  });
});

describe('countedIn', () => {
  const period = { from: '2026-02-01', to: '2026-02-28' };
  const completed = (completedAt: string, overrides: Partial<ProjectFacts> = {}) =>
    healthy('PMO-1', { governance: buildGovernance({ status: 'completed', completedAt }), ...overrides });

  it('names, for each KPI, exactly the projects its denominator counts', () => {
    const facts = [
      healthy('PMO-1', { dueDate: '2026-01-01' }),
      completed('2026-02-10T09:00:00.000Z', { dueDate: '2026-02-01', evm: { bac: 1, pv: 1, ev: 1, ac: 2 } }),
      completed('2026-02-12T09:00:00.000Z', { dueDate: undefined }),
      completed('2026-01-10T09:00:00.000Z', { dueDate: '2026-02-01' }),
      healthy('PMO-5', { raid: buildRaidLog([buildRisk({ lastReviewedAt: '2025-01-01T09:00:00.000Z' })]) }),
      healthy('PMO-6', { raid: buildRaidLog([buildIssue({ id: 'I-1', dueDate: YESTERDAY })]) }),
    ];
    const inputs = facts.map(kpiInputsOf);
    const kpis = portfolioKpis(inputs, period, TODAY);
    const counted = (id: (typeof KPI_IDS)[number]) =>
      inputs.flatMap((input, index) => (countedIn(input, id, period, TODAY) ? [index] : []));
    // The on-time and budget figures count only the second project: completed in the period, with the data each needs.
    expect(counted('onTime')).toEqual([1]);
    expect(kpis.onTime.denominator).toBe(1);
    expect(counted('budgetAdherence')).toEqual([1]);
    expect(kpis.budgetAdherence.denominator).toBe(1);
    // RAID hygiene: the project with a stale open risk and the one with an overdue open issue.
    expect(counted('raidHygiene')).toEqual([4, 5]);
    expect(counted('gateCompliance')).toEqual([]);
  });

  it('agrees with every KPI on random portfolios: the projects counted are those whose figures move the KPI', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }), (kinds) => {
        const facts = kinds.map((kind, i) =>
          kind === 0
            ? healthy(`P-${i}`)
            : kind === 1
              ? completed('2026-02-10T09:00:00.000Z', { dueDate: '2026-02-09' })
              : kind === 2
                ? completed('2026-02-10T09:00:00.000Z', { evm: { bac: 2, pv: 2, ev: 2, ac: 1 } })
                : kind === 3
                  ? healthy(`P-${i}`, { raid: buildRaidLog([buildRisk({})]) })
                  : kind === 4
                    ? healthy(`P-${i}`, { governance: buildGovernance({ decisions: [buildDecision({})] }) })
                    : completed('2025-12-10T09:00:00.000Z', { dueDate: '2025-12-01' }),
        );
        const inputs = facts.map(kpiInputsOf);
        for (const id of KPI_IDS) {
          const alone = inputs.filter((input) => countedIn(input, id, period, TODAY));
          const all = portfolioKpis(inputs, period, TODAY)[id];
          const kept = portfolioKpis(alone, period, TODAY)[id];
          // Keeping only the counted projects leaves the KPI exactly as it was.
          expect(kept).toEqual(all);
        }
      }),
    );
  });
});

describe('portfolioExceptions', () => {
  const breach = buildGovernance({
    nextGateDate: '2026-06-01',
    gates: { [G1]: allMustsDone(COOPER, G1) },
    reviews: [buildReview({ at: '2026-02-27T10:00:00.000Z' })],
    tolerances: [{ aspect: 'cost', level: 'stage', baseline: 100, forecast: 120, plus: 10, minus: 10 }],
  });
  const projects = assess([
    healthy('PMO-1'),
    healthy('PMO-2', { dueDate: YESTERDAY }),
    healthy('PMO-10', { governance: breach }),
    healthy('PMO-3', { raid: buildRaidLog([buildIssue({ dueDate: YESTERDAY })]) }),
    healthy('PMO-4', { dueDate: YESTERDAY, raid: buildRaidLog([buildRisk({ likelihood: 5, impact: 5 })]) }),
    healthy('PMO-5', { governance: buildGovernance({ status: 'killed' }), dueDate: YESTERDAY }),
    healthy('PMO-9', { dueDate: YESTERDAY }),
  ]);

  it('lists tolerance exceptions first, then the most red reasons, then by key', () => {
    expect(portfolioExceptions(projects.map(portfolioEntry)).map((e) => [e.key, e.toleranceBreached])).toEqual([
      ['PMO-10', true],
      ['PMO-4', false],
      ['PMO-2', false],
      ['PMO-9', false],
    ]);
  });

  it('puts the breach first among a project’s reasons and keeps the requested number', () => {
    const [first] = portfolioExceptions(projects.map(portfolioEntry), 1);
    expect(first?.reasons.map((r) => r.code)).toEqual(['tolerance.exception']);
    const fourth = portfolioExceptions(projects.map(portfolioEntry), 3)[1];
    expect(fourth?.reasons.map((r) => r.code)).toEqual([
      'schedule.overdue',
      'risk.unmitigatedExtreme',
      'risk.extremeOpen',
    ]);
  });
});

/** The portfolio heat map as a view builds it: the squares' counts summed over the entries' figures. */
const portfolioMap = (entries: readonly PortfolioEntry[]): HeatMap => {
  const { cells } = sumEntries(entries.map((entry) => ({ entry, ownerName: null, judgedOn: TODAY })));
  return heatMapOfCounts((likelihood, impact) => cells[cellIndex(likelihood, impact)] ?? 0, 'residual');
};

describe('the portfolio heat map (entries summed)', () => {
  it('merges open residual risks of live projects, ids scoped by project', () => {
    const projects = assess([
      healthy('PMO-1', {
        raid: buildRaidLog([
          buildRisk({ id: 'R-1', likelihood: 5, impact: 5, residualLikelihood: 2 }),
          buildRisk({ id: 'R-2', likelihood: 2, impact: 5, status: 'closed' }),
        ]),
      }),
      healthy('PMO-2', { raid: buildRaidLog([buildRisk({ id: 'R-1', likelihood: 2, impact: 5 })]) }),
      healthy('PMO-3', {
        governance: buildGovernance({ status: 'completed' }),
        raid: buildRaidLog([buildRisk({ id: 'R-1', likelihood: 2, impact: 5 })]),
      }),
    ]);
    const map = portfolioMap(projects.map(portfolioEntry));
    expect(map.basis).toBe('residual');
    expect(map.total).toBe(2);
    expect(map.cells[1]?.[4]).toMatchObject({ count: 2, band: 'high' });
  });

  it('is the merge of one map per live project, ids in the same order', () => {
    const level = (n: number) => ((n % 5) + 1) as RiskLevel;
    const risks = (n: number) =>
      buildRaidLog(
        Array.from({ length: n }, (_, i) =>
          buildRisk({
            id: `R-${i + 1}`,
            likelihood: level(i * 7),
            impact: level(i + n),
            residualImpact: i % 2 ? 1 : undefined,
          }),
        ),
      );
    const projects = assess([
      healthy('PMO-1', { raid: risks(9) }),
      healthy('PMO-2', { raid: risks(0) }),
      healthy('PMO-3', { governance: buildGovernance({ status: 'killed' }), raid: risks(4) }),
      healthy('PMO-4', { raid: risks(13) }),
    ]);
    const perProject = projects
      .filter(({ health }) => !health.closed)
      .map(({ facts }) => heatMap(openOfType(facts.raid, 'risk'), 'residual', { scope: facts.key }));
    const counts = (map: HeatMap) => map.cells.flat().map(({ count, band, score }) => ({ count, band, score }));
    expect(counts(portfolioMap(projects.map(portfolioEntry)))).toEqual(counts(mergeHeatMaps(perProject, 'residual')));
  });
});

describe('toProjectRow', () => {
  it('flattens a project into a table row', () => {
    const [project] = assess([
      healthy('PMO-7', {
        owner: 'acc-ann',
        department: 'Finance',
        governance: buildGovernance({
          stage: 'scoping',
          nextGateDate: '2026-03-10',
          priority: {
            businessValue: 8,
            timeCriticality: 5,
            riskReduction: 3,
            jobSize: 3,
            expectedBenefit: 250,
            cost: 150,
          },
          decisions: [buildDecision({ decidedAt: '2026-02-27T09:00:00.000Z' })],
        }),
        raid: buildRaidLog([
          buildRisk({ id: 'R-1', likelihood: 4, impact: 3 }),
          buildRisk({ id: 'R-2', likelihood: 4, impact: 3 }),
          buildRisk({ id: 'R-3', likelihood: 5, impact: 5, residualLikelihood: 1, response: 'reduce' }),
        ]),
      }),
    ]);
    expect(toProjectRow(project as AssessedProject)).toEqual({
      key: 'PMO-7',
      summary: 'Project PMO-7',
      owner: 'acc-ann',
      department: 'Finance',
      stage: 'scoping',
      stageName: 'Scoping',
      stageIndex: 1,
      status: 'active',
      rag: 'amber',
      ragSchedule: 'green',
      ragGate: 'amber',
      ragRisk: 'amber',
      ragRaid: 'green',
      ragBudget: 'none',
      ragTolerance: 'none',
      ragStaleness: 'green',
      lastDecision: 'GO',
      riskMax: 12,
      riskBand: 'high',
      mandatoryOpen: 3,
      nextGateDate: '2026-03-10',
      dueDate: '2026-12-31',
      wsjf: 5.33,
      roi: 0.67,
      reasons: ['gate.mustOpenNearGate', 'risk.highOpen'],
      riskCells: [
        { likelihood: 4, impact: 3 },
        { likelihood: 1, impact: 5 },
      ],
    });
  });

  it('leaves ROI empty, not Infinity, when a tiny cost makes it overflow', () => {
    const [project] = assess([
      healthy('PMO-9', {
        governance: buildGovernance({ priority: { expectedBenefit: 1e308, cost: 0.5 } }),
      }),
    ]);
    const row = toProjectRow(project as AssessedProject);
    expect(row.roi).toBeNull();
    expect(toCsv([row], [{ key: 'roi', header: 'ROI' }])).toBe('ROI\r\n\r\n');
  });

  it('leaves blanks as null for a project without governance', () => {
    const row = toProjectRow(
      assess([healthy('PMO-8', { governance: null, dueDate: undefined })])[0] as AssessedProject,
    );
    expect(row).toMatchObject({
      owner: null,
      department: null,
      stage: null,
      stageName: null,
      stageIndex: null,
      status: 'ungoverned',
      nextGateDate: null,
      dueDate: null,
      wsjf: null,
      roi: null,
    });
  });
});

function row(key: string, overrides: Partial<ProjectRow> = {}): ProjectRow {
  return {
    key,
    summary: `Project ${key}`,
    owner: null,
    department: null,
    stage: 'discovery',
    stageName: 'Discovery',
    stageIndex: 0,
    status: 'active',
    rag: 'green',
    ragSchedule: 'green',
    ragGate: 'green',
    ragRisk: 'green',
    ragRaid: 'green',
    ragBudget: 'none',
    ragTolerance: 'none',
    ragStaleness: 'green',
    lastDecision: 'none',
    riskMax: 0,
    riskBand: 'none',
    mandatoryOpen: 0,
    nextGateDate: null,
    dueDate: null,
    wsjf: null,
    roi: null,
    reasons: [],
    riskCells: [],
    ...overrides,
  };
}

describe('filterRows', () => {
  const rows = [
    row('PMO-1', {
      summary: 'CRM replacement',
      owner: 'ann',
      department: 'Sales',
      rag: 'red',
      riskCells: [{ likelihood: 4, impact: 5 }],
    }),
    row('PMO-2', {
      summary: 'Data centre exit',
      owner: 'bob',
      department: 'IT',
      stage: 'scoping',
      stageName: 'Scoping',
      lastDecision: 'GO',
    }),
    row('PMO-3', {
      summary: 'New payroll',
      owner: 'ann',
      department: null,
      status: 'on-hold',
      rag: 'amber',
      riskCells: [{ likelihood: 5, impact: 4 }],
    }),
    row('OPS-12', { summary: 'Warehouse robots', status: 'ungoverned', stage: null, stageName: null, rag: 'none' }),
  ];
  const keys = (filter: RowFilter) => filterRows(rows, filter).map((r) => r.key);

  it.each<[string, RowFilter, string[]]>([
    ['nothing', {}, ['PMO-1', 'PMO-2', 'PMO-3', 'OPS-12']],
    ['empty lists', { rag: [], owner: [] }, ['PMO-1', 'PMO-2', 'PMO-3', 'OPS-12']],
    ['stage name', { stage: ['Scoping'] }, ['PMO-2']],
    ['stage id', { stage: ['discovery'] }, ['PMO-1', 'PMO-3']],
    ['RAG', { rag: ['red', 'amber'] }, ['PMO-1', 'PMO-3']],
    ['RAG none', { rag: ['none'] }, ['OPS-12']],
    ['owner', { owner: ['ann'] }, ['PMO-1', 'PMO-3']],
    ['department', { department: ['IT', 'Sales'] }, ['PMO-1', 'PMO-2']],
    ['decision', { decision: ['GO'] }, ['PMO-2']],
    ['no decision', { decision: ['none'] }, ['PMO-1', 'PMO-3', 'OPS-12']],
    ['status', { status: ['on-hold', 'ungoverned'] }, ['PMO-3', 'OPS-12']],
    ['text in the summary, any case', { text: 'pAYroll' }, ['PMO-3']],
    ['text in the key', { text: 'ops-1' }, ['OPS-12']],
    ['blank text', { text: '   ' }, ['PMO-1', 'PMO-2', 'PMO-3', 'OPS-12']],
    ['a heat-map cell', { cell: { likelihood: 4, impact: 5 } }, ['PMO-1']],
    ['the mirrored cell', { cell: { likelihood: 5, impact: 4 } }, ['PMO-3']],
    ['an empty cell', { cell: { likelihood: 1, impact: 1 } }, []],
    ['several at once', { owner: ['ann'], rag: ['amber'] }, ['PMO-3']],
  ])('by %s', (_label, filter, expected) => {
    expect(keys(filter)).toEqual(expected);
  });
});

describe('sortRows', () => {
  const rows = [
    row('PMO-10', { rag: 'amber', riskMax: 12, dueDate: '2026-05-01', stageIndex: 1, stageName: 'Scoping', wsjf: 2 }),
    row('PMO-9', { rag: 'red', riskMax: 12, dueDate: null, stageIndex: 0, stageName: 'Discovery', wsjf: null }),
    row('PMO-2', { rag: 'green', riskMax: 4, dueDate: '2026-04-01', stageIndex: 0, stageName: 'Starting up', wsjf: 5 }),
    row('PMO-1', { rag: 'none', riskMax: 0, dueDate: '2026-04-01', stageIndex: null, stageName: null, wsjf: 2 }),
  ];
  const keys = (by: SortKey, direction: 'asc' | 'desc') => sortRows(rows, { by, direction }).map((r) => r.key);

  it.each<[SortKey, 'asc' | 'desc', string[]]>([
    ['key', 'asc', ['PMO-1', 'PMO-2', 'PMO-9', 'PMO-10']],
    ['key', 'desc', ['PMO-10', 'PMO-9', 'PMO-2', 'PMO-1']],
    ['rag', 'desc', ['PMO-9', 'PMO-10', 'PMO-2', 'PMO-1']],
    ['rag', 'asc', ['PMO-1', 'PMO-2', 'PMO-10', 'PMO-9']],
    ['riskMax', 'desc', ['PMO-9', 'PMO-10', 'PMO-2', 'PMO-1']],
    ['dueDate', 'asc', ['PMO-1', 'PMO-2', 'PMO-10', 'PMO-9']],
    ['dueDate', 'desc', ['PMO-10', 'PMO-1', 'PMO-2', 'PMO-9']],
    ['wsjf', 'desc', ['PMO-2', 'PMO-1', 'PMO-10', 'PMO-9']],
    ['wsjf', 'asc', ['PMO-1', 'PMO-10', 'PMO-2', 'PMO-9']],
    ['stage', 'asc', ['PMO-9', 'PMO-2', 'PMO-10', 'PMO-1']],
    ['stage', 'desc', ['PMO-10', 'PMO-2', 'PMO-9', 'PMO-1']],
  ])('by %s %s', (by, direction, expected) => {
    expect(keys(by, direction)).toEqual(expected);
  });

  it('returns a new array and leaves the input alone', () => {
    const before = rows.map((r) => r.key);
    expect(sortRows(rows, { by: 'rag', direction: 'desc' })).not.toBe(rows);
    expect(rows.map((r) => r.key)).toEqual(before);
  });
});

describe('pageRows', () => {
  const rows = Array.from({ length: 5 }, (_, i) => row(`PMO-${i + 1}`));
  it.each<[number, number, string[], number | null]>([
    [0, 2, ['PMO-1', 'PMO-2'], 2],
    [2, 2, ['PMO-3', 'PMO-4'], 4],
    [4, 2, ['PMO-5'], null],
    [3, 2, ['PMO-4', 'PMO-5'], null],
    [5, 2, [], null],
    [0, 5, ['PMO-1', 'PMO-2', 'PMO-3', 'PMO-4', 'PMO-5'], null],
    [0, 4, ['PMO-1', 'PMO-2', 'PMO-3', 'PMO-4'], 4],
    [-3, 0, ['PMO-1'], 1],
  ])('offset %s, limit %s', (offset, limit, expected, nextOffset) => {
    const page = pageRows(rows, { offset, limit });
    expect(page.rows.map((r) => r.key)).toEqual(expected);
    expect(page.nextOffset).toBe(nextOffset);
    expect(page.total).toBe(5);
  });
});

describe('toCsv', () => {
  const columns: CsvColumn[] = [
    { key: 'key', header: 'Key' },
    { key: 'summary', header: 'Summary' },
  ];
  it.each<[string, string, string]>([
    ['plain text', 'Payroll', 'Payroll'],
    ['a comma', 'CRM, phase 2', '"CRM, phase 2"'],
    ['a quote', 'The "big" one', '"The ""big"" one"'],
    ['a line feed', 'two\nlines', '"two\nlines"'],
    ['a carriage return inside', 'a\rb', '"a\rb"'],
    ['a formula', '=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['a plus', '+1 555', "'+1 555"],
    ['a minus', '-2+3', "'-2+3"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\tcmd', "'\tcmd"],
    ['a leading carriage return', '\rcmd', '"\'\rcmd"'],
    ['a minus later on', 'Phase-2', 'Phase-2'],
    ['nothing', '', ''],
  ])('writes %s safely', (_label, summary, cell) => {
    expect(toCsv([row('PMO-1', { summary })], columns)).toBe(`Key,Summary\r\nPMO-1,${cell}\r\n`);
  });

  it.each<[string, string]>([
    ['a space before =', ' =1+1'],
    ['spaces and a tab before +', '  \t+1'],
    ['a line feed before -', '\n-2+3'],
    ['a no-break space before @', '\u00a0@SUM(A1)'],
    ['an ideographic space before =', '\u3000=1'],
    ['a zero-width space before =', '\u200b=HYPERLINK("http://x")'],
    ['a byte-order mark before +', '\ufeff+1'],
    ['a right-to-left override before -', '\u202e-1'],
    ['an isolate and a word joiner before @', '\u2066\u2060@x'],
    ['a control character before =', '\u0000=1'],
    ['a full-width =', '\uff1dHYPERLINK("http://x")'],
    ['a full-width +', '\uff0b1'],
    ['a full-width -', '\uff0d1'],
    ['a full-width @', '\uff20SUM(A1)'],
    ['a small-form =', '\ufe66cmd'],
    ['a superscript +', '\u207a1'],
    ['a space before a full-width =', ' \uff1d1'],
  ])('neutralises a formula after %s', (_label, summary) => {
    const [, line] = toCsv([row('PMO-1', { summary })], columns).split('\r\n');
    const cell = (line ?? '').slice('PMO-1,'.length);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    expect(unquoted).toBe(`'${summary}`);
  });

  it.each([Infinity, -Infinity, NaN])('writes %p as an empty cell', (value) => {
    const csv = toCsv(
      [row('PMO-1', { roi: value, wsjf: value })],
      [
        { key: 'wsjf', header: 'WSJF' },
        { key: 'roi', header: 'ROI' },
      ],
    );
    expect(csv).toBe('WSJF,ROI\r\n,\r\n');
  });

  it('writes numbers as numbers, blanks as empty and lists joined', () => {
    const csv = toCsv(
      [row('PMO-1', { riskMax: -0, wsjf: 5.33, roi: null, reasons: ['gate.onHold', 'risk.highOpen'] })],
      [
        { key: 'riskMax', header: 'Risk' },
        { key: 'wsjf', header: 'WSJF' },
        { key: 'roi', header: 'ROI' },
        { key: 'reasons', header: 'Reasons' },
      ],
    );
    expect(csv).toBe('Risk,WSJF,ROI,Reasons\r\n0,5.33,,gate.onHold; risk.highOpen\r\n');
  });

  it('writes a header line only for no rows, and every default column otherwise', () => {
    expect(toCsv([], columns)).toBe('Key,Summary\r\n');
    const lines = toCsv([row('PMO-1'), row('PMO-2')]).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]?.split(',')).toHaveLength(DEFAULT_CSV_COLUMNS.length);
    expect(lines[3]).toBe('');
  });
});

describe('neutraliseFormula', () => {
  // Kept apart from the implementation's character classes on purpose: the test's own list of what a spreadsheet
  // skips before a formula, and of what starts one.
  const SKIPPED = [' ', '\t', '\n', '\r', '\u000b', '\u00a0', '\u2003', '\u3000', '\u200b', '\u200c', '\u200d'];
  const SKIPPED_TOO = ['\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2060', '\u2061'];
  const SKIPPED_ALSO = ['\u2062', '\u2063', '\u2064', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\u0000'];
  const skipped = fc.constantFrom(...SKIPPED, ...SKIPPED_TOO, ...SKIPPED_ALSO);
  const FORMULA = ['=', '+', '-', '@', '\uff1d', '\uff0b', '\uff0d', '\uff20', '\ufe66', '\ufe62', '\ufe63', '\ufe6b'];
  const formula = fc.constantFrom(...FORMULA);

  it('prefixes every text whose first character after skipped ones starts a formula', () => {
    fc.assert(
      fc.property(fc.array(skipped, { maxLength: 6 }), formula, fc.string({ maxLength: 20 }), (lead, start, rest) => {
        const text = `${lead.join('')}${start}${rest}`;
        expect(neutraliseFormula(text)).toBe(`'${text}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('changes nothing but adding the one quote, and never quotes what it already quoted', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (text) => {
        expect([text, `'${text}`]).toContain(neutraliseFormula(text));
        expect(neutraliseFormula(`'${text}`)).toBe(`'${text}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves ordinary text alone, also with invisible characters inside', () => {
    const ordinary = fc.constantFrom('a', 'Z', '7', 'ø', '中', 'ש', '(', '"', "'", '#', '%', '€');
    fc.assert(
      fc.property(
        fc.array(
          skipped.filter((c) => c !== '\t' && c !== '\r'),
          { maxLength: 4 },
        ),
        ordinary,
        fc.string({ maxLength: 20 }),
        (lead, start, rest) => {
          // A leading tab or carriage return is prefixed on its own (OWASP), whatever follows; the rest is not.
          const text = `${lead.join('')}${start}${rest}`;
          expect(neutraliseFormula(text)).toBe(text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('prefixes a leading tab or carriage return on its own, as OWASP lists them', () => {
    expect(neutraliseFormula('\tcmd')).toBe("'\tcmd");
    expect(neutraliseFormula('\rcmd')).toBe("'\rcmd");
    expect(neutraliseFormula('')).toBe('');
    expect(neutraliseFormula('   ')).toBe('   ');
  });
});

describe('portfolioEntry', () => {
  const projects = assess([
    healthy('PMO-1', {
      raid: buildRaidLog([buildRisk({ likelihood: 4, impact: 5 }), buildIssue({ dueDate: YESTERDAY })]),
    }),
    healthy('PMO-2', { dueDate: YESTERDAY, evm: { bac: 100, pv: 50, ev: 40, ac: 60 } }),
    healthy('PMO-3', { governance: buildGovernance({ status: 'completed', completedAt: '2026-02-20T09:00:00.000Z' }) }),
    healthy('PMO-4', { governance: null }),
  ]);
  const entries = projects.map(portfolioEntry);
  // As the read model stores it and Forge SQL answers with it.
  const stored = JSON.parse(JSON.stringify(entries)) as typeof entries;
  const period = { from: '2026-01-01', to: TODAY };

  it('gives the same figures after a trip through JSON, as a stored entry is read', () => {
    expect(stored).toEqual(entries);
    expect(portfolioCounts(stored)).toEqual(portfolioCounts(entries));
    expect(
      portfolioKpis(
        stored.map((e) => e.kpi),
        period,
        TODAY,
      ),
    ).toEqual(
      portfolioKpis(
        projects.map((p) => kpiInputsOf(p.facts)),
        period,
        TODAY,
      ),
    );
    expect(portfolioExceptions(stored)).toEqual(portfolioExceptions(entries));
    expect(portfolioMap(stored)).toEqual(portfolioMap(entries));
  });

  it('keeps the row the table shows and places no risk of a closed project', () => {
    expect(stored.map((e) => e.row)).toEqual(projects.map((p) => toProjectRow(p)));
    expect(stored.find((e) => e.row.key === 'PMO-3')).toMatchObject({ closed: true, risks: [] });
    expect(stored.find((e) => e.row.key === 'PMO-1')?.risks).toHaveLength(1);
  });
});
