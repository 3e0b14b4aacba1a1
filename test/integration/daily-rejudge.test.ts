/**
 * The daily run judges every project again from its read-model row (issue 14): Jira is asked one search for the
 * registry issues changed since yesterday, and written only where today's verdict differs from the health stored —
 * a point per changed project, whatever the size of the registry. What it writes is what a full read from Jira
 * would write. The reconciliation's reads are paced by the hour's background budget.
 */
import { type QueuePort, type RecomputeReason } from '../../src/app/ports';
import { BACKGROUND_ACCOUNT, BACKGROUND_POINTS_PER_HOUR, deferSeconds } from '../../src/app/recompute-pacing';
import { HEALTH_PROPERTY_KEY } from '../../src/domain/documents/health-document';
import { consumeRecomputeEvent } from '../../src/triggers/recompute-consumer';
import { runDailyRecompute } from '../../src/triggers/scheduled';
import { type BackendWorld, startBackendWorld } from './backend-world';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the daily run, from the read model', () => {
  let world: BackendWorld;
  /** The registry's projects, as the read model lists them. */
  const registry = async () =>
    world.as(null, async () => {
      const ids = await world.deps.readModel.rowIdsAfter('', 100_000);
      return (await world.deps.readModel.storedHealth(ids)).map((row) => ({ id: row.issueId, key: row.key }));
    });
  /** Every registry project's stored health, without the instant it was computed. */
  const storedHealth = async () =>
    new Map(
      (await registry()).map((issue) => {
        const { computedAt: _at, ...rest } = (world.data.store.getProperty(issue.id, HEALTH_PROPERTY_KEY) ?? {}) as {
          computedAt?: string;
        };
        return [issue.key, JSON.stringify(rest)];
      }),
    );
  const requests = () => world.jira.emulator.requestLog().filter((r) => r.principal === 'app');
  const daily = async () => {
    world.jira.emulator.resetRequestLog();
    await world.as(null, () => runDailyRecompute(world.deps));
    await world.runtime.drainQueue();
    return requests();
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => world.close());

  it('asks Jira one search and writes nothing when no verdict changed', async () => {
    const before = await storedHealth();
    const sent = await daily();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /rest/api/3/search/jql']);
    expect(await storedHealth()).toEqual(before);
    const consumers = world.runtime.invocations().filter((i) => i.kind === 'consumer');
    expect(consumers.length).toBeGreaterThan(0);
    expect(consumers.every((i) => i.outcome === 'ok')).toBe(true);
  });

  it('weeks later writes exactly the health that changed, a request each, and what a full read from Jira writes', async () => {
    const before = await storedHealth();
    jest.setSystemTime(Date.now() + 45 * DAY_MS);
    const sent = await daily();
    const after = await storedHealth();
    const changed = [...after].filter(([key, health]) => before.get(key) !== health).map(([key]) => key);
    // Dates passed: some verdicts moved (overdue gates, stale reviews), not all.
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThan(after.size);
    const writes = sent.filter((r) => r.method === 'PUT');
    expect(writes).toHaveLength(changed.length);
    expect(writes.every((r) => r.path === '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}')).toBe(true);
    expect(sent.filter((r) => r.method !== 'PUT')).toHaveLength(1);

    // A full read of every project from Jira, checked against its ledger, writes nothing more.
    await world.reconcile();
    expect(await storedHealth()).toEqual(after);
  });

  it('holds a full read back when the hour’s background budget cannot afford it, and reads nothing', async () => {
    const hour = world.deps.clock.now().slice(0, 13);
    // The hour has 30 points left: enough for a search of 10 projects and their writes, not for 60.
    const spent = await world.as(null, () => world.deps.storage.pointsSpent(BACKGROUND_ACCOUNT, hour));
    await world.as(null, () =>
      world.deps.storage.spendPoints(BACKGROUND_ACCOUNT, hour, BACKGROUND_POINTS_PER_HOUR - 30 - spent),
    );
    const pushed: Array<{ ids: readonly string[]; reason: RecomputeReason; delay: number | undefined }> = [];
    const queue: QueuePort = {
      recompute: (ids, reason, _attempt, delay) => {
        pushed.push({ ids, reason, delay });
        return Promise.resolve();
      },
      sweep: () => Promise.reject(new Error('no sweep is expected here')),
    };
    const ids = (await registry()).slice(0, 60).map((issue) => issue.id);
    world.jira.emulator.resetRequestLog();
    await world.as(null, () =>
      consumeRecomputeEvent({ body: { issueIds: ids, reason: 'reconcile' } }, { ...world.deps, queue }),
    );
    expect(requests()).toEqual([]);
    expect(pushed).toEqual([{ ids, reason: 'reconcile', delay: deferSeconds(ids) }]);
    // A smaller job the rest of the hour can afford goes ahead.
    await world.as(null, () =>
      consumeRecomputeEvent({ body: { issueIds: ids.slice(0, 10), reason: 'reconcile' } }, { ...world.deps, queue }),
    );
    expect(requests().some((r) => r.path === '/rest/api/3/search/jql')).toBe(true);
    expect(pushed).toHaveLength(1);
  });
});
