/**
 * A small in-memory `JiraEmulator` for the Forge runtime's own tests: just enough Jira (myself, search/jql without
 * real JQL, issue properties, transitions that run the registered validator, per-user hidden projects, product events)
 * to prove the runtime's seams without depending on the real emulator in sandbox/jira. It is a test double, not a
 * Jira: anything it does not know answers 404.
 */
import { EventEmitter } from 'node:events';
import type {
  FaultPlan,
  JiraEmulator,
  JiraEmulatorEvents,
  JiraEvent,
  JiraRequest,
  JiraResponse,
  Principal,
  ValidatorCall,
  ValidatorResult,
} from '../../jira/types';

/** A user the fake knows; issues in `hiddenProjects` are invisible to them. */
export interface FakeUser {
  readonly accountId: string;
  readonly displayName: string;
  readonly hiddenProjects?: readonly string[];
}

/** An issue as the fake stores it; the project is the key's prefix. */
export interface FakeIssue {
  readonly id: string;
  readonly key: string;
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/** The account the fake answers `myself` with for `asApp()` calls. */
export const FAKE_APP_ACCOUNT_ID = 'fake-forge-app-user';

type Validator = (call: ValidatorCall) => Promise<ValidatorResult>;

const json = (status: number, body: unknown): JiraResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const errors = (status: number, message: string): JiraResponse =>
  json(status, { errorMessages: [message], errors: {} });
const noContent: JiraResponse = { status: 204, headers: {}, body: '' };

/** A field value as a changelog string (Jira writes display strings; JSON is close enough for a fake). */
function display(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function projectOf(key: string): string {
  return key.split('-')[0] ?? key;
}

/** The test double; `updateIssue` lets tests cause product events as a given actor. */
export class FakeJira implements JiraEmulator {
  readonly events = new EventEmitter<JiraEmulatorEvents>();
  private readonly users: Map<string, FakeUser>;
  private readonly issues: Map<string, FakeIssue>;
  private validator: Validator | null = null;
  private log: Array<{ method: string; path: string; status: number; principal: string }> = [];
  private faults: FaultPlan | null = null;
  private injected = 0;

  constructor(users: readonly FakeUser[], issues: readonly FakeIssue[]) {
    this.users = new Map(users.map((u) => [u.accountId, u]));
    this.issues = new Map(issues.map((i) => [i.key, i]));
  }

  readonly faultsInjected = (): number => this.injected;
  /** The fake has no rate limits. */
  readonly rateLimits = (): null => null;
  readonly searchIndexLagging = (): number => 0;
  setLatency(): void {}
  resetRateLimits(): void {}

  readonly requestLog = (): ReadonlyArray<{ method: string; path: string; status: number; principal: string }> => [
    ...this.log,
  ];

  resetRequestLog(): void {
    this.log = [];
  }

  setFaults(plan: FaultPlan | null): void {
    this.faults = plan;
  }

  setWorkflowValidator(validator: Validator | null): void {
    this.validator = validator;
  }

  /** The property value as stored, for assertions. */
  property(issueKey: string, propertyKey: string): unknown {
    return this.issues.get(issueKey)?.properties[propertyKey];
  }

  /** Changes fields as `actor` and emits `avi:jira:updated:issue` with a changelog, as Jira does after saving. */
  updateIssue(issueKey: string, fields: Record<string, unknown>, actor: Principal): void {
    const issue = this.issues.get(issueKey);
    if (!issue) throw new Error(`FakeJira: no issue ${issueKey}`);
    const items = Object.entries(fields).map(([field, to]) => ({
      field,
      fromString: display(issue.fields[field]),
      toString: display(to),
    }));
    issue.fields = { ...issue.fields, ...fields };
    this.emit({ eventType: 'avi:jira:updated:issue', actor, issue: this.summary(issue), changelog: { items } });
  }

  async handle(request: JiraRequest, principal: Principal): Promise<JiraResponse> {
    const response = await this.serve(request, principal);
    this.log.push({
      method: request.method,
      path: request.path.split('?')[0] ?? request.path,
      status: response.status,
      principal: principal.kind === 'app' ? 'app' : principal.accountId,
    });
    return response;
  }

  private async serve(request: JiraRequest, principal: Principal): Promise<JiraResponse> {
    if (this.faults?.next !== undefined && this.faults.next > 0) {
      this.faults = { ...this.faults, next: this.faults.next - 1 };
      this.injected += 1;
      return errors(Number(this.faults.kind ?? '503'), 'Injected fault');
    }
    const url = new URL(request.path, 'http://fake.invalid');
    const path = url.pathname;
    const user = principal.kind === 'user' ? this.users.get(principal.accountId) : undefined;
    if (principal.kind === 'user' && !user) return errors(401, 'Client must be authenticated to access this resource.');
    const canSee = (issue: FakeIssue): boolean => !user?.hiddenProjects?.includes(projectOf(issue.key));

    if (path === '/rest/api/3/myself' && request.method === 'GET') {
      if (!user) return json(200, { accountId: FAKE_APP_ACCOUNT_ID, accountType: 'app', displayName: 'Fixture app' });
      return json(200, {
        accountId: user.accountId,
        accountType: 'atlassian',
        displayName: user.displayName,
        active: true,
      });
    }
    if (path === '/rest/api/3/search/jql') {
      const body = request.body ? (JSON.parse(request.body) as { jql?: string; fields?: string[] }) : {};
      const jql = body.jql ?? url.searchParams.get('jql') ?? '';
      const fields = body.fields ?? url.searchParams.get('fields')?.split(',') ?? [];
      // Only `key = X` and `project = P` are understood; anything else matches every visible issue.
      const match = /^\s*(key|project)\s*=\s*"?([A-Z0-9-]+)"?\s*$/i.exec(jql);
      const found = [...this.issues.values()].filter(canSee).filter((issue) => {
        if (!match) return true;
        return match[1]?.toLowerCase() === 'key' ? issue.key === match[2] : projectOf(issue.key) === match[2];
      });
      const issues = found.map((issue) => ({
        id: issue.id,
        key: issue.key,
        fields: Object.fromEntries(fields.filter((f) => f in issue.fields).map((f) => [f, issue.fields[f]])),
      }));
      return json(200, { issues, isLast: true });
    }
    const property = /^\/rest\/api\/3\/issue\/([^/]+)\/properties\/([^/]+)$/.exec(path);
    if (property) {
      const issue = this.issues.get(decodeURIComponent(property[1] ?? ''));
      const key = decodeURIComponent(property[2] ?? '');
      if (!issue || !canSee(issue)) return errors(404, 'Issue does not exist or you do not have permission to see it.');
      if (request.method === 'GET') {
        if (!(key in issue.properties)) return errors(404, `The property with key '${key}' does not exist.`);
        return json(200, { key, value: issue.properties[key] });
      }
      if (request.method === 'PUT') {
        const created = !(key in issue.properties);
        issue.properties[key] = JSON.parse(request.body ?? 'null') as unknown;
        this.emit({
          eventType: 'avi:jira:set:issue-property',
          actor: principal,
          issue: this.summary(issue),
          property: { key },
        });
        return { status: created ? 201 : 200, headers: {}, body: '' };
      }
      if (request.method === 'DELETE') {
        delete issue.properties[key];
        return noContent;
      }
    }
    const transition = /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/.exec(path);
    if (transition && request.method === 'POST') {
      const issue = this.issues.get(decodeURIComponent(transition[1] ?? ''));
      if (!issue || !canSee(issue)) return errors(404, 'Issue does not exist or you do not have permission to see it.');
      const target = (JSON.parse(request.body ?? '{}') as { transition?: { id?: string } }).transition?.id ?? '';
      if (this.validator && principal.kind === 'user') {
        const verdict = await this.validator({
          issue: { key: issue.key },
          configuration: {},
          transition: { from: { id: display(issue.fields.statusId) ?? '1' }, to: { id: target }, name: `to ${target}` },
          accountId: principal.accountId,
        });
        if (!verdict.result) return errors(400, verdict.errorMessage ?? 'The transition was refused by a validator.');
      }
      this.updateIssue(issue.key, { statusId: target }, principal);
      return noContent;
    }
    return errors(404, `FakeJira does not serve ${request.method} ${path}`);
  }

  private summary(issue: FakeIssue): JiraEvent['issue'] {
    return { id: issue.id, key: issue.key, fields: { ...issue.fields } };
  }

  private emit(event: Omit<JiraEvent, 'timestamp'>): void {
    this.events.emit('event', { ...event, timestamp: new Date().toISOString() });
  }
}

/** A fake with three users (one cannot see project HIDE) and issues in DEMO and HIDE. */
export function createFakeJira(): FakeJira {
  return new FakeJira(
    [
      { accountId: 'user-lead', displayName: 'Pat Lead' },
      { accountId: 'user-member', displayName: 'Mo Member' },
      { accountId: 'user-outsider', displayName: 'Olu Outsider', hiddenProjects: ['HIDE'] },
    ],
    [
      { id: '10001', key: 'DEMO-1', fields: { summary: 'First demo', statusId: '1' }, properties: {} },
      { id: '10002', key: 'DEMO-2', fields: { summary: 'Second demo', statusId: '1' }, properties: {} },
      { id: '10003', key: 'HIDE-1', fields: { summary: 'Hidden', statusId: '1' }, properties: {} },
    ],
  );
}
