/**
 * QueuePort over Forge async events (@forge/events v3 `Queue`): background recomputes of `tollgate-health`, fanned
 * out in jobs of at most 100 issues so each consumer run fits its time limit (docs/architecture.md §5, issue 4
 * "Scheduled"). A push carries at most 50 events and 200 KB of JSON; the SDK refuses more before sending anything
 * (node_modules/@forge/events/out/validators.js `validatePushEvents`), so pushes are planned to stay inside both.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 */
import { Queue, RateLimitError } from '@forge/events';
import { z } from 'zod';
import { type QueuePort, RECOMPUTE_REASONS, type SweepStep } from '../../app/ports';

/** Issues per job: one consumer run recomputes at most this many (one search page). */
export const MAX_ISSUES_PER_JOB = 100;
/**
 * How many recompute runs may go at once on one installation (the events' `concurrency`). A run reads 100 projects'
 * search pages (≈ 1.3 MB each, Jira's burst and points quota) and their ledgers (2+ KVS requests each, against 4,000
 * read units a minute): without a limit a 10,000-project daily run starts 100 consumers at once and spends the
 * installation's storage minute in seconds. Two keep a full daily run within the limits and finish 50,000 projects in
 * well under an hour.
 */
export const RECOMPUTE_CONCURRENCY = { key: 'tollgate-recompute', limit: 2 } as const;
/**
 * A sweep's steps run one at a time (sweep-use-case.ts): each lists a page and pushes the next step, so a second one
 * running beside it could only repeat its pages.
 */
export const SWEEP_CONCURRENCY = { key: 'tollgate-sweep', limit: 1 } as const;
/** Waits before pushing again after Forge's 500-events-a-minute refusal ("retry after a minute"). */
export const PUSH_RETRY_WAIT_MS = 60_000;
const PUSH_ATTEMPTS = 6;

/** What one `Queue.push` may carry (@forge/events out/validators.js MAXIMUM_EVENTS, MAXIMUM_PAYLOAD_SIZE_KB). */
export const FORGE_PUSH_LIMITS: PushLimits = { maxEvents: 50, maxBytes: 200 * 1024 };

export interface PushLimits {
  readonly maxEvents: number;
  /** Measured as the SDK measures: UTF-8 bytes of `JSON.stringify(events)`. */
  readonly maxBytes: number;
}

/** The body of one recompute event; the consumer validates what it receives with this schema. */
/**
 * How often a project is tried when the platform was too busy for it (Forge storage's minute spent, Jira
 * unavailable): the first time and twice more, each RETRY_DELAY_SECONDS later, by which time the minute has turned.
 */
export const RECOMPUTE_ATTEMPTS = 3;
/** How long a retried job waits in the queue (Forge allows up to 900 s). */
export const RETRY_DELAY_SECONDS = 90;

/** The body of one sweep event: a step of a sweep through a long list (app/ports.ts `SweepStep`). */
export const sweepStepSchema = z.strictObject({
  listing: z.enum(['rows', 'registry', 'strays']),
  reason: z.enum(['reconcile', 'rejudge']),
  listRegistry: z.boolean(),
  // A row id (≤ 18 digits) or Jira's opaque nextPageToken, which Atlassian gives no length for.
  cursor: z.string().min(1).max(8_192).optional(),
}) satisfies z.ZodType<SweepStep>;

export const recomputeJobSchema = z.object({
  issueIds: z
    .array(z.string().regex(/^\d{1,18}$/, 'a numeric Jira issue id'))
    .min(1)
    .max(MAX_ISSUES_PER_JOB),
  reason: z.enum(RECOMPUTE_REASONS),
  /** 2 or more for projects a busy platform refused before (see `RECOMPUTE_ATTEMPTS`); absent the first time. */
  attempt: z.number().int().min(2).max(RECOMPUTE_ATTEMPTS).optional(),
});
export type RecomputeJob = z.infer<typeof recomputeJobSchema>;
export type RecomputeReason = RecomputeJob['reason'];

