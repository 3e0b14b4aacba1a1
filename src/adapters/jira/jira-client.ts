/**
 * The one way Tollgate talks to Jira: `requestJira(route`…`)` through @forge/api, with Jira's answers turned into the
 * app's typed errors (src/app/errors.ts) here and nowhere else (docs/conventions.md rules 4–6 and 9).
 *
 * Identity. Every call states whom it acts for (`Acting`); this module never picks the stronger identity itself.
 * - `{ as: 'user' }` → `api.asUser()`: reads run as the person, so Jira's own permission schemes decide what they
 *   see and Tollgate never shows a project Jira would hide from them (docs/architecture.md §5).
 * - `{ as: 'app' }` → `api.asApp()`: for contexts with no user (triggers, the scheduled recompute, queue consumers)
 *   and for governance writes that the use case has already authorised with an explicit permission check. The app
 *   signs what it writes (docs/architecture.md §4), so the writer of record is the app, not whoever could also edit the
 * issue.
 *
 * `asUser()` names no account: Forge's proxy acts as the invoking user. Naming one is impersonation, which Forge
 * allows only with `allowImpersonation` scopes, so an account is named only when the call is for someone other than
 * the invoking user (or there is none); without that grant Forge then refuses, which is right — answering with the
 * invoking user's rights for another person would be a silent permission bug.
 *
 * Failures. 404 → NotFoundError, 401/403 → ForbiddenError, 400 and other 4xx → JiraRejectedError with Jira's own
 * messages. 429, 5xx and requests that got no answer are retried: `Retry-After` (seconds) is always waited out, plus
 * exponential backoff with full jitter so that many clients refused together do not return together; retries stop
 * after a bounded count and a bounded total wait that leaves room in Forge's 25 s invocation, and end in
 * UnavailableError. Every call Tollgate sends is idempotent (reads, property PUT and DELETE), so a retry never
 * applies anything twice. Forge's own refusals (consent needed, endpoint not allowed) pass through untouched: the
 * platform acts on NeedsAuthenticationError by asking the user for consent.
 *
 * Bodies. A 2xx body is checked against a narrow zod schema (jira-schemas.ts); one that does not match is a
 * JiraResponseShapeError naming the operation, never an unchecked cast.
 */
import api, {
  __getRuntime,
  NeedsAuthenticationError,
  NotAllowedError,
  type APIResponse,
  type RequestInit,
  type Route,
} from '@forge/api';
import { type z } from 'zod';
import { ForbiddenError, JiraRejectedError, NotFoundError, TollgateError, UnavailableError } from '../../app/errors';
import { type Acting } from '../../app/ports';
import { describeProblems, jiraErrorBodySchema } from './jira-schemas';

/** The HTTP methods Tollgate sends; all of them idempotent in the way Tollgate uses them. */
export type JiraMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request to Jira. */
export interface JiraCall {
  /** What the call does, as words for people: it completes "Jira could not …" in error messages. */
  readonly operation: string;
  readonly acting: Acting;
  readonly method: JiraMethod;
  /** Built with `route`, so path parameters cannot walk out of their segment. */
  readonly path: Route;
  /** Sent as JSON when present (`null` included). */
  readonly body?: unknown;
}

/** How a request reaches Jira. The default goes through @forge/api; tests may wrap it to tamper with answers. */
export type JiraTransport = (acting: Acting, path: Route, init: RequestInit) => Promise<APIResponse>;

/** Retry policy and the seams tests replace. */
export interface JiraClientOptions {
  readonly transport?: JiraTransport;
  /** Retries after the first attempt; default 4. */
  readonly maxRetries?: number;
  /** Total time all retries of one call may wait; default 10 s, well inside Forge's 25 s invocation limit. */
  readonly retryBudgetMs?: number;
  /** First backoff step, doubled on every retry up to `maxBackoffMs`; defaults 500 ms and 4 s. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Time kept free at the end of the invocation for the work after the call; default 5 s. */
  readonly reserveMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): the jitter. */
  readonly random?: () => number;
  /** Time left in the current invocation; by default Forge's `getRemainingTimeInMillis`, unknown outside one. */
  readonly remainingTimeMs?: () => number | undefined;
}

