/**
 * What a record's signatures and ledger say about where it belongs. Signatures are bound to the issue id and the
 * installation (signing.ts), so a record copied from another issue through REST no longer verifies; what a copy, a
 * legacy (pre-binding) signature, a deleted record and a vouched legacy record each read as is decided here.
 */
import { GOVERNANCE_PROPERTY_KEY } from '../domain/documents/governance-document';
import { type HealthDocument, toHealthDocument } from '../domain/documents/health-document';
import { RAID_PROPERTY_KEY, raidShardKey, splitRaidLog } from '../domain/documents/raid-document';
import { assessHealth } from '../domain/health';
import {
  applyOp,
  type GovernanceOp,
  type OpContext,
  type OpInput,
  opPayloadSchema,
  type ProjectRecord,
} from '../domain/ops';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { buildFacts, COOPER, T0 } from '../domain/testing/builders';
import { addCalendarDays } from '../domain/time';
import { assessIntegrity, healthSaysGoverned, legacyVouch, recordFromLedger } from './integrity';
import { ledgerOpOf } from './ledger-record';
import { type LedgerEntry, type RegistryIssue, type SigningKey } from './ports';
import { parseProjectDocuments } from './project-documents';
import { legacySignature, signDocument, storedForm, vouchSeal } from './signing';

const KEY: SigningKey = { secret: 's'.repeat(64), installation: 'ari:cloud:ecosystem::installation/site-a' };
/** PMO-9, the governed project whose record is copied, and PMO-26, never governed, that it is copied onto. */
const SOURCE = '10009';
const TARGET = '10026';
const PMO = 'acc-pmo';
const OWNER = 'acc-owner';
const NOW = '2026-11-21T09:00:00.000Z';
const templates = () => COOPER;

type Form = 'bound' | 'legacy';

/** Ops through the real reducer, each signed as the write path signs it (or as it did before the binding). */
function history(issueId: string, payloads: readonly OpInput[], form: Form) {
  let record: ProjectRecord | null = null;
  const entries: LedgerEntry[] = [];
  payloads.forEach((payload, index) => {
    const by = payload.type === 'startGovernance' ? PMO : OWNER;
    const at = `${addCalendarDays('2026-11-02', index)}T10:00:00.000Z`;
    const op: GovernanceOp = { ...opPayloadSchema.parse(payload), by, at };
    const ctx: OpContext = {
      template: COOPER,
      mode: 'supportive',
      actor: { accountId: by, roles: by === PMO ? ['pmo'] : [] },
      projectOwner: OWNER,
    };
    const result = applyOp(record, op, ctx);
    if (!result.ok) throw new Error(`refused ${payload.type}: ${result.refusal.code}`);
    const governance = { ...result.record.governance, sig: undefined };
    const sig = sign(form, issueId, governance);
    record = { ...result.record, governance: { ...governance, sig } };
    entries.push({ issueId, rev: governance.rev, op: ledgerOpOf(op, ctx), by, at: op.at, sig, committed: true });
  });
  if (!record) throw new Error('no ops');
  return { record: record as ProjectRecord, entries };
}

function sign(form: Form, issueId: string, document: Record<string, unknown>): string {
  return form === 'bound' ? signDocument(KEY, issueId, document) : legacySignature(KEY.secret, document);
}

/** The properties the write path stores for a record: governance and its shards, each signed and in stored form. */
function stored(record: ProjectRecord, issueId: string, form: Form): Record<string, unknown> {
  const split = splitRaidLog(record.raid, record.governance.rev);
  if (!split.ok) throw new Error(split.message);
  const properties: Record<string, unknown> = {
    [GOVERNANCE_PROPERTY_KEY]: storedForm({ ...record.governance }),
  };
  for (const shard of split.shards) {
    properties[raidShardKey(shard.shard)] = storedForm({ ...shard, sig: sign(form, issueId, { ...shard }) });
  }
  return JSON.parse(JSON.stringify(properties)) as Record<string, unknown>;
}

