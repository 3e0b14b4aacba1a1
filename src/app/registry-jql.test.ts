import { hiddenProjects, narrowJql, withoutHiddenProjects } from './registry-jql';

describe('narrowJql', () => {
  it('ANDs the narrowing clause in parentheses and keeps the registry order', () => {
    expect(narrowJql('project = PMO AND issuetype = Project ORDER BY key', 'department = IT order by rank')).toBe(
      '(project = PMO AND issuetype = Project) AND (department = IT) ORDER BY key',
    );
    expect(narrowJql('project = PMO', 'labels = x')).toBe('(project = PMO) AND (labels = x)');
    expect(narrowJql('project = PMO ORDER BY key', undefined)).toBe('project = PMO ORDER BY key');
    expect(narrowJql('project = PMO', '  ')).toBe('project = PMO');
    expect(narrowJql('ORDER BY key', 'labels = x')).toBe('(labels = x) ORDER BY key');
  });
});

describe('projects the person cannot browse', () => {
  it('are recognised only when that is all Jira objected to', () => {
    expect(hiddenProjects(["The value 'CONF' does not exist for the field 'project'."])).toEqual(['CONF']);
    expect(
      hiddenProjects([
        "The value 'CONF' does not exist for the field 'project'.",
        "The value 'SEC' does not exist for the field 'project'.",
      ]),
    ).toEqual(['CONF', 'SEC']);
    expect(
      hiddenProjects([
        "The value 'CONF' does not exist for the field 'project'.",
        "Field 'foo' does not exist or you do not have permission to view it.",
      ]),
    ).toBeNull();
    expect(hiddenProjects(["The value 'Saga' does not exist for the field 'type'."])).toBeNull();
    expect(hiddenProjects([])).toBeNull();
  });

  it('are taken out so the query means for the person what Jira would have answered', () => {
    expect(withoutHiddenProjects('project in (PMO, CONF) AND issuetype = Project ORDER BY key', ['CONF'])).toBe(
      'project IN (PMO) AND issuetype = Project ORDER BY key',
    );
    expect(withoutHiddenProjects('project IN ("CONF") AND x = 1', ['conf'])).toBe('project IS EMPTY AND x = 1');
    expect(withoutHiddenProjects('project not in (CONF, SEC)', ['CONF', 'SEC'])).toBe('project IS NOT EMPTY');
    expect(withoutHiddenProjects('project = CONF OR project = "CONF" OR project=PMO', ['CONF'])).toBe(
      'project IS EMPTY OR project IS EMPTY OR project=PMO',
    );
    expect(withoutHiddenProjects('project != CONF', ['CONF'])).toBe('project IS NOT EMPTY');
    // A project whose key starts with the hidden one is a different project.
    expect(withoutHiddenProjects('project = CONFX', ['CONF'])).toBe('project = CONFX');
  });
});
