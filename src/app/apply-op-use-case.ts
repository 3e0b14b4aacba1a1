/**
 * The one way a governance change is made (docs/architecture.md §4): authorise → read → apply the op with the pure
 * reducer → claim the ledger slot (the per-issue serialisation point) → write the signed documents → recompute health.
 * Two people acting at once both land: the loser of a ledger claim re-reads and applies on top of the winner.
 * A failure is only ever reported before the claim, so it always means "nothing was recorded, safe to try again";
 * after the claim Jira's failures leave the op `pending`, finished from the ledger (see finishWrite).
 */
import { AUTHORITY, isAuthorityRefusal, ownersDuring, stageEnteredAt } from '../domain/authority';
import { splitRaidLog } from '../domain/documents/raid-document';
import {
  applyOp,
  type GovernanceOp,
  type OpContext,
  type OpPayload,
  type ProjectRecord,
  type Refusal,
} from '../domain/ops';
import { rolesFor, type Settings } from '../domain/settings';
import { type StageGateTemplate } from '../domain/templates';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { ConflictError, ForbiddenError, NotFoundError, TollgateError } from './errors';
import { projectOwnerOf } from './facts';
import { assessIntegrity, type IntegrityVerdict } from './integrity';
import { ledgerOpOf } from './ledger-record';
import { notAuthorised } from './not-authorised';
import { readProjectDocuments, writeGovernedRecord, type ProjectDocuments } from './project-documents';
import { refreshAfterWrite } from './refresh-health';
import { inRegistry } from './registry';
import { signDocument } from './signing';

/**
 * How long a writer keeps re-reading and retrying after losing ledger claims before it gives up: long enough for the
 * winners' property writes to land while Jira's per-issue write limit (20 in 2 s) makes them wait, well inside a
 * resolver's 25 s. Waits grow from 50 ms to 1 s, so a quiet project's second try is almost immediate.
 */
const CLAIM_RETRY_BUDGET_MS = 15_000;
const MAX_CLAIM_BACKOFF_MS = 1_000;
/** And a bound on tries, for a clock that does not move (tests, replays). */
const MAX_ATTEMPTS = 40;

/** An op the reducer refused: a sentence for people, with the refusal for the UI to translate. */
export class RefusedError extends TollgateError {
  constructor(readonly refusal: Refusal) {
    super('REFUSED', `The change was refused (${refusal.code}).`, {
      key: `refusal.${refusal.code}`,
      params: refusal.params,
    });
  }
}

/** The documents were changed outside Tollgate; nothing is written on top of them until a PMO lead restores. */
export class TamperedError extends TollgateError {
  constructor(verdict: Extract<IntegrityVerdict, { status: 'tampered' }>) {
    super(
      'CONFLICT',
      `This project's governance data was changed outside Tollgate (${verdict.reason}). A PMO lead must restore it before anything else can change.`,
      {
        key: 'error.tampered',
        // No ledger, no last genuine change: the message then names nobody.
        params: { reason: verdict.reason, by: verdict.lastGenuine?.by ?? '', at: verdict.lastGenuine?.at ?? '' },
      },
    );
  }
}

export interface ApplyOpRequest {
  readonly accountId: string;
  readonly issueKey: string;
  readonly op: OpPayload;
}

export interface ApplyOpResult {
  readonly record: ProjectRecord;
  readonly rev: number;
  /**
   * The op is recorded in the ledger (it counts, and must not be sent again) but Jira did not store its documents
   * yet: every reader replays it from the ledger meanwhile, and the next write stores it.
   */
  readonly pending: boolean;
}

const IN_FLIGHT = Symbol('in-flight');

function trusted(verdict: IntegrityVerdict, actor: OpContext['actor']): ProjectRecord | null | typeof IN_FLIGHT {
  switch (verdict.status) {
    case 'ok':
      return verdict.record;
    case 'in-flight':
      return IN_FLIGHT;
    case 'repaired':
      return verdict.record;
    case 'unverified':
      // The first op signs what it finds into the ledger: only a PMO lead may vouch for documents Tollgate did not
      // write, or a forged approval could be laundered by anyone ticking a checklist item.
      if (!actor.roles.includes('pmo')) throw new RefusedError({ code: 'record-unverified', params: {} });
      return verdict.record;
    case 'damaged':
      throw new ConflictError(
        `This project's governance data cannot be read: ${verdict.problem}. A PMO lead must restore or reset it.`,
      );
    case 'tampered':
      throw new TamperedError(verdict);
  }
}

/**
 * Checks Jira's permissions and finds the person's roles before anything is read for writing. What the roles allow is
 * the authority table's (src/domain/authority.ts), which the reducer consults before anything else.
 */
