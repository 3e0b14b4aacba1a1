import {
  type Actor,
  AUTHORITY,
  type AuthorityRefusalCode,
  authorityRefusal,
  type AuthorityScope,
  GOVERNED_ACTIONS,
  type GovernedAction,
  judgeOp,
  mayAct,
  OP_RULES_VERSION,
  ownersDuring,
  stageEnteredAt,
} from './authority';
import { DEFAULT_TEMPLATES } from './default-templates';
import { type EnforcementMode } from './enforcement';
import { applyOp, type OpContext, type OpInput, opPayloadSchema, type ProjectRecord, REFUSAL_CODES } from './ops';
import { type StageGateTemplate } from './templates';

const cooper = DEFAULT_TEMPLATES.find((t) => t.id === 'cooper-stage-gate') as StageGateTemplate;
const G1 = cooper.stages[0]!.exitGate!;
const G2 = cooper.stages[1]!.exitGate!;

/**
 * The people the table tells apart. Everyone reaching it can edit the issue (Jira settled that); an outsider who
 * cannot browse it never does, which test/reliability/authority.test.ts checks through the resolvers.
 */
const PERSONAS = {
  member: { accountId: 'acc-member', roles: [] },
  owner: { accountId: 'acc-owner', roles: [] },
  sponsor: { accountId: 'acc-sponsor', roles: ['sponsor', 'steering-committee'] },
  pmo: { accountId: 'acc-pmo', roles: ['pmo'] },
  // A Jira administrator holds no Tollgate role: they configure the rules, they do not act under them.
  admin: { accountId: 'acc-admin', roles: [] },
} as const satisfies Record<string, Actor>;
type Persona = keyof typeof PERSONAS;
const EVERYONE = Object.keys(PERSONAS) as Persona[];

/** The table as a PMO would read it, written out by hand: who may, and what everyone else is told. */
const EXPECTED: Record<
  GovernedAction,
  { readonly allowed: readonly Persona[]; readonly refusal?: AuthorityRefusalCode }
> = {
  startGovernance: { allowed: ['pmo'], refusal: 'needs-pmo' },
  checkItem: { allowed: EVERYONE },
  decideGate: { allowed: ['sponsor', 'pmo'], refusal: 'not-a-decider' },
  meetCondition: { allowed: ['sponsor', 'pmo'], refusal: 'not-a-decider' },
  lapseConditionalGo: { allowed: ['sponsor', 'pmo'], refusal: 'not-a-decider' },
  setNextGateDate: { allowed: ['owner', 'pmo'], refusal: 'needs-owner-or-pmo' },
  recordStatusReview: { allowed: EVERYONE },
  setTolerance: { allowed: ['pmo'], refusal: 'needs-pmo' },
  removeTolerance: { allowed: ['pmo'], refusal: 'needs-pmo' },
  setPriorityInputs: { allowed: ['owner', 'pmo'], refusal: 'needs-owner-or-pmo' },
  completeProject: { allowed: ['sponsor', 'pmo'], refusal: 'needs-pmo-or-sponsor' },
  recordTransition: { allowed: [], refusal: 'recorded-by-tollgate' },
  addRaidItem: { allowed: EVERYONE },
  updateRaidItem: { allowed: EVERYONE },
  closeRaidItem: { allowed: EVERYONE },
  reopenRaidItem: { allowed: EVERYONE },
  reviewRaidItem: { allowed: EVERYONE },
  restore: { allowed: ['pmo'], refusal: 'needs-pmo' },
};

const scope = (mode: EnforcementMode = 'controlling', extra: Partial<AuthorityScope> = {}): AuthorityScope => ({
  mode,
  owner: PERSONAS.owner.accountId,
  gate: G2,
  stageName: cooper.stages[1]!.name,
  ...extra,
});

