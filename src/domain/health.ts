/**
 * Project health: explicit, auditable rules that turn a project's facts into a RAG per dimension and overall, each
 * with the reasons a steering committee would ask for (docs/architecture.md §6; docs/pmo-rules.md "Explainable,
 * rule-based RAG"). Nothing here is a judgement call by a person, which is the cure for "status inflation": a project
 * is amber because a rule says so, and the rule is named.
 *
 * Dimensions: schedule (due date, EVM SPI or the Wrike deviation fallback), gate (stage-gate discipline), risk
 * (5×5 residual bands), RAID (overdue issues, critical assumptions, dependencies, reviews), budget (EVM), tolerance
 * (PRINCE2 exceptions) and staleness (how long since anyone reviewed the project).
 */
import { z } from 'zod';
import { type GovernanceDocument } from './documents/governance-document';
import { evmConfigSchema, type EvmHealth, type EvmInput, evmInputSchema, judgeEvm } from './evm';
import {
  type GateDecision,
  type GateOutcome,
  gateReadiness,
  openConditions,
  type ProjectStatus,
  type Readiness,
} from './gates';
import { type Rag, ragOf, type RagOrNone, type Reason, reason, worstRag } from './rag';
import { isReviewOverdue, openItems, openOfType, type RaidLog, type Risk } from './raid';
import {
  DEFAULT_RISK_BANDS,
  inherentScore,
  residualScore,
  riskBand,
  type RiskBand,
  riskBandConfigSchema,
} from './risk';
import { findGate, findStage, type GateDefinition, type StageDefinition, type StageGateTemplate } from './templates';
import { dayOf, daysBetween, type Instant, type IsoDate, isPast } from './time';
import { assessTolerances, type ToleranceSummary } from './tolerances';

/** The dimensions health is judged on, in the order every surface lists them. */
export const HEALTH_DIMENSIONS = ['schedule', 'gate', 'risk', 'raid', 'budget', 'tolerance', 'staleness'] as const;
/** One dimension of project health. */
export type HealthDimension = (typeof HEALTH_DIMENSIONS)[number];

/** One dimension's verdict and why. */
export interface DimensionHealth {
  readonly dimension: HealthDimension;
  readonly rag: RagOrNone;
  readonly reasons: readonly Reason[];
}

const enabled = z.boolean().default(true);

/**
 * A PMO's health rules. Every threshold is configuration with a default (`healthConfigSchema.parse({})` gives all
 * of them); where a default is ours rather than a standard's, docs/pmo-rules.md says so.
 */
export const healthConfigSchema = z.object({
  schedule: z
    .object({
      enabled,
      /** Wrike's fallback: deviation = (1 − actual/planned)·100 above this is amber. */
      deviationAmberPercent: z.number().min(0).max(100).default(25),
    })
    .prefault({}),
  gate: z
    .object({
      enabled,
      /** Must-meet items still open this many days (or fewer) before the gate date turn the gate amber. */
      warningDays: z.number().int().min(0).max(365).default(14),
    })
    .prefault({}),
  risk: z
    .object({
      enabled,
      bands: riskBandConfigSchema.default(() => [...DEFAULT_RISK_BANDS]),
      /** How many open extreme risks make the risk dimension red; fewer (but at least one) make it amber. */
      extremeCountRed: z.number().int().min(1).max(100).default(1),
    })
    .prefault({}),
  raid: z.object({ enabled }).prefault({}),
  budget: z.object({ enabled, evm: evmConfigSchema.prefault({}) }).prefault({}),
  tolerance: z
    .object({
      enabled,
      /** Share of a tolerance consumed at which an aspect turns amber; 0.8 is our convention, not PRINCE2 text. */
      amberAt: z.number().gt(0).max(1).default(0.8),
    })
    .prefault({}),
  staleness: z
    .object({
      enabled,
      amberAfterDays: z.number().int().min(1).max(365).default(14),
      redAfterDays: z.number().int().min(2).max(730).default(30),
    })
    .refine((s) => s.redAfterDays > s.amberAfterDays, {
      error: 'the red staleness limit must be more days than the amber one',
      path: ['redAfterDays'],
    })
    .prefault({}),
  /** When set to N, N or more amber dimensions make the overall RAG red (off by default). */
  ambersMakeRed: z.number().int().min(2).max(HEALTH_DIMENSIONS.length).nullable().default(null),
});
/** Health rules after defaults are applied. */
export type HealthConfig = z.infer<typeof healthConfigSchema>;
/** Health rules as an admin writes them, before defaults. */
export type HealthConfigInput = z.input<typeof healthConfigSchema>;

