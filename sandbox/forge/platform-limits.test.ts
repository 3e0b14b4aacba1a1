/**
 * Forge's per-installation limits on storage and async events, as the real SDKs meet them in the sandbox: KVS units a
 * minute (429 RATE_LIMIT_EXCEEDED, which @forge/kvs throws as ForgeKvsAPIError), 500 events pushed a minute
 * (@forge/events throws RateLimitError), and an event's `concurrency` limit on how many run at once.
 */
import { Queue, RateLimitError } from '@forge/events';
import { ForgeKvsAPIError, kvs } from '@forge/kvs';
import { createRecomputeQueue, PUSH_RETRY_WAIT_MS } from '../../src/adapters/queue/recompute-queue';
import { inForge, startAdaptersApp } from '../../test/fixtures/adapters-app/harness';
import { holdSiteClock, releaseSiteClock } from '../../test/support/site-clock';
import { AsyncEventQueue, type AsyncEventPayload } from './async-events';
import { kvsUnits } from './kvs-quota';
import { Outstanding } from './outstanding';

beforeEach(() => holdSiteClock('2026-11-21'));
afterEach(() => releaseSiteClock());

describe("Forge's KVS limits per installation", () => {
  it('counts units of 10 KB, at least 1 a request', () => {
    expect([0, 1, 10 * 1024, 10 * 1024 + 1, 65 * 1024].map(kvsUnits)).toEqual([1, 1, 1, 2, 7]);
  });

  it("refuses reads past the minute's read units with 429 RATE_LIMIT_EXCEEDED, and serves again next minute", async () => {
    const runtime = await startAdaptersApp(':memory:', { kvsQuota: { readUnitsPerMinute: 3 } });
    try {
      await inForge(runtime, async () => {
        await kvs.set('a', { big: 'x'.repeat(15 * 1024) });
        await expect(kvs.get('a')).resolves.toBeDefined(); // 2 units: 15 KB answered
        await expect(kvs.get('missing')).resolves.toBeUndefined(); // 1 unit
        const refused = await kvs.get('a').catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(ForgeKvsAPIError);
        expect(refused).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
        expect((refused as ForgeKvsAPIError).responseDetails.status).toBe(429);
        // Writes have their own allowance.
        await expect(kvs.set('b', 1)).resolves.toBeUndefined();
        expect(runtime.kvsQuota()).toMatchObject({ readUnitsThisMinute: 3, writeUnitsThisMinute: 3, refused: 1 });
        jest.setSystemTime(Date.now() + 60_000);
        await expect(kvs.get('b')).resolves.toBe(1);
      });
    } finally {
      await runtime.close();
    }
  });

  it("refuses a write whose units would pass the minute's write units, and stores nothing of it", async () => {
    const runtime = await startAdaptersApp(':memory:', { kvsQuota: { writeUnitsPerMinute: 5 } });
    try {
      await inForge(runtime, async () => {
        await kvs.set('small', 1);
        await expect(kvs.set('large', 'x'.repeat(50 * 1024))).rejects.toMatchObject({ code: 'RATE_LIMIT_EXCEEDED' });
        expect(runtime.storageSnapshot()).toEqual({ small: 1 });
      });
    } finally {
      await runtime.close();
    }
  });
});

describe("Forge's async-event limits per installation", () => {
  it('refuses pushes past the events of a minute with RateLimitError; the recompute queue waits for the next', async () => {
    const runtime = await startAdaptersApp(':memory:', { queueLimits: { eventsPerMinute: 3 } });
    try {
      await inForge(runtime, async () => {
        const queue = new Queue({ key: 'tollgate-recompute' });
        await queue.push([{ body: { n: 1 } }, { body: { n: 2 } }, { body: { n: 3 } }]);
        await expect(queue.push({ body: { n: 4 } })).rejects.toBeInstanceOf(RateLimitError);
        const waits: number[] = [];
        const recompute = createRecomputeQueue('tollgate-recompute', (ms) => {
          waits.push(ms);
          jest.setSystemTime(Date.now() + ms);
          return Promise.resolve();
        });
        await recompute.recompute(['10001', '10002'], 'daily');
        expect(waits).toEqual([PUSH_RETRY_WAIT_MS]);
      });
      await runtime.drainQueue();
    } finally {
      await runtime.close();
    }
  });

  it('runs at most `limit` events with one concurrency key at once, holding the rest back without a retry', async () => {
    const outstanding = new Outstanding();
    let running = 0;
    let most = 0;
    const seen: AsyncEventPayload[] = [];
    const queue = new AsyncEventQueue({
      consumers: [{ key: 'c', queue: 'q', functionKey: 'f' }],
      deliver: async (_consumer, event) => {
        running += 1;
        most = Math.max(most, running);
        seen.push(event);
        await new Promise((done) => setTimeout(done, 5));
        running -= 1;
        return { kind: 'ok', value: undefined };
      },
      outstanding,
      timeScale: 0.001,
      maxRetries: 0,
      limits: {},
      now: () => Date.now(),
    });
    const payload = Array.from({ length: 8 }, (_, n) => ({ body: { n }, concurrency: { key: 'k', limit: 2 } }));
    expect(queue.handle('/webhook/queue/publish/x', { queueName: 'q', jobId: 'j', payload }, undefined).status).toBe(
      201,
    );
    await outstanding.idle();
    expect(seen).toHaveLength(8);
    expect(most).toBe(2);
    // Waiting for a concurrency slot is the platform's business: the consumer sees no retry.
    expect(seen.every((event) => event.retryContext === undefined)).toBe(true);
  });
});
