/**
 * Jira Cloud's search index lags behind its database. Atlassian: `/search/jql` "doesn't provide read-after-write
 * consistency by default … the delay might vary from a few seconds to minutes … the majority of modifications are
 * shown within seconds", and `reconcileIssues` (at most 50 ids) makes the named issues current in one search
 * ("Search and reconcile", developer.atlassian.com/cloud/jira/platform/search-and-reconcile). Reads by id are
 * consistent. docs/platform.md §3 has the contract.
 *
 * The emulator keeps, for each issue changed within its indexing delay, the issue and its properties as they were
 * before the first of those changes: until the delay passes, a search matches, sorts and renders that earlier state
 * (a newly created issue is not found at all). Each change draws its delay from a seeded log-normal distribution
 * (median and 99th percentile below: "most within seconds"), and a change to an issue that is still pending restarts
 * its delay, as a busy issue's reindexing does. Atlassian publishes no figures; these are ours.
 */
import { prng } from '../prng';
import type { IssueRecord, JsonValue } from './store';

export interface SearchLagModel {
  readonly medianMs?: number;
  readonly p99Ms?: number;
  readonly seed?: number;
}

export const INDEX_MEDIAN_MS = 1_000;
export const INDEX_P99_MS = 5_000;
const Z99 = 2.3263479;

/** How a search sees one issue: as indexed (possibly behind the database), or not at all. */
export interface IndexedView {
  /** The issue as the index has it, or undefined when the index does not have it yet. */
  issue(current: IssueRecord): IssueRecord | undefined;
  /** A property of an issue as the index has it. */
  property(issueId: string, key: string, current: () => JsonValue | undefined): JsonValue | undefined;
}

interface Pending {
  /** The issue before the pending changes; null when it was created within the delay. */
  readonly before: IssueRecord | null;
  readonly properties: ReadonlyMap<string, JsonValue>;
  indexedAt: number;
}

/** What the index needs of the store to take a picture of an issue before it changes. */
export interface IndexSource {
  getIssue(id: string): IssueRecord | undefined;
  propertyKeys(issueId: string): string[];
  getProperty(issueId: string, key: string): JsonValue | undefined;
}

export class SearchIndex {
  private readonly pending = new Map<string, Pending>();
  private readonly mu: number;
  private readonly sigma: number;
  private readonly random: () => number;

  constructor(
    private readonly source: IndexSource,
    private readonly now: () => number,
    model: SearchLagModel = {},
  ) {
    const median = model.medianMs ?? INDEX_MEDIAN_MS;
    this.mu = Math.log(median);
    this.sigma = (Math.log(model.p99Ms ?? INDEX_P99_MS) - this.mu) / Z99;
    this.random = prng(model.seed ?? 11);
  }

  /** Called before the store changes an issue (`created` when it is about to exist for the first time). */
  willChange(issueId: string, created = false): void {
    const existing = this.pending.get(issueId);
    const indexedAt = this.now() + this.delay();
    if (existing && existing.indexedAt > this.now()) {
      existing.indexedAt = Math.max(existing.indexedAt, indexedAt);
      return;
    }
    const before = created ? null : (this.source.getIssue(issueId) ?? null);
    const properties = new Map<string, JsonValue>();
    if (before) {
      for (const key of this.source.propertyKeys(issueId)) {
        const value = this.source.getProperty(issueId, key);
        if (value !== undefined) properties.set(key, value);
      }
    }
    this.pending.set(issueId, { before, properties, indexedAt });
  }

  /** The view one search has; `reconcile` names the issue ids it asked to see current. */
  view(reconcile: ReadonlySet<string>): IndexedView {
    const now = this.now();
    const behind = (id: string): Pending | undefined => {
      if (reconcile.has(id)) return undefined;
      const entry = this.pending.get(id);
      if (!entry) return undefined;
      if (entry.indexedAt <= now) {
        this.pending.delete(id);
        return undefined;
      }
      return entry;
    };
    return {
      issue(current) {
        const entry = behind(current.id);
        return entry ? (entry.before ?? undefined) : current;
      },
      property(issueId, key, current) {
        const entry = behind(issueId);
        return entry ? entry.properties.get(key) : current();
      },
    };
  }

  /** Marks every pending change indexed. */
  settle(): void {
    this.pending.clear();
  }

  /** Issues whose latest change no search shows yet (for `/sandbox`). */
  lagging(): number {
    const now = this.now();
    let count = 0;
    for (const entry of this.pending.values()) if (entry.indexedAt > now) count += 1;
    return count;
  }

  private delay(): number {
    const u1 = Math.max(this.random(), Number.EPSILON);
    const u2 = this.random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(this.mu + this.sigma * z);
  }
}

/** The view of a search that sees the database itself (no lag configured). */
export const CONSISTENT_VIEW: IndexedView = {
  issue: (current) => current,
  property: (_id, _key, current) => current(),
};