/** The rules a PMO starts with. */
export const DEFAULT_HEALTH_CONFIG: HealthConfig = healthConfigSchema.parse({});

/** Everything health is computed from for one registry issue; the adapter reads it from Jira in one search. */
export interface ProjectFacts {
  readonly key: string;
  readonly summary: string;
  /** null when the project is not (yet) under governance. */
  readonly governance: GovernanceDocument | null;
  /** The template version the project started on; null when it cannot be found. */
  readonly template: StageGateTemplate | null;
  readonly raid: RaidLog;
  readonly dueDate?: IsoDate;
  readonly startDate?: IsoDate;
  readonly createdAt: Instant;
  /** Actual share complete, 0..1, when the team reports it. */
  readonly progress?: number;
  readonly evm?: EvmInput;
  readonly owner?: string;
  readonly department?: string;
  readonly jiraStatusCategory?: 'new' | 'indeterminate' | 'done';
}

/** Where a project stands, in the few fields the portfolio, the issue context panel and JQL need. */
export interface HealthSummary {
  /** Stage id; null when the project is not under governance. */
  readonly stage: string | null;
  readonly stageName: string | null;
  readonly status: ProjectStatus | 'ungoverned';
  /** Outcome of the latest gate decision (a lapsed Conditional-Go counts as what it lapsed to). */
  readonly lastDecision: GateOutcome | 'none';
  /** Highest residual score among open risks; 0 when there are none. */
  readonly riskMax: number;
  readonly riskBand: RiskBand | 'none';
  /** Must-meet items of the current gate still open. */
  readonly mandatoryOpen: number;
  readonly nextGateDate?: IsoDate;
  /** The later of the latest status review and the latest gate decision. */
  readonly lastReviewAt?: Instant;
  /** True when any tolerance is breached (PRINCE2 exception). */
  readonly exception: boolean;
  /**
   * The projects this one waits on (counterparties of its open, undelivered inbound dependencies), in the order they
   * were logged: what lets a viewer follow red along dependencies through stored health alone.
   */
  readonly waitsOn: readonly string[];
}

/** A project's health: overall RAG, each dimension with its reasons, and a summary. */
export interface ProjectHealth {
  readonly key: string;
  readonly overall: RagOrNone;
  /** Reasons about the project as a whole (closed, ambers escalated to red); the rest sit with their dimension. */
  readonly reasons: readonly Reason[];
  readonly dimensions: Readonly<Record<HealthDimension, DimensionHealth>>;
  /** Killed or completed (or, without governance, done in Jira): nothing is judged any more. */
  readonly closed: boolean;
  /** No `tollgate-governance` on the issue: the gate dimension says so, the others are judged from what exists. */
  readonly ungoverned: boolean;
  readonly summary: HealthSummary;
}

/** Looks up the overall RAG of another registry project, for dependencies; undefined when it is not known. */
export type CounterpartyRag = (key: string) => RagOrNone | undefined;

/** What every rule may look at, worked out once per project. */
interface Context {
  readonly facts: ProjectFacts;
  readonly config: HealthConfig;
  readonly today: IsoDate;
  readonly counterpartyRag: CounterpartyRag | undefined;
  readonly stage: StageDefinition | undefined;
  /** The gate that closes the current stage, with its readiness; undefined at the last stage or without governance. */
  readonly gate: { readonly definition: GateDefinition; readonly readiness: Readiness } | undefined;
  readonly openRisks: readonly { readonly risk: Risk; readonly score: number; readonly band: RiskBand }[];
  /** Undefined without governance or without tolerances: nothing to assess. */
  readonly tolerance: ToleranceSummary | undefined;
  /**
   * The cost figures checked once, and judged once when they are valid (schedule and budget both use them);
   * undefined without cost data.
   */
  readonly evm:
    { readonly ok: true; readonly health: EvmHealth } | { readonly ok: false; readonly problem: string } | undefined;
  /** When the project was last reviewed or decided; undefined without governance or without either. */
  readonly reviewedAt: Instant | undefined;
}

function dimension(name: HealthDimension, rag: RagOrNone, reasons: readonly Reason[]): DimensionHealth {
  return { dimension: name, rag, reasons };
}

const list = (values: readonly string[]): string => values.join(', ');

function instantMs(instant: Instant): number {
  return Date.parse(instant);
}

