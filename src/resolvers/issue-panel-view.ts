/**
 * Turns the load use case's result into the JSON the issue panel renders (src/contract/issue-panel.ts): only what
 * the panel shows, absent values as null, and the viewer's abilities worked out once here so the UI never offers an
 * action the server would refuse.
 */
import { type ProjectView } from '../app/load-project-use-case';
import {
  type CriterionView,
  type CurrentGateView,
  type DecisionView,
  type HealthView,
  type IntegrityView,
  type ProjectPanelView,
  type RaidItemView,
  type TemplateOptionView,
  type TemplateSummaryView,
  type ViewerAbilitiesView,
} from '../contract/issue-panel';
import { type GovernedAction, mayAct } from '../domain/authority';
import { DEFAULT_TEMPLATES } from '../domain/default-templates';
import { type ChecklistItemState, decisionEffect, type GateDecision } from '../domain/gates';
import { HEALTH_DIMENSIONS } from '../domain/health';
import { compareRaidIds, RAID_TYPES, type RaidItem, type RaidType } from '../domain/raid';
import { inherentScore, residualScore, riskBand, type RiskBandConfig } from '../domain/risk';
import { localizeTemplate, templateTerms } from '../domain/template-words';
import { findGate, findStage, type GateDefinition, type StageGateTemplate } from '../domain/templates';

function integrityOf(view: ProjectView): IntegrityView {
  return {
    status: view.integrity,
    tamperReason: view.tampered?.reason ?? null,
    lastGenuine: view.tampered?.lastGenuine ? { ...view.tampered.lastGenuine } : null,
    damage: view.damage,
  };
}

function itemOf(state: ChecklistItemState | undefined): CriterionView['item'] {
  if (!state) return null;
  return {
    state: state.state,
    score: state.score ?? null,
    note: state.note ?? null,
    naReason: state.naReason ?? null,
    evidence: state.evidence.map(({ url, title }) => ({ url, title })),
    by: state.by,
    at: state.at,
  };
}

function gateOf(gate: GateDefinition, items: Readonly<Record<string, ChecklistItemState>>): CurrentGateView {
  return {
    id: gate.id,
    name: gate.name,
    deciders: [...gate.deciders],
    criteria: gate.criteria.map((criterion) => ({
      id: criterion.id,
      title: criterion.title,
      kind: criterion.kind,
      weight: criterion.weight,
      evidenceHint: criterion.evidence ?? null,
      evidenceRequired: criterion.evidenceRequired,
      item: itemOf(items[criterion.id]),
    })),
  };
}

/** What the authority table may be asked for this viewer, on this project, about a gate. */
type MayAct = (action: GovernedAction, gate?: GateDefinition) => boolean;

/**
 * What settling an open Conditional-Go means for this viewer: who may mark its conditions met and who may lapse it
 * come from the authority table (the reducer asks it the same), and a Recycle goes back to the stage the gate closed.
 */
function settleOf(
  decision: GateDecision,
  template: StageGateTemplate | null,
  may: MayAct,
  canEdit: boolean,
): DecisionView['settle'] {
  if (decision.outcome !== 'CONDITIONAL_GO' || decision.lapsed || !template) return null;
  const found = findGate(template, decision.gateId);
  if (!found) return null;
  const effect = decisionEffect(template, found.stageIndex, 'RECYCLE');
  return {
    recycleToStage: findStage(template, effect.stage)?.name ?? effect.stage,
    canSettle: canEdit && may('meetCondition', found.gate),
    canLapse: canEdit && may('lapseConditionalGo', found.gate),
  };
}

function decisionOf(
  decision: GateDecision,
  template: StageGateTemplate | null,
  may: MayAct,
  canEdit: boolean,
): DecisionView {
  return {
    id: decision.id,
    gateId: decision.gateId,
    gateName: (template && findGate(template, decision.gateId)?.gate.name) ?? decision.gateId,
    outcome: decision.outcome,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt,
    rationale: decision.rationale,
    conditions: decision.conditions.map((c) => ({
      id: c.id,
      text: c.text,
      metAt: c.metAt ?? null,
      metBy: c.metBy ?? null,
    })),
    conditionsDueDate: decision.conditionsDueDate ?? null,
    overrideReason: decision.override?.reason ?? null,
    ownership: decision.ownership
      ? { owner: decision.ownership.owner ?? null, stage: [...decision.ownership.stage] }
      : null,
    lapsedTo: decision.lapsed?.outcome ?? null,
    lapsedRationale: decision.lapsed?.rationale ?? null,
    settle: settleOf(decision, template, may, canEdit),
  };
}

function raidItemOf(item: RaidItem, bands: RiskBandConfig): RaidItemView {
  const base = {
    id: item.id,
    title: item.title,
    description: item.description,
    status: item.status,
    owner: item.owner,
    nextReviewAt: item.nextReviewAt ?? null,
    closedAt: item.closedAt ?? null,
    closedBy: item.closedBy ?? null,
    closeNote: item.closeNote ?? null,
  };
  switch (item.type) {
    case 'risk': {
      const inherent = inherentScore(item);
      const residual = residualScore(item);
      return {
        ...base,
        type: 'risk',
        likelihood: item.likelihood,
        impact: item.impact,
        residualLikelihood: item.residualLikelihood ?? null,
        residualImpact: item.residualImpact ?? null,
        response: item.response ?? null,
        mitigation: item.mitigation ?? null,
        contingency: item.contingency ?? null,
        proximity: item.proximity ?? null,
        inherent: { score: inherent, band: riskBand(inherent, bands) },
        residual: { score: residual, band: riskBand(residual, bands) },
      };
    }
    case 'assumption':
      return {
        ...base,
        type: 'assumption',
        sensitivity: item.sensitivity,
        confidence: item.confidence,
        validation: item.validation,
        validateBy: item.validateBy ?? null,
      };
    case 'issue':
      return {
        ...base,
        type: 'issue',
        severity: item.severity,
        priority: item.priority,
        dueDate: item.dueDate ?? null,
        resolution: item.resolution ?? null,
      };
    case 'dependency':
      return {
        ...base,
        type: 'dependency',
        direction: item.direction,
        counterpartyKey: item.counterpartyKey,
        neededBy: item.neededBy ?? null,
        committedDate: item.committedDate ?? null,
        deliveryStatus: item.deliveryStatus,
      };
    case 'decision':
      return {
        ...base,
        type: 'decision',
        statement: item.statement,
        rationale: item.rationale,
        approver: item.approver,
        decidedAt: item.decidedAt,
      };
  }
}

