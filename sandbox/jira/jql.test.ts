import { JqlError, MAX_ORDER_BY_FIELDS, textMatcher, UNBOUNDED_JQL_MESSAGE } from './jql';
import { AS, buildTestSite, type TestSite } from './testing';
import type { Principal } from './types';

// The test site (testing.ts) stands at 2026-05-01T09:00Z; its people live in Europe/Oslo (UTC+2 in May).
let site: TestSite;
beforeAll(() => {
  site = buildTestSite();
});
afterAll(async () => {
  await site.close();
});

function byKey(a: string, b: string): number {
  const [pa, na] = a.split('-');
  const [pb, nb] = b.split('-');
  return (pa ?? '').localeCompare(pb ?? '') || Number(na) - Number(nb);
}

function keys(jql: string, as: Principal = AS.lead): string[] {
  return site.engine.search(jql, as, { requireBounded: false }).map((issue) => issue.key);
}

function matching(jql: string, as: Principal = AS.lead): string[] {
  return keys(jql, as).sort(byKey);
}

function refusal(jql: string, as: Principal = AS.lead): { message: string; reason: string } {
  try {
    site.engine.search(jql, as, { requireBounded: true });
  } catch (error) {
    if (error instanceof JqlError) return { message: error.message, reason: error.reason };
    throw error;
  }
  throw new Error(`expected ${jql} to be refused`);
}

const PMO = ['PMO-1', 'PMO-2', 'PMO-3', 'PMO-4', 'PMO-5', 'PMO-6'];
const EVERY = [...PMO, 'DEL-1', 'DEL-2', 'SEC-1'].sort(byKey);

