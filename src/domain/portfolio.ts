/**
 * The portfolio: every registry project judged together, so health can flow along dependencies, and the figures a
 * PMO reports upwards (docs/architecture.md §5; docs/pmo-rules.md §6): counts by RAG, stage and status, the KPIs nobody
 * else computes (gate compliance, on-time delivery, budget adherence, RAID hygiene), the exceptions list, the portfolio
 * heat map, and the rows behind the portfolio table and its CSV export.
 */
import { z } from 'zod';
import { type DecisionMade } from './changes';
import { collator, compareText } from './collation';
import { type GateOutcome, type ProjectStatus } from './gates';
import {
  assessHealth,
  type CounterpartyRag,
  type HealthConfig,
  HEALTH_DIMENSIONS,
  type HealthDimension,
  isClosed,
  type ProjectFacts,
  type ProjectHealth,
  topReasons,
} from './health';
import { priorityScore } from './prioritisation';
import { type RagOrNone, type Reason, ragSeverity } from './rag';
import { openOfType } from './raid';
import { type RiskBand, type RiskLevel } from './risk';
import { findGate, findStage, stageIndex } from './templates';
import { addCalendarDays, dayOf, daysBetween, type IsoDate, isPast } from './time';

const compareKeys = compareText;

/** A project with its health, as the portfolio judged it. */
export interface AssessedProject {
  readonly facts: ProjectFacts;
  /** Judged with what the portfolio knows of the projects it waits on (red flows along dependencies). */
  readonly health: ProjectHealth;
  /**
   * Judged on its own facts alone: what its stored `tollgate-health` says, since anyone who can browse the issue can
   * read that property and must not learn from it the health of a project they cannot browse.
   */
  readonly standalone: ProjectHealth;
}

/**
 * Judges every project, then lets red flow along inbound dependencies: if A needs something from B and B needs
 * something from C, a red C turns B red and then A, each naming the project it waits on. Only a red counterparty
 * changes a verdict, and red only ever spreads, so a project is judged again only when one it waits on has just
 * turned red — at most once per such project, which also ends a cycle. Results keep the order of `facts`.
 * `outside` answers for projects that are not among `facts`, for a read of only part of the portfolio.
 */
export function assessPortfolio(
  facts: readonly ProjectFacts[],
  config: HealthConfig,
  today: IsoDate,
  outside?: CounterpartyRag,
): AssessedProject[] {
  const standalone = facts.map((f) => assessHealth(f, config, today));
  const healths = [...standalone];
  const overall = new Map<string, RagOrNone>(healths.map((h) => [h.key, h.overall]));
  const lookup = (key: string): RagOrNone | undefined => overall.get(key) ?? outside?.(key);
  // Who waits on whom, and the projects to judge again: those already waiting on a red one.
  const waiting = new Map<string, number[]>();
  const again: number[] = [];
  standalone.forEach((h, index) => {
    for (const key of h.summary.waitsOn) {
      const waiters = waiting.get(key);
      if (waiters) waiters.push(index);
      else waiting.set(key, [index]);
    }
    if (h.summary.waitsOn.some((key) => lookup(key) === 'red')) again.push(index);
  });
  for (let next = again.pop(); next !== undefined; next = again.pop()) {
    const health = assessHealth(facts[next] as ProjectFacts, config, today, lookup);
    healths[next] = health;
    if (overall.get(health.key) === 'red' || health.overall !== 'red') continue;
    overall.set(health.key, 'red');
    again.push(...(waiting.get(health.key) ?? []));
  }
  return facts.map((f, index) => ({
    facts: f,
    health: healths[index] as ProjectHealth,
    standalone: standalone[index] as ProjectHealth,
  }));
}

/** What a stored health document tells of a project another one waits on. */
export interface StoredCounterparty {
  /** Its overall RAG judged on its own facts. */
  readonly rag: RagOrNone;
  readonly waitsOn: readonly string[];
}

/**
 * The overall RAG of each project in `known` once red has flowed along dependencies among them (the same rule as
 * assessPortfolio, from stored health alone): a project waiting on a red one is red. Projects outside `known` count
 * for nothing, so what a viewer cannot see cannot colour what they can.
 */
export function redAlongDependencies(known: ReadonlyMap<string, StoredCounterparty>): Map<string, RagOrNone> {
  const rags = new Map<string, RagOrNone>([...known].map(([key, c]) => [key, c.rag]));
  const waiters = new Map<string, string[]>();
  for (const [key, counterparty] of known) {
    for (const awaited of counterparty.waitsOn) waiters.set(awaited, [...(waiters.get(awaited) ?? []), key]);
  }
  const red = [...rags].flatMap(([key, rag]) => (rag === 'red' ? [key] : []));
  for (let next = red.pop(); next !== undefined; next = red.pop()) {
    for (const waiter of waiters.get(next) ?? []) {
      // A closed project (`none`) judges nothing any more, as assessHealth says; it does not turn red.
      if (rags.get(waiter) === 'red' || rags.get(waiter) === 'none') continue;
      rags.set(waiter, 'red');
      red.push(waiter);
    }
  }
  return rags;
}

// ---------------------------------------------------------------------------------------------------------------
// Counts

/** A project's lifecycle status, or `ungoverned` when it has no governance yet. */
export type PortfolioStatus = ProjectStatus | 'ungoverned';

/** How many projects sit in one stage, by overall RAG. */
export interface StageCount {
  /** The stage's name; null for projects not under governance. */
  readonly stageName: string | null;
  readonly count: number;
  readonly byRag: Readonly<Record<RagOrNone, number>>;
}

/** Headline counts for the portfolio page and the steering-committee macro. */
export interface PortfolioCounts {
  readonly total: number;
  /** By overall RAG; `none` holds closed projects. */
  readonly byRag: Readonly<Record<RagOrNone, number>>;
  /** In stage order; projects on different templates meet under the same stage name. */
  readonly byStage: readonly StageCount[];
  readonly byStatus: Readonly<Record<PortfolioStatus, number>>;
}

