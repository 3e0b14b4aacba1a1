/**
 * Who may change what on a governed project (docs/pmo-rules.md "Authority"). One table names, for every op and for
 * restoring a record, who may do it and why; the reducer consults it before anything else (`applyOp`), the panel
 * reads it so it offers only what the server allows, and restoring asks it too. Keeping the rules in one place is
 * what lets a PMO reviewer check them against the handbook without reading the reducer.
 *
 * Two things are settled before this table is asked, by Jira rather than by Tollgate: a person who cannot browse
 * the issue is told it does not exist, and one who cannot edit it may change nothing. Everyone the table judges is
 * therefore at least a member of the project (Jira lets them edit its issue). Being a Jira administrator adds
 * nothing here: administrators configure Tollgate, and configuring the rules is kept apart from acting under them.
 */
import { type GovernanceDocument } from './documents/governance-document';
import { type EnforcementMode } from './enforcement';
import { decisionEffect } from './gates';
// Types only: ops.ts imports this module's values, so a value import back would be a load-order cycle.
import type { GovernanceOp, OpContext, OpType, ProjectRecord, Refusal } from './ops';
import { type DeciderRole, findGate, findStage, type GateDefinition, type StageGateTemplate } from './templates';
import { type Instant } from './time';

/** Everything a person can ask Tollgate to do to a project: each op, and rebuilding the record from the ledger. */
export type GovernedAction = OpType | 'restore';

/**
 * Who may do an action.
 * - `tollgate`: only Tollgate itself, writing down what Jira did (no person's request is accepted).
 * - `member`: anyone Jira lets edit the project's issue.
 * - `owner-or-pmo`: the project's owner (the configured owner field) or a PMO lead.
 * - `gate-deciders`: a holder of one of the decider roles the template names for the gate concerned.
 * - `gate-deciders-or-pmo`: those, or a PMO lead.
 * - `pmo`: a PMO lead (member of the PMO group).
 * - `pmo-or-sponsor`: a PMO lead or a sponsor.
 */
export type Authority =
  'tollgate' | 'member' | 'owner-or-pmo' | 'gate-deciders' | 'gate-deciders-or-pmo' | 'pmo' | 'pmo-or-sponsor';

export interface AuthorityRule {
  readonly who: Authority;
  /**
   * A gate call: an act that decides what happens to the project at or after a gate. In directive mode nobody who
   * owned the project during its current stage may make one (docs/pmo-rules.md §7, separation of duties).
   */
  readonly gateCall: boolean;
}

/** The authority table: one rule per action, with why. */
export const AUTHORITY = {
  // Putting a project under governance picks its lifecycle and template; that is the PMO's intake decision
  // (docs/architecture.md §1), not something a project grants itself.
  startGovernance: { who: 'pmo', gateCall: false },
  // The people doing the work tick the checklist and attach evidence; every tick records who made it, and the
  // deciders judge it at the gate, so a tick commits nobody.
  checkItem: { who: 'member', gateCall: false },
  // Cooper's gatekeepers decide: the template names them per gate. Readiness overrides are further limited to the
  // PMO inside the reducer, because overriding the PMO's own standard is the PMO's act.
  decideGate: { who: 'gate-deciders', gateCall: true },
  // Settling a condition is part of the gate's decision (it turns a Conditional-Go into a Go), so a team member may
  // not certify it; the PMO may, because checking that the conditions were met is the gate secretariat's work.
  meetCondition: { who: 'gate-deciders-or-pmo', gateCall: true },
  // Recycling or killing a project whose conditions lapsed is "a gatekeeper's call, not a timer's" (pmo-rules §1).
  lapseConditionalGo: { who: 'gate-deciders', gateCall: true },
  // The gate date says when the gatekeepers meet, and health turns red once it has passed: the owner plans it and
  // the PMO runs the gate calendar, but a team member moving it could hide an overdue gate.
  setNextGateDate: { who: 'owner-or-pmo', gateCall: false },
  // A status review reports how things stand; anyone on the project may report, and each review is attributed and
  // carries its author's confidence.
  recordStatusReview: { who: 'member', gateCall: false },
  // Tolerances are set by the level above the one they bind (PRINCE2, pmo-rules §2); in Tollgate that is the PMO.
  setTolerance: { who: 'pmo', gateCall: false },
  removeTolerance: { who: 'pmo', gateCall: false },
  // WSJF and ROI inputs rank the project against the rest of the portfolio; the owner answers for them and the PMO
  // moderates the scoring, and a team member inflating them would reorder the portfolio.
  setPriorityInputs: { who: 'owner-or-pmo', gateCall: false },
  // Completion ends governance for good and cannot be undone: closure is accepted by the sponsor (PRINCE2's
  // executive) or the PMO, never declared by the team. The reducer also requires the final stage.
  completeProject: { who: 'pmo-or-sponsor', gateCall: true },
  // Transitions are facts Jira reports through a trigger; a person recording one could fake gate compliance.
  recordTransition: { who: 'tollgate', gateCall: false },
  // The RAID log is the team's working record (architecture §1): every item has an owner and keeps who raised,
  // changed and closed it, and health reads it without anyone having to vouch for it.
  addRaidItem: { who: 'member', gateCall: false },
  updateRaidItem: { who: 'member', gateCall: false },
  closeRaidItem: { who: 'member', gateCall: false },
  reopenRaidItem: { who: 'member', gateCall: false },
  reviewRaidItem: { who: 'member', gateCall: false },
  // Restoring overwrites what is stored with what the ledger says, after someone tampered with it: only the PMO may
  // vouch for the result (architecture §4).
  restore: { who: 'pmo', gateCall: false },
} as const satisfies Record<GovernedAction, AuthorityRule>;

