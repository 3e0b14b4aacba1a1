/**
 * What the reliability tests share: calling each resolver exactly as Forge does, a picture of everything a call
 * could change (every issue property in the Jira emulator and every KVS entry) to compare before and after, a cheap
 * per-call counter of Jira writes, and the figures file a benchmark report prints (test-results/reliability.json).
 */
import { mkdirSync, readFileSync, renameSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForgeSQLAPIError, sql } from '@forge/sql';
import { type AdfDoc } from '../../src/app/adf';
import { type ResolverResponse } from '../../src/contract/envelope';
import adminResolver from '../../src/resolvers/admin-resolvers';
import issuePanelResolver from '../../src/resolvers/issue-panel-resolvers';
import macroResolver, { macroAdfExport } from '../../src/resolvers/macro-resolvers';
import portfolioResolver from '../../src/resolvers/portfolio-resolvers';
import { APP_ROOT, type BackendWorld } from '../integration/backend-world';

/**
 * Everything a resolver call could change: issue properties by issue key, the app's KVS (but allowances) and, when
 * read, the read model's rows in Forge SQL by issue key.
 */
export interface WorldState {
  readonly properties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly kvs: Readonly<Record<string, unknown>>;
  readonly readModel?: Readonly<Record<string, unknown>>;
}

/** Every read-model row, by issue key. The observer's own query waits out Forge SQL's second, as the app does. */
async function readModelRows(world: BackendWorld): Promise<Record<string, unknown>> {
  const select = () =>
    world.as(null, () => sql.executeRaw<Record<string, unknown>>('SELECT * FROM project_projection ORDER BY issue_id'));
  const answer = await select().catch(async (error: unknown) => {
    if (!(error instanceof ForgeSQLAPIError) || error.code !== 'RATE_LIMIT_EXCEEDED') throw error;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    return select();
  });
  return Object.fromEntries(answer.rows.map((row) => [String(row.issue_key), row]));
}

/** Reads every issue's properties, the whole KVS and the read model (a few milliseconds on the demo site). */
export async function worldState(world: BackendWorld): Promise<WorldState> {
  const store = world.data.store;
  const properties: Record<string, Record<string, unknown>> = {};
  for (const issue of store.listIssues()) {
    const keys = store.propertyKeys(issue.id);
    if (keys.length > 0)
      properties[issue.key] = Object.fromEntries(keys.map((k) => [k, store.getProperty(issue.id, k)]));
  }
  // What each person's reads spent of their hourly Jira quota (points-allowance.ts) is the accounting of a read, not a
  // change to anything: a read that is allowed writes it.
  const kvs = Object.fromEntries(
    Object.entries(world.runtime.storageSnapshot()).filter(([key]) => !key.startsWith('points:')),
  );
  return { properties, kvs, readModel: await readModelRows(world) };
}

/** What differs between two pictures, as `PMO-3 tollgate-health` / `kvs <key>` lines (empty: nothing changed). */
export function changesBetween(before: WorldState, after: WorldState): string[] {
  const changed: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const key of new Set([...Object.keys(before.properties), ...Object.keys(after.properties)])) {
    const a = before.properties[key] ?? {};
    const b = after.properties[key] ?? {};
    for (const property of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!same(a[property], b[property])) changed.push(`${key} ${property}`);
    }
  }
  for (const key of new Set([...Object.keys(before.kvs), ...Object.keys(after.kvs)])) {
    if (!same(before.kvs[key], after.kvs[key])) changed.push(`kvs ${key}`);
  }
  const [rowsBefore, rowsAfter] = [before.readModel ?? {}, after.readModel ?? {}];
  for (const key of new Set([...Object.keys(rowsBefore), ...Object.keys(rowsAfter)])) {
    if (!same(rowsBefore[key], rowsAfter[key])) {
      const { written_at: _a, ...a } = (rowsBefore[key] ?? {}) as Record<string, unknown>;
      const { written_at: _b, ...b } = (rowsAfter[key] ?? {}) as Record<string, unknown>;
      changed.push(`read model ${key}${same(a, b) ? ' (written_at only)' : ''}`);
    }
  }
  return changed;
}

/**
 * Counts changes the Jira emulator stores (issue edits, transitions, property writes and deletes): comparing the count
 * around one call is the cheap "did this call write to Jira?" check; the full picture is compared per batch.
 */
export function jiraWriteCounter(world: BackendWorld): { count: () => number; stop: () => void } {
  let writes = 0;
  const stop = world.data.store.onEvent(() => {
    writes += 1;
  });
  return { count: () => writes, stop };
}