describe('the authority table', () => {
  it('has exactly one rule for every op and for restore', () => {
    const opTypes = opPayloadSchema.options.map((option) => option.shape.type.value);
    expect([...GOVERNED_ACTIONS].sort()).toEqual([...opTypes, 'restore'].sort());
  });

  it('every refusal it gives has a refusal code (and so a message in every locale)', () => {
    const codes = new Set<string>(REFUSAL_CODES);
    expect(Object.values(EXPECTED).flatMap((e) => (e.refusal && !codes.has(e.refusal) ? [e.refusal] : []))).toEqual([]);
  });

  const cases = GOVERNED_ACTIONS.flatMap((action) => EVERYONE.map((persona) => [action, persona] as const));
  it.each(cases)('%s by the %s (controlling mode, at Gate 2)', (action, persona) => {
    const expected = EXPECTED[action];
    const refusal = authorityRefusal(action, PERSONAS[persona], scope());
    if (expected.allowed.includes(persona)) expect(refusal).toBeNull();
    else expect(refusal?.code).toBe(expected.refusal);
  });

  it('only Tollgate records transitions, from workflow events', () => {
    const tollgate: Actor = { accountId: 'app', roles: [], via: 'workflow' };
    expect(mayAct('recordTransition', tollgate, scope())).toBe(true);
    expect(mayAct('recordTransition', { ...tollgate, via: undefined }, scope())).toBe(false);
  });

  it('names the gate and its deciders; the PMO may settle conditions even where the template leaves it out', () => {
    const boardOnly = { name: 'Authorise closure', deciders: ['project-board' as const] };
    expect(authorityRefusal('decideGate', PERSONAS.member, scope('controlling', { gate: boardOnly }))).toEqual({
      code: 'not-a-decider',
      params: { gate: 'Authorise closure', deciders: 'project-board' },
    });
    expect(mayAct('meetCondition', PERSONAS.pmo, scope('controlling', { gate: boardOnly }))).toBe(true);
    expect(authorityRefusal('meetCondition', PERSONAS.member, scope('controlling', { gate: boardOnly }))).toEqual({
      code: 'not-a-decider',
      params: { gate: 'Authorise closure', deciders: 'project-board, pmo' },
    });
    expect(mayAct('lapseConditionalGo', PERSONAS.pmo, scope('controlling', { gate: boardOnly }))).toBe(false);
    expect(mayAct('decideGate', PERSONAS.sponsor, scope('controlling', { gate: G1 }))).toBe(false);
  });

  it('gives the owner nothing without an owner field value', () => {
    expect(authorityRefusal('setNextGateDate', PERSONAS.owner, scope('controlling', { owner: undefined }))?.code).toBe(
      'needs-owner-or-pmo',
    );
  });
});

describe('separation of duties (directive mode)', () => {
  const ownerDecider: Actor = { accountId: PERSONAS.owner.accountId, roles: ['pmo', 'sponsor'] };
  const former: Actor = { accountId: 'acc-former', roles: ['pmo', 'sponsor'] };
  const gateCalls = GOVERNED_ACTIONS.filter((action) => AUTHORITY[action].gateCall);

  it('makes decisions, conditions, lapses and completion gate calls, and nothing else', () => {
    expect(gateCalls).toEqual(['decideGate', 'meetCondition', 'lapseConditionalGo', 'completeProject']);
  });

  it.each(gateCalls)('%s: refused to the owner now and to anyone who owned the project this stage', (action) => {
    const during = scope('directive', { stageOwners: [former.accountId, ownerDecider.accountId] });
    expect(authorityRefusal(action, ownerDecider, during)).toEqual({
      code: 'separation-of-duties',
      params: { gate: G2.name },
    });
    expect(authorityRefusal(action, former, during)).toEqual({ code: 'owner-during-stage', params: { gate: G2.name } });
    // The same people may in controlling mode, and a decider who never owned it may in directive mode.
    expect(mayAct(action, former, { ...during, mode: 'controlling' })).toBe(true);
    expect(mayAct(action, PERSONAS.pmo, during)).toBe(true);
  });

  it('names the stage when the call concerns no gate (completion)', () => {
    const launch = scope('directive', { gate: undefined, stageName: 'Launch & Post-Launch Review' });
    expect(authorityRefusal('completeProject', ownerDecider, launch)).toEqual({
      code: 'separation-of-duties',
      params: { gate: 'Launch & Post-Launch Review' },
    });
  });

  it('leaves the owner every other act', () => {
    const during = scope('directive', { stageOwners: [ownerDecider.accountId] });
    for (const action of GOVERNED_ACTIONS.filter((a) => !AUTHORITY[a].gateCall && a !== 'recordTransition')) {
      expect({ action, allowed: mayAct(action, ownerDecider, during) }).toEqual({ action, allowed: true });
    }
  });
});