/** Every governed action, in the table's order. */
export const GOVERNED_ACTIONS = Object.keys(AUTHORITY) as GovernedAction[];

/**
 * The version of the op rules. Ledger entries recorded before version 2 (no authority table, no ownership on
 * decisions) are replayed under the rules they were recorded under, so their recorded signatures still come out:
 * authority is judged when an op is made, and a replay reproduces it rather than judging it again.
 */
export const OP_RULES_VERSION = 2;

/** Refusals the table gives; each is `refusal.<code>` in the locale catalogs. */
export const AUTHORITY_REFUSAL_CODES = [
  'recorded-by-tollgate',
  'needs-pmo',
  'needs-pmo-or-sponsor',
  'needs-owner-or-pmo',
  'not-a-decider',
  'separation-of-duties',
  'owner-during-stage',
] as const;
export type AuthorityRefusalCode = (typeof AUTHORITY_REFUSAL_CODES)[number];

/** Whether a refusal is about who asked (the table), rather than about the request. */
export function isAuthorityRefusal(code: string): code is AuthorityRefusalCode {
  return (AUTHORITY_REFUSAL_CODES as readonly string[]).includes(code);
}

/** Who is acting, as the app established it before the op (Jira permissions and groups → roles). */
export interface Actor {
  readonly accountId: string;
  /** Decider roles this person holds (from the PMO group and role groups in settings). */
  readonly roles: readonly DeciderRole[];
  /** Set only when Tollgate itself records what Jira did (a workflow transition), never for a person's request. */
  readonly via?: 'workflow';
}

/** What the table needs to know about the project besides who acts. */
export interface AuthorityScope {
  readonly mode: EnforcementMode;
  /** The project's owner now (the configured owner field); undefined when it has none. */
  readonly owner?: string;
  /** Everyone who held the owner field during the current stage, the current owner included. */
  readonly stageOwners?: readonly string[];
  /** The gate the action concerns; undefined when it concerns none, or names one that does not exist. */
  readonly gate?: Pick<GateDefinition, 'name' | 'deciders'>;
  /** The current stage's name, for refusals about an act that concerns no gate (completion). */
  readonly stageName?: string;
}

/**
 * Why `accountId` may not do `action`, or null when the table allows it.
 * @throws never.
 */
