/**
 * One project's documents judged against its ledger, read so that a write landing at the same moment cannot change
 * the verdict. A write claims its ledger slot, writes the RAID shards, then the governance document, then marks the
 * slot committed (apply-op-use-case.ts), so a reader that meets it half way sees documents that disagree with the
 * ledger. Judged as they stand, those read as "no record yet" (the first write of a project), "changed outside
 * Tollgate" (documents read just before a write, ledger read just after it) or "in flight". None of those is the
 * project's state; they are the reader's timing. This read waits out a write in flight and confirms any alarming
 * verdict with a ledger read on each side of the documents, so what it answers is what the project really holds.
 */
import { type Settings } from '../domain/settings';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { assessIntegrity, type IntegrityVerdict } from './integrity';
import { type Acting, type LedgerEntry } from './ports';
import { type ProjectDocuments, readProjectDocuments } from './project-documents';

/**
 * Waits between reads while a write is in flight: about 3 s in all, longer than a write of a full RAID log under
 * Jira's per-issue write limit takes to land, and well inside a Forge function's 25 s.
 */
export const VERIFIED_READ_WAITS_MS: readonly number[] = [100, 200, 400, 800, 1600];

export type VerifiedRead =
  | {
      readonly kind: 'read';
      readonly docs: ProjectDocuments;
      readonly entries: readonly LedgerEntry[];
      readonly verdict: Exclude<IntegrityVerdict, { status: 'in-flight' }>;
    }
  /** A write stayed between its ledger claim and its last document through every wait: ask again shortly. */
  | { readonly kind: 'busy' }
  /** The issue does not exist, or `acting` may not see it. */
  | { readonly kind: 'missing' };

/** The ledger as far as a concurrent write could change it: every slot's revision and whether it was written. */
function ledgerState(entries: readonly LedgerEntry[]): string {
  return entries.map((e) => `${e.rev}:${e.committed === true ? 'c' : ''}${e.stalled === true ? 's' : ''}`).join(',');
}

/**
 * Reads and judges one project. Verdicts that only a write can fake — in flight, tampered, damaged — are read again:
 * in flight after a wait, the others at once with the ledger read before and after the documents, and trusted only
 * when the ledger did not move in between (no write claimed or finished while the documents were read).
 */
export async function readVerifiedProject(
  deps: AppDeps,
  settings: Settings,
  acting: Acting,
  issueKey: string,
  waits: readonly number[] = VERIFIED_READ_WAITS_MS,
): Promise<VerifiedRead> {
  const lookup = templateLookup(settings);
  const key = await deps.storage.signingKey();
  let issueId: string | undefined;
  let wait = 0;
  for (let reads = 0; reads < 2 * (waits.length + 1); reads += 1) {
    // The issue id keys the ledger, so the first read cannot look at the ledger before the documents.
    const before = issueId === undefined ? undefined : ledgerState(await deps.storage.ledger(issueId));
    const docs = await readProjectDocuments(deps.jira, acting, issueKey, configuredFields(settings));
    if (!docs) return { kind: 'missing' };
    issueId = docs.issue.id;
    const entries = await deps.storage.ledger(issueId);
    const verdict = assessIntegrity(docs, entries, key, deps.clock.now(), lookup);
    if (verdict.status === 'in-flight') {
      const ms = waits[wait];
      if (ms === undefined) return { kind: 'busy' };
      wait += 1;
      await deps.clock.sleep(ms);
      continue;
    }
    const alarming = verdict.status === 'tampered' || verdict.status === 'damaged';
    if (!alarming || before === ledgerState(entries)) return { kind: 'read', docs, entries, verdict };
  }
  // The ledger moved during every read: writes are landing back to back.
  return { kind: 'busy' };
}
