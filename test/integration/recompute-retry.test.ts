/**
 * A daily run over a large registry can spend Forge storage's minute (the consumer reads each project's ledger), and
 * Jira can be briefly unavailable. A project refused for that goes back in the queue to run a little later, a few
 * times, instead of staying stale until tomorrow; a project that failed for any other reason does not.
 */
import { RECOMPUTE_ATTEMPTS } from '../../src/adapters/queue/recompute-queue';
import { type AppDeps } from '../../src/app/deps';
import { UnavailableError } from '../../src/app/errors';
import { consumeRecomputeEvent } from '../../src/triggers/recompute-consumer';
import { type BackendWorld, startBackendWorld } from './backend-world';

jest.setTimeout(60_000);

describe('the recompute consumer retries projects a busy platform refused', () => {
  let world: BackendWorld;
  let ids: string[];

  /** The world's deps with a storage that refuses the ledgers of `busy` (and `broken`), and a queue that records. */
  const depsWith = (busy: readonly string[], broken: readonly string[] = []) => {
    const queued: Array<{ ids: readonly string[]; reason: string; attempt?: number }> = [];
    const deps: AppDeps = {
      ...world.deps,
      storage: {
        ...world.deps.storage,
        ledger: (issueId, fromRev) =>
          busy.includes(issueId)
            ? Promise.reject(new UnavailableError('Forge storage is busy: this site has used its storage allowance.'))
            : broken.includes(issueId)
              ? Promise.reject(new Error('a ledger entry is malformed'))
              : world.deps.storage.ledger(issueId, fromRev),
      },
      queue: {
        recompute: (issueIds, reason, attempt) => {
          queued.push({ ids: issueIds, reason, ...(attempt !== undefined ? { attempt } : {}) });
          return Promise.resolve();
        },
        sweep: () => Promise.reject(new Error('no sweep is expected here')),
      },
    };
    return { deps, queued };
  };
  const consume = (deps: AppDeps, body: unknown) => world.as(null, () => consumeRecomputeEvent({ body }, deps));

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    ids = world.data.store
      .listIssues()
      .filter((issue) => /^PMO-[1-6]$/.test(issue.key))
      .map((issue) => issue.id);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await world.close();
  });

  it('queues exactly the busy projects again, as the next attempt, and not the ones that failed otherwise', async () => {
    const { deps, queued } = depsWith([ids[1]!, ids[3]!], [ids[4]!]);
    await consume(deps, { issueIds: ids, reason: 'daily' });
    expect(queued).toEqual([{ ids: [ids[1], ids[3]], reason: 'daily', attempt: 2 }]);
  });

  it(`stops after ${RECOMPUTE_ATTEMPTS} attempts`, async () => {
    const { deps, queued } = depsWith([ids[1]!]);
    await consume(deps, { issueIds: ids, reason: 'daily', attempt: RECOMPUTE_ATTEMPTS - 1 });
    expect(queued).toEqual([{ ids: [ids[1]], reason: 'daily', attempt: RECOMPUTE_ATTEMPTS }]);
    queued.length = 0;
    await consume(deps, { issueIds: ids, reason: 'daily', attempt: RECOMPUTE_ATTEMPTS });
    expect(queued).toEqual([]);
  });

  it('queues nothing when every project was recomputed', async () => {
    const { deps, queued } = depsWith([]);
    await consume(deps, { issueIds: ids, reason: 'stale-health' });
    expect(queued).toEqual([]);
  });
});
