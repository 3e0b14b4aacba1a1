/**
 * Is what Jira stores what Tollgate wrote? Anyone who can edit an issue can rewrite its properties through REST, so
 * every document carries an HMAC the app made, and the app's ledger (which users cannot write) records every op.
 * This compares the two (docs/architecture.md §4) and says: verified, repaired (a write was caught half way and is
 * finished from the ledger), unverified (no ledger yet: data from before this installation), or tampered — with who
 * last changed it legitimately, so a PMO lead knows what a restore brings back.
 */
import { parseGovernanceDocument } from '../domain/documents/governance-document';
import { type HealthDocument } from '../domain/documents/health-document';
import {
  mergeRaidShards,
  type RaidShard,
  SEARCHABLE_RAID_SHARDS,
  splitRaidLog,
} from '../domain/documents/raid-document';
import { type ProjectRecord } from '../domain/ops';
import { type StageGateTemplate, type TemplateRef } from '../domain/templates';
import { type Instant } from '../domain/time';
import { ledgerOpSchema, replayLedger } from './ledger-record';
import { type LedgerEntry, type SigningKey } from './ports';
import { type ProjectDocuments } from './project-documents';
import { legacySignature, recordedSignatureOf, signatureStatus, signDocument, vouchSeal } from './signing';

/**
 * A write claims its ledger slot, writes the properties, then marks the slot committed. An uncommitted slot older
 * than this belongs to a write that died (Forge stops a resolver at 25 s).
 */
export const IN_FLIGHT_MS = 30_000;

/**
 * Why documents read as tampered. `foreign`: they carry a Tollgate signature, but not one made for this issue on this
 * installation and vouched for by this issue's ledger — another issue's record copied here through REST (signatures
 * are bound to the issue id, signing.ts), an edited copy of one, or a document signed before that binding that
 * nothing here vouches for.
 */
export type TamperReason = 'signature' | 'rollback' | 'missing' | 'unreadable' | 'ledger-mismatch' | 'foreign';

export type IntegrityVerdict =
  | { readonly status: 'ok'; readonly record: ProjectRecord | null }
  | { readonly status: 'repaired'; readonly record: ProjectRecord; readonly fromRev: number; readonly toRev: number }
  /** Another write is between its ledger claim and its last property write: read again shortly. */
  | { readonly status: 'in-flight' }
  | { readonly status: 'unverified'; readonly record: ProjectRecord }
  | { readonly status: 'damaged'; readonly problem: string }
  | {
      readonly status: 'tampered';
      readonly reason: TamperReason;
      /** What is stored now, when it can still be read (shown, never trusted). */
      readonly stored: ProjectRecord | null;
      /**
       * The last change made through Tollgate: who, when, at which revision. Null when Tollgate has no record of any
       * change to this project (no ledger): then nothing can be restored, only the untrusted documents removed.
       */
      readonly lastGenuine: { readonly rev: number; readonly by: string; readonly at: Instant } | null;
    };

/** The stored record, or the problem that keeps it from being read. */
function storedRecord(docs: ProjectDocuments): { record: ProjectRecord | null; problem?: string } {
  if (!docs.governance) return { record: null };
  if (!docs.governance.ok) return { record: null, problem: docs.governance.error.message };
  if (!docs.raid.ok) return { record: null, problem: docs.raid.error.message };
  const { rev, ...raid } = docs.raid.document;
  const governance = docs.governance.document;
  // An issue whose log is empty has no shard at all; its "shard revision" is whatever the governance says.
  if (docs.raidShards.length > 0 && rev !== governance.rev) {
    return { record: null, problem: `the RAID log is at revision ${rev} and the governance at ${governance.rev}` };
  }
  return { record: { governance, raid } };
}

/**
 * Whether the app's own stored health says this project was under governance (or had already failed the integrity
 * check). Without a ledger it is all the app can know of a record that is no longer there: the documents and the
 * health property are both user-writable, but a user who writes health claiming a record only makes their own
 * project read as tampered, and one who deletes the documents alone can no longer pass the project off as never
 * governed. One who deletes the health too leaves nothing the app could know (docs/architecture.md §4).
 */
