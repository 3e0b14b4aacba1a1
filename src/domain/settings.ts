/**
 * The PMO's settings, kept by the app (Forge storage, not an issue property: only admins change them, through the
 * app). One versioned document: which issues form the registry, which templates exist, how health is judged, how
 * hard gates are enforced, and which Jira groups hold which decider roles.
 */
import { z } from 'zod';
import { DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATES } from './default-templates';
import { ENFORCEMENT_MODES } from './enforcement';
import { healthConfigSchema } from './health';
import { type DeciderRole, type StageGateTemplate, templateSchema } from './templates';
import { hasVisibleText, INVISIBLE_TEXT_MESSAGE } from './text';

const groupName = z.string().trim().min(1).max(255);
const fieldId = z
  .string()
  .regex(
    /^(customfield_\d{5,6}|duedate|assignee|reporter|created|labels|components)$/,
    'a Jira field id such as duedate or customfield_10042',
  );

export const settingsSchema = z
  .object({
    /** Bumped on every save; a save based on an older version is refused so two admins never overwrite each other. */
    version: z.number().int().min(0).default(0),
    /** JQL that selects the registry. Jira refuses unbounded queries, so it needs a restriction (usually a project). */
    registryJql: z.string().trim().min(1).max(2000).default('project = PMO AND issuetype = Project ORDER BY key'),
    defaultTemplateId: z.string().default(DEFAULT_TEMPLATE_ID),
    /** Templates the PMO made or edited, every version kept; the shipped ones are always available too. */
    templates: z.array(templateSchema).max(100).default([]),
    mode: z.enum(ENFORCEMENT_MODES).default('supportive'),
    /** Members of this Jira group hold the `pmo` role: they decide gates and may override readiness. */
    pmoGroup: groupName.default('tollgate-pmo'),
    /** Optional groups for the other decider roles. */
    roleGroups: z
      .object({
        sponsor: groupName.optional(),
        'steering-committee': groupName.optional(),
        'project-board': groupName.optional(),
      })
      .default({}),
    /** Which Jira fields hold the facts health needs beyond Tollgate's own documents. */
    fields: z
      .object({
        owner: fieldId.default('assignee'),
        department: fieldId.optional(),
        startDate: fieldId.optional(),
        progress: fieldId.optional(),
        budget: z.object({ bac: fieldId, pv: fieldId, ev: fieldId, ac: fieldId }).optional(),
      })
      .prefault({}),
    health: healthConfigSchema.prefault({}),
    /**
     * How much of the app's Jira quota one person's portfolio reads may spend in an hour (src/app/points-allowance.ts).
     * The default is a tenth of Tier 1's hour (65,000 points for the app across every installation); a site whose app
     * has Tier 2 quotas may allow more.
     */
    quota: z.object({ personHourlyPoints: z.number().int().min(500).max(1_000_000).default(6_500) }).prefault({}),
  })
  .superRefine((settings, ctx) => {
    const all = allTemplates(settings.templates);
    const seen = new Set<string>();
    for (const template of all) {
      const ref = `${template.id}@${template.version}`;
      if (seen.has(ref)) ctx.addIssue({ code: 'custom', path: ['templates'], message: `template ${ref} exists twice` });
      seen.add(ref);
    }
    if (!all.some((t) => t.id === settings.defaultTemplateId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultTemplateId'],
        message: `no template has the id "${settings.defaultTemplateId}"`,
      });
    }
  });
export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** What a new installation starts with. */
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Forge KVS keeps at most 240 KiB in one value (docs/platform.md §3), and the settings are one value. */
export const SETTINGS_STORAGE_LIMIT_BYTES = 240 * 1024;

/**
 * The bytes the settings take in Forge storage: their JSON in UTF-8, as KVS measures a value, with the longest
 * version number a save could give them so that the check never passes a document the write then refuses.
 */
export function storedSettingsBytes(settings: Settings): number {
  return new TextEncoder().encode(JSON.stringify({ ...settings, version: Number.MAX_SAFE_INTEGER })).length;
}

/**
 * Why the settings cannot be stored, or null when they fit: every template version is kept in the one value, so a
 * PMO that adds long checklists reaches the limit with counts and lengths that are each within bounds.
 */
