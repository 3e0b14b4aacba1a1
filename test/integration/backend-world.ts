/**
 * The whole backend in-process: Tollgate's own manifest and handlers in the Forge runtime stand-in, over the Jira
 * emulator seeded with the demo portfolio, with the production adapters (@forge/api, @forge/kvs, @forge/events)
 * reaching it through the SDK seams. Tests act as a person by running inside that person's invocation.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ForgeSQLAPIError, sql } from '@forge/sql';
import { parse } from 'yaml';
import { runInInvocation } from '../../sandbox/forge/invocation';
import { createForgeRuntime } from '../../sandbox/forge/runtime';
import type { ForgeRuntime } from '../../sandbox/forge/types';
import {
  createJiraEmulator,
  indexedPropertiesFromManifest,
  type JiraEmulatorHandle,
} from '../../sandbox/jira/emulator';
import type { Principal } from '../../sandbox/jira/types';
import { CUSTOM_FIELDS } from '../../sandbox/seed/demo-portfolio';
import { PEOPLE } from '../../sandbox/seed/people';
import { signSeededDocuments } from '../../sandbox/seed/signatures';
import { openSandboxData, type SandboxData } from '../../sandbox/server';
import { createJiraAdapter } from '../../src/adapters/jira/jira-adapter';
import { createJiraClient } from '../../src/adapters/jira/jira-client';
import { createRecomputeQueue } from '../../src/adapters/queue/recompute-queue';
import { createSqlReadModel } from '../../src/adapters/sql/sql-read-model';
import { createKvsStorage } from '../../src/adapters/storage/kvs-storage';
import { type AppDeps } from '../../src/app/deps';
import { settingsSchema } from '../../src/domain/settings';
import { holdSiteClock, releaseSiteClock } from '../support/site-clock';

export const APP_ROOT = resolve(__dirname, '../..');
export const TODAY = '2026-11-21';
const SITE = 'http://localhost:8080';

export interface BackendWorld {
  readonly data: SandboxData;
  readonly jira: JiraEmulatorHandle;
  readonly runtime: ForgeRuntime;
  readonly deps: AppDeps;
  /** Runs `work` as the person (or, with null, as a no-user invocation such as a trigger). */
  as<T>(accountId: string | null, work: () => Promise<T>): Promise<T>;
  /** A REST call straight to the emulator, as a person with a REST client would make it. */
  rest(principal: Principal, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** The issue id of a registry key. */
  idOf(key: string): string;
  /**
   * What the daily job does on a real site: the search index catches up, every registry project is read and checked
   * against its ledger again, and the read model and stored health are rewritten from that.
   */
  reconcile(): Promise<void>;
  /**
   * Waits for the queue to be empty while the site clock moves on a minute every second: background work is paced by
   * a points budget per minute (recompute-pacing.ts), so a job a spent minute deferred runs once minutes have passed,
   * as they would on the platform while it waits, instead of the test waiting for a real minute to turn.
   */
  settle(): Promise<void>;
  /**
   * One statement against the read model from outside the app, as damage or an old version would leave it. It shares
   * the installation's 150 DML a second with the app's own work, so a refusal for that limit waits for the next second
   * and is sent once more, as the app's adapter does.
   */
  editReadModel(query: string, ...params: Array<string | number>): Promise<void>;
  close(): Promise<void>;
}

/** Starts the world; `mode` is the PMO's enforcement mode saved in settings. */
export async function startBackendWorld(
  mode: 'supportive' | 'controlling' | 'directive' = 'controlling',
): Promise<BackendWorld> {
  holdSiteClock(TODAY);
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-backend-'));
  const data = openSandboxData({ appRoot: APP_ROOT, dataDir: dir, today: TODAY });
  const manifest = parse(readFileSync(join(APP_ROOT, 'manifest.yml'), 'utf8')) as unknown;
  const jira = createJiraEmulator({
    store: data.store,
    siteUrl: SITE,
    indexedProperties: indexedPropertiesFromManifest(manifest),
  });
  const runtime = await createForgeRuntime({
    appRoot: APP_ROOT,
    jira: jira.emulator,
    storagePath: join(dir, 'kvs.db'),
    siteUrl: SITE,
    queueTimeScale: 0.001,
  });
  const deps: AppDeps = {
    jira: createJiraAdapter({ client: createJiraClient() }),
    storage: createKvsStorage(),
    queue: createRecomputeQueue(),
    readModel: createSqlReadModel(),
    clock: { now: () => new Date().toISOString(), sleep: (ms) => new Promise((done) => setTimeout(done, ms)) },
  };
  const as = <T>(accountId: string | null, work: () => Promise<T>): Promise<T> =>
    runInInvocation(runtime, accountId === null ? {} : { accountId }, work);
  const settings = settingsSchema.parse({
    version: 0,
    registryJql: 'project in (PMO, CONF) AND issuetype = Project ORDER BY key',
    mode,
    pmoGroup: 'tollgate-pmo',
    roleGroups: { sponsor: 'sponsors', 'steering-committee': 'steering-committee' },
    fields: {
      department: CUSTOM_FIELDS.department.id,
      startDate: CUSTOM_FIELDS.startDate.id,
      budget: { bac: CUSTOM_FIELDS.bac.id, pv: CUSTOM_FIELDS.pv.id, ev: CUSTOM_FIELDS.ev.id, ac: CUSTOM_FIELDS.ac.id },
    },
  });
  await as(null, () => deps.storage.saveSettings(settings, 0));
  // The demo's documents, signed as the app's write path signs them (as the sandbox does for npm start).
  signSeededDocuments(data.store, await as(null, () => deps.storage.signingKey()));
  // A real site would have indexed its issues long before anyone opened Tollgate; `reconcile` is what installing it
  // does (and an upgrade, a settings change, the weekly run): every registry project read, the read model built.
  const settle = async () => {
    const minutes = setInterval(() => jest.setSystemTime(Date.now() + 60_000), 1_000);
    try {
      await runtime.drainQueue();
    } finally {
      clearInterval(minutes);
    }
  };
  const reconcile = async () => {
    jira.settleSearchIndex();
    await runtime.deliverLifecycleEvent('avi:forge:upgraded:app', PEOPLE.admin.accountId);
    await settle();
    jira.settleSearchIndex();
  };
  await reconcile();
  jira.emulator.resetRequestLog();
  jira.emulator.resetRateLimits();
  return {
    data,
    jira,
    runtime,
    deps,
    as,
    async rest(principal, method, path, body) {
      const response = await jira.emulator.handle(
        {
          method,
          path,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        },
        principal,
      );
      return { status: response.status, json: response.body ? (JSON.parse(response.body) as unknown) : null };
    },
    reconcile,
    settle,
    async editReadModel(query, ...params) {
      const send = () =>
        as(null, () =>
          sql
            .prepare(query)
            .bindParams(...params)
            .execute(),
        );
      try {
        await send();
      } catch (error) {
        if (!(error instanceof ForgeSQLAPIError) || error.code !== 'RATE_LIMIT_EXCEEDED') throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await send();
      }
    },
    idOf(key) {
      const issue = data.store.getIssue(key);
      if (!issue) throw new Error(`no issue ${key}`);
      return issue.id;
    },
    async close() {
      await runtime.drainQueue();
      await runtime.close();
      await jira.close();
      data.close();
      rmSync(dir, { recursive: true, force: true });
      releaseSiteClock();
    },
  };
}
