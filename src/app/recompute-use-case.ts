/**
 * Keeps every project's `tollgate-health` true without anyone opening it: health depends on today's date and on
 * whether the documents were tampered with (never on other projects: refresh-health.ts). Runs as the app: there is no user behind
 * a scheduled run or a queue event, and it only writes the app's own read model.
 */
import { HEALTH_PROPERTY_KEY, type Integrity } from '../domain/documents/health-document';
import { type Settings } from '../domain/settings';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { UnavailableError } from './errors';
import { assessIntegrity, type IntegrityVerdict, legacyVouch } from './integrity';
import { MAX_RECONCILE_ISSUES, type RegistryIssue, type RegistryPage } from './ports';
import {
  PROJECT_FIELDS,
  PROJECT_PROPERTY_KEYS,
  parseProjectDocuments,
  readShardsPastSearch,
} from './project-documents';
import { documentProblem, type Projection } from './projection';
import { keepReadModel, refreshHealth } from './refresh-health';
import { narrowJql, outsideRegistryJql } from './registry-jql';
import { STRAY_HEALTH_CLAUSE } from './remove-stray-health-use-case';

/** Issues a queue event carries, and a search page holds. */
export const RECOMPUTE_BATCH = 100;

/** The integrity a health document reports for a verdict. */
export function integrityOf(verdict: IntegrityVerdict): Integrity {
  switch (verdict.status) {
    case 'ok':
    case 'repaired':
    case 'in-flight':
      return 'ok';
    case 'unverified':
      return 'unsigned';
    case 'damaged':
    case 'tampered':
      return 'tampered';
  }
}

export interface RecomputeOutcome {
  readonly checked: number;
  readonly written: number;
  readonly tampered: readonly string[];
  /** `retriable`: the platform was too busy (UnavailableError), so trying again later may succeed. */
  readonly failed: ReadonlyArray<{
    /** Absent for an issue whose Jira answer could not be read at all. */
    readonly id?: string;
    readonly key: string;
    readonly problem: string;
    readonly retriable: boolean;
  }>;
}

/**
 * Recomputes health for up to 100 issues with one search for the issues (plus one ledger read per issue, which
 * integrity needs); each is judged on its own facts (refresh-health.ts). One project's failure is reported, not
 * fatal.
 * @throws {UnavailableError} when Jira cannot serve the search at all.
 */
export async function recomputeHealthUseCase(
  deps: AppDeps,
  issueIds: readonly string[],
  settings?: Settings,
): Promise<RecomputeOutcome> {
  const config = settings ?? (await deps.storage.loadSettings());
  const lookup = templateLookup(config);
  const key = await deps.storage.signingKey();
  const ids = issueIds.slice(0, RECOMPUTE_BATCH).filter((id) => /^\d+$/.test(id));
  if (ids.length === 0) return { checked: 0, written: 0, tampered: [], failed: [] };
  // Only registry projects are Tollgate's business: an id the registry does not select (an ordinary task someone
  // edited) is not read, judged or written.
  const page = await readCurrent(deps, config, ids);
  const tampered: string[] = [];
  const failed: Array<RecomputeOutcome['failed'][number]> = page.unreadable.map((u) => ({
    key: u.key,
    problem: u.problem,
    retriable: false,
  }));
  const problemOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  let written = 0;
  const projections: Array<Projection | null> = [];
  for (const issue of page.issues) {
    try {
      // The search carries three RAID shards; integrity is judged on the whole log, so a longer one is read in full
      // (one request per five more shards, only for the rare log that outgrew three properties).
      const docs = parseProjectDocuments(issue, await readShardsPastSearch(deps.jira, { as: 'app' }, issue));
      const verdict = assessIntegrity(docs, await deps.storage.ledger(issue.id), key, deps.clock.now(), lookup);
      // A write in flight will refresh health itself when it lands.
      if (verdict.status === 'in-flight') continue;
      if (verdict.status === 'tampered' || verdict.status === 'damaged') tampered.push(issue.key);
      // Health, which JQL, Automation and the portfolio read, is computed from a genuine record only: a forged Go or
      // a copied record must not reach `tollgateDecision`. What is stored is still what the panel shows a PMO lead.
      const record = verdict.status === 'ok' || verdict.status === 'repaired' ? verdict.record : null;
      const vouched = verdict.status === 'ok' && record ? legacyVouch(key, docs) : undefined;
      const stored = docs.health?.ok ? docs.health.document : null;
      const deleted = verdict.status === 'tampered' && verdict.reason === 'missing';
      const problem = record ? null : documentProblem(docs, deleted);
      const result = await refreshHealth(deps, config, issue, record, integrityOf(verdict), stored, vouched, problem);
      if (result.written) written += 1;
      projections.push(result.projection);
    } catch (error) {
      failed.push({
        id: issue.id,
        key: issue.key,
        problem: problemOf(error),
        retriable: error instanceof UnavailableError,
      });
    }
  }
  // One write for the batch: Forge SQL counts requests, not rows.
  await keepReadModel(deps, projections);
  return { checked: page.issues.length, written, tampered, failed };
}

