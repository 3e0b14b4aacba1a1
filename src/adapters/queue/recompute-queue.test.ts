/**
 * The recompute queue: how ids are planned into events and pushes (pure), and what a consumer declared in a manifest
 * receives when the real @forge/events SDK pushes through the sandbox's queue (test/fixtures/adapters-app).
 */
import { InvalidQueueNameError } from '@forge/events';
import type { ForgeRuntime } from '../../../sandbox/forge/types';
import { inForge, startAdaptersApp } from '../../../test/fixtures/adapters-app/harness';
import { type SweepStep } from '../../app/ports';
import {
  createRecomputeQueue,
  FORGE_PUSH_LIMITS,
  planRecomputePushes,
  pushEvent,
  RECOMPUTE_ATTEMPTS,
  type RecomputeJob,
  sweepStepSchema,
  recomputeJobSchema,
  RETRY_DELAY_SECONDS,
} from './recompute-queue';

const ids = (count: number, from = 10_000): string[] => Array.from({ length: count }, (_, i) => String(from + i));

describe('planRecomputePushes', () => {
  it('cuts 250 ids into 3 jobs of at most 100, in the order given, in one push', () => {
    const pushes = planRecomputePushes(ids(250), 'daily');
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.map((job) => job.issueIds.length)).toEqual([100, 100, 50]);
    expect(pushes.flat().flatMap((job) => job.issueIds)).toEqual(ids(250));
    expect(pushes.flat().every((job) => job.reason === 'daily')).toBe(true);
  });

  it('puts at most 50 events in a push', () => {
    const pushes = planRecomputePushes(ids(12_000), 'daily');
    expect(pushes.map((push) => push.length)).toEqual([50, 50, 20]);
    for (const push of pushes) {
      expect(Buffer.byteLength(JSON.stringify(push.map((job) => pushEvent(job))))).toBeLessThanOrEqual(
        FORGE_PUSH_LIMITS.maxBytes,
      );
    }
  });

  it('starts a new push before the bytes would pass the limit, measured as the SDK measures them', () => {
    const limits = { maxEvents: 50, maxBytes: 2_000 };
    const pushes = planRecomputePushes(ids(500), 'event', limits);
    expect(pushes.length).toBeGreaterThan(1);
    for (const push of pushes) {
      expect(Buffer.byteLength(JSON.stringify(push.map((job) => pushEvent(job))))).toBeLessThanOrEqual(limits.maxBytes);
    }
    expect(pushes.flat().flatMap((job) => job.issueIds)).toEqual(ids(500));
  });

  it('refuses limits too small for a single job rather than planning an impossible push', () => {
    expect(() => planRecomputePushes(ids(100), 'event', { maxEvents: 50, maxBytes: 100 })).toThrow(
      'a push takes at most 100',
    );
  });

  it('marks a retry with its attempt, and a retried event waits in the queue before it runs', () => {
    const [push] = planRecomputePushes(ids(3), 'daily', FORGE_PUSH_LIMITS, 2);
    expect(push?.map((job) => pushEvent(job))).toEqual([
      {
        body: { issueIds: ids(3), reason: 'daily', attempt: 2 },
        concurrency: { key: 'tollgate-recompute', limit: 2 },
        delayInSeconds: RETRY_DELAY_SECONDS,
      },
    ]);
    // A first attempt carries no attempt and no delay.
    expect(
      planRecomputePushes(ids(1), 'daily', FORGE_PUSH_LIMITS, 1)[0]?.map((job) => pushEvent(job))[0],
    ).not.toHaveProperty('delayInSeconds');
    expect(() => planRecomputePushes(ids(1), 'daily', FORGE_PUSH_LIMITS, RECOMPUTE_ATTEMPTS + 1)).toThrow(TypeError);
  });

  it('holds a job back when asked to, as the pacing does with one the hour cannot afford', () => {
    const [job] = planRecomputePushes(ids(2), 'reconcile')[0] ?? [];
    if (!job) throw new Error('one job');
    expect(pushEvent(job, { delayInSeconds: 900 })).toMatchObject({ body: job, delayInSeconds: 900 });
    expect(pushEvent(job)).not.toHaveProperty('delayInSeconds');
  });

  it('drops duplicate ids and plans nothing for none', () => {
    expect(planRecomputePushes(['10001', '10002', '10001'], 'event')).toEqual([
      [{ issueIds: ['10001', '10002'], reason: 'event' }],
    ]);
    expect(planRecomputePushes([], 'event')).toEqual([]);
  });

  it('refuses ids that are not Jira issue ids', () => {
    expect(() => planRecomputePushes(['10001', 'PMO-1'], 'event')).toThrow(TypeError);
  });
});

