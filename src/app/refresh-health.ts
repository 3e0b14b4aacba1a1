/**
 * Keeps `tollgate-health` true: recomputes a project's health with today's date and writes it only when it changed
 * (so JQL on the indexed values stays right without flooding the issue with writes).
 */
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
import { healthConfigOf, projectFacts } from './facts';
import { type RegistryIssue } from './ports';

/**
 * Recomputes and, when it changed, writes one project's health document (as the app: health is the app's read model,
 * written after the change that caused it was authorised). Judged on the project's own facts: the property is
 * readable by everyone who can browse the issue, so red from the projects it waits on is added only where someone
 * looks, from what they may see (viewer-counterparties.ts).
 * @param vouched the ledger's seal for documents still signed in the legacy form (integrity.ts `legacyVouch`).
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
): Promise<{ health: ProjectHealth; document: HealthDocument; written: boolean }> {
  const now = deps.clock.now();
  const facts = projectFacts(issue, record, settings, templateLookup(settings));
  const health = assessHealth(facts, healthConfigOf(settings), dayOf(now));
  const document = toHealthDocument(health, integrity, now, vouched);
  const changed = !stored || healthDocumentsDiffer(stored, document);
  if (changed) await deps.jira.setProperty({ as: 'app' }, issue.key, HEALTH_PROPERTY_KEY, document);
  return { health, document, written: changed };
}
