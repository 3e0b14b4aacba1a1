/**
 * The Jira port against the sandbox's test site (sandbox/jira/testing.ts): PMO-1…6 in a registry project the
 * delivery group may browse, DEL-1/2 that anyone may browse, SEC-1 that only the PMO may browse.
 */
import { AS, PEOPLE } from '../../../sandbox/jira/testing';
import { ForbiddenError, JiraRejectedError, NotFoundError } from '../../app/errors';
import { type Acting, type JiraPort, type RegistryIssue } from '../../app/ports';
import { createJiraAdapter } from './jira-adapter';
import { createJiraClient, forgeTransport, JiraResponseShapeError, type JiraTransport } from './jira-client';
import { type JiraSandbox, startJiraSandbox } from './testing/jira-sandbox';

const LEAD = PEOPLE.lead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const user = (accountId: string): Acting => ({ as: 'user', accountId });
const APP: Acting = { as: 'app' };
const EVERYTHING = 'created >= "2000-01-01" ORDER BY key';
const TOLLGATE_PROPERTIES = ['tollgate-governance', 'tollgate-raid', 'tollgate-health'];

/** A transport that lets `edit` rewrite each IssueBean Jira sends, to stand for a malformed one. */
function tampering(edit: (bean: Record<string, unknown>) => void): JiraTransport {
  return async (acting, path, init) => {
    const response = await forgeTransport(acting, path, init);
    const body = (await response.json()) as { issues?: Array<Record<string, unknown>> } & Record<string, unknown>;
    if (Array.isArray(body.issues)) body.issues.forEach(edit);
    else edit(body);
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

describe('the Jira adapter', () => {
  let sandbox: JiraSandbox;
  let jira: JiraPort;

  beforeEach(async () => {
    sandbox = await startJiraSandbox();
    jira = sandbox.jira;
  });
  afterEach(async () => {
    sandbox.assertRequestsConform();
    await sandbox.close();
  });

  const idOf = (key: string): string => {
    const issue = sandbox.site.store.getIssue(key);
    if (!issue) throw new Error(`the test site has no ${key}`);
    return issue.id;
  };

  describe('searchPage', () => {
    it('maps the fields and properties health needs, and every requested field by id', async () => {
      sandbox.site.store.updateIssue('PMO-1', { customFields: { customfield_10050: { value: 'Finance' } } }, AS.lead);
      sandbox.site.store.setProperty('PMO-1', 'tollgate-governance', { schema: 1, stage: 'G2' }, AS.lead);

      const page = await sandbox.as(LEAD, () =>
        jira.searchPage(user(LEAD), {
          jql: 'project = PMO ORDER BY key',
          fields: ['customfield_10050', 'labels'],
          properties: TOLLGATE_PROPERTIES,
        }),
      );

      expect(page.unreadable).toEqual([]);
      expect(page.nextPageToken).toBeNull();
      expect(page.issues.map((issue) => issue.key)).toEqual(['PMO-1', 'PMO-2', 'PMO-3', 'PMO-4', 'PMO-5', 'PMO-6']);
      expect(page.issues[0]).toEqual<RegistryIssue>({
        id: idOf('PMO-1'),
        key: 'PMO-1',
        summary: 'Customer portal relaunch',
        statusName: 'Discovery',
        statusCategory: 'indeterminate',
        assigneeAccountId: OWNER,
        assigneeName: 'Owen Berg',
        duedate: '2026-04-20',
        created: '2026-01-05T10:00:00.000Z',
        projectId: expect.stringMatching(/^\d+$/) as string,
        securityLevelId: null,
        customFields: { customfield_10050: { value: 'Finance' }, labels: ['digital', 'customer'] },
        properties: {
          'tollgate-governance': { schema: 1, stage: 'G2' },
          'tollgate-health': {
            rag: 'red',
            stage: 'G2',
            riskMax: 20,
            nextGateDate: '2026-05-10',
            owner: OWNER,
          },
        },
      });
      expect(page.issues[2]).toMatchObject({
        key: 'PMO-3',
        statusCategory: 'new',
        assigneeAccountId: null,
        assigneeName: null,
        duedate: null,
        customFields: { customfield_10050: null, labels: [] },
      });
      expect(page.issues[3]).toMatchObject({ key: 'PMO-4', statusCategory: 'done' });
      expect(page.issues[5]?.properties).toEqual({});
    });

    it('asks Jira for explicit fields, properties and a page of 100', async () => {
      await sandbox.as(LEAD, () =>
        jira.searchPage(user(LEAD), { jql: 'project = PMO', fields: ['labels'], properties: ['tollgate-health'] }),
      );
      const request = sandbox.sent.at(-1);
      expect(request).toMatchObject({ method: 'POST', path: '/rest/api/3/search/jql' });
      expect(JSON.parse(request?.body ?? '{}')).toEqual({
        jql: 'project = PMO',
        fields: ['summary', 'status', 'assignee', 'duedate', 'created', 'project', 'security', 'labels'],
        properties: ['tollgate-health'],
        maxResults: 100,
      });
    });

    it('hands back the page token until the last page', async () => {
      const query = { jql: 'project = PMO ORDER BY key', fields: [], properties: [], maxResults: 4 };
      const first = await sandbox.as(LEAD, () => jira.searchPage(user(LEAD), query));
      expect(first.issues).toHaveLength(4);
      expect(first.nextPageToken).toEqual(expect.any(String));
      const second = await sandbox.as(LEAD, () =>
        jira.searchPage(user(LEAD), { ...query, nextPageToken: first.nextPageToken ?? undefined }),
      );
      expect(second.issues.map((issue) => issue.key)).toEqual(['PMO-5', 'PMO-6']);
      expect(second.nextPageToken).toBeNull();
    });

    it('shows a user only what Jira lets them browse', async () => {
      const keys = async (accountId: string): Promise<string[]> =>
        (
          await sandbox.as(accountId, () =>
            jira.searchPage(user(accountId), { jql: EVERYTHING, fields: [], properties: [] }),
          )
        ).issues.map((issue) => issue.key);
      expect(await keys(OUTSIDER)).toEqual(['DEL-1', 'DEL-2']);
      expect(await keys(MEMBER)).not.toContain('SEC-1');
      expect(await keys(LEAD)).toContain('SEC-1');
    });

    it('reports a malformed issue in unreadable and serves the rest of the page', async () => {
      const client = createJiraClient({
        transport: tampering((bean) => {
          const fields = bean.fields as Record<string, unknown>;
          if (bean.key === 'PMO-2') fields.status = 'Delivery';
          if (bean.key === 'PMO-4') fields.created = 'last Tuesday';
          if (bean.key === 'PMO-5') delete bean.key;
        }),
      });
      const page = await sandbox.as(LEAD, () =>
        createJiraAdapter({ client }).searchPage(user(LEAD), {
          jql: 'project = PMO ORDER BY key',
          fields: [],
          properties: ['tollgate-health'],
        }),
      );
      expect(page.issues.map((issue) => issue.key)).toEqual(['PMO-1', 'PMO-3', 'PMO-6']);
      expect(page.unreadable).toEqual([
        { key: 'PMO-2', problem: expect.stringMatching(/^fields\.status: /) },
        { key: 'PMO-4', problem: expect.stringMatching(/^fields\.created: expected a Jira timestamp/) },
        { key: `id ${idOf('PMO-5')}`, problem: expect.stringMatching(/^key: /) },
      ]);
    });

    it("reads Jira's No Category status as not started", async () => {
      const client = createJiraClient({
        transport: tampering((bean) => {
          const fields = bean.fields as { status: { statusCategory: { key: string } } };
          fields.status.statusCategory.key = 'undefined';
        }),
      });
      const page = await sandbox.as(LEAD, () =>
        createJiraAdapter({ client }).searchPage(user(LEAD), { jql: 'key = PMO-2', fields: [], properties: [] }),
      );
      expect(page.issues[0]?.statusCategory).toBe('new');
    });

    it('refuses, without asking Jira, more than 5 properties or a page outside 1–100', async () => {
      const search = (properties: readonly string[], maxResults?: number): Promise<unknown> =>
        sandbox.as(LEAD, () =>
          jira.searchPage(user(LEAD), { jql: 'project = PMO', fields: [], properties, maxResults }),
        );
      await expect(search(['a', 'b', 'c', 'd', 'e', 'f'])).rejects.toThrow(RangeError);
      await expect(search([], 101)).rejects.toThrow(RangeError);
      await expect(search([], 0)).rejects.toThrow(RangeError);
      expect(sandbox.sent).toEqual([]);
    });

    it("passes Jira's refusal of the JQL on with Jira's words", async () => {
      const error = await sandbox
        .as(LEAD, () => jira.searchPage(user(LEAD), { jql: 'project = ', fields: [], properties: [] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JiraRejectedError);
      expect((error as JiraRejectedError).jiraMessages.join(' ')).not.toBe('');
    });
  });

  describe('getIssue', () => {
    it('reads one issue with the requested fields and properties', async () => {
      const issue = await sandbox.as(MEMBER, () =>
        jira.getIssue(user(MEMBER), 'PMO-2', ['labels'], ['tollgate-health', 'tollgate-raid']),
      );
      expect(issue).toMatchObject({
        id: idOf('PMO-2'),
        key: 'PMO-2',
        summary: 'Data warehouse migration',
        statusName: 'Delivery',
        assigneeAccountId: MEMBER,
        customFields: { labels: ['data'] },
        properties: { 'tollgate-health': { rag: 'amber', stage: 'G3' } },
      });
      expect(sandbox.sent.at(-1)?.path).toBe(
        '/rest/api/3/issue/PMO-2?fields=summary%2Cstatus%2Cassignee%2Cduedate%2Ccreated%2Cproject%2Csecurity%2Clabels' +
          '&properties=tollgate-health%2Ctollgate-raid',
      );
    });

    it('answers null for an issue the user may not browse, and for one that does not exist', async () => {
      await expect(sandbox.as(OUTSIDER, () => jira.getIssue(user(OUTSIDER), 'SEC-1', [], []))).resolves.toBeNull();
      await expect(sandbox.as(LEAD, () => jira.getIssue(user(LEAD), 'PMO-99', [], []))).resolves.toBeNull();
      await expect(sandbox.as(LEAD, () => jira.getIssue(user(LEAD), 'SEC-1', [], []))).resolves.toMatchObject({
        summary: 'Board succession plan',
      });
    });

    it('fails with JiraResponseShapeError, naming the issue, when Jira sends one it cannot read', async () => {
      const client = createJiraClient({
        transport: tampering((bean) => {
          (bean.fields as Record<string, unknown>).summary = 42;
        }),
      });
      const error = await sandbox
        .as(LEAD, () => createJiraAdapter({ client }).getIssue(user(LEAD), 'PMO-1', [], []))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JiraResponseShapeError);
      expect((error as Error).message).toContain('"read issue PMO-1"');
      expect((error as Error).message).toContain('fields.summary');
    });
  });

  describe('issue properties', () => {
    it('writes, reads back and removes a property', async () => {
      await sandbox.as(LEAD, async () => {
        await jira.setProperty(APP, 'PMO-3', 'tollgate-governance', { schema: 1, rev: 7 });
        expect(sandbox.site.store.getProperty(idOf('PMO-3'), 'tollgate-governance')).toEqual({ schema: 1, rev: 7 });
        const read = await jira.getIssue(user(LEAD), 'PMO-3', [], ['tollgate-governance']);
        expect(read?.properties).toEqual({ 'tollgate-governance': { schema: 1, rev: 7 } });
        await jira.deleteProperty(APP, 'PMO-3', 'tollgate-governance');
      });
      expect(sandbox.site.store.getProperty(idOf('PMO-3'), 'tollgate-governance')).toBeUndefined();
    });

    it("refuses a value over Jira's 32,768 characters with Jira's message, and stores nothing", async () => {
      const value = { notes: 'x'.repeat(32_768) };
      const error = await sandbox
        .as(LEAD, () => jira.setProperty(APP, 'PMO-1', 'tollgate-raid', value))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JiraRejectedError);
      expect((error as JiraRejectedError).jiraMessages).toEqual([
        'The property value cannot be longer than 32768 characters.',
      ]);
      expect(sandbox.site.store.getProperty(idOf('PMO-1'), 'tollgate-raid')).toBeUndefined();
    });

    it('refuses a user without edit permission with ForbiddenError, and stores nothing', async () => {
      await expect(
        sandbox.as(MEMBER, () => jira.setProperty(user(MEMBER), 'PMO-1', 'tollgate-raid', { items: [] })),
      ).rejects.toBeInstanceOf(ForbiddenError);
      expect(sandbox.site.store.getProperty(idOf('PMO-1'), 'tollgate-raid')).toBeUndefined();
    });

    it('reports removing a property that is not there as NotFoundError', async () => {
      await expect(sandbox.as(LEAD, () => jira.deleteProperty(APP, 'PMO-1', 'tollgate-raid-2'))).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('refuses undefined, which has no JSON form, before sending anything', async () => {
      await expect(sandbox.as(LEAD, () => jira.setProperty(APP, 'PMO-1', 'tollgate-raid', undefined))).rejects.toThrow(
        TypeError,
      );
      expect(sandbox.sent).toEqual([]);
    });
  });

  describe('permission questions', () => {
    const permissionsOn = (accountId: string, issue: string): Promise<unknown> =>
      sandbox.as(accountId, () => jira.permissionsOn(accountId, issue));

    it("answers browse/edit on an issue with Jira's own verdict, asked as that user", async () => {
      await expect(permissionsOn(LEAD, 'PMO-1')).resolves.toEqual({ browse: true, edit: true });
      await expect(permissionsOn(OWNER, 'PMO-1')).resolves.toEqual({ browse: true, edit: true });
      await expect(permissionsOn(MEMBER, 'PMO-1')).resolves.toEqual({ browse: true, edit: false });
      await expect(permissionsOn(MEMBER, idOf('DEL-1'))).resolves.toEqual({ browse: true, edit: true });
      await expect(permissionsOn(OUTSIDER, 'PMO-1')).resolves.toEqual({ browse: false, edit: false });
      const principals = sandbox.site.emulator.requestLog().map((entry) => entry.principal);
      expect(principals).toEqual([LEAD, OWNER, MEMBER, MEMBER, OUTSIDER].map((id) => `user:${id}`));
    });

    it('lists groups as the app, even where no user invoked', async () => {
      const groupsOf = (accountId: string): Promise<readonly string[]> =>
        sandbox.as(null, () => jira.groupsOf(accountId));
      await expect(groupsOf(LEAD)).resolves.toEqual(['pmo']);
      await expect(groupsOf(MEMBER)).resolves.toEqual(['delivery']);
      await expect(groupsOf(OUTSIDER)).resolves.toEqual([]);
      await expect(groupsOf('acc-nobody')).resolves.toEqual([]);
      expect(new Set(sandbox.site.emulator.requestLog().map((entry) => entry.principal))).toEqual(new Set(['app']));
    });

    it('checks in one request, as the user, which projects and issues they may browse', async () => {
      const projects = sandbox.site.store.listProjects().map((project) => project.id);
      const pmo = sandbox.site.store.getProject('PMO')?.id ?? '';
      const ids = { projectIds: projects, issueIds: [idOf('PMO-1'), idOf('DEL-1'), '99999999'] };
      const lead = await sandbox.as(LEAD, () => jira.browsable(LEAD, ids));
      expect(lead.projectIds).toContain(pmo);
      expect(lead.issueIds).toEqual([idOf('PMO-1'), idOf('DEL-1')]);
      const outsider = await sandbox.as(OUTSIDER, () => jira.browsable(OUTSIDER, ids));
      expect(outsider.projectIds).not.toContain(pmo);
      expect(outsider.issueIds).toEqual([idOf('DEL-1')]);
      expect(
        sandbox.site.emulator.requestLog().map((entry) => `${entry.method} ${entry.path} ${entry.principal}`),
      ).toEqual([
        `POST /rest/api/3/permissions/check user:${LEAD}`,
        `POST /rest/api/3/permissions/check user:${OUTSIDER}`,
      ]);
      await expect(
        sandbox.as(LEAD, () =>
          jira.browsable(LEAD, { projectIds: [], issueIds: Array.from({ length: 1001 }, String) }),
        ),
      ).rejects.toBeInstanceOf(RangeError);
    });

    it('knows who administers Jira', async () => {
      await expect(sandbox.as(LEAD, () => jira.isAdmin(LEAD))).resolves.toBe(true);
      await expect(sandbox.as(MEMBER, () => jira.isAdmin(MEMBER))).resolves.toBe(false);
    });
  });

  describe('statusOf', () => {
    it('reads a workflow status with its category, and answers null for an id Jira does not know', async () => {
      const closed = sandbox.site.store.getStatus('Closed')!;
      await expect(sandbox.as(null, () => jira.statusOf(APP, closed.id))).resolves.toEqual({
        id: closed.id,
        name: 'Closed',
        category: 'done',
      });
      await expect(sandbox.as(null, () => jira.statusOf(APP, '999999'))).resolves.toBeNull();
    });
  });

  describe('fieldChanges', () => {
    it("reads one field's changes, oldest first, with account ids for a user picker, and none of the others", async () => {
      const store = sandbox.site.store;
      const first = store.getIssue('PMO-1')!.fields.assignee;
      store.updateIssue('PMO-1', { assignee: MEMBER, summary: 'Renamed' }, AS.lead);
      sandbox.site.clock.advance(60_000);
      store.updateIssue('PMO-1', { labels: ['noise'] }, AS.lead);
      store.updateIssue('PMO-1', { assignee: OWNER }, AS.lead);
      store.updateIssue('PMO-1', { customFields: { customfield_10070: { accountId: LEAD } } }, AS.lead);
      const changes = await sandbox.as(null, () => jira.fieldChanges(APP, 'PMO-1', 'assignee'));
      expect(changes.map(({ from, to }) => [from, to])).toEqual([
        [first, MEMBER],
        [MEMBER, OWNER],
      ]);
      expect(changes[0]!.at < changes[1]!.at).toBe(true);
      await expect(sandbox.as(null, () => jira.fieldChanges(APP, 'PMO-1', 'customfield_10070'))).resolves.toEqual([
        { at: expect.any(String), from: null, to: LEAD },
      ]);
      await expect(sandbox.as(null, () => jira.fieldChanges(APP, 'PMO-2', 'assignee'))).resolves.toEqual([]);
    });
  });

  describe('groupMemberCount and countActivePeople', () => {
    it("counts a group's active members, says null for a group Jira does not have, and stops counting people early", async () => {
      const admin = user(LEAD);
      await expect(sandbox.as(LEAD, () => jira.groupMemberCount(admin, 'delivery'))).resolves.toBe(2);
      await expect(sandbox.as(LEAD, () => jira.groupMemberCount(admin, 'no-such-group'))).resolves.toBeNull();
      // Four people and the app user: the app is not a person.
      await expect(sandbox.as(LEAD, () => jira.countActivePeople(admin, 10))).resolves.toBe(4);
      await expect(sandbox.as(MEMBER, () => jira.groupMemberCount(user(MEMBER), 'delivery'))).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    });
  });

  describe('approximateCount', () => {
    it("counts what the actor may see, and passes Jira's refusal of bad JQL on", async () => {
      await expect(sandbox.as(LEAD, () => jira.approximateCount(user(LEAD), 'project = PMO'))).resolves.toBe(6);
      await expect(sandbox.as(OUTSIDER, () => jira.approximateCount(user(OUTSIDER), EVERYTHING))).resolves.toBe(2);
      await expect(
        sandbox.as(LEAD, () => jira.approximateCount(user(LEAD), 'project = PMO AND')),
      ).rejects.toBeInstanceOf(JiraRejectedError);
    });
  });

  it('keeps an issue key inside its path segment', async () => {
    await expect(
      sandbox.as(OUTSIDER, () => jira.getIssue(user(OUTSIDER), 'DEL-1/../../issue/SEC-1', [], [])),
    ).rejects.toThrow(/path manipulation/);
    expect(sandbox.sent).toEqual([]);
  });
});
