/**
 * A PMO lead puts a project's governance back to what Tollgate's ledger says it is, after someone changed the
 * documents outside Tollgate (a forged approval, an old document put back) or a write died half way.
 */
import { splitRaidLog } from '../domain/documents/raid-document';
import { rolesFor } from '../domain/settings';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { recordFromLedger } from './integrity';
import { readProjectDocuments, writeGovernedRecord } from './project-documents';
import { refreshHealth } from './refresh-health';
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
  if (!rolesFor(await deps.jira.groupsOf(request.accountId), settings).includes('pmo')) {
    throw new ForbiddenError(
      `Only members of the PMO group (${settings.pmoGroup}) may restore a project's governance.`,
    );
  }
  const docs = await readProjectDocuments(deps.jira, { as: 'app' }, request.issueKey, configuredFields(settings));
  if (!docs) throw new NotFoundError(`Issue ${request.issueKey} no longer exists.`);
  const key = await deps.storage.signingKey();
  const entries = await deps.storage.ledger(docs.issue.id);
  const rebuilt = recordFromLedger(entries, key, templateLookup(settings));
  if (!rebuilt.ok) throw new ConflictError(rebuilt.problem);
  const { record } = rebuilt;
  const split = splitRaidLog(record.raid, record.governance.rev);
  if (!split.ok) throw new ConflictError(split.message);
  const shards = split.shards.map((shard) => ({ ...shard, sig: signDocument(key, shard) }));
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
  await refreshHealth(deps, settings, docs.issue, record, 'ok', docs.health?.ok ? docs.health.document : null);
  return { rev: record.governance.rev };
}
