/**
 * The standard 5×5 risk matrix (docs/pmo-rules.md §4): score = likelihood × impact, grouped into bands. Inherent and
 * residual scores are kept apart, as ProjectBalm and Boja do, so a board can see what the mitigation bought.
 */
import { z } from 'zod';
import { DEFAULT_RISK_BANDS, RISK_BANDS, type RiskBand } from './risk-bands';

/** The five points on either axis of the matrix. */
export const RISK_LEVELS = [1, 2, 3, 4, 5] as const;
/** A likelihood or impact rating, 1 (lowest) to 5 (highest). */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** One row of the likelihood scale, with the probability a person can check their rating against. */
export interface LikelihoodLevel {
  readonly level: RiskLevel;
  readonly label: string;
  readonly probability: string;
}

/** One column of the impact scale. */
export interface ImpactLevel {
  readonly level: RiskLevel;
  readonly label: string;
}

/** The likelihood scale; probability ranges are the lewe.gitbook.io risk-matrix ones quoted in docs/pmo-rules.md §4. */
export const LIKELIHOOD_LEVELS: readonly LikelihoodLevel[] = [
  { level: 1, label: 'Rare', probability: '<10%' },
  { level: 2, label: 'Unlikely', probability: '11–30%' },
  { level: 3, label: 'Possible', probability: '31–50%' },
  { level: 4, label: 'Likely', probability: '51–80%' },
  { level: 5, label: 'Almost certain', probability: '81–99%' },
];

/** The impact scale. */
export const IMPACT_LEVELS: readonly ImpactLevel[] = [
  { level: 1, label: 'Insignificant' },
  { level: 2, label: 'Minor' },
  { level: 3, label: 'Moderate' },
  { level: 4, label: 'Major' },
  { level: 5, label: 'Catastrophic' },
];

/** Every product of two ratings from 1 to 5. Scores such as 7, 11, 13 and 14 cannot occur, so bands may skip them. */
export const POSSIBLE_SCORES = [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25] as const;
/** A score the matrix can produce. */
export type RiskScore = (typeof POSSIBLE_SCORES)[number];

// The bands and their default ranges live apart from the schemas so the Custom UI bundles can share them.
export { DEFAULT_RISK_BANDS, RISK_BANDS, type RiskBand };

/** The colour each band is drawn in on the heat map (NHS/NPSA 2008); moderate is yellow, not amber. */
export const RISK_BAND_COLOURS: Readonly<Record<RiskBand, 'green' | 'yellow' | 'amber' | 'red'>> = {
  low: 'green',
  moderate: 'yellow',
  high: 'amber',
  extreme: 'red',
};

const MIN_SCORE = 1;
const MAX_SCORE = 25;

function isPossibleScore(score: number): score is RiskScore {
  return (POSSIBLE_SCORES as readonly number[]).includes(score);
}

const scoreBoundSchema = (name: 'min' | 'max') =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(MIN_SCORE, `${name} must be at least ${MIN_SCORE}`)
    .max(MAX_SCORE, `${name} must be at most ${MAX_SCORE}`);

/** One band: the scores from `min` to `max` inclusive. */
export const riskBandRangeSchema = z.object({
  band: z.enum(RISK_BANDS, { error: `band must be one of ${RISK_BANDS.join(', ')}` }),
  min: scoreBoundSchema('min'),
  max: scoreBoundSchema('max'),
});
/** One band: the scores from `min` to `max` inclusive. */
export type RiskBandRange = z.infer<typeof riskBandRangeSchema>;
/** All four bands, lowest first. */
export type RiskBandConfig = readonly RiskBandRange[];

function rangeText(range: RiskBandRange): string {
  return `"${range.band}" (${range.min}–${range.max})`;
}

/**
 * A PMO's banding. Gaps are allowed only where no score can fall (7, 11, 13, 14), because every score a risk can
 * have must land in exactly one band, and a band no score can reach would be a legend entry that never lights up.
 */