function issue(id: string, properties: Record<string, unknown>): RegistryIssue {
  return {
    id,
    key: id === SOURCE ? 'PMO-9' : 'PMO-26',
    summary: 'A project',
    statusName: 'In Progress',
    statusCategory: 'indeterminate',
    assigneeAccountId: OWNER,
    assigneeName: null,
    duedate: null,
    created: T0,
    projectId: '10000',
    securityLevelId: null,
    customFields: {},
    properties,
  };
}

const judge = (id: string, properties: Record<string, unknown>, entries: readonly LedgerEntry[] = []) =>
  assessIntegrity(parseProjectDocuments(issue(id, properties)), entries, KEY, NOW, templates);

const OPS: readonly OpInput[] = [
  { type: 'startGovernance', templateId: COOPER.id, templateVersion: COOPER.version },
  {
    type: 'addRaidItem',
    item: { type: 'risk', title: 'Heat supplier may pull out', owner: OWNER, likelihood: 3, impact: 4 },
  },
  { type: 'recordStatusReview', summary: 'Supplier talks started.', confidence: 'medium' },
];

/** Health the app stored for a governed project (or, with overrides, for one it judged otherwise). */
function health(overrides: Partial<HealthDocument> = {}): HealthDocument {
  const document = toHealthDocument(assessHealth(buildFacts(), DEFAULT_SETTINGS.health, '2026-11-20'), 'ok', NOW);
  return { ...document, ...overrides };
}

describe('a record copied from another issue', () => {
  const source = history(SOURCE, OPS, 'bound');
  const copy = stored(source.record, SOURCE, 'bound');

  it('is genuine where it was signed', () => {
    expect(judge(SOURCE, copy)).toMatchObject({ status: 'ok' });
    expect(judge(SOURCE, copy, source.entries)).toMatchObject({ status: 'ok' });
  });

  // Every way the copy can land on an issue it was not signed for; each must read as tampered, never as genuine.
  const attacks: ReadonlyArray<[string, () => Record<string, unknown>, () => readonly LedgerEntry[], string]> = [
    ['onto a never-governed issue with no ledger', () => copy, () => [], 'foreign'],
    [
      'onto a never-governed issue, its legacy (unbound) form',
      () => stored(history(SOURCE, OPS, 'legacy').record, SOURCE, 'legacy'),
      () => [],
      'foreign',
    ],
    ['onto a governed issue with its own ledger', () => copy, () => history(TARGET, OPS, 'bound').entries, 'signature'],
    [
      'onto a governed issue, in the legacy form, at a revision its own ledger has',
      () => stored(history(SOURCE, OPS, 'legacy').record, SOURCE, 'legacy'),
      () => history(TARGET, OPS, 'bound').entries,
      'foreign',
    ],
    [
      'onto a never-governed issue, moved on a stage with the signature kept',
      () => {
        const forged = JSON.parse(JSON.stringify(copy)) as Record<string, Record<string, unknown>>;
        forged[GOVERNANCE_PROPERTY_KEY]!.stage = 'scoping';
        return forged;
      },
      () => [],
      'foreign',
    ],
    [
      'only its RAID log, under the target’s own signed governance',
      () => ({
        ...stored(history(TARGET, OPS, 'bound').record, TARGET, 'bound'),
        [RAID_PROPERTY_KEY]: copy[RAID_PROPERTY_KEY],
      }),
      () => [],
      'foreign',
    ],
  ];

  it.each(attacks)('reads as tampered when copied %s', (_case, properties, entries, reason) => {
    const verdict = judge(TARGET, properties(), entries());
    expect(verdict).toMatchObject({ status: 'tampered', reason });
    if (verdict.status === 'tampered' && entries().length === 0) {
      // Nothing of it is the target's: no genuine change to name, only the stored copy to show.
      expect(verdict.lastGenuine).toBeNull();
    }
  });

  it('still leaves documents nobody ever signed as unverified: data from before Tollgate, for a PMO lead to confirm', () => {
    const unsigned = JSON.parse(JSON.stringify(copy)) as Record<string, Record<string, unknown>>;
    for (const document of Object.values(unsigned)) delete document.sig;
    expect(judge(TARGET, unsigned)).toMatchObject({ status: 'unverified' });
  });
});

