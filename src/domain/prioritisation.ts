/**
 * Prioritisation scores (docs/pmo-rules.md §8): WSJF, ROI and RICE.
 *
 * WSJF and RICE are relative: a team scores its candidates against each other, so a WSJF of 4 in one session means
 * nothing next to a 4 from another. Compare and rank only scores from one scoring session.
 */
import { z } from 'zod';

/** The modified Fibonacci scale WSJF components are scored on; the gaps widen to stop false precision. */
export const FIBONACCI_SCALE = [1, 2, 3, 5, 8, 13, 20] as const;

const fibonacciSchema = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .refine((value) => (FIBONACCI_SCALE as readonly number[]).includes(value), {
      error: `${name} must be on the modified Fibonacci scale: ${FIBONACCI_SCALE.join(', ')}`,
    });

/**
 * The inputs a PMO may have for an item; each score is computed only when all of its own inputs are present, so an
 * item can be sized for WSJF before anyone has estimated its reach for RICE.
 */
export const priorityInputSchema = z.object({
  /** WSJF: user/business value. */
  businessValue: fibonacciSchema('Business value').optional(),
  /** WSJF: time criticality. */
  timeCriticality: fibonacciSchema('Time criticality').optional(),
  /** WSJF: risk reduction and/or opportunity enablement. */
  riskReduction: fibonacciSchema('Risk reduction / opportunity enablement').optional(),
  /** WSJF: job size, the divisor, relative effort. */
  jobSize: fibonacciSchema('Job size').optional(),
  /** ROI: expected benefit, in the same currency as cost. */
  expectedBenefit: z
    .number({ error: 'Expected benefit must be an amount of money (a finite number)' })
    .min(0, 'Expected benefit cannot be negative; enter 0 when no benefit is expected')
    .optional(),
  /** ROI: cost, the divisor. */
  cost: z
    .number({ error: 'Cost must be an amount of money (a finite number)' })
    .positive('Cost must be more than 0; ROI divides by it')
    .optional(),
  /** RICE: people or events reached per period. */
  reach: z.number({ error: 'Reach must be a number' }).min(0, 'Reach cannot be negative').optional(),
  /** RICE: impact per person reached. */
  impact: z.number({ error: 'Impact must be a number' }).min(0, 'Impact cannot be negative').optional(),
  /** RICE: confidence in the estimates, 0 to 1. */
  confidence: z
    .number({ error: 'Confidence must be a number' })
    .min(0, 'Confidence must be between 0 and 1 (e.g. 0.8 for 80 %)')
    .max(1, 'Confidence must be between 0 and 1 (e.g. 0.8 for 80 %)')
    .optional(),
  /** RICE: effort, the divisor. */
  effort: z
    .number({ error: 'Effort must be a number' })
    .positive('Effort must be more than 0; RICE divides by it')
    .optional(),
});
/** Whatever prioritisation inputs an item has. */
export type PriorityInput = z.infer<typeof priorityInputSchema>;

/** The scores an item has; each is null when one of its inputs is missing. */
export interface PriorityScore {
  readonly costOfDelay: number | null;
  readonly wsjf: number | null;
  readonly roi: number | null;
  readonly rice: number | null;
}

/**
 * A score that is a ratio, or null when it is not a number a table or a spreadsheet can show. The schema keeps each
 * divisor above 0, but "above 0" still lets 1e-320 through, and a large benefit over a tiny cost overflows to
 * Infinity, which would rank first and export as the text "Infinity".
 */
function ratio(numerator: number, denominator: number): number | null {
  if (!(denominator > 0) || !Number.isFinite(denominator)) return null;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : null;
}

/**
 * Cost of Delay, WSJF = CoD ÷ job size, ROI = (benefit − cost) ÷ cost, RICE = reach × impact × confidence ÷ effort;
 * each is null when one of its inputs is missing or it does not come out as a finite number.
 * @throws {z.ZodError} when an input is off its scale or range.
 */
export function priorityScore(input: PriorityInput): PriorityScore {
  const {
    businessValue,
    timeCriticality,
    riskReduction,
    jobSize,
    expectedBenefit,
    cost,
    reach,
    impact,
    confidence,
    effort,
  } = priorityInputSchema.parse(input);
  const costOfDelay =
    businessValue !== undefined && timeCriticality !== undefined && riskReduction !== undefined
      ? businessValue + timeCriticality + riskReduction
      : null;
  return {
    costOfDelay,
    wsjf: costOfDelay !== null && jobSize !== undefined ? ratio(costOfDelay, jobSize) : null,
    roi: expectedBenefit !== undefined && cost !== undefined ? ratio(expectedBenefit - cost, cost) : null,
    rice:
      reach !== undefined && impact !== undefined && confidence !== undefined && effort !== undefined
        ? ratio(reach * impact * confidence, effort)
        : null,
  };
}

/** The scores a list can be ranked by. */
export const PRIORITY_METHODS = ['wsjf', 'roi', 'rice'] as const;
/** One of the ranking scores. */
export type PriorityMethod = (typeof PRIORITY_METHODS)[number];

/** What a row needs to be ranked: a key to break ties (a Jira issue key) and its scores. */
export interface PriorityRow {
  readonly key: string;
  readonly score: PriorityScore;
}

// Numeric collation puts PROJ-9 before PROJ-10, the order a person expects of Jira keys.
const keyOrder = new Intl.Collator('en', { numeric: true });

/**
 * Highest score first; unscored rows go last, where they remind the team to score them; equal scores fall back to
 * key order so the ranking is the same every time it is drawn. Returns a new array.
 */
export function rankByPriority<T extends PriorityRow>(rows: readonly T[], by: PriorityMethod): T[] {
  return [...rows].sort((a, b) => {
    const left = a.score[by];
    const right = b.score[by];
    if (left !== right) {
      if (left === null) return 1;
      if (right === null) return -1;
      return right - left;
    }
    return keyOrder.compare(a.key, b.key);
  });
}
