/**
 * What the use cases need from the platform, as interfaces. Adapters (src/adapters) implement them over Forge;
 * tests pass fakes or the sandbox. Nothing here imports @forge/*: the ports speak the PMO domain's language.
 */
import { type RowError } from '../contract/portfolio';
import { type RagChange, type RiskBandChange } from '../domain/changes';
import { type HealthDocument, type Integrity } from '../domain/documents/health-document';
import { type GateDecision } from '../domain/gates';
import { type FigureSums, type RowFilter, type RowSort } from '../domain/portfolio';
import { type RagOrNone } from '../domain/rag';
import { type RiskBandConfig } from '../domain/risk';
import { type Settings } from '../domain/settings';
import { type TemplateRef } from '../domain/templates';
import { type Instant, type IsoDate } from '../domain/time';
import { type InflationFlag, type SnapshotRow, type TrendPoint } from '../domain/trend';
import { type Projection, type StoredEntry } from './projection';

/** Whose permissions a Jira call carries. Reads run as the user so Jira decides what they may see. */
export type Acting = { readonly as: 'user'; readonly accountId: string } | { readonly as: 'app' };

/** One registry issue as the search returns it: the fields health needs and Tollgate's raw property values. */
export interface RegistryIssue {
  readonly id: string;
  readonly key: string;
  readonly summary: string;
  readonly statusName: string;
  readonly statusCategory: 'new' | 'indeterminate' | 'done';
  readonly assigneeAccountId: string | null;
  readonly assigneeName: string | null;
  readonly duedate: string | null;
  readonly created: Instant;
  /** The Jira project's id; null when Jira did not say (an answer without the field). */
  readonly projectId: string | null;
  /** The issue security level's id, when one is set. */
  readonly securityLevelId: string | null;
  /** Raw values of the fields named in settings (department, start date, progress, budget), by field id. */
  readonly customFields: Readonly<Record<string, unknown>>;
  /** Raw property values by key (`tollgate-governance`, `tollgate-raid`, …); absent keys are not set. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface RegistryPage {
  readonly issues: readonly RegistryIssue[];
  /** Issues Jira returned that could not be read (malformed JSON shape); each is reported, none breaks the page. */
  readonly unreadable: ReadonlyArray<{ readonly key: string; readonly problem: string }>;
  readonly nextPageToken: string | null;
}

/** A workflow status: what the validator needs to tell which gate a transition passes. */
export interface JiraStatus {
  readonly id: string;
  readonly name: string;
  readonly category: 'new' | 'indeterminate' | 'done';
}

/** Projects and issues, by id, that a person may browse. */
export interface Browsable {
  readonly projectIds: readonly string[];
  readonly issueIds: readonly string[];
}

/** Projects, and issues, one bulk permission check names at most (Jira's limit for each). */
export const MAX_PERMISSION_CHECK = 1000;

export interface IssuePermissions {
  readonly browse: boolean;
  readonly edit: boolean;
}

/**
 * Jira's search index lags behind writes; a search makes at most this many issues current (`reconcileIssues`,
 * docs/platform.md §3).
 */
export const MAX_RECONCILE_ISSUES = 50;

