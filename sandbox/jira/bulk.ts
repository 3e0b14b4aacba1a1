/**
 * Jira's bulk transition (`POST /rest/api/3/bulk/issues/transition`) and the progress of the task it starts
 * (`GET /rest/api/3/bulk/queue/{taskId}`), as the OpenAPI document describes them (operations
 * `submitBulkTransition` and `getBulkOperationProgress`):
 *
 * - The submit answers 201 with a `taskId` at once; the issues are transitioned in the background, one after the
 *   other, each exactly as a single `POST …/issue/{key}/transitions` by the submitter would be — same permission
 *   checks, same workflow validator — which is how Jira's bulk change runs a workflow's validators per issue.
 * - Progress reports `processedAccessibleIssues` (ids, as numbers), `failedAccessibleIssues` (issue id → the reasons
 *   the single transition was refused with, e.g. a validator's error message) and `invalidOrInaccessibleIssueCount`
 *   for issues that do not exist or the submitter cannot browse: those are counted, never named.
 * - Refusals of the request itself use the bulk operations' error shape `{ "errors": [{ "message": … }] }`.
 *
 * Where Jira is not pinned down, the emulator decides: every signed-in user holds the global Bulk change permission
 * (Jira's default global permission scheme grants it to all users), a task's progress is visible to its submitter
 * only (anyone else gets the 400 an unknown task gets), and timestamps are ISO date-times as the schema types them.
 */
import { JiraHttpError } from './errors';
import type { JiraStore } from './store';
import type { Principal } from './types';

/** Most issues one submit may carry (OpenAPI: "You can transition up to 1,000 issues in a single operation"). */
export const MAX_BULK_ISSUES = 1000;

/** One issue's transition, as the single-issue route performs it; throws the JiraHttpError that route would answer. */
export type TransitionOne = (principal: Principal, issueIdOrKey: string, transitionId: string) => Promise<void>;

/** What the bulk routes need from the emulator. */
export interface BulkRouteDeps {
  readonly store: JiraStore;
  readonly transition: TransitionOne;
}

/** The route shape of routes.ts (kept structural so this module does not reach into the plugin's internals). */
export interface BulkRoute {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly handler: (call: {
    readonly principal: Principal;
    readonly params: Readonly<Record<string, string>>;
    readonly body: string | undefined;
    readonly contentType: string | undefined;
  }) => Promise<{ status: number; body?: unknown }> | { status: number; body?: unknown };
}

type TaskStatus = 'ENQUEUED' | 'RUNNING' | 'COMPLETE' | 'FAILED';

interface BulkTask {
  readonly taskId: string;
  readonly submittedBy: string;
  readonly created: string;
  started: string | null;
  updated: string;
  status: TaskStatus;
  readonly totalIssueCount: number;
  readonly processed: number[];
  readonly failed: Record<string, string[]>;
  invalidOrInaccessible: number;
  done: number;
}

