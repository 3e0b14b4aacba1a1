/**
 * The Jira emulator: one store, one JQL engine, one set of routes, reachable two ways that behave the same — the
 * sandbox server mounts `plugin` at its root for browsers and REST clients, and the Forge runtime calls
 * `emulator.handle()`, which goes through the very same routes with `fastify.inject()`.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { FaultInjector } from './faults';
import { JqlEngine, type IndexedProperty, type IndexedValueType } from './jql';
import { Latency, type LatencyModel } from './latency';
import { type RateLimitOptions, RateLimiter } from './rate-limits';
import { JiraRenderer } from './render';
import {
  INTERNAL_SECRET_HEADER,
  jiraRoutes,
  PRINCIPAL_HEADER,
  type RequestLogEntry,
  type WorkflowValidator,
} from './routes';
import { CONSISTENT_VIEW, SearchIndex, type SearchLagModel } from './search-index';
import { principalId, type JiraStore, type StoreEvent } from './store';
import type { Clock } from './time';
import type {
  FaultPlan,
  JiraEmulator,
  JiraEmulatorEvents,
  JiraEvent,
  JiraRequest,
  JiraResponse,
  Principal,
} from './types';

/** What `createJiraEmulator` needs. */
export interface JiraEmulatorOptions {
  readonly store: JiraStore;
  /** The site's base URL (`http://localhost:8080`); every `self` link starts with it. */
  readonly siteUrl: string;
  /** The manifest's `jira:entityProperty` values (see `indexedPropertiesFromManifest`). */
  readonly indexedProperties?: readonly IndexedProperty[];
  /** JQL's `now()` and the rate-limit reset time; defaults to the store's clock. */
  readonly clock?: Clock;
  /** How `issue.property[k].path` treats paths no module indexes (jql.ts explains both). Default `empty`. */
  readonly unindexedPropertyPaths?: 'empty' | 'evaluate';
  /** Jira's rate limits on app traffic (rate-limits.ts); on with Atlassian's figures unless `false`. */
  readonly rateLimits?: RateLimitOptions | false;
  /** Time Jira takes to answer the app (latency.ts); none unless given. */
  readonly latency?: LatencyModel;
  /** How far `/search/jql` lags behind writes (search-index.ts); on with our figures unless `false`. */
  readonly searchLag?: SearchLagModel | false;
}

/** What `createJiraEmulator` returns. */
export interface JiraEmulatorHandle {
  readonly emulator: JiraEmulator;
  /** Mount at the server root: `server.register(plugin)`. */
  readonly plugin: FastifyPluginAsync;
  readonly store: JiraStore;
  readonly engine: JqlEngine;
  readonly renderer: JiraRenderer;
  /**
   * Lets the search index catch up with every change so far, as waiting out its delay would (tests that check what
   * JQL finds after a write, and seeds, which a real site would have indexed long ago).
   */
  settleSearchIndex(): void;
  /** Stops the in-process Fastify instance behind `handle` (the store stays open; close it yourself). */
  close(): Promise<void>;
}

/**
 * Builds the emulator over a store.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/
 */
