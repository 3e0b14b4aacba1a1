/**
 * The Jira Cloud REST v3 routes of the emulator, as one Fastify plugin mounted at the site root
 * (`/rest/api/3/...`, like `https://<site>.atlassian.net/rest/api/3/...`). Only what Tollgate calls is served; any
 * other path under `/rest/` gets Jira's 404 and a known path with another method Jira's 405.
 *
 * Who is asking: over HTTP, Basic auth with a sandbox user's email and API token, as Jira Cloud API tokens work
 * (wrong or missing → Jira's 401). In-process calls (`JiraEmulator.handle`) carry the principal in a header that is
 * honoured only next to a per-process random secret, so nothing outside the process can act as another user.
 *
 * Permissions follow the OpenAPI "Permissions required" notes: reading needs Browse projects (an issue the caller
 * cannot browse "does not exist": 404), property writes and edits need Edit issues too (403), transitions need
 * Transition issues; the app principal holds everything.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { bulkTransitionRoutes } from './bulk';
import {
  badRequest,
  conversionFailure,
  errorCollection,
  invalidPayload,
  issueNotFound,
  JiraHttpError,
  JIRA_JSON,
  methodNotAllowed,
  noEndpoint,
  unauthenticated,
  unparseableBody,
  unsupportedMediaType,
} from './errors';
import type { FaultInjector } from './faults';
import { JqlError, type JqlEngine } from './jql';
import { parseFieldSelection, type JiraRenderer } from './render';
import type { IndexedView } from './search-index';
import {
  principalId,
  PROPERTY_KEY_MAX_LENGTH,
  PROPERTY_VALUE_MAX_LENGTH,
  StoreError,
  type GlobalPermissionKey,
  type IssuePatch,
  type IssueRecord,
  type JiraStore,
  type JsonValue,
  type ProjectPermissionKey,
  type UserRecord,
} from './store';
import { parseDateTime } from './time';
import type { Principal, ValidatorCall, ValidatorResult } from './types';

/** Header carrying the in-process principal (`app` or `user:<accountId>`). */
export const PRINCIPAL_HEADER = 'x-sandbox-jira-principal';
/** Header carrying the per-process secret that makes `PRINCIPAL_HEADER` count. */
export const INTERNAL_SECRET_HEADER = 'x-sandbox-jira-internal';

/** Jira's cap on `properties` in a search (OpenAPI: "A list of up to 5 issue properties"). */
export const MAX_SEARCH_PROPERTIES = 5;
/**
 * Page caps of /search/jql. The OpenAPI description says the largest pages (max 5000) come when only `id` or `key`
 * is requested and that Jira "may return fewer items per page where a large number of fields are requested"
 * (docs/platform.md §3). Jira does not publish the smaller cap; 100 is what Jira Cloud has long served for full
 * issues, so the emulator caps there whenever fields other than id/key, or any properties, are requested — an app
 * that assumes 5000 issues per page with fields sees the short page here as it would there.
 */
export const MAX_RESULTS_ID_ONLY = 5000;
/** The /search/jql page cap when fields other than id/key, or properties, are requested (see above). */
export const MAX_RESULTS_WITH_FIELDS = 100;
const DEFAULT_MAX_RESULTS = 50;
const MAX_RECONCILE_ISSUES = 50;
/** changelog/bulkfetch limits, as its OpenAPI request schema states them. */
const MAX_CHANGELOG_ISSUES = 1000;
const MAX_CHANGELOG_FIELDS = 10;
const DEFAULT_CHANGELOG_PAGE = 1000;
const MAX_CHANGELOG_PAGE = 10_000;
/** Page cap of users/search: Jira does not document one; 1000 is the emulator's choice (sandbox/jira/README.md). */
const MAX_USERS_PAGE = 1000;

/** A workflow validator as the Forge runtime registers it. */
export type WorkflowValidator = (call: ValidatorCall) => Promise<ValidatorResult>;

/** One served request, for request-count tests (`JiraEmulator.requestLog`). */
export interface RequestLogEntry {
  readonly method: string;
  /** The route template in OpenAPI form, e.g. `/rest/api/3/issue/{issueIdOrKey}`; the bare path for unknown ones. */
  readonly path: string;
  readonly status: number;
  /** `app`, `user:<accountId>` or `anonymous`. */
  readonly principal: string;
}

/** What the routes need from the emulator. */
export interface JiraRouteDeps {
  readonly store: JiraStore;
  readonly engine: JqlEngine;
  readonly renderer: JiraRenderer;
  readonly faults: FaultInjector;
  readonly internalSecret: string;
  readonly validator: () => WorkflowValidator | null;
  readonly log: (entry: RequestLogEntry) => void;
  /** What searches see: the index, behind by each change's delay, except for the ids a search reconciles. */
  readonly searchView: (reconcile: ReadonlySet<string>) => IndexedView;
}

type Query = Readonly<Record<string, string | string[] | undefined>>;

interface Call {
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Query;
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  /** The path without the query string. */
  readonly path: string;
}

interface Result {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

interface Route {
  readonly method: HTTPMethods;
  readonly url: string;
  readonly anonymous?: boolean;
  readonly handler: (call: Call) => Result | Promise<Result>;
}

/** Permission metadata as GET mypermissions reports it (ids and names of Jira's built-in permissions). */
const PERMISSIONS: Readonly<
  Record<ProjectPermissionKey | GlobalPermissionKey, { id: string; name: string; type: string; description: string }>
> = {
  BROWSE_PROJECTS: {
    id: '10',
    name: 'Browse Projects',
    type: 'PROJECT',
    description: 'Ability to browse projects and the issues within them.',
  },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.' },
  TRANSITION_ISSUES: {
    id: '46',
    name: 'Transition Issues',
    type: 'PROJECT',
    description: 'Ability to transition issues.',
  },
  ADMINISTER: {
    id: '0',
    name: 'Administer Jira',
    type: 'GLOBAL',
    description: 'Create and administer projects, issue types, fields, workflows, and schemes for all projects.',
  },
};

const CANNOT_EDIT = 'You do not have permission to edit this issue';
const ANONYMOUS: Principal = { kind: 'user', accountId: '' };

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A comma-separated list parameter that may also repeat. */
function commaList(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function toTemplate(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, '{$1}');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return { ok: false };
  }
}