function bulkError(status: number, message: string): JiraHttpError {
  return new JiraHttpError(status, { errors: [{ message }] });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The reasons a refused single transition gave: its error messages, then its field errors. */
function reasonsOf(error: unknown): string[] {
  if (error instanceof JiraHttpError && isObject(error.body)) {
    const messages = Array.isArray(error.body.errorMessages) ? error.body.errorMessages.map(String) : [];
    const fields = isObject(error.body.errors) ? Object.values(error.body.errors).map(String) : [];
    const reasons = [...messages, ...fields].filter((reason) => reason !== '');
    if (reasons.length > 0) return reasons;
  }
  return [error instanceof Error ? error.message : String(error)];
}

/** Reads and checks an IssueBulkTransitionPayload; refuses the whole request, as Jira does, when it is malformed. */
function parsePayload(body: string | undefined, contentType: string | undefined): Array<[string, string[]]> {
  if (contentType?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw bulkError(415, 'The request body must be JSON (Content-Type: application/json).');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw bulkError(400, 'The request body is not valid JSON.');
  }
  const allowed = new Set(['bulkTransitionInputs', 'sendBulkNotification']);
  if (!isObject(parsed) || !Array.isArray(parsed.bulkTransitionInputs) || parsed.bulkTransitionInputs.length === 0) {
    throw bulkError(400, 'bulkTransitionInputs must list at least one transition and its issues.');
  }
  const unknown = Object.keys(parsed).filter((key) => !allowed.has(key));
  if (unknown.length > 0) throw bulkError(400, `Unrecognized field(s): ${unknown.join(', ')}.`);
  if (parsed.sendBulkNotification !== undefined && parsed.sendBulkNotification !== null) {
    if (typeof parsed.sendBulkNotification !== 'boolean')
      throw bulkError(400, 'sendBulkNotification must be a boolean.');
  }
  const inputs: Array<[string, string[]]> = [];
  for (const input of parsed.bulkTransitionInputs as unknown[]) {
    const issues = isObject(input) ? input.selectedIssueIdsOrKeys : undefined;
    const transitionId = isObject(input) ? input.transitionId : undefined;
    if (
      !isObject(input) ||
      Object.keys(input).some((key) => key !== 'selectedIssueIdsOrKeys' && key !== 'transitionId') ||
      typeof transitionId !== 'string' ||
      transitionId.trim() === '' ||
      !Array.isArray(issues) ||
      issues.length === 0 ||
      !issues.every((issue) => typeof issue === 'string')
    ) {
      throw bulkError(400, 'Each bulk transition input needs a transitionId and a non-empty selectedIssueIdsOrKeys.');
    }
    inputs.push([transitionId, issues]);
  }
  const total = inputs.reduce((sum, [, issues]) => sum + issues.length, 0);
  if (total > MAX_BULK_ISSUES) {
    throw bulkError(400, `A bulk transition can include at most ${MAX_BULK_ISSUES} issues; this one has ${total}.`);
  }
  return inputs;
}

/** The two bulk routes, over one in-memory task list per emulator. */
export function bulkTransitionRoutes(deps: BulkRouteDeps): BulkRoute[] {
  const { store } = deps;
  const tasks = new Map<string, BulkTask>();
  let nextTaskId = 10000;
  const stamp = (): string => store.now().toISOString();

  async function run(task: BulkTask, principal: Principal, inputs: ReadonlyArray<[string, string[]]>): Promise<void> {
    // Jira queues the task and answers first; the work starts on a later turn, as a queued job would.
    await new Promise((resolve) => setImmediate(resolve));
    task.status = 'RUNNING';
    task.started = stamp();
    for (const [transitionId, issues] of inputs) {
      for (const idOrKey of issues) {
        const issue = store.getIssue(idOrKey);
        if (!issue || !store.hasProjectPermission(principal, issue.projectKey, 'BROWSE_PROJECTS')) {
          task.invalidOrInaccessible += 1;
        } else {
          try {
            await deps.transition(principal, issue.id, transitionId);
            task.processed.push(Number(issue.id));
          } catch (error) {
            task.failed[issue.id] = reasonsOf(error);
          }
        }
        task.done += 1;
        task.updated = stamp();
      }
    }
    task.status = 'COMPLETE';
  }

  return [
    {
      method: 'POST',
      url: '/rest/api/3/bulk/issues/transition',
      handler: (call) => {
        const inputs = parsePayload(call.body, call.contentType);
        const user = store.userOf(call.principal);
        const now = stamp();
        const task: BulkTask = {
          taskId: String(nextTaskId++),
          submittedBy: user?.accountId ?? store.appAccountId,
          created: now,
          started: null,
          updated: now,
          status: 'ENQUEUED',
          totalIssueCount: inputs.reduce((sum, [, issues]) => sum + issues.length, 0),
          processed: [],
          failed: {},
          invalidOrInaccessible: 0,
          done: 0,
        };
        tasks.set(task.taskId, task);
        run(task, call.principal, inputs).catch(() => {
          // The site went away under the task (a closed store): the task failed, as a dead Jira node's would.
          task.status = 'FAILED';
        });
        return { status: 201, body: { taskId: task.taskId } };
      },
    },
    {
      method: 'GET',
      url: '/rest/api/3/bulk/queue/:taskId',
      handler: (call) => {
        const task = tasks.get(call.params.taskId ?? '');
        const asking = store.userOf(call.principal)?.accountId ?? store.appAccountId;
        if (!task || task.submittedBy !== asking) {
          throw bulkError(400, 'The task associated with this taskId is not a bulk operation task');
        }
        const percent = task.totalIssueCount === 0 ? 100 : Math.floor((task.done / task.totalIssueCount) * 100);
        return {
          status: 200,
          body: {
            taskId: task.taskId,
            status: task.status,
            progressPercent: task.status === 'COMPLETE' ? 100 : percent,
            submittedBy: { accountId: task.submittedBy },
            created: task.created,
            ...(task.started ? { started: task.started } : {}),
            updated: task.updated,
            totalIssueCount: task.totalIssueCount,
            processedAccessibleIssues: [...task.processed],
            failedAccessibleIssues: Object.fromEntries(
              Object.entries(task.failed).map(([id, reasons]) => [id, [...reasons]]),
            ),
            invalidOrInaccessibleIssueCount: task.invalidOrInaccessible,
          },
        };
      },
    },
  ];
}
