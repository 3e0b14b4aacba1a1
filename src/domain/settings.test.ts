import fc from 'fast-check';
import { DEFAULT_TEMPLATES } from './default-templates';
import {
  DEFAULT_SETTINGS,
  enteredSettingsSchema,
  looksLikeEveryone,
  roleGroupsOf,
  rolesFor,
  SETTINGS_STORAGE_LIMIT_BYTES,
  settingsSchema,
  storedSettingsBytes,
} from './settings';
import { cloneTemplate, type StageGateTemplate } from './templates';

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

describe('settings an admin may save now', () => {
  const ours = cloneTemplate(DEFAULT_TEMPLATES[0]!, 'acme-gates', 'ACME gates');
  const INVISIBLE = '\u200b\u202e\u2066\ufeff';
  const VISIBLE_ONLY =
    'templates.0.stages.0.exitGate.criteria.0.title: enter at least one visible character (zero-width, direction and other invisible characters do not count)';

  /** `ours` with every gate holding `count` criteria whose title and evidence hint are `length` characters long. */
  function withCriteria(id: string, count: number, length: number, character = 'x'): StageGateTemplate {
    return {
      ...ours,
      id,
      // Its own words only: the clone's translations would add characters the sizes below do not count.
      translations: {},
      stages: ours.stages.map((stage) =>
        stage.exitGate
          ? {
              ...stage,
              exitGate: {
                ...stage.exitGate,
                criteria: Array.from({ length: count }, (_, i) => ({
                  id: `c-${i}`,
                  title: character.repeat(Math.min(length, 200)),
                  kind: 'must' as const,
                  weight: 1,
                  evidence: character.repeat(Math.min(length, 300)),
                  evidenceRequired: false,
                })),
              },
            }
          : stage,
      ),
    };
  }
  const problems = (input: unknown) =>
    enteredSettingsSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it.each<[string, (t: StageGateTemplate) => StageGateTemplate, string]>([
    ['a template name', (t) => ({ ...t, name: INVISIBLE }), 'templates.0.name'],
    [
      'a stage name',
      (t) => ({ ...t, stages: t.stages.map((s, i) => (i === 1 ? { ...s, name: INVISIBLE } : s)) }),
      'templates.0.stages.1.name',
    ],
    [
      'a gate name',
      (t) => ({
        ...t,
        stages: t.stages.map((s, i) => (i === 0 ? { ...s, exitGate: { ...s.exitGate!, name: INVISIBLE } } : s)),
      }),
      'templates.0.stages.0.exitGate.name',
    ],
  ])('refuses %s with nothing visible in it', (_case, edit, path) => {
    expect(problems({ templates: [edit(ours)] })).toEqual([
      `${path}: enter at least one visible character (zero-width, direction and other invisible characters do not count)`,
    ]);
  });

  it('refuses a criterion named with invisible characters only, and the PMO group too', () => {
    const criteria = ours.stages[0]!.exitGate!.criteria.map((c, i) => (i === 0 ? { ...c, title: INVISIBLE } : c));
    const template = {
      ...ours,
      stages: ours.stages.map((s, i) => (i === 0 ? { ...s, exitGate: { ...s.exitGate!, criteria } } : s)),
    };
    expect(problems({ templates: [template] })).toEqual([VISIBLE_ONLY]);
    expect(problems({ pmoGroup: '\u200b' })[0]).toMatch(/^pmoGroup: enter at least one visible character/);
    // Stored settings with such a name still open, or every project on the template would lose it.
    expect(settingsSchema.safeParse({ templates: [template] }).success).toBe(true);
  });

  it('refuses settings larger than Forge storage keeps in one value, naming the limit', () => {
    const big = [withCriteria('big-1', 60, 300), withCriteria('big-2', 60, 300)];
    expect(problems({ templates: big })).toEqual([
      expect.stringMatching(
        /^templates: the settings would take \d+ KiB in Forge storage, more than the 240 KiB it keeps in one value;/,
      ),
    ]);
    // What is stored already is read whatever its size: KVS would not have taken more.
    expect(settingsSchema.safeParse({ templates: big }).success).toBe(true);
  });

  it('measures bytes as storage does, so characters beyond ASCII count for what they take', () => {
    const ascii = settingsSchema.parse({ templates: [withCriteria('a', 10, 100, 'x')] });
    const norwegian = settingsSchema.parse({ templates: [withCriteria('a', 10, 100, 'ø')] });
    expect(storedSettingsBytes(norwegian) - storedSettingsBytes(ascii)).toBe(
      JSON.stringify(norwegian).split('ø').length - 1,
    );
  });

  it('accepts exactly the settings that fit, up to the last byte', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 60 }), fc.integer({ min: 100, max: 300 }), (count, length) => {
        const input = { templates: [withCriteria('t-1', count, length), withCriteria('t-2', count, length)] };
        const fits = storedSettingsBytes(settingsSchema.parse(input)) <= SETTINGS_STORAGE_LIMIT_BYTES;
        expect(enteredSettingsSchema.safeParse(input).success).toBe(fits);
      }),
      { numRuns: 40 },
    );
  });
});

describe('who the settings make a decider', () => {
  it('names each role group with the field it is set in', () => {
    const settings = settingsSchema.parse({ pmoGroup: 'pmo', roleGroups: { sponsor: 'sponsors' } });
    expect(roleGroupsOf(settings)).toEqual([
      { role: 'pmo', group: 'pmo', path: 'pmoGroup' },
      { role: 'sponsor', group: 'sponsors', path: 'roleGroups.sponsor' },
    ]);
  });

  it.each([
    ['jira-users', true],
    ['jira-software-users', true],
    ['jira-servicemanagement-users-nordlys', true],
    ['confluence-users', true],
    ['site-users', true],
    ['Everyone', true],
    ['jira-administrators', false],
    ['tollgate-pmo', false],
    ['power-users-pmo', false],
  ])('%s reads as a group of every user: %s', (group, everyone) => {
    expect(looksLikeEveryone(group)).toBe(everyone);
  });

  it.each([
    ['assignee', true],
    ['reporter', true],
    ['customfield_10070', true],
    ['duedate', false],
    ['labels', false],
  ])('takes %s as the owner field when entered: %s', (owner, accepted) => {
    const result = enteredSettingsSchema.safeParse({ fields: { owner } });
    expect(result.success).toBe(accepted);
    if (!accepted) expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['fields.owner']);
    // Settings stored before the rule still read, so an installation never falls back to the defaults over it.
    expect(settingsSchema.safeParse({ fields: { owner } }).success).toBe(true);
  });
});
