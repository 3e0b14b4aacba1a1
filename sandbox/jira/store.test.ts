import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJiraStore, PROPERTY_VALUE_MAX_LENGTH, StoreError, type JiraStore, type StoreEvent } from './store';
import { AS, manualClock, PEOPLE, seedTestSite } from './testing';

function seeded(path = ':memory:'): JiraStore {
  const store = openJiraStore({ path, clock: manualClock('2026-05-01T09:00:00.000Z') });
  seedTestSite(store);
  return store;
}

describe('ids, keys and determinism', () => {
  it('numbers issues from 10000 site-wide and keys them per project', () => {
    const store = seeded();
    expect(store.listIssues().map((issue) => [issue.id, issue.key])).toEqual([
      ['10000', 'PMO-1'],
      ['10001', 'PMO-2'],
      ['10002', 'PMO-3'],
      ['10003', 'PMO-4'],
      ['10004', 'PMO-5'],
      ['10005', 'PMO-6'],
      ['10006', 'DEL-1'],
      ['10007', 'DEL-2'],
      ['10008', 'SEC-1'],
    ]);
    store.close();
  });

  it('builds the same site from the same seed and clock', () => {
    const a = seeded();
    const b = seeded();
    expect(JSON.stringify(a.listIssues())).toBe(JSON.stringify(b.listIssues()));
    expect(a.listStatuses()).toEqual(b.listStatuses());
    expect(a.getGroup('pmo')).toEqual(b.getGroup('pmo'));
    a.close();
    b.close();
  });

  it('finds issues by id or by key in any case', () => {
    const store = seeded();
    expect(store.getIssue('10001')?.key).toBe('PMO-2');
    expect(store.getIssue('pmo-2')?.id).toBe('10001');
    expect(store.getIssue('PMO-99')).toBeUndefined();
    store.close();
  });
});

