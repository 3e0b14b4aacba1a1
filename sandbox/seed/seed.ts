/**
 * Puts the demo into an empty sandbox: the people and their groups, the PMO registry project (and a confidential
 * one the outsider cannot browse), two delivery projects, the registry workflow with one status per stage, the
 * forty registry projects with their Tollgate documents, and the steering-committee page in Confluence.
 */
import { type IsoDate } from '../../src/domain/time';
import type { ConfluenceStore, PageBlock } from '../host/confluence-store';
import type { JiraStore, PermissionHolder } from '../jira/store';
import { type DemoPortfolio, demoPortfolio } from './demo-portfolio';
import { ALL_PEOPLE, GROUPS, PEOPLE } from './people';

const group = (name: string): PermissionHolder => ({ type: 'group', group: name });

/** Registry statuses: one per stage of either template, then the lifecycle ends. */
const REGISTRY_STATUSES: ReadonlyArray<{ name: string; category: 'new' | 'indeterminate' | 'done' }> = [
  { name: 'Discovery', category: 'new' },
  { name: 'Starting Up', category: 'new' },
  ...[
    'Scoping',
    'Business Case',
    'Development',
    'Testing',
    'Launch',
    'Initiating',
    'Delivery',
    'Closing',
    'On Hold',
  ].map((name) => ({
    name,
    category: 'indeterminate' as const,
  })),
  { name: 'Done', category: 'done' },
  { name: 'Cancelled', category: 'done' },
];

/** Gate transitions move a project to its next stage; the Tollgate validator guards them. */
const GATE_PATHS: ReadonlyArray<readonly string[]> = [
  ['Discovery', 'Scoping', 'Business Case', 'Development', 'Testing', 'Launch'],
  ['Starting Up', 'Initiating', 'Delivery', 'Closing'],
];

function registryWorkflow() {
  const transitions = GATE_PATHS.flatMap((path) =>
    path.slice(1).map((to, i) => ({ name: `Pass gate to ${to}`, from: [path[i] as string], to })),
  );
  return {
    initialStatus: 'Discovery',
    transitions: [
      ...transitions,
      { name: 'Close project', from: ['Launch', 'Closing'], to: 'Done' },
      { name: 'Cancel project', from: 'any' as const, to: 'Cancelled' },
    ],
  };
}

/** The steering macro's module key, whose instances the steering page comes with already configured. */
const STEERING_MACRO = 'tollgate-steering-macro';

/**
 * The steering-committee page. The steering macro appears several times, configured as a PMO would for a monthly
 * review (the PMO registry's table, one project's status card, the risk heat map, the decision log); any other
 * macro the manifest declares gets one unconfigured block.
 */
function steeringPage(macroKeys: readonly string[], focusKey: string): PageBlock[] {
  const macro = (moduleKey: string, n: number, config: Record<string, unknown> | null): PageBlock => ({
    type: 'macro',
    moduleKey,
    localId: `steering-macro-${n}`,
    config,
  });
  const steering = macroKeys.includes(STEERING_MACRO);
  const others = macroKeys.filter((key) => key !== STEERING_MACRO);
  return [
    {
      type: 'paragraph',
      text: 'Monthly steering committee of the Nordlys Energy project portfolio. Figures below are live from Jira.',
    },
    { type: 'heading', text: 'Portfolio health' },
    ...(steering
      ? [
          macro(STEERING_MACRO, 1, {
            view: 'portfolio-table',
            jql: 'project = PMO',
            columns: ['key', 'summary', 'owner', 'stageName', 'rag', 'lastDecision', 'nextGateDate'],
            limit: 12,
          }),
          { type: 'heading', text: 'Project in focus' } as const,
          macro(STEERING_MACRO, 2, { view: 'project-status', projectKey: focusKey }),
          { type: 'heading', text: 'Risks' } as const,
          macro(STEERING_MACRO, 3, { view: 'heat-map' }),
          { type: 'heading', text: 'Gate decisions so far' } as const,
          macro(STEERING_MACRO, 4, { view: 'decision-log', limit: 8 }),
        ]
      : []),
    ...others.map((moduleKey, i) => macro(moduleKey, i + 5, null)),
    { type: 'heading', text: 'Decisions requested' },
    {
      type: 'paragraph',
      text: 'Gate 3 for the customer portal relaunch; the Conditional-Go on the substation digital twin has lapsed.',
    },
  ];
}

export interface SeedOptions {
  readonly today: IsoDate;
  /** Module keys of the app's Confluence macros, placed on the steering page. */
  readonly macroKeys: readonly string[];
  /** The registry projects to create instead of the demo's forty (benchmarks seed thousands). */
  readonly portfolio?: DemoPortfolio;
}

