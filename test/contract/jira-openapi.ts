/**
 * The Jira Cloud REST contract, read from Atlassian's OpenAPI document (`test/vendor/jira-openapi/swagger-v3.v3.json`,
 * see its README): find the operation a request addresses, check a request's query parameters (and JSON body)
 * against the operation, and check a response body against the operation's response schema with ajv.
 *
 * OpenAPI 3.0 specifics: `$ref`s point into `#/components/schemas`, which is added to ajv as one schema document;
 * `nullable` is understood by ajv itself; OpenAPI's numeric formats (`int32`, `int64`, …) are accepted as
 * annotations. The emulator's tests use this, and so can the Forge side's: `assertRequestConforms` checks that every
 * request an adapter sends is one Jira documents.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Where the spec lives, relative to this repository's root. */
export const JIRA_OPENAPI_PATH = resolve(__dirname, '../vendor/jira-openapi/swagger-v3.v3.json');

type Schema = Record<string, unknown>;

interface ParameterObject {
  readonly name: string;
  readonly in: 'query' | 'path' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

interface OperationObject {
  readonly operationId?: string;
  readonly parameters?: readonly ParameterObject[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: Schema }> };
  readonly responses?: Record<string, { readonly content?: Record<string, { readonly schema?: Schema }> }>;
}

interface Spec {
  readonly paths: Record<string, Record<string, OperationObject>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

/** One documented operation. */
export interface JiraOperation {
  readonly method: string;
  /** The OpenAPI path template, e.g. `/rest/api/3/issue/{issueIdOrKey}`. */
  readonly template: string;
  readonly operationId: string;
  readonly operation: OperationObject;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * Statuses Jira answers although the spec leaves them out of some operations: 401 (bad credentials, on every
 * operation, e.g. getIssuePropertyKeys declares only 200 and 404), 403 (deleteIssueProperty needs Edit issues but
 * declares no 403) and 415 (a body of the wrong media type, measured by brekkylab/backlot on search/jql).
 */
export const UNDECLARED_BUT_REAL = new Set([401, 403, 415]);

let loaded: { spec: Spec; ajv: Ajv; operations: JiraOperation[] } | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): { spec: Spec; ajv: Ajv; operations: JiraOperation[] } {
  if (loaded) return loaded;
  const spec = JSON.parse(readFileSync(JIRA_OPENAPI_PATH, 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: 'jira', components: { schemas: spec.components.schemas } });
  const operations: JiraOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) {
        operations.push({
          method: method.toUpperCase(),
          template,
          operationId: operation.operationId ?? '',
          operation,
        });
      }
    }
  }
  // Static segments win over templated ones (`/issue/picker` before `/issue/{issueIdOrKey}`).
  operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  loaded = { spec, ajv, operations };
  return loaded;
}

function templateRegex(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/** The operation `METHOD path` addresses (the query string is ignored), or undefined. */
export function findOperation(method: string, path: string): JiraOperation | undefined {
  const bare = path.split('?')[0] ?? '';
  return load().operations.find(
    (candidate) => candidate.method === method.toUpperCase() && templateRegex(candidate.template).test(bare),
  );
}

/** Rewrites local refs (`#/components/…`) to the shared `jira` document ajv holds. */
function rooted(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"jira#/components/')) as Schema;
}

function validatorFor(key: string, schema: Schema): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = load().ajv.compile(rooted(schema));
    validators.set(key, validate);
  }
  return validate;
}

