/**
 * A RAID log grown one op at a time past what one issue property holds (32,768 characters): Tollgate shards it over
 * `tollgate-raid`, `tollgate-raid-2`, …; once open items would spill past the shards the portfolio search reads, the
 * next add is refused with a clear message before anything is written — and no item is ever lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { SEARCHABLE_RAID_SHARDS } from '../../src/domain/documents/raid-document';
import { APP_ROOT, type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, recordFigures, worldState } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const PROPERTY_LIMIT = 32_768;

jest.setTimeout(120_000);

describe('RAID log overflow', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let key: string;

  const apply = (op: unknown) => call.panel<ProjectChangeResult>(OWNER, 'project/apply', { op }, key);
  const raidProperties = () => {
    const id = world.idOf(key);
    return world.data.store
      .propertyKeys(id)
      .filter((k) => k.startsWith('tollgate-raid'))
      .map((k) => ({ key: k, chars: JSON.stringify(world.data.store.getProperty(id, k)).length }));
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    key = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen')!.key;
    const started = await call.panel(
      LEAD,
      'project/apply',
      { op: { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version } },
      key,
    );
    expect(started.success).toBe(true);
  });
  afterAll(() => world.close());

  it('shards past one property, refuses the add that would overflow with a clear message, and loses no item', async () => {
    let added = 0;
    let firstShardedAt: number | null = null;
    let refusal: ResolverResponse<ProjectChangeResult> | null = null;
    for (let n = 1; n <= 200 && refusal === null; n += 1) {
      const response = await apply({
        type: 'addRaidItem',
        item: {
          type: 'risk',
          title: `Risk ${n}: heat supplier contract clause ${n}`,
          owner: OWNER,
          likelihood: 1 + (n % 5),
          impact: 1 + ((n * 3) % 5),
          description: `${n} `.padEnd(2000, 'd'),
          mitigation: 'm'.repeat(900),
        },
      });
      if (!response.success) {
        refusal = response;
        break;
      }
      added += 1;
      const properties = raidProperties();
      // Every stored shard fits one property, whatever the log's size.
      for (const property of properties) expect(property.chars).toBeLessThanOrEqual(PROPERTY_LIMIT);
      if (firstShardedAt === null && properties.length > 1) firstShardedAt = n;
    }
    expect(firstShardedAt).not.toBeNull();
    expect(refusal).not.toBeNull();

    const before = await worldState(world);
    // The refusal: the reducer's reason, with a sentence and a key the panel translates.
    expect(refusal).toMatchObject({
      success: false,
      errors: [
        {
          errorType: 'REFUSED',
          message: 'The change was refused (raid-log-full).',
          i18n: { key: 'refusal.raid-log-full' },
        },
      ],
    });
    // What the panel shows for that key says what to do.
    const catalog = JSON.parse(readFileSync(join(APP_ROOT, 'locales/en-US.json'), 'utf8')) as Record<string, string>;
    expect(catalog['refusal.raid-log-full']).toMatch(/RAID log is full.*Close items/);
    // Trying again changes nothing: refused before anything is written.
    const again = await apply({
      type: 'addRaidItem',
      item: { type: 'risk', title: 'One more', owner: OWNER, likelihood: 1, impact: 1, description: 'x'.repeat(2000) },
    });
    expect(again).toMatchObject({ success: false, errors: [{ errorType: 'REFUSED' }] });
    expect(changesBetween(before, await worldState(world))).toEqual([]);

    const view = await call.panel<ProjectPanelView>(OWNER, 'project/load', {}, key);
    if (!view.success) throw new Error(JSON.stringify(view.errors));
    // Adding items as fast as the test can spends Jira's per-issue write limit (20 writes in 2 s), so the last write
    // may still be pending: the panel then shows the complete record from the ledger ('repaired'), never less.
    expect(['ok', 'repaired']).toContain(view.data.integrity.status);
    const stored = view.data.raid.risk;
    expect(stored).toHaveLength(added);
    expect(new Set(stored.map((r) => r.id)).size).toBe(added);
    expect(stored.map((r) => r.title).sort()).toEqual(
      Array.from({ length: added }, (_, i) => `Risk ${i + 1}: heat supplier contract clause ${i + 1}`).sort(),
    );
    const shards = raidProperties();
    expect(shards.length).toBeLessThanOrEqual(SEARCHABLE_RAID_SHARDS);
    expect(shards.length).toBeGreaterThan(1);

    // Closing an item still works on a full log: the refusal is about growing, not about using the log.
    const closed = await apply({ type: 'closeRaidItem', id: stored[0]!.id, note: 'Contract signed' });
    expect(closed.success).toBe(true);

    recordFigures('raid-overflow', {
      itemsAdded: added,
      firstShardedAtItem: firstShardedAt,
      shardsUsed: shards.length,
      largestShardChars: Math.max(...shards.map((s) => s.chars)),
      propertyLimitChars: PROPERTY_LIMIT,
      refusedAtItem: added + 1,
      itemsLost: added - stored.length,
    });
  });
});