/** Jira, as the use cases use it. Errors are the typed ones in `errors.ts`. */
export interface JiraPort {
  /** One page of a JQL search (≤ 100), with the given fields and up to 5 property keys. */
  searchPage(
    acting: Acting,
    query: {
      readonly jql: string;
      readonly fields: readonly string[];
      readonly properties: readonly string[];
      readonly nextPageToken?: string;
      readonly maxResults?: number;
      /** Issue ids (≤ 50) the search must show as they are now, not as the lagging index has them. */
      readonly reconcileIssues?: readonly string[];
    },
  ): Promise<RegistryPage>;
  /**
   * One page of issue ids matching a JQL query. Asking for ids only lets Jira return up to 5,000 per page, which is
   * what keeps listing a 10,000-project registry (the reconciliation on install or a settings change) at two
   * requests.
   */
  searchIds(
    acting: Acting,
    query: {
      readonly jql: string;
      readonly nextPageToken?: string;
      readonly reconcileIssues?: readonly string[];
      /** A page's size, up to Jira's 5,000 for ids (the default). */
      readonly maxResults?: number;
    },
  ): Promise<{ readonly ids: readonly string[]; readonly nextPageToken: string | null }>;
  /** One issue with the given fields and properties; null when it does not exist or the actor may not see it. */
  getIssue(
    acting: Acting,
    issueKeyOrId: string,
    fields: readonly string[],
    properties: readonly string[],
  ): Promise<RegistryIssue | null>;
  /** Writes one property value (Jira's 32,768-character limit applies). */
  setProperty(acting: Acting, issueKeyOrId: string, key: string, value: unknown): Promise<void>;
  deleteProperty(acting: Acting, issueKeyOrId: string, key: string): Promise<void>;
  /** The user's browse/edit permission on one issue. */
  permissionsOn(accountId: string, issueKeyOrId: string): Promise<IssuePermissions>;
  /** Of the projects and issues named (≤ MAX_PERMISSION_CHECK each), those the user may browse: one request. */
  browsable(
    accountId: string,
    ids: { readonly projectIds: readonly string[]; readonly issueIds: readonly string[] },
  ): Promise<Browsable>;
  /** Group names the user belongs to. */
  groupsOf(accountId: string): Promise<readonly string[]>;
  /** Whether the user is a Jira administrator. */
  isAdmin(accountId: string): Promise<boolean>;
  /** A workflow status by id; null when Jira has none by that id. */
  statusOf(acting: Acting, statusId: string): Promise<JiraStatus | null>;
  /** Approximate count of a JQL query's matches (for the admin's live preview). */
  approximateCount(acting: Acting, jql: string): Promise<number>;
  /**
   * Every change of one field of an issue, oldest first, from Jira's changelog filtered to that field, so a long
   * history of other edits costs nothing. User fields give account ids.
   */
  fieldChanges(acting: Acting, issueKeyOrId: string, fieldId: string): Promise<readonly FieldChange[]>;
  /** How many active people a group has; null when Jira has no group of that name. */
  groupMemberCount(acting: Acting, groupName: string): Promise<number | null>;
  /**
   * How many active people the site has, counted up to `atMost + 1` and no further: enough to tell whether a group of
   * `atMost` members holds everyone, without paging through a large site.
   */
  countActivePeople(acting: Acting, atMost: number): Promise<number>;
}

/** One change of a field, from an issue's changelog. */
export interface FieldChange {
  readonly at: Instant;
  /** The raw value before and after (an account id for user fields); null when the field was empty. */
  readonly from: string | null;
  readonly to: string | null;
}

/** One recorded op in the ledger: the serialisation point of the write path (docs/architecture.md §4). */
export interface LedgerEntry {
  readonly issueId: string;
  readonly rev: number;
  /** The op as applied (`GovernanceOp`), kept as JSON for replay. */
  readonly op: unknown;
  readonly by: string;
  readonly at: Instant;
  /** Signature of the resulting governance document, to tell a rollback from a legitimate older write. */
  readonly sig: string;
  /**
   * Set once the documents were written: an uncommitted head is a write in flight (or one that crashed before its
   * property writes), a committed head with older documents in Jira is a rollback.
   */
  readonly committed?: boolean;
  /**
   * Set by the writer that claimed this slot and then gave up on Jira (5xx/429 after its retries): the op is recorded
   * but its documents were not (all) written. Readers then finish it from the ledger at once instead of waiting out
   * the in-flight window, and the next write stores it (docs/architecture.md §4: a crash between 3 and 4 loses
   * nothing).
   */
  readonly stalled?: boolean;
}

/**
 * What every signature is made with and bound to, besides the issue id (signing.ts): the installation's secret, and
 * the installation itself. A signature proves a document only together with where it belongs, so a document copied
 * through REST onto another issue, or onto another site that somehow shared the secret, no longer verifies.
 */
export interface SigningKey {
  /** The HMAC key (64 hex digits), created once per installation in a KVS secret. */
  readonly secret: string;
  /**
   * The installation's stable identity (its installation ARI): the same for every module of the app on the site —
   * the Confluence macro verifies what the Jira modules signed — and different for every other installation.
   */
  readonly installation: string;
}