/** The JSON body of a call that must carry one: 415 without a JSON media type, 400 when unreadable. */
function jsonBody(call: Call): JsonValue {
  const mediaType = call.contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw unsupportedMediaType(call.path, call.contentType);
  if (call.body === undefined || call.body.trim() === '') {
    // Jira's message for an empty body (Jackson's, measured by brekkylab/backlot).
    throw new JiraHttpError(400, { errorMessages: ['No content to map to Object due to end of input'] });
  }
  const parsed = parseJson(call.body);
  if (!parsed.ok) throw unparseableBody();
  return parsed.value;
}

function objectBody(call: Call): Record<string, unknown> {
  const body = jsonBody(call);
  if (!isObject(body)) throw invalidPayload();
  return body;
}

/** Offsets in /search/jql tokens are tied to the JQL they page, so a token is refused with any other query. */
function jqlHash(jql: string): string {
  return createHash('sha256').update(jql.trim()).digest('base64url').slice(0, 16);
}

function encodePageToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jqlHash(jql) })).toString('base64url');
}

function decodePageToken(token: string, jql: string): number {
  // The wording is the emulator's: Jira answers a bad token with a 400 in the account's language (measured by
  // brekkylab/backlot, `bad_page_token`), so only the status and envelope are Jira's.
  const refuse = (): JiraHttpError => badRequest('The provided nextPageToken is invalid or has expired.');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!isObject(decoded) || typeof decoded.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0) {
    throw refuse();
  }
  if (decoded.q !== jqlHash(jql)) {
    throw badRequest('The provided nextPageToken belongs to a different query. Repeat the JQL the token came from.');
  }
  return decoded.o;
}

