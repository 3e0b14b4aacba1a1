import {
  assessHealth,
  DEFAULT_HEALTH_CONFIG,
  type HealthConfigInput,
  healthConfigSchema,
  type HealthDimension,
  type ProjectFacts,
  type ProjectHealth,
  scheduleDeviation,
  topReasons,
} from './health';
import { type RagOrNone } from './rag';
import { type RiskLevel } from './risk';
import {
  allMustsDone,
  buildAssumption,
  buildChecklistItem,
  buildDecision,
  buildDependency,
  buildFacts,
  buildGovernance,
  buildIssue,
  buildRaidLog,
  buildReview,
  buildRisk,
  COOPER,
} from './testing/builders';
import { type Tolerance } from './tolerances';

const TODAY = '2026-03-02';
const YESTERDAY = '2026-03-01';
const TOMORROW = '2026-03-03';
const G1 = 'g1-idea-screen';

const config = (input: HealthConfigInput = {}) => healthConfigSchema.parse(input);

function assess(
  overrides: Partial<ProjectFacts> = {},
  input: HealthConfigInput = {},
  counterpartyRag?: (key: string) => RagOrNone | undefined,
): ProjectHealth {
  return assessHealth(buildFacts(overrides), config(input), TODAY, counterpartyRag);
}

const codes = (health: ProjectHealth, dimension: HealthDimension) =>
  health.dimensions[dimension].reasons.map((r) => r.code);

/** A project with nothing wrong anywhere, so each test can break exactly one thing. */
function greenFacts(overrides: Partial<ProjectFacts> = {}): Partial<ProjectFacts> {
  return {
    dueDate: '2026-12-31',
    governance: buildGovernance({
      nextGateDate: '2026-06-01',
      gates: { [G1]: allMustsDone(COOPER, G1) },
      reviews: [buildReview({ at: '2026-02-27T10:00:00.000Z' })],
    }),
    evm: { bac: 100, pv: 40, ev: 40, ac: 40 },
    ...overrides,
  };
}

describe('health configuration', () => {
  it('fills every default from an empty object', () => {
    const parsed = healthConfigSchema.parse({});
    expect(parsed).toMatchObject({
      schedule: { enabled: true, deviationAmberPercent: 25 },
      gate: { enabled: true, warningDays: 14 },
      risk: { enabled: true, extremeCountRed: 1 },
      raid: { enabled: true },
      budget: { enabled: true, evm: { index: { green: 0.95, amber: 0.85 } } },
      tolerance: { enabled: true, amberAt: 0.8 },
      staleness: { enabled: true, amberAfterDays: 14, redAfterDays: 30 },
      ambersMakeRed: null,
    });
    expect(parsed.risk.bands.map((b) => [b.band, b.min, b.max])).toEqual([
      ['low', 1, 3],
      ['moderate', 4, 6],
      ['high', 8, 12],
      ['extreme', 15, 25],
    ]);
    expect(DEFAULT_HEALTH_CONFIG).toEqual(parsed);
  });

  it.each<[string, HealthConfigInput]>([
    ['red staleness not after amber', { staleness: { amberAfterDays: 14, redAfterDays: 14 } }],
    ['one amber making red', { ambersMakeRed: 1 }],
    ['more ambers than dimensions', { ambersMakeRed: 8 }],
    ['negative warning days', { gate: { warningDays: -1 } }],
    ['amberAt above 1', { tolerance: { amberAt: 1.1 } }],
    ['overlapping risk bands', { risk: { bands: [{ band: 'low', min: 1, max: 25 }] } }],
  ])('refuses %s', (_label, input) => {
    expect(healthConfigSchema.safeParse(input).success).toBe(false);
  });

  it.each<[string, HealthConfigInput]>([
    ['staleness red one day after amber', { staleness: { amberAfterDays: 14, redAfterDays: 15 } }],
    ['two ambers making red', { ambersMakeRed: 2 }],
    ['all seven ambers making red', { ambersMakeRed: 7 }],
  ])('accepts %s', (_label, input) => {
    expect(healthConfigSchema.safeParse(input).success).toBe(true);
  });
});

describe('schedule: due date', () => {
  it.each<[string | undefined, ProjectFacts['jiraStatusCategory'], RagOrNone, string, Record<string, unknown>]>([
    [YESTERDAY, 'indeterminate', 'red', 'schedule.overdue', { dueDate: YESTERDAY, days: 1 }],
    ['2026-02-20', undefined, 'red', 'schedule.overdue', { days: 10 }],
    [TODAY, 'indeterminate', 'green', 'schedule.dueAhead', { dueDate: TODAY, days: 0 }],
    [TOMORROW, 'indeterminate', 'green', 'schedule.dueAhead', { days: 1 }],
    [YESTERDAY, 'done', 'green', 'schedule.delivered', { dueDate: YESTERDAY }],
    [undefined, 'indeterminate', 'none', 'schedule.noDueDate', {}],
  ])('due %s (Jira %s) is %s', (dueDate, jiraStatusCategory, rag, code, params) => {
    const health = assess({ dueDate, jiraStatusCategory });
    expect(health.dimensions.schedule.rag).toBe(rag);
    expect(health.dimensions.schedule.reasons[0]).toMatchObject({ code, params });
  });
});

