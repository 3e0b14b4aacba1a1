/**
 * `tollgate-health`: the read model of a project's health, recomputed by the app and indexed through
 * `jira:entityProperty` so that JQL, dashboards, Automation and the Confluence Jira Issues macro can ask
 * `issue.property[tollgate-health].rag = "red"` (docs/pmo-rules.md "What no existing tool does well", 1).
 *
 * It is flat on purpose: Jira indexes a property by JSON path, and every indexed value counts against the app's
 * budget of 100, so each searchable fact is one top-level scalar. It is derived data: the governance document and
 * the RAID log stay the source of truth, and a tampered or stale copy is simply recomputed.
 */
import { z } from 'zod';
import { GATE_OUTCOMES, PROJECT_STATUSES } from '../gates';
import { type HealthDimension, type ProjectHealth, topReasons } from '../health';
import { RAGS, type Reason, ragSeverity } from '../rag';
import { RISK_BANDS } from '../risk';
import { type Instant, instantSchema, isoDateSchema } from '../time';
import { sameJson } from './canonical-json';
import { claimedSchema, type DocumentResult, describeIssues, documentError } from './document-error';

/** The issue property key the read model is stored under. */
export const HEALTH_PROPERTY_KEY = 'tollgate-health';
/** The schema version this code writes. */
export const HEALTH_SCHEMA_VERSION = 1;

/** How many reasons the property carries: enough for a JQL user to see why, small enough to stay far from 32 KB. */
export const HEALTH_DOCUMENT_REASONS = 8;

/** Longest string a reason parameter keeps in the property; the live page shows the full text. */
const PARAM_MAX = 200;

/**
 * How many awaited projects the property names: far more than a project has in practice, and 50 keys of 200
 * characters at most keep the property within a third of its 32 KB.
 */
export const HEALTH_DOCUMENT_WAITS_ON = 50;

/** Whether the governance data behind this health could be trusted when it was computed (docs/architecture.md §4). */
export const INTEGRITY_STATES = ['ok', 'tampered', 'unsigned'] as const;
/** The integrity of the governance data health was computed from. */
export type Integrity = (typeof INTEGRITY_STATES)[number];

const ragSchema = z.enum([...RAGS, 'none']);

const storedReasonSchema = z.object({
  code: z.string().regex(/^[a-z]+\.[A-Za-z]+$/, 'a reason code is "dimension.rule"'),
  rag: z.enum(RAGS),
  params: z.record(z.string(), z.union([z.string().max(PARAM_MAX), z.number()])),
});

