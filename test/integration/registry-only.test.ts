/**
 * Only registry issues are Tollgate's business. An ordinary task someone edits is neither judged nor given a
 * `tollgate-health` property (on a real site every edit of every issue would otherwise cost a search and a write, and
 * `tollgateHealth = amber` would find tasks); health an earlier version wrote on such issues is removed by the weekly
 * reconciliation, and nothing else of theirs is touched. A registry project deleted in Jira leaves the read model at once.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase, RefusedError } from '../../src/app/apply-op-use-case';
import { loadProjectUseCase } from '../../src/app/load-project-use-case';
import { type Projection, storedEntryOf } from '../../src/app/projection';
import { type PortfolioData } from '../../src/contract/portfolio';
import { HEALTH_PROPERTY_KEY, toHealthDocument } from '../../src/domain/documents/health-document';
import { assessHealth } from '../../src/domain/health';
import { opPayloadSchema } from '../../src/domain/ops';
import { DEFAULT_SETTINGS } from '../../src/domain/settings';
import { toPanelView } from '../../src/resolvers/issue-panel-view';
import { runWeekly } from '../../src/triggers/scheduled';
import { callers } from '../reliability/kit';
import { type BackendWorld, startBackendWorld } from './backend-world';

const OWNER = PEOPLE.owner.accountId;
const LEAD = PEOPLE.pmoLead.accountId;
const APP = { kind: 'app' } as const;
const STALE = { rag: 'amber', reasons: [], computedAt: '2026-01-05T09:00:00.000Z' };

/** A read-model row around some stored facts. */
function projectionFixture(facts: unknown): Projection {
  const health = assessHealth(
    { ...(facts as Projection['facts']), template: null },
    DEFAULT_SETTINGS.health,
    '2026-01-05',
  );
  return {
    issueId: '0',
    key: 'X-1',
    jiraProjectId: '0',
    securityLevelId: null,
    ownerName: null,
    integrity: 'ok',
    rag: 'amber',
    severity: 2,
    riskMax: 0,
    mandatoryOpen: 0,
    waitsOn: [],
    facts: facts as Projection['facts'],
    judgedOn: '2026-01-05',
    writtenAt: STALE.computedAt,
    problem: null,
    health: toHealthDocument(health, 'ok', STALE.computedAt),
    // What the stored facts would give, whether or not they are damaged: the reader judges them again.
    entry: { ...storedEntryOf({ ...(facts as Projection['facts']), template: null }, health), v: 0 },
  };
}

jest.setTimeout(60_000);