describe('schedule: deviation fallback without cost data', () => {
  // 120-day plan from 2026-01-01; on 2026-03-02 sixty days have passed, so half should be done.
  const plan = { startDate: '2026-01-01', dueDate: '2026-05-01' };

  it('computes planned share and deviation the Wrike way', () => {
    expect(scheduleDeviation('2026-01-01', '2026-04-11', 0.3, TODAY)).toEqual({ planned: 0.6, deviation: 50 });
  });

  it.each<[number, number, RagOrNone, string, number]>([
    [0.375, 25, 'green', 'schedule.onPlan', 25],
    [0.37, 25, 'amber', 'schedule.behindPlan', 26],
    [0.35, 30, 'green', 'schedule.onPlan', 30],
    [0.34, 30, 'amber', 'schedule.behindPlan', 32],
    [0.5, 25, 'green', 'schedule.onPlan', 0],
    [1, 25, 'green', 'schedule.onPlan', 0],
  ])('progress %s with threshold %s%% is %s', (progress, threshold, rag, code, deviation) => {
    const health = assess({ ...plan, progress }, { schedule: { deviationAmberPercent: threshold } });
    expect(health.dimensions.schedule.rag).toBe(rag);
    expect(health.dimensions.schedule.reasons[1]).toMatchObject({
      code,
      params: { deviation, plannedPercent: 50, actualPercent: Math.round(progress * 100), threshold },
    });
  });

  it.each<[string, Partial<ProjectFacts>]>([
    ['no progress is reported', { ...plan }],
    ['the plan has no length', { startDate: '2026-04-11', dueDate: '2026-04-11', progress: 0 }],
    ['the project has not started', { startDate: '2026-03-02', dueDate: '2026-05-01', progress: 0 }],
  ])('is not used when %s', (_label, facts) => {
    expect(codes(assess(facts), 'schedule')).toEqual(['schedule.dueAhead']);
  });

  it('falls back to the governance start when the issue has no start date', () => {
    const governance = buildGovernance({ startedAt: '2026-01-01T08:00:00.000Z' });
    const health = assess({ governance, dueDate: '2026-05-01', progress: 0.37 });
    expect(health.dimensions.schedule.reasons[1]).toMatchObject({ code: 'schedule.behindPlan' });
  });
});

describe('schedule: earned value', () => {
  it.each<[string, ProjectFacts['evm'], RagOrNone, string[]]>([
    ['SPI 1.0', { bac: 100, pv: 50, ev: 50, ac: 50 }, 'green', ['schedule.dueAhead', 'evm.spiOnTrack']],
    ['SPI 0.9', { bac: 100, pv: 50, ev: 45, ac: 45 }, 'amber', ['schedule.dueAhead', 'evm.spiBelow']],
    ['SPI 0.8', { bac: 100, pv: 50, ev: 40, ac: 40 }, 'red', ['schedule.dueAhead', 'evm.spiBelow']],
  ])('uses %s instead of the deviation fallback', (_label, evm, rag, expected) => {
    // Progress 0 would be far behind plan by Wrike's rule; with cost data SPI decides.
    const health = assess({ startDate: '2026-01-01', dueDate: '2026-04-11', progress: 0, evm });
    expect(health.dimensions.schedule.rag).toBe(rag);
    expect(codes(health, 'schedule')).toEqual(expected);
  });

  it('judges nothing when there is neither a due date nor a computable SPI', () => {
    const health = assess({ evm: { bac: 100, pv: 0, ev: 0, ac: 0 } });
    expect(health.dimensions.schedule.rag).toBe('none');
    expect(codes(health, 'schedule')).toEqual(['schedule.noDueDate', 'evm.spiUnavailable']);
  });
});

describe('gate: governance and template', () => {
  it.each<[string, Partial<ProjectFacts>, string]>([
    ['not under governance', { governance: null }, 'gate.ungoverned'],
    ['template missing', { template: null }, 'gate.templateMissing'],
    ['stage not in the template', { governance: buildGovernance({ stage: 'nowhere' }) }, 'gate.unknownStage'],
  ])('is amber when %s', (_label, facts, code) => {
    const health = assess(facts);
    expect(health.dimensions.gate).toMatchObject({ rag: 'amber', reasons: [{ code }] });
  });

  it('is green at the last stage, which has no gate', () => {
    const health = assess({ governance: buildGovernance({ stage: 'launch' }) });
    expect(health.dimensions.gate).toMatchObject({
      rag: 'green',
      reasons: [{ code: 'gate.finalStage', params: { stage: 'Launch & Post-Launch Review' } }],
    });
  });

  it('is amber when an active project has a next gate but no date for it', () => {
    const health = assess({ governance: buildGovernance() });
    expect(health.dimensions.gate).toMatchObject({
      rag: 'amber',
      reasons: [{ code: 'gate.noGateDate', params: { gate: 'Gate 1: Idea Screen' } }],
    });
  });
});

