/**
 * A team member with Edit issues permission deletes a project's stage-gate record through Jira's REST API. Where the
 * app has a ledger it knows what was there; on a project it governs without one (the demo's seeded projects, data from
 * before Tollgate) the record read as "never governed" with nothing to show for it. What the app still knows is its
 * own `tollgate-health`, which says the project was governed: the record reads as deleted (tampered, `missing`), in the
 * panel, the health index (on every recompute, not just the first), the portfolio and the decision log, and is
 * refused at a controlling-mode gate until a PMO lead acknowledges it.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { type MacroData } from '../../src/contract/macro';
import { type PortfolioData, type PortfolioRow } from '../../src/contract/portfolio';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { runWeekly } from '../../src/triggers/scheduled';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures, searchSettled } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const GOVERNANCE = 'tollgate-governance';

jest.setTimeout(120_000);

describe('a stage-gate record deleted through REST', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  const member = { kind: 'user' as const, accountId: MEMBER };
  const figures = { attacks: 0, flaggedInPanel: 0, flaggedOnEveryRecompute: 0, transitionsBlocked: 0, acknowledged: 0 };

  /**
   * Jira's search index lags behind property writes (the emulator models it): a test that asks what a search finds
   * right after a write lets it catch up first, as waiting would.
   */
  const settled = () => world.jira.settleSearchIndex();
  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const keyOf = (summary: string) => world.data.store.listIssues().find((i) => i.fields.summary === summary)!.key;
  const load = (key: string) => call.panel<ProjectPanelView>(LEAD, 'project/load', {}, key).then(dataOf);
  const properties = (key: string) => world.data.store.propertyKeys(world.idOf(key));
  /** The member deletes these properties of the issue, as a REST client would. */
  const deleteAsMember = async (key: string, keys: readonly string[]) => {
    for (const property of keys) {
      const response = await world.rest(member, 'DELETE', `/rest/api/3/issue/${key}/properties/${property}`);
      expect(response.status).toBe(204);
    }
    figures.attacks += 1;
  };
  const passGate = async (key: string): Promise<{ status: number; message: string }> => {
    const { transitions } = (await world.rest(member, 'GET', `/rest/api/3/issue/${key}/transitions`)).json as {
      transitions: Array<{ id: string; name: string }>;
    };
    const pass = transitions.find((t) => t.name.startsWith('Pass gate'))!;
    const response = await world.rest(member, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: pass.id },
    });
    return {
      status: response.status,
      message: ((response.json as { errorMessages?: string[] } | null)?.errorMessages ?? []).join(' '),
    };
  };
  const tamperedByIndex = async (): Promise<string[]> => {
    await world.as(null, () => runWeekly(world.deps));
    await world.runtime.drainQueue();
    settled();
    const found = await world.rest({ kind: 'user', accountId: LEAD }, 'POST', '/rest/api/3/search/jql', {
      jql: 'tollgateIntegrity = "tampered" ORDER BY key',
      fields: ['key'],
    });
    return ((found.json as { issues: Array<{ key: string }> }).issues ?? []).map((i) => i.key);
  };
  const portfolioRow = async (key: string): Promise<PortfolioRow> =>
    dataOf(
      await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { page: { offset: 0, limit: 100 } }),
    ).page.rows.find((row) => row.key === key)!;

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = searchSettled(world, callers(world));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A first reconciliation settles every project's stored health for today.
    expect(await tamperedByIndex()).toEqual([]);
  });
  afterAll(async () => {
    recordFigures('deleted-record', figures);
    await world.close();
  });

  // Seeded, signed projects without a ledger, and what is deleted from each.
  const withoutLedger: ReadonlyArray<[string, string, (key: string) => string[]]> = [
    ['its governance document', 'Customer portal relaunch', () => [GOVERNANCE]],
    [
      'its governance document and every RAID shard',
      'Data lakehouse platform',
      (key) => properties(key).filter((p) => p === GOVERNANCE || p.startsWith('tollgate-raid')),
    ],
  ];

  it.each(withoutLedger)(
    'on a project with no ledger, deleting %s reads as deleted, not as never governed',
    async (_case, summary, toDelete) => {
      const key = keyOf(summary);
      expect((await load(key)).integrity.status).toBe('ok');
      await deleteAsMember(key, toDelete(key));

      const view = await load(key);
      expect(view.integrity).toMatchObject({ status: 'tampered', tamperReason: 'missing', lastGenuine: null });
      expect(view.viewer).toMatchObject({ canEdit: false, canRestore: true });
      figures.flaggedInPanel += 1;
      const blocked = await passGate(key);
      expect(blocked.status).toBe(400);
      expect(blocked.message).toContain(`${key}: its stage-gate record was changed outside Tollgate`);
      figures.transitionsBlocked += 1;

      // Health written for the deleted record keeps saying so: the second recompute does not forget the first.
      expect(await tamperedByIndex()).toContain(key);
      expect(await tamperedByIndex()).toContain(key);
      figures.flaggedOnEveryRecompute += 1;
      expect(await portfolioRow(key)).toMatchObject({
        integrity: 'tampered',
        error: { source: 'governance', code: 'missing' },
      });
      const log = dataOf(await call.macro<MacroData>(LEAD, { view: 'decision-log', limit: 100 }));
      expect(log.notes).toContain(
        `${key}: its governance data failed Tollgate's integrity check, so its decisions are not listed.`,
      );

      // Nothing can bring it back; the PMO lead acknowledges the loss, and the project reads as ungoverned.
      const cleared = dataOf(await call.panel<ProjectChangeResult>(LEAD, 'project/restore', {}, key));
      expect(cleared.view).toMatchObject({ integrity: { status: 'ok' }, governance: null });
      expect(await tamperedByIndex()).not.toContain(key);
      expect(await portfolioRow(key)).toMatchObject({ integrity: 'ok', error: null, status: 'ungoverned' });
      figures.acknowledged += 1;
    },
  );

  it('on a project with a ledger, deleting it is tampering that a restore undoes', async () => {
    const key = keyOf('District heating in Bergen');
    const started = dataOf(
      await call.panel<ProjectChangeResult>(
        LEAD,
        'project/apply',
        { op: { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version } },
        key,
      ),
    );
    await call.panel(
      OWNER,
      'project/apply',
      { op: { type: 'recordStatusReview', summary: 'Go.', confidence: 'high' } },
      key,
    );
    await deleteAsMember(key, [GOVERNANCE]);
    expect((await load(key)).integrity).toMatchObject({
      status: 'tampered',
      tamperReason: 'missing',
      lastGenuine: { rev: started.rev + 1, by: OWNER },
    });
    figures.flaggedInPanel += 1;
    expect((await passGate(key)).message).toContain('changed outside Tollgate');
    figures.transitionsBlocked += 1;
    const restored = dataOf(await call.panel<ProjectChangeResult>(LEAD, 'project/restore', {}, key));
    expect(restored).toMatchObject({ rev: started.rev + 1, view: { integrity: { status: 'ok' } } });
    expect(properties(key)).toContain(GOVERNANCE);
  });

  it('a project never governed, with nothing deleted, is still simply ungoverned', async () => {
    const key = keyOf('Customer energy insights');
    expect(properties(key)).not.toContain(GOVERNANCE);
    expect((await load(key)).integrity).toMatchObject({ status: 'ok' });
    expect(await tamperedByIndex()).not.toContain(key);
    expect(await portfolioRow(key)).toMatchObject({ integrity: 'ok', status: 'ungoverned', error: null });
  });
});
