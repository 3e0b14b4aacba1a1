import { DEFAULT_TEMPLATES } from './default-templates';
import { type EnforcementMode } from './enforcement';
import {
  applyOp,
  type GovernanceOp,
  governanceOpSchema,
  lapsedConditions,
  type OpContext,
  type OpInput,
  opPayloadSchema,
  type OpResult,
  type ProjectRecord,
  replayOps,
} from './ops';
import { type DeciderRole, type StageGateTemplate } from './templates';

const cooper = DEFAULT_TEMPLATES.find((t) => t.id === 'cooper-stage-gate') as StageGateTemplate;
const G1 = 'g1-idea-screen';
const G2 = 'g2-second-screen';
const PMO = 'acc-pmo';
const OWNER = 'acc-owner';
const MEMBER = 'acc-member';

let clock = 0;
/** A fresh instant per op, so every op carries a distinct, increasing time. */
const nextAt = () => new Date(Date.UTC(2026, 4, 1, 9, clock++)).toISOString();

function ctx(roles: DeciderRole[] = ['pmo'], mode: EnforcementMode = 'controlling', template = cooper): OpContext {
  return { template, mode, actor: { accountId: 'ignored', roles }, projectOwner: OWNER };
}

/** The context Tollgate records a workflow transition in: its own, not a person's (src/domain/authority.ts). */
const workflow = (): OpContext => ({ ...ctx([]), actor: { accountId: 'app', roles: [], via: 'workflow' } });

/** Parses the payload as a resolver does, then applies it with who and when. */
function apply(record: ProjectRecord | null, payload: OpInput, by = PMO, context = ctx()): OpResult {
  return applyOp(record, { ...opPayloadSchema.parse(payload), by, at: nextAt() }, context);
}

function ok(result: OpResult): ProjectRecord {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.record;
}

function refusal(result: OpResult) {
  if (result.ok) throw new Error('expected a refusal');
  return result.refusal;
}

function started(): ProjectRecord {
  return ok(apply(null, { type: 'startGovernance', templateId: cooper.id, templateVersion: 1 }));
}

/** Ticks every must-meet of a gate and scores every should-meet 8/10. */
function readyFor(record: ProjectRecord, gateId: string, by = MEMBER): ProjectRecord {
  const gate = cooper.stages.find((s) => s.exitGate?.id === gateId)!.exitGate!;
  return gate.criteria.reduce((rec, c) => {
    const evidence = c.evidenceRequired ? [{ url: 'https://wiki.example.com/x', title: 'Evidence' }] : undefined;
    return ok(
      apply(
        rec,
        {
          type: 'checkItem',
          gateId,
          criterionId: c.id,
          state: 'done',
          score: c.kind === 'should' ? 8 : undefined,
          evidence,
        },
        by,
      ),
    );
  }, record);
}

describe('startGovernance', () => {
  it('creates revision 1 at the first stage of the template version', () => {
    const record = started();
    expect(record.governance).toMatchObject({
      rev: 1,
      templateId: cooper.id,
      templateVersion: 1,
      stage: 'discovery',
      status: 'active',
      updatedBy: PMO,
    });
    expect(record.raid.items).toEqual([]);
  });

  it('adopts a project mid-flight at a later stage', () => {
    const record = ok(
      apply(null, { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, stageId: 'development' }),
    );
    expect(record.governance.stage).toBe('development');
  });

  it.each([
    ['an unknown stage', { stageId: 'nowhere' }],
    ['another template version than the context', { templateVersion: 2 }],
  ])('refuses %s', (_case, changes) => {
    expect(
      refusal(apply(null, { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, ...changes })).code,
    ).toBe('unknown-stage');
  });

  it('refuses to start twice, and every other op before starting', () => {
    expect(refusal(apply(started(), { type: 'startGovernance', templateId: cooper.id, templateVersion: 1 })).code).toBe(
      'already-started',
    );
    expect(refusal(apply(null, { type: 'setNextGateDate', nextGateDate: '2026-06-01' })).code).toBe('not-started');
  });
});