export function settingsSizeProblem(
  settings: Settings,
): { readonly message: string; readonly size: number; readonly limit: number } | null {
  const bytes = storedSettingsBytes(settings);
  if (bytes <= SETTINGS_STORAGE_LIMIT_BYTES) return null;
  const size = Math.ceil(bytes / 1024);
  const limit = SETTINGS_STORAGE_LIMIT_BYTES / 1024;
  return {
    size,
    limit,
    message: `the settings would take ${size} KiB in Forge storage, more than the ${limit} KiB it keeps in one value; make the templates smaller (fewer or shorter criteria and evidence hints) and save again`,
  };
}

/** Fields that hold one person: the assignee, the reporter, or a user-picker custom field. */
const OWNER_FIELD = /^(assignee|reporter|customfield_\d{5,6})$/;
const OWNER_FIELD_MESSAGE = 'the owner must be a user field: assignee, reporter or a user-picker custom field';

/**
 * The settings as an admin may save them now. On top of settingsSchema, which must go on reading every version
 * saved before (unreadable settings fall back to the defaults), every name a template gives a person to read has
 * something visible in it, the owner field names a person, and the whole document fits one storage value.
 */
export const enteredSettingsSchema = settingsSchema.superRefine((settings, ctx) => {
  const name = (text: string, path: Array<string | number>) => {
    if (!hasVisibleText(text)) ctx.addIssue({ code: 'custom', path, message: INVISIBLE_TEXT_MESSAGE });
  };
  settings.templates.forEach((template, t) => {
    name(template.name, ['templates', t, 'name']);
    template.stages.forEach((stage, s) => {
      const at = ['templates', t, 'stages', s];
      name(stage.name, [...at, 'name']);
      if (!stage.exitGate) return;
      name(stage.exitGate.name, [...at, 'exitGate', 'name']);
      stage.exitGate.criteria.forEach((criterion, c) =>
        name(criterion.title, [...at, 'exitGate', 'criteria', c, 'title']),
      );
    });
  });
  name(settings.pmoGroup, ['pmoGroup']);
  for (const [role, group] of Object.entries(settings.roleGroups)) {
    if (group !== undefined) name(group, ['roleGroups', role]);
  }
  // The owner is who separation of duties keeps from deciding, so the field must name a person (authority.ts).
  if (!OWNER_FIELD.test(settings.fields.owner)) {
    ctx.addIssue({ code: 'custom', path: ['fields', 'owner'], message: OWNER_FIELD_MESSAGE });
  }
  const tooLarge = settingsSizeProblem(settings);
  if (tooLarge) ctx.addIssue({ code: 'custom', path: ['templates'], message: tooLarge.message });
});

/** The shipped templates plus the PMO's own, every version. */
export function allTemplates(custom: readonly StageGateTemplate[]): StageGateTemplate[] {
  return [...DEFAULT_TEMPLATES, ...custom];
}

/** The decider roles a person holds, from the Jira groups they are in. */
export function rolesFor(
  groups: readonly string[],
  settings: Pick<Settings, 'pmoGroup' | 'roleGroups'>,
): DeciderRole[] {
  const roles: DeciderRole[] = [];
  if (groups.includes(settings.pmoGroup)) roles.push('pmo');
  for (const [role, group] of Object.entries(settings.roleGroups) as Array<[DeciderRole, string | undefined]>) {
    if (group && groups.includes(group)) roles.push(role);
  }
  return roles;
}

/** Each group the settings give a decider role to, with the role and the setting's path (for a form's problems). */
export function roleGroupsOf(
  settings: Pick<Settings, 'pmoGroup' | 'roleGroups'>,
): Array<{ readonly role: DeciderRole; readonly group: string; readonly path: string }> {
  const named = Object.entries(settings.roleGroups) as Array<[DeciderRole, string | undefined]>;
  return [
    { role: 'pmo' as const, group: settings.pmoGroup, path: 'pmoGroup' },
    ...named.flatMap(([role, group]) => (group ? [{ role, group, path: `roleGroups.${role}` }] : [])),
  ];
}

/**
 * Names Atlassian gives the groups that hold product or site access, which every user is put in (`jira-users`,
 * `jira-software-users`, `confluence-users`, `site-users`, and their `-<site>` variants on newer sites). A decider
 * role given to one of them is given to everyone.
 */
const ALL_USERS_GROUP =
  /^(?:users|everyone|all-users|site-users|(?:jira|confluence)(?:-[a-z]+)*-users(?:-[a-z0-9][a-z0-9-]*)?)$/i;

/** Whether a group's name says it holds every user of the site (see ALL_USERS_GROUP). */
export function looksLikeEveryone(groupName: string): boolean {
  return ALL_USERS_GROUP.test(groupName.trim());
}