export function createJiraEmulator(options: JiraEmulatorOptions): JiraEmulatorHandle {
  const { store } = options;
  const clock: Clock = options.clock ?? (() => store.now());
  const renderer = new JiraRenderer(store, options.siteUrl);
  const engine = new JqlEngine(store, {
    indexedProperties: options.indexedProperties ?? [],
    unindexedPropertyPaths: options.unindexedPropertyPaths ?? 'empty',
    now: clock,
  });
  const index =
    options.searchLag === false ? null : new SearchIndex(store, () => clock().getTime(), options.searchLag ?? {});
  if (index) store.onBeforeChange((issueId, created) => index.willChange(issueId, created));
  const faults = new FaultInjector(clock);
  let latency = options.latency ? new Latency(options.latency) : null;
  const limiter =
    options.rateLimits === false
      ? null
      : new RateLimiter(clock, options.rateLimits ?? {}, (idOrKey) => store.getIssue(idOrKey)?.id ?? idOrKey);
  const events = new EventEmitter<JiraEmulatorEvents>();
  const internalSecret = randomBytes(32).toString('hex');
  let validator: WorkflowValidator | null = null;
  let log: RequestLogEntry[] = [];

  store.onEvent((event: StoreEvent) => {
    const issue = event.deleted ?? store.getIssue(event.issueId);
    if (!issue) return;
    const jiraEvent: JiraEvent = {
      eventType: event.eventType,
      actor: event.actor,
      issue: { id: issue.id, key: issue.key, fields: renderer.issueFields(issue) },
      ...(event.changelog ? { changelog: { items: event.changelog } } : {}),
      ...(event.property ? { property: event.property } : {}),
      timestamp: event.timestamp,
    };
    events.emit('event', jiraEvent);
  });

  const plugin = jiraRoutes({
    store,
    engine,
    renderer,
    faults,
    internalSecret,
    searchView: (reconcile) => index?.view(reconcile) ?? CONSISTENT_VIEW,
    validator: () => validator,
    log: (entry) => log.push(entry),
  });

  let app: FastifyInstance | null = null;
  const inProcess = (): FastifyInstance => {
    if (!app) {
      app = Fastify({ logger: false });
      void app.register(plugin);
    }
    return app;
  };

  const emulator: JiraEmulator = {
    async handle(request: JiraRequest, principal: Principal, via?: { readonly app: boolean }): Promise<JiraResponse> {
      const limits = via?.app ? limiter : null;
      const admitted = limits?.admit(request.method, request.path);
      if (admitted?.refusal) {
        log.push({
          method: request.method.toUpperCase(),
          path: request.path,
          status: 429,
          principal: principalId(principal),
        });
        return { status: 429, headers: admitted.refusal.headers, body: admitted.refusal.body };
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        const lower = name.toLowerCase();
        if (lower !== PRINCIPAL_HEADER && lower !== INTERNAL_SECRET_HEADER) headers[lower] = value;
      }
      headers[PRINCIPAL_HEADER] = principalId(principal);
      headers[INTERNAL_SECRET_HEADER] = internalSecret;
      const response = await inProcess().inject({
        method: request.method.toUpperCase(),
        url: request.path,
        headers,
        ...(request.body !== undefined ? { payload: request.body } : {}),
      });
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      if (limits) Object.assign(out, limits.charge(request.method, request.path, response.statusCode, response.body));
      if (via?.app && latency) {
        const ms = latency.draw(Buffer.byteLength(response.body));
        await new Promise((done) => setTimeout(done, ms));
      }
      return { status: response.statusCode, headers: out, body: response.body };
    },
    rateLimits: () => limiter?.state() ?? null,
    searchIndexLagging: () => index?.lagging() ?? 0,
    setLatency(model) {
      latency = model ? new Latency(model) : null;
    },
    resetRateLimits() {
      limiter?.reset();
    },
    events,
    setWorkflowValidator(next) {
      validator = next;
    },
    setFaults(plan: FaultPlan | null) {
      faults.set(plan);
    },
    faultsInjected: () => faults.count(),
    requestLog: () => log,
    resetRequestLog() {
      log = [];
    },
  };

  return {
    emulator,
    plugin,
    store,
    engine,
    renderer,
    settleSearchIndex() {
      index?.settle();
    },
    async close() {
      if (app) await app.close();
      app = null;
    },
  };
}

const VALUE_TYPES: ReadonlySet<string> = new Set<IndexedValueType>(['string', 'number', 'date', 'text', 'user']);

/**
 * The indexed values a manifest declares (`modules['jira:entityProperty'][].values`, issue entities only), for
 * `indexedProperties`. Takes the parsed YAML so callers keep their own YAML parser.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 */
export function indexedPropertiesFromManifest(manifest: unknown): IndexedProperty[] {
  const modules = (manifest as { modules?: Record<string, unknown> } | null)?.modules;
  const entries = modules?.['jira:entityProperty'];
  if (!Array.isArray(entries)) return [];
  const out: IndexedProperty[] = [];
  for (const entry of entries as unknown[]) {
    const module = entry as { entityType?: unknown; propertyKey?: unknown; values?: unknown };
    if ((module.entityType ?? 'issue') !== 'issue' || typeof module.propertyKey !== 'string') continue;
    for (const value of Array.isArray(module.values) ? (module.values as unknown[]) : []) {
      const v = value as { path?: unknown; type?: unknown; searchAlias?: unknown };
      if (typeof v.path !== 'string' || typeof v.type !== 'string' || !VALUE_TYPES.has(v.type)) continue;
      out.push({
        propertyKey: module.propertyKey,
        path: v.path,
        type: v.type as IndexedValueType,
        ...(typeof v.searchAlias === 'string' ? { searchAlias: v.searchAlias } : {}),
      });
    }
  }
  return out;
}
