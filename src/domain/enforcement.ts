/**
 * How much the PMO enforces (PMBOK's PMO types, docs/pmo-rules.md §7), and the rule the workflow validator applies to a
 * transition through a gate. The refusal names the issue, every missing item and who may decide, because a bulk
 * transition that fails without saying why is the complaint users have about other checklist apps.
 */
import { type GovernanceDocument } from './documents/governance-document';
import { type GateDecision, gateReadiness } from './gates';
import { type Actor } from './ops';
import { type Reason, reason } from './rag';
import { DECIDER_ROLES, type DeciderRole, findGate, findStage, type StageGateTemplate } from './templates';

export const ENFORCEMENT_MODES = ['supportive', 'controlling', 'directive'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/** Names people read in messages; the UI translates roles itself. */
const ROLE_NAMES: Record<DeciderRole, string> = {
  pmo: 'the PMO',
  sponsor: 'the sponsor',
  'steering-committee': 'the steering committee',
  'project-board': 'the project board',
};

export interface TransitionCheck {
  readonly issueKey: string;
  readonly mode: EnforcementMode;
  /** null when the issue has no governance yet. */
  readonly governance: GovernanceDocument | null;
  /** The template version the project started on; null when it cannot be found. */
  readonly template: StageGateTemplate | null;
  /** The gate this transition passes (from the validator's configuration); defaults to `gateToPass`. */
  readonly gateId?: string;
  /** Who makes the transition; only their roles count (a transition Jira makes with no user has none). */
  readonly actor: Pick<Actor, 'roles'>;
}

export type TransitionVerdict =
  | { readonly allowed: true; readonly warnings: readonly Reason[] }
  | {
      readonly allowed: false;
      readonly message: string;
      readonly missing: readonly string[];
      readonly deciders: readonly DeciderRole[];
    };

/** The latest Go or Conditional-Go for a gate that has not lapsed, i.e. the decision that lets a project through. */
export function standingGo(governance: GovernanceDocument, gateId: string): GateDecision | undefined {
  const latest = [...governance.decisions].reverse().find((d) => d.gateId === gateId);
  return latest && (latest.outcome === 'GO' || latest.outcome === 'CONDITIONAL_GO') && !latest.lapsed
    ? latest
    : undefined;
}

/**
 * The gate a workflow transition passes when the workflow does not say. The usual flow is: gatekeepers record a Go in
 * Tollgate (the stage advances there), then someone moves the Jira issue. So a Go not yet followed by a recorded
 * transition is the gate being passed; otherwise it is the gate that closes the current stage.
 */
export function gateToPass(governance: GovernanceDocument, template: StageGateTemplate): string | undefined {
  const latest = governance.decisions.at(-1);
  const go = latest && standingGo(governance, latest.gateId);
  if (go && !governance.transitions.some((t) => t.decisionId === go.id)) return go.gateId;
  return findStage(template, governance.stage)?.exitGate?.id;
}

/**
 * Decides whether a workflow transition through a gate may happen. Supportive never blocks but returns what is
 * missing as warnings; controlling blocks until every must-meet item is done and a Go / Conditional-Go stands;
 * directive also lets only the PMO move a project through a gate.
 */
export function evaluateGateTransition(check: TransitionCheck): TransitionVerdict {
  const { issueKey, mode, governance, template, actor } = check;
  const blocking = mode !== 'supportive';
  if (!governance || !template) {
    const problem = !governance
      ? 'has no stage-gate record yet'
      : `uses template ${governance.templateId}@${governance.templateVersion}, which no longer exists`;
    if (!blocking)
      return { allowed: true, warnings: [reason('enforcement.notGoverned', 'amber', { issue: issueKey })] };
    return {
      allowed: false,
      message: `${issueKey} ${problem}. Ask the PMO to start governance on it in the Tollgate panel.`,
      missing: [],
      deciders: ['pmo'],
    };
  }
  if (governance.status === 'killed' || governance.status === 'on-hold') {
    const state = governance.status === 'killed' ? 'was killed at a gate' : 'is on hold by gate decision';
    if (!blocking)
      return {
        allowed: true,
        warnings: [reason('enforcement.paused', 'amber', { issue: issueKey, status: governance.status })],
      };
    return {
      allowed: false,
      message: `${issueKey} ${state}; it cannot move on until a new gate decision.`,
      missing: [],
      deciders: ['pmo'],
    };
  }
  const gateId = check.gateId ?? gateToPass(governance, template);
  const found = gateId ? findGate(template, gateId) : undefined;
  if (!found) {
    // A transition that passes no gate (the project is in its final stage) is not the validator's business.
    return { allowed: true, warnings: [] };
  }
  const { gate } = found;
  const readiness = gateReadiness(template, gate, governance.gates[gate.id]);
  const go = standingGo(governance, gate.id);
  const missing = [
    ...readiness.mustOpen.map((c) => `must-meet "${c.title}"`),
    ...(go ? [] : [`a Go or Conditional-Go decision at ${gate.name}`]),
  ];
  if (mode === 'directive' && !actor.roles.includes('pmo')) {
    return {
      allowed: false,
      message: `${issueKey}: only the PMO may move a project through ${gate.name} (directive mode).`,
      missing,
      deciders: ['pmo'],
    };
  }
  if (missing.length === 0) return { allowed: true, warnings: [] };
  if (!blocking) {
    return {
      allowed: true,
      warnings: [
        reason('enforcement.missing', 'amber', { issue: issueKey, gate: gate.name, missing: missing.join('; ') }),
      ],
    };
  }
  const deciders = gate.deciders.filter((role) => DECIDER_ROLES.includes(role));
  return {
    allowed: false,
    message:
      `${issueKey} cannot pass ${gate.name}: missing ${missing.join('; ')}. ` +
      `Who may decide: ${deciders.map((role) => ROLE_NAMES[role]).join(' or ')}.`,
    missing,
    deciders,
  };
}
