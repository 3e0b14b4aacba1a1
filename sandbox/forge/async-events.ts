/**
 * The in-process stand-in for Forge's async event queues. @forge/events `Queue.push` posts to
 * `/webhook/queue/publish/{contextAri}/{environmentId}/{appId}/{appVersion}` (placeholders sent literally, filled in by
 * the real proxy) with `{queueName, jobId, type, schema, payload: [{body, delayInSeconds?, concurrency?}], time}` and
 * expects 201 (node_modules/@forge/events/out/queue.js `push`, queries.js `PUSH_PATH`, validators.js
 * `validatePushAPIResponse`). Each event then reaches the manifest's consumer as `{body, queueName, jobId, eventId,
 * retryContext?}` (out/types.d.ts `AsyncEvent`). `getStats` and `cancel` use the sibling `stats`/`cancel` paths and
 * expect 200 `{success, inProgress, failed}` and 204 (out/jobProgress.js).
 *
 * Retries: a consumer that returns an `InvocationError` (serialised `{_retry: true, retryOptions}`, out/invocationError.js)
 * is retried after `retryAfter` seconds with `retryContext {retryCount, retryReason, retryData}`; one that throws or
 * times out is retried with exponential back-off (1, 2, 4, 8 … s, at most 60 s; a sandbox choice, the docs give no
 * schedule), reason `FUNCTION_PLATFORM_UNKNOWN_ERROR` or `FUNCTION_TIME_OUT` (out/invocationErrorCode.js). After
 * `maxRetries` retries the event counts as failed.
 */
import { randomUUID } from 'node:crypto';
import type { Outstanding } from './outstanding';
import type { ManifestConsumer } from './types';

/** What one consumer run came to, as the runtime reports it. */
export type ConsumerOutcome =
  { readonly kind: 'ok'; readonly value: unknown } | { readonly kind: 'error' } | { readonly kind: 'timeout' };

/** The event a consumer receives (@forge/events `AsyncEvent`). */
export interface AsyncEventPayload {
  readonly body: Record<string, unknown>;
  readonly queueName: string;
  readonly jobId: string;
  readonly eventId: string;
  readonly delayInSeconds?: number;
  readonly concurrency?: unknown;
  readonly retryContext?: { readonly retryCount: number; readonly retryReason: string; readonly retryData?: unknown };
}

export interface AsyncEventQueueOptions {
  readonly consumers: readonly ManifestConsumer[];
  /** Runs the consumer function; never rejects (failures come back as outcomes). */
  readonly deliver: (
    consumer: ManifestConsumer,
    event: AsyncEventPayload,
    accountId: string | undefined,
  ) => Promise<ConsumerOutcome>;
  readonly outstanding: Outstanding;
  readonly timeScale: number;
  readonly maxRetries: number;
  /** Forge's per-installation limits; null switches them off. */
  readonly limits: QueueLimitOptions | null;
  readonly now: () => number;
}

/**
 * Forge's async-event limits per installation (developer.atlassian.com/platform/forge/limits-async-events): 500 events
 * pushed a minute, past which the push is answered 429 and @forge/events throws `RateLimitError` ("retry adding events
 * after a minute"). An event's `concurrency {key, limit}` lets at most `limit` events with that key run at once; the
 * rest wait and are retried by the platform with a back-off that is invisible to the app (Atlassian's answer in the
 * developer community, "Questions about the new concurrency limits", 2025-07: delays of seconds, at most 15 minutes).
 */
export interface QueueLimitOptions {
  readonly eventsPerMinute?: number;
}

export const EVENTS_PER_MINUTE = 500;
/** The first wait of an event held back by its concurrency key; doubled per wait up to MAX_BACKOFF_SECONDS. */
const CONCURRENCY_WAIT_SECONDS = 1;

/** An HTTP answer for the SDK. */
export interface QueueReply {
  readonly status: number;
  readonly body?: unknown;
}

interface Job {
  success: number;
  inProgress: number;
  failed: number;
  readonly pending: Map<NodeJS.Timeout, () => void>;
}