describe('checkItem', () => {
  it('records state, who and when, and bumps the revision once', () => {
    const before = started();
    const result = ok(
      apply(
        before,
        { type: 'checkItem', gateId: G1, criterionId: 'strategic-fit', state: 'done', note: 'Fits theme 2' },
        MEMBER,
      ),
    );
    expect(result.governance.rev).toBe(2);
    expect(result.governance.gates[G1]?.['strategic-fit']).toMatchObject({
      state: 'done',
      by: MEMBER,
      note: 'Fits theme 2',
    });
    expect(result.governance.updatedBy).toBe(MEMBER);
    expect(before.governance.gates).toEqual({}); // the reducer never mutates its input
  });

  it('scores a should-meet criterion and clears the score when reopened', () => {
    let record = ok(
      apply(started(), { type: 'checkItem', gateId: G1, criterionId: 'synergies', state: 'done', score: 7 }),
    );
    expect(record.governance.gates[G1]?.synergies?.score).toBe(7);
    record = ok(apply(record, { type: 'checkItem', gateId: G1, criterionId: 'synergies', state: 'open' }));
    expect(record.governance.gates[G1]?.synergies).toMatchObject({ state: 'open', score: undefined });
  });

  it('keeps evidence links when an item is re-ticked without new ones', () => {
    const evidence = [{ url: 'https://wiki.example.com/market', title: 'Market scan' }];
    let record = readyFor(
      ok(apply(started(), { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'x', overrideReason: 'pilot' })),
      G2,
    );
    record = ok(
      apply(record, { type: 'checkItem', gateId: G2, criterionId: 'market-assessment', state: 'done', evidence }),
    );
    record = ok(
      apply(record, {
        type: 'checkItem',
        gateId: G2,
        criterionId: 'market-assessment',
        state: 'done',
        note: 'Reviewed',
      }),
    );
    expect(record.governance.gates[G2]?.['market-assessment']).toMatchObject({ evidence, note: 'Reviewed' });
  });

  it.each<[string, Partial<Extract<OpInput, { type: 'checkItem' }>>, string]>([
    ['N/A without a reason', { criterionId: 'feasible', state: 'na' }, 'na-needs-reason'],
    ['a score on a must-meet', { criterionId: 'feasible', state: 'done', score: 5 }, 'score-not-allowed'],
    ['a score on an open item', { criterionId: 'synergies', state: 'open', score: 5 }, 'score-not-allowed'],
    ['an unknown criterion', { criterionId: 'nope', state: 'done' }, 'unknown-criterion'],
    ['a gate of another stage', { gateId: G2, criterionId: 'sponsor-named', state: 'done' }, 'gate-not-current'],
    ['an unknown gate', { gateId: 'g9', criterionId: 'x', state: 'done' }, 'unknown-gate'],
  ])('refuses %s', (_case, changes, code) => {
    const op = { type: 'checkItem' as const, gateId: G1, criterionId: 'feasible', state: 'done' as const, ...changes };
    expect(refusal(apply(started(), op)).code).toBe(code);
  });

  it('refuses a score above the template scale', () => {
    const fivePoint = { ...cooper, scoreMax: 5 };
    const record = ok(
      apply(
        null,
        { type: 'startGovernance', templateId: cooper.id, templateVersion: 1 },
        PMO,
        ctx(['pmo'], 'controlling', fivePoint),
      ),
    );
    const op = { type: 'checkItem' as const, gateId: G1, criterionId: 'synergies', state: 'done' as const };
    expect(refusal(apply(record, { ...op, score: 6 }, PMO, ctx(['pmo'], 'controlling', fivePoint)))).toMatchObject({
      code: 'score-out-of-range',
      params: { max: 5 },
    });
    expect(apply(record, { ...op, score: 5 }, PMO, ctx(['pmo'], 'controlling', fivePoint)).ok).toBe(true);
  });

  it('refuses to tick an evidence-required item without a link', () => {
    const record = ok(
      apply(started(), { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'x', overrideReason: 'pilot' }),
    );
    const op = { type: 'checkItem' as const, gateId: G2, criterionId: 'market-assessment', state: 'done' as const };
    expect(refusal(apply(record, op))).toMatchObject({
      code: 'evidence-required',
      params: { evidence: 'Market scan page' },
    });
  });
});