describe('health is written on registry projects only', () => {
  let world: BackendWorld;
  const healthOf = (key: string) => world.data.store.getProperty(world.idOf(key), HEALTH_PROPERTY_KEY);
  const found = async (jql: string) => {
    const response = await world.rest(
      { kind: 'user', accountId: LEAD },
      'GET',
      `/rest/api/3/search/jql?${new URLSearchParams({ jql, fields: 'summary', maxResults: '100' }).toString()}`,
    );
    return (response.json as { issues: Array<{ key: string }> }).issues.map((issue) => issue.key);
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
  });
  afterAll(() => world.close());

  it('an edited task gets no health, and JQL on tollgateHealth finds no task', async () => {
    const edited = await world.rest({ kind: 'user', accountId: OWNER }, 'PUT', '/rest/api/3/issue/GRID-1', {
      fields: { summary: 'Replace RTUs at Sandvika substation (phase 2)' },
    });
    expect(edited.status).toBe(204);
    await world.runtime.drainQueue();
    // The trigger ran for the edit, and wrote nothing.
    expect(world.runtime.invocations().filter((i) => i.kind === 'trigger').length).toBeGreaterThan(0);
    expect(healthOf('GRID-1')).toBeUndefined();
    expect((await found('tollgateHealth IS NOT EMPTY')).filter((key) => key.startsWith('GRID-'))).toEqual([]);
  });

  it('the weekly reconciliation removes the health an earlier version left on tasks, and the read-model rows of issues gone from the registry', async () => {
    world.data.store.setProperty(world.idOf('GRID-2'), HEALTH_PROPERTY_KEY, STALE, APP);
    world.data.store.setProperty(world.idOf('GRID-2'), 'someone-elses-property', { keep: true }, APP);
    // And a read-model row written long ago, as a project that has since left the registry would have.
    const gridProject = world.data.store.getProject('GRID')?.id ?? '';
    const gridRows = () =>
      world.as(null, () =>
        world.deps.readModel.firstRows({
          projectIds: [gridProject],
          orderBy: 'severity',
          direction: 'desc',
          limit: 10,
        }),
      );
    const [pmoRow] = await world.as(null, () =>
      world.deps.readModel.firstRows({
        projectIds: [world.data.store.getProject('PMO')?.id ?? ''],
        orderBy: 'severity',
        direction: 'desc',
        limit: 1,
      }),
    );
    if (!pmoRow) throw new Error('the read model holds the PMO projects');
    await world.as(null, () =>
      world.deps.readModel.put([
        {
          ...projectionFixture(pmoRow.facts),
          issueId: world.idOf('GRID-2'),
          key: 'GRID-2',
          jiraProjectId: gridProject,
        },
      ]),
    );
    expect((await gridRows()).map((row) => row.key)).toEqual(['GRID-2']);
    // The row of an issue Jira no longer has (its deletion event never came).
    const pmoProject = world.data.store.getProject('PMO')?.id ?? '';
    const deleted = {
      ...projectionFixture(pmoRow.facts),
      issueId: '999999',
      key: 'PMO-999',
      jiraProjectId: pmoProject,
    };
    await world.as(null, () => world.deps.readModel.put([deleted]));
    // Left long ago: the search index has it.
    world.jira.settleSearchIndex();
    expect(await found('tollgateHealth = amber')).toContain('GRID-2');
    const registryWithHealth = (await found('project in (PMO, CONF) AND tollgateHealth IS NOT EMPTY')).length;

    await world.as(null, () => runWeekly(world.deps));
    await world.runtime.drainQueue();

    expect(healthOf('GRID-2')).toBeUndefined();
    expect(await gridRows()).toEqual([]);
    const kept = await world.as(null, () => world.deps.readModel.rowIdsAfter('', 100_000));
    expect(kept).not.toContain('999999');
    expect(kept).toContain(world.idOf('PMO-1'));
    expect(world.data.store.getProperty(world.idOf('GRID-2'), 'someone-elses-property')).toEqual({ keep: true });
    // JQL shows the removal once the index has caught up (search-index.ts).
    world.jira.settleSearchIndex();
    expect(await found('tollgateHealth = amber')).not.toContain('GRID-2');
    // Registry projects keep theirs (and every one of them has it after the reconciliation).
    expect((await found('project in (PMO, CONF) AND tollgateHealth IS NOT EMPTY')).length).toBeGreaterThanOrEqual(
      registryWithHealth,
    );
  });

  it('a registry project deleted in Jira leaves the portfolio at once (the deletion event), its ledger kept', async () => {
    const call = callers(world);
    const keys = async (accountId: string) => {
      const response = await call.portfolio<PortfolioData>(accountId, 'portfolio/load', {
        page: { offset: 0, limit: 100 },
      });
      if (!response.success) throw new Error(JSON.stringify(response.errors));
      return response.data.page.rows.map((row) => row.key);
    };
    const gone = 'PMO-12';
    const id = world.idOf(gone);
    expect(await keys(LEAD)).toContain(gone);
    const ledgerBefore = await world.as(null, () => world.deps.storage.ledger(id));
    // Someone without Delete issues cannot; a Jira administrator can.
    expect((await world.rest({ kind: 'user', accountId: OWNER }, 'DELETE', `/rest/api/3/issue/${gone}`)).status).toBe(
      403,
    );
    const deleted = await world.rest(
      { kind: 'user', accountId: PEOPLE.admin.accountId },
      'DELETE',
      `/rest/api/3/issue/${gone}`,
    );
    expect(deleted.status).toBe(204);
    await world.runtime.drainQueue();
    expect(await keys(LEAD)).not.toContain(gone);
    expect(world.runtime.invocations().filter((i) => i.kind === 'trigger' && i.outcome !== 'ok')).toEqual([]);
    // The audit trail is never lost with the issue.
    await expect(world.as(null, () => world.deps.storage.ledger(id))).resolves.toEqual(ledgerBefore);
  });

  it('a project created a moment ago, which search does not find yet, can be governed at once and is judged', async () => {
    const created = await world.rest({ kind: 'user', accountId: LEAD }, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PMO' }, issuetype: { name: 'Project' }, summary: 'Wind farm grid connection' },
    });
    expect(created.status).toBe(201);
    const { key } = created.json as { key: string };
    // Jira's index has not caught up: search does not know the issue yet (search-index.ts).
    expect(await found(`key = ${key}`)).toEqual([]);
    const started = await world.as(LEAD, () =>
      applyOpUseCase(world.deps, {
        accountId: LEAD,
        issueKey: key,
        op: opPayloadSchema.parse({ type: 'startGovernance', templateId: 'cooper-stage-gate', templateVersion: 1 }),
      }),
    );
    expect(started).toMatchObject({ rev: 1 });
    await world.runtime.drainQueue();
    expect(healthOf(key)).toMatchObject({ rag: expect.any(String) });
  });

  it('a PMO lead cannot start governance on a task: refused by name, nothing written, and the panel says why', async () => {
    const start = world.as(LEAD, () =>
      applyOpUseCase(world.deps, {
        accountId: LEAD,
        issueKey: 'GRID-3',
        op: opPayloadSchema.parse({ type: 'startGovernance', templateId: 'cooper-stage-gate', templateVersion: 1 }),
      }),
    );
    await expect(start).rejects.toBeInstanceOf(RefusedError);
    await expect(start).rejects.toMatchObject({ i18n: { key: 'refusal.not-in-registry' } });
    expect(world.data.store.getProperty(world.idOf('GRID-3'), 'tollgate-governance')).toBeUndefined();
    expect(healthOf('GRID-3')).toBeUndefined();
    expect(await world.as(null, () => world.deps.storage.ledger(world.idOf('GRID-3')))).toEqual([]);

    const task = toPanelView(
      await world.as(LEAD, () => loadProjectUseCase(world.deps, { accountId: LEAD, issueKey: 'GRID-3' })),
      LEAD,
    );
    expect(task).toMatchObject({ inRegistry: false, templates: [], viewer: { canEdit: false, canDecide: false } });
    const project = toPanelView(
      await world.as(LEAD, () => loadProjectUseCase(world.deps, { accountId: LEAD, issueKey: 'PMO-1' })),
      LEAD,
    );
    expect(project).toMatchObject({ inRegistry: true, viewer: { canEdit: true } });
  });
});
