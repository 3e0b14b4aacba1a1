import { DEFAULT_TEMPLATES } from './default-templates';
import { type GovernanceDocument } from './documents/governance-document';
import {
  type EnforcementMode,
  evaluateGateTransition,
  gateToPass,
  standingGo,
  type TransitionCheck,
} from './enforcement';
import { applyOp, type OpInput, opPayloadSchema, type ProjectRecord } from './ops';
import { type DeciderRole, type StageGateTemplate } from './templates';

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
      { template: cooper, mode: 'controlling', actor: { accountId: 'acc-pmo', roles: ['pmo'] } },
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

  it.each([
    ['killed', 'was killed at a gate'],
    ['on-hold', 'is on hold'],
  ] as const)('a %s project cannot move on', (status, message) => {
    const verdict = check({ ...bare, status }, 'controlling');
    expect(!verdict.allowed && verdict.message).toContain(message);
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
