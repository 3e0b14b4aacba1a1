import { DEFAULT_TEMPLATES } from './default-templates';
import { type GovernanceDocument } from './documents/governance-document';
import {
  type EnforcementMode,
  evaluateGateTransition,
  gateToPass,
  type Passage,
  passageOf,
  standingGo,
  type StatusMove,
  type StatusRef,
  type TransitionCheck,
} from './enforcement';
import { applyOp, type OpInput, opPayloadSchema, type ProjectRecord } from './ops';
import { type DeciderRole, type StageGateTemplate, templateSchema } from './templates';

const cooper = DEFAULT_TEMPLATES[0] as StageGateTemplate;
const G1 = 'g1-idea-screen';
let minute = 0;

function run(ops: OpInput[]): GovernanceDocument {
  let record: ProjectRecord | null = null;
  for (const op of ops) {
    const at = new Date(Date.UTC(2026, 5, 1, 8, minute++)).toISOString();
    const result = applyOp(
      record,
      { ...opPayloadSchema.parse(op), by: 'acc-pmo', at },
      {
        template: cooper,
        mode: 'controlling',
        // Tollgate itself records what Jira did; everything else here is a PMO lead's doing.
        actor: { accountId: 'acc-pmo', roles: ['pmo'], ...(op.type === 'recordTransition' ? { via: 'workflow' } : {}) },
      },
    );
    if (!result.ok) throw new Error(result.refusal.code);
    record = result.record;
  }
  return record!.governance;
}

const start: OpInput = { type: 'startGovernance', templateId: cooper.id, templateVersion: 1 };
const tickMusts: OpInput[] = ['strategic-fit', 'feasible', 'no-showstopper'].map((criterionId) => ({
  type: 'checkItem',
  gateId: G1,
  criterionId,
  state: 'done',
}));
const scoreShoulds: OpInput[] = ['market-attractiveness', 'synergies'].map((criterionId) => ({
  type: 'checkItem',
  gateId: G1,
  criterionId,
  state: 'done',
  score: 8,
}));

function check(
  governance: GovernanceDocument | null,
  mode: EnforcementMode,
  roles: DeciderRole[] = [],
  extra: Partial<TransitionCheck> = {},
) {
  return evaluateGateTransition({
    issueKey: 'PMO-7',
    mode,
    governance,
    template: cooper,
    actor: { roles },
    gateId: G1,
    ...extra,
  });
}

