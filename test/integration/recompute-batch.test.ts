/**
 * A recompute run (one queue event of the daily recompute) reads the inbound counterparties of its whole batch
 * together — ⌈distinct keys / 100⌉ searches, not one per project with a dependency — and still computes exactly the
 * health that refreshing its projects one at a time computes, including a counterparty of the same batch whose health
 * changes during the run.
 */
import { type JsonValue } from '../../sandbox/jira/store';
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase } from '../../src/app/apply-op-use-case';
import { loadProjectUseCase } from '../../src/app/load-project-use-case';
import { recomputeHealthUseCase } from '../../src/app/recompute-use-case';
import {
  batchCounterpartyRags,
  COUNTERPARTIES_PER_SEARCH,
  counterpartyRags,
  inboundCounterparties,
} from '../../src/app/refresh-health';
import { narrowJql } from '../../src/app/registry-jql';
import { HEALTH_PROPERTY_KEY, type HealthDocument } from '../../src/domain/documents/health-document';
import { opPayloadSchema } from '../../src/domain/ops';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const APP = { kind: 'app' } as const;
/** Outside deliverables the dependents need: with the demo's own dependencies, more than one search's worth of keys. */
const DELIVERABLES = 110;
/** Registry projects that log dependencies on the deliverables (DELIVERABLES / DEPENDENTS each). */
const DEPENDENTS = 5;

const withoutTime = (document: HealthDocument | undefined) => document && { ...document, computedAt: '' };

jest.setTimeout(180_000);