describe('decideGate', () => {
  const go = { type: 'decideGate' as const, gateId: G1, outcome: 'GO' as const, rationale: 'Strong fit, feasible.' };

  it('Go on a ready gate advances the stage and records decider, time, rationale and readiness', () => {
    const record = ok(apply(readyFor(started(), G1), { ...go, nextGateDate: '2026-07-01' }));
    expect(record.governance).toMatchObject({ stage: 'scoping', status: 'active', nextGateDate: '2026-07-01' });
    expect(record.governance.decisions).toEqual([
      expect.objectContaining({
        id: 'd1',
        gateId: G1,
        outcome: 'GO',
        decidedBy: PMO,
        rationale: go.rationale,
        readiness: { mustOpen: 0, score: 0.8 },
      }),
    ]);
    expect(record.governance.decisions[0]?.override).toBeUndefined();
  });

  it('refuses Go while must-meet items are open, naming them', () => {
    const result = refusal(apply(started(), go));
    expect(result.code).toBe('gate-not-ready');
    expect(result.params.mustOpen).toBe(
      'Fits the portfolio strategy; Technically feasible at first look; No legal, ethical or safety show-stopper',
    );
  });

  it('refuses Go when the should-meet score is below the threshold', () => {
    let record = readyFor(started(), G1);
    record = ok(
      apply(record, { type: 'checkItem', gateId: G1, criterionId: 'market-attractiveness', state: 'done', score: 5 }),
    );
    record = ok(apply(record, { type: 'checkItem', gateId: G1, criterionId: 'synergies', state: 'done', score: 7 })); // (10+7)/30 = 0.567
    expect(refusal(apply(record, go))).toMatchObject({ code: 'gate-not-ready', params: { score: 57, threshold: 60 } });
    record = ok(apply(record, { type: 'checkItem', gateId: G1, criterionId: 'synergies', state: 'done', score: 8 })); // 18/30 = 0.6
    expect(apply(record, go).ok).toBe(true);
  });

  it('Hold, Recycle and Kill need no readiness', () => {
    for (const outcome of ['HOLD', 'RECYCLE', 'KILL'] as const) {
      expect(apply(started(), { ...go, outcome }).ok).toBe(true);
    }
  });

  it('the PMO may override readiness with a reason that is kept, but not in supportive mode or as a non-PMO decider', () => {
    const override = { ...go, overrideReason: 'Board asked to fast-track' };
    const record = ok(apply(started(), override));
    expect(record.governance.decisions[0]).toMatchObject({
      override: { reason: 'Board asked to fast-track' },
      readiness: { mustOpen: 3 },
    });
    expect(refusal(apply(started(), override, PMO, ctx(['pmo'], 'supportive'))).code).toBe('override-not-allowed');
    const atG2 = readyFor(ok(apply(started(), override)), G2);
    // On a ready gate an override reason changes nothing: no override is recorded.
    expect(
      ok(apply(atG2, { ...override, gateId: G2 }, 'acc-sponsor', ctx(['sponsor']))).governance.decisions[1]?.override,
    ).toBeUndefined();
    expect(
      refusal(apply(ok(apply(started(), override)), { ...override, gateId: G2 }, 'acc-sponsor', ctx(['sponsor']))).code,
    ).toBe('override-not-allowed');
  });

  it("only the gate's deciders may decide", () => {
    expect(refusal(apply(readyFor(started(), G1), go, MEMBER, ctx([])))).toMatchObject({
      code: 'not-a-decider',
      params: { deciders: 'pmo' },
    });
    expect(refusal(apply(readyFor(started(), G1), go, 'acc-sponsor', ctx(['sponsor']))).code).toBe('not-a-decider');
  });

  it.each<[EnforcementMode, boolean]>([
    ['supportive', true],
    ['controlling', true],
    ['directive', false],
  ])('in %s mode the project owner deciding their own gate is allowed: %s', (mode, allowed) => {
    const result = apply(readyFor(started(), G1), go, OWNER, ctx(['pmo'], mode));
    expect(result.ok).toBe(allowed);
    if (!allowed) expect(refusal(result).code).toBe('separation-of-duties');
  });

  it('Conditional-Go needs conditions and a due date; other outcomes take none', () => {
    const ready = readyFor(started(), G1);
    const conditional = { ...go, outcome: 'CONDITIONAL_GO' as const };
    expect(refusal(apply(ready, conditional)).code).toBe('conditions-required');
    expect(refusal(apply(ready, { ...conditional, conditions: ['Legal sign-off'] })).code).toBe('conditions-required');
    expect(refusal(apply(ready, { ...go, conditions: ['x'] })).code).toBe('conditions-not-allowed');
    const record = ok(
      apply(ready, {
        ...conditional,
        conditions: ['Legal sign-off', 'Budget confirmed'],
        conditionsDueDate: '2026-06-15',
      }),
    );
    expect(record.governance.decisions[0]?.conditions).toEqual([
      { id: 'c1', text: 'Legal sign-off' },
      { id: 'c2', text: 'Budget confirmed' },
    ]);
    expect(record.governance.stage).toBe('scoping');
  });

  it('Hold pauses at the same stage; a later Go resumes and advances', () => {
    let record = ok(
      apply(readyFor(started(), G1), {
        ...go,
        outcome: 'HOLD',
        rationale: 'Waiting for Q3 capacity',
        nextGateDate: '2026-09-01',
      }),
    );
    expect(record.governance).toMatchObject({ stage: 'discovery', status: 'on-hold', nextGateDate: '2026-09-01' });
    record = ok(apply(record, go));
    expect(record.governance).toMatchObject({ stage: 'scoping', status: 'active', nextGateDate: undefined });
    expect(record.governance.decisions.map((d) => [d.id, d.outcome])).toEqual([
      ['d1', 'HOLD'],
      ['d2', 'GO'],
    ]);
  });

  it('Recycle keeps the stage active and the checklist for rework', () => {
    const ready = readyFor(started(), G1);
    const record = ok(apply(ready, { ...go, outcome: 'RECYCLE', rationale: 'Redo the market sizing' }));
    expect(record.governance).toMatchObject({ stage: 'discovery', status: 'active' });
    expect(record.governance.gates[G1]).toEqual(ready.governance.gates[G1]);
  });

  it('a gate can only be decided while it is the current one', () => {
    expect(refusal(apply(started(), { ...go, gateId: G2 })).code).toBe('gate-not-current');
  });
});

