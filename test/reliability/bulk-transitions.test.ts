/**
 * Bulk transitions under controlling mode, through Jira's bulk API (`POST /rest/api/3/bulk/issues/transition`, then
 * polling `GET /rest/api/3/bulk/queue/{taskId}`), which runs Tollgate's workflow validator per issue: every project
 * passing a gate without a Go is refused and named with the validator's own reason, the ones with a Go pass, a
 * tampered one is refused for that, and issues the submitter cannot see are only counted.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { validateTransitionUseCase } from '../../src/app/validate-transition-use-case';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectPanelView } from '../../src/contract/issue-panel';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;

jest.setTimeout(90_000);

interface Progress {
  status: string;
  totalIssueCount: number;
  processedAccessibleIssues: number[];
  failedAccessibleIssues: Record<string, string[]>;
  invalidOrInaccessibleIssueCount: number;
}

describe('bulk transitions under controlling mode', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const statusName = (key: string) => world.data.store.getStatus(world.data.store.getIssue(key)!.fields.status)?.name;
  /** Submits a bulk transition as `accountId` and polls the task until Jira reports it complete. */
  async function bulk(
    accountId: string,
    inputs: Array<{ selectedIssueIdsOrKeys: string[]; transitionId: string }>,
  ): Promise<Progress> {
    const principal = { kind: 'user' as const, accountId };
    const submitted = await world.rest(principal, 'POST', '/rest/api/3/bulk/issues/transition', {
      bulkTransitionInputs: inputs,
    });
    expect(submitted.status).toBe(201);
    const { taskId } = submitted.json as { taskId: string };
    for (let polls = 0; polls < 600; polls += 1) {
      const progress = (await world.rest(principal, 'GET', `/rest/api/3/bulk/queue/${taskId}`)).json as Progress;
      if (progress.status === 'COMPLETE') return progress;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`bulk task ${taskId} never completed`);
  }
  /** Ticks every criterion of the current gate and has the PMO lead decide Go. */
  async function readyAndGo(key: string): Promise<void> {
    const view = dataOf(await call.panel<ProjectPanelView>(LEAD, 'project/load', {}, key));
    const gate = view.currentGate!;
    for (const criterion of gate.criteria) {
      dataOf(
        await call.panel(
          MEMBER,
          'project/apply',
          {
            op: {
              type: 'checkItem',
              gateId: gate.id,
              criterionId: criterion.id,
              state: 'done',
              ...(criterion.kind === 'should' ? { score: 8 } : {}),
              ...(criterion.evidenceRequired
                ? { evidence: [{ url: 'https://wiki.example/evidence', title: 'Evidence' }] }
                : {}),
            },
          },
          key,
        ),
      );
    }
    dataOf(
      await call.panel(
        LEAD,
        'project/apply',
        { op: { type: 'decideGate', gateId: gate.id, outcome: 'GO', rationale: 'Ready: every item met.' } },
        key,
      ),
    );
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
  });
  afterAll(() => world.close());

  it('refuses each project without a Go, naming it with the validator’s reason; passes the ones with a Go', async () => {
    const store = world.data.store;
    // Every PMO registry project that can pass a gate from where it stands, grouped by the transition it would take.
    const candidates = store
      .listIssues()
      .filter((issue) => issue.key.startsWith('PMO-'))
      .flatMap((issue) => {
        const pass = store.availableTransitions(issue).find((t) => t.name.startsWith('Pass gate'));
        return pass
          ? [
              {
                key: issue.key,
                id: issue.id,
                transitionId: pass.id,
                governed: store.getProperty(issue.id, 'tollgate-governance') !== undefined,
              },
            ]
          : [];
      });
    expect(candidates.length).toBeGreaterThanOrEqual(8);
    const governed = candidates.filter((c) => c.governed);
    const toPass = governed.slice(0, 2).map((c) => c.key);
    for (const key of toPass) await readyAndGo(key);
    // One project's record is forged through REST: refused for that, whatever it claims.
    const forgedKey = governed[2]!.key;
    // A write through Tollgate first, so the project has a ledger to be checked against.
    dataOf(
      await call.panel(
        LEAD,
        'project/apply',
        { op: { type: 'recordStatusReview', summary: 'Reviewed', confidence: 'high' } },
        forgedKey,
      ),
    );
    const forged = store.getProperty(world.idOf(forgedKey), 'tollgate-governance') as Record<string, unknown>;
    await world.rest(
      { kind: 'user', accountId: MEMBER },
      'PUT',
      `/rest/api/3/issue/${forgedKey}/properties/tollgate-governance`,
      { ...forged, nextGateDate: '2020-01-01' },
    );
    await world.runtime.drainQueue();

    const byTransition = new Map<string, string[]>();
    for (const c of candidates) byTransition.set(c.transitionId, [...(byTransition.get(c.transitionId) ?? []), c.key]);
    const before = new Map(candidates.map((c) => [c.key, statusName(c.key)]));
    const progress = await bulk(
      LEAD,
      [...byTransition.entries()].map(([transitionId, keys]) => ({ selectedIssueIdsOrKeys: keys, transitionId })),
    );
    await world.runtime.drainQueue();

    expect(progress.totalIssueCount).toBe(candidates.length);
    const passed = progress.processedAccessibleIssues.map((id) => store.getIssue(String(id))!.key).sort();
    expect(passed).toEqual([...toPass].sort());
    const refused = candidates.filter((c) => !toPass.includes(c.key));
    expect(Object.keys(progress.failedAccessibleIssues).sort()).toEqual(refused.map((c) => c.id).sort());
    for (const c of refused) {
      const reasons = progress.failedAccessibleIssues[c.id]!;
      // The validator's own words for this issue, as it answers when asked now.
      const answer = await world.as(null, () =>
        validateTransitionUseCase(world.deps, { issueKey: c.key, accountId: LEAD }),
      );
      expect(answer.result).toBe(false);
      expect(reasons).toEqual([(answer as { errorMessage: string }).errorMessage]);
      expect(reasons[0]).toMatch(new RegExp(`^${c.key}[: ]`));
      expect(statusName(c.key)).toBe(before.get(c.key));
    }
    expect(progress.failedAccessibleIssues[world.idOf(forgedKey)]![0]).toContain('changed outside Tollgate');
    for (const key of toPass) {
      expect(statusName(key)).not.toBe(before.get(key));
      // The trigger wrote down which Go the passage used, and the record still verifies.
      const view = dataOf(await call.panel<ProjectPanelView>(LEAD, 'project/load', {}, key));
      expect(view.integrity.status).toBe('ok');
    }
    expect(progress.invalidOrInaccessibleIssueCount).toBe(0);

    // The outsider's bulk change over CONF: only counted, nothing named, nothing moved.
    const confBefore = statusName('CONF-1');
    const outsider = await bulk(OUTSIDER, [
      { selectedIssueIdsOrKeys: ['CONF-1', 'CONF-2'], transitionId: candidates[0]!.transitionId },
    ]);
    expect(outsider).toMatchObject({
      processedAccessibleIssues: [],
      failedAccessibleIssues: {},
      invalidOrInaccessibleIssueCount: 2,
    });
    expect(statusName('CONF-1')).toBe(confBefore);

    recordFigures('bulk-transitions', {
      issuesSubmitted: progress.totalIssueCount,
      issuesPassed: passed.length,
      issuesRefused: Object.keys(progress.failedAccessibleIssues).length,
      refusedWithValidatorReason: refused.length,
      hiddenIssuesCounted: outsider.invalidOrInaccessibleIssueCount,
      sampleReason: progress.failedAccessibleIssues[refused[0]!.id]![0],
    });
  });
});
