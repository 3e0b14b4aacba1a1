import {
  DEFAULT_RISK_BANDS,
  filterByCell,
  heatMap,
  IMPACT_LEVELS,
  inherentScore,
  LIKELIHOOD_LEVELS,
  mergeHeatMaps,
  POSSIBLE_SCORES,
  RISK_LEVELS,
  type RiskBand,
  type RiskBandConfig,
  riskBand,
  riskBandConfigSchema,
  type RiskLevel,
  residualScore,
  riskScore,
  type ScoredRisk,
} from './risk';

/**
 * The PIMS alternative (docs/pmo-rules.md §4) is Low 1–4, Medium 5–10, High ≥ 12: three bands. Tollgate always has
 * four, so portfolio views and legends read the same everywhere; the alternative keeps its Low and Medium cut-offs and
 * its High splits at 15, where NHS/NPSA puts Extreme.
 */
const ALTERNATIVE_BANDS: RiskBandConfig = [
  { band: 'low', min: 1, max: 4 },
  { band: 'moderate', min: 5, max: 10 },
  { band: 'high', min: 12, max: 14 },
  { band: 'extreme', min: 15, max: 25 },
];

const messagesOf = (config: unknown): string[] =>
  riskBandConfigSchema.safeParse(config).error?.issues.map((issue) => issue.message) ?? [];

describe('rating scales', () => {
  it.each([
    [1, 'Rare', '<10%'],
    [2, 'Unlikely', '11–30%'],
    [3, 'Possible', '31–50%'],
    [4, 'Likely', '51–80%'],
    [5, 'Almost certain', '81–99%'],
  ])('likelihood %i is %s (%s)', (level, label, probability) => {
    expect(LIKELIHOOD_LEVELS[level - 1]).toEqual({ level, label, probability });
  });

  it.each([
    [1, 'Insignificant'],
    [2, 'Minor'],
    [3, 'Moderate'],
    [4, 'Major'],
    [5, 'Catastrophic'],
  ])('impact %i is %s', (level, label) => {
    expect(IMPACT_LEVELS[level - 1]).toEqual({ level, label });
  });
});

describe('riskScore', () => {
  it.each([
    [1, 1, 1],
    [1, 5, 5],
    [5, 1, 5],
    [2, 3, 6],
    [3, 2, 6],
    [2, 4, 8],
    [3, 4, 12],
    [5, 3, 15],
    [4, 5, 20],
    [5, 5, 25],
  ])('likelihood %i × impact %i = %i', (likelihood, impact, score) => {
    expect(riskScore(likelihood, impact)).toBe(score);
  });

  it('produces exactly the possible scores', () => {
    const products = new Set(RISK_LEVELS.flatMap((l) => RISK_LEVELS.map((i) => riskScore(l, i))));
    expect([...products].sort((a, b) => a - b)).toEqual([...POSSIBLE_SCORES]);
  });

  it.each([
    [0, 3, /likelihood must be a whole number from 1 \(Rare\) to 5 \(Almost certain\); got 0/],
    [6, 3, /likelihood .* got 6/],
    [2.5, 3, /likelihood .* got 2.5/],
    [Number.NaN, 3, /likelihood .* got NaN/],
    [3, 0, /impact must be a whole number from 1 \(Insignificant\) to 5 \(Catastrophic\); got 0/],
    [3, 6, /impact .* got 6/],
    [3, 4.5, /impact .* got 4.5/],
    [3, Number.POSITIVE_INFINITY, /impact .* got Infinity/],
  ])('refuses likelihood %p × impact %p', (likelihood, impact, message) => {
    expect(() => riskScore(likelihood, impact)).toThrow(RangeError);
    expect(() => riskScore(likelihood, impact)).toThrow(message);
  });
});

describe('riskBand with the NHS/NPSA defaults', () => {
  it.each<[number, RiskBand]>([
    [1, 'low'],
    [2, 'low'],
    [3, 'low'],
    [4, 'moderate'],
    [5, 'moderate'],
    [6, 'moderate'],
    [8, 'high'],
    [9, 'high'],
    [10, 'high'],
    [12, 'high'],
    [15, 'extreme'],
    [16, 'extreme'],
    [20, 'extreme'],
    [25, 'extreme'],
  ])('score %i is %s', (score, band) => {
    expect(riskBand(score)).toBe(band);
  });

  it.each([0, 7, 11, 13, 14, 26, 2.5, -4])('refuses %p, which likelihood × impact cannot produce', (score) => {
    expect(() => riskBand(score)).toThrow(RangeError);
    expect(() => riskBand(score)).toThrow(/is not a risk score/);
  });

  it('refuses a score that unvalidated bands leave out', () => {
    const holed: RiskBandConfig = DEFAULT_RISK_BANDS.filter((range) => range.band !== 'high');
    expect(() => riskBand(8, holed)).toThrow(/score 8 falls in no risk band/);
  });
});

