/**
 * A team member with Edit issues permission attacks a project's governance through Jira's REST API: first a forged
 * Go (the stored document rewritten with a decision nobody made and the stage moved on), then a rollback (an older,
 * genuinely signed document put back over a newer one). Each must be flagged (panel integrity, the `tollgate-health`
 * index that JQL searches), must block the gate transition, must be undone by a PMO lead's restore — and must leave
 * every other project exactly as it was.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { runWeekly } from '../../src/triggers/scheduled';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, recordFigures, worldState } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G1 = TEMPLATE.stages[0]!.exitGate!;
const GOVERNANCE = 'tollgate-governance';

jest.setTimeout(60_000);

interface StoredGovernance {
  rev: number;
  stage: string;
  decisions: Array<{ id: string; outcome: string; rationale: string }>;
  [key: string]: unknown;
}

describe('forged approval and rollback through REST', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let key: string;
  const figures = {
    attacks: 0,
    flaggedInPanel: 0,
    flaggedInHealthIndex: 0,
    transitionsBlocked: 0,
    restored: 0,
    otherIssuesChanged: 0,
  };
  const member = { kind: 'user' as const, accountId: MEMBER };

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const load = (accountId = LEAD) => call.panel<ProjectPanelView>(accountId, 'project/load', {}, key).then(dataOf);
  const apply = (accountId: string, op: unknown) =>
    call.panel<ProjectChangeResult>(accountId, 'project/apply', { op }, key).then(dataOf);
  const stored = async (): Promise<StoredGovernance> =>
    (
      (await world.rest(member, 'GET', `/rest/api/3/issue/${key}/properties/${GOVERNANCE}`)).json as {
        value: StoredGovernance;
      }
    ).value;
  const putAsMember = (value: unknown) =>
    world.rest(member, 'PUT', `/rest/api/3/issue/${key}/properties/${GOVERNANCE}`, value);
  /**
   * What JQL on the health index says is tampered once the weekly reconciliation has run. Tollgate does not subscribe
   * to property events (docs/platform.md §1 leaves avi:jira:set:issue-property unconfirmed), and the daily run judges
   * the stored rows without reading Jira, so a REST forgery reaches the index with the next reconciliation (the panel
   * and the validator, which read Jira, see it at once); see README.md.
   */
  const tamperedByIndex = async (): Promise<string[]> => {
    await world.as(null, () => runWeekly(world.deps));
    await world.runtime.drainQueue();
    // JQL shows the health the recompute wrote once Jira's index has it (search-index.ts).
    world.jira.settleSearchIndex();
    const found = await world.rest({ kind: 'user', accountId: LEAD }, 'POST', '/rest/api/3/search/jql', {
      jql: 'tollgateIntegrity = "tampered" ORDER BY key',
      fields: ['key'],
    });
    return ((found.json as { issues: Array<{ key: string }> }).issues ?? []).map((i) => i.key);
  };
  /** The owner tries to pass the gate in Jira; returns Jira's status and message. */
  const passGate = async (): Promise<{ status: number; message: string }> => {
    const owner = { kind: 'user' as const, accountId: OWNER };
    const transitions = (await world.rest(owner, 'GET', `/rest/api/3/issue/${key}/transitions`)).json as {
      transitions: Array<{ id: string; name: string }>;
    };
    const pass = transitions.transitions.find((t) => t.name.startsWith('Pass gate'))!;
    const response = await world.rest(owner, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: pass.id },
    });
    return {
      status: response.status,
      message: ((response.json as { errorMessages?: string[] } | null)?.errorMessages ?? []).join(' '),
    };
  };
  /** Everything but the attacked issue's own properties, to show nothing else moved. */
  const others = async () => {
    const state = await worldState(world);
    const { [key]: _attacked, ...properties } = state.properties;
    return { properties, kvs: {} };
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    key = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen')!.key;
    await apply(LEAD, { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version });
    await apply(MEMBER, { type: 'checkItem', gateId: G1.id, criterionId: 'strategic-fit', state: 'done' });
    await apply(LEAD, { type: 'decideGate', gateId: G1.id, outcome: 'HOLD', rationale: 'Wait for the heat study' });
    // The reconciliation announces itself on the console; and a first run settles every project's health for today.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await tamperedByIndex()).toEqual([]);
  });
  afterAll(async () => {
    recordFigures('tamper', figures);
    await world.close();
  });

  it('a forged Go is flagged in the panel and the health index, blocks the gate, and a PMO restore undoes it', async () => {
    const genuine = await stored();
    const before = await others();
    const second = G1.criteria[1]!;
    // The member writes the Go the PMO never gave, ticks what is open and moves the stage on, keeping the old
    // signature.
    const forged = {
      ...genuine,
      stage: TEMPLATE.stages[1]!.id,
      gates: Object.fromEntries([
        [
          G1.id,
          Object.fromEntries(
            G1.criteria.map((c) => [c.id, { state: 'done', evidence: [], by: MEMBER, at: '2026-11-20T10:00:00.000Z' }]),
          ),
        ],
      ]),
      // A well-formed Go, copied from the PMO's genuine Hold: only the signature can tell.
      decisions: [
        ...genuine.decisions,
        { ...genuine.decisions.at(-1)!, id: 'd9', outcome: 'GO', rationale: 'Approved (forged)' },
      ],
    };
    expect((await putAsMember(forged)).status).toBe(200);
    figures.attacks += 1;

    const view = await load();
    expect(view.integrity).toMatchObject({
      status: 'tampered',
      tamperReason: 'signature',
      lastGenuine: { rev: genuine.rev, by: LEAD },
    });
    expect(view.viewer).toMatchObject({ canEdit: false, canDecide: false, canRestore: true });
    figures.flaggedInPanel += 1;
    expect(await tamperedByIndex()).toContain(key);
    figures.flaggedInHealthIndex += 1;

    const blocked = await passGate();
    expect(blocked.status).toBe(400);
    expect(blocked.message).toContain(`${key}: its stage-gate record was changed outside Tollgate`);
    figures.transitionsBlocked += 1;
    // Nothing is written on top of forged data, by anyone.
    await expect(
      call.panel(
        MEMBER,
        'project/apply',
        { op: { type: 'checkItem', gateId: G1.id, criterionId: second.id, state: 'done' } },
        key,
      ),
    ).resolves.toMatchObject({
      success: false,
      errors: [{ errorType: 'CONFLICT' }],
    });

    const restored = await call.panel<ProjectChangeResult>(LEAD, 'project/restore', {}, key).then(dataOf);
    expect(restored.rev).toBe(genuine.rev);
    expect(restored.view?.integrity.status).toBe('ok');
    expect(restored.view?.decisions.map((d) => d.rationale)).not.toContain('Approved (forged)');
    expect(await stored()).toEqual(genuine);
    expect(await tamperedByIndex()).not.toContain(key);
    figures.restored += 1;
    expect((await passGate()).status).toBe(400); // still no Go: the genuine gate is not decided
    const changedElsewhere = changesBetween(before, await others());
    figures.otherIssuesChanged += changedElsewhere.length;
    expect(changedElsewhere).toEqual([]);
  });

  it('an older signed document put back (rollback) is flagged, blocks, and restore brings back the newest', async () => {
    const before = await others();
    const old = await stored();
    await apply(MEMBER, { type: 'checkItem', gateId: G1.id, criterionId: G1.criteria[1]!.id, state: 'done' });
    const { rev: newest } = await apply(OWNER, {
      type: 'recordStatusReview',
      summary: 'Heat supplier signed.',
      confidence: 'high',
    });
    const current = await stored();
    expect(current.rev).toBe(newest);

    expect((await putAsMember(old)).status).toBe(200);
    figures.attacks += 1;
    expect((await load()).integrity).toMatchObject({
      status: 'tampered',
      tamperReason: 'rollback',
      lastGenuine: { rev: newest, by: OWNER },
    });
    figures.flaggedInPanel += 1;
    expect(await tamperedByIndex()).toContain(key);
    figures.flaggedInHealthIndex += 1;
    expect((await passGate()).message).toContain('changed outside Tollgate');
    figures.transitionsBlocked += 1;

    const restored = await call.panel<ProjectChangeResult>(LEAD, 'project/restore', {}, key).then(dataOf);
    expect(restored.rev).toBe(newest);
    expect(await stored()).toEqual(current);
    expect((await load(MEMBER)).integrity.status).toBe('ok');
    expect(await tamperedByIndex()).toEqual([]);
    figures.restored += 1;
    const changedElsewhere = changesBetween(before, await others());
    figures.otherIssuesChanged += changedElsewhere.length;
    expect(changedElsewhere).toEqual([]);
  });
});