/** Sends calls and reads their answers; every failure is one of the app's typed errors. */
export interface JiraClient {
  /**
   * Sends the call and returns its JSON body as `schema` reads it.
   * @throws {NotFoundError} 404 · {ForbiddenError} 401/403 · {JiraRejectedError} 400 and other 4xx ·
   *   {UnavailableError} 429/5xx/no answer after the retries · {JiraResponseShapeError} a body `schema` refuses.
   */
  read<T>(call: JiraCall, schema: z.ZodType<T>): Promise<T>;
  /**
   * Sends the call for its effect; the body of the answer is not read.
   * @throws {NotFoundError} 404 · {ForbiddenError} 401/403 · {JiraRejectedError} 400 and other 4xx ·
   *   {UnavailableError} 429/5xx/no answer after the retries.
   */
  send(call: JiraCall): Promise<void>;
}

/** Jira answered, successfully, with a body Tollgate cannot read: retrying will not help, reporting will. */
export class JiraResponseShapeError extends UnavailableError {
  constructor(
    readonly operation: string,
    readonly problem: string,
  ) {
    super(
      `Jira answered "${operation}" in a shape Tollgate cannot read (${problem}). ` +
        'Please tell your Jira administrator; trying again will not help.',
    );
  }
}

const DEFAULTS = {
  maxRetries: 4,
  retryBudgetMs: 10_000,
  baseBackoffMs: 500,
  maxBackoffMs: 4_000,
  reserveMs: 5_000,
} as const;

const RATE_LIMITED = 429;

/** An attempt worth repeating: what went wrong, and how long Jira asked to be left alone (0: it did not say). */
interface Retryable {
  readonly failure: string;
  readonly retryAfterMs: number;
}

function isRetryable(status: number): boolean {
  return status === RATE_LIMITED || status >= 500;
}

/** A runtime field read defensively: outside an invocation (or outside Forge) there is none. */
function fromRuntime<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function sleepFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The requester for an identity. The invoking user's account is read the way @forge/api's own `authorize()` reads
 * it (`__getRuntime().aaid`).
 */
function requesterFor(acting: Acting): {
  readonly requestJira: (path: Route, init?: RequestInit) => Promise<APIResponse>;
} {
  if (acting.as === 'app') return api.asApp();
  const invoking = fromRuntime(() => __getRuntime().aaid);
  return invoking === acting.accountId ? api.asUser() : api.asUser(acting.accountId);
}

/**
 * Sends through @forge/api as the stated identity (see the module header).
 * @see https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestjira/
 * @throws whatever `requestJira` throws: NeedsAuthenticationError, NotAllowedError, network failures.
 */
export const forgeTransport: JiraTransport = (acting, path, init) => requesterFor(acting).requestJira(path, init);

/** `Retry-After` in milliseconds: delta-seconds (what Jira sends) or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Jira's explanation of a refusal, as sentences: errorMessages, then the values of `errors`, then other forms. */
function jiraMessages(text: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // An edge proxy's HTML page, or nothing: there is no explanation to pass on.
    return [];
  }
  const parsed = jiraErrorBodySchema.safeParse(body);
  if (!parsed.success) return [];
  const { errorMessages, errors, message, detail } = parsed.data;
  return [...errorMessages, ...Object.values(errors), ...(message ? [message] : []), ...(detail ? [detail] : [])];
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Failures no retry can change: Forge asking for the user's consent or refusing an endpoint the manifest does not
 * allow, and errors a transport has already translated.
 */
function isFinal(error: unknown): boolean {
  return (
    error instanceof NeedsAuthenticationError || error instanceof NotAllowedError || error instanceof TollgateError
  );
}

/**
 * Jira's refusal as the app's error: the single place where HTTP statuses get their meaning (docs/conventions.md rule
 * 6).
 */