describe('gate: the gate date', () => {
  const open = {};
  const done = allMustsDone(COOPER, G1);
  it.each<[string, string, Record<string, unknown>, RagOrNone, string[]]>([
    ['15 days ahead, must-meet open', '2026-03-17', open, 'green', ['gate.onTrack']],
    ['14 days ahead, must-meet open', '2026-03-16', open, 'amber', ['gate.mustOpenNearGate']],
    ['today, must-meet open', TODAY, open, 'amber', ['gate.mustOpenNearGate']],
    ['14 days ahead, all done', '2026-03-16', done, 'green', ['gate.onTrack']],
    ['today, all done', TODAY, done, 'green', ['gate.onTrack']],
    ['passed, all done, no decision', YESTERDAY, done, 'red', ['gate.reviewOverdue']],
    ['passed, must-meet open', YESTERDAY, open, 'red', ['gate.reviewOverdue', 'gate.mustOpenAfterGate']],
  ])('%s', (_label, nextGateDate, items, rag, expected) => {
    const governance = buildGovernance({ nextGateDate, gates: { [G1]: items as typeof done } });
    const health = assess({ governance });
    expect(health.dimensions.gate.rag).toBe(rag);
    expect(codes(health, 'gate')).toEqual(expected);
  });

  it('names the open must-meet items and the days left', () => {
    const items = { ...allMustsDone(COOPER, G1), feasible: buildChecklistItem({ state: 'open' }) };
    const governance = buildGovernance({ nextGateDate: '2026-03-12', gates: { [G1]: items } });
    expect(assess({ governance }).dimensions.gate.reasons[0]).toEqual({
      code: 'gate.mustOpenNearGate',
      rag: 'amber',
      params: {
        gate: 'Gate 1: Idea Screen',
        gateDate: '2026-03-12',
        days: 10,
        count: 1,
        items: 'Technically feasible at first look',
      },
    });
  });

  it.each<[number, string, RagOrNone]>([
    [0, TODAY, 'amber'],
    [0, TOMORROW, 'green'],
    [30, '2026-04-01', 'amber'],
    [30, '2026-04-02', 'green'],
  ])('with warningDays %s, a gate on %s with open items is %s', (warningDays, nextGateDate, rag) => {
    const health = assess({ governance: buildGovernance({ nextGateDate }) }, { gate: { warningDays } });
    expect(health.dimensions.gate.rag).toBe(rag);
  });

  it.each<[string, string, string, RagOrNone, string[]]>([
    ['a Recycle on the gate day', 'RECYCLE', '2026-02-20T15:00:00.000Z', 'amber', ['gate.newDateNeeded']],
    ['a Hold the day after', 'HOLD', '2026-02-21T09:00:00.000Z', 'amber', ['gate.newDateNeeded']],
    ['a Recycle the day before', 'RECYCLE', '2026-02-19T23:00:00.000Z', 'red', ['gate.reviewOverdue']],
  ])(
    'after the gate date, %s asks for a new date or counts as missing',
    (_label, outcome, decidedAt, rag, expected) => {
      const governance = buildGovernance({
        nextGateDate: '2026-02-20',
        gates: { [G1]: allMustsDone(COOPER, G1) },
        decisions: [buildDecision({ outcome: outcome as 'RECYCLE', decidedAt })],
      });
      const health = assess({ governance });
      expect(health.dimensions.gate.rag).toBe(rag);
      expect(codes(health, 'gate')).toEqual(expected);
    },
  );

  it('does not count a decision at another gate as the review of this one', () => {
    const governance = buildGovernance({
      stage: 'scoping',
      nextGateDate: '2026-02-20',
      gates: { 'g2-second-screen': allMustsDone(COOPER, 'g2-second-screen') },
      decisions: [buildDecision({ gateId: G1, outcome: 'GO', decidedAt: '2026-02-25T09:00:00.000Z' })],
    });
    expect(codes(assess({ governance }), 'gate')).toEqual(['gate.reviewOverdue']);
  });
});

describe('gate: no gate ahead of a closed project', () => {
  it.each(['completed', 'killed'] as const)(
    'a %s project shows no next gate, whatever date its record held',
    (status) => {
      const health = assess({ governance: buildGovernance({ status, nextGateDate: YESTERDAY }) });
      expect(health.summary.nextGateDate).toBeUndefined();
    },
  );

  it('a project on hold keeps the date it comes back to the gate', () => {
    const health = assess({ governance: buildGovernance({ status: 'on-hold', nextGateDate: TOMORROW }) });
    expect(health.summary.nextGateDate).toBe(TOMORROW);
  });
});

describe('gate: on hold and Conditional-Go conditions', () => {
  it('is amber on hold, since the Hold decision', () => {
    const governance = buildGovernance({
      status: 'on-hold',
      nextGateDate: '2026-01-20',
      decisions: [buildDecision({ outcome: 'HOLD', decidedAt: '2026-01-20T14:00:00.000Z' })],
    });
    expect(assess({ governance }).dimensions.gate).toEqual({
      dimension: 'gate',
      rag: 'amber',
      reasons: [{ code: 'gate.onHold', rag: 'amber', params: { stage: 'Discovery', since: '2026-01-20' } }],
    });
  });

  const conditional = (overrides: Parameters<typeof buildDecision>[0]) =>
    buildGovernance({
      stage: 'scoping',
      nextGateDate: '2026-06-01',
      gates: { 'g2-second-screen': allMustsDone(COOPER, 'g2-second-screen') },
      decisions: [
        buildDecision({
          outcome: 'CONDITIONAL_GO',
          conditions: [
            { id: 'c1', text: 'Sign the supplier contract' },
            { id: 'c2', text: 'Name a sponsor', metAt: '2026-02-01T09:00:00.000Z', metBy: 'acc-pmo' },
          ],
          ...overrides,
        }),
      ],
    });

  it.each<[string, Parameters<typeof buildDecision>[0], RagOrNone, string[]]>([
    ['due yesterday, unmet', { conditionsDueDate: YESTERDAY }, 'red', ['gate.conditionsOverdue', 'gate.onTrack']],
    ['due today, unmet', { conditionsDueDate: TODAY }, 'green', ['gate.conditionsOpen', 'gate.onTrack']],
    ['without a due date', {}, 'amber', ['gate.conditionsUndated', 'gate.onTrack']],
    [
      'lapsed to Recycle already',
      {
        conditionsDueDate: YESTERDAY,
        lapsed: { at: '2026-03-02T08:00:00.000Z', by: 'acc-pmo', outcome: 'RECYCLE', rationale: 'Not met.' },
      },
      'green',
      ['gate.onTrack'],
    ],
  ])('conditions %s', (_label, overrides, rag, expected) => {
    const health = assess({ governance: conditional(overrides) });
    expect(health.dimensions.gate.rag).toBe(rag);
    expect(codes(health, 'gate')).toEqual(expected);
  });

  it('names the unmet conditions and says they should be recycled or killed', () => {
    const health = assess({ governance: conditional({ conditionsDueDate: YESTERDAY }) });
    expect(health.dimensions.gate.reasons[0]).toEqual({
      code: 'gate.conditionsOverdue',
      rag: 'red',
      params: { gate: 'Gate 1: Idea Screen', count: 1, conditions: 'Sign the supplier contract', dueDate: YESTERDAY },
    });
  });

  it('ignores conditions once every one is met', () => {
    const governance = conditional({ conditionsDueDate: YESTERDAY });
    const met = {
      ...governance,
      decisions: governance.decisions.map((d) => ({
        ...d,
        conditions: d.conditions.map((c) => ({ ...c, metAt: '2026-02-27T09:00:00.000Z', metBy: 'acc-pmo' })),
      })),
    };
    expect(codes(assess({ governance: met }), 'gate')).toEqual(['gate.onTrack']);
  });
});

