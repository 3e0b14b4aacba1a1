/**
 * What the issue panel shows: the project's governance as the ledger vouches for it, its health computed with
 * today's date, and what the viewer may do. Reads run as the viewer, so Jira decides whether they see the issue.
 */
import { ownersDuring, stageEnteredAt } from '../domain/authority';
import { type Readiness, gateReadiness } from '../domain/gates';
import { assessHealth, type ProjectHealth } from '../domain/health';
import { type ProjectRecord } from '../domain/ops';
import { type RiskBandConfig } from '../domain/risk';
import { allTemplates, rolesFor, type Settings } from '../domain/settings';
import { type DeciderRole, findStage, latestTemplates, type StageGateTemplate } from '../domain/templates';
import { dayOf } from '../domain/time';
import { type AppDeps, configuredFields, templateLookup } from './deps';
import { NotFoundError, UnavailableError } from './errors';
import { healthConfigOf, projectFacts, projectOwnerOf } from './facts';
import { assessIntegrity, type IntegrityVerdict } from './integrity';
import { readProjectDocuments } from './project-documents';
import { inRegistry } from './registry';
import { viewerCounterparties } from './viewer-counterparties';

/** Reads while another write is landing are retried this often before the panel says so. */
const IN_FLIGHT_RETRIES = 5;

export interface ProjectView {
  readonly issue: {
    readonly id: string;
    readonly key: string;
    readonly summary: string;
    /** From the owner field the settings name (the assignee by default). */
    readonly ownerAccountId: string | null;
  };
  /**
   * Everyone who owned the project during its current stage, when it decides what the viewer may do: in directive
   * mode, for a viewer who holds a decider role. Null when it was not looked up.
   */
  readonly stageOwners: readonly string[] | null;
  /** The record shown: trusted, repaired in memory, or (when tampered) what is stored, marked as such. */
  readonly record: ProjectRecord | null;
  /** Never `in-flight`: the load waits for a landing write instead. */
  readonly integrity: Exclude<IntegrityVerdict['status'], 'in-flight'>;
  readonly tampered: Extract<IntegrityVerdict, { status: 'tampered' }> | null;
  readonly damage: string | null;
  readonly template: StageGateTemplate | null;
  /** Readiness of the gate that closes the current stage; null at the last stage or without governance. */
  readonly readiness: Readiness | null;
  readonly health: ProjectHealth;
  readonly viewer: { readonly canEdit: boolean; readonly roles: readonly DeciderRole[] };
  readonly mode: Settings['mode'];
  /** The PMO's risk bands, so a surface bands each risk the way health did. */
  readonly riskBands: RiskBandConfig;
  /** The newest version of every shipped and custom template, for starting governance. */
  readonly availableTemplates: readonly StageGateTemplate[];
  /** Whether the registry JQL selects the issue: only registry projects are governed. */
  readonly inRegistry: boolean;
}

/**
 * Loads one project for a viewer.
 * @throws {NotFoundError} when the issue does not exist or the viewer may not see it; {UnavailableError}.
 */
export async function loadProjectUseCase(
  deps: AppDeps,
  request: { readonly accountId: string; readonly issueKey: string },
): Promise<ProjectView> {
  const settings = await deps.storage.loadSettings();
  const lookup = templateLookup(settings);
  for (let tries = 0; tries < IN_FLIGHT_RETRIES; tries += 1) {
    if (tries > 0) await deps.clock.sleep(100 * tries);
    const docs = await readProjectDocuments(
      deps.jira,
      { as: 'user', accountId: request.accountId },
      request.issueKey,
      configuredFields(settings),
    );
    if (!docs)
      throw new NotFoundError(`Issue ${request.issueKey} does not exist or you do not have permission to see it.`);
    const [entries, key, permissions, groups, registered] = await Promise.all([
      deps.storage.ledger(docs.issue.id),
      deps.storage.signingKey(),
      deps.jira.permissionsOn(request.accountId, request.issueKey),
      deps.jira.groupsOf(request.accountId),
      inRegistry(deps.jira, settings.registryJql, docs.issue.id),
    ]);
    const now = deps.clock.now();
    const verdict = assessIntegrity(docs, entries, key, now, lookup);
    if (verdict.status === 'in-flight') continue;
    const record =
      verdict.status === 'tampered' ? verdict.stored : verdict.status === 'damaged' ? null : verdict.record;
    const facts = projectFacts(docs.issue, record, settings, lookup);
    const owner = projectOwnerOf(docs.issue, settings).accountId;
    const roles = rolesFor(groups, settings);
    // Separation of duties keeps former owners from gate calls in directive mode only (docs/pmo-rules.md §7), and
    // only someone with a decider role could make one; for anyone else the history would change nothing shown.
    const stageOwners =
      settings.mode === 'directive' && roles.length > 0 && record && facts.template
        ? ownersDuring(
            owner ?? undefined,
            await deps.jira.fieldChanges(
              { as: 'user', accountId: request.accountId },
              docs.issue.id,
              settings.fields.owner,
            ),
            stageEnteredAt(record.governance, facts.template),
          )
        : null;
    // Red from the projects this one waits on, as far as this person may see them (viewer-counterparties.ts).
    const config = healthConfigOf(settings);
    const standalone = assessHealth(facts, config, dayOf(now));
    const counterparties = await viewerCounterparties(
      deps,
      { as: 'user', accountId: request.accountId },
      standalone.summary.waitsOn,
      new Map([[facts.key, { rag: standalone.overall, waitsOn: standalone.summary.waitsOn }]]),
    );
    const health = assessHealth(facts, config, dayOf(now), counterparties);
    const template = facts.template;
    const gate = record && template ? findStage(template, record.governance.stage)?.exitGate : undefined;
    return {
      issue: {
        id: docs.issue.id,
        key: docs.issue.key,
        summary: docs.issue.summary,
        ownerAccountId: owner,
      },
      stageOwners,
      record,
      integrity: verdict.status,
      tampered: verdict.status === 'tampered' ? verdict : null,
      damage: verdict.status === 'damaged' ? verdict.problem : null,
      template,
      readiness: gate && template && record ? gateReadiness(template, gate, record.governance.gates[gate.id]) : null,
      health,
      viewer: { canEdit: permissions.edit, roles },
      mode: settings.mode,
      riskBands: settings.health.risk.bands,
      availableTemplates: latestTemplates(allTemplates(settings.templates)),
      inRegistry: registered,
    };
  }
  throw new UnavailableError('This project is being changed right now. Reload in a moment.');
}
