/**
 * Keeps `tollgate-health` true: recomputes a project's health with today's date and writes it only when it changed
 * (so JQL on the indexed values stays right without flooding the issue with writes).
 */
import { type RowError } from '../contract/portfolio';
import {
  HEALTH_PROPERTY_KEY,
  healthDocumentsDiffer,
  type HealthDocument,
  type Integrity,
  toHealthDocument,
} from '../domain/documents/health-document';
import { assessHealth, type ProjectHealth } from '../domain/health';
import { type ProjectRecord } from '../domain/ops';
import { type Settings } from '../domain/settings';
import { dayOf } from '../domain/time';
import { type AppDeps, templateLookup } from './deps';
import { healthConfigOf, projectFacts, projectOwnerOf } from './facts';
import { type RegistryIssue } from './ports';
import { type ProjectDocuments } from './project-documents';
import { type Projection, projectionOf } from './projection';

/**
 * Recomputes and, when it changed, writes one project's health document (as the app: health is the app's read model,
 * written after the change that caused it was authorised). Judged on the project's own facts: the property is
 * readable by everyone who can browse the issue, so red from the projects it waits on is added only where someone
 * looks, from what they may see (viewer-counterparties.ts).
 * @param vouched the ledger's seal for documents still signed in the legacy form (integrity.ts `legacyVouch`).
 * @param problem why the record is left out, for the read model's row (projection.ts documentProblem).
 * @throws {UnavailableError | JiraRejectedError} from the Jira port.
 */
export async function refreshHealth(
  deps: AppDeps,
  settings: Settings,
  issue: RegistryIssue,
  record: ProjectRecord | null,
  integrity: Integrity,
  stored: HealthDocument | null,
  vouched?: string,
  problem: RowError | null = null,
): Promise<{ health: ProjectHealth; document: HealthDocument; written: boolean; projection: Projection | null }> {
  const now = deps.clock.now();
  const facts = projectFacts(issue, record, settings, templateLookup(settings));
  const health = assessHealth(facts, healthConfigOf(settings), dayOf(now));
  const document = toHealthDocument(health, integrity, now, vouched);
  const changed = !stored || healthDocumentsDiffer(stored, document);
  if (changed) await deps.jira.setProperty({ as: 'app' }, issue.key, HEALTH_PROPERTY_KEY, document);
  const projection = projectionOf(issue, facts, health, document, projectOwnerOf(issue, settings).name, problem);
  return { health, document, written: changed, projection };
}

/**
 * After the app wrote a project's documents (an op or a restore): its health from the record now stored, and its row
 * in the read model, so the next portfolio view shows the change.
 * @throws {UnavailableError | JiraRejectedError} from the Jira port (the read model is best effort).
 */
export async function refreshAfterWrite(
  deps: AppDeps,
  settings: Settings,
  docs: Pick<ProjectDocuments, 'issue' | 'health'>,
  record: ProjectRecord | null,
): Promise<void> {
  const stored = docs.health?.ok ? docs.health.document : null;
  const { projection } = await refreshHealth(deps, settings, docs.issue, record, 'ok', stored);
  await keepReadModel(deps, [projection]);
}

/**
 * Writes refreshed projects into the read model. Best effort: the change itself is already in Jira, and failing the
 * op that caused it would tell the person their change did not happen; the next recompute writes the row again.
 */
export async function keepReadModel(deps: AppDeps, projections: readonly (Projection | null)[]): Promise<void> {
  const rows = projections.filter((p): p is Projection => p !== null);
  if (rows.length === 0) return;
  try {
    await deps.readModel.put(rows);
  } catch (error) {
    console.error(`Tollgate could not write ${rows.length} projects into its read model:`, error);
  }
}