describe('risk: the highest residual band of open risks', () => {
  it.each<[string, Parameters<typeof buildRisk>[0][], RagOrNone, string, Record<string, unknown>]>([
    ['no risks', [], 'green', 'risk.noOpenRisks', {}],
    ['low (2×2)', [{}], 'green', 'risk.noneAboveModerate', { count: 1, maxScore: 4 }],
    ['moderate (2×3)', [{ likelihood: 2, impact: 3 }], 'green', 'risk.noneAboveModerate', { maxScore: 6 }],
    ['high (4×2)', [{ likelihood: 4, impact: 2 }], 'amber', 'risk.highOpen', { count: 1, ids: 'R-1', maxScore: 8 }],
    ['high (3×4)', [{ likelihood: 3, impact: 4, response: 'reduce' }], 'amber', 'risk.highOpen', { maxScore: 12 }],
    ['extreme (3×5)', [{ likelihood: 3, impact: 5, response: 'reduce' }], 'red', 'risk.extremeOpen', { maxScore: 15 }],
    [
      'extreme reduced to moderate',
      [{ likelihood: 5, impact: 5, response: 'reduce', residualLikelihood: 2, residualImpact: 3 }],
      'green',
      'risk.noneAboveModerate',
      { maxScore: 6 },
    ],
    ['a closed extreme', [{ likelihood: 5, impact: 5, status: 'closed' }], 'green', 'risk.noOpenRisks', {}],
  ])('%s', (_label, risks, rag, code, params) => {
    const raid = buildRaidLog(risks.map((r, i) => buildRisk({ id: `R-${i + 1}`, ...r })));
    const health = assess({ raid });
    expect(health.dimensions.risk.rag).toBe(rag);
    expect(health.dimensions.risk.reasons.at(-1)).toMatchObject({ code, params });
  });

  it.each<[RiskLevel, RiskLevel, RagOrNone]>([
    [4, 4, 'amber'],
    [4, 5, 'red'],
  ])('follows configured bands: %s×%s is %s when extreme starts at 20', (likelihood, impact, rag) => {
    const bands = [
      { band: 'low' as const, min: 1, max: 4 },
      { band: 'moderate' as const, min: 5, max: 10 },
      { band: 'high' as const, min: 12, max: 16 },
      { band: 'extreme' as const, min: 20, max: 25 },
    ];
    const raid = buildRaidLog([buildRisk({ likelihood, impact, response: 'reduce' })]);
    expect(assess({ raid }, { risk: { bands } }).dimensions.risk.rag).toBe(rag);
  });

  it.each<[number, number, RagOrNone]>([
    [1, 1, 'red'],
    [2, 1, 'amber'],
    [2, 2, 'red'],
    [3, 2, 'amber'],
  ])('with extremeCountRed %s, %s open extreme risks are %s', (extremeCountRed, count, rag) => {
    const raid = buildRaidLog(
      Array.from({ length: count }, (_, i) =>
        buildRisk({ id: `R-${i + 1}`, likelihood: 5, impact: 3, response: 'reduce' }),
      ),
    );
    const health = assess({ raid }, { risk: { extremeCountRed } });
    expect(health.dimensions.risk.rag).toBe(rag);
    expect(codes(health, 'risk')).toEqual(['risk.extremeOpen']);
  });

  it('reports the highest residual risk in the summary', () => {
    const raid = buildRaidLog([
      buildRisk({ id: 'R-1', likelihood: 3, impact: 3 }),
      buildRisk({ id: 'R-2', likelihood: 4, impact: 4, response: 'reduce', residualLikelihood: 2 }),
      buildRisk({ id: 'R-3', likelihood: 5, impact: 5, status: 'closed' }),
    ]);
    expect(assess({ raid }).summary).toMatchObject({ riskMax: 9, riskBand: 'high' });
    expect(assess({}).summary).toMatchObject({ riskMax: 0, riskBand: 'none' });
  });
});

