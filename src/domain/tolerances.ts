/**
 * PRINCE2 tolerances and exceptions (docs/pmo-rules.md §2). A forecast outside its tolerance is an exception and goes
 * to the level above the one that set the tolerance; that is PRINCE2's own rule. Turning amber at 80 % of the tolerance
 * is our convention, so it is configurable.
 */
import { z } from 'zod';
import { type Rag, type RagOrNone, type Reason, reason, worstRag } from './rag';

/** The six aspects PRINCE2 sets tolerances on. */
export const TOLERANCE_ASPECTS = ['time', 'cost', 'quality', 'scope', 'benefits', 'risk'] as const;
/** One of the six tolerance aspects. */
export type ToleranceAspect = (typeof TOLERANCE_ASPECTS)[number];

/** Who set the tolerance: corporate for the project, the Project Board for a stage, the PM for a work package. */
export const TOLERANCE_LEVELS = ['project', 'stage', 'work-package'] as const;
/** The plan level a tolerance belongs to. */
export type ToleranceLevel = (typeof TOLERANCE_LEVELS)[number];

/** Who a forecast breach is escalated to. */
export type EscalationTarget = 'corporate' | 'project-board' | 'project-manager';

/**
 * A breach goes to whoever set the tolerance: above the Project Board for project tolerance, to the Board through the
 * PM's Exception Report for stage tolerance, and to the PM through the Team Manager's issue for a work package.
 */
export const TOLERANCE_ESCALATION: Readonly<Record<ToleranceLevel, EscalationTarget>> = {
  project: 'corporate',
  stage: 'project-board',
  'work-package': 'project-manager',
};

const quantitySchema = (name: string) => z.number({ error: `${name} must be a finite number` });
const allowanceSchema = (name: string) =>
  quantitySchema(name).min(0, `${name} cannot be negative; enter 0 for no deviation allowed on that side`);

/** One tolerance: the permitted deviation from `baseline` is `plus` above and `minus` below, in `unit`. */
export const toleranceSchema = z.object({
  aspect: z.enum(TOLERANCE_ASPECTS, { error: `aspect must be one of ${TOLERANCE_ASPECTS.join(', ')}` }),
  level: z.enum(TOLERANCE_LEVELS, { error: `level must be one of ${TOLERANCE_LEVELS.join(', ')}` }),
  baseline: quantitySchema('baseline'),
  forecast: quantitySchema('forecast'),
  plus: allowanceSchema('plus tolerance'),
  minus: allowanceSchema('minus tolerance'),
  unit: z.string().max(20, 'unit must be at most 20 characters, e.g. "days" or "EUR k"').optional(),
});
/** One tolerance with its current forecast. */
export type Tolerance = z.infer<typeof toleranceSchema>;

/** Amber from 80 % of the tolerance used: our default, not PRINCE2 text. */
export const DEFAULT_AMBER_AT = 0.8;

/** A PMO's tolerance settings. */
export const toleranceConfigSchema = z.object({
  amberAt: z
    .number({ error: 'amberAt must be a number' })
    .gt(0, 'amberAt must be above 0 (it is the share of tolerance used that turns amber)')
    .max(1, 'amberAt must be at most 1; beyond 1 the forecast is already an exception')
    .default(DEFAULT_AMBER_AT),
});
/** Tolerance settings after defaults are applied. */
export type ToleranceConfig = z.infer<typeof toleranceConfigSchema>;

/** A forecast outside tolerance: the exception, with the limit it crossed and who must hear about it. */
export interface ToleranceBreach {
  readonly aspect: ToleranceAspect;
  readonly level: ToleranceLevel;
  readonly baseline: number;
  readonly forecast: number;
  readonly limit: number;
  readonly escalateTo: EscalationTarget;
}

/** The RAG of one tolerance and why. */
export interface ToleranceAssessment {
  readonly aspect: ToleranceAspect;
  readonly level: ToleranceLevel;
  readonly rag: Rag;
  /** Share of the tolerance used on the side the forecast deviates to; 1 is the limit, Infinity when that side is 0. */
  readonly consumption: number;
  readonly breach: ToleranceBreach | null;
  readonly reason: Reason;
}

