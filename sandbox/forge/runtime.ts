/**
 * The Forge runtime stand-in: loads an app (manifest.yml + src/) unchanged and runs its functions the way Forge would.
 * The SDKs reach the platform through two globals, set here before the app is required (docs/platform.md §4):
 * `__forge_runtime__` (read by @forge/api out/api/runtime.js `__getRuntime`/`getAppContext`) and
 * `__forge_fetch__(meta, path, init)` (called at request time by @forge/api out/api/fetch.js `__fetchProduct`,
 * @forge/kvs out/index.js `getFetchClient`, and @forge/events through `__requestAtlassianAsApp`). Each invocation runs
 * inside an AsyncLocalStorage scope, so `__forge_fetch__` knows whose request it is serving, for which module, and
 * how much time is left, as Forge's proxy does from the invocation token.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join, resolve } from 'node:path';
import type { JiraEmulator, JiraEvent, JiraRequest, Principal, ValidatorCall, ValidatorResult } from '../jira/types';
import { type AsyncEventPayload, AsyncEventQueue, type ConsumerOutcome } from './async-events';
import { KvsQuota, type KvsQuotaState } from './kvs-quota';
import { KvsStore } from './kvs-store';
import { DEFAULT_MEMORY_MB, loadManifest } from './manifest';
import { Outstanding } from './outstanding';
import { assertDocumentedCall, type FunctionContext } from './platform-contracts';
import { SqlService, type SqlStatus } from './sql/sql-service';
import type {
  ForgeManifest,
  ForgeRuntime,
  ForgeRuntimeOptions,
  InvocationContext,
  InvocationRecord,
  MacroExportRequest,
  ManifestConsumer,
  ScheduleInterval,
} from './types';

/** The metadata @forge/api and @forge/kvs pass as the first argument of `__forge_fetch__`. */
export interface ForgeFetchMeta {
  readonly type?: string;
  readonly provider?: string;
  readonly remote?: string;
  readonly accountId?: string;
  readonly contextAri?: string;
}

/** The signature of `global.__forge_fetch__` the SDKs call. */
export type ForgeFetch = (meta: ForgeFetchMeta, path: string, init?: RequestInit) => Promise<Response>;

type Handler = (...args: unknown[]) => unknown;
type Kind = InvocationRecord['kind'];
/** The app version life cycle events name: the sandbox runs one deployment of the app. */
const APP_VERSION = '1.0.0';

interface ForgeGlobals {
  __forge_fetch__?: ForgeFetch;
  __forge_runtime__?: unknown;
}

/** One running function, as `__forge_fetch__` and `__forge_runtime__` see it. */
interface Invocation {
  readonly runtime: Runtime;
  readonly invocationId: string;
  readonly moduleKey: string;
  readonly functionKey: string;
  readonly accountId?: string;
  readonly deadline: number;
  /** Set when the time limit passed: Forge stops the function, so anything it still sends is refused. */
  expired: boolean;
  /** Memory samples (memoryInUse) at the start and the highest since. */
  readonly memoryAtStart: number;
  memoryPeak: number;
}

/** What an invocation's memory figure counts: the V8 heap plus memory held outside it (buffers, parsed bodies). */
function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

function sampleMemory(invocation: Invocation): void {
  invocation.memoryPeak = Math.max(invocation.memoryPeak, memoryInUse());
}

type Settled =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'timeout' };

/** Forge's caps: 25 s for UI, trigger and validator functions; consumers and schedules 55 s by default, 900 s at most. */
const DEFAULT_LIMIT_SECONDS = 25;
const LONG_DEFAULT_SECONDS = 55;
const LONG_MAX_SECONDS = 900;
/** Bridge `invoke` limits (docs/platform.md §3): 500 KB request, 5 MB response. */
const MAX_INVOKE_REQUEST_BYTES = 500 * 1024;
const MAX_INVOKE_RESPONSE_BYTES = 5 * 1024 * 1024;
const INTERVAL_SECONDS: Readonly<Record<ScheduleInterval, number>> = {
  fiveMinute: 300,
  hour: 3_600,
  day: 86_400,
  week: 604_800,
};
/** What a context says when the caller does not: Jira's default language and the site's zone. */
const DEFAULT_LOCALE = 'en-US';
const DEFAULT_TIMEZONE = 'UTC';
const HANDLER_EXTENSIONS = ['.tsx', '.jsx', '.ts', '.js', '.cjs'];
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** Databases this process has made on the shared Forge SQL server, to name each one apart. */
let sharedDatabases = 0;