const MAX_BACKOFF_SECONDS = 60;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function retryRequest(value: unknown): { retryAfter: number; retryReason: string; retryData?: unknown } | undefined {
  // `{_retry: true}` is both InvocationError's and a retried QueueResponse's shape (out/queueResponse.js).
  if (!isRecord(value) || value._retry !== true) return undefined;
  const options = isRecord(value.retryOptions) ? value.retryOptions : {};
  const after = typeof options.retryAfter === 'number' && options.retryAfter > 0 ? options.retryAfter : 1;
  return {
    retryAfter: after,
    retryReason: typeof options.retryReason === 'string' ? options.retryReason : 'FUNCTION_RETRY_REQUEST',
    ...('retryData' in options ? { retryData: options.retryData } : {}),
  };
}

/** An event's concurrency slot, when it names a usable one (a key and a limit of at least 1). */
function concurrencyOf(event: AsyncEventPayload): { key: string; limit: number } | undefined {
  const value = event.concurrency;
  if (!isRecord(value) || typeof value.key !== 'string' || typeof value.limit !== 'number') return undefined;
  return value.limit >= 1 ? { key: value.key, limit: Math.floor(value.limit) } : undefined;
}

/** Queues pushed events and delivers them to the manifest's consumers with Forge's retry contract. */
export class AsyncEventQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Map<string, number>();
  private minute = -1;
  private pushedThisMinute = 0;
  private closed = false;

  constructor(private readonly options: AsyncEventQueueOptions) {}

  /** Forgets this minute's pushes, as a later minute would (for a benchmark that stands in for minutes passing). */
  resetPushQuota(): void {
    this.pushedThisMinute = 0;
  }

  /** Serves a stargate `/webhook/queue/...` request from @forge/events; `accountId` is the pushing invocation's user. */
  handle(path: string, body: unknown, accountId: string | undefined): QueueReply {
    if (!isRecord(body)) return { status: 400, body: { message: 'Request body must be a JSON object' } };
    if (path.startsWith('/webhook/queue/publish/')) return this.publish(body, accountId);
    if (path.startsWith('/webhook/queue/stats/')) return this.stats(body);
    if (path.startsWith('/webhook/queue/cancel/')) return this.cancel(body);
    return { status: 404, body: { message: `No queue operation at ${path}` } };
  }

  /** Drops every event not yet delivered; in-flight deliveries finish on their own. */
  close(): void {
    this.closed = true;
    for (const job of this.jobs.values()) this.dropPending(job);
  }

  private publish(request: Record<string, unknown>, accountId: string | undefined): QueueReply {
    const { queueName, jobId, payload } = request;
    if (typeof queueName !== 'string' || typeof jobId !== 'string' || !Array.isArray(payload)) {
      return { status: 400, body: { message: 'Expected {queueName, jobId, payload: [...]}' } };
    }
    const consumer = this.options.consumers.find((c) => c.queue === queueName);
    if (!consumer) {
      // Nothing would ever process these events; failing the push makes the manifest mistake visible at once.
      return { status: 404, body: { message: `No consumer module in manifest.yml listens on queue "${queueName}"` } };
    }
    const events = payload.filter(isRecord);
    if (events.length !== payload.length || !events.every((e) => isRecord(e.body))) {
      return { status: 400, body: { message: 'Every event needs an object body' } };
    }
    const perMinute = this.options.limits ? (this.options.limits.eventsPerMinute ?? EVENTS_PER_MINUTE) : Infinity;
    const minute = Math.floor(this.options.now() / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.pushedThisMinute = 0;
    }
    if (this.pushedThisMinute + events.length > perMinute) {
      return { status: 429, body: { message: `More than ${perMinute} events pushed in one minute` } };
    }
    this.pushedThisMinute += events.length;
    const job: Job = this.jobs.get(jobId) ?? { success: 0, inProgress: 0, failed: 0, pending: new Map() };
    this.jobs.set(jobId, job);
    for (const event of events) {
      const delay = typeof event.delayInSeconds === 'number' ? event.delayInSeconds : 0;
      const asyncEvent: AsyncEventPayload = {
        body: event.body as Record<string, unknown>,
        queueName,
        jobId,
        eventId: randomUUID(),
        ...(delay > 0 ? { delayInSeconds: delay } : {}),
        ...(event.concurrency !== undefined ? { concurrency: event.concurrency } : {}),
      };
      job.inProgress += 1;
      this.options.outstanding.hold();
      this.schedule(job, consumer, asyncEvent, accountId, delay);
    }
    return { status: 201, body: { jobId } };
  }

  private stats(request: Record<string, unknown>): QueueReply {
    const job = typeof request.jobId === 'string' ? this.jobs.get(request.jobId) : undefined;
    if (!job) return { status: 404, body: { message: 'Job not found' } };
    return { status: 200, body: { success: job.success, inProgress: job.inProgress, failed: job.failed } };
  }

  private cancel(request: Record<string, unknown>): QueueReply {
    const job = typeof request.jobId === 'string' ? this.jobs.get(request.jobId) : undefined;
    if (!job) return { status: 404, body: { message: 'Job not found' } };
    this.dropPending(job);
    return { status: 204 };
  }

  private dropPending(job: Job): void {
    for (const [timer, drop] of job.pending) {
      clearTimeout(timer);
      drop();
    }
    job.pending.clear();
  }

  private schedule(
    job: Job,
    consumer: ManifestConsumer,
    event: AsyncEventPayload,
    accountId: string | undefined,
    delaySeconds: number,
    waits = 0,
  ): void {
    const drop = (): void => {
      job.inProgress -= 1;
      this.options.outstanding.release();
    };
    if (this.closed) {
      drop();
      return;
    }
    const timer = setTimeout(
      () => {
        job.pending.delete(timer);
        void this.attempt(job, consumer, event, accountId, waits);
      },
      delaySeconds * 1000 * this.options.timeScale,
    );
    job.pending.set(timer, drop);
  }

  private async attempt(
    job: Job,
    consumer: ManifestConsumer,
    event: AsyncEventPayload,
    accountId: string | undefined,
    waits = 0,
  ): Promise<void> {
    const slot = concurrencyOf(event);
    if (slot && (this.running.get(slot.key) ?? 0) >= slot.limit) {
      // Held back by its concurrency key: not a delivery, so not a retry the consumer sees.
      const wait = Math.min(CONCURRENCY_WAIT_SECONDS * 2 ** waits, MAX_BACKOFF_SECONDS);
      this.schedule(job, consumer, event, accountId, wait, waits + 1);
      return;
    }
    if (slot) this.running.set(slot.key, (this.running.get(slot.key) ?? 0) + 1);
    let outcome: ConsumerOutcome;
    try {
      outcome = await this.options.deliver(consumer, event, accountId);
    } finally {
      if (slot) this.running.set(slot.key, (this.running.get(slot.key) ?? 1) - 1);
    }
    const retryCount = (event.retryContext?.retryCount ?? 0) + 1;
    let retry: { retryAfter: number; retryReason: string; retryData?: unknown } | undefined;
    if (outcome.kind === 'ok') retry = retryRequest(outcome.value);
    else {
      const backoff = Math.min(2 ** (retryCount - 1), MAX_BACKOFF_SECONDS);
      const reason = outcome.kind === 'timeout' ? 'FUNCTION_TIME_OUT' : 'FUNCTION_PLATFORM_UNKNOWN_ERROR';
      retry = { retryAfter: backoff, retryReason: reason };
    }
    if (!retry) {
      job.success += 1;
      job.inProgress -= 1;
      this.options.outstanding.release();
      return;
    }
    if (retryCount > this.options.maxRetries) {
      job.failed += 1;
      job.inProgress -= 1;
      this.options.outstanding.release();
      return;
    }
    const { retryAfter, ...context } = retry;
    // The event stays in progress and keeps the hold taken at push, so drainQueue waits for the retry too.
    this.schedule(job, consumer, { ...event, retryContext: { retryCount, ...context } }, accountId, retryAfter);
  }
}
