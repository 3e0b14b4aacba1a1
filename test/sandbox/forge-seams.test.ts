/**
 * The sandbox's own regression test: the fixture Forge app (test/fixtures/forge-app), written against the real SDKs,
 * runs unchanged in the Forge runtime stand-in against the Jira emulator's test site (sandbox/jira/testing.ts), and
 * every seam answers as Forge would — Jira as the user and as the app, KVS, async events with retries, product-event
 * triggers with ignoreSelf, scheduled triggers, the function validator, and time limits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProcessorBuilder, ValidationTypes } from '@forge/manifest';
import { buildResources } from '../../sandbox/build-resources';
import { MAX_VALUE_BYTES } from '../../sandbox/forge/kvs-store';
import { createForgeRuntime } from '../../sandbox/forge/runtime';
import type { ForgeRuntime, ForgeRuntimeOptions, InvocationContext } from '../../sandbox/forge/types';
import { AS, buildTestSite, PEOPLE, recordingEmulator, type TestSite } from '../../sandbox/jira/testing';
import type { JiraRequest } from '../../sandbox/jira/types';
import { assertRequestConforms } from '../contract/jira-openapi';

const APP_ROOT = resolve(__dirname, '../fixtures/forge-app');
const PAGE = 'fixture-page';
/** 25 s × 0.01 = 250 ms for resolvers; 60 s × 0.01 = 600 ms for the consumer. */
const TIME_LIMIT_SCALE = 0.01;
const LEAD = PEOPLE.lead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;

/** Every request the app sends to Jira, so each can be held to Jira's OpenAPI contract after the test. */
const sent: JiraRequest[] = [];

function pageContext(accountId?: string): InvocationContext {
  return {
    ...(accountId ? { accountId } : {}),
    moduleKey: PAGE,
    extension: { type: 'jira:globalPage' },
    locale: 'en-US',
    timezone: 'Europe/Oslo',
  };
}