describe('riskBand with the alternative banding', () => {
  it.each<[number, RiskBand]>([
    [3, 'low'],
    [4, 'low'],
    [5, 'moderate'],
    [10, 'moderate'],
    [12, 'high'],
    [15, 'extreme'],
  ])('score %i is %s', (score, band) => {
    expect(riskBand(score, ALTERNATIVE_BANDS)).toBe(band);
  });
});

describe('riskBandConfigSchema', () => {
  it.each([
    ['the NHS/NPSA defaults', DEFAULT_RISK_BANDS],
    ['the alternative in four bands', ALTERNATIVE_BANDS],
    [
      'bands that reach into impossible scores',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'moderate', min: 4, max: 7 },
        { band: 'high', min: 8, max: 14 },
        { band: 'extreme', min: 15, max: 25 },
      ],
    ],
  ])('accepts %s', (_name, config) => {
    expect(riskBandConfigSchema.safeParse(config).success).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    [
      'the three-band alternative',
      [
        { band: 'low', min: 1, max: 4 },
        { band: 'moderate', min: 5, max: 10 },
        { band: 'high', min: 12, max: 25 },
      ],
      /list the four bands once each, in the order low, moderate, high, extreme \(got low, moderate, high\)/,
    ],
    ['no bands', [], /got none/],
    [
      'bands out of order',
      [
        { band: 'moderate', min: 4, max: 6 },
        { band: 'low', min: 1, max: 3 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /in the order low, moderate, high, extreme/,
    ],
    [
      'a band used twice',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'low', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /once each/,
    ],
    [
      'a band that ends before it starts',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'moderate', min: 6, max: 4 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /band "moderate" ends at 4 before it starts at 6; make max at least min/,
    ],
    [
      'bands that share their boundary score',
      [
        { band: 'low', min: 1, max: 4 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /bands "low" \(1–4\) and "moderate" \(4–6\) overlap; start "moderate" above 4/,
    ],
    [
      'a gap that swallows a possible score',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 9, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /score 8 falls in no band; widen a neighbouring band so that it includes 8/,
    ],
    [
      'a top band that stops short of 25',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 24 },
      ],
      /score 25 falls in no band/,
    ],
    [
      'a bottom band that starts above 1',
      [
        { band: 'low', min: 2, max: 3 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /score 1 falls in no band/,
    ],
    [
      'a band no score can reach',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'moderate', min: 4, max: 12 },
        { band: 'high', min: 13, max: 14 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /band "high" \(13–14\) contains no score the matrix can produce/,
    ],
    [
      'a bound below 1',
      [
        { band: 'low', min: 0, max: 3 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /min must be at least 1/,
    ],
    [
      'a bound above 25',
      [
        { band: 'low', min: 1, max: 3 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 26 },
      ],
      /max must be at most 25/,
    ],
    [
      'a fractional bound',
      [
        { band: 'low', min: 1, max: 3.5 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /max must be a whole number/,
    ],
    [
      'an unknown band',
      [
        { band: 'critical', min: 1, max: 3 },
        { band: 'moderate', min: 4, max: 6 },
        { band: 'high', min: 8, max: 12 },
        { band: 'extreme', min: 15, max: 25 },
      ],
      /band must be one of low, moderate, high, extreme/,
    ],
  ])('refuses %s', (_name, config, message) => {
    expect(messagesOf(config).join('\n')).toMatch(message);
  });
});

describe('inherentScore and residualScore', () => {
  it.each<[string, ScoredRisk, number, number]>([
    ['residual not yet assessed', { likelihood: 4, impact: 5 }, 20, 20],
    ['both residual ratings assessed', { likelihood: 4, impact: 5, residualLikelihood: 2, residualImpact: 3 }, 20, 6],
    ['only residual likelihood assessed', { likelihood: 4, impact: 5, residualLikelihood: 1 }, 20, 5],
    ['only residual impact assessed', { likelihood: 4, impact: 5, residualImpact: 2 }, 20, 8],
  ])('%s', (_name, risk, inherent, residual) => {
    expect(inherentScore(risk)).toBe(inherent);
    expect(residualScore(risk)).toBe(residual);
  });

  it('refuses a stored rating outside 1..5', () => {
    const corrupt: ScoredRisk = { likelihood: 3, impact: 3, residualImpact: 0 as RiskLevel };
    expect(inherentScore(corrupt)).toBe(9);
    expect(() => residualScore(corrupt)).toThrow(/impact must be a whole number/);
  });
});

const risks = [
  { id: 'R-1', likelihood: 5, impact: 5, residualLikelihood: 2, residualImpact: 2 },
  { id: 'R-2', likelihood: 5, impact: 5 },
  { id: 'R-3', likelihood: 1, impact: 3, residualLikelihood: 1 },
  { id: 'R-4', likelihood: 2, impact: 4, residualImpact: 3 },
] as const satisfies readonly (ScoredRisk & { id: string })[];

describe('heatMap', () => {
  it('lays out a 5×5 grid indexed [likelihood - 1][impact - 1] with scores and bands', () => {
    const map = heatMap([], 'inherent');
    expect(map.cells).toHaveLength(5);
    for (const likelihood of RISK_LEVELS) {
      for (const impact of RISK_LEVELS) {
        const cell = map.cells[likelihood - 1]?.[impact - 1];
        expect(cell).toMatchObject({ likelihood, impact, score: likelihood * impact, count: 0, ids: [] });
        expect(cell?.band).toBe(riskBand(likelihood * impact));
      }
    }
    expect(map).toMatchObject({ basis: 'inherent', total: 0, totals: { low: 0, moderate: 0, high: 0, extreme: 0 } });
  });

  it.each<[string, 'inherent' | 'residual', RiskLevel, RiskLevel, string[]]>([
    ['inherent 5×5 holds both untreated ratings', 'inherent', 5, 5, ['R-1', 'R-2']],
    ['inherent 2×4', 'inherent', 2, 4, ['R-4']],
    ['residual 5×5 keeps only the unmitigated risk', 'residual', 5, 5, ['R-2']],
    ['residual 2×2', 'residual', 2, 2, ['R-1']],
    ['residual falls back to inherent impact', 'residual', 1, 3, ['R-3']],
    ['residual falls back to inherent likelihood', 'residual', 2, 3, ['R-4']],
    ['residual leaves the inherent cell', 'residual', 2, 4, []],
  ])('%s', (_name, basis, likelihood, impact, ids) => {
    const cell = heatMap(risks, basis).cells[likelihood - 1]?.[impact - 1];
    expect(cell?.ids).toEqual(ids);
    expect(cell?.count).toBe(ids.length);
  });

  it.each<['inherent' | 'residual', Record<RiskBand, number>]>([
    ['inherent', { low: 1, moderate: 0, high: 1, extreme: 2 }],
    ['residual', { low: 1, moderate: 2, high: 0, extreme: 1 }],
  ])('totals the %s bands', (basis, totals) => {
    const map = heatMap(risks, basis);
    expect(map.totals).toEqual(totals);
    expect(map.total).toBe(risks.length);
  });

  it('prefixes ids with the scope so portfolio maps do not clash', () => {
    expect(heatMap(risks, 'inherent', { scope: 'APOLLO' }).cells[4]?.[4]?.ids).toEqual(['APOLLO/R-1', 'APOLLO/R-2']);
  });

  it('colours cells with the bands it is given', () => {
    const map = heatMap([{ id: 'R-9', likelihood: 2, impact: 2 }], 'inherent', { bands: ALTERNATIVE_BANDS });
    expect(map.cells[1]?.[1]?.band).toBe('low');
    expect(map.totals.low).toBe(1);
  });

  it('refuses a risk rated outside 1..5', () => {
    expect(() => heatMap([{ id: 'R-0', likelihood: 6 as RiskLevel, impact: 1 }], 'inherent')).toThrow(RangeError);
  });
});

describe('mergeHeatMaps', () => {
  const apollo = heatMap(risks, 'residual', { scope: 'APOLLO' });
  const gemini = heatMap([{ id: 'R-1', likelihood: 5, impact: 5 }], 'residual', { scope: 'GEMINI' });

  it('adds counts and ids cell by cell', () => {
    const merged = mergeHeatMaps([apollo, gemini], 'residual');
    expect(merged.cells[4]?.[4]).toMatchObject({ count: 2, ids: ['APOLLO/R-2', 'GEMINI/R-1'] });
    expect(merged.cells[1]?.[1]).toMatchObject({ count: 1, ids: ['APOLLO/R-1'] });
    expect(merged.totals).toEqual({ low: 1, moderate: 2, high: 0, extreme: 2 });
    expect(merged.total).toBe(5);
  });

  it('gives an empty map for an empty portfolio', () => {
    const merged = mergeHeatMaps([], 'inherent');
    expect(merged).toMatchObject({ basis: 'inherent', total: 0, totals: { low: 0, moderate: 0, high: 0, extreme: 0 } });
  });

  it('re-bands cells with the portfolio bands', () => {
    const merged = mergeHeatMaps([apollo], 'residual', ALTERNATIVE_BANDS);
    expect(merged.cells[0]?.[3]?.band).toBe('low');
    expect(merged.totals).toEqual({ low: 2, moderate: 1, high: 0, extreme: 1 });
  });

  it('refuses to add inherent and residual maps together', () => {
    expect(() => mergeHeatMaps([apollo, heatMap([], 'inherent')], 'residual')).toThrow(
      /cannot merge a heat map of inherent scores into one of residual scores/,
    );
  });
});

describe('filterByCell', () => {
  it.each<['inherent' | 'residual', RiskLevel, RiskLevel, string[]]>([
    ['inherent', 5, 5, ['R-1', 'R-2']],
    ['residual', 5, 5, ['R-2']],
    ['residual', 2, 3, ['R-4']],
    ['inherent', 3, 3, []],
  ])('%s cell %i×%i', (basis, likelihood, impact, ids) => {
    expect(filterByCell(risks, basis, likelihood, impact).map((risk) => risk.id)).toEqual(ids);
  });

  it('refuses a cell outside the grid', () => {
    expect(() => filterByCell(risks, 'inherent', 0 as RiskLevel, 1)).toThrow(/likelihood must be a whole number/);
  });
});