/** One job as it is pushed: its body and the concurrency key every recompute shares. */
export function pushEvent(
  body: RecomputeJob,
  { delayInSeconds }: { readonly delayInSeconds?: number } = {},
): {
  body: RecomputeJob;
  concurrency: { key: string; limit: number };
  delayInSeconds?: number;
} {
  const delay = delayInSeconds ?? (body.attempt !== undefined ? RETRY_DELAY_SECONDS : undefined);
  return {
    body,
    concurrency: { ...RECOMPUTE_CONCURRENCY },
    ...(delay !== undefined ? { delayInSeconds: delay } : {}),
  };
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * The pushes `recompute` makes: the ids, without duplicates and in the order given, cut into jobs of ≤ 100 ids, and
 * the jobs grouped into pushes within `limits`. With numeric ids an event is ≈ 2 KB, so the 50-event cap binds long
 * before the 200 KB one; the byte check keeps that true if the body ever grows.
 * @throws {TypeError} when an id is not a numeric Jira issue id or the reason is unknown.
 */
export function planRecomputePushes(
  issueIds: readonly string[],
  reason: RecomputeReason,
  limits: PushLimits = FORGE_PUSH_LIMITS,
  attempt?: number,
): ReadonlyArray<readonly RecomputeJob[]> {
  const unique = [...new Set(issueIds)];
  const jobs: RecomputeJob[] = [];
  for (let start = 0; start < unique.length; start += MAX_ISSUES_PER_JOB) {
    const parsed = recomputeJobSchema.safeParse({
      issueIds: unique.slice(start, start + MAX_ISSUES_PER_JOB),
      reason,
      ...(attempt !== undefined && attempt > 1 ? { attempt } : {}),
    });
    if (!parsed.success) throw new TypeError(`Recompute job is invalid: ${z.prettifyError(parsed.error)}`);
    jobs.push(parsed.data);
  }
  const pushes: RecomputeJob[][] = [];
  let current: RecomputeJob[] = [];
  // The events array's JSON: `[` and `]`, each event, and a comma before every event but the first.
  let bytes = 2;
  for (const job of jobs) {
    const size = jsonBytes(pushEvent(job));
    if (2 + size > limits.maxBytes) {
      throw new TypeError(`One recompute job is ${size} bytes of JSON; a push takes at most ${limits.maxBytes}`);
    }
    if (current.length > 0 && (current.length === limits.maxEvents || bytes + 1 + size > limits.maxBytes)) {
      pushes.push(current);
      current = [];
      bytes = 2;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(job);
  }
  if (current.length > 0) pushes.push(current);
  return pushes;
}

/**
 * The recompute queue. `queueKey` must be a `consumer` queue in manifest.yml; the default is Tollgate's own.
 * Pushes go one after another: Forge counts 500 events per minute per installation, and a daily run over 10,000
 * projects is 100 events in 2 pushes. A failure part-way leaves the earlier pushes queued; recomputing is
 * idempotent, so calling again with the same ids is safe (it only repeats work).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/
 * @throws {InvalidQueueNameError} when `queueKey` is not a valid queue name; `recompute` throws as below.
 */
export function createRecomputeQueue(
  queueKey = 'tollgate-recompute',
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): QueuePort {
  const queue = new Queue<RecomputeJob | z.infer<typeof sweepStepSchema>>({ key: queueKey });
  const push = async (events: Parameters<typeof queue.push>[0]): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await queue.push(events);
        return;
      } catch (error) {
        // The minute's 500 events are spent (by pushes beside this one): nothing of this push was recorded, so it is
        // pushed again once the minute has turned. Every caller runs with minutes to spare (a consumer has 300 s).
        if (!(error instanceof RateLimitError) || attempt === PUSH_ATTEMPTS) throw error;
        await sleep(PUSH_RETRY_WAIT_MS);
      }
    }
  };
  return {
    /** @throws as `recompute`, and {TypeError} when the step is not one. */
    async sweep(step, delayInSeconds) {
      const parsed = sweepStepSchema.safeParse(step);
      if (!parsed.success) throw new TypeError(`Sweep step is invalid: ${z.prettifyError(parsed.error)}`);
      await push({
        body: parsed.data,
        concurrency: { ...SWEEP_CONCURRENCY },
        ...(delayInSeconds === undefined ? {} : { delayInSeconds }),
      });
    },
    /**
     * Pushes recompute jobs for the ids (nothing when there are none).
     * @throws {TypeError} when an id is not a numeric Jira issue id.
     * @throws {RateLimitError} when pushes are still refused after 5 minutes of waiting;
     *   {PartialSuccessError | PayloadTooBigError | InternalServerError} from @forge/events.
     */
    async recompute(
      issueIds: readonly string[],
      reason: RecomputeReason,
      attempt?: number,
      delayInSeconds?: number,
    ): Promise<void> {
      for (const jobs of planRecomputePushes(issueIds, reason, FORGE_PUSH_LIMITS, attempt)) {
        await push(jobs.map((job) => pushEvent(job, { delayInSeconds })));
      }
    },
  };
}
