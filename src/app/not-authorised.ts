/**
 * The authority table's refusals (src/domain/authority.ts) as the error a person meets: FORBIDDEN, because it is
 * about who asked rather than what they asked for, with the refusal's code to translate and an English sentence that
 * names the groups this installation uses.
 */
import { type AuthorityRefusalCode, type GovernedAction } from '../domain/authority';
import { type Settings } from '../domain/settings';
import { ForbiddenError } from './errors';

/** What each action is, as the English sentences name it. */
const ACTION_TEXT: Readonly<Record<GovernedAction, string>> = {
  startGovernance: 'start governance on a project',
  checkItem: 'tick checklist items',
  decideGate: 'decide a gate',
  meetCondition: "mark a Conditional-Go's conditions met",
  lapseConditionalGo: 'lapse a Conditional-Go',
  setNextGateDate: 'set the next gate date',
  recordStatusReview: 'record a status review',
  setTolerance: 'set tolerances',
  removeTolerance: 'remove tolerances',
  setPriorityInputs: 'set the prioritisation inputs',
  completeProject: 'complete a project',
  recordTransition: 'record a workflow transition',
  addRaidItem: 'add to the RAID log',
  updateRaidItem: 'change a RAID item',
  closeRaidItem: 'close a RAID item',
  reopenRaidItem: 'reopen a RAID item',
  reviewRaidItem: 'review a RAID item',
  restore: "restore a project's governance",
};

/** A person the authority table refused; `refusal` is what the UI translates (`refusal.<code>`). */
export class NotAuthorisedError extends ForbiddenError {
  constructor(
    readonly refusal: {
      readonly code: AuthorityRefusalCode;
      readonly params: Readonly<Record<string, string | number>>;
    },
    message: string,
  ) {
    super(message, { key: `refusal.${refusal.code}`, params: refusal.params });
  }
}

/** The error for a refusal of `action`, with a sentence that names this installation's groups. */
export function notAuthorised(
  action: GovernedAction,
  refusal: { readonly code: AuthorityRefusalCode; readonly params: Readonly<Record<string, string | number>> },
  settings: Pick<Settings, 'pmoGroup' | 'roleGroups'>,
): NotAuthorisedError {
  const what = ACTION_TEXT[action];
  const pmo = `members of the PMO group (${settings.pmoGroup})`;
  const sponsors = settings.roleGroups.sponsor ? `sponsors (${settings.roleGroups.sponsor})` : 'sponsors';
  const gate = String(refusal.params.gate ?? '');
  const message: Record<AuthorityRefusalCode, string> = {
    'recorded-by-tollgate': `Nobody can ${what}: Tollgate records workflow transitions itself from workflow events.`,
    'needs-pmo': `Only ${pmo} may ${what}.`,
    'needs-pmo-or-sponsor': `Only ${pmo} or ${sponsors} may ${what}.`,
    'needs-owner-or-pmo': `Only the project's owner or ${pmo} may ${what}.`,
    'not-a-decider': `You cannot decide ${gate}. It is decided by ${String(refusal.params.deciders ?? '')}.`,
    'separation-of-duties': `In directive mode the project owner cannot make the gate calls on their own project (${gate}). Ask another decider.`,
    'owner-during-stage': `You owned this project during its current stage, so in directive mode you cannot make its gate calls (${gate}). Ask a decider who has not owned it.`,
  };
  return new NotAuthorisedError(refusal, message[refusal.code]);
}