function errorsOf(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

function checkScalar(schema: Schema | undefined, value: string, name: string): string[] {
  if (!schema) return [];
  const type = schema.type;
  if (type === 'array') {
    const items = schema.items as Schema | undefined;
    return value
      .split(',')
      .filter((item) => item !== '')
      .flatMap((item) => checkScalar(items, item, name));
  }
  const problems: string[] = [];
  if (type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`query '${name}'='${value}' is not an integer`);
  if (type === 'number' && !Number.isFinite(Number(value))) problems.push(`query '${name}'='${value}' is not a number`);
  if (type === 'boolean' && value !== 'true' && value !== 'false') {
    problems.push(`query '${name}'='${value}' is not a boolean`);
  }
  if (Array.isArray(schema.enum) && !(schema.enum as unknown[]).includes(value)) {
    problems.push(`query '${name}'='${value}' is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
    problems.push(`query '${name}' is longer than ${schema.maxLength}`);
  }
  return problems;
}

/** Everything about a request that Jira's spec does not document; empty when it conforms. */
export function requestProblems(method: string, path: string, body?: unknown): string[] {
  const operation = findOperation(method, path);
  if (!operation) return [`no documented operation for ${method.toUpperCase()} ${path.split('?')[0] ?? ''}`];
  const parameters = (operation.operation.parameters ?? []).filter((p) => p.in === 'query');
  const query = new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '');
  const problems: string[] = [];
  for (const name of new Set(query.keys())) {
    const parameter = parameters.find((p) => p.name === name);
    if (!parameter) {
      problems.push(`${operation.operationId} has no query parameter '${name}'`);
      continue;
    }
    for (const value of query.getAll(name)) problems.push(...checkScalar(parameter.schema, value, name));
  }
  for (const parameter of parameters) {
    if (parameter.required && !query.has(parameter.name)) {
      problems.push(`${operation.operationId} requires query parameter '${parameter.name}'`);
    }
  }
  const bodySchema = operation.operation.requestBody?.content?.['application/json']?.schema;
  if (body !== undefined && bodySchema) {
    const validate = validatorFor(`request ${operation.operationId}`, bodySchema);
    if (!validate(body)) problems.push(...errorsOf(validate).map((e) => `request body ${e}`));
  }
  if (body !== undefined && !operation.operation.requestBody) {
    problems.push(`${operation.operationId} takes no request body`);
  }
  return problems;
}

/**
 * Throws unless `METHOD path` (with its query string) is a documented Jira operation called with documented query
 * parameters of the documented types, all required ones present, and `body` (when given) valid for it.
 */
export function assertRequestConforms(method: string, path: string, body?: unknown): void {
  const problems = requestProblems(method, path, body);
  if (problems.length) throw new Error(`${method} ${path} does not conform to Jira's OpenAPI:\n${problems.join('\n')}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Jira's 401 body (test/vendor/jira-fixtures/errors-real-captures.json), which no operation's schema describes. */
const UNAUTHENTICATED_SCHEMA: Schema = {
  type: 'object',
  required: ['message', 'status-code'],
  additionalProperties: false,
  properties: { message: { type: 'string' }, 'status-code': { type: 'integer' } },
};
/** RFC 7807, as Jira answers unknown paths, methods and media types. */
const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'instance'],
  additionalProperties: false,
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
};

/**
 * Everything about a response that disagrees with the operation's documented responses; empty when it conforms.
 * Bodies of statuses the spec documents without a schema are held to ErrorCollection (Jira's error shape), except
 * the 401 body and RFC 7807 problems, which have shapes of their own.
 */
export function responseProblems(
  method: string,
  path: string,
  status: number,
  body: string,
  contentType = 'application/json',
): string[] {
  const operation = findOperation(method, path);
  if (!operation) {
    // A path Jira serves nothing at is answered with an RFC 7807 body; anything else must be a documented operation.
    if (contentType.includes('problem+json') && (status === 404 || status === 405)) {
      const validate = validatorFor('problem', PROBLEM_SCHEMA);
      return validate(safeJson(body)) ? [] : errorsOf(validate);
    }
    return [`no documented operation for ${method.toUpperCase()} ${path.split('?')[0] ?? ''}`];
  }
  const responses = operation.operation.responses ?? {};
  const declared = responses[String(status)] ?? responses.default;
  const problems: string[] = [];
  if (!declared && !UNDECLARED_BUT_REAL.has(status)) {
    problems.push(`${operation.operationId} does not document status ${status}`);
  }
  if (!contentType.includes('json')) return problems;
  if (body === '') {
    if (status !== 204 && status < 300) problems.push(`${operation.operationId} ${status} has an empty body`);
    return problems;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [...problems, `${operation.operationId} ${status} body is not JSON`];
  }
  let key: string;
  let schema: Schema | undefined;
  if (contentType.includes('problem+json')) {
    key = 'problem';
    schema = PROBLEM_SCHEMA;
  } else if (status === 401) {
    key = 'unauthenticated';
    schema = UNAUTHENTICATED_SCHEMA;
  } else {
    const documented = declared?.content?.['application/json']?.schema;
    const isEmpty = documented !== undefined && Object.keys(documented).length === 0;
    if (documented && !isEmpty) {
      key = `response ${operation.operationId} ${status}`;
      schema = documented;
    } else if (status >= 400) {
      key = 'ErrorCollection';
      schema = { $ref: '#/components/schemas/ErrorCollection' };
    } else {
      return problems;
    }
  }
  const validate = validatorFor(key, schema);
  if (!validate(parsed)) problems.push(...errorsOf(validate).map((e) => `${operation.operationId} ${status}: ${e}`));
  return problems;
}

/** Throws unless the response conforms (see `responseProblems`). */
export function assertResponseConforms(
  method: string,
  path: string,
  status: number,
  body: string,
  contentType?: string,
): void {
  const problems = responseProblems(method, path, status, body, contentType);
  if (problems.length) {
    throw new Error(`${method} ${path} → ${status} does not conform to Jira's OpenAPI:\n${problems.join('\n')}`);
  }
}
