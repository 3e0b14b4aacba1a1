/**
 * Jira Cloud REST v3 JSON for the emulator's records. Shapes follow the OpenAPI schemas in
 * test/vendor/jira-openapi/swagger-v3.v3.json (IssueBean, User, StatusDetails, …) and the real bodies in
 * test/vendor/jira-fixtures (search-v3.airbyte-issues.json for the nested field objects); the contract test validates
 * them. Every URL points into the emulated site, so `self` links resolve against the sandbox.
 */
import { CONSISTENT_VIEW, type IndexedView } from './search-index';
import {
  type GroupRecord,
  type IssueRecord,
  type IssueTypeRecord,
  type JiraStore,
  type JsonValue,
  type PriorityRecord,
  type ProjectRecord,
  type StatusCategoryKey,
  type StatusRecord,
  type TransitionRecord,
  type UserRecord,
} from './store';

/** JSON as the routes send it (object members may be left undefined, which serialising drops). */
export type JsonOut = JsonValue | readonly JsonOut[] | JsonObject;
/** A JSON object as the routes send it. */
export type JsonObject = { readonly [key: string]: JsonOut | undefined };
type Json = JsonOut | undefined;

/** The `expand` options Jira lists on every IssueBean (test/vendor/jira-fixtures/search-v3.airbyte-issues.json). */
export const ISSUE_EXPAND = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

/** Jira's status categories (GET /rest/api/3/statuscategory; test/vendor/jira-fixtures/statuses-v3.airbyte.json). */
const CATEGORIES: Readonly<Record<StatusCategoryKey, { id: number; colorName: string; name: string }>> = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
};

/** Which fields an IssueBean carries (`fields=` of search and GET issue). */
export interface FieldSelection {
  readonly all: boolean;
  readonly include: ReadonlySet<string>;
  readonly exclude: ReadonlySet<string>;
  /** Only `id` was asked for: search answers `{ id }` alone, as /search/jql does by default. */
  readonly idOnly: boolean;
}

/**
 * Reads `fields` values (each may be a comma-separated list, and the parameter may repeat): `*all`, `*navigable`,
 * field ids, `-field` to exclude. Unknown ids are ignored, as Jira ignores them.
 */
export function parseFieldSelection(values: readonly string[], defaults: readonly string[]): FieldSelection {
  const tokens = values
    .flatMap((value) => value.split(','))
    .map((token) => token.trim())
    .filter((token) => token !== '');
  const effective = tokens.length ? tokens : defaults;
  const include = new Set<string>();
  const exclude = new Set<string>();
  let all = false;
  for (const token of effective) {
    if (token === '*all' || token === '*navigable') all = true;
    else if (token.startsWith('-')) exclude.add(token.slice(1));
    else include.add(token);
  }
  const idOnly = !all && [...include].every((field) => field === 'id');
  return { all, include, exclude, idOnly };
}

/** Builds Jira JSON for records of one store, with links under `siteUrl`. */
export class JiraRenderer {
  readonly siteUrl: string;

  constructor(
    private readonly store: JiraStore,
    siteUrl: string,
  ) {
    this.siteUrl = siteUrl.replace(/\/+$/, '');
  }

  /** `siteUrl` + a REST path. */
  url(path: string): string {
    return `${this.siteUrl}${path}`;
  }

  /** Avatar URLs at Jira's four sizes, served by the emulator's universal_avatar route. */
  avatarUrls(type: 'user' | 'project' | 'issuetype', id: string): JsonObject {
    const base = this.url(`/rest/api/3/universal_avatar/view/type/${type}/avatar/${encodeURIComponent(id)}`);
    return {
      '16x16': `${base}?size=xsmall`,
      '24x24': `${base}?size=small`,
      '32x32': `${base}?size=medium`,
      '48x48': base,
    };
  }

  /** A user as Jira nests it in issues and returns from `myself` (User schema). */
  user(user: UserRecord, options: { readonly withLocale?: boolean } = {}): JsonObject {
    return {
      self: this.url(`/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`),
      accountId: user.accountId,
      accountType: user.accountType,
      ...(user.email !== null ? { emailAddress: user.email } : {}),
      avatarUrls: this.avatarUrls('user', user.accountId),
      displayName: user.displayName,
      active: user.active,
      timeZone: user.timeZone,
      ...(options.withLocale ? { locale: user.locale } : {}),
    };
  }

  /** A group as `user/groups` lists it (GroupName schema). */
  group(group: GroupRecord): JsonObject {
    return {
      name: group.name,
      groupId: group.groupId,
      self: this.url(`/rest/api/3/group?groupId=${group.groupId}`),
    };
  }

