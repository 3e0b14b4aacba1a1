/**
 * The PMO's settings: who may read and change them, and the checks a save passes before it is stored. Settings need
 * a Jira administrator (docs/architecture.md §4); the registry JQL is tried in Jira as the admin before it is saved,
 * because a query Jira refuses would leave every surface empty until someone noticed.
 */
import { DEFAULT_TEMPLATES } from '../domain/default-templates';
import { sameJson } from '../domain/documents/canonical-json';
import {
  allTemplates,
  looksLikeEveryone,
  roleGroupsOf,
  rolesFor,
  type Settings,
  settingsSizeProblem,
} from '../domain/settings';
import { type DeciderRole, latestTemplates, type StageGateTemplate } from '../domain/templates';
import { type AppDeps } from './deps';
import { ConflictError, ForbiddenError, JiraRejectedError, TollgateError } from './errors';
import { scheduleReconciliationUseCase } from './reconciliation-use-case';

/** Settings as a reader gets them. */
export interface LoadedSettings {
  readonly settings: Settings;
  /** The newest version of every template id, shipped and custom. */
  readonly templates: readonly StageGateTemplate[];
  /** Ids of the templates Tollgate ships, which are always available. */
  readonly shippedTemplateIds: readonly string[];
  readonly isAdmin: boolean;
}

/** What a JQL query does in Jira for one person. */
export type JqlCheck =
  { readonly valid: true; readonly count: number } | { readonly valid: false; readonly message: string };

/** The settings, for a Jira administrator or a member of the PMO group; anyone else is refused. */
export async function requireAdminOrPmo(
  deps: AppDeps,
  accountId: string,
): Promise<{ settings: Settings; isAdmin: boolean }> {
  const [settings, isAdmin] = await Promise.all([deps.storage.loadSettings(), deps.jira.isAdmin(accountId)]);
  if (!isAdmin && !rolesFor(await deps.jira.groupsOf(accountId), settings).includes('pmo')) {
    throw new ForbiddenError(
      `Only Jira administrators and members of the PMO group (${settings.pmoGroup}) can see Tollgate's settings.`,
    );
  }
  return { settings, isAdmin };
}

/**
 * Loads the settings for a Jira administrator, or read-only for a member of the PMO group, whose rules these are.
 * @throws {ForbiddenError} for anyone else: the registry JQL and group names are the PMO's business.
 */
export async function loadSettingsUseCase(
  deps: AppDeps,
  request: { readonly accountId: string },
): Promise<LoadedSettings> {
  const { settings, isAdmin } = await requireAdminOrPmo(deps, request.accountId);
  return {
    settings,
    templates: latestTemplates(allTemplates(settings.templates)),
    shippedTemplateIds: DEFAULT_TEMPLATES.map((template) => template.id),
    isAdmin,
  };
}

/**
 * Tries a registry query in Jira: one search page of one issue, which refuses a query exactly as the registry search
 * will, then Jira's approximate count (the search no longer returns totals). Nothing is stored. It runs as the app:
 * the registry is what the app governs (its daily run reads it as the app), so an admin who cannot browse a
 * confidential project can still keep it in the registry; each person still sees only their part of it, because
 * every read for a person runs as that person.
 * @see
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-approximate-count-post
 * @throws {ForbiddenError | UnavailableError} when Jira cannot be asked; a query Jira refuses is a result, not an
 * error.
 */
export async function checkJqlUseCase(
  deps: AppDeps,
  request: { readonly accountId: string; readonly jql: string },
): Promise<JqlCheck> {
  // Counting as the app would tell anyone how many issues match in projects they cannot see: admins and the PMO only.
  await requireAdminOrPmo(deps, request.accountId);
  const acting = { as: 'app' } as const;
  try {
    await deps.jira.searchPage(acting, { jql: request.jql, fields: [], properties: [], maxResults: 1 });
    return { valid: true, count: await deps.jira.approximateCount(acting, request.jql) };
  } catch (error) {
    if (error instanceof JiraRejectedError) return { valid: false, message: error.message };
    throw error;
  }
}

/**
 * A setting saved as asked but worth a second look: a decider role given to a group that holds every user (by its
 * name, `defaultGroup`, or by its members, `everyone`), which makes everyone on the site a decider.
 */
export interface SettingsWarning {
  readonly code: 'defaultGroup' | 'everyone';
  readonly group: string;
  readonly role: DeciderRole;
  /** For `everyone`: how many active people the site (and so the group) has. */
  readonly count?: number;
}

/**
 * Checks every group the settings give a role to, as the admin saving them (Browse users and groups): one Jira has no
 * group by refuses the save, because nobody would hold the role and nothing would say so; one that holds everyone is
 * saved with a warning, because an admin may mean it (a small site) but a PMO lead by default is rarely intended.
 * @throws {TollgateError} INVALID_PAYLOAD naming each missing group · {ForbiddenError | UnavailableError}.
 */
