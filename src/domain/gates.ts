/**
 * Gates: the checklist a project works through before a gate, how ready it is, and the decision the gatekeepers
 * record (docs/pmo-rules.md §1). Readiness is the rule Cooper's gates use: every must-meet criterion done (or justified
 * as not applicable), and the weighted should-meet score Σwᵢ·sᵢ / Σwᵢ·max at or above the pass threshold.
 */
import { z } from 'zod';
import { type Reason, reason } from './rag';
import { accountIdSchema } from './raid';
import { type Criterion, type GateDefinition, type StageGateTemplate } from './templates';
import { instantSchema, isoDateSchema } from './time';

export const evidenceLinkSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'evidence must be an http(s) link' }).max(2000),
  title: z.string().trim().min(1).max(200),
});
export type EvidenceLink = z.infer<typeof evidenceLinkSchema>;

export const CHECKLIST_STATES = ['open', 'done', 'na'] as const;
export type ChecklistState = (typeof CHECKLIST_STATES)[number];

/** One criterion's state on one project: who ticked it, when, and what proves it. */
export const checklistItemStateSchema = z.object({
  state: z.enum(CHECKLIST_STATES),
  /** Should-meet score 0..scoreMax; must-meet items are yes/no and carry none. */
  score: z.number().int().min(0).max(10).optional(),
  note: z.string().max(1000).optional(),
  /** Why a criterion does not apply; required when state is `na` so nobody skips a check silently. */
  naReason: z.string().max(500).optional(),
  evidence: z.array(evidenceLinkSchema).max(10).default([]),
  by: accountIdSchema,
  at: instantSchema,
});
export type ChecklistItemState = z.infer<typeof checklistItemStateSchema>;

export const GATE_OUTCOMES = ['GO', 'CONDITIONAL_GO', 'HOLD', 'RECYCLE', 'KILL'] as const;
export type GateOutcome = (typeof GATE_OUTCOMES)[number];

export const gateConditionSchema = z.object({
  id: z.string().regex(/^c[1-9][0-9]?$/),
  text: z.string().trim().min(1).max(500),
  metAt: instantSchema.optional(),
  metBy: accountIdSchema.optional(),
});
export type GateCondition = z.infer<typeof gateConditionSchema>;

/** What readiness looked like when the decision was taken, kept for gate-compliance KPIs and audits. */
export const readinessSnapshotSchema = z.object({
  mustOpen: z.number().int().min(0),
  score: z.number().min(0).max(1).nullable(),
});