describe('risk: unmitigated extremes', () => {
  it.each<[string, Parameters<typeof buildRisk>[0], boolean]>([
    ['no response', {}, true],
    ['accepted, residual not assessed', { response: 'accept' }, true],
    ['accepted, residual assessed', { response: 'accept', residualLikelihood: 5, residualImpact: 5 }, false],
    ['accepted, one residual axis assessed', { response: 'accept', residualImpact: 3 }, false],
    ['reduced, residual not assessed', { response: 'reduce' }, false],
    ['transferred', { response: 'transfer' }, false],
  ])('an extreme with %s', (_label, overrides, flagged) => {
    const raid = buildRaidLog([buildRisk({ id: 'R-7', title: 'Vendor exit', likelihood: 4, impact: 5, ...overrides })]);
    const reasons = assess({ raid }).dimensions.risk.reasons;
    const found = reasons.find((r) => r.code === 'risk.unmitigatedExtreme');
    if (flagged) {
      expect(found).toEqual({
        code: 'risk.unmitigatedExtreme',
        rag: 'red',
        params: { id: 'R-7', title: 'Vendor exit', score: 20, response: overrides?.response ?? 'none' },
      });
    } else {
      expect(found).toBeUndefined();
    }
  });

  it('flags an unmitigated extreme even when extremeCountRed would keep the band amber', () => {
    const raid = buildRaidLog([buildRisk({ likelihood: 5, impact: 5 })]);
    const health = assess({ raid }, { risk: { extremeCountRed: 3 } });
    expect(health.dimensions.risk.rag).toBe('red');
    expect(health.dimensions.risk.reasons.map((r) => [r.code, r.rag])).toEqual([
      ['risk.unmitigatedExtreme', 'red'],
      ['risk.extremeOpen', 'amber'],
    ]);
  });

  it('does not flag a high risk without a response', () => {
    const raid = buildRaidLog([buildRisk({ likelihood: 3, impact: 4 })]);
    expect(codes(assess({ raid }), 'risk')).toEqual(['risk.highOpen']);
  });
});

describe('raid: issues', () => {
  it.each<[string, Parameters<typeof buildIssue>[0], RagOrNone, string]>([
    ['critical, due yesterday', { severity: 3, dueDate: YESTERDAY }, 'red', 'raid.criticalIssueOverdue'],
    ['critical, due today', { severity: 3, dueDate: TODAY }, 'green', 'raid.clear'],
    ['major, due yesterday', { severity: 2, dueDate: YESTERDAY }, 'amber', 'raid.issueOverdue'],
    ['minor, due yesterday', { severity: 1, dueDate: YESTERDAY }, 'amber', 'raid.issueOverdue'],
    ['major, no due date', { severity: 2 }, 'green', 'raid.clear'],
    ['critical, closed late', { severity: 3, dueDate: YESTERDAY, status: 'closed' }, 'green', 'raid.clear'],
  ])('%s', (_label, overrides, rag, code) => {
    const health = assess({ raid: buildRaidLog([buildIssue(overrides)]) });
    expect(health.dimensions.raid).toMatchObject({ rag, reasons: [{ code }] });
  });

  it('names each overdue critical issue and groups the others', () => {
    const raid = buildRaidLog([
      buildIssue({ id: 'I-1', title: 'Supplier insolvent', severity: 3, dueDate: '2026-02-25' }),
      buildIssue({ id: 'I-2', severity: 2, dueDate: YESTERDAY }),
      buildIssue({ id: 'I-3', severity: 1, dueDate: YESTERDAY }),
    ]);
    expect(assess({ raid }).dimensions.raid.reasons).toEqual([
      {
        code: 'raid.criticalIssueOverdue',
        rag: 'red',
        params: { id: 'I-1', title: 'Supplier insolvent', dueDate: '2026-02-25', days: 5 },
      },
      { code: 'raid.issueOverdue', rag: 'amber', params: { count: 2, ids: 'I-2, I-3' } },
    ]);
  });
});

describe('raid: assumptions', () => {
  it.each<[string, Parameters<typeof buildAssumption>[0], RagOrNone, string]>([
    ['critical, unvalidated, no date', { sensitivity: 'critical' }, 'amber', 'raid.assumptionUnvalidated'],
    [
      'critical, unvalidated, due today',
      { sensitivity: 'critical', validateBy: TODAY },
      'amber',
      'raid.assumptionUnvalidated',
    ],
    [
      'critical, unvalidated, due yesterday',
      { sensitivity: 'critical', validateBy: YESTERDAY },
      'red',
      'raid.assumptionValidationOverdue',
    ],
    [
      'critical, validated',
      { sensitivity: 'critical', validation: 'validated', validateBy: YESTERDAY },
      'green',
      'raid.clear',
    ],
    [
      'critical, invalidated',
      { sensitivity: 'critical', validation: 'invalidated' },
      'red',
      'raid.assumptionInvalidated',
    ],
    ['critical, closed', { sensitivity: 'critical', status: 'closed' }, 'green', 'raid.clear'],
  ])('%s', (_label, overrides, rag, code) => {
    const health = assess({ raid: buildRaidLog([buildAssumption(overrides)]) });
    expect(health.dimensions.raid).toMatchObject({ rag, reasons: [{ code }] });
  });

  it.each<[string, Parameters<typeof buildAssumption>[0], string]>([
    [
      'high, unvalidated, due yesterday',
      { sensitivity: 'high', validateBy: YESTERDAY },
      'raid.minorAssumptionValidationLate',
    ],
    ['high, unvalidated, due today', { sensitivity: 'high', validateBy: TODAY }, 'raid.minorAssumptionUnvalidated'],
    ['low, invalidated', { validation: 'invalidated' }, 'raid.minorAssumptionInvalidated'],
  ])('%s: green by rule, but named, and never summed up as "none unvalidated"', (_label, overrides, note) => {
    const health = assess({ raid: buildRaidLog([buildAssumption(overrides)]) });
    expect(health.dimensions.raid.rag).toBe('green');
    expect(health.dimensions.raid.reasons).toEqual([
      { code: 'raid.noneFlagged', rag: 'green', params: { open: 1 } },
      { code: note, rag: 'green', params: { count: 1, ids: 'A-1' } },
    ]);
  });

  it('a validated minor assumption leaves the RAID log clear', () => {
    const health = assess({ raid: buildRaidLog([buildAssumption({ sensitivity: 'high', validation: 'validated' })]) });
    expect(codes(health, 'raid')).toEqual(['raid.clear']);
  });
});

