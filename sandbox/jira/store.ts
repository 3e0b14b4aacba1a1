/**
 * The Jira emulator's state in SQLite (better-sqlite3): users, groups, projects and their permission grants, issue
 * types, statuses, workflows, issues, issue properties and the changelog. One file survives restarts
 * (docs/architecture.md §8); ':memory:' serves tests.
 *
 * The store holds Jira's data in its own, reference-based form (an issue's status is a status id, its assignee an
 * account id); `render.ts` turns it into Jira's JSON. Every change Jira would announce to a Forge trigger is
 * collected while its transaction runs and handed to `onEvent` listeners only after the commit, so nobody hears of a
 * change that was rolled back. Ids come from sequences kept in the database and time from an injected clock, so the
 * same seed always builds the same site.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { formatJiraDateTime, isCalendarDate, isValidTimeZone, parseDateTime, type Clock } from './time';
import type { JiraEvent, Principal } from './types';

/** Any JSON value, as issue properties and custom fields hold them. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Jira's three status categories (GET /rest/api/3/statuscategory). */
export type StatusCategoryKey = 'new' | 'indeterminate' | 'done';

/** The project permissions the emulator enforces. */
export type ProjectPermissionKey =
  'BROWSE_PROJECTS' | 'EDIT_ISSUES' | 'TRANSITION_ISSUES' | 'CREATE_ISSUES' | 'DELETE_ISSUES';
/** The global permissions the emulator knows. */
export type GlobalPermissionKey = 'ADMINISTER';

/** Who a permission is granted to, as in a Jira permission scheme. `anyone` is "any logged-in user". */
export type PermissionHolder =
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'user'; readonly accountId: string }
  | { readonly type: 'anyone' };

/**
 * A project's permission scheme. TRANSITION_ISSUES and CREATE_ISSUES, when left out, are held by whoever holds
 * EDIT_ISSUES: Jira's default permission scheme grants the three to the same roles, so seeds that think only in
 * "browse" and "edit" get what a default site does. An empty list grants a permission to nobody.
 */
export type ProjectPermissionGrants = Partial<Record<ProjectPermissionKey, readonly PermissionHolder[]>>;

/** A user of the site (the app's own user has `accountType: 'app'`). */
export interface UserRecord {
  readonly accountId: string;
  readonly accountType: 'atlassian' | 'app';
  readonly displayName: string;
  readonly email: string | null;
  readonly apiToken: string | null;
  readonly locale: string;
  readonly timeZone: string;
  readonly active: boolean;
}

/** What `createUser` takes. */
export interface NewUser {
  readonly accountId: string;
  readonly displayName: string;
  readonly email: string;
  /** The API token REST clients pair with the email in HTTP Basic auth. */
  readonly apiToken: string;
  readonly locale?: string;
  readonly timeZone?: string;
  readonly active?: boolean;
}

/** A group; `groupId` is a UUID derived from the name. */
export interface GroupRecord {
  readonly name: string;
  readonly groupId: string;
}

/** A project and its permission scheme. */
export interface ProjectRecord {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly leadAccountId: string;
  readonly permissions: ProjectPermissionGrants;
}

/** An issue type (Epic, Task, …). */
export interface IssueTypeRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly subtask: boolean;
  readonly hierarchyLevel: number;
}

/** A workflow status and its category. */
export interface StatusRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: StatusCategoryKey;
}

/** A priority; Jira's defaults have ids 1 (Highest) to 5 (Lowest). */
export interface PriorityRecord {
  readonly id: string;
  readonly name: string;
  /** 1 is the highest priority. */
  readonly position: number;
}

/** A workflow transition of one project. */
export interface TransitionRecord {
  readonly id: string;
  readonly name: string;
  /** Status ids the transition starts from; null means any status (a global transition). */
  readonly fromStatusIds: readonly string[] | null;
  readonly toStatusId: string;
}

/** A project's workflow, with statuses named (they must exist; see `defineStatus`). */
export interface WorkflowDefinition {
  readonly initialStatus: string;
  readonly transitions: ReadonlyArray<{
    /** Defaults to Jira's classic numbering: 11, 21, 31, … */
    readonly id?: string;
    readonly name: string;
    readonly from: readonly string[] | 'any';
    readonly to: string;
  }>;
}

/** The system fields of an issue, by reference (ids and account ids), as stored. */
export interface IssueFields {
  readonly summary: string;
  /** An Atlassian Document Format document, or null. */
  readonly description: JsonValue;
  readonly issuetype: string;
  readonly project: string;
  readonly status: string;
  readonly priority: string | null;
  readonly assignee: string | null;
  readonly reporter: string | null;
  readonly creator: string | null;
  readonly labels: readonly string[];
  /** `YYYY-MM-DD` */
  readonly duedate: string | null;
  readonly created: string;
  readonly updated: string;
  readonly resolution: string | null;
  readonly resolutiondate: string | null;
  readonly statuscategorychangedate: string;
}

/** An issue as stored: system fields by reference, custom fields by id. */
export interface IssueRecord {
  /** Numeric string from a site-wide sequence starting at 10000, like Jira's. */
  readonly id: string;
  /** `PROJ-n`, n from the project's own sequence. */
  readonly key: string;
  readonly projectKey: string;
  readonly number: number;
  readonly fields: IssueFields;
  /** `customfield_NNNNN` → value. */
  readonly customFields: Readonly<Record<string, JsonValue>>;
}

/** What `createIssue` takes; names or ids are accepted wherever Jira's create screen accepts either. */
export interface NewIssue {
  readonly project: string;
  readonly issueType: string;
  readonly summary: string;
  /** An ADF document, or plain text (stored as one ADF paragraph per line). */
  readonly description?: JsonValue;
  /** A status name or id; defaults to the workflow's initial status (seeds place issues mid-workflow). */
  readonly status?: string;
  /** A priority name or id; defaults to Medium. */
  readonly priority?: string | null;
  readonly assignee?: string | null;
  /** Defaults to the acting user (the app when the app creates). */
  readonly reporter?: string | null;
  readonly labels?: readonly string[];
  readonly duedate?: string | null;
  /** Backdating for seeds; defaults to the clock. */
  readonly created?: Date | string;
  readonly updated?: Date | string;
  readonly customFields?: Readonly<Record<string, JsonValue>>;
  /** Stored with the issue; no property events are emitted for them (Jira emits only "created"). */
  readonly properties?: Readonly<Record<string, JsonValue>>;
}

/** Fields `updateIssue` can change; `undefined` leaves a field alone, `null` clears it. */
export interface IssuePatch {
  readonly summary?: string;
  readonly description?: JsonValue;
  readonly issueType?: string;
  readonly priority?: string | null;
  readonly assignee?: string | null;
  readonly reporter?: string | null;
  readonly labels?: readonly string[];
  readonly duedate?: string | null;
  readonly customFields?: Readonly<Record<string, JsonValue>>;
}