/** A recorded gate decision. Decisions are append-only: a later decision never edits an earlier one. */
export const gateDecisionSchema = z.object({
  id: z.string().regex(/^d[1-9][0-9]{0,4}$/),
  gateId: z.string(),
  outcome: z.enum(GATE_OUTCOMES),
  decidedBy: accountIdSchema,
  decidedAt: instantSchema,
  rationale: z.string().trim().min(1).max(4000),
  conditions: z.array(gateConditionSchema).max(20).default([]),
  conditionsDueDate: isoDateSchema.optional(),
  nextGateDate: isoDateSchema.optional(),
  readiness: readinessSnapshotSchema,
  /** Set when the PMO decided Go although the gate was not ready; the reason is the audit trail. */
  override: z.object({ reason: z.string().trim().min(1).max(1000) }).optional(),
  /**
   * Who owned the project when it was decided (`owner`, from the owner field the settings name) and everyone who held
   * that field during the stage the gate closes (`stage`, owner included). A project handed on shortly before its
   * decision shows here. Absent on decisions recorded before Tollgate kept it.
   */
  ownership: z.object({ owner: accountIdSchema.optional(), stage: z.array(accountIdSchema).max(20) }).optional(),
  /** A Conditional-Go whose conditions were not met in time is reverted to Recycle or Kill. */
  lapsed: z
    .object({
      at: instantSchema,
      by: accountIdSchema,
      outcome: z.enum(['RECYCLE', 'KILL']),
      rationale: z.string().max(2000),
    })
    .optional(),
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;

/** Checklist states keyed by criterion id, per gate id. */
export type GateChecklists = Readonly<Record<string, Readonly<Record<string, ChecklistItemState>>>>;

/** How ready a gate is, and why not. */
export interface Readiness {
  readonly gateId: string;
  /** Must-meet criteria not yet done and not justified as not applicable. */
  readonly mustOpen: readonly Criterion[];
  /** Should-meet criteria not yet scored. */
  readonly shouldUnscored: readonly Criterion[];
  /** Weighted should-meet score 0..1; null when no should-meet criterion applies. */
  readonly score: number | null;
  readonly passThreshold: number;
  /** True when every must-meet is met and the score reaches the threshold. */
  readonly ready: boolean;
  readonly reasons: readonly Reason[];
}

/** A must-meet criterion counts as met when it is done, or not applicable with a reason. */
export function isMustMet(state: ChecklistItemState | undefined): boolean {
  return state?.state === 'done' || (state?.state === 'na' && Boolean(state.naReason));
}

/**
 * Readiness of one gate. Not-applicable should-meet criteria leave both sides of the weighted score, so marking
 * items N/A can never raise or lower a project's score; unscored ones count as 0 because a gatekeeper cannot give
 * credit for work nobody has assessed.
 */
export function gateReadiness(
  template: StageGateTemplate,
  gate: GateDefinition,
  items: Readonly<Record<string, ChecklistItemState>> = {},
): Readiness {
  const mustOpen = gate.criteria.filter((c) => c.kind === 'must' && !isMustMet(items[c.id]));
  const should = gate.criteria.filter((c) => c.kind === 'should' && items[c.id]?.state !== 'na');
  const shouldUnscored = should.filter((c) => items[c.id]?.state !== 'done' || items[c.id]?.score === undefined);
  const totalWeight = should.reduce((sum, c) => sum + c.weight, 0);
  const earned = should.reduce((sum, c) => {
    const state = items[c.id];
    const score = state?.state === 'done' ? Math.min(state.score ?? 0, template.scoreMax) : 0;
    return sum + c.weight * score;
  }, 0);
  const score = totalWeight === 0 ? null : earned / (totalWeight * template.scoreMax);
  const scorePasses = score === null || score >= template.passThreshold;
  const reasons: Reason[] = [];
  if (mustOpen.length > 0) {
    reasons.push(
      reason('gate.mustOpen', 'red', {
        gate: gate.name,
        count: mustOpen.length,
        items: mustOpen.map((c) => c.title).join('; '),
      }),
    );
  }
  if (!scorePasses && score !== null) {
    reasons.push(
      reason('gate.scoreBelowThreshold', 'amber', {
        gate: gate.name,
        score: Math.round(score * 100),
        threshold: Math.round(template.passThreshold * 100),
      }),
    );
  }
  if (mustOpen.length === 0 && scorePasses) reasons.push(reason('gate.ready', 'green', { gate: gate.name }));
  return {
    gateId: gate.id,
    mustOpen,
    shouldUnscored,
    score,
    passThreshold: template.passThreshold,
    ready: mustOpen.length === 0 && scorePasses,
    reasons,
  };
}

/** The project's lifecycle status, which decisions move. */
export const PROJECT_STATUSES = ['active', 'on-hold', 'killed', 'completed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/** Where a decision leaves the project. */
export interface DecisionEffect {
  readonly stage: string;
  readonly status: ProjectStatus;
}

/**
 * What each outcome does to the stage (docs/pmo-rules.md §1): Go and Conditional-Go advance to the next stage; Hold
 * keeps the stage and pauses; Recycle keeps the stage to rework it and present the same gate again; Kill is terminal.
 */
export function decisionEffect(
  template: StageGateTemplate,
  gateStageIndex: number,
  outcome: GateOutcome,
): DecisionEffect {
  const stage = template.stages[gateStageIndex];
  const next = template.stages[gateStageIndex + 1];
  if (!stage) throw new RangeError(`no stage at index ${gateStageIndex} in template ${template.id}`);
  switch (outcome) {
    case 'GO':
    case 'CONDITIONAL_GO':
      // Every gate closes a stage that has a successor (templateSchema guarantees it); the project then works in
      // that stage. Completion is a separate, explicit act once the final stage is done.
      if (!next) throw new RangeError(`gate at stage ${stage.id} has no next stage in template ${template.id}`);
      return { stage: next.id, status: 'active' };
    case 'HOLD':
      return { stage: stage.id, status: 'on-hold' };
    case 'RECYCLE':
      return { stage: stage.id, status: 'active' };
    case 'KILL':
      return { stage: stage.id, status: 'killed' };
  }
}

/** Conditions of a Conditional-Go still open. */
export function openConditions(decision: GateDecision): GateCondition[] {
  return decision.conditions.filter((c) => !c.metAt);
}
