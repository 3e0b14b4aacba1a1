/**
 * `JiraPort` over the Jira client: the registry search, single issues, Tollgate's issue properties, and the
 * permission questions the use cases ask before they act (docs/architecture.md §4, §5). Whose identity each call
 * carries is the caller's `Acting`; the permission questions are asked as the person concerned, group membership as the
 * app (a user may not be allowed to list anyone's groups, the app may).
 */
import { route } from '@forge/api';
import { z } from 'zod';
import { NotFoundError, UnavailableError } from '../../app/errors';
import {
  type Acting,
  type Browsable,
  type FieldChange,
  type IssuePermissions,
  MAX_PERMISSION_CHECK,
  MAX_RECONCILE_ISSUES,
  type JiraPort,
  type JiraStatus,
  type RegistryIssue,
  type RegistryPage,
} from '../../app/ports';
import { createJiraClient, type JiraClient, JiraResponseShapeError } from './jira-client';
import {
  adminPermissionSchema,
  approximateCountSchema,
  bulkChangelogSchema,
  describeProblems,
  groupMembersPageSchema,
  issueBeanSchema,
  issuePermissionsSchema,
  REGISTRY_FIELD_IDS,
  registryFieldsSchema,
  idPageSchema,
  searchPageSchema,
  statusDetailsSchema,
  userGroupsSchema,
  bulkPermissionGrantsSchema,
  usersPageSchema,
} from './jira-schemas';

/** Issues per search request: the page size Jira serves when fields and properties are asked for. */
export const DEFAULT_PAGE_SIZE = 100;

/** Jira's page cap when only ids are requested (docs/platform.md §3). */
export const ID_PAGE_SIZE = 5000;
/** Jira's limit on the issue properties one search may return. */
export const MAX_SEARCH_PROPERTIES = 5;
/** Changelog entries per bulk-fetch page (Jira's default), and how many pages one field's history may take. */
const CHANGELOG_PAGE_SIZE = 1000;
const MAX_CHANGELOG_PAGES = 20;
/** Users per page of the user list. */
const USERS_PAGE_SIZE = 1000;

export interface JiraAdapterOptions {
  /** The client to send through; by default one over @forge/api with the default retry policy. */
  readonly client?: JiraClient;
}

/** An issue read from Jira, or why it could not be. */
type IssueRead =
  | { readonly ok: true; readonly issue: RegistryIssue }
  | { readonly ok: false; readonly key: string; readonly problem: string };

/** The fields to ask Jira for: the ones every registry issue is read with, then the caller's, each once. */
function fieldsToRequest(requested: readonly string[]): string[] {
  return [...new Set([...REGISTRY_FIELD_IDS, ...requested])];
}

/** A name for an issue whose bean could not be read, so the report can still point at it. */
function keyOf(bean: unknown): string {
  if (typeof bean === 'object' && bean !== null) {
    const { key, id } = bean as { key?: unknown; id?: unknown };
    if (typeof key === 'string') return key;
    if (typeof id === 'string') return `id ${id}`;
  }
  return 'an issue without a key';
}

/**
 * One IssueBean as a RegistryIssue. `customFields` holds the raw value of every field the caller asked for by id
 * (`null` when Jira sent none), so a caller reads back by id exactly what it named in settings, system fields such as
 * `labels` included.
 */
