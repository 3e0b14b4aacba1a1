import fc from 'fast-check';
import {
  FIBONACCI_SCALE,
  type PriorityInput,
  type PriorityMethod,
  type PriorityRow,
  priorityInputSchema,
  priorityScore,
  rankByPriority,
} from './prioritisation';

const wsjfInput = { businessValue: 8, timeCriticality: 5, riskReduction: 3, jobSize: 2 };
const riceInput = { reach: 1000, impact: 2, confidence: 0.8, effort: 4 };

describe('priorityScore: WSJF', () => {
  it.each<[PriorityInput, number | null, number | null]>([
    [wsjfInput, 16, 8],
    [{ businessValue: 1, timeCriticality: 1, riskReduction: 1, jobSize: 20 }, 3, 0.15],
    [{ businessValue: 20, timeCriticality: 20, riskReduction: 20, jobSize: 1 }, 60, 60],
    [{ ...wsjfInput, jobSize: 13 }, 16, 16 / 13],
    [{ businessValue: 8, timeCriticality: 5, riskReduction: 3 }, 16, null],
    [{ businessValue: 8, timeCriticality: 5, jobSize: 2 }, null, null],
    [{ timeCriticality: 5, riskReduction: 3, jobSize: 2 }, null, null],
    [{ businessValue: 8, riskReduction: 3, jobSize: 2 }, null, null],
    [{}, null, null],
  ])('%j has cost of delay %p and WSJF %p', (input, costOfDelay, wsjf) => {
    const score = priorityScore(input);
    expect(score.costOfDelay).toBe(costOfDelay);
    expect(score.wsjf).toBe(wsjf);
  });
});

describe('priorityScore: ROI', () => {
  it.each<[number, number, number]>([
    [150, 100, 0.5],
    [100, 100, 0],
    [0, 100, -1],
    [50, 200, -0.75],
    [300, 0.5, 599],
  ])('benefit %p at cost %p is %p', (expectedBenefit, cost, roi) => {
    expect(priorityScore({ expectedBenefit, cost }).roi).toBeCloseTo(roi, 9);
  });

  it.each<[PriorityInput]>([[{ expectedBenefit: 100 }], [{ cost: 100 }]])('is null for %j', (input) => {
    expect(priorityScore(input).roi).toBeNull();
  });

  it.each<[number, number]>([
    [1, Number.MIN_VALUE],
    [1e308, 0.5],
    [Number.MAX_VALUE, 1e-300],
  ])('is null, not Infinity, for benefit %p at cost %p', (expectedBenefit, cost) => {
    expect(priorityScore({ expectedBenefit, cost }).roi).toBeNull();
  });
});