describe('the workflow validator rule', () => {
  const bare = run([start]);
  const ready = run([start, ...tickMusts, ...scoreShoulds]);
  // After a Go the project has moved on; the transition Jira makes is the one the Go authorised.
  const decided = run([
    start,
    ...tickMusts,
    ...scoreShoulds,
    { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'Fits' },
  ]);

  it('supportive never blocks, but says what is missing', () => {
    const verdict = check(bare, 'supportive');
    expect(verdict.allowed).toBe(true);
    if (verdict.allowed)
      expect(verdict.warnings[0]).toMatchObject({ code: 'enforcement.missing', params: { issue: 'PMO-7' } });
  });

  it('controlling blocks with a message naming the issue, every missing item and who may decide', () => {
    const verdict = check(bare, 'controlling');
    expect(verdict.allowed).toBe(false);
    if (verdict.allowed) return;
    expect(verdict.message).toBe(
      'PMO-7 cannot pass Gate 1: Idea Screen: missing must-meet "Fits the portfolio strategy"; ' +
        'must-meet "Technically feasible at first look"; must-meet "No legal, ethical or safety show-stopper"; ' +
        'a Go or Conditional-Go decision at Gate 1: Idea Screen. Who may decide: the PMO.',
    );
    expect(verdict.missing).toHaveLength(4);
    expect(verdict.deciders).toEqual(['pmo']);
  });

  it('controlling: a ready checklist is not enough without a Go', () => {
    const verdict = check(ready, 'controlling');
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.missing).toEqual(['a Go or Conditional-Go decision at Gate 1: Idea Screen']);
  });

  it('controlling: mandatory items done and a Go recorded lets the transition through', () => {
    expect(check(decided, 'controlling')).toEqual({ allowed: true, warnings: [] });
  });

  it('directive: only the PMO moves a project through a gate', () => {
    expect(check(decided, 'directive', ['sponsor'])).toMatchObject({
      allowed: false,
      message: expect.stringContaining('only the PMO'),
    });
    expect(check(decided, 'directive', ['pmo']).allowed).toBe(true);
  });

  it('a Hold, Recycle or lapsed Conditional-Go after a Go withdraws it', () => {
    expect(standingGo(decided, G1)?.outcome).toBe('GO');
    const recycled = {
      ...decided,
      decisions: [...decided.decisions, { ...decided.decisions[0]!, id: 'd2', outcome: 'RECYCLE' as const }],
    };
    expect(standingGo(recycled, G1)).toBeUndefined();
    const lapsed = {
      ...decided,
      decisions: [
        {
          ...decided.decisions[0]!,
          outcome: 'CONDITIONAL_GO' as const,
          lapsed: { at: '2026-07-01T00:00:00.000Z', by: 'acc-pmo', outcome: 'RECYCLE' as const, rationale: 'x' },
        },
      ],
    };
    expect(standingGo(lapsed, G1)).toBeUndefined();
  });

  it.each<[EnforcementMode, boolean]>([
    ['supportive', true],
    ['controlling', false],
    ['directive', false],
  ])('an ungoverned project in %s mode: allowed %s', (mode, allowed) => {
    const verdict = check(null, mode);
    expect(verdict.allowed).toBe(allowed);
    if (!verdict.allowed) expect(verdict.message).toContain('PMO-7 has no stage-gate record yet');
  });

  it('a project whose template version is gone is blocked with that reason', () => {
    const verdict = check(bare, 'controlling', [], { template: null });
    expect(!verdict.allowed && verdict.message).toContain('uses template cooper-stage-gate@1, which no longer exists');
  });

  it('a killed project cannot move on through a gate', () => {
    const verdict = check({ ...bare, status: 'killed' }, 'controlling');
    expect(!verdict.allowed && verdict.message).toContain('was killed at a gate');
  });

  it('a transition in the final stage passes no gate and is allowed', () => {
    expect(check({ ...bare, stage: 'launch' }, 'controlling', [], { gateId: undefined })).toEqual({
      allowed: true,
      warnings: [],
    });
  });

  it('defaults to the gate closing the current stage', () => {
    const verdict = check(bare, 'controlling', [], { gateId: undefined });
    expect(!verdict.allowed && verdict.message).toContain('Gate 1: Idea Screen');
  });

  it("after a Go, the next transition passes that Go's gate; once recorded, the next gate applies", () => {
    expect(gateToPass(decided, cooper)).toBe(G1);
    expect(check(decided, 'controlling', [], { gateId: undefined })).toEqual({ allowed: true, warnings: [] });
    const moved = run([
      start,
      ...tickMusts,
      ...scoreShoulds,
      { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'Fits' },
      { type: 'recordTransition', fromStatus: 'Discovery', toStatus: 'Scoping', gateId: G1 },
    ]);
    expect(gateToPass(moved, cooper)).toBe('g2-second-screen');
    const verdict = check(moved, 'controlling', [], { gateId: undefined });
    expect(!verdict.allowed && verdict.message).toContain('PMO-7 cannot pass Gate 2: Second Screen');
  });
});

/**
 * Every recorded outcome at Gate 1 against every kind of transition Jira can make, in every mode. The project's
 * Jira issue is still in Discovery (Tollgate moves the stage on the decision; someone moves the issue after), so
 * "forward" is the transition the decision was about.
 */
