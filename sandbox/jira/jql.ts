/**
 * JQL for the Jira emulator: parsed by Atlassian's own parser (`@atlaskit/jql-ast`), then validated and evaluated
 * here for the clauses PMO filters use. Anything the emulator cannot answer faithfully is refused with a `JqlError`
 * (Jira's 400 body in the routes) instead of a silently wrong result.
 *
 * Semantics, and where they come from:
 * - NOT is pushed down to the terminal clauses by De Morgan, flipping each operator (`NOT a = b` is `a != b`), which
 *   is how Jira evaluates it; with Jira's documented rule that `!=`, `NOT IN`, `!~` and the range operators never
 *   match an empty field ("component != fred will only match issues that have a component"), `NOT assignee = x`
 *   leaves out unassigned issues too.
 * - Values are checked as Jira checks them: an unknown (or hidden) project, status, issue type, priority, user or
 *   issue key is a 400 ("The value 'X' does not exist for the field 'project'."), never an empty result.
 * - Names (project, status, type, priority, statusCategory) match case-insensitively; labels match exactly.
 * - Entity properties: a `searchAlias` exists only for the manifest's indexed values, typed as docs/platform.md §1 says
 *   (`string` =/!=/IN, `text` ~ only, `number`/`date` ranges and ORDER BY, `user` account ids). `issue.property[k].p`
 *   behaves the same for an indexed path; for a path nobody indexed Jira has no index entry, so by default it is
 *   EMPTY on every issue (`IS EMPTY` matches all, everything else none) — the sandbox reproduces the production
 *   surprise of querying an unindexed path. `unindexedPropertyPaths: 'evaluate'` reads any path instead, typing
 *   values by their JSON type. String property values match case-insensitively (unverified against Jira).
 * - Dates: `"2026-05-01"`, `"2026/05/01 14:30"`, periods (`-7d`, `4w 2d`; units y M w d h m) and the functions
 *   now(), startOf/endOf Day|Week|Month|Year([±n[unit]]) are read in the searching user's time zone. Weeks start on
 *   Monday (Jira uses the user's locale; the app's locales are Monday-first). A date-only value (`duedate`, or a
 *   `date` property holding `YYYY-MM-DD`) compares as the start of that day.
 * - Text (`summary`, `description`, `text` ~ / !~): every word of the query must occur, `*`/`?` wildcards inside or
 *   after a word, a quoted phrase must occur in order; case-insensitive, no stemming (Jira stems English words).
 * - ORDER BY: at most 7 fields (the OpenAPI `jql` description); a repeated field is ignored after its first use, as
 *   Jira ignores it with a warning. A field without ASC/DESC uses Jira's per-field default: DESC for created,
 *   updated, resolved and priority (highest first), ASC otherwise. Empty values sort after every value in ASC and
 *   before them in DESC. Ties fall back to the issue id, ascending. Without ORDER BY, results come newest first
 *   (`created DESC`, then id DESC), as the issue navigator's default; Jira does not document the order of an
 *   unordered /search/jql.
 * - Only issues the principal may browse are candidates; values in hidden projects "do not exist", as in Jira.
 */
import {
  JastBuilder,
  RESERVED_WORDS,
  type Clause,
  type Field,
  type JQLParseError,
  type Operand,
  type TerminalClause,
} from '@atlaskit/jql-ast';
import { CONSISTENT_VIEW, type IndexedView } from './search-index';
import {
  adfToText,
  parseIssueKey,
  type IssueRecord,
  type JiraStore,
  type JsonValue,
  type StatusCategoryKey,
  type UserRecord,
} from './store';
import { parseDateTime, startOfCalendarDate, wallTime, zonedInstant } from './time';
import type { Principal } from './types';

/** A value type of a `jira:entityProperty` module's `values` entry. */
export type IndexedValueType = 'string' | 'number' | 'date' | 'text' | 'user';

/** One indexed value of an entity property, as the manifest's `jira:entityProperty` declares it. */
export interface IndexedProperty {
  readonly propertyKey: string;
  /** Dot-separated path inside the property's JSON value. */
  readonly path: string;
  readonly type: IndexedValueType;
  readonly searchAlias?: string;
}

/** Why a query was refused: `unsupported` marks a Jira feature the emulator does not implement. */
export type JqlErrorReason = 'syntax' | 'invalid' | 'unsupported' | 'unbounded';

/** A refused query; `message` is what Jira's 400 body carries in `errorMessages`. */
export class JqlError extends Error {
  /** Every message of the refusal: Jira names each value of a list it cannot resolve, one message each. */
  readonly messages: readonly string[];
  constructor(
    message: string,
    readonly reason: JqlErrorReason,
    messages?: readonly string[],
  ) {
    super(message);
    this.name = 'JqlError';
    this.messages = messages ?? [message];
  }
}

/** Jira's 400 message for a query without a search restriction on /search/jql. */
export const UNBOUNDED_JQL_MESSAGE =
  'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

/** The longest ORDER BY Jira accepts (OpenAPI `SearchAndReconcileRequestBean.jql`). */
export const MAX_ORDER_BY_FIELDS = 7;

/** How a `JqlEngine` reads entity properties and time. */
export interface JqlEngineOptions {
  readonly indexedProperties?: readonly IndexedProperty[];
  /** What `issue.property[k].path` means for a path no module indexes; see the module comment. */
  readonly unindexedPropertyPaths?: 'empty' | 'evaluate';
  /** The clock JQL's `now()` and relative dates read; defaults to the store's. */
  readonly now?: () => Date;
}

/** A parsed, validated query, bound to one principal and one moment. */
export interface CompiledQuery {
  /** True when the query has a WHERE clause (Jira's "search restriction"). */
  readonly bounded: boolean;
  matches(issue: IssueRecord): boolean;
  /** The issue's ORDER BY values, tie-breaker last; compute once per issue, then `compareKeys`. */
  sortKeys(issue: IssueRecord): SortKeys;
  compareKeys(a: SortKeys, b: SortKeys): number;
}

