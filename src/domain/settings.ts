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