const emptyRagCounts = (): Record<RagOrNone, number> => ({ green: 0, amber: 0, red: 0, none: 0 });

function stagePosition(facts: ProjectFacts): number {
  const { governance, template } = facts;
  if (!governance || !template) return Number.MAX_SAFE_INTEGER;
  const index = stageIndex(template, governance.stage);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** Counts projects by overall RAG, stage (by name, in stage order) and status. */
export function portfolioCounts(entries: readonly PortfolioEntry[]): PortfolioCounts {
  return countsOfGroups(
    entries.map(({ row, stagePosition: position, closed }) => ({
      stageName: row.stageName,
      stagePosition: position,
      rag: row.rag,
      status: row.status,
      closed,
      count: 1,
    })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// KPIs

/** A percentage with what it is a percentage of, so a page can say "7 of 9 (77.8 %)". */
export interface Kpi {
  /** 0–100, one decimal; null when there is nothing to measure (denominator 0). */
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
}

function kpi(numerator: number, denominator: number): Kpi {
  return {
    value: denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10,
    numerator,
    denominator,
  };
}

/** A closed date range, both ends included. */
export interface Period {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

function inPeriod(day: IsoDate, period: Period | undefined): boolean {
  return period === undefined || (daysBetween(period.from, day) >= 0 && daysBetween(day, period.to) >= 0);
}

/** Why a gate passage does not count as compliant. */
export type PassageProblem = 'mustOpen' | 'override' | 'noDecision';

/** One passage through a gate: a Go / Conditional-Go, or a workflow transition nobody decided. */
export interface GatePassage {
  readonly key: string;
  readonly gateId: string;
  readonly day: IsoDate;
  /** The decision that authorised it; absent for a transition with no recorded decision. */
  readonly decisionId?: string;
  readonly problem: PassageProblem | null;
}

/** Gate compliance with the passages behind it, so "why only 7 of 9?" has an answer. */
export interface GateComplianceKpi extends Kpi {
  readonly passages: readonly GatePassage[];
}

const PASSING: readonly GateOutcome[] = ['GO', 'CONDITIONAL_GO'];

/**
 * What the KPIs read of one project, taken from its facts when its read-model row is written: every gate passage and
 * the days the period and today are judged against later, so a stored row yields today's KPIs without its facts.
 */
export interface KpiInputs {
  /** Every passage the project made, whenever; a period keeps its own. */
  readonly passages: readonly GatePassage[];
  /** The day it was completed; null while it is not completed (or no completion was recorded). */
  readonly completedOn: IsoDate | null;
  readonly dueDate: IsoDate | null;
  /** Whether its actual cost stayed within budget; null without cost data. */
  readonly withinBudget: boolean | null;
  /** Completed or killed: its RAID log is nobody's to keep any more. */
  readonly closed: boolean;
  /** Per open risk, the day it was last reviewed (or raised, when never reviewed). */
  readonly riskReviews: readonly IsoDate[];
  /** The due dates of its open issues that have one. */
  readonly issueDues: readonly IsoDate[];
}

function passagesOf(facts: ProjectFacts): GatePassage[] {
  const { governance } = facts;
  if (!governance) return [];
  const passages: GatePassage[] = [];
  const passingIds = new Set<string>();
  for (const decision of governance.decisions) {
    if (!PASSING.includes(decision.outcome)) continue;
    passingIds.add(decision.id);
    // The transition it authorised must also have found the mandatory items done.
    const lateItems = governance.transitions.some((t) => t.decisionId === decision.id && t.mandatoryOpen > 0);
    const problem: PassageProblem | null =
      decision.readiness.mustOpen > 0 || lateItems ? 'mustOpen' : decision.override ? 'override' : null;
    const day = dayOf(decision.decidedAt);
    passages.push({ key: facts.key, gateId: decision.gateId, day, decisionId: decision.id, problem });
  }
  for (const transition of governance.transitions) {
    // A transition a recorded decision authorised is that decision's passage, already counted above.
    if (transition.decisionId !== undefined && passingIds.has(transition.decisionId)) continue;
    const problem: PassageProblem | null =
      transition.decisionId === undefined ? 'noDecision' : transition.mandatoryOpen > 0 ? 'mustOpen' : null;
    passages.push({
      key: facts.key,
      gateId: transition.gateId,
      day: dayOf(transition.at),
      ...(transition.decisionId !== undefined ? { decisionId: transition.decisionId } : {}),
      problem,
    });
  }
  return passages;
}

/** The KPI inputs of one project's facts. */
export function kpiInputsOf(facts: ProjectFacts): KpiInputs {
  const { governance } = facts;
  const closed = isClosed(facts);
  return {
    passages: passagesOf(facts),
    completedOn:
      governance?.status === 'completed' && governance.completedAt !== undefined ? dayOf(governance.completedAt) : null,
    dueDate: facts.dueDate ?? null,
    withinBudget: facts.evm === undefined ? null : facts.evm.ac <= facts.evm.bac,
    closed,
    riskReviews: closed
      ? []
      : openOfType(facts.raid, 'risk').map((risk) => dayOf(risk.lastReviewedAt ?? risk.raisedAt)),
    issueDues: closed
      ? []
      : openOfType(facts.raid, 'issue').flatMap((issue) => (issue.dueDate === undefined ? [] : [issue.dueDate])),
  };
}

/**
 * Gate compliance % (docs/pmo-rules.md §6, our definition): of the gate passages in the period, the share where every
 * mandatory item was complete and a decision was recorded before the project moved on. A Go with open must-meet
 * items or a PMO override, and a workflow transition with no decision, are passages that did not comply.
 */
export function gateCompliance(inputs: readonly KpiInputs[], period: Period): GateComplianceKpi {
  const passages = inputs.flatMap((input) => input.passages.filter((p) => inPeriod(p.day, period)));
  const compliant = passages.filter((p) => p.problem === null).length;
  return { ...kpi(compliant, passages.length), passages };
}

function completedIn(input: KpiInputs, period: Period | undefined): IsoDate | undefined {
  return input.completedOn !== null && inPeriod(input.completedOn, period) ? input.completedOn : undefined;
}

/**
 * On-time delivery %: completed projects (in the period, when given) that finished on or before their due date.
 * A project completed without a due date cannot be judged and is left out of both sides.
 */
export function onTimeDelivery(inputs: readonly KpiInputs[], period?: Period): Kpi {
  let onTime = 0;
  let judged = 0;
  for (const input of inputs) {
    const completed = completedIn(input, period);
    if (completed === undefined || input.dueDate === null) continue;
    judged += 1;
    if (daysBetween(completed, input.dueDate) >= 0) onTime += 1;
  }
  return kpi(onTime, judged);
}

/** Budget adherence %: completed projects with cost data (in the period, when given) whose actual cost ≤ budget. */
export function budgetAdherence(inputs: readonly KpiInputs[], period?: Period): Kpi {
  let within = 0;
  let judged = 0;
  for (const input of inputs) {
    if (completedIn(input, period) === undefined || input.withinBudget === null) continue;
    judged += 1;
    if (input.withinBudget) within += 1;
  }
  return kpi(within, judged);
}

/** RAID hygiene (ours): the share of open risks reviewed recently, and how many actions are overdue. */
export interface RaidHygieneKpi extends Kpi {
  /** Open issues past their due date, across live projects. */
  readonly overdueActions: number;
}

/**
 * RAID hygiene: of the open risks on live projects, the share reviewed (or, never reviewed, raised) within
 * `reviewDays` days; plus the count of open issues past their due date. Closed projects are left out: nobody
 * maintains a killed project's log, and counting it would punish the PMO for stopping work.
 */
export function raidHygiene(inputs: readonly KpiInputs[], today: IsoDate, reviewDays: number): RaidHygieneKpi {
  let reviewed = 0;
  let risks = 0;
  let overdueActions = 0;
  // Reviewed within `reviewDays` days of today: on or after this day (ISO days compare as text).
  const reviewedSince = addCalendarDays(today, -reviewDays);
  for (const input of inputs) {
    if (input.closed) continue;
    risks += input.riskReviews.length;
    reviewed += input.riskReviews.filter((day) => day >= reviewedSince).length;
    overdueActions += input.issueDues.filter((due) => isPast(due, today)).length;
  }
  return { ...kpi(reviewed, risks), overdueActions };
}

/** KPI settings; 30 days is our default for "reviewed recently". */
export const kpiConfigSchema = z.object({
  hygieneReviewDays: z.number().int().min(1).max(365).default(30),
});
/** KPI settings after defaults are applied. */
export type KpiConfig = z.infer<typeof kpiConfigSchema>;

/** The four portfolio KPIs, in the order the page shows them. */
export const KPI_IDS = ['gateCompliance', 'onTime', 'budgetAdherence', 'raidHygiene'] as const;
/** One of the four portfolio KPIs. */
export type KpiId = (typeof KPI_IDS)[number];

/**
 * Whether a project is one of those a KPI counts (is in its denominator), by the very rules the KPI is computed
 * with: what a KPI tile shows when clicked, so "2 of 2" names its two.
 */
export function countedIn(
  input: KpiInputs,
  id: KpiId,
  period: Period,
  today: IsoDate,
  config: KpiConfig = kpiConfigSchema.parse({}),
): boolean {
  switch (id) {
    case 'gateCompliance':
      return gateCompliance([input], period).denominator > 0;
    case 'onTime':
      return onTimeDelivery([input], period).denominator > 0;
    case 'budgetAdherence':
      return budgetAdherence([input], period).denominator > 0;
    case 'raidHygiene': {
      const hygiene = raidHygiene([input], today, config.hygieneReviewDays);
      return hygiene.denominator > 0 || hygiene.overdueActions > 0;
    }
  }
}

/** The four portfolio KPIs. */
export interface PortfolioKpis {
  readonly gateCompliance: GateComplianceKpi;
  readonly onTime: Kpi;
  readonly budgetAdherence: Kpi;
  readonly raidHygiene: RaidHygieneKpi;
}

/** All KPIs for one reporting period; completions are counted in the period, hygiene as of `today`. */
export function portfolioKpis(
  inputs: readonly KpiInputs[],
  period: Period,
  today: IsoDate,
  config: KpiConfig = kpiConfigSchema.parse({}),
): PortfolioKpis {
  return {
    gateCompliance: gateCompliance(inputs, period),
    onTime: onTimeDelivery(inputs, period),
    budgetAdherence: budgetAdherence(inputs, period),
    raidHygiene: raidHygiene(inputs, today, config.hygieneReviewDays),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Exceptions and heat map

/** A project the steering committee must look at: a tolerance exception or a red overall. */
export interface ExceptionEntry {
  readonly key: string;
  readonly summary: string;
  readonly owner: string | null;
  readonly overall: RagOrNone;
  /** True when a tolerance is breached (PRINCE2 exception), not only red for other reasons. */
  readonly toleranceBreached: boolean;
  readonly reasons: readonly Reason[];
}

/** How many reasons an exception carries. */
export const EXCEPTION_REASONS = 3;

/** Why a project is an exception, kept with its read-model row: the list is built from rows, not facts. */
export interface ExceptionCause {
  readonly toleranceBreached: boolean;
  /** Its worst reasons, tolerance breaches first, at most EXCEPTION_REASONS. */
  readonly reasons: readonly Reason[];
  /** How many red reasons it has in all, which ranks it among the exceptions. */
  readonly redCount: number;
}

/** Why a judged project is an exception (its tolerance dimension or its overall RAG is red); null when it is not. */
export function exceptionCauseOf(health: ProjectHealth): ExceptionCause | null {
  if (health.overall !== 'red' && health.dimensions.tolerance.rag !== 'red') return null;
  const all = topReasons(health, Number.POSITIVE_INFINITY);
  const breaches = all.filter((r) => r.code.startsWith('tolerance.') && r.rag === 'red');
  return {
    toleranceBreached: health.dimensions.tolerance.rag === 'red',
    reasons: [...breaches, ...all.filter((r) => !breaches.includes(r))].slice(0, EXCEPTION_REASONS),
    redCount: all.filter((r) => r.rag === 'red').length,
  };
}

/**
 * The exceptions list: projects whose tolerance dimension or overall RAG is red, tolerance exceptions first (they
 * are PRINCE2 escalations the board must act on), then the most red reasons, then by key. Each carries its worst
 * reasons (at most EXCEPTION_REASONS), tolerance breaches first.
 */
export function portfolioExceptions(
  entries: readonly PortfolioEntry[],
  reasonsPerProject = EXCEPTION_REASONS,
): ExceptionEntry[] {
  return entries
    .flatMap(({ row, exception }) => (exception === null ? [] : [{ row, exception }]))
    .sort(
      (a, b) =>
        Number(b.exception.toleranceBreached) - Number(a.exception.toleranceBreached) ||
        b.exception.redCount - a.exception.redCount ||
        compareKeys(a.row.key, b.row.key),
    )
    .map(({ row, exception }) => ({
      key: row.key,
      summary: row.summary,
      owner: row.owner,
      overall: row.rag,
      toleranceBreached: exception.toleranceBreached,
      reasons: exception.reasons.slice(0, reasonsPerProject),
    }));
}

/** One open risk of a live project where the portfolio heat map places it (its residual rating). */
export interface PlacedRisk {
  readonly id: string;
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows, filters, sorting, paging, CSV

/** One heat-map square a project has an open risk in (residual ratings). */
export interface RiskCell {
  readonly likelihood: RiskLevel;
  readonly impact: RiskLevel;
}

/** One row of the portfolio table and its CSV export. */
export interface ProjectRow {
  readonly key: string;
  readonly summary: string;
  readonly owner: string | null;
  readonly department: string | null;
  readonly stage: string | null;
  readonly stageName: string | null;
  /** Position of the stage in its template, so sorting by stage follows the lifecycle rather than the alphabet. */
  readonly stageIndex: number | null;
  readonly status: PortfolioStatus;
  readonly rag: RagOrNone;
  readonly ragSchedule: RagOrNone;
  readonly ragGate: RagOrNone;
  readonly ragRisk: RagOrNone;
  readonly ragRaid: RagOrNone;
  readonly ragBudget: RagOrNone;
  readonly ragTolerance: RagOrNone;
  readonly ragStaleness: RagOrNone;
  readonly lastDecision: GateOutcome | 'none';
  readonly riskMax: number;
  readonly riskBand: RiskBand | 'none';
  readonly mandatoryOpen: number;
  readonly nextGateDate: IsoDate | null;
  readonly dueDate: IsoDate | null;
  readonly wsjf: number | null;
  readonly roi: number | null;
  /** Codes of the worst reasons, worst first. */
  readonly reasons: readonly string[];
  /** Residual cells of the project's open risks, for filtering from the heat map. */
  readonly riskCells: readonly RiskCell[];
}

/** The row's column of each health dimension's RAG. */
export const DIMENSION_COLUMN = {
  schedule: 'ragSchedule',
  gate: 'ragGate',
  risk: 'ragRisk',
  raid: 'ragRaid',
  budget: 'ragBudget',
  tolerance: 'ragTolerance',
  staleness: 'ragStaleness',
} as const satisfies Readonly<Record<HealthDimension, keyof ProjectRow>>;

/** How many reason codes a row carries. */
export const ROW_REASONS = 3;

// Relative scores read best with two decimals; more is false precision in a table or a spreadsheet. Past 1e306 the
// rounding itself would overflow to Infinity, and such a score has no decimals worth keeping.
function twoDecimals(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const rounded = Math.round(value * 100) / 100;
  return Number.isFinite(rounded) ? rounded : value;
}

function priorityOf(facts: ProjectFacts): { readonly wsjf: number | null; readonly roi: number | null } {
  if (!facts.governance) return { wsjf: null, roi: null };
  const score = priorityScore(facts.governance.priority);
  return { wsjf: twoDecimals(score.wsjf), roi: twoDecimals(score.roi) };
}

/** The table row for one assessed project. */
export function toProjectRow({ facts, health }: AssessedProject): ProjectRow;
/** The row with `extra` members added, built in one go (a portfolio load builds thousands). */
export function toProjectRow<E extends object>(project: AssessedProject, extra: E): ProjectRow & E;
export function toProjectRow({ facts, health }: AssessedProject, extra?: object): ProjectRow {
  const { summary } = health;
  const priority = priorityOf(facts);
  const template = facts.template;
  const stage = template && summary.stage !== null ? findStage(template, summary.stage) : undefined;
  const cells = new Map<string, RiskCell>();
  if (!health.closed) {
    for (const risk of openOfType(facts.raid, 'risk')) {
      const cell = {
        likelihood: risk.residualLikelihood ?? risk.likelihood,
        impact: risk.residualImpact ?? risk.impact,
      };
      cells.set(`${cell.likelihood}x${cell.impact}`, cell);
    }
  }
  const rags = Object.fromEntries(
    HEALTH_DIMENSIONS.map((name) => [DIMENSION_COLUMN[name], health.dimensions[name].rag]),
  ) as Pick<
    ProjectRow,
    'ragSchedule' | 'ragGate' | 'ragRisk' | 'ragRaid' | 'ragBudget' | 'ragTolerance' | 'ragStaleness'
  >;
  return {
    key: facts.key,
    summary: facts.summary,
    owner: facts.owner ?? null,
    department: facts.department ?? null,
    stage: summary.stage,
    stageName: summary.stageName,
    stageIndex: stage && template ? stageIndex(template, stage.id) : null,
    status: summary.status,
    rag: health.overall,
    ...rags,
    lastDecision: summary.lastDecision,
    riskMax: summary.riskMax,
    riskBand: summary.riskBand,
    mandatoryOpen: summary.mandatoryOpen,
    nextGateDate: summary.nextGateDate ?? null,
    dueDate: facts.dueDate ?? null,
    wsjf: priority.wsjf,
    roi: priority.roi,
    reasons: topReasons(health, ROW_REASONS).map((r) => r.code),
    riskCells: [...cells.values()],
    ...extra,
  };
}

/** What the portfolio table can be filtered by; every list is "any of", an absent or empty list matches all. */
export interface RowFilter {
  /** Stage names (or ids). */
  readonly stage?: readonly string[];
  readonly rag?: readonly RagOrNone[];
  readonly owner?: readonly string[];
  readonly department?: readonly string[];
  readonly decision?: readonly (GateOutcome | 'none')[];
  readonly status?: readonly PortfolioStatus[];
  /** Case-insensitive search in key and summary. */
  readonly text?: string;
  /** Projects with an open risk in this residual heat-map square. */
  readonly cell?: RiskCell;
  /** Projects a KPI counts (countedIn); the caller applies it, as the rows alone do not say. */
  readonly kpi?: KpiId;
}

function anyOf<T>(wanted: readonly T[] | undefined, ...values: readonly T[]): boolean {
  return wanted === undefined || wanted.length === 0 || values.some((value) => wanted.includes(value));
}

/** The rows that match every part of the filter (the very row objects, so richer rows keep their type). */
export function filterRows<R extends ProjectRow>(rows: readonly R[], filter: RowFilter): R[] {
  const text = filter.text?.trim().toLocaleLowerCase('en') ?? '';
  const { cell } = filter;
  return rows.filter(
    (row) =>
      anyOf<string | null>(filter.stage, row.stageName, row.stage) &&
      anyOf(filter.rag, row.rag) &&
      anyOf<string | null>(filter.owner, row.owner) &&
      anyOf<string | null>(filter.department, row.department) &&
      anyOf(filter.decision, row.lastDecision) &&
      anyOf(filter.status, row.status) &&
      (text === '' || `${row.key}\n${row.summary}`.toLocaleLowerCase('en').includes(text)) &&
      (cell === undefined || row.riskCells.some((c) => c.likelihood === cell.likelihood && c.impact === cell.impact)),
  );
}

/** Columns the table sorts by; `stage` follows the lifecycle, the RAG columns sort by severity. */
export type SortKey =
  | 'key'
  | 'summary'
  | 'owner'
  | 'department'
  | 'stage'
  | 'status'
  | 'rag'
  | 'ragSchedule'
  | 'ragGate'
  | 'ragRisk'
  | 'ragRaid'
  | 'ragBudget'
  | 'ragTolerance'
  | 'ragStaleness'
  | 'lastDecision'
  | 'riskMax'
  | 'mandatoryOpen'
  | 'nextGateDate'
  | 'dueDate'
  | 'wsjf'
  | 'roi';

/** A sort order. */
export interface RowSort {
  readonly by: SortKey;
  readonly direction: 'asc' | 'desc';
}

const RAG_COLUMNS = new Set<SortKey>(['rag', ...Object.values(DIMENSION_COLUMN)] as SortKey[]);

function sortValue(row: ProjectRow, by: SortKey): string | number | null {
  if (RAG_COLUMNS.has(by)) return ragSeverity(row[by as 'rag']);
  if (by === 'stage') return row.stageIndex;
  return row[by];
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * Sorts a copy. Empty values go last in either direction (a blank is never "the highest"); equal values fall back
 * to the project key, ascending, so the order is the same every time. Sorting by stage follows the lifecycle and
 * then the stage name, so projects on different templates interleave sensibly.
 */
export function sortRows<R extends ProjectRow>(rows: readonly R[], sort: RowSort): R[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValue(a, sort.by);
    const right = sortValue(b, sort.by);
    if (left === null || right === null) {
      if (left !== right) return left === null ? 1 : -1;
    } else {
      const order = compareValues(left, right);
      if (order !== 0) return sign * order;
    }
    if (sort.by === 'stage') {
      const byName = collator.compare(a.stageName ?? '', b.stageName ?? '');
      if (byName !== 0) return sign * byName;
    }
    return compareKeys(a.key, b.key);
  });
}

/** One page of rows, with where the next page starts (null on the last page). */
export interface RowPage<R extends ProjectRow = ProjectRow> {
  readonly rows: readonly R[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly nextOffset: number | null;
}

/** A page of `limit` rows from `offset`; an offset past the end gives an empty page. */
export function pageRows<R extends ProjectRow>(
  rows: readonly R[],
  page: { readonly offset: number; readonly limit: number },
): RowPage<R> {
  const offset = Math.max(0, Math.floor(page.offset));
  const limit = Math.max(1, Math.floor(page.limit));
  const end = offset + limit;
  return {
    rows: rows.slice(offset, end),
    total: rows.length,
    offset,
    limit,
    nextOffset: end < rows.length ? end : null,
  };
}

/** What one CSV cell holds. */
export type CsvValue = string | number | null | readonly string[];

/** Row fields that export as one CSV cell. */
export type CsvKey = { [K in keyof ProjectRow]: ProjectRow[K] extends CsvValue ? K : never }[keyof ProjectRow];

/** One CSV column: which field, under which (already translated) header. */
export interface CsvColumn {
  readonly key: CsvKey;
  readonly header: string;
}

/** The columns of the default export, with English headers. */
export const DEFAULT_CSV_COLUMNS: readonly CsvColumn[] = [
  { key: 'key', header: 'Key' },
  { key: 'summary', header: 'Summary' },
  { key: 'owner', header: 'Owner' },
  { key: 'department', header: 'Department' },
  { key: 'stageName', header: 'Stage' },
  { key: 'status', header: 'Status' },
  { key: 'rag', header: 'Health' },
  { key: 'ragSchedule', header: 'Schedule' },
  { key: 'ragGate', header: 'Gate' },
  { key: 'ragRisk', header: 'Risk' },
  { key: 'ragRaid', header: 'RAID' },
  { key: 'ragBudget', header: 'Budget' },
  { key: 'ragTolerance', header: 'Tolerance' },
  { key: 'ragStaleness', header: 'Staleness' },
  { key: 'lastDecision', header: 'Last decision' },
  { key: 'riskMax', header: 'Highest risk' },
  { key: 'mandatoryOpen', header: 'Mandatory items open' },
  { key: 'nextGateDate', header: 'Next gate' },
  { key: 'dueDate', header: 'Due' },
  { key: 'wsjf', header: 'WSJF' },
  { key: 'roi', header: 'ROI' },
  { key: 'reasons', header: 'Reasons' },
];

/** What spreadsheets skip before the character they read a formula from: white space, controls, invisible marks. */
const SKIPPED_LEAD = /^[\p{White_Space}\p{Cc}\p{Default_Ignorable_Code_Point}]+/u;
/** The characters that start a formula (OWASP "CSV injection"), once full-width and small forms are folded to them. */
const FORMULA_START = /^[=+\-@]/;
/** OWASP lists a leading tab and carriage return on their own: some applications start a formula after them. */
const CONTROL_START = /^[\t\r]/;
/** The field separators CSV is written with: a comma, or a semicolon where the comma is the decimal sign. */
export type CsvDelimiter = ',' | ';';

/**
 * Text a spreadsheet will show rather than run: prefixed with a single quote (OWASP's advice) when it starts with a
 * tab or carriage return, or when the first character after any white space, controls and zero-width or direction
 * marks is = + - @ or a compatibility form of one (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫, ⁼ ⁺ …). Spreadsheets trim or ignore those
 * leading characters and fold the full-width forms, so checking only the very first character is not enough.
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function neutraliseFormula(text: string): string {
  if (CONTROL_START.test(text)) return `'${text}`;
  const lead = text.replace(SKIPPED_LEAD, '').codePointAt(0);
  if (lead === undefined) return text;
  return FORMULA_START.test(String.fromCodePoint(lead).normalize('NFKC')) ? `'${text}` : text;
}

/** How a CSV is written: its field separator, and the decimal sign of its numbers (never the same character). */
export interface CsvFormat {
  readonly delimiter: CsvDelimiter;
  readonly decimal: '.' | ',';
}

/** RFC 4180's comma, with a decimal point. */
export const PLAIN_CSV: CsvFormat = { delimiter: ',', decimal: '.' };

function csvCell(value: CsvValue, { delimiter, decimal }: CsvFormat): string {
  if (value === null) return '';
  // Infinity and NaN are no figure a reader can use; the cell stays empty, as for a score that cannot be computed.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', decimal) : '';
  const safe = neutraliseFormula(typeof value === 'string' ? value : value.join('; '));
  return safe.includes(delimiter) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * RFC 4180 CSV lines (with the format's separator and decimal sign): one line per row of cells, CRLF line ends, fields quoted
 * when they hold the delimiter, a quote or a line break, quotes doubled. Text that a spreadsheet would run as a
 * formula is prefixed with a single quote (neutraliseFormula), and a number that is not finite is left empty.
 */
export function csvLines(rows: ReadonlyArray<readonly CsvValue[]>, format: CsvFormat = PLAIN_CSV): string {
  return rows.map((cells) => `${cells.map((cell) => csvCell(cell, format)).join(format.delimiter)}\r\n`).join('');
}

/** The CSV of rows (csvLines): a header line, then one line per row, in the columns given. */
export function toCsv(
  rows: readonly ProjectRow[],
  columns: readonly CsvColumn[] = DEFAULT_CSV_COLUMNS,
  { header = true }: { readonly header?: boolean } = {},
): string {
  return csvLines([
    ...(header ? [columns.map((column) => column.header)] : []),
    ...rows.map((row) => columns.map((column) => row[column.key])),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Entries

/**
 * Everything the portfolio's figures read of one judged project, small enough to keep for every registry project:
 * its table row and "why", where it sits in the funnel, its KPI inputs, its risks on the heat map and why it is an
 * exception. The read model stores one per project, so a view aggregates entries instead of judging facts.
 */
export interface PortfolioEntry {
  readonly row: ProjectRow;
  /** Its worst reasons, ROW_REASONS of them, for the row's "why". */
  readonly why: readonly Reason[];
  /** Its stage's position in its template; Number.MAX_SAFE_INTEGER when it has none. */
  readonly stagePosition: number;
  /** Closed projects judge nothing any more; the funnel leaves them out. */
  readonly closed: boolean;
  readonly kpi: KpiInputs;
  /** Its open risks where the heat map places them; none once it is closed. */
  readonly risks: readonly PlacedRisk[];
  readonly exception: ExceptionCause | null;
  /** Every gate decision it recorded (the gate by its template's name), for what changed between two days. */
  readonly decisions: ReadonlyArray<Omit<DecisionMade, 'key'>>;
}

/** The entry of a judged project, from its health as judged (with what was known of the projects it waits on). */
export function portfolioEntry(project: AssessedProject): PortfolioEntry {
  const { facts, health } = project;
  return {
    row: toProjectRow(project),
    why: topReasons(health, ROW_REASONS),
    stagePosition: stagePosition(facts),
    closed: health.closed,
    kpi: kpiInputsOf(facts),
    risks: health.closed
      ? []
      : openOfType(facts.raid, 'risk').map((risk) => ({
          id: risk.id,
          likelihood: risk.residualLikelihood ?? risk.likelihood,
          impact: risk.residualImpact ?? risk.impact,
        })),
    exception: exceptionCauseOf(health),
    decisions: (facts.governance?.decisions ?? []).map((decision) => ({
      gate: (facts.template && findGate(facts.template, decision.gateId)?.gate.name) ?? decision.gateId,
      outcome: decision.outcome,
      day: dayOf(decision.decidedAt),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures as sums: what the read model adds up in SQL, and the same sums over entries in memory

/** The KPI reporting period, in days up to and including its last day. */
export const KPI_PERIOD_DAYS = 90;

/** The KPI reporting period that ends on `lastDay` (today, for a view). */
export function kpiPeriod(lastDay: IsoDate): Period {
  return { from: addCalendarDays(lastDay, -(KPI_PERIOD_DAYS - 1)), to: lastDay };
}

/** A count and what it is a count of: a KPI before it is a percentage. */
export interface KpiCount {
  readonly numerator: number;
  readonly denominator: number;
}

/** The four KPIs as counts, which add up over any set of projects. */
export interface KpiCounts {
  readonly gateCompliance: KpiCount;
  readonly onTime: KpiCount;
  readonly budgetAdherence: KpiCount;
  readonly raidHygiene: KpiCount & { readonly overdueActions: number };
}

/**
 * What one entry adds to the portfolio's figures, judged on `day`: its KPI counts for the period ending that day, its
 * open risks per heat-map square, and the day of its latest passage that was not compliant. The read model keeps
 * these as columns of the entry's row (the day it was judged), so SQL adds them up; the daily run judges every row
 * again each day, so on any day after it has run they are today's.
 */
export interface EntryFigures {
  readonly kpis: KpiCounts;
  /** Open risks per residual square, `cells[(likelihood - 1) * 5 + impact - 1]`. */
  readonly cells: readonly number[];
  readonly lastNonCompliant: IsoDate | null;
}

const CELLS = 25;

/** The index of a heat-map square in `EntryFigures.cells`. */
export function cellIndex(likelihood: RiskLevel, impact: RiskLevel): number {
  return (likelihood - 1) * 5 + (impact - 1);
}

const count = ({ numerator, denominator }: Kpi): KpiCount => ({ numerator, denominator });

/** The figures of one entry as judged on `day`. */
export function entryFigures(entry: PortfolioEntry, day: IsoDate): EntryFigures {
  const kpis = portfolioKpis([entry.kpi], kpiPeriod(day), day);
  const cells = Array.from({ length: CELLS }, () => 0);
  for (const risk of entry.risks) {
    const index = cellIndex(risk.likelihood, risk.impact);
    cells[index] = (cells[index] ?? 0) + 1;
  }
  const lastNonCompliant = entry.kpi.passages.reduce<IsoDate | null>(
    (last, p) => (p.problem !== null && (last === null || p.day > last) ? p.day : last),
    null,
  );
  return {
    kpis: {
      gateCompliance: count(kpis.gateCompliance),
      onTime: count(kpis.onTime),
      budgetAdherence: count(kpis.budgetAdherence),
      raidHygiene: { ...count(kpis.raidHygiene), overdueActions: kpis.raidHygiene.overdueActions },
    },
    cells,
    lastNonCompliant,
  };
}

/** Whether an entry's figures put it in a KPI's denominator: `countedIn`, from the stored counts. */
export function countedInFigures(kpis: KpiCounts, id: KpiId): boolean {
  return id === 'raidHygiene'
    ? kpis.raidHygiene.denominator > 0 || kpis.raidHygiene.overdueActions > 0
    : kpis[id].denominator > 0;
}

/** Projects of one stage, RAG, status and closedness: what the headline counts and the funnel add up. */
export interface CountGroup {
  readonly stageName: string | null;
  readonly stagePosition: number;
  readonly rag: RagOrNone;
  readonly status: PortfolioStatus;
  readonly closed: boolean;
  readonly count: number;
}

/** The portfolio's figures as sums over its projects, which add up over any split of them. */
export interface FigureSums {
  readonly groups: readonly CountGroup[];
  /** Owners by account id, with the name stored with their rows (the greatest, when rows disagree). */
  readonly owners: ReadonlyArray<{ readonly accountId: string; readonly name: string | null; readonly count: number }>;
  readonly departments: ReadonlyArray<{ readonly name: string; readonly count: number }>;
  readonly decisions: ReadonlyArray<{ readonly outcome: GateOutcome | 'none'; readonly count: number }>;
  readonly kpis: KpiCounts;
  readonly cells: readonly number[];
}

/** One entry's share of the sums: a project, its owner's name and the day it was judged. */
export interface SummedEntry {
  readonly entry: PortfolioEntry;
  readonly ownerName: string | null;
  readonly judgedOn: IsoDate;
}

const addCount = (a: KpiCount, b: KpiCount): KpiCount => ({
  numerator: a.numerator + b.numerator,
  denominator: a.denominator + b.denominator,
});

function tally<K, V extends { readonly count: number }>(
  items: Iterable<V>,
  keyOf: (item: V) => K,
  merge: (a: V, b: V) => V = (a, b) => ({ ...a, count: a.count + b.count }),
): V[] {
  const out = new Map<K, V>();
  for (const item of items) {
    const key = keyOf(item);
    const seen = out.get(key);
    out.set(key, seen === undefined ? item : merge(seen, item));
  }
  return [...out.values()];
}

const ownerMerge = (
  a: FigureSums['owners'][number],
  b: FigureSums['owners'][number],
): FigureSums['owners'][number] => ({
  accountId: a.accountId,
  name: a.name === null ? b.name : b.name === null || a.name >= b.name ? a.name : b.name,
  count: a.count + b.count,
});

/** Adds sums over disjoint sets of projects. */
export function addSums(parts: readonly FigureSums[]): FigureSums {
  const zero: KpiCounts = {
    gateCompliance: { numerator: 0, denominator: 0 },
    onTime: { numerator: 0, denominator: 0 },
    budgetAdherence: { numerator: 0, denominator: 0 },
    raidHygiene: { numerator: 0, denominator: 0, overdueActions: 0 },
  };
  const kpis = parts.reduce<KpiCounts>(
    (sum, part) => ({
      gateCompliance: addCount(sum.gateCompliance, part.kpis.gateCompliance),
      onTime: addCount(sum.onTime, part.kpis.onTime),
      budgetAdherence: addCount(sum.budgetAdherence, part.kpis.budgetAdherence),
      raidHygiene: {
        ...addCount(sum.raidHygiene, part.kpis.raidHygiene),
        overdueActions: sum.raidHygiene.overdueActions + part.kpis.raidHygiene.overdueActions,
      },
    }),
    zero,
  );
  return {
    groups: tally(
      parts.flatMap((p) => p.groups),
      (g) => `${g.stageName ?? '\u0000'}\u0001${g.rag}\u0001${g.status}\u0001${g.closed}`,
      (a, b) => ({ ...a, stagePosition: Math.min(a.stagePosition, b.stagePosition), count: a.count + b.count }),
    ),
    owners: tally(
      parts.flatMap((p) => p.owners),
      (o) => o.accountId,
      ownerMerge,
    ),
    departments: tally(
      parts.flatMap((p) => p.departments),
      (d) => d.name,
    ),
    decisions: tally(
      parts.flatMap((p) => p.decisions),
      (d) => d.outcome,
    ),
    kpis,
    cells: Array.from({ length: CELLS }, (_, i) => parts.reduce((sum, part) => sum + (part.cells[i] ?? 0), 0)),
  };
}

/** The sums over entries, as the read model's SQL computes them over its rows. */
export function sumEntries(entries: readonly SummedEntry[]): FigureSums {
  return addSums(
    entries.map(({ entry, ownerName, judgedOn }) => {
      const { row } = entry;
      const figures = entryFigures(entry, judgedOn);
      return {
        groups: [
          {
            stageName: row.stageName,
            stagePosition: entry.stagePosition,
            rag: row.rag,
            status: row.status,
            closed: entry.closed,
            count: 1,
          },
        ],
        owners: row.owner === null ? [] : [{ accountId: row.owner, name: ownerName, count: 1 }],
        departments: row.department === null ? [] : [{ name: row.department, count: 1 }],
        decisions: [{ outcome: row.lastDecision, count: 1 }],
        kpis: figures.kpis,
        cells: figures.cells,
      };
    }),
  );
}

/** Headline counts from count groups: `portfolioCounts` over the projects they count. */
export function countsOfGroups(groups: readonly CountGroup[]): PortfolioCounts {
  const byRag = emptyRagCounts();
  const byStatus: Record<PortfolioStatus, number> = { active: 0, 'on-hold': 0, killed: 0, completed: 0, ungoverned: 0 };
  const stages = new Map<string | null, { position: number; count: number; byRag: Record<RagOrNone, number> }>();
  let total = 0;
  for (const group of groups) {
    total += group.count;
    byRag[group.rag] += group.count;
    byStatus[group.status] += group.count;
    const stage = stages.get(group.stageName) ?? {
      position: Number.MAX_SAFE_INTEGER,
      count: 0,
      byRag: emptyRagCounts(),
    };
    stage.position = Math.min(stage.position, group.stagePosition);
    stage.count += group.count;
    stage.byRag[group.rag] += group.count;
    stages.set(group.stageName, stage);
  }
  const byStage = [...stages.entries()]
    .sort(
      ([nameA, a], [nameB, b]) =>
        a.position - b.position || (nameA === null ? 1 : nameB === null ? -1 : collator.compare(nameA, nameB)),
    )
    .map(([stageName, stage]) => ({ stageName, count: stage.count, byRag: stage.byRag }));
  return { total, byRag, byStage, byStatus };
}

const percentage = ({ numerator, denominator }: KpiCount): Kpi => kpi(numerator, denominator);

/** The KPIs of counts (without gate compliance's passages, which the counts do not keep). */
export function kpisOfCounts(counts: KpiCounts): {
  readonly gateCompliance: Kpi;
  readonly onTime: Kpi;
  readonly budgetAdherence: Kpi;
  readonly raidHygiene: RaidHygieneKpi;
} {
  return {
    gateCompliance: percentage(counts.gateCompliance),
    onTime: percentage(counts.onTime),
    budgetAdherence: percentage(counts.budgetAdherence),
    raidHygiene: { ...percentage(counts.raidHygiene), overdueActions: counts.raidHygiene.overdueActions },
  };
}

/** The non-compliant gate passages of the period, latest first (ties by key), at most `limit`. */
export function nonCompliantPassages(entries: readonly PortfolioEntry[], period: Period, limit: number): GatePassage[] {
  return entries
    .flatMap((e) => e.kpi.passages.filter((p) => p.problem !== null && inPeriod(p.day, period)))
    .sort((a, b) => b.day.localeCompare(a.day) || compareKeys(a.key, b.key) || a.gateId.localeCompare(b.gateId))
    .slice(0, limit);
}