  /** A status with its category (StatusDetails schema). */
  status(status: StatusRecord): JsonObject {
    const category = CATEGORIES[status.category];
    return {
      self: this.url(`/rest/api/3/status/${status.id}`),
      description: status.description,
      iconUrl: this.url('/'),
      name: status.name,
      id: status.id,
      statusCategory: {
        self: this.url(`/rest/api/3/statuscategory/${category.id}`),
        id: category.id,
        key: status.category,
        colorName: category.colorName,
        name: category.name,
      },
    };
  }

  /** An issue type as nested in issue fields. */
  issueType(type: IssueTypeRecord): JsonObject {
    return {
      self: this.url(`/rest/api/3/issuetype/${type.id}`),
      id: type.id,
      description: type.description,
      iconUrl: `${this.url(`/rest/api/3/universal_avatar/view/type/issuetype/avatar/${type.id}`)}?size=medium`,
      name: type.name,
      subtask: type.subtask,
      hierarchyLevel: type.hierarchyLevel,
    };
  }

  /** A project as nested in issue fields. */
  project(project: ProjectRecord): JsonObject {
    return {
      self: this.url(`/rest/api/3/project/${project.id}`),
      id: project.id,
      key: project.key,
      name: project.name,
      projectTypeKey: 'software',
      simplified: false,
      avatarUrls: this.avatarUrls('project', project.id),
    };
  }

  /** A priority as nested in issue fields. */
  priority(priority: PriorityRecord): JsonObject {
    return {
      self: this.url(`/rest/api/3/priority/${priority.id}`),
      iconUrl: this.url(`/images/icons/priorities/${priority.name.toLowerCase()}.svg`),
      name: priority.name,
      id: priority.id,
    };
  }

  /** A transition as GET transitions lists it (IssueTransition schema). */
  transition(transition: TransitionRecord): JsonObject {
    const to = this.store.getStatus(transition.toStatusId) as StatusRecord;
    return {
      id: transition.id,
      name: transition.name,
      to: this.status(to),
      hasScreen: false,
      isGlobal: transition.fromStatusIds === null,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
    };
  }

  /** Every field of an issue in Jira's v3 representation, custom fields included. */
  issueFields(issue: IssueRecord): Record<string, Json> {
    const f = issue.fields;
    const userOrNull = (accountId: string | null): Json => {
      const user = accountId === null ? undefined : this.store.getUser(accountId);
      return user ? this.user(user) : null;
    };
    const priority = f.priority === null ? undefined : this.store.getPriority(f.priority);
    const type = this.store.getIssueType(f.issuetype);
    const project = this.store.getProject(f.project);
    const status = this.store.getStatus(f.status);
    return {
      summary: f.summary,
      issuetype: type ? this.issueType(type) : null,
      project: project ? this.project(project) : null,
      status: status ? this.status(status) : null,
      priority: priority ? this.priority(priority) : null,
      assignee: userOrNull(f.assignee),
      reporter: userOrNull(f.reporter),
      creator: userOrNull(f.creator),
      labels: f.labels,
      duedate: f.duedate,
      created: f.created,
      updated: f.updated,
      resolution:
        f.resolution === null
          ? null
          : {
              self: this.url('/rest/api/3/resolution/10000'),
              id: '10000',
              description: 'Work has been completed on this issue.',
              name: f.resolution,
            },
      resolutiondate: f.resolutiondate,
      statuscategorychangedate: f.statuscategorychangedate,
      description: f.description,
      ...issue.customFields,
    };
  }

  /**
   * An IssueBean. `properties` lists the property keys to include (missing ones are left out, as Jira leaves them
   * out). With `minimal`, an `id`-only selection yields `{ id }` alone (the /search/jql default).
   */
  issueBean(
    issue: IssueRecord,
    selection: FieldSelection,
    properties: readonly string[],
    options: { readonly minimal: boolean; readonly view?: IndexedView },
  ): JsonObject {
    const props: Record<string, Json> = {};
    const view = options.view ?? CONSISTENT_VIEW;
    for (const key of properties) {
      const value = view.property(issue.id, key, () => this.store.getProperty(issue.id, key));
      if (value !== undefined) props[key] = value;
    }
    const withProperties = properties.length > 0 ? { properties: props } : {};
    if (options.minimal && selection.idOnly && properties.length === 0) return { id: issue.id };
    const all = this.issueFields(issue);
    const fields: Record<string, Json> = {};
    for (const [id, value] of Object.entries(all)) {
      if ((selection.all || selection.include.has(id)) && !selection.exclude.has(id)) fields[id] = value;
    }
    return {
      expand: ISSUE_EXPAND,
      id: issue.id,
      self: this.url(`/rest/api/3/issue/${issue.id}`),
      key: issue.key,
      fields,
      ...withProperties,
    };
  }
}
