/**
 * The contract of the Forge runtime stand-in: it loads an app (manifest.yml + src/index.ts) unchanged and runs its
 * functions the way Forge would, with the SDK seams set (docs/platform.md §4): `global.__forge_fetch__` for
 * @forge/api, @forge/kvs and @forge/events, `global.__forge_runtime__` for the invocation context.
 */
import type { LatencyModel } from '../jira/latency';
import type { JiraEmulator } from '../jira/types';
import type { QueueLimitOptions } from './async-events';
import type { KvsQuotaOptions, KvsQuotaState } from './kvs-quota';
import type { SqlLimitOptions } from './sql/sql-limits';
import type { SqlStatus } from './sql/sql-service';

/** The module-specific part of a UI invocation's context (`context.extension`). */
export type ExtensionContext = Readonly<Record<string, unknown>> & { readonly type: string };

/** Who invokes and from where, as the host knows it. */
export interface InvocationContext {
  /** The signed-in user; absent for anonymous or no-user contexts. */
  readonly accountId?: string;
  readonly moduleKey: string;
  readonly extension: ExtensionContext;
  readonly localId?: string;
  readonly locale?: string;
  readonly timezone?: string;
}

export interface ForgeRuntimeOptions {
  /** Folder with manifest.yml and src/index.ts. */
  readonly appRoot: string;
  readonly jira: JiraEmulator;
  /** SQLite file for KVS (app storage and secrets); ':memory:' in tests. */
  readonly storagePath: string;
  /** The site's base URL as the app sees it (`siteUrl` in contexts). */
  readonly siteUrl: string;
  /** Overrides Forge's invocation limits (25 s; consumers and scheduled triggers up to their timeoutSeconds). */
  readonly timeLimitScale?: number;
  /** Scales async-event waits (`delayInSeconds`, retry back-off) so tests need not wait real seconds; default 1. */
  readonly queueTimeScale?: number;
  /** Scales scheduled-trigger intervals for `startSchedules()` (`fiveMinute` = 300 s × scale); default 1. */
  readonly scheduleScale?: number;
  /** How many times a failed async event is retried before it is given up; default 4. */
  readonly maxQueueRetries?: number;
  /** Identifiers the app sees in its context; stable defaults so contexts and ARIs are reproducible. */
  readonly cloudId?: string;
  readonly installationId?: string;
  readonly environmentId?: string;
  /** Forge's KVS operation limits per installation (kvs-quota.ts); on with Atlassian's figures unless `false`. */
  readonly kvsQuota?: KvsQuotaOptions | false;
  /** Forge's async-event limits per installation (async-events.ts); on with Atlassian's figures unless `false`. */
  readonly queueLimits?: QueueLimitOptions | false;
  /**
   * Where the installation's Forge SQL database (a private MariaDB, sql/mariadb-server.ts) keeps its files, so it
   * survives a restart as KVS does (`npm start` puts it beside the KVS file). Without one the database lives on the
   * process's shared server and is dropped on close, so a test world costs no server start of its own. The server
   * starts only on the app's first SQL request.
   */
  readonly sqlDataDir?: string;
  /** The InnoDB buffer pool of that server, in MiB (16 by default: a test's server starts in a second). */
  readonly sqlBufferPoolMiB?: number;
  /** Forge SQL's limits (sql/sql-limits.ts); Atlassian's figures where not given. */
  readonly sqlLimits?: SqlLimitOptions;
  /** Latency added to each Forge SQL answer (sql/sql-service.ts `SQL_LATENCY`); none unless given. */
  readonly sqlLatency?: LatencyModel;
}

/** What Confluence knows about one macro instance when a page is exported and it asks the app for the macro's ADF. */
export interface MacroExportRequest {
  /** The person exporting; the function runs as them. Absent for an anonymous export. */
  readonly accountId?: string;
  /** Which export asked: Confluence's PDF or Word export, or another consumer of the export view. */
  readonly exportType: 'pdf' | 'word' | 'other';
  /** The macro instance on the page. */
  readonly localId: string;
  /** The macro's extension context (content, space, saved `config`); `type` is set by the runtime. */
  readonly extension: Readonly<Record<string, unknown>>;
  readonly locale?: string;
  readonly timezone?: string;
}

/** One function run, for tests, benchmarks and the sandbox's activity log. */
export interface InvocationRecord {
  readonly functionKey: string;
  /** The manifest module the function ran for (UI module, trigger, consumer, scheduled trigger or validator). */
  readonly moduleKey: string;
  readonly invocationId: string;
  /** The user the invocation ran as; absent for app-only invocations (triggers, consumers of app pushes, schedules). */
  readonly accountId?: string;
  /** For resolver invocations: the `resolver.define` key the front end invoked. */
  readonly resolverKey?: string;
  readonly kind: 'resolver' | 'trigger' | 'lifecycle' | 'scheduledTrigger' | 'consumer' | 'validator' | 'adfExport';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'error' | 'timeout';
  readonly error?: string;
  /**
   * How far the process's memory (V8 heap, external and array buffers) rose above its level at the start, sampled at
   * the start, at each platform call the invocation makes and at its end, in MiB: a lower bound of what a Forge
   * isolate would need on top of its baseline, and only meaningful when the invocation ran alone.
   */
  readonly peakMemoryGrowthMb: number;
  /** The function's memory on Forge (`memoryMB`). */
  readonly memoryMB: number;
}

