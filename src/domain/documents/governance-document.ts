/**
 * `tollgate-governance`: a project's stage-gate state, stored as a Jira issue property. Every version the app ever
 * wrote stays readable: readers migrate old schemas forward, and a document that no schema accepts becomes a typed
 * error for that one project instead of an exception that takes a whole page down.
 */
import { z } from 'zod';
import { checklistItemStateSchema, gateDecisionSchema, PROJECT_STATUSES } from '../gates';
import { priorityInputSchema } from '../prioritisation';
import { accountIdSchema } from '../raid';
import { instantSchema, isoDateSchema } from '../time';
import { TOLERANCE_ASPECTS, toleranceSchema } from '../tolerances';
import { claimedSchema, type DocumentResult, describeIssues, documentError } from './document-error';

export const GOVERNANCE_PROPERTY_KEY = 'tollgate-governance';
export const GOVERNANCE_SCHEMA_VERSION = 2;

/** A workflow transition Jira reported, kept so gate compliance counts transitions that skipped the gate. */
export const gateTransitionSchema = z.object({
  at: instantSchema,
  by: accountIdSchema,
  fromStatus: z.string().max(255),
  toStatus: z.string().max(255),
  gateId: z.string(),
  /** The Go / Conditional-Go that authorised it, when there was one. */
  decisionId: z.string().optional(),
  mandatoryOpen: z.number().int().min(0),
});
export type GateTransition = z.infer<typeof gateTransitionSchema>;

/** A periodic status review by the project owner; staleness is measured from the latest. */
export const statusReviewSchema = z.object({
  at: instantSchema,
  by: accountIdSchema,
  summary: z.string().trim().min(1).max(2000),
  confidence: z.enum(['low', 'medium', 'high']),
});
export type StatusReview = z.infer<typeof statusReviewSchema>;

/** How many reviews and transitions the document keeps inline; the ledger keeps all of them. */
export const KEEP_REVIEWS = 12;
export const KEEP_TRANSITIONS = 50;

export const governanceDocumentSchema = z.object({
  schema: z.literal(GOVERNANCE_SCHEMA_VERSION),
  /** Revision, one per op; the ledger entry `ledger:{issueId}:{rev}` records the op that made it. */
  rev: z.number().int().min(0),
  templateId: z.string(),
  templateVersion: z.number().int().positive(),
  stage: z.string(),
  status: z.enum(PROJECT_STATUSES),
  startedAt: instantSchema,
  completedAt: instantSchema.optional(),
  nextGateDate: isoDateSchema.optional(),
  /** Checklist state per gate id, per criterion id. */
  gates: z.record(z.string(), z.record(z.string(), checklistItemStateSchema)),
  decisions: z.array(gateDecisionSchema).max(200),
  transitions: z.array(gateTransitionSchema).max(KEEP_TRANSITIONS).default([]),
  reviews: z.array(statusReviewSchema).max(KEEP_REVIEWS).default([]),
  tolerances: z
    .array(toleranceSchema)
    .max(TOLERANCE_ASPECTS.length * 3)
    .default([]),
  /** Prioritisation inputs (WSJF, ROI, RICE); scores are relative within one scoring session. */
  priority: priorityInputSchema.default({}),
  updatedAt: instantSchema,
  updatedBy: accountIdSchema,
  /** HMAC over the canonical document without `sig`; absent only on documents not yet signed. */
  sig: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
export type GovernanceDocument = z.infer<typeof governanceDocumentSchema>;

/**
 * Schema 1, the pilot format: a flat yes/no checklist per gate and only the latest decision. Kept so properties
 * written by the pilot still open.
 */
export const governanceDocumentV1Schema = z.object({
  schema: z.literal(1),
  rev: z.number().int().min(0),
  template: z.string(),
  stage: z.string(),
  checklist: z.record(z.string(), z.record(z.string(), z.boolean())),
  decision: z
    .object({
      gateId: z.string(),
      outcome: z.enum(['GO', 'HOLD', 'RECYCLE', 'KILL']),
      by: accountIdSchema,
      at: instantSchema,
      note: z.string().max(4000).default(''),
    })
    .optional(),
  updatedAt: instantSchema,
  updatedBy: accountIdSchema,
});
export type GovernanceDocumentV1 = z.infer<typeof governanceDocumentV1Schema>;

/** Schema 1 → 2. Ticks become `done` by the last editor (v1 did not record who ticked what). */
export function migrateGovernanceV1(v1: GovernanceDocumentV1): GovernanceDocument {
  const gates = Object.fromEntries(
    Object.entries(v1.checklist).map(([gateId, items]) => [
      gateId,
      Object.fromEntries(
        Object.entries(items).map(([criterionId, done]) => [
          criterionId,
          { state: done ? ('done' as const) : ('open' as const), evidence: [], by: v1.updatedBy, at: v1.updatedAt },
        ]),
      ),
    ]),
  );
  const decisions = v1.decision
    ? [
        {
          id: 'd1',
          gateId: v1.decision.gateId,
          outcome: v1.decision.outcome,
          decidedBy: v1.decision.by,
          decidedAt: v1.decision.at,
          rationale: v1.decision.note.trim() || 'Recorded before decisions carried a rationale (pilot format).',
          conditions: [],
          readiness: { mustOpen: 0, score: null },
        },
      ]
    : [];
  const status = v1.decision?.outcome === 'KILL' ? 'killed' : v1.decision?.outcome === 'HOLD' ? 'on-hold' : 'active';
  return {
    schema: GOVERNANCE_SCHEMA_VERSION,
    rev: v1.rev,
    templateId: v1.template,
    templateVersion: 1,
    stage: v1.stage,
    status,
    startedAt: v1.updatedAt,
    gates,
    decisions,
    transitions: [],
    reviews: [],
    tolerances: [],
    priority: {},
    updatedAt: v1.updatedAt,
    updatedBy: v1.updatedBy,
  };
}

/**
 * Reads a stored `tollgate-governance` value of any known schema and returns it in the current schema, or a typed
 * error. Never throws: one corrupt project must not break a portfolio of thousands.
 */
export function parseGovernanceDocument(raw: unknown): DocumentResult<GovernanceDocument> {
  const schema = claimedSchema(raw);
  if (schema === 'not-object') return documentError('not-json-object', 'The governance data is not a JSON object.');
  if (schema === 'none') return documentError('unknown-schema', 'The governance data has no schema version.');
  if (schema > GOVERNANCE_SCHEMA_VERSION) {
    return documentError('newer-schema', `The governance data was written by a newer Tollgate (schema ${schema}).`);
  }
  if (schema === 1) {
    const v1 = governanceDocumentV1Schema.safeParse(raw);
    if (!v1.success)
      return documentError('invalid', 'The governance data (schema 1) is damaged.', describeIssues(v1.error));
    return { ok: true, document: migrateGovernanceV1(v1.data), migratedFrom: 1 };
  }
  if (schema !== GOVERNANCE_SCHEMA_VERSION)
    return documentError('unknown-schema', `Unknown governance schema ${schema}.`);
  const current = governanceDocumentSchema.safeParse(raw);
  if (!current.success)
    return documentError('invalid', 'The governance data is damaged.', describeIssues(current.error));
  return { ok: true, document: current.data, migratedFrom: null };
}