/** The app's own storage (Forge KVS): users cannot write it. */
export interface StoragePort {
  /** Settings and their version; defaults when never saved. */
  loadSettings(): Promise<Settings>;
  /** Saves when `expectedVersion` is the stored version; returns false when someone saved in between. */
  saveSettings(settings: Settings, expectedVersion: number): Promise<boolean>;
  /** Claims ledger slot `rev` for the issue; false when it was taken (someone else's op won). */
  claimLedger(entry: LedgerEntry): Promise<boolean>;
  /** Marks ledger slot `rev` as written to Jira (see `LedgerEntry.committed`). */
  markCommitted(issueId: string, rev: number): Promise<void>;
  /** Marks ledger slot `rev` as recorded but not written to Jira (see `LedgerEntry.stalled`). */
  markStalled(issueId: string, rev: number): Promise<void>;
  /** Ledger entries of an issue from `fromRev` (inclusive), in order. */
  ledger(issueId: string, fromRev?: number): Promise<readonly LedgerEntry[]>;
  /** The highest claimed revision of an issue, 0 when none. */
  ledgerHead(issueId: string): Promise<number>;
  /** The HMAC key documents are signed with, created on first use, and the installation it belongs to. */
  signingKey(): Promise<SigningKey>;
  /**
   * Jira quota points the person's portfolio reads spent in `hour` (an instant's first 13 characters,
   * `2026-12-02T07`); 0 in any other hour.
   */
  pointsSpent(accountId: string, hour: string): Promise<number>;
  /** Adds `points` to what the person's reads spent in `hour` (a new hour starts again from them). */
  spendPoints(accountId: string, hour: string, points: number): Promise<void>;
  /** The weeks whose snapshots versions before 1.1 kept in KVS, oldest first (to be moved to the read model). */
  legacySnapshotWeeks(): Promise<readonly string[]>;
  /** One such week's rows; undefined when it is not kept any more. */
  legacySnapshot(week: string): Promise<readonly SnapshotRow[] | undefined>;
  /** Removes one such week. */
  removeLegacySnapshot(week: string): Promise<void>;
}

/** A read-model row as a reader gets it back: who may see it, and the facts to judge it on (unparsed). */
export interface StoredProjection {
  readonly issueId: string;
  readonly key: string;
  readonly securityLevelId: string | null;
  readonly ownerName: string | null;
  readonly integrity: Integrity;
  /** The own-facts RAG stored with the row, as judged on the day it was written. */
  readonly rag: RagOrNone;
  /** When the row was last written from Jira (an op, a restore, a recompute): how fresh its verdict is. */
  readonly writtenAt: string;
  /** Why the record is left out, when a document was damaged (projection.ts documentProblem). */
  readonly problem: RowError | null;
  readonly facts: unknown;
}

/** A row as the portfolio's figures read it: who may see it and its entry, without its facts. */
export interface StoredEntryRow extends Omit<StoredProjection, 'facts'> {
  readonly waitsOn: readonly string[];
  readonly judgedOn: IsoDate;
  /** The stored entry (unparsed, see projection.ts entryOf); null in a row written before entries were kept. */
  readonly entry: unknown;
}

/** A row as the daily run judges it again: its facts and the `tollgate-health` document last written to Jira. */
export interface StoredHealth {
  readonly issueId: string;
  readonly key: string;
  readonly integrity: Integrity;
  readonly writtenAt: string;
  readonly facts: unknown;
  /** The document as stored (unparsed); null in a row written before the read model kept it. */
  readonly health: unknown;
}

/** Today's verdict on a row whose health changed, from its stored facts (no new read from Jira). */
export interface RejudgedRow {
  readonly issueId: string;
  /** The row's `writtenAt` as it was read: a row written since (an op landed) keeps what that write stored. */
  readonly writtenAt: string;
  readonly rag: RagOrNone;
  readonly severity: number;
  readonly riskMax: number;
  readonly mandatoryOpen: number;
  readonly waitsOn: readonly string[];
  readonly health: HealthDocument;
  readonly entry: StoredEntry;
  readonly judgedOn: IsoDate;
}

/**
 * The read-model rows a reader may see: rows in the Jira projects they may browse, less the rows under an issue
 * security level Jira would not show them; a JQL narrowing (a macro's scope) keeps only the issues it matched.
 */
export interface ReaderScope {
  readonly projectIds: readonly string[];
  readonly hiddenIds: readonly string[];
  readonly issueIds?: readonly string[];
}

