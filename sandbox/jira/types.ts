/**
 * The contract of the Jira emulator, shared by the Forge runtime shim (which routes `requestJira` here), the hosts
 * (bridge `fetchProduct`, pages) and the seed. The emulator speaks Jira Cloud REST v3 for what Tollgate calls and
 * nothing else; what it does not implement answers as Jira answers an unknown path.
 */
import type { EventEmitter } from 'node:events';
import type { LatencyModel } from './latency';
import type { RateLimitState } from './rate-limits';

/** Who a request acts as. `app` is the Forge app user (`asApp()`): it may browse and edit every project. */
export type Principal = { readonly kind: 'user'; readonly accountId: string } | { readonly kind: 'app' };

/** A REST request as the emulator receives it, in-process or over HTTP. `path` includes the query string. */
export interface JiraRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The emulator's answer; `headers` have lower-case names. */
export interface JiraResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Product events, as Forge delivers them to triggers (docs/platform.md §1 Triggers). */
export interface JiraEvent {
  readonly eventType:
    | 'avi:jira:created:issue'
    | 'avi:jira:updated:issue'
    | 'avi:jira:deleted:issue'
    | 'avi:jira:set:issue-property'
    | 'avi:jira:deleted:issue-property';
  /** Who caused it; triggers with `ignoreSelf` skip events caused by the app. */
  readonly actor: Principal;
  readonly issue: { readonly id: string; readonly key: string; readonly fields: Readonly<Record<string, unknown>> };
  readonly changelog?: {
    readonly items: ReadonlyArray<{
      field: string;
      fromString: string | null;
      toString: string | null;
      /** Added by the emulator, as Jira's changelog items carry them (`fieldId`, `fieldtype`, raw `from`/`to` ids). */
      fieldId?: string;
      fieldtype?: 'jira' | 'custom';
      from?: string | null;
      to?: string | null;
    }>;
  };
  readonly property?: { readonly key: string };
  readonly timestamp: string;
}

/** What a function-based workflow validator receives and returns (docs/platform.md §1 Workflow validator). */
export interface ValidatorCall {
  readonly issue: { readonly key: string };
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly transition: {
    readonly from: { readonly id: string };
    readonly to: { readonly id: string };
    readonly name: string;
  };
  /** The user making the transition; the validator runs with their context. */
  readonly accountId: string;
}
/** A validator's verdict; `errorMessage` is shown to the user when `result` is false. */
export interface ValidatorResult {
  readonly result: boolean;
  readonly errorMessage?: string;
}

/** Fault injection for tests and benchmarks: applied to REST calls before they are served. */
export interface FaultPlan {
  /** Added latency per request, in milliseconds. */
  readonly latencyMs?: number;
  /** Share of requests (0..1) that fail, or an exact number of next requests that fail. */
  readonly rate?: number;
  readonly next?: number;
  /** How they fail: Jira's 429 (with Retry-After seconds and RateLimit-Reason) or a 5xx. */
  readonly kind?: '429' | '500' | '502' | '503';
  readonly retryAfterSeconds?: number;
  /** Only requests whose path starts with this fail (default: every /rest/ path). */
  readonly pathPrefix?: string;
  /** Seed of the PRNG that decides which requests fail at `rate`, so a run is reproducible (default 1). */
  readonly seed?: number;
}

/** The events `JiraEmulator.events` emits. */
export interface JiraEmulatorEvents {
  event: [JiraEvent];
}

/** The running emulator. */
export interface JiraEmulator {
  /**
   * Serves one request as the principal, in-process, through the same routes as HTTP. `app` marks the traffic of a
   * Forge app (its functions and its Custom UI's `requestJira`): that is what Jira's rate limits and latency apply to.
   */
  handle(request: JiraRequest, principal: Principal, via?: { readonly app: boolean }): Promise<JiraResponse>;
  /** The app's rate limits as they stand (null when switched off). */
  readonly rateLimits: () => RateLimitState | null;
  /** Issues whose latest change `/search/jql` does not show yet (the index's lag). */
  readonly searchIndexLagging: () => number;
  /** Switches the latency model of the app's traffic (null: none), e.g. for a benchmark's billed phase. */
  setLatency(model: LatencyModel | null): void;
  /** Starts a fresh rate-limit hour with nothing spent (benchmarks bill each interaction on its own). */
  resetRateLimits(): void;
  /** Product events (issue created/updated, property set/deleted), emitted after the change is stored. */
  readonly events: EventEmitter<JiraEmulatorEvents>;
  /** Registers the validator Jira runs on transitions (the Forge runtime wires the manifest's validators here). */
  setWorkflowValidator(validator: ((call: ValidatorCall) => Promise<ValidatorResult>) | null): void;
  /** Replaces the fault plan; `null` switches faults off. Returns how many faults have been injected so far. */
  setFaults(plan: FaultPlan | null): void;
  readonly faultsInjected: () => number;
  /** Requests served since start (or the last reset), by `METHOD /rest/path-template`, for request-count tests. */
  readonly requestLog: () => ReadonlyArray<{ method: string; path: string; status: number; principal: string }>;
  resetRequestLog(): void;
}
