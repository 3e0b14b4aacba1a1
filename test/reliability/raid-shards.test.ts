/**
 * A legitimate RAID log in four or more shards (`tollgate-raid` … `tollgate-raid-16`): open items are packed into the
 * three shards a search carries and closed ones after them. Searches (the recompute, the portfolio, the steering
 * macro) fetch at most five property keys, so they used to read such a log as "4 parts but only 3 were found": the
 * stored health said `tampered` and the project's genuine Go vanished from the decision log. Tested at 4, 5 and the
 * most Tollgate stores (16), seeded as the demo seeds (signed, no ledger) and again after an op through Tollgate.
 */
import { type JsonValue } from '../../sandbox/jira/store';
import { PEOPLE } from '../../sandbox/seed/people';
import { signSeededDocuments } from '../../sandbox/seed/signatures';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { type MacroData } from '../../src/contract/macro';
import { type PortfolioData } from '../../src/contract/portfolio';
import { MAX_RAID_SHARDS, raidShardKey, splitRaidLog } from '../../src/domain/documents/raid-document';
import { type RaidItem, type RaidLog } from '../../src/domain/raid';
import { buildRisk } from '../../src/domain/testing/builders';
import { runDailyRecompute } from '../../src/triggers/scheduled';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures, searchSettled } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const GOVERNANCE = 'tollgate-governance';

jest.setTimeout(180_000);

describe('a RAID log stored in four or more shards', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  const figures: Record<string, unknown> = {};

  /**
   * Jira's search index lags behind property writes (the emulator models it): a test that asks what a search finds
   * right after a write lets it catch up first, as waiting would.
   */
  const settled = () => world.jira.settleSearchIndex();
  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const keyOf = (summary: string) => world.data.store.listIssues().find((i) => i.fields.summary === summary)!.key;
  const load = (key: string) => call.panel<ProjectPanelView>(LEAD, 'project/load', {}, key).then(dataOf);
  const tamperedByIndex = async (): Promise<string[]> => {
    await world.as(null, () => runDailyRecompute(world.deps));
    await world.runtime.drainQueue();
    settled();
    const found = await world.rest({ kind: 'user', accountId: LEAD }, 'POST', '/rest/api/3/search/jql', {
      jql: 'tollgateIntegrity = "tampered" ORDER BY key',
      fields: ['key'],
    });
    return ((found.json as { issues: Array<{ key: string }> }).issues ?? []).map((i) => i.key);
  };
  const raidKeys = (key: string) =>
    world.data.store.propertyKeys(world.idOf(key)).filter((property) => property.startsWith('tollgate-raid'));

  /**
   * Replaces the project's log with its own items plus closed risks until it splits into exactly `shards` shards, as
   * the write path would split it, and signs them as the demo's seeding does: a genuine record with no ledger.
   */
  async function growLog(key: string, shards: number): Promise<number> {
    const id = world.idOf(key);
    const store = world.data.store;
    const governance = store.getProperty(id, GOVERNANCE) as { rev: number };
    const first = store.getProperty(id, raidShardKey(1)) as { items: RaidItem[]; nextSeq: RaidLog['nextSeq'] };
    const own = first.items;
    for (let count = 1; count <= 600; count += 1) {
      const closed = Array.from({ length: count }, (_, i) =>
        buildRisk({
          id: `R-${first.nextSeq.risk + i}`,
          title: `Closed supplier risk ${i + 1}`,
          status: 'closed',
          description: `${i} `.padEnd(2000, 'd'),
        }),
      );
      const log: RaidLog = {
        items: [...own, ...closed],
        nextSeq: { ...first.nextSeq, risk: first.nextSeq.risk + count },
      };
      const split = splitRaidLog(log, governance.rev);
      if (!split.ok || split.shards.length < shards) continue;
      if (split.shards.length > shards) throw new Error(`no log of ${key} splits into exactly ${shards} shards`);
      for (const property of raidKeys(key)) store.deleteProperty(id, property, { kind: 'app' });
      for (const shard of split.shards) {
        store.setProperty(id, raidShardKey(shard.shard), JSON.parse(JSON.stringify(shard)) as JsonValue, {
          kind: 'app',
        });
      }
      signSeededDocuments(store, await world.as(null, () => world.deps.storage.signingKey()));
      return log.items.length;
    }
    throw new Error(`the log of ${key} never reached ${shards} shards`);
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = searchSettled(world, callers(world));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await tamperedByIndex()).toEqual([]);
  });
  afterAll(async () => {
    recordFigures('raid-shards', figures);
    await world.close();
  });

  it.each([
    [4, 'Heat pump subscription offer'],
    [5, 'Customer portal relaunch'],
    [MAX_RAID_SHARDS, 'Offshore wind O&M mobile app'],
  ])(
    'a log in %i shards reads as genuine everywhere, and keeps its Go in the decision log',
    async (shards, summary) => {
      const key = keyOf(summary);
      const items = await growLog(key, shards);
      expect(raidKeys(key)).toHaveLength(shards);

      const check = async (when: string) => {
        const view = await load(key);
        expect({ when, integrity: view.integrity.status }).toEqual({ when, integrity: 'ok' });
        const stored = Object.values(view.raid).reduce((n, list) => n + list.length, 0);
        expect({ when, stored }).toEqual({ when, stored: items });

        expect(await tamperedByIndex()).not.toContain(key);
        const health = world.data.store.getProperty(world.idOf(key), 'tollgate-health') as { integrity: string };
        expect({ when, health: health.integrity }).toEqual({ when, health: 'ok' });

        const portfolio = dataOf(
          await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { page: { offset: 0, limit: 100 } }),
        );
        expect(portfolio.page.rows.find((row) => row.key === key)).toMatchObject({
          integrity: 'ok',
          error: null,
          lastDecision: 'GO',
        });
        const log = dataOf(await call.macro<MacroData>(LEAD, { view: 'decision-log', limit: 100, projectKey: key }));
        const go = log.table.rows.filter(
          (row) => row.issueKey === key && row.cells.some((cell) => cell.kind === 'text' && cell.text === 'Go'),
        );
        expect({ when, go: go.length > 0 }).toEqual({ when, go: true });
        expect(log.notes.filter((note) => note.startsWith(`${key}:`))).toEqual([]);
      };

      // As seeded: signed, no ledger.
      await check('seeded');
      figures[`shards${shards}`] = { items, properties: shards };
      // After an op through Tollgate: a ledger, and every shard written again by the app. Not for the largest logs:
      // the first op on a record from before the ledger keeps it whole as the ledger's baseline, one KVS value of at
      // most 240 KiB, which a log of more than about seven full shards does not fit (a separate limit).
      if (shards > 5) return;
      const review = { type: 'recordStatusReview', summary: 'Supplier risks closed out.', confidence: 'high' };
      dataOf(await call.panel<ProjectChangeResult>(LEAD, 'project/apply', { op: review }, key));
      expect(raidKeys(key)).toHaveLength(shards);
      await check('after an op');
    },
  );
});