describe('the transition judged against the decision for the gate it passes', () => {
  const G2 = 'g2-second-screen';
  const conditional = { conditions: ['Market scan by July'], conditionsDueDate: '2026-07-01' };
  const decide = (outcome: string, extra: Record<string, unknown> = {}): OpInput =>
    ({ type: 'decideGate', gateId: G1, outcome, rationale: 'Gate meeting', ...extra }) as OpInput;
  const ready = [start, ...tickMusts, ...scoreShoulds];

  type Outcome =
    | 'no decision'
    | 'Go'
    | 'Conditional-Go with must-meets open (PMO override)'
    | 'Go by PMO override'
    | 'Hold'
    | 'Recycle'
    | 'Kill'
    | 'Conditional-Go lapsed to Recycle'
    | 'Conditional-Go lapsed to Kill';
  const OUTCOMES: Record<Outcome, OpInput[]> = {
    'no decision': [start],
    Go: [...ready, decide('GO')],
    'Conditional-Go with must-meets open (PMO override)': [
      start,
      decide('CONDITIONAL_GO', { ...conditional, overrideReason: 'Strategic bet; checks follow' }),
    ],
    'Go by PMO override': [start, decide('GO', { overrideReason: 'Board asked for it' })],
    Hold: [start, decide('HOLD')],
    Recycle: [start, ...tickMusts, decide('RECYCLE')],
    Kill: [start, decide('KILL')],
    'Conditional-Go lapsed to Recycle': [
      ...ready,
      decide('CONDITIONAL_GO', conditional),
      { type: 'lapseConditionalGo', decisionId: 'd1', outcome: 'RECYCLE', rationale: 'Not met' },
    ],
    'Conditional-Go lapsed to Kill': [
      ...ready,
      decide('CONDITIONAL_GO', conditional),
      { type: 'lapseConditionalGo', decisionId: 'd1', outcome: 'KILL', rationale: 'Not met' },
    ],
  };
  const records = Object.fromEntries(Object.entries(OUTCOMES).map(([name, ops]) => [name, run(ops)])) as Record<
    Outcome,
    GovernanceDocument
  >;

  /** What controlling mode says to passing Gate 1: allowed, or a refusal containing this. */
  const THROUGH_GATE_1: Record<Outcome, true | string> = {
    'no decision':
      'cannot pass Gate 1: Idea Screen: missing must-meet "Fits the portfolio strategy"; must-meet "Technically feasible',
    Go: true,
    'Conditional-Go with must-meets open (PMO override)': true,
    'Go by PMO override': true,
    Hold: 'cannot pass Gate 1: Idea Screen: it is on hold there by gate decision (2026-06-01)',
    Recycle: 'cannot pass Gate 1: Idea Screen: the gate decided Recycle on 2026-06-01, so the stage is being reworked',
    Kill: 'was killed at a gate (Gate 1: Idea Screen); it cannot move on through Gate 1: Idea Screen',
    'Conditional-Go lapsed to Recycle':
      'cannot pass Gate 1: Idea Screen: its Conditional-Go there lapsed on 2026-06-01 (conditions not met) and became a Recycle',
    'Conditional-Go lapsed to Kill': 'was killed at a gate (Gate 1: Idea Screen)',
  };
  /** The warning supportive mode gives instead of each refusal. */
  const WARNING: Record<Outcome, string | null> = {
    'no decision': 'enforcement.missing',
    Go: null,
    'Conditional-Go with must-meets open (PMO override)': null,
    'Go by PMO override': null,
    Hold: 'enforcement.decidedOtherwise',
    Recycle: 'enforcement.decidedOtherwise',
    Kill: 'enforcement.paused',
    'Conditional-Go lapsed to Recycle': 'enforcement.decidedOtherwise',
    'Conditional-Go lapsed to Kill': 'enforcement.paused',
  };

  const status = (name: string, category: StatusRef['category'] = 'indeterminate'): StatusRef => ({ name, category });
  type Move = 'forward through Gate 1' | 'statuses unknown' | 'cancel' | 'put on hold in Jira' | 'back a stage';
  const MOVES: Record<Move, StatusMove | undefined> = {
    'forward through Gate 1': { from: status('Discovery', 'new'), to: status('Scoping') },
    // No statuses (an old caller): the record's own guess, gateToPass, names Gate 1 here too.
    'statuses unknown': undefined,
    cancel: { from: status('Discovery', 'new'), to: status('Cancelled', 'done') },
    'put on hold in Jira': { from: status('Discovery', 'new'), to: status('On Hold') },
    'back a stage': { from: status('Scoping'), to: status('Discovery', 'new') },
  };
  const passesGate = (move: Move) => move === 'forward through Gate 1' || move === 'statuses unknown';

  type Who = 'supportive' | 'controlling' | 'directive, not the PMO' | 'directive, the PMO';
  const WHO: Record<Who, { mode: EnforcementMode; roles: DeciderRole[] }> = {
    supportive: { mode: 'supportive', roles: [] },
    controlling: { mode: 'controlling', roles: ['sponsor'] },
    'directive, not the PMO': { mode: 'directive', roles: ['sponsor'] },
    'directive, the PMO': { mode: 'directive', roles: ['pmo'] },
  };

  const cases = (Object.keys(OUTCOMES) as Outcome[]).flatMap((outcome) =>
    (Object.keys(MOVES) as Move[]).flatMap((move) =>
      (Object.keys(WHO) as Who[]).map((who) => [outcome, move, who] as const),
    ),
  );

  it.each(cases)('%s, %s, %s', (outcome, move, who) => {
    const { mode, roles } = WHO[who];
    const moveOf = MOVES[move];
    const verdict = check(records[outcome], mode, roles, { gateId: undefined, ...(moveOf ? { move: moveOf } : {}) });
    if (!passesGate(move)) {
      // Cancelling, leaving for a status outside the lifecycle or going back passes no gate: never judged as one.
      expect(verdict).toEqual({ allowed: true, warnings: [] });
      return;
    }
    const killed = outcome === 'Kill' || outcome === 'Conditional-Go lapsed to Kill';
    if (who === 'supportive') {
      expect(verdict.allowed).toBe(true);
      const warning = WARNING[outcome];
      expect(verdict.allowed && verdict.warnings.map((w) => w.code)).toEqual(warning ? [warning] : []);
      return;
    }
    if (who === 'directive, not the PMO' && !killed) {
      expect(!verdict.allowed && verdict.message).toBe(
        'PMO-7: only the PMO may move a project through Gate 1: Idea Screen (directive mode).',
      );
      return;
    }
    const expected = THROUGH_GATE_1[outcome];
    if (expected === true) expect(verdict).toEqual({ allowed: true, warnings: [] });
    else expect(!verdict.allowed && verdict.message).toContain(`PMO-7 ${expected}`);
  });

  it('a Conditional-Go opens the gate the validator is configured for, though its must-meets can no longer be ticked', () => {
    const verdict = check(records['Conditional-Go with must-meets open (PMO override)'], 'controlling', [], {
      gateId: G1,
    });
    expect(verdict).toEqual({ allowed: true, warnings: [] });
  });

  it('a standing Go opens its gate however far the project has advanced since', () => {
    // Go at Gate 1 and at Gate 2 while the Jira issue stayed in Discovery: it may still catch up one gate at a time.
    const g2Musts = ['market-assessment', 'technical-assessment', 'sponsor-named'].map((criterionId) => ({
      type: 'checkItem' as const,
      gateId: G2,
      criterionId,
      state: 'done' as const,
      ...(criterionId === 'market-assessment'
        ? { evidence: [{ url: 'https://wiki.example/scan', title: 'Scan' }] }
        : {}),
    }));
    const twoAhead = run([
      ...ready,
      decide('GO'),
      ...g2Musts,
      { type: 'decideGate', gateId: G2, outcome: 'GO', rationale: 'Scoped', overrideReason: 'Shoulds unscored' },
    ]);
    expect(twoAhead.stage).toBe('business-case');
    const move = { from: status('Discovery', 'new'), to: status('Scoping') };
    expect(check(twoAhead, 'controlling', [], { gateId: undefined, move })).toEqual({ allowed: true, warnings: [] });
    // Skipping a stage passes both gates; each has its Go.
    const skip = { from: status('Discovery', 'new'), to: status('Business Case') };
    expect(check(twoAhead, 'controlling', [], { gateId: undefined, move: skip }).allowed).toBe(true);
  });

  it('skipping a stage is judged at every gate it passes, and refused at the first one still shut', () => {
    const skip = { from: status('Discovery', 'new'), to: status('Business Case') };
    const verdict = check(records.Go, 'controlling', [], { gateId: undefined, move: skip });
    expect(!verdict.allowed && verdict.message).toContain('PMO-7 cannot pass Gate 2: Second Screen: missing');
  });

  it('the gate the validator is configured for wins over what the statuses say', () => {
    const cancel = { from: status('Discovery', 'new'), to: status('Cancelled', 'done') };
    const verdict = check(records['no decision'], 'controlling', [], { gateId: G1, move: cancel });
    expect(verdict.allowed).toBe(false);
  });

  it('an ungoverned project may still be cancelled or closed, but not moved on, when governance is enforced', () => {
    const cancel = { from: status('Discovery', 'new'), to: status('Cancelled', 'done') };
    expect(check(null, 'controlling', [], { gateId: undefined, move: cancel })).toEqual({
      allowed: true,
      warnings: [],
    });
    const forward = { from: status('Discovery', 'new'), to: status('Scoping') };
    const verdict = check(null, 'controlling', [], { gateId: undefined, move: forward });
    expect(!verdict.allowed && verdict.message).toContain('PMO-7 has no stage-gate record yet');
  });
});

