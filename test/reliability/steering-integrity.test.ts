/**
 * What reaches a steering committee must be what Tollgate recorded. A team member writes a record through Jira's
 * REST API that Tollgate never signed — a Go nobody decided and an extreme risk, on a project nobody governs — or
 * strips the signature from a governed project's record to add a Go. Neither may appear in the steering decision log
 * or its Word/PDF export, count in the portfolio's KPIs, heat map or exceptions, show in the steering portfolio table,
 * or pass a controlling-mode gate: only verified records do.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult } from '../../src/contract/issue-panel';
import { type MacroData } from '../../src/contract/macro';
import { type PortfolioData } from '../../src/contract/portfolio';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { buildDecision, buildRisk } from '../../src/domain/testing/builders';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures, searchSettled } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G1 = TEMPLATE.stages[0]!.exitGate!;
const GOVERNANCE = 'tollgate-governance';
const RATIONALE = 'Approved (forged)';

jest.setTimeout(120_000);

interface StoredGovernance {
  rev: number;
  decisions: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

describe('records that are not genuine, in steering documents and portfolio figures', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let baseline: PortfolioData;
  let baselineHeatMap: MacroData['summary'];
  const member = { kind: 'user' as const, accountId: MEMBER };
  const figures = { attacks: 0, keptOutOfDecisionLog: 0, keptOutOfExport: 0, keptOutOfKpis: 0, gatesRefused: 0 };

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const keyOf = (summary: string) => world.data.store.listIssues().find((i) => i.fields.summary === summary)!.key;
  const portfolio = async () =>
    dataOf(await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { page: { offset: 0, limit: 100 } }));
  const macro = async (config: unknown) => dataOf(await call.macro<MacroData>(LEAD, config));
  const exported = async (config: unknown) =>
    JSON.stringify(
      await call.adfExport(
        LEAD,
        { exportType: 'word', extensionPayload: { config } },
        { principal: { accountId: LEAD } },
      ),
    );
  const put = (key: string, property: string, value: unknown) =>
    world.rest(member, 'PUT', `/rest/api/3/issue/${key}/properties/${property}`, value);
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
  /** A well-formed Go on the first gate, decided the day before with nothing open: a compliant passage, if believed. */
  const forgedGo = () =>
    buildDecision({
      id: 'd90',
      gateId: G1.id,
      outcome: 'GO',
      decidedBy: LEAD,
      decidedAt: '2026-11-20T08:00:00.000Z',
      rationale: RATIONALE,
    });

  /**
   * Checks that nothing of the forged record reached a steering document, a figure or a row: before the next check
   * against Jira (the portfolio shows what Tollgate last verified) and after it (the row says why it is left out).
   */
  async function expectNothingOfItAnywhere(key: string): Promise<void> {
    const unchecked = await portfolio();
    expect(JSON.stringify(unchecked)).not.toContain(RATIONALE);
    expect(JSON.stringify(await macro({ view: 'decision-log', limit: 100 }))).not.toContain(RATIONALE);
    await world.reconcile();
    const log = await macro({ view: 'decision-log', limit: 100 });
    expect(log.table.rows.filter((row) => row.issueKey === key)).toEqual([]);
    expect(JSON.stringify(log.table)).not.toContain(RATIONALE);
    expect(log.notes.some((note) => note.startsWith(`${key}: its governance data`))).toBe(true);
    figures.keptOutOfDecisionLog += 1;
    expect(await exported({ view: 'decision-log', limit: 100 })).not.toContain(RATIONALE);
    figures.keptOutOfExport += 1;

    const after = await portfolio();
    // The KPIs, the heat map and the exceptions count exactly what they counted before the forgery.
    expect(after.kpis).toEqual(baseline.kpis);
    expect(after.heatMap).toEqual(baseline.heatMap);
    expect(after.exceptions.items.map((e) => e.key)).not.toContain(key);
    // Unsigned where there is no ledger to say more; tampered where the ledger says what Tollgate last wrote.
    expect(after.page.rows.find((row) => row.key === key)).toMatchObject({
      integrity: expect.stringMatching(/^(unsigned|tampered)$/),
      lastDecision: 'none',
    });
    figures.keptOutOfKpis += 1;
    expect((await macro({ view: 'heat-map' })).summary).toEqual(baselineHeatMap);
    const table = await macro({ view: 'portfolio-table', limit: 100, columns: ['key', 'lastDecision', 'stageName'] });
    const row = table.table.rows.find((r) => r.issueKey === key)!;
    expect(row.cells.slice(1)).toEqual([
      { kind: 'text', text: '' },
      { kind: 'text', text: '' },
    ]);

    const blocked = await passGate(key);
    expect(blocked.status).toBe(400);
    expect(blocked.message).toMatch(
      new RegExp(`^${key}: its stage-gate record was (not written by|changed outside) Tollgate`),
    );
    figures.gatesRefused += 1;
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = searchSettled(world, callers(world));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const governed = keyOf('AI assistant for engineers');
    dataOf(
      await call.panel<ProjectChangeResult>(
        LEAD,
        'project/apply',
        { op: { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version } },
        governed,
      ),
    );
    baseline = await portfolio();
    baselineHeatMap = (await macro({ view: 'heat-map' })).summary;
  });
  afterAll(async () => {
    recordFigures('steering-integrity', figures);
    await world.close();
  });

  it('an unsigned record with a forged Go and an extreme risk on a never-governed project reaches none of them', async () => {
    const target = keyOf('Customer energy insights');
    const like = world.data.store.getProperty(world.idOf(keyOf('Heat pump subscription offer')), GOVERNANCE) as
      StoredGovernance | undefined;
    const { sig: _sig, ...unsigned } = like!;
    const governance = { ...unsigned, decisions: [...unsigned.decisions, forgedGo()] };
    const risk = buildRisk({ id: 'R-90', title: 'Forged extreme risk', likelihood: 5, impact: 5 });
    const raid = {
      schema: 1,
      rev: governance.rev,
      shard: 1,
      shards: 1,
      nextSeq: { risk: 91, assumption: 1, issue: 1, dependency: 1, decision: 1 },
      items: [risk],
    };
    expect((await put(target, 'tollgate-raid', raid)).status).toBeLessThan(300);
    expect((await put(target, GOVERNANCE, governance)).status).toBeLessThan(300);
    figures.attacks += 1;
    await expectNothingOfItAnywhere(target);
  });

  it('a governed project’s record with its signature stripped and a Go added reaches none of them', async () => {
    const key = keyOf('AI assistant for engineers');
    const genuine = world.data.store.getProperty(world.idOf(key), GOVERNANCE) as unknown as StoredGovernance;
    const { sig: _sig, ...stripped } = genuine;
    const forged = { ...stripped, decisions: [forgedGo()] };
    expect((await put(key, GOVERNANCE, forged)).status).toBeLessThan(300);
    figures.attacks += 1;
    await expectNothingOfItAnywhere(key);
  });
});