/** Seeds an empty store; run only on a fresh database (`npm run sandbox:reset` makes one). */
export function seedSandbox(store: JiraStore, confluence: ConfluenceStore, options: SeedOptions): { issues: number } {
  const demo = options.portfolio ?? demoPortfolio(options.today);
  store.transaction(() => {
    for (const name of Object.values(GROUPS)) store.createGroup(name);
    for (const person of ALL_PEOPLE) {
      store.createUser({
        accountId: person.accountId,
        displayName: person.displayName,
        email: person.email,
        apiToken: person.apiToken,
        locale: person.locale,
        timeZone: person.timeZone,
      });
      for (const g of person.groups) store.addToGroup(g, person.accountId);
    }
    store.createGroup('project-contributors');
    for (const person of [PEOPLE.pmoLead, PEOPLE.owner, PEOPLE.owner2, PEOPLE.owner3, PEOPLE.member, PEOPLE.sponsor]) {
      store.addToGroup('project-contributors', person.accountId);
    }
    store.grantGlobalPermission('ADMINISTER', group(GROUPS.admins));

    store.defineIssueType({ name: 'Project', description: 'An entry in the PMO project registry' });
    store.defineIssueType({ name: 'Task', description: 'A piece of delivery work' });
    for (const status of REGISTRY_STATUSES) store.defineStatus({ name: status.name, category: status.category });

    const contributors = [group('project-contributors'), group(GROUPS.pmo)];
    // Jira's default scheme grants Delete issues to the project's administrators.
    const administrators = [group(GROUPS.admins), group(GROUPS.pmo)];
    store.createProject('PMO', 'PMO Registry', PEOPLE.pmoLead.accountId, {
      BROWSE_PROJECTS: [{ type: 'anyone' }],
      EDIT_ISSUES: contributors,
      DELETE_ISSUES: administrators,
    });
    store.createProject('CONF', 'Confidential Programmes', PEOPLE.pmoLead.accountId, {
      BROWSE_PROJECTS: [group(GROUPS.confidential), group(GROUPS.pmo)],
      EDIT_ISSUES: [group(GROUPS.confidential), group(GROUPS.pmo)],
      DELETE_ISSUES: administrators,
    });
    store.defineWorkflow('PMO', registryWorkflow());
    store.defineWorkflow('CONF', registryWorkflow());
    store.createProject('GRID', 'Grid Modernisation', PEOPLE.owner.accountId, {
      BROWSE_PROJECTS: [{ type: 'anyone' }],
      EDIT_ISSUES: contributors,
    });
    store.createProject('DATA', 'Data Platform', PEOPLE.owner2.accountId, {
      BROWSE_PROJECTS: [{ type: 'anyone' }],
      EDIT_ISSUES: contributors,
    });

    demo.issues.forEach((issue, index) => {
      const created = store.createIssue(
        {
          project: issue.projectKey,
          issueType: 'Project',
          summary: issue.summary,
          description: issue.description,
          status: issue.status,
          assignee: issue.assignee,
          reporter: issue.reporter,
          labels: issue.labels,
          duedate: issue.duedate ?? null,
          created: issue.created,
          updated: issue.created,
          customFields: issue.customFields as never,
          properties: issue.properties as never,
        },
        { kind: 'user', accountId: PEOPLE.pmoLead.accountId },
      );
      if (created.key !== demo.keys[index])
        throw new Error(`seed expected ${demo.keys[index]} but Jira made ${created.key}`);
    });
    const tasks: ReadonlyArray<[string, string, string]> = [
      ['GRID', 'Replace RTUs at Sandvika substation', 'In Progress'],
      ['GRID', 'Meter firmware 4.2 rollout', 'To Do'],
      ['GRID', 'Field crew tablet upgrade', 'Done'],
      ['DATA', 'Lakehouse access model', 'In Progress'],
      ['DATA', 'Migrate meter readings pipeline', 'To Do'],
    ];
    for (const [project, summary, status] of tasks) {
      store.createIssue(
        { project, issueType: 'Task', summary, status, assignee: PEOPLE.member.accountId },
        { kind: 'user', accountId: PEOPLE.owner.accountId },
      );
    }
  });
  confluence.put({
    id: '98001',
    spaceKey: 'PMO',
    title: 'Steering committee: portfolio review',
    blocks: steeringPage(
      options.macroKeys,
      demo.keys[demo.issues.findIndex((issue) => issue.summary === 'Customer portal relaunch')] ?? 'PMO-1',
    ),
  });
  return { issues: demo.issues.length };
}
