/**
 * The Jira gate through the real validator in controlling mode: people move registry issues through Jira's REST
 * transitions, Jira calls Tollgate's validator with the statuses the transition leaves and enters, and the validator
 * judges that transition — the gate it passes, against the decision recorded there — not the project's current
 * stage. A Conditional-Go (even one the PMO gave over open must-meets) opens its gate; Hold, Recycle and Kill keep it
 * shut and say so; cancelling and stepping back pass no gate and are never refused as if they did.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase } from '../../src/app/apply-op-use-case';
import { type GovernanceDocument } from '../../src/domain/documents/governance-document';
import { type OpInput, opPayloadSchema } from '../../src/domain/ops';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const G1 = 'g1-idea-screen';

jest.setTimeout(90_000);

describe('the Jira gate, judged on the transition being made (controlling mode)', () => {
  let world: BackendWorld;
  /** Registry projects nobody governs yet: each test takes its own. */
  let fresh: string[];

  const apply = (key: string, op: OpInput) =>
    world.as(LEAD, () => applyOpUseCase(world.deps, { accountId: LEAD, issueKey: key, op: opPayloadSchema.parse(op) }));
  const decide = (key: string, outcome: string, extra: Record<string, unknown> = {}) =>
    apply(key, { type: 'decideGate', gateId: G1, outcome, rationale: 'Gate meeting', ...extra } as OpInput);
  const start = (key: string) =>
    apply(key, { type: 'startGovernance', templateId: 'cooper-stage-gate', templateVersion: 1 });
  const statusOf = (key: string) => world.data.store.getStatus(world.data.store.getIssue(key)!.fields.status)?.name;
  const governanceOf = (key: string) =>
    world.data.store.getProperty(world.idOf(key), 'tollgate-governance') as GovernanceDocument;
  /** Takes the named transition through Jira's REST API as the PMO lead; Jira runs the validator on it. */
  async function move(key: string, name: string): Promise<{ status: number; refusal: string }> {
    const principal = { kind: 'user' as const, accountId: LEAD };
    const listed = await world.rest(principal, 'GET', `/rest/api/3/issue/${key}/transitions`);
    const transition = (listed.json as { transitions: Array<{ id: string; name: string }> }).transitions.find(
      (t) => t.name === name,
    );
    if (!transition) throw new Error(`${key} in ${statusOf(key)} offers no transition "${name}"`);
    const response = await world.rest(principal, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: transition.id },
    });
    const refusal = ((response.json as { errorMessages?: string[] } | null)?.errorMessages ?? []).join(' ');
    return { status: response.status, refusal };
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    const store = world.data.store;
    // The seeded registry workflow, plus a step back from Scoping (teams reopen a stage), with the same transition ids.
    const name = (id: string) => store.getStatus(id)!.name;
    store.defineWorkflow('PMO', {
      initialStatus: 'Discovery',
      transitions: [
        ...store.workflowTransitions('PMO').map((t) => ({
          id: t.id,
          name: t.name,
          from: t.fromStatusIds === null ? ('any' as const) : t.fromStatusIds.map(name),
          to: name(t.toStatusId),
        })),
        { id: '901', name: 'Back to Discovery', from: ['Scoping'], to: 'Discovery' },
      ],
    });
    // Registry projects nobody governs yet, in Jira's first status: one per test, made here so no test depends on
    // how many the demo leaves ungoverned.
    fresh = Array.from(
      { length: 6 },
      (_, n) =>
        store.createIssue(
          { project: 'PMO', issueType: 'Project', summary: `Validator check ${n + 1}` },
          { kind: 'user', accountId: LEAD },
        ).key,
    );
  });
  afterAll(() => world.close());

  it('a Conditional-Go over open must-meets opens Gate 1; a step back and forward again passes too', async () => {
    const key = fresh[0]!;
    await start(key);
    await decide(key, 'CONDITIONAL_GO', {
      conditions: ['Market scan by the next board'],
      conditionsDueDate: '2026-12-15',
      overrideReason: 'Strategic bet; the checks follow',
    });
    // Tollgate has moved the project on; its Gate 1 items can no longer be ticked.
    expect(governanceOf(key).stage).toBe('scoping');

    expect(await move(key, 'Pass gate to Scoping')).toEqual({ status: 204, refusal: '' });
    expect(statusOf(key)).toBe('Scoping');
    expect(await move(key, 'Back to Discovery')).toEqual({ status: 204, refusal: '' });
    expect(await move(key, 'Pass gate to Scoping')).toEqual({ status: 204, refusal: '' });
    await world.runtime.drainQueue();
    // The trigger wrote down the two passages of Gate 1 (backed by the Conditional-Go), not the step back.
    expect(governanceOf(key).transitions.map((t) => [t.fromStatus, t.toStatus, t.gateId, t.decisionId])).toEqual([
      ['Discovery', 'Scoping', G1, 'd1'],
      ['Discovery', 'Scoping', G1, 'd1'],
    ]);
  });

  it('a Kill shuts the gate, and the project can still be cancelled', async () => {
    const key = fresh[1]!;
    await start(key);
    await decide(key, 'KILL');
    const pass = await move(key, 'Pass gate to Scoping');
    expect(pass.status).toBe(400);
    expect(pass.refusal).toContain(`${key} was killed at a gate (Gate 1: Idea Screen)`);
    expect(await move(key, 'Cancel project')).toEqual({ status: 204, refusal: '' });
    expect(statusOf(key)).toBe('Cancelled');
    await world.runtime.drainQueue();
    expect(governanceOf(key).transitions).toEqual([]);
  });

  it.each([
    ['HOLD', 'it is on hold there by gate decision'],
    ['RECYCLE', 'the gate decided Recycle'],
  ])('a %s keeps Gate 1 shut, saying so; cancelling is still allowed', async (outcome, because) => {
    const key = fresh[outcome === 'HOLD' ? 2 : 3]!;
    await start(key);
    await decide(key, outcome);
    const pass = await move(key, 'Pass gate to Scoping');
    expect(pass.status).toBe(400);
    expect(pass.refusal).toContain(`${key} cannot pass Gate 1: Idea Screen: ${because}`);
    expect(pass.refusal).toContain('Who may decide: the PMO.');
    expect(await move(key, 'Cancel project')).toEqual({ status: 204, refusal: '' });
  });

  it('without a decision Gate 1 is shut with what is missing; cancelling is allowed', async () => {
    const key = fresh[4]!;
    await start(key);
    const pass = await move(key, 'Pass gate to Scoping');
    expect(pass.status).toBe(400);
    expect(pass.refusal).toContain(`${key} cannot pass Gate 1: Idea Screen: missing must-meet "Fits the portfolio`);
    expect(await move(key, 'Cancel project')).toEqual({ status: 204, refusal: '' });
  });

  it('an ungoverned project can be cancelled, not moved through a gate', async () => {
    const key = fresh[5]!;
    const pass = await move(key, 'Pass gate to Scoping');
    expect(pass.status).toBe(400);
    expect(pass.refusal).toContain(`${key} has no stage-gate record yet`);
    expect(await move(key, 'Cancel project')).toEqual({ status: 204, refusal: '' });
  });
});