describe('raid: dependencies', () => {
  const red = (key: string): RagOrNone | undefined => (key === 'PMO-99' ? 'red' : undefined);
  const amber = (): RagOrNone => 'amber';
  it.each<[string, Parameters<typeof buildDependency>[0], typeof red | undefined, RagOrNone, string[]]>([
    ['on track', {}, undefined, 'green', ['raid.clear']],
    ['blocked', { deliveryStatus: 'blocked' }, undefined, 'red', ['raid.dependencyBlocked']],
    ['at risk', { deliveryStatus: 'at-risk' }, undefined, 'amber', ['raid.dependencyAtRisk']],
    ['needed yesterday', { neededBy: YESTERDAY }, undefined, 'red', ['raid.dependencyLate']],
    ['needed today', { neededBy: TODAY }, undefined, 'green', ['raid.clear']],
    ['delivered late', { neededBy: YESTERDAY, deliveryStatus: 'delivered' }, undefined, 'green', ['raid.clear']],
    ['on a red project', {}, red, 'red', ['raid.dependencyRed']],
    ['on an amber project', {}, amber, 'green', ['raid.clear']],
    ['on a project we cannot see', { counterpartyKey: 'OPS-1' }, red, 'green', ['raid.clear']],
    ['outbound to a red project', { direction: 'outbound' }, red, 'green', ['raid.clear']],
    ['delivered by a red project', { deliveryStatus: 'delivered' }, red, 'green', ['raid.clear']],
    ['closed, on a red project', { status: 'closed' }, red, 'green', ['raid.clear']],
    [
      'blocked and late',
      { deliveryStatus: 'blocked', neededBy: YESTERDAY },
      undefined,
      'red',
      ['raid.dependencyBlocked', 'raid.dependencyLate'],
    ],
  ])('%s', (_label, overrides, lookup, rag, expected) => {
    const health = assess({ raid: buildRaidLog([buildDependency(overrides)]) }, {}, lookup);
    expect(health.dimensions.raid.rag).toBe(rag);
    expect(codes(health, 'raid')).toEqual(expected);
  });

  it('names the project it depends on', () => {
    const health = assess({ raid: buildRaidLog([buildDependency({ id: 'D-3', counterpartyKey: 'PMO-99' })]) }, {}, red);
    expect(health.dimensions.raid.reasons[0]).toEqual({
      code: 'raid.dependencyRed',
      rag: 'red',
      params: { id: 'D-3', counterparty: 'PMO-99', direction: 'inbound' },
    });
  });
});

describe('raid: reviews', () => {
  it.each<[string | undefined, RagOrNone, string]>([
    [YESTERDAY, 'amber', 'raid.reviewOverdue'],
    [TODAY, 'green', 'raid.clear'],
    [undefined, 'green', 'raid.clear'],
  ])('an item due for review on %s is %s', (nextReviewAt, rag, code) => {
    const raid = buildRaidLog([buildRisk({ nextReviewAt }), buildIssue({ nextReviewAt })]);
    const health = assess({ raid });
    expect(health.dimensions.raid).toMatchObject({ rag, reasons: [{ code }] });
    if (rag === 'amber') expect(health.dimensions.raid.reasons[0]?.params).toEqual({ count: 2, ids: 'R-1, I-1' });
  });
});

describe('budget', () => {
  it.each<[string, ProjectFacts['evm'], RagOrNone, string[]]>([
    ['no cost data', undefined, 'none', ['budget.noCostData']],
    ['on budget', { bac: 100, pv: 50, ev: 50, ac: 50 }, 'green', ['evm.cpiOnTrack', 'evm.eacWithinBudget']],
    ['overspent', { bac: 100, pv: 50, ev: 40, ac: 50 }, 'red', ['evm.cpiBelow', 'evm.eacOverBudget']],
    ['nothing spent yet', { bac: 100, pv: 0, ev: 0, ac: 0 }, 'none', ['evm.cpiUnavailable', 'evm.eacUnavailable']],
    ['negative figures', { bac: 100, pv: 50, ev: 50, ac: -1 }, 'none', ['budget.invalidCostData']],
  ])('%s', (_label, evm, rag, expected) => {
    const health = assess({ evm });
    expect(health.dimensions.budget.rag).toBe(rag);
    expect(codes(health, 'budget')).toEqual(expected);
  });
});

describe('tolerance', () => {
  const time = (forecast: number): Tolerance => ({
    aspect: 'time',
    level: 'stage',
    baseline: 100,
    forecast,
    plus: 10,
    minus: 10,
  });
  it.each<[string, Tolerance[], number | undefined, RagOrNone, boolean]>([
    ['none set', [], undefined, 'none', false],
    ['79% used', [time(107.9)], undefined, 'green', false],
    ['80% used', [time(108)], undefined, 'amber', false],
    ['at the limit', [time(110)], undefined, 'amber', false],
    ['beyond the limit', [time(110.5)], undefined, 'red', true],
    ['80% used with amberAt 0.9', [time(108)], 0.9, 'green', false],
  ])('%s', (_label, tolerances, amberAt, rag, exception) => {
    const health = assess(
      { governance: buildGovernance({ tolerances }) },
      amberAt === undefined ? {} : { tolerance: { amberAt } },
    );
    expect(health.dimensions.tolerance.rag).toBe(rag);
    expect(health.summary.exception).toBe(exception);
  });

  it('says so when no tolerance is set', () => {
    expect(codes(assess({}), 'tolerance')).toEqual(['tolerance.notSet']);
  });
});