const invocations = new AsyncLocalStorage<Invocation>();
/** The runtime that app code outside any invocation (module scope) sees; the most recently created one. */
let current: Runtime | undefined;

const forgeGlobals = globalThis as typeof globalThis & ForgeGlobals;

function errorOf(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function jsonRoundTrip(value: unknown): unknown {
  // What survives the wire: functions and undefined fields vanish, dates become strings (as through the bridge).
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function bodyText(body: RequestInit['body']): Promise<string | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  return new Response(body).text();
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  new Headers(headers).forEach((value, key) => {
    record[key] = value;
  });
  return record;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const init = { status, statusText: STATUS_CODES[status] ?? '', headers };
  if (NULL_BODY_STATUSES.has(status) || body === undefined) return new Response(null, init);
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The app's invocation context, read at call time (@forge/api out/api/runtime.js `getAppContext`). */
function appContext(): Record<string, unknown> {
  const invocation = invocations.getStore();
  const runtime = invocation?.runtime ?? current;
  if (!runtime) throw new Error('Forge sandbox: no runtime has been created');
  return {
    appId: runtime.manifest.appId,
    appVersion: '1.0.0',
    environmentId: runtime.environmentId,
    environmentType: 'DEVELOPMENT',
    invocationId: invocation?.invocationId,
    installationId: runtime.installationId,
    moduleKey: invocation?.moduleKey,
    license: undefined,
    installation: undefined,
    permissions: { scopes: [...runtime.manifest.scopes], external: {} },
  };
}

const noop = (): void => undefined;
const metrics = {
  counter: () => ({ incr: noop, decr: noop }),
  gauge: () => ({ set: noop }),
  timing: () => ({ measure: () => ({ stop: noop }) }),
};

/**
 * `global.__forge_runtime__`. Fields are getters, so one object serves every runtime and invocation in the process.
 * `kvs` is deliberately absent: with `kvs.url` set, @forge/kvs would send bearer-token requests meant for the real
 * service; without it, it calls `__forge_fetch__({type:'kvs', provider:'app', remote:'kvs'}, path, init)`.
 */
const runtimeGlobal = {
  get appContext() {
    return appContext();
  },
  lambdaContext: {
    getRemainingTimeInMillis(): number {
      const invocation = invocations.getStore();
      if (!invocation) throw new Error('Forge sandbox: getRemainingTimeInMillis called outside a function invocation');
      return Math.max(0, invocation.deadline - Date.now());
    },
  },
  metrics,
  get container() {
    return { appCodeDir: (invocations.getStore()?.runtime ?? current)?.appRoot };
  },
  get aaid() {
    return invocations.getStore()?.accountId;
  },
  get tracing() {
    const id = invocations.getStore()?.invocationId ?? '';
    return { traceId: id.replace(/-/g, ''), spanId: id.slice(0, 16) };
  },
};

const forgeFetch: ForgeFetch = async (meta, path, init) => {
  const invocation = invocations.getStore();
  if (!invocation) {
    throw new Error(
      `Forge sandbox: ${path} was requested outside a function invocation (Forge has no caller to act as)`,
    );
  }
  if (invocation.expired) {
    throw new Error(
      `Forge sandbox: function ${invocation.functionKey} (invocation ${invocation.invocationId}) already timed out; ` +
        'Forge would have stopped it before this request',
    );
  }
  return invocation.runtime.serve(invocation, meta, path, init);
};

/** Makes `runtime` the one module-scope app code sees, and (re)installs the globals the SDKs read. */
function activate(runtime: Runtime): void {
  current = runtime;
  forgeGlobals.__forge_runtime__ = runtimeGlobal;
  forgeGlobals.__forge_fetch__ = forgeFetch;
}

/** Finds `src/<file>.{tsx,jsx,ts,js,cjs}` the way @forge/manifest resolves handler files (docs/platform.md §5). */
function handlerFile(appRoot: string, file: string): string | undefined {
  return HANDLER_EXTENSIONS.map((ext) => join(appRoot, 'src', `${file}${ext}`)).find((candidate) =>
    existsSync(candidate),
  );
}

function loadHandlers(appRoot: string, manifest: ForgeManifest): Map<string, Handler> {
  const modules = new Map<string, unknown>();
  const handlers = new Map<string, Handler>();
  for (const fn of manifest.functions.values()) {
    const file = handlerFile(appRoot, fn.file);
    if (!file)
      throw new Error(`Forge sandbox: function ${fn.key}: no src/${fn.file}.{ts,tsx,js,jsx,cjs} in ${appRoot}`);
    if (!modules.has(file)) {
      // Plain require on purpose: under jest it goes through swc's transform, under `npm start` through tsx's hook,
      // so the app's TypeScript loads unchanged. A dynamic import would bypass jest's module registry.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded: unknown = require(file);
      modules.set(file, loaded);
    }
    const exported = (modules.get(file) as Record<string, unknown> | undefined)?.[fn.exportName];
    if (typeof exported !== 'function') {
      throw new Error(`Forge sandbox: function ${fn.key}: src/${fn.file} has no exported function "${fn.exportName}"`);
    }
    handlers.set(fn.key, exported as Handler);
  }
  return handlers;
}

class Runtime implements ForgeRuntime {
  readonly appRoot: string;
  readonly environmentId: string;
  readonly installationId: string;
  private readonly cloudId: string;
  private readonly installContext: string;
  private readonly timeLimitScale: number;
  private readonly scheduleScale: number;
  private readonly records: InvocationRecord[] = [];
  private readonly outstanding = new Outstanding();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly kvs: KvsStore;
  private readonly kvsLimits: KvsQuota | null;
  private readonly queue: AsyncEventQueue;
  private readonly sql: SqlService;
  private readonly jira: JiraEmulator;
  private readonly handlers: Map<string, Handler>;
  private readonly schedules = new Set<() => void>();
  private readonly onJiraEvent = (event: JiraEvent): void => this.deliverProductEvent(event);
  private closed = false;

  constructor(
    readonly manifest: ForgeManifest,
    private readonly options: ForgeRuntimeOptions,
  ) {
    this.appRoot = resolve(options.appRoot);
    this.environmentId = options.environmentId ?? '5a1e0f3c-0000-4000-8000-000000000e01';
    this.installationId = options.installationId ?? '5a1e0f3c-0000-4000-8000-000000000101';
    this.cloudId = options.cloudId ?? '5a1e0f3c-0000-4000-8000-0000000c10d0';
    this.installContext = `ari:cloud:jira::site/${this.cloudId}`;
    this.timeLimitScale = options.timeLimitScale ?? 1;
    this.scheduleScale = options.scheduleScale ?? 1;
    this.jira = options.jira;
    this.kvs = new KvsStore(options.storagePath);
    this.kvsLimits = options.kvsQuota === false ? null : new KvsQuota(() => Date.now(), options.kvsQuota ?? {});
    this.queue = new AsyncEventQueue({
      consumers: manifest.consumers,
      deliver: (consumer, event, accountId) => this.runConsumer(consumer, event, accountId),
      outstanding: this.outstanding,
      timeScale: options.queueTimeScale ?? 1,
      maxRetries: options.maxQueueRetries ?? 4,
      limits: options.queueLimits === false ? null : (options.queueLimits ?? {}),
      now: () => Date.now(),
    });
    // Forge SQL: one database per installation, named after it; its server starts on the first SQL request. Without a
    // data folder of its own (tests) the sandbox shares the process's server, so its database needs a name of its own.
    const { sqlDataDir } = options;
    const database = `forge_${this.installationId.toLowerCase().replace(/[^0-9a-z]/g, '_')}`;
    this.sql = new SqlService({
      database: sqlDataDir === undefined ? `${database}_${(sharedDatabases += 1)}` : database,
      enabled: manifest.sqlModules.length > 0,
      ...(sqlDataDir === undefined ? {} : { dataDir: sqlDataDir }),
      ...(options.sqlBufferPoolMiB === undefined ? {} : { bufferPoolMiB: options.sqlBufferPoolMiB }),
      ...(options.sqlLimits ? { limits: options.sqlLimits } : {}),
      ...(options.sqlLatency ? { latency: options.sqlLatency } : {}),
      now: () => Date.now(),
    });
    activate(this);
    try {
      this.handlers = manifest.functions.size > 0 ? loadHandlers(this.appRoot, manifest) : new Map<string, Handler>();
    } catch (error) {
      this.kvs.close();
      if (current === this) current = undefined;
      throw error;
    }
    if (manifest.triggers.length > 0) this.jira.events.on('event', this.onJiraEvent);
    const validators = manifest.workflowValidators.filter((v) => v.functionKey !== undefined);
    if (validators.length > 0) this.jira.setWorkflowValidator((call) => this.validate(call));
  }

  readonly invocations = (): readonly InvocationRecord[] => [...this.records];

  readonly kvsQuota = (): KvsQuotaState | null => this.kvsLimits?.state() ?? null;

  readonly resetKvsQuota = (): void => this.kvsLimits?.reset();

  readonly resetPushQuota = (): void => this.queue.resetPushQuota();

  readonly storageSnapshot = (): Readonly<Record<string, unknown>> => this.kvs.snapshot();

  readonly sqlStatus = (): SqlStatus => this.sql.status();

  get sqlEnabled(): boolean {
    return this.manifest.sqlModules.length > 0;
  }

  /**
   * Deletes the app's KVS values whose keys start with `prefix`, as their TTL running out would: the benchmark's
   * bill starts each interaction in a fresh quota hour, and the app keeps its hourly allowances in KVS.
   */
  readonly expireStorage = (prefix: string): number => {
    const keys = Object.keys(this.kvs.snapshot()).filter((key) => key.startsWith(prefix));
    for (const key of keys) this.kvs.handle('/api/v1/delete', { key });
    return keys.length;
  };

  async invoke(moduleKey: string, functionKey: string, payload: unknown, context: InvocationContext): Promise<unknown> {
    const module = this.manifest.uiModules.get(moduleKey);
    if (!module) throw new Error(`Forge sandbox: no UI module "${moduleKey}" in manifest.yml`);
    if (!module.resolverFunction) throw new Error(`Forge sandbox: module "${moduleKey}" declares no resolver function`);
    if (context.moduleKey !== moduleKey) {
      throw new Error(`Forge sandbox: context.moduleKey "${context.moduleKey}" does not match module "${moduleKey}"`);
    }
    if (context.extension.type !== module.type) {
      throw new Error(`Forge sandbox: extension.type "${context.extension.type}" is not "${module.type}"`);
    }
    const request = JSON.stringify(payload ?? {});
    if (Buffer.byteLength(request) > MAX_INVOKE_REQUEST_BYTES) {
      throw new Error('Forge sandbox: invoke payload exceeds the 500 KB Forge allows per request');
    }
    // The resolver context Forge builds (docs/platform.md §4 "Context shapes"); @forge/resolver then adds
    // installContext, accountId, license, jobId and installation from the second argument (out/index.js).
    const resolverContext = {
      accountId: context.accountId,
      cloudId: this.cloudId,
      localId: context.localId,
      moduleKey,
      siteUrl: this.options.siteUrl,
      extension: context.extension,
      // Forge always says both; a caller that names neither gets a site's defaults.
      locale: context.locale ?? DEFAULT_LOCALE,
      timezone: context.timezone ?? DEFAULT_TIMEZONE,
      installContext: this.installContext,
      environmentId: this.environmentId,
      environmentType: 'DEVELOPMENT',
    };
    const settled = await this.run(
      {
        kind: 'resolver',
        functionKey: module.resolverFunction,
        moduleKey,
        accountId: context.accountId,
        resolverKey: functionKey,
      },
      jsonRoundTrip({ call: { functionKey, payload: JSON.parse(request) as unknown }, context: resolverContext }),
      this.functionContext(context.accountId),
    );
    if (settled.kind === 'timeout') {
      throw new Error(`Function ${module.resolverFunction} timed out after ${this.limitSeconds('resolver')} s`);
    }
    // The bridge rejects invoke with the resolver's error message; the stack stays on the server.
    if (settled.kind === 'error') throw new Error(settled.error.message);
    const result = jsonRoundTrip(settled.value);
    if (result !== undefined && Buffer.byteLength(JSON.stringify(result)) > MAX_INVOKE_RESPONSE_BYTES) {
      throw new Error(`Function ${module.resolverFunction} returned more than the 5 MB Forge allows per response`);
    }
    return result;
  }

  async exportMacro(moduleKey: string, request: MacroExportRequest): Promise<unknown> {
    const module = this.manifest.uiModules.get(moduleKey);
    if (!module || module.type !== 'macro')
      throw new Error(`Forge sandbox: no macro module "${moduleKey}" in manifest.yml`);
    const functionKey = module.adfExportFunction;
    if (!functionKey) throw new Error(`Forge sandbox: macro "${moduleKey}" declares no adfExport function`);
    const extension: Record<string, unknown> = { ...request.extension, type: module.type };
    // What the export passes (the app's handler also accepts the config in the context, where the Word export
    // puts it): the export type, the macro's context as its resolver would see it, and the macro's own payload with
    // the saved config. The exporting user is the principal, as for a resolver.
    const event = jsonRoundTrip({
      exportType: request.exportType,
      context: {
        accountId: request.accountId,
        cloudId: this.cloudId,
        localId: request.localId,
        moduleKey,
        siteUrl: this.options.siteUrl,
        extension,
        locale: request.locale ?? DEFAULT_LOCALE,
        timezone: request.timezone ?? DEFAULT_TIMEZONE,
        installContext: this.installContext,
        environmentId: this.environmentId,
        environmentType: 'DEVELOPMENT',
      },
      extensionPayload: { config: extension.config, localId: request.localId },
    });
    const settled = await this.run(
      { kind: 'adfExport', functionKey, moduleKey, accountId: request.accountId },
      event,
      this.functionContext(request.accountId),
    );
    if (settled.kind === 'timeout') {
      throw new Error(`Function ${functionKey} timed out after ${this.limitSeconds('adfExport')} s`);
    }
    if (settled.kind === 'error') throw new Error(settled.error.message);
    const result = jsonRoundTrip(settled.value);
    if (result !== undefined && Buffer.byteLength(JSON.stringify(result)) > MAX_INVOKE_RESPONSE_BYTES) {
      throw new Error(`Function ${functionKey} returned more than the 5 MB Forge allows per response`);
    }
    return result;
  }

  async runScheduledTrigger(moduleKey: string): Promise<void> {
    const trigger = this.manifest.scheduledTriggers.get(moduleKey);
    if (!trigger) throw new Error(`Forge sandbox: no scheduledTrigger "${moduleKey}" in manifest.yml`);
    // Scheduled triggers run with no user (docs/platform.md §1 Scheduled triggers).
    const settled = await this.run(
      { kind: 'scheduledTrigger', functionKey: trigger.functionKey, moduleKey },
      { context: { cloudId: this.cloudId, moduleKey }, contextToken: randomUUID() },
      this.functionContext(undefined),
    );
    if (settled.kind === 'error') throw settled.error;
    if (settled.kind === 'timeout') throw new Error(`Scheduled trigger ${moduleKey} timed out`);
  }

  async deliverLifecycleEvent(
    eventType: 'avi:forge:installed:app' | 'avi:forge:upgraded:app',
    byAccountId: string,
  ): Promise<void> {
    const by = eventType === 'avi:forge:installed:app' ? 'installerAccountId' : 'upgraderAccountId';
    const payload = {
      id: this.installationId,
      [by]: byAccountId,
      app: { id: this.manifest.appId, version: APP_VERSION },
      environment: { id: this.environmentId },
    };
    for (const trigger of this.manifest.triggers) {
      if (!trigger.events.includes(eventType)) continue;
      const settled = await this.run(
        { kind: 'lifecycle', functionKey: trigger.functionKey, moduleKey: trigger.key },
        payload,
        this.functionContext(undefined),
      );
      if (settled.kind === 'error') throw settled.error;
      if (settled.kind === 'timeout') throw new Error(`Trigger ${trigger.key} timed out on ${eventType}`);
    }
  }

  drainQueue(): Promise<void> {
    return this.outstanding.idle();
  }

  startSchedules(): () => void {
    const timers = [...this.manifest.scheduledTriggers.values()].map((trigger) =>
      setInterval(
        () => {
          // Failures are in the invocation records; a schedule keeps ticking as Forge's does (no retry). The hold
          // lets drainQueue wait for a run the interval started.
          this.outstanding.hold();
          this.runScheduledTrigger(trigger.key)
            .catch(noop)
            .finally(() => this.outstanding.release());
        },
        INTERVAL_SECONDS[trigger.interval] * 1000 * this.scheduleScale,
      ),
    );
    const stop = (): void => {
      for (const timer of timers) clearInterval(timer);
      this.schedules.delete(stop);
    };
    this.schedules.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of [...this.schedules]) stop();
    this.jira.events.off('event', this.onJiraEvent);
    if (this.manifest.workflowValidators.some((v) => v.functionKey)) this.jira.setWorkflowValidator(null);
    this.queue.close();
    await Promise.allSettled([...this.inFlight]);
    this.kvs.close();
    await this.sql.close();
    if (current === this) current = undefined;
  }

  /** Answers one `__forge_fetch__` call made by the given invocation. */
  async serve(
    invocation: Invocation,
    meta: ForgeFetchMeta,
    path: string,
    init: RequestInit | undefined,
  ): Promise<Response> {
    if (this.closed) throw new Error('Forge sandbox: the runtime is closed');
    sampleMemory(invocation);
    const body = await bodyText(init?.body);
    if (meta.type === 'kvs') {
      const refusal = this.kvsLimits?.admit(path, Buffer.byteLength(body ?? '', 'utf8'));
      if (refusal) {
        return reply(429, {
          code: 'RATE_LIMIT_EXCEEDED',
          message: `This installation has exceeded the storage API's limit of ${refusal.refused}.`,
        });
      }
      const answer = this.kvs.handle(path, parseJson(body));
      this.kvsLimits?.charged(path, Buffer.byteLength(JSON.stringify(answer.body ?? null), 'utf8'));
      return reply(answer.status, answer.body);
    }
    if (meta.type === 'sql' && meta.remote === 'sql') {
      const answer = await this.sql.handle(path, body);
      return reply(answer.status, answer.body);
    }
    if (meta.remote === 'jira') return this.requestJira(invocation, meta, path, init, body);
    if (meta.remote === 'stargate' && path.startsWith('/webhook/queue/')) {
      const answer = this.queue.handle(path, parseJson(body), invocation.accountId);
      return reply(answer.status, answer.body);
    }
    throw new Error(
      `Forge sandbox: no stand-in for ${meta.remote ?? meta.type ?? 'this'} request ${path} ` +
        `(type ${meta.type ?? '-'}, provider ${meta.provider ?? '-'}); the sandbox serves Jira, KVS, Forge SQL and async events`,
    );
  }

  private async requestJira(
    invocation: Invocation,
    meta: ForgeFetchMeta,
    path: string,
    init: RequestInit | undefined,
    body: string | undefined,
  ): Promise<Response> {
    let principal: Principal;
    if (meta.provider === 'app') principal = { kind: 'app' };
    else if (meta.provider === 'user') {
      // asUser() sends no accountId; the proxy acts as the invocation's user (docs/platform.md §4). With none, Forge
      // answers with the forge-proxy-error header, which @forge/api turns into NeedsAuthenticationError.
      const accountId = meta.accountId ?? invocation.accountId;
      if (!accountId) return reply(401, undefined, { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' });
      principal = { kind: 'user', accountId };
    } else {
      throw new Error(
        `Forge sandbox: requestJira(${path}) without asUser() or asApp() (provider "${meta.provider ?? 'none'}"); ` +
          'say which identity the call acts as',
      );
    }
    const request: JiraRequest = {
      method: (init?.method ?? 'GET').toUpperCase(),
      path,
      headers: headerRecord(init?.headers),
      ...(body === undefined ? {} : { body }),
    };
    const answer = await this.jira.handle(request, principal, { app: true });
    return reply(answer.status, answer.body === '' ? undefined : answer.body, { ...answer.headers });
  }

  /** The context every function gets (platform-contracts.ts): the installation, and the user when there is one. */
  private functionContext(accountId: string | undefined): FunctionContext {
    return { installContext: this.installContext, ...(accountId ? { principal: { accountId } } : {}) };
  }

  private deliverProductEvent(event: JiraEvent): void {
    const selfGenerated = event.actor.kind === 'app';
    // The trigger payload Forge delivers (docs/platform.md §1 Triggers); JSON as it would arrive.
    const payload = jsonRoundTrip({
      eventType: event.eventType,
      selfGenerated,
      issue: event.issue,
      atlassianId: event.actor.kind === 'user' ? event.actor.accountId : undefined,
      changelog: event.changelog,
      timestamp: event.timestamp,
    });
    for (const trigger of this.manifest.triggers) {
      if (!trigger.events.includes(event.eventType)) continue;
      // filter.ignoreSelf: Forge does not invoke the trigger for changes the app made itself.
      if (trigger.ignoreSelf && selfGenerated) continue;
      this.outstanding.hold();
      // Product events arrive after the change, never inside the request that caused it.
      setImmediate(() => {
        this.run(
          { kind: 'trigger', functionKey: trigger.functionKey, moduleKey: trigger.key },
          payload,
          this.functionContext(undefined),
        )
          .catch(noop)
          .finally(() => this.outstanding.release());
      });
    }
  }

  private async runConsumer(
    consumer: ManifestConsumer,
    event: AsyncEventPayload,
    accountId: string | undefined,
  ): Promise<ConsumerOutcome> {
    // The consumer keeps the pushing invocation's user, so asUser() there acts as whoever caused the push.
    const settled = await this.run(
      { kind: 'consumer', functionKey: consumer.functionKey, moduleKey: consumer.key, accountId },
      jsonRoundTrip(event),
      this.functionContext(accountId),
    ).catch((error: unknown): Settled => ({ kind: 'error', error: errorOf(error) }));
    return settled.kind === 'ok' ? { kind: 'ok', value: jsonRoundTrip(settled.value) } : { kind: settled.kind };
  }

  private async validate(call: ValidatorCall): Promise<ValidatorResult> {
    for (const validator of this.manifest.workflowValidators) {
      if (!validator.functionKey) continue;
      // What a function validator receives (docs/platform.md §1 Workflow validator), run as the transitioning user.
      const input = {
        issue: { key: call.issue.key },
        configuration: call.configuration,
        transition: { from: { id: call.transition.from.id }, to: { id: call.transition.to.id } },
      };
      const settled = await this.run(
        { kind: 'validator', functionKey: validator.functionKey, moduleKey: validator.key, accountId: call.accountId },
        jsonRoundTrip(input),
        this.functionContext(call.accountId),
      );
      if (settled.kind !== 'ok') {
        const why = settled.kind === 'timeout' ? 'timed out' : `failed: ${settled.error.message}`;
        return { result: false, errorMessage: `Workflow validator ${validator.key} ${why}` };
      }
      const value = settled.value;
      if (!isRecord(value) || typeof value.result !== 'boolean') {
        return { result: false, errorMessage: `Workflow validator ${validator.key} returned no {result: boolean}` };
      }
      if (!value.result) {
        return {
          result: false,
          ...(typeof value.errorMessage === 'string' ? { errorMessage: value.errorMessage } : {}),
        };
      }
    }
    return { result: true };
  }

  private limitSeconds(kind: Kind, functionKey?: string): number {
    if (kind !== 'consumer' && kind !== 'scheduledTrigger') return DEFAULT_LIMIT_SECONDS;
    const declared = functionKey ? this.manifest.functions.get(functionKey)?.timeoutSeconds : undefined;
    return Math.min(declared ?? LONG_DEFAULT_SECONDS, LONG_MAX_SECONDS);
  }

  /**
   * Runs one function with `(payload, context)` under Forge's time limit, records it, and reports how it ended. Both
   * arguments must be exactly what Forge documents for the kind (platform-contracts.ts); the sandbox throws otherwise.
   */
  private async run(
    spec: { kind: Kind; functionKey: string; moduleKey: string; accountId?: string; resolverKey?: string },
    payload: unknown,
    context: FunctionContext,
  ): Promise<Settled> {
    const handler = this.handlers.get(spec.functionKey);
    if (!handler) throw new Error(`Forge sandbox: no function "${spec.functionKey}" in manifest.yml`);
    if (this.closed) throw new Error('Forge sandbox: the runtime is closed');
    assertDocumentedCall(spec.kind, payload, context);
    const call = (fn: Handler) => fn(payload, context);
    const limitMs = this.limitSeconds(spec.kind, spec.functionKey) * 1000 * this.timeLimitScale;
    const startedAt = new Date();
    const atStart = memoryInUse();
    const invocation: Invocation = {
      runtime: this,
      invocationId: randomUUID(),
      moduleKey: spec.moduleKey,
      functionKey: spec.functionKey,
      ...(spec.accountId ? { accountId: spec.accountId } : {}),
      deadline: startedAt.getTime() + limitMs,
      expired: false,
      memoryAtStart: atStart,
      memoryPeak: atStart,
    };
    // A synchronous throw becomes a rejection, as an async Forge handler's would.
    const work = invocations.run(invocation, () => new Promise<unknown>((done) => done(call(handler))));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Settled>((done) => {
      timer = setTimeout(() => done({ kind: 'timeout' }), limitMs);
    });
    const race = Promise.race([
      work.then(
        (value): Settled => ({ kind: 'ok', value }),
        (error: unknown): Settled => ({ kind: 'error', error: errorOf(error) }),
      ),
      deadline,
    ]);
    this.inFlight.add(race);
    const settled = await race;
    clearTimeout(timer);
    this.inFlight.delete(race);
    if (settled.kind === 'timeout') invocation.expired = true;
    sampleMemory(invocation);
    this.records.push({
      functionKey: spec.functionKey,
      moduleKey: spec.moduleKey,
      invocationId: invocation.invocationId,
      ...(spec.accountId ? { accountId: spec.accountId } : {}),
      ...(spec.resolverKey ? { resolverKey: spec.resolverKey } : {}),
      kind: spec.kind,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      outcome: settled.kind,
      ...(settled.kind === 'error' ? { error: settled.error.message } : {}),
      ...(settled.kind === 'timeout' ? { error: `exceeded ${limitMs} ms` } : {}),
      peakMemoryGrowthMb: (invocation.memoryPeak - invocation.memoryAtStart) / (1024 * 1024),
      memoryMB: this.manifest.functions.get(spec.functionKey)?.memoryMB ?? DEFAULT_MEMORY_MB,
    });
    return settled;
  }
}

/** Who and what an invocation scope opened by `runInInvocationScope` stands for. */
export interface InvocationScope {
  /** The invoking user (`asUser()` acts as them); absent for a no-user invocation such as a trigger. */
  readonly accountId?: string;
  readonly moduleKey: string;
  readonly functionKey: string;
  /** What `getRemainingTimeInMillis()` counts down from. */
  readonly limitMs: number;
}

/**
 * Runs `work` inside an invocation scope of `runtime`, as the body of one of its functions would run: `asUser()` acts
 * as `scope.accountId`, `__forge_runtime__` answers for the scope. It exists for tests of adapter code that calls the
 * SDKs directly, with no manifest function around it (sandbox/forge/testing/invocation.ts wraps it). Unlike a real
 * invocation the run is not recorded in `invocations()` and is not stopped at its deadline.
 * @throws {Error} when `runtime` was not made by `createForgeRuntime`; whatever `work` throws (requests it sends
 *   after the runtime closed are refused, as every invocation's are).
 */
export async function runInInvocationScope<T>(
  runtime: ForgeRuntime,
  scope: InvocationScope,
  work: () => Promise<T>,
): Promise<T> {
  if (!(runtime instanceof Runtime)) throw new Error('Forge sandbox: not a runtime made by createForgeRuntime');
  const invocation: Invocation = {
    runtime,
    invocationId: randomUUID(),
    moduleKey: scope.moduleKey,
    functionKey: scope.functionKey,
    ...(scope.accountId ? { accountId: scope.accountId } : {}),
    deadline: Date.now() + scope.limitMs,
    expired: false,
    memoryAtStart: 0,
    memoryPeak: 0,
  };
  return invocations.run(invocation, work);
}

/**
 * Loads the app at `options.appRoot` and returns its runtime. Sets `__forge_runtime__` and `__forge_fetch__` before
 * requiring the app, wires the manifest's triggers to `jira.events` and its function validators to
 * `jira.setWorkflowValidator`.
 * @throws {ManifestError} when manifest.yml cannot be run; Error when a handler file or export is missing.
 */
export function createForgeRuntime(options: ForgeRuntimeOptions): Promise<ForgeRuntime> {
  return Promise.resolve().then(() => new Runtime(loadManifest(resolve(options.appRoot)), options));
}