describe('JQL clauses', () => {
  it.each<[string, string[]]>([
    // project: key, name, id, lists, negation
    ['project = PMO', PMO],
    ['project = pmo', PMO],
    ['project = "PMO Registry"', PMO],
    ['project = 10001', ['DEL-1', 'DEL-2']],
    ['project in (DEL, SEC)', ['DEL-1', 'DEL-2', 'SEC-1']],
    ['project != PMO', ['DEL-1', 'DEL-2', 'SEC-1']],
    ['project not in (PMO, DEL)', ['SEC-1']],
    // issue type, status, status category
    ['issuetype = Bug', ['DEL-2']],
    ['type in (Task, Bug)', ['DEL-1', 'DEL-2', 'SEC-1']],
    ['status = Discovery', ['PMO-1', 'PMO-6']],
    ['status in ("Idea", closed)', ['PMO-3', 'PMO-4']],
    ['statusCategory = Done', ['PMO-4']],
    ['statusCategory = "In Progress"', ['PMO-1', 'PMO-2', 'PMO-5', 'PMO-6']],
    ['statusCategory in (new, 3)', ['PMO-3', 'PMO-4', 'DEL-1', 'DEL-2', 'SEC-1']],
    // labels: exact values; != leaves out issues without labels (Jira's documented rule)
    ['labels = customer', ['PMO-1', 'PMO-5', 'DEL-2']],
    ['labels in (data, ops)', ['PMO-2', 'PMO-5', 'PMO-6']],
    ['labels is EMPTY', ['PMO-3', 'DEL-1', 'SEC-1']],
    ['labels = EMPTY', ['PMO-3', 'DEL-1', 'SEC-1']],
    ['labels is not null', ['PMO-1', 'PMO-2', 'PMO-4', 'PMO-5', 'PMO-6', 'DEL-2']],
    ['labels != customer', ['PMO-2', 'PMO-4', 'PMO-6']],
    ['labels not in (customer, digital)', ['PMO-2', 'PMO-6']],
    ['labels in (ops, EMPTY)', ['PMO-3', 'PMO-6', 'DEL-1', 'SEC-1']],
    // people: account id, email, display name, functions
    ['assignee = acc-owen', ['PMO-1', 'PMO-4']],
    ['assignee = "owen@example.com"', ['PMO-1', 'PMO-4']],
    ['assignee = "Owen Berg"', ['PMO-1', 'PMO-4']],
    ['assignee = currentUser()', ['PMO-5']],
    ['assignee is EMPTY', ['PMO-3', 'DEL-1', 'DEL-2', 'SEC-1']],
    ['assignee != acc-owen', ['PMO-2', 'PMO-5', 'PMO-6']],
    ['assignee in membersOf(delivery)', ['PMO-1', 'PMO-2', 'PMO-4', 'PMO-6']],
    ['reporter = acc-mia', ['DEL-2']],
    ['creator = acc-owen', ['DEL-1']],
    // priority, with Jira's ordering (higher priority compares greater)
    ['priority = High', ['PMO-1']],
    ['priority > Medium', ['PMO-1', 'PMO-4']],
    ['priority <= Low', ['PMO-3', 'PMO-6']],
    // dates, read in the user's zone (Europe/Oslo)
    ['duedate < "2026-04-21"', ['PMO-1', 'PMO-4']],
    ['duedate <= now()', ['PMO-1', 'PMO-4', 'PMO-5']],
    ['duedate >= startOfDay()', ['PMO-2', 'PMO-5', 'PMO-6']],
    ['due < -7d', ['PMO-1', 'PMO-4']],
    ['duedate = "2026/05/01"', ['PMO-5']],
    ['duedate is EMPTY AND project = PMO', ['PMO-3']],
    ['created >= "2026-04-01"', ['PMO-5', 'PMO-6', 'DEL-1', 'DEL-2', 'SEC-1']],
    ['created < startOfYear()', ['PMO-4']],
    ['created > -4w', ['PMO-6', 'DEL-1', 'DEL-2', 'SEC-1']],
    ['created > "-3w -6d"', ['PMO-6', 'DEL-1', 'DEL-2', 'SEC-1']],
    ['created >= startOfMonth(-1) AND created < startOfMonth()', ['PMO-5', 'PMO-6']],
    ['createdDate < endOfYear(-1)', ['PMO-4']],
    ['updated = "2026-05-01 11:00"', ['DEL-1', 'DEL-2', 'SEC-1']],
    ['updated >= startOfWeek() AND updated <= endOfWeek()', ['DEL-1', 'DEL-2', 'SEC-1']],
    ['resolutiondate is not EMPTY', ['PMO-4']],
    ['resolved < "2026-01-01"', ['PMO-4']],
    ['resolution = Unresolved AND project = PMO', ['PMO-1', 'PMO-2', 'PMO-3', 'PMO-5', 'PMO-6']],
    ['resolution = Done', ['PMO-4']],
    // keys and ids, ranges within a project
    ['key = PMO-2', ['PMO-2']],
    ['key = pmo-3', ['PMO-3']],
    ['issuekey in (PMO-1, DEL-2)', ['PMO-1', 'DEL-2']],
    ['key > PMO-4', ['PMO-5', 'PMO-6']],
    ['key <= PMO-2', ['PMO-1', 'PMO-2']],
    ['id = 10003', ['PMO-4']],
    ['key != PMO-1 AND project = PMO', ['PMO-2', 'PMO-3', 'PMO-4', 'PMO-5', 'PMO-6']],
    // text
    ['summary ~ customer', ['PMO-1', 'PMO-5']],
    ['summary ~ "ware*"', ['PMO-2', 'PMO-6']],
    ['summary ~ "\\"data platform\\""', ['PMO-5']],
    ['summary ~ "warehouse data"', ['PMO-2']],
    ['summary !~ customer AND project = PMO', ['PMO-2', 'PMO-3', 'PMO-4', 'PMO-6']],
    ['text ~ plan', [...PMO, 'SEC-1']],
    ['description ~ "business case"', PMO],
    ['description is EMPTY', ['DEL-1', 'DEL-2', 'SEC-1']],
  ])('%s', (jql, expected) => {
    expect(matching(jql)).toEqual([...expected].sort(byKey));
  });
});

