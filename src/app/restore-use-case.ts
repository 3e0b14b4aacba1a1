/**
 * A PMO lead puts a project's governance back to what Tollgate's ledger says it is, after someone changed the
 * documents outside Tollgate (a forged approval, an old document put back) or a write died half way.
 */
import { authorityRefusal } from '../domain/authority';
import { GOVERNANCE_PROPERTY_KEY } from '../domain/documents/governance-document';
import { MAX_RAID_SHARDS, raidShardKey, SEARCHABLE_RAID_SHARDS, splitRaidLog } from '../domain/documents/raid-document';
import { rolesFor, type Settings } from '../domain/settings';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { ConflictError, NotFoundError } from './errors';
import { assessIntegrity, recordFromLedger } from './integrity';
import { notAuthorised } from './not-authorised';
import { type SigningKey } from './ports';
import { type ProjectDocuments, readProjectDocuments, writeGovernedRecord } from './project-documents';
import { refreshAfterWrite } from './refresh-health';
import { signDocument } from './signing';

/**
 * Restores one project from the ledger and returns the revision restored.
 * @throws {ForbiddenError} not a PMO lead; {NotFoundError}; {ConflictError} when the ledger cannot rebuild it.
 */
export async function restoreProjectUseCase(
  deps: AppDeps,
  request: { readonly accountId: string; readonly issueKey: string },
): Promise<{ rev: number }> {
  const settings = await deps.storage.loadSettings();
  const permissions = await deps.jira.permissionsOn(request.accountId, request.issueKey);
  if (!permissions.browse)
    throw new NotFoundError(`Issue ${request.issueKey} does not exist or you do not have permission to see it.`);
  // Restoring is in the authority table like every op, so the rule and its reason live in one place.
  const roles = rolesFor(await deps.jira.groupsOf(request.accountId), settings);
  const refused = authorityRefusal('restore', { accountId: request.accountId, roles }, { mode: settings.mode });
  if (refused) throw notAuthorised('restore', refused, settings);
  const docs = await readProjectDocuments(deps.jira, { as: 'app' }, request.issueKey, configuredFields(settings));
  if (!docs) throw new NotFoundError(`Issue ${request.issueKey} no longer exists.`);
  const key = await deps.storage.signingKey();
  const entries = await deps.storage.ledger(docs.issue.id);
  if (entries.length === 0) return clearUnvouched(deps, settings, docs, key);
  const rebuilt = recordFromLedger(entries, key, templateLookup(settings), docs.issue.id);
  if (!rebuilt.ok) throw new ConflictError(rebuilt.problem);
  const { record } = rebuilt;
  const split = splitRaidLog(record.raid, record.governance.rev);
  if (!split.ok) throw new ConflictError(split.message);
  const shards = split.shards.map((shard) => ({ ...shard, sig: signDocument(key, docs.issue.id, shard) }));
  // Writing as the app after the PMO check above: the restored documents are the app's own, re-signed.
  await writeGovernedRecord(
    deps.jira,
    { as: 'app' },
    docs.issue.key,
    record.governance,
    shards,
    docs.raidShards.length,
  );
  await deps.storage.markCommitted(docs.issue.id, record.governance.rev);
  await refreshAfterWrite(deps, settings, docs, record);
  return { rev: record.governance.rev };
}

/**
 * A restore on a project Tollgate has no ledger for: what Tollgate recorded there is nothing, so the only record it
 * can put back is none. Done only when the documents read as tampered — another issue's record copied here, an edited
 * one, or a record deleted while the app's health still says the project was governed — because then they cannot be
 * trusted or confirmed, and nothing else would ever clear them. The documents are removed, and health is written for
 * an ungoverned project; a PMO lead can start governance on it again. Documents that merely carry no signature
 * (`unverified`) are not touched: a PMO lead confirms or replaces those with a change.
 * @throws {ConflictError} when there is nothing Tollgate could restore.
 */
async function clearUnvouched(
  deps: AppDeps,
  settings: Settings,
  docs: ProjectDocuments,
  key: SigningKey,
): Promise<{ rev: number }> {
  const verdict = assessIntegrity(docs, [], key, deps.clock.now(), templateLookup(settings));
  if (verdict.status !== 'tampered') {
    throw new ConflictError('Tollgate has no record of changes to this project, so there is nothing to restore from.');
  }
  // Every shard the read found or the first shard names (a gap past the third is not seen, so those are all tried).
  const declared = (docs.issue.properties[raidShardKey(1)] as { shards?: unknown } | undefined)?.shards;
  const count = Math.min(
    MAX_RAID_SHARDS,
    Math.max(docs.raidShards.length, typeof declared === 'number' && Number.isInteger(declared) ? declared : 0),
  );
  for (let n = count; n >= 1; n -= 1) {
    const key = raidShardKey(n);
    if (n > SEARCHABLE_RAID_SHARDS || docs.issue.properties[key] !== undefined) await removeProperty(deps, docs, key);
  }
  if (docs.governance) await removeProperty(deps, docs, GOVERNANCE_PROPERTY_KEY);
  await refreshAfterWrite(deps, settings, docs, null);
  return { rev: 0 };
}

/** Deletes one of the issue's properties as the app (after the PMO check); one already gone is what was wanted. */
async function removeProperty(deps: AppDeps, docs: ProjectDocuments, key: string): Promise<void> {
  try {
    await deps.jira.deleteProperty({ as: 'app' }, docs.issue.key, key);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}
