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
import { type RagOrNone } from '../domain/rag';
import { type Settings } from '../domain/settings';
import { dayOf } from '../domain/time';
import { type AppDeps, templateLookup } from './deps';
import { healthConfigOf, projectFacts } from './facts';
import { type RegistryIssue } from './ports';

/** The overall RAG other projects' stored health documents report, for the dependency rule. */
export async function counterpartyRags(deps: AppDeps, keys: readonly string[]): Promise<Map<string, RagOrNone>> {
  const rags = new Map<string, RagOrNone>();
  if (keys.length === 0) return rags;
  const quoted = keys.map((key) => `"${key.replace(/"/g, '')}"`).join(', ');
  const page = await deps.jira.searchPage(
    { as: 'app' },
    { jql: `key in (${quoted})`, fields: ['summary'], properties: [HEALTH_PROPERTY_KEY], maxResults: 100 },
  );
  for (const issue of page.issues) {
    const rag = (issue.properties[HEALTH_PROPERTY_KEY] as { rag?: unknown } | undefined)?.rag;
    if (rag === 'green' || rag === 'amber' || rag === 'red' || rag === 'none') rags.set(issue.key, rag);
  }
  return rags;
}

/** Inbound dependency counterparties of a record, the only ones whose health flows into it. */
export function inboundCounterparties(record: ProjectRecord | null): string[] {
  return (record?.raid.items ?? []).flatMap((item) =>
    item.type === 'dependency' && item.status === 'open' && item.direction === 'inbound' ? [item.counterpartyKey] : [],
  );
}

/**
 * Recomputes and, when it changed, writes one project's health document (as the app: health is the app's read model,
 * written after the change that caused it was authorised).
 * @throws {UnavailableError | JiraRejectedError} from the Jira port.
 */
export async function refreshHealth(
  deps: AppDeps,
  settings: Settings,
  issue: RegistryIssue,
  record: ProjectRecord | null,
  integrity: Integrity,
  stored: HealthDocument | null,
): Promise<{ health: ProjectHealth; document: HealthDocument; written: boolean }> {
  const now = deps.clock.now();
  const facts = projectFacts(issue, record, settings, templateLookup(settings));
  const rags = await counterpartyRags(deps, inboundCounterparties(record));
  const health = assessHealth(facts, healthConfigOf(settings), dayOf(now), (key) => rags.get(key));
  const document = toHealthDocument(health, integrity, now);
  const changed = !stored || healthDocumentsDiffer(stored, document);
  if (changed) await deps.jira.setProperty({ as: 'app' }, issue.key, HEALTH_PROPERTY_KEY, document);
  return { health, document, written: changed };
}
