import { DEFAULT_TEMPLATES } from './default-templates';
import {
  cloneTemplate,
  findGate,
  gatesOf,
  latestTemplates,
  nextStage,
  nextTemplateVersion,
  parseTemplate,
  resolveTemplate,
  type StageGateTemplate,
} from './templates';

const cooper = DEFAULT_TEMPLATES.find((t) => t.id === 'cooper-stage-gate') as StageGateTemplate;
const prince2 = DEFAULT_TEMPLATES.find((t) => t.id === 'prince2-lite') as StageGateTemplate;

describe('shipped templates', () => {
  it('Cooper: six stages, five gates, in Cooper order', () => {
    expect(cooper.stages.map((s) => s.name)).toEqual([
      'Discovery',
      'Scoping',
      'Build Business Case',
      'Development',
      'Testing & Validation',
      'Launch & Post-Launch Review',
    ]);
    expect(gatesOf(cooper).map((g) => g.name)).toEqual([
      'Gate 1: Idea Screen',
      'Gate 2: Second Screen',
      'Gate 3: Go to Development',
      'Gate 4: Go to Testing',
      'Gate 5: Go to Launch',
    ]);
  });

  it('every gate has must-meet knock-outs and weighted should-meet criteria', () => {
    for (const gate of DEFAULT_TEMPLATES.flatMap(gatesOf)) {
      expect(gate.criteria.some((c) => c.kind === 'must')).toBe(true);
      expect(gate.criteria.some((c) => c.kind === 'should' && c.weight > 0)).toBe(true);
      expect(gate.deciders.length).toBeGreaterThan(0);
    }
  });

  it('PRINCE2-lite is lighter: four stages, the project board decides', () => {
    expect(prince2.stages).toHaveLength(4);
    expect(gatesOf(prince2).every((g) => g.deciders.includes('project-board'))).toBe(true);
  });

  it('defaults are filled: pass threshold 0.6 on a 0..10 scale, weight 1', () => {
    expect(cooper.passThreshold).toBe(0.6);
    expect(cooper.scoreMax).toBe(10);
    expect(findGate(cooper, 'g1-idea-screen')?.gate.criteria.find((c) => c.id === 'strategic-fit')?.weight).toBe(1);
  });
});

describe('template structure rules', () => {
  const base = { id: 'x', version: 1, name: 'X' };
  const gate = (id: string) => ({ id, name: id, deciders: ['pmo'], criteria: [{ id: 'a', title: 'A', kind: 'must' }] });

  it.each([
    [
      'a middle stage without an exit gate',
      [
        { id: 's1', name: 'S1' },
        { id: 's2', name: 'S2' },
      ],
      'needs an exit gate',
    ],
    [
      'an exit gate on the last stage',
      [
        { id: 's1', name: 'S1', exitGate: gate('g1') },
        { id: 's2', name: 'S2', exitGate: gate('g2') },
      ],
      'cannot have an exit gate',
    ],
    [
      'a repeated stage id',
      [
        { id: 's1', name: 'S1', exitGate: gate('g1') },
        { id: 's1', name: 'S2' },
      ],
      'stage id "s1" is used twice',
    ],
    [
      'a repeated gate id',
      [
        { id: 's1', name: 'S1', exitGate: gate('g1') },
        { id: 's2', name: 'S2', exitGate: gate('g1') },
        { id: 's3', name: 'S3' },
      ],
      'gate id "g1" is used twice',
    ],
    ['one stage only', [{ id: 's1', name: 'S1' }], 'Too small'],
    [
      'an upper-case id',
      [
        { id: 'S1', name: 'S1', exitGate: gate('g1') },
        { id: 's2', name: 'S2' },
      ],
      'lower-case',
    ],
  ])('refuses %s', (_case, stages, message) => {
    const result = parseTemplate({ ...base, stages });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' | ')).toContain(message);
  });

  it('refuses a gate with the same criterion twice', () => {
    const dup = {
      ...gate('g1'),
      criteria: [
        { id: 'a', title: 'A', kind: 'must' },
        { id: 'a', title: 'B', kind: 'should' },
      ],
    };
    const result = parseTemplate({
      ...base,
      stages: [
        { id: 's1', name: 'S1', exitGate: dup },
        { id: 's2', name: 'S2' },
      ],
    });
    expect(result.error?.issues[0]?.message).toContain('criterion "a" is used twice');
  });

  it('refuses a pass threshold above 1 and a gate with no decider', () => {
    expect(parseTemplate({ ...cooper, passThreshold: 1.01 }).success).toBe(false);
    expect(parseTemplate({ ...cooper, passThreshold: 1 }).success).toBe(true);
    const noDecider = { ...gate('g1'), deciders: [] };
    expect(
      parseTemplate({
        ...base,
        stages: [
          { id: 's1', name: 'S1', exitGate: noDecider },
          { id: 's2', name: 'S2' },
        ],
      }).success,
    ).toBe(false);
  });
});

describe('navigation', () => {
  it('finds the gate and the stage it closes', () => {
    expect(findGate(cooper, 'g3-go-to-development')).toMatchObject({ stage: { id: 'business-case' }, stageIndex: 2 });
    expect(findGate(cooper, 'nope')).toBeUndefined();
  });

  it('next stage, none after the last', () => {
    expect(nextStage(cooper, 'discovery')?.id).toBe('scoping');
    expect(nextStage(cooper, 'launch')).toBeUndefined();
    expect(nextStage(cooper, 'unknown')).toBeUndefined();
  });
});

describe('versioning', () => {
  it('a new version keeps the id and bumps the version; the old one still resolves', () => {
    const v2 = nextTemplateVersion(cooper, { passThreshold: 0.7 });
    expect(v2).toMatchObject({ id: cooper.id, version: 2, passThreshold: 0.7 });
    const all = [cooper, v2, prince2];
    expect(resolveTemplate(all, { templateId: cooper.id, templateVersion: 1 })?.passThreshold).toBe(0.6);
    expect(resolveTemplate(all, { templateId: cooper.id, templateVersion: 3 })).toBeUndefined();
    expect(
      latestTemplates(all)
        .map((t) => `${t.id}@${t.version}`)
        .sort(),
    ).toEqual(['cooper-stage-gate@2', 'prince2-lite@1']);
  });

  it('a new version cannot change the id, and is validated', () => {
    expect(nextTemplateVersion(cooper, { id: 'other' }).id).toBe(cooper.id);
    expect(() => nextTemplateVersion(cooper, { stages: [] })).toThrow();
  });

  it('a clone starts at version 1 under its own id', () => {
    expect(cloneTemplate(cooper, 'our-gates', 'Our gates')).toMatchObject({
      id: 'our-gates',
      name: 'Our gates',
      version: 1,
    });
  });
});