/** One changed field, as Jira's changelog and `avi:jira:updated:issue` carry it. */
export type ChangelogItem = NonNullable<JiraEvent['changelog']>['items'][number];

/** One change of an issue: who, when, which fields. */
export interface ChangelogEntry {
  readonly id: string;
  readonly issueId: string;
  readonly author: Principal;
  readonly created: string;
  readonly items: readonly ChangelogItem[];
}

/** A change as the store reports it; the emulator renders the issue and emits it as a `JiraEvent`. */
export interface StoreEvent {
  readonly eventType: JiraEvent['eventType'];
  readonly actor: Principal;
  readonly issueId: string;
  /** The issue as it was, for an event about an issue that no longer exists (`avi:jira:deleted:issue`). */
  readonly deleted?: IssueRecord;
  readonly changelog?: readonly ChangelogItem[];
  readonly property?: { readonly key: string };
  readonly timestamp: string;
}

/** Why the store refused a change. `field` names the input at fault, for Jira's `errors` map. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid' | 'conflict',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Where the store keeps its data, its clock, and the app's own user. */
export interface JiraStoreOptions {
  /** SQLite file, or ':memory:'. */
  readonly path: string;
  readonly clock?: Clock;
  /** The Forge app's own user (the `app` principal). */
  readonly app?: { readonly accountId?: string; readonly displayName?: string };
}

/** Jira's limit on an issue property value (OpenAPI `setIssueProperty`: "The maximum length is 32768 characters"). */
export const PROPERTY_VALUE_MAX_LENGTH = 32_768;
/** Jira's limit on an entity property key (docs/platform.md §3). */
export const PROPERTY_KEY_MAX_LENGTH = 255;

/** The app user's default account id: `557058:` is the prefix Atlassian gives app and system accounts. */
export const DEFAULT_APP_ACCOUNT_ID = '557058:7f3c1e52-0d4b-4a8e-9c61-3b2a5d9e8f10';

