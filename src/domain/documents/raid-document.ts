/**
 * `tollgate-raid`, `tollgate-raid-2`, …: the RAID log stored across numbered issue properties. A busy project's log
 * outgrows one property (32,768 characters), so it is packed into shards before it reaches the limit. Open items
 * are packed first: they are what health and the portfolio read, and the portfolio search can only fetch a few
 * property keys per issue (at most 5 per search, docs/platform.md §3).
 */
import { z } from 'zod';
import { compareRaidIds, RAID_TYPES, type RaidItem, raidItemSchema, type RaidLog, type RaidType } from '../raid';
import { claimedSchema, type DocumentResult, describeIssues, documentError } from './document-error';
import { PROPERTY_VALUE_LIMIT, propertySize, SIGNATURE_RESERVE } from './property-size';

export const RAID_PROPERTY_KEY = 'tollgate-raid';
export const RAID_SCHEMA_VERSION = 1;

/** Shards the app will write at most; beyond this a new item is refused and closed items must be archived. */
export const MAX_RAID_SHARDS = 16;

/** Shards the portfolio search fetches with the governance and health properties (5 keys per search). */
export const SEARCHABLE_RAID_SHARDS = 3;

/** Property key of shard n (1-based): the first keeps the plain key so a one-shard log looks like any property. */
export function raidShardKey(n: number): string {
  return n === 1 ? RAID_PROPERTY_KEY : `${RAID_PROPERTY_KEY}-${n}`;
}

/** Keys of the shards the portfolio search reads. */
export const SEARCHABLE_RAID_KEYS: readonly string[] = Array.from({ length: SEARCHABLE_RAID_SHARDS }, (_, i) =>
  raidShardKey(i + 1),
);

const nextSeqSchema = z.object(
  Object.fromEntries(RAID_TYPES.map((type) => [type, z.number().int().min(1)])) as Record<RaidType, z.ZodNumber>,
);