function readIssue(bean: unknown, requestedFields: readonly string[]): IssueRead {
  const outline = issueBeanSchema.safeParse(bean);
  if (!outline.success) return { ok: false, key: keyOf(bean), problem: describeProblems(outline.error) };
  const { id, key, fields, properties } = outline.data;
  const mapped = registryFieldsSchema.safeParse(fields);
  if (!mapped.success) return { ok: false, key, problem: describeProblems(mapped.error, ['fields']) };
  const { summary, status, assignee, duedate, created, project, security } = mapped.data;
  return {
    ok: true,
    issue: {
      id,
      key,
      summary,
      statusName: status.name,
      // Jira's "No Category" (`undefined`) holds statuses nobody has classified; nothing has started in them.
      statusCategory: status.statusCategory.key === 'undefined' ? 'new' : status.statusCategory.key,
      assigneeAccountId: assignee?.accountId ?? null,
      assigneeName: assignee ? (assignee.displayName ?? null) : null,
      duedate: duedate ?? null,
      created,
      projectId: project?.id ?? null,
      securityLevelId: security?.id ?? null,
      customFields: Object.fromEntries(requestedFields.map((field) => [field, fields[field] ?? null])),
      properties: properties ?? {},
    },
  };
}

/** `issueIdOrKey` as the query parameter `mypermissions` expects: ids are all digits, keys are not. */
function issueParameter(issueKeyOrId: string): [string, string] {
  return /^\d+$/.test(issueKeyOrId) ? ['issueId', issueKeyOrId] : ['issueKey', issueKeyOrId];
}

/**
 * The `reconcileIssues` of a search body: the search index lags behind writes, and these ids are the issues the caller
 * needs as they are now (Atlassian's "search and reconcile"). Ids are numbers in Jira's contract.
 * @throws {RangeError} more than 50 ids, or one that is not numeric (a programming error, not sent).
 */
function reconcile(ids: readonly string[] | undefined): { reconcileIssues?: number[] } {
  if (!ids || ids.length === 0) return {};
  if (ids.length > MAX_RECONCILE_ISSUES || ids.some((id) => !/^\d+$/.test(id))) {
    throw new RangeError(`A search reconciles 1 to ${MAX_RECONCILE_ISSUES} numeric issue ids, not ${ids.join(',')}.`);
  }
  return { reconcileIssues: ids.map(Number) };
}

/**
 * Builds the Jira port.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/
 * @throws never; the port's methods throw the typed errors of src/app/errors.ts (see each method).
 */
