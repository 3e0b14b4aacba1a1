/**
 * Keeps every project's `tollgate-health` true without anyone opening it: health depends on today's date and on
 * whether the documents were tampered with (never on other projects: refresh-health.ts). Runs as the app: there is no user behind
 * a scheduled run or a queue event, and it only writes the app's own read model.
 */
import { type Integrity } from '../domain/documents/health-document';
import { type Settings } from '../domain/settings';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { JiraRejectedError, UnavailableError } from './errors';
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
import { narrowJql } from './registry-jql';

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
  options: { readonly removeGone?: boolean } = {},
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
      const docs = parseProjectDocuments(issue, await readShardsPastSearch(deps.jira, { as: 'app' }, issue), key);
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
  if (options.removeGone) await removeGoneRows(deps, ids, page);
  return { checked: page.issues.length, written, tampered, failed };
}

/**
 * Removes the rows of the ids a reconciling search did not return: the search made each id current
 * (`reconcileIssues`), so an issue it leaves out is deleted, moved away or no longer selected by the registry.
 * Best effort, like every read-model write.
 */
async function removeGoneRows(
  deps: AppDeps,
  ids: readonly string[],
  page: Pick<RegistryPage, 'issues' | 'unreadable'>,
): Promise<void> {
  const answered = new Set(page.issues.map((issue) => issue.id));
  // An issue Jira returned but Tollgate could not read is still there: only its key is known, so nothing is removed
  // when any answer was unreadable.
  if (page.unreadable.length > 0) return;
  const gone = ids.filter((id) => !answered.has(id));
  if (gone.length === 0) return;
  try {
    await deps.readModel.remove(gone);
  } catch (error) {
    console.error(`Tollgate could not remove ${gone.length} read-model rows of issues outside the registry:`, error);
  }
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
    let chunk = ids.slice(start, start + MAX_RECONCILE_ISSUES);
    while (chunk.length > 0) {
      try {
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
        break;
      } catch (error) {
        // Jira refuses, rather than skips, an `id in (…)` naming an issue that no longer exists (a row whose
        // deletion event never came): the rest is asked again without it, and its row goes (removeGoneRows).
        const gone = error instanceof JiraRejectedError ? deletedIssueIds(error.jiraMessages) : null;
        const rest = gone ? chunk.filter((id) => !gone.has(id)) : chunk;
        if (rest.length === chunk.length) throw error;
        chunk = rest;
      }
    }
  }
  return { issues, unreadable };
}

const NO_SUCH_ISSUE = /^An issue with key '(\d+)' does not exist for field '[^']+'\.$/;

/** The ids Jira said do not exist, when that is all it objected to; null otherwise. */
function deletedIssueIds(messages: readonly string[]): Set<string> | null {
  const ids = messages.map((message) => NO_SUCH_ISSUE.exec(message.trim())?.[1]);
  return ids.length > 0 && ids.every((id) => id !== undefined) ? new Set(ids) : null;
}

/**
 * The weekly snapshot for trends and for what changed between two days: every registry project's overall RAG and
 * the band of its worst open risk (in the PMO's bands of the day) as its read-model row holds them (the stored health
 * the daily run keeps true), taken in Forge SQL with no Jira request.
 */
export async function snapshotPortfolioUseCase(deps: AppDeps, week: string): Promise<{ projects: number }> {
  const { bands } = (await deps.storage.loadSettings()).health.risk;
  return { projects: await deps.readModel.takeSnapshot(week, bands) };
}

/**
 * Moves the weekly snapshots versions before 1.1 kept in KVS to the read model (on install and upgrade), a week at a
 * time: each is written to Forge SQL and only then removed from KVS, so a failure half-way leaves the rest to the next
 * upgrade or install event, and a week written twice is simply written again. A week the read model already holds
 * (taken since) is kept as it is.
 */
export async function moveKeptSnapshotsUseCase(deps: AppDeps): Promise<{ weeks: number }> {
  const kept = await deps.storage.legacySnapshotWeeks();
  if (kept.length === 0) return { weeks: 0 };
  const held = new Set(await deps.readModel.snapshotWeeks());
  let moved = 0;
  for (const week of kept) {
    const rows = held.has(week) ? undefined : await deps.storage.legacySnapshot(week);
    if (rows !== undefined) {
      await deps.readModel.saveSnapshot(week, rows);
      moved += 1;
    }
    await deps.storage.removeLegacySnapshot(week);
  }
  return { weeks: moved };
}