function avatarSvg(label: string, seed: string): string {
  const hue = createHash('sha1').update(seed).digest()[0] ?? 0;
  const initials = label
    .split(/[\s_-]+/)
    .filter((part) => part !== '')
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('')
    .replace(/[<>&"']/g, '');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">` +
    `<rect width="48" height="48" rx="24" fill="hsl(${Math.round((hue / 255) * 360)},55%,45%)"/>` +
    `<text x="24" y="30" font-family="sans-serif" font-size="18" fill="#fff" text-anchor="middle">${initials}</text></svg>`
  );
}

/** Builds the Fastify plugin serving the emulator's routes. */
export function jiraRoutes(deps: JiraRouteDeps): FastifyPluginAsync {
  const { store, engine, renderer } = deps;
  const principals = new WeakMap<FastifyRequest, Principal>();

  // ------------------------------------------------------------ shared checks

  function visibleIssue(principal: Principal, idOrKey: string): IssueRecord {
    const issue = store.getIssue(idOrKey);
    if (!issue || !store.hasProjectPermission(principal, issue.projectKey, 'BROWSE_PROJECTS')) throw issueNotFound();
    return issue;
  }

  function editableIssue(principal: Principal, idOrKey: string): IssueRecord {
    const issue = visibleIssue(principal, idOrKey);
    if (!store.hasProjectPermission(principal, issue.projectKey, 'EDIT_ISSUES')) {
      throw errorCollection(403, [CANNOT_EDIT]);
    }
    return issue;
  }

  /**
   * Listing users and group members needs Browse users and groups (or Administer Jira); the emulator grants only
   * Administer Jira, so it stands for both.
   */
  function requireBrowseUsers(principal: Principal): void {
    if (!store.hasGlobalPermission(principal, 'ADMINISTER')) {
      throw errorCollection(403, ['You do not have the permission to browse users and groups.']);
    }
  }

  /** `startAt` and `maxResults` of an offset-paged list; a value that is no integer is Jira's conversion failure. */
  function offsetPage(
    call: Call,
    limits: { readonly defaultSize: number; readonly maxSize: number },
  ): { startAt: number; maxResults: number } {
    const integer = (name: 'startAt' | 'maxResults', fallback: number): number => {
      const raw = first(call.query[name]);
      if (raw === undefined) return fallback;
      if (!/^\s*\d+\s*$/.test(raw)) throw conversionFailure(call.path, name, raw);
      return Number(raw);
    };
    // Jira shortens a page it will not serve in full rather than refusing it.
    return {
      startAt: integer('startAt', 0),
      maxResults: Math.min(Math.max(integer('maxResults', limits.defaultSize), 1), limits.maxSize),
    };
  }

  /**
   * POST changelog/bulkfetch: the changelogs of the issues named that the caller may browse (others are left out, as
   * a search leaves them out), filtered to `fieldIds`, oldest first across issues (then by issue id), in pages of
   * `maxResults` histories. Items whose field was not asked for are dropped, and a history left with none.
   */
  function changelogPage(call: Call): Result {
    const body = objectBody(call);
    const { issueIdsOrKeys, fieldIds, maxResults, nextPageToken } = body;
    const valid =
      isStringArray(issueIdsOrKeys) &&
      (fieldIds === undefined || isStringArray(fieldIds)) &&
      (maxResults === undefined || typeof maxResults === 'number') &&
      (nextPageToken === undefined || nextPageToken === null || typeof nextPageToken === 'string');
    if (!valid) throw invalidPayload();
    if (issueIdsOrKeys.length === 0 || issueIdsOrKeys.length > MAX_CHANGELOG_ISSUES) {
      throw badRequest(`Provide between 1 and ${MAX_CHANGELOG_ISSUES} issue IDs or keys.`);
    }
    const fields = new Set(fieldIds ?? []);
    if (fields.size > MAX_CHANGELOG_FIELDS) throw badRequest(`Provide at most ${MAX_CHANGELOG_FIELDS} field IDs.`);
    const size = maxResults ?? DEFAULT_CHANGELOG_PAGE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_CHANGELOG_PAGE) {
      throw badRequest(`The maxResults parameter must be between 1 and ${MAX_CHANGELOG_PAGE}.`);
    }
    let offset = 0;
    if (typeof nextPageToken === 'string') {
      const decoded = Number(Buffer.from(nextPageToken, 'base64url').toString('utf8'));
      if (!Number.isInteger(decoded) || decoded < 0) {
        throw badRequest('The provided nextPageToken is invalid or has expired.');
      }
      offset = decoded;
    }
    const histories = issueIdsOrKeys
      .flatMap((ref) => {
        const issue = store.getIssue(ref);
        if (!issue || !store.hasProjectPermission(call.principal, issue.projectKey, 'BROWSE_PROJECTS')) return [];
        return store.changelog(issue.id).map((entry) => ({
          entry,
          items: entry.items.filter((item) => fields.size === 0 || fields.has(item.fieldId ?? item.field)),
        }));
      })
      .filter((history) => history.items.length > 0)
      .sort(
        (a, b) =>
          (parseDateTime(a.entry.created) ?? 0) - (parseDateTime(b.entry.created) ?? 0) ||
          Number(a.entry.issueId) - Number(b.entry.issueId) ||
          Number(a.entry.id) - Number(b.entry.id),
      );
    const page = histories.slice(offset, offset + size);
    const logs: Array<{ issueId: string; changeHistories: unknown[] }> = [];
    for (const { entry, items } of page) {
      const last = logs.at(-1);
      const rendered = {
        id: entry.id,
        ...(store.userOf(entry.author) ? { author: renderer.user(store.userOf(entry.author) as UserRecord) } : {}),
        created: entry.created,
        // The OpenAPI document types every side as a string, so an empty side is left out rather than sent as null.
        items: items.map((item) =>
          Object.fromEntries(Object.entries(item).filter(([, value]) => value !== null && value !== undefined)),
        ),
      };
      if (last && last.issueId === entry.issueId) last.changeHistories.push(rendered);
      else logs.push({ issueId: entry.issueId, changeHistories: [rendered] });
    }
    const more = offset + size < histories.length;
    return {
      status: 200,
      body: {
        issueChangeLogs: logs,
        ...(more ? { nextPageToken: Buffer.from(String(offset + size)).toString('base64url') } : {}),
      },
    };
  }

  function storeRefusal(error: unknown): never {
    if (error instanceof StoreError) {
      if (error.code === 'not-found') throw issueNotFound();
      throw errorCollection(400, [], { [error.field ?? 'value']: error.message });
    }
    throw error;
  }

  // ------------------------------------------------------------ search

  interface SearchRequest {
    readonly jql: string;
    readonly nextPageToken: string | undefined;
    readonly maxResults: number | undefined;
    readonly fields: readonly string[];
    readonly properties: readonly string[];
    readonly reconcileIssues: readonly number[];
  }

  function search(principal: Principal, request: SearchRequest): Result {
    if (request.properties.length > MAX_SEARCH_PROPERTIES) {
      throw badRequest(
        `At most ${MAX_SEARCH_PROPERTIES} issue properties can be requested; ${request.properties.length} were.`,
      );
    }
    if (request.reconcileIssues.length > MAX_RECONCILE_ISSUES) {
      throw badRequest(`reconcileIssues accepts at most ${MAX_RECONCILE_ISSUES} issue ids.`);
    }
    const requested = request.maxResults ?? DEFAULT_MAX_RESULTS;
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_RESULTS_ID_ONLY) {
      // Measured by brekkylab/backlot against Jira Cloud: 0, -1 and 5001 are refused, 1 and 5000 served.
      throw badRequest('The maxResults parameter must be between 1 and 5,000.');
    }
    const selection = parseFieldSelection(request.fields, ['id']);
    const idOrKeyOnly =
      !selection.all &&
      [...selection.include].every((field) => field === 'id' || field === 'key') &&
      request.properties.length === 0;
    const pageSize = Math.min(requested, idOrKeyOnly ? MAX_RESULTS_ID_ONLY : MAX_RESULTS_WITH_FIELDS);
    const offset = request.nextPageToken ? decodePageToken(request.nextPageToken, request.jql) : 0;
    const view = deps.searchView(new Set(request.reconcileIssues.map(String)));
    const issues = engine.search(request.jql, principal, { requireBounded: true, view });
    const page = issues.slice(offset, offset + pageSize);
    const more = offset + pageSize < issues.length;
    return {
      status: 200,
      body: {
        issues: page.map((issue) => renderer.issueBean(issue, selection, request.properties, { minimal: true, view })),
        ...(more ? { nextPageToken: encodePageToken(offset + pageSize, request.jql) } : {}),
        isLast: !more,
      },
    };
  }

  function searchFromQuery(call: Call): Result {
    const rawMax = first(call.query.maxResults);
    let maxResults: number | undefined;
    if (rawMax !== undefined) {
      if (!/^\s*[+-]?\d+\s*$/.test(rawMax)) throw conversionFailure(call.path, 'maxResults', rawMax);
      maxResults = Number(rawMax);
    }
    const reconcile = commaList(all(call.query.reconcileIssues));
    if (reconcile.some((id) => !/^\d+$/.test(id))) {
      throw conversionFailure(call.path, 'reconcileIssues', reconcile.join(','));
    }
    return search(call.principal, {
      jql: first(call.query.jql) ?? '',
      nextPageToken: first(call.query.nextPageToken),
      maxResults,
      fields: all(call.query.fields),
      properties: commaList(all(call.query.properties)),
      reconcileIssues: reconcile.map(Number),
    });
  }

  function searchFromBody(call: Call): Result {
    const body = objectBody(call);
    const { jql, nextPageToken, maxResults, fields, properties, reconcileIssues, expand, fieldsByKeys } = body;
    const valid =
      (jql === undefined || jql === null || typeof jql === 'string') &&
      (nextPageToken === undefined || nextPageToken === null || typeof nextPageToken === 'string') &&
      (maxResults === undefined || typeof maxResults === 'number') &&
      (fields === undefined || isStringArray(fields)) &&
      (properties === undefined || isStringArray(properties)) &&
      (expand === undefined || typeof expand === 'string') &&
      (fieldsByKeys === undefined || typeof fieldsByKeys === 'boolean') &&
      (reconcileIssues === undefined ||
        (Array.isArray(reconcileIssues) && reconcileIssues.every((id) => Number.isInteger(id))));
    if (!valid) throw invalidPayload();
    return search(call.principal, {
      jql: typeof jql === 'string' ? jql : '',
      nextPageToken: typeof nextPageToken === 'string' ? nextPageToken : undefined,
      maxResults: typeof maxResults === 'number' ? maxResults : undefined,
      fields: isStringArray(fields) ? fields : [],
      properties: isStringArray(properties) ? commaList(properties) : [],
      reconcileIssues: Array.isArray(reconcileIssues) ? (reconcileIssues as number[]) : [],
    });
  }

  // ------------------------------------------------------------ issue fields (edit / create)

  function accountIdOf(value: unknown, field: string, errors: Record<string, string>): string | null | undefined {
    if (value === null) return null;
    if (isObject(value) && typeof value.accountId === 'string') return value.accountId;
    if (isObject(value) && typeof value.id === 'string') return value.id;
    errors[field] = `Specify a valid value for ${field}`;
    return undefined;
  }

  function nameOrId(value: unknown, field: string, errors: Record<string, string>): string | undefined {
    if (isObject(value) && typeof value.id === 'string') return value.id;
    if (isObject(value) && typeof value.name === 'string') return value.name;
    errors[field] = `Specify a valid value for ${field}`;
    return undefined;
  }

  /** Maps an IssueUpdateDetails `fields`/`update` pair onto the store's patch; unknown fields are Jira's 400. */
  function patchFrom(body: Record<string, unknown>, skip: ReadonlySet<string>): IssuePatch {
    const fields = isObject(body.fields) ? body.fields : {};
    const errors: Record<string, string> = {};
    const patch: { -readonly [K in keyof IssuePatch]: IssuePatch[K] } = {};
    const customFields: Record<string, JsonValue> = {};
    for (const [field, value] of Object.entries(fields)) {
      if (skip.has(field)) continue;
      switch (field) {
        case 'summary':
          if (typeof value === 'string') patch.summary = value;
          else errors.summary = 'Specify a valid value for summary';
          break;
        case 'description':
          patch.description = value as JsonValue;
          break;
        case 'labels':
          if (isStringArray(value)) patch.labels = value;
          else errors.labels = 'Specify a valid value for labels';
          break;
        case 'duedate':
          if (value === null || typeof value === 'string') patch.duedate = value;
          else errors.duedate = 'Specify a valid value for duedate';
          break;
        case 'assignee':
        case 'reporter': {
          const accountId = accountIdOf(value, field, errors);
          if (accountId !== undefined) patch[field] = accountId;
          break;
        }
        case 'priority':
          patch.priority = value === null ? null : nameOrId(value, field, errors);
          break;
        case 'issuetype':
          patch.issueType = nameOrId(value, field, errors);
          break;
        default:
          if (/^customfield_\d+$/.test(field)) customFields[field] = value as JsonValue;
          // Jira's wording for a field the screen does not have.
          else errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
      }
    }
    if (isObject(body.update)) {
      for (const [field, operations] of Object.entries(body.update)) {
        if (field !== 'labels' || !Array.isArray(operations)) {
          errors[field] = `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`;
          continue;
        }
        let labels = [...(patch.labels ?? [])];
        for (const operation of operations as unknown[]) {
          if (isObject(operation) && isStringArray(operation.set)) labels = [...operation.set];
          else if (isObject(operation) && typeof operation.add === 'string') labels.push(operation.add);
          else if (isObject(operation) && typeof operation.remove === 'string') {
            labels = labels.filter((label) => label !== operation.remove);
          } else errors.labels = 'Specify a valid value for labels';
        }
        patch.labels = labels;
      }
    }
    if (Object.keys(errors).length) throw errorCollection(400, [], errors);
    if (Object.keys(customFields).length) patch.customFields = customFields;
    return patch;
  }

  // ------------------------------------------------------------ routes

  const routes: Route[] = [
    { method: 'GET', url: '/rest/api/3/search/jql', handler: searchFromQuery },
    { method: 'POST', url: '/rest/api/3/search/jql', handler: searchFromBody },
    {
      method: 'POST',
      url: '/rest/api/3/search/approximate-count',
      handler: (call) => {
        const body = objectBody(call);
        if (body.jql !== undefined && body.jql !== null && typeof body.jql !== 'string') throw invalidPayload();
        const jql = typeof body.jql === 'string' ? body.jql : '';
        return {
          status: 200,
          body: {
            count: engine.search(jql, call.principal, { requireBounded: true, view: deps.searchView(new Set()) })
              .length,
          },
        };
      },
    },
    {
      method: 'POST',
      url: '/rest/api/3/issue',
      handler: (call) => {
        const body = objectBody(call);
        const fields = isObject(body.fields) ? body.fields : {};
        const projectRef = isObject(fields.project) ? (fields.project.key ?? fields.project.id) : undefined;
        const project = typeof projectRef === 'string' ? store.getProject(projectRef) : undefined;
        if (!project || !store.hasProjectPermission(call.principal, project.key, 'BROWSE_PROJECTS')) {
          throw errorCollection(400, [], { project: 'valid project is required' });
        }
        if (!store.hasProjectPermission(call.principal, project.key, 'CREATE_ISSUES')) {
          throw errorCollection(403, ['You do not have permission to create issues in this project.']);
        }
        const typeRef = isObject(fields.issuetype) ? (fields.issuetype.id ?? fields.issuetype.name) : undefined;
        if (typeof typeRef !== 'string' || !store.getIssueType(typeRef)) {
          throw errorCollection(400, [], { issuetype: 'Specify a valid issue type' });
        }
        if (typeof fields.summary !== 'string' || fields.summary.trim() === '') {
          throw errorCollection(400, [], { summary: 'You must specify a summary of the issue.' });
        }
        const patch = patchFrom(body, new Set(['project', 'issuetype', 'summary']));
        const properties: Record<string, JsonValue> = {};
        if (Array.isArray(body.properties)) {
          for (const entry of body.properties as unknown[]) {
            if (!isObject(entry) || typeof entry.key !== 'string' || entry.value === undefined) throw invalidPayload();
            properties[entry.key] = entry.value as JsonValue;
          }
        }
        try {
          const created = store.createIssue(
            {
              project: project.key,
              issueType: typeRef,
              summary: fields.summary,
              ...(patch.description !== undefined ? { description: patch.description } : {}),
              ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
              ...(patch.assignee !== undefined ? { assignee: patch.assignee } : {}),
              ...(patch.reporter !== undefined ? { reporter: patch.reporter } : {}),
              ...(patch.labels !== undefined ? { labels: patch.labels } : {}),
              ...(patch.duedate !== undefined ? { duedate: patch.duedate } : {}),
              ...(patch.customFields !== undefined ? { customFields: patch.customFields } : {}),
              properties,
            },
            call.principal,
          );
          return { status: 201, body: { ...created, self: renderer.url(`/rest/api/3/issue/${created.id}`) } };
        } catch (error) {
          return storeRefusal(error);
        }
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/issue/:issueIdOrKey',
      handler: (call) => {
        const issue = visibleIssue(call.principal, call.params.issueIdOrKey ?? '');
        const selection = parseFieldSelection(all(call.query.fields), ['*all']);
        const requested = commaList(all(call.query.properties));
        const properties = requested.includes('*all') ? store.propertyKeys(issue.id) : requested;
        return { status: 200, body: renderer.issueBean(issue, selection, properties, { minimal: false }) };
      },
    },
    {
      method: 'PUT',
      url: '/rest/api/3/issue/:issueIdOrKey',
      handler: (call) => {
        const issue = editableIssue(call.principal, call.params.issueIdOrKey ?? '');
        const patch = patchFrom(objectBody(call), new Set());
        try {
          store.updateIssue(issue.id, patch, call.principal);
        } catch (error) {
          storeRefusal(error);
        }
        if (first(call.query.returnIssue) === 'true') {
          const updated = store.getIssue(issue.id) as IssueRecord;
          const selection = parseFieldSelection([], ['*all']);
          return { status: 200, body: renderer.issueBean(updated, selection, [], { minimal: false }) };
        }
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      url: '/rest/api/3/issue/:issueIdOrKey',
      handler: (call) => {
        const issue = visibleIssue(call.principal, call.params.issueIdOrKey ?? '');
        if (!store.hasProjectPermission(call.principal, issue.projectKey, 'DELETE_ISSUES')) {
          throw errorCollection(403, ['You do not have permission to delete issues in this project.']);
        }
        store.deleteIssue(issue.id, call.principal);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/issue/:issueIdOrKey/properties',
      handler: (call) => {
        const issue = visibleIssue(call.principal, call.params.issueIdOrKey ?? '');
        return {
          status: 200,
          body: {
            keys: store.propertyKeys(issue.id).map((key) => ({
              key,
              self: renderer.url(`/rest/api/3/issue/${issue.key}/properties/${encodeURIComponent(key)}`),
            })),
          },
        };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey',
      handler: (call) => {
        const issue = visibleIssue(call.principal, call.params.issueIdOrKey ?? '');
        const key = call.params.propertyKey ?? '';
        const value = store.getProperty(issue.id, key);
        if (value === undefined) throw errorCollection(404, [`The property with key '${key}' does not exist.`]);
        return { status: 200, body: { key, value } };
      },
    },
    {
      method: 'PUT',
      url: '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey',
      handler: (call) => {
        const issue = editableIssue(call.principal, call.params.issueIdOrKey ?? '');
        const key = call.params.propertyKey ?? '';
        if (key.length > PROPERTY_KEY_MAX_LENGTH) {
          throw badRequest(`The property key cannot be longer than ${PROPERTY_KEY_MAX_LENGTH} characters.`);
        }
        const mediaType = call.contentType?.split(';')[0]?.trim().toLowerCase();
        if (mediaType !== 'application/json') throw unsupportedMediaType(call.path, call.contentType);
        // The limit is on the value as sent: "valid, non-empty JSON … The maximum length is 32768 characters"
        // (OpenAPI setIssueProperty). JS string length counts UTF-16 units, as Java's String.length() does.
        const text = call.body ?? '';
        const parsed = text.trim() === '' ? ({ ok: false } as const) : parseJson(text);
        if (!parsed.ok) throw badRequest('The property value has to be a valid, non-empty JSON.');
        if (text.length > PROPERTY_VALUE_MAX_LENGTH) {
          throw badRequest(`The property value cannot be longer than ${PROPERTY_VALUE_MAX_LENGTH} characters.`);
        }
        try {
          const { created } = store.setProperty(issue.id, key, parsed.value, call.principal);
          return { status: created ? 201 : 200 };
        } catch (error) {
          return storeRefusal(error);
        }
      },
    },
    {
      method: 'DELETE',
      url: '/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey',
      handler: (call) => {
        const issue = editableIssue(call.principal, call.params.issueIdOrKey ?? '');
        const key = call.params.propertyKey ?? '';
        if (!store.deleteProperty(issue.id, key, call.principal)) {
          throw errorCollection(404, [`The property with key '${key}' does not exist.`]);
        }
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/issue/:issueIdOrKey/transitions',
      handler: (call) => {
        const issue = visibleIssue(call.principal, call.params.issueIdOrKey ?? '');
        const only = first(call.query.transitionId);
        // Without Transition issues a user is offered no transitions, as Jira's issue view offers none.
        const transitions = store.hasProjectPermission(call.principal, issue.projectKey, 'TRANSITION_ISSUES')
          ? store.availableTransitions(issue).filter((transition) => only === undefined || transition.id === only)
          : [];
        return {
          status: 200,
          body: { expand: 'transitions', transitions: transitions.map((t) => renderer.transition(t)) },
        };
      },
    },
    {
      method: 'POST',
      url: '/rest/api/3/issue/:issueIdOrKey/transitions',
      handler: async (call) => {
        const issue = visibleIssue(call.principal, call.params.issueIdOrKey ?? '');
        const body = objectBody(call);
        const transitionId = isObject(body.transition) ? body.transition.id : undefined;
        if (typeof transitionId !== 'string' || transitionId === '') {
          throw badRequest("Missing 'transition' identifier");
        }
        if (isObject(body.fields) && Object.keys(body.fields).length > 0) {
          // The emulated transitions have no screens, so Jira would refuse any field set during one.
          const errors = Object.fromEntries(
            Object.keys(body.fields).map((field) => [
              field,
              `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`,
            ]),
          );
          throw errorCollection(400, [], errors);
        }
        const available = store.hasProjectPermission(call.principal, issue.projectKey, 'TRANSITION_ISSUES')
          ? store.availableTransitions(issue)
          : [];
        const transition = available.find((candidate) => candidate.id === transitionId);
        if (!transition) throw badRequest(`Transition id '${transitionId}' is not valid for this issue.`);
        const validator = deps.validator();
        if (validator) {
          const user = store.userOf(call.principal);
          let result: ValidatorResult;
          try {
            result = await validator({
              issue: { key: issue.key },
              configuration: {},
              transition: {
                from: { id: issue.fields.status },
                to: { id: transition.toStatusId },
                name: transition.name,
              },
              accountId: user?.accountId ?? store.appAccountId,
            });
          } catch (error) {
            // A validator that fails blocks the transition rather than letting it through unchecked.
            const reason = error instanceof Error ? error.message : String(error);
            throw badRequest(`The workflow validator failed: ${reason}`);
          }
          if (!result.result) {
            throw badRequest(result.errorMessage ?? 'The transition was refused by a workflow validator.');
          }
        }
        try {
          store.transitionIssue(issue.id, transitionId, call.principal);
        } catch (error) {
          if (error instanceof StoreError) throw badRequest(error.message);
          throw error;
        }
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/status/:idOrName',
      handler: (call) => {
        const idOrName = call.params.idOrName ?? '';
        const status = store.getStatus(idOrName);
        if (!status) throw errorCollection(404, [`The status with ID or name '${idOrName}' does not exist.`]);
        return { status: 200, body: renderer.status(status) };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/myself',
      handler: (call) => {
        const user = store.userOf(call.principal);
        if (!user) throw unauthenticated();
        const expand = commaList(all(call.query.expand));
        const groups = store.groupsOf(user.accountId);
        return {
          status: 200,
          body: {
            ...renderer.user(user, { withLocale: true }),
            groups: {
              size: groups.length,
              items: expand.includes('groups') ? groups.map((group) => renderer.group(group)) : [],
            },
            applicationRoles: { size: 1, items: [] },
            expand: 'groups,applicationRoles',
          },
        };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/user',
      handler: (call) => {
        const accountId = first(call.query.accountId);
        const user = accountId === undefined ? undefined : store.getUser(accountId);
        if (!user) {
          throw errorCollection(404, ['Specified user does not exist or you do not have required permissions']);
        }
        return { status: 200, body: renderer.user(user, { withLocale: true }) };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/user/groups',
      handler: (call) => {
        const accountId = first(call.query.accountId);
        if (accountId === undefined || accountId === '') {
          throw badRequest("The query parameter 'accountId' is required.");
        }
        if (!store.getUser(accountId)) {
          throw errorCollection(404, ['Specified user does not exist or you do not have required permissions']);
        }
        return { status: 200, body: store.groupsOf(accountId).map((group) => renderer.group(group)) };
      },
    },
    {
      // OpenAPI getBulkPermissions: for each project permission, which of the named projects and issues the user holds
      // it in; invalid ids are ignored, at most 1,000 projects and 1,000 issues. Without accountId, the caller.
      method: 'POST',
      url: '/rest/api/3/permissions/check',
      handler: (call) => {
        const body = objectBody(call);
        const ids = (value: unknown): number[] =>
          Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : [];
        const wanted = Array.isArray(body.projectPermissions) ? body.projectPermissions.filter(isObject) : [];
        if (wanted.some((p) => ids(p.projects).length > 1000 || ids(p.issues).length > 1000)) {
          throw badRequest('A maximum of 1000 projects and 1000 issues can be checked.');
        }
        let principal = call.principal;
        if (typeof body.accountId === 'string' && body.accountId !== '') {
          const self = principal.kind === 'user' && principal.accountId === body.accountId;
          // Checking someone else needs Administer Jira (the OpenAPI's Connect exception is for app servers).
          if (!self && principal.kind === 'user' && !store.hasGlobalPermission(principal, 'ADMINISTER')) {
            throw errorCollection(403, ['You do not have permission to check the permissions of other users.']);
          }
          principal = { kind: 'user', accountId: body.accountId };
        }
        const projectPermissions = wanted.flatMap((p) => {
          const keys = Array.isArray(p.permissions)
            ? p.permissions.filter((k): k is string => typeof k === 'string')
            : [];
          return keys
            .filter((key) => key !== '')
            .map((key) => {
              if (!(key in PERMISSIONS) || key === 'ADMINISTER') throw badRequest(`Unrecognized permission: ${key}`);
              const permission = key as ProjectPermissionKey;
              const projects = ids(p.projects).filter((id) => {
                const project = store.getProject(String(id));
                return project !== undefined && store.hasProjectPermission(principal, project.key, permission);
              });
              const issues = ids(p.issues).filter((id) => {
                const issue = store.getIssue(String(id));
                return issue !== undefined && store.hasProjectPermission(principal, issue.projectKey, permission);
              });
              return { permission, projects, issues };
            });
        });
        const globalPermissions = (Array.isArray(body.globalPermissions) ? body.globalPermissions : []).filter(
          (key): key is GlobalPermissionKey =>
            key === 'ADMINISTER' && store.hasGlobalPermission(principal, key as GlobalPermissionKey),
        );
        return { status: 200, body: { globalPermissions, projectPermissions } };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/mypermissions',
      handler: (call) => {
        const keys = commaList(all(call.query.permissions));
        if (keys.length === 0) {
          // OpenAPI getMyPermissions: 400 "if `permissions` is empty"; the wording is the emulator's.
          throw badRequest("The 'permissions' query parameter is required, e.g. permissions=BROWSE_PROJECTS.");
        }
        const unknown = keys.filter((key) => !(key in PERMISSIONS));
        if (unknown.length) {
          throw badRequest(
            `Unknown permission key(s): ${unknown.join(', ')}. The emulator knows ${Object.keys(PERMISSIONS).join(', ')}.`,
          );
        }
        const issueRef = first(call.query.issueKey) ?? first(call.query.issueId);
        const projectRef = first(call.query.projectKey) ?? first(call.query.projectId);
        let projects: string[];
        if (issueRef !== undefined) {
          projects = [visibleIssue(call.principal, issueRef).projectKey];
        } else if (projectRef !== undefined) {
          const project = store.getProject(projectRef);
          if (!project || !store.hasProjectPermission(call.principal, project.key, 'BROWSE_PROJECTS')) {
            throw errorCollection(404, [`No project could be found with key '${projectRef}'.`]);
          }
          projects = [project.key];
        } else {
          // Global context: a project permission counts if held in any project (OpenAPI getMyPermissions).
          projects = store.listProjects().map((project) => project.key);
        }
        const permissions: Record<string, unknown> = {};
        for (const key of keys as Array<keyof typeof PERMISSIONS>) {
          const meta = PERMISSIONS[key];
          const havePermission =
            key === 'ADMINISTER'
              ? store.hasGlobalPermission(call.principal, key)
              : projects.some((project) => store.hasProjectPermission(call.principal, project, key));
          permissions[key] = { ...meta, key, havePermission };
        }
        return { status: 200, body: { permissions } };
      },
    },
    {
      method: 'POST',
      url: '/rest/api/3/changelog/bulkfetch',
      handler: (call) => changelogPage(call),
    },
    {
      method: 'GET',
      url: '/rest/api/3/group/member',
      handler: (call) => {
        requireBrowseUsers(call.principal);
        const name = first(call.query.groupname);
        const groupId = first(call.query.groupId);
        if (!name && !groupId) throw badRequest('You must specify a group name or a group ID.');
        const group = name
          ? store.getGroup(name)
          : store
              .listUsers()
              .flatMap((user) => store.groupsOf(user.accountId))
              .find((candidate) => candidate.groupId === groupId);
        // The wording is the emulator's; the OpenAPI document gives only the status.
        if (!group) throw errorCollection(404, [`The group '${name ?? groupId ?? ''}' does not exist.`]);
        const includeInactive = first(call.query.includeInactiveUsers) === 'true';
        const members = (store.membersOf(group.name) ?? [])
          .map((accountId) => store.getUser(accountId))
          .filter((user): user is UserRecord => user !== undefined && (includeInactive || user.active));
        const { startAt, maxResults } = offsetPage(call, { defaultSize: 50, maxSize: 50 });
        const values = members.slice(startAt, startAt + maxResults);
        const isLast = startAt + maxResults >= members.length;
        const self = renderer.url(`/rest/api/3/group/member?groupname=${encodeURIComponent(group.name)}`);
        return {
          status: 200,
          body: {
            self,
            maxResults,
            startAt,
            total: members.length,
            isLast,
            ...(isLast ? {} : { nextPage: `${self}&startAt=${startAt + maxResults}&maxResults=${maxResults}` }),
            values: values.map((user) => renderer.user(user)),
          },
        };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/users/search',
      handler: (call) => {
        requireBrowseUsers(call.principal);
        // Jira lists every account, app and deactivated ones included; callers tell people apart by accountType.
        const { startAt, maxResults } = offsetPage(call, { defaultSize: 50, maxSize: MAX_USERS_PAGE });
        const users = store.listUsers().slice(startAt, startAt + maxResults);
        return { status: 200, body: users.map((user) => renderer.user(user)) };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/universal_avatar/view/type/:type/avatar/:id',
      // Browsers load avatars as <img> without credentials; Jira's avatars are public URLs too.
      anonymous: true,
      handler: (call) => {
        const id = call.params.id ?? '';
        const type = call.params.type ?? '';
        const label =
          type === 'user'
            ? (store.getUser(id)?.displayName ?? '?')
            : type === 'project'
              ? (store.getProject(id)?.key ?? '?')
              : (store.getIssueType(id)?.name ?? '?');
        return { status: 200, body: avatarSvg(label, `${type}:${id}`), contentType: 'image/svg+xml' };
      },
    },
  ];

  // Bulk transition: each issue goes through the single-issue transition route above, validator and all.
  const single = routes.find((r) => r.method === 'POST' && r.url === '/rest/api/3/issue/:issueIdOrKey/transitions');
  if (!single) throw new Error('The bulk transition needs the single-issue transition route.');
  routes.push(
    ...bulkTransitionRoutes({
      store,
      transition: async (principal, issueIdOrKey, transitionId) => {
        await single.handler({
          principal,
          params: { issueIdOrKey },
          query: {},
          body: JSON.stringify({ transition: { id: transitionId } }),
          contentType: 'application/json',
          path: `/rest/api/3/issue/${issueIdOrKey}/transitions`,
        });
      },
    }),
  );

  const allowed = new Map<string, HTTPMethods[]>();
  for (const route of routes) allowed.set(route.url, [...(allowed.get(route.url) ?? []), route.method]);
  const templates = [...allowed.entries()].map(([url, methods]) => ({
    url,
    pattern: new RegExp(`^${url.replace(/:([A-Za-z]+)/g, '(?<$1>[^/]+)')}$`),
    methods,
  }));
  /** Templates of requests the catch-all served for a known route (see the catch-all), for the request log. */
  const servedAs = new WeakMap<FastifyRequest, string>();

  function authenticate(request: FastifyRequest): Principal | undefined {
    const secret = request.headers[INTERNAL_SECRET_HEADER];
    const claimed = request.headers[PRINCIPAL_HEADER];
    if (typeof secret === 'string' && typeof claimed === 'string' && safeEqual(secret, deps.internalSecret)) {
      const principal: Principal =
        claimed === 'app' ? { kind: 'app' } : { kind: 'user', accountId: claimed.replace(/^user:/, '') };
      const user = store.userOf(principal);
      return user?.active ? principal : undefined;
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
    if (!match) return undefined;
    const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const user = store.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
    return user ? { kind: 'user', accountId: user.accountId } : undefined;
  }

  function send(reply: FastifyReply, result: Result): FastifyReply {
    reply.code(result.status);
    for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
    if (result.body === undefined) return reply.send();
    if (typeof result.body === 'string') return reply.type(result.contentType ?? JIRA_JSON).send(result.body);
    return reply.type(result.contentType ?? JIRA_JSON).send(JSON.stringify(result.body));
  }

  function httpError(error: unknown): JiraHttpError {
    if (error instanceof JiraHttpError) return error;
    if (error instanceof JqlError) return errorCollection(400, error.messages);
    if (error instanceof StoreError) {
      return error.code === 'not-found'
        ? errorCollection(404, [error.message])
        : errorCollection(400, [], { [error.field ?? 'value']: error.message });
    }
    const fastifyError = error as Partial<FastifyError>;
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
      return errorCollection(fastifyError.statusCode, [fastifyError.message ?? 'Bad request']);
    }
    console.error('Jira emulator: unexpected error', error);
    return errorCollection(500, ['Internal server error']);
  }

  return (fastify) => {
    // Bodies arrive as text: property values are measured and parsed as sent, and Jira's own parse errors replace
    // Fastify's. Content-type parsers are encapsulated, so the host's other routes keep theirs.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 * 1024 }, (_request, body, done) =>
      done(null, body),
    );

    fastify.setErrorHandler((error, _request, reply) => {
      const http = httpError(error);
      send(reply, { status: http.status, body: http.body, headers: http.headers, contentType: http.contentType });
    });

    fastify.addHook('onRequest', async (request, reply) => {
      const url = request.routeOptions.url ?? '';
      // Jira answers an unknown path with its 404 whether or not the caller is signed in (backlot `no_endpoint`).
      const anonymous = url === '/rest/*' || routes.some((route) => route.anonymous && route.url === url);
      const principal = authenticate(request);
      if (principal) principals.set(request, principal);
      else if (!anonymous) {
        const error = unauthenticated();
        return send(reply, { status: error.status, body: error.body });
      }
      const { latencyMs, fault } = deps.faults.decide(request.url.split('?')[0] ?? '');
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (fault) {
        return send(reply, {
          status: fault.status,
          body: fault.body,
          headers: fault.headers,
          contentType: fault.contentType,
        });
      }
      return undefined;
    });

    fastify.addHook('onResponse', async (request, reply) => {
      const url = request.routeOptions.url ?? '';
      const principal = principals.get(request);
      deps.log({
        method: request.method,
        path:
          servedAs.get(request) ??
          (url === '/rest/*' || url === '' ? (request.url.split('?')[0] ?? '') : toTemplate(url)),
        status: reply.statusCode,
        principal: principal ? principalId(principal) : 'anonymous',
      });
    });

    const serve = async (
      route: Route,
      request: FastifyRequest,
      reply: FastifyReply,
      params: Readonly<Record<string, string>>,
    ): Promise<FastifyReply> => {
      const call: Call = {
        // Only anonymous routes get here without a principal; they see a user with no permissions.
        principal: principals.get(request) ?? ANONYMOUS,
        params,
        query: request.query as Query,
        body: typeof request.body === 'string' ? request.body : undefined,
        contentType: request.headers['content-type'],
        path: request.url.split('?')[0] ?? '',
      };
      return send(reply, await route.handler(call));
    };

    for (const route of routes) {
      fastify.route({
        method: route.method,
        url: route.url,
        handler: (request, reply) => serve(route, request, reply, request.params as Record<string, string>),
      });
    }

    fastify.all('/rest/*', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      const known = templates.find((template) => template.pattern.test(path));
      if (!known) throw noEndpoint(request.method, path);
      const route = routes.find((candidate) => candidate.url === known.url && candidate.method === request.method);
      if (!route) throw methodNotAllowed(request.method, path, known.methods);
      // The router gives up on path parameters longer than its maxParamLength (100 by default, a server option the
      // host may not raise), e.g. a 256-character property key. Jira still answers those, so serve them here.
      if (!route.anonymous && !principals.has(request)) throw unauthenticated();
      servedAs.set(request, toTemplate(route.url));
      const params = Object.fromEntries(
        Object.entries(known.pattern.exec(path)?.groups ?? {}).map(([name, value]) => [name, decodeSegment(value)]),
      );
      return serve(route, request, reply, params);
    });
    return Promise.resolve();
  };
}
