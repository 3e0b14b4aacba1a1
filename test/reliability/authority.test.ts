/**
 * The authority table (src/domain/authority.ts) through the real resolver path, as Forge calls it: every op kind and
 * restore, for every kind of person — a team member, the project's owner, a sponsor, a PMO lead, a Jira admin and an
 * outsider who cannot browse the project. Allowed acts succeed; refused ones answer the table's own refusal code and
 * leave every issue property and every KVS entry as they were. Then separation of duties in directive mode: an owner
 * who hands the project on to decide it, or who is the owner by the configured owner field rather than the
 * assignee, is refused, and the decision record shows who owned the project during the stage.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { type AuthorityRefusalCode, GOVERNED_ACTIONS, type GovernedAction } from '../../src/domain/authority';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, worldState } from './kit';

const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G2 = TEMPLATE.stages[1]!.exitGate!;

const ROLES = {
  member: PEOPLE.member.accountId,
  owner: PEOPLE.owner.accountId,
  sponsor: PEOPLE.sponsor.accountId,
  pmo: PEOPLE.pmoLead.accountId,
  admin: PEOPLE.admin.accountId,
  outsider: PEOPLE.outsider.accountId,
} as const;
type Role = keyof typeof ROLES;
const ROLE_NAMES = Object.keys(ROLES) as Role[];
const LEAD = ROLES.pmo;

/** The state an action needs to succeed when it is allowed: each case gets a fresh project in that state. */
type Fixture = 'ungoverned' | 'scoping' | 'tolerance' | 'raid' | 'closedRaid' | 'conditional' | 'launch';

/**
 * What each action asks for, on which kind of project, and — written out by hand, not derived from the table — who
 * may do it and what everyone else is told. The projects sit in Scoping, whose Gate 2 the PMO and the sponsor
 * decide; the Conditional-Go was decided at that gate. The outsider is always told the project does not exist.
 */
const CASES: Record<
  GovernedAction,
  {
    readonly fixture: Fixture;
    readonly op?: Record<string, unknown>;
    readonly allowed: readonly Role[];
    readonly refusal?: AuthorityRefusalCode;
  }