describe('Kill is terminal', () => {
  const killed = () =>
    ok(apply(started(), { type: 'decideGate', gateId: G1, outcome: 'KILL', rationale: 'No market' }));
  const anyOps: OpInput[] = [
    { type: 'checkItem', gateId: G1, criterionId: 'feasible', state: 'done' },
    { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'x', conditions: [], overrideReason: 'y' },
    { type: 'setNextGateDate', nextGateDate: '2026-06-01' },
    { type: 'recordStatusReview', summary: 'x', confidence: 'high' },
    { type: 'addRaidItem', item: { type: 'risk', title: 'x', owner: MEMBER, likelihood: 1, impact: 1 } },
    { type: 'closeRaidItem', id: 'R-1', note: 'x' },
    { type: 'setPriorityInputs', inputs: { businessValue: 8 } },
    { type: 'completeProject', summary: 'x' },
    { type: 'recordTransition', fromStatus: 'A', toStatus: 'B', gateId: G1 },
    { type: 'startGovernance', templateId: cooper.id, templateVersion: 1 },
  ];
  it.each(anyOps.map((op) => [op.type, op] as const))('refuses %s after Kill', (_type, op) => {
    const result = op.type === 'recordTransition' ? apply(killed(), op, 'app', workflow()) : apply(killed(), op);
    expect(refusal(result).code).toBe(op.type === 'startGovernance' ? 'already-started' : 'project-closed');
  });
});

