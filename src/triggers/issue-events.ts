/**
 * Jira product events: an issue changed, so its health may have too, and a status change through a gate is written
 * down for gate compliance; an issue deleted leaves the read model, so no view counts it. `ignoreSelf` in the
 * manifest keeps the app's own writes from coming back here.
 */
import { z } from 'zod';
import { forgeDeps } from '../adapters/forge-deps';
import { recordTransitionUseCase } from '../app/apply-op-use-case';
import { type AppDeps, templateLookup } from '../app/deps';
import { recomputeHealthUseCase } from '../app/recompute-use-case';
import { inRegistry } from '../app/registry';
import { readVerifiedProject } from '../app/verified-read';
import { type GovernanceDocument } from '../domain/documents/governance-document';
import { gateToPass, passageOf } from '../domain/enforcement';
import { type StageGateTemplate } from '../domain/templates';

/** The part of `avi:jira:created|updated|deleted:issue` Tollgate reads (docs/platform.md §1 Triggers). */
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

/** The gates a status change passed, by the template's statuses; the record's guess when they do not say. */
function gatesPassed(
  governance: GovernanceDocument,
  template: StageGateTemplate,
  status: { readonly fromString?: string | null; readonly toString?: string | null },
): readonly string[] {
  const passage = passageOf(template, {
    ...(status.fromString ? { from: { name: status.fromString } } : {}),
    ...(status.toString ? { to: { name: status.toString } } : {}),
  });
  if (passage.kind === 'gates') return passage.gateIds;
  if (passage.kind === 'none') return [];
  const guessed = gateToPass(governance, template);
  return guessed ? [guessed] : [];
}

/** Handles one issue event: records a gate transition if the status moved, then refreshes the issue's health. */
export async function handleIssueEvent(event: unknown, deps: AppDeps): Promise<void> {
  const parsed = issueEventSchema.safeParse(event);
  if (!parsed.success) {
    console.warn('Tollgate ignored an issue event it could not read:', parsed.error.issues[0]?.message);
    return;
  }
  const { eventType, issue, changelog, atlassianId } = parsed.data;
  // Its ledger stays in app storage (the audit trail is never lost); only the row that views read goes.
  if (eventType === 'avi:jira:deleted:issue') return deps.readModel.remove([issue.id]);
  const status = changelog?.items.find((item) => item.field === 'status');
  if (status) {
    const settings = await deps.storage.loadSettings();
    const lookup = templateLookup(settings);
    // The verified read waits out a write in flight instead of taking the project for one without a record.
    const read = await readVerifiedProject(deps, settings, { as: 'app' }, issue.key);
    const verdict = read.kind === 'read' ? read.verdict : null;
    const record = verdict && (verdict.status === 'ok' || verdict.status === 'repaired') ? verdict.record : null;
    const template =
      record &&
      lookup({ templateId: record.governance.templateId, templateVersion: record.governance.templateVersion });
    const open = record && record.governance.status !== 'killed' && record.governance.status !== 'completed';
    // The gates this status change passed, judged as the validator judged it: a cancel, a close or a step back
    // passed none and is not a gate passage for gate compliance.
    const gateIds = record && template ? gatesPassed(record.governance, template, status) : [];
    // A governed issue that has left the registry keeps its record as it was: Tollgate no longer writes to it.
    if (open && gateIds.length > 0 && (await inRegistry(deps.jira, settings.registryJql, issue.id))) {
      for (const gateId of gateIds) {
        await recordTransitionUseCase(deps, {
          issueKey: issue.key,
          accountId: atlassianId ?? 'unknown',
          fromStatus: status.fromString ?? '',
          toStatus: status.toString ?? '',
          gateId,
        });
      }
      return; // the write path refreshed health already
    }
  }
  await recomputeHealthUseCase(deps, [issue.id]);
}

/** Forge trigger handler (`avi:jira:created|updated|deleted:issue`). */
export const onIssueEvent = (event: unknown): Promise<void> => handleIssueEvent(event, forgeDeps());