async function authorise(deps: AppDeps, settings: Settings, request: ApplyOpRequest): Promise<OpContext['actor']> {
  const { accountId, issueKey } = request;
  const permissions = await deps.jira.permissionsOn(accountId, issueKey);
  if (!permissions.browse)
    throw new NotFoundError(`Issue ${issueKey} does not exist or you do not have permission to see it.`);
  if (!permissions.edit) throw new ForbiddenError(`You need permission to edit ${issueKey} to change its governance.`);
  // Only registry projects are governed: outside it nothing is recorded and no health is written.
  if (!(await inRegistry(deps.jira, settings.registryJql, issueKey))) {
    throw new RefusedError({ code: 'not-in-registry', params: {} });
  }
  const roles = rolesFor(await deps.jira.groupsOf(accountId), settings);
  return { accountId, roles };
}

/**
 * Who owned the project during its current stage, when the op needs it: a decision records it whatever the mode, and
 * in directive mode every gate call is refused to them (separation of duties, docs/pmo-rules.md §7). Read as the app:
 * the verdict must not depend on how much of the issue's history the person may see.
 */
async function stageOwnersFor(
  deps: AppDeps,
  settings: Settings,
  docs: ProjectDocuments,
  current: ProjectRecord | null,
  template: StageGateTemplate,
  op: OpPayload,
  owner: string | undefined,
): Promise<readonly string[] | undefined> {
  const needed = op.type === 'decideGate' || (settings.mode === 'directive' && AUTHORITY[op.type].gateCall);
  if (!needed || !current) return undefined;
  const changes = await deps.jira.fieldChanges({ as: 'app' }, docs.issue.id, settings.fields.owner);
  return ownersDuring(owner, changes, stageEnteredAt(current.governance, template));
}

async function attempt(
  deps: AppDeps,
  settings: Settings,
  request: { readonly issueKey: string; readonly accountId: string; readonly op: OpPayload },
  actor: OpContext['actor'],
  docs: ProjectDocuments,
): Promise<ApplyOpResult | 'lost'> {
  const key = await deps.storage.signingKey();
  const lookup = templateLookup(settings);
  const entries = await deps.storage.ledger(docs.issue.id);
  const now = deps.clock.now();
  const verdict = assessIntegrity(docs, entries, key, now, lookup);
  const current = trusted(verdict, actor);
  if (current === IN_FLIGHT) return 'lost';
  const ref =
    request.op.type === 'startGovernance'
      ? { templateId: request.op.templateId, templateVersion: request.op.templateVersion }
      : current
        ? { templateId: current.governance.templateId, templateVersion: current.governance.templateVersion }
        : undefined;
  const template = ref && lookup(ref);
  if (!template) {
    throw new RefusedError(
      current
        ? { code: 'unknown-stage', params: { stage: `${ref?.templateId}@${ref?.templateVersion}` } }
        : { code: 'not-started', params: {} },
    );
  }
  const op: GovernanceOp = { ...request.op, by: request.accountId, at: now };
  const projectOwner = projectOwnerOf(docs.issue, settings).accountId ?? undefined;
  const ctx: OpContext = {
    template,
    mode: settings.mode,
    actor,
    projectOwner,
    stageOwners: await stageOwnersFor(deps, settings, docs, current, template, request.op, projectOwner),
  };
  const result = applyOp(current, op, ctx);
  if (!result.ok) {
    const { refusal } = result;
    if (isAuthorityRefusal(refusal.code)) {
      throw notAuthorised(request.op.type, { code: refusal.code, params: refusal.params }, settings);
    }
    throw new RefusedError(refusal);
  }
  const rev = result.record.governance.rev;
  const governance = { ...result.record.governance, sig: undefined };
  // Signed for this issue (by id, which survives a move) on this installation: a copy on another issue is not valid.
  const signedGovernance = { ...governance, sig: signDocument(key, docs.issue.id, governance) };
  const split = splitRaidLog(result.record.raid, rev);
  if (!split.ok) throw new RefusedError({ code: 'raid-log-full', params: { shards: split.shardsNeeded } });
  const shards = split.shards.map((shard) => ({ ...shard, sig: signDocument(key, docs.issue.id, shard) }));
  // The first op recorded for documents that predate the ledger keeps them, so a restore can start from them.
  const baseline = entries.length === 0 && current ? current : undefined;
  const claimed = await deps.storage.claimLedger({
    issueId: docs.issue.id,
    rev,
    op: ledgerOpOf(op, ctx, baseline),
    by: op.by,
    at: op.at,
    sig: signedGovernance.sig,
  });
  if (!claimed) return 'lost';
  const record = { governance: signedGovernance, raid: result.record.raid };
  const written = await finishWrite(deps, docs, rev, () =>
    // After the claim the app writes what the ledger now says; it acts as the app because the person's right to
    // make this change was checked above and the app signs what it writes.
    writeGovernedRecord(deps.jira, { as: 'app' }, docs.issue.key, signedGovernance, shards, docs.raidShards.length),
  );
  try {
    await refreshAfterWrite(deps, settings, docs, record);
  } catch (error) {
    // Health is a read model: the recompute queue rewrites it, and the op must not look failed because of it.
    console.warn(`Tollgate recorded revision ${rev} of ${docs.issue.key} but could not refresh its health:`, error);
    await deps.queue
      .recompute([docs.issue.id], 'stale-health')
      .catch((queued: unknown) => console.warn('Tollgate could not queue the health refresh either:', queued));
  }
  return { record, rev, pending: !written };
}