describe('priorityScore: every score is a finite number or null', () => {
  const amount = fc.oneof(
    fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
    fc.constantFrom(0, Number.MIN_VALUE, 1e-300, 1e300, Number.MAX_VALUE),
  );
  const divisor = amount.filter((value) => value > 0);
  it('for any inputs the schema accepts, however extreme', () => {
    fc.assert(
      fc.property(amount, divisor, amount, amount, divisor, (expectedBenefit, cost, reach, impact, effort) => {
        const score = priorityScore({ expectedBenefit, cost, reach, impact, confidence: 1, effort, ...wsjfInput });
        for (const value of Object.values(score)) if (value !== null) expect(Number.isFinite(value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('priorityScore: RICE', () => {
  it.each<[PriorityInput, number | null]>([
    [riceInput, 400],
    [{ ...riceInput, confidence: 1 }, 500],
    [{ ...riceInput, confidence: 0 }, 0],
    [{ ...riceInput, reach: 0 }, 0],
    [{ ...riceInput, effort: 0.5 }, 3200],
    [{ reach: 1000, impact: 2, confidence: 0.8 }, null],
    [{ reach: 1000, impact: 2, effort: 4 }, null],
  ])('%j is %p', (input, rice) => {
    expect(priorityScore(input).rice).toBe(rice);
  });

  it('computes every score whose inputs are present', () => {
    expect(priorityScore({ ...wsjfInput, ...riceInput, expectedBenefit: 150, cost: 100 })).toEqual({
      costOfDelay: 16,
      wsjf: 8,
      roi: 0.5,
      rice: 400,
    });
  });
});

describe('priorityInputSchema', () => {
  it.each(FIBONACCI_SCALE)('accepts %p on the Fibonacci scale', (value) => {
    expect(priorityInputSchema.safeParse({ businessValue: value, jobSize: value }).success).toBe(true);
  });

  it.each<[string, PriorityInput, RegExp]>([
    [
      'a value between Fibonacci steps',
      { businessValue: 4 },
      /Business value must be on the modified Fibonacci scale: 1, 2, 3, 5, 8, 13, 20/,
    ],
    ['zero', { timeCriticality: 0 }, /Time criticality must be on the modified Fibonacci scale/],
    ['above the top step', { riskReduction: 21 }, /Risk reduction \/ opportunity enablement must be on the modified/],
    ['a fraction', { jobSize: 2.5 }, /Job size must be on the modified Fibonacci scale/],
    ['an unscaled 40', { jobSize: 40 }, /Job size must be on the modified Fibonacci scale/],
    ['zero cost', { expectedBenefit: 10, cost: 0 }, /Cost must be more than 0; ROI divides by it/],
    ['a negative benefit', { expectedBenefit: -1, cost: 10 }, /Expected benefit cannot be negative/],
    ['confidence above 1', { confidence: 1.01 }, /Confidence must be between 0 and 1/],
    ['confidence below 0', { confidence: -0.01 }, /Confidence must be between 0 and 1/],
    ['zero effort', { effort: 0 }, /Effort must be more than 0; RICE divides by it/],
    ['negative reach', { reach: -1 }, /Reach cannot be negative/],
    ['negative impact', { impact: -1 }, /Impact cannot be negative/],
    ['infinite cost', { cost: Number.POSITIVE_INFINITY }, /Cost must be an amount of money/],
  ])('refuses %s', (_name, input, message) => {
    expect(
      priorityInputSchema
        .safeParse(input)
        .error?.issues.map((issue) => issue.message)
        .join('\n'),
    ).toMatch(message);
    expect(() => priorityScore(input)).toThrow(message);
  });
});

const row = (key: string, wsjf: number | null, roi: number | null = null, rice: number | null = null): PriorityRow => ({
  key,
  score: { costOfDelay: null, wsjf, roi, rice },
});

describe('rankByPriority', () => {
  it.each<[string, PriorityRow[], PriorityMethod, string[]]>([
    ['highest first', [row('A-1', 2), row('A-2', 8), row('A-3', 5)], 'wsjf', ['A-2', 'A-3', 'A-1']],
    [
      'unscored last',
      [row('A-1', null), row('A-2', 1), row('A-3', null), row('A-4', 0)],
      'wsjf',
      ['A-2', 'A-4', 'A-1', 'A-3'],
    ],
    ['ties by key', [row('B-1', 3), row('A-1', 3), row('A-2', 4)], 'wsjf', ['A-2', 'A-1', 'B-1']],
    ['tied keys in numeric order', [row('A-10', 3), row('A-9', 3), row('A-100', 3)], 'wsjf', ['A-9', 'A-10', 'A-100']],
    ['unscored rows by key', [row('A-3', null), row('A-1', null)], 'wsjf', ['A-1', 'A-3']],
    [
      'by ROI, negatives below zero',
      [row('A-1', 9, -0.5), row('A-2', 1, 0), row('A-3', 5, 2)],
      'roi',
      ['A-3', 'A-2', 'A-1'],
    ],
    ['by RICE', [row('A-1', 9, 0, 10), row('A-2', 1, 0, 400), row('A-3', 5, 2, null)], 'rice', ['A-2', 'A-1', 'A-3']],
    ['nothing to rank', [], 'wsjf', []],
  ])('%s', (_name, rows, by, keys) => {
    expect(rankByPriority(rows, by).map((r) => r.key)).toEqual(keys);
  });

  it('keeps input order for rows with the same key and score', () => {
    const first = { ...row('A-1', 3), note: 'first' };
    const second = { ...row('A-1', 3), note: 'second' };
    expect(rankByPriority([first, second], 'wsjf').map((r) => r.note)).toEqual(['first', 'second']);
  });

  it('returns the caller’s own row type and leaves the input alone', () => {
    const rows = [
      { ...row('A-1', 1), summary: 'Low' },
      { ...row('A-2', 9), summary: 'High' },
    ];
    const ranked = rankByPriority(rows, 'wsjf');
    expect(ranked.map((r) => r.summary)).toEqual(['High', 'Low']);
    expect(rows.map((r) => r.key)).toEqual(['A-1', 'A-2']);
  });
});
