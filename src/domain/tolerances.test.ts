import { type Rag } from './rag';
import {
  assessTolerance,
  assessTolerances,
  DEFAULT_AMBER_AT,
  type Tolerance,
  TOLERANCE_ASPECTS,
  toleranceConfigSchema,
  toleranceSchema,
} from './tolerances';

/** Stage cost tolerance of +10 / −5 around a baseline of 100. */
const cost = (forecast: number, overrides: Partial<Tolerance> = {}): Tolerance => ({
  aspect: 'cost',
  level: 'stage',
  baseline: 100,
  forecast,
  plus: 10,
  minus: 5,
  ...overrides,
});

describe('assessTolerance: RAG at the limits', () => {
  it.each<[number, Rag, number]>([
    [100, 'green', 0],
    [107.99, 'green', 0.799],
    [108, 'amber', 0.8],
    [109.99, 'amber', 0.999],
    [110, 'amber', 1],
    [110.01, 'red', 1.001],
    [120, 'red', 2],
    [96.01, 'green', 0.798],
    [96, 'amber', 0.8],
    [95, 'amber', 1],
    [94.99, 'red', 1.002],
  ])('forecast %p against 100 +10/−5 is %s (consumption %p)', (forecast, rag, consumption) => {
    const assessment = assessTolerance(cost(forecast));
    expect(assessment.rag).toBe(rag);
    expect(assessment.consumption).toBeCloseTo(consumption, 9);
  });

  it.each<[number, number, Rag]>([
    [0.5, 104.99, 'green'],
    [0.5, 105, 'amber'],
    [1, 109.99, 'green'],
    [1, 110, 'amber'],
    [1, 110.01, 'red'],
  ])('with amberAt %p, forecast %p is %s', (amberAt, forecast, rag) => {
    expect(assessTolerance(cost(forecast), amberAt).rag).toBe(rag);
  });

  it.each<[string, Partial<Tolerance>, Rag]>([
    ['a forecast exactly at a decimal limit', { baseline: 0.1, plus: 0.2, forecast: 0.1 + 0.2 }, 'amber'],
    ['a forecast exactly at a decimal lower limit', { baseline: 0.3, minus: 0.1, forecast: 0.2 }, 'amber'],
    ['a forecast at 80 % of a decimal tolerance', { baseline: 1.1, plus: 0.5, forecast: 1.5 }, 'amber'],
  ])('absorbs float noise: %s', (_name, overrides, rag) => {
    expect(assessTolerance(cost(0, overrides)).rag).toBe(rag);
  });
});

describe('assessTolerance: a side with zero tolerance', () => {
  it.each<[string, Partial<Tolerance>, Rag, number]>([
    ['on baseline, no tolerance at all', { plus: 0, minus: 0, forecast: 100 }, 'green', 0],
    ['over, no plus tolerance', { plus: 0, forecast: 100.01 }, 'red', Number.POSITIVE_INFINITY],
    ['under, no minus tolerance', { minus: 0, forecast: 99.99 }, 'red', Number.POSITIVE_INFINITY],
    ['under, only plus is zero', { plus: 0, forecast: 99 }, 'green', 0.2],
    ['over, only minus is zero', { minus: 0, forecast: 109 }, 'amber', 0.9],
  ])('%s', (_name, overrides, rag, consumption) => {
    const assessment = assessTolerance(cost(0, overrides));
    expect(assessment.rag).toBe(rag);
    expect(assessment.consumption).toBeCloseTo(consumption, 9);
  });
});

describe('assessTolerance: breach and escalation', () => {
  it.each<[Tolerance['level'], string]>([
    ['project', 'corporate'],
    ['stage', 'project-board'],
    ['work-package', 'project-manager'],
  ])('a %s breach goes to %s', (level, escalateTo) => {
    expect(assessTolerance(cost(111, { level })).breach).toEqual({
      aspect: 'cost',
      level,
      baseline: 100,
      forecast: 111,
      limit: 110,
      escalateTo,
    });
  });

  it('reports the lower limit for an under-run', () => {
    expect(assessTolerance(cost(94)).breach).toMatchObject({ limit: 95, forecast: 94 });
  });

  it.each([100, 108, 110, 95])('has no breach at %p', (forecast) => {
    expect(assessTolerance(cost(forecast)).breach).toBeNull();
  });
});