describe('the recompute reads the counterparties of a whole batch together', () => {
  let world: BackendWorld;
  /** Registry project keys in the order the recompute's search returns them, i.e. the order it assesses them. */
  let projects: string[];
  /** The outside deliverables' keys; every third one is red. */
  let deliverables: string[];
  /** A red registry project the recompute assesses before `redDependent`, which depends on it. */
  let redCounterparty: string;
  let redDependent: string;

  const healthOf = (key: string) =>
    world.data.store.getProperty(world.idOf(key), HEALTH_PROPERTY_KEY) as HealthDocument | undefined;
  const setHealth = (key: string, document: HealthDocument | undefined) =>
    world.data.store.setProperty(
      world.idOf(key),
      HEALTH_PROPERTY_KEY,
      JSON.parse(JSON.stringify(document)) as JsonValue,
      APP,
    );
  /** Every project's stored health without `computedAt`, which only says when it was written. */
  const healthByKey = (): Record<string, HealthDocument | undefined> =>
    Object.fromEntries(projects.map((key) => [key, withoutTime(healthOf(key))]));
  const searches = () => world.jira.emulator.requestLog().filter((r) => r.path.includes('/search/jql')).length;
  const recompute = (keys: readonly string[]) =>
    world.as(null, () =>
      recomputeHealthUseCase(
        world.deps,
        keys.map((key) => world.idOf(key)),
      ),
    );
  const dependOn = (issueKey: string, counterpartyKey: string) =>
    world.as(LEAD, () =>
      applyOpUseCase(world.deps, {
        accountId: LEAD,
        issueKey,
        op: opPayloadSchema.parse({
          type: 'addRaidItem',
          item: {
            type: 'dependency',
            title: `Needs the deliverable ${counterpartyKey}`,
            owner: LEAD,
            direction: 'inbound',
            counterpartyKey,
            neededBy: '2027-06-30',
            deliveryStatus: 'on-track',
          },
        }),
      }),
    );
  /** The distinct inbound counterparties of the projects, as the app reads their records. */
  const distinctCounterparties = async (): Promise<Set<string>> => {
    const keys = new Set<string>();
    for (const issueKey of projects) {
      const view = await world.as(LEAD, () => loadProjectUseCase(world.deps, { accountId: LEAD, issueKey }));
      for (const key of inboundCounterparties(view.record)) keys.add(key);
    }
    return keys;
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    const { store } = world.data;
    const registry = store
      .listIssues()
      .filter((issue) => store.getIssueType(issue.fields.issuetype)?.name === 'Project')
      .map((issue) => issue.id);
    // The recompute reads its batch through the registry JQL, so in the registry's order.
    const { registryJql } = await world.as(null, () => world.deps.storage.loadSettings());
    const page = await world.as(null, () =>
      world.deps.jira.searchPage(
        { as: 'app' },
        { jql: narrowJql(registryJql, `id in (${registry.join(', ')})`), fields: ['summary'], properties: [] },
      ),
    );
    projects = page.issues.map((issue) => issue.key);
    expect(projects).toHaveLength(registry.length);
    // Health as of today for every project, so the dependents chosen below are green on their own.
    await recompute(projects);
    const governed = projects.filter((key) => store.getProperty(world.idOf(key), 'tollgate-governance'));
    const green = governed.filter((key) => healthOf(key)?.rag === 'green');
    redCounterparty = governed.find((key) => healthOf(key)?.rag === 'red')!;
    redDependent = green.find((key) => projects.indexOf(key) > projects.indexOf(redCounterparty))!;
    deliverables = Array.from({ length: DELIVERABLES }, (_, n) => {
      const rag = n % 3 === 0 ? 'red' : 'green';
      return store.createIssue(
        {
          project: 'PMO',
          issueType: 'Task',
          summary: `Deliverable ${n + 1}`,
          properties: { [HEALTH_PROPERTY_KEY]: { rag } },
        },
        APP,
      ).key;
    });
    await dependOn(redDependent, redCounterparty);
    const perDependent = DELIVERABLES / DEPENDENTS;
    for (const [index, dependent] of green
      .filter((key) => key !== redDependent)
      .slice(0, DEPENDENTS)
      .entries()) {
      for (const deliverable of deliverables.slice(index * perDependent, (index + 1) * perDependent)) {
        await dependOn(dependent, deliverable);
      }
      // The same counterparty as another project: read once for the batch.
      await dependOn(dependent, redCounterparty);
    }
  });
  afterAll(() => world.close());

  it('needs one search per 100 distinct counterparties and computes what one-at-a-time refreshes compute', async () => {
    const distinct = await distinctCounterparties();
    expect(distinct.size).toBeGreaterThan(COUNTERPARTIES_PER_SEARCH);
    // The counterparty's stored health is a day old (green), and it turns red again in this very run.
    const before = Object.fromEntries(projects.map((key) => [key, healthOf(key)]));
    before[redCounterparty] = { ...before[redCounterparty]!, rag: 'green' };
    setHealth(redCounterparty, before[redCounterparty]);

    world.jira.emulator.resetRequestLog();
    const batch = await recompute(projects);
    const batchSearches = searches();
    const batchHealth = healthByKey();

    expect(batch).toMatchObject({ checked: projects.length, failed: [] });
    // One search for the batch's projects, then its counterparties 100 keys a search.
    expect(batchSearches).toBe(1 + Math.ceil(distinct.size / COUNTERPARTIES_PER_SEARCH));

    // The same projects from the same stored health, refreshed one at a time in the batch's page order.
    for (const key of projects) setHealth(key, before[key]);
    world.jira.emulator.resetRequestLog();
    for (const key of projects) expect(await recompute([key])).toMatchObject({ failed: [] });
    expect(searches()).toBeGreaterThan(batchSearches + DEPENDENTS);

    expect(batchHealth).toEqual(healthByKey());
    // Dependency red flows: from the counterparty recomputed earlier in the same run, and from red deliverables.
    const redFrom = (key: string) =>
      (batchHealth[key]?.reasons ?? []).flatMap((r) =>
        r.code === 'raid.dependencyRed' ? [r.params.counterparty] : [],
      );
    expect(batchHealth[redDependent]).toMatchObject({ rag: 'red', ragRaid: 'red' });
    expect(redFrom(redDependent)).toEqual([redCounterparty]);
    const fromDeliverables = projects.flatMap(redFrom).filter((key) => deliverables.includes(String(key)));
    expect(fromDeliverables.length).toBeGreaterThanOrEqual(DEPENDENTS);
  });

  it('reads many keys in searches of 100, and a key Jira refuses is unknown without holding anything back', async () => {
    const keys = [...deliverables, ...deliverables.slice(0, 20), 'PMO-9999'];
    const expected = new Map(deliverables.map((key, n) => [key, n % 3 === 0 ? 'red' : 'green']));

    world.jira.emulator.resetRequestLog();
    await expect(world.as(null, () => counterpartyRags(world.deps, keys.slice(0, -1)))).resolves.toEqual(expected);
    expect(searches()).toBe(Math.ceil(DELIVERABLES / COUNTERPARTIES_PER_SEARCH));
    // A deleted counterparty (Jira refuses a search naming it) is unknown, alone or in a batch.
    await expect(world.as(null, () => counterpartyRags(world.deps, keys))).resolves.toEqual(expected);

    world.jira.emulator.resetRequestLog();
    const batch = await world.as(null, () => batchCounterpartyRags(world.deps, keys));
    expect(batch.ragsFor(deliverables)).toEqual(expected);
    expect(batch.ragsFor([deliverables[0]!, 'PMO-9999']).has('PMO-9999')).toBe(false);
    // The refused search is halved until the bad key stands alone: far fewer searches than one per project.
    expect(searches()).toBeLessThanOrEqual(2 + 2 * Math.ceil(Math.log2(COUNTERPARTIES_PER_SEARCH)));
  });
});
