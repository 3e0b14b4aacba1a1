/**
 * The daily run (docs/architecture.md §5a): health depends on today's date, so every project is judged again each
 * day — from its read-model row, not from Jira. The row holds the facts the last read from Jira verified and the
 * `tollgate-health` document written then; only where today's verdict differs is the property written (one point)
 * and the row updated, so the JQL index stays true at a cost that grows with what changed, not with the registry.
 *
 * What the rows cannot know (an edit whose event was lost, a REST forgery of a property) is the reconciliation's
 * to find: the registry's issues updated since yesterday are read from Jira in full, and every row is read again
 * from Jira weekly (reconciliation-use-case.ts).
 */
import {
  HEALTH_PROPERTY_KEY,
  type HealthDocument,
  healthDocumentsDiffer,
  parseHealthDocument,
  toHealthDocument,
} from '../domain/documents/health-document';
import { assessHealth } from '../domain/health';
import { ragSeverity } from '../domain/rag';
import { dayOf } from '../domain/time';
import { type AppDeps, templateLookup } from './deps';
import { healthConfigOf } from './facts';
import { type RejudgedRow, type StoredHealth } from './ports';
import { factsOf, storedEntryOf } from './projection';
import { allIds } from './registry-ids';
import { narrowJql } from './registry-jql';

/** How far back the daily run looks for registry issues Jira changed: a day and an hour, so runs overlap. */
export const CHANGED_SINCE_JQL = 'updated >= -25h';

/**
 * Starts the sweep that queues every row to be judged again (no Jira request), and the registry issues changed in the last day to be read
 * from Jira in full, which catches an edit whose event never came.
 * @throws {UnavailableError} when Jira or the read model cannot answer.
 */
export async function scheduleDailyRejudgeUseCase(
  deps: AppDeps,
): Promise<{ readonly rows: number; readonly changed: number; readonly searches: number }> {
  const [settings, { rows }] = await Promise.all([deps.storage.loadSettings(), deps.readModel.census()]);
  // The rows a page at a time (sweep-use-case.ts): 50,000 of them are a minute's worth of pushes.
  await deps.queue.sweep({ listing: 'rows', reason: 'rejudge', listRegistry: false });
  const changed = await allIds(deps, narrowJql(settings.registryJql, CHANGED_SINCE_JQL));
  await deps.queue.recompute(changed.ids, 'reconcile');
  return { rows, changed: changed.ids.length, searches: changed.searches };
}

export interface RejudgeOutcome {
  readonly judged: number;
  /** Projects whose `tollgate-health` was written because today's verdict differs. */
  readonly written: number;
  /** Rows that could not be judged from what they hold (written by an older version, or damaged): read from Jira. */
  readonly toRead: readonly string[];
}

/** Today's document for a stored row, or null when the row cannot be judged from what it holds. */
function rejudged(
  row: StoredHealth,
  deps: AppDeps,
  lookup: ReturnType<typeof templateLookup>,
  config: ReturnType<typeof healthConfigOf>,
): { readonly stored: HealthDocument; readonly update: RejudgedRow } | null {
  const facts = factsOf(row.facts, lookup);
  const stored = row.health === null ? null : parseHealthDocument(row.health);
  if (!facts || !stored?.ok) return null;
  const now = deps.clock.now();
  const health = assessHealth(facts, config, dayOf(now));
  const document = toHealthDocument(health, row.integrity, now, stored.document.vouched);
  return {
    stored: stored.document,
    update: {
      issueId: row.issueId,
      writtenAt: row.writtenAt,
      rag: health.overall,
      severity: ragSeverity(health.overall),
      riskMax: health.summary.riskMax,
      mandatoryOpen: health.summary.mandatoryOpen,
      waitsOn: health.summary.waitsOn,
      health: document,
      entry: storedEntryOf(facts, health),
      judgedOn: dayOf(now),
    },
  };
}

/**
 * Judges the rows of `issueIds` again with today's date and writes the health of those whose verdict changed (as
 * the app: health is the app's read model). A row an op rewrote meanwhile is left as the op stored it. A row that
 * cannot be judged, and a project whose write Jira refused, is queued to be read from Jira in full.
 * @throws {UnavailableError} when the read model cannot answer.
 */
export async function rejudgeStoredHealthUseCase(deps: AppDeps, issueIds: readonly string[]): Promise<RejudgeOutcome> {
  const settings = await deps.storage.loadSettings();
  const lookup = templateLookup(settings);
  const config = healthConfigOf(settings);
  const rows = await deps.readModel.storedHealth(issueIds);
  const toRead: string[] = [];
  const updates: RejudgedRow[] = [];
  for (const row of rows) {
    let judged: ReturnType<typeof rejudged>;
    try {
      judged = rejudged(row, deps, lookup, config);
    } catch (error) {
      console.error(`Tollgate could not judge the stored row of ${row.key} again:`, error);
      judged = null;
    }
    if (!judged) {
      toRead.push(row.issueId);
      continue;
    }
    if (!healthDocumentsDiffer(judged.stored, judged.update.health)) continue;
    try {
      await deps.jira.setProperty({ as: 'app' }, row.issueId, HEALTH_PROPERTY_KEY, judged.update.health);
      updates.push(judged.update);
    } catch (error) {
      console.warn(`Tollgate could not write the health of ${row.key}; it is read from Jira again:`, error);
      toRead.push(row.issueId);
    }
  }
  // A row an op rewrote between the read and the update: its health was written by that op, possibly before ours,
  // so it is read again from Jira rather than trusted either way.
  toRead.push(...(updates.length > 0 ? await deps.readModel.rejudge(updates) : []));
  if (toRead.length > 0) await deps.queue.recompute(toRead, 'reconcile');
  return { judged: rows.length, written: updates.length, toRead };
}