/**
 * Everything after a won ledger claim. The op is recorded from here on, so nothing may report it as failed (the
 * person would send it again and it would count twice). The documents are written once — the Jira client has already
 * retried each request — and if Jira still fails the entry is marked stalled, for readers to replay it at once and
 * the next write to store it. Answers whether the documents landed.
 */
async function finishWrite(
  deps: AppDeps,
  docs: ProjectDocuments,
  rev: number,
  write: () => Promise<void>,
): Promise<boolean> {
  try {
    await write();
  } catch (error) {
    console.warn(`Tollgate recorded revision ${rev} of ${docs.issue.key}, but Jira did not store it yet:`, error);
    // Without the mark, readers would take it for a write in flight and wait out the in-flight window.
    await deps.storage
      .markStalled(docs.issue.id, rev)
      .catch((marking: unknown) => console.warn('Tollgate could not mark the write stalled:', marking));
    return false;
  }
  // The documents are at `rev` now; an unmarked entry under them reads as written (integrity.ts), so a failure to
  // mark it costs nothing but a warning.
  await deps.storage
    .markCommitted(docs.issue.id, rev)
    .catch((marking: unknown) => console.warn(`Tollgate could not mark revision ${rev} committed:`, marking));
  return true;
}

/**
 * Applies one op for a person.
 * @throws {RefusedError} the reducer's refusal; {ForbiddenError | NotFoundError} permissions;
 *   {TamperedError} documents changed outside Tollgate; {ConflictError} when retries could not land the op;
 *   {UnavailableError} when Jira fails before the op is recorded. Every throw means nothing was recorded.
 */
export async function applyOpUseCase(deps: AppDeps, request: ApplyOpRequest): Promise<ApplyOpResult> {
  const settings = await deps.storage.loadSettings();
  const actor = await authorise(deps, settings, request);
  return commitOp(deps, settings, request, actor);
}

/**
 * Records a workflow transition Jira made, for gate compliance. Tollgate itself is the actor: the transition
 * already happened, this only writes down which gate it passed and whether a Go backed it.
 */
export async function recordTransitionUseCase(
  deps: AppDeps,
  request: {
    readonly issueKey: string;
    readonly accountId: string;
    readonly fromStatus: string;
    readonly toStatus: string;
    readonly gateId: string;
  },
): Promise<ApplyOpResult> {
  const settings = await deps.storage.loadSettings();
  const op: OpPayload = {
    type: 'recordTransition',
    fromStatus: request.fromStatus,
    toStatus: request.toStatus,
    gateId: request.gateId,
  };
  return commitOp(
    deps,
    settings,
    { issueKey: request.issueKey, accountId: request.accountId, op },
    { accountId: request.accountId, roles: [], via: 'workflow' },
  );
}

/** The write loop shared by people's ops and the app's own: read, apply, claim, write; retry after losing a claim. */
async function commitOp(
  deps: AppDeps,
  settings: Settings,
  request: { readonly issueKey: string; readonly accountId: string; readonly op: OpPayload },
  actor: OpContext['actor'],
): Promise<ApplyOpResult> {
  const started = Date.parse(deps.clock.now());
  const withinBudget = (tries: number) =>
    tries === 0 || (tries < MAX_ATTEMPTS && Date.parse(deps.clock.now()) - started < CLAIM_RETRY_BUDGET_MS);
  for (let tries = 0; withinBudget(tries); tries += 1) {
    // Back off after losing, so the winner's property writes can land before we read again.
    if (tries > 0) {
      await deps.clock.sleep(Math.min(MAX_CLAIM_BACKOFF_MS, 50 * 2 ** (tries - 1)) + Math.floor(Math.random() * 50));
    }
    const docs = await readProjectDocuments(deps.jira, { as: 'app' }, request.issueKey, configuredFields(settings));
    if (!docs) throw new NotFoundError(`Issue ${request.issueKey} no longer exists.`);
    const outcome = await attempt(deps, settings, request, actor, docs);
    if (outcome !== 'lost') return outcome;
  }
  throw new ConflictError('Too many people changed this project at the same moment. Reload and try again.');
}