> = {
  startGovernance: {
    fixture: 'ungoverned',
    op: { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version },
    allowed: ['pmo'],
    refusal: 'needs-pmo',
  },
  checkItem: {
    fixture: 'scoping',
    op: { type: 'checkItem', gateId: G2.id, criterionId: 'technical-assessment', state: 'done' },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  decideGate: {
    fixture: 'scoping',
    op: { type: 'decideGate', gateId: G2.id, outcome: 'HOLD', rationale: 'Wait for the market study' },
    allowed: ['sponsor', 'pmo'],
    refusal: 'not-a-decider',
  },
  meetCondition: {
    fixture: 'conditional',
    op: { type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' },
    allowed: ['sponsor', 'pmo'],
    refusal: 'not-a-decider',
  },
  lapseConditionalGo: {
    fixture: 'conditional',
    op: { type: 'lapseConditionalGo', decisionId: 'd1', outcome: 'RECYCLE', rationale: 'The survey never came' },
    allowed: ['sponsor', 'pmo'],
    refusal: 'not-a-decider',
  },
  setNextGateDate: {
    fixture: 'scoping',
    op: { type: 'setNextGateDate', nextGateDate: '2027-01-15' },
    allowed: ['owner', 'pmo'],
    refusal: 'needs-owner-or-pmo',
  },
  recordStatusReview: {
    fixture: 'scoping',
    op: { type: 'recordStatusReview', summary: 'On track for the gate', confidence: 'medium' },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  setTolerance: {
    fixture: 'scoping',
    op: {
      type: 'setTolerance',
      tolerance: { aspect: 'cost', level: 'stage', baseline: 100, forecast: 100, plus: 10, minus: 5, unit: 'NOK k' },
    },
    allowed: ['pmo'],
    refusal: 'needs-pmo',
  },
  removeTolerance: {
    fixture: 'tolerance',
    op: { type: 'removeTolerance', aspect: 'cost', level: 'stage' },
    allowed: ['pmo'],
    refusal: 'needs-pmo',
  },
  setPriorityInputs: {
    fixture: 'scoping',
    op: { type: 'setPriorityInputs', inputs: { businessValue: 8, timeCriticality: 5, riskReduction: 3, jobSize: 5 } },
    allowed: ['owner', 'pmo'],
    refusal: 'needs-owner-or-pmo',
  },
  completeProject: {
    fixture: 'launch',
    op: { type: 'completeProject', summary: 'Delivered; benefits review booked' },
    allowed: ['sponsor', 'pmo'],
    refusal: 'needs-pmo-or-sponsor',
  },
  recordTransition: {
    fixture: 'scoping',
    op: { type: 'recordTransition', fromStatus: 'Scoping', toStatus: 'Business Case', gateId: G2.id },
    allowed: [],
    refusal: 'recorded-by-tollgate',
  },
  addRaidItem: {
    fixture: 'scoping',
    op: {
      type: 'addRaidItem',
      item: { type: 'risk', title: 'Supplier may slip', owner: ROLES.owner, likelihood: 3, impact: 3 },
    },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  updateRaidItem: {
    fixture: 'raid',
    op: { type: 'updateRaidItem', id: 'R-1', changes: { likelihood: 4 } },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  closeRaidItem: {
    fixture: 'raid',
    op: { type: 'closeRaidItem', id: 'R-1', note: 'Supplier delivered' },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  reopenRaidItem: {
    fixture: 'closedRaid',
    op: { type: 'reopenRaidItem', id: 'R-1', reason: 'It slipped again' },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  reviewRaidItem: {
    fixture: 'raid',
    op: { type: 'reviewRaidItem', id: 'R-1', nextReviewAt: '2026-12-15' },
    allowed: ['member', 'owner', 'sponsor', 'pmo', 'admin'],
  },
  restore: { fixture: 'scoping', allowed: ['pmo'], refusal: 'needs-pmo' },
};

jest.setTimeout(600_000);

function dataOf<T>(response: ResolverResponse<T>): T {
  if (!response.success) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

/** A new registry project in the PMO project; Jira's search has indexed it, as it would have by the time it is used. */
function newProject(world: BackendWorld, summary: string, fields: { assignee: string; reporter?: string }): string {
  const { key } = world.data.store.createIssue(
    { project: 'PMO', issueType: 'Project', summary, ...fields },
    { kind: 'app' },
  );
  world.jira.settleSearchIndex();
  return key;
}

describe('the authority table through the resolvers: every op kind for every role', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let confidential: string;
  let made = 0;
  /** Projects that refused ops share, per action: a refusal changes nothing, which each case checks. */
  const shared = new Map<GovernedAction, string>();

  const apply = (accountId: string, op: unknown, key: string) =>
    call.panel<ProjectChangeResult>(accountId, 'project/apply', { op }, key);

  /** A project in the state `fixture` names, built by the PMO lead through the resolvers (so its ledger is real). */
  async function project(fixture: Fixture): Promise<string> {
    const key = newProject(world, `Authority case ${++made} (${fixture})`, { assignee: ROLES.owner });
    if (fixture === 'ungoverned') return key;
    const lead = async (op: Record<string, unknown>) => dataOf(await apply(LEAD, op, key));
    await lead({
      type: 'startGovernance',
      templateId: TEMPLATE.id,
      templateVersion: TEMPLATE.version,
      stageId: fixture === 'launch' ? 'launch' : 'scoping',
    });
    if (fixture === 'tolerance') await lead(CASES.setTolerance.op!);
    if (fixture === 'raid' || fixture === 'closedRaid') await lead(CASES.addRaidItem.op!);
    if (fixture === 'closedRaid') await lead(CASES.closeRaidItem.op!);
    if (fixture === 'conditional') {
      await lead({
        type: 'decideGate',
        gateId: G2.id,
        outcome: 'CONDITIONAL_GO',
        rationale: 'Go, once the customer survey is in',
        conditions: ['Customer survey received'],
        conditionsDueDate: '2026-12-31',
        overrideReason: 'Steering committee asked to start the business case now',
      });
    }
    await world.runtime.drainQueue();
    return key;
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    // The admin gets edit permission on the registry, as a member has, so that what refuses them below is Tollgate's
    // table (an administrator holds no governance role), not Jira's edit permission.
    world.data.store.addToGroup('project-contributors', ROLES.admin);
    confidential = world.data.store.listIssues().find((issue) => issue.key.startsWith('CONF-'))!.key;
    await world.runtime.drainQueue();
  });
  afterAll(async () => {
    await world.close();
  });

  const cases = GOVERNED_ACTIONS.flatMap((action) => ROLE_NAMES.map((role) => [action, role] as const));

  it('covers every action the table names for all six roles', () => {
    expect(Object.keys(CASES).sort()).toEqual([...GOVERNED_ACTIONS].sort());
    expect(cases).toHaveLength(GOVERNED_ACTIONS.length * 6);
  });

  it.each(cases)('%s by the %s', async (action, role) => {
    const expected = CASES[action];
    const allowed = expected.allowed.includes(role);
    let key: string;
    if (role === 'outsider') key = confidential;
    else if (allowed) key = await project(expected.fixture);
    else {
      key = shared.get(action) ?? (await project(expected.fixture));
      shared.set(action, key);
    }
    const before = await worldState(world);
    const accountId = ROLES[role];
    const response =
      action === 'restore'
        ? await call.panel<ProjectChangeResult>(accountId, 'project/restore', {}, key)
        : await apply(accountId, expected.op, key);

    if (role === 'outsider') {
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'NOT_FOUND' }] });
      expect(changesBetween(before, await worldState(world))).toEqual([]);
    } else if (allowed) {
      expect(response).toMatchObject({ success: true, data: { pending: false } });
      await world.runtime.drainQueue();
    } else {
      expect(response).toMatchObject({
        success: false,
        errors: [{ errorType: 'FORBIDDEN', i18n: { key: `refusal.${expected.refusal}` } }],
      });
      expect(changesBetween(before, await worldState(world))).toEqual([]);
    }
  });
});

describe('separation of duties in directive mode, and the owner from the configured owner field', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  const SPONSOR = PEOPLE.sponsor.accountId;
  const OLA = PEOPLE.owner.accountId;
  const hold = { type: 'decideGate', gateId: G2.id, outcome: 'HOLD', rationale: 'Wait for the market study' };

  const apply = (accountId: string, op: unknown, key: string) =>
    call.panel<ProjectChangeResult>(accountId, 'project/apply', { op }, key);
  const load = async (accountId: string, key: string) =>
    dataOf(await call.panel<ProjectPanelView>(accountId, 'project/load', {}, key));
  /** Jira's own edit, as a person with a REST client or the issue view makes it. */
  const reassign = async (by: string, key: string, to: string) => {
    const response = await world.rest({ kind: 'user', accountId: by }, 'PUT', `/rest/api/3/issue/${key}`, {
      fields: { assignee: { accountId: to } },
    });
    expect(response.status).toBe(204);
    await world.runtime.drainQueue();
  };
  const governed = async (summary: string, fields: { assignee: string; reporter?: string }) => {
    const key = newProject(world, summary, fields);
    dataOf(
      await apply(
        PEOPLE.pmoLead.accountId,
        { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version, stageId: 'scoping' },
        key,
      ),
    );
    await world.runtime.drainQueue();
    return key;
  };
  const refusedWith = (code: AuthorityRefusalCode) => ({
    success: false,
    errors: [{ errorType: 'FORBIDDEN', i18n: { key: `refusal.${code}`, params: { gate: G2.name } } }],
  });

  beforeAll(async () => {
    world = await startBackendWorld('directive');
    call = callers(world);
  });
  afterAll(async () => {
    await world.close();
  });

  it('refuses an owner who hands the project on to decide it, and after handing it back; the record shows it', async () => {
    // The sponsor owns this project and holds a decider role for its gate.
    const key = await governed('Heat recovery pilot', { assignee: SPONSOR });
    let before = await worldState(world);
    expect(await apply(SPONSOR, hold, key)).toMatchObject(refusedWith('separation-of-duties'));
    expect(changesBetween(before, await worldState(world))).toEqual([]);

    await reassign(SPONSOR, key, OLA);
    expect((await load(SPONSOR, key)).viewer.canDecide).toBe(false);
    before = await worldState(world);
    expect(await apply(SPONSOR, hold, key)).toMatchObject(refusedWith('owner-during-stage'));
    expect(changesBetween(before, await worldState(world))).toEqual([]);

    await reassign(OLA, key, SPONSOR);
    before = await worldState(world);
    expect(await apply(SPONSOR, hold, key)).toMatchObject(refusedWith('separation-of-duties'));
    expect(changesBetween(before, await worldState(world))).toEqual([]);

    // A decider who never owned it decides; the decision records both owners of the stage, in order.
    const lead = PEOPLE.pmoLead.accountId;
    expect((await load(lead, key)).viewer.canDecide).toBe(true);
    const decided = dataOf(await apply(lead, hold, key));
    expect(decided.view?.decisions[0]).toMatchObject({
      outcome: 'HOLD',
      decidedBy: lead,
      ownership: { owner: SPONSOR, stage: [SPONSOR, OLA] },
    });
    // The ledger kept the context the decision was judged in: a rebuild from it reproduces the signed record.
    const restored = dataOf(await call.panel<ProjectChangeResult>(lead, 'project/restore', {}, key));
    expect(restored.rev).toBe(decided.rev);
    expect(restored.view?.integrity.status).toBe('ok');
  });

  it('refuses settling conditions and completing to whoever owned the project this stage', async () => {
    const key = await governed('Grid sensor tender', { assignee: SPONSOR });
    const lead = PEOPLE.pmoLead.accountId;
    dataOf(
      await apply(
        lead,
        {
          type: 'decideGate',
          gateId: G2.id,
          outcome: 'CONDITIONAL_GO',
          rationale: 'Go, once legal has signed',
          conditions: ['Legal sign-off'],
          conditionsDueDate: '2026-12-31',
          overrideReason: 'Board asked for a fast start',
        },
        key,
      ),
    );
    // The Conditional-Go moved the project into Build Business Case, owned by the sponsor, who now hands it on.
    await reassign(SPONSOR, key, OLA);
    const meet = { type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' };
    const before = await worldState(world);
    expect(await apply(SPONSOR, meet, key)).toMatchObject({
      success: false,
      errors: [{ errorType: 'FORBIDDEN', i18n: { key: 'refusal.owner-during-stage' } }],
    });
    expect(changesBetween(before, await worldState(world))).toEqual([]);
    expect(dataOf(await apply(lead, meet, key)).view?.decisions[0]?.conditions[0]?.metBy).toBe(lead);
  });

  it("takes the owner from the settings' owner field, not always the assignee", async () => {
    // Assigned to the PMO lead, reported (and, in these settings, owned) by the sponsor.
    const key = await governed('Customer app accessibility', { assignee: PEOPLE.pmoLead.accountId, reporter: SPONSOR });
    const before = await worldState(world);
    expect(await apply(PEOPLE.pmoLead.accountId, hold, key)).toMatchObject(refusedWith('separation-of-duties'));
    expect(changesBetween(before, await worldState(world))).toEqual([]);

    const admin = PEOPLE.admin.accountId;
    const loaded = dataOf(
      await call.admin<{ settings: { fields: Record<string, unknown> }; version: number }>(admin, 'settings/load', {}),
    );
    dataOf(
      await call.admin(admin, 'settings/save', {
        ...loaded.settings,
        fields: { ...loaded.settings.fields, owner: 'reporter' },
        expectedVersion: loaded.version,
      }),
    );
    expect(await apply(SPONSOR, hold, key)).toMatchObject(refusedWith('separation-of-duties'));
    const decided = dataOf(await apply(PEOPLE.pmoLead.accountId, hold, key));
    expect(decided.view?.decisions[0]?.ownership).toEqual({ owner: SPONSOR, stage: [SPONSOR] });
  });
});
