import { MAX_BULK_ISSUES } from './bulk';
import { AS, buildTestSite, type TestSite } from './testing';
import type { Principal, ValidatorCall } from './types';

let site: TestSite;
beforeEach(() => {
  site = buildTestSite();
});
afterEach(async () => {
  await site.close();
});

const SUBMIT = '/rest/api/3/bulk/issues/transition';
const statusOf = (key: string): string | undefined =>
  site.store.getStatus(site.store.getIssue(key)?.fields.status ?? '')?.name;
const idOf = (key: string): string => site.store.getIssue(key)?.id ?? '';

interface Progress {
  status: string;
  progressPercent: number;
  totalIssueCount: number;
  processedAccessibleIssues: number[];
  failedAccessibleIssues: Record<string, string[]>;
  invalidOrInaccessibleIssueCount: number;
}

/** Submits and polls the task until Jira reports it complete, as a client of the bulk API does. */
async function bulk(principal: Principal, body: unknown): Promise<Progress> {
  const submitted = await site.call(principal, 'POST', SUBMIT, body);
  expect(submitted.status).toBe(201);
  const { taskId } = submitted.json as { taskId: string };
  for (let polls = 0; polls < 100; polls += 1) {
    const progress = await site.call(principal, 'GET', `/rest/api/3/bulk/queue/${taskId}`);
    expect(progress.status).toBe(200);
    if ((progress.json as Progress).status === 'COMPLETE') return progress.json as Progress;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`bulk task ${taskId} did not complete`);
}

describe('bulk transition', () => {
  it('answers with a task at once, then runs the validator per issue: passed ones move, refused ones say why', async () => {
    const calls: ValidatorCall[] = [];
    site.emulator.setWorkflowValidator((call) => {
      calls.push(call);
      return Promise.resolve(
        call.issue.key === 'PMO-6'
          ? { result: false, errorMessage: 'PMO-6: complete the gate 2 checklist first.' }
          : { result: true },
      );
    });
    const submitted = await site.call(AS.owner, 'POST', SUBMIT, {
      bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-1', idOf('PMO-6')], transitionId: '21' }],
      sendBulkNotification: false,
    });
    expect(submitted.status).toBe(201);
    expect(submitted.json).toEqual({ taskId: expect.stringMatching(/^\d+$/) });
    // Queued, not done: nothing has moved when the submit answers.
    expect(statusOf('PMO-1')).toBe('Discovery');

    const progress = await site.call(
      AS.owner,
      'GET',
      `/rest/api/3/bulk/queue/${(submitted.json as { taskId: string }).taskId}`,
    );
    expect(['ENQUEUED', 'RUNNING', 'COMPLETE']).toContain((progress.json as Progress).status);
    let done: Progress | undefined;
    for (let polls = 0; polls < 100 && done === undefined; polls += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      const again = (
        await site.call(AS.owner, 'GET', `/rest/api/3/bulk/queue/${(submitted.json as { taskId: string }).taskId}`)
      ).json as Progress;
      if (again.status === 'COMPLETE') done = again;
    }
    expect(done).toMatchObject({
      status: 'COMPLETE',
      progressPercent: 100,
      totalIssueCount: 2,
      processedAccessibleIssues: [Number(idOf('PMO-1'))],
      failedAccessibleIssues: { [idOf('PMO-6')]: ['PMO-6: complete the gate 2 checklist first.'] },
      invalidOrInaccessibleIssueCount: 0,
    });
    expect(calls.map((call) => [call.issue.key, call.accountId])).toEqual([
      ['PMO-1', AS.owner.accountId],
      ['PMO-6', AS.owner.accountId],
    ]);
    expect([statusOf('PMO-1'), statusOf('PMO-6')]).toEqual(['Delivery', 'Discovery']);
  });

  it('names issues the transition does not apply to or the submitter may not transition, and only counts hidden ones', async () => {
    const progress = await bulk(AS.member, {
      bulkTransitionInputs: [
        { selectedIssueIdsOrKeys: ['PMO-1'], transitionId: '21' },
        { selectedIssueIdsOrKeys: ['SEC-1', 'PMO-999'], transitionId: '31' },
      ],
    });
    // Mia may browse PMO but not transition there; SEC is hidden from her and PMO-999 does not exist.
    expect(progress).toMatchObject({
      totalIssueCount: 3,
      processedAccessibleIssues: [],
      failedAccessibleIssues: { [idOf('PMO-1')]: ["Transition id '21' is not valid for this issue."] },
      invalidOrInaccessibleIssueCount: 2,
    });
    expect(JSON.stringify(progress)).not.toContain(idOf('SEC-1'));
    const owner = await bulk(AS.owner, {
      bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-3'], transitionId: '21' }],
    });
    expect(owner.failedAccessibleIssues).toEqual({
      [idOf('PMO-3')]: ["Transition id '21' is not valid for this issue."],
    });
    expect(statusOf('PMO-3')).toBe('Idea');
  });

  it.each<[string, unknown]>([
    ['no inputs', { bulkTransitionInputs: [] }],
    ['inputs that are not a list', { bulkTransitionInputs: { transitionId: '21' } }],
    ['an input without issues', { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: [], transitionId: '21' }] }],
    ['a numeric transition id', { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-1'], transitionId: 21 }] }],
    ['an unknown field', { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-1'], transitionId: '21' }], x: 1 }],
    [
      `more than ${MAX_BULK_ISSUES} issues`,
      {
        bulkTransitionInputs: [
          { selectedIssueIdsOrKeys: Array.from({ length: 1001 }, () => 'PMO-1'), transitionId: '31' },
        ],
      },
    ],
  ])('refuses %s with the bulk error shape, starting nothing', async (_case, body) => {
    const response = await site.call(AS.owner, 'POST', SUBMIT, body);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ errors: [{ message: expect.any(String) }] });
    expect(statusOf('PMO-1')).toBe('Discovery');
  });

  it('shows a task to its submitter only', async () => {
    const submitted = await site.call(AS.owner, 'POST', SUBMIT, {
      bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-1'], transitionId: '21' }],
    });
    const { taskId } = submitted.json as { taskId: string };
    await bulk(AS.owner, { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-2'], transitionId: '31' }] });
    expect((await site.call(AS.member, 'GET', `/rest/api/3/bulk/queue/${taskId}`)).status).toBe(400);
    expect((await site.call(AS.owner, 'GET', '/rest/api/3/bulk/queue/nope')).json).toEqual({
      errors: [{ message: 'The task associated with this taskId is not a bulk operation task' }],
    });
  });
});
