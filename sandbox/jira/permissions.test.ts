import Fastify, { type FastifyInstance } from 'fastify';
import { ISSUE_NOT_FOUND, UNAUTHENTICATED } from './errors';
import { INTERNAL_SECRET_HEADER, PRINCIPAL_HEADER } from './routes';
import { AS, buildTestSite, PEOPLE, type TestSite } from './testing';

let site: TestSite;
beforeAll(() => {
  site = buildTestSite();
});
afterAll(async () => {
  await site.close();
});

const NOT_FOUND = { errorMessages: [ISSUE_NOT_FOUND], errors: {} };

describe('browsing', () => {
  it('hides a project the user may not browse from search, get and properties', async () => {
    const search = await site.call(AS.outsider, 'POST', '/rest/api/3/search/jql', {
      jql: 'labels = customer OR summary ~ portal',
      fields: ['key'],
    });
    expect((search.json as { issues: Array<{ key: string }> }).issues.map((issue) => issue.key)).toEqual(['DEL-2']);
    const get = await site.call(AS.outsider, 'GET', '/rest/api/3/issue/PMO-1');
    expect([get.status, get.json]).toEqual([404, NOT_FOUND]);
    const byId = await site.call(AS.outsider, 'GET', '/rest/api/3/issue/10000');
    expect(byId.status).toBe(404);
    const named = await site.call(AS.outsider, 'POST', '/rest/api/3/search/jql', { jql: 'project = PMO' });
    expect(named.json).toEqual({
      errorMessages: ["The value 'PMO' does not exist for the field 'project'."],
      errors: {},
    });
  });

  it('shows the same issue to a user who may browse it', async () => {
    const get = await site.call(AS.member, 'GET', '/rest/api/3/issue/PMO-1?fields=summary&properties=*all');
    expect(get.status).toBe(200);
    expect(get.json).toMatchObject({
      key: 'PMO-1',
      fields: { summary: 'Customer portal relaunch' },
      properties: { 'tollgate-health': { rag: 'red' } },
    });
  });
});

describe('bulk permission check (POST /rest/api/3/permissions/check)', () => {
  const check = (principal: (typeof AS)[keyof typeof AS], body: unknown) =>
    site.call(principal, 'POST', '/rest/api/3/permissions/check', body);
  const ids = () => ({
    projects: site.store.listProjects().map((project) => Number(project.id)),
    issues: ['PMO-1', 'DEL-2'].map((key) => Number(site.store.getIssue(key)?.id)),
  });

  it('names, of the projects and issues asked about, those the caller may browse; invalid ids are ignored', async () => {
    const { projects, issues } = ids();
    const pmo = Number(site.store.getProject('PMO')?.id);
    const del = Number(site.store.getProject('DEL')?.id);
    const body = {
      projectPermissions: [
        { permissions: ['BROWSE_PROJECTS'], projects: [...projects, 99999], issues: [...issues, 1] },
      ],
    };
    const member = await check(AS.member, body);
    expect(member.status).toBe(200);
    expect(member.json).toEqual({
      globalPermissions: [],
      projectPermissions: [
        { permission: 'BROWSE_PROJECTS', projects: expect.arrayContaining([pmo, del]) as number[], issues },
      ],
    });
    const outsider = await check(AS.outsider, body);
    expect(outsider.json).toEqual({
      globalPermissions: [],
      projectPermissions: [{ permission: 'BROWSE_PROJECTS', projects: [del], issues: [issues[1]] }],
    });
  });

  it('refuses more than 1,000 issues, an unknown permission, and checking someone else without Administer Jira', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => 10_000 + i);
    const tooMany = await check(AS.member, {
      projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], issues: many }],
    });
    expect(tooMany.status).toBe(400);
    const unknown = await check(AS.member, { projectPermissions: [{ permissions: ['FLY'], projects: [] }] });
    expect(unknown.status).toBe(400);
    const other = await check(AS.outsider, {
      accountId: PEOPLE.lead.accountId,
      projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], projects: ids().projects }],
    });
    expect(other.status).toBe(403);
  });
});

