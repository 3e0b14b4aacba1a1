/**
 * Registry membership: whether the admin's registry JQL selects an issue (docs/architecture.md §5).
 */
import { type JiraPort } from './ports';
import { narrowJql } from './registry-jql';

/**
 * Whether the registry JQL selects the issue (its key or id): one id-only search as the app, since the registry is
 * the PMO's whoever asks. Tollgate governs and judges registry projects only.
 */
export async function inRegistry(jira: JiraPort, registryJql: string, issueKeyOrId: string): Promise<boolean> {
  if (!/^(\d+|[A-Z][A-Z0-9_]*-\d+)$/.test(issueKeyOrId)) return false;
  // The search index lags behind writes (an issue created or retyped a second ago may not match yet); reconciling the
  // issue makes the answer about it as it is now. Jira reconciles by id only.
  const selects = async (id: string): Promise<boolean> =>
    (await jira.searchIds({ as: 'app' }, { jql: narrowJql(registryJql, `id = ${id}`), reconcileIssues: [id] })).ids
      .length > 0;
  if (/^\d+$/.test(issueKeyOrId)) return selects(issueKeyOrId);
  const page = await jira.searchIds({ as: 'app' }, { jql: narrowJql(registryJql, `key = ${issueKeyOrId}`) });
  if (page.ids.length > 0) return true;
  // Not found by key: perhaps only not indexed yet. A read by key is consistent and names the id to reconcile.
  const issue = await jira.getIssue({ as: 'app' }, issueKeyOrId, ['summary'], []);
  return issue !== null && selects(issue.id);
}
