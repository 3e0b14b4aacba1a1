/**
 * Is what Jira stores what Tollgate wrote? Anyone who can edit an issue can rewrite its properties through REST, so
 * every document carries an HMAC the app made, and the app's ledger (which users cannot write) records every op.
 * This compares the two (docs/architecture.md §4) and says: verified, repaired (a write was caught half way and is
 * finished from the ledger), unverified (no ledger yet: data from before this installation), or tampered — with who
 * last changed it legitimately, so a PMO lead knows what a restore brings back.
 */
import { parseGovernanceDocument } from '../domain/documents/governance-document';
import { mergeRaidShards, splitRaidLog } from '../domain/documents/raid-document';
import { type ProjectRecord } from '../domain/ops';
import { type StageGateTemplate, type TemplateRef } from '../domain/templates';
import { type Instant } from '../domain/time';
import { ledgerOpSchema, replayLedger } from './ledger-record';
import { type LedgerEntry } from './ports';
import { type ProjectDocuments } from './project-documents';
import { signDocument, verifySignature } from './signing';

/**
 * A write claims its ledger slot, writes the properties, then marks the slot committed. An uncommitted slot older
 * than this belongs to a write that died (Forge stops a resolver at 25 s).
 */
export const IN_FLIGHT_MS = 30_000;

export type TamperReason = 'signature' | 'rollback' | 'missing' | 'unreadable' | 'ledger-mismatch';

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
      /** The last change made through Tollgate: who, when, at which revision. */
      readonly lastGenuine: { readonly rev: number; readonly by: string; readonly at: Instant };
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

function signaturesValid(key: string, docs: ProjectDocuments): boolean {
  const governance = docs.governance?.ok ? docs.governance.document : undefined;
  if (!governance || !verifySignature(key, governance)) return false;
  // Shards as parsed once when the documents were read (null: not a valid shard).
  return docs.parsedRaidShards.every((shard) => shard !== null && verifySignature(key, shard));
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
 * Judges a project's stored documents against its ledger.
 * @param entries every ledger entry of the issue, in revision order.
 */
export function assessIntegrity(
  docs: ProjectDocuments,
  entries: readonly LedgerEntry[],
  signingKey: string,
  now: Instant,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): IntegrityVerdict {
  const head = entries.at(-1);
  const { record, problem } = storedRecord(docs);
  if (!head) {
    if (problem) return { status: 'damaged', problem };
    if (!record) return { status: 'ok', record: null };
    return signaturesValid(signingKey, docs) ? { status: 'ok', record } : { status: 'unverified', record };
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
  if (!signaturesValid(signingKey, docs))
    return { status: 'tampered', reason: 'signature', stored: record, lastGenuine };
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
  const replayed = replayEachSigned(record, missing, signingKey, templateFor);
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
  signingKey: string,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): ProjectRecord | null {
  let record = start;
  for (const entry of entries) {
    const replayed = replayLedger(record, [entry], templateFor);
    if (!replayed.ok || !replayed.record) return null;
    if (signDocument(signingKey, { ...replayed.record.governance, sig: undefined }) !== entry.sig) return null;
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
  signingKey: string,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): IntegrityVerdict | null {
  const head = entries.at(-1);
  const governance = docs.governance?.ok ? docs.governance.document : undefined;
  if (!head || !governance || !unwrittenAfter(entries, governance.rev)) return null;
  if (!verifySignature(signingKey, governance) || !recordedGovernance(entries, governance, signingKey)) return null;
  const stored = docs.parsedRaidShards;
  if (stored.length === 0) return null;
  const shardSigsAt = new Map<number, ReadonlyMap<number, string> | null>();
  const expectedAt = (rev: number): ReadonlyMap<number, string> | null => {
    if (!shardSigsAt.has(rev)) {
      const atRev = recordFromLedger(
        entries.filter((e) => e.rev <= rev),
        signingKey,
        templateFor,
      );
      const split = atRev.ok ? splitRaidLog(atRev.record.raid, rev) : null;
      shardSigsAt.set(
        rev,
        split?.ok ? new Map(split.shards.map((shard) => [shard.shard, signDocument(signingKey, shard)])) : null,
      );
    }
    return shardSigsAt.get(rev) ?? null;
  };
  let ahead = false;
  for (const shard of stored) {
    if (!shard || shard.rev < governance.rev || shard.rev > head.rev || !verifySignature(signingKey, shard))
      return null;
    if (expectedAt(shard.rev)?.get(shard.shard) !== shard.sig) return null;
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
  signingKey: string,
): boolean {
  if (entries.find((e) => e.rev === governance.rev)?.sig === governance.sig) return true;
  const first = entries[0];
  const baseline = first?.rev === governance.rev + 1 ? ledgerBaseline(first) : null;
  return baseline !== null && signDocument(signingKey, baseline.governance) === governance.sig;
}

/**
 * The record as the ledger says it should be: its baseline (or nothing) with every op replayed, checked against the
 * signature recorded with the last op. What a PMO lead's restore writes back.
 */
export function recordFromLedger(
  entries: readonly LedgerEntry[],
  signingKey: string,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
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
  if (signDocument(signingKey, { ...replayed.record.governance, sig: undefined }) !== head.sig) {
    return { ok: false, problem: 'Replaying the ledger does not reproduce the last recorded document.' };
  }
  return { ok: true, record: { ...replayed.record, governance: { ...replayed.record.governance, sig: head.sig } } };
}
