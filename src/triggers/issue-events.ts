/**
 * Jira product events: an issue changed, so its health may have too, and a status change through a gate is written
 * down for gate compliance. `ignoreSelf` in the manifest keeps the app's own writes from coming back here.
 */
import { z } from 'zod';
import { forgeDeps } from '../adapters/forge-deps';
import { recordTransitionUseCase } from '../app/apply-op-use-case';
import { type AppDeps, templateLookup } from '../app/deps';
import { assessIntegrity } from '../app/integrity';
import { readProjectDocuments } from '../app/project-documents';
import { recomputeHealthUseCase } from '../app/recompute-use-case';
import { inRegistry } from '../app/registry';
import { gateToPass } from '../domain/enforcement';

/** The part of `avi:jira:created|updated:issue` Tollgate reads (docs/platform.md §1 Triggers). */
export const issueEventSchema = z.object({
  eventType: z.string(),
  atlassianId: z.string().optional(),
  issue: z.object({ id: z.string(), key: z.string() }),
  changelog: z
    .object({
      items: z.array(
        z.object({
          field: z.string(),
          fromString: z.string().nullable().optional(),
          toString: z.string().nullable().optional(),
        }),
      ),
    })
    .optional(),
});

/** Handles one issue event: records a gate transition if the status moved, then refreshes the issue's health. */
export async function handleIssueEvent(event: unknown, deps: AppDeps): Promise<void> {
  const parsed = issueEventSchema.safeParse(event);
  if (!parsed.success) {
    console.warn('Tollgate ignored an issue event it could not read:', parsed.error.issues[0]?.message);
    return;
  }
  const { issue, changelog, atlassianId } = parsed.data;
  const status = changelog?.items.find((item) => item.field === 'status');
  if (status) {
    const settings = await deps.storage.loadSettings();
    const docs = await readProjectDocuments(deps.jira, { as: 'app' }, issue.key);
    const lookup = templateLookup(settings);
    const verdict =
      docs &&
      assessIntegrity(
        docs,
        await deps.storage.ledger(docs.issue.id),
        await deps.storage.signingKey(),
        deps.clock.now(),
        lookup,
      );
    const record = verdict && (verdict.status === 'ok' || verdict.status === 'repaired') ? verdict.record : null;
    const template =
      record &&
      lookup({ templateId: record.governance.templateId, templateVersion: record.governance.templateVersion });
    const gateId = record && template ? gateToPass(record.governance, template) : undefined;
    const open = record && record.governance.status !== 'killed' && record.governance.status !== 'completed';
    // A governed issue that has left the registry keeps its record as it was: Tollgate no longer writes to it.
    if (open && gateId && (await inRegistry(deps.jira, settings.registryJql, issue.id))) {
      await recordTransitionUseCase(deps, {
        issueKey: issue.key,
        accountId: atlassianId ?? 'unknown',
        fromStatus: status.fromString ?? '',
        toStatus: status.toString ?? '',
        gateId,
      });
      return; // the write path refreshed health already
    }
  }
  await recomputeHealthUseCase(deps, [issue.id]);
}

/** Forge trigger handler (`avi:jira:created|updated:issue`). */
export const onIssueEvent = (event: unknown): Promise<void> => handleIssueEvent(event, forgeDeps());