/** The later of two instants, either of which may be missing. */
function later(a: Instant | undefined, b: Instant | undefined): Instant | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return instantMs(b) > instantMs(a) ? b : a;
}

function latestOf(instants: readonly Instant[]): Instant | undefined {
  return instants.reduce<Instant | undefined>((latest, at) => later(latest, at), undefined);
}

/** What a decision amounts to now: a Conditional-Go whose conditions lapsed is the Recycle or Kill it became. */
export function effectiveOutcome(decision: GateDecision): GateOutcome {
  return decision.lapsed?.outcome ?? decision.outcome;
}

function gateName(template: StageGateTemplate, gateId: string): string {
  return findGate(template, gateId)?.gate.name ?? gateId;
}

// ---------------------------------------------------------------------------------------------------------------
// Schedule

/**
 * Wrike's schedule-only health for teams without cost data: planned share = elapsed / duration, deviation =
 * (1 − actual / planned)·100. Undefined when it cannot be computed (no progress, no plan, nothing planned yet).
 */
export function scheduleDeviation(
  start: IsoDate,
  due: IsoDate,
  progress: number,
  today: IsoDate,
): { readonly deviation: number; readonly planned: number } | undefined {
  const duration = daysBetween(start, due);
  if (duration <= 0) return undefined;
  const elapsed = Math.min(Math.max(daysBetween(start, today), 0), duration);
  const planned = elapsed / duration;
  if (planned === 0) return undefined;
  return { deviation: (1 - Math.min(Math.max(progress, 0), 1) / planned) * 100, planned };
}

// Floating-point ratios of days can land a hair either side of a threshold; the words must match the colour.
const EPSILON = 1e-9;

function deviationReason(ctx: Context, due: IsoDate): Reason | undefined {
  const { facts, today, config } = ctx;
  if (facts.progress === undefined) return undefined;
  const start = facts.startDate ?? dayOf(facts.governance?.startedAt ?? facts.createdAt);
  const result = scheduleDeviation(start, due, facts.progress, today);
  if (!result) return undefined;
  const params = { plannedPercent: Math.round(result.planned * 100), actualPercent: Math.round(facts.progress * 100) };
  const threshold = config.schedule.deviationAmberPercent;
  if (result.deviation > threshold + EPSILON) {
    return reason('schedule.behindPlan', 'amber', {
      ...params,
      deviation: Math.max(Math.ceil(result.deviation - EPSILON), Math.floor(threshold) + 1),
      threshold,
    });
  }
  return reason('schedule.onPlan', 'green', {
    ...params,
    deviation: Math.max(Math.min(Math.floor(result.deviation + EPSILON), threshold), 0),
    threshold,
  });
}

function scheduleHealth(ctx: Context): DimensionHealth {
  const { facts, today } = ctx;
  const reasons: Reason[] = [];
  let judged = false;
  const due = facts.dueDate;
  if (due === undefined) {
    reasons.push(reason('schedule.noDueDate', 'green'));
  } else if (facts.jiraStatusCategory === 'done') {
    // Delivered in Jira: the due date is history, not a warning.
    judged = true;
    reasons.push(reason('schedule.delivered', 'green', { dueDate: due }));
  } else if (isPast(due, today)) {
    judged = true;
    reasons.push(reason('schedule.overdue', 'red', { dueDate: due, days: daysBetween(due, today) }));
  } else {
    judged = true;
    reasons.push(reason('schedule.dueAhead', 'green', { dueDate: due, days: daysBetween(today, due) }));
  }
  const { evm } = ctx;
  if (evm?.ok) {
    // SPI is the better measure when cost data exists; Wrike's deviation is only the fallback without it.
    const spi = evm.health.schedule;
    if (spi.rag !== 'none') judged = true;
    reasons.push(...spi.reasons);
  } else if (due !== undefined && facts.jiraStatusCategory !== 'done') {
    const deviation = deviationReason(ctx, due);
    if (deviation) {
      judged = true;
      reasons.push(deviation);
    }
  }
  return dimension('schedule', judged ? ragOf(reasons) : 'none', reasons);
}

// ---------------------------------------------------------------------------------------------------------------
// Gate

function latestDecisionFor(decisions: readonly GateDecision[], gateId: string): GateDecision | undefined {
  // Decisions are append-only with the latest last.
  for (let i = decisions.length - 1; i >= 0; i -= 1) {
    const decision = decisions[i];
    if (decision?.gateId === gateId) return decision;
  }
  return undefined;
}