describe('AND, OR and NOT', () => {
  it.each<[string, string[]]>([
    // AND binds tighter than OR
    ['project = DEL OR project = SEC AND labels = customer', ['DEL-1', 'DEL-2']],
    ['(project = DEL OR project = SEC) AND labels = customer', ['DEL-2']],
    ['NOT project = PMO', ['DEL-1', 'DEL-2', 'SEC-1']],
    // … and so is NOT (a OR b): project != PMO AND labels != customer, which DEL-1 and SEC-1 (no labels) fail.
    ['NOT (project = PMO OR labels = customer)', []],
    ['NOT (project = PMO OR labels = customer OR labels is EMPTY)', []],
    ['NOT (project = PMO AND labels = customer)', ['PMO-2', 'PMO-4', 'PMO-6', 'DEL-1', 'DEL-2', 'SEC-1']],
    // NOT is pushed down (De Morgan): NOT labels = customer is labels != customer, which leaves out empty labels
    ['NOT labels = customer', ['PMO-2', 'PMO-4', 'PMO-6']],
    ['project = PMO AND NOT (status = Discovery OR assignee is EMPTY)', ['PMO-2', 'PMO-4', 'PMO-5']],
    ['NOT NOT project = SEC', ['SEC-1']],
    ['project = PMO AND NOT duedate < "2026-05-01"', ['PMO-2', 'PMO-5', 'PMO-6']],
  ])('%s', (jql, expected) => {
    expect(matching(jql)).toEqual([...expected].sort(byKey));
  });
});

describe('entity properties (tollgate-health, indexed as manifest.yml indexes it)', () => {
  it.each<[string, Principal, string[]]>([
    ['tollgateHealth = red', AS.lead, ['PMO-1']],
    ['tollgateHealth = amber', AS.lead, ['PMO-2', 'PMO-5']],
    ['tollgatehealth in (red, green)', AS.lead, ['PMO-1', 'PMO-3', 'PMO-4']],
    ['tollgateHealth != red', AS.lead, ['PMO-2', 'PMO-3', 'PMO-4', 'PMO-5']],
    ['tollgateHealth is EMPTY', AS.lead, ['PMO-6', 'DEL-1', 'DEL-2', 'SEC-1']],
    ['tollgateRiskMax >= 12', AS.lead, ['PMO-1', 'PMO-2', 'PMO-5']],
    ['tollgateRiskMax < 5', AS.lead, ['PMO-3', 'PMO-4']],
    ['tollgateRiskMax = 15', AS.lead, ['PMO-5']],
    ['tollgateNextGate < "2026-05-05"', AS.lead, ['PMO-4', 'PMO-5']],
    ['tollgateNextGate <= 2w', AS.lead, ['PMO-1', 'PMO-4', 'PMO-5']],
    ['tollgateNotes ~ vendor', AS.lead, ['PMO-2']],
    ['tollgateOwner = currentUser()', AS.owner, ['PMO-1']],
    ['issue.property[tollgate-health].rag = red', AS.lead, ['PMO-1']],
    ['issue.property["tollgate-health"].riskMax > 10', AS.lead, ['PMO-1', 'PMO-2', 'PMO-5']],
    // A path nothing indexes holds no value in Jira's index.
    ['issue.property[tollgate-health].summaryText ~ vendor', AS.lead, ['PMO-2']],
    ['issue.property[tollgate-health].unindexed = G3', AS.lead, []],
    ['issue.property[tollgate-health].unindexed is EMPTY', AS.lead, EVERY],
  ])('%s', (jql, as, expected) => {
    expect(matching(jql, as)).toEqual([...expected].sort(byKey));
  });

  it('reads unindexed paths when asked to (unindexedPropertyPaths: evaluate)', async () => {
    const lenient = buildTestSite({ unindexedPropertyPaths: 'evaluate' });
    const found = (jql: string): string[] =>
      lenient.engine
        .search(jql, AS.lead, { requireBounded: false })
        .map((issue) => issue.key)
        .sort(byKey);
    expect(found('issue.property[tollgate-health].stage = g3')).toEqual(['PMO-2', 'PMO-5']);
    expect(found('issue.property[tollgate-health].riskMax > 14')).toEqual(['PMO-1', 'PMO-5']);
    expect(found('issue.property[tollgate-health].nextGateDate < "2026-05-05"')).toEqual(['PMO-4', 'PMO-5']);
    await lenient.close();
  });

  it('knows an alias only when the manifest indexes it', async () => {
    const unindexed = buildTestSite({ indexedProperties: [] });
    expect(() => unindexed.engine.search('tollgateHealth = red', AS.lead, { requireBounded: true })).toThrow(
      "Field 'tollgateHealth' does not exist or you do not have permission to view it.",
    );
    await unindexed.close();
  });
});

