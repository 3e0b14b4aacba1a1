/**
 * Turns what Jira returned for a registry issue into the facts the health rules take. Custom field values are
 * read defensively: a field holding something unexpected is treated as absent, never as a crash.
 */
import { type HealthConfig, type ProjectFacts } from '../domain/health';
import { type ProjectRecord } from '../domain/ops';
import { EMPTY_RAID_LOG } from '../domain/raid';
import { type Settings } from '../domain/settings';
import { type StageGateTemplate, type TemplateRef } from '../domain/templates';
import { type RegistryIssue } from './ports';

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function dateOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/** Select-list custom fields arrive as `{ value }`; text fields as strings. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const option = (value as { value?: unknown } | null)?.value;
  return typeof option === 'string' ? option : undefined;
}

/** A user field (assignee, reporter, a user picker) arrives as `{ accountId, displayName }`. */
function userOf(value: unknown): { readonly accountId: string; readonly name: string | null } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { accountId, displayName } = value as { accountId?: unknown; displayName?: unknown };
  if (typeof accountId !== 'string' || accountId === '') return null;
  return { accountId, name: typeof displayName === 'string' ? displayName : null };
}

/**
 * The project's owner: whoever holds the owner field the settings name (the assignee unless the PMO picked another
 * user field). Separation of duties, the panel, the portfolio's owner column and the macro all read it from here, so
 * the setting means the same everywhere. A field holding something other than a user reads as no owner.
 */
export function projectOwnerOf(
  issue: RegistryIssue,
  settings: Pick<Settings, 'fields'>,
): { readonly accountId: string | null; readonly name: string | null } {
  const field = settings.fields.owner;
  if (field === 'assignee') return { accountId: issue.assigneeAccountId, name: issue.assigneeName };
  const owner = userOf(issue.customFields[field]);
  return owner ?? { accountId: null, name: null };
}

/** The facts of one project; `record` is its trusted (verified or repaired) governance record, if any. */
export function projectFacts(
  issue: RegistryIssue,
  record: ProjectRecord | null,
  settings: Settings,
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): ProjectFacts {
  const fields = settings.fields;
  const custom = issue.customFields;
  const budget = fields.budget;
  const evm = budget
    ? {
        bac: numberOf(custom[budget.bac]),
        pv: numberOf(custom[budget.pv]),
        ev: numberOf(custom[budget.ev]),
        ac: numberOf(custom[budget.ac]),
      }
    : undefined;
  const progress = fields.progress ? numberOf(custom[fields.progress]) : undefined;
  return {
    key: issue.key,
    summary: issue.summary,
    governance: record?.governance ?? null,
    template: record
      ? (templateFor({
          templateId: record.governance.templateId,
          templateVersion: record.governance.templateVersion,
        }) ?? null)
      : null,
    raid: record?.raid ?? EMPTY_RAID_LOG,
    dueDate: dateOf(issue.duedate),
    startDate: fields.startDate ? dateOf(custom[fields.startDate]) : undefined,
    createdAt: issue.created,
    // Progress is entered as a percentage in Jira; the rules take a share.
    progress: progress === undefined ? undefined : Math.min(Math.max(progress > 1 ? progress / 100 : progress, 0), 1),
    evm:
      evm && evm.bac !== undefined && evm.pv !== undefined && evm.ev !== undefined && evm.ac !== undefined
        ? { bac: evm.bac, pv: evm.pv, ev: evm.ev, ac: evm.ac }
        : undefined,
    owner: projectOwnerOf(issue, settings).accountId ?? undefined,
    department: fields.department ? textOf(custom[fields.department]) : undefined,
    jiraStatusCategory: issue.statusCategory,
  };
}

/** The health rules in force. */
export function healthConfigOf(settings: Settings): HealthConfig {
  return settings.health;
}