describe('staleness', () => {
  const reviewedDaysAgo = (days: number) => {
    const at = new Date(Date.UTC(2026, 2, 2 - days, 16, 0, 0)).toISOString();
    return buildGovernance({ reviews: [buildReview({ at })] });
  };
  it.each<[number, RagOrNone, string]>([
    [0, 'green', 'staleness.reviewed'],
    [13, 'green', 'staleness.reviewed'],
    [14, 'amber', 'staleness.noReview'],
    [29, 'amber', 'staleness.noReview'],
    [30, 'red', 'staleness.noReview'],
  ])('%s days after the last review is %s', (days, rag, code) => {
    const health = assess({ governance: reviewedDaysAgo(days) });
    expect(health.dimensions.staleness).toMatchObject({ rag, reasons: [{ code, params: { days } }] });
  });

  it.each<[string, RagOrNone, string]>([
    ['2026-02-17T09:00:00.000Z', 'green', 'staleness.newProject'],
    ['2026-02-16T09:00:00.000Z', 'amber', 'staleness.neverReviewed'],
    ['2026-01-31T09:00:00.000Z', 'red', 'staleness.neverReviewed'],
  ])('never reviewed, started %s, is %s', (startedAt, rag, code) => {
    const health = assess({ governance: buildGovernance({ startedAt }) });
    expect(health.dimensions.staleness).toMatchObject({ rag, reasons: [{ code }] });
  });

  it('counts a gate decision as a review when it is later', () => {
    const governance = buildGovernance({
      reviews: [buildReview({ at: '2026-01-10T09:00:00.000Z' })],
      decisions: [buildDecision({ decidedAt: '2026-02-27T09:00:00.000Z' })],
    });
    const health = assess({ governance });
    expect(health.dimensions.staleness.reasons[0]).toMatchObject({
      code: 'staleness.reviewed',
      params: { days: 3, since: '2026-02-27' },
    });
    expect(health.summary.lastReviewAt).toBe('2026-02-27T09:00:00.000Z');
  });

  it.each<[number, RagOrNone]>([
    [6, 'green'],
    [7, 'amber'],
    [10, 'red'],
  ])('with limits of 7 and 10 days, %s days is %s', (days, rag) => {
    const health = assess(
      { governance: reviewedDaysAgo(days) },
      { staleness: { amberAfterDays: 7, redAfterDays: 10 } },
    );
    expect(health.dimensions.staleness.rag).toBe(rag);
  });

  it('is not judged without governance', () => {
    expect(assess({ governance: null }).dimensions.staleness).toMatchObject({
      rag: 'none',
      reasons: [{ code: 'staleness.ungoverned' }],
    });
  });
});

describe('overall', () => {
  it('is green when every dimension is green', () => {
    const health = assess(greenFacts());
    expect(health.overall).toBe('green');
    expect(Object.values(health.dimensions).map((d) => d.rag)).toEqual([
      'green',
      'green',
      'green',
      'green',
      'green',
      'none',
      'green',
    ]);
    expect(health.reasons).toEqual([]);
  });

  it('is the worst enabled dimension', () => {
    expect(assess(greenFacts({ dueDate: YESTERDAY })).overall).toBe('red');
    expect(assess(greenFacts({ raid: buildRaidLog([buildIssue({ dueDate: YESTERDAY })]) })).overall).toBe('amber');
  });

  it('leaves a disabled dimension out and says so', () => {
    const health = assess(greenFacts({ dueDate: YESTERDAY }), { schedule: { enabled: false } });
    expect(health.overall).toBe('green');
    expect(health.dimensions.schedule).toEqual({
      dimension: 'schedule',
      rag: 'none',
      reasons: [{ code: 'overall.dimensionDisabled', rag: 'green', params: { dimension: 'schedule' } }],
    });
  });

  const twoAmbers = greenFacts({
    raid: buildRaidLog([buildIssue({ dueDate: YESTERDAY }), buildRisk({ likelihood: 3, impact: 4 })]),
  });
  it.each<[number | null, string, Partial<ProjectFacts>, RagOrNone, boolean]>([
    [null, 'two ambers', twoAmbers, 'amber', false],
    [2, 'two ambers', twoAmbers, 'red', true],
    [3, 'two ambers', twoAmbers, 'amber', false],
    [2, 'one amber', greenFacts({ raid: buildRaidLog([buildIssue({ dueDate: YESTERDAY })]) }), 'amber', false],
  ])('with ambersMakeRed %s, %s', (ambersMakeRed, _label, facts, rag, escalated) => {
    const health = assess(facts, { ambersMakeRed });
    expect(health.overall).toBe(rag);
    expect(health.reasons.map((r) => r.code)).toEqual(escalated ? ['overall.ambersMakeRed'] : []);
    if (escalated) expect(health.reasons[0]?.params).toEqual({ count: 2, threshold: 2 });
  });
});