describe('ORDER BY', () => {
  it.each<[string, string[]]>([
    // Without ORDER BY: newest first.
    ['project = PMO', ['PMO-6', 'PMO-5', 'PMO-3', 'PMO-2', 'PMO-1', 'PMO-4']],
    ['project = PMO ORDER BY key', ['PMO-1', 'PMO-2', 'PMO-3', 'PMO-4', 'PMO-5', 'PMO-6']],
    ['project = PMO ORDER BY key DESC', ['PMO-6', 'PMO-5', 'PMO-4', 'PMO-3', 'PMO-2', 'PMO-1']],
    // Empty values last ascending, first descending.
    ['project = PMO ORDER BY duedate ASC', ['PMO-4', 'PMO-1', 'PMO-5', 'PMO-2', 'PMO-6', 'PMO-3']],
    ['project = PMO ORDER BY duedate DESC', ['PMO-3', 'PMO-6', 'PMO-2', 'PMO-5', 'PMO-1', 'PMO-4']],
    // Jira's per-field defaults: priority and created descend.
    ['project = PMO ORDER BY priority', ['PMO-4', 'PMO-1', 'PMO-2', 'PMO-5', 'PMO-3', 'PMO-6']],
    ['project = PMO ORDER BY created', ['PMO-6', 'PMO-5', 'PMO-3', 'PMO-2', 'PMO-1', 'PMO-4']],
    ['project = PMO ORDER BY created ASC', ['PMO-4', 'PMO-1', 'PMO-2', 'PMO-3', 'PMO-5', 'PMO-6']],
    // Several fields.
    ['project = PMO ORDER BY status ASC, key DESC', ['PMO-3', 'PMO-6', 'PMO-1', 'PMO-5', 'PMO-2', 'PMO-4']],
    ['project = PMO ORDER BY summary', ['PMO-5', 'PMO-1', 'PMO-2', 'PMO-4', 'PMO-3', 'PMO-6']],
    ['project = PMO ORDER BY assignee, key', ['PMO-2', 'PMO-6', 'PMO-1', 'PMO-4', 'PMO-5', 'PMO-3']],
    [
      'project = PMO ORDER BY statusCategory DESC, priority ASC',
      ['PMO-4', 'PMO-6', 'PMO-2', 'PMO-5', 'PMO-1', 'PMO-3'],
    ],
    // Indexed properties sort; an alias and its issue.property spelling sort alike.
    ['project = PMO ORDER BY tollgateRiskMax DESC', ['PMO-6', 'PMO-1', 'PMO-5', 'PMO-2', 'PMO-3', 'PMO-4']],
    [
      'project = PMO ORDER BY issue.property[tollgate-health].riskMax ASC',
      ['PMO-4', 'PMO-3', 'PMO-2', 'PMO-5', 'PMO-1', 'PMO-6'],
    ],
    // A repeated field counts once.
    ['project = PMO ORDER BY key, key DESC', ['PMO-1', 'PMO-2', 'PMO-3', 'PMO-4', 'PMO-5', 'PMO-6']],
  ])('%s', (jql, expected) => {
    expect(keys(jql)).toEqual(expected);
  });
});

