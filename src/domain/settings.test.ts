import { DEFAULT_TEMPLATES } from './default-templates';
import { DEFAULT_SETTINGS, rolesFor, settingsSchema } from './settings';
import { cloneTemplate } from './templates';

describe('settings', () => {
  it('a new installation is supportive, on Cooper, with every health default', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      version: 0,
      mode: 'supportive',
      defaultTemplateId: 'cooper-stage-gate',
      pmoGroup: 'tollgate-pmo',
      fields: { owner: 'assignee' },
      health: { gate: { warningDays: 14 }, staleness: { amberAfterDays: 14, redAfterDays: 30 } },
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown mode', { mode: 'strict' }, 'mode'],
    ['an empty registry JQL', { registryJql: '  ' }, 'registryJql'],
    ['a default template that does not exist', { defaultTemplateId: 'nope' }, 'defaultTemplateId'],
    ['a custom template that repeats a shipped id and version', { templates: [DEFAULT_TEMPLATES[0]] }, 'templates'],
    ['a field that is not a Jira field id', { fields: { department: 'Department' } }, 'fields.department'],
    [
      'a staleness red limit below amber',
      { health: { staleness: { amberAfterDays: 20, redAfterDays: 10 } } },
      'health.staleness.redAfterDays',
    ],
  ])('refuses %s and says where', (_case, input, path) => {
    const result = settingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('accepts a cloned template as the default', () => {
    const ours = cloneTemplate(DEFAULT_TEMPLATES[0]!, 'acme-gates', 'ACME gates');
    expect(settingsSchema.parse({ templates: [ours], defaultTemplateId: 'acme-gates' }).defaultTemplateId).toBe(
      'acme-gates',
    );
  });

  it('maps Jira groups to decider roles', () => {
    const settings = settingsSchema.parse({
      pmoGroup: 'pmo-leads',
      roleGroups: { sponsor: 'sponsors', 'steering-committee': 'steerco' },
    });
    expect(rolesFor(['pmo-leads', 'steerco', 'jira-users'], settings)).toEqual(['pmo', 'steering-committee']);
    expect(rolesFor(['jira-users'], settings)).toEqual([]);
    expect(rolesFor(['sponsors'], settings)).toEqual(['sponsor']);
  });
});
