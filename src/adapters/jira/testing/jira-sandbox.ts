/**
 * The Jira adapter's tests run against the real sandbox in-process: the emulator's test site (sandbox/jira/testing.ts)
 * behind the Forge runtime stand-in, reached through @forge/api exactly as in production. This builds that world, with
 * the client's sleep and jitter replaced so retries are instant and their waits can be read back, and every request
 * recorded so a test can hold it to Jira's OpenAPI contract.
 */
import { runInInvocation, startBareRuntime } from '../../../../sandbox/forge/invocation';
import type { ForgeRuntime } from '../../../../sandbox/forge/types';
import { buildTestSite, recordingEmulator, type TestSite } from '../../../../sandbox/jira/testing';
import type { JiraRequest } from '../../../../sandbox/jira/types';
import { assertRequestConforms } from '../../../../test/contract/jira-openapi';
import { type JiraPort } from '../../../app/ports';
import { createJiraAdapter } from '../jira-adapter';
import { createJiraClient, type JiraClient, type JiraClientOptions } from '../jira-client';

/** The jitter every sandbox client draws: half the backoff step, so waits are predictable. */
export const TEST_JITTER = 0.5;

export interface JiraSandbox {
  readonly site: TestSite;
  readonly runtime: ForgeRuntime;
  readonly client: JiraClient;
  readonly jira: JiraPort;
  /** Every wait the client slept, in order, in milliseconds. */
  readonly sleeps: number[];
  /** Every request that reached the emulator, in order. */
  readonly sent: JiraRequest[];
  /** Runs `work` in an invocation of `accountId` (`null`: a no-user invocation such as a trigger). */
  as<T>(accountId: string | null, work: () => Promise<T>): Promise<T>;
  /** Holds every request sent so far to Jira's OpenAPI document, then forgets them. */
  assertRequestsConform(): void;
  close(): Promise<void>;
}

/**
 * Starts the test site and a runtime over it, with a client whose sleeps are recorded, not slept.
 * @throws {Error} when the runtime cannot start.
 */
export async function startJiraSandbox(options: { readonly client?: JiraClientOptions } = {}): Promise<JiraSandbox> {
  const site = buildTestSite();
  const sent: JiraRequest[] = [];
  const bare = await startBareRuntime({ jira: recordingEmulator(site.emulator, sent) });
  const sleeps: number[] = [];
  const client = createJiraClient({
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => TEST_JITTER,
    ...options.client,
  });
  return {
    site,
    runtime: bare.runtime,
    client,
    jira: createJiraAdapter({ client }),
    sleeps,
    sent,
    as: (accountId, work) => runInInvocation(bare.runtime, accountId === null ? {} : { accountId }, work),
    assertRequestsConform() {
      for (const request of sent.splice(0)) {
        assertRequestConforms(
          request.method,
          request.path,
          request.body ? (JSON.parse(request.body) as unknown) : undefined,
        );
      }
    },
    async close() {
      await bare.close();
      await site.close();
    },
  };
}
