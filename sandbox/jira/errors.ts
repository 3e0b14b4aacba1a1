/**
 * Jira's error responses, in the shapes real Jira sends (test/vendor/jira-fixtures/errors-real-captures.json and
 * errors-v3.openapi-examples.json):
 * - most refusals: an ErrorCollection `{ errorMessages: [...], errors: {...} }` as `application/json;charset=UTF-8`;
 * - 401: `{ message, "status-code": 401 }` (node-jira-client#255 capture);
 * - a path or method Jira serves nothing at, and a body media type it does not read: RFC 7807
 *   `application/problem+json` (`{ type, title, status, detail, instance }`), as measured against Jira Cloud by
 *   brekkylab/backlot (backlot/errors/atlassian.py `no_endpoint`, `method_not_allowed`, `unsupported_media_type`,
 *   2026-09).
 */

/** The media type Jira puts on its JSON bodies. */
export const JIRA_JSON = 'application/json;charset=UTF-8';
const PROBLEM_JSON = 'application/problem+json;charset=UTF-8';

/** Jira's 404 for an issue that does not exist or that the caller may not browse (go-jira capture). */
export const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
/** Jira's 401 message (node-jira-client#255 capture). */
export const UNAUTHENTICATED = 'Client must be authenticated to access this resource.';

/** A response the routes send instead of a success; thrown from handlers, rendered by the plugin's error handler. */
export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly contentType: string = JIRA_JSON,
  ) {
    super(`Jira ${status}`);
    this.name = 'JiraHttpError';
  }
}

/** An ErrorCollection refusal. */
export function errorCollection(
  status: number,
  messages: readonly string[],
  errors: Readonly<Record<string, string>> = {},
): JiraHttpError {
  return new JiraHttpError(status, { errorMessages: messages, errors });
}

/** 400 with one message. */
export function badRequest(message: string): JiraHttpError {
  return errorCollection(400, [message]);
}

/** 404 for an issue the caller cannot see. */
export function issueNotFound(): JiraHttpError {
  return errorCollection(404, [ISSUE_NOT_FOUND]);
}

/** 401 for a request without valid credentials. */
export function unauthenticated(): JiraHttpError {
  return new JiraHttpError(401, { message: UNAUTHENTICATED, 'status-code': 401 });
}

function problem(status: number, title: string, detail: string, instance: string): JiraHttpError {
  return new JiraHttpError(status, { type: 'about:blank', title, status, detail, instance }, {}, PROBLEM_JSON);
}

/** Jira's 404 for a path it serves nothing at. */
export function noEndpoint(method: string, path: string): JiraHttpError {
  return problem(404, 'Not Found', `No endpoint ${method} ${path}.`, path);
}

/** Jira's 405 for a method a served path does not take, with `Allow`. */
export function methodNotAllowed(method: string, path: string, allow: readonly string[]): JiraHttpError {
  const error = problem(405, 'Method Not Allowed', `Method '${method}' is not supported.`, path);
  return new JiraHttpError(405, error.body, { Allow: allow.join(', ') }, PROBLEM_JSON);
}

/** Jira's 415 for a body whose media type an operation does not read (`'null'` when there was none). */
export function unsupportedMediaType(path: string, contentType: string | undefined): JiraHttpError {
  const shown = contentType ? contentType.split(';')[0]?.trim().toLowerCase() : 'null';
  return problem(415, 'Unsupported Media Type', `Content-Type '${shown ?? 'null'}' is not supported.`, path);
}

/** Jira's 400 for a query parameter it cannot convert (backlot `integer_conversion_failure`, measured). */
export function conversionFailure(path: string, name: string, value: string): JiraHttpError {
  return problem(400, 'Bad Request', `Failed to convert '${name}' with value: '${value}'`, path);
}

/** Jira's 400 for a body it cannot parse as JSON (measured: `errorMessages` alone, no `errors`). */
export function unparseableBody(): JiraHttpError {
  return new JiraHttpError(400, {
    errorMessages: ['There was an error parsing JSON. Check that your request body is valid.'],
  });
}

/** Jira's 400 for a body of the wrong JSON type (measured). */
export function invalidPayload(): JiraHttpError {
  return new JiraHttpError(400, {
    errorMessages: ['Invalid request payload. Refer to the REST API documentation and try again.'],
  });
}
