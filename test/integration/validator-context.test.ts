/**
 * The workflow validator knows who is moving the issue only from what Forge documents: `context.principal.accountId`
 * (Forge's "Function arguments" reference). Directive mode is where that matters: only a PMO lead may move a project
 * through a gate, so a validator that cannot tell who is asking refuses everyone (or, worse, lets everyone through).
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase } from '../../src/app/apply-op-use-case';
import { opPayloadSchema } from '../../src/domain/ops';
import { validateGateTransition } from '../../src/validators/gate-validator';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const INSTALL = 'ari:cloud:jira::site/5a1e0f3c-0000-4000-8000-0000000c10d0';
const PMO_ONLY = /only the PMO may move a project through Gate 1: Idea Screen \(directive mode\)/;

jest.setTimeout(60_000);

describe('the workflow validator reads the transitioning user as Forge sends it (directive mode)', () => {
  let world: BackendWorld;
  let key: string;

  const transition = async (accountId: string) => {
    const listed = await world.rest({ kind: 'user', accountId }, 'GET', `/rest/api/3/issue/${key}/transitions`);
    const pass = (listed.json as { transitions: Array<{ id: string; name: string }> }).transitions.find(
      (t) => t.name === 'Pass gate to Scoping',
    )!;
    return world.rest({ kind: 'user', accountId }, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: pass.id },
    });
  };
  const refusal = (response: { json: unknown }) =>
    (response.json as { errorMessages: string[] }).errorMessages.join(' ');

  beforeAll(async () => {
    world = await startBackendWorld('directive');
    key = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen')!.key;
    await world.as(LEAD, () =>
      applyOpUseCase(world.deps, {
        accountId: LEAD,
        issueKey: key,
        op: opPayloadSchema.parse({ type: 'startGovernance', templateId: 'cooper-stage-gate', templateVersion: 1 }),
      }),
    );
  });
  afterAll(() => world.close());

  it('through Jira: the owner is refused as not PMO; the PMO lead is judged on the gate itself', async () => {
    const byOwner = await transition(OWNER);
    expect(byOwner.status).toBe(400);
    expect(refusal(byOwner)).toMatch(PMO_ONLY);

    const byLead = await transition(LEAD);
    expect(byLead.status).toBe(400);
    // The lead holds the PMO role, so what stops them is the gate's own state, named as such.
    expect(refusal(byLead)).not.toMatch(PMO_ONLY);
    expect(refusal(byLead)).toContain(`${key} cannot pass Gate 1: Idea Screen`);
  });

  it('takes the user from principal only: a top-level accountId (which Forge never sends) names nobody', async () => {
    const call = { issue: { key }, transition: { from: { id: '1' }, to: { id: '2' } } };
    const judge = (context: unknown) => world.as(LEAD, () => validateGateTransition(call, context, world.deps));

    await expect(judge({ installContext: INSTALL, principal: { accountId: LEAD } })).resolves.toMatchObject({
      result: false,
      errorMessage: expect.not.stringMatching(PMO_ONLY) as unknown,
    });
    // No user (a transition Jira makes as the app, e.g. an automation rule): no role, so not the PMO.
    await expect(judge({ installContext: INSTALL })).resolves.toMatchObject({
      result: false,
      errorMessage: expect.stringMatching(PMO_ONLY) as unknown,
    });
    await expect(judge({ installContext: INSTALL, accountId: LEAD })).resolves.toMatchObject({
      errorMessage: expect.stringMatching(PMO_ONLY) as unknown,
    });
    // A context Tollgate cannot read at all is a refusal that says so, never a pass.
    await expect(judge({ installContext: INSTALL, principal: { accountId: 42 } })).resolves.toEqual({
      result: false,
      errorMessage: 'Tollgate could not read this transition; ask an admin to check the workflow.',
    });
  });
});
