import { AS, buildTestSite, PEOPLE, type TestSite } from './testing';
import type { JiraEvent, ValidatorCall, ValidatorResult } from './types';

let site: TestSite;
let events: JiraEvent[];
beforeEach(() => {
  site = buildTestSite();
  events = [];
  site.emulator.events.on('event', (event) => events.push(event));
});
afterEach(async () => {
  await site.close();
});

const TRANSITIONS = '/rest/api/3/issue/PMO-1/transitions';
const statusOf = (key: string): string | undefined =>
  site.store.getStatus(site.store.getIssue(key)?.fields.status ?? '')?.name;

describe('GET transitions', () => {
  it('lists what the issue can take from its status, with the target status', async () => {
    const response = await site.call(AS.owner, 'GET', TRANSITIONS);
    expect(response.json).toEqual({
      expand: 'transitions',
      transitions: [
        expect.objectContaining({
          id: '21',
          name: 'Pass gate 2',
          to: expect.objectContaining({
            name: 'Delivery',
            statusCategory: expect.objectContaining({ key: 'indeterminate' }),
          }),
          isGlobal: false,
          hasScreen: false,
        }),
        expect.objectContaining({ id: '31', name: 'Close', isGlobal: true }),
      ],
    });
  });

  it('filters by transitionId, and offers nothing to a user without Transition issues', async () => {
    const one = (await site.call(AS.owner, 'GET', `${TRANSITIONS}?transitionId=31`)).json as { transitions: unknown[] };
    expect(one.transitions).toHaveLength(1);
    expect((await site.call(AS.member, 'GET', TRANSITIONS)).json).toEqual({ expand: 'transitions', transitions: [] });
  });
});

describe('POST transitions with a workflow validator', () => {
  it('refuses with the validator message as a Jira 400, changing nothing', async () => {
    const calls: ValidatorCall[] = [];
    site.emulator.setWorkflowValidator((call): Promise<ValidatorResult> => {
      calls.push(call);
      return Promise.resolve({
        result: false,
        errorMessage: 'PMO-1: complete the gate 2 checklist first (2 items open).',
      });
    });
    const response = await site.call(AS.owner, 'POST', TRANSITIONS, { transition: { id: '21' } });
    expect([response.status, response.json]).toEqual([
      400,
      { errorMessages: ['PMO-1: complete the gate 2 checklist first (2 items open).'], errors: {} },
    ]);
    expect(statusOf('PMO-1')).toBe('Discovery');
    expect(events).toEqual([]);
    expect(calls).toEqual([
      {
        issue: { key: 'PMO-1' },
        configuration: {},
        transition: {
          from: { id: site.store.getStatus('Discovery')?.id },
          to: { id: site.store.getStatus('Delivery')?.id },
          name: 'Pass gate 2',
        },
        accountId: PEOPLE.owner.accountId,
      },
    ]);
  });

  it('moves the issue when the validator allows, emitting an update by the acting user', async () => {
    site.emulator.setWorkflowValidator(() => Promise.resolve({ result: true }));
    const response = await site.call(AS.owner, 'POST', TRANSITIONS, { transition: { id: '21' } });
    expect(response.status).toBe(204);
    expect(response.body).toBe('');
    expect(statusOf('PMO-1')).toBe('Delivery');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'avi:jira:updated:issue',
      actor: AS.owner,
      issue: { key: 'PMO-1', fields: { status: expect.objectContaining({ name: 'Delivery' }) } },
      changelog: {
        items: [expect.objectContaining({ field: 'status', fromString: 'Discovery', toString: 'Delivery' })],
      },
    });
  });

  it('blocks the transition when the validator fails', async () => {
    site.emulator.setWorkflowValidator(() => Promise.reject(new Error('KVS unavailable')));
    const response = await site.call(AS.owner, 'POST', TRANSITIONS, { transition: { id: '21' } });
    expect([response.status, response.json]).toEqual([
      400,
      { errorMessages: ['The workflow validator failed: KVS unavailable'], errors: {} },
    ]);
    expect(statusOf('PMO-1')).toBe('Discovery');
  });

  it('gives a refusal without a message a default one', async () => {
    site.emulator.setWorkflowValidator(() => Promise.resolve({ result: false }));
    const response = await site.call(AS.owner, 'POST', TRANSITIONS, { transition: { id: '21' } });
    expect(response.json).toEqual({
      errorMessages: ['The transition was refused by a workflow validator.'],
      errors: {},
    });
  });

  it('passes the app account to the validator when the app transitions', async () => {
    const seen: string[] = [];
    site.emulator.setWorkflowValidator((call) => {
      seen.push(call.accountId);
      return Promise.resolve({ result: true });
    });
    expect((await site.call(AS.app, 'POST', TRANSITIONS, { transition: { id: '31' } })).status).toBe(204);
    expect(seen).toEqual([site.store.appAccountId]);
    expect(events[0]?.actor).toEqual(AS.app);
  });

  it('transitions without a validator once it is unregistered', async () => {
    site.emulator.setWorkflowValidator(() => Promise.resolve({ result: false }));
    site.emulator.setWorkflowValidator(null);
    expect((await site.call(AS.owner, 'POST', TRANSITIONS, { transition: { id: '31' } })).status).toBe(204);
    expect(site.store.getIssue('PMO-1')?.fields.resolution).toBe('Done');
  });
});

describe('POST transitions refusals', () => {
  it.each<[string, unknown, number, unknown]>([
    [
      'a transition the status does not offer',
      { transition: { id: '11' } },
      400,
      { errorMessages: ["Transition id '11' is not valid for this issue."], errors: {} },
    ],
    ['no transition', {}, 400, { errorMessages: ["Missing 'transition' identifier"], errors: {} }],
    [
      'fields the transition has no screen for',
      { transition: { id: '31' }, fields: { resolution: { name: 'Done' } } },
      400,
      {
        errorMessages: [],
        errors: { resolution: "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown." },
      },
    ],
  ])('refuses %s', async (_what, body, status, json) => {
    const validator = jest.fn(() => Promise.resolve({ result: true }));
    site.emulator.setWorkflowValidator(validator);
    const response = await site.call(AS.owner, 'POST', TRANSITIONS, body);
    expect([response.status, response.json]).toEqual([status, json]);
    expect(validator).not.toHaveBeenCalled();
    expect(statusOf('PMO-1')).toBe('Discovery');
  });

  it('refuses a user without Transition issues, and answers 404 to one who cannot see the issue', async () => {
    expect((await site.call(AS.member, 'POST', TRANSITIONS, { transition: { id: '21' } })).status).toBe(400);
    expect((await site.call(AS.outsider, 'POST', TRANSITIONS, { transition: { id: '21' } })).status).toBe(404);
    expect(statusOf('PMO-1')).toBe('Discovery');
  });
});
