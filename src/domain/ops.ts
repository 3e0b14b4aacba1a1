/**
 * Every change to a project's governance is an op: a typed, validated intent carrying who and when, applied by a
 * pure reducer that returns the new record or a refusal that says what was wrong and what to do. Ops, not whole
 * documents, cross the bridge, so two people acting at once both land (docs/architecture.md §4) and the ledger can
 * replay them.
 */
import { z } from 'zod';
import { type Actor, AUTHORITY_REFUSAL_CODES, judgeOp, OP_RULES_VERSION } from './authority';
import { sameJson } from './documents/canonical-json';
import {
  GOVERNANCE_SCHEMA_VERSION,
  type GovernanceDocument,
  KEEP_REVIEWS,
  KEEP_TRANSITIONS,
} from './documents/governance-document';
import { MAX_RAID_SHARDS, openItemsSearchable, splitRaidLog } from './documents/raid-document';
import { type EnforcementMode } from './enforcement';
import { ENTERED, type FieldRules, RECORDED } from './field-rules';
import {
  checklistItemStateSchema,
  decisionEffect,
  evidenceLinkSchema,
  type GateDecision,
  gateReadiness,
  GATE_OUTCOMES,
  isMustMet,
} from './gates';
import { priorityInputSchema } from './prioritisation';
import {
  accountIdSchema,
  EDITABLE_RAID_FIELDS,
  LOCKED_RAID_FIELDS,
  type NewRaidItem,
  newRaidItemSchemaFor,
  nextRaidId,
  raidChangesSchemaFor,
  type RaidItem,
  raidIdSchema,
  raidItemSchema,
  type RaidLog,
} from './raid';
import { findGate, findStage, type StageGateTemplate } from './templates';
import { hasVisibleText } from './text';
import { type Instant, instantSchema, isPast } from './time';
import { toleranceSchema } from './tolerances';

/** A project's whole governed state: the governance document and its RAID log move together, one revision each op. */
export interface ProjectRecord {
  readonly governance: GovernanceDocument;
  readonly raid: RaidLog;
}

/**
 * The op payloads, with what people type checked by `fields`: ENTERED for what the browser sends, RECORDED for the
 * ledger's ops, which replay as they were accepted even where today's rules are stricter (docs/architecture.md §4).
 */
function opSchemaFor(fields: FieldRules) {
  const { date, object, text } = fields;
  return z.discriminatedUnion('type', [
    object({
      type: z.literal('startGovernance'),
      templateId: z.string().min(1).max(40),
      templateVersion: z.number().int().positive(),
      /** Projects adopted mid-flight start at a later stage. */
      stageId: z.string().min(1).max(40).optional(),
      nextGateDate: date.optional(),
    }),
    object({
      type: z.literal('checkItem'),
      gateId: z.string().min(1).max(40),
      criterionId: z.string().min(1).max(40),
      state: checklistItemStateSchema.shape.state,
      score: z.number().int().min(0).max(10).optional(),
      note: z.string().max(1000).optional(),
      // Empty is allowed here so the reducer can say that a not-applicable item needs a reason (na-needs-reason).
      naReason: z.string().trim().max(500).optional(),
      evidence: z
        .array(object({ ...evidenceLinkSchema.shape, title: text(200) }))
        .max(10)
        .optional(),
    }),
    object({
      type: z.literal('decideGate'),
      gateId: z.string().min(1).max(40),
      outcome: z.enum(GATE_OUTCOMES),
      rationale: text(4000),
      conditions: z.array(text(500)).max(20).default([]),
      conditionsDueDate: date.optional(),
      nextGateDate: date.optional(),
      /** Go although the gate is not ready: allowed for the PMO with a reason that is kept for audit. */
      overrideReason: text(1000).optional(),
    }),
    object({ type: z.literal('meetCondition'), decisionId: z.string().max(10), conditionId: z.string().max(5) }),
    object({
      type: z.literal('lapseConditionalGo'),
      decisionId: z.string().max(10),
      outcome: z.enum(['RECYCLE', 'KILL']),
      rationale: text(2000),
    }),
    object({ type: z.literal('setNextGateDate'), nextGateDate: date }),
    object({
      type: z.literal('recordStatusReview'),
      summary: text(2000),
      confidence: z.enum(['low', 'medium', 'high']),
    }),
    object({ type: z.literal('setTolerance'), tolerance: object(toleranceSchema.shape) }),
    object({
      type: z.literal('removeTolerance'),
      aspect: toleranceSchema.shape.aspect,
      level: toleranceSchema.shape.level,
    }),
    object({ type: z.literal('setPriorityInputs'), inputs: object(priorityInputSchema.shape) }),
    object({ type: z.literal('completeProject'), summary: text(2000) }),
    object({
      type: z.literal('recordTransition'),
      fromStatus: z.string().max(255),
      toStatus: z.string().max(255),
      gateId: z.string().min(1).max(40),
    }),
    object({ type: z.literal('addRaidItem'), item: newRaidItemSchemaFor(fields) }),
    object({
      type: z.literal('updateRaidItem'),
      id: raidIdSchema,
      /** Any field of the item's own type except identity and lifecycle; checked against the full item schema. */
      changes: raidChangesSchemaFor(fields),
    }),
    object({ type: z.literal('closeRaidItem'), id: raidIdSchema, note: text(1000) }),
    object({ type: z.literal('reopenRaidItem'), id: raidIdSchema, reason: text(1000) }),
    object({ type: z.literal('reviewRaidItem'), id: raidIdSchema, nextReviewAt: date.optional() }),
  ]);
}

