/**
 * What Forge hands an app's functions, one strict definition per kind, each from the page that documents it. The
 * runtime builds every argument it passes through these and checks it against them before the call, so the sandbox
 * can never be kinder than Forge by passing a field Forge does not send (an app that reads one would break on its
 * first real site: the validator once read a top-level `context.accountId` that only the sandbox sent).
 *
 * Every schema is strict: an unknown member is an error in the sandbox, not a silent extra.
 */
import { z } from 'zod';

const accountId = z.string().min(1);

/**
 * The second argument of every function that is not a resolver definition, and the `backendRuntimePayload`
 * @forge/resolver reads: developer.atlassian.com/platform/forge/function-reference/arguments ("Context is the same for
 * all modules"). There is no top-level `accountId`; the user, when there is one, is `principal.accountId`.
 */
export const functionContextSchema = z.strictObject({
  installContext: z.string().min(1),
  principal: z.strictObject({ accountId }).optional(),
  license: z.record(z.string(), z.unknown()).optional(),
  installation: z.record(z.string(), z.unknown()).optional(),
  workspaceId: z.string().optional(),
});
export type FunctionContext = z.infer<typeof functionContextSchema>;

/**
 * The context a Custom UI `invoke` carries to the resolver function (before @forge/resolver adds `installContext`,
 * `accountId`, `license`, `jobId` and `installation` from the function context):
 * developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver and the frontend's
 * apis-reference/ui-api-bridge/view `getContext()`.
 */
export const resolverContextSchema = z.strictObject({
  accountId: accountId.optional(),
  accountType: z.string().optional(),
  cloudId: z.string().min(1),
  localId: z.string().min(1).optional(),
  moduleKey: z.string().min(1),
  siteUrl: z.string().url(),
  extension: z.looseObject({ type: z.string().min(1) }),
  locale: z.string().min(1),
  timezone: z.string().min(1),
  license: z.record(z.string(), z.unknown()).optional(),
  installContext: z.string().min(1),
  environmentId: z.string().min(1),
  environmentType: z.enum(['DEVELOPMENT', 'STAGING', 'PRODUCTION']),
});

/** The first argument of a resolver function: @forge/resolver 2.x `InvokePayload` (out/index.d.ts). */
export const resolverCallSchema = z.strictObject({
  call: z.strictObject({
    functionKey: z.string().min(1),
    payload: z.unknown().optional(),
    jobId: z.string().optional(),
  }),
  context: resolverContextSchema,
});

/**
 * A Jira issue event as a `trigger` receives it: developer.atlassian.com/platform/forge/events-reference/jira (issue
 * events): `eventType`, `selfGenerated`, `issue`, `atlassianId?`, `changelog?`, `associatedUsers?`,
 * `associatedStatuses?`, `jiraEventTypeName?`, `timestamp`, `webhookTraceValue?`.
 */
export const issueEventSchema = z.strictObject({
  eventType: z.string().regex(/^avi:jira:[a-z-]+:issue$/),
  selfGenerated: z.boolean(),
  issue: z.looseObject({ id: z.string().min(1), key: z.string().min(1), fields: z.record(z.string(), z.unknown()) }),
  atlassianId: accountId.optional(),
  changelog: z.looseObject({ items: z.array(z.record(z.string(), z.unknown())) }).optional(),
  associatedUsers: z.array(z.record(z.string(), z.unknown())).optional(),
  associatedStatuses: z.array(z.record(z.string(), z.unknown())).optional(),
  jiraEventTypeName: z.string().optional(),
  timestamp: z.string().min(1),
  webhookTraceValue: z.string().optional(),
});

/**
 * What a function-based `jira:workflowValidator` receives:
 * developer.atlassian.com/platform/forge/manifest-reference/modules/jira-workflow-validator. It answers
 * `{ result: boolean, errorMessage? }`; the transitioning user is the function context's `principal`.
 */
