/**
 * Earned value (docs/pmo-rules.md §5). The formulas are the PMBOK/GAO ones; the RAG thresholds are not standardised,
 * so they are configuration with the defaults the handbook quotes. An index that cannot be computed (nothing
 * planned yet, nothing spent yet) is reported as unavailable rather than guessed green.
 */
import { z } from 'zod';
import { type Rag, type RagOrNone, type Reason, reason, worstRag } from './rag';

const moneySchema = (name: string) =>
  z
    .number({ error: `${name} must be an amount of money (a finite number)` })
    .min(0, `${name} cannot be negative; enter 0 or more`);

/** The four values earned value is computed from, in one currency, all 0 or more. */
export const evmInputSchema = z.object({
  bac: moneySchema('Budget at completion (BAC)'),
  pv: moneySchema('Planned value (PV)'),
  ev: moneySchema('Earned value (EV)'),
  ac: moneySchema('Actual cost (AC)'),
});
/** Budget at completion, planned value, earned value and actual cost to date. */
export type EvmInput = z.infer<typeof evmInputSchema>;

/**
 * How to forecast the estimate at completion: `typical` when past cost performance will continue, `atypical` when
 * the variance so far was a one-off, `cpi-spi` when both cost and schedule slippage persist.
 */
export const EAC_METHODS = ['typical', 'atypical', 'cpi-spi'] as const;
/** One of the EAC forecasting methods. */
export type EacMethod = (typeof EAC_METHODS)[number];

