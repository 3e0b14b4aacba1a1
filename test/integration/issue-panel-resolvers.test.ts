/**
 * The issue panel's resolver as Forge calls it: `getDefinitions()` invoked with `{ call, context }` and the backend
 * runtime payload, inside the caller's invocation, over the sandbox with the production adapters.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import issuePanelResolver from '../../src/resolvers/issue-panel-resolvers';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const OWNER = PEOPLE.owner.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G1 = TEMPLATE.stages[0]!.exitGate!;

jest.setTimeout(60_000);

describe('the issue panel resolver in the sandbox', () => {
  let world: BackendWorld;
  let key: string;

  /** One bridge call as Forge makes it for a panel open on `issueKey` (null: a context without an issue). */
  const invoke = <T>(
    accountId: string,
    functionKey: string,
    payload: unknown,
    issueKey: string | null = key,
  ): Promise<ResolverResponse<T>> =>
    world.as(accountId, async () => {
      const extension = issueKey
        ? { type: 'jira:issuePanel', issue: { key: issueKey, id: world.idOf(issueKey), type: 'Project' } }
        : { type: 'jira:issuePanel' };
      const result = await issuePanelResolver(
        { call: { functionKey, payload }, context: { accountId, extension } },
        { principal: { accountId } },
      );
      return result as ResolverResponse<T>;
    });
  const load = (accountId: string, issueKey: string = key) =>
    invoke<ProjectPanelView>(accountId, 'project/load', {}, issueKey);
  const apply = (accountId: string, op: unknown) => invoke<ProjectChangeResult>(accountId, 'project/apply', { op });

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(`expected success, got ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  /** Everything a write could touch: every issue's properties in Jira, and the app's KVS. */
  const everything = async () => {
    await world.runtime.drainQueue();
    const properties = world.data.store
      .listIssues()
      .map((issue) => [
        issue.key,
        Object.fromEntries(
          world.data.store.propertyKeys(issue.id).map((k) => [k, world.data.store.getProperty(issue.id, k)]),
        ),
      ]);
    return { properties, kvs: world.runtime.storageSnapshot() };
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    const issue = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen');
    if (!issue) throw new Error('the demo has no "District heating in Bergen"');
    key = issue.key; // not yet under governance in the demo
    dataOf(await apply(LEAD, { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version }));
  });
  afterAll(() => world.close());

  describe('project/load', () => {
    it('shows a team member the template, the current gate, readiness and health, with what they may do', async () => {
      const view = dataOf(await load(MEMBER));
      expect(view.issue).toEqual({ key, summary: 'District heating in Bergen' });
      expect(view.integrity).toEqual({ status: 'ok', tamperReason: null, lastGenuine: null, damage: null });
      expect(view.governance).toMatchObject({ rev: 1, status: 'active' });
      expect(view.template?.stages.filter((s) => s.current).map((s) => s.id)).toEqual(['discovery']);
      expect(view.currentGate).toMatchObject({ id: G1.id, name: G1.name, deciders: ['pmo'] });
      expect(view.currentGate?.criteria.map((c) => [c.id, c.kind, c.weight, c.item])).toEqual(
        G1.criteria.map((c) => [c.id, c.kind, c.weight, null]),
      );
      expect(view.readiness).toEqual({
        mustOpen: ['strategic-fit', 'feasible', 'no-showstopper'],
        score: 0,
        threshold: 0.6,
        ready: false,
      });
      expect(view.health.dimensions.map((d) => d.dimension)).toEqual([
        'schedule',
        'gate',
        'risk',
        'raid',
        'budget',
        'tolerance',
        'staleness',
      ]);
      expect(view.health.dimensions.every((d) => d.reasons.every((r) => typeof r.code === 'string'))).toBe(true);
      expect(view.decisions).toEqual([]);
      expect(view.viewer).toEqual({ canEdit: true, canDecide: false, canRestore: false, mode: 'controlling' });
    });

    it('offers a PMO lead the newest version of every template on an ungoverned project, and nobody else', async () => {
      const ungoverned = world.data.store.listIssues().find((i) => i.fields.summary === 'Customer energy insights');
      if (!ungoverned) throw new Error('the demo has no "Customer energy insights"');
      const view = dataOf(await load(LEAD, ungoverned.key));
      expect(view.governance).toBeNull();
      expect(view.templates.map((t) => [t.id, t.shipped])).toEqual(DEFAULT_TEMPLATES.map((t) => [t.id, true]));
      expect(view.templates[0]?.stages.map((s) => s.name)).toEqual(TEMPLATE.stages.map((s) => s.name));
      expect(dataOf(await load(MEMBER, ungoverned.key)).templates).toEqual([]);
      expect(dataOf(await load(LEAD)).templates).toEqual([]);
    });

    it('lets the deciders of a Conditional-Go mark its conditions met, and says where a Recycle would send it', async () => {
      const drone = world.data.store.listIssues().find((i) => i.fields.summary === 'Drone line inspection');
      if (!drone) throw new Error('the demo has no "Drone line inspection"');
      const open = (accountId: string) =>
        load(accountId, drone.key).then((r) => dataOf(r).decisions.find((d) => d.settle !== null));
      expect((await open(LEAD))?.settle).toEqual({ recycleToStage: 'Development', canSettle: true, canLapse: true });
      expect((await open(MEMBER))?.settle).toEqual({
        recycleToStage: 'Development',
        canSettle: false,
        canLapse: false,
      });
    });

    it('lets a PMO lead decide the gate and restore', async () => {
      expect(dataOf(await load(LEAD)).viewer).toEqual({
        canEdit: true,
        canDecide: true,
        canRestore: true,
        mode: 'controlling',
      });
    });

    it('answers an outsider on a confidential project NOT_FOUND, and reveals nothing about it', async () => {
      const conf = world.data.store.getIssue('CONF-1');
      const response = await load(OUTSIDER, 'CONF-1');
      expect(response).toEqual({
        success: false,
        errors: [
          {
            errorType: 'NOT_FOUND',
            message: 'Issue CONF-1 does not exist or you do not have permission to see it.',
          },
        ],
      });
      const text = JSON.stringify(response);
      expect(text).not.toContain(String(conf?.fields.summary));
      expect(text).not.toContain(String(conf?.id));
    });

    it('refuses a call that does not come from a panel on an issue', async () => {
      const response = await invoke(MEMBER, 'project/load', {}, null);
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'INVALID_PAYLOAD' }] });
      expect(JSON.stringify(response)).toContain('Open the Tollgate panel on a Jira issue');
    });

    it('never takes the issue from the payload', async () => {
      const response = await invoke(OUTSIDER, 'project/load', { issueKey: 'CONF-1' });
      expect(response).toMatchObject({
        success: false,
        errors: [{ errorType: 'INVALID_PAYLOAD', problems: ['(payload): Unrecognized key: "issueKey"'] }],
      });
    });
  });

  describe('project/apply', () => {
    it('ticks a checklist item for a team member and answers with the new view', async () => {
      const before = await everything();
      const result = dataOf(
        await apply(MEMBER, { type: 'checkItem', gateId: G1.id, criterionId: 'strategic-fit', state: 'done' }),
      );
      expect(result.rev).toBe(2);
      const item = result.view?.currentGate?.criteria.find((c) => c.id === 'strategic-fit')?.item;
      expect(item).toMatchObject({ state: 'done', score: null, by: MEMBER, evidence: [] });
      expect(result.view?.readiness?.mustOpen).toEqual(['feasible', 'no-showstopper']);
      expect(result.view?.governance?.rev).toBe(2);
      // The "changes nothing" checks below compare this snapshot; a real change must show up in it.
      const after = await everything();
      expect(after.properties).not.toEqual(before.properties);
      expect(after.kvs).not.toEqual(before.kvs);
    });

    it('shows logged risks by type with inherent and residual scores in the PMO bands', async () => {
      const result = dataOf(
        await apply(MEMBER, {
          type: 'addRaidItem',
          item: {
            type: 'risk',
            title: 'Heat supplier insolvency',
            owner: OWNER,
            likelihood: 4,
            impact: 5,
            residualLikelihood: 2,
          },
        }),
      );
      expect(result.view?.raid.risk).toEqual([
        expect.objectContaining({
          id: 'R-1',
          type: 'risk',
          status: 'open',
          owner: OWNER,
          inherent: { score: 20, band: 'extreme' },
          residual: { score: 10, band: 'high' },
        }),
      ]);
      expect(result.view?.raid.issue).toEqual([]);
    });

    it('refuses a member deciding the gate with the reason to translate, and changes nothing', async () => {
      const before = await everything();
      const response = await apply(MEMBER, { type: 'decideGate', gateId: G1.id, outcome: 'GO', rationale: 'Fine' });
      expect(response).toMatchObject({
        success: false,
        errors: [
          {
            // Refusals about who asks are the authority table's, and FORBIDDEN (src/app/not-authorised.ts).
            errorType: 'FORBIDDEN',
            i18n: { key: 'refusal.not-a-decider', params: { gate: G1.name, deciders: 'pmo' } },
          },
        ],
      });
      expect(await everything()).toEqual(before);
    });

    const long = (n: number) => 'x'.repeat(n);
    const check = { type: 'checkItem', gateId: G1.id, criterionId: 'feasible', state: 'done' };
    it.each<[string, unknown]>([
      ['no op', {}],
      ['op null', { op: null }],
      ['op a number', { op: 42 }],
      ['op a string', { op: 'checkItem' }],
      ['op an array', { op: [check] }],
      ['the payload an array', [{ op: check }]],
      ['the payload a number', 7],
      ['the payload a string', 'checkItem'],
      ['an unknown op type', { op: { type: 'approveEverything' } }],
      ['an op without a type', { op: { gateId: G1.id, criterionId: 'feasible', state: 'done' } }],
      ['an unknown state', { op: { ...check, state: 'maybe' } }],
      ['a score as a string', { op: { ...check, criterionId: 'synergies', score: '8' } }],
      ['a gate id as a number', { op: { ...check, gateId: 1 } }],
      ['a gate id over 40 characters', { op: { ...check, gateId: long(41) } }],
      ['a note over 1,000 characters', { op: { ...check, note: long(1001) } }],
      ['a 200,000-character note', { op: { ...check, note: long(200_000) } }],
      [
        'a rationale over 4,000 characters',
        { op: { type: 'decideGate', gateId: G1.id, outcome: 'GO', rationale: long(4001) } },
      ],
      ['a blank rationale', { op: { type: 'decideGate', gateId: G1.id, outcome: 'GO', rationale: '   ' } }],
      [
        'evidence that is not an http link',
        { op: { ...check, evidence: [{ url: 'javascript:alert(1)', title: 'x' }] } },
      ],
      [
        'evidence as an object instead of an array',
        { op: { ...check, evidence: { url: 'https://x.example', title: 'x' } } },
      ],
      [
        'a RAID item with a likelihood of 6',
        { op: { type: 'addRaidItem', item: { type: 'risk', title: 'x', owner: OWNER, likelihood: 6, impact: 1 } } },
      ],
      ['the issue named in the payload', { op: check, issueKey: 'CONF-1' }],
    ])('refuses %s as INVALID_PAYLOAD with the problems, and changes nothing', async (_case, payload) => {
      const before = await everything();
      const response = await invoke(MEMBER, 'project/apply', payload);
      expect(response.success).toBe(false);
      if (response.success) return;
      expect(response.errors).toHaveLength(1);
      expect(response.errors[0]).toMatchObject({ errorType: 'INVALID_PAYLOAD' });
      expect(response.errors[0]?.problems?.length).toBeGreaterThan(0);
      expect(response.errors[0]?.message).toMatch(/^The request was not understood: /);
      expect(await everything()).toEqual(before);
    });

    it('refuses an op only Tollgate records, from anyone', async () => {
      const response = await apply(LEAD, { type: 'recordTransition', fromStatus: 'a', toStatus: 'b', gateId: G1.id });
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'FORBIDDEN' }] });
    });
  });

  describe('project/restore', () => {
    it('is for the PMO only', async () => {
      const before = await everything();
      const response = await invoke(MEMBER, 'project/restore', {});
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'FORBIDDEN' }] });
      expect(JSON.stringify(response)).toContain('Only members of the PMO group (tollgate-pmo)');
      expect(await everything()).toEqual(before);
    });

    it('flags a governance document forged through REST and lets a PMO lead restore it', async () => {
      const member = { kind: 'user' as const, accountId: MEMBER };
      const path = `/rest/api/3/issue/${key}/properties/tollgate-governance`;
      const stored = (await world.rest(member, 'GET', path)).json as {
        value: Record<string, unknown> & { rev: number };
      };
      const genuineRev = stored.value.rev;
      // A member with a REST client ticks every must-meet item without going through Tollgate.
      const ticked = Object.fromEntries(
        G1.criteria.map((c) => [c.id, { state: 'done', evidence: [], by: MEMBER, at: '2026-11-20T10:00:00.000Z' }]),
      );
      expect((await world.rest(member, 'PUT', path, { ...stored.value, gates: { [G1.id]: ticked } })).status).toBe(200);

      const tampered = dataOf(await load(LEAD));
      expect(tampered.integrity).toMatchObject({
        status: 'tampered',
        tamperReason: 'signature',
        lastGenuine: { rev: genuineRev, by: MEMBER },
      });
      expect(tampered.viewer).toMatchObject({ canEdit: false, canDecide: false, canRestore: true });
      expect(
        await apply(MEMBER, { type: 'recordStatusReview', summary: 'On track', confidence: 'high' }),
      ).toMatchObject({ success: false, errors: [{ errorType: 'CONFLICT', i18n: { key: 'error.tampered' } }] });

      const restored = dataOf(await invoke<ProjectChangeResult>(LEAD, 'project/restore', {}));
      expect(restored.rev).toBe(genuineRev);
      expect(restored.view?.integrity.status).toBe('ok');
      expect(restored.view?.readiness?.mustOpen).toEqual(['feasible', 'no-showstopper']);
      expect(dataOf(await load(MEMBER)).integrity.status).toBe('ok');
    });
  });
});
