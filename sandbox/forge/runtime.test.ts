/**
 * The runtime's own rules, beyond what the fixture app proves in test/sandbox/forge-seams.test.ts: clear errors for
 * what cannot run, requests the sandbox does not serve, invocation bookkeeping, and several runtimes in one process.
 * Small throw-away apps are written as plain CommonJS into a temp folder; they require the SDKs by absolute path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createForgeRuntime } from './runtime';
import { createFakeJira, type FakeJira } from './testing/fake-jira';
import type { ForgeRuntime, ForgeRuntimeOptions, InvocationContext } from './types';

const FIXTURE = resolve(__dirname, '../../test/fixtures/forge-app');
const SDK = {
  api: JSON.stringify(require.resolve('@forge/api')),
  kvs: JSON.stringify(require.resolve('@forge/kvs')),
  events: JSON.stringify(require.resolve('@forge/events')),
};
const APP_ID = 'ari:cloud:ecosystem::app/11111111-2222-4333-8444-555555555555';

const page = (accountId = 'user-lead', moduleKey = 'page'): InvocationContext => ({
  accountId,
  moduleKey,
  extension: { type: 'jira:globalPage' },
});

describe('createForgeRuntime', () => {
  let dir: string;
  let jira: FakeJira;
  const runtimes: ForgeRuntime[] = [];

  /** Writes a one-page app whose resolver (src/index.js) is `resolverSource`, plus any extra modules. */
  function writeApp(resolverSource: string, extraModules = '', extraFunctions = ''): string {
    const root = mkdtempSync(join(dir, 'app-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(
      join(root, 'manifest.yml'),
      `app:\n  id: ${APP_ID}\nmodules:\n  jira:globalPage:\n    - { key: page, resource: main, resolver: { function: resolver }, title: P }\n` +
        `${extraModules}  function:\n    - { key: resolver, handler: index.handler }\n${extraFunctions}` +
        'resources:\n  - { key: main, path: static }\n',
    );
    writeFileSync(join(root, 'src', 'index.js'), resolverSource);
    return root;
  }

  async function start(appRoot: string, overrides: Partial<ForgeRuntimeOptions> = {}): Promise<ForgeRuntime> {
    const runtime = await createForgeRuntime({
      appRoot,
      jira,
      storagePath: ':memory:',
      siteUrl: 'http://localhost:8080',
      ...overrides,
    });
    runtimes.push(runtime);
    return runtime;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'forge-runtime-'));
    jira = createFakeJira();
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((r) => r.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('loading', () => {
    it('names the function whose handler file is missing', async () => {
      const root = writeApp('exports.handler = () => 1;', '', '    - { key: other, handler: jobs.run }\n');
      await expect(start(root)).rejects.toThrow('function other: no src/jobs.{ts,tsx,js,jsx,cjs}');
    });

    it('names the function whose export is missing', async () => {
      const root = writeApp('exports.somethingElse = () => 1;');
      await expect(start(root)).rejects.toThrow('function resolver: src/index has no exported function "handler"');
    });
  });

  describe('invoke', () => {
    let runtime: ForgeRuntime;
    beforeEach(async () => {
      runtime = await start(FIXTURE);
    });

    it('refuses an unknown module, a module/context mismatch and an unknown resolver key, each by name', async () => {
      await expect(runtime.invoke('nope', 'context', {}, page('user-lead', 'nope'))).rejects.toThrow(
        'no UI module "nope" in manifest.yml',
      );
      await expect(runtime.invoke('fixture-page', 'context', {}, page())).rejects.toThrow(
        'context.moduleKey "page" does not match module "fixture-page"',
      );
      await expect(
        runtime.invoke(
          'fixture-page',
          'context',
          {},
          { ...page('user-lead', 'fixture-page'), extension: { type: 'x' } },
        ),
      ).rejects.toThrow('extension.type "x" is not "jira:globalPage"');
      await expect(
        runtime.invoke('fixture-page', 'no-such-key', {}, page('user-lead', 'fixture-page')),
      ).rejects.toThrow("Resolver has no definition for 'no-such-key'.");
    });

    it('refuses an unknown scheduled trigger by name', async () => {
      await expect(runtime.runScheduledTrigger('nightly')).rejects.toThrow('no scheduledTrigger "nightly"');
    });

    it('refuses a payload over the 500 KB the bridge allows', async () => {
      const payload = { blob: 'x'.repeat(500 * 1024) };
      await expect(
        runtime.invoke('fixture-page', 'context', payload, page('user-lead', 'fixture-page')),
      ).rejects.toThrow('500 KB');
    });

    it('records each invocation with its module, user and duration', async () => {
      await runtime.invoke('fixture-page', 'user/whoami', {}, page('user-member', 'fixture-page'));
      expect(runtime.invocations()).toEqual([
        {
          functionKey: 'resolver',
          moduleKey: 'fixture-page',
          invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          accountId: 'user-member',
          resolverKey: 'user/whoami',
          kind: 'resolver',
          startedAt: expect.any(String),
          durationMs: expect.any(Number),
          outcome: 'ok',
          peakMemoryGrowthMb: expect.any(Number),
          memoryMB: 512,
        },
      ]);
    });
  });

  describe('requests the sandbox does not serve', () => {
    it('says so for a product it does not emulate', async () => {
      const root = writeApp(
        `const api = require(${SDK.api});\n` +
          'exports.handler = async () => (await api.asApp().requestConfluence(api.route`/wiki/api/v2/pages`)).status;',
      );
      const runtime = await start(root);
      await expect(runtime.invoke('page', 'x', {}, page())).rejects.toThrow(/no stand-in for confluence request/);
    });

    it('asks for an identity when requestJira is called without asUser() or asApp()', async () => {
      const root = writeApp(
        `const api = require(${SDK.api});\n` +
          'exports.handler = async () => (await api.requestJira(api.route`/rest/api/3/myself`)).status;',
      );
      const runtime = await start(root);
      await expect(runtime.invoke('page', 'x', {}, page())).rejects.toThrow(/without asUser\(\) or asApp\(\)/);
    });

    it('refuses a push to a queue no consumer listens on, through the SDK error', async () => {
      const root = writeApp(
        `const { Queue } = require(${SDK.events});\n` +
          "exports.handler = async () => new Queue({ key: 'orphan' }).push({ body: { a: 1 } });",
      );
      const runtime = await start(root);
      await expect(runtime.invoke('page', 'x', {}, page())).rejects.toThrow(
        '404 Not Found: No consumer module in manifest.yml listens on queue "orphan"',
      );
    });

    it('refuses SDK calls made outside any invocation', async () => {
      await start(FIXTURE);
      const fetch = (globalThis as { __forge_fetch__?: (m: object, p: string) => Promise<Response> }).__forge_fetch__;
      await expect(fetch?.({ type: 'kvs' }, '/api/v1/get')).rejects.toThrow('outside a function invocation');
    });
  });

  describe('memory', () => {
    it("records each invocation's memory growth beside the memoryMB the manifest gives its function", async () => {
      const root = writeApp(
        'let kept;\n' +
          'exports.handler = async ({ call }) => {\n' +
          '  kept = call.functionKey === "grow" ? Buffer.alloc(64 * 1024 * 1024, 1) : undefined;\n' +
          '  return kept ? kept.length : 0;\n};',
      );
      writeFileSync(
        join(root, 'manifest.yml'),
        `app:\n  id: ${APP_ID}\n  runtime: { name: nodejs22.x, memoryMB: 256 }\nmodules:\n` +
          '  jira:globalPage:\n    - { key: page, resource: main, resolver: { function: resolver }, title: P }\n' +
          '  function:\n    - { key: resolver, handler: index.handler, runtime: { memoryMB: 1024 } }\n' +
          'resources:\n  - { key: main, path: static }\n',
      );
      const runtime = await start(root);
      await runtime.invoke('page', 'grow', {}, page());
      await runtime.invoke('page', 'small', {}, page());
      const [grown, small] = runtime.invocations();
      expect(grown).toMatchObject({ memoryMB: 1024 });
      expect(grown!.peakMemoryGrowthMb).toBeGreaterThanOrEqual(60);
      expect(small!.peakMemoryGrowthMb).toBeLessThan(60);
    });

    it('refuses a memoryMB Forge would not accept', async () => {
      const root = writeApp('exports.handler = () => 1;');
      writeFileSync(
        join(root, 'manifest.yml'),
        `app:\n  id: ${APP_ID}\n  runtime: { memoryMB: 4096 }\nmodules:\n  function:\n    - { key: f, handler: index.handler }\n`,
      );
      await expect(start(root)).rejects.toThrow('app: runtime.memoryMB must be a whole number from 128 to 1024');
    });
  });

  describe('async events', () => {
    const consumerModules = '  consumer:\n    - { key: worker, queue: jobs, function: work }\n';

    it('answers getStats and cancel for a job, and drainQueue does not wait for cancelled events', async () => {
      const root = writeApp(
        `const { Queue } = require(${SDK.events});\nconst queue = new Queue({ key: 'jobs' });\n` +
          'exports.handler = async ({ call }) => {\n' +
          '  if (call.functionKey === "push") return queue.push({ body: { n: 1 }, delayInSeconds: 900 });\n' +
          '  const job = queue.getJob(call.payload.jobId);\n' +
          '  if (call.functionKey === "cancel") { await job.cancel(); return {}; }\n' +
          '  return job.getStats();\n};\nexports.work = () => undefined;',
        consumerModules,
        '    - { key: work, handler: index.work }\n',
      );
      const runtime = await start(root);
      const { jobId } = (await runtime.invoke('page', 'push', {}, page())) as { jobId: string };
      await expect(runtime.invoke('page', 'stats', { jobId }, page())).resolves.toEqual({
        success: 0,
        inProgress: 1,
        failed: 0,
      });
      await runtime.invoke('page', 'cancel', { jobId }, page());
      await expect(runtime.invoke('page', 'stats', { jobId }, page())).resolves.toEqual({
        success: 0,
        inProgress: 0,
        failed: 0,
      });
      await runtime.drainQueue();
      expect(runtime.invocations().filter((r) => r.kind === 'consumer')).toEqual([]);
    });

    it('retries a consumer that times out with FUNCTION_TIME_OUT, up to the retry bound', async () => {
      const root = writeApp(
        `const { Queue } = require(${SDK.events});\n` +
          "exports.handler = () => new Queue({ key: 'jobs' }).push({ body: { n: 1 } });\n" +
          'exports.work = (event) => new Promise((done) => setTimeout(() => done(event.retryContext), 200));',
        consumerModules,
        '    - { key: work, handler: index.work, timeoutSeconds: 2 }\n',
      );
      // 2 s × 0.01 = 20 ms per attempt; two attempts in all.
      const runtime = await start(root, { timeLimitScale: 0.01, queueTimeScale: 0.001, maxQueueRetries: 1 });
      await runtime.invoke('page', 'push', {}, page());
      await runtime.drainQueue();
      const consumers = runtime.invocations().filter((r) => r.kind === 'consumer');
      expect(consumers.map((r) => r.outcome)).toEqual(['timeout', 'timeout']);
      expect(consumers[0]?.error).toBe('exceeded 20 ms');
    });
  });

  describe('the workflow validator hook', () => {
    it('refuses the transition, naming the validator, when the validator function throws', async () => {
      const root = writeApp(
        'exports.handler = () => 1;\nexports.validate = () => { throw new Error("boom"); };',
        '  jira:workflowValidator:\n    - { key: gate, name: G, description: D, function: validate }\n',
        '    - { key: validate, handler: index.validate }\n',
      );
      await start(root);
      const response = await jira.handle(
        { method: 'POST', path: '/rest/api/3/issue/DEMO-1/transitions', body: '{"transition":{"id":"2"}}' },
        { kind: 'user', accountId: 'user-lead' },
      );
      expect(JSON.parse(response.body)).toMatchObject({ errorMessages: ['Workflow validator gate failed: boom'] });
    });

    it('unhooks its validator and trigger listener on close', async () => {
      const runtime = await start(FIXTURE);
      expect(jira.events.listenerCount('event')).toBe(1);
      await runtime.close();
      expect(jira.events.listenerCount('event')).toBe(0);
      const response = await jira.handle(
        { method: 'POST', path: '/rest/api/3/issue/DEMO-1/transitions', body: '{"transition":{"id":"2"}}' },
        { kind: 'user', accountId: 'user-lead' },
      );
      expect(response.status).toBe(204);
    });
  });

  it('keeps two runtimes in one process apart: each invocation reaches its own KVS', async () => {
    const source =
      `const { kvs } = require(${SDK.kvs});\n` +
      'exports.handler = async ({ call }) => { await kvs.set("who", call.payload.name); return kvs.get("who"); };';
    const first = await start(writeApp(source));
    const second = await start(writeApp(source));
    await Promise.all([
      first.invoke('page', 'x', { name: 'first' }, page()),
      second.invoke('page', 'x', { name: 'second' }, page()),
    ]);
    expect(first.storageSnapshot()).toEqual({ who: 'first' });
    expect(second.storageSnapshot()).toEqual({ who: 'second' });
  });
});