describe('assessTolerance: reasons', () => {
  it.each<[string, Tolerance, { code: string; rag: Rag; params: Record<string, string | number> }]>([
    [
      'within',
      cost(107.99),
      {
        code: 'tolerance.within',
        rag: 'green',
        params: { aspect: 'cost', level: 'stage', forecast: 107.99, baseline: 100, limit: 110, consumption: 79 },
      },
    ],
    [
      'on the baseline, shown against the upper limit',
      cost(100),
      {
        code: 'tolerance.within',
        rag: 'green',
        params: { aspect: 'cost', level: 'stage', forecast: 100, baseline: 100, limit: 110, consumption: 0 },
      },
    ],
    [
      'near the lower limit',
      cost(96),
      {
        code: 'tolerance.nearLimit',
        rag: 'amber',
        params: { aspect: 'cost', level: 'stage', forecast: 96, baseline: 100, limit: 95, consumption: 80 },
      },
    ],
    [
      'near the limit',
      cost(108),
      {
        code: 'tolerance.nearLimit',
        rag: 'amber',
        params: { aspect: 'cost', level: 'stage', forecast: 108, baseline: 100, limit: 110, consumption: 80 },
      },
    ],
    [
      'on the limit',
      cost(110),
      {
        code: 'tolerance.nearLimit',
        rag: 'amber',
        params: { aspect: 'cost', level: 'stage', forecast: 110, baseline: 100, limit: 110, consumption: 100 },
      },
    ],
    [
      'an exception',
      cost(94, { aspect: 'time', level: 'work-package' }),
      {
        code: 'tolerance.exception',
        rag: 'red',
        params: {
          aspect: 'time',
          level: 'work-package',
          forecast: 94,
          baseline: 100,
          limit: 95,
          escalateTo: 'project-manager',
        },
      },
    ],
    [
      'rounded quantities',
      cost(0.1 + 0.2, { baseline: 0.1, plus: 0.2 }),
      {
        code: 'tolerance.nearLimit',
        rag: 'amber',
        params: { aspect: 'cost', level: 'stage', forecast: 0.3, baseline: 0.1, limit: 0.3, consumption: 100 },
      },
    ],
  ])('%s', (_name, tolerance, expected) => {
    expect(assessTolerance(tolerance).reason).toEqual(expected);
  });
});

describe('assessTolerances', () => {
  it('is none when no tolerance is set', () => {
    expect(assessTolerances([])).toEqual({ rag: 'none', reasons: [], breaches: [], aspects: [] });
  });

  it.each<[string, Tolerance[], Rag]>([
    ['all green', [cost(100), cost(101, { aspect: 'time' })], 'green'],
    ['one amber', [cost(100), cost(109, { aspect: 'time' })], 'amber'],
    ['amber and red', [cost(115), cost(109, { aspect: 'time' })], 'red'],
  ])('takes the worst aspect: %s', (_name, list, rag) => {
    expect(assessTolerances(list).rag).toBe(rag);
  });

  it('lists every reason and only the breaches', () => {
    const summary = assessTolerances([cost(115), cost(100, { aspect: 'scope' }), cost(80, { aspect: 'benefits' })]);
    expect(summary.reasons.map((r) => r.code)).toEqual([
      'tolerance.exception',
      'tolerance.within',
      'tolerance.exception',
    ]);
    expect(summary.breaches.map((b) => [b.aspect, b.limit])).toEqual([
      ['cost', 110],
      ['benefits', 95],
    ]);
    expect(summary.aspects.map((a) => a.aspect)).toEqual(['cost', 'scope', 'benefits']);
  });

  it('passes amberAt on', () => {
    expect(assessTolerances([cost(105)], 0.5).rag).toBe('amber');
    expect(assessTolerances([cost(105)]).rag).toBe('green');
  });
});

describe('toleranceSchema', () => {
  it.each(TOLERANCE_ASPECTS)('accepts the %s aspect', (aspect) => {
    expect(toleranceSchema.safeParse(cost(100, { aspect, unit: 'days' })).success).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['a negative plus', cost(100, { plus: -1 }), /plus tolerance cannot be negative; enter 0/],
    ['a negative minus', cost(100, { minus: -0.5 }), /minus tolerance cannot be negative/],
    ['an unknown aspect', { ...cost(100), aspect: 'morale' }, /aspect must be one of time, cost, quality, scope/],
    ['an unknown level', { ...cost(100), level: 'programme' }, /level must be one of project, stage, work-package/],
    ['an infinite forecast', cost(Number.POSITIVE_INFINITY), /forecast must be a finite number/],
    ['a NaN baseline', cost(100, { baseline: Number.NaN }), /baseline must be a finite number/],
    ['a 21-character unit', cost(100, { unit: 'x'.repeat(21) }), /unit must be at most 20 characters/],
  ])('refuses %s', (_name, value, message) => {
    expect(
      toleranceSchema
        .safeParse(value)
        .error?.issues.map((issue) => issue.message)
        .join('\n'),
    ).toMatch(message);
  });

  it('accepts a 20-character unit', () => {
    expect(toleranceSchema.safeParse(cost(100, { unit: 'x'.repeat(20) })).success).toBe(true);
  });

  it('guards assessTolerance', () => {
    expect(() => assessTolerance(cost(100, { plus: -1 }))).toThrow(/plus tolerance cannot be negative/);
  });
});

describe('toleranceConfigSchema', () => {
  it('defaults amberAt to 0.8', () => {
    expect(toleranceConfigSchema.parse({})).toEqual({ amberAt: DEFAULT_AMBER_AT });
    expect(DEFAULT_AMBER_AT).toBe(0.8);
  });

  it.each([0.01, 0.5, 1])('accepts amberAt %p', (amberAt) => {
    expect(toleranceConfigSchema.safeParse({ amberAt }).success).toBe(true);
  });

  it.each<[number, RegExp]>([
    [0, /amberAt must be above 0/],
    [-0.1, /amberAt must be above 0/],
    [1.01, /amberAt must be at most 1/],
  ])('refuses amberAt %p', (amberAt, message) => {
    expect(toleranceConfigSchema.safeParse({ amberAt }).error?.issues[0]?.message).toMatch(message);
    expect(() => assessTolerance(cost(100), amberAt)).toThrow(message);
  });
});