describe('judgeOp (what the reducer asks first)', () => {
  const at = '2026-05-01T09:00:00.000Z';
  const ctx = (actor: Actor, extra: Partial<OpContext> = {}): OpContext => ({
    template: cooper,
    mode: 'controlling',
    actor,
    projectOwner: PERSONAS.owner.accountId,
    ...extra,
  });
  const started = (): ProjectRecord => {
    const result = applyOp(
      null,
      { ...opPayloadSchema.parse({ type: 'startGovernance', templateId: cooper.id, templateVersion: 1 }), by: 'p', at },
      ctx(PERSONAS.pmo),
    );
    if (!result.ok) throw new Error(result.refusal.code);
    return result.record;
  };
  const op = (input: OpInput, by: string) => ({ ...opPayloadSchema.parse(input), by, at });

  it('judges the person the op is recorded for, before anything else about the record', () => {
    const complete = op({ type: 'completeProject', summary: 'Done' }, PERSONAS.member.accountId);
    // Not in the final stage either, but who asks comes first.
    expect(judgeOp(started(), complete, ctx(PERSONAS.member))?.code).toBe('needs-pmo-or-sponsor');
    expect(applyOp(started(), complete, ctx(PERSONAS.member))).toMatchObject({
      ok: false,
      refusal: { code: 'needs-pmo-or-sponsor' },
    });
  });

  it('finds the gate of the decision an op settles', () => {
    let record = started();
    for (const c of G1.criteria) {
      const tick = op(
        {
          type: 'checkItem',
          gateId: G1.id,
          criterionId: c.id,
          state: 'done',
          score: c.kind === 'should' ? 8 : undefined,
        },
        'p',
      );
      const ticked = applyOp(record, tick, ctx(PERSONAS.pmo));
      if (!ticked.ok) throw new Error(ticked.refusal.code);
      record = ticked.record;
    }
    const decided = applyOp(
      record,
      op(
        {
          type: 'decideGate',
          gateId: G1.id,
          outcome: 'CONDITIONAL_GO',
          rationale: 'Go if legal signs',
          conditions: ['Legal sign-off'],
          conditionsDueDate: '2026-06-01',
        },
        'p',
      ),
      ctx(PERSONAS.pmo),
    );
    if (!decided.ok) throw new Error(decided.refusal.code);
    const meet = op({ type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' }, PERSONAS.sponsor.accountId);
    // Gate 1 is the PMO's alone: the sponsor may decide Gate 2, where the project now is, but not settle Gate 1.
    expect(judgeOp(decided.record, meet, ctx(PERSONAS.sponsor))).toMatchObject({
      code: 'not-a-decider',
      params: { gate: G1.name, deciders: 'pmo' },
    });
    // An unknown decision has no gate to judge against; the reducer refuses it for that.
    const unknown = op({ type: 'meetCondition', decisionId: 'd9', conditionId: 'c1' }, PERSONAS.member.accountId);
    expect(judgeOp(decided.record, unknown, ctx(PERSONAS.member))).toBeNull();
    expect(applyOp(decided.record, unknown, ctx(PERSONAS.member))).toMatchObject({
      refusal: { code: 'unknown-decision' },
    });
  });

  it('does not judge again an op recorded under the rules before the table (a ledger replay)', () => {
    const tolerance = op(
      {
        type: 'setTolerance',
        tolerance: { aspect: 'cost', level: 'stage', baseline: 1, forecast: 1, plus: 1, minus: 1 },
      },
      'm',
    );
    expect(judgeOp(started(), tolerance, ctx(PERSONAS.member))?.code).toBe('needs-pmo');
    expect(judgeOp(started(), tolerance, ctx(PERSONAS.member, { rules: 1 }))).toBeNull();
    expect(judgeOp(started(), tolerance, ctx(PERSONAS.member, { rules: OP_RULES_VERSION }))?.code).toBe('needs-pmo');
  });

  it('records who owned the project on each decision, under the current rules only', () => {
    const hold = op({ type: 'decideGate', gateId: G1.id, outcome: 'HOLD', rationale: 'Wait for Q3' }, 'p');
    const now = applyOp(started(), hold, ctx(PERSONAS.pmo, { stageOwners: ['acc-former', PERSONAS.owner.accountId] }));
    expect(now.ok && now.record.governance.decisions[0]?.ownership).toEqual({
      owner: PERSONAS.owner.accountId,
      stage: ['acc-former', PERSONAS.owner.accountId],
    });
    const legacy = applyOp(started(), hold, ctx(PERSONAS.pmo, { rules: 1 }));
    expect(legacy.ok && legacy.record.governance.decisions[0]?.ownership).toBeUndefined();
  });
});

describe('stageEnteredAt', () => {
  const decision = (gateId: string, outcome: 'GO' | 'HOLD' | 'RECYCLE' | 'CONDITIONAL_GO', decidedAt: string) => ({
    id: 'd1',
    gateId,
    outcome,
    decidedBy: 'p',
    decidedAt,
    rationale: 'x',
    conditions: [],
    readiness: { mustOpen: 0, score: null },
  });
  const governance = (stage: string, decisions: unknown[]) =>
    ({ stage, startedAt: '2026-01-01T09:00:00.000Z', decisions }) as unknown as Parameters<typeof stageEnteredAt>[0];

  it.each([
    ['governance started in the stage', 'discovery', [], '2026-01-01T09:00:00.000Z'],
    ['a Go moved it in', 'scoping', [decision(G1.id, 'GO', '2026-02-01T09:00:00.000Z')], '2026-02-01T09:00:00.000Z'],
    [
      'a Hold and a Recycle keep the stage',
      'discovery',
      [decision(G1.id, 'HOLD', '2026-02-01T09:00:00.000Z'), decision(G1.id, 'RECYCLE', '2026-03-01T09:00:00.000Z')],
      '2026-01-01T09:00:00.000Z',
    ],
    [
      'a lapse to Recycle moved it back',
      'discovery',
      [
        {
          ...decision(G1.id, 'CONDITIONAL_GO', '2026-02-01T09:00:00.000Z'),
          lapsed: { at: '2026-03-01T09:00:00.000Z', by: 'p', outcome: 'RECYCLE', rationale: 'x' },
        },
      ],
      '2026-03-01T09:00:00.000Z',
    ],
  ])('%s', (_case, stage, decisions, entered) => {
    expect(stageEnteredAt(governance(stage, decisions), cooper)).toBe(entered);
  });
});

describe('ownersDuring', () => {
  const since = '2026-03-01T00:00:00.000Z';
  it('is the owner alone when the field did not change during the stage', () => {
    expect(ownersDuring('acc-a', [{ at: '2026-02-01T00:00:00.000Z', from: 'acc-x', to: 'acc-a' }], since)).toEqual([
      'acc-a',
    ]);
  });

  it('lists a hand-over and a hand-back, in order, once each', () => {
    const changes = [
      { at: '2026-03-02T00:00:00.000Z', from: 'acc-a', to: 'acc-b' },
      { at: '2026-03-03T00:00:00.000Z', from: 'acc-b', to: 'acc-a' },
    ];
    expect(ownersDuring('acc-a', changes, since)).toEqual(['acc-a', 'acc-b']);
    expect(ownersDuring('acc-b', changes.slice(0, 1), since)).toEqual(['acc-a', 'acc-b']);
  });

  it('skips an empty field', () => {
    expect(ownersDuring(undefined, [{ at: '2026-03-02T00:00:00.000Z', from: 'acc-a', to: null }], since)).toEqual([
      'acc-a',
    ]);
  });
});
