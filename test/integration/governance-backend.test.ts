import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase, RefusedError, TamperedError } from '../../src/app/apply-op-use-case';
import { ForbiddenError, NotFoundError } from '../../src/app/errors';
import { loadProjectUseCase } from '../../src/app/load-project-use-case';
import { recomputeHealthUseCase } from '../../src/app/recompute-use-case';
import { restoreProjectUseCase } from '../../src/app/restore-use-case';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { type OpInput, opPayloadSchema } from '../../src/domain/ops';
import { runLifecycleRecompute } from '../../src/triggers/scheduled';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const G1 = DEFAULT_TEMPLATES[0]!.stages[0]!.exitGate!;

jest.setTimeout(60_000);

describe('the governance backend in the sandbox (controlling mode)', () => {
  let world: BackendWorld;
  let key: string;

  const keyOf = (summary: string): string => {
    const issue = world.data.store.listIssues().find((i) => i.fields.summary === summary);
    if (!issue) throw new Error(`no issue "${summary}"`);
    return issue.key;
  };
  const apply = (accountId: string, issueKey: string, op: OpInput) =>
    world.as(accountId, () => applyOpUseCase(world.deps, { accountId, issueKey, op: opPayloadSchema.parse(op) }));
  const load = (accountId: string, issueKey: string) =>
    world.as(accountId, () => loadProjectUseCase(world.deps, { accountId, issueKey }));
  const ledger = (issueKey: string) => world.as(null, () => world.deps.storage.ledger(world.idOf(issueKey)));
  const governanceOf = (issueKey: string) =>
    world.data.store.getProperty(world.idOf(issueKey), 'tollgate-governance') as {
      rev: number;
      decisions: Array<{ id: string }>;
      transitions: Array<{ decisionId?: string }>;
    };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    key = keyOf('District heating in Bergen'); // not yet under governance in the demo
  });
  afterAll(() => world.close());

  it('a PMO lead starts governance and a team member ticks an item: signed, ledgered, health indexed', async () => {
    await expect(
      apply(LEAD, key, { type: 'startGovernance', templateId: 'cooper-stage-gate', templateVersion: 1 }),
    ).resolves.toMatchObject({ rev: 1 });
    await expect(
      apply(MEMBER, key, { type: 'checkItem', gateId: G1.id, criterionId: 'strategic-fit', state: 'done' }),
    ).resolves.toMatchObject({ rev: 2 });
    const view = await load(MEMBER, key);
    expect(view).toMatchObject({ integrity: 'ok', viewer: { canEdit: true, roles: [] }, mode: 'controlling' });
    expect(view.record?.governance.gates[G1.id]?.['strategic-fit']).toMatchObject({ state: 'done', by: MEMBER });
    expect(view.readiness?.mustOpen.map((c) => c.id)).toEqual(['feasible', 'no-showstopper']);
    expect((await ledger(key)).map((e) => [e.rev, e.by, e.committed])).toEqual([
      [1, LEAD, true],
      [2, MEMBER, true],
    ]);
    const health = world.data.store.getProperty(world.idOf(key), 'tollgate-health') as {
      integrity: string;
      stage: string;
    };
    expect(health).toMatchObject({ integrity: 'ok', stage: 'discovery' });
    // JQL on the indexed alias sees it once Jira's index has caught up (search-index.ts).
    world.jira.settleSearchIndex();
    const found = await world.rest({ kind: 'user', accountId: LEAD }, 'POST', '/rest/api/3/search/jql', {
      jql: `tollgateStage = "discovery" AND key = ${key}`,
    });
    expect((found.json as { issues: unknown[] }).issues).toHaveLength(1);
  });

  it('a member cannot decide a gate or start governance, and nothing changes', async () => {
    const before = governanceOf(key).rev;
    await expect(
      apply(MEMBER, key, { type: 'decideGate', gateId: G1.id, outcome: 'GO', rationale: 'Looks good' }),
    ).rejects.toMatchObject({
      refusal: { code: 'not-a-decider' },
    });
    await expect(
      apply(MEMBER, keyOf('Customer energy insights'), {
        type: 'startGovernance',
        templateId: 'cooper-stage-gate',
        templateVersion: 1,
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(governanceOf(key).rev).toBe(before);
    expect(await ledger(key)).toHaveLength(before);
  });

  it('an outsider never sees the confidential project and cannot write to one they only browse', async () => {
    await expect(load(OUTSIDER, 'CONF-1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      apply(OUTSIDER, 'CONF-1', { type: 'recordStatusReview', summary: 'x', confidence: 'low' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      apply(OUTSIDER, key, { type: 'recordStatusReview', summary: 'x', confidence: 'low' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses with the reducer's reason when the op does not apply", async () => {
    const error = await apply(MEMBER, key, {
      type: 'checkItem',
      gateId: G1.id,
      criterionId: 'feasible',
      state: 'na',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefusedError);
    expect(error).toMatchObject({ errorType: 'REFUSED', i18n: { key: 'refusal.na-needs-reason' } });
  });

  it('ten concurrent ops on one issue all land, each exactly once', async () => {
    const before = governanceOf(key).rev;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        apply(MEMBER, key, {
          type: 'addRaidItem',
          item: { type: 'risk', title: `Concurrent risk ${i}`, owner: OWNER, likelihood: 2, impact: 3 },
        }),
      ),
    );
    expect(results.map((r) => r.rev).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => before + 1 + i),
    );
    const view = await load(LEAD, key);
    expect(view.integrity).toBe('ok');
    const titles = view.record?.raid.items.map((item) => item.title) ?? [];
    for (let i = 0; i < 10; i++) expect(titles.filter((t) => t === `Concurrent risk ${i}`)).toHaveLength(1);
    expect(await ledger(key)).toHaveLength(before + 10);
  });

  it('the validator blocks a gate transition without a Go, naming the issue, the missing items and the deciders', async () => {
    const transitions = await world.rest(
      { kind: 'user', accountId: OWNER },
      'GET',
      `/rest/api/3/issue/${key}/transitions`,
    );
    const pass = (transitions.json as { transitions: Array<{ id: string; name: string }> }).transitions.find(
      (t) => t.name === 'Pass gate to Scoping',
    )!;
    const refused = await world.rest(
      { kind: 'user', accountId: OWNER },
      'POST',
      `/rest/api/3/issue/${key}/transitions`,
      { transition: { id: pass.id } },
    );
    expect(refused.status).toBe(400);
    const message = (refused.json as { errorMessages: string[] }).errorMessages.join(' ');
    expect(message).toContain(`${key} cannot pass Gate 1: Idea Screen`);
    expect(message).toContain('must-meet "Technically feasible at first look"');
    expect(message).toContain('Who may decide: the PMO.');
    expect(world.data.store.getIssue(key)?.fields.status).toBe(world.data.store.getStatus('Discovery')?.id);

    for (const c of G1.criteria) {
      await apply(MEMBER, key, {
        type: 'checkItem',
        gateId: G1.id,
        criterionId: c.id,
        state: 'done',
        ...(c.kind === 'should' ? { score: 8 } : {}),
      });
    }
    await apply(LEAD, key, {
      type: 'decideGate',
      gateId: G1.id,
      outcome: 'GO',
      rationale: 'District heating fits the 2030 plan.',
      nextGateDate: '2027-02-01',
    });
    const allowed = await world.rest(
      { kind: 'user', accountId: OWNER },
      'POST',
      `/rest/api/3/issue/${key}/transitions`,
      { transition: { id: pass.id } },
    );
    expect(allowed.status).toBe(204);
    await world.runtime.drainQueue();
    // The issue-event trigger wrote down which Go the transition passed on, for gate compliance.
    const transitionsLog = governanceOf(key).transitions;
    expect(transitionsLog.at(-1)).toMatchObject({ decisionId: governanceOf(key).decisions.at(-1)?.id });
    expect((await load(LEAD, key)).integrity).toBe('ok');
  });

  it('flags a forged approval written through REST, blocks on it, and lets a PMO lead restore', async () => {
    const member = { kind: 'user' as const, accountId: MEMBER };
    const stored = (await world.rest(member, 'GET', `/rest/api/3/issue/${key}/properties/tollgate-governance`))
      .json as { value: Record<string, unknown> & { decisions: unknown[] } };
    const forged = {
      ...stored.value,
      decisions: [
        ...stored.value.decisions,
        { ...(stored.value.decisions.at(-1) as object), id: 'd99', rationale: 'Approved (not really)' },
      ],
    };
    expect(
      (await world.rest(member, 'PUT', `/rest/api/3/issue/${key}/properties/tollgate-governance`, forged)).status,
    ).toBe(200);

    const view = await load(LEAD, key);
    expect(view).toMatchObject({ integrity: 'tampered', tampered: { reason: 'signature' } });
    await expect(
      apply(MEMBER, key, { type: 'recordStatusReview', summary: 'x', confidence: 'low' }),
    ).rejects.toBeInstanceOf(TamperedError);
    await expect(
      world.as(MEMBER, () => restoreProjectUseCase(world.deps, { accountId: MEMBER, issueKey: key })),
    ).rejects.toBeInstanceOf(ForbiddenError);

    await world.as(LEAD, () => restoreProjectUseCase(world.deps, { accountId: LEAD, issueKey: key }));
    const restored = await load(LEAD, key);
    expect(restored.integrity).toBe('ok');
    expect(restored.record?.governance.decisions.map((d) => d.id)).not.toContain('d99');
  });

  it('flags an old signed document put back (rollback) and restores the newest', async () => {
    const member = { kind: 'user' as const, accountId: MEMBER };
    const old = (await world.rest(member, 'GET', `/rest/api/3/issue/${key}/properties/tollgate-governance`)).json as {
      value: { rev: number };
    };
    const { rev } = await apply(MEMBER, key, {
      type: 'recordStatusReview',
      summary: 'Heat supplier signed.',
      confidence: 'high',
    });
    expect(rev).toBe(old.value.rev + 1);
    await world.rest(member, 'PUT', `/rest/api/3/issue/${key}/properties/tollgate-governance`, old.value);
    const view = await load(LEAD, key);
    expect(view).toMatchObject({
      integrity: 'tampered',
      tampered: { reason: 'rollback', lastGenuine: { rev, by: MEMBER } },
    });
    await world.as(LEAD, () => restoreProjectUseCase(world.deps, { accountId: LEAD, issueKey: key }));
    expect(await load(LEAD, key)).toMatchObject({ integrity: 'ok', record: { governance: { rev } } });
  });

  it('a corrupt document on one project does not stop the others being recomputed', async () => {
    const corrupt = keyOf('AI assistant for engineers');
    const healthy = keyOf('Smart meter rollout, phase 2');
    await world.rest(
      { kind: 'user', accountId: MEMBER },
      'PUT',
      `/rest/api/3/issue/${corrupt}/properties/tollgate-governance`,
      { schema: 2, rev: 'three' },
    );
    const outcome = await world.as(null, () =>
      recomputeHealthUseCase(world.deps, [world.idOf(corrupt), world.idOf(healthy)]),
    );
    expect(outcome).toMatchObject({ checked: 2, failed: [] });
    expect(outcome.tampered).toEqual([corrupt]);
    expect(world.data.store.getProperty(world.idOf(corrupt), 'tollgate-health')).toMatchObject({
      integrity: 'tampered',
    });
  });

  it('the reconciliation on upgrade walks the registry with one id search and reads it through the queue consumer', async () => {
    world.jira.emulator.resetRequestLog();
    await world.as(null, () => runLifecycleRecompute({ app: { version: '2.0.0' } }, world.deps));
    await world.runtime.drainQueue();
    const searches = world.jira.emulator.requestLog().filter((r) => r.path.includes('/search/jql'));
    // One id-only page for the 40 projects, one for health outside the registry (none here) and one search for the
    // consumer's batch. Nothing about the projects they wait on: stored health speaks for each project alone.
    expect(searches.length).toBe(3);
    const consumer = world.runtime.invocations().filter((i) => i.kind === 'consumer');
    expect(consumer.length).toBeGreaterThan(0);
    expect(consumer.every((i) => i.outcome === 'ok')).toBe(true);
  });

  it('supportive mode never blocks a transition', async () => {
    await world.as(null, async () => {
      const settings = await world.deps.storage.loadSettings();
      await world.deps.storage.saveSettings({ ...settings, mode: 'supportive' }, settings.version);
    });
    const target = keyOf('Customer energy insights');
    const transitions = await world.rest(
      { kind: 'user', accountId: OWNER },
      'GET',
      `/rest/api/3/issue/${target}/transitions`,
    );
    const pass = (transitions.json as { transitions: Array<{ id: string; name: string }> }).transitions.find(
      (t) => t.name === 'Pass gate to Scoping',
    )!;
    expect(
      (
        await world.rest({ kind: 'user', accountId: OWNER }, 'POST', `/rest/api/3/issue/${target}/transitions`, {
          transition: { id: pass.id },
        })
      ).status,
    ).toBe(204);
  });
});
