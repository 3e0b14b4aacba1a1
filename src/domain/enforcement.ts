/**
 * How much the PMO enforces (PMBOK's PMO types, docs/pmo-rules.md §7), and the rule the workflow validator applies to a
 * transition through a gate. The refusal names the issue, every missing item and who may decide, because a bulk
 * transition that fails without saying why is the complaint users have about other checklist apps.
 */
import { type GovernanceDocument } from './documents/governance-document';
import { type GateDecision, gateReadiness } from './gates';
import { type Actor } from './ops';
import { type Reason, reason } from './rag';
import {
  DECIDER_ROLES,
  type DeciderRole,
  findGate,
  findStage,
  type GateDefinition,
  type StageGateTemplate,
  stageIndexOfStatus,
} from './templates';
import { dayOf } from './time';

export const ENFORCEMENT_MODES = ['supportive', 'controlling', 'directive'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/** Names people read in messages; the UI translates roles itself. */
const ROLE_NAMES: Record<DeciderRole, string> = {
  pmo: 'the PMO',
  sponsor: 'the sponsor',
  'steering-committee': 'the steering committee',
  'project-board': 'the project board',
};

/** A Jira status as the validator sees it: its name, and its category when Jira said. */
export interface StatusRef {
  readonly name: string;
  readonly category?: 'new' | 'indeterminate' | 'done';
}

/** The statuses a workflow transition leaves and enters; either may be unknown. */
export interface StatusMove {
  readonly from?: StatusRef;
  readonly to?: StatusRef;
}

export interface TransitionCheck {
  readonly issueKey: string;
  readonly mode: EnforcementMode;
  /** null when the issue has no governance yet. */
  readonly governance: GovernanceDocument | null;
  /** The template version the project started on; null when it cannot be found. */
  readonly template: StageGateTemplate | null;
  /** The gate the validator's configuration says this transition passes; it wins over what the statuses say. */
  readonly gateId?: string;
  /** The statuses the transition leaves and enters, from which the gate it passes (if any) is worked out. */
  readonly move?: StatusMove;
  /** Who makes the transition; only their roles count (a transition Jira makes with no user has none). */
  readonly actor: Pick<Actor, 'roles'>;
}

/**
 * What a workflow transition does in the template's lifecycle: it moves forward through these gates (more than one
 * when it skips stages); it passes none (it leaves the lifecycle by a cancel, a close or a move to On Hold, goes back,
 * or stays in its stage); or the statuses do not say (none given, or neither is a stage's) and the record has to.
 */
export type Passage =
  | { readonly kind: 'gates'; readonly gateIds: readonly string[] }
  | { readonly kind: 'none'; readonly why: 'leaves-lifecycle' | 'backward' | 'same-stage' | 'first-stage' }
  | { readonly kind: 'unknown' };

/**
 * The gates a transition between two statuses passes, by the template's stage→status mapping. A status that is no
 * stage's is outside the lifecycle: going there passes no gate; coming back from there into a stage takes the gate
 * into that stage, so "On Hold → Development" cannot skip the gate that opens Development. Without a template only a
 * done status is certain: nothing after the end of an issue is a gate.
 */
export function passageOf(template: StageGateTemplate | null, move: StatusMove | undefined): Passage {
  const to = move?.to;
  if (!to) return { kind: 'unknown' };
  const leaves = { kind: 'none', why: 'leaves-lifecycle' } as const;
  if (!template) return to.category === 'done' ? leaves : { kind: 'unknown' };
  const toIndex = stageIndexOfStatus(template, to.name);
  const fromIndex = move.from ? stageIndexOfStatus(template, move.from.name) : -1;
  // Neither status is a stage's and the target is not an end: the mapping does not describe this workflow, and
  // taking that as "no gate" would switch enforcement off for every project on it.
  if (toIndex < 0) return fromIndex >= 0 || to.category === 'done' ? leaves : { kind: 'unknown' };
  if (fromIndex < 0) {
    const gate = template.stages[toIndex - 1]?.exitGate;
    return gate ? { kind: 'gates', gateIds: [gate.id] } : { kind: 'none', why: 'first-stage' };
  }
  if (toIndex < fromIndex) return { kind: 'none', why: 'backward' };
  if (toIndex === fromIndex) return { kind: 'none', why: 'same-stage' };
  const gateIds = template.stages
    .slice(fromIndex, toIndex)
    .flatMap((stage) => (stage.exitGate ? [stage.exitGate.id] : []));
  return { kind: 'gates', gateIds };
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

/** The latest decision at a gate, or undefined when none was taken there. */
function latestDecisionAt(governance: GovernanceDocument, gateId: string): GateDecision | undefined {
  return [...governance.decisions].reverse().find((d) => d.gateId === gateId);
}

/** Why a gate whose latest decision is not a standing Go stays shut, in the words of the refusal. */
function shutBy(decision: GateDecision): string {
  if (decision.lapsed) {
    const became = decision.lapsed.outcome === 'KILL' ? 'Kill' : 'Recycle';
    return `its Conditional-Go there lapsed on ${dayOf(decision.lapsed.at)} (conditions not met) and became a ${became}`;
  }
  switch (decision.outcome) {
    case 'HOLD':
      return `it is on hold there by gate decision (${dayOf(decision.decidedAt)})`;
    case 'RECYCLE':
      return `the gate decided Recycle on ${dayOf(decision.decidedAt)}, so the stage is being reworked`;
    default:
      return `the gate decided ${decision.outcome === 'KILL' ? 'Kill' : decision.outcome} on ${dayOf(decision.decidedAt)}`;
  }
}

type GateJudgement =
  | { readonly open: true }
  | {
      readonly open: false;
      readonly message: string;
      readonly missing: readonly string[];
      readonly deciders: readonly DeciderRole[];
      readonly warning: Reason;
    };

/**
 * One gate, judged on the decision recorded for it. A standing Go or Conditional-Go (a PMO override included) opens
 * it whatever its checklist says now: the checklist was the gatekeepers' evidence when they decided, and once the
 * project has advanced it can no longer be ticked, so demanding it again would lock the issue for everyone. A Hold,
 * a Recycle or a lapsed Conditional-Go keeps it shut until a new decision; with no decision, what is missing for one.
 */
function judgeGate(
  issueKey: string,
  template: StageGateTemplate,
  governance: GovernanceDocument,
  gate: GateDefinition,
): GateJudgement {
  if (standingGo(governance, gate.id)) return { open: true };
  const deciders = gate.deciders.filter((role) => DECIDER_ROLES.includes(role));
  const who = `Who may decide: ${deciders.map((role) => ROLE_NAMES[role]).join(' or ')}.`;
  const readiness = gateReadiness(template, gate, governance.gates[gate.id]);
  const musts = readiness.mustOpen.map((c) => `must-meet "${c.title}"`);
  const latest = latestDecisionAt(governance, gate.id);
  if (!latest) {
    const missing = [...musts, `a Go or Conditional-Go decision at ${gate.name}`];
    return {
      open: false,
      message: `${issueKey} cannot pass ${gate.name}: missing ${missing.join('; ')}. ${who}`,
      missing,
      deciders,
      warning: reason('enforcement.missing', 'amber', {
        issue: issueKey,
        gate: gate.name,
        missing: missing.join('; '),
      }),
    };
  }
  const missing = [...musts, `a new Go or Conditional-Go decision at ${gate.name}`];
  return {
    open: false,
    message: `${issueKey} cannot pass ${gate.name}: ${shutBy(latest)}. It needs a new Go or Conditional-Go. ${who}`,
    missing,
    deciders,
    warning: reason('enforcement.decidedOtherwise', 'amber', {
      issue: issueKey,
      gate: gate.name,
      outcome: latest.lapsed?.outcome ?? latest.outcome,
    }),
  };
}

/**
 * Decides whether a workflow transition may happen. Only a transition that passes a gate is judged: cancelling,
 * closing or going back a stage passes none, and is allowed whatever the record says (so a killed project can still
 * be cancelled). A gate is judged on the decision recorded for it: supportive never blocks but returns what would
 * have, controlling blocks unless a Go / Conditional-Go stands there, directive also lets only the PMO move a
 * project through a gate. Which gate: the validator's configuration, else the statuses of the transition, else (when
 * those do not say) the record's own guess, `gateToPass`.
 */
export function evaluateGateTransition(check: TransitionCheck): TransitionVerdict {
  const { issueKey, mode, governance, template, actor } = check;
  const blocking = mode !== 'supportive';
  const passage: Passage = check.gateId ? { kind: 'gates', gateIds: [check.gateId] } : passageOf(template, check.move);
  if (passage.kind === 'none') return { allowed: true, warnings: [] };
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
  const guessed = passage.kind === 'unknown' ? gateToPass(governance, template) : undefined;
  const gates = (passage.kind === 'gates' ? passage.gateIds : guessed ? [guessed] : [])
    .map((gateId) => findGate(template, gateId)?.gate)
    .filter((gate): gate is GateDefinition => gate !== undefined);
  // No gate left to pass (the project is in its final stage), or one this template does not have.
  if (gates.length === 0) return { allowed: true, warnings: [] };
  if (governance.status === 'killed') {
    // Kill is terminal: the project may leave the lifecycle (passage 'none' above), never move on through a gate.
    if (!blocking)
      return {
        allowed: true,
        warnings: [reason('enforcement.paused', 'amber', { issue: issueKey, status: governance.status })],
      };
    const kill = [...governance.decisions].reverse().find((d) => (d.lapsed?.outcome ?? d.outcome) === 'KILL');
    const where = kill ? ` (${findGate(template, kill.gateId)?.gate.name ?? kill.gateId})` : '';
    return {
      allowed: false,
      message: `${issueKey} was killed at a gate${where}; it cannot move on through ${gates[0]!.name}, only be cancelled or closed.`,
      missing: [],
      deciders: ['pmo'],
    };
  }
  const judged = gates.map((gate) => ({ gate, judgement: judgeGate(issueKey, template, governance, gate) }));
  const shut = judged.flatMap(({ gate, judgement }) => (judgement.open ? [] : [{ gate, judgement }]));
  if (mode === 'directive' && !actor.roles.includes('pmo')) {
    return {
      allowed: false,
      message: `${issueKey}: only the PMO may move a project through ${gates.map((g) => g.name).join(' and ')} (directive mode).`,
      missing: shut.flatMap(({ judgement }) => judgement.missing),
      deciders: ['pmo'],
    };
  }
  if (shut.length === 0) return { allowed: true, warnings: [] };
  if (!blocking) return { allowed: true, warnings: shut.map(({ judgement }) => judgement.warning) };
  const first = shut[0]!.judgement;
  return { allowed: false, message: first.message, missing: first.missing, deciders: first.deciders };
}