describe('Conditional-Go conditions', () => {
  const conditional = () =>
    ok(
      apply(readyFor(started(), G1), {
        type: 'decideGate',
        gateId: G1,
        outcome: 'CONDITIONAL_GO',
        rationale: 'Go if legal signs',
        conditions: ['Legal sign-off', 'Budget confirmed'],
        conditionsDueDate: '2026-06-15',
      }),
    );

  it('are met one by one, once', () => {
    let record = ok(apply(conditional(), { type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' }, OWNER));
    expect(record.governance.decisions[0]?.conditions[0]).toMatchObject({ metBy: OWNER });
    expect(refusal(apply(record, { type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' })).code).toBe(
      'condition-already-met',
    );
    expect(refusal(apply(record, { type: 'meetCondition', decisionId: 'd1', conditionId: 'c9' })).code).toBe(
      'unknown-condition',
    );
    expect(refusal(apply(record, { type: 'meetCondition', decisionId: 'd7', conditionId: 'c1' })).code).toBe(
      'unknown-decision',
    );
    expect(lapsedConditions(record.governance, '2026-06-16').map((d) => d.id)).toEqual(['d1']);
    record = ok(apply(record, { type: 'meetCondition', decisionId: 'd1', conditionId: 'c2' }));
    expect(lapsedConditions(record.governance, '2026-06-16')).toEqual([]);
  });

  it.each([
    ['2026-06-15', []],
    ['2026-06-16', ['d1']],
  ])('on %s the unmet conditions have lapsed: %j', (today, lapsed) => {
    expect(lapsedConditions(conditional().governance, today).map((d) => d.id)).toEqual(lapsed);
  });

  it("unmet conditions send the project back to recycle the gate's stage", () => {
    const record = ok(
      apply(conditional(), {
        type: 'lapseConditionalGo',
        decisionId: 'd1',
        outcome: 'RECYCLE',
        rationale: 'Legal never signed',
      }),
    );
    expect(record.governance).toMatchObject({ stage: 'discovery', status: 'active' });
    expect(record.governance.decisions[0]?.lapsed).toMatchObject({ outcome: 'RECYCLE', by: PMO });
    expect(
      refusal(apply(record, { type: 'lapseConditionalGo', decisionId: 'd1', outcome: 'KILL', rationale: 'x' })).code,
    ).toBe('already-lapsed');
    expect(refusal(apply(record, { type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' })).code).toBe(
      'already-lapsed',
    );
  });

  it('or kill it; only a decider may, and only a Conditional-Go lapses', () => {
    const lapse = {
      type: 'lapseConditionalGo' as const,
      decisionId: 'd1',
      outcome: 'KILL' as const,
      rationale: 'Three strikes',
    };
    expect(refusal(apply(conditional(), lapse, MEMBER, ctx([]))).code).toBe('not-a-decider');
    expect(ok(apply(conditional(), lapse)).governance.status).toBe('killed');
    const plainGo = ok(
      apply(readyFor(started(), G1), { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'x', conditions: [] }),
    );
    expect(refusal(apply(plainGo, lapse)).code).toBe('not-conditional');
  });
});

describe('RAID ops', () => {
  const risk = {
    type: 'risk' as const,
    title: 'Vendor API may slip',
    owner: MEMBER,
    likelihood: 4 as const,
    impact: 3 as const,
  };

  it('numbers items per type and never reuses a number', () => {
    let record = ok(apply(started(), { type: 'addRaidItem', item: risk }, MEMBER));
    record = ok(apply(record, { type: 'addRaidItem', item: risk }));
    record = ok(
      apply(record, {
        type: 'addRaidItem',
        item: {
          type: 'assumption',
          title: 'Users have SSO',
          owner: OWNER,
          sensitivity: 'critical',
          confidence: 'medium',
        },
      }),
    );
    record = ok(apply(record, { type: 'closeRaidItem', id: 'R-2', note: 'Duplicate' }));
    record = ok(apply(record, { type: 'addRaidItem', item: risk }));
    expect(record.raid.items.map((i) => [i.id, i.status])).toEqual([
      ['R-1', 'open'],
      ['R-2', 'closed'],
      ['A-1', 'open'],
      ['R-3', 'open'],
    ]);
    expect(record.raid.items[0]).toMatchObject({ raisedBy: MEMBER, description: '', linkedIssueKeys: [] });
  });

  it("updates fields of the item's own type and validates them", () => {
    const record = ok(apply(started(), { type: 'addRaidItem', item: risk }));
    const updated = ok(
      apply(record, {
        type: 'updateRaidItem',
        id: 'R-1',
        changes: { residualLikelihood: 2, residualImpact: 3, response: 'reduce' },
      }),
    );
    expect(updated.raid.items[0]).toMatchObject({ residualLikelihood: 2, residualImpact: 3, response: 'reduce' });
    expect(refusal(apply(record, { type: 'updateRaidItem', id: 'R-1', changes: { likelihood: 6 } })).code).toBe(
      'invalid-change',
    );
    expect(
      refusal(apply(record, { type: 'updateRaidItem', id: 'R-1', changes: { severity: 3 } })).params.problems,
    ).toContain('severity');
    expect(
      refusal(apply(record, { type: 'updateRaidItem', id: 'R-1', changes: { status: 'closed' } })).params.problems,
    ).toContain('status');
    expect(refusal(apply(record, { type: 'updateRaidItem', id: 'R-9', changes: { title: 'x' } })).code).toBe(
      'unknown-raid-item',
    );
  });

  it('closes, reopens and reviews with who and when', () => {
    let record = ok(apply(started(), { type: 'addRaidItem', item: { ...risk, nextReviewAt: '2026-05-10' } }));
    record = ok(apply(record, { type: 'reviewRaidItem', id: 'R-1', nextReviewAt: '2026-05-24' }, OWNER));
    expect(record.raid.items[0]).toMatchObject({ nextReviewAt: '2026-05-24' });
    expect(record.raid.items[0]?.lastReviewedAt).toBeDefined();
    record = ok(apply(record, { type: 'closeRaidItem', id: 'R-1', note: 'Vendor delivered' }, OWNER));
    expect(record.raid.items[0]).toMatchObject({ status: 'closed', closedBy: OWNER, closeNote: 'Vendor delivered' });
    expect(refusal(apply(record, { type: 'closeRaidItem', id: 'R-1', note: 'again' })).code).toBe('raid-item-closed');
    expect(refusal(apply(record, { type: 'updateRaidItem', id: 'R-1', changes: { title: 'x' } })).code).toBe(
      'raid-item-closed',
    );
    record = ok(apply(record, { type: 'reopenRaidItem', id: 'R-1', reason: 'Slipped again' }));
    expect(record.raid.items[0]).toMatchObject({ status: 'open', closedAt: undefined });
    expect(refusal(apply(record, { type: 'reopenRaidItem', id: 'R-1', reason: 'x' })).code).toBe('raid-item-open');
  });

  it('refuses an item once the log would outgrow what Tollgate stores, before anything is lost', () => {
    const big = { ...risk, description: 'x'.repeat(1900), mitigation: 'm'.repeat(900), contingency: 'c'.repeat(900) };
    let record = started();
    let refused: ReturnType<typeof refusal> | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const result = apply(record, { type: 'addRaidItem', item: big });
      if (result.ok) record = result.record;
      else refused = result.refusal;
    }
    expect(refused?.code).toBe('raid-log-full');
    // Everything added before the refusal is still there; the open items fill the searchable shards (3 × 32 KB).
    expect(record.raid.items.length).toBeGreaterThan(20);
    expect(record.raid.items.every((i) => i.status === 'open')).toBe(true);
  });
});

describe('other ops', () => {
  it('status reviews keep the latest twelve', () => {
    let record = started();
    for (let i = 1; i <= 14; i++)
      record = ok(apply(record, { type: 'recordStatusReview', summary: `Week ${i}`, confidence: 'medium' }, OWNER));
    expect(record.governance.reviews).toHaveLength(12);
    expect(record.governance.reviews.at(-1)?.summary).toBe('Week 14');
  });

  it('tolerances are set per aspect and level, replaced, and removed', () => {
    const tolerance = {
      aspect: 'cost' as const,
      level: 'stage' as const,
      baseline: 100,
      forecast: 104,
      plus: 10,
      minus: 5,
    };
    let record = ok(apply(started(), { type: 'setTolerance', tolerance }));
    record = ok(apply(record, { type: 'setTolerance', tolerance: { ...tolerance, forecast: 120 } }));
    expect(record.governance.tolerances).toEqual([expect.objectContaining({ aspect: 'cost', forecast: 120 })]);
    record = ok(apply(record, { type: 'removeTolerance', aspect: 'cost', level: 'stage' }));
    expect(record.governance.tolerances).toEqual([]);
    expect(refusal(apply(record, { type: 'removeTolerance', aspect: 'cost', level: 'stage' })).code).toBe('no-change');
  });

  it('a project completes only from its final stage', () => {
    expect(refusal(apply(started(), { type: 'completeProject', summary: 'Done' })).code).toBe('not-final-stage');
    const atLaunch = ok(
      apply(null, { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, stageId: 'launch' }),
    );
    const done = ok(apply(atLaunch, { type: 'completeProject', summary: 'Launched, benefits tracked' }));
    expect(done.governance.status).toBe('completed');
    expect(done.governance.completedAt).toBeDefined();
  });

  it('records workflow transitions with the Go that backed them, or none', () => {
    let record = ok(
      apply(
        started(),
        { type: 'recordTransition', fromStatus: 'Discovery', toStatus: 'Scoping', gateId: G1 },
        'app',
        workflow(),
      ),
    );
    expect(record.governance.transitions[0]).toMatchObject({ decisionId: undefined, mandatoryOpen: 3 });
    record = ok(
      apply(readyFor(record, G1), { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'x', conditions: [] }),
    );
    record = ok(
      apply(
        record,
        { type: 'recordTransition', fromStatus: 'Discovery', toStatus: 'Scoping', gateId: G1 },
        'app',
        workflow(),
      ),
    );
    expect(record.governance.transitions[1]).toMatchObject({ decisionId: 'd1', mandatoryOpen: 0 });
  });
});

describe('replayOps', () => {
  it("rebuilds the same record from the ledger's ops", () => {
    const ops: GovernanceOp[] = [
      { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, by: PMO, at: '2026-05-01T09:00:00.000Z' },
      {
        type: 'checkItem',
        gateId: G1,
        criterionId: 'feasible',
        state: 'done',
        by: MEMBER,
        at: '2026-05-01T10:00:00.000Z',
      },
      {
        ...opPayloadSchema.parse({
          type: 'addRaidItem',
          item: { type: 'issue', title: 'No test env', owner: MEMBER, severity: 2 },
        }),
        by: MEMBER,
        at: '2026-05-02T10:00:00.000Z',
      },
    ];
    const replayed = replayOps(null, ops, () => ctx());
    expect(replayed).toMatchObject({ applied: 3 });
    expect(replayed.record?.governance.rev).toBe(3);
    const again = replayOps(null, ops, () => ctx());
    expect(again.record).toEqual(replayed.record);
  });

  it('stops at the first refusal and reports it', () => {
    const ops: GovernanceOp[] = [
      { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, by: PMO, at: '2026-05-01T09:00:00.000Z' },
      { type: 'closeRaidItem', id: 'R-1', note: 'x', by: PMO, at: '2026-05-01T09:01:00.000Z' },
    ];
    expect(replayOps(null, ops, () => ctx())).toMatchObject({ applied: 1, refusal: { code: 'unknown-raid-item' } });
  });
});

describe('op payloads from the browser', () => {
  it.each([
    [{}],
    [{ type: 'deleteEverything' }],
    [{ type: 'checkItem', gateId: G1, criterionId: 'x', state: 'maybe' }],
    [{ type: 'decideGate', gateId: G1, outcome: 'GO', rationale: '   ' }],
    [{ type: 'decideGate', gateId: G1, outcome: 'APPROVE', rationale: 'x' }],
    [{ type: 'addRaidItem', item: { type: 'risk', title: 'x', owner: 'a', likelihood: 0, impact: 3 } }],
    [{ type: 'addRaidItem', item: { type: 'risk', title: 'x', likelihood: 3, impact: 3 } }],
    [
      {
        type: 'checkItem',
        gateId: G1,
        criterionId: 'x',
        state: 'done',
        evidence: [{ url: 'javascript:alert(1)', title: 'x' }],
      },
    ],
    [{ type: 'setPriorityInputs', inputs: { businessValue: 4 } }],
    [{ type: 'setNextGateDate', nextGateDate: '2026-02-30' }],
  ])('rejects %j', (payload) => {
    expect(opPayloadSchema.safeParse(payload).success).toBe(false);
  });

  it('accepts a well-formed op and fills defaults', () => {
    const parsed = opPayloadSchema.parse({ type: 'decideGate', gateId: G1, outcome: 'HOLD', rationale: 'Q3' });
    expect(parsed).toMatchObject({ conditions: [] });
  });
});

describe('what a person may send now, and what the ledger replays as it was', () => {
  const ZW = '\u200b\u200d\u2060\ufeff';
  const BIDI = '\u202e\u2066\u200f';
  const risk = { type: 'risk', title: 'Vendor insolvency', owner: OWNER, likelihood: 3, impact: 4 } as const;
  const problemsOf = (payload: unknown) =>
    opPayloadSchema.safeParse(payload).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it.each<[string, unknown, string]>([
    ['a RAID title of zero-width characters', { type: 'addRaidItem', item: { ...risk, title: ZW } }, 'item.title'],
    ['a RAID title of direction controls', { type: 'addRaidItem', item: { ...risk, title: BIDI } }, 'item.title'],
    [
      'a decision statement of invisible characters',
      {
        type: 'addRaidItem',
        item: {
          type: 'decision',
          title: 'Go live',
          owner: OWNER,
          statement: ZW,
          approver: PMO,
          decidedAt: '2026-05-01',
        },
      },
      'item.statement',
    ],
    ['a rationale', { type: 'decideGate', gateId: G1, outcome: 'HOLD', rationale: BIDI }, 'rationale'],
    [
      'a condition',
      {
        type: 'decideGate',
        gateId: G1,
        outcome: 'CONDITIONAL_GO',
        rationale: 'Fits',
        conditions: ['Secure funding', ZW],
        conditionsDueDate: '2026-07-01',
      },
      'conditions.1',
    ],
    [
      'an override reason',
      { type: 'decideGate', gateId: G1, outcome: 'GO', rationale: 'x', overrideReason: BIDI },
      'overrideReason',
    ],
    ['a close note', { type: 'closeRaidItem', id: 'R-1', note: ZW }, 'note'],
    ['a reopen reason', { type: 'reopenRaidItem', id: 'R-1', reason: BIDI }, 'reason'],
    ['a status review', { type: 'recordStatusReview', summary: ZW, confidence: 'high' }, 'summary'],
    ['a completion summary', { type: 'completeProject', summary: BIDI }, 'summary'],
    [
      'an evidence title',
      {
        type: 'checkItem',
        gateId: G1,
        criterionId: 'feasible',
        state: 'done',
        evidence: [{ url: 'https://wiki.example.com/x', title: ZW }],
      },
      'evidence.0.title',
    ],
    ['a changed title', { type: 'updateRaidItem', id: 'R-1', changes: { title: ZW } }, 'changes.title'],
  ])('refuses %s with nothing visible in it', (_case, payload, path) => {
    expect(problemsOf(payload)).toContain(
      `${path}: enter at least one visible character (zero-width, direction and other invisible characters do not count)`,
    );
  });

  it.each<[string, unknown, string]>([
    [
      'a start with a gate in year 0000',
      { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, nextGateDate: '0000-01-01' },
      'nextGateDate',
    ],
    ['a next gate date in year 0202', { type: 'setNextGateDate', nextGateDate: '0202-05-01' }, 'nextGateDate'],
    [
      'a conditions date in 9999',
      {
        type: 'decideGate',
        gateId: G1,
        outcome: 'CONDITIONAL_GO',
        rationale: 'x',
        conditions: ['c'],
        conditionsDueDate: '9999-12-31',
      },
      'conditionsDueDate',
    ],
    ['a review date before 1900', { type: 'reviewRaidItem', id: 'R-1', nextReviewAt: '1899-12-31' }, 'nextReviewAt'],
    [
      'an issue due in year 0001',
      {
        type: 'addRaidItem',
        item: { type: 'issue', title: 'No env', owner: OWNER, severity: 2, dueDate: '0001-01-01' },
      },
      'item.dueDate',
    ],
    [
      'a changed proximity after 2200',
      { type: 'updateRaidItem', id: 'R-1', changes: { proximity: '2201-01-01' } },
      'changes.proximity',
    ],
  ])('refuses %s', (_case, payload, path) => {
    expect(problemsOf(payload)).toContain(`${path}: use a date between 1900-01-01 and 2200-12-31`);
  });

  // JSON.parse makes `__proto__` an own key, as the bridge's payload arrives on the server.
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'polluted'])(
    'refuses a change to %s, which no RAID item has, by name',
    (key) => {
      const payload: unknown = JSON.parse(`{"type":"updateRaidItem","id":"R-1","changes":{"${key}":{"x":1}}}`);
      expect(problemsOf(payload)).toEqual([`changes: ${key} cannot be changed: no RAID item has such a field`]);
    },
  );

  it.each<[string, unknown]>([
    ['an op', { type: 'setNextGateDate', nextGateDate: '2026-06-01', when: 'now' }],
    ['a new item', { type: 'addRaidItem', item: { ...risk, severity: 3 } }],
    ['a new item assigning its own id', { type: 'addRaidItem', item: { ...risk, id: 'R-99' } }],
    [
      'evidence',
      {
        type: 'checkItem',
        gateId: G1,
        criterionId: 'x',
        state: 'done',
        evidence: [{ url: 'https://a.example', title: 'a', by: PMO }],
      },
    ],
    [
      'a tolerance',
      {
        type: 'setTolerance',
        tolerance: { aspect: 'cost', level: 'stage', baseline: 1, forecast: 1, plus: 1, minus: 1, note: 'x' },
      },
    ],
    ['priority inputs', { type: 'setPriorityInputs', inputs: { businessValue: 8, bonus: 100 } }],
  ])('refuses a key the schema does not know in %s, instead of dropping it', (_case, payload) => {
    expect(problemsOf(payload).join(' ')).toMatch(/Unrecognized key/);
  });

  it('refuses an update that changes nothing, however it says so', () => {
    const record = ok(apply(started(), { type: 'addRaidItem', item: risk }));
    for (const changes of [{}, { likelihood: 3 }, { title: '  Vendor insolvency ' }, { likelihood: 3, impact: 4 }]) {
      expect(refusal(apply(record, { type: 'updateRaidItem', id: 'R-1', changes }))).toEqual({
        code: 'raid-item-unchanged',
        params: { id: 'R-1' },
      });
    }
    expect(
      ok(apply(record, { type: 'updateRaidItem', id: 'R-1', changes: { likelihood: 4 } })).raid.items[0],
    ).toMatchObject({
      likelihood: 4,
    });
  });

  it('refuses priority inputs that change nothing', () => {
    const record = ok(apply(started(), { type: 'setPriorityInputs', inputs: { businessValue: 8 } }));
    expect(refusal(apply(record, { type: 'setPriorityInputs', inputs: {} })).code).toBe('no-change');
    expect(refusal(apply(record, { type: 'setPriorityInputs', inputs: { businessValue: 8 } })).code).toBe('no-change');
  });

  it('asks for a reason when a not-applicable reason has nothing visible in it', () => {
    const result = apply(started(), {
      type: 'checkItem',
      gateId: G1,
      criterionId: 'feasible',
      state: 'na',
      naReason: ZW,
    });
    expect(refusal(result).code).toBe('na-needs-reason');
  });

  it('replays ops the ledger recorded under the older rules exactly as they were applied', () => {
    const at = (minute: number) => `2026-05-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const recorded: unknown[] = [
      { type: 'startGovernance', templateId: cooper.id, templateVersion: 1, by: PMO, at: at(0) },
      { type: 'addRaidItem', item: { ...risk, title: ZW, nextReviewAt: '0202-05-01' }, by: MEMBER, at: at(1) },
      { type: 'setNextGateDate', nextGateDate: '0202-06-01', by: PMO, at: at(2) },
      { type: 'updateRaidItem', id: 'R-1', changes: { toString: 'x' }, by: MEMBER, at: at(3) },
      { type: 'updateRaidItem', id: 'R-1', changes: {}, by: MEMBER, at: at(4) },
      { type: 'checkItem', gateId: G1, criterionId: 'feasible', state: 'na', naReason: ZW, by: MEMBER, at: at(5) },
      { type: 'setPriorityInputs', inputs: {}, by: PMO, at: at(6) },
    ];
    const ops = recorded.map((op) => governanceOpSchema.parse(op) as GovernanceOp);
    const replayed = replayOps(null, ops, () => ctx());
    expect(replayed.refusal).toBeUndefined();
    expect(replayed.applied).toBe(recorded.length);
    expect(replayed.record?.governance).toMatchObject({ rev: recorded.length, nextGateDate: '0202-06-01' });
    // Trimmed as it always was (trim removes the byte-order mark), and otherwise kept.
    expect(replayed.record?.raid.items[0]).toMatchObject({
      title: ZW.trim(),
      nextReviewAt: '0202-05-01',
      likelihood: 3,
    });
  });
});