/** An issue's ORDER BY values (see `CompiledQuery.sortKeys`). */
export type SortKeys = ReadonlyArray<string | number | null>;

type Op = '=' | '!=' | 'in' | 'not in' | '~' | '!~' | 'is' | 'is not' | '<' | '<=' | '>' | '>=';
type Scalar = string | number;
type Predicate = (issue: IssueRecord) => boolean;
type Item =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly string[] };

const NEGATED: Readonly<Record<Op, Op>> = {
  '=': '!=',
  '!=': '=',
  in: 'not in',
  'not in': 'in',
  '~': '!~',
  '!~': '~',
  is: 'is not',
  'is not': 'is',
  '<': '>=',
  '>=': '<',
  '>': '<=',
  '<=': '>',
};
const SUPPORTED_OPS: ReadonlySet<string> = new Set(Object.keys(NEGATED));
const EQUALITY: readonly Op[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const RANGE: readonly Op[] = [...EQUALITY, '<', '<=', '>', '>='];
const TEXT: readonly Op[] = ['~', '!~', 'is', 'is not'];

/** Jira fields and functions that exist but that the emulator does not evaluate (so: "unsupported", not "unknown"). */
const KNOWN_UNSUPPORTED_FIELDS: ReadonlySet<string> = new Set(
  [
    'affectedVersion',
    'approvals',
    'attachments',
    'category',
    'comment',
    'component',
    'development',
    'environment',
    'epic link',
    'filter',
    'fixVersion',
    'issueLink',
    'issueLinkType',
    'lastViewed',
    'level',
    'originalEstimate',
    'parent',
    'parentEpic',
    'projectType',
    'remainingEstimate',
    'request',
    'savedFilter',
    'sprint',
    'statusCategoryChangedDate',
    'team',
    'timeSpent',
    'voter',
    'votes',
    'watcher',
    'watchers',
    'workRatio',
    'worklogAuthor',
    'worklogComment',
    'worklogDate',
  ].map((name) => name.toLowerCase()),
);
const KNOWN_UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    'approved',
    'approver',
    'breached',
    'cascadeOption',
    'closedSprints',
    'completed',
    'componentsLeadByUser',
    'currentLogin',
    'earliestUnreleasedVersion',
    'elapsed',
    'everBreached',
    'futureSprints',
    'issueHistory',
    'issuesWithRemoteLinksByGlobalId',
    'lastLogin',
    'latestReleasedVersion',
    'linkedIssues',
    'myApproval',
    'myPending',
    'openSprints',
    'parentEpic',
    'paused',
    'pending',
    'pendingBy',
    'projectsLeadByUser',
    'projectsWhereUserHasPermission',
    'projectsWhereUserHasRole',
    'releasedVersions',
    'remaining',
    'running',
    'standardIssueTypes',
    'subtaskIssueTypes',
    'unreleasedVersions',
    'updatedBy',
    'votedIssues',
    'watchedIssues',
    'withinCalendarHours',
  ].map((name) => name.toLowerCase()),
);
const DATE_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    'now',
    'startOfDay',
    'endOfDay',
    'startOfWeek',
    'endOfWeek',
    'startOfMonth',
    'endOfMonth',
    'startOfYear',
    'endOfYear',
  ].map((name) => name.toLowerCase()),
);
const USER_FUNCTIONS: ReadonlySet<string> = new Set(['currentuser', 'membersof']);

const CATEGORY_ORDER: Readonly<Record<StatusCategoryKey, number>> = { new: 1, indeterminate: 2, done: 3 };
/** Jira's status category ids and names (GET /rest/api/3/statuscategory; test/vendor/jira-fixtures/statuses-v3.airbyte.json). */
const CATEGORY_ALIASES: Readonly<Record<string, StatusCategoryKey>> = {
  new: 'new',
  'to do': 'new',
  '2': 'new',
  indeterminate: 'indeterminate',
  'in progress': 'indeterminate',
  '4': 'indeterminate',
  done: 'done',
  complete: 'done',
  '3': 'done',
};

/** How one field behaves in a clause and in ORDER BY. */
interface FieldSpec {
  /** The field as the query wrote it (Jira's messages echo it). */
  readonly name: string;
  readonly ops: readonly Op[];
  /** The issue's values of this field; empty means EMPTY. */
  values(issue: IssueRecord): readonly Scalar[];
  /** Resolves one operand item to comparable values (throws `JqlError` for values that do not exist). */
  resolve(item: Item): readonly Scalar[];
  /** Builds a range predicate (`<`, `<=`, `>`, `>=`) for fields that order. */
  range?(op: Op, item: Item): Predicate;
  /** The text `~` searches, for text fields. */
  text?(issue: IssueRecord): string;
  /** The ORDER BY key; absent when the field cannot be sorted. */
  sortKey?(issue: IssueRecord): Scalar | null;
  readonly defaultDescending?: boolean;
  /** Values that mean EMPTY for this field (lower case). */
  readonly emptyAliases?: readonly string[];
}

interface SortKey {
  readonly key: (issue: IssueRecord) => Scalar | null;
  readonly descending: boolean;
}

interface Context {
  readonly principal: Principal;
  readonly user: UserRecord | undefined;
  readonly timeZone: string;
  readonly now: number;
  readonly browsable: ReadonlySet<string>;
  /** The search index's view of issues and properties (search-index.ts). */
  readonly view: IndexedView;
}

/** Parses, validates and evaluates JQL against a `JiraStore`. */
export class JqlEngine {
  private readonly indexed: readonly IndexedProperty[];
  private readonly aliases: ReadonlyMap<string, IndexedProperty>;
  private readonly unindexed: 'empty' | 'evaluate';
  private readonly now: () => Date;

