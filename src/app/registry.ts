/**
 * Reading the whole project registry: one `/search/jql` pass over the registry JQL, following `nextPageToken`, so a
 * portfolio of N projects costs ⌈N/100⌉ requests and never one request per issue (docs/architecture.md §5,
 * docs/conventions.md rule 9). Pages arrive as a stream for callers that act per page (the scheduled recompute fans out
 * a queue job per page), or gathered for callers that need them all (the portfolio aggregates).
 */
import { UnavailableError } from './errors';
import { type Acting, type JiraPort, type RegistryIssue, type RegistryPage } from './ports';
import { narrowJql } from './registry-jql';

/** Jira's page cap once fields or properties are requested (docs/platform.md §3). */
const DEFAULT_PAGE_SIZE = 100;

/** What to read from the registry. */
export interface RegistryQuery {
  readonly jql: string;
  /** Field ids beyond those every registry issue is read with (settings' department, start date, budget …). */
  readonly fields: readonly string[];
  /** Up to 5 property keys, e.g. `tollgate-governance`, `tollgate-raid`, `tollgate-health`. */
  readonly properties: readonly string[];
  /** Issues per request; default and maximum 100. */
  readonly pageSize?: number;
  /** Stop after this many pages (a bound for callers with a time budget); default: read to the end. */
  readonly maxPages?: number;
  /** Continue a read that `maxPages` cut short, from the token it handed back. */
  readonly nextPageToken?: string;
}

/** The registry as read: every issue served, every issue that could not be read, and whether the read was cut short. */
export interface RegistryRead {
  readonly issues: readonly RegistryIssue[];
  readonly unreadable: RegistryPage['unreadable'];
  /** Search requests sent. */
  readonly pages: number;
  /** Set when `maxPages` stopped the read before Jira's last page; reading on from it continues the same search. */
  readonly nextPageToken: string | null;
}

/**
 * The registry page by page, following `nextPageToken` until Jira's last page or `maxPages`. Stopping the iteration
 * early sends no further request.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 * @throws {UnavailableError} Jira hands back the page token it was given (the read would never end), and whatever
 *   `JiraPort.searchPage` throws.
 */
export async function* readRegistryPages(
  jira: JiraPort,
  acting: Acting,
  query: RegistryQuery,
): AsyncGenerator<RegistryPage, void, undefined> {
  const maxPages = query.maxPages ?? Infinity;
  let nextPageToken = query.nextPageToken;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await jira.searchPage(acting, {
      jql: query.jql,
      fields: query.fields,
      properties: query.properties,
      maxResults: query.pageSize ?? DEFAULT_PAGE_SIZE,
      ...(nextPageToken === undefined ? {} : { nextPageToken }),
    });
    yield page;
    if (page.nextPageToken === null) return;
    if (page.nextPageToken === nextPageToken) {
      throw new UnavailableError(
        'Jira kept answering the registry search with the same page, so it could not be read to the end. ' +
          'Please try again in a minute.',
      );
    }
    nextPageToken = page.nextPageToken;
  }
}

/**
 * The whole registry (or its first `maxPages` pages), gathered.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 * @throws what `readRegistryPages` throws.
 */
export async function readRegistry(jira: JiraPort, acting: Acting, query: RegistryQuery): Promise<RegistryRead> {
  const issues: RegistryIssue[] = [];
  const unreadable: Array<RegistryPage['unreadable'][number]> = [];
  let pages = 0;
  let nextPageToken: string | null = null;
  for await (const page of readRegistryPages(jira, acting, query)) {
    pages += 1;
    issues.push(...page.issues);
    unreadable.push(...page.unreadable);
    nextPageToken = page.nextPageToken;
  }
  return { issues, unreadable, pages, nextPageToken };
}

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