describe('which gates a transition passes (passageOf)', () => {
  const status = (name: string, category: StatusRef['category'] = 'indeterminate'): StatusRef => ({ name, category });
  it.each<[string, StatusMove | undefined, Passage]>([
    ['Discovery → Scoping', { from: status('Discovery'), to: status('Scoping') }, { kind: 'gates', gateIds: [G1] }],
    [
      'Discovery → Business Case skips a stage',
      { from: status('Discovery'), to: status('Business Case') },
      { kind: 'gates', gateIds: [G1, 'g2-second-screen'] },
    ],
    ['names ignore case', { from: status('discovery'), to: status('SCOPING') }, { kind: 'gates', gateIds: [G1] }],
    [
      'Scoping → Discovery goes back',
      { from: status('Scoping'), to: status('Discovery') },
      { kind: 'none', why: 'backward' },
    ],
    [
      'Discovery → Cancelled leaves',
      { from: status('Discovery'), to: status('Cancelled', 'done') },
      { kind: 'none', why: 'leaves-lifecycle' },
    ],
    [
      'Launch → Done leaves from the final stage',
      { from: status('Launch'), to: status('Done', 'done') },
      { kind: 'none', why: 'leaves-lifecycle' },
    ],
    [
      'Testing → On Hold leaves for a status that is no stage',
      { from: status('Testing'), to: status('On Hold') },
      { kind: 'none', why: 'leaves-lifecycle' },
    ],
    [
      'On Hold → Development takes the gate into Development',
      { from: status('On Hold'), to: status('Development') },
      { kind: 'gates', gateIds: ['g3-go-to-development'] },
    ],
    [
      'On Hold → Discovery enters the first stage',
      { from: status('On Hold'), to: status('Discovery') },
      { kind: 'none', why: 'first-stage' },
    ],
    ['an unknown source into a stage', { to: status('Scoping') }, { kind: 'gates', gateIds: [G1] }],
    [
      'neither status is a stage: the mapping does not say',
      { from: status('Backlog'), to: status('Selected') },
      { kind: 'unknown' },
    ],
    [
      'from a foreign status to a done one',
      { from: status('Backlog'), to: status('Done', 'done') },
      { kind: 'none', why: 'leaves-lifecycle' },
    ],
    ['no target status', { from: status('Discovery') }, { kind: 'unknown' }],
    ['no statuses at all', undefined, { kind: 'unknown' }],
  ])('%s', (_label, move, passage) => {
    expect(passageOf(cooper, move)).toEqual(passage);
  });

  it('without a template, only a done status is known to pass no gate', () => {
    expect(passageOf(null, { to: status('Cancelled', 'done') })).toEqual({ kind: 'none', why: 'leaves-lifecycle' });
    expect(passageOf(null, { from: status('Discovery'), to: status('Scoping') })).toEqual({ kind: 'unknown' });
  });

  it('a stage without listed statuses is the status of its own name', () => {
    const custom = templateSchema.parse({
      ...cooper,
      id: 'custom',
      stages: cooper.stages.map((stage) => ({ ...stage, jiraStatuses: [] })),
    });
    expect(passageOf(custom, { from: status('Discovery'), to: status('Scoping') })).toEqual({
      kind: 'gates',
      gateIds: [G1],
    });
    expect(passageOf(custom, { from: status('Discovery'), to: status('Build Business Case') })).toMatchObject({
      kind: 'gates',
    });
  });
});