function conditionReasons(governance: GovernanceDocument, template: StageGateTemplate, today: IsoDate): Reason[] {
  const reasons: Reason[] = [];
  for (const decision of governance.decisions) {
    if (decision.outcome !== 'CONDITIONAL_GO' || decision.lapsed) continue;
    // A later decision at the same gate supersedes this one's conditions.
    if (latestDecisionFor(governance.decisions, decision.gateId) !== decision) continue;
    const open = openConditions(decision);
    if (open.length === 0) continue;
    const gate = gateName(template, decision.gateId);
    const params = { gate, count: open.length, conditions: open.map((c) => c.text).join('; ') };
    const due = decision.conditionsDueDate;
    if (due === undefined) reasons.push(reason('gate.conditionsUndated', 'amber', params));
    else if (isPast(due, today)) reasons.push(reason('gate.conditionsOverdue', 'red', { ...params, dueDate: due }));
    else reasons.push(reason('gate.conditionsOpen', 'green', { ...params, dueDate: due }));
  }
  return reasons;
}

function onHoldSince(governance: GovernanceDocument): IsoDate {
  for (let i = governance.decisions.length - 1; i >= 0; i -= 1) {
    const decision = governance.decisions[i];
    if (decision?.outcome === 'HOLD') return dayOf(decision.decidedAt);
  }
  return dayOf(governance.updatedAt);
}

function gateDateReasons(ctx: Context, governance: GovernanceDocument, gate: NonNullable<Context['gate']>): Reason[] {
  const { today, config } = ctx;
  const name = gate.definition.name;
  const mustOpen = gate.readiness.mustOpen;
  const items = mustOpen.map((c) => c.title).join('; ');
  const gateDate = governance.nextGateDate;
  if (gateDate === undefined) return [reason('gate.noGateDate', 'amber', { gate: name })];
  const reasons: Reason[] = [];
  if (isPast(gateDate, today)) {
    const days = daysBetween(gateDate, today);
    const answered = governance.decisions.filter(
      (d) => d.gateId === gate.definition.id && daysBetween(gateDate, dayOf(d.decidedAt)) >= 0,
    );
    const latest = answered[answered.length - 1];
    if (latest === undefined) {
      reasons.push(reason('gate.reviewOverdue', 'red', { gate: name, gateDate, days }));
    } else {
      // The board met and sent the project back (Hold or Recycle) but nobody set the date it comes back.
      reasons.push(
        reason('gate.newDateNeeded', 'amber', {
          gate: name,
          gateDate,
          outcome: effectiveOutcome(latest),
          decidedOn: dayOf(latest.decidedAt),
        }),
      );
    }
    if (mustOpen.length > 0) {
      reasons.push(reason('gate.mustOpenAfterGate', 'red', { gate: name, gateDate, count: mustOpen.length, items }));
    }
    return reasons;
  }
  const days = daysBetween(today, gateDate);
  if (mustOpen.length > 0 && days <= config.gate.warningDays) {
    reasons.push(
      reason('gate.mustOpenNearGate', 'amber', { gate: name, gateDate, days, count: mustOpen.length, items }),
    );
  } else {
    reasons.push(reason('gate.onTrack', 'green', { gate: name, gateDate, days, mustOpen: mustOpen.length }));
  }
  return reasons;
}

function gateHealth(ctx: Context): DimensionHealth {
  const { governance, template } = ctx.facts;
  if (!governance) return dimension('gate', 'amber', [reason('gate.ungoverned', 'amber')]);
  if (!template) {
    const ref = `${governance.templateId}@${governance.templateVersion}`;
    return dimension('gate', 'amber', [reason('gate.templateMissing', 'amber', { template: ref })]);
  }
  if (!ctx.stage) {
    return dimension('gate', 'amber', [
      reason('gate.unknownStage', 'amber', { stage: governance.stage, template: template.name }),
    ]);
  }
  const reasons = conditionReasons(governance, template, ctx.today);
  if (governance.status === 'on-hold') {
    // A paused project has no gate date to meet; what matters is that it is paused, and since when.
    reasons.push(reason('gate.onHold', 'amber', { stage: ctx.stage.name, since: onHoldSince(governance) }));
  } else if (!ctx.gate) {
    reasons.push(reason('gate.finalStage', 'green', { stage: ctx.stage.name }));
  } else {
    reasons.push(...gateDateReasons(ctx, governance, ctx.gate));
  }
  return dimension('gate', ragOf(reasons), reasons);
}