/** The stored `tollgate-health` value: one flat object, every searchable fact a top-level scalar. */
export const healthDocumentSchema = z.object({
  schema: z.literal(HEALTH_SCHEMA_VERSION),
  rag: ragSchema,
  ragSchedule: ragSchema,
  ragGate: ragSchema,
  ragRisk: ragSchema,
  ragRaid: ragSchema,
  ragBudget: ragSchema,
  ragTolerance: ragSchema,
  ragStaleness: ragSchema,
  /**
   * The overall RAG as a number (red 3, amber 2, green 1, none 0: `ragSeverity`), because JQL orders a string
   * property alphabetically; `ORDER BY tollgateSeverity DESC` is the portfolio's worst-first order. Optional only so
   * documents written before it existed still parse; they differ from a recompute and are queued for a rewrite.
   */
  severity: z.number().int().min(0).max(3).optional(),
  /** Stage id and name; absent when the project is not under governance (JQL: `IS EMPTY`). */
  stage: z.string().optional(),
  stageName: z.string().optional(),
  status: z.enum([...PROJECT_STATUSES, 'ungoverned']),
  decision: z.enum([...GATE_OUTCOMES, 'none']),
  riskMax: z.number().int().min(0).max(25),
  riskBand: z.enum([...RISK_BANDS, 'none']),
  mandatoryOpen: z.number().int().min(0),
  nextGateDate: isoDateSchema.optional(),
  lastReviewAt: instantSchema.optional(),
  integrity: z.enum(INTEGRITY_STATES),
  /** 'yes' when a tolerance is breached. A string, because Jira's property index has no boolean type. */
  exception: z.enum(['yes', 'no']),
  computedAt: instantSchema,
  /** The worst non-green reasons, worst first. */
  reasons: z.array(storedReasonSchema).max(HEALTH_DOCUMENT_REASONS),
  /**
   * The projects this one waits on (open, undelivered inbound dependencies; absent when none), so that a view can
   * follow red along dependencies as far as its viewer may see (src/app/viewer-counterparties.ts). The stored
   * verdict itself never depends on another project. Not indexed.
   */
  waitsOn: z.array(z.string().min(1).max(PARAM_MAX)).max(HEALTH_DOCUMENT_WAITS_ON).optional(),
  /**
   * Set only while some of the project's documents carry signatures from before signatures were bound to their
   * issue: the app's seal that its ledger vouched for exactly those (src/app/signing.ts `vouchSeal`), which the
   * portfolio, reading no ledgers, needs to believe them. Not indexed.
   */
  vouched: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
/** The stored `tollgate-health` value. */
export type HealthDocument = z.infer<typeof healthDocumentSchema>;

/** One value Jira indexes for JQL: where it is in the document, how Jira should index it, and its JQL alias. */
export interface IndexedValue {
  readonly path: string;
  readonly type: 'string' | 'number' | 'date' | 'text';
  readonly searchAlias: string;
}

/**
 * What the `jira:entityProperty` module indexes (18 of the app's 100 values). The manifest is generated from this
 * list and a test checks every path against a real document, so JQL never searches a field that is not there.
 */
export const HEALTH_INDEX: readonly IndexedValue[] = [
  { path: 'rag', type: 'string', searchAlias: 'tollgateHealth' },
  { path: 'stage', type: 'string', searchAlias: 'tollgateStage' },
  { path: 'status', type: 'string', searchAlias: 'tollgateStatus' },
  { path: 'decision', type: 'string', searchAlias: 'tollgateDecision' },
  { path: 'riskMax', type: 'number', searchAlias: 'tollgateRiskMax' },
  { path: 'mandatoryOpen', type: 'number', searchAlias: 'tollgateMandatoryOpen' },
  { path: 'nextGateDate', type: 'date', searchAlias: 'tollgateNextGate' },
  { path: 'lastReviewAt', type: 'date', searchAlias: 'tollgateLastReview' },
  { path: 'integrity', type: 'string', searchAlias: 'tollgateIntegrity' },
  { path: 'exception', type: 'string', searchAlias: 'tollgateException' },
  { path: 'ragSchedule', type: 'string', searchAlias: 'tollgateSchedule' },
  { path: 'ragGate', type: 'string', searchAlias: 'tollgateGate' },
  { path: 'ragRisk', type: 'string', searchAlias: 'tollgateRisk' },
  { path: 'ragRaid', type: 'string', searchAlias: 'tollgateRaid' },
  { path: 'ragBudget', type: 'string', searchAlias: 'tollgateBudget' },
  { path: 'ragTolerance', type: 'string', searchAlias: 'tollgateTolerance' },
  { path: 'ragStaleness', type: 'string', searchAlias: 'tollgateStaleness' },
  // Numeric, so the portfolio's first rows can be asked for worst first in one search (portfolio/firstRows).
  { path: 'severity', type: 'number', searchAlias: 'tollgateSeverity' },
];

function storedReason(r: Reason): Reason {
  // Nearly every reason fits as it is; only one with a long text parameter is copied with that text cut.
  const fits = Object.values(r.params).every((value) => typeof value !== 'string' || value.length <= PARAM_MAX);
  if (fits) return { code: r.code, rag: r.rag, params: r.params };
  const params = Object.fromEntries(
    Object.entries(r.params).map(([name, value]) => [
      name,
      typeof value === 'string' && value.length > PARAM_MAX ? `${value.slice(0, PARAM_MAX - 1)}…` : value,
    ]),
  );
  return { code: r.code, rag: r.rag, params };
}

/**
 * The property value for a project's health, as of `computedAt` (with the ledger's seal, see `vouched`). `health`
 * must be the project judged on its own facts (AssessedProject.standalone, or assessHealth without counterparties):
 * the property is readable by everyone who can browse the issue, and indexed for JQL.
 */
export function toHealthDocument(
  health: ProjectHealth,
  integrity: Integrity,
  computedAt: Instant,
  vouched?: string,
): HealthDocument {
  const { summary } = health;
  const rag = (name: HealthDimension) => health.dimensions[name].rag;
  return {
    schema: HEALTH_SCHEMA_VERSION,
    rag: health.overall,
    ragSchedule: rag('schedule'),
    ragGate: rag('gate'),
    ragRisk: rag('risk'),
    ragRaid: rag('raid'),
    ragBudget: rag('budget'),
    ragTolerance: rag('tolerance'),
    ragStaleness: rag('staleness'),
    severity: ragSeverity(health.overall),
    ...(summary.stage !== null ? { stage: summary.stage } : {}),
    ...(summary.stageName !== null ? { stageName: summary.stageName } : {}),
    status: summary.status,
    decision: summary.lastDecision,
    riskMax: summary.riskMax,
    riskBand: summary.riskBand,
    mandatoryOpen: summary.mandatoryOpen,
    ...(summary.nextGateDate !== undefined ? { nextGateDate: summary.nextGateDate } : {}),
    ...(summary.lastReviewAt !== undefined ? { lastReviewAt: summary.lastReviewAt } : {}),
    integrity,
    exception: summary.exception ? 'yes' : 'no',
    computedAt,
    reasons: topReasons(health, HEALTH_DOCUMENT_REASONS).map(storedReason),
    ...(summary.waitsOn.length > 0 ? { waitsOn: summary.waitsOn.slice(0, HEALTH_DOCUMENT_WAITS_ON) } : {}),
    ...(vouched !== undefined ? { vouched } : {}),
  };
}

/**
 * Reads a stored `tollgate-health` value, or says why it cannot. Never throws: the caller recomputes health from
 * the governance data anyway, so a bad read model only means "rewrite it".
 */
export function parseHealthDocument(raw: unknown): DocumentResult<HealthDocument> {
  const schema = claimedSchema(raw);
  if (schema === 'not-object') return documentError('not-json-object', 'The stored health is not a JSON object.');
  if (schema === 'none') return documentError('unknown-schema', 'The stored health has no schema version.');
  if (schema > HEALTH_SCHEMA_VERSION) {
    return documentError('newer-schema', `The stored health was written by a newer Tollgate (schema ${schema}).`);
  }
  if (schema !== HEALTH_SCHEMA_VERSION) return documentError('unknown-schema', `Unknown health schema ${schema}.`);
  const parsed = healthDocumentSchema.safeParse(raw);
  if (!parsed.success) return documentError('invalid', 'The stored health is damaged.', describeIssues(parsed.error));
  return { ok: true, document: parsed.data, migratedFrom: null };
}

/**
 * True when two health documents say something different. `computedAt` is ignored, so a nightly recompute that
 * finds nothing new does not rewrite thousands of properties (and their issue history) just to move a timestamp.
 */
export function healthDocumentsDiffer(a: HealthDocument, b: HealthDocument): boolean {
  return !sameJson(a, b, 'computedAt');
}