describe('a record deleted from a project with no ledger', () => {
  const none = {};
  it.each([
    ['the health it stored says it was governed', health(), 'tampered'],
    [
      'the health says it had already failed the integrity check',
      health({ status: 'ungoverned', stage: undefined, integrity: 'tampered' }),
      'tampered',
    ],
    ['the health says it was never governed', health({ status: 'ungoverned', stage: undefined }), 'ok'],
  ] as const)('reads by what the app knows: %s', (_case, stored, status) => {
    const verdict = judge(TARGET, { 'tollgate-health': stored });
    expect(verdict.status).toBe(status);
    if (status === 'tampered') expect(verdict).toMatchObject({ reason: 'missing', stored: null, lastGenuine: null });
  });

  it('is ungoverned when nothing says otherwise', () => {
    expect(judge(TARGET, none)).toEqual({ status: 'ok', record: null });
    expect(healthSaysGoverned(null)).toBe(false);
  });
});

describe('documents signed before signatures were bound to their issue', () => {
  const legacy = history(TARGET, OPS, 'legacy');
  const documents = stored(legacy.record, TARGET, 'legacy');

  it('are genuine where this issue’s ledger vouches for them, and sealed for the portfolio', () => {
    const docs = parseProjectDocuments(issue(TARGET, documents));
    expect(assessIntegrity(docs, legacy.entries, KEY, NOW, templates)).toMatchObject({ status: 'ok' });
    const seal = legacyVouch(KEY, docs);
    const sigs = [GOVERNANCE_PROPERTY_KEY, RAID_PROPERTY_KEY].map((k) => (documents[k] as { sig: string }).sig);
    expect(seal).toBe(vouchSeal(KEY, TARGET, sigs));
    // A record signed for its issue needs no seal.
    const bound = history(TARGET, OPS, 'bound');
    expect(
      legacyVouch(KEY, parseProjectDocuments(issue(TARGET, stored(bound.record, TARGET, 'bound')))),
    ).toBeUndefined();
  });

  it('are restored from a ledger that recorded legacy signatures', () => {
    const rebuilt = recordFromLedger(legacy.entries, KEY, templates, TARGET);
    expect(rebuilt).toMatchObject({ ok: true, record: { governance: { rev: legacy.record.governance.rev } } });
    // A ledger recorded since the binding vouches for its own issue only.
    expect(recordFromLedger(history(TARGET, OPS, 'bound').entries, KEY, templates, SOURCE)).toMatchObject({
      ok: false,
    });
  });

  it('are finished from the ledger when a write stalled before them', () => {
    const behind = history(TARGET, OPS.slice(0, 2), 'legacy');
    const head = legacy.entries.at(-1)!;
    // The last op was recorded (after the binding, so its signature is bound) but never written.
    const stalled = { ...head, sig: signDocument(KEY, TARGET, { ...legacy.record.governance, sig: undefined }) };
    const entries = [...behind.entries, { ...stalled, committed: false, stalled: true }];
    const verdict = judge(TARGET, stored(behind.record, TARGET, 'legacy'), entries);
    expect(verdict).toMatchObject({ status: 'repaired', toRev: head.rev });
  });

  it('are not believed for a shard the ledger never split into', () => {
    const otherRisk: OpInput = {
      type: 'addRaidItem',
      item: { type: 'risk', title: 'Another project’s risk', owner: OWNER, likelihood: 2, impact: 2 },
    };
    const other = history(SOURCE, [OPS[0]!, otherRisk, OPS[2]!], 'legacy');
    const mixed = { ...documents, [RAID_PROPERTY_KEY]: stored(other.record, SOURCE, 'legacy')[RAID_PROPERTY_KEY] };
    expect(judge(TARGET, mixed, legacy.entries)).toMatchObject({ status: 'tampered', reason: 'foreign' });
  });
});