describe('closed projects', () => {
  it.each<[string, Partial<ProjectFacts>, string, Record<string, unknown>]>([
    [
      'completed',
      { governance: buildGovernance({ status: 'completed', completedAt: '2026-02-10T12:00:00.000Z' }) },
      'overall.completed',
      { since: '2026-02-10' },
    ],
    [
      'killed',
      {
        governance: buildGovernance({
          status: 'killed',
          decisions: [buildDecision({ outcome: 'KILL', decidedAt: '2026-02-11T12:00:00.000Z' })],
        }),
      },
      'overall.killed',
      { since: '2026-02-11' },
    ],
    ['ungoverned and done in Jira', { governance: null, jiraStatusCategory: 'done' }, 'overall.doneInJira', {}],
  ])('%s: nothing is judged', (_label, facts, code, params) => {
    const health = assess({
      ...facts,
      dueDate: '2025-01-01',
      raid: buildRaidLog([buildRisk({ likelihood: 5, impact: 5 })]),
    });
    expect(health.closed).toBe(true);
    expect(health.overall).toBe('none');
    expect(health.reasons).toEqual([{ code, rag: 'green', params }]);
    for (const dimension of Object.values(health.dimensions)) {
      expect(dimension).toMatchObject({ rag: 'none', reasons: [{ code }] });
    }
  });

  it.each<[ProjectFacts['jiraStatusCategory']]>([['new'], ['indeterminate'], [undefined]])(
    'an ungoverned project in Jira status %s is still judged',
    (jiraStatusCategory) => {
      const health = assess({ governance: null, jiraStatusCategory });
      expect(health.closed).toBe(false);
      expect(health.ungoverned).toBe(true);
    },
  );
});

describe('ungoverned projects', () => {
  it('flags the gate and still judges everything that does not need governance', () => {
    const health = assess({
      governance: null,
      dueDate: YESTERDAY,
      raid: buildRaidLog([buildRisk({ likelihood: 4, impact: 3, response: 'reduce' })]),
    });
    expect(health.ungoverned).toBe(true);
    expect(health.overall).toBe('red');
    expect(health.dimensions.gate.rag).toBe('amber');
    expect(health.dimensions.schedule.rag).toBe('red');
    expect(health.dimensions.risk.rag).toBe('amber');
    expect(health.dimensions.tolerance.rag).toBe('none');
    expect(health.summary).toEqual({
      stage: null,
      stageName: null,
      status: 'ungoverned',
      lastDecision: 'none',
      riskMax: 12,
      riskBand: 'high',
      mandatoryOpen: 0,
      exception: false,
      waitsOn: [],
    });
  });
});

describe('summary', () => {
  it('reports stage, status, the current gate and dates', () => {
    const governance = buildGovernance({
      stage: 'scoping',
      nextGateDate: '2026-04-01',
      gates: { 'g2-second-screen': { 'sponsor-named': buildChecklistItem() } },
      decisions: [buildDecision({ decidedAt: '2026-01-20T09:00:00.000Z' })],
      reviews: [buildReview({ at: '2026-02-01T09:00:00.000Z' })],
    });
    expect(assess({ governance }).summary).toEqual({
      stage: 'scoping',
      stageName: 'Scoping',
      status: 'active',
      lastDecision: 'GO',
      riskMax: 0,
      riskBand: 'none',
      mandatoryOpen: 2,
      nextGateDate: '2026-04-01',
      lastReviewAt: '2026-02-01T09:00:00.000Z',
      exception: false,
      waitsOn: [],
    });
  });

  it('names the projects it waits on: open, undelivered, inbound dependencies, each once', () => {
    const raid = buildRaidLog([
      buildDependency({ id: 'D-1', counterpartyKey: 'PMO-7' }),
      buildDependency({ id: 'D-2', counterpartyKey: 'PMO-3' }),
      buildDependency({ id: 'D-3', counterpartyKey: 'PMO-7' }),
      buildDependency({ id: 'D-4', counterpartyKey: 'PMO-4', deliveryStatus: 'delivered' }),
      buildDependency({ id: 'D-5', counterpartyKey: 'PMO-5', direction: 'outbound' }),
      buildDependency({ id: 'D-6', counterpartyKey: 'PMO-6', status: 'closed' }),
    ]);
    expect(assess({ raid }).summary.waitsOn).toEqual(['PMO-7', 'PMO-3']);
  });

  it('reports a lapsed Conditional-Go as what it lapsed to', () => {
    const governance = buildGovernance({
      decisions: [
        buildDecision({
          outcome: 'CONDITIONAL_GO',
          conditions: [{ id: 'c1', text: 'Fund it' }],
          lapsed: { at: '2026-02-01T09:00:00.000Z', by: 'acc-pmo', outcome: 'KILL', rationale: 'Unfunded.' },
        }),
      ],
    });
    expect(assess({ governance }).summary.lastDecision).toBe('KILL');
  });
});

describe('topReasons', () => {
  const health = assess(
    greenFacts({
      dueDate: YESTERDAY,
      raid: buildRaidLog([
        buildIssue({ dueDate: YESTERDAY }),
        buildRisk({ likelihood: 5, impact: 5, response: 'reduce' }),
      ]),
    }),
    { ambersMakeRed: 2 },
  );

  it('lists non-green reasons, worst first, in dimension order within a colour', () => {
    expect(topReasons(health).map((r) => [r.code, r.rag])).toEqual([
      ['schedule.overdue', 'red'],
      ['risk.extremeOpen', 'red'],
      ['raid.issueOverdue', 'amber'],
    ]);
  });

  it.each<[number, boolean, number]>([
    [1, false, 1],
    [8, true, 8],
    [100, true, 9],
  ])('limit %s (green %s) gives %s reasons', (limit, includeGreen, count) => {
    expect(topReasons(health, limit, includeGreen)).toHaveLength(count);
  });
});