// ---------------------------------------------------------------------------------------------------------------
// Risk

/**
 * An extreme risk nobody has dealt with: no response chosen, or "accept" without anyone assessing what is left.
 * Judged on the inherent score, because an unassessed residual is the inherent one.
 */
function isUnmitigatedExtreme(risk: Risk, bands: HealthConfig['risk']['bands']): boolean {
  if (riskBand(inherentScore(risk), bands) !== 'extreme') return false;
  const residualAssessed = risk.residualLikelihood !== undefined || risk.residualImpact !== undefined;
  return risk.response === undefined || (risk.response === 'accept' && !residualAssessed);
}

function riskHealth(ctx: Context): DimensionHealth {
  const { config, openRisks } = ctx;
  const reasons: Reason[] = [];
  for (const { risk } of openRisks) {
    if (isUnmitigatedExtreme(risk, config.risk.bands)) {
      reasons.push(
        reason('risk.unmitigatedExtreme', 'red', {
          id: risk.id,
          title: risk.title,
          score: inherentScore(risk),
          response: risk.response ?? 'none',
        }),
      );
    }
  }
  const maxScore = openRisks.reduce((max, r) => Math.max(max, r.score), 0);
  const extreme = openRisks.filter((r) => r.band === 'extreme');
  const high = openRisks.filter((r) => r.band === 'high');
  if (extreme.length > 0) {
    const rag = extreme.length >= config.risk.extremeCountRed ? 'red' : 'amber';
    const ids = list(extreme.map((r) => r.risk.id));
    reasons.push(reason('risk.extremeOpen', rag, { count: extreme.length, ids, maxScore }));
  } else if (high.length > 0) {
    reasons.push(
      reason('risk.highOpen', 'amber', { count: high.length, ids: list(high.map((r) => r.risk.id)), maxScore }),
    );
  } else if (openRisks.length > 0) {
    reasons.push(reason('risk.noneAboveModerate', 'green', { count: openRisks.length, maxScore }));
  } else {
    reasons.push(reason('risk.noOpenRisks', 'green'));
  }
  return dimension('risk', ragOf(reasons), reasons);
}

// ---------------------------------------------------------------------------------------------------------------
// RAID

function issueReasons(log: RaidLog, today: IsoDate): Reason[] {
  const reasons: Reason[] = [];
  const overdue = openOfType(log, 'issue').filter((i) => i.dueDate !== undefined && isPast(i.dueDate, today));
  for (const issue of overdue.filter((i) => i.severity === 3)) {
    const dueDate = issue.dueDate as IsoDate;
    reasons.push(
      reason('raid.criticalIssueOverdue', 'red', {
        id: issue.id,
        title: issue.title,
        dueDate,
        days: daysBetween(dueDate, today),
      }),
    );
  }
  const lesser = overdue.filter((i) => i.severity !== 3);
  if (lesser.length > 0) {
    reasons.push(reason('raid.issueOverdue', 'amber', { count: lesser.length, ids: list(lesser.map((i) => i.id)) }));
  }
  return reasons;
}

function assumptionReasons(log: RaidLog, today: IsoDate): Reason[] {
  const reasons: Reason[] = [];
  const critical = openOfType(log, 'assumption').filter((a) => a.sensitivity === 'critical');
  for (const assumption of critical.filter((a) => a.validation === 'invalidated')) {
    // The plan still rests on something known to be false.
    reasons.push(reason('raid.assumptionInvalidated', 'red', { id: assumption.id, title: assumption.title }));
  }
  const unvalidated = critical.filter((a) => a.validation === 'unvalidated');
  const late = unvalidated.filter((a) => a.validateBy !== undefined && isPast(a.validateBy, today));
  for (const assumption of late) {
    reasons.push(
      reason('raid.assumptionValidationOverdue', 'red', {
        id: assumption.id,
        title: assumption.title,
        validateBy: assumption.validateBy as IsoDate,
      }),
    );
  }
  const pending = unvalidated.filter((a) => !late.includes(a));
  if (pending.length > 0) {
    reasons.push(
      reason('raid.assumptionUnvalidated', 'amber', { count: pending.length, ids: list(pending.map((a) => a.id)) }),
    );
  }
  return reasons;
}

/**
 * Assumptions below critical never change the colour (docs/pmo-rules.md), but they are facts the summary must not
 * deny: an open one that is unvalidated, late for validation or proved false is named, so the summary never has to
 * claim "none unvalidated" or "none overdue" over it.
 */
