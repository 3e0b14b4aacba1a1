/**
 * The Jira client against the sandbox: which identity reaches Jira, how each kind of answer becomes the app's typed
 * error, and how 429/5xx and lost requests are retried within the budget.
 */
import { NeedsAuthenticationError, route } from '@forge/api';
import { z } from 'zod';
import { runInInvocation } from '../../../sandbox/forge/invocation';
import { PEOPLE } from '../../../sandbox/jira/testing';
import { ForbiddenError, JiraRejectedError, NotFoundError, UnavailableError } from '../../app/errors';
import { type Acting } from '../../app/ports';
import {
  createJiraClient,
  forgeTransport,
  type JiraCall,
  JiraResponseShapeError,
  type JiraTransport,
} from './jira-client';
import { type JiraSandbox, startJiraSandbox } from './testing/jira-sandbox';

const LEAD = PEOPLE.lead.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const asLead: Acting = { as: 'user', accountId: LEAD };
const asApp: Acting = { as: 'app' };
const myself = z.object({ accountId: z.string(), accountType: z.string() });

/** `GET /myself` as `acting`: the cheapest way to see whom Jira thinks it serves. */
const whoAmI = (acting: Acting): JiraCall => ({
  operation: 'say who you are',
  acting,
  method: 'GET',
  path: route`/rest/api/3/myself`,
});