const SCHEMA_VERSION = '1';
const CUSTOM_FIELD = /^customfield_\d+$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const ISSUE_KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;
const CATEGORY_KEYS: readonly StatusCategoryKey[] = ['new', 'indeterminate', 'done'];
const FALLS_BACK_TO_EDIT: ReadonlySet<ProjectPermissionKey> = new Set(['TRANSITION_ISSUES', 'CREATE_ISSUES']);
const DONE_RESOLUTION = 'Done';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  account_id TEXT PRIMARY KEY, account_type TEXT NOT NULL, display_name TEXT NOT NULL, email TEXT, api_token TEXT,
  locale TEXT NOT NULL, time_zone TEXT NOT NULL, active INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS groups (name TEXT PRIMARY KEY COLLATE NOCASE, group_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS group_members (
  group_name TEXT NOT NULL COLLATE NOCASE, account_id TEXT NOT NULL, PRIMARY KEY (group_name, account_id));
CREATE TABLE IF NOT EXISTS projects (
  id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, lead_account_id TEXT NOT NULL,
  permissions TEXT NOT NULL, issue_counter INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS issue_types (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, description TEXT NOT NULL, subtask INTEGER NOT NULL,
  hierarchy_level INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS statuses (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, description TEXT NOT NULL, category TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS priorities (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workflows (project_key TEXT PRIMARY KEY, initial_status_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transitions (
  project_key TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, from_status_ids TEXT, to_status_id TEXT NOT NULL,
  position INTEGER NOT NULL, PRIMARY KEY (project_key, id));
CREATE TABLE IF NOT EXISTS issues (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, project_key TEXT NOT NULL, number INTEGER NOT NULL,
  fields TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issue_properties (
  issue_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (issue_id, key));
CREATE INDEX IF NOT EXISTS issue_properties_key ON issue_properties (key);
CREATE TABLE IF NOT EXISTS changelog (
  id INTEGER PRIMARY KEY AUTOINCREMENT, issue_id INTEGER NOT NULL, author TEXT NOT NULL, created TEXT NOT NULL,
  items TEXT NOT NULL);
`;

interface UserRow {
  account_id: string;
  account_type: string;
  display_name: string;
  email: string | null;
  api_token: string | null;
  locale: string;
  time_zone: string;
  active: number;
}
interface ProjectRow {
  id: string;
  key: string;
  name: string;
  lead_account_id: string;
  permissions: string;
}
interface IssueRow {
  id: number;
  key: string;
  project_key: string;
  number: number;
  fields: string;
}
interface TransitionRow {
  id: string;
  name: string;
  from_status_ids: string | null;
  to_status_id: string;
}

type Params = ReadonlyArray<string | number | null>;

/** Serialises a principal for storage and logs: `app` or `user:<accountId>`. */
export function principalId(principal: Principal): string {
  return principal.kind === 'app' ? 'app' : `user:${principal.accountId}`;
}

function principalFromId(value: string): Principal {
  return value === 'app' ? { kind: 'app' } : { kind: 'user', accountId: value.replace(/^user:/, '') };
}

/** The account id a user-picker value (`{ accountId }`) holds, or null for any other value. */
function userPicked(value: JsonValue | undefined): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const accountId = (value as { readonly [key: string]: JsonValue }).accountId;
  return typeof accountId === 'string' ? accountId : null;
}

/** Jira's group ids are UUIDs; the emulator derives one from the name so seeds stay deterministic. */
function groupIdFor(name: string): string {
  const hex = createHash('sha1').update(`group:${name.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Plain text as the ADF document Jira stores for a v3 `description`. */
export function textToAdf(text: string): JsonValue {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({
      type: 'paragraph',
      content: line === '' ? [] : [{ type: 'text', text: line }],
    })),
  };
}

/** The text of an ADF document (for `text ~` and the changelog). */
export function adfToText(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? value : '';
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(adfToText).join('');
  const node = value as { readonly [key: string]: JsonValue };
  const own = typeof node.text === 'string' ? node.text : '';
  const children = node.content === undefined ? '' : adfToText(node.content);
  const block = node.type === 'paragraph' || node.type === 'heading' || node.type === 'listItem';
  return own + children + (block ? '\n' : '');
}

function toTimestamp(value: Date | string | undefined, fallback: string, field: string): string {
  if (value === undefined) return fallback;
  if (value instanceof Date) return formatJiraDateTime(value);
  const ms = parseDateTime(value);
  if (ms === null) throw new StoreError(`'${value}' is not a timestamp.`, 'invalid', field);
  return formatJiraDateTime(ms);
}

/** The SQLite-backed state of the emulated Jira site. */
export class JiraStore {
  readonly appAccountId: string;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly changeWatchers = new Set<(issueId: string, created: boolean) => void>();
  private pending: StoreEvent[] = [];
  private depth = 0;
  private changeCount = 0;
  private issueCache: IssueRecord[] | null = null;
  private readonly propertyCache = new Map<string, Map<string, JsonValue>>();

  constructor(options: JiraStoreOptions) {
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.clock = options.clock ?? (() => new Date());
    this.db.exec(SCHEMA);
    this.appAccountId = options.app?.accountId ?? DEFAULT_APP_ACCOUNT_ID;
    if (this.meta('schema') === undefined) this.initialise(options.app?.displayName ?? 'Tollgate');
  }

  /** Closes the database file. */
  close(): void {
    this.db.close();
  }

  /** The store's clock (the emulator reads `now()` for JQL from it too). */
  now(): Date {
    return this.clock();
  }

  /** Increases on every committed change; search caches key on it. */
  version(): number {
    return this.changeCount;
  }

  /** Subscribes to changes, delivered after their transaction commits. Returns the unsubscribe function. */
  onEvent(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Subscribes to changes as they are about to happen, with the issue still as it was (the search index's lag needs
   * the state before a change). Returns the unsubscribe function.
   */
  onBeforeChange(watcher: (issueId: string, created: boolean) => void): () => void {
    this.changeWatchers.add(watcher);
    return () => this.changeWatchers.delete(watcher);
  }

  /**
   * Runs `fn` in one transaction (nested calls join the outer one). Events collected inside are delivered once the
   * outermost transaction commits, and dropped if it rolls back.
   */
  transaction<T>(fn: () => T): T {
    const mark = this.pending.length;
    this.depth += 1;
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (error) {
      this.pending.length = mark;
      this.issueCache = null;
      this.propertyCache.clear();
      throw error;
    } finally {
      this.depth -= 1;
    }
    if (this.depth === 0) this.flush();
    return result;
  }

  // ---------------------------------------------------------------- users and groups

  /** Adds a user who can sign in with `email` + `apiToken` (HTTP Basic, as Jira Cloud API tokens work). */
  createUser(user: NewUser): UserRecord {
    const timeZone = user.timeZone ?? 'UTC';
    if (!isValidTimeZone(timeZone)) throw new StoreError(`Unknown time zone '${timeZone}'.`, 'invalid', 'timeZone');
    if (this.getUser(user.accountId)) throw new StoreError(`User ${user.accountId} exists.`, 'conflict', 'accountId');
    if (this.findUserByEmail(user.email)) throw new StoreError(`Email ${user.email} is taken.`, 'conflict', 'email');
    return this.transaction(() => {
      this.run(
        'INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        user.accountId,
        'atlassian',
        user.displayName,
        user.email,
        user.apiToken,
        user.locale ?? 'en_US',
        timeZone,
        user.active === false ? 0 : 1,
      );
      this.touched();
      return this.getUser(user.accountId) as UserRecord;
    });
  }

  /** The user with this account id (including the app user), or undefined. */
  getUser(accountId: string): UserRecord | undefined {
    const row = this.get<UserRow>('SELECT * FROM users WHERE account_id = ?', accountId);
    return row && userFromRow(row);
  }

  /** Every user, app user included, in account-id order. */
  listUsers(): UserRecord[] {
    return this.all<UserRow>('SELECT * FROM users ORDER BY account_id').map(userFromRow);
  }

  /** The user with this email address (case-insensitive), or undefined. */
  findUserByEmail(email: string): UserRecord | undefined {
    const row = this.get<UserRow>('SELECT * FROM users WHERE email = ? COLLATE NOCASE', email);
    return row && userFromRow(row);
  }

  /** The active user whose email and API token match, or undefined (Jira rejects deactivated accounts). */
  authenticate(email: string, apiToken: string): UserRecord | undefined {
    const user = this.findUserByEmail(email);
    return user && user.active && user.apiToken !== null && user.apiToken === apiToken ? user : undefined;
  }

  /** The user a principal acts as (the app user for `app`). */
  userOf(principal: Principal): UserRecord | undefined {
    return this.getUser(principal.kind === 'app' ? this.appAccountId : principal.accountId);
  }

  /** Users JQL resolves a user value to: exact account id, else email or display name (case-insensitive). */
  resolveUsers(value: string): UserRecord[] {
    const exact = this.getUser(value);
    if (exact) return [exact];
    return this.all<UserRow>(
      'SELECT * FROM users WHERE email = ? COLLATE NOCASE OR display_name = ? COLLATE NOCASE ORDER BY account_id',
      value,
      value,
    ).map(userFromRow);
  }

  /** Creates a group (idempotent by name, case-insensitive as Jira's group names are). */
  createGroup(name: string): GroupRecord {
    const existing = this.getGroup(name);
    if (existing) return existing;
    return this.transaction(() => {
      this.run('INSERT INTO groups VALUES (?, ?)', name, groupIdFor(name));
      this.touched();
      return this.getGroup(name) as GroupRecord;
    });
  }

  /** The group with this name, or undefined. */
  getGroup(name: string): GroupRecord | undefined {
    const row = this.get<{ name: string; group_id: string }>('SELECT * FROM groups WHERE name = ?', name);
    return row && { name: row.name, groupId: row.group_id };
  }

  /** Adds a user to a group; both must exist. */
  addToGroup(groupName: string, accountId: string): void {
    const group = this.getGroup(groupName);
    if (!group) throw new StoreError(`Group '${groupName}' does not exist.`, 'not-found', 'groupname');
    if (!this.getUser(accountId)) throw new StoreError(`User ${accountId} does not exist.`, 'not-found', 'accountId');
    this.transaction(() => {
      this.run('INSERT OR IGNORE INTO group_members VALUES (?, ?)', group.name, accountId);
      this.touched();
    });
  }

  /** The groups a user belongs to, by name. */
  groupsOf(accountId: string): GroupRecord[] {
    return this.all<{ name: string; group_id: string }>(
      `SELECT g.name, g.group_id FROM groups g JOIN group_members m ON m.group_name = g.name
       WHERE m.account_id = ? ORDER BY g.name`,
      accountId,
    ).map((row) => ({ name: row.name, groupId: row.group_id }));
  }

  /** The account ids of a group's members, or undefined when the group does not exist. */
  membersOf(groupName: string): string[] | undefined {
    if (!this.getGroup(groupName)) return undefined;
    return this.all<{ account_id: string }>(
      'SELECT account_id FROM group_members WHERE group_name = ? ORDER BY account_id',
      groupName,
    ).map((row) => row.account_id);
  }

  /** Grants a global permission (Jira's "Administer Jira" is what an admin page checks). */
  grantGlobalPermission(permission: GlobalPermissionKey, holder: PermissionHolder): void {
    const grants = this.globalGrants();
    grants[permission] = [...(grants[permission] ?? []), holder];
    this.transaction(() => {
      this.setMeta('global-permissions', JSON.stringify(grants));
      this.touched();
    });
  }

  /** Whether the principal holds a global permission; the app holds them all. */
  hasGlobalPermission(principal: Principal, permission: GlobalPermissionKey): boolean {
    if (principal.kind === 'app') return true;
    return this.holds(principal.accountId, this.globalGrants()[permission] ?? []);
  }

  // ---------------------------------------------------------------- projects, types, statuses, workflows

  /**
   * Creates a project with Jira's simplified workflow (To Do → In Progress → Done, every transition from any
   * status); `defineWorkflow` replaces it.
   */
  createProject(key: string, name: string, leadAccountId: string, permissions: ProjectPermissionGrants): ProjectRecord {
    if (!PROJECT_KEY.test(key)) {
      throw new StoreError(
        'Project keys must start with an uppercase letter, followed by one or more uppercase alphanumeric characters.',
        'invalid',
        'projectKey',
      );
    }
    if (this.getProject(key)) {
      // Jira's own wording (test/vendor/jira-fixtures/errors-real-captures.json, go-atlassian capture).
      throw new StoreError('A project with that project key already exists.', 'conflict', 'projectKey');
    }
    if (!this.getUser(leadAccountId)) {
      throw new StoreError(`User ${leadAccountId} does not exist.`, 'not-found', 'leadAccountId');
    }
    return this.transaction(() => {
      const id = String(this.nextSeq('project', 10000));
      this.run(
        'INSERT INTO projects VALUES (?, ?, ?, ?, ?, 0)',
        id,
        key,
        name,
        leadAccountId,
        JSON.stringify(permissions),
      );
      this.defineWorkflow(key, {
        initialStatus: 'To Do',
        transitions: [
          { id: '11', name: 'To Do', from: 'any', to: 'To Do' },
          { id: '21', name: 'In Progress', from: 'any', to: 'In Progress' },
          { id: '31', name: 'Done', from: 'any', to: 'Done' },
        ],
      });
      this.touched();
      return this.getProject(key) as ProjectRecord;
    });
  }

  /** Replaces a project's permission scheme. */
  setProjectPermissions(projectKey: string, permissions: ProjectPermissionGrants): void {
    const project = this.requireProject(projectKey);
    this.transaction(() => {
      this.run('UPDATE projects SET permissions = ? WHERE id = ?', JSON.stringify(permissions), project.id);
      this.touched();
    });
  }

  /** The project with this key (case-insensitive) or id, or undefined. */
  getProject(keyOrId: string): ProjectRecord | undefined {
    const row = this.get<ProjectRow>('SELECT * FROM projects WHERE key = ? COLLATE NOCASE OR id = ?', keyOrId, keyOrId);
    return row && projectFromRow(row);
  }

  /** Every project, in key order. */
  listProjects(): ProjectRecord[] {
    return this.all<ProjectRow>('SELECT * FROM projects ORDER BY key').map(projectFromRow);
  }

  /** Whether the principal holds a project permission in a project (raw, as `mypermissions` reports it). */
  hasProjectPermission(principal: Principal, projectKey: string, permission: ProjectPermissionKey): boolean {
    const project = this.getProject(projectKey);
    if (!project) return false;
    if (principal.kind === 'app') return true;
    const holders =
      project.permissions[permission] ??
      (FALLS_BACK_TO_EDIT.has(permission) ? project.permissions.EDIT_ISSUES : undefined) ??
      [];
    return this.holds(principal.accountId, holders);
  }

  /** Keys of the projects the principal may browse. */
  browsableProjectKeys(principal: Principal): string[] {
    return this.listProjects()
      .filter((project) => this.hasProjectPermission(principal, project.key, 'BROWSE_PROJECTS'))
      .map((project) => project.key);
  }

  /** Adds an issue type, or returns the one with that name. */
  defineIssueType(input: {
    readonly name: string;
    readonly description?: string;
    readonly subtask?: boolean;
    readonly hierarchyLevel?: number;
  }): IssueTypeRecord {
    const existing = this.getIssueType(input.name);
    if (existing) return existing;
    return this.transaction(() => {
      const id = String(this.nextSeq('issuetype', 10000));
      this.run(
        'INSERT INTO issue_types VALUES (?, ?, ?, ?, ?)',
        id,
        input.name,
        input.description ?? '',
        input.subtask ? 1 : 0,
        input.hierarchyLevel ?? (input.subtask ? -1 : 0),
      );
      this.touched();
      return this.getIssueType(id) as IssueTypeRecord;
    });
  }

  /** The issue type with this name (case-insensitive) or id. */
  getIssueType(nameOrId: string): IssueTypeRecord | undefined {
    const row = this.get<{ id: string; name: string; description: string; subtask: number; hierarchy_level: number }>(
      'SELECT * FROM issue_types WHERE id = ? OR name = ?',
      nameOrId,
      nameOrId,
    );
    return (
      row && {
        id: row.id,
        name: row.name,
        description: row.description,
        subtask: row.subtask === 1,
        hierarchyLevel: row.hierarchy_level,
      }
    );
  }

  /** Every issue type, in id order. */
  listIssueTypes(): IssueTypeRecord[] {
    return this.all<{ id: string }>('SELECT id FROM issue_types ORDER BY CAST(id AS INTEGER)').map(
      (row) => this.getIssueType(row.id) as IssueTypeRecord,
    );
  }

  /** Adds a status in a category, or returns the one with that name. */
  defineStatus(input: {
    readonly name: string;
    readonly category: StatusCategoryKey;
    readonly description?: string;
  }): StatusRecord {
    if (!CATEGORY_KEYS.includes(input.category)) {
      throw new StoreError(`Unknown status category '${String(input.category)}'.`, 'invalid', 'statusCategory');
    }
    const existing = this.getStatus(input.name);
    if (existing) return existing;
    return this.transaction(() => {
      const id = String(this.nextSeq('status', 10000));
      this.run('INSERT INTO statuses VALUES (?, ?, ?, ?)', id, input.name, input.description ?? '', input.category);
      this.touched();
      return this.getStatus(id) as StatusRecord;
    });
  }

  /** The status with this name (case-insensitive) or id. */
  getStatus(nameOrId: string): StatusRecord | undefined {
    const row = this.get<{ id: string; name: string; description: string; category: StatusCategoryKey }>(
      'SELECT * FROM statuses WHERE id = ? OR name = ?',
      nameOrId,
      nameOrId,
    );
    return row && { id: row.id, name: row.name, description: row.description, category: row.category };
  }

  /** Every status, in id order (the order JQL `ORDER BY status` uses). */
  listStatuses(): StatusRecord[] {
    return this.all<{ id: string }>('SELECT id FROM statuses ORDER BY CAST(id AS INTEGER)').map(
      (row) => this.getStatus(row.id) as StatusRecord,
    );
  }

  /** The priority with this name (case-insensitive) or id. */
  getPriority(nameOrId: string): PriorityRecord | undefined {
    const row = this.get<{ id: string; name: string; position: number }>(
      'SELECT * FROM priorities WHERE id = ? OR name = ?',
      nameOrId,
      nameOrId,
    );
    return row && { id: row.id, name: row.name, position: row.position };
  }

  /** Every priority, highest first. */
  listPriorities(): PriorityRecord[] {
    return this.all<{ id: string; name: string; position: number }>('SELECT * FROM priorities ORDER BY position');
  }

  /** Replaces a project's workflow; statuses are named and must exist. */
  defineWorkflow(projectKey: string, workflow: WorkflowDefinition): void {
    const project = this.requireProject(projectKey);
    const status = (name: string): StatusRecord => {
      const found = this.getStatus(name);
      if (!found) throw new StoreError(`Status '${name}' does not exist; define it first.`, 'not-found', 'status');
      return found;
    };
    const initial = status(workflow.initialStatus);
    this.transaction(() => {
      this.run('DELETE FROM transitions WHERE project_key = ?', project.key);
      this.run('INSERT OR REPLACE INTO workflows VALUES (?, ?)', project.key, initial.id);
      workflow.transitions.forEach((transition, index) => {
        const from = transition.from === 'any' ? null : JSON.stringify(transition.from.map((name) => status(name).id));
        this.run(
          'INSERT INTO transitions VALUES (?, ?, ?, ?, ?, ?)',
          project.key,
          transition.id ?? String((index + 1) * 10 + 1),
          transition.name,
          from,
          status(transition.to).id,
          index,
        );
      });
      this.touched();
    });
  }

  /** Every transition of a project's workflow, in definition order. */
  workflowTransitions(projectKey: string): TransitionRecord[] {
    return this.all<TransitionRow>(
      'SELECT id, name, from_status_ids, to_status_id FROM transitions WHERE project_key = ? ORDER BY position',
      this.requireProject(projectKey).key,
    ).map((row) => ({
      id: row.id,
      name: row.name,
      fromStatusIds: row.from_status_ids === null ? null : (JSON.parse(row.from_status_ids) as string[]),
      toStatusId: row.to_status_id,
    }));
  }

  /**
   * The transitions an issue can take from its current status. A global transition into the status the issue is
   * already in is left out, as Jira's issue view leaves it out.
   */
  availableTransitions(issue: IssueRecord): TransitionRecord[] {
    const current = issue.fields.status;
    return this.workflowTransitions(issue.projectKey).filter((transition) =>
      transition.fromStatusIds === null
        ? transition.toStatusId !== current
        : transition.fromStatusIds.includes(current),
    );
  }

  // ---------------------------------------------------------------- issues

  /** Creates an issue as `actor`, emitting `avi:jira:created:issue`. */
  createIssue(input: NewIssue, actor: Principal): { id: string; key: string } {
    return this.transaction(() => {
      const project = this.getProject(input.project);
      if (!project) throw new StoreError('Specify a valid project ID or key', 'invalid', 'project');
      const issueType = this.getIssueType(input.issueType);
      if (!issueType) throw new StoreError('Specify a valid issue type', 'invalid', 'issuetype');
      if (input.summary.trim() === '') {
        throw new StoreError('You must specify a summary of the issue.', 'invalid', 'summary');
      }
      const workflow = this.get<{ initial_status_id: string }>(
        'SELECT initial_status_id FROM workflows WHERE project_key = ?',
        project.key,
      );
      const status = input.status === undefined ? undefined : this.getStatus(input.status);
      if (input.status !== undefined && !status) {
        throw new StoreError(`Status '${input.status}' does not exist.`, 'invalid', 'status');
      }
      const statusId = status?.id ?? workflow?.initial_status_id;
      if (statusId === undefined) throw new StoreError('The project has no workflow.', 'invalid', 'status');
      const now = formatJiraDateTime(this.clock());
      const created = toTimestamp(input.created, now, 'created');
      const updated = toTimestamp(input.updated, created, 'updated');
      const actorId = actorAccountId(this, actor);
      const done = this.getStatus(statusId)?.category === 'done';
      const fields: IssueFields = {
        summary: input.summary,
        description: this.description(input.description ?? null),
        issuetype: issueType.id,
        project: project.key,
        status: statusId,
        priority: input.priority === null ? null : this.priorityId(input.priority ?? 'Medium'),
        assignee: this.userRef(input.assignee ?? null, 'assignee'),
        reporter: this.userRef(input.reporter === undefined ? actorId : input.reporter, 'reporter'),
        creator: actorId,
        labels: this.labels(input.labels ?? []),
        duedate: this.duedate(input.duedate ?? null),
        created,
        updated,
        resolution: done ? DONE_RESOLUTION : null,
        resolutiondate: done ? updated : null,
        statuscategorychangedate: updated,
      };
      const customFields = this.customFields(input.customFields ?? {}, {});
      const id = this.nextSeq('issue', 10000);
      this.willChange(String(id), true);
      const counter = this.get<{ issue_counter: number }>(
        'SELECT issue_counter FROM projects WHERE id = ?',
        project.id,
      ) as { issue_counter: number };
      const number = counter.issue_counter + 1;
      const key = `${project.key}-${number}`;
      this.run('UPDATE projects SET issue_counter = ? WHERE id = ?', number, project.id);
      this.run(
        'INSERT INTO issues VALUES (?, ?, ?, ?, ?)',
        id,
        key,
        project.key,
        number,
        storeFields(fields, customFields),
      );
      for (const [propertyKey, value] of Object.entries(input.properties ?? {})) {
        this.writeProperty(String(id), propertyKey, value);
      }
      this.touched();
      this.pending.push({ eventType: 'avi:jira:created:issue', actor, issueId: String(id), timestamp: this.stamp() });
      return { id: String(id), key };
    });
  }

  /** The issue with this id or key (keys are case-insensitive, as in Jira's REST paths), or undefined. */
  getIssue(idOrKey: string): IssueRecord | undefined {
    const row = /^\d+$/.test(idOrKey)
      ? this.get<IssueRow>('SELECT * FROM issues WHERE id = ?', Number(idOrKey))
      : this.get<IssueRow>('SELECT * FROM issues WHERE key = ?', idOrKey.toUpperCase());
    return row && issueFromRow(row);
  }

  /** Every issue, in id order; parsed once per change, so repeated searches stay cheap. */
  listIssues(): readonly IssueRecord[] {
    if (!this.issueCache) this.issueCache = this.all<IssueRow>('SELECT * FROM issues ORDER BY id').map(issueFromRow);
    return this.issueCache;
  }

  /** Deletes an issue with its properties and history, emitting `avi:jira:deleted:issue`. */
  deleteIssue(idOrKey: string, actor: Principal): void {
    this.transaction(() => {
      const issue = this.requireIssue(idOrKey);
      this.willChange(issue.id);
      this.run('DELETE FROM issue_properties WHERE issue_id = ?', Number(issue.id));
      this.run('DELETE FROM changelog WHERE issue_id = ?', Number(issue.id));
      this.run('DELETE FROM issues WHERE id = ?', Number(issue.id));
      for (const values of this.propertyCache.values()) values.delete(issue.id);
      this.touched();
      this.pending.push({
        eventType: 'avi:jira:deleted:issue',
        actor,
        issueId: issue.id,
        deleted: issue,
        timestamp: this.stamp(),
      });
    });
  }

  /** Changes fields as `actor`, recording the changelog and emitting `avi:jira:updated:issue` when anything changed. */
  updateIssue(idOrKey: string, patch: IssuePatch, actor: Principal): readonly ChangelogItem[] {
    return this.transaction(() => {
      const issue = this.requireIssue(idOrKey);
      this.willChange(issue.id);
      const before = issue.fields;
      const next: { -readonly [K in keyof IssueFields]: IssueFields[K] } = { ...before };
      const items: ChangelogItem[] = [];
      const change = (
        field: string,
        from: string | null,
        to: string | null,
        fromS: string | null,
        toS: string | null,
      ) => items.push({ field, fieldtype: 'jira', fieldId: field, from, fromString: fromS, to, toString: toS });
      if (patch.summary !== undefined && patch.summary !== before.summary) {
        if (patch.summary.trim() === '') {
          throw new StoreError('You must specify a summary of the issue.', 'invalid', 'summary');
        }
        next.summary = patch.summary;
        change('summary', null, null, before.summary, patch.summary);
      }
      if (patch.description !== undefined) {
        const description = this.description(patch.description);
        if (JSON.stringify(description) !== JSON.stringify(before.description)) {
          next.description = description;
          change('description', null, null, adfToText(before.description), adfToText(description));
        }
      }
      if (patch.issueType !== undefined) {
        const type = this.getIssueType(patch.issueType);
        if (!type) throw new StoreError('Specify a valid issue type', 'invalid', 'issuetype');
        if (type.id !== before.issuetype) {
          next.issuetype = type.id;
          change('issuetype', before.issuetype, type.id, this.getIssueType(before.issuetype)?.name ?? null, type.name);
        }
      }
      if (patch.priority !== undefined) {
        const priority = patch.priority === null ? null : this.priorityId(patch.priority);
        if (priority !== before.priority) {
          next.priority = priority;
          change(
            'priority',
            before.priority,
            priority,
            this.priorityName(before.priority),
            this.priorityName(priority),
          );
        }
      }
      for (const field of ['assignee', 'reporter'] as const) {
        const value = patch[field];
        if (value === undefined) continue;
        const accountId = this.userRef(value, field);
        if (accountId !== before[field]) {
          next[field] = accountId;
          change(field, before[field], accountId, this.displayName(before[field]), this.displayName(accountId));
        }
      }
      if (patch.labels !== undefined) {
        const labels = this.labels(patch.labels);
        if (labels.join(' ') !== before.labels.join(' ')) {
          next.labels = labels;
          change('labels', null, null, before.labels.join(' ') || null, labels.join(' ') || null);
        }
      }
      if (patch.duedate !== undefined) {
        const duedate = this.duedate(patch.duedate);
        if (duedate !== before.duedate) {
          next.duedate = duedate;
          change('duedate', before.duedate, duedate, before.duedate, duedate);
        }
      }
      const customFields = this.customFields(patch.customFields ?? {}, issue.customFields);
      for (const [id, value] of Object.entries(patch.customFields ?? {})) {
        const old = issue.customFields[id];
        if (JSON.stringify(old ?? null) !== JSON.stringify(value)) {
          // A user picker's change carries account ids and display names, as Jira's does for assignee; other
          // values are shown as their JSON.
          const before = userPicked(old);
          const after = userPicked(value);
          items.push({
            field: id,
            fieldtype: 'custom',
            fieldId: id,
            from: before,
            fromString:
              before !== null
                ? this.displayName(before)
                : old === undefined || old === null
                  ? null
                  : JSON.stringify(old),
            to: after,
            toString: after !== null ? this.displayName(after) : value === null ? null : JSON.stringify(value),
          });
        }
      }
      if (items.length === 0) return items;
      next.updated = formatJiraDateTime(this.clock());
      this.saveIssue(issue, next, customFields, items, actor);
      return items;
    });
  }

  /**
   * Moves an issue along a workflow transition as `actor` (no validator runs here: the emulator runs the app's
   * validator first). Entering a done status sets resolution Done and resolutiondate; leaving one clears both, as
   * Jira's default workflows do.
   */
  transitionIssue(idOrKey: string, transitionId: string, actor: Principal): readonly ChangelogItem[] {
    return this.transaction(() => {
      const issue = this.requireIssue(idOrKey);
      this.willChange(issue.id);
      const transition = this.availableTransitions(issue).find((candidate) => candidate.id === transitionId);
      if (!transition) {
        // Jira's wording for a transition the issue cannot take.
        throw new StoreError(`Transition id '${transitionId}' is not valid for this issue.`, 'invalid', 'transition');
      }
      const from = this.getStatus(issue.fields.status) as StatusRecord;
      const to = this.getStatus(transition.toStatusId) as StatusRecord;
      const now = formatJiraDateTime(this.clock());
      const resolution = to.category === 'done' ? (issue.fields.resolution ?? DONE_RESOLUTION) : null;
      const next: IssueFields = {
        ...issue.fields,
        status: to.id,
        updated: now,
        resolution,
        resolutiondate:
          resolution === null ? null : issue.fields.resolution === null ? now : issue.fields.resolutiondate,
        statuscategorychangedate: from.category === to.category ? issue.fields.statuscategorychangedate : now,
      };
      const items: ChangelogItem[] = [];
      if (resolution !== issue.fields.resolution) {
        items.push({
          field: 'resolution',
          fieldtype: 'jira',
          fieldId: 'resolution',
          from: issue.fields.resolution === null ? null : '10000',
          fromString: issue.fields.resolution,
          to: resolution === null ? null : '10000',
          toString: resolution,
        });
      }
      items.push({
        field: 'status',
        fieldtype: 'jira',
        fieldId: 'status',
        from: from.id,
        fromString: from.name,
        to: to.id,
        toString: to.name,
      });
      this.saveIssue(issue, next, issue.customFields, items, actor);
      return items;
    });
  }

  /** An issue's changelog, oldest first. */
  changelog(idOrKey: string): ChangelogEntry[] {
    const issue = this.requireIssue(idOrKey);
    return this.all<{ id: number; issue_id: number; author: string; created: string; items: string }>(
      'SELECT * FROM changelog WHERE issue_id = ? ORDER BY id',
      Number(issue.id),
    ).map((row) => ({
      id: String(row.id),
      issueId: String(row.issue_id),
      author: principalFromId(row.author),
      created: row.created,
      items: JSON.parse(row.items) as ChangelogItem[],
    }));
  }

  // ---------------------------------------------------------------- issue properties

  /**
   * Sets an issue property as `actor`, emitting `avi:jira:set:issue-property`. Returns whether it was created (Jira
   * answers 201) rather than replaced (200).
   */
  setProperty(idOrKey: string, key: string, value: JsonValue, actor: Principal): { created: boolean } {
    return this.transaction(() => {
      const issue = this.requireIssue(idOrKey);
      this.willChange(issue.id);
      const created = this.writeProperty(issue.id, key, value);
      this.touched();
      this.pending.push({
        eventType: 'avi:jira:set:issue-property',
        actor,
        issueId: issue.id,
        property: { key },
        timestamp: this.stamp(),
      });
      return { created };
    });
  }

  /** Deletes an issue property as `actor`, emitting `avi:jira:deleted:issue-property`. False when it did not exist. */
  deleteProperty(idOrKey: string, key: string, actor: Principal): boolean {
    return this.transaction(() => {
      const issue = this.requireIssue(idOrKey);
      this.willChange(issue.id);
      const result = this.run('DELETE FROM issue_properties WHERE issue_id = ? AND key = ?', Number(issue.id), key);
      if (result.changes === 0) return false;
      this.propertyCache.get(key)?.delete(issue.id);
      this.touched();
      this.pending.push({
        eventType: 'avi:jira:deleted:issue-property',
        actor,
        issueId: issue.id,
        property: { key },
        timestamp: this.stamp(),
      });
      return true;
    });
  }

  /** One property's value, or undefined when the issue has no such property. */
  getProperty(issueId: string, key: string): JsonValue | undefined {
    return this.propertyValues(key).get(issueId);
  }

  /** The property keys an issue has, in key order. */
  propertyKeys(issueId: string): string[] {
    return this.all<{ key: string }>(
      'SELECT key FROM issue_properties WHERE issue_id = ? ORDER BY key',
      Number(issueId),
    ).map((row) => row.key);
  }

  /** Every issue's value of one property key, by issue id (parsed once per change of that key). */
  propertyValues(key: string): ReadonlyMap<string, JsonValue> {
    let values = this.propertyCache.get(key);
    if (!values) {
      values = new Map();
      for (const row of this.all<{ issue_id: number; value: string }>(
        'SELECT issue_id, value FROM issue_properties WHERE key = ?',
        key,
      )) {
        values.set(String(row.issue_id), JSON.parse(row.value) as JsonValue);
      }
      this.propertyCache.set(key, values);
    }
    return values;
  }

  // ---------------------------------------------------------------- internals

  private initialise(appDisplayName: string): void {
    this.transaction(() => {
      this.run(
        'INSERT INTO users VALUES (?, ?, ?, NULL, NULL, ?, ?, 1)',
        this.appAccountId,
        'app',
        appDisplayName,
        'en_US',
        'UTC',
      );
      // A new Jira Cloud software site's defaults: the simplified workflow's three statuses, the standard issue
      // types and the five priorities with Jira's ids (1 = Highest).
      this.defineStatus({ name: 'To Do', category: 'new' });
      this.defineStatus({ name: 'In Progress', category: 'indeterminate' });
      this.defineStatus({ name: 'Done', category: 'done' });
      this.defineIssueType({ name: 'Epic', hierarchyLevel: 1, description: 'A collection of related work items.' });
      this.defineIssueType({ name: 'Story', description: 'Functionality or a feature expressed as a user goal.' });
      this.defineIssueType({ name: 'Task', description: 'A small, distinct piece of work.' });
      this.defineIssueType({ name: 'Bug', description: 'A problem or error.' });
      this.defineIssueType({ name: 'Subtask', subtask: true, description: 'A small piece of work within another.' });
      ['Highest', 'High', 'Medium', 'Low', 'Lowest'].forEach((name, index) =>
        this.run('INSERT INTO priorities VALUES (?, ?, ?)', String(index + 1), name, index + 1),
      );
      this.setMeta('schema', SCHEMA_VERSION);
    });
  }

  private flush(): void {
    const events = this.pending;
    this.pending = [];
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          // The change is committed; a failing listener must not make the caller think it was not.
          console.error('Jira emulator event listener failed', error);
        }
      }
    }
  }

  private saveIssue(
    issue: IssueRecord,
    fields: IssueFields,
    customFields: Readonly<Record<string, JsonValue>>,
    items: readonly ChangelogItem[],
    actor: Principal,
  ): void {
    this.run('UPDATE issues SET fields = ? WHERE id = ?', storeFields(fields, customFields), Number(issue.id));
    this.run(
      'INSERT INTO changelog (issue_id, author, created, items) VALUES (?, ?, ?, ?)',
      Number(issue.id),
      principalId(actor),
      fields.updated,
      JSON.stringify(items),
    );
    this.touched();
    this.pending.push({
      eventType: 'avi:jira:updated:issue',
      actor,
      issueId: issue.id,
      changelog: items,
      timestamp: this.stamp(),
    });
  }

  private writeProperty(issueId: string, key: string, value: JsonValue): boolean {
    if (key.length === 0 || key.length > PROPERTY_KEY_MAX_LENGTH) {
      throw new StoreError(
        `The property key must be between 1 and ${PROPERTY_KEY_MAX_LENGTH} characters long.`,
        'invalid',
        'propertyKey',
      );
    }
    const text = JSON.stringify(value);
    if (text.length > PROPERTY_VALUE_MAX_LENGTH) {
      throw new StoreError(
        `The property value is too long: it has ${text.length} characters, and at most ${PROPERTY_VALUE_MAX_LENGTH} are allowed.`,
        'invalid',
        'value',
      );
    }
    const existed = this.get('SELECT 1 FROM issue_properties WHERE issue_id = ? AND key = ?', Number(issueId), key);
    this.run('INSERT OR REPLACE INTO issue_properties VALUES (?, ?, ?)', Number(issueId), key, text);
    // Kept current rather than dropped: dropping it made every read after a write re-parse the key's values on all
    // issues, so signing a 10,000-project seed issue by issue was quadratic. A parsed copy, so the caller's object
    // stays theirs; a rolled-back transaction clears the whole cache.
    this.propertyCache.get(key)?.set(issueId, JSON.parse(text) as JsonValue);
    return existed === undefined;
  }

  private description(value: JsonValue): JsonValue {
    return typeof value === 'string' ? textToAdf(value) : value;
  }

  private priorityId(nameOrId: string): string {
    const priority = this.getPriority(nameOrId);
    if (!priority) throw new StoreError(`The priority '${nameOrId}' does not exist.`, 'invalid', 'priority');
    return priority.id;
  }

  private priorityName(id: string | null): string | null {
    return id === null ? null : (this.getPriority(id)?.name ?? null);
  }

  private displayName(accountId: string | null): string | null {
    return accountId === null ? null : (this.getUser(accountId)?.displayName ?? null);
  }

  private userRef(accountId: string | null, field: string): string | null {
    if (accountId === null) return null;
    if (!this.getUser(accountId)) throw new StoreError(`User ${accountId} does not exist.`, 'invalid', field);
    return accountId;
  }

  private labels(labels: readonly string[]): string[] {
    for (const label of labels) {
      // Jira refuses labels with spaces (its label picker splits on them).
      if (label === '' || /\s/.test(label)) {
        throw new StoreError(`The label '${label}' contains spaces, which is invalid.`, 'invalid', 'labels');
      }
    }
    return [...new Set(labels)];
  }

  private duedate(value: string | null): string | null {
    if (value === null) return null;
    if (!isCalendarDate(value))
      throw new StoreError(`'${value}' is not a valid date (YYYY-MM-DD).`, 'invalid', 'duedate');
    return value;
  }

  private customFields(
    patch: Readonly<Record<string, JsonValue>>,
    current: Readonly<Record<string, JsonValue>>,
  ): Record<string, JsonValue> {
    const next: Record<string, JsonValue> = { ...current };
    for (const [id, value] of Object.entries(patch)) {
      if (!CUSTOM_FIELD.test(id)) {
        throw new StoreError(
          `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`,
          'invalid',
          id,
        );
      }
      if (value === null) delete next[id];
      else next[id] = value;
    }
    return next;
  }

  private requireProject(keyOrId: string): ProjectRecord {
    const project = this.getProject(keyOrId);
    if (!project) throw new StoreError(`Project '${keyOrId}' does not exist.`, 'not-found', 'project');
    return project;
  }

  private requireIssue(idOrKey: string): IssueRecord {
    const issue = this.getIssue(idOrKey);
    if (!issue) {
      throw new StoreError('Issue does not exist or you do not have permission to see it.', 'not-found', 'issue');
    }
    return issue;
  }

  private holds(accountId: string, holders: readonly PermissionHolder[]): boolean {
    const user = this.getUser(accountId);
    if (!user?.active) return false;
    const groups = new Set(this.groupsOf(accountId).map((group) => group.name.toLowerCase()));
    return holders.some(
      (holder) =>
        holder.type === 'anyone' ||
        (holder.type === 'user' && holder.accountId === accountId) ||
        (holder.type === 'group' && groups.has(holder.group.toLowerCase())),
    );
  }

  private globalGrants(): Partial<Record<GlobalPermissionKey, PermissionHolder[]>> {
    const raw = this.meta('global-permissions');
    return raw === undefined ? {} : (JSON.parse(raw) as Partial<Record<GlobalPermissionKey, PermissionHolder[]>>);
  }

  private stamp(): string {
    return this.clock().toISOString();
  }

  private willChange(issueId: string, created = false): void {
    for (const watcher of this.changeWatchers) watcher(issueId, created);
  }

  private touched(): void {
    this.changeCount += 1;
    this.issueCache = null;
  }

  private nextSeq(name: string, start: number): number {
    const current = this.meta(`seq:${name}`);
    const next = current === undefined ? start : Number(current);
    this.setMeta(`seq:${name}`, String(next + 1));
    return next;
  }

  private meta(name: string): string | undefined {
    return this.get<{ value: string }>('SELECT value FROM meta WHERE name = ?', name)?.value;
  }

  private setMeta(name: string, value: string): void {
    this.run('INSERT INTO meta VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', name, value);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private get<Row>(sql: string, ...params: Params): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  private all<Row>(sql: string, ...params: Params): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  private run(sql: string, ...params: Params): Database.RunResult {
    return this.statement(sql).run(...params);
  }
}

/** Opens (creating when new) a store. */
export function openJiraStore(options: JiraStoreOptions): JiraStore {
  return new JiraStore(options);
}

/** Splits `PROJ-12` into its project key and number, or undefined when it is not an issue key. */
export function parseIssueKey(value: string): { projectKey: string; number: number } | undefined {
  const m = ISSUE_KEY.exec(value);
  return m ? { projectKey: (m[1] as string).toUpperCase(), number: Number(m[2]) } : undefined;
}

function actorAccountId(store: JiraStore, actor: Principal): string {
  return actor.kind === 'app' ? store.appAccountId : actor.accountId;
}

function userFromRow(row: UserRow): UserRecord {
  return {
    accountId: row.account_id,
    accountType: row.account_type === 'app' ? 'app' : 'atlassian',
    displayName: row.display_name,
    email: row.email,
    apiToken: row.api_token,
    locale: row.locale,
    timeZone: row.time_zone,
    active: row.active === 1,
  };
}

function projectFromRow(row: ProjectRow): ProjectRecord {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    leadAccountId: row.lead_account_id,
    permissions: JSON.parse(row.permissions) as ProjectPermissionGrants,
  };
}

function storeFields(fields: IssueFields, customFields: Readonly<Record<string, JsonValue>>): string {
  return JSON.stringify({ ...fields, ...customFields });
}

function issueFromRow(row: IssueRow): IssueRecord {
  const stored = JSON.parse(row.fields) as Record<string, JsonValue>;
  const customFields: Record<string, JsonValue> = {};
  for (const [id, value] of Object.entries(stored)) {
    if (CUSTOM_FIELD.test(id)) {
      customFields[id] = value;
      delete stored[id];
    }
  }
  return {
    id: String(row.id),
    key: row.key,
    projectKey: row.project_key,
    number: row.number,
    fields: stored as unknown as IssueFields,
    customFields,
  };
}