export const riskBandConfigSchema = z.array(riskBandRangeSchema).superRefine((bands, ctx) => {
  const order = bands.map((range) => range.band);
  if (order.join() !== RISK_BANDS.join()) {
    ctx.addIssue({
      code: 'custom',
      message: `list the four bands once each, in the order ${RISK_BANDS.join(', ')} (got ${order.join(', ') || 'none'})`,
    });
    return;
  }
  bands.forEach((range, index) => {
    if (range.min > range.max) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'max'],
        message: `band "${range.band}" ends at ${range.max} before it starts at ${range.min}; make max at least min`,
      });
      return;
    }
    if (!POSSIBLE_SCORES.some((score) => score >= range.min && score <= range.max)) {
      ctx.addIssue({
        code: 'custom',
        path: [index],
        message: `band ${rangeText(range)} contains no score the matrix can produce (${POSSIBLE_SCORES.join(', ')}); widen it`,
      });
    }
    const previous = bands[index - 1];
    if (previous && range.min <= previous.max) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'min'],
        message: `bands ${rangeText(previous)} and ${rangeText(range)} overlap; start "${range.band}" above ${previous.max}`,
      });
    }
  });
  for (const score of POSSIBLE_SCORES) {
    if (!bands.some((range) => score >= range.min && score <= range.max)) {
      ctx.addIssue({
        code: 'custom',
        message: `score ${score} falls in no band; widen a neighbouring band so that it includes ${score}`,
      });
    }
  }
});

function assertLevel(value: number, axis: 'likelihood' | 'impact'): asserts value is RiskLevel {
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    const scale = axis === 'likelihood' ? '1 (Rare) to 5 (Almost certain)' : '1 (Insignificant) to 5 (Catastrophic)';
    throw new RangeError(`${axis} must be a whole number from ${scale}; got ${value}`);
  }
}

/**
 * The matrix score, likelihood × impact.
 * @throws {RangeError} when either rating is not a whole number from 1 to 5.
 */
export function riskScore(likelihood: number, impact: number): RiskScore {
  assertLevel(likelihood, 'likelihood');
  assertLevel(impact, 'impact');
  // Two whole numbers from 1 to 5 always multiply to one of POSSIBLE_SCORES.
  return (likelihood * impact) as RiskScore;
}

/**
 * The band a score falls in: the one whose [min, max] contains it.
 * @throws {RangeError} when the score cannot come from the matrix, or the bands (not validated) leave it out.
 */
export function riskBand(score: number, bands: RiskBandConfig = DEFAULT_RISK_BANDS): RiskBand {
  if (!isPossibleScore(score)) {
    throw new RangeError(
      `${score} is not a risk score; a score is likelihood × impact, one of ${POSSIBLE_SCORES.join(', ')}`,
    );
  }
  const range = bands.find((candidate) => score >= candidate.min && score <= candidate.max);
  if (!range) {
    throw new RangeError(`score ${score} falls in no risk band; fix the band configuration so it covers every score`);
  }
  return range.band;
}

/** What a heat map needs of a risk; residual ratings are absent until someone has assessed the mitigation. */
export interface ScoredRisk {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  readonly residualLikelihood?: RiskLevel;
  readonly residualImpact?: RiskLevel;
}

/** Which score a view shows: before mitigation (inherent) or after it (residual). */
export type ScoreBasis = 'inherent' | 'residual';

interface Position {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
}

/**
 * Each residual rating falls back on its own, because a mitigation often changes only one axis (a fallback plan
 * cuts impact, prevention cuts likelihood) and the other keeps its inherent rating.
 */
function positionOf(risk: ScoredRisk, basis: ScoreBasis): Position {
  const likelihood = basis === 'residual' ? (risk.residualLikelihood ?? risk.likelihood) : risk.likelihood;
  const impact = basis === 'residual' ? (risk.residualImpact ?? risk.impact) : risk.impact;
  assertLevel(likelihood, 'likelihood');
  assertLevel(impact, 'impact');
  return { likelihood, impact };
}

/**
 * The score before any mitigation.
 * @throws {RangeError} when a rating is not a whole number from 1 to 5.
 */
export function inherentScore(risk: ScoredRisk): RiskScore {
  const { likelihood, impact } = positionOf(risk, 'inherent');
  return riskScore(likelihood, impact);
}

/**
 * The score after mitigation; a rating not yet reassessed keeps its inherent value.
 * @throws {RangeError} when a rating is not a whole number from 1 to 5.
 */
export function residualScore(risk: ScoredRisk): RiskScore {
  const { likelihood, impact } = positionOf(risk, 'residual');
  return riskScore(likelihood, impact);
}

/** One square of the heat map. */
export interface HeatMapCell {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
  readonly score: RiskScore;
  readonly band: RiskBand;
  readonly count: number;
  readonly ids: readonly string[];
}

/** A 5×5 grid indexed `cells[likelihood - 1][impact - 1]`, with how many risks sit in each band. */
export interface HeatMap {
  readonly basis: ScoreBasis;
  readonly cells: readonly (readonly HeatMapCell[])[];
  readonly totals: Readonly<Record<RiskBand, number>>;
  readonly total: number;
}

