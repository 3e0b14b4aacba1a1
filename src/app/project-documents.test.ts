import { GOVERNANCE_PROPERTY_KEY } from '../domain/documents/governance-document';
import { RAID_PROPERTY_KEY, splitRaidLog } from '../domain/documents/raid-document';
import { buildGovernance, buildRaidLog, buildRisk } from '../domain/testing/builders';
import { type RegistryIssue, type SigningKey } from './ports';
import { parseProjectDocuments } from './project-documents';
import { signDocument, storedForm } from './signing';

const KEY: SigningKey = { secret: 'k'.repeat(64), installation: 'ari:cloud:ecosystem::installation/test' };
const ISSUE_ID = '10001';

function sealed<T extends Record<string, unknown>>(document: T, key = KEY, issueId = ISSUE_ID): T {
  const unsigned = { ...document, sig: undefined };
  return storedForm({ ...unsigned, sig: signDocument(key, issueId, unsigned) });
}

function issueWith(properties: Record<string, unknown>): RegistryIssue {
  return {
    id: ISSUE_ID,
    key: 'ALPHA-1',
    summary: 'Alpha',
    statusName: 'In Progress',
    statusCategory: 'indeterminate',
    assigneeAccountId: null,
    assigneeName: null,
    duedate: null,
    created: '2026-01-05T09:00:00.000Z',
    projectId: '10000',
    securityLevelId: null,
    customFields: {},
    properties,
  };
}

function storedProject(key = KEY, issueId = ISSUE_ID): Record<string, unknown> {
  const governance = buildGovernance({ rev: 4 });
  const split = splitRaidLog(buildRaidLog([buildRisk()]), 4);
  if (!split.ok) throw new Error(split.message);
  return {
    [GOVERNANCE_PROPERTY_KEY]: sealed(governance as unknown as Record<string, unknown>, key, issueId),
    [RAID_PROPERTY_KEY]: sealed(split.shards[0] as unknown as Record<string, unknown>, key, issueId),
  };
}

describe('parseProjectDocuments with the signing key', () => {
  it('takes documents the app signed as they are stored, and says they were verified', () => {
    const properties = storedProject();
    const docs = parseProjectDocuments(issueWith(properties), [], KEY);
    expect(docs.governance?.ok && docs.governance.document).toBe(properties[GOVERNANCE_PROPERTY_KEY]);
    expect(docs.parsedRaidShards[0]).toBe(properties[RAID_PROPERTY_KEY]);
    expect(docs.verified.size).toBe(2);
    expect(docs.raid.ok && docs.raid.document.items).toHaveLength(1);
  });

  it('validates, and does not count as verified, what another key or another issue signed, or someone changed', () => {
    const foreign = storedProject({ ...KEY, secret: 'x'.repeat(64) });
    const copied = storedProject(KEY, '10026');
    const changed = storedProject();
    (changed[GOVERNANCE_PROPERTY_KEY] as { stage: unknown }).stage = 42;
    for (const properties of [foreign, copied, changed]) {
      const docs = parseProjectDocuments(issueWith(properties), [], KEY);
      expect(docs.verified.has(properties[GOVERNANCE_PROPERTY_KEY] as object)).toBe(false);
    }
    // The changed document no longer fits its schema, and the schema says so.
    const damaged = parseProjectDocuments(issueWith(changed), [], KEY).governance;
    expect(damaged?.ok).toBe(false);
  });

  it('validates everything when no key is given', () => {
    const properties = storedProject();
    const docs = parseProjectDocuments(issueWith(properties));
    expect(docs.verified.size).toBe(0);
    expect(docs.governance?.ok && docs.governance.document).not.toBe(properties[GOVERNANCE_PROPERTY_KEY]);
    expect(docs.governance?.ok && docs.governance.document).toEqual(properties[GOVERNANCE_PROPERTY_KEY]);
  });
});

describe('parseProjectDocuments on what a search returns', () => {
  /** A log of `shards` shards: open risks in the first, closed ones after (as the writer packs them), signed. */
  function longLog(shards: number): Record<string, unknown> {
    const closed = Array.from({ length: 400 }, (_, i) =>
      buildRisk({ id: `R-${i + 2}`, status: 'closed', description: 'x'.repeat(2000) }),
    );
    const log = buildRaidLog([buildRisk(), ...closed]);
    for (let items = 10; items <= log.items.length; items += 1) {
      const split = splitRaidLog({ ...log, items: log.items.slice(0, items) }, 4);
      if (!split.ok || split.shards.length !== shards) continue;
      return Object.fromEntries(
        split.shards.map((shard) => [
          shard.shard === 1 ? RAID_PROPERTY_KEY : `${RAID_PROPERTY_KEY}-${shard.shard}`,
          sealed(shard as unknown as Record<string, unknown>),
        ]),
      );
    }
    throw new Error(`no log splits into ${shards} shards`);
  }
  /** What a search hands over: governance, health and the first three shards (five keys at most). */
  function searched(properties: Record<string, unknown>): Record<string, unknown> {
    const keys = [GOVERNANCE_PROPERTY_KEY, RAID_PROPERTY_KEY, `${RAID_PROPERTY_KEY}-2`, `${RAID_PROPERTY_KEY}-3`];
    return Object.fromEntries(Object.entries(properties).filter(([key]) => keys.includes(key)));
  }

  it.each([4, 5, 16])('reads a %i-shard log whole only with the shards past the search passed in', (count) => {
    const governance = sealed(buildGovernance({ rev: 4 }) as unknown as Record<string, unknown>);
    const shards = longLog(count);
    const properties = searched({ [GOVERNANCE_PROPERTY_KEY]: governance, ...shards });
    // The three shards a search carries are not the log: it says so rather than show part of it as whole.
    expect(parseProjectDocuments(issueWith(properties), [], KEY).raid).toMatchObject({
      ok: false,
      error: { message: `The RAID log has ${count} parts but only 3 were found.` },
    });
    const rest = Array.from({ length: count - 3 }, (_, i) => shards[`${RAID_PROPERTY_KEY}-${i + 4}`]);
    const whole = parseProjectDocuments(issueWith(properties), rest, KEY);
    const stored = Object.values(shards) as Array<{ items: unknown[] }>;
    expect(whole.raid.ok && whole.raid.document.items).toHaveLength(
      stored.reduce((n, shard) => n + shard.items.length, 0),
    );
    // Every signed shard and the governance document checked once while parsing.
    expect(whole.verified.size).toBe(count + 1);
  });

  it('refuses a log that is missing one of its shards, even with the rest passed in', () => {
    const shards = longLog(5);
    const rest = [shards[`${RAID_PROPERTY_KEY}-4`], shards[`${RAID_PROPERTY_KEY}-5`]];
    delete shards[`${RAID_PROPERTY_KEY}-2`];
    const docs = parseProjectDocuments(issueWith(searched(shards)), rest, KEY);
    expect(docs.raid).toMatchObject({ ok: false, error: { code: 'inconsistent-shards' } });
  });
});