function minorAssumptionNotes(log: RaidLog, today: IsoDate): Reason[] {
  const minor = openOfType(log, 'assumption').filter((a) => a.sensitivity !== 'critical');
  const unvalidated = minor.filter((a) => a.validation === 'unvalidated');
  const late = unvalidated.filter((a) => a.validateBy !== undefined && isPast(a.validateBy, today));
  const groups = [
    ['raid.minorAssumptionValidationLate', late],
    ['raid.minorAssumptionUnvalidated', unvalidated.filter((a) => !late.includes(a))],
    ['raid.minorAssumptionInvalidated', minor.filter((a) => a.validation === 'invalidated')],
  ] as const;
  return groups
    .filter(([, items]) => items.length > 0)
    .map(([code, items]) => reason(code, 'green', { count: items.length, ids: list(items.map((a) => a.id)) }));
}

function dependencyReasons(ctx: Context): Reason[] {
  const { facts, today, counterpartyRag } = ctx;
  const reasons: Reason[] = [];
  for (const dependency of openOfType(facts.raid, 'dependency')) {
    if (dependency.deliveryStatus === 'delivered') continue;
    const params = { id: dependency.id, counterparty: dependency.counterpartyKey, direction: dependency.direction };
    if (dependency.deliveryStatus === 'blocked') reasons.push(reason('raid.dependencyBlocked', 'red', params));
    if (dependency.deliveryStatus === 'at-risk') reasons.push(reason('raid.dependencyAtRisk', 'amber', params));
    if (dependency.neededBy !== undefined && isPast(dependency.neededBy, today)) {
      reasons.push(reason('raid.dependencyLate', 'red', { ...params, neededBy: dependency.neededBy }));
    }
    // Only what we need from others can hold us up; what others need from us shows on their project.
    if (dependency.direction === 'inbound' && counterpartyRag?.(dependency.counterpartyKey) === 'red') {
      reasons.push(reason('raid.dependencyRed', 'red', params));
    }
  }
  return reasons;
}

function raidHealth(ctx: Context): DimensionHealth {
  const { facts, today } = ctx;
  const reasons: Reason[] = [
    ...issueReasons(facts.raid, today),
    ...assumptionReasons(facts.raid, today),
    ...dependencyReasons(ctx),
  ];
  const unreviewed = openItems(facts.raid).filter((item) => isReviewOverdue(item, today));
  if (unreviewed.length > 0) {
    reasons.push(
      reason('raid.reviewOverdue', 'amber', { count: unreviewed.length, ids: list(unreviewed.map((i) => i.id)) }),
    );
  }
  const notes = minorAssumptionNotes(facts.raid, today);
  if (reasons.length === 0) {
    // "None overdue, blocked or unvalidated" is said only when it is true of every open item; with minor
    // assumptions still in doubt the summary claims only what the rules checked, and the notes name the rest.
    const open = openItems(facts.raid).length;
    reasons.push(reason(notes.length === 0 ? 'raid.clear' : 'raid.noneFlagged', 'green', { open }));
  }
  reasons.push(...notes);
  return dimension('raid', ragOf(reasons), reasons);
}

// ---------------------------------------------------------------------------------------------------------------
// Budget, tolerance, staleness

function budgetHealth(ctx: Context): DimensionHealth {
  const { evm } = ctx;
  if (evm === undefined) return dimension('budget', 'none', [reason('budget.noCostData', 'green')]);
  if (!evm.ok) {
    // Bad figures from a Jira field must not take the portfolio down; they show as unjudged with the problem.
    return dimension('budget', 'none', [reason('budget.invalidCostData', 'green', { problem: evm.problem })]);
  }
  const budget = evm.health.budget;
  return dimension('budget', budget.rag, budget.reasons);
}

function toleranceHealth(ctx: Context): DimensionHealth {
  const { tolerance } = ctx;
  if (!tolerance) return dimension('tolerance', 'none', [reason('tolerance.notSet', 'green')]);
  return dimension('tolerance', tolerance.rag, tolerance.reasons);
}

/** When someone last looked at the project as a whole: a status review or a gate decision, whichever is later. */
function lastReviewAt(governance: GovernanceDocument): Instant | undefined {
  return later(latestOf(governance.reviews.map((r) => r.at)), latestOf(governance.decisions.map((d) => d.decidedAt)));
}

