import { GOVERNANCE_PROPERTY_KEY } from '../domain/documents/governance-document';
import { RAID_PROPERTY_KEY, splitRaidLog } from '../domain/documents/raid-document';
import { buildGovernance, buildRaidLog, buildRisk } from '../domain/testing/builders';
import { type RegistryIssue } from './ports';
import { parseProjectDocuments } from './project-documents';
import { signDocument, storedForm } from './signing';

const KEY = 'k'.repeat(64);

function sealed<T extends Record<string, unknown>>(document: T, key = KEY): T {
  const unsigned = { ...document, sig: undefined };
  return storedForm({ ...unsigned, sig: signDocument(key, unsigned) });
}

function issueWith(properties: Record<string, unknown>): RegistryIssue {
  return {
    id: '10001',
    key: 'ALPHA-1',
    summary: 'Alpha',
    statusName: 'In Progress',
    statusCategory: 'indeterminate',
    assigneeAccountId: null,
    assigneeName: null,
    duedate: null,
    created: '2026-01-05T09:00:00.000Z',
    customFields: {},
    properties,
  };
}

function storedProject(key = KEY): Record<string, unknown> {
  const governance = buildGovernance({ rev: 4 });
  const split = splitRaidLog(buildRaidLog([buildRisk()]), 4);
  if (!split.ok) throw new Error(split.message);
  return {
    [GOVERNANCE_PROPERTY_KEY]: sealed(governance as unknown as Record<string, unknown>, key),
    [RAID_PROPERTY_KEY]: sealed(split.shards[0] as unknown as Record<string, unknown>, key),
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

  it('validates, and does not count as verified, what another key signed or someone changed', () => {
    const foreign = storedProject('x'.repeat(64));
    const changed = storedProject();
    (changed[GOVERNANCE_PROPERTY_KEY] as { stage: unknown }).stage = 42;
    for (const properties of [foreign, changed]) {
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