describe('permissions', () => {
  it('searches only projects the user may browse', () => {
    expect(matching('labels = customer', AS.member)).toEqual(['DEL-2', 'PMO-1', 'PMO-5']);
    expect(matching('labels = customer OR project = DEL', AS.outsider)).toEqual(['DEL-1', 'DEL-2']);
    expect(matching('summary ~ board', AS.member)).toEqual([]);
    expect(matching('summary ~ board', AS.app)).toEqual(['SEC-1']);
  });

  it('treats values in hidden projects as not existing, as Jira does', () => {
    expect(refusal('project = SEC', AS.member).message).toBe("The value 'SEC' does not exist for the field 'project'.");
    expect(refusal('key = PMO-1', AS.outsider).message).toBe(
      "An issue with key 'PMO-1' does not exist for field 'key'.",
    );
  });
});

describe('refusals (Jira 400 wording)', () => {
  it.each<[string, string, string]>([
    ['foo = bar', "Field 'foo' does not exist or you do not have permission to view it.", 'invalid'],
    ['"Story Points" > 3', "Field 'Story Points' does not exist or you do not have permission to view it.", 'invalid'],
    ['project = NOPE', "The value 'NOPE' does not exist for the field 'project'.", 'invalid'],
    ['status = Nope', "The value 'Nope' does not exist for the field 'status'.", 'invalid'],
    ['type = Saga', "The value 'Saga' does not exist for the field 'type'.", 'invalid'],
    [
      'assignee = "nobody@example.com"',
      "The value 'nobody@example.com' does not exist for the field 'assignee'.",
      'invalid',
    ],
    ['priority = Urgent', "The value 'Urgent' does not exist for the field 'priority'.", 'invalid'],
    ['key = PMO-99', "An issue with key 'PMO-99' does not exist for field 'key'.", 'invalid'],
    ['key = banana', "The issue key 'banana' for field 'key' is invalid.", 'invalid'],
    ['summary = portal', "The operator '=' is not supported by the 'summary' field.", 'invalid'],
    ['project > PMO', "The operator '>' is not supported by the 'project' field.", 'invalid'],
    ['tollgateHealth ~ red', "The operator '~' is not supported by the 'tollgateHealth' field.", 'invalid'],
    ['tollgateHealth > red', "The operator '>' is not supported by the 'tollgateHealth' field.", 'invalid'],
    ['tollgateRiskMax > lots', "The value 'lots' is not a valid number for the field 'tollgateRiskMax'.", 'invalid'],
    [
      'duedate < tomorrow',
      "Date value 'tomorrow' for field 'duedate' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
      'invalid',
    ],
    ['assignee = fooBar()', "Unable to find JQL function 'fooBar()'.", 'invalid'],
    ['project = currentUser()', "The function 'currentUser' is not supported by the 'project' field.", 'invalid'],
    ['created > currentUser()', "The function 'currentUser' is not supported by the 'created' field.", 'invalid'],
    [
      'assignee in membersOf(nogroup)',
      "Function 'membersOf' can not generate a list of usernames for group 'nogroup'; the group does not exist.",
      'invalid',
    ],
    [
      'summary ~ "*ware"',
      "The text query '*ware' for field 'summary' is not allowed to start with a wildcard.",
      'invalid',
    ],
    ['summary ~ ""', "The field 'summary' does not support searching for an empty string.", 'invalid'],
    ['project = PMO ORDER BY description', "Field 'description' does not support sorting.", 'invalid'],
    ['project = PMO ORDER BY tollgateNotes', "Field 'tollgateNotes' does not support sorting.", 'invalid'],
    [
      'project = (PMO, DEL)',
      "Error in the JQL Query: Expecting either a value, list or function but got '('. (line 1, character 11)",
      'syntax',
    ],
    [
      'project in PMO',
      'Error in the JQL Query: Expecting either a value, list or function before the end of the query.',
      'syntax',
    ],
    // Jira features the emulator does not evaluate say so instead of answering wrongly.
    ['sprint in openSprints()', "Field 'sprint' is not supported by the sandbox's Jira emulator.", 'unsupported'],
    ['cf[10010] = 3', "Field 'cf[10010]' is not supported by the sandbox's Jira emulator.", 'unsupported'],
    [
      'issuekey in linkedIssues(PMO-1)',
      "The JQL function 'linkedIssues()' is not supported by the sandbox's Jira emulator.",
      'unsupported',
    ],
    [
      'status was Closed',
      "The operator 'WAS' is not supported by the sandbox's Jira emulator (history searches are not emulated).",
      'unsupported',
    ],
  ])('%s', (jql, message, reason) => {
    expect(refusal(jql)).toEqual({ message, reason });
  });

  it.each<[string, string]>([
    ['project = PMO AND', 'Error in the JQL Query: Expecting a field name before the end of the query.'],
    // Both captured from Jira (test/vendor/jira-fixtures/errors-real-captures.json), position aside.
    ['(project = PMO', "Error in the JQL Query: Expecting ')' before the end of the query."],
    [
      'project = true',
      "Error in the JQL Query: 'true' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 11)",
    ],
    [
      'project = PMO project = DEL',
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'project'. (line 1, character 15)",
    ],
    ['project', 'Error in the JQL Query: Expecting operator before the end of the query.'],
  ])('syntax: %s', (jql, message) => {
    expect(refusal(jql)).toEqual({ message, reason: 'syntax' });
  });

  it(`refuses more than ${MAX_ORDER_BY_FIELDS} ORDER BY fields`, () => {
    const jql = 'project = PMO ORDER BY key, created, updated, duedate, priority, status, summary, assignee';
    expect(refusal(jql)).toEqual({
      message: 'The ORDER BY clause can contain at most 7 fields; this query has 8.',
      reason: 'invalid',
    });
  });

  it.each(['', '   ', 'ORDER BY key', 'order by created DESC'])('refuses the unbounded query %j', (jql) => {
    expect(refusal(jql)).toEqual({ message: UNBOUNDED_JQL_MESSAGE, reason: 'unbounded' });
  });

  it('accepts an unbounded query where no bound is required', () => {
    expect(site.engine.search('ORDER BY key', AS.lead, { requireBounded: false })).toHaveLength(9);
  });
});