describe('persistence', () => {
  it('keeps everything in its file across a restart, sequences included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jira-store-'));
    try {
      const path = join(dir, 'jira.sqlite');
      const first = seeded(path);
      first.setProperty('PMO-1', 'tollgate-raid', { items: [1, 2] }, AS.lead);
      first.close();
      const second = openJiraStore({ path, clock: manualClock('2026-05-02T09:00:00.000Z') });
      expect(second.getIssue('PMO-6')?.fields.summary).toBe('Warehouse robotics pilot');
      expect(second.getProperty('10000', 'tollgate-raid')).toEqual({ items: [1, 2] });
      expect(second.authenticate(PEOPLE.lead.email, PEOPLE.lead.apiToken)?.accountId).toBe(PEOPLE.lead.accountId);
      expect(second.createIssue({ project: 'PMO', issueType: 'Epic', summary: 'After restart' }, AS.lead)).toEqual({
        id: '10009',
        key: 'PMO-7',
      });
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('events', () => {
  it('are delivered after the transaction commits, with the acting principal', () => {
    const store = seeded();
    const seen: StoreEvent[] = [];
    store.onEvent((event) => seen.push(event));
    store.transaction(() => {
      store.createIssue({ project: 'DEL', issueType: 'Task', summary: 'One' }, AS.owner);
      store.setProperty('DEL-3', 'p', 1, AS.app);
      expect(seen).toEqual([]);
    });
    expect(seen.map((event) => [event.eventType, event.actor, event.issueId])).toEqual([
      ['avi:jira:created:issue', AS.owner, '10009'],
      ['avi:jira:set:issue-property', AS.app, '10009'],
    ]);
    store.close();
  });

  it('are dropped, with the change, when the transaction rolls back', () => {
    const store = seeded();
    const seen: StoreEvent[] = [];
    store.onEvent((event) => seen.push(event));
    expect(() =>
      store.transaction(() => {
        store.setProperty('PMO-1', 'p', 1, AS.lead);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(seen).toEqual([]);
    expect(store.getProperty('10000', 'p')).toBeUndefined();
    store.close();
  });

  it('are not emitted for updates that change nothing', () => {
    const store = seeded();
    const seen: StoreEvent[] = [];
    store.onEvent((event) => seen.push(event));
    expect(store.updateIssue('PMO-1', { summary: 'Customer portal relaunch' }, AS.lead)).toEqual([]);
    expect(seen).toEqual([]);
    store.close();
  });
});

describe('permissions', () => {
  it('grants by group, by user and to anyone, and gives the app everything', () => {
    const store = seeded();
    expect(store.hasProjectPermission(AS.member, 'PMO', 'BROWSE_PROJECTS')).toBe(true);
    expect(store.hasProjectPermission(AS.member, 'PMO', 'EDIT_ISSUES')).toBe(false);
    expect(store.hasProjectPermission(AS.owner, 'PMO', 'EDIT_ISSUES')).toBe(true);
    expect(store.hasProjectPermission(AS.outsider, 'DEL', 'BROWSE_PROJECTS')).toBe(true);
    expect(store.hasProjectPermission(AS.outsider, 'PMO', 'BROWSE_PROJECTS')).toBe(false);
    expect(store.hasProjectPermission(AS.app, 'SEC', 'EDIT_ISSUES')).toBe(true);
    expect(store.hasProjectPermission(AS.app, 'NOPE', 'BROWSE_PROJECTS')).toBe(false);
    expect(store.browsableProjectKeys(AS.member)).toEqual(['DEL', 'PMO']);
    store.close();
  });

  it('lets TRANSITION_ISSUES and CREATE_ISSUES follow EDIT_ISSUES unless the scheme names them', () => {
    const store = seeded();
    expect(store.hasProjectPermission(AS.owner, 'PMO', 'TRANSITION_ISSUES')).toBe(true);
    expect(store.hasProjectPermission(AS.member, 'PMO', 'CREATE_ISSUES')).toBe(false);
    store.setProjectPermissions('PMO', {
      BROWSE_PROJECTS: [{ type: 'anyone' }],
      EDIT_ISSUES: [{ type: 'group', group: 'PMO' }],
      TRANSITION_ISSUES: [],
    });
    expect(store.hasProjectPermission(AS.lead, 'PMO', 'EDIT_ISSUES')).toBe(true);
    expect(store.hasProjectPermission(AS.lead, 'PMO', 'TRANSITION_ISSUES')).toBe(false);
    store.close();
  });

  it('withdraws everything from a deactivated user, including sign-in', () => {
    const store = openJiraStore({ path: ':memory:' });
    store.createUser({
      accountId: 'gone',
      displayName: 'Gone',
      email: 'gone@example.com',
      apiToken: 't',
      active: false,
    });
    store.createProject('OLD', 'Old', 'gone', { BROWSE_PROJECTS: [{ type: 'anyone' }] });
    expect(store.hasProjectPermission({ kind: 'user', accountId: 'gone' }, 'OLD', 'BROWSE_PROJECTS')).toBe(false);
    expect(store.authenticate('gone@example.com', 't')).toBeUndefined();
    store.close();
  });

  it('signs users in by email (any case) and token', () => {
    const store = seeded();
    expect(store.authenticate('PETRA@example.com', PEOPLE.lead.apiToken)?.accountId).toBe(PEOPLE.lead.accountId);
    expect(store.authenticate(PEOPLE.lead.email, 'nope')).toBeUndefined();
    expect(store.authenticate('nobody@example.com', 'x')).toBeUndefined();
    store.close();
  });

  it('holds global permissions by group', () => {
    const store = seeded();
    expect(store.hasGlobalPermission(AS.lead, 'ADMINISTER')).toBe(true);
    expect(store.hasGlobalPermission(AS.owner, 'ADMINISTER')).toBe(false);
    expect(store.hasGlobalPermission(AS.app, 'ADMINISTER')).toBe(true);
    store.close();
  });
});

describe('workflows and transitions', () => {
  it('offers the transitions from the current status', () => {
    const store = seeded();
    const issue = store.getIssue('PMO-1');
    expect(issue && store.availableTransitions(issue).map((t) => t.name)).toEqual(['Pass gate 2', 'Close']);
    const closed = store.getIssue('PMO-4');
    // The global "Close" is not offered to an issue already Closed.
    expect(closed && store.availableTransitions(closed).map((t) => t.name)).toEqual(['Reopen']);
    store.close();
  });

  it('sets the resolution on entering done and clears it on leaving, with changelog entries', () => {
    const clock = manualClock('2026-05-01T09:00:00.000Z');
    const store = openJiraStore({ path: ':memory:', clock });
    seedTestSite(store);
    clock.set('2026-05-02T10:00:00.000Z');
    const items = store.transitionIssue('PMO-1', '31', AS.owner);
    expect(items.map((item) => [item.field, item.fromString, item.toString])).toEqual([
      ['resolution', null, 'Done'],
      ['status', 'Discovery', 'Closed'],
    ]);
    let fields = store.getIssue('PMO-1')?.fields;
    expect(fields?.resolution).toBe('Done');
    expect(fields?.resolutiondate).toBe('2026-05-02T10:00:00.000+0000');
    expect(fields?.statuscategorychangedate).toBe('2026-05-02T10:00:00.000+0000');
    store.transitionIssue('PMO-1', '41', AS.owner);
    fields = store.getIssue('PMO-1')?.fields;
    expect([fields?.resolution, fields?.resolutiondate]).toEqual([null, null]);
    expect(store.changelog('PMO-1').map((entry) => entry.author)).toEqual([AS.owner, AS.owner]);
    expect(() => store.transitionIssue('PMO-1', '21', AS.owner)).toThrow(
      new StoreError("Transition id '21' is not valid for this issue.", 'invalid', 'transition'),
    );
    store.close();
  });

  it('records field changes as Jira changelog items', () => {
    const store = seeded();
    const items = store.updateIssue(
      'PMO-3',
      {
        assignee: PEOPLE.member.accountId,
        labels: ['facilities'],
        priority: 'High',
        customFields: { customfield_10010: 8 },
      },
      AS.lead,
    );
    expect(items.map((item) => [item.field, item.fromString, item.toString])).toEqual([
      ['priority', 'Low', 'High'],
      ['assignee', null, 'Mia Holm'],
      ['labels', null, 'facilities'],
      ['customfield_10010', null, '8'],
    ]);
    expect(store.getIssue('PMO-3')?.customFields).toEqual({ customfield_10010: 8 });
    store.close();
  });
});

describe('refusals', () => {
  it.each<[string, (store: JiraStore) => unknown, string]>([
    ['a lower-case project key', (s) => s.createProject('abc', 'x', PEOPLE.lead.accountId, {}), 'Project keys must'],
    ['a taken project key', (s) => s.createProject('PMO', 'x', PEOPLE.lead.accountId, {}), 'already exists'],
    ['a label with a space', (s) => s.updateIssue('PMO-1', { labels: ['two words'] }, AS.lead), 'contains spaces'],
    [
      'a due date that is not a date',
      (s) => s.updateIssue('PMO-1', { duedate: '2026-02-30' }, AS.lead),
      'not a valid date',
    ],
    ['an unknown assignee', (s) => s.updateIssue('PMO-1', { assignee: 'ghost' }, AS.lead), 'does not exist'],
    ['an empty summary', (s) => s.createIssue({ project: 'PMO', issueType: 'Epic', summary: ' ' }, AS.lead), 'summary'],
    [
      'an unknown status',
      (s) => s.createIssue({ project: 'PMO', issueType: 'Epic', summary: 'x', status: 'Nope' }, AS.lead),
      'Status',
    ],
    [
      'a property value over the limit',
      (s) => s.setProperty('PMO-1', 'big', 'x'.repeat(PROPERTY_VALUE_MAX_LENGTH), AS.lead),
      'too long',
    ],
    [
      'a property key over 255 characters',
      (s) => s.setProperty('PMO-1', 'k'.repeat(256), 1, AS.lead),
      'between 1 and 255',
    ],
    ['a duplicate email', (s) => s.createUser({ ...PEOPLE.lead, accountId: 'other' }), 'taken'],
    [
      'an unknown time zone',
      (s) => s.createUser({ accountId: 'z', displayName: 'Z', email: 'z@x', apiToken: 't', timeZone: 'Mars/Base' }),
      'time zone',
    ],
  ])('refuses %s', (_what, act, message) => {
    const store = seeded();
    expect(() => act(store)).toThrow(message);
    store.close();
  });

  it('reports whether a property was created or replaced', () => {
    const store = seeded();
    expect(store.setProperty('PMO-2', 'k', { v: 1 }, AS.lead)).toEqual({ created: true });
    expect(store.setProperty('PMO-2', 'k', { v: 2 }, AS.lead)).toEqual({ created: false });
    expect(store.getProperty('10001', 'k')).toEqual({ v: 2 });
    expect(store.propertyKeys('10001')).toEqual(['k', 'tollgate-health']);
    expect(store.deleteProperty('PMO-2', 'k', AS.lead)).toBe(true);
    expect(store.deleteProperty('PMO-2', 'k', AS.lead)).toBe(false);
    store.close();
  });
});
