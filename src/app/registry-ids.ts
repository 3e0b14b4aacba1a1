/** Listing the issues a JQL query matches as the app, ids only (Jira serves up to 5,000 a page). */
import { type AppDeps } from './deps';

/**
 * Every id a JQL query matches, as the app, in id-only pages.
 * @throws {UnavailableError | JiraRejectedError} from the Jira port.
 */
export async function allIds(deps: AppDeps, jql: string): Promise<{ ids: string[]; searches: number }> {
  const ids: string[] = [];
  let token: string | undefined;
  let searches = 0;
  do {
    const page = await deps.jira.searchIds({ as: 'app' }, { jql, ...(token ? { nextPageToken: token } : {}) });
    searches += 1;
    ids.push(...page.ids);
    token = page.nextPageToken ?? undefined;
  } while (token);
  return { ids, searches };
}
