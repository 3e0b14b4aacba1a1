import { buildTestSite, AS, type TestSite } from './testing';

const LAG = { medianMs: 2_000, p99Ms: 4_000, seed: 3 } as const;
/** Longer than any delay the model above draws in these tests (its P99 is 4 s; draws past 20 s are ~1e-9 likely). */
const LATER = 60_000;

let site: TestSite;
beforeEach(() => {
  site = buildTestSite({ searchLag: LAG });
});
afterEach(async () => {
  await site.close();
});

async function search(body: Record<string, unknown>): Promise<Array<{ key: string; properties?: unknown }>> {
  const response = await site.call(AS.app, 'POST', '/rest/api/3/search/jql', { fields: ['key'], ...body });
  expect(response.status).toBe(200);
  return (response.json as { issues: Array<{ key: string; properties?: unknown }> }).issues;
}

describe("the search index's lag behind writes", () => {
  it('a property written now is missing from search until the index catches up; reads by id are current', async () => {
    const id = site.store.getIssue('DEL-1')!.id;
    site.store.setProperty(id, 'tollgate-health', { rag: 'red' }, AS.app);
    const byJql = { jql: 'project = DEL AND tollgateHealth = red', properties: ['tollgate-health'] };
    expect(await search(byJql)).toEqual([]);
    const read = await site.call(AS.app, 'GET', '/rest/api/3/issue/DEL-1/properties/tollgate-health');
    expect(read.json).toMatchObject({ value: { rag: 'red' } });
    // A search that matches the issue on something else shows the property as the index has it: absent.
    const [stale] = await search({ jql: 'key = DEL-1', properties: ['tollgate-health'] });
    expect(stale).toMatchObject({ key: 'DEL-1', properties: {} });

    site.clock.advance(LATER);
    expect(await search(byJql)).toEqual([
      expect.objectContaining({ key: 'DEL-1', properties: { 'tollgate-health': { rag: 'red' } } }),
    ]);
  });

  it('reconcileIssues makes the named issues current in that search, and only those', async () => {
    const [one, two] = ['DEL-1', 'DEL-2'].map((key) => site.store.getIssue(key)!.id);
    site.store.setProperty(one!, 'tollgate-health', { rag: 'red' }, AS.app);
    site.store.setProperty(two!, 'tollgate-health', { rag: 'red' }, AS.app);
    const found = await search({ jql: 'project = DEL AND tollgateHealth = red', reconcileIssues: [Number(one)] });
    expect(found.map((issue) => issue.key)).toEqual(['DEL-1']);
  });

  it('a new issue is not found until indexed; an old value keeps matching meanwhile', async () => {
    const { key } = site.store.createIssue({ project: 'DEL', issueType: 'Task', summary: 'Fresh' }, AS.owner);
    expect((await search({ jql: `project = DEL AND summary ~ "Fresh"` })).map((i) => i.key)).toEqual([]);
    site.store.updateIssue('DEL-1', { summary: 'Renamed' }, AS.owner);
    expect((await search({ jql: 'key = DEL-1 AND summary ~ "Renamed"' })).length).toBe(0);
    expect((await search({ jql: 'key = DEL-1 AND summary ~ "pipeline"' })).length).toBe(1);
    site.clock.advance(LATER);
    expect((await search({ jql: `project = DEL AND summary ~ "Fresh"` })).map((i) => i.key)).toEqual([key]);
    expect((await search({ jql: 'key = DEL-1 AND summary ~ "Renamed"' })).length).toBe(1);
  });

  it('a change to an issue still pending keeps the state before the first change, and restarts the delay', async () => {
    const id = site.store.getIssue('DEL-1')!.id;
    site.store.setProperty(id, 'tollgate-health', { rag: 'green' }, AS.app);
    site.clock.advance(LATER);
    site.store.setProperty(id, 'tollgate-health', { rag: 'amber' }, AS.app);
    site.store.setProperty(id, 'tollgate-health', { rag: 'red' }, AS.app);
    expect((await search({ jql: 'project = DEL AND tollgateHealth = green' })).length).toBe(1);
    expect(site.emulator.searchIndexLagging()).toBe(1);
    site.settleSearchIndex();
    expect((await search({ jql: 'project = DEL AND tollgateHealth = red' })).length).toBe(1);
    expect(site.emulator.searchIndexLagging()).toBe(0);
  });

  it('the delays follow the model: most within seconds, reproducible from the seed', () => {
    const delays = (seed: number) => {
      const fresh = buildTestSite({ searchLag: { ...LAG, seed } });
      const id = fresh.store.getIssue('DEL-1')!.id;
      const out: number[] = [];
      for (let i = 0; i < 200; i += 1) {
        fresh.store.setProperty(id, 'p', { i }, AS.app);
        let waited = 0;
        while (fresh.emulator.searchIndexLagging() > 0) {
          fresh.clock.advance(100);
          waited += 100;
        }
        out.push(waited);
      }
      void fresh.close();
      return out;
    };
    const first = delays(5);
    expect(delays(5)).toEqual(first);
    const sorted = [...first].sort((a, b) => a - b);
    expect(sorted[100]).toBeGreaterThan(1_000);
    expect(sorted[100]).toBeLessThan(3_000);
    expect(sorted[199]).toBeLessThan(15_000);
  });
});