/** The issue the panel is open on, as Forge puts it in the context (null: a panel call without an issue). */
export type PanelIssue = string | null;

/** Calls each resolver key as Forge does: the bridge's `{ call, context }` and the runtime's principal. */
export function callers(world: BackendWorld) {
  const principal = (accountId: string) => ({ principal: { accountId } });
  return {
    panel: <T>(accountId: string, functionKey: string, payload: unknown, issueKey: PanelIssue) =>
      world.as(accountId, async () => {
        const extension = issueKey
          ? { type: 'jira:issuePanel', issue: { key: issueKey, id: world.idOf(issueKey), type: 'Project' } }
          : { type: 'jira:issuePanel' };
        return (await issuePanelResolver(
          { call: { functionKey, payload }, context: { accountId, extension } },
          principal(accountId),
        )) as ResolverResponse<T>;
      }),
    portfolio: <T>(accountId: string, functionKey: string, payload: unknown) =>
      world.as(
        accountId,
        async () =>
          (await portfolioResolver(
            { call: { functionKey, payload }, context: { accountId, extension: { type: 'jira:globalPage' } } },
            principal(accountId),
          )) as ResolverResponse<T>,
      ),
    admin: <T>(accountId: string, functionKey: string, payload: unknown) =>
      world.as(
        accountId,
        async () =>
          (await adminResolver(
            { call: { functionKey, payload }, context: { accountId, extension: { type: 'jira:adminPage' } } },
            principal(accountId),
          )) as ResolverResponse<T>,
      ),
    /** `macro/load`: the configuration travels in the context, as the page's author saved it. */
    macro: <T>(accountId: string, config: unknown, payload: unknown = {}) =>
      world.as(
        accountId,
        async () =>
          (await macroResolver(
            {
              call: { functionKey: 'macro/load', payload },
              context: { accountId, extension: { type: 'macro', config } },
            },
            principal(accountId),
          )) as ResolverResponse<T>,
      ),
    /** The macro's `adfExport` function as Confluence triggers it, inside the exporting person's invocation. */
    adfExport: (accountId: string | null, event: unknown, invocation: unknown): Promise<AdfDoc> =>
      world.as(accountId, () => macroAdfExport(event, invocation)),
  };
}

/**
 * The callers with Jira's search index caught up before every read that searches (portfolio, macro, export). The
 * index lags behind property writes (the emulator models it); a test that asks what a search finds right after a
 * write lets it catch up first, as waiting would.
 */
export function searchSettled(world: BackendWorld, raw: ReturnType<typeof callers>): ReturnType<typeof callers> {
  const settled = () => world.jira.settleSearchIndex();
  return {
    ...raw,
    portfolio: <T>(accountId: string, functionKey: string, payload: unknown) => {
      settled();
      return raw.portfolio<T>(accountId, functionKey, payload);
    },
    macro: <T>(accountId: string, config: unknown, payload?: unknown) => {
      settled();
      return raw.macro<T>(accountId, config, payload);
    },
    adfExport: (accountId: string | null, event: unknown, invocation: unknown) => {
      settled();
      return raw.adfExport(accountId, event, invocation);
    },
  };
}

const RESULTS_DIR = join(APP_ROOT, 'test-results');
const FIGURES_FILE = join(RESULTS_DIR, 'reliability.json');
const LOCK_DIR = join(RESULTS_DIR, 'reliability.json.lock');

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Merges one test file's figures into test-results/reliability.json under `suite` (other files' entries are kept).
 * Jest runs test files in parallel workers, so the read-merge-write holds a directory lock (mkdir is atomic).
 */
export function recordFigures(suite: string, figures: Readonly<Record<string, unknown>>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  let locked = false;
  for (let tries = 0; tries < 200 && !locked; tries += 1) {
    try {
      mkdirSync(LOCK_DIR);
      locked = true;
    } catch {
      pause(25);
    }
  }
  // A lock left by a crashed run is stale after 5 s of waiting; take it over rather than lose the figures.
  try {
    let all: Record<string, unknown> = {};
    try {
      all = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>;
    } catch {
      all = {};
    }
    all[suite] = { ...figures, recordedAt: new Date().toISOString() };
    const temporary = `${FIGURES_FILE}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`);
    renameSync(temporary, FIGURES_FILE);
  } finally {
    try {
      rmdirSync(LOCK_DIR);
    } catch {
      // Someone else already removed a stale lock.
    }
  }
}

/** The whole of a resolver answer's error messages, for "says what is wrong" checks. */
export function errorText(response: ResolverResponse<unknown>): string {
  return response.success ? '' : response.errors.map((e) => e.message).join(' ');
}
