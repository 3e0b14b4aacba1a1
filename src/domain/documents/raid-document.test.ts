import { EMPTY_RAID_LOG, type RaidItem, type RaidLog } from '../raid';
import { propertySize, PROPERTY_VALUE_LIMIT } from './property-size';
import {
  MAX_RAID_SHARDS,
  mergeRaidShards,
  openItemsSearchable,
  type RaidShard,
  raidShardKey,
  SEARCHABLE_RAID_KEYS,
  splitRaidLog,
} from './raid-document';

const at = '2026-03-01T09:00:00.000Z';

/** A realistic mixed log: every RAID type, long-ish text, every third item closed. */
function bigLog(count: number): RaidLog {
  const items: RaidItem[] = [];
  const seq = { risk: 1, assumption: 1, issue: 1, dependency: 1, decision: 1 };
  for (let i = 0; i < count; i++) {
    const common = {
      title: `Item ${i}: supplier capacity for the Oslo data centre migration`,
      description: `Raised in the weekly review ${i}. `.repeat(3),
      owner: `acc-${i % 7}`,
      status: i % 3 === 0 ? ('closed' as const) : ('open' as const),
      raisedBy: 'acc-pmo',
      raisedAt: at,
      linkedIssueKeys: [],
    };
    switch (i % 5) {
      case 0:
        items.push({
          ...common,
          type: 'risk',
          id: `R-${seq.risk++}`,
          likelihood: 3,
          impact: 4,
          residualLikelihood: 2,
          residualImpact: 4,
          response: 'reduce',
          mitigation: 'Second supplier on standby',
        });
        break;
      case 1:
        items.push({
          ...common,
          type: 'assumption',
          id: `A-${seq.assumption++}`,
          sensitivity: 'high',
          confidence: 'medium',
          validation: 'unvalidated',
        });
        break;
      case 2:
        items.push({
          ...common,
          type: 'issue',
          id: `I-${seq.issue++}`,
          severity: 2,
          priority: 'high',
          dueDate: '2026-04-01',
        });
        break;
      case 3:
        items.push({
          ...common,
          type: 'dependency',
          id: `D-${seq.dependency++}`,
          direction: 'inbound',
          counterpartyKey: 'PMO-12',
          deliveryStatus: 'at-risk',
        });
        break;
      default:
        items.push({
          ...common,
          type: 'decision',
          id: `DEC-${seq.decision++}`,
          statement: 'Decide to use the managed service',
          rationale: 'Cheaper to run',
          alternatives: ['Self-host'],
          approver: 'acc-pmo',
          decidedAt: '2026-02-20',
          impact: 'Lower opex',
        });
    }
  }
  return { items, nextSeq: seq };
}

function split(log: RaidLog, rev = 5): readonly RaidShard[] {
  const result = splitRaidLog(log, rev);
  if (!result.ok) throw new Error(result.message);
  return result.shards;
}

describe('RAID log shards', () => {
  it('a small log is one property under the plain key', () => {
    const shards = split(bigLog(10));
    expect(shards).toHaveLength(1);
    expect(shards[0]).toMatchObject({ shard: 1, shards: 1, rev: 5 });
    expect(raidShardKey(1)).toBe('tollgate-raid');
    expect(raidShardKey(2)).toBe('tollgate-raid-2');
    expect(SEARCHABLE_RAID_KEYS).toEqual(['tollgate-raid', 'tollgate-raid-2', 'tollgate-raid-3']);
  });

  it('1,000 items round-trip through shards without loss, each shard under the limit once signed', () => {
    const log = bigLog(1000);
    const shards = split(log);
    expect(shards.length).toBeGreaterThan(3);
    expect(shards.length).toBeLessThanOrEqual(MAX_RAID_SHARDS);
    for (const shard of shards) {
      const signed = { ...shard, sig: 'f'.repeat(64) };
      expect(propertySize(signed)).toBeLessThanOrEqual(PROPERTY_VALUE_LIMIT);
      expect(shard.shards).toBe(shards.length);
    }
    // Through JSON, as Jira stores and returns them.
    const stored = shards.map((s) => JSON.parse(JSON.stringify(s)) as unknown);
    const merged = mergeRaidShards(stored);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    const byId = (items: readonly RaidItem[]) => new Map(items.map((i) => [i.id, i]));
    expect(merged.document.items).toHaveLength(1000);
    expect(byId(merged.document.items)).toEqual(byId(log.items));
    expect(merged.document.nextSeq).toEqual(log.nextSeq);
    expect(merged.document.rev).toBe(5);
  });

  it('packs open items first so they sit in the shards the portfolio reads', () => {
    const shards = split(bigLog(300));
    const firstClosed = shards.flatMap((s) => s.items).findIndex((i) => i.status === 'closed');
    const all = shards.flatMap((s) => s.items);
    expect(all.slice(firstClosed).every((i) => i.status === 'closed')).toBe(true);
    expect(openItemsSearchable(shards)).toBe(true);
  });

  it('reports when open items spill past the searchable shards', () => {
    const allOpen = bigLog(1000);
    const open = { ...allOpen, items: allOpen.items.map((i) => ({ ...i, status: 'open' as const })) };
    expect(openItemsSearchable(split(open))).toBe(false);
  });

  it('refuses a log that needs more shards than Tollgate stores', () => {
    const result = splitRaidLog(bigLog(1000), 1, 20_000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`the most Tollgate stores is ${MAX_RAID_SHARDS}`);
  });

  it('an absent first shard is an empty log', () => {
    expect(mergeRaidShards([])).toMatchObject({ ok: true, document: { items: [], nextSeq: EMPTY_RAID_LOG.nextSeq } });
    expect(mergeRaidShards([undefined])).toMatchObject({ ok: true, document: { items: [] } });
  });

  it('ignores leftovers of a longer log past the count shard 1 declares', () => {
    const long = split(bigLog(400), 4);
    const short = split(bigLog(10), 5);
    const merged = mergeRaidShards([...short, ...long.slice(short.length)]);
    expect(merged).toMatchObject({ ok: true, document: { rev: 5 } });
    if (merged.ok) expect(merged.document.items).toHaveLength(10);
  });

  describe('refuses a damaged or half-written set', () => {
    const shards = split(bigLog(400), 8);
    it.each<[string, unknown[], string]>([
      ['a missing shard', [shards[0], undefined, shards[2]], 'only 1 were found'],
      ['shards from two revisions', [shards[0], { ...shards[1], rev: 7 }, ...shards.slice(2)], 'revision 7'],
      ['a shard in the wrong property', [shards[1], shards[0]], 'holds shard 2'],
      ['a corrupt item', [{ ...shards[0], items: [{ id: 'R-1', type: 'risk' }] }, ...shards.slice(1)], 'damaged'],
      ['a non-object', ['oops'], 'not a JSON object'],
      ['a newer schema', [{ ...shards[0], schema: 2 }], 'newer Tollgate'],
      [
        'an item listed twice',
        [shards[0], { ...shards[1], items: [...shards[1]!.items, shards[0]!.items[0]] }, ...shards.slice(2)],
        'twice',
      ],
    ])('%s', (_case, raw, message) => {
      const result = mergeRaidShards(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toContain(message);
    });
  });
});