export function createJiraAdapter(options: JiraAdapterOptions = {}): JiraPort {
  const client = options.client ?? createJiraClient();

  return {
    /**
     * One page of a JQL search; a malformed issue is reported in `unreadable` and the rest of the page is served.
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
     * @throws {RangeError} more than 5 properties, or a page size outside 1–100 (a programming error, not sent) ·
     *   {JiraRejectedError} JQL Jira refuses · {ForbiddenError} · {UnavailableError}.
     */
    async searchPage(acting, query): Promise<RegistryPage> {
      const maxResults = query.maxResults ?? DEFAULT_PAGE_SIZE;
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > DEFAULT_PAGE_SIZE) {
        throw new RangeError(`A search page holds 1 to ${DEFAULT_PAGE_SIZE} issues, not ${maxResults}.`);
      }
      if (query.properties.length > MAX_SEARCH_PROPERTIES) {
        throw new RangeError(
          `Jira returns at most ${MAX_SEARCH_PROPERTIES} issue properties per search; ${query.properties.length} were asked for.`,
        );
      }
      const page = await client.read(
        {
          operation: 'search the registry',
          acting,
          method: 'POST',
          path: route`/rest/api/3/search/jql`,
          body: {
            jql: query.jql,
            fields: fieldsToRequest(query.fields),
            properties: [...query.properties],
            maxResults,
            ...(query.nextPageToken === undefined ? {} : { nextPageToken: query.nextPageToken }),
            ...reconcile(query.reconcileIssues),
          },
        },
        searchPageSchema,
      );
      const issues: RegistryIssue[] = [];
      const unreadable: Array<{ readonly key: string; readonly problem: string }> = [];
      for (const bean of page.issues) {
        const read = readIssue(bean, query.fields);
        if (read.ok) issues.push(read.issue);
        else unreadable.push({ key: read.key, problem: read.problem });
      }
      return { issues, unreadable, nextPageToken: page.isLast === true ? null : (page.nextPageToken ?? null) };
    },

    /**
     * Ids only, up to 5,000 a page (Jira's cap when no field but id is requested).
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
     * @throws {JiraRejectedError} JQL Jira refuses · {ForbiddenError} · {UnavailableError}.
     */
    async searchIds(acting, query) {
      const page = await client.read(
        {
          operation: 'list the registry',
          acting,
          method: 'POST',
          path: route`/rest/api/3/search/jql`,
          body: {
            jql: query.jql,
            fields: ['id'],
            maxResults: Math.min(query.maxResults ?? ID_PAGE_SIZE, ID_PAGE_SIZE),
            ...(query.nextPageToken === undefined ? {} : { nextPageToken: query.nextPageToken }),
            ...reconcile(query.reconcileIssues),
          },
        },
        idPageSchema,
      );
      return {
        ids: page.issues.map((issue) => issue.id),
        nextPageToken: page.isLast === true ? null : (page.nextPageToken ?? null),
      };
    },

    /**
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
     * @throws {JiraResponseShapeError} the issue cannot be read · {ForbiddenError} · {UnavailableError}.
     */
    async getIssue(acting, issueKeyOrId, fields, properties): Promise<RegistryIssue | null> {
      const operation = `read issue ${issueKeyOrId}`;
      const params = new URLSearchParams({ fields: fieldsToRequest(fields).join(',') });
      if (properties.length > 0) params.set('properties', properties.join(','));
      let bean: unknown;
      try {
        bean = await client.read(
          { operation, acting, method: 'GET', path: route`/rest/api/3/issue/${issueKeyOrId}?${params}` },
          z.unknown(),
        );
      } catch (error) {
        // Jira answers 404 both for a missing issue and for one the actor may not browse; both mean "not for you".
        if (error instanceof NotFoundError) return null;
        throw error;
      }
      const read = readIssue(bean, fields);
      if (!read.ok) throw new JiraResponseShapeError(operation, read.problem);
      return read.issue;
    },

    /**
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-issueidorkey-properties-propertykey-put
     * @throws {TypeError} `value` has no JSON form · {JiraRejectedError} over 32,768 characters or not JSON Jira
     *   accepts · {ForbiddenError} no edit permission · {NotFoundError} no such issue · {UnavailableError}.
     */
    async setProperty(acting, issueKeyOrId, key, value): Promise<void> {
      if (value === undefined) throw new TypeError(`Property ${key} needs a JSON value; undefined has none.`);
      await client.send({
        operation: `save ${key} on ${issueKeyOrId}`,
        acting,
        method: 'PUT',
        path: route`/rest/api/3/issue/${issueKeyOrId}/properties/${key}`,
        body: value,
      });
    },

    /**
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-issueidorkey-properties-propertykey-delete
     * @throws {NotFoundError} no such issue or property · {ForbiddenError} no edit permission · {UnavailableError}.
     */
    async deleteProperty(acting, issueKeyOrId, key): Promise<void> {
      await client.send({
        operation: `remove ${key} from ${issueKeyOrId}`,
        acting,
        method: 'DELETE',
        path: route`/rest/api/3/issue/${issueKeyOrId}/properties/${key}`,
      });
    },

    /**
     * Asked as the user, so the answer is Jira's own; an issue they cannot browse yields no permissions.
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
     * @throws {ForbiddenError} · {UnavailableError}.
     */
    async permissionsOn(accountId, issueKeyOrId): Promise<IssuePermissions> {
      const [name, value] = issueParameter(issueKeyOrId);
      const params = new URLSearchParams({ [name]: value, permissions: 'BROWSE_PROJECTS,EDIT_ISSUES' });
      try {
        const { permissions } = await client.read(
          {
            operation: `check your permissions on ${issueKeyOrId}`,
            acting: { as: 'user', accountId },
            method: 'GET',
            path: route`/rest/api/3/mypermissions?${params}`,
          },
          issuePermissionsSchema,
        );
        const browse = permissions.BROWSE_PROJECTS.havePermission;
        return { browse, edit: browse && permissions.EDIT_ISSUES.havePermission };
      } catch (error) {
        if (error instanceof NotFoundError) return { browse: false, edit: false };
        throw error;
      }
    },

    /**
     * Asked as the app: listing someone's groups needs Browse users and groups, which the app has and a user may not.
     * A user Jira does not know belongs to no group.
     * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-groups-get
     * @throws {ForbiddenError} · {UnavailableError}.
     */
    async groupsOf(accountId): Promise<readonly string[]> {
      try {
        const groups = await client.read(
          {
            operation: `list the groups of ${accountId}`,
            acting: { as: 'app' },
            method: 'GET',
            path: route`/rest/api/3/user/groups?${new URLSearchParams({ accountId })}`,
          },
          userGroupsSchema,
        );
        return groups.map((group) => group.name);
      } catch (error) {
        if (error instanceof NotFoundError) return [];
        throw error;
      }
    },

    /**
     * Asked as the user, so Jira answers for them: of the projects and issues named, those they may browse. Checking
     * an issue takes its issue security level into account, which the project alone does not.
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-permissions-check-post
     * @throws {RangeError} more than MAX_PERMISSION_CHECK projects or issues (a programming error, not sent) ·
     *   {ForbiddenError} · {UnavailableError}.
     */
    async browsable(accountId, { projectIds, issueIds }): Promise<Browsable> {
      if (projectIds.length > MAX_PERMISSION_CHECK || issueIds.length > MAX_PERMISSION_CHECK) {
        throw new RangeError(`Jira checks at most ${MAX_PERMISSION_CHECK} projects and issues a request.`);
      }
      const numeric = (ids: readonly string[]) => ids.filter((id) => /^\d+$/.test(id)).map(Number);
      const { projectPermissions } = await client.read(
        {
          operation: 'check which projects you may browse',
          acting: { as: 'user', accountId },
          method: 'POST',
          path: route`/rest/api/3/permissions/check`,
          body: {
            projectPermissions: [
              { permissions: ['BROWSE_PROJECTS'], projects: numeric(projectIds), issues: numeric(issueIds) },
            ],
          },
        },
        bulkPermissionGrantsSchema,
      );
      const grant = projectPermissions.find((p) => p.permission === 'BROWSE_PROJECTS');
      return {
        projectIds: (grant?.projects ?? []).map(String),
        issueIds: (grant?.issues ?? []).map(String),
      };
    },

    /**
     * Asked as the user: only they can hold the global Administer permission for themselves.
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
     * @throws {ForbiddenError} · {UnavailableError}.
     */
    async isAdmin(accountId): Promise<boolean> {
      const { permissions } = await client.read(
        {
          operation: 'check whether you administer Jira',
          acting: { as: 'user', accountId },
          method: 'GET',
          path: route`/rest/api/3/mypermissions?${new URLSearchParams({ permissions: 'ADMINISTER' })}`,
        },
        adminPermissionSchema,
      );
      return permissions.ADMINISTER.havePermission;
    },

    /**
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/#api-rest-api-3-status-idorname-get
     * @throws {JiraResponseShapeError} the status cannot be read · {ForbiddenError} · {UnavailableError}.
     */
    async statusOf(acting, statusId): Promise<JiraStatus | null> {
      try {
        const status = await client.read(
          { operation: `read status ${statusId}`, acting, method: 'GET', path: route`/rest/api/3/status/${statusId}` },
          statusDetailsSchema,
        );
        const key = status.statusCategory.key;
        // "No Category" statuses are read as not started, as issues in them are (readIssue).
        return { id: status.id, name: status.name, category: key === 'undefined' ? 'new' : key };
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },

    /**
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-approximate-count-post
     * @throws {JiraRejectedError} JQL Jira refuses, with its messages · {ForbiddenError} · {UnavailableError}.
     */
    async approximateCount(acting: Acting, jql: string): Promise<number> {
      const { count } = await client.read(
        {
          operation: 'count the issues the query matches',
          acting,
          method: 'POST',
          path: route`/rest/api/3/search/approximate-count`,
          body: { jql },
        },
        approximateCountSchema,
      );
      return count;
    },

    /**
     * Through the bulk changelog, filtered by Jira to the one field: the owner field changes rarely, so this is one
     * request however many other edits the issue has had (paging the whole changelog would grow with them).
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-changelog-bulkfetch-post
     * @throws {UnavailableError} Jira failed, or the history has more pages than any real owner field does ·
     *   {ForbiddenError} · {JiraRejectedError}.
     */
    async fieldChanges(acting, issueKeyOrId, fieldId): Promise<readonly FieldChange[]> {
      const changes: FieldChange[] = [];
      let nextPageToken: string | undefined;
      for (let page = 0; page < MAX_CHANGELOG_PAGES; page += 1) {
        const body = await client.read(
          {
            operation: `read the history of ${fieldId} on ${issueKeyOrId}`,
            acting,
            method: 'POST',
            path: route`/rest/api/3/changelog/bulkfetch`,
            body: {
              issueIdsOrKeys: [issueKeyOrId],
              fieldIds: [fieldId],
              maxResults: CHANGELOG_PAGE_SIZE,
              ...(nextPageToken === undefined ? {} : { nextPageToken }),
            },
          },
          bulkChangelogSchema,
        );
        for (const log of body.issueChangeLogs) {
          for (const history of log.changeHistories) {
            for (const item of history.items) {
              // Custom fields are named by their display name in `field`; `fieldId` is the id the filter used.
              if ((item.fieldId ?? item.field) !== fieldId) continue;
              changes.push({ at: history.created, from: item.from ?? null, to: item.to ?? null });
            }
          }
        }
        if (!body.nextPageToken) return changes.sort((a, b) => a.at.localeCompare(b.at));
        nextPageToken = body.nextPageToken;
      }
      throw new UnavailableError(
        `The history of ${fieldId} on ${issueKeyOrId} is longer than Tollgate reads (${MAX_CHANGELOG_PAGES} pages).`,
      );
    },

    /**
     * One member is asked for: the page's `total` is the count, and Jira's 404 says the group does not exist.
     * @see
     * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-groups/#api-rest-api-3-group-member-get
     * @throws {ForbiddenError} without Browse users and groups · {UnavailableError}.
     */
    async groupMemberCount(acting, groupName): Promise<number | null> {
      const params = new URLSearchParams({ groupname: groupName, includeInactiveUsers: 'false', maxResults: '1' });
      try {
        const { total } = await client.read(
          {
            operation: `count the members of group ${groupName}`,
            acting,
            method: 'GET',
            path: route`/rest/api/3/group/member?${params}`,
          },
          groupMembersPageSchema,
        );
        return total;
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },

    /**
     * Pages through the site's users until the count passes `atMost` or the users run out. Pages advance by what Jira
     * returned, since it may return fewer than asked for, and end on an empty page.
     * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-users-search-get
     * @throws {ForbiddenError} without Browse users and groups · {UnavailableError}.
     */
    async countActivePeople(acting, atMost): Promise<number> {
      let counted = 0;
      let startAt = 0;
      for (;;) {
        const params = new URLSearchParams({ startAt: String(startAt), maxResults: String(USERS_PAGE_SIZE) });
        const users = await client.read(
          {
            operation: "count the site's people",
            acting,
            method: 'GET',
            path: route`/rest/api/3/users/search?${params}`,
          },
          usersPageSchema,
        );
        counted += users.filter((user) => user.accountType === 'atlassian' && user.active !== false).length;
        if (counted > atMost || users.length === 0) return counted;
        startAt += users.length;
      }
    },
  };
}