/** The portfolio's figures over a reader's rows, as the read model adds them up. */
export interface ScopeFigures {
  /** Every row in scope, those still to be brought up to date included. */
  readonly rows: number;
  /** Rows whose figures come from an older entry shape (or none): left out of every figure until rewritten. */
  readonly pending: number;
  /** Rows whose record is not genuine or is damaged (integrity other than ok). */
  readonly withErrors: number;
  /** When the least recently written row was written; null without rows. */
  readonly checkedAt: string | null;
  /** How many of the counted rows are exceptions. */
  readonly exceptions: number;
  /** The sums over the counted rows (every row in scope that is not pending nor excluded). */
  readonly sums: FigureSums;
}

/** A row as red flows along dependencies: its issue, its stored own-facts RAG and what it waits on. */
export interface WaitingRow {
  readonly issueId: string;
  readonly rag: RagOrNone;
  readonly waitsOn: readonly string[];
}

/** One page of rows in a reader's scope, filtered and sorted in the read model. */
export interface PageQuery {
  readonly filter: RowFilter;
  readonly sort: RowSort;
  readonly offset: number;
  readonly limit: number;
  /** Rows red from what they wait on for this reader (their stored RAG is their own): filtered and sorted as red. */
  readonly redIds: readonly string[];
}

/** Columns the read model orders its first rows by (the stored, own-facts health). */
export type ProjectionOrder = 'severity' | 'riskMax' | 'mandatoryOpen';

/** A list of changes: how many there are, and the first of them. */
export interface ChangeList<T> {
  readonly total: number;
  readonly items: readonly T[];
}

/** What changed between two days among a reader's rows (sql-changes.ts). */
export interface ChangeLists {
  readonly newReds: ChangeList<RagChange>;
  readonly worse: ChangeList<RagChange>;
  readonly better: ChangeList<RagChange>;
  /** Null when the earlier week kept no risk bands. */
  readonly risksUp: ChangeList<RiskBandChange> | null;
  readonly risksDown: ChangeList<RiskBandChange> | null;
  /** Rows in the later day and not in the earlier one. */
  readonly added: number;
}

/** A gate decision as the decision log lists it, with the project it was taken on. */
export interface LoggedDecision {
  readonly issueId: string;
  readonly key: string;
  readonly summary: string;
  /** The template the project is governed by, which names the gate; null when the record named none. */
  readonly template: TemplateRef | null;
  readonly decision: GateDecision;
}

/** What the decision log of a reader's scope holds (sql-decisions.ts). */
export interface DecisionLog {
  /** Every decision of a genuine row in scope (on or before the day asked for). */
  readonly total: number;
  /** The latest of them, latest first. */
  readonly decisions: readonly LoggedDecision[];
  /** A few rows whose decisions are left out, their record being tampered with or not Tollgate's. */
  readonly withheld: ReadonlyArray<{ readonly key: string; readonly integrity: 'tampered' | 'unsigned' }>;
  readonly withheldTotal: number;
  /** Rows whose decisions are not kept yet (written before this version). */
  readonly pending: number;
}

/**
 * Tollgate's read model in Forge SQL (projection.ts): one row per registry project, written by the app only. Every
 * read names the Jira projects the reader may browse; rows outside them are never returned.
 */