export const workflowValidatorCallSchema = z.strictObject({
  issue: z.strictObject({ key: z.string().min(1) }),
  configuration: z.record(z.string(), z.unknown()).optional(),
  transition: z.strictObject({
    from: z.strictObject({ id: z.string().min(1) }),
    to: z.strictObject({ id: z.string().min(1) }),
  }),
  modifiedFields: z.record(z.string(), z.unknown()).optional(),
});

/** A scheduled trigger's request: developer.atlassian.com/platform/forge/events-reference/scheduled-trigger. */
export const scheduledTriggerRequestSchema = z.strictObject({
  context: z.strictObject({ cloudId: z.string().min(1), moduleKey: z.string().min(1) }),
  contextToken: z.string().min(1),
});

/**
 * The event a queue `consumer` function receives:
 * developer.atlassian.com/platform/forge/runtime-reference/async-events-api and @forge/events 3.x `AsyncEvent`
 * (out/types.d.ts): the pushed `body` (and `delayInSeconds`, `concurrency`) plus `queueName`, `jobId`, `eventId` and,
 * on a retry, `retryContext`.
 */
export const asyncEventSchema = z.strictObject({
  body: z.record(z.string(), z.unknown()),
  delayInSeconds: z.number().optional(),
  concurrency: z.strictObject({ key: z.string(), limit: z.number() }).optional(),
  queueName: z.string().min(1),
  jobId: z.string().min(1),
  eventId: z.string().min(1),
  retryContext: z
    .strictObject({
      retryCount: z.number().int(),
      retryReason: z.string(),
      retryData: z.unknown().optional(),
    })
    .optional(),
});

/**
 * A Confluence macro's `adfExport` call: developer.atlassian.com/platform/forge/manifest-reference/modules/macro
 * (`adfExport`) — the export type, the macro's context as its resolver sees it (its `extension.config` holds the saved
 * configuration) and the macro's own `extensionPayload`. The page documents no member beyond these three.
 */
export const adfExportCallSchema = z.strictObject({
  exportType: z.enum(['pdf', 'word', 'other']),
  context: resolverContextSchema,
  extensionPayload: z.record(z.string(), z.unknown()),
});

/**
 * A life cycle event as a `trigger` receives it: developer.atlassian.com/platform/forge/events-reference/life-cycle
 * — the installation's id, who installed (or upgraded) the app when known, the app (`id`, `version`, `name?`,
 * `ownerAccountId?`) and `environment?` (`id`). The page documents no `eventType` member for these.
 */
export const lifecycleEventSchema = z.strictObject({
  id: z.string().min(1),
  installerAccountId: accountId.optional(),
  upgraderAccountId: accountId.optional(),
  app: z.strictObject({
    id: z.string().min(1),
    version: z.string().min(1),
    name: z.string().optional(),
    ownerAccountId: z.string().optional(),
  }),
  environment: z.strictObject({ id: z.string().min(1) }).optional(),
});

/** Each kind of function call the sandbox makes, with the schema of the first argument it passes. */
export const CALL_SCHEMAS = {
  resolver: resolverCallSchema,
  trigger: issueEventSchema,
  lifecycle: lifecycleEventSchema,
  validator: workflowValidatorCallSchema,
  scheduledTrigger: scheduledTriggerRequestSchema,
  consumer: asyncEventSchema,
  adfExport: adfExportCallSchema,
} as const;
export type CallKind = keyof typeof CALL_SCHEMAS;

/** Throws when `payload` or `context` is not exactly what Forge documents for `kind`: a sandbox defect, not the app's. */
export function assertDocumentedCall(kind: CallKind, payload: unknown, context: unknown): void {
  for (const [what, schema, value] of [
    ['payload', CALL_SCHEMAS[kind], payload],
    ['context', functionContextSchema, context],
  ] as const) {
    const checked = (schema as z.ZodType).safeParse(value);
    if (!checked.success) {
      throw new Error(
        `Forge sandbox: the ${kind} ${what} is not what Forge documents: ${z.prettifyError(checked.error)}`,
      );
    }
  }
}