describe('recomputeJobSchema', () => {
  it('accepts what the queue pushes and refuses empty, oversized or foreign bodies', () => {
    const job: RecomputeJob = { issueIds: ids(100), reason: 'stale-health' };
    expect(recomputeJobSchema.parse(job)).toEqual(job);
    expect(recomputeJobSchema.safeParse({ issueIds: [], reason: 'daily' }).success).toBe(false);
    expect(recomputeJobSchema.safeParse({ issueIds: ids(101), reason: 'daily' }).success).toBe(false);
    expect(recomputeJobSchema.safeParse({ issueIds: ['10001'], reason: 'whim' }).success).toBe(false);
    expect(recomputeJobSchema.safeParse({ issueKey: 'PMO-1' }).success).toBe(false);
  });
});

describe('createRecomputeQueue', () => {
  let runtime: ForgeRuntime;

  /** What the fixture consumer recorded: each event's job, grouped by push (one jobId per push). */
  function received(): Map<string, RecomputeJob[]> {
    const byPush = new Map<string, RecomputeJob[]>();
    for (const [key, value] of Object.entries(runtime.storageSnapshot())) {
      const [, jobId] = key.split(':');
      if (!key.startsWith('received:') || jobId === undefined || sweepStepSchema.safeParse(value).success) continue;
      byPush.set(jobId, [...(byPush.get(jobId) ?? []), recomputeJobSchema.parse(value)]);
    }
    return byPush;
  }

  beforeEach(async () => {
    runtime = await startAdaptersApp();
  });
  afterEach(async () => {
    await runtime.close();
  });

  it('delivers 250 ids to the consumer as 3 events of at most 100 ids, pushed together', async () => {
    await inForge(runtime, () => createRecomputeQueue().recompute(ids(250), 'stale-health'));
    await runtime.drainQueue();
    const pushes = [...received().values()];
    expect(pushes).toHaveLength(1);
    const events = pushes[0] ?? [];
    expect(events.map((job) => job.issueIds.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(events.flatMap((job) => job.issueIds).sort()).toEqual(ids(250));
    expect(events.every((job) => job.reason === 'stale-health')).toBe(true);
    expect(runtime.invocations().filter((i) => i.kind === 'consumer' && i.outcome === 'ok')).toHaveLength(3);
  });

  it('pushes at most 50 events at a time', async () => {
    await inForge(runtime, () => createRecomputeQueue().recompute(ids(12_000), 'daily'));
    await runtime.drainQueue();
    const sizes = [...received().values()].map((events) => events.length).sort((a, b) => b - a);
    expect(sizes).toEqual([50, 50, 20]);
  });

  it('pushes nothing for no ids, and nothing at all when an id is malformed', async () => {
    await inForge(runtime, async () => {
      await createRecomputeQueue().recompute([], 'event');
      await expect(createRecomputeQueue().recompute(['10001', 'PMO-1'], 'event')).rejects.toThrow(TypeError);
    });
    await runtime.drainQueue();
    expect(received().size).toBe(0);
    expect(runtime.invocations()).toEqual([]);
  });

  it('delivers a sweep’s step as it was pushed, and refuses one that is not a step without pushing it', async () => {
    const step = { listing: 'registry', reason: 'reconcile', listRegistry: true, cursor: 'token-1' } as const;
    await inForge(runtime, async () => {
      await createRecomputeQueue().sweep(step, 10);
      await expect(
        createRecomputeQueue().sweep({ ...step, listing: 'everything' } as unknown as SweepStep),
      ).rejects.toThrow(TypeError);
    });
    await runtime.drainQueue();
    const steps = Object.entries(runtime.storageSnapshot()).filter(([key]) => key.startsWith('received:'));
    expect(steps.map(([, value]) => value)).toEqual([step]);
    expect(received().size).toBe(0);
  });

  it('names the queue the manifest must declare, and refuses one Forge would not accept', async () => {
    expect(() => createRecomputeQueue('not a queue')).toThrow(InvalidQueueNameError);
    await expect(
      inForge(runtime, () => createRecomputeQueue('nobody-listens').recompute(ids(1), 'event')),
    ).rejects.toThrow('No consumer module in manifest.yml listens on queue "nobody-listens"');
  });
});