/** What the browser may ask for. `by` and `at` are added on the server from the invocation context, never trusted. */
export const opPayloadSchema = opSchemaFor(ENTERED);
export type OpPayload = z.infer<typeof opPayloadSchema>;
/** An op as a caller writes it, before defaults are filled in by parsing. */
export type OpInput = z.input<typeof opPayloadSchema>;
export type OpType = OpPayload['type'];

/** An op as the ledger keeps it: the payload, as it was accepted, plus who did it and when. */
export const governanceOpSchema = z.intersection(
  opSchemaFor(RECORDED),
  z.object({ by: accountIdSchema, at: instantSchema }),
);
export type GovernanceOp = OpPayload & { readonly by: string; readonly at: Instant };

export { type Actor } from './authority';

/** Everything an op needs besides the record: the project's template version, the PMO's mode, and the actor. */
export interface OpContext {
  readonly template: StageGateTemplate;
  readonly mode: EnforcementMode;
  readonly actor: Actor;
  /** The project owner now, read from the owner field the settings name; for the authority table (authority.ts). */
  readonly projectOwner?: string;
  /**
   * Everyone who held the owner field during the current stage, the owner now included (from the issue's changelog),
   * for separation of duties; each decision records it. Absent: only `projectOwner` is known.
   */
  readonly stageOwners?: readonly string[];
  /** The op rules the op was first applied under (authority.ts OP_RULES_VERSION); absent means the current ones. */
  readonly rules?: number;
}