  constructor(
    private readonly store: JiraStore,
    options: JqlEngineOptions = {},
  ) {
    this.indexed = options.indexedProperties ?? [];
    this.aliases = new Map(
      this.indexed.flatMap((p) => (p.searchAlias ? [[p.searchAlias.toLowerCase(), p] as const] : [])),
    );
    this.unindexed = options.unindexedPropertyPaths ?? 'empty';
    this.now = options.now ?? (() => store.now());
  }

  /**
   * Issues matching `jql` that `principal` may browse, in the query's order.
   * @throws {JqlError} when the query does not parse, names something that does not exist, uses what the emulator
   * does not support, or (with `requireBounded`) has no search restriction.
   */
  search(
    jql: string,
    principal: Principal,
    options: { readonly requireBounded: boolean; readonly view?: IndexedView },
  ): IssueRecord[] {
    const view = options.view ?? CONSISTENT_VIEW;
    const query = this.compile(jql, principal, view);
    if (options.requireBounded && !query.bounded) throw new JqlError(UNBOUNDED_JQL_MESSAGE, 'unbounded');
    const browsable = new Set(this.store.browsableProjectKeys(principal));
    // Sort keys are computed once per issue rather than once per comparison (they may look users up).
    return this.store
      .listIssues()
      .flatMap((current) => {
        const issue = view.issue(current);
        return issue ? [issue] : [];
      })
      .filter((issue) => browsable.has(issue.projectKey) && query.matches(issue))
      .map((issue) => ({ issue, keys: query.sortKeys(issue) }))
      .sort((a, b) => query.compareKeys(a.keys, b.keys))
      .map(({ issue }) => issue);
  }

  /**
   * Parses and validates `jql` for `principal` at the store's current time.
   * @throws {JqlError}
   */
  compile(jql: string, principal: Principal, view: IndexedView = CONSISTENT_VIEW): CompiledQuery {
    const jast = new JastBuilder().build(jql);
    const [firstError] = jast.errors;
    if (firstError) throw new JqlError(syntaxMessage(firstError), 'syntax');
    const user = this.store.userOf(principal);
    const ctx: Context = {
      principal,
      user,
      timeZone: user?.timeZone ?? 'UTC',
      now: this.now().getTime(),
      browsable: new Set(this.store.browsableProjectKeys(principal)),
      view,
    };
    const where = jast.query?.where ?? undefined;
    const matches: Predicate = where ? this.clause(where, false, ctx) : () => true;
    const order = this.orderBy(jast.query?.orderBy ?? undefined, ctx);
    return {
      bounded: where !== undefined,
      matches,
      sortKeys: (issue) => order.map(({ key }) => key(issue)),
      compareKeys: (a, b) => {
        for (let i = 0; i < order.length; i += 1) {
          const result = compareNullable(a[i] ?? null, b[i] ?? null);
          if (result !== 0) return order[i]?.descending ? -result : result;
        }
        return 0;
      },
    };
  }

  // ---------------------------------------------------------------- WHERE

  private clause(clause: Clause, negated: boolean, ctx: Context): Predicate {
    if (clause.clauseType === 'not') return this.clause(clause.clause, !negated, ctx);
    if (clause.clauseType === 'compound') {
      const parts = clause.clauses.map((child) => this.clause(child, negated, ctx));
      // De Morgan: under NOT, AND becomes OR and OR becomes AND.
      const all = (clause.operator.value === 'and') !== negated;
      return all ? (issue) => parts.every((p) => p(issue)) : (issue) => parts.some((p) => p(issue));
    }
    return this.terminal(clause, negated, ctx);
  }

  private terminal(clause: TerminalClause, negated: boolean, ctx: Context): Predicate {
    const spec = this.field(clause.field, ctx);
    const written = clause.operator ? clause.operator.value.toLowerCase() : '';
    if (!SUPPORTED_OPS.has(written)) {
      throw new JqlError(
        `The operator '${written.toUpperCase()}' is not supported by the sandbox's Jira emulator (history searches are not emulated).`,
        'unsupported',
      );
    }
    if (!spec.ops.includes(written as Op)) {
      throw new JqlError(`The operator '${written}' is not supported by the '${spec.name}' field.`, 'invalid');
    }
    const op = negated ? NEGATED[written as Op] : (written as Op);
    const operand = clause.operand;
    if (!operand) throw new JqlError('Error in the JQL Query: Expecting either a value, list or function.', 'syntax');
    const items = flatten(operand).map((item): Item =>
      item.kind === 'value' && spec.emptyAliases?.includes(item.value.toLowerCase()) ? { kind: 'empty' } : item,
    );
    const isList = operand.operandType === 'list';
    const single = (): Item => {
      if (isList || items.length !== 1) {
        throw new JqlError(`The operator '${written}' does not support a list of values; use 'in'.`, 'invalid');
      }
      return items[0] as Item;
    };
    const emptyOnly = items.length === 1 && items[0]?.kind === 'empty' && !isList;

    if (op === 'is' || op === 'is not' || ((op === '=' || op === '!=') && emptyOnly)) {
      if (!emptyOnly) {
        throw new JqlError(
          `The operator '${written}' only supports EMPTY or NULL for the '${spec.name}' field.`,
          'invalid',
        );
      }
      const wantEmpty = op === 'is' || op === '=';
      return (issue) => (spec.values(issue).length === 0) === wantEmpty;
    }
    if (op === '~' || op === '!~') {
      const item = single();
      if (item.kind !== 'value' || !spec.text) {
        throw new JqlError(`The operator '${written}' is not supported by the '${spec.name}' field.`, 'invalid');
      }
      const test = textMatcher(item.value, spec.name);
      const text = spec.text.bind(spec);
      return op === '~'
        ? (issue) => test(text(issue))
        : (issue) => {
            const value = text(issue);
            return value.trim() !== '' && !test(value);
          };
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      const item = single();
      if (!spec.range) {
        throw new JqlError(`The operator '${written}' is not supported by the '${spec.name}' field.`, 'invalid');
      }
      return spec.range(op, item);
    }
    // =, !=, in, not in
    if ((op === 'in' || op === 'not in') && !isList && items[0]?.kind !== 'function') {
      throw new JqlError(`The operator '${written}' requires a list of values, e.g. ('A', 'B').`, 'invalid');
    }
    if (op === '=' || op === '!=') single();
    const targets = new Set<Scalar>();
    let includesEmpty = false;
    // Jira refuses a list naming values it cannot resolve with one message per such value, not only the first.
    const refused: JqlError[] = [];
    for (const item of items) {
      if (item.kind === 'empty') includesEmpty = true;
      else {
        try {
          for (const value of spec.resolve(item)) targets.add(value);
        } catch (error) {
          if (!(error instanceof JqlError) || error.reason !== 'invalid') throw error;
          refused.push(error);
        }
      }
    }
    if (refused.length > 0) {
      const messages = refused.flatMap((error) => error.messages);
      throw new JqlError(messages[0] as string, 'invalid', messages);
    }
    if (op === '=' || op === 'in') {
      return (issue) => {
        const values = spec.values(issue);
        return values.length === 0 ? includesEmpty : values.some((v) => targets.has(v));
      };
    }
    return (issue) => {
      const values = spec.values(issue);
      return values.length > 0 && !values.some((v) => targets.has(v));
    };
  }