describe('editing', () => {
  it('refuses an edit without Edit issues (403) and applies one with it (204)', async () => {
    const refused = await site.call(AS.member, 'PUT', '/rest/api/3/issue/PMO-2', { fields: { duedate: '2026-10-01' } });
    expect([refused.status, refused.json]).toEqual([
      403,
      { errorMessages: ['You do not have permission to edit this issue'], errors: {} },
    ]);
    const done = await site.call(AS.owner, 'PUT', '/rest/api/3/issue/PMO-2', {
      fields: { duedate: '2026-10-01', assignee: { accountId: PEOPLE.owner.accountId } },
      update: { labels: [{ add: 'late' }, { remove: 'data' }] },
    });
    expect(done.status).toBe(204);
    expect(site.store.getIssue('PMO-2')?.fields).toMatchObject({
      duedate: '2026-10-01',
      assignee: PEOPLE.owner.accountId,
      labels: ['late'],
    });
  });

  it('refuses fields it cannot set, in the errors map', async () => {
    const refused = await site.call(AS.owner, 'PUT', '/rest/api/3/issue/PMO-2', {
      fields: { sprint: 4, duedate: 'soon' },
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      errorMessages: [],
      errors: { sprint: "Field 'sprint' cannot be set. It is not on the appropriate screen, or unknown." },
    });
    const badDate = await site.call(AS.owner, 'PUT', '/rest/api/3/issue/PMO-2', { fields: { duedate: 'soon' } });
    expect(badDate.json).toEqual({
      errorMessages: [],
      errors: { duedate: "'soon' is not a valid date (YYYY-MM-DD)." },
    });
  });

  it('creates issues for users with Create issues, returning id, key and self', async () => {
    const created = await site.call(AS.lead, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 'Confidential' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: '10009',
      key: 'SEC-2',
      self: 'http://jira.sandbox.test/rest/api/3/issue/10009',
    });
    const hidden = await site.call(AS.member, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 'Nope' },
    });
    expect([hidden.status, hidden.json]).toEqual([
      400,
      { errorMessages: [], errors: { project: 'valid project is required' } },
    ]);
  });
});

describe('GET mypermissions', () => {
  const ask = async (as: typeof AS.member | typeof AS.lead | typeof AS.outsider, query: string) =>
    site.call(as, 'GET', `/rest/api/3/mypermissions?${query}`);

  it("reports permissions in an issue's project in Jira's shape", async () => {
    const response = await ask(AS.member, 'permissions=BROWSE_PROJECTS,EDIT_ISSUES&issueKey=PMO-1');
    expect(response.json).toEqual({
      permissions: {
        BROWSE_PROJECTS: {
          id: '10',
          key: 'BROWSE_PROJECTS',
          name: 'Browse Projects',
          type: 'PROJECT',
          description: 'Ability to browse projects and the issues within them.',
          havePermission: true,
        },
        EDIT_ISSUES: {
          id: '12',
          key: 'EDIT_ISSUES',
          name: 'Edit Issues',
          type: 'PROJECT',
          description: 'Ability to edit issues.',
          havePermission: false,
        },
      },
    });
  });

  it('uses project context, and the global context (any project) without one', async () => {
    const inDel = (await ask(AS.member, 'permissions=EDIT_ISSUES&projectKey=DEL')).json as {
      permissions: Record<string, { havePermission: boolean }>;
    };
    expect(inDel.permissions.EDIT_ISSUES?.havePermission).toBe(true);
    const global = (await ask(AS.outsider, 'permissions=EDIT_ISSUES,BROWSE_PROJECTS,ADMINISTER')).json as {
      permissions: Record<string, { havePermission: boolean }>;
    };
    expect(
      Object.fromEntries(Object.entries(global.permissions).map(([key, value]) => [key, value.havePermission])),
    ).toEqual({ EDIT_ISSUES: false, BROWSE_PROJECTS: true, ADMINISTER: false });
    const admin = (await ask(AS.lead, 'permissions=ADMINISTER')).json as {
      permissions: Record<string, { havePermission: boolean; type: string }>;
    };
    expect(admin.permissions.ADMINISTER).toMatchObject({ havePermission: true, type: 'GLOBAL' });
  });

  it('refuses a missing or unknown permissions parameter with 400', async () => {
    const missing = await ask(AS.member, 'issueKey=PMO-1');
    expect([missing.status, missing.json]).toEqual([
      400,
      {
        errorMessages: ["The 'permissions' query parameter is required, e.g. permissions=BROWSE_PROJECTS."],
        errors: {},
      },
    ]);
    expect((await ask(AS.member, 'permissions=FLY')).status).toBe(400);
  });

  it('answers 404 for an issue or project the user cannot see', async () => {
    expect((await ask(AS.outsider, 'permissions=BROWSE_PROJECTS&issueKey=PMO-1')).json).toEqual(NOT_FOUND);
    const project = await ask(AS.outsider, 'permissions=BROWSE_PROJECTS&projectKey=SEC');
    expect([project.status, project.json]).toEqual([
      404,
      { errorMessages: ["No project could be found with key 'SEC'."], errors: {} },
    ]);
  });
});

