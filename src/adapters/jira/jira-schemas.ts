/**
 * The shapes of Jira's JSON where it enters Tollgate, as zod schemas. Each is narrow on purpose: it names only the
 * members Tollgate reads, so Jira adding a member never breaks a read, and a member Tollgate relies on that is
 * missing or of another type is caught here, with its path, rather than deep inside a health rule.
 * Shapes follow Jira's OpenAPI document (test/vendor/jira-openapi/swagger-v3.v3.json).
 */
import { z } from 'zod';
import { isoDateSchema } from '../../domain/time';

/**
 * Jira's timestamps carry an offset without a colon (`2026-01-05T10:00:00.000+0000`), which is not RFC 3339; they are
 * read as the UTC instant they denote, the form the rest of the app speaks.
 */
const JIRA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/;

const jiraTimestampSchema = z
  .string()
  .regex(JIRA_TIMESTAMP, 'expected a Jira timestamp such as 2026-01-05T10:00:00.000+0000')
  .transform((value, context) => {
    const time = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(time)) {
      context.issues.push({ code: 'custom', message: `${value} is not a moment in time`, input: value });
      return z.NEVER;
    }
    return new Date(time).toISOString();
  });

/**
 * A status with its category. Jira's fourth category, `undefined` ("No Category"), is kept so such an issue can be
 * read; the adapter decides what it means.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-status-categories/
 */
const statusSchema = z.object({
  name: z.string(),
  statusCategory: z.object({ key: z.enum(['new', 'indeterminate', 'done', 'undefined']) }),
});

/**
 * A workflow status on its own (`StatusDetails`): the validator reads the statuses a transition leaves and enters.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/#api-rest-api-3-status-idorname-get
 */
export const statusDetailsSchema = statusSchema.extend({ id: z.string() });

/**
 * The system fields every registry issue is read with. Jira sends `null` for an empty requested field; a field left
 * out altogether is read as empty too.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
export const registryFieldsSchema = z.object({
  summary: z.string(),
  status: statusSchema,
  assignee: z.object({ accountId: z.string(), displayName: z.string().optional() }).nullish(),
  duedate: isoDateSchema.nullish(),
  created: jiraTimestampSchema,
  /** The Jira project: which browse permission decides who sees the row in Tollgate's read model. */
  project: z.object({ id: z.string() }).nullish(),
  /** The issue security level, when one is set: Jira then hides the issue from some who can browse its project. */
  security: z.object({ id: z.string() }).nullish(),
});

/** The field ids `registryFieldsSchema` reads; every issue request asks for them. */
export const REGISTRY_FIELD_IDS: readonly string[] = Object.keys(registryFieldsSchema.shape);

/**
 * An IssueBean's outline: the mapped fields are read by `registryFieldsSchema`, other requested fields and the
 * properties stay raw (their documents are validated by the domain's own schemas, which migrate old versions).
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
export const issueBeanSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.record(z.string(), z.unknown()),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/**
 * One page of `/search/jql`. Issues are left unread here so that one malformed issue cannot sink its page.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
export const searchPageSchema = z.object({
  issues: z.array(z.unknown()),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

/** A page of `/search/jql` that asked for ids only. */
export const idPageSchema = z.object({
  issues: z.array(z.object({ id: z.string() })),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

const grantSchema = z.object({ havePermission: z.boolean() });

/**
 * `mypermissions` asked for BROWSE_PROJECTS and EDIT_ISSUES on one issue.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
export const issuePermissionsSchema = z.object({
  permissions: z.object({ BROWSE_PROJECTS: grantSchema, EDIT_ISSUES: grantSchema }),
});

/**
 * `mypermissions` asked for the global ADMINISTER permission.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
export const adminPermissionSchema = z.object({ permissions: z.object({ ADMINISTER: grantSchema }) });

/**
 * `permissions/check` (getBulkPermissions) for one project permission: the projects and issues of the request that
 * the user holds it for. Jira ignores invalid ids; ids are int64.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-permissions-check-post
 */
export const bulkPermissionGrantsSchema = z.object({
  projectPermissions: z.array(
    z.object({
      permission: z.string(),
      projects: z.array(z.number().int()),
      issues: z.array(z.number().int()),
    }),
  ),
});

/**
 * The groups of a user (GroupName list).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-groups-get
 */
export const userGroupsSchema = z.array(z.object({ name: z.string() }));

/**
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-approximate-count-post
 */
export const approximateCountSchema = z.object({ count: z.number().int().nonnegative() });

/**
 * A page of `changelog/bulkfetch`: per issue, each history's time and its changed items with their raw values (account
 * ids for user fields). Jira sends `null` for an empty side; the OpenAPI document leaves it out.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-changelog-bulkfetch-post
 */
export const bulkChangelogSchema = z.object({
  issueChangeLogs: z
    .array(
      z.object({
        changeHistories: z
          .array(
            z.object({
              created: jiraTimestampSchema,
              items: z
                .array(
                  z.object({
                    field: z.string().optional(),
                    fieldId: z.string().optional(),
                    from: z.string().nullish(),
                    to: z.string().nullish(),
                  }),
                )
                .default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  nextPageToken: z.string().nullish(),
});

/**
 * A page of a group's members, read for its `total` only.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-groups/#api-rest-api-3-group-member-get
 */
export const groupMembersPageSchema = z.object({ total: z.number().int().nonnegative() });

/**
 * A page of the site's users, read for who counts as a person (an active `atlassian` account).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-users-search-get
 */
export const usersPageSchema = z.array(
  z.object({ accountType: z.string().optional(), active: z.boolean().optional() }),
);

/**
 * The ways Jira explains a refusal: an ErrorCollection (`errorMessages`, `errors` by field), the 401 body
 * (`message`), or RFC 7807 for a path it does not serve (`detail`). Every member is optional and a member of an
 * unexpected type is dropped, so a refusal is always explained as well as the body allows.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#status-codes
 */
export const jiraErrorBodySchema = z.object({
  errorMessages: z.array(z.string()).catch([]),
  errors: z.record(z.string(), z.string()).catch({}),
  message: z.string().optional().catch(undefined),
  detail: z.string().optional().catch(undefined),
});

/**
 * A zod error as one line naming each problem's path (`fields.status.statusCategory.key: Invalid option …`);
 * `within` is the path of the value that was checked, when it was part of a larger body.
 */
export function describeProblems(error: z.ZodError, within: readonly string[] = []): string {
  return error.issues
    .map((issue) => {
      const path = [...within, ...issue.path.map(String)];
      return `${path.length > 0 ? path.join('.') : 'body'}: ${issue.message}`;
    })
    .join('; ');
}