/** Forecasts and baselines are often sums of decimals; without slack a forecast exactly at its limit could read as over. */
const EPSILON = 1e-9;

// Quantities shown in messages carry at most two decimals, which hides float noise such as 0.30000000000000004.
const quantityParam = (value: number): number => Math.round(value * 100) / 100;
// Floored so a green or amber reason never shows a share that reads like the next colour.
const consumptionParam = (consumption: number): number => Math.floor(consumption * 100 + EPSILON * 100);

/**
 * RED when the forecast is outside [baseline − minus, baseline + plus]; a forecast exactly on a limit is still inside
 * (consumption 1, amber). AMBER when the share of tolerance used reaches `amberAt`; GREEN otherwise.
 * @throws {z.ZodError} when the tolerance or `amberAt` is not valid.
 */
export function assessTolerance(tolerance: Tolerance, amberAt: number = DEFAULT_AMBER_AT): ToleranceAssessment {
  return judgeTolerance(toleranceSchema.parse(tolerance), toleranceConfigSchema.parse({ amberAt }).amberAt);
}

function judgeTolerance(tolerance: Tolerance, amberAt: number): ToleranceAssessment {
  const { aspect, level, baseline, forecast, plus, minus } = tolerance;
  const deviation = forecast - baseline;
  // On the baseline nothing is used on either side; the upper limit is the one a person usually watches.
  const above = deviation >= 0;
  const allowance = above ? plus : minus;
  const limit = above ? baseline + plus : baseline - minus;
  let consumption = 0;
  if (deviation !== 0) consumption = allowance === 0 ? Number.POSITIVE_INFINITY : Math.abs(deviation) / allowance;

  const shown = {
    aspect,
    level,
    forecast: quantityParam(forecast),
    baseline: quantityParam(baseline),
    limit: quantityParam(limit),
  };
  if (consumption > 1 + EPSILON) {
    const escalateTo = TOLERANCE_ESCALATION[level];
    return {
      aspect,
      level,
      rag: 'red',
      consumption,
      breach: { aspect, level, baseline, forecast, limit, escalateTo },
      reason: reason('tolerance.exception', 'red', { ...shown, escalateTo }),
    };
  }
  const rag: Rag = consumption >= amberAt - EPSILON ? 'amber' : 'green';
  const params = { ...shown, consumption: consumptionParam(consumption) };
  return {
    aspect,
    level,
    rag,
    consumption,
    breach: null,
    reason: rag === 'amber' ? reason('tolerance.nearLimit', rag, params) : reason('tolerance.within', rag, params),
  };
}

/** Every tolerance of a project or stage, summed up: the worst aspect sets the colour. */
export interface ToleranceSummary {
  readonly rag: RagOrNone;
  readonly reasons: readonly Reason[];
  readonly breaches: readonly ToleranceBreach[];
  readonly aspects: readonly ToleranceAssessment[];
}

/**
 * Assesses each tolerance; the overall RAG is the worst aspect, and `none` when no tolerance is set, because a
 * project without tolerances has not been judged, not passed. The tolerances are a governance document's, which its
 * schema has checked, so only `amberAt` is checked here (once, not per tolerance: health runs this for every project
 * on every portfolio load); `assessTolerance` checks a tolerance from anywhere.
 * @throws {z.ZodError} when `amberAt` is not valid.
 */
export function assessTolerances(list: readonly Tolerance[], amberAt: number = DEFAULT_AMBER_AT): ToleranceSummary {
  const checkedAmberAt = toleranceConfigSchema.parse({ amberAt }).amberAt;
  const aspects = list.map((tolerance) => judgeTolerance(tolerance, checkedAmberAt));
  return {
    rag: worstRag(aspects.map((assessment) => assessment.rag)),
    reasons: aspects.map((assessment) => assessment.reason),
    breaches: aspects.flatMap((assessment) => (assessment.breach ? [assessment.breach] : [])),
    aspects,
  };
}