describe('myself and groups', () => {
  it('describes the signed-in user', async () => {
    const me = await site.call(AS.lead, 'GET', '/rest/api/3/myself?expand=groups');
    expect(me.json).toEqual({
      self: 'http://jira.sandbox.test/rest/api/3/user?accountId=acc-petra',
      accountId: 'acc-petra',
      accountType: 'atlassian',
      emailAddress: 'petra@example.com',
      avatarUrls: expect.objectContaining({ '48x48': expect.stringContaining('/universal_avatar/') }),
      displayName: 'Petra Lund',
      active: true,
      timeZone: 'Europe/Oslo',
      locale: 'en_GB',
      groups: { size: 1, items: [expect.objectContaining({ name: 'pmo', groupId: expect.any(String) })] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  });

  it('describes the app as an app account without an email', async () => {
    const me = (await site.call(AS.app, 'GET', '/rest/api/3/myself')).json as Record<string, unknown>;
    expect(me).toMatchObject({ accountId: site.store.appAccountId, accountType: 'app', displayName: 'Tollgate' });
    expect(me).not.toHaveProperty('emailAddress');
  });

  it("lists a user's groups", async () => {
    const groups = await site.call(AS.member, 'GET', `/rest/api/3/user/groups?accountId=${PEOPLE.owner.accountId}`);
    expect(groups.json).toEqual([
      {
        name: 'delivery',
        groupId: site.store.getGroup('delivery')?.groupId,
        self: `http://jira.sandbox.test/rest/api/3/group?groupId=${site.store.getGroup('delivery')?.groupId ?? ''}`,
      },
    ]);
    expect((await site.call(AS.member, 'GET', '/rest/api/3/user/groups?accountId=ghost')).status).toBe(404);
    expect((await site.call(AS.member, 'GET', '/rest/api/3/user/groups')).status).toBe(400);
  });
});

describe('authentication over HTTP', () => {
  let server: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    server = Fastify({ logger: false });
    await server.register(site.plugin);
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  const basic = (email: string, token: string): string =>
    `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

  it('serves a user who signs in with email and API token', async () => {
    const response = await fetch(`${base}/rest/api/3/myself`, {
      headers: { authorization: basic(PEOPLE.member.email, PEOPLE.member.apiToken) },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { accountId: string }).accountId).toBe(PEOPLE.member.accountId);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: basic(PEOPLE.member.email, 'guess') }],
    ['an unknown email', { authorization: basic('who@example.com', 'x') }],
    ['a bearer token', { authorization: 'Bearer abc' }],
    ['a claimed principal without the secret', { [PRINCIPAL_HEADER]: 'app' }],
    ['a claimed principal with a guessed secret', { [PRINCIPAL_HEADER]: 'app', [INTERNAL_SECRET_HEADER]: 'guess' }],
  ])("answers %s with Jira's 401", async (_what, headers: Record<string, string>) => {
    const response = await fetch(`${base}/rest/api/3/search/jql?jql=project%3DDEL`, { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: UNAUTHENTICATED, 'status-code': 401 });
  });

  it('answers an unknown path with 404 whether or not the caller signed in, as Jira does', async () => {
    const response = await fetch(`${base}/rest/api/3/nope`);
    expect(response.status).toBe(404);
  });

  it('serves avatars without credentials, as images', async () => {
    const response = await fetch(`${base}/rest/api/3/universal_avatar/view/type/user/avatar/${PEOPLE.lead.accountId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toContain('>PL<');
  });
});