export interface ReadModelPort {
  /** Inserts or replaces the rows, by issue id. */
  put(rows: readonly Projection[]): Promise<void>;
  /** Removes the rows of these issues (no longer registry projects). */
  remove(issueIds: readonly string[]): Promise<void>;
  /** Up to `limit` rows' issue ids after `after` (`''` for the first), in the order `after` compares them in. */
  rowIdsAfter(after: string, limit: number): Promise<readonly string[]>;
  /** The decision log of the reader's scope: the latest `limit` decisions on or before `until`. */
  decisionLog(
    scope: ReaderScope,
    query: { readonly until?: IsoDate; readonly limit: number; readonly withheldLimit: number },
  ): Promise<DecisionLog>;
  /** Which of `issueIds` have a row. */
  rowsAmong(issueIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** The rows of `issueIds` with their facts and stored health document, for the daily run to judge again. */
  storedHealth(issueIds: readonly string[]): Promise<readonly StoredHealth[]>;
  /**
   * Stores today's verdicts; a row whose `writtenAt` moved since it was read is left alone.
   * @returns the ids of the rows left alone.
   */
  rejudge(rows: readonly RejudgedRow[]): Promise<readonly string[]>;
  /** How many rows there are, and when the least recently written one was written (null when there is none). */
  census(): Promise<{ readonly rows: number; readonly oldestWrite: string | null }>;
  /** The Jira projects the rows are in, for the reader's permission check. */
  jiraProjects(): Promise<readonly string[]>;
  /** The first `limit` rows in the given Jira projects, by a stored column, ties by key as people read keys. */
  firstRows(query: {
    readonly projectIds: readonly string[];
    readonly orderBy: ProjectionOrder;
    readonly direction: 'asc' | 'desc';
    readonly limit: number;
  }): Promise<readonly StoredProjection[]>;
  /**
   * Every row in the given Jira projects, or only those of `issueIds` among them, facts included: the portfolio's whole
   * read, in as many SELECTs as Forge SQL's 4 MiB answers need.
   */
  rowsIn(query: {
    readonly projectIds: readonly string[];
    readonly issueIds?: readonly string[];
  }): Promise<readonly StoredProjection[]>;
  /** The rows under an issue security level, in any Jira project: the ones only Jira can say a reader passes. */
  securedRows(): Promise<ReadonlyArray<{ readonly issueId: string; readonly jiraProjectId: string }>>;
  /** The figures over the rows in scope, leaving out `excludeIds` (rows the caller judges itself). */
  figures(scope: ReaderScope, excludeIds: readonly string[]): Promise<ScopeFigures>;
  /**
   * The exceptions' rows, tolerance breaches first, then the most red reasons, then by key, at most `limit`, leaving
   * out `excludeIds`: the first of the exceptions list.
   */
  exceptionRows(scope: ReaderScope, excludeIds: readonly string[], limit: number): Promise<readonly StoredEntryRow[]>;
  /** The rows with the latest passages that were not compliant on or after `since`, at most `limit`. */
  nonCompliantRows(scope: ReaderScope, since: IsoDate, limit: number): Promise<readonly StoredEntryRow[]>;
  /** Rows that recorded a gate decision on or after `since`, for what changed between two days. */
  decidedRows(scope: ReaderScope, since: IsoDate): Promise<readonly StoredEntryRow[]>;
  /** One page of the rows the filter keeps, in the sort order (ties by key), and how many it keeps. */
  pageOf(
    scope: ReaderScope,
    query: PageQuery,
  ): Promise<{ readonly total: number; readonly rows: readonly StoredEntryRow[] }>;
  /** The rows of `keys` in scope. */
  rowsByKey(scope: ReaderScope, keys: readonly string[]): Promise<readonly StoredEntryRow[]>;
  /**
   * The stored own-facts RAG and awaited projects of the rows in scope that wait on others (and, with `keys`, of
   * those rows instead): what red flows along for this reader.
   */
  dependencies(scope: ReaderScope, keys?: readonly string[]): Promise<ReadonlyMap<string, WaitingRow>>;
  /**
   * Takes the week's snapshot (`week` is its ISO week's Monday) from the rows as stored now, replacing an earlier one of
   * that week: each project's own RAG and the band of its worst open risk in `bands`.
   * @returns how many projects it holds.
   */
  takeSnapshot(week: IsoDate, bands: RiskBandConfig): Promise<number>;
  /** Stores a week's snapshot given by key (one an earlier version kept, or the demo's); keys with no row are left out. */
  saveSnapshot(week: IsoDate, rows: readonly SnapshotRow[]): Promise<void>;
  /** The weeks with a complete snapshot, oldest first. */
  snapshotWeeks(): Promise<readonly IsoDate[]>;
  /**
   * The trend over the weeks with a snapshot from `from` to `to`: each week's projects in the Jira projects the reader
   * may browse today, less the rows they may not see (a snapshot is taken as the app), with how many green → red
   * jumps there were between one project's consecutive snapshots among them, and the latest `limit`.
   */
  trendIn(
    scope: ReaderScope,
    from: IsoDate,
    to: IsoDate,
    limit: number,
  ): Promise<{
    readonly points: readonly TrendPoint[];
    readonly inflation: { readonly total: number; readonly items: readonly InflationFlag[] };
  }>;
  /**
   * The latest week with a snapshot from `from` to `to` (null without one), of the rows in scope: how many by RAG,
   * and the first `limit`, worst first, then by key, with their summaries.
   */
  snapshotIn(
    scope: ReaderScope,
    from: IsoDate,
    to: IsoDate,
    limit: number,
  ): Promise<{
    readonly week: IsoDate | null;
    readonly byRag: Readonly<Record<RagOrNone, number>>;
    readonly total: number;
    readonly rows: ReadonlyArray<{ readonly key: string; readonly rag: RagOrNone; readonly summary: string }>;
  }>;
  /** One week's snapshot rows of the rows in scope, row by row (what a week holds; views read counts and changes). */
  snapshotRowsIn(scope: ReaderScope, week: IsoDate): Promise<readonly SnapshotRow[]>;
  /**
   * What changed, among the rows in scope, from the complete week `from` to the complete week `to`, or to the rows as
   * stored now when `to` is null (their own RAG, and their worst open risk's band in `bands`): each list's count and
   * its first `limit`, in key order (domain/changes.ts `portfolioChanges` gives the rules).
   */
  changesIn(
    scope: ReaderScope,
    query: {
      readonly from: IsoDate;
      readonly to: IsoDate | null;
      readonly bands: RiskBandConfig;
      readonly limit: number;
    },
  ): Promise<ChangeLists>;
  /** One project's snapshots in the weeks from `from` to `to`, oldest first. */
  snapshotHistory(
    key: string,
    from: IsoDate,
    to: IsoDate,
  ): Promise<ReadonlyArray<{ readonly week: IsoDate; readonly rag: RagOrNone }>>;
  /**
   * The stored own-facts RAG and awaited projects of `keys`, among rows in the given Jira projects and without an
   * issue security level (whose visibility only Jira can tell per reader).
   */
  counterparties(
    projectIds: readonly string[],
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, { readonly rag: RagOrNone; readonly waitsOn: readonly string[] }>>;
}

/**
 * Why a recompute was asked for. `reconcile`: read from Jira in full (the paced reconciliation, and rows the daily run
 * could not judge); `rejudge`: judged again from the stored row with today's date, no Jira read (the daily run);
 * `stray-health`: issues outside the registry whose health is to go; `daily`, queued by earlier versions, is read
 * like `reconcile`.
 */
export const RECOMPUTE_REASONS = ['stale-health', 'daily', 'event', 'stray-health', 'reconcile', 'rejudge'] as const;
export type RecomputeReason = (typeof RECOMPUTE_REASONS)[number];

/**
 * One step of a sweep (sweep-use-case.ts): a page of a list too long for one invocation or one minute's pushes, and
 * where the next page starts.
 */
export interface SweepStep {
  /**
   * `rows`: the read model's rows, queued for `reason`; `registry`: the registry listed from Jira, its projects without
   * a row queued to be read; `strays`: the issues outside the registry that carry health, queued for its removal.
   */
  readonly listing: 'rows' | 'registry' | 'strays';
  /** Why the rows are queued: read from Jira in full (the reconciliation) or judged again from the row (the daily). */
  readonly reason: 'reconcile' | 'rejudge';
  /** A reconciliation that lists the registry after the rows (install, upgrade, settings change, on demand). */
  readonly listRegistry: boolean;
  /** Where the last page ended: the last row's issue id, or Jira's `nextPageToken`; absent on a list's first page. */
  readonly cursor?: string;
}

/** Background work: recompute health for batches of issues. */
export interface QueuePort {
  /** Pushes a sweep's next step, `delayInSeconds` (≤ 900) later when given. */
  sweep(step: SweepStep, delayInSeconds?: number): Promise<void>;
  /**
   * Pushes recompute jobs for the issue ids, in batches of at most 100 ids per event. `attempt` 2 or more marks a
   * retry of projects a busy platform refused, which waits in the queue before it runs; `delayInSeconds` (≤ 900)
   * holds a job back, as the pacing does with a job the hour cannot afford.
   */
  recompute(
    issueIds: readonly string[],
    reason: RecomputeReason,
    attempt?: number,
    delayInSeconds?: number,
  ): Promise<void>;
}

/** The clock, injected so use cases stay testable. */
export interface ClockPort {
  now(): Instant;
  /** Waits; tests inject a clock that does not. */
  sleep(ms: number): Promise<void>;
}