export function healthSaysGoverned(health: HealthDocument | null | undefined): boolean {
  if (!health) return false;
  return health.status !== 'ungoverned' || health.stage !== undefined || health.integrity === 'tampered';
}

/** The stored health document, when it can be read. */
function storedHealth(docs: ProjectDocuments): HealthDocument | null {
  return docs.health?.ok ? docs.health.document : null;
}

/** The governance document and every RAID shard as parsed (null where a stored value is not a valid shard). */
function signedDocuments(docs: ProjectDocuments): ReadonlyArray<Readonly<Record<string, unknown>> | null> {
  const governance = docs.governance?.ok ? docs.governance.document : null;
  return [governance, ...docs.parsedRaidShards];
}

/**
 * Without a ledger: `ok` when every document is signed for this issue, `foreign` when any carries a signature that is
 * not (a document that is not a valid shard counts as one), and otherwise `unverified`: documents that carry no
 * signature (imported, or written before Tollgate governed the project) beside ones signed for this issue.
 * A signature is a claim that Tollgate wrote the document here. With no ledger to vouch for it, one that is not bound
 * to this issue — another issue's copied over, an edited one, or the legacy unbound form, which proves the document
 * but not where it belongs — is a false claim, never "data from before Tollgate" that a PMO lead could confirm into
 * the ledger with a tick.
 */
function unledgeredSignatures(key: SigningKey, docs: ProjectDocuments): 'ok' | 'unverified' | 'foreign' {
  const statuses = signedDocuments(docs).map((document) => {
    if (document === null) return 'invalid';
    return docs.verified.has(document) ? 'bound' : signatureStatus(key, docs.issue.id, document);
  });
  if (statuses.every((status) => status === 'bound')) return 'ok';
  // Some signature is false here: a claim to be Tollgate's record of this issue that is not.
  if (statuses.some((status) => status === 'legacy' || status === 'invalid')) return 'foreign';
  // What carries no signature claims nothing, and what does is this issue's: a record Tollgate did not (all) write.
  return 'unverified';
}

/**
 * With a ledger: whether every document is signed for this issue, or else why not. A signature in the legacy form
 * (made before signatures were bound to their issue, signing.ts) is accepted only where this issue's ledger vouches
 * for the very document — the governance its entry recorded, a shard the ledger's record at its revision splits into
 * — because that is what documents stored before the binding look like, and the ledger (per issue, which users
 * cannot write) is what still proves they belong here. This is the migration: the next write re-signs them bound.
 */
function ledgeredSignatures(
  key: SigningKey,
  docs: ProjectDocuments,
  entries: readonly LedgerEntry[],
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): 'ok' | 'signature' | 'foreign' {
  const issueId = docs.issue.id;
  const governance = docs.governance?.ok ? docs.governance.document : undefined;
  if (!governance) return 'signature';
  const statusOf = (document: Readonly<Record<string, unknown>>) =>
    docs.verified.has(document) ? 'bound' : signatureStatus(key, issueId, document);
  const governanceStatus = statusOf(governance);
  if (governanceStatus === 'legacy' && !recordedGovernance(entries, governance, key, issueId)) return 'foreign';
  if (governanceStatus !== 'bound' && governanceStatus !== 'legacy') return 'signature';
  const expected = ledgerShardSignatures(entries, key, issueId, templateFor);
  for (const shard of docs.parsedRaidShards) {
    const status = shard === null ? 'invalid' : statusOf(shard);
    if (status === 'bound') continue;
    if (status !== 'legacy' || shard === null) return 'signature';
    if (
      !expected(shard.rev)
        ?.get(shard.shard)
        ?.has(shard.sig ?? '')
    )
      return 'foreign';
  }
  return 'ok';
}

/**
 * The signatures, bound and legacy, of the shards the ledger's record at each revision splits into: what a stored
 * shard at that revision must carry to be one the app wrote for this issue. Computed once per revision asked for.
 */