async function refusal(call: JiraCall, response: APIResponse): Promise<TollgateError> {
  const messages = jiraMessages(await response.text().catch(() => ''));
  const status = `${response.status} ${response.statusText}`.trim();
  const said = messages.length > 0 ? messages.join(' ') : `Jira answered ${status}.`;
  if (response.status === 404) return new NotFoundError(`Jira could not ${call.operation}: ${said}`);
  if (response.status === 401 || response.status === 403) {
    return new ForbiddenError(`Jira did not let you ${call.operation}: ${said}`);
  }
  if (response.status >= 400 && response.status < 500) {
    return new JiraRejectedError(messages.length > 0 ? messages : [`Jira refused to ${call.operation} (${status}).`]);
  }
  return new UnavailableError(
    `Jira could not ${call.operation}: it answered ${status}, which Tollgate does not expect.`,
  );
}

/**
 * Builds the client. Options only tune retries and replace seams; the defaults suit a Forge function.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 * @throws never; the client's methods throw the app's typed errors.
 */
export function createJiraClient(options: JiraClientOptions = {}): JiraClient {
  const transport = options.transport ?? forgeTransport;
  const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
  const retryBudgetMs = options.retryBudgetMs ?? DEFAULTS.retryBudgetMs;
  const baseBackoffMs = options.baseBackoffMs ?? DEFAULTS.baseBackoffMs;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULTS.maxBackoffMs;
  const reserveMs = options.reserveMs ?? DEFAULTS.reserveMs;
  const sleep = options.sleep ?? sleepFor;
  const random = options.random ?? Math.random;
  const remainingTimeMs =
    options.remainingTimeMs ?? (() => fromRuntime(() => __getRuntime().lambdaContext.getRemainingTimeInMillis()));

  /** One attempt: Jira's answer when it is one to keep, or why another attempt may do better. */
  async function attempt(call: JiraCall, init: RequestInit): Promise<APIResponse | Retryable> {
    let response: APIResponse;
    try {
      response = await transport(call.acting, call.path, init);
    } catch (error) {
      if (isFinal(error)) throw error;
      return { failure: describeError(error), retryAfterMs: 0 };
    }
    if (response.ok) return response;
    if (!isRetryable(response.status)) throw await refusal(call, response);
    // Read the body so the connection is released before the wait.
    await response.text().catch(() => '');
    return {
      failure: `${response.status} ${response.statusText}`.trim(),
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')) ?? 0,
    };
  }

  /** Sends until Jira answers with something other than 429/5xx, or the retries or the time for them run out. */
  async function exchange(call: JiraCall): Promise<APIResponse> {
    const init: RequestInit = {
      method: call.method,
      headers:
        call.body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    };
    let waitedMs = 0;
    for (let attempts = 1; ; attempts += 1) {
      const outcome = await attempt(call, init);
      if (!('failure' in outcome)) return outcome;
      const { failure, retryAfterMs: floorMs } = outcome;
      if (attempts > maxRetries) {
        throw new UnavailableError(
          `Jira could not ${call.operation}: it is busy or unreachable (${failure}) and still was after ` +
            `${attempts} attempts. Please try again in a minute.`,
        );
      }
      const remaining = remainingTimeMs();
      const leftMs = Math.min(retryBudgetMs - waitedMs, remaining === undefined ? Infinity : remaining - reserveMs);
      if (floorMs > 0 && floorMs > leftMs) {
        throw new UnavailableError(
          `Jira could not ${call.operation}: it asked Tollgate to wait ${Math.ceil(floorMs / 1000)} s (${failure}), ` +
            'longer than this request has left. Please try again in a minute.',
        );
      }
      if (leftMs <= 0) {
        throw new UnavailableError(
          `Jira could not ${call.operation}: it is busy or unreachable (${failure}) and this request has no time ` +
            'left to try again. Please try again in a minute.',
        );
      }
      // Full jitter on the exponential step, on top of the wait Jira asked for, which is always honoured.
      const backoffMs = random() * Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempts - 1));
      const waitMs = Math.min(floorMs + backoffMs, leftMs);
      await sleep(waitMs);
      waitedMs += waitMs;
    }
  }

  return {
    async read<T>(call: JiraCall, schema: z.ZodType<T>): Promise<T> {
      const response = await exchange(call);
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new JiraResponseShapeError(call.operation, 'the body is not JSON');
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new JiraResponseShapeError(call.operation, describeProblems(parsed.error));
      return parsed.data;
    },

    async send(call: JiraCall): Promise<void> {
      const response = await exchange(call);
      await response.text().catch(() => '');
    },
  };
}