describe('the Jira client', () => {
  let sandbox: JiraSandbox;

  beforeEach(async () => {
    sandbox = await startJiraSandbox();
  });
  afterEach(async () => {
    sandbox.assertRequestsConform();
    await sandbox.close();
  });

  describe('identity', () => {
    it('reads as the invoking user through asUser(), naming no account', async () => {
      const me = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself));
      expect(me).toEqual({ accountId: LEAD, accountType: 'atlassian' });
      expect(sandbox.site.emulator.requestLog().at(-1)).toMatchObject({ principal: `user:${LEAD}` });
    });

    it('acts as the app through asApp()', async () => {
      const me = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asApp), myself));
      expect(me).toEqual({ accountId: sandbox.site.store.appAccountId, accountType: 'app' });
    });

    it('names the account when the call is for someone other than the invoking user', async () => {
      const me = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI({ as: 'user', accountId: MEMBER }), myself));
      expect(me.accountId).toBe(MEMBER);
      const inTrigger = await sandbox.as(null, () => sandbox.client.read(whoAmI(asLead), myself));
      expect(inTrigger.accountId).toBe(LEAD);
    });
  });

  describe("Jira's refusals, as the app's errors", () => {
    it('404 → NotFoundError with Jira’s message', async () => {
      const call: JiraCall = { ...whoAmI(asLead), operation: 'read issue SEC-1', path: route`/rest/api/3/issue/SEC-1` };
      const error = await sandbox
        .as(OUTSIDER, () => sandbox.client.read({ ...call, acting: { as: 'user', accountId: OUTSIDER } }, z.unknown()))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).message).toBe(
        'Jira could not read issue SEC-1: Issue does not exist or you do not have permission to see it.',
      );
      expect((error as NotFoundError).errorType).toBe('NOT_FOUND');
    });

    it('403 → ForbiddenError with Jira’s message', async () => {
      const error = await sandbox
        .as(MEMBER, () =>
          sandbox.client.send({
            operation: 'save tollgate-health on PMO-1',
            acting: { as: 'user', accountId: MEMBER },
            method: 'PUT',
            path: route`/rest/api/3/issue/PMO-1/properties/tollgate-health`,
            body: { rag: 'green' },
          }),
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).message).toMatch(/^Jira did not let you save tollgate-health on PMO-1: .*edit/);
      const pmo1 = sandbox.site.store.getIssue('PMO-1');
      expect(pmo1 && sandbox.site.store.getProperty(pmo1.id, 'tollgate-health')).toMatchObject({ rag: 'red' });
    });

    it('401 (a user Jira does not know) → ForbiddenError', async () => {
      const error = await sandbox
        .as(LEAD, () => sandbox.client.read(whoAmI({ as: 'user', accountId: 'acc-nobody' }), myself))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as Error).message).toContain('Client must be authenticated to access this resource.');
    });

    it('400 → JiraRejectedError carrying errorMessages and the values of errors', async () => {
      const badJql = await sandbox
        .as(LEAD, () =>
          sandbox.client.read(
            {
              operation: 'search the registry',
              acting: asLead,
              method: 'POST',
              path: route`/rest/api/3/search/jql`,
              body: { jql: 'project = PMO AND', fields: ['summary'] },
            },
            z.unknown(),
          ),
        )
        .catch((e: unknown) => e);
      expect(badJql).toBeInstanceOf(JiraRejectedError);
      expect((badJql as JiraRejectedError).jiraMessages.length).toBeGreaterThan(0);

      const unknownField = await sandbox
        .as(LEAD, () =>
          sandbox.client.send({
            operation: 'edit PMO-1',
            acting: asLead,
            method: 'PUT',
            path: route`/rest/api/3/issue/PMO-1`,
            body: { fields: { flavour: 'vanilla' } },
          }),
        )
        .catch((e: unknown) => e);
      expect(unknownField).toBeInstanceOf(JiraRejectedError);
      expect((unknownField as JiraRejectedError).jiraMessages).toEqual([
        "Field 'flavour' cannot be set. It is not on the appropriate screen, or unknown.",
      ]);
      expect((unknownField as JiraRejectedError).errorType).toBe('JIRA_REJECTED');
    });

    it('a body the schema refuses → JiraResponseShapeError naming the operation and the path', async () => {
      const error = await sandbox
        .as(LEAD, () => sandbox.client.read(whoAmI(asLead), z.object({ accountId: z.number() })))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JiraResponseShapeError);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as JiraResponseShapeError).message).toMatch(/^Jira answered "say who you are" .*accountId: /);
    });
  });

  describe('retries', () => {
    it('waits out Retry-After on 429, plus jittered backoff, then succeeds', async () => {
      sandbox.site.emulator.setFaults({ next: 2, kind: '429', retryAfterSeconds: 1 });
      const me = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself));
      expect(me.accountId).toBe(LEAD);
      // Retry-After 1 s, then half (TEST_JITTER) of the 500 ms and 1 s backoff steps.
      expect(sandbox.sleeps).toEqual([1_250, 1_500]);
      expect(sandbox.site.emulator.requestLog().map((entry) => entry.status)).toEqual([429, 429, 200]);
    });

    it('retries 503 (an HTML page from the edge) and 500 the same way', async () => {
      sandbox.site.emulator.setFaults({ next: 1, kind: '503', retryAfterSeconds: 2 });
      await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself));
      sandbox.site.emulator.setFaults({ next: 1, kind: '500' });
      await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself));
      expect(sandbox.sleeps).toEqual([2_250, 250]);
    });

    it('gives up with UnavailableError after 4 retries, having waited within the 10 s budget', async () => {
      sandbox.site.emulator.setFaults({ next: 100, kind: '429', retryAfterSeconds: 1 });
      const error = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toBe(
        'Jira could not say who you are: it is busy or unreachable (429 Too Many Requests) and still was after ' +
          '5 attempts. Please try again in a minute.',
      );
      expect(sandbox.site.emulator.requestLog()).toHaveLength(5);
      expect(sandbox.sleeps).toEqual([1_250, 1_500, 2_000, 3_000]);
    });

    it('stops early when the next wait would pass the budget', async () => {
      sandbox.site.emulator.setFaults({ next: 100, kind: '503', retryAfterSeconds: 4 });
      const error = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      // 4.25 s + 4.5 s fit in 10 s; the third wait of at least 4 s does not.
      expect(sandbox.sleeps).toEqual([4_250, 4_500]);
      expect((error as Error).message).toContain('it asked Tollgate to wait 4 s');
      expect(sandbox.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(10_000);
    });

    it('does not wait when Jira asks for longer than the budget allows', async () => {
      sandbox.site.emulator.setFaults({ next: 100, kind: '429', retryAfterSeconds: 30 });
      const error = await sandbox.as(LEAD, () => sandbox.client.read(whoAmI(asLead), myself)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect(sandbox.sleeps).toEqual([]);
      expect(sandbox.site.emulator.requestLog()).toHaveLength(1);
    });

    it("keeps the end of Forge's invocation free: no retry when the invocation is nearly over", async () => {
      sandbox.site.emulator.setFaults({ next: 1, kind: '500' });
      const error = await runShortInvocation(sandbox).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toContain('no time left');
      expect(sandbox.sleeps).toEqual([]);
    });
  });

  describe('requests that get no answer', () => {
    /** A transport that loses the first `lost` requests, as a dropped connection would. */
    function losing(lost: number): { transport: JiraTransport; sleeps: number[] } {
      let remaining = lost;
      return {
        sleeps: [],
        transport: (acting, path, init) => {
          if (remaining > 0) {
            remaining -= 1;
            return Promise.reject(new TypeError('fetch failed'));
          }
          return forgeTransport(acting, path, init);
        },
      };
    }

    it('are retried with backoff, then served', async () => {
      const { transport, sleeps } = losing(2);
      const client = createJiraClient({ transport, random: () => 1, sleep: recordInto(sleeps) });
      const me = await sandbox.as(LEAD, () => client.read(whoAmI(asLead), myself));
      expect(me.accountId).toBe(LEAD);
      expect(sleeps).toEqual([500, 1_000]);
    });

    it('end in UnavailableError naming the failure when they keep failing', async () => {
      const { transport, sleeps } = losing(100);
      const client = createJiraClient({ transport, random: () => 0, sleep: recordInto(sleeps) });
      await expect(sandbox.as(LEAD, () => client.read(whoAmI(asLead), myself))).rejects.toThrow(
        new UnavailableError(
          'Jira could not say who you are: it is busy or unreachable (fetch failed) and still was after 5 attempts. ' +
            'Please try again in a minute.',
        ),
      );
      expect(sleeps).toHaveLength(4);
    });

    it("pass Forge's consent request through untouched and unretried", async () => {
      const consent = new NeedsAuthenticationError('Authentication Required', 'atlassian-token-service-key');
      const sleeps: number[] = [];
      const client = createJiraClient({ transport: () => Promise.reject(consent), sleep: recordInto(sleeps) });
      await expect(sandbox.as(LEAD, () => client.read(whoAmI(asLead), myself))).rejects.toBe(consent);
      expect(sleeps).toEqual([]);
    });
  });
});

function recordInto(sleeps: number[]): (ms: number) => Promise<void> {
  return (ms) => {
    sleeps.push(ms);
    return Promise.resolve();
  };
}

/** A call in an invocation of 4 s, less than the 5 s the client keeps free for the work after it. */
function runShortInvocation(sandbox: JiraSandbox): Promise<unknown> {
  const client = createJiraClient({ sleep: recordInto(sandbox.sleeps) });
  return runInInvocation(sandbox.runtime, { accountId: LEAD, limitSeconds: 4 }, () =>
    client.read(whoAmI(asLead), myself),
  );
}
