/**
 * Reading the registry costs ⌈N/100⌉ search requests and nothing per issue (docs/architecture.md §5), counted on the
 * emulator's request log over a registry of 250 projects.
 */
import { AS, PEOPLE } from '../../../sandbox/jira/testing';
import { UnavailableError } from '../../app/errors';
import { type Acting, type JiraPort } from '../../app/ports';
import { readRegistry, readRegistryPages, type RegistryQuery } from '../../app/registry';
import { createJiraAdapter } from './jira-adapter';
import { createJiraClient, forgeTransport } from './jira-client';
import { type JiraSandbox, startJiraSandbox } from './testing/jira-sandbox';

const LEAD = PEOPLE.lead.accountId;
const AS_LEAD: Acting = { as: 'user', accountId: LEAD };
const PORTFOLIO_SIZE = 250;
const QUERY: RegistryQuery = {
  jql: 'project = BIG ORDER BY key',
  fields: ['labels', 'customfield_10060'],
  properties: ['tollgate-governance', 'tollgate-raid', 'tollgate-health'],
};

describe('reading the registry', () => {
  let sandbox: JiraSandbox;

  beforeAll(async () => {
    sandbox = await startJiraSandbox();
    const { store } = sandbox.site;
    store.transaction(() => {
      store.createProject('BIG', 'Big portfolio', LEAD, { BROWSE_PROJECTS: [{ type: 'group', group: 'pmo' }] });
      for (let n = 1; n <= PORTFOLIO_SIZE; n += 1) {
        store.createIssue(
          {
            project: 'BIG',
            issueType: 'Epic',
            summary: `Project ${n}`,
            labels: n % 2 === 0 ? ['even'] : [],
            customFields: { customfield_10060: n * 1_000 },
            properties: {
              'tollgate-health': { rag: n % 3 === 0 ? 'red' : 'green' },
              ...(n % 5 === 0 ? { 'tollgate-governance': { schema: 1, rev: n } } : {}),
            },
          },
          AS.lead,
        );
      }
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.site.emulator.resetRequestLog();
    sandbox.sent.splice(0);
  });
  afterEach(() => {
    sandbox.assertRequestsConform();
  });

  it(`reads ${PORTFOLIO_SIZE} issues with ⌈${PORTFOLIO_SIZE}/100⌉ = 3 search requests and nothing per issue`, async () => {
    const read = await sandbox.as(LEAD, () => readRegistry(sandbox.jira, AS_LEAD, QUERY));

    expect(read.issues).toHaveLength(PORTFOLIO_SIZE);
    expect(new Set(read.issues.map((issue) => issue.key)).size).toBe(PORTFOLIO_SIZE);
    expect(read.unreadable).toEqual([]);
    expect(read.pages).toBe(3);
    expect(read.nextPageToken).toBeNull();
    expect(read.issues[9]).toMatchObject({
      key: 'BIG-10',
      customFields: { labels: ['even'], customfield_10060: 10_000 },
      properties: { 'tollgate-health': { rag: 'green' }, 'tollgate-governance': { schema: 1, rev: 10 } },
    });
    expect(sandbox.site.emulator.requestLog()).toEqual([
      { method: 'POST', path: '/rest/api/3/search/jql', status: 200, principal: `user:${LEAD}` },
      { method: 'POST', path: '/rest/api/3/search/jql', status: 200, principal: `user:${LEAD}` },
      { method: 'POST', path: '/rest/api/3/search/jql', status: 200, principal: `user:${LEAD}` },
    ]);
  });

  it('streams pages, and stopping early sends no further request', async () => {
    const sizes: number[] = [];
    await sandbox.as(LEAD, async () => {
      for await (const page of readRegistryPages(sandbox.jira, AS_LEAD, QUERY)) {
        sizes.push(page.issues.length);
        break;
      }
    });
    expect(sizes).toEqual([100]);
    expect(sandbox.site.emulator.requestLog()).toHaveLength(1);
  });

  it('stops at maxPages, handing back the token that continues the same read', async () => {
    const first = await sandbox.as(LEAD, () => readRegistry(sandbox.jira, AS_LEAD, { ...QUERY, maxPages: 2 }));
    expect(first.issues).toHaveLength(200);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const rest = await sandbox.as(LEAD, () =>
      readRegistry(sandbox.jira, AS_LEAD, { ...QUERY, nextPageToken: first.nextPageToken ?? undefined }),
    );
    expect(rest.issues.map((issue) => issue.key)).toEqual(
      Array.from({ length: 50 }, (_, index) => `BIG-${201 + index}`),
    );
    expect(sandbox.site.emulator.requestLog()).toHaveLength(3);
  });

  it('pages at the size asked for', async () => {
    const read = await sandbox.as(LEAD, () => readRegistry(sandbox.jira, AS_LEAD, { ...QUERY, pageSize: 60 }));
    expect(read.issues).toHaveLength(PORTFOLIO_SIZE);
    expect(read.pages).toBe(5);
  });

  it('collects unreadable issues from every page while serving the others', async () => {
    const client = createJiraClient({
      transport: async (acting, path, init) => {
        const response = await forgeTransport(acting, path, init);
        const body = (await response.json()) as { issues: Array<{ key: string; fields: Record<string, unknown> }> };
        for (const bean of body.issues) {
          if (bean.key === 'BIG-42' || bean.key === 'BIG-242') bean.fields.summary = null;
        }
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const read = await sandbox.as(LEAD, () => readRegistry(createJiraAdapter({ client }), AS_LEAD, QUERY));
    expect(read.issues).toHaveLength(PORTFOLIO_SIZE - 2);
    expect(read.unreadable.map((entry) => entry.key)).toEqual(['BIG-42', 'BIG-242']);
    expect(read.pages).toBe(3);
  });

  it('refuses to loop when Jira hands back the token it was given', async () => {
    const stuck: JiraPort = {
      ...sandbox.jira,
      searchPage: () => Promise.resolve({ issues: [], unreadable: [], nextPageToken: 'same-page' }),
    };
    await expect(readRegistry(stuck, AS_LEAD, QUERY)).rejects.toBeInstanceOf(UnavailableError);
  });
});