export function authorityRefusal(
  action: GovernedAction,
  actor: Actor,
  scope: AuthorityScope,
): { code: AuthorityRefusalCode; params: Record<string, string> } | null {
  const rule: AuthorityRule = AUTHORITY[action];
  const roles = actor.roles;
  const pmo = roles.includes('pmo');
  const subject = scope.gate?.name ?? scope.stageName ?? '';
  switch (rule.who) {
    case 'tollgate':
      if (actor.via !== 'workflow') return { code: 'recorded-by-tollgate', params: {} };
      break;
    case 'member':
      break;
    case 'owner-or-pmo':
      if (!pmo && (scope.owner === undefined || scope.owner !== actor.accountId)) {
        return { code: 'needs-owner-or-pmo', params: { action } };
      }
      break;
    case 'pmo':
      if (!pmo) return { code: 'needs-pmo', params: { action } };
      break;
    case 'pmo-or-sponsor':
      if (!pmo && !roles.includes('sponsor')) return { code: 'needs-pmo-or-sponsor', params: { action } };
      break;
    case 'gate-deciders':
    case 'gate-deciders-or-pmo': {
      // An op naming no gate that exists is refused by the reducer for that (unknown gate or decision); there are
      // no deciders to judge it against, and whatever it names cannot change.
      if (!scope.gate) break;
      const deciders: readonly DeciderRole[] =
        rule.who === 'gate-deciders-or-pmo' && !scope.gate.deciders.includes('pmo')
          ? [...scope.gate.deciders, 'pmo']
          : scope.gate.deciders;
      if (!deciders.some((role) => roles.includes(role))) {
        return { code: 'not-a-decider', params: { gate: scope.gate.name, deciders: deciders.join(', ') } };
      }
      break;
    }
  }
  if (rule.gateCall && scope.mode === 'directive') {
    if (scope.owner !== undefined && scope.owner === actor.accountId) {
      return { code: 'separation-of-duties', params: { gate: subject } };
    }
    if (scope.stageOwners?.includes(actor.accountId)) {
      return { code: 'owner-during-stage', params: { gate: subject } };
    }
  }
  return null;
}

/** Whether the table lets the actor do `action` (the panel offers only these). */
export function mayAct(action: GovernedAction, actor: Actor, scope: AuthorityScope): boolean {
  return authorityRefusal(action, actor, scope) === null;
}

/** The gate an op concerns: the one it decides, or the one whose decision it settles. */
function gateOfOp(
  record: ProjectRecord | null,
  op: GovernanceOp,
  template: StageGateTemplate,
): GateDefinition | undefined {
  switch (op.type) {
    case 'decideGate':
      return findGate(template, op.gateId)?.gate;
    case 'meetCondition':
    case 'lapseConditionalGo': {
      const decision = record?.governance.decisions.find((d) => d.id === op.decisionId);
      return decision ? findGate(template, decision.gateId)?.gate : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The table's verdict on an op, as the reducer asks it before anything else. Ops recorded under earlier rules
 * (`ctx.rules` below OP_RULES_VERSION) were judged when they were made and are not judged again.
 * @throws never.
 */
export function judgeOp(record: ProjectRecord | null, op: GovernanceOp, ctx: OpContext): Refusal | null {
  if (ctx.rules !== undefined && ctx.rules < OP_RULES_VERSION) return null;
  const stage = record ? findStage(ctx.template, record.governance.stage) : undefined;
  return authorityRefusal(
    op.type,
    // `by` is who the op is recorded for; the reducer judges that person, whatever the context was built from.
    { ...ctx.actor, accountId: op.by },
    {
      mode: ctx.mode,
      owner: ctx.projectOwner,
      stageOwners: ctx.stageOwners,
      gate: gateOfOp(record, op, ctx.template),
      stageName: stage?.name,
    },
  );
}

/**
 * When the project entered the stage it is in: the latest decision that moved it there (a Go into it, or a lapse
 * back to it), or the start of governance. Hold and Recycle keep the stage, so they do not restart it: whoever owned
 * the project before a Recycle still owned it during the stage its gate judges.
 */
export function stageEnteredAt(governance: GovernanceDocument, template: StageGateTemplate): Instant {
  let entered = governance.startedAt;
  for (const decision of governance.decisions) {
    const found = findGate(template, decision.gateId);
    if (!found) continue;
    const moved = decisionEffect(template, found.stageIndex, decision.outcome).stage;
    if (found.stage.id !== governance.stage && moved === governance.stage && decision.decidedAt > entered) {
      entered = decision.decidedAt;
    }
    const lapse = decision.lapsed;
    if (lapse?.outcome === 'RECYCLE' && found.stage.id === governance.stage && lapse.at > entered) entered = lapse.at;
  }
  return entered;
}

/** One change of the owner field, from Jira's changelog: when, and the account ids before and after. */
export interface OwnerChange {
  readonly at: Instant;
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * Everyone who held the owner field at some moment since `since`, in the order they held it: whoever held it when
 * the period began (the first change's `from`), each later holder, and the owner now. A person who handed the
 * project on just before a decision is on the list, which is what separation of duties needs.
 */
export function ownersDuring(current: string | undefined, changes: readonly OwnerChange[], since: Instant): string[] {
  const owners: string[] = [];
  const add = (accountId: string | null | undefined) => {
    if (accountId && !owners.includes(accountId)) owners.push(accountId);
  };
  for (const change of changes.filter((c) => c.at >= since)) {
    add(change.from);
    add(change.to);
  }
  add(current);
  return owners;
}