async function checkRoleGroups(deps: AppDeps, accountId: string, settings: Settings): Promise<SettingsWarning[]> {
  const acting = { as: 'user', accountId } as const;
  const members = new Map<string, number | null>();
  const problems: string[] = [];
  const warnings: SettingsWarning[] = [];
  for (const { role, group, path } of roleGroupsOf(settings)) {
    if (!members.has(group)) members.set(group, await deps.jira.groupMemberCount(acting, group));
    const count = members.get(group) ?? null;
    if (count === null) {
      problems.push(`${path}: no Jira group is named "${group}"`);
    } else if (looksLikeEveryone(group)) {
      warnings.push({ code: 'defaultGroup', group, role });
    } else if (count > 0) {
      // Counting stops once the site has more people than the group, so a small group costs one page.
      const people = await deps.jira.countActivePeople(acting, count);
      if (people <= count) warnings.push({ code: 'everyone', group, role, count: people });
    }
  }
  if (problems.length > 0) {
    throw new TollgateError(
      'INVALID_PAYLOAD',
      `Tollgate did not save the settings: ${problems.join('; ')}. Check the group names; nothing was saved.`,
      undefined,
      problems,
    );
  }
  return warnings;
}

/** Whether projects are chosen or judged differently: anything but the version and the quota allowance. */
function judgesDifferently(before: Settings, after: Settings): boolean {
  const judged = ({ version: _version, quota: _quota, ...rest }: Settings) => rest;
  return !sameJson(judged(before), judged(after));
}

/**
 * After the registry, a template or a rule changed, every registry project and read-model row is read again from Jira
 * and judged under the new settings: the reconciliation, through the queue and paced. Best effort: the settings are
 * saved, and the weekly reconciliation catches up if queueing failed.
 */
async function reconcileRegistry(deps: AppDeps): Promise<void> {
  try {
    await scheduleReconciliationUseCase(deps, { listRegistry: true });
  } catch (error) {
    console.warn('Tollgate saved the settings but could not queue the registry to be judged again:', error);
  }
}

/**
 * Saves new settings for a Jira administrator when they were based on the stored version, the registry JQL works in
 * Jira and every role's group exists; returns the version stored, how many issues the JQL matches and warnings about
 * groups that hold everyone. A change to how projects are chosen or judged queues the registry to be judged again.
 * @throws {ForbiddenError} not a Jira administrator · {TollgateError} INVALID_PAYLOAD when Jira refuses the JQL or
 *   the settings are larger than Forge storage keeps in one value (nothing saved) · {ConflictError} when someone
 *   saved since `expectedVersion` · {UnavailableError}.
 */
export async function saveSettingsUseCase(
  deps: AppDeps,
  request: { readonly accountId: string; readonly expectedVersion: number; readonly settings: Settings },
): Promise<{
  readonly settings: Settings;
  readonly registryMatches: number;
  readonly warnings: readonly SettingsWarning[];
}> {
  const { accountId, expectedVersion } = request;
  if (!(await deps.jira.isAdmin(accountId))) {
    throw new ForbiddenError("Only Jira administrators can change Tollgate's settings.");
  }
  // The bridge schema measures too; measured here as well so no caller can reach KVS's own refusal, which would
  // answer INTERNAL instead of naming the limit.
  const tooLarge = settingsSizeProblem(request.settings);
  if (tooLarge) {
    throw new TollgateError('INVALID_PAYLOAD', `Tollgate did not save the settings: ${tooLarge.message}.`, {
      key: 'admin.problem.tooLarge',
      params: { size: tooLarge.size, limit: tooLarge.limit },
    });
  }
  const stale = (version: number) =>
    new ConflictError(
      `Someone saved Tollgate's settings after you loaded them (version ${version}, yours was ${expectedVersion}). Reload, redo your changes and save again.`,
    );
  // Checked before asking Jira, so a stale form is refused at once rather than after a JQL round trip.
  const current = await deps.storage.loadSettings();
  if (current.version !== expectedVersion) throw stale(current.version);
  const jql = await checkJqlUseCase(deps, { accountId, jql: request.settings.registryJql });
  if (!jql.valid) {
    throw new TollgateError(
      'INVALID_PAYLOAD',
      `Jira does not accept the registry JQL: ${jql.message} Fix the query and save again; nothing was saved.`,
    );
  }
  const warnings = await checkRoleGroups(deps, accountId, request.settings);
  const settings = { ...request.settings, version: expectedVersion };
  if (!(await deps.storage.saveSettings(settings, expectedVersion))) {
    throw stale((await deps.storage.loadSettings()).version);
  }
  if (judgesDifferently(current, settings)) await reconcileRegistry(deps);
  return { settings: { ...settings, version: expectedVersion + 1 }, registryMatches: jql.count, warnings };
}