function stalenessHealth(ctx: Context): DimensionHealth {
  const { facts, today, config } = ctx;
  const { governance } = facts;
  if (!governance) return dimension('staleness', 'none', [reason('staleness.ungoverned', 'green')]);
  const reviewed = ctx.reviewedAt;
  const since = dayOf(reviewed ?? governance.startedAt);
  const days = daysBetween(since, today);
  const { amberAfterDays, redAfterDays } = config.staleness;
  const rag = days >= redAfterDays ? 'red' : days >= amberAfterDays ? 'amber' : 'green';
  const limit = rag === 'red' ? redAfterDays : amberAfterDays;
  const code =
    rag === 'green'
      ? reviewed
        ? 'staleness.reviewed'
        : 'staleness.newProject'
      : reviewed
        ? 'staleness.noReview'
        : 'staleness.neverReviewed';
  return dimension('staleness', rag, [reason(code, rag, { days, since, limit })]);
}

// ---------------------------------------------------------------------------------------------------------------
// Overall

const RULES: Readonly<Record<HealthDimension, (ctx: Context) => DimensionHealth>> = {
  schedule: scheduleHealth,
  gate: gateHealth,
  risk: riskHealth,
  raid: raidHealth,
  budget: budgetHealth,
  tolerance: toleranceHealth,
  staleness: stalenessHealth,
};

function contextOf(
  facts: ProjectFacts,
  config: HealthConfig,
  today: IsoDate,
  counterpartyRag: CounterpartyRag | undefined,
): Context {
  const { governance, template } = facts;
  const stage = governance && template ? findStage(template, governance.stage) : undefined;
  const exitGate = stage?.exitGate;
  const gate =
    exitGate && template && governance
      ? { definition: exitGate, readiness: gateReadiness(template, exitGate, governance.gates[exitGate.id]) }
      : undefined;
  const openRisks = openOfType(facts.raid, 'risk').map((risk) => {
    const score = residualScore(risk);
    return { risk, score, band: riskBand(score, config.risk.bands) };
  });
  const tolerances = governance?.tolerances ?? [];
  const tolerance = tolerances.length > 0 ? assessTolerances(tolerances, config.tolerance.amberAt) : undefined;
  const reviewedAt = governance ? lastReviewAt(governance) : undefined;
  const evm = facts.evm === undefined ? undefined : checkedEvm(facts.evm, config);
  return { facts, config, today, counterpartyRag, stage, gate, openRisks, tolerance, evm, reviewedAt };
}

function checkedEvm(figures: unknown, config: HealthConfig): NonNullable<Context['evm']> {
  const checked = evmInputSchema.safeParse(figures);
  if (checked.success) return { ok: true, health: judgeEvm(checked.data, config.budget.evm) };
  return { ok: false, problem: checked.error.issues.map((issue) => issue.message).join('; ') };
}

/** Killed or completed, or (without governance) done in Jira: nothing left to judge. */
export function isClosed(facts: ProjectFacts): boolean {
  const { governance } = facts;
  if (!governance) return facts.jiraStatusCategory === 'done';
  return governance.status === 'completed' || governance.status === 'killed';
}

function closure(facts: ProjectFacts): Reason | undefined {
  if (!isClosed(facts)) return undefined;
  const { governance } = facts;
  if (!governance) return reason('overall.doneInJira', 'green');
  if (governance.status === 'completed') {
    return reason('overall.completed', 'green', { since: dayOf(governance.completedAt ?? governance.updatedAt) });
  }
  const kill = [...governance.decisions].reverse().find((d) => effectiveOutcome(d) === 'KILL');
  const at = kill ? (kill.lapsed?.at ?? kill.decidedAt) : governance.updatedAt;
  return reason('overall.killed', 'green', { since: dayOf(at) });
}

function summaryOf(ctx: Context): HealthSummary {
  const { governance } = ctx.facts;
  const maxRisk = ctx.openRisks.reduce<(typeof ctx.openRisks)[number] | undefined>(
    (max, r) => (max === undefined || r.score > max.score ? r : max),
    undefined,
  );
  const latest = governance?.decisions[governance.decisions.length - 1];
  const reviewed = ctx.reviewedAt;
  return {
    stage: governance?.stage ?? null,
    stageName: ctx.stage?.name ?? (governance ? governance.stage : null),
    status: governance?.status ?? 'ungoverned',
    lastDecision: latest ? effectiveOutcome(latest) : 'none',
    riskMax: maxRisk?.score ?? 0,
    riskBand: maxRisk?.band ?? 'none',
    mandatoryOpen: ctx.gate?.readiness.mustOpen.length ?? 0,
    // A completed or stopped project has no gate ahead of it, whatever date its record last held.
    ...(governance?.nextGateDate !== undefined && !isClosed(ctx.facts)
      ? { nextGateDate: governance.nextGateDate }
      : {}),
    ...(reviewed !== undefined ? { lastReviewAt: reviewed } : {}),
    exception: (ctx.tolerance?.breaches.length ?? 0) > 0,
    waitsOn: awaitedProjects(ctx.facts),
  };
}

