/**
 * A team member with Edit issues permission copies another project's signed record through Jira's REST API: every
 * signature is the app's own, so only where it belongs can tell. Signatures are bound to the issue id and the
 * installation (src/app/signing.ts), so a copy reads as "not this issue's record" in the panel and the health index,
 * is refused at a controlling-mode gate, stays out of the portfolio and the steering decision log, and a PMO lead can
 * remove it (no ledger) or restore the project's own record (ledger). Documents signed before the binding stay
 * genuine on their own issue while its ledger vouches for them, and are a copy like any other elsewhere.
 */
import { kvs } from '@forge/kvs';
import { type JsonValue } from '../../sandbox/jira/store';
import { PEOPLE } from '../../sandbox/seed/people';
import { legacySignature, storedForm } from '../../src/app/signing';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { type MacroData } from '../../src/contract/macro';
import { type PortfolioData, type PortfolioRow } from '../../src/contract/portfolio';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { runWeekly } from '../../src/triggers/scheduled';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, recordFigures, searchSettled, worldState } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G1 = TEMPLATE.stages[0]!.exitGate!;
const GOVERNANCE = 'tollgate-governance';
const isRecord = (key: string) => key === GOVERNANCE || key.startsWith('tollgate-raid');

jest.setTimeout(120_000);