/** The earned value figures; ratios are fractions (0.4 means 40 %), and null where the divisor is zero. */
export interface EvmMetrics {
  readonly sv: number;
  readonly cv: number;
  readonly spi: number | null;
  readonly cpi: number | null;
  readonly eacMethod: EacMethod;
  readonly eac: number | null;
  readonly etc: number | null;
  readonly vac: number | null;
  readonly eacToBac: number | null;
  /** Null when BAC = AC; negative once AC exceeds BAC, meaning the budget is already spent. */
  readonly tcpi: number | null;
  readonly percentComplete: number | null;
  readonly cvPercent: number | null;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function eacOf({ bac, pv, ev, ac }: EvmInput, method: EacMethod): number | null {
  const cpi = ratio(ev, ac);
  const spi = ratio(ev, pv);
  switch (method) {
    case 'typical':
      return cpi ? bac / cpi : null;
    case 'atypical':
      return ac + (bac - ev);
    case 'cpi-spi':
      return cpi && spi ? ac + (bac - ev) / (cpi * spi) : null;
  }
}

function metricsOf(input: EvmInput, eacMethod: EacMethod): EvmMetrics {
  const { bac, pv, ev, ac } = input;
  const eac = eacOf(input, eacMethod);
  return {
    sv: ev - pv,
    cv: ev - ac,
    spi: ratio(ev, pv),
    cpi: ratio(ev, ac),
    eacMethod,
    eac,
    etc: eac === null ? null : eac - ac,
    vac: eac === null ? null : bac - eac,
    eacToBac: eac === null ? null : ratio(eac, bac),
    tcpi: ratio(bac - ev, bac - ac),
    percentComplete: ratio(ev, bac),
    cvPercent: ratio(ev - ac, ev),
  };
}

/**
 * The estimate at completion by `method`. A zero index gives null as well as a missing one: with nothing earned,
 * past performance says nothing about the cost to finish, and BAC / 0 is not a forecast.
 * @throws {z.ZodError} when an input is negative or not a finite number.
 */
export function estimateAtCompletion(input: EvmInput, method: EacMethod): number | null {
  return eacOf(evmInputSchema.parse(input), method);
}

/**
 * All earned value figures for one project at one status date.
 * @throws {z.ZodError} when an input is negative or not a finite number.
 */
export function evmMetrics(input: EvmInput, eacMethod: EacMethod = 'typical'): EvmMetrics {
  return metricsOf(evmInputSchema.parse(input), eacMethod);
}

/** Thresholds for an index where higher is better: at or above `green` is green, at or above `amber` is amber. */
export const indexThresholdsSchema = z
  .object({
    green: z.number().positive('the green threshold must be above 0'),
    amber: z.number().positive('the amber threshold must be above 0'),
  })
  .refine((t) => t.amber <= t.green, {
    error: 'the amber threshold must not be above the green one: an index at or above green is green',
  });
/** Thresholds for SPI and CPI. */
export type IndexThresholds = z.infer<typeof indexThresholdsSchema>;

/** Thresholds for EAC ÷ BAC, where lower is better: at or below `green` is green, at or below `amber` is amber. */
export const eacThresholdsSchema = z
  .object({
    green: z.number().positive('the green limit must be above 0'),
    amber: z.number().positive('the amber limit must be above 0'),
  })
  .refine((t) => t.green <= t.amber, {
    error: 'the amber limit must not be below the green one: a forecast at or below green is green',
  });
/** Thresholds for the forecast as a share of budget. */
export type EacThresholds = z.infer<typeof eacThresholdsSchema>;

/**
 * A PMO's earned value settings. Defaults: CPI/SPI green ≥ 0.95, amber ≥ 0.85 ("Understanding EVA");
 * EAC/BAC green ≤ 100 %, amber ≤ 105 % (slideplayer 14980917); EAC by the typical method.
 */
export const evmConfigSchema = z.object({
  index: indexThresholdsSchema.default({ green: 0.95, amber: 0.85 }),
  eacToBac: eacThresholdsSchema.default({ green: 1, amber: 1.05 }),
  eacMethod: z
    .enum(EAC_METHODS, { error: `the EAC method must be one of ${EAC_METHODS.join(', ')}` })
    .default('typical'),
});
/** Earned value settings after defaults are applied. */
export type EvmConfig = z.infer<typeof evmConfigSchema>;

/** The settings a PMO starts with. */
export const DEFAULT_EVM_CONFIG: EvmConfig = evmConfigSchema.parse({});

/** Ratios of money carry floating-point noise; without slack an index of exactly 0.95 could read 0.9499… and flip. */
const EPSILON = 1e-9;

function indexRagOf(index: number, thresholds: IndexThresholds): Rag {
  if (index >= thresholds.green - EPSILON) return 'green';
  if (index >= thresholds.amber - EPSILON) return 'amber';
  return 'red';
}

/** The RAG of SPI or CPI; `none` when the index could not be computed. */
export function indexRag(index: number | null, thresholds: IndexThresholds): RagOrNone {
  return index === null ? 'none' : indexRagOf(index, thresholds);
}

function eacRag(eacToBac: number, thresholds: EacThresholds): Rag {
  if (eacToBac <= thresholds.green + EPSILON) return 'green';
  if (eacToBac <= thresholds.amber + EPSILON) return 'amber';
  return 'red';
}

// Shown numbers are rounded towards the worse side so that the words never contradict the colour: an SPI of
// 0.9496 reads 0.94 (below 0.95), and a forecast of 105.04 % of budget reads 106 % (above 105 %).
const indexParam = (index: number): number => Math.floor(index * 100 + EPSILON) / 100;
const percentOverParam = (share: number): number => Math.ceil(share * 100 - EPSILON);
const percentParam = (share: number): number => Math.round(share * 100);
const moneyParam = (amount: number): number => Math.round(amount * 100) / 100;

/** One half of the earned value health: its RAG and the reasons for it. */
export interface EvmPart {
  readonly rag: RagOrNone;
  readonly reasons: readonly Reason[];
}

/** Schedule health (SPI), budget health (CPI and EAC/BAC) and the figures behind them. */
export interface EvmHealth {
  readonly schedule: EvmPart;
  readonly budget: EvmPart;
  readonly metrics: EvmMetrics;
}

/** Reason codes per index, spelled out so every code is a literal the locale check can see. */
const INDEX_REASONS = {
  spi: { unavailable: 'evm.spiUnavailable', onTrack: 'evm.spiOnTrack', below: 'evm.spiBelow' },
  cpi: { unavailable: 'evm.cpiUnavailable', onTrack: 'evm.cpiOnTrack', below: 'evm.cpiBelow' },
} as const;

function indexReason(name: 'spi' | 'cpi', index: number | null, thresholds: IndexThresholds): Reason {
  const codes = INDEX_REASONS[name];
  if (index === null) return reason(codes.unavailable, 'green');
  const rag = indexRagOf(index, thresholds);
  if (rag === 'green') {
    return reason(codes.onTrack, 'green', { [name]: indexParam(index), threshold: thresholds.green });
  }
  const threshold = rag === 'amber' ? thresholds.green : thresholds.amber;
  return reason(codes.below, rag, { [name]: indexParam(index), threshold });
}

function eacReason(input: EvmInput, metrics: EvmMetrics, thresholds: EacThresholds): Reason {
  if (input.bac === 0) return reason('evm.noBudget', 'green');
  if (metrics.eac === null || metrics.eacToBac === null) return reason('evm.eacUnavailable', 'green');
  const rag = eacRag(metrics.eacToBac, thresholds);
  const amounts = { eac: moneyParam(metrics.eac), bac: moneyParam(input.bac) };
  if (rag === 'green') {
    return reason('evm.eacWithinBudget', 'green', { ...amounts, eacPercent: percentParam(metrics.eacToBac) });
  }
  const limit = rag === 'amber' ? thresholds.green : thresholds.amber;
  return reason('evm.eacOverBudget', rag, {
    ...amounts,
    eacPercent: percentOverParam(metrics.eacToBac),
    limitPercent: percentParam(limit),
  });
}

/**
 * Schedule and budget health from earned value. Each part is `none` when none of its measures could be computed,
 * and its reasons still say why, so a blank is never mistaken for good news.
 * @throws {z.ZodError} when an input is negative or not a finite number.
 */
export function evmHealth(input: EvmInput, config: EvmConfig = DEFAULT_EVM_CONFIG): EvmHealth {
  return judgeEvm(evmInputSchema.parse(input), config);
}

/**
 * `evmHealth` of figures already checked by `evmInputSchema`: the health rules check a project's figures once and
 * judge schedule and budget from the one result.
 */
export function judgeEvm(checked: EvmInput, config: EvmConfig): EvmHealth {
  const metrics = metricsOf(checked, config.eacMethod);
  const eacToBacRag: RagOrNone = metrics.eacToBac === null ? 'none' : eacRag(metrics.eacToBac, config.eacToBac);
  return {
    schedule: {
      rag: indexRag(metrics.spi, config.index),
      reasons: [indexReason('spi', metrics.spi, config.index)],
    },
    budget: {
      rag: worstRag([indexRag(metrics.cpi, config.index), eacToBacRag]),
      reasons: [indexReason('cpi', metrics.cpi, config.index), eacReason(checked, metrics, config.eacToBac)],
    },
    metrics,
  };
}