describe('text matching', () => {
  it.each<[string, string, boolean]>([
    ['portal', 'Customer Portal relaunch', true],
    ['portal relaunch', 'relaunch of the portal', true],
    ['"portal relaunch"', 'relaunch of the portal', false],
    ['"portal relaunch"', 'the portal relaunch', true],
    ['rel*', 'relaunch', true],
    ['r?launch', 'relaunch', true],
    ['portals', 'portal', false],
    ['data-warehouse', 'Data warehouse migration', true],
  ])('%s in %s → %s', (query, text, expected) => {
    expect(textMatcher(query, 'summary')(text)).toBe(expected);
  });
});

describe('time', () => {
  it('follows the clock for relative dates', () => {
    site.clock.set('2026-06-01T09:00:00.000Z');
    try {
      expect(matching('duedate < now() AND project = PMO')).toEqual(['PMO-1', 'PMO-4', 'PMO-5']);
      expect(matching('tollgateNextGate < now()')).toEqual(['PMO-1', 'PMO-2', 'PMO-4', 'PMO-5']);
      expect(matching('created > -4w')).toEqual([]);
      expect(matching('created > -5w')).toEqual(['DEL-1', 'DEL-2', 'SEC-1']);
    } finally {
      site.clock.set('2026-05-01T09:00:00.000Z');
    }
  });
});