function ledgerShardSignatures(
  entries: readonly LedgerEntry[],
  key: SigningKey,
  issueId: string,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): (rev: number) => ReadonlyMap<number, ReadonlySet<string>> | null {
  const byRev = new Map<number, ReadonlyMap<number, ReadonlySet<string>> | null>();
  return (rev) => {
    if (!byRev.has(rev)) {
      const upTo = entries.filter((e) => e.rev <= rev);
      // Documents from before the ledger sit at the revision its first entry started from: its baseline.
      const baseline = upTo.length === 0 && entries[0]?.rev === rev + 1 ? ledgerBaseline(entries[0]) : null;
      const atRev = baseline
        ? { ok: true as const, record: baseline }
        : recordFromLedger(upTo, key, templateFor, issueId);
      const split = atRev.ok ? splitRaidLog(atRev.record.raid, rev) : null;
      byRev.set(
        rev,
        split?.ok
          ? new Map(
              split.shards.map((shard: RaidShard) => [
                shard.shard,
                new Set([signDocument(key, issueId, shard), legacySignature(key.secret, shard)]),
              ]),
            )
          : null,
      );
    }
    return byRev.get(rev) ?? null;
  };
}

/** The record a ledger's first entry started from, when it kept one. */
export function ledgerBaseline(first: LedgerEntry | undefined): ProjectRecord | null {
  const parsed = ledgerOpSchema.safeParse(first?.op);
  if (!parsed.success || !parsed.data.baseline) return null;
  const governance = parseGovernanceDocument(parsed.data.baseline.governance);
  const raid = parsed.data.baseline.raid as { items?: unknown; nextSeq?: unknown } | null;
  if (!governance.ok || !raid) return null;
  const log = mergeRaidShards([
    { schema: 1, rev: governance.document.rev, shard: 1, shards: 1, nextSeq: raid.nextSeq, items: raid.items },
  ]);
  if (!log.ok) return null;
  const { rev: _, ...rest } = log.document;
  return { governance: { ...governance.document, sig: undefined }, raid: rest };
}

/**
 * The seal for `tollgate-health` when some of a project's documents still carry the legacy signature form and its
 * ledger vouched for them (the caller judged the documents `ok` against the ledger); undefined when every document is
 * signed for its issue, which needs no seal. The portfolio, which judges signatures without reading ledgers
 * (docs/architecture.md §5), believes a legacy signature only under this seal (see vouchSeal).
 */
export function legacyVouch(key: SigningKey, docs: ProjectDocuments): string | undefined {
  // The documents the portfolio's search reads: governance and the first shards (the rest it never sees).
  const documents = signedDocuments(docs).slice(0, 1 + SEARCHABLE_RAID_SHARDS);
  const legacy = documents.some(
    (document) =>
      document !== null && !docs.verified.has(document) && signatureStatus(key, docs.issue.id, document) === 'legacy',
  );
  if (!legacy) return undefined;
  return vouchSeal(
    key,
    docs.issue.id,
    documents.map((document) => (typeof document?.sig === 'string' ? document.sig : '')),
  );
}

/**
 * Judges a project's stored documents against its ledger.
 * @param entries every ledger entry of the issue, in revision order.
 */
