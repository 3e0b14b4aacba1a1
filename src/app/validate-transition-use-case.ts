/**
 * The workflow validator's rule, with Jira and the settings around it: a registry project moving through a gate is
 * checked against the PMO's enforcement mode. Every refusal names the issue, what is missing and who may decide,
 * so a bulk transition never fails without saying why.
 */
import { evaluateGateTransition } from '../domain/enforcement';
import { rolesFor } from '../domain/settings';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { assessIntegrity } from './integrity';
import { readProjectDocuments } from './project-documents';

export interface TransitionRequest {
  readonly issueKey: string;
  /** The user making the transition; absent when Jira makes it with no user (e.g. an automation rule as the app). */
  readonly accountId?: string;
  /** The gate this transition passes, when the validator's configuration names one. */
  readonly gateId?: string;
}

export type TransitionAnswer = { readonly result: true } | { readonly result: false; readonly errorMessage: string };

/**
 * Decides a transition. Issues without governance are only blocked in controlling and directive modes; a project
 * whose documents were tampered with is blocked until a PMO lead restores it, in every mode but supportive.
 */
export async function validateTransitionUseCase(deps: AppDeps, request: TransitionRequest): Promise<TransitionAnswer> {
  const settings = await deps.storage.loadSettings();
  // Read as the app: the validator must see the documents whatever the mover may browse; it reveals only its verdict.
  const docs = await readProjectDocuments(deps.jira, { as: 'app' }, request.issueKey, configuredFields(settings));
  if (!docs) return { result: false, errorMessage: `${request.issueKey} could not be read by Tollgate.` };
  const lookup = templateLookup(settings);
  const verdict = assessIntegrity(
    docs,
    await deps.storage.ledger(docs.issue.id),
    await deps.storage.signingKey(),
    deps.clock.now(),
    lookup,
  );
  if ((verdict.status === 'tampered' || verdict.status === 'damaged') && settings.mode !== 'supportive') {
    return {
      result: false,
      errorMessage: `${request.issueKey}: its stage-gate record was changed outside Tollgate. A PMO lead must restore it in the Tollgate panel first.`,
    };
  }
  // Documents no Tollgate write signed (no ledger, no valid signature) could be a forged approval written through
  // REST on a project Tollgate never governed; a gate that enforces must not take them at their word.
  if (verdict.status === 'unverified' && settings.mode !== 'supportive') {
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
    actor: { roles },
  });
  return verdictForTransition.allowed
    ? { result: true }
    : { result: false, errorMessage: verdictForTransition.message };
}