  // ---------------------------------------------------------------- fields

  private field(field: Field, ctx: Context): FieldSpec {
    const name = field.value;
    const lower = name.toLowerCase();
    if (lower === 'issue.property') return this.propertyField(field, ctx);
    const alias = this.aliases.get(lower);
    if (alias) return this.propertySpec(name, alias.propertyKey, splitPath(alias.path), alias.type, ctx);
    switch (lower) {
      case 'project':
        return this.projectField(name, ctx);
      case 'issuetype':
      case 'type':
        return this.lookupField(
          name,
          (issue) => issue.fields.issuetype,
          (v) => this.store.getIssueType(v)?.id,
          (issue) => (this.store.getIssueType(issue.fields.issuetype)?.name ?? '').toLowerCase(),
        );
      case 'status':
        return this.lookupField(
          name,
          (issue) => issue.fields.status,
          (v) => this.store.getStatus(v)?.id,
          (issue) => Number(issue.fields.status),
        );
      case 'statuscategory':
        return this.lookupField(
          name,
          (issue) => this.store.getStatus(issue.fields.status)?.category ?? 'new',
          (v) => CATEGORY_ALIASES[v.toLowerCase()],
          (issue) => CATEGORY_ORDER[this.store.getStatus(issue.fields.status)?.category ?? 'new'],
        );
      case 'priority':
        return this.priorityField(name);
      case 'resolution':
        return {
          ...this.lookupField(
            name,
            (issue) => issue.fields.resolution?.toLowerCase() ?? null,
            (v) => (v.toLowerCase() === 'done' ? 'done' : undefined),
            (issue) => issue.fields.resolution?.toLowerCase() ?? null,
          ),
          // `resolution = Unresolved` is how Jira spells "no resolution".
          emptyAliases: ['unresolved'],
        };
      case 'assignee':
      case 'reporter':
      case 'creator': {
        const key = lower;
        return {
          name,
          ops: EQUALITY,
          values: (issue) => nonNull(issue.fields[key]),
          resolve: (item) => this.resolveUser(item, name, ctx),
          sortKey: (issue) => {
            const accountId = issue.fields[key];
            return accountId === null ? null : (this.store.getUser(accountId)?.displayName.toLowerCase() ?? null);
          },
        };
      }
      case 'labels':
        return {
          name,
          ops: EQUALITY,
          values: (issue) => issue.fields.labels,
          resolve: (item) => {
            if (item.kind === 'value') return [item.value];
            throw functionError(item, name);
          },
          sortKey: (issue) => (issue.fields.labels.length ? [...issue.fields.labels].sort().join(' ') : null),
        };
      case 'duedate':
      case 'due':
        return this.dateField(name, (issue) => issue.fields.duedate, ctx, false);
      case 'created':
      case 'createddate':
        return this.dateField(name, (issue) => issue.fields.created, ctx, true);
      case 'updated':
      case 'updateddate':
        return this.dateField(name, (issue) => issue.fields.updated, ctx, true);
      case 'resolutiondate':
      case 'resolved':
        return this.dateField(name, (issue) => issue.fields.resolutiondate, ctx, true);
      case 'key':
      case 'issuekey':
      case 'id':
        return this.keyField(name, ctx);
      case 'summary':
        return this.textField(name, (issue) => issue.fields.summary, true);
      case 'description':
        return this.textField(name, (issue) => adfToText(issue.fields.description), false);
      case 'text':
        return {
          ...this.textField(name, (issue) => textOf(issue), false),
          ops: ['~', '!~'],
        };
      default:
        break;
    }
    if (KNOWN_UNSUPPORTED_FIELDS.has(lower) || /^cf\[\d+\]$/.test(lower) || /^customfield_\d+$/.test(lower)) {
      throw new JqlError(`Field '${name}' is not supported by the sandbox's Jira emulator.`, 'unsupported');
    }
    throw new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`, 'invalid');
  }

  private projectField(name: string, ctx: Context): FieldSpec {
    return {
      name,
      ops: EQUALITY,
      values: (issue) => [issue.projectKey],
      resolve: (item) => {
        if (item.kind !== 'value') throw functionError(item, name);
        const project =
          this.store.getProject(item.value) ??
          this.store.listProjects().find((p) => p.name.toLowerCase() === item.value.toLowerCase());
        // A project the user cannot browse "does not exist" for them, as in Jira.
        if (!project || !ctx.browsable.has(project.key)) throw valueError(item, name);
        return [project.key];
      },
      sortKey: (issue) => issue.projectKey,
    };
  }

  private lookupField(
    name: string,
    value: (issue: IssueRecord) => string | null,
    lookup: (operand: string) => string | undefined,
    sortKey: (issue: IssueRecord) => Scalar | null,
  ): FieldSpec {
    return {
      name,
      ops: EQUALITY,
      values: (issue) => nonNull(value(issue)),
      resolve: (item) => {
        if (item.kind !== 'value') throw functionError(item, name);
        const found = lookup(item.value);
        if (found === undefined) throw valueError(item, name);
        return [found];
      },
      sortKey,
    };
  }

  private priorityField(name: string): FieldSpec {
    // Higher priority compares greater (`priority > Medium` is High and Highest), as Jira orders priorities.
    const rank = (id: string | null): number | null =>
      id === null ? null : -(this.store.getPriority(id)?.position ?? Number.MAX_SAFE_INTEGER);
    const operandRank = (item: Item): number => {
      if (item.kind !== 'value') throw functionError(item, name);
      const priority = this.store.getPriority(item.value);
      if (!priority) throw valueError(item, name);
      return -priority.position;
    };
    return {
      name,
      ops: RANGE,
      values: (issue) => nonNull(issue.fields.priority),
      resolve: (item) => {
        if (item.kind !== 'value') throw functionError(item, name);
        const priority = this.store.getPriority(item.value);
        if (!priority) throw valueError(item, name);
        return [priority.id];
      },
      range: (op, item) => {
        const target = operandRank(item);
        return (issue) => {
          const value = rank(issue.fields.priority);
          return value !== null && compareOp(op, value, target);
        };
      },
      sortKey: (issue) => rank(issue.fields.priority),
      defaultDescending: true,
    };
  }

  private dateField(
    name: string,
    raw: (issue: IssueRecord) => string | null,
    ctx: Context,
    defaultDescending: boolean,
  ): FieldSpec {
    const instant = (issue: IssueRecord): number | null => {
      const value = raw(issue);
      if (value === null) return null;
      return parseDateTime(value) ?? startOfCalendarDate(value, ctx.timeZone);
    };
    const operand = (item: Item): number => dateOperand(item, name, ctx);
    return {
      name,
      ops: RANGE,
      values: (issue) => nonNull(instant(issue)),
      resolve: (item) => [operand(item)],
      range: (op, item) => {
        const target = operand(item);
        return (issue) => {
          const value = instant(issue);
          return value !== null && compareOp(op, value, target);
        };
      },
      sortKey: instant,
      defaultDescending,
    };
  }

  private keyField(name: string, ctx: Context): FieldSpec {
    const visible = (issue: IssueRecord | undefined): issue is IssueRecord =>
      issue !== undefined && ctx.browsable.has(issue.projectKey);
    const keyError = (value: string): JqlError =>
      parseIssueKey(value) || /^\d+$/.test(value)
        ? new JqlError(`An issue with key '${value}' does not exist for field '${name}'.`, 'invalid')
        : new JqlError(`The issue key '${value}' for field '${name}' is invalid.`, 'invalid');
    return {
      name,
      ops: RANGE,
      values: (issue) => [issue.id],
      resolve: (item) => {
        if (item.kind !== 'value') throw functionError(item, name);
        const issue = this.store.getIssue(item.value);
        if (!visible(issue) || !(parseIssueKey(item.value) || /^\d+$/.test(item.value))) throw keyError(item.value);
        return [issue.id];
      },
      range: (op, item) => {
        if (item.kind !== 'value') throw functionError(item, name);
        if (/^\d+$/.test(item.value)) {
          const target = Number(item.value);
          return (issue) => compareOp(op, Number(issue.id), target);
        }
        // `key > PMO-3` ranges over the numbers of that project's issues.
        const parsed = parseIssueKey(item.value);
        if (!parsed) throw keyError(item.value);
        const project = this.store.getProject(parsed.projectKey);
        if (!project || !ctx.browsable.has(project.key)) throw keyError(item.value);
        return (issue) => issue.projectKey === project.key && compareOp(op, issue.number, parsed.number);
      },
      sortKey: (issue) => `${issue.projectKey}\u0000${String(issue.number).padStart(12, '0')}`,
    };
  }

  private textField(name: string, text: (issue: IssueRecord) => string, sortable: boolean): FieldSpec {
    return {
      name,
      ops: TEXT,
      values: (issue) => (text(issue).trim() === '' ? [] : ['\u0000text']),
      // Never reached: `=` and IN are not among a text field's operators, so the operator check refuses first.
      resolve: () => [],
      text,
      ...(sortable ? { sortKey: (issue: IssueRecord) => text(issue).toLowerCase() } : {}),
    };
  }

  private propertyField(field: Field, ctx: Context): FieldSpec {
    const property = field.properties ? field.properties[0] : undefined;
    const key = property?.key ? property.key.value : undefined;
    const path = (property?.path ?? []).map((segment) => segment.value).join('');
    if (key === undefined || path === '') {
      throw new JqlError(
        `The field '${field.text}' needs a property key and a path, e.g. issue.property[key].path.`,
        'invalid',
      );
    }
    const segments = splitPath(path);
    const indexed = this.indexed.find((p) => p.propertyKey === key && p.path === segments.join('.'));
    const display = `issue.property[${key}].${segments.join('.')}`;
    if (indexed) return this.propertySpec(display, key, segments, indexed.type, ctx);
    return this.propertySpec(display, key, segments, this.unindexed === 'evaluate' ? 'inferred' : 'unindexed', ctx);
  }

  private propertySpec(
    name: string,
    propertyKey: string,
    segments: readonly string[],
    type: IndexedValueType | 'inferred' | 'unindexed',
    ctx: Context,
  ): FieldSpec {
    const raw = (issue: IssueRecord): JsonValue[] => {
      const value = ctx.view.property(issue.id, propertyKey, () =>
        this.store.propertyValues(propertyKey).get(issue.id),
      );
      return value === undefined ? [] : extract(value, segments);
    };
    const numberOperand = (item: Item): number => {
      if (item.kind !== 'value') throw functionError(item, name);
      const value = Number(item.value);
      if (item.value.trim() === '' || !Number.isFinite(value)) {
        throw new JqlError(`The value '${item.value}' is not a valid number for the field '${name}'.`, 'invalid');
      }
      return value;
    };
    const instantOf = (value: JsonValue): number | null =>
      typeof value === 'string' ? (parseDateTime(value) ?? startOfCalendarDate(value, ctx.timeZone)) : null;
    const rangeOver =
      (values: (issue: IssueRecord) => readonly number[], operand: (item: Item) => number) =>
      (op: Op, item: Item): Predicate => {
        const target = operand(item);
        return (issue) => values(issue).some((v) => compareOp(op, v, target));
      };

    switch (type) {
      case 'string': {
        const values = (issue: IssueRecord): string[] =>
          raw(issue).flatMap((v) => (v === null || typeof v === 'object' ? [] : [String(v).toLowerCase()]));
        return {
          name,
          ops: EQUALITY,
          values,
          resolve: (item) => {
            if (item.kind !== 'value') throw functionError(item, name);
            return [item.value.toLowerCase()];
          },
          sortKey: (issue) => values(issue)[0] ?? null,
        };
      }
      case 'text': {
        const text = (issue: IssueRecord): string =>
          raw(issue)
            .filter((v): v is string => typeof v === 'string')
            .join('\n');
        return { ...this.textField(name, text, false), ops: TEXT };
      }
      case 'number': {
        const values = (issue: IssueRecord): number[] => raw(issue).filter((v): v is number => typeof v === 'number');
        return {
          name,
          ops: RANGE,
          values,
          resolve: (item) => [numberOperand(item)],
          range: rangeOver(values, numberOperand),
          sortKey: (issue) => values(issue)[0] ?? null,
        };
      }
      case 'date': {
        const values = (issue: IssueRecord): number[] => nonNullArray(raw(issue).map(instantOf));
        const operand = (item: Item): number => dateOperand(item, name, ctx);
        return {
          name,
          ops: RANGE,
          values,
          resolve: (item) => [operand(item)],
          range: rangeOver(values, operand),
          sortKey: (issue) => values(issue)[0] ?? null,
        };
      }
      case 'user': {
        const values = (issue: IssueRecord): string[] => raw(issue).filter((v): v is string => typeof v === 'string');
        return { name, ops: EQUALITY, values, resolve: (item) => this.resolveUser(item, name, ctx) };
      }
      case 'unindexed':
        // Nothing indexed this path, so Jira holds no value for it on any issue.
        return {
          name,
          ops: [...RANGE, '~', '!~'],
          values: () => [],
          resolve: () => [],
          range: () => () => false,
          text: () => '',
          sortKey: () => null,
        };
      case 'inferred': {
        const scalars = (issue: IssueRecord): Scalar[] =>
          raw(issue).flatMap((v): Scalar[] =>
            typeof v === 'number' ? [v] : typeof v === 'string' || typeof v === 'boolean' ? [String(v)] : [],
          );
        const canonical = (v: Scalar): string => String(v).toLowerCase();
        return {
          name,
          ops: [...RANGE, '~', '!~'],
          values: (issue) => scalars(issue).map(canonical),
          resolve: (item) => {
            if (item.kind !== 'value') throw functionError(item, name);
            return [item.value.toLowerCase()];
          },
          range: (op, item) => {
            if (item.kind === 'value' && item.value.trim() !== '' && Number.isFinite(Number(item.value))) {
              const target = Number(item.value);
              return (issue) =>
                scalars(issue).some((v) => {
                  const n = typeof v === 'number' ? v : Number(v);
                  return v !== '' && Number.isFinite(n) && compareOp(op, n, target);
                });
            }
            const target = dateOperand(item, name, ctx);
            return (issue) => nonNullArray(raw(issue).map(instantOf)).some((v) => compareOp(op, v, target));
          },
          text: (issue) => scalars(issue).map(String).join('\n'),
          sortKey: (issue) => {
            const first = scalars(issue)[0];
            return first === undefined ? null : typeof first === 'number' ? first : first.toLowerCase();
          },
        };
      }
    }
  }

  private resolveUser(item: Item, name: string, ctx: Context): string[] {
    if (item.kind === 'function') {
      const fn = item.name.toLowerCase();
      if (fn === 'currentuser') return ctx.user ? [ctx.user.accountId] : [];
      if (fn === 'membersof') {
        const group = item.args[0] ?? '';
        const members = this.store.membersOf(group);
        if (!members) {
          throw new JqlError(
            `Function 'membersOf' can not generate a list of usernames for group '${group}'; the group does not exist.`,
            'invalid',
          );
        }
        return members;
      }
      throw functionError(item, name);
    }
    if (item.kind !== 'value') return [];
    const users = this.store.resolveUsers(item.value);
    if (users.length === 0) throw valueError(item, name);
    return users.map((user) => user.accountId);
  }

  // ---------------------------------------------------------------- ORDER BY

  private orderBy(
    orderBy: { readonly fields: ReadonlyArray<{ field: Field; direction: { value: string } | void }> } | undefined,
    ctx: Context,
  ): SortKey[] {
    const byId = (issue: IssueRecord): number => Number(issue.id);
    if (!orderBy || orderBy.fields.length === 0) {
      // No ORDER BY: newest first (see the module comment). Jira timestamps in one zone sort as text.
      return [
        { key: (issue) => issue.fields.created, descending: true },
        { key: byId, descending: true },
      ];
    }
    if (orderBy.fields.length > MAX_ORDER_BY_FIELDS) {
      throw new JqlError(
        `The ORDER BY clause can contain at most ${MAX_ORDER_BY_FIELDS} fields; this query has ${orderBy.fields.length}.`,
        'invalid',
      );
    }
    const seen = new Set<string>();
    const keys: SortKey[] = [];
    for (const orderField of orderBy.fields) {
      const spec = this.field(orderField.field, ctx);
      const identity = canonicalSortName(orderField.field);
      if (seen.has(identity)) continue;
      seen.add(identity);
      if (!spec.sortKey) throw new JqlError(`Field '${spec.name}' does not support sorting.`, 'invalid');
      const direction = orderField.direction ? orderField.direction.value.toUpperCase() : undefined;
      keys.push({
        key: spec.sortKey.bind(spec),
        descending: direction === undefined ? spec.defaultDescending === true : direction === 'DESC',
      });
    }
    return [...keys, { key: byId, descending: false }];
  }
}

// ---------------------------------------------------------------- helpers

function flatten(operand: Operand): Item[] {
  switch (operand.operandType) {
    case 'keyword':
      return [{ kind: 'empty' }];
    case 'value':
      return [{ kind: 'value', value: operand.value }];
    case 'function':
      return [
        {
          kind: 'function',
          name: operand.function.value,
          args: operand.arguments.map((argument) => argument.value),
        },
      ];
    case 'list':
      return operand.values.flatMap(flatten);
  }
}

function nonNull<T>(value: T | null): T[] {
  return value === null ? [] : [value];
}

function nonNullArray<T>(values: ReadonlyArray<T | null>): T[] {
  return values.filter((v): v is T => v !== null);
}

function compareOp(op: Op, value: number, target: number): boolean {
  switch (op) {
    case '<':
      return value < target;
    case '<=':
      return value <= target;
    case '>':
      return value > target;
    case '>=':
      return value >= target;
    default:
      return value === target;
  }
}

/** Orders values with empty (null) after everything, numbers before strings. */
function compareNullable(a: Scalar | null, b: Scalar | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

function canonicalSortName(field: Field): string {
  const lower = field.value.toLowerCase();
  const aliases: Readonly<Record<string, string>> = {
    type: 'issuetype',
    issuekey: 'key',
    due: 'duedate',
    createddate: 'created',
    updateddate: 'updated',
    resolved: 'resolutiondate',
  };
  if (lower === 'issue.property') {
    const property = field.properties ? field.properties[0] : undefined;
    return `issue.property[${property?.key ? property.key.value : ''}]${(property?.path ?? []).map((p) => p.value).join('')}`;
  }
  return aliases[lower] ?? lower;
}

function splitPath(path: string): string[] {
  return path
    .split('.')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
}

/** The values at a path; arrays are indexed element by element, as Jira indexes them. */
function extract(value: JsonValue, segments: readonly string[]): JsonValue[] {
  let current: JsonValue[] = [value];
  for (const segment of segments) {
    const next: JsonValue[] = [];
    for (const node of current) {
      const items = Array.isArray(node) ? (node as readonly JsonValue[]) : [node];
      for (const item of items) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          const child = (item as { readonly [key: string]: JsonValue })[segment];
          if (child !== undefined) next.push(child);
        }
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? (v as readonly JsonValue[]) : [v]));
}

function textOf(issue: IssueRecord): string {
  const custom = Object.values(issue.customFields).filter((v): v is string => typeof v === 'string');
  return [issue.fields.summary, adfToText(issue.fields.description), ...custom].join('\n');
}

function valueError(item: Item, field: string): JqlError {
  const value = item.kind === 'value' ? item.value : item.kind === 'function' ? `${item.name}()` : 'EMPTY';
  return new JqlError(`The value '${value}' does not exist for the field '${field}'.`, 'invalid');
}

function functionError(item: Item, field: string): JqlError {
  if (item.kind !== 'function') return valueError(item, field);
  const lower = item.name.toLowerCase();
  if (KNOWN_UNSUPPORTED_FUNCTIONS.has(lower)) {
    return new JqlError(
      `The JQL function '${item.name}()' is not supported by the sandbox's Jira emulator.`,
      'unsupported',
    );
  }
  if (DATE_FUNCTIONS.has(lower) || USER_FUNCTIONS.has(lower)) {
    return new JqlError(`The function '${item.name}' is not supported by the '${field}' field.`, 'invalid');
  }
  // Jira's wording for a function it does not know.
  return new JqlError(`Unable to find JQL function '${item.name}()'.`, 'invalid');
}