/**
 * The registry projects among `ids` with their documents as they are now: a recompute usually follows a write by a
 * second, and the search index may not show that write yet, so every id is reconciled (50 a search, Jira's limit).
 */
async function readCurrent(
  deps: AppDeps,
  config: Settings,
  ids: readonly string[],
): Promise<Pick<RegistryPage, 'issues' | 'unreadable'>> {
  const issues: RegistryIssue[] = [];
  const unreadable: Array<RegistryPage['unreadable'][number]> = [];
  for (let start = 0; start < ids.length; start += MAX_RECONCILE_ISSUES) {
    const chunk = ids.slice(start, start + MAX_RECONCILE_ISSUES);
    const page = await deps.jira.searchPage(
      { as: 'app' },
      {
        jql: narrowJql(config.registryJql, `id in (${chunk.join(', ')})`),
        fields: [...PROJECT_FIELDS, ...configuredFields(config)],
        properties: PROJECT_PROPERTY_KEYS,
        maxResults: chunk.length,
        reconcileIssues: chunk,
      },
    );
    issues.push(...page.issues);
    unreadable.push(...page.unreadable);
  }
  return { issues, unreadable };
}

/**
 * The daily fan-out: walks the registry as the app with id-only pages (Jira serves up to 5,000 ids a page) and queues
 * one recompute event per 100 projects, so each consumer run stays far inside Forge's limits at 10,000 projects.
 */
export async function scheduleRegistryRecomputeUseCase(
  deps: AppDeps,
): Promise<{ projects: number; strays: number; searches: number }> {
  const settings = await deps.storage.loadSettings();
  const projects = await allIds(deps, settings.registryJql);
  await deps.queue.recompute(projects.ids, 'daily');
  await pruneReadModel(deps, new Set(projects.ids));
  // Health on issues outside the registry (written by an earlier version, or left by a project that left it) is
  // queued for removal the same way, so JQL on tollgateHealth finds only projects.
  const strays = await allIds(deps, outsideRegistryJql(settings.registryJql, STRAY_HEALTH_CLAUSE));
  if (strays.ids.length > 0) await deps.queue.recompute(strays.ids, 'stray-health');
  return { projects: projects.ids.length, strays: strays.ids.length, searches: projects.searches + strays.searches };
}

/**
 * How long a read-model row is kept although the registry search did not return its issue: a project created or
 * moved in a moment ago may not be in the search index yet, while its first op has already written its row.
 */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * Removes the rows of issues the registry no longer holds (deleted, moved out, or no longer matched by its JQL),
 * which no event announces reliably: one listing of the model, no Jira request. Best effort, like every read-model
 * write.
 */
async function pruneReadModel(deps: AppDeps, registry: ReadonlySet<string>): Promise<void> {
  try {
    const before = Date.parse(deps.clock.now()) - PRUNE_AFTER_MS;
    const gone = (await deps.readModel.rowsWritten())
      .filter((row) => !registry.has(row.issueId) && Date.parse(row.writtenAt) < before)
      .map((row) => row.issueId);
    if (gone.length > 0) await deps.readModel.remove(gone);
  } catch (error) {
    console.error('Tollgate could not remove read-model rows of issues outside the registry:', error);
  }
}

/** Every id a JQL query matches, as the app, in id-only pages. */
async function allIds(deps: AppDeps, jql: string): Promise<{ ids: string[]; searches: number }> {
  const ids: string[] = [];
  let token: string | undefined;
  let searches = 0;
  do {
    const page = await deps.jira.searchIds({ as: 'app' }, { jql, ...(token ? { nextPageToken: token } : {}) });
    searches += 1;
    ids.push(...page.ids);
    token = page.nextPageToken ?? undefined;
  } while (token);
  return { ids, searches };
}

/** The weekly snapshot for trends: every registry project's overall RAG as its stored health says. */
export async function snapshotPortfolioUseCase(deps: AppDeps, week: string): Promise<{ projects: number }> {
  const settings = await deps.storage.loadSettings();
  const rows: Array<{ key: string; rag: string }> = [];
  let token: string | undefined;
  do {
    const page = await deps.jira.searchPage(
      { as: 'app' },
      {
        jql: settings.registryJql,
        fields: ['summary'],
        properties: [HEALTH_PROPERTY_KEY],
        maxResults: 100,
        ...(token ? { nextPageToken: token } : {}),
      },
    );
    for (const issue of page.issues) {
      const rag = (issue.properties[HEALTH_PROPERTY_KEY] as { rag?: unknown } | undefined)?.rag;
      rows.push({ key: issue.key, rag: typeof rag === 'string' ? rag : 'none' });
    }
    token = page.nextPageToken ?? undefined;
  } while (token);
  await deps.storage.saveSnapshot(week, rows);
  return { projects: rows.length };
}