export const REFUSAL_CODES = [
  'not-started',
  'already-started',
  'project-closed',
  'unknown-stage',
  'unknown-gate',
  'gate-not-current',
  'unknown-criterion',
  'score-not-allowed',
  'score-out-of-range',
  'na-needs-reason',
  'evidence-required',
  'gate-not-ready',
  'conditions-required',
  'conditions-not-allowed',
  ...AUTHORITY_REFUSAL_CODES,
  'override-not-allowed',
  'unknown-decision',
  'unknown-condition',
  'condition-already-met',
  'not-conditional',
  'already-lapsed',
  'no-change',
  'raid-item-unchanged',
  'unknown-raid-item',
  'raid-item-closed',
  'raid-item-open',
  'invalid-change',
  'raid-log-full',
  'not-final-stage',
  'record-unverified',
  'not-in-registry',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Why an op was not applied. `code` names `refusal.<code>` in the locale catalogs; `params` fill it. */
export interface Refusal {
  readonly code: RefusalCode;
  readonly params: Readonly<Record<string, string | number>>;
}

export type OpResult =
  { readonly ok: true; readonly record: ProjectRecord } | { readonly ok: false; readonly refusal: Refusal };

const refuse = (code: RefusalCode, params: Record<string, string | number> = {}): OpResult => ({
  ok: false,
  refusal: { code, params },
});

/**
 * Applies one op. Pure: the same record, op and context always give the same result, which is what lets the ledger
 * replay ops after a crash and lets concurrent writers retry on a fresh read. `fields` is ENTERED for an op a person
 * makes now and RECORDED when the ledger replays one (replayOps): refusals added since an op was recorded must not
 * refuse it on replay, because it did land.
 */
export function applyOp(
  record: ProjectRecord | null,
  op: GovernanceOp,
  ctx: OpContext,
  fields: FieldRules = ENTERED,
): OpResult {
  // Who may do it comes first (docs/pmo-rules.md "Authority"): a refusal then never tells a person more about the
  // record than they could already see, and no later rule can forget to ask.
  const unauthorised = judgeOp(record, op, ctx);
  if (unauthorised) return { ok: false, refusal: unauthorised };
  if (op.type === 'startGovernance') return startGovernance(record, op, ctx);
  if (!record) return refuse('not-started');
  const { governance } = record;
  if (governance.status === 'killed' || governance.status === 'completed') {
    return refuse('project-closed', { status: governance.status });
  }
  const result = applyToOpen(record, op, ctx, fields);
  if (!result.ok) return result;
  return {
    ok: true,
    record: {
      governance: {
        ...result.record.governance,
        rev: governance.rev + 1,
        updatedAt: op.at,
        updatedBy: op.by,
        sig: undefined,
      },
      raid: result.record.raid,
    },
  };
}

function applyToOpen(record: ProjectRecord, op: GovernanceOp, ctx: OpContext, fields: FieldRules): OpResult {
  switch (op.type) {
    case 'startGovernance':
      return refuse('already-started');
    case 'checkItem':
      return checkItem(record, op, ctx, fields);
    case 'decideGate':
      return decideGate(record, op, ctx);
    case 'meetCondition':
      return meetCondition(record, op);
    case 'lapseConditionalGo':
      return lapseConditionalGo(record, op, ctx);
    case 'setNextGateDate':
      return withGovernance(record, { nextGateDate: op.nextGateDate });
    case 'recordStatusReview': {
      const review = { at: op.at, by: op.by, summary: op.summary, confidence: op.confidence };
      return withGovernance(record, { reviews: [...record.governance.reviews, review].slice(-KEEP_REVIEWS) });
    }
    case 'setTolerance': {
      const others = record.governance.tolerances.filter(
        (t) => !(t.aspect === op.tolerance.aspect && t.level === op.tolerance.level),
      );
      return withGovernance(record, { tolerances: [...others, op.tolerance] });
    }
    case 'removeTolerance': {
      const kept = record.governance.tolerances.filter((t) => !(t.aspect === op.aspect && t.level === op.level));
      if (kept.length === record.governance.tolerances.length) return refuse('no-change');
      return withGovernance(record, { tolerances: kept });
    }
    case 'setPriorityInputs': {
      const priority = { ...record.governance.priority, ...op.inputs };
      // A revision that changes nothing would still be recorded, signed and shown in the history as a change.
      if (fields.strict && sameJson(priority, record.governance.priority)) return refuse('no-change');
      return withGovernance(record, { priority });
    }
    case 'completeProject':
      return completeProject(record, op, ctx);
    case 'recordTransition':
      return recordTransition(record, op, ctx);
    case 'addRaidItem':
      return addRaidItem(record, op);
    case 'updateRaidItem':
      return updateRaidItem(record, op, fields);
    case 'closeRaidItem':
      return changeRaidItem(record, op.id, 'open', (item) => ({
        ...item,
        status: 'closed',
        closedAt: op.at,
        closedBy: op.by,
        closeNote: op.note,
      }));
    case 'reopenRaidItem':
      return changeRaidItem(record, op.id, 'closed', (item) => ({
        ...item,
        status: 'open',
        closedAt: undefined,
        closedBy: undefined,
        closeNote: `Reopened: ${op.reason}`,
      }));
    case 'reviewRaidItem':
      return changeRaidItem(record, op.id, 'open', (item) => ({
        ...item,
        lastReviewedAt: op.at,
        nextReviewAt: op.nextReviewAt ?? item.nextReviewAt,
      }));
  }
}

function withGovernance(record: ProjectRecord, changes: Partial<GovernanceDocument>): OpResult {
  return { ok: true, record: { ...record, governance: { ...record.governance, ...changes } } };
}

function startGovernance(
  record: ProjectRecord | null,
  op: Extract<GovernanceOp, { type: 'startGovernance' }>,
  ctx: OpContext,
): OpResult {
  if (record) return refuse('already-started');
  const { template } = ctx;
  if (template.id !== op.templateId || template.version !== op.templateVersion) {
    return refuse('unknown-stage', { stage: `${op.templateId}@${op.templateVersion}` });
  }
  const stage = op.stageId ? findStage(template, op.stageId) : template.stages[0];
  if (!stage) return refuse('unknown-stage', { stage: op.stageId ?? '' });
  return {
    ok: true,
    record: {
      governance: {
        schema: GOVERNANCE_SCHEMA_VERSION,
        rev: 1,
        templateId: template.id,
        templateVersion: template.version,
        stage: stage.id,
        status: 'active',
        startedAt: op.at,
        nextGateDate: op.nextGateDate,
        gates: {},
        decisions: [],
        transitions: [],
        reviews: [],
        tolerances: [],
        priority: {},
        updatedAt: op.at,
        updatedBy: op.by,
      },
      raid: { items: [], nextSeq: { risk: 1, assumption: 1, issue: 1, dependency: 1, decision: 1 } },
    },
  };
}

type FoundGate = NonNullable<ReturnType<typeof findGate>>;

/** The gate that closes the project's current stage, the only one its checklist and decisions apply to. */
function currentGate(record: ProjectRecord, ctx: OpContext, gateId: string): FoundGate | Refusal {
  const found = findGate(ctx.template, gateId);
  if (!found) return { code: 'unknown-gate', params: { gate: gateId } };
  if (found.stage.id !== record.governance.stage) {
    const stage = findStage(ctx.template, record.governance.stage)?.name ?? record.governance.stage;
    return { code: 'gate-not-current', params: { gate: found.gate.name, stage } };
  }
  return found;
}

function checkItem(
  record: ProjectRecord,
  op: Extract<GovernanceOp, { type: 'checkItem' }>,
  ctx: OpContext,
  fields: FieldRules,
): OpResult {
  const found = currentGate(record, ctx, op.gateId);
  if ('code' in found) return { ok: false, refusal: found };
  const criterion = found.gate.criteria.find((c) => c.id === op.criterionId);
  if (!criterion) return refuse('unknown-criterion', { criterion: op.criterionId, gate: found.gate.name });
  if (op.score !== undefined && (criterion.kind === 'must' || op.state !== 'done')) {
    return refuse('score-not-allowed', { criterion: criterion.title });
  }
  if (op.score !== undefined && op.score > ctx.template.scoreMax) {
    return refuse('score-out-of-range', { criterion: criterion.title, max: ctx.template.scoreMax });
  }
  // A reason of invisible characters explains nothing; the ledger's older ticks were held only to "not empty".
  const reasoned = fields.strict ? hasVisibleText(op.naReason) : Boolean(op.naReason);
  if (op.state === 'na' && !reasoned) return refuse('na-needs-reason', { criterion: criterion.title });
  const previous = record.governance.gates[op.gateId]?.[op.criterionId];
  const evidence = op.evidence ?? previous?.evidence ?? [];
  if (op.state === 'done' && criterion.evidenceRequired && evidence.length === 0) {
    return refuse('evidence-required', { criterion: criterion.title, evidence: criterion.evidence ?? '' });
  }
  const state = {
    state: op.state,
    score: op.state === 'done' ? op.score : undefined,
    note: op.note ?? previous?.note,
    naReason: op.state === 'na' ? op.naReason : undefined,
    evidence,
    by: op.by,
    at: op.at,
  };
  const gates = {
    ...record.governance.gates,
    [op.gateId]: { ...record.governance.gates[op.gateId], [op.criterionId]: state },
  };
  return withGovernance(record, { gates });
}

function decideGate(
  record: ProjectRecord,
  op: Extract<GovernanceOp, { type: 'decideGate' }>,
  ctx: OpContext,
): OpResult {
  const found = currentGate(record, ctx, op.gateId);
  if ('code' in found) return { ok: false, refusal: found };
  const { gate, stageIndex } = found;
  const actor = ctx.actor;
  // Whether this person may decide this gate at all was settled by the authority table (applyOp).
  const readiness = gateReadiness(ctx.template, gate, record.governance.gates[gate.id]);
  const advancing = op.outcome === 'GO' || op.outcome === 'CONDITIONAL_GO';
  if (advancing && !readiness.ready) {
    if (!op.overrideReason) {
      return refuse('gate-not-ready', {
        gate: gate.name,
        mustOpen: readiness.mustOpen.map((c) => c.title).join('; ') || '-',
        score: readiness.score === null ? '-' : Math.round(readiness.score * 100),
        threshold: Math.round(readiness.passThreshold * 100),
      });
    }
    // Overriding the PMO's own standard is itself a PMO act, whatever roles may otherwise decide this gate.
    if (!actor.roles.includes('pmo') || ctx.mode === 'supportive')
      return refuse('override-not-allowed', { gate: gate.name });
  }
  if (op.outcome === 'CONDITIONAL_GO' && (op.conditions.length === 0 || !op.conditionsDueDate)) {
    return refuse('conditions-required');
  }
  if (op.outcome !== 'CONDITIONAL_GO' && (op.conditions.length > 0 || op.conditionsDueDate)) {
    return refuse('conditions-not-allowed', { outcome: op.outcome });
  }
  const decision: GateDecision = {
    id: `d${record.governance.decisions.length + 1}`,
    gateId: gate.id,
    outcome: op.outcome,
    decidedBy: op.by,
    decidedAt: op.at,
    rationale: op.rationale,
    conditions: op.conditions.map((text, i) => ({ id: `c${i + 1}`, text })),
    conditionsDueDate: op.conditionsDueDate,
    nextGateDate: op.nextGateDate,
    readiness: { mustOpen: readiness.mustOpen.length, score: readiness.score },
    override: advancing && !readiness.ready && op.overrideReason ? { reason: op.overrideReason } : undefined,
    ownership: ownershipOf(ctx),
  };
  const effect = decisionEffect(ctx.template, stageIndex, op.outcome);
  return withGovernance(record, {
    decisions: [...record.governance.decisions, decision],
    stage: effect.stage,
    status: effect.status,
    // A recycled or held gate keeps its date unless a new one is given; an advanced project plans its next gate.
    nextGateDate: op.nextGateDate ?? (advancing ? undefined : record.governance.nextGateDate),
  });
}

/**
 * Who owned the project at a decision and during the stage it closes, so a reader of the record sees a reassignment
 * made before the decision. Ops recorded under rules before OP_RULES_VERSION did not record it, and must replay as
 * they were.
 */
function ownershipOf(ctx: OpContext): GateDecision['ownership'] {
  if (ctx.rules !== undefined && ctx.rules < OP_RULES_VERSION) return undefined;
  const owner = ctx.projectOwner;
  const stage = ctx.stageOwners ?? (owner === undefined ? [] : [owner]);
  // The schema keeps 20 holders; a project passed around more often than that keeps its latest ones.
  return { ...(owner === undefined ? {} : { owner }), stage: stage.slice(-20) };
}

function findDecision(record: ProjectRecord, decisionId: string): GateDecision | undefined {
  return record.governance.decisions.find((d) => d.id === decisionId);
}

function replaceDecision(
  record: ProjectRecord,
  decision: GateDecision,
  changes: Partial<GovernanceDocument> = {},
): OpResult {
  const decisions = record.governance.decisions.map((d) => (d.id === decision.id ? decision : d));
  return withGovernance(record, { ...changes, decisions });
}

function meetCondition(record: ProjectRecord, op: Extract<GovernanceOp, { type: 'meetCondition' }>): OpResult {
  const decision = findDecision(record, op.decisionId);
  if (!decision) return refuse('unknown-decision', { decision: op.decisionId });
  if (decision.outcome !== 'CONDITIONAL_GO') return refuse('not-conditional', { decision: op.decisionId });
  if (decision.lapsed) return refuse('already-lapsed', { decision: op.decisionId });
  const condition = decision.conditions.find((c) => c.id === op.conditionId);
  if (!condition) return refuse('unknown-condition', { condition: op.conditionId });
  if (condition.metAt) return refuse('condition-already-met', { condition: condition.text });
  const conditions = decision.conditions.map((c) =>
    c.id === op.conditionId ? { ...c, metAt: op.at, metBy: op.by } : c,
  );
  return replaceDecision(record, { ...decision, conditions });
}

/**
 * Conditions unmet by their due date send the project back: Recycle reworks the stage the gate closed, Kill ends it
 * ("3 strikes and out", docs/pmo-rules.md §1). Only a decider of that gate may do it (the authority table).
 */
function lapseConditionalGo(
  record: ProjectRecord,
  op: Extract<GovernanceOp, { type: 'lapseConditionalGo' }>,
  ctx: OpContext,
): OpResult {
  const decision = findDecision(record, op.decisionId);
  if (!decision) return refuse('unknown-decision', { decision: op.decisionId });
  if (decision.outcome !== 'CONDITIONAL_GO') return refuse('not-conditional', { decision: op.decisionId });
  if (decision.lapsed) return refuse('already-lapsed', { decision: op.decisionId });
  const found = findGate(ctx.template, decision.gateId);
  if (!found) return refuse('unknown-gate', { gate: decision.gateId });
  const effect = decisionEffect(ctx.template, found.stageIndex, op.outcome);
  return replaceDecision(
    record,
    { ...decision, lapsed: { at: op.at, by: op.by, outcome: op.outcome, rationale: op.rationale } },
    { stage: effect.stage, status: effect.status, nextGateDate: undefined },
  );
}

function completeProject(
  record: ProjectRecord,
  op: Extract<GovernanceOp, { type: 'completeProject' }>,
  ctx: OpContext,
): OpResult {
  const last = ctx.template.stages[ctx.template.stages.length - 1];
  if (record.governance.stage !== last?.id) {
    return refuse('not-final-stage', { stage: last?.name ?? '' });
  }
  const review = { at: op.at, by: op.by, summary: op.summary, confidence: 'high' as const };
  return withGovernance(record, {
    status: 'completed',
    completedAt: op.at,
    reviews: [...record.governance.reviews, review].slice(-KEEP_REVIEWS),
  });
}

/**
 * Records a workflow transition Jira made through a gate, with whether a Go backed it, so gate compliance counts
 * the transitions supportive mode let through without one.
 */
function recordTransition(
  record: ProjectRecord,
  op: Extract<GovernanceOp, { type: 'recordTransition' }>,
  ctx: OpContext,
): OpResult {
  const found = findGate(ctx.template, op.gateId);
  if (!found) return refuse('unknown-gate', { gate: op.gateId });
  const backing = [...record.governance.decisions]
    .reverse()
    .find((d) => d.gateId === op.gateId && (d.outcome === 'GO' || d.outcome === 'CONDITIONAL_GO') && !d.lapsed);
  const items = record.governance.gates[op.gateId] ?? {};
  const mandatoryOpen = found.gate.criteria.filter((c) => c.kind === 'must' && !isMustMet(items[c.id])).length;
  const transition = {
    at: op.at,
    by: op.by,
    fromStatus: op.fromStatus,
    toStatus: op.toStatus,
    gateId: op.gateId,
    decisionId: backing?.id,
    mandatoryOpen,
  };
  return withGovernance(record, {
    transitions: [...record.governance.transitions, transition].slice(-KEEP_TRANSITIONS),
  });
}

/** Stores a changed RAID log only if it still fits the properties (and open items stay where the portfolio reads). */
function withRaid(record: ProjectRecord, raid: RaidLog): OpResult {
  const split = splitRaidLog(raid, record.governance.rev + 1);
  if (!split.ok) return refuse('raid-log-full', { shards: MAX_RAID_SHARDS });
  if (!openItemsSearchable(split.shards)) return refuse('raid-log-full', { shards: MAX_RAID_SHARDS });
  return { ok: true, record: { ...record, raid } };
}

function addRaidItem(record: ProjectRecord, op: Extract<GovernanceOp, { type: 'addRaidItem' }>): OpResult {
  const input: NewRaidItem = op.item;
  const item = raidItemSchema.parse({
    ...input,
    id: nextRaidId(record.raid, input.type),
    status: 'open',
    raisedBy: op.by,
    raisedAt: op.at,
  });
  return withRaid(record, {
    items: [...record.raid.items, item],
    nextSeq: { ...record.raid.nextSeq, [item.type]: record.raid.nextSeq[item.type] + 1 },
  });
}

function updateRaidItem(
  record: ProjectRecord,
  op: Extract<GovernanceOp, { type: 'updateRaidItem' }>,
  fields: FieldRules,
): OpResult {
  const locked = Object.keys(op.changes).filter((key) => LOCKED_RAID_FIELDS.includes(key));
  if (locked.length > 0) return refuse('invalid-change', { problems: `${locked.join(', ')} cannot be edited` });
  const item = record.raid.items.find((i) => i.id === op.id);
  if (!item) return refuse('unknown-raid-item', { id: op.id });
  if (item.status === 'closed') return refuse('raid-item-closed', { id: op.id });
  // Merging then validating against the item's own schema rejects fields of another RAID type and bad values alike.
  const merged = raidItemSchema.safeParse({ ...item, ...op.changes });
  if (!merged.success) {
    return refuse('invalid-change', {
      problems: merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  // `in` also sees the names Object.prototype has (toString, constructor…), so older updates naming them were
  // recorded although they changed nothing; they replay as they were. New ones name only the type's own fields.
  const editable = EDITABLE_RAID_FIELDS[item.type];
  const unknown = Object.keys(op.changes).filter((key) =>
    fields.strict ? !editable.includes(key) : !(key in merged.data),
  );
  if (unknown.length > 0)
    return refuse('invalid-change', { problems: `${unknown.join(', ')} are not fields of a ${item.type}` });
  // An update that leaves the item as it was would still be a revision: signed, in the ledger, in the history.
  if (fields.strict && sameJson(merged.data, item)) return refuse('raid-item-unchanged', { id: op.id });
  return withRaid(record, { ...record.raid, items: record.raid.items.map((i) => (i.id === op.id ? merged.data : i)) });
}

function changeRaidItem(
  record: ProjectRecord,
  id: string,
  mustBe: 'open' | 'closed',
  change: (item: RaidItem) => RaidItem,
): OpResult {
  const item = record.raid.items.find((i) => i.id === id);
  if (!item) return refuse('unknown-raid-item', { id });
  if (item.status !== mustBe) return refuse(mustBe === 'open' ? 'raid-item-closed' : 'raid-item-open', { id });
  return withRaid(record, { ...record.raid, items: record.raid.items.map((i) => (i.id === id ? change(i) : i)) });
}

/** Replays ops in order from a starting record; the ledger's recovery path. Stops at the first refusal. */
export function replayOps(
  start: ProjectRecord | null,
  ops: readonly GovernanceOp[],
  contextFor: (op: GovernanceOp) => OpContext,
): { record: ProjectRecord | null; applied: number; refusal?: Refusal } {
  let record = start;
  let applied = 0;
  for (const op of ops) {
    const result = applyOp(record, op, contextFor(op), RECORDED);
    if (!result.ok) return { record, applied, refusal: result.refusal };
    record = result.record;
    applied += 1;
  }
  return { record, applied };
}

/** Conditional-Go decisions whose conditions are still open after their due date. */
export function lapsedConditions(governance: GovernanceDocument, today: string): GateDecision[] {
  return governance.decisions.filter(
    (d) =>
      d.outcome === 'CONDITIONAL_GO' &&
      !d.lapsed &&
      d.conditionsDueDate !== undefined &&
      isPast(d.conditionsDueDate, today) &&
      d.conditions.some((c) => !c.metAt),
  );
}