/** manifest.yml as the runtime indexes it (see manifest.ts). */
export interface ForgeManifest {
  /** The app's id without the ARI prefix, as Forge puts it in `appContext.appId`. */
  readonly appId: string;
  readonly appAri: string;
  readonly functions: ReadonlyMap<string, ManifestFunction>;
  /** UI modules (Custom UI / UI Kit) by module key, from every module type that declares a `resource`. */
  readonly uiModules: ReadonlyMap<string, ManifestUiModule>;
  readonly triggers: readonly ManifestTrigger[];
  readonly scheduledTriggers: ReadonlyMap<string, ManifestScheduledTrigger>;
  readonly consumers: readonly ManifestConsumer[];
  readonly workflowValidators: readonly ManifestWorkflowValidator[];
  readonly resources: ReadonlyMap<string, ManifestResource>;
  /** `modules.sql`: the app's Forge SQL database; without one, Forge SQL answers APP_NOT_ENABLED. */
  readonly sqlModules: readonly ManifestSqlModule[];
  readonly scopes: readonly string[];
}

export interface ManifestFunction {
  readonly key: string;
  /** Handler file under `src/` without extension (`index` for `index.handler`). */
  readonly file: string;
  readonly exportName: string;
  readonly timeoutSeconds?: number;
  /** The memory Forge gives each invocation: the function's `runtime.memoryMB`, else the app's, else 512. */
  readonly memoryMB: number;
}

export interface ManifestUiModule {
  readonly key: string;
  /** The module type, e.g. `jira:issuePanel`; it becomes `context.extension.type`. */
  readonly type: string;
  readonly resource?: string;
  readonly resolverFunction?: string;
  /** `macro` only: the function that renders the macro for export. */
  readonly adfExportFunction?: string;
  /** The raw module entry (title, icon, layout, …) for hosts that render it. */
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface ManifestTrigger {
  readonly key: string;
  readonly functionKey: string;
  readonly events: readonly string[];
  readonly ignoreSelf: boolean;
}

export type ScheduleInterval = 'fiveMinute' | 'hour' | 'day' | 'week';

export interface ManifestScheduledTrigger {
  readonly key: string;
  readonly functionKey: string;
  readonly interval: ScheduleInterval;
}

export interface ManifestConsumer {
  readonly key: string;
  readonly queue: string;
  readonly functionKey: string;
}

export interface ManifestWorkflowValidator {
  readonly key: string;
  /** Function-based validators run here; expression validators are Jira's to evaluate. */
  readonly functionKey?: string;
  readonly expression?: string;
}

/** A `sql` module (manifest-reference/modules/sql): Forge SQL's only engine is `mysql` (TiDB). */
export interface ManifestSqlModule {
  readonly key: string;
  readonly engine: 'mysql';
}

export interface ManifestResource {
  readonly key: string;
  /** Path relative to the app root. */
  readonly path: string;
}

export interface ForgeRuntime {
  /** The indexed manifest, for hosts that render modules and serve resources. */
  readonly manifest: ForgeManifest;
  /** Calls a UI module's resolver as `invoke(functionKey, payload)` from its Custom UI would. */
  invoke(moduleKey: string, functionKey: string, payload: unknown, context: InvocationContext): Promise<unknown>;
  /**
   * Runs a `macro` module's `adfExport` function as Confluence's export does, as the exporting user and within the
   * 25 s a UI function gets, and returns the document it answered (JSON as it crossed the wire; not yet checked).
   * @throws {Error} when the module is not a macro with `adfExport`, or the function failed or timed out.
   */
  exportMacro(moduleKey: string, request: MacroExportRequest): Promise<unknown>;
  /** Runs a scheduled trigger now (scheduled triggers also run on their interval while started). */
  runScheduledTrigger(moduleKey: string): Promise<void>;
  /**
   * Delivers a life cycle event (`avi:forge:installed:app`, `avi:forge:upgraded:app`) to the triggers subscribed to
   * it, as Forge does once the app is installed on the site or upgraded there, with who did it.
   */
  deliverLifecycleEvent(
    eventType: 'avi:forge:installed:app' | 'avi:forge:upgraded:app',
    byAccountId: string,
  ): Promise<void>;
  /**
   * Resolves when every queued async event, and every event it pushed in turn, has been consumed, and every product
   * event already emitted by Jira has reached its triggers (a trigger may push, a consumer may change an issue).
   */
  drainQueue(): Promise<void>;
  /** Starts scheduled triggers on their intervals; returns a stop function. */
  startSchedules(): () => void;
  readonly invocations: () => readonly InvocationRecord[];
  /** The installation's KVS units this minute (null when the quota is off), for `/sandbox`. */
  readonly kvsQuota: () => KvsQuotaState | null;
  /** Starts fresh KVS quota windows, as if a minute had passed (for seeding data that built up over months). */
  readonly resetKvsQuota: () => void;
  /** Starts a fresh minute of async-event pushes (500 an installation), as if a minute had passed. */
  readonly resetPushQuota: () => void;
  /** Read-only view of app storage, for tests that prove nothing changed. */
  readonly storageSnapshot: () => Readonly<Record<string, unknown>>;
  /** Deletes the KVS values under a key prefix, as their TTL running out would; answers how many. */
  readonly expireStorage: (prefix: string) => number;
  /** Whether the installation's Forge SQL server has started (it starts on the first SQL request) or stopped. */
  readonly sqlStatus: () => SqlStatus;
  /** Whether the app's manifest declares a `sql` module (Forge SQL answers only such apps). */
  readonly sqlEnabled: boolean;
  close(): Promise<void>;
}
