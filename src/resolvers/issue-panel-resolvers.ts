/**
 * The issue panel's resolver: load a project's governance, apply one op, restore from the ledger. Each key
 * validates its payload, takes the issue from Forge's context (never from the payload, docs/conventions.md rule 10),
 * calls the use case and answers with the envelope; the bodies are exported so tests can call them with the sandbox.
 */
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { forgeDeps } from '../adapters/forge-deps';
import { applyOpUseCase } from '../app/apply-op-use-case';
import { type AppDeps } from '../app/deps';
import { TollgateError } from '../app/errors';
import { loadProjectUseCase } from '../app/load-project-use-case';
import { restoreProjectUseCase } from '../app/restore-use-case';
import { type ResolverResponse } from '../contract/envelope';
import {
  projectApplyPayloadSchema,
  type ProjectChangeResult,
  projectLoadPayloadSchema,
  type ProjectPanelView,
  projectRestorePayloadSchema,
} from '../contract/issue-panel';
import { issueKeySchema } from '../domain/raid';
import { toPanelView } from './issue-panel-view';
import { readerWords } from './reader-words';
import { respond, type ResolverRequest } from './respond';

/** The part of the invocation context a panel call needs: Forge sets it from the issue the panel is open on. */
const panelContextSchema = z.object({ extension: z.object({ issue: z.object({ key: issueKeySchema }) }) });

/**
 * The key of the issue the panel is open on.
 * @throws {TollgateError} INVALID_PAYLOAD when the call did not come from a panel on an issue.
 */
export function panelIssueKey(context: ResolverRequest['context']): string {
  const parsed = panelContextSchema.safeParse(context);
  if (!parsed.success) {
    throw new TollgateError(
      'INVALID_PAYLOAD',
      'Tollgate did not receive the issue this request is about. Open the Tollgate panel on a Jira issue and try again.',
    );
  }
  return parsed.data.extension.issue.key;
}

/** The reader's locale, for the template's names (Forge's context; English when it has none). */
const localeOf = (request: ResolverRequest): string => readerWords(request.context).locale;

/**
 * The panel after a change. The change has landed by the time this runs, so a failed re-read must not look like a
 * failed change (the person would repeat it): it is logged and answered with `view: null`, and the UI reloads.
 */
async function viewAfterChange(
  deps: AppDeps,
  request: { readonly accountId: string; readonly issueKey: string; readonly locale: string },
  { rev, pending }: { readonly rev: number; readonly pending: boolean },
): Promise<ProjectChangeResult> {
  try {
    const view = await loadProjectUseCase(deps, request);
    return { rev, pending, view: toPanelView(view, request.accountId, request.locale) };
  } catch (error) {
    console.warn(`Tollgate saved ${request.issueKey} at revision ${rev} but could not read it back:`, error);
    return { rev, pending, view: null };
  }
}

/**
 * `project/load`: the panel's view of its issue for the caller; NOT_FOUND when they may not see it.
 * @throws never (errors are answered in the envelope).
 */
export function loadProject(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<ProjectPanelView>> {
  return respond(request, projectLoadPayloadSchema, async (_payload, accountId) => {
    const issueKey = panelIssueKey(request.context);
    return toPanelView(await loadProjectUseCase(deps, { accountId, issueKey }), accountId, localeOf(request));
  });
}

/**
 * `project/apply`: applies one op as the caller and answers with the new revision and view (`pending` when the op is
 * recorded but Jira has not stored it yet); REFUSED with the reducer's reason, FORBIDDEN or NOT_FOUND on permissions,
 * CONFLICT when the documents were tampered with, UNAVAILABLE when Jira failed before anything was recorded.
 * @throws never (errors are answered in the envelope).
 */
export function applyProjectOp(
  request: ResolverRequest,
  deps: AppDeps,
): Promise<ResolverResponse<ProjectChangeResult>> {
  return respond(request, projectApplyPayloadSchema, async ({ op }, accountId) => {
    const issueKey = panelIssueKey(request.context);
    // A recorded op answers success even when Jira was slow to store it (`pending`): an error here must mean that
    // nothing was recorded, or the person would send the op again and it would count twice.
    const result = await applyOpUseCase(deps, { accountId, issueKey, op });
    return viewAfterChange(deps, { accountId, issueKey, locale: localeOf(request) }, result);
  });
}

/**
 * `project/restore`: a PMO lead puts the documents back to what the ledger says; FORBIDDEN for anyone else.
 * @throws never (errors are answered in the envelope).
 */
export function restoreProject(
  request: ResolverRequest,
  deps: AppDeps,
): Promise<ResolverResponse<ProjectChangeResult>> {
  return respond(request, projectRestorePayloadSchema, async (_payload, accountId) => {
    const issueKey = panelIssueKey(request.context);
    const { rev } = await restoreProjectUseCase(deps, { accountId, issueKey });
    return viewAfterChange(deps, { accountId, issueKey, locale: localeOf(request) }, { rev, pending: false });
  });
}

const resolver = new Resolver();
resolver.define('project/load', (request: ResolverRequest) => loadProject(request, forgeDeps()));
resolver.define('project/apply', (request: ResolverRequest) => applyProjectOp(request, forgeDeps()));
resolver.define('project/restore', (request: ResolverRequest) => restoreProject(request, forgeDeps()));

/** The issue panel's resolver, for a `function` whose handler a `jira:issuePanel` module names. */
export default resolver.getDefinitions();
