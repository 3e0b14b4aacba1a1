/**
 * The admin page's resolver: Tollgate's settings, loaded, previewed and saved, and the state of its portfolio view. Each key validates its payload,
 * calls one use case and answers with the envelope; the bodies are exported so tests can call them with the sandbox.
 */
import Resolver from '@forge/resolver';
import { forgeDeps } from '../adapters/forge-deps';
import { type AppDeps } from '../app/deps';
import { readModelStatusUseCase, recheckReadModelUseCase } from '../app/read-model-use-case';
import { checkJqlUseCase, loadSettingsUseCase, saveSettingsUseCase } from '../app/settings-use-case';
import {
  jqlPreviewPayloadSchema,
  type JqlPreviewResult,
  readModelPayloadSchema,
  type ReadModelRecheckResult,
  type ReadModelStatus,
  type SettingsLoadResult,
  settingsLoadPayloadSchema,
  type SettingsSaveResult,
  settingsSavePayloadSchema,
  type SettingsValues,
} from '../contract/admin';
import { type ResolverResponse } from '../contract/envelope';
import { type Settings } from '../domain/settings';
import { respond, type ResolverRequest } from './respond';

/** The settings without their version, which the envelope carries on its own. */
function valuesOf({ version: _version, ...values }: Settings): SettingsValues {
  return values;
}

/**
 * `settings/load`: settings, version, templates and whether the caller may save; FORBIDDEN unless the caller is a
 * Jira administrator or in the PMO group.
 * @throws never (errors are answered in the envelope).
 */
export function loadSettings(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<SettingsLoadResult>> {
  return respond(request, settingsLoadPayloadSchema, async (_payload, accountId) => {
    const loaded = await loadSettingsUseCase(deps, { accountId });
    return {
      settings: valuesOf(loaded.settings),
      version: loaded.settings.version,
      templates: loaded.templates.map((template) => ({
        id: template.id,
        version: template.version,
        name: template.name,
        description: template.description,
        shipped: loaded.shippedTemplateIds.includes(template.id),
        stageNames: template.stages.map((stage) => stage.name),
      })),
      isAdmin: loaded.isAdmin,
    };
  });
}

/**
 * `settings/save`: INVALID_PAYLOAD with every problem for settings the schema refuses, JQL Jira refuses or a role
 * group Jira does not have, FORBIDDEN for anyone but a Jira administrator, CONFLICT when someone saved since the form
 * was loaded; a save answers with warnings about role groups that hold everyone.
 * @throws never (errors are answered in the envelope).
 */
export function saveSettings(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<SettingsSaveResult>> {
  return respond(request, settingsSavePayloadSchema, async ({ expectedVersion, settings }, accountId) => {
    const saved = await saveSettingsUseCase(deps, { accountId, expectedVersion, settings });
    return {
      version: saved.settings.version,
      settings: valuesOf(saved.settings),
      registryMatches: saved.registryMatches,
      warnings: saved.warnings.map((warning) => ({ ...warning, count: warning.count ?? null })),
    };
  });
}

/**
 * `settings/previewJql`: how many issues a registry query matches, or Jira's reason for refusing it. It counts as
 * the app, so only Jira administrators and the PMO may ask; it stores nothing.
 * @throws never (errors are answered in the envelope).
 */
export function previewJql(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<JqlPreviewResult>> {
  return respond(request, jqlPreviewPayloadSchema, ({ jql }, accountId) => checkJqlUseCase(deps, { accountId, jql }));
}

/**
 * `readModel/status`: how many projects Tollgate's portfolio view holds and since when all were checked against
 * Jira; FORBIDDEN unless the caller is a Jira administrator or in the PMO group.
 * @throws never (errors are answered in the envelope).
 */
export function readModelStatus(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<ReadModelStatus>> {
  return respond(request, readModelPayloadSchema, (_payload, accountId) => readModelStatusUseCase(deps, { accountId }));
}

/**
 * `readModel/recheck`: queues every registry project to be checked against Jira again; FORBIDDEN as above, REFUSED
 * while the last full check is minutes old.
 * @throws never (errors are answered in the envelope).
 */
export function readModelRecheck(
  request: ResolverRequest,
  deps: AppDeps,
): Promise<ResolverResponse<ReadModelRecheckResult>> {
  return respond(request, readModelPayloadSchema, (_payload, accountId) =>
    recheckReadModelUseCase(deps, { accountId }),
  );
}

const resolver = new Resolver();
resolver.define('settings/load', (request: ResolverRequest) => loadSettings(request, forgeDeps()));
resolver.define('settings/save', (request: ResolverRequest) => saveSettings(request, forgeDeps()));
resolver.define('settings/previewJql', (request: ResolverRequest) => previewJql(request, forgeDeps()));
resolver.define('readModel/status', (request: ResolverRequest) => readModelStatus(request, forgeDeps()));
resolver.define('readModel/recheck', (request: ResolverRequest) => readModelRecheck(request, forgeDeps()));

/** The admin page's resolver, for a `function` whose handler a `jira:adminPage` module names. */
export default resolver.getDefinitions();
