import { DEFAULT_TEMPLATES } from './default-templates';
import { type ChecklistItemState, decisionEffect, gateReadiness, isMustMet } from './gates';
import { parseTemplate, type StageGateTemplate } from './templates';

const by = 'acc-1';
const at = '2026-05-01T09:00:00.000Z';
const done = (score?: number): ChecklistItemState => ({ state: 'done', score, evidence: [], by, at });
const open: ChecklistItemState = { state: 'open', evidence: [], by, at };
const na = (naReason?: string): ChecklistItemState => ({ state: 'na', naReason, evidence: [], by, at });

/** One gate: two must-meet, should-meet weights 3, 1 and 1 on a 0..10 scale, pass at 0.6. */
const template = parseTemplate({
  id: 't',
  version: 1,
  name: 'T',
  stages: [
    {
      id: 's1',
      name: 'S1',
      exitGate: {
        id: 'g1',
        name: 'Gate 1',
        deciders: ['pmo'],
        criteria: [
          { id: 'm1', title: 'Must one', kind: 'must' },
          { id: 'm2', title: 'Must two', kind: 'must' },
          { id: 'heavy', title: 'Heavy', kind: 'should', weight: 3 },
          { id: 'light1', title: 'Light one', kind: 'should', weight: 1 },
          { id: 'light2', title: 'Light two', kind: 'should', weight: 1 },
        ],
      },
    },
    { id: 's2', name: 'S2' },
  ],
}).data as StageGateTemplate;
const gate = template.stages[0]!.exitGate!;

describe('must-meet criteria', () => {
  it.each([
    [undefined, false],
    [open, false],
    [done(), true],
    [na('Not a regulated product'), true],
    [na(), false], // N/A without a reason never counts: nobody skips a knock-out silently
  ])('%j is met: %s', (state, met) => {
    expect(isMustMet(state)).toBe(met);
  });

  it('lists open must-meet criteria and colours them red', () => {
    const readiness = gateReadiness(template, gate, {
      m1: done(),
      heavy: done(10),
      light1: done(10),
      light2: done(10),
    });
    expect(readiness.mustOpen.map((c) => c.id)).toEqual(['m2']);
    expect(readiness.ready).toBe(false);
    expect(readiness.reasons[0]).toMatchObject({
      code: 'gate.mustOpen',
      rag: 'red',
      params: { count: 1, items: 'Must two' },
    });
  });
});

describe('weighted should-meet score Σwᵢ·sᵢ / Σwᵢ·max', () => {
  const musts = { m1: done(), m2: done() };
  it.each([
    // heavy, light1, light2 → score
    [10, 10, 10, 1],
    [0, 0, 0, 0],
    [6, 6, 6, 0.6],
    [8, 0, 4, (3 * 8 + 0 + 4) / 50],
    [10, 0, 0, 0.6], // exactly the threshold: passes
  ])('heavy %i, light %i and %i → %f', (h, l1, l2, expected) => {
    const readiness = gateReadiness(template, gate, { ...musts, heavy: done(h), light1: done(l1), light2: done(l2) });
    expect(readiness.score).toBeCloseTo(expected, 10);
  });

  it('passes at the threshold and fails just below it', () => {
    const at60 = gateReadiness(template, gate, { ...musts, heavy: done(10), light1: done(0), light2: done(0) });
    expect(at60.ready).toBe(true);
    const below = gateReadiness(template, gate, { ...musts, heavy: done(9), light1: done(1), light2: done(1) }); // 29/50 = 0.58
    expect(below.ready).toBe(false);
    expect(below.reasons).toEqual([
      expect.objectContaining({
        code: 'gate.scoreBelowThreshold',
        rag: 'amber',
        params: expect.objectContaining({ score: 58, threshold: 60 }),
      }),
    ]);
  });

  it('an unscored should-meet counts as zero and is listed', () => {
    const readiness = gateReadiness(template, gate, { ...musts, heavy: done(10) });
    expect(readiness.score).toBeCloseTo(30 / 50);
    expect(readiness.shouldUnscored.map((c) => c.id)).toEqual(['light1', 'light2']);
  });

  it('N/A should-meet criteria leave both numerator and denominator', () => {
    const readiness = gateReadiness(template, gate, { ...musts, heavy: na('x'), light1: done(6), light2: done(6) });
    expect(readiness.score).toBeCloseTo(0.6);
  });

  it('all items N/A: no score to reach, so the gate is ready', () => {
    const all = Object.fromEntries(gate.criteria.map((c) => [c.id, na('Does not apply to an internal tool')]));
    const readiness = gateReadiness(template, gate, all);
    expect(readiness).toMatchObject({ score: null, ready: true, mustOpen: [] });
    expect(readiness.reasons).toEqual([expect.objectContaining({ code: 'gate.ready', rag: 'green' })]);
  });

  it('the threshold comes from the template version', () => {
    const strict = { ...template, passThreshold: 0.61 };
    expect(gateReadiness(strict, gate, { ...musts, heavy: done(10), light1: done(0), light2: done(0) }).ready).toBe(
      false,
    );
  });
});

describe('what each decision does to the stage', () => {
  const cooper = DEFAULT_TEMPLATES[0]!;
  it.each([
    ['GO', 0, { stage: 'scoping', status: 'active' }],
    ['CONDITIONAL_GO', 2, { stage: 'development', status: 'active' }],
    ['GO', 4, { stage: 'launch', status: 'active' }],
    ['HOLD', 1, { stage: 'scoping', status: 'on-hold' }],
    ['RECYCLE', 1, { stage: 'scoping', status: 'active' }],
    ['KILL', 3, { stage: 'development', status: 'killed' }],
  ] as const)('%s at the gate of stage %i', (outcome, index, effect) => {
    expect(decisionEffect(cooper, index, outcome)).toEqual(effect);
  });

  it('refuses a stage index the template does not have', () => {
    expect(() => decisionEffect(cooper, 9, 'GO')).toThrow(RangeError);
    expect(() => decisionEffect(cooper, 5, 'GO')).toThrow(RangeError); // the last stage has no gate
  });
});