describe('the fixture Forge app in the sandbox runtime', () => {
  let dir: string;
  let site: TestSite;
  let runtime: ForgeRuntime;

  const start = (overrides: Partial<ForgeRuntimeOptions> = {}): Promise<ForgeRuntime> =>
    createForgeRuntime({
      appRoot: APP_ROOT,
      jira: recordingEmulator(site.emulator, sent),
      storagePath: join(dir, 'kvs.sqlite'),
      siteUrl: 'http://localhost:8080',
      timeLimitScale: TIME_LIMIT_SCALE,
      queueTimeScale: 0.001,
      ...overrides,
    });
  /** Invokes as `accountId`; `null` is an anonymous viewer. */
  const invoke = (key: string, payload: unknown = {}, accountId: string | null = LEAD): Promise<unknown> =>
    runtime.invoke(PAGE, key, payload, pageContext(accountId ?? undefined));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forge-seams-'));
    site = buildTestSite();
    runtime = await start();
  });
  afterEach(async () => {
    // The fixture app stands in for Tollgate here: what it sends must be a request Jira Cloud accepts.
    for (const request of sent.splice(0)) {
      assertRequestConforms(
        request.method,
        request.path,
        request.body ? (JSON.parse(request.body) as unknown) : undefined,
      );
    }
    await runtime.close();
    await site.close();
    site.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a manifest that passes @forge/manifest FULL validation', async () => {
    buildResources(APP_ROOT); // FULL validation checks that resource folders exist
    const previous = process.cwd();
    process.chdir(APP_ROOT); // handler files and resource folders resolve from the working directory
    try {
      const result = await ProcessorBuilder.instance()
        .withValidation(ValidationTypes.FULL)
        .build()
        .process('manifest.yml');
      expect(result.errors ?? []).toEqual([]);
      expect(result.success).toBe(true);
    } finally {
      process.chdir(previous);
    }
  });

  describe('resolvers and requestJira', () => {
    it('reaches Jira as the invoking user through asUser()', async () => {
      await expect(invoke('user/whoami')).resolves.toEqual({
        status: 200,
        accountId: LEAD,
        accountType: 'atlassian',
      });
      expect(site.emulator.requestLog().at(-1)).toMatchObject({
        path: '/rest/api/3/myself',
        principal: `user:${LEAD}`,
      });
    });

    it('reaches Jira as the app through asApp()', async () => {
      await expect(invoke('app/whoami')).resolves.toMatchObject({
        accountId: site.store.appAccountId,
        accountType: 'app',
      });
      expect(site.emulator.requestLog().at(-1)).toMatchObject({ principal: 'app' });
    });

    it("lets Jira's permissions decide what a user sees, and the app sees everything", async () => {
      const jql = { jql: 'created >= "2000-01-01" ORDER BY key' };
      await expect(invoke('user/search', jql, OUTSIDER)).resolves.toEqual({ status: 200, keys: ['DEL-1', 'DEL-2'] });
      const asApp = (await invoke('app/search', jql, OUTSIDER)) as { keys: string[] };
      expect(asApp.keys).toEqual(expect.arrayContaining(['DEL-1', 'PMO-1', 'SEC-1']));
    });

    it('refuses asUser() without a signed-in user as Forge does (NeedsAuthenticationError)', async () => {
      await expect(invoke('user/whoami', {}, null)).rejects.toThrow('Authentication Required');
      expect(site.emulator.requestLog()).toEqual([]);
    });

    it('passes the resolver context Forge builds, and the app context @forge/api reads', async () => {
      const result = (await invoke('context')) as Record<string, unknown>;
      expect(result.context).toMatchObject({
        accountId: LEAD,
        moduleKey: PAGE,
        siteUrl: 'http://localhost:8080',
        extension: { type: 'jira:globalPage' },
        locale: 'en-US',
        timezone: 'Europe/Oslo',
        environmentType: 'DEVELOPMENT',
        installContext: expect.stringMatching(/^ari:cloud:jira::site\//),
      });
      expect(result).toMatchObject({
        appAri: 'ari:cloud:ecosystem::app/9d3f6b1a-2c4e-4f8a-9b7c-1e5d3a2f4c60',
        environmentType: 'DEVELOPMENT',
        moduleKey: PAGE,
      });
      expect(result.remainingMs).toBeGreaterThan(0);
      expect(result.remainingMs).toBeLessThanOrEqual(25_000 * TIME_LIMIT_SCALE);
    });

    it("rejects invoke with the resolver's error message and records the failure", async () => {
      await expect(invoke('fail')).rejects.toThrow('fixture failure: the resolver threw');
      expect(runtime.invocations().at(-1)).toMatchObject({
        kind: 'resolver',
        functionKey: 'resolver',
        resolverKey: 'fail',
        outcome: 'error',
        error: 'fixture failure: the resolver threw',
      });
    });
  });

  describe('KVS through @forge/kvs', () => {
    it("answers a second FAIL_IF_EXISTS claim with the service's conflict error", async () => {
      await expect(invoke('ledger/claim', { issueKey: 'PMO-1', rev: 1 })).resolves.toEqual({ claimed: true });
      await expect(invoke('ledger/claim', { issueKey: 'PMO-1', rev: 1 }, MEMBER)).resolves.toEqual({
        claimed: false,
        code: 'KEY_CONFLICT',
        status: 409,
      });
      expect(runtime.storageSnapshot()).toEqual({ 'ledger:PMO-1:1': { by: LEAD } });
    });

    it('keeps secrets apart from values', async () => {
      await invoke('secret/set', { name: 'api', value: 's3cr3t' });
      await expect(invoke('secret/get', { name: 'api' })).resolves.toEqual({ secret: 's3cr3t', plain: null });
      expect(runtime.storageSnapshot()).toEqual({});
    });

    it('pages a key prefix with the cursor the SDK returns', async () => {
      for (const rev of [1, 2, 3, 4, 5]) await invoke('ledger/claim', { issueKey: 'PMO-1', rev });
      await invoke('ledger/claim', { issueKey: 'PMO-2', rev: 1 });
      const pages: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = (await invoke('ledger/list', { prefix: 'ledger:PMO-1:', limit: 2, cursor })) as {
          keys: string[];
          nextCursor?: string;
        };
        pages.push(page.keys);
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual([
        ['ledger:PMO-1:1', 'ledger:PMO-1:2'],
        ['ledger:PMO-1:3', 'ledger:PMO-1:4'],
        ['ledger:PMO-1:5'],
      ]);
    });

    it('stores a 240 KiB value and refuses a larger one with MAX_SIZE', async () => {
      await expect(invoke('blob/put', { bytes: MAX_VALUE_BYTES - 2 })).resolves.toEqual({ stored: true });
      await expect(invoke('blob/put', { bytes: MAX_VALUE_BYTES })).resolves.toEqual({
        stored: false,
        code: 'MAX_SIZE',
        status: 400,
      });
    });

    it('keeps values across a runtime restart on the same SQLite file', async () => {
      await invoke('ledger/claim', { issueKey: 'PMO-1', rev: 7 });
      await runtime.close();
      runtime = await start();
      expect(runtime.storageSnapshot()).toEqual({ 'ledger:PMO-1:7': { by: LEAD } });
      await expect(invoke('ledger/claim', { issueKey: 'PMO-1', rev: 7 })).resolves.toMatchObject({ claimed: false });
    });
  });

  describe('async events', () => {
    it('delivers a pushed event to the manifest consumer, which writes to KVS', async () => {
      const pushed = (await invoke('jobs/push', { issueKey: 'PMO-1' })) as { jobId: string };
      expect(pushed.jobId).toEqual(expect.any(String));
      await runtime.drainQueue();
      expect(runtime.storageSnapshot()).toMatchObject({
        'processed:PMO-1': { attempts: 1, queueName: 'fixture-jobs' },
        'attempt:PMO-1:1': { jobId: pushed.jobId, retryReason: null, retryData: null },
      });
      expect(runtime.invocations().filter((r) => r.kind === 'consumer')).toEqual([
        expect.objectContaining({ moduleKey: 'fixture-jobs-consumer', functionKey: 'job-worker', outcome: 'ok' }),
      ]);
    });

    it('retries when the consumer returns an InvocationError, with its retryReason in retryContext', async () => {
      await invoke('jobs/push', { issueKey: 'PMO-1', failTimes: 2 });
      await runtime.drainQueue();
      const stored = runtime.storageSnapshot();
      expect(stored['processed:PMO-1']).toEqual({ attempts: 3, queueName: 'fixture-jobs' });
      expect(stored['attempt:PMO-1:2']).toMatchObject({
        retryReason: 'FUNCTION_RETRY_REQUEST',
        retryData: { attempt: 1 },
      });
      expect(stored['attempt:PMO-1:3']).toMatchObject({
        retryReason: 'FUNCTION_RETRY_REQUEST',
        retryData: { attempt: 2 },
      });
    });

    it('retries a consumer that throws, then gives the event up after the retry bound', async () => {
      await invoke('jobs/push', { issueKey: 'PMO-1', throwTimes: 1 });
      await invoke('jobs/push', { issueKey: 'PMO-2', throwTimes: 99 });
      await runtime.drainQueue();
      const stored = runtime.storageSnapshot();
      expect(stored['attempt:PMO-1:2']).toMatchObject({ retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR' });
      expect(stored['processed:PMO-1']).toMatchObject({ attempts: 2 });
      expect(stored['processed:PMO-2']).toBeUndefined();
      expect(Object.keys(stored).filter((k) => k.startsWith('attempt:PMO-2:'))).toHaveLength(5); // 1 + 4 retries
    });

    it('holds a delayed event back until its delay has passed, and drainQueue waits for it', async () => {
      await invoke('jobs/push', { issueKey: 'PMO-1', delay: 60 }); // 60 s × 0.001 = 60 ms
      expect(runtime.storageSnapshot()['processed:PMO-1']).toBeUndefined();
      await runtime.drainQueue();
      expect(runtime.storageSnapshot()['processed:PMO-1']).toBeDefined();
    });
  });

  describe('product-event triggers', () => {
    it('delivers avi:jira:updated:issue with the actor and changelog', async () => {
      site.store.updateIssue('PMO-1', { summary: 'Renamed' }, AS.lead);
      await runtime.drainQueue();
      const events = Object.entries(runtime.storageSnapshot()).filter(([key]) => key.startsWith('event:PMO-1:'));
      expect(events.map(([, value]) => value)).toEqual([
        { eventType: 'avi:jira:updated:issue', atlassianId: LEAD, selfGenerated: false, fields: ['summary'] },
      ]);
    });

    it('does not invoke an ignoreSelf trigger for changes the app made', async () => {
      site.store.updateIssue('PMO-1', { summary: 'By the app' }, AS.app);
      await runtime.drainQueue();
      expect(runtime.storageSnapshot()).toEqual({});
      expect(runtime.invocations().filter((r) => r.kind === 'trigger')).toEqual([]);
    });
  });

  describe('scheduled triggers', () => {
    it('runs on demand with no user: asApp() works, asUser() is refused', async () => {
      await runtime.runScheduledTrigger('fixture-hourly');
      expect(runtime.storageSnapshot()['hourly:last']).toEqual({ asApp: 200, asUser: 'NEEDS_AUTHENTICATION_ERR' });
      expect(runtime.invocations().at(-1)).toMatchObject({ kind: 'scheduledTrigger', outcome: 'ok' });
      expect(runtime.invocations().at(-1)?.accountId).toBeUndefined();
    });

    it('runs on its interval while schedules are started', async () => {
      await runtime.close();
      runtime = await start({ scheduleScale: 0.00001 }); // an hour becomes 36 ms
      const stop = runtime.startSchedules();
      await new Promise((done) => setTimeout(done, 150));
      stop();
      await runtime.drainQueue();
      expect(runtime.invocations().filter((r) => r.kind === 'scheduledTrigger').length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('the function workflow validator', () => {
    // Close (id 31) is offered from any status of the PMO workflow; the owner may edit, hence transition, PMO issues.
    const transition = (accountId: string): ReturnType<TestSite['emulator']['handle']> =>
      site.emulator.handle(
        {
          method: 'POST',
          path: '/rest/api/3/issue/PMO-1/transitions',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ transition: { id: '31' } }),
        },
        { kind: 'user', accountId },
      );

    it("refuses the transition with the validator's message while the gate is closed", async () => {
      await invoke('gate/set', { issueKey: 'PMO-1', gate: { open: false, reason: 'business case missing' } });
      const refused = await transition(OWNER);
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body)).toEqual({ errorMessages: ['Gate closed: business case missing'], errors: {} });
      expect(runtime.invocations().at(-1)).toMatchObject({
        kind: 'validator',
        moduleKey: 'fixture-gate-validator',
        accountId: OWNER,
        outcome: 'ok',
      });
    });

    it('lets the transition through once the gate is open', async () => {
      await invoke('gate/set', { issueKey: 'PMO-1', gate: { open: true } });
      expect((await transition(OWNER)).status).toBe(204);
    });
  });

  describe('time limits', () => {
    it('stops a resolver at its limit: invoke rejects, the record says timeout, later writes are refused', async () => {
      await expect(invoke('slow', { ms: 600 })).rejects.toThrow(/timed out/);
      expect(runtime.invocations().at(-1)).toMatchObject({ resolverKey: 'slow', outcome: 'timeout' });
      await new Promise((done) => setTimeout(done, 500));
      expect(runtime.storageSnapshot()['slow:finished']).toBeUndefined();
    });
  });
});