/** The projects this one waits on: counterparties of its open, undelivered inbound dependencies, each once. */
export function awaitedProjects(facts: ProjectFacts): string[] {
  const keys = openOfType(facts.raid, 'dependency').flatMap((d) =>
    d.direction === 'inbound' && d.deliveryStatus !== 'delivered' ? [d.counterpartyKey] : [],
  );
  return [...new Set(keys)];
}

/**
 * Judges one project. `counterpartyRag` lets the portfolio feed in the health of the projects this one depends
 * on; without it the "depends on a red project" rule simply does not fire.
 * @throws {RangeError} only for data no schema admits (a risk rating outside 1–5); bad cost figures become a reason.
 */
export function assessHealth(
  facts: ProjectFacts,
  config: HealthConfig,
  today: IsoDate,
  counterpartyRag?: CounterpartyRag,
): ProjectHealth {
  const ctx = contextOf(facts, config, today, counterpartyRag);
  const ended = closure(facts);
  const summary = summaryOf(ctx);
  const ungoverned = facts.governance === null;
  if (ended) {
    const dimensions = Object.fromEntries(
      HEALTH_DIMENSIONS.map((name) => [name, dimension(name, 'none', [ended])]),
    ) as Record<HealthDimension, DimensionHealth>;
    return { key: facts.key, overall: 'none', reasons: [ended], dimensions, closed: true, ungoverned, summary };
  }
  const dimensions = Object.fromEntries(
    HEALTH_DIMENSIONS.map((name) => [
      name,
      config[name].enabled
        ? RULES[name](ctx)
        : dimension(name, 'none', [reason('overall.dimensionDisabled', 'green', { dimension: name })]),
    ]),
  ) as Record<HealthDimension, DimensionHealth>;
  const judged = HEALTH_DIMENSIONS.filter((name) => config[name].enabled).map((name) => dimensions[name].rag);
  let overall = worstRag(judged);
  const reasons: Reason[] = [];
  const ambers = judged.filter((rag) => rag === 'amber').length;
  if (config.ambersMakeRed !== null && ambers >= config.ambersMakeRed) {
    reasons.push(reason('overall.ambersMakeRed', 'red', { count: ambers, threshold: config.ambersMakeRed }));
    overall = 'red';
  }
  return { key: facts.key, overall, reasons, dimensions, closed: false, ungoverned, summary };
}

/**
 * The reasons that explain a project's colour, worst first: project-wide reasons, then each dimension in the
 * usual order. Green reasons are left out unless asked for, because "why is it amber?" wants the problems.
 */
export function topReasons(health: ProjectHealth, limit = 8, includeGreen = false): Reason[] {
  const ranked = rankedReasons(health);
  return (includeGreen ? ranked.all : ranked.problems).slice(0, limit);
}

/**
 * Every reason of a project in reading order, once: the portfolio asks for a project's top reasons three times on
 * every load (its row, its "why" and its stored health), and health documents never change once judged.
 */
const RANKED = new WeakMap<ProjectHealth, { all: readonly Reason[]; problems: readonly Reason[] }>();

function rankedReasons(health: ProjectHealth): { all: readonly Reason[]; problems: readonly Reason[] } {
  const known = RANKED.get(health);
  if (known) return known;
  // Three buckets in reading order instead of a sort.
  const byRag: Record<Rag, Reason[]> = { red: [], amber: [], green: [] };
  const seen = new Set<Reason>();
  const take = (reasons: readonly Reason[]): void => {
    for (const r of reasons) {
      if (seen.has(r)) continue;
      seen.add(r);
      byRag[r.rag].push(r);
    }
  };
  take(health.reasons);
  for (const name of HEALTH_DIMENSIONS) take(health.dimensions[name].reasons);
  const problems = [...byRag.red, ...byRag.amber];
  const ranked = { all: [...problems, ...byRag.green], problems };
  RANKED.set(health, ranked);
  return ranked;
}