export function assessIntegrity(
  docs: ProjectDocuments,
  entries: readonly LedgerEntry[],
  signingKey: SigningKey,
  now: Instant,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): IntegrityVerdict {
  const head = entries.at(-1);
  const { record, problem } = storedRecord(docs);
  if (!head) {
    if (problem) return { status: 'damaged', problem };
    if (!record) {
      // No record and no ledger is a project never governed, unless the app's own health says it was: then the
      // record was deleted, and that is not "ungoverned" but a record gone that nothing can bring back.
      return healthSaysGoverned(storedHealth(docs))
        ? { status: 'tampered', reason: 'missing', stored: null, lastGenuine: null }
        : { status: 'ok', record: null };
    }
    const signatures = unledgeredSignatures(signingKey, docs);
    if (signatures === 'foreign') return { status: 'tampered', reason: 'foreign', stored: record, lastGenuine: null };
    return signatures === 'ok' ? { status: 'ok', record } : { status: 'unverified', record };
  }
  const lastGenuine = { rev: head.rev, by: head.by, at: head.at };
  // A stalled head's writer gave up on Jira and said so: nobody is writing it, so readers finish it at once.
  const inFlight = !head.committed && !head.stalled && Date.parse(now) - Date.parse(head.at) <= IN_FLIGHT_MS;
  const atHead = record?.governance.rev === head.rev;
  // Documents not (yet) at the head of an uncommitted, recent claim are being written right now.
  if (inFlight && !atHead) return { status: 'in-flight' };
  if (!docs.governance) return { status: 'tampered', reason: 'missing', stored: null, lastGenuine };
  if (problem || !record) {
    // An older governance document behind a finished write, whatever its shards say, is an old document put back.
    const governance = docs.governance.ok ? docs.governance.document : undefined;
    const rolledBack = governance !== undefined && head.committed === true && governance.rev < head.rev;
    const finished = rolledBack ? null : finishDiedWrite(docs, entries, signingKey, templateFor);
    if (finished) return finished;
    return { status: 'tampered', reason: rolledBack ? 'rollback' : 'unreadable', stored: null, lastGenuine };
  }
  const signatures = ledgeredSignatures(signingKey, docs, entries, templateFor);
  if (signatures !== 'ok') return { status: 'tampered', reason: signatures, stored: record, lastGenuine };
  const rev = record.governance.rev;
  const recordedAtRev = entries.find((e) => e.rev === rev);
  if (rev > head.rev || (recordedAtRev && recordedAtRev.sig !== record.governance.sig)) {
    return { status: 'tampered', reason: 'ledger-mismatch', stored: record, lastGenuine };
  }
  if (rev === head.rev) return { status: 'ok', record };
  // Behind the ledger. Behind only uncommitted entries, it is writes that claimed their slots and died or gave up on
  // Jira before their property writes (one stalled write is followed by the next op, which may stall too): finishing
  // them from the ledger loses nothing. Behind a committed entry, someone put an older document back.
  const missing = unwrittenAfter(entries, rev);
  if (!missing) return { status: 'tampered', reason: 'rollback', stored: record, lastGenuine };
  const replayed = replayEachSigned(record, missing, signingKey, docs.issue.id, templateFor);
  if (!replayed) return { status: 'tampered', reason: 'ledger-mismatch', stored: record, lastGenuine };
  return { status: 'repaired', record: replayed, fromRev: rev, toRev: head.rev };
}

/**
 * The entries after revision `rev` when every one of them is a write whose documents never (fully) landed: a
 * contiguous run up to the head, none committed. Null when there is none, or a committed one among them.
 */
function unwrittenAfter(entries: readonly LedgerEntry[], rev: number): readonly LedgerEntry[] | null {
  const after = entries.filter((entry) => entry.rev > rev);
  if (after.length === 0) return null;
  const contiguous = after.every((entry, i) => entry.rev === rev + 1 + i && entry.committed !== true);
  return contiguous ? after : null;
}

/**
 * Replays entries one by one on `start`, each required to reproduce the signature recorded with it; the record at
 * the last one, signed as recorded, or null when any of them disagrees.
 */
function replayEachSigned(
  start: ProjectRecord,
  entries: readonly LedgerEntry[],
  signingKey: SigningKey,
  issueId: string,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): ProjectRecord | null {
  let record = start;
  for (const entry of entries) {
    const replayed = replayLedger(record, [entry], templateFor);
    if (!replayed.ok || !replayed.record) return null;
    const governance = { ...replayed.record.governance, sig: undefined };
    if (!recordedSignatureOf(signingKey, issueId, governance, entry.sig)) return null;
    record = { ...replayed.record, governance: { ...replayed.record.governance, sig: entry.sig } };
  }
  return record;
}

