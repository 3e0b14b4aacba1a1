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
import { JiraRejectedError } from './errors';
import { healthConfigOf, projectFacts } from './facts';
import { type RegistryIssue } from './ports';

/** Keys one `key in (…)` search reads: a search page with properties holds at most 100 issues. */
export const COUNTERPARTIES_PER_SEARCH = 100;

/** Other projects' overall RAGs by issue key, as their stored health documents report them. */
export type CounterpartyRags = ReadonlyMap<string, RagOrNone>;

/** The distinct keys, in first-seen order, in searches of at most COUNTERPARTIES_PER_SEARCH keys. */
function searchesOf(keys: readonly string[]): string[][] {
  const distinct = [...new Set(keys)];
  const searches: string[][] = [];
  for (let start = 0; start < distinct.length; start += COUNTERPARTIES_PER_SEARCH) {
    searches.push(distinct.slice(start, start + COUNTERPARTIES_PER_SEARCH));
  }
  return searches;
}

/** One `key in (…)` search as the app; adds the RAG of every issue it returns to `into`. */
async function searchRags(deps: AppDeps, keys: readonly string[], into: Map<string, RagOrNone>): Promise<void> {
  const quoted = keys.map((key) => `"${key.replace(/"/g, '')}"`).join(', ');
  const page = await deps.jira.searchPage(
    { as: 'app' },
    {
      jql: `key in (${quoted})`,
      fields: ['summary'],
      properties: [HEALTH_PROPERTY_KEY],
      maxResults: COUNTERPARTIES_PER_SEARCH,
    },
  );
  for (const issue of page.issues) {
    const rag = (issue.properties[HEALTH_PROPERTY_KEY] as { rag?: unknown } | undefined)?.rag;
    if (rag === 'green' || rag === 'amber' || rag === 'red' || rag === 'none') into.set(issue.key, rag);
  }
}

/**
 * The overall RAG other projects' stored health documents report, for the dependency rule: one search per 100
 * distinct keys. A key missing from the answer names no issue with a readable health document, and so does a key
 * Jira refuses (see batchCounterpartyRags): the rule cannot fire for it, and the project is judged without it.
 * @throws {UnavailableError} from the Jira port when a search cannot be served at all.
 */
export async function counterpartyRags(deps: AppDeps, keys: readonly string[]): Promise<CounterpartyRags> {
  return (await batchCounterpartyRags(deps, keys)).ragsFor(keys);
}

/** Counterparty RAGs read once for a whole recompute batch (see `batchCounterpartyRags`). */
export interface BatchCounterparties {
  /**
   * The RAGs to assess a project with these inbound counterparties.
   * @throws the error of a search that could not be served, when one of these keys was in it.
   */
  ragsFor(keys: readonly string[]): CounterpartyRags;
  /**
   * Records the RAG a project of the batch was just assessed (and stored) with, so projects assessed after it see it
   * as a search made after its write would have.
   */
  assessed(key: string, rag: RagOrNone): void;
}

/**
 * Reads `keys` into `rags`; a search Jira rejects is halved until each rejected key stands alone, and a key rejected
 * alone is left unknown. Keys of a search Jira could not serve at all go to `unread`.
 */
async function readIsolatingRejections(
  deps: AppDeps,
  keys: readonly string[],
  rags: Map<string, RagOrNone>,
  unread: Map<string, Error>,
): Promise<void> {
  try {
    await searchRags(deps, keys, rags);
  } catch (error) {
    if (error instanceof JiraRejectedError && keys.length === 1) return;
    if (!(error instanceof JiraRejectedError)) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const key of keys) unread.set(key, failure);
      return;
    }
    const half = Math.ceil(keys.length / 2);
    await readIsolatingRejections(deps, keys.slice(0, half), rags, unread);
    await readIsolatingRejections(deps, keys.slice(half), rags, unread);
  }
}

/**
 * The counterparty RAGs of many projects read together: ⌈distinct keys / 100⌉ searches instead of one per project.
 * Jira rejects a whole `key in (…)` search for one key it cannot find (an issue deleted after the dependency was
 * logged, or one the app may not see), so a rejected search is split in halves until the keys it refused stand alone;
 * those are unknown, like a key with no health document: a dependency on a deleted issue must not stop its project
 * from being judged, every day. One bad key costs about 2·log₂(100) searches, not the batch. A search Jira cannot
 * serve at all leaves its keys unread, failing only the projects that need them.
 * Never throws: failures surface per project through `ragsFor`.
 */
export async function batchCounterpartyRags(deps: AppDeps, keys: readonly string[]): Promise<BatchCounterparties> {
  const rags = new Map<string, RagOrNone>();
  const unread = new Map<string, Error>();
  for (const keysOfSearch of searchesOf(keys)) await readIsolatingRejections(deps, keysOfSearch, rags, unread);
  return {
    ragsFor(wanted) {
      const failure = wanted.map((key) => unread.get(key)).find((error) => error !== undefined);
      if (failure) throw failure;
      return rags;
    },
    assessed(key, rag) {
      rags.set(key, rag);
      unread.delete(key);
    },
  };
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
 * @param counterparties the inbound counterparties' RAGs when the caller read them already (a recompute batch reads
 *   them for all its projects at once); without them, this project's own are searched.
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
  counterparties?: CounterpartyRags,
  vouched?: string,
): Promise<{ health: ProjectHealth; document: HealthDocument; written: boolean }> {
  const now = deps.clock.now();
  const facts = projectFacts(issue, record, settings, templateLookup(settings));
  const rags = counterparties ?? (await counterpartyRags(deps, inboundCounterparties(record)));
  const health = assessHealth(facts, healthConfigOf(settings), dayOf(now), (key) => rags.get(key));
  const document = toHealthDocument(health, integrity, now, vouched);
  const changed = !stored || healthDocumentsDiffer(stored, document);
  if (changed) await deps.jira.setProperty({ as: 'app' }, issue.key, HEALTH_PROPERTY_KEY, document);
  return { health, document, written: changed };
}
