/**
 * The Jira emulator against Jira's own OpenAPI document: every route it serves is a documented operation, every
 * response it gives (successes and refusals) validates against that operation's response schema, and the requests
 * the scenarios send are ones Jira documents.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { AS, buildTestSite, PEOPLE, type TestSite } from '../../sandbox/jira/testing';
import type { Principal } from '../../sandbox/jira/types';
import { assertRequestConforms, assertResponseConforms, findOperation, requestProblems } from './jira-openapi';

interface Scenario {
  readonly as: Principal | 'nobody' | 'bad-password';
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  /** False for requests that deliberately break the contract (missing required parameters, bad values). */
  readonly conforming?: boolean;
}

const enc = encodeURIComponent;
const HEALTH = { rag: 'green', stage: 'G2', riskMax: 3 };

const SCENARIOS: readonly Scenario[] = [
  // search/jql
  { as: AS.lead, method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('project = PMO')}`, status: 200 },
  {
    as: AS.lead,
    method: 'GET',
    path: `/rest/api/3/search/jql?jql=${enc('project = PMO ORDER BY key')}&fields=summary,status,assignee,duedate,labels,priority,issuetype,project,reporter,creator,created,updated,resolution,resolutiondate,description&properties=tollgate-health&maxResults=2`,
    status: 200,
  },
  { as: AS.lead, method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('key = PMO-4')}&fields=*all`, status: 200 },
  { as: AS.lead, method: 'GET', path: '/rest/api/3/search/jql?jql=', status: 400 },
  { as: AS.lead, method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('project = NOPE')}`, status: 400 },
  { as: AS.lead, method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('project =')}`, status: 400 },
  { as: AS.lead, method: 'GET', path: `/rest/api/3/search/jql?jql=x&maxResults=abc`, status: 400, conforming: false },
  { as: 'nobody', method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('project = PMO')}`, status: 401 },
  { as: 'bad-password', method: 'GET', path: `/rest/api/3/search/jql?jql=${enc('project = PMO')}`, status: 401 },
  {
    as: AS.lead,
    method: 'POST',
    path: '/rest/api/3/search/jql',
    body: { jql: 'tollgateHealth = red', fields: ['summary'], properties: ['tollgate-health'], maxResults: 10 },
    status: 200,
  },
  { as: AS.lead, method: 'POST', path: '/rest/api/3/search/jql', body: { jql: 'ORDER BY key' }, status: 400 },
  {
    as: AS.lead,
    method: 'POST',
    path: '/rest/api/3/search/jql',
    body: { jql: 'project = PMO', properties: ['a', 'b', 'c', 'd', 'e', 'f'] },
    status: 400,
  },
  // approximate count
  {
    as: AS.member,
    method: 'POST',
    path: '/rest/api/3/search/approximate-count',
    body: { jql: 'project = PMO' },
    status: 200,
  },
  { as: AS.member, method: 'POST', path: '/rest/api/3/search/approximate-count', body: { jql: '' }, status: 400 },
  // issues
  { as: AS.member, method: 'GET', path: '/rest/api/3/issue/PMO-1', status: 200 },
  {
    as: AS.member,
    method: 'GET',
    path: '/rest/api/3/issue/PMO-1?fields=summary,-status&properties=tollgate-health&expand=names',
    status: 200,
  },
  { as: AS.outsider, method: 'GET', path: '/rest/api/3/issue/PMO-1', status: 404 },
  {
    as: AS.lead,
    method: 'POST',
    path: '/rest/api/3/issue',
    body: {
      fields: {
        project: { key: 'PMO' },
        issuetype: { name: 'Epic' },
        summary: 'New initiative',
        labels: ['new'],
        duedate: '2026-10-01',
        assignee: { accountId: PEOPLE.owner.accountId },
      },
      properties: [{ key: 'tollgate-health', value: HEALTH }],
    },
    status: 201,
  },
  {
    as: AS.lead,
    method: 'POST',
    path: '/rest/api/3/issue',
    body: { fields: { project: { key: 'PMO' }, issuetype: { name: 'Epic' } } },
    status: 400,
  },
  {
    as: AS.member,
    method: 'POST',
    path: '/rest/api/3/issue',
    body: { fields: { project: { key: 'PMO' }, issuetype: { name: 'Epic' }, summary: 'Not mine to create' } },
    status: 403,
  },
  {
    as: AS.owner,
    method: 'PUT',
    path: '/rest/api/3/issue/PMO-1',
    body: { fields: { summary: 'Customer portal relaunch (phase 1)', duedate: '2026-06-30' } },
    status: 204,
  },
  { as: AS.owner, method: 'PUT', path: '/rest/api/3/issue/PMO-1', body: { fields: { sprint: 3 } }, status: 400 },
  { as: AS.member, method: 'PUT', path: '/rest/api/3/issue/PMO-1', body: { fields: { summary: 'x' } }, status: 403 },
  { as: AS.outsider, method: 'PUT', path: '/rest/api/3/issue/PMO-1', body: { fields: { summary: 'x' } }, status: 404 },
  // properties
  { as: AS.member, method: 'GET', path: '/rest/api/3/issue/PMO-1/properties', status: 200 },
  { as: AS.outsider, method: 'GET', path: '/rest/api/3/issue/PMO-1/properties', status: 404 },
  { as: AS.member, method: 'GET', path: '/rest/api/3/issue/PMO-1/properties/tollgate-health', status: 200 },
  { as: AS.member, method: 'GET', path: '/rest/api/3/issue/PMO-1/properties/nope', status: 404 },
  { as: AS.lead, method: 'PUT', path: '/rest/api/3/issue/PMO-2/properties/tollgate-raid', body: [], status: 201 },
  { as: AS.lead, method: 'PUT', path: '/rest/api/3/issue/PMO-2/properties/tollgate-raid', body: [1], status: 200 },
  {
    as: AS.lead,
    method: 'PUT',
    path: '/rest/api/3/issue/PMO-2/properties/too-big',
    body: { blob: 'x'.repeat(40_000) },
    status: 400,
  },
  { as: AS.member, method: 'PUT', path: '/rest/api/3/issue/PMO-2/properties/x', body: { a: 1 }, status: 403 },
  { as: AS.outsider, method: 'PUT', path: '/rest/api/3/issue/PMO-2/properties/x', body: { a: 1 }, status: 404 },
  { as: AS.lead, method: 'DELETE', path: '/rest/api/3/issue/PMO-2/properties/tollgate-raid', status: 204 },
  { as: AS.lead, method: 'DELETE', path: '/rest/api/3/issue/PMO-2/properties/tollgate-raid', status: 404 },
  { as: AS.member, method: 'DELETE', path: '/rest/api/3/issue/PMO-1/properties/tollgate-health', status: 403 },
  // transitions
  { as: AS.owner, method: 'GET', path: '/rest/api/3/issue/PMO-1/transitions', status: 200 },
  { as: AS.outsider, method: 'GET', path: '/rest/api/3/issue/PMO-1/transitions', status: 404 },
  {
    as: AS.owner,
    method: 'POST',
    path: '/rest/api/3/issue/PMO-1/transitions',
    body: { transition: { id: '21' } },
    status: 204,
  },
  {
    as: AS.owner,
    method: 'POST',
    path: '/rest/api/3/issue/PMO-1/transitions',
    body: { transition: { id: '11' } },
    status: 400,
  },
  // bulk transition (the first task the site starts is 10000)
  {
    as: AS.owner,
    method: 'POST',
    path: '/rest/api/3/bulk/issues/transition',
    body: { bulkTransitionInputs: [{ selectedIssueIdsOrKeys: ['PMO-6'], transitionId: '21' }] },
    status: 201,
  },
  {
    as: AS.owner,
    method: 'POST',
    path: '/rest/api/3/bulk/issues/transition',
    body: { bulkTransitionInputs: [] },
    status: 400,
  },
  { as: AS.owner, method: 'GET', path: '/rest/api/3/bulk/queue/10000', status: 200 },
  { as: AS.member, method: 'GET', path: '/rest/api/3/bulk/queue/10000', status: 400 },
  // workflow statuses (the validator reads the statuses a transition leaves and enters)
  { as: AS.app, method: 'GET', path: '/rest/api/3/status/10000', status: 200 },
  { as: AS.app, method: 'GET', path: '/rest/api/3/status/999999', status: 404 },
  // people and permissions
  { as: AS.lead, method: 'GET', path: '/rest/api/3/myself', status: 200 },
  { as: AS.app, method: 'GET', path: '/rest/api/3/myself?expand=groups', status: 200 },
  { as: 'nobody', method: 'GET', path: '/rest/api/3/myself', status: 401 },
  { as: AS.lead, method: 'GET', path: `/rest/api/3/user?accountId=${PEOPLE.owner.accountId}`, status: 200 },
  { as: AS.lead, method: 'GET', path: '/rest/api/3/user?accountId=nobody', status: 404 },
  { as: AS.lead, method: 'GET', path: `/rest/api/3/user/groups?accountId=${PEOPLE.owner.accountId}`, status: 200 },
  { as: AS.lead, method: 'GET', path: '/rest/api/3/user/groups?accountId=nobody', status: 404 },
  {
    as: AS.member,
    method: 'GET',
    path: '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES&issueKey=PMO-1',
    status: 200,
  },
  { as: AS.member, method: 'GET', path: '/rest/api/3/mypermissions?permissions=ADMINISTER', status: 200 },
  { as: AS.member, method: 'GET', path: '/rest/api/3/mypermissions?projectKey=PMO', status: 400 },
  {
    as: AS.outsider,
    method: 'GET',
    path: '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=SEC',
    status: 404,
  },
  // the read model's permission checks (which projects and issues a reader may browse)
  {
    as: AS.outsider,
    method: 'POST',
    path: '/rest/api/3/permissions/check',
    body: { projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], projects: [10000, 10001], issues: [10000] }] },
    status: 200,
  },
  {
    as: AS.member,
    method: 'POST',
    path: '/rest/api/3/permissions/check',
    body: { projectPermissions: [{ permissions: ['NO_SUCH_PERMISSION'], projects: [10000] }] },
    status: 400,
  },
  // the owner field's history (separation of duties) and role groups (settings checks)
  {
    as: AS.member,
    method: 'POST',
    path: '/rest/api/3/changelog/bulkfetch',
    body: { issueIdsOrKeys: ['PMO-1'], fieldIds: ['summary', 'duedate'], maxResults: 100 },
    status: 200,
  },
  {
    as: AS.member,
    method: 'POST',
    path: '/rest/api/3/changelog/bulkfetch',
    body: { issueIdsOrKeys: [] },
    status: 400,
    conforming: false,
  },
  { as: AS.lead, method: 'GET', path: '/rest/api/3/group/member?groupname=delivery&maxResults=1', status: 200 },
  { as: AS.lead, method: 'GET', path: '/rest/api/3/group/member?groupname=nope', status: 404 },
  { as: AS.member, method: 'GET', path: '/rest/api/3/group/member?groupname=delivery', status: 403 },
  { as: AS.lead, method: 'GET', path: '/rest/api/3/users/search?startAt=0&maxResults=10', status: 200 },
  { as: AS.member, method: 'GET', path: '/rest/api/3/users/search', status: 403 },
  // avatars (image bodies: status and operation only)
  {
    as: AS.lead,
    method: 'GET',
    path: `/rest/api/3/universal_avatar/view/type/user/avatar/${PEOPLE.lead.accountId}`,
    status: 200,
  },
  // delete issue, last: it removes what earlier scenarios read
  { as: AS.outsider, method: 'DELETE', path: '/rest/api/3/issue/SEC-1', status: 404 },
  { as: AS.lead, method: 'DELETE', path: '/rest/api/3/issue/DEL-1', status: 403 },
  { as: AS.member, method: 'DELETE', path: '/rest/api/3/issue/DEL-2', status: 204 },
];

function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
}

describe("the Jira emulator against Jira's OpenAPI document", () => {
  let site: TestSite;
  let server: FastifyInstance;
  const served: Array<{ method: string; url: string }> = [];

  beforeAll(async () => {
    site = buildTestSite();
    server = Fastify({ logger: false });
    server.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) served.push({ method, url: route.url });
    });
    await server.register(site.plugin);
    await server.ready();
  });

  afterAll(async () => {
    await server.close();
    await site.close();
  });

  it('serves only documented operations', () => {
    const operations = served
      .filter((route) => route.method !== 'HEAD' && route.url !== '/rest/*')
      .map((route) => ({ route, operation: findOperation(route.method, route.url.replace(/:([A-Za-z]+)/g, 'x')) }));
    expect(operations.filter((entry) => entry.operation === undefined).map((entry) => entry.route)).toEqual([]);
    // search/jql ×2, approximate-count, issue ×4, properties ×4, transitions ×2, bulk transition and its queue,
    // status, myself, user, user/groups, mypermissions, permissions/check, changelog/bulkfetch, group/member,
    // users/search, avatar.
    expect(operations).toHaveLength(25);
  });

  it('would notice a body Jira does not send', () => {
    const search = '/rest/api/3/search/jql?jql=x';
    // The old /search shape: `total` and `startAt` are not in SearchAndReconcileResults.
    expect(() =>
      assertResponseConforms('GET', search, 200, JSON.stringify({ issues: [], total: 0, isLast: true })),
    ).toThrow(/total|additional/);
    expect(() =>
      assertResponseConforms('GET', '/rest/api/3/issue/PMO-1', 200, JSON.stringify({ id: 1, key: 'PMO-1' })),
    ).toThrow(/id/);
    expect(() => assertResponseConforms('GET', search, 400, JSON.stringify({ message: 'nope' }))).toThrow();
    expect(() => assertResponseConforms('GET', '/rest/api/3/issue/PMO-1', 400, '{}')).toThrow(/does not document/);
  });

  it('answers every scenario with a response its operation documents, and exercises every served operation', async () => {
    const seen = new Map<string, Set<number>>();
    for (const scenario of SCENARIOS) {
      let response: { status: number; body: string; contentType: string };
      if (typeof scenario.as === 'string') {
        const headers: Record<string, string> =
          scenario.as === 'bad-password' ? { authorization: basic(PEOPLE.lead.email, 'wrong') } : {};
        const injected = await server.inject({ method: scenario.method as 'GET', url: scenario.path, headers });
        response = {
          status: injected.statusCode,
          body: injected.body,
          contentType: String(injected.headers['content-type'] ?? ''),
        };
      } else {
        const result = await site.call(scenario.as, scenario.method, scenario.path, scenario.body);
        response = { status: result.status, body: result.body, contentType: result.headers['content-type'] ?? '' };
      }
      expect({ path: `${scenario.method} ${scenario.path}`.slice(0, 120), status: response.status }).toEqual({
        path: `${scenario.method} ${scenario.path}`.slice(0, 120),
        status: scenario.status,
      });
      assertResponseConforms(scenario.method, scenario.path, response.status, response.body, response.contentType);
      if (scenario.conforming === false) {
        expect(requestProblems(scenario.method, scenario.path, scenario.body)).not.toEqual([]);
      } else {
        assertRequestConforms(scenario.method, scenario.path, scenario.body);
      }
      const operation = findOperation(scenario.method, scenario.path);
      const key = operation ? `${operation.method} ${operation.template}` : 'none';
      seen.set(key, new Set([...(seen.get(key) ?? []), response.status]));
    }
    for (const route of served.filter((r) => r.method !== 'HEAD' && r.url !== '/rest/*')) {
      const operation = findOperation(route.method, route.url.replace(/:([A-Za-z]+)/g, 'x'));
      const statuses = [...(seen.get(`${operation?.method ?? ''} ${operation?.template ?? ''}`) ?? [])];
      expect({ route: `${route.method} ${route.url}`, success: statuses.some((s) => s < 300) }).toEqual({
        route: `${route.method} ${route.url}`,
        success: true,
      });
      if (!route.url.includes('universal_avatar')) {
        expect({ route: `${route.method} ${route.url}`, refusal: statuses.some((s) => s >= 400) }).toEqual({
          route: `${route.method} ${route.url}`,
          refusal: true,
        });
      }
    }
  });

  it('pages through search results with tokens whose responses conform', async () => {
    let path = `/rest/api/3/search/jql?jql=${enc('project in (PMO, DEL) ORDER BY key')}&fields=summary&maxResults=3`;
    for (let page = 0; page < 10; page += 1) {
      const response = await site.call(AS.lead, 'GET', path);
      assertResponseConforms('GET', path, response.status, response.body, response.headers['content-type']);
      const body = response.json as { nextPageToken?: string; isLast: boolean };
      if (body.isLast) return;
      path = `/rest/api/3/search/jql?jql=${enc('project in (PMO, DEL) ORDER BY key')}&fields=summary&maxResults=3&nextPageToken=${enc(body.nextPageToken ?? '')}`;
      assertRequestConforms('GET', path);
    }
    throw new Error('paging never reached the last page');
  });

  it('answers unknown paths and methods with the RFC 7807 bodies Jira sends', async () => {
    const unknown = await site.call(AS.lead, 'GET', '/rest/api/3/nopesuchroute');
    expect(unknown.status).toBe(404);
    assertResponseConforms('GET', '/rest/api/3/nopesuchroute', 404, unknown.body, unknown.headers['content-type']);
    const wrongMethod = await site.call(AS.lead, 'DELETE', '/rest/api/3/myself');
    expect(wrongMethod.status).toBe(405);
    assertResponseConforms('DELETE', '/rest/api/3/myself', 405, wrongMethod.body, wrongMethod.headers['content-type']);
  });

  describe('the request checker (for the Forge side to reuse)', () => {
    it.each([
      ['GET', '/rest/api/3/search/jql?jql=project%3DPMO&fields=summary,status&maxResults=100'],
      ['GET', '/rest/api/3/issue/PMO-1?fields=summary&properties=tollgate-health'],
      ['GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&issueKey=PMO-1'],
      ['PUT', '/rest/api/3/issue/PMO-1/properties/tollgate-health'],
    ])('accepts %s %s', (method, path) => {
      expect(requestProblems(method, path)).toEqual([]);
    });

    it.each([
      ['GET', '/rest/api/3/search?jql=x', 'deprecated search is gone; still documented', 0],
      ['GET', '/rest/api/3/search/jql?startAt=50', 'startAt is not a search/jql parameter', 1],
      ['GET', '/rest/api/3/search/jql?maxResults=lots', 'maxResults is an integer', 1],
      ['GET', '/rest/api/3/user/groups', 'accountId is required', 1],
      ['GET', '/rest/api/3/nope', 'no such operation', 1],
    ])('%s %s: %s', (method, path, _why, problems) => {
      expect(requestProblems(method, path)).toHaveLength(problems);
    });

    it('checks JSON bodies against the request schema', () => {
      expect(requestProblems('POST', '/rest/api/3/search/jql', { jql: 'x', maxResults: 'ten' })).not.toEqual([]);
      expect(requestProblems('POST', '/rest/api/3/search/jql', { jql: 'x', fields: ['summary'] })).toEqual([]);
    });
  });
});