const PERIOD_PART = /^([+-]?)(\d+)([yMwdhm])$/;
const ABSOLUTE_DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;

function dateError(value: string, field: string): JqlError {
  // Jira's wording for an unreadable date value.
  return new JqlError(
    `Date value '${value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', ` +
      `'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    'invalid',
  );
}

/** Moves an instant by a calendar amount in `timeZone` (months and years keep the wall-clock time). */
function shift(instant: number, amount: number, unit: string, timeZone: string): number {
  if (unit === 'm') return instant + amount * 60_000;
  if (unit === 'h') return instant + amount * 3_600_000;
  const w = wallTime(instant, timeZone);
  const days = unit === 'd' ? amount : unit === 'w' ? amount * 7 : 0;
  const months = unit === 'M' ? amount : unit === 'y' ? amount * 12 : 0;
  return zonedInstant(timeZone, w.year, w.month + months, w.day + days, w.hour, w.minute, w.second, w.millisecond);
}

function parsePeriod(value: string): Array<{ amount: number; unit: string }> | null {
  const parts = value.trim().split(/\s+/);
  const out: Array<{ amount: number; unit: string }> = [];
  for (const part of parts) {
    const m = PERIOD_PART.exec(part);
    if (!m) return null;
    out.push({ amount: (m[1] === '-' ? -1 : 1) * Number(m[2]), unit: m[3] as string });
  }
  return out.length ? out : null;
}

function dateOperand(item: Item, field: string, ctx: Context): number {
  if (item.kind === 'empty') throw dateError('EMPTY', field);
  if (item.kind === 'function') return dateFunction(item, field, ctx);
  const value = item.value.trim();
  const absolute = ABSOLUTE_DATE.exec(value);
  if (absolute) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((group) => Number(absolute[group] ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) throw dateError(item.value, field);
    return zonedInstant(ctx.timeZone, y, mo, d, h, mi);
  }
  const period = parsePeriod(value);
  if (period) return period.reduce((at, { amount, unit }) => shift(at, amount, unit, ctx.timeZone), ctx.now);
  throw dateError(item.value, field);
}

function dateFunction(item: Extract<Item, { kind: 'function' }>, field: string, ctx: Context): number {
  const lower = item.name.toLowerCase();
  if (!DATE_FUNCTIONS.has(lower)) throw functionError(item, field);
  if (lower === 'now') return ctx.now;
  const match = /^(start|end)of(day|week|month|year)$/.exec(lower) as RegExpExecArray;
  const [edge, period] = [match[1] as 'start' | 'end', match[2] as 'day' | 'week' | 'month' | 'year'];
  const w = wallTime(ctx.now, ctx.timeZone);
  const mondayOffset = (w.weekday + 6) % 7;
  const start =
    period === 'day'
      ? zonedInstant(ctx.timeZone, w.year, w.month, w.day)
      : period === 'week'
        ? zonedInstant(ctx.timeZone, w.year, w.month, w.day - mondayOffset)
        : period === 'month'
          ? zonedInstant(ctx.timeZone, w.year, w.month, 1)
          : zonedInstant(ctx.timeZone, w.year, 1, 1);
  const unitOf = { day: 'd', week: 'w', month: 'M', year: 'y' } as const;
  const anchor = edge === 'start' ? start : shift(start, 1, unitOf[period], ctx.timeZone) - 1;
  const argument = item.args[0]?.trim();
  if (argument === undefined || argument === '') return anchor;
  // `startOfDay(-1)` is yesterday; `startOfMonth("+14d")` is the 15th (the unit defaults to the function's period).
  const m = /^([+-]?)(\d+)([yMwdhm]?)$/.exec(argument);
  if (!m) throw dateError(`${item.name}(${argument})`, field);
  const amount = (m[1] === '-' ? -1 : 1) * Number(m[2]);
  return shift(anchor, amount, m[3] || unitOf[period], ctx.timeZone);
}

/**
 * A predicate for Jira-style text search of `query` (see the module comment).
 * @throws {JqlError} for an empty query or a leading wildcard, as Jira refuses both.
 */
export function textMatcher(query: string, field: string): (text: string) => boolean {
  const trimmed = query.trim();
  if (trimmed === '') {
    throw new JqlError(`The field '${field}' does not support searching for an empty string.`, 'invalid');
  }
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    const phrase = words(trimmed.slice(1, -1));
    return (text) => {
      const tokens = words(text);
      return tokens.some((_, start) => phrase.every((word, i) => tokens[start + i] === word));
    };
  }
  const patterns = trimmed
    .split(/\s+/)
    .filter((term) => !['and', 'or', '&&', '||'].includes(term.toLowerCase()))
    .flatMap((term): Array<string | RegExp> => {
      if (/^[*?]/.test(term)) {
        throw new JqlError(
          `The text query '${term}' for field '${field}' is not allowed to start with a wildcard.`,
          'invalid',
        );
      }
      if (/[*?]/.test(term)) {
        const source = term
          .toLowerCase()
          .replace(/[^\p{L}\p{N}*?]/gu, '')
          .replace(/\*/g, '[\\p{L}\\p{N}]*')
          .replace(/\?/g, '[\\p{L}\\p{N}]');
        return [new RegExp(`^${source}$`, 'u')];
      }
      return words(term);
    });
  return (text) => {
    const tokens = new Set(words(text));
    return patterns.every((pattern) =>
      typeof pattern === 'string' ? tokens.has(pattern) : [...tokens].some((token) => pattern.test(token)),
    );
  };
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Jira's "Error in the JQL Query: …" wording for a parser error (test/vendor/jira-fixtures/errors-real-captures.json
 * has "Expecting ')' before the end of the query." and the reserved-word message; the other sentences follow Jira's
 * pattern, "Expecting … but got 'x'. (line 1, character 7)").
 */
function syntaxMessage(error: JQLParseError): string {
  const raw = error.message;
  const position =
    'line' in error && 'charPositionInLine' in error
      ? ` (line ${String(error.line)}, character ${Number(error.charPositionInLine) + 1})`
      : '';
  const token = /(?:input|at) '((?:[^']|'')*)'/.exec(raw)?.[1] ?? '';
  const atEnd = token === '<EOF>';
  const got = atEnd ? ' before the end of the query.' : ` but got '${token}'.${position}`;
  if (!atEnd && RESERVED_WORDS.has(token.toLowerCase())) {
    return `Error in the JQL Query: '${token}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.${position}`;
  }
  const expecting = raw.includes('expecting') ? raw.slice(raw.indexOf('expecting')) : raw;
  let wanted: string;
  if (/missing '\)'/.test(raw) || expecting === "expecting ')'") wanted = "Expecting ')'";
  else if (expecting.includes('CUSTOMFIELD')) wanted = 'Expecting a field name';
  else if (expecting.includes('EMPTY') || expecting.includes("expecting '('")) {
    wanted = 'Expecting either a value, list or function';
  } else if (expecting.includes("'='")) wanted = 'Expecting operator';
  else if (expecting.includes('ORDER')) wanted = "Expecting either 'OR' or 'AND'";
  else return `Error in the JQL Query: ${raw}${position}`;
  return `Error in the JQL Query: ${wanted}${got}`;
}