describe('a signed record copied onto another issue through REST', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  /** The project with a genuine, standing Go; a never-governed one; one the PMO governs with its own ledger. */
  let source: string;
  let heatPump: string;
  let target: string;
  let governed: string;
  const member = { kind: 'user' as const, accountId: MEMBER };
  const figures = {
    attacks: 0,
    flaggedInPanel: 0,
    flaggedInHealthIndex: 0,
    transitionsBlocked: 0,
    keptOutOfDecisionLog: 0,
    keptOutOfPortfolio: 0,
    removedOrRestored: 0,
    legacyRecordsVouched: 0,
  };

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
  const load = (key: string, accountId = LEAD) =>
    call.panel<ProjectPanelView>(accountId, 'project/load', {}, key).then(dataOf);
  const apply = (accountId: string, key: string, op: unknown) =>
    call.panel<ProjectChangeResult>(accountId, 'project/apply', { op }, key).then(dataOf);
  /** The record's properties as anyone who can browse the issue reads them over REST. */
  const recordOf = async (key: string): Promise<Record<string, unknown>> => {
    const list = (await world.rest(member, 'GET', `/rest/api/3/issue/${key}/properties`)).json as {
      keys: Array<{ key: string }>;
    };
    const record: Record<string, unknown> = {};
    for (const { key: property } of list.keys.filter((k) => isRecord(k.key))) {
      const got = await world.rest(member, 'GET', `/rest/api/3/issue/${key}/properties/${property}`);
      record[property] = (got.json as { value: unknown }).value;
    }
    return record;
  };
  /** The member writes `record` onto `key`, property by property, as a REST client would. */
  const putRecord = async (key: string, record: Record<string, unknown>) => {
    for (const [property, value] of Object.entries(record)) {
      const put = await world.rest(member, 'PUT', `/rest/api/3/issue/${key}/properties/${property}`, value);
      expect([200, 201]).toContain(put.status);
    }
    figures.attacks += 1;
  };
  /** The member tries to pass the issue's gate in Jira; Jira's status and message. */
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
  const portfolioRow = async (key: string): Promise<PortfolioRow> => {
    const data = dataOf(
      await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { page: { offset: 0, limit: 100 } }),
    );
    return data.page.rows.find((row) => row.key === key)!;
  };
  const decisionLog = async (): Promise<MacroData> =>
    dataOf(await call.macro<MacroData>(LEAD, { view: 'decision-log', limit: 100 }));
  const healthOf = (key: string) =>
    world.data.store.getProperty(world.idOf(key), 'tollgate-health') as { integrity: string; vouched?: string };
  /** Everything but these issues' own properties, to show nothing else moved. */
  const others = async (...keys: string[]) => {
    const { properties } = await worldState(world);
    return { properties: Object.fromEntries(Object.entries(properties).filter(([k]) => !keys.includes(k))), kvs: {} };
  };

  /** Checks a copy on an issue with no ledger everywhere it could be believed, and removes it as a PMO lead. */
  async function expectForeignCopyRefusedAndRemoved(key: string, copiedFrom: string): Promise<void> {
    const view = await load(key);
    expect(view.integrity).toMatchObject({ status: 'tampered', tamperReason: 'foreign', lastGenuine: null });
    expect(view.viewer).toMatchObject({ canEdit: false, canDecide: false, canRestore: true });
    figures.flaggedInPanel += 1;

    const blocked = await passGate(key);
    expect(blocked.status).toBe(400);
    expect(blocked.message).toContain(`${key}: its stage-gate record was changed outside Tollgate`);
    figures.transitionsBlocked += 1;
    // Nobody builds on it, not even by ticking an item.
    await expect(
      call.panel(MEMBER, 'project/apply', { op: { type: 'recordStatusReview', summary: 'x', confidence: 'low' } }, key),
    ).resolves.toMatchObject({ success: false, errors: [{ errorType: 'CONFLICT' }] });

    expect(await tamperedByIndex()).toContain(key);
    figures.flaggedInHealthIndex += 1;
    // What JQL and Automation read is not the copy's: no stage, no decision borrowed from the source.
    expect(healthOf(key)).toMatchObject({ integrity: 'tampered', status: 'ungoverned', decision: 'none' });

    const row = await portfolioRow(key);
    expect(row).toMatchObject({ integrity: 'tampered', stageName: null, lastDecision: 'none' });
    figures.keptOutOfPortfolio += 1;
    const log = await decisionLog();
    expect(log.table.rows.filter((r) => r.issueKey === key)).toEqual([]);
    expect(log.notes).toContain(
      `${key}: its governance data failed Tollgate's integrity check, so its decisions are not listed.`,
    );
    // The source's own decisions are still listed, under the source only.
    expect(log.table.rows.some((r) => r.issueKey === copiedFrom)).toBe(true);
    const exported = JSON.stringify(
      await call.adfExport(
        LEAD,
        { exportType: 'pdf', extensionPayload: { config: { view: 'decision-log', limit: 100 } } },
        { principal: { accountId: LEAD } },
      ),
    );
    expect(exported).not.toContain(`${key} ${world.data.store.getIssue(key)!.fields.summary}`);
    figures.keptOutOfDecisionLog += 1;

    // No ledger, nothing to restore: the PMO lead's restore removes what Tollgate cannot vouch for.
    const cleared = dataOf(await call.panel<ProjectChangeResult>(LEAD, 'project/restore', {}, key));
    expect(cleared.view?.integrity.status).toBe('ok');
    expect(cleared.view?.governance).toBeNull();
    expect(Object.keys(await recordOf(key))).toEqual([]);
    expect(await tamperedByIndex()).not.toContain(key);
    figures.removedOrRestored += 1;
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = searchSettled(world, callers(world));
    source = keyOf('Employee mobility app');
    heatPump = keyOf('Heat pump subscription offer');
    target = keyOf('Customer energy insights');
    governed = keyOf('AI assistant for engineers');
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A genuine Go that no transition has used yet, decided through Tollgate: the approval worth stealing.
    for (const criterion of G1.criteria.filter((c) => c.kind === 'must')) {
      await apply(MEMBER, source, { type: 'checkItem', gateId: G1.id, criterionId: criterion.id, state: 'done' });
    }
    await apply(LEAD, source, { type: 'decideGate', gateId: G1.id, outcome: 'GO', rationale: 'Business case agreed' });
    await apply(LEAD, governed, {
      type: 'startGovernance',
      templateId: TEMPLATE.id,
      templateVersion: TEMPLATE.version,
    });
    expect(await tamperedByIndex()).toEqual([]);
  });
  afterAll(async () => {
    recordFigures('transplant', figures);
    await world.close();
  });

  it('a record with a standing Go copied onto a never-governed project is not its record, and a PMO lead removes it', async () => {
    const before = await others(target);
    await putRecord(target, await recordOf(source));
    await expectForeignCopyRefusedAndRemoved(target, source);
    expect((await load(source)).integrity.status).toBe('ok');
    expect(changesBetween(before, await others(target))).toEqual([]);
  });

  it('the demo’s PMO-9 record copied onto the never-governed PMO-26 is not its record either', async () => {
    await putRecord(target, await recordOf(heatPump));
    await expectForeignCopyRefusedAndRemoved(target, heatPump);
  });

  it('a record copied onto a governed project is tampering, and a restore brings back the project’s own', async () => {
    const own = await recordOf(governed);
    const copy = await recordOf(source);
    await putRecord(governed, copy);
    expect((await load(governed)).integrity).toMatchObject({
      status: 'tampered',
      tamperReason: 'signature',
      lastGenuine: { rev: 1, by: LEAD },
    });
    figures.flaggedInPanel += 1;
    const blocked = await passGate(governed);
    expect(blocked.message).toContain(`${governed}: its stage-gate record was changed outside Tollgate`);
    figures.transitionsBlocked += 1;
    expect(await tamperedByIndex()).toContain(governed);
    figures.flaggedInHealthIndex += 1;
    expect(await portfolioRow(governed)).toMatchObject({ integrity: 'tampered', lastDecision: 'none' });
    figures.keptOutOfPortfolio += 1;

    const restored = dataOf(await call.panel<ProjectChangeResult>(LEAD, 'project/restore', {}, governed));
    expect(restored).toMatchObject({ rev: 1, view: { integrity: { status: 'ok' }, decisions: [] } });
    expect(await recordOf(governed)).toEqual(own);
    expect(await tamperedByIndex()).not.toContain(governed);
    figures.removedOrRestored += 1;

    // Only the RAID log, under the project's own governance: the same.
    await putRecord(governed, { 'tollgate-raid': copy['tollgate-raid'] ?? { schema: 1 } });
    expect((await load(governed)).integrity).toMatchObject({ status: 'tampered' });
    figures.flaggedInPanel += 1;
    await call.panel(LEAD, 'project/restore', {}, governed).then(dataOf);
    expect(await recordOf(governed)).toEqual(own);
    figures.removedOrRestored += 1;
  });

  it('a record signed before the binding stays genuine where its ledger vouches for it, and is a copy elsewhere', async () => {
    // The governed project as the previous version left it: documents and the ledger's last signature in the legacy
    // form (the document alone, no issue, no installation).
    const key = await world.as(null, () => world.deps.storage.signingKey());
    const id = world.idOf(governed);
    await apply(OWNER, governed, { type: 'recordStatusReview', summary: 'Pilot users found.', confidence: 'high' });
    const bound = await recordOf(governed);
    const legacy: Record<string, JsonValue> = {};
    for (const [property, value] of Object.entries(bound)) {
      const document = { ...(value as Record<string, unknown>), sig: undefined };
      const signed = storedForm({ ...document, sig: legacySignature(key.secret, document) }) as JsonValue;
      legacy[property] = signed;
      world.data.store.setProperty(id, property, signed, { kind: 'app' });
    }
    const head = (await world.as(null, () => world.deps.storage.ledger(id))).at(-1)!;
    const sig = (legacy[GOVERNANCE] as { sig: string }).sig;
    await world.as(null, () => kvs.set(`ledger:${id}:${String(head.rev).padStart(9, '0')}`, { ...head, sig }));

    // Its own ledger vouches for it: genuine in the panel, the index and (through the recompute's seal) the portfolio.
    expect((await load(governed)).integrity.status).toBe('ok');
    expect(await tamperedByIndex()).not.toContain(governed);
    expect(healthOf(governed)).toMatchObject({ integrity: 'ok', vouched: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await portfolioRow(governed)).toMatchObject({ integrity: 'ok', stageName: TEMPLATE.stages[0]!.name });
    figures.legacyRecordsVouched += 1;
    // The next change signs it for its issue, and the seal is no longer needed.
    await apply(OWNER, governed, { type: 'recordStatusReview', summary: 'Pilot started.', confidence: 'high' });
    await tamperedByIndex();
    expect(healthOf(governed).vouched).toBeUndefined();

    // The same legacy documents copied onto a project with no ledger prove nothing there.
    await putRecord(target, legacy);
    await expectForeignCopyRefusedAndRemoved(target, source);
  });
});
