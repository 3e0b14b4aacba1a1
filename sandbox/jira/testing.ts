/**
 * A small, deterministic Jira site for the emulator's tests (and for anyone else's that need one): a PMO registry
 * project with its own gate workflow, a delivery project every signed-in user may browse, a secret project only
 * the PMO may browse, four people and the app, and `tollgate-health` properties indexed as manifest.yml indexes
 * them. Time stands still at 2026-05-01T09:00Z unless a test moves it.
 */
import { createJiraEmulator, indexedPropertiesFromManifest, type JiraEmulatorHandle } from './emulator';
import type { IndexedProperty } from './jql';
import type { SearchLagModel } from './search-index';
import { openJiraStore, type JiraStore, type JsonValue } from './store';
import type { JiraEmulator, JiraRequest, JiraResponse, Principal } from './types';

/** A clock tests can move. */
export interface ManualClock {
  (): Date;
  set(iso: string): void;
  advance(ms: number): void;
}

/** A clock standing at `iso` until moved. */
export function manualClock(iso: string): ManualClock {
  let now = Date.parse(iso);
  const clock = (() => new Date(now)) as ManualClock;
  clock.set = (next) => {
    now = Date.parse(next);
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

/** The site's people. Tokens are what REST clients pair with the email in Basic auth. */
export const PEOPLE = {
  lead: { accountId: 'acc-petra', displayName: 'Petra Lund', email: 'petra@example.com', apiToken: 'petra-token' },
  owner: { accountId: 'acc-owen', displayName: 'Owen Berg', email: 'owen@example.com', apiToken: 'owen-token' },
  member: { accountId: 'acc-mia', displayName: 'Mia Holm', email: 'mia@example.com', apiToken: 'mia-token' },
  outsider: { accountId: 'acc-otto', displayName: 'Otto Vik', email: 'otto@example.com', apiToken: 'otto-token' },
} as const;

/** Principals for the people above, and the app. */
export const AS = {
  app: { kind: 'app' },
  lead: { kind: 'user', accountId: PEOPLE.lead.accountId },
  owner: { kind: 'user', accountId: PEOPLE.owner.accountId },
  member: { kind: 'user', accountId: PEOPLE.member.accountId },
  outsider: { kind: 'user', accountId: PEOPLE.outsider.accountId },
} as const satisfies Record<string, Principal>;

/** The indexed values manifest.yml declares for `tollgate-health` (read from a copy of its shape). */
export const TEST_INDEXED_PROPERTIES: readonly IndexedProperty[] = indexedPropertiesFromManifest({
  modules: {
    'jira:entityProperty': [
      {
        key: 'tollgate-health-index',
        entityType: 'issue',
        propertyKey: 'tollgate-health',
        values: [
          { path: 'rag', type: 'string', searchAlias: 'tollgateHealth' },
          { path: 'stage', type: 'string', searchAlias: 'tollgateStage' },
          { path: 'riskMax', type: 'number', searchAlias: 'tollgateRiskMax' },
          { path: 'nextGateDate', type: 'date', searchAlias: 'tollgateNextGate' },
          { path: 'summaryText', type: 'text', searchAlias: 'tollgateNotes' },
          { path: 'owner', type: 'user', searchAlias: 'tollgateOwner' },
        ],
      },
    ],
  },
});

/** The test site's base URL. */
export const SITE_URL = 'http://jira.sandbox.test';

/** The registry issues, in creation order (PMO-1 … PMO-6). */
export const REGISTRY: ReadonlyArray<{
  readonly summary: string;
  readonly status: string;
  readonly assignee: string | null;
  readonly labels: readonly string[];
  readonly duedate: string | null;
  readonly priority: string;
  readonly created: string;
  readonly health: JsonValue;
}> = [
  {
    summary: 'Customer portal relaunch',
    status: 'Discovery',
    assignee: PEOPLE.owner.accountId,
    labels: ['digital', 'customer'],
    duedate: '2026-04-20',
    priority: 'High',
    created: '2026-01-05T10:00:00.000+0000',
    health: { rag: 'red', stage: 'G2', riskMax: 20, nextGateDate: '2026-05-10', owner: PEOPLE.owner.accountId },
  },
  {
    summary: 'Data warehouse migration',
    status: 'Delivery',
    assignee: PEOPLE.member.accountId,
    labels: ['data'],
    duedate: '2026-09-30',
    priority: 'Medium',
    created: '2026-02-01T08:30:00.000+0000',
    health: { rag: 'amber', stage: 'G3', riskMax: 12, nextGateDate: '2026-06-01', summaryText: 'Vendor delay on ETL' },
  },
  {
    summary: 'Office move to the harbour',
    status: 'Idea',
    assignee: null,
    labels: [],
    duedate: null,
    priority: 'Low',
    created: '2026-03-15T12:00:00.000+0000',
    health: { rag: 'green', stage: 'G1', riskMax: 4 },
  },
  {
    summary: 'ERP upgrade',
    status: 'Closed',
    assignee: PEOPLE.owner.accountId,
    labels: ['finance', 'digital'],
    duedate: '2026-03-01',
    priority: 'Highest',
    created: '2025-11-20T09:00:00.000+0000',
    health: { rag: 'green', stage: 'G5', riskMax: 2, nextGateDate: '2026-02-15' },
  },
  {
    summary: 'Customer data platform',
    status: 'Delivery',
    assignee: PEOPLE.lead.accountId,
    labels: ['data', 'customer'],
    duedate: '2026-05-01',
    priority: 'Medium',
    created: '2026-04-01T07:00:00.000+0000',
    health: { rag: 'Amber', stage: 'G3', riskMax: 15, nextGateDate: '2026-05-03' },
  },
  {
    summary: 'Warehouse robotics pilot',
    status: 'Discovery',
    assignee: PEOPLE.member.accountId,
    labels: ['ops'],
    duedate: '2026-12-31',
    priority: 'Lowest',
    created: '2026-04-20T15:45:00.000+0000',
    health: null,
  },
];

/** A built test site. */
export interface TestSite extends JiraEmulatorHandle {
  readonly clock: ManualClock;
  /** `emulator.handle` with a JSON body and a parsed JSON answer. */
  call(
    principal: Principal,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<JiraResponse & { readonly json: unknown }>;
}

/** Builds the test site in memory. */
export function buildTestSite(
  options: {
    readonly indexedProperties?: readonly IndexedProperty[];
    readonly unindexedPropertyPaths?: 'empty' | 'evaluate';
    /** The search index's lag; off here, since these tests are about JQL's meaning (search-index.test.ts tests it). */
    readonly searchLag?: SearchLagModel;
  } = {},
): TestSite {
  const clock = manualClock('2026-05-01T09:00:00.000Z');
  const store = openJiraStore({ path: ':memory:', clock });
  seedTestSite(store);
  const handle = createJiraEmulator({
    store,
    siteUrl: SITE_URL,
    indexedProperties: options.indexedProperties ?? TEST_INDEXED_PROPERTIES,
    ...(options.unindexedPropertyPaths ? { unindexedPropertyPaths: options.unindexedPropertyPaths } : {}),
    searchLag: options.searchLag ?? false,
  });
  return {
    ...handle,
    clock,
    async close() {
      await handle.close();
      store.close();
    },
    async call(principal, method, path, body) {
      const response = await handle.emulator.handle(
        {
          method,
          path,
          ...(body === undefined
            ? {}
            : {
                body: typeof body === 'string' ? body : JSON.stringify(body),
                headers: { 'content-type': 'application/json' },
              }),
        },
        principal,
      );
      return { ...response, json: parseOrUndefined(response.body) };
    },
  };
}

function parseOrUndefined(body: string): unknown {
  try {
    return body === '' ? undefined : JSON.parse(body);
  } catch {
    // Not JSON (an HTML error page, an avatar): tests read `body` instead.
    return undefined;
  }
}

/** Fills a store with the test site's users, groups, projects, workflow and issues. */
export function seedTestSite(store: JiraStore): void {
  store.transaction(() => {
    for (const person of Object.values(PEOPLE)) {
      store.createUser({ ...person, timeZone: 'Europe/Oslo', locale: 'en_GB' });
    }
    store.createGroup('pmo');
    store.createGroup('delivery');
    store.addToGroup('pmo', PEOPLE.lead.accountId);
    store.addToGroup('delivery', PEOPLE.owner.accountId);
    store.addToGroup('delivery', PEOPLE.member.accountId);
    store.grantGlobalPermission('ADMINISTER', { type: 'group', group: 'pmo' });

    store.createProject('PMO', 'PMO Registry', PEOPLE.lead.accountId, {
      BROWSE_PROJECTS: [
        { type: 'group', group: 'pmo' },
        { type: 'group', group: 'delivery' },
      ],
      EDIT_ISSUES: [
        { type: 'group', group: 'pmo' },
        { type: 'user', accountId: PEOPLE.owner.accountId },
      ],
    });
    store.createProject('DEL', 'Delivery', PEOPLE.owner.accountId, {
      BROWSE_PROJECTS: [{ type: 'anyone' }],
      EDIT_ISSUES: [{ type: 'group', group: 'delivery' }],
      DELETE_ISSUES: [{ type: 'group', group: 'delivery' }],
    });
    store.createProject('SEC', 'Board secrets', PEOPLE.lead.accountId, {
      BROWSE_PROJECTS: [{ type: 'group', group: 'pmo' }],
      EDIT_ISSUES: [{ type: 'group', group: 'pmo' }],
    });

    store.defineStatus({ name: 'Idea', category: 'new' });
    store.defineStatus({ name: 'Discovery', category: 'indeterminate' });
    store.defineStatus({ name: 'Delivery', category: 'indeterminate' });
    store.defineStatus({ name: 'Closed', category: 'done' });
    store.defineWorkflow('PMO', {
      initialStatus: 'Idea',
      transitions: [
        { id: '11', name: 'Start discovery', from: ['Idea'], to: 'Discovery' },
        { id: '21', name: 'Pass gate 2', from: ['Discovery'], to: 'Delivery' },
        { id: '31', name: 'Close', from: 'any', to: 'Closed' },
        { id: '41', name: 'Reopen', from: ['Closed'], to: 'Idea' },
      ],
    });

    for (const entry of REGISTRY) {
      store.createIssue(
        {
          project: 'PMO',
          issueType: 'Epic',
          summary: entry.summary,
          description: `${entry.summary}: business case and plan.`,
          status: entry.status,
          assignee: entry.assignee,
          reporter: PEOPLE.lead.accountId,
          labels: entry.labels,
          duedate: entry.duedate,
          priority: entry.priority,
          created: entry.created,
          ...(entry.health === null ? {} : { properties: { 'tollgate-health': entry.health } }),
        },
        AS.lead,
      );
    }
    store.createIssue({ project: 'DEL', issueType: 'Task', summary: 'Set up the build pipeline' }, AS.owner);
    store.createIssue(
      { project: 'DEL', issueType: 'Bug', summary: 'Login page times out', labels: ['customer'] },
      AS.member,
    );
    store.createIssue({ project: 'SEC', issueType: 'Task', summary: 'Board succession plan' }, AS.lead);
  });
}

/** The emulator with every request recorded into `sent` on its way in, so tests can hold them to Jira's contract. */
export function recordingEmulator(emulator: JiraEmulator, sent: JiraRequest[]): JiraEmulator {
  return {
    handle: (request, principal, via) => {
      sent.push(request);
      return emulator.handle(request, principal, via);
    },
    rateLimits: () => emulator.rateLimits(),
    searchIndexLagging: () => emulator.searchIndexLagging(),
    setLatency: (model) => emulator.setLatency(model),
    resetRateLimits: () => emulator.resetRateLimits(),
    events: emulator.events,
    setWorkflowValidator: (validator) => emulator.setWorkflowValidator(validator),
    setFaults: (plan) => emulator.setFaults(plan),
    faultsInjected: () => emulator.faultsInjected(),
    requestLog: () => emulator.requestLog(),
    resetRequestLog: () => emulator.resetRequestLog(),
  };
}