function raidOf(items: readonly RaidItem[], bands: RiskBandConfig): ProjectPanelView['raid'] {
  const sorted = [...items].sort((a, b) => compareRaidIds(a.id, b.id));
  const byType = (type: RaidType): RaidItemView[] =>
    sorted.filter((item) => item.type === type).map((item) => raidItemOf(item, bands));
  return Object.fromEntries(RAID_TYPES.map((type) => [type, byType(type)])) as Record<RaidType, RaidItemView[]>;
}

function healthOf(view: ProjectView): HealthView {
  const { health } = view;
  return {
    overall: health.overall,
    closed: health.closed,
    reasons: health.reasons,
    dimensions: HEALTH_DIMENSIONS.map((name) => {
      const { dimension, rag, reasons } = health.dimensions[name];
      return { dimension, rag, reasons };
    }),
  };
}

function templateOptionOf(template: StageGateTemplate): TemplateOptionView {
  return {
    id: template.id,
    version: template.version,
    name: template.name,
    description: template.description,
    scoreMax: template.scoreMax,
    shipped: DEFAULT_TEMPLATES.some((shipped) => shipped.id === template.id),
    stages: template.stages.map((s) => ({ id: s.id, name: s.name, current: false })),
  };
}

/**
 * The panel's view of a loaded project for the person who loaded it.
 * @throws {RangeError} only when stored risk ratings or the PMO's bands are ones no schema admits.
 */
export function toPanelView(view: ProjectView, viewerAccountId: string, locale = 'en-US'): ProjectPanelView {
  const governance = view.record?.governance ?? null;
  const template = view.template;
  // What the reader reads: the template's names in their language. The rules and the authority table keep reading
  // the template itself (a stage owner is named by the stage's own name).
  const shown = template && localizeTemplate(template, locale);
  const stage = governance && template ? findStage(template, governance.stage) : undefined;
  const gate = stage?.exitGate;
  const shownGate = governance && shown ? findStage(shown, governance.stage)?.exitGate : undefined;
  const currentGate = governance && shownGate ? gateOf(shownGate, governance.gates[shownGate.id] ?? {}) : null;

  const roles = view.viewer.roles;
  // Writes are refused while the documents are tampered or unreadable, and once a project is killed or completed;
  // offering the controls then would only lead to a refusal.
  const writable = view.integrity !== 'tampered' && view.integrity !== 'damaged';
  const open = governance !== null && governance.status !== 'killed' && governance.status !== 'completed';
  const canEdit = view.viewer.canEdit && writable && open && view.inRegistry;
  // The same table and the same facts the reducer judges with, so the panel offers only what will be accepted.
  const actor = { accountId: viewerAccountId, roles };
  const may: MayAct = (action, about) =>
    mayAct(action, actor, {
      mode: view.mode,
      owner: view.issue.ownerAccountId ?? undefined,
      stageOwners: view.stageOwners ?? undefined,
      gate: about,
      stageName: stage?.name,
    });
  const viewer: ViewerAbilitiesView = {
    canEdit,
    canDecide: canEdit && gate !== undefined && may('decideGate', gate),
    canRestore: may('restore'),
    mode: view.mode,
  };

  const templateSummary: TemplateSummaryView | null =
    shown && governance
      ? {
          id: shown.id,
          version: shown.version,
          name: shown.name,
          scoreMax: shown.scoreMax,
          stages: shown.stages.map((s) => ({ id: s.id, name: s.name, current: s.id === governance.stage })),
        }
      : null;

  return {
    issue: { key: view.issue.key, summary: view.issue.summary },
    integrity: integrityOf(view),
    governance: governance
      ? { rev: governance.rev, status: governance.status, nextGateDate: governance.nextGateDate ?? null }
      : null,
    template: templateSummary,
    currentGate,
    readiness: view.readiness
      ? {
          mustOpen: view.readiness.mustOpen.map((criterion) => criterion.id),
          score: view.readiness.score,
          threshold: view.readiness.passThreshold,
          ready: view.readiness.ready,
        }
      : null,
    decisions: (governance?.decisions ?? []).map((d) => decisionOf(d, shown, may, canEdit)).reverse(),
    raid: raidOf(view.record?.raid.items ?? [], view.riskBands),
    riskBands: view.riskBands.map(({ band, min, max }) => ({ band, min, max })),
    // Only a PMO lead may start governance (the authority table), and only an ungoverned, readable project needs it.
    templates:
      !governance && may('startGovernance') && view.integrity !== 'damaged' && view.inRegistry
        ? view.availableTemplates.map((option) => templateOptionOf(localizeTemplate(option, locale)))
        : [],
    terms: templateTerms(template ? [template] : [], locale),
    health: healthOf(view),
    viewer,
    inRegistry: view.inRegistry,
  };
}