export const raidShardSchema = z.object({
  schema: z.literal(RAID_SCHEMA_VERSION),
  /** The governance revision this shard belongs to; shards from different revisions are never mixed. */
  rev: z.number().int().min(0),
  shard: z.number().int().min(1).max(MAX_RAID_SHARDS),
  shards: z.number().int().min(1).max(MAX_RAID_SHARDS),
  nextSeq: nextSeqSchema,
  items: z.array(raidItemSchema),
  sig: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type RaidShard = z.infer<typeof raidShardSchema>;

export type SplitResult =
  | { readonly ok: true; readonly shards: readonly RaidShard[] }
  | { readonly ok: false; readonly shardsNeeded: number; readonly message: string };

/**
 * Packs the log into as few shards as fit under the property limit (leaving room for the signature). Items are
 * ordered open first, then closed, each by id, so the open items sit in the shards the portfolio reads.
 */
export function splitRaidLog(log: RaidLog, rev: number, limit = PROPERTY_VALUE_LIMIT - SIGNATURE_RESERVE): SplitResult {
  const ordered = [...log.items].sort(
    (a, b) => Number(a.status === 'closed') - Number(b.status === 'closed') || compareRaidIds(a.id, b.id),
  );
  // The wrapper's size with two-digit shard numbers, so the estimate never undercounts.
  const wrapper = propertySize({
    schema: RAID_SCHEMA_VERSION,
    rev,
    shard: 99,
    shards: 99,
    nextSeq: log.nextSeq,
    items: [],
  });
  const groups: RaidItem[][] = [[]];
  let size = wrapper;
  for (const item of ordered) {
    const itemSize = propertySize(item) + 1; // the comma between items
    if (itemSize + wrapper > limit) {
      return {
        ok: false,
        shardsNeeded: Infinity,
        message: `RAID item ${item.id} is too large to store (${itemSize} characters).`,
      };
    }
    const current = groups[groups.length - 1] as RaidItem[];
    if (size + itemSize > limit && current.length > 0) {
      groups.push([item]);
      size = wrapper + itemSize;
    } else {
      current.push(item);
      size += itemSize;
    }
  }
  if (groups.length > MAX_RAID_SHARDS) {
    return {
      ok: false,
      shardsNeeded: groups.length,
      message: `The RAID log needs ${groups.length} properties; the most Tollgate stores is ${MAX_RAID_SHARDS}. Archive closed items first.`,
    };
  }
  return {
    ok: true,
    shards: groups.map((items, i) => ({
      schema: RAID_SCHEMA_VERSION,
      rev,
      shard: i + 1,
      shards: groups.length,
      nextSeq: log.nextSeq,
      items,
    })),
  };
}

/** True when every open item lies in the shards the portfolio search fetches. */
export function openItemsSearchable(shards: readonly RaidShard[]): boolean {
  return shards.slice(SEARCHABLE_RAID_SHARDS).every((shard) => shard.items.every((item) => item.status === 'closed'));
}

/** Validates one stored shard; `mergeRaidShards` takes another to share one parse with a signature check. */
export type RaidShardParser = (value: unknown) => ReturnType<typeof raidShardSchema.safeParse>;

/**
 * Reassembles a log from the stored values of shards 1..n (`undefined` for a missing property). Refuses, with a
 * reason, a set that is damaged, incomplete or mixes revisions, so a half-written log is never shown as whole.
 */
export function mergeRaidShards(
  raw: readonly unknown[],
  parseShard: RaidShardParser = (value) => raidShardSchema.safeParse(value),
): DocumentResult<RaidLog & { rev: number }> {
  if (raw.length === 0 || raw[0] === undefined) {
    return {
      ok: true,
      document: { items: [], nextSeq: { risk: 1, assumption: 1, issue: 1, dependency: 1, decision: 1 }, rev: 0 },
      migratedFrom: null,
    };
  }
  const shards: RaidShard[] = [];
  for (const [index, value] of raw.entries()) {
    // Shards past the count shard 1 declares are leftovers of a longer log; they are ignored, not validated.
    if (value === undefined || (shards[0] && index >= shards[0].shards)) break;
    const schema = claimedSchema(value);
    if (schema === 'not-object')
      return documentError('not-json-object', `RAID shard ${index + 1} is not a JSON object.`);
    if (typeof schema === 'number' && schema > RAID_SCHEMA_VERSION) {
      return documentError(
        'newer-schema',
        `RAID shard ${index + 1} was written by a newer Tollgate (schema ${schema}).`,
      );
    }
    const parsed = parseShard(value);
    if (!parsed.success)
      return documentError('invalid', `RAID shard ${index + 1} is damaged.`, describeIssues(parsed.error));
    if (parsed.data.shard !== index + 1) {
      return documentError(
        'inconsistent-shards',
        `Property ${raidShardKey(index + 1)} holds shard ${parsed.data.shard}.`,
      );
    }
    shards.push(parsed.data);
  }
  const first = shards[0] as RaidShard;
  if (shards.length < first.shards) {
    return documentError(
      'inconsistent-shards',
      `The RAID log has ${first.shards} parts but only ${shards.length} were found.`,
    );
  }
  const used = shards.slice(0, first.shards);
  const odd = used.find((shard) => shard.rev !== first.rev || shard.shards !== first.shards);
  if (odd) {
    return documentError(
      'inconsistent-shards',
      `RAID shard ${odd.shard} is from revision ${odd.rev}, shard 1 from ${first.rev}.`,
    );
  }
  const items = used.flatMap((shard) => shard.items);
  const ids = new Set(items.map((item) => item.id));
  if (ids.size !== items.length) return documentError('inconsistent-shards', 'The RAID log lists an item twice.');
  items.sort((a, b) => compareRaidIds(a.id, b.id));
  return { ok: true, document: { items, nextSeq: first.nextSeq, rev: first.rev }, migratedFrom: null };
}
