/**
 * Builders for test data: each takes overrides and fills the rest with valid, boring defaults, so a test states only
 * what it is about. Everything is run through the real schemas, so a builder can never hand a rule a document the
 * app could not have stored.
 */
import { DEFAULT_TEMPLATES } from '../default-templates';
import {
  type GateTransition,
  type GovernanceDocument,
  governanceDocumentSchema,
  type StatusReview,
} from '../documents/governance-document';
import { type ChecklistItemState, checklistItemStateSchema, type GateDecision, gateDecisionSchema } from '../gates';
import { type ProjectFacts } from '../health';
import {
  type Assumption,
  assumptionSchema,
  type Dependency,
  dependencySchema,
  EMPTY_RAID_LOG,
  issueSchema,
  RAID_ID_PREFIX,
  RAID_TYPES,
  type RaidIssue,
  type RaidItem,
  type RaidLog,
  type Risk,
  riskSchema,
} from '../raid';
import { findGate, type StageGateTemplate } from '../templates';
import { type Instant } from '../time';

/** The instant most test data was "written" at: a Monday morning in January. */
export const T0: Instant = '2026-01-05T09:00:00.000Z';

/** The shipped Cooper template; its first gate is `g1-idea-screen` with three must-meet criteria. */
export const COOPER: StageGateTemplate = DEFAULT_TEMPLATES[0] as StageGateTemplate;

/** The shipped PRINCE2-lite template, for tests that mix templates. */
export const PRINCE2: StageGateTemplate = DEFAULT_TEMPLATES[1] as StageGateTemplate;

const PERSON = 'acc-owner';

/** A `tollgate-governance` document: active in Cooper's Discovery stage, nothing ticked, nothing decided. */
export function buildGovernance(overrides: Partial<GovernanceDocument> = {}): GovernanceDocument {
  return governanceDocumentSchema.parse({
    schema: 2,
    rev: 1,
    templateId: COOPER.id,
    templateVersion: COOPER.version,
    stage: 'discovery',
    status: 'active',
    startedAt: T0,
    gates: {},
    decisions: [],
    transitions: [],
    reviews: [],
    tolerances: [],
    priority: {},
    updatedAt: T0,
    updatedBy: PERSON,
    ...overrides,
  });
}

/** One checklist item's state; `done` by default. */
export function buildChecklistItem(overrides: Partial<ChecklistItemState> = {}): ChecklistItemState {
  return checklistItemStateSchema.parse({ state: 'done', evidence: [], by: PERSON, at: T0, ...overrides });
}

/** A gate's checklist with every must-meet criterion done, so only what a test changes is open. */
export function allMustsDone(template: StageGateTemplate, gateId: string): Record<string, ChecklistItemState> {
  const found = findGate(template, gateId);
  if (!found) throw new RangeError(`no gate ${gateId} in ${template.id}`);
  const items = found.gate.criteria
    .filter((criterion) => criterion.kind === 'must')
    .map((criterion) => [criterion.id, buildChecklistItem()] as const);
  return Object.fromEntries(items);
}

/** A recorded gate decision: a clean Go at Gate 1 by default. */
export function buildDecision(overrides: Partial<GateDecision> = {}): GateDecision {
  return gateDecisionSchema.parse({
    id: 'd1',
    gateId: 'g1-idea-screen',
    outcome: 'GO',
    decidedBy: 'acc-pmo',
    decidedAt: T0,
    rationale: 'Meets the criteria.',
    conditions: [],
    readiness: { mustOpen: 0, score: 0.8 },
    ...overrides,
  });
}

/** A status review by the project owner. */
export function buildReview(overrides: Partial<StatusReview> = {}): StatusReview {
  return { at: T0, by: PERSON, summary: 'On track.', confidence: 'high', ...overrides };
}

/** A workflow transition through a gate, authorised by decision d1 with nothing open by default. */
export function buildTransition(overrides: Partial<GateTransition> = {}): GateTransition {
  return {
    at: T0,
    by: PERSON,
    fromStatus: 'Discovery',
    toStatus: 'Scoping',
    gateId: 'g1-idea-screen',
    decisionId: 'd1',
    mandatoryOpen: 0,
    ...overrides,
  };
}

const common = (id: string) => ({
  id,
  title: `Item ${id}`,
  owner: PERSON,
  status: 'open' as const,
  raisedBy: PERSON,
  raisedAt: T0,
});

/** An open risk R-1, likelihood 2 × impact 2 (low), with no response yet. */
export function buildRisk(overrides: Partial<Risk> = {}): Risk {
  return riskSchema.parse({ ...common('R-1'), type: 'risk', likelihood: 2, impact: 2, ...overrides });
}

/** An open, minor issue I-1 with no due date. */
export function buildIssue(overrides: Partial<RaidIssue> = {}): RaidIssue {
  return issueSchema.parse({ ...common('I-1'), type: 'issue', severity: 1, ...overrides });
}

/** An open, low-sensitivity, unvalidated assumption A-1. */
export function buildAssumption(overrides: Partial<Assumption> = {}): Assumption {
  return assumptionSchema.parse({
    ...common('A-1'),
    type: 'assumption',
    sensitivity: 'low',
    confidence: 'medium',
    ...overrides,
  });
}

/** An open, on-track inbound dependency D-1 on PMO-99. */
export function buildDependency(overrides: Partial<Dependency> = {}): Dependency {
  return dependencySchema.parse({
    ...common('D-1'),
    type: 'dependency',
    direction: 'inbound',
    counterpartyKey: 'PMO-99',
    ...overrides,
  });
}

/** A RAID log holding exactly these items, with sequence numbers past the highest id of each type. */
export function buildRaidLog(items: readonly RaidItem[] = []): RaidLog {
  const nextSeq = { ...EMPTY_RAID_LOG.nextSeq };
  for (const type of RAID_TYPES) {
    const numbers = items
      .filter((item) => item.id.startsWith(`${RAID_ID_PREFIX[type]}-`))
      .map((item) => Number(item.id.split('-')[1]));
    nextSeq[type] = Math.max(0, ...numbers) + 1;
  }
  return { items, nextSeq };
}

/** The facts health is computed from: PMO-1, governed on Cooper, in Discovery, with an empty RAID log. */
export function buildFacts(overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    key: 'PMO-1',
    summary: 'Project one',
    governance: buildGovernance(),
    template: COOPER,
    raid: EMPTY_RAID_LOG,
    createdAt: T0,
    ...overrides,
  };
}
