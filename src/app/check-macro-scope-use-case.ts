/**
 * Checking a steering macro's JQL clause while its author types it (`macro/checkScope`), as the admin page checks the
 * registry JQL: Jira is asked, as the author, for the registry projects the clause leaves them. Jira refuses a clause
 * that names a project it does not have and one the author cannot browse in the same words, and a report built on
 * either would read as an empty portfolio; so the author is told Jira's words and cannot save it.
 *
 * The registry JQL may name Jira projects the author cannot browse, which makes Jira refuse the whole query as it
 * refuses a clause naming them; those are left out of the registry's part and the query sent again, as the
 * portfolio's own read does (stored-rows.ts). A project the author's clause names is the author's to fix.
 *
 * Cost: two Jira requests (a one-result search that Jira validates the query with, and the approximate count), one
 * more for each refusal, charged to the author's hourly allowance like any portfolio read. It counts as the author,
 * so it tells them nothing about projects they cannot see.
 */
import { type MacroScopeCheck } from '../contract/macro';
import { type AppDeps } from './deps';
import { JiraRejectedError } from './errors';
import { openAllowance } from './points-allowance';
import { hiddenProjects, narrowJql, withoutHiddenProjects } from './registry-jql';

/** Attempts at a registry JQL Jira refused for naming projects the author cannot browse. */
const HIDDEN_PROJECT_RETRIES = 2;

/**
 * @throws {AllowanceSpentError} when the author's hourly allowance is spent; {UnavailableError} when Jira does not
 *   answer.
 */
export async function checkMacroScopeUseCase(
  deps: AppDeps,
  request: { readonly accountId: string; readonly jql: string },
): Promise<MacroScopeCheck> {
  const settings = await deps.storage.loadSettings();
  const allowance = await openAllowance(deps, request.accountId, settings.quota.personHourlyPoints);
  allowance.requirePage();
  const acting = { as: 'user', accountId: request.accountId } as const;
  let registry = settings.registryJql;
  try {
    for (let refused = 0; ; refused += 1) {
      const jql = narrowJql(registry, request.jql);
      try {
        await deps.jira.searchPage(acting, { jql, fields: [], properties: [], maxResults: 1 });
        allowance.spend(2);
        const count = await deps.jira.approximateCount(acting, jql);
        allowance.spend(1);
        return { valid: true, count };
      } catch (error) {
        if (!(error instanceof JiraRejectedError)) throw error;
        allowance.spend(1);
        const hidden = hiddenProjects(error.jiraMessages);
        const narrower = hidden ? withoutHiddenProjects(registry, hidden) : registry;
        const namedByAuthor = hidden !== null && withoutHiddenProjects(request.jql, hidden) !== request.jql;
        if (namedByAuthor || narrower === registry || refused >= HIDDEN_PROJECT_RETRIES) {
          return { valid: false, message: error.message };
        }
        registry = narrower;
      }
    }
  } finally {
    await allowance.settle();
  }
}