/**
 * A write that died between its RAID shards and its governance document: Jira stored some of its shards (shards are
 * written in order, so a rate limit or an outage can stop it after any of them) and not its governance. Every stored
 * shard is the app's, signed, and exactly the shard with its number that the ledger's record at its own revision
 * splits into; the governance is the genuine one the ledger recorded; every entry after the governance is uncommitted
 * (the writes after it stalled too). Shards the died write never reached are older genuine ones or, when it was
 * adding a shard, absent. The ledger then rebuilds the head, and the writes are finished from it instead of being
 * called tampering.
 */
function finishDiedWrite(
  docs: ProjectDocuments,
  entries: readonly LedgerEntry[],
  signingKey: SigningKey,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): IntegrityVerdict | null {
  const head = entries.at(-1);
  const issueId = docs.issue.id;
  const governance = docs.governance?.ok ? docs.governance.document : undefined;
  if (!head || !governance || !unwrittenAfter(entries, governance.rev)) return null;
  // Bound or, from before signatures were bound, legacy: either way the ledger must have recorded it (just below).
  const genuine = (document: Readonly<Record<string, unknown>>) =>
    ['bound', 'legacy'].includes(signatureStatus(signingKey, issueId, document));
  if (!genuine(governance) || !recordedGovernance(entries, governance, signingKey, issueId)) return null;
  const stored = docs.parsedRaidShards;
  if (stored.length === 0) return null;
  const expectedAt = ledgerShardSignatures(entries, signingKey, issueId, templateFor);
  let ahead = false;
  for (const shard of stored) {
    if (!shard || shard.rev < governance.rev || shard.rev > head.rev || !genuine(shard)) return null;
    if (
      !expectedAt(shard.rev)
        ?.get(shard.shard)
        ?.has(shard.sig ?? '')
    )
      return null;
    if (shard.rev > governance.rev) ahead = true;
  }
  if (!ahead) return null;
  const rebuilt = recordFromLedger(entries, signingKey, templateFor);
  if (!rebuilt.ok) return null;
  return { status: 'repaired', record: rebuilt.record, fromRev: governance.rev, toRev: head.rev };
}

/**
 * Whether the ledger vouches for this governance document: an entry recorded it, or it is the baseline the first
 * entry kept (documents from before the ledger, which the project's first op through Tollgate built on).
 */
function recordedGovernance(
  entries: readonly LedgerEntry[],
  governance: ProjectRecord['governance'],
  signingKey: SigningKey,
  issueId: string,
): boolean {
  if (governance.sig === undefined) return false;
  if (entries.find((e) => e.rev === governance.rev)?.sig === governance.sig) return true;
  const first = entries[0];
  const baseline = first?.rev === governance.rev + 1 ? ledgerBaseline(first) : null;
  return baseline !== null && recordedSignatureOf(signingKey, issueId, baseline.governance, governance.sig);
}

/**
 * The record as the ledger says it should be: its baseline (or nothing) with every op replayed, checked against the
 * signature recorded with the last op (bound to the issue, or in the legacy form a ledger entry from before the
 * binding recorded). What a PMO lead's restore writes back.
 * @param issueId the issue the entries are the ledger of; by default the one they name.
 */
export function recordFromLedger(
  entries: readonly LedgerEntry[],
  signingKey: SigningKey,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
  issueId: string | undefined = entries[0]?.issueId,
): { ok: true; record: ProjectRecord } | { ok: false; problem: string } {
  const head = entries.at(-1);
  if (!head)
    return {
      ok: false,
      problem: 'Tollgate has no record of changes to this project, so there is nothing to restore from.',
    };
  const replayed = replayLedger(ledgerBaseline(entries[0]), entries, templateFor);
  if (!replayed.ok || !replayed.record)
    return { ok: false, problem: replayed.ok ? 'The ledger is empty.' : replayed.problem };
  const governance = { ...replayed.record.governance, sig: undefined };
  if (issueId === undefined || !recordedSignatureOf(signingKey, issueId, governance, head.sig)) {
    return { ok: false, problem: 'Replaying the ledger does not reproduce the last recorded document.' };
  }
  return { ok: true, record: { ...replayed.record, governance: { ...replayed.record.governance, sig: head.sig } } };
}
