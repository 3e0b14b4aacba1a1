/**
 * The workflow validator's rule, with Jira and the settings around it: a registry project moving through a gate is
 * checked against the PMO's enforcement mode. Every refusal names the issue, what is missing and who may decide,
 * so a bulk transition never fails without saying why.
 */
import { evaluateGateTransition, passageOf, type StatusMove } from '../domain/enforcement';
import { rolesFor } from '../domain/settings';
import { type AppDeps, templateLookup } from './deps';
import { type JiraStatus } from './ports';
import { readVerifiedProject, VERIFIED_READ_WAITS_MS } from './verified-read';

export interface TransitionRequest {
  readonly issueKey: string;
  /** The user making the transition; absent when Jira makes it with no user (e.g. an automation rule as the app). */
  readonly accountId?: string;
  /** The gate this transition passes, when the validator's configuration names one. */
  readonly gateId?: string;
  /** The status ids Jira reports the transition leaves and enters (`transition.from.id`, `transition.to.id`). */
  readonly transition?: { readonly fromStatusId: string; readonly toStatusId: string };
  /** Waits while another write is landing (tests shorten them); the verified read's by default. */
  readonly waits?: readonly number[];
}

export type TransitionAnswer = { readonly result: true } | { readonly result: false; readonly errorMessage: string };

/** The statuses a transition leaves and enters, as Jira names them; unknown ones stay unknown. */
async function statusesOf(deps: AppDeps, request: TransitionRequest): Promise<StatusMove | undefined> {
  if (!request.transition) return undefined;
  const { fromStatusId, toStatusId } = request.transition;
  const [from, to] = await Promise.all([
    deps.jira.statusOf({ as: 'app' }, fromStatusId),
    deps.jira.statusOf({ as: 'app' }, toStatusId),
  ]);
  const ref = (status: JiraStatus | null) => (status ? { name: status.name, category: status.category } : undefined);
  const move = { from: ref(from), to: ref(to) };
  return { ...(move.from ? { from: move.from } : {}), ...(move.to ? { to: move.to } : {}) };
}

/**
 * Decides a transition. Issues without governance are only blocked in controlling and directive modes; a project
 * whose documents were tampered with is blocked until a PMO lead restores it, in every mode but supportive. The record
 * is read as the panel reads it (verified-read.ts): a write landing at the same moment is waited out, never taken
 * for a project without a record or with a forged one.
 */
export async function validateTransitionUseCase(deps: AppDeps, request: TransitionRequest): Promise<TransitionAnswer> {
  const settings = await deps.storage.loadSettings();
  // Read as the app: the validator must see the documents whatever the mover may browse; it reveals only its verdict.
  const [read, move] = await Promise.all([
    readVerifiedProject(deps, settings, { as: 'app' }, request.issueKey, request.waits ?? VERIFIED_READ_WAITS_MS),
    statusesOf(deps, request),
  ]);
  if (read.kind === 'missing')
    return { result: false, errorMessage: `${request.issueKey} could not be read by Tollgate.` };
  if (read.kind === 'busy') {
    // Supportive mode never blocks; the others cannot judge a record that is being rewritten, so they ask again.
    if (settings.mode === 'supportive') return { result: true };
    return {
      result: false,
      errorMessage: `${request.issueKey}: its stage-gate record is being changed in Tollgate right now. Try the transition again in a moment.`,
    };
  }
  const lookup = templateLookup(settings);
  const { verdict } = read;
  // Into a done status (cancel, close) an issue passes no gate whatever its record says, so an untrusted record
  // need not be believed to allow it; every other transition waits for a PMO lead to settle the record.
  const leaving = passageOf(null, move).kind === 'none';
  if ((verdict.status === 'tampered' || verdict.status === 'damaged') && settings.mode !== 'supportive' && !leaving) {
    return {
      result: false,
      errorMessage: `${request.issueKey}: its stage-gate record was changed outside Tollgate. A PMO lead must restore it in the Tollgate panel first.`,
    };
  }
  // Documents no Tollgate write signed (no ledger, no valid signature) could be a forged approval written through
  // REST on a project Tollgate never governed; a gate that enforces must not take them at their word.
  if (verdict.status === 'unverified' && settings.mode !== 'supportive' && !leaving) {
    return {
      result: false,
      errorMessage: `${request.issueKey}: its stage-gate record was not written by Tollgate. A PMO lead must review it in the Tollgate panel and confirm it with a change there first.`,
    };
  }
  const record =
    verdict.status === 'ok' || verdict.status === 'repaired' || verdict.status === 'unverified' ? verdict.record : null;
  const governance = record?.governance ?? null;
  const template = governance
    ? (lookup({ templateId: governance.templateId, templateVersion: governance.templateVersion }) ?? null)
    : null;
  const roles = request.accountId ? rolesFor(await deps.jira.groupsOf(request.accountId), settings) : [];
  const verdictForTransition = evaluateGateTransition({
    issueKey: request.issueKey,
    mode: settings.mode,
    governance,
    template,
    ...(request.gateId ? { gateId: request.gateId } : {}),
    ...(move ? { move } : {}),
    actor: { roles },
  });
  return verdictForTransition.allowed
    ? { result: true }
    : { result: false, errorMessage: verdictForTransition.message };
}