/** How to build a heat map: `scope` (a project key) prefixes ids so portfolio maps can be merged without clashes. */
export interface HeatMapOptions {
  readonly scope?: string;
  readonly bands?: RiskBandConfig;
}

type IdGrid = string[][][];

function emptyIdGrid(): IdGrid {
  return RISK_LEVELS.map(() => RISK_LEVELS.map(() => []));
}

function idsAt(grid: IdGrid, position: Position): string[] {
  const ids = grid[position.likelihood - 1]?.[position.impact - 1];
  if (!ids) throw new RangeError(`no heat map cell for likelihood ${position.likelihood}, impact ${position.impact}`);
  return ids;
}

function toHeatMap(basis: ScoreBasis, bands: RiskBandConfig, grid: IdGrid): HeatMap {
  return gridHeatMap(basis, bands, (position) => {
    const ids = idsAt(grid, position);
    return { count: ids.length, ids };
  });
}

function gridHeatMap(
  basis: ScoreBasis,
  bands: RiskBandConfig,
  square: (position: Position) => { readonly count: number; readonly ids: readonly string[] },
): HeatMap {
  const totals: Record<RiskBand, number> = { low: 0, moderate: 0, high: 0, extreme: 0 };
  const cells = RISK_LEVELS.map((likelihood) =>
    RISK_LEVELS.map((impact): HeatMapCell => {
      const { count, ids } = square({ likelihood, impact });
      const score = riskScore(likelihood, impact);
      const band = riskBand(score, bands);
      totals[band] += count;
      return { likelihood, impact, score, band, count, ids };
    }),
  );
  return { basis, cells, totals, total: Object.values(totals).reduce((sum, count) => sum + count, 0) };
}

/**
 * A heat map of how many risks sit in each square, without their ids: the portfolio's, whose counts the read model
 * adds up.
 * @throws {RangeError} when the bands leave a score out.
 */
export function heatMapOfCounts(
  countAt: (likelihood: RiskLevel, impact: RiskLevel) => number,
  basis: ScoreBasis,
  bands: RiskBandConfig = DEFAULT_RISK_BANDS,
): HeatMap {
  return gridHeatMap(basis, bands, ({ likelihood, impact }) => ({ count: countAt(likelihood, impact), ids: [] }));
}

/**
 * Places each risk on the 5×5 grid by its inherent or residual ratings.
 * @throws {RangeError} when a rating is not a whole number from 1 to 5, or the bands leave a score out.
 */
export function heatMap(
  risks: readonly (ScoredRisk & { readonly id: string })[],
  basis: ScoreBasis,
  options: HeatMapOptions = {},
): HeatMap {
  const grid = emptyIdGrid();
  for (const risk of risks) {
    idsAt(grid, positionOf(risk, basis)).push(options.scope === undefined ? risk.id : `${options.scope}/${risk.id}`);
  }
  return toHeatMap(basis, options.bands ?? DEFAULT_RISK_BANDS, grid);
}

/**
 * Adds project heat maps into one portfolio map. Bands are re-derived from `bands` because the portfolio's banding,
 * not each project's, decides how the portfolio view is coloured. Build the inputs with a `scope` so ids stay unique.
 * @throws {RangeError} when a map was built on a different basis: inherent and residual counts do not add up.
 */
export function mergeHeatMaps(
  maps: readonly HeatMap[],
  basis: ScoreBasis,
  bands: RiskBandConfig = DEFAULT_RISK_BANDS,
): HeatMap {
  const grid = emptyIdGrid();
  for (const map of maps) {
    if (map.basis !== basis) {
      throw new RangeError(
        `cannot merge a heat map of ${map.basis} scores into one of ${basis} scores; build every map on the same basis`,
      );
    }
    for (const cell of map.cells.flat()) idsAt(grid, cell).push(...cell.ids);
  }
  return toHeatMap(basis, bands, grid);
}

/**
 * The risks that sit in one square, for drilling down from the heat map.
 * @throws {RangeError} when a rating is not a whole number from 1 to 5.
 */
export function filterByCell<T extends ScoredRisk>(
  risks: readonly T[],
  basis: ScoreBasis,
  likelihood: RiskLevel,
  impact: RiskLevel,
): T[] {
  assertLevel(likelihood, 'likelihood');
  assertLevel(impact, 'impact');
  return risks.filter((risk) => {
    const position = positionOf(risk, basis);
    return position.likelihood === likelihood && position.impact === impact;
  });
}
