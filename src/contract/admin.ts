/**
 * The admin page's bridge contract: Tollgate's settings, loaded, validated, previewed and saved. static/ imports this
 * (never the reverse, docs/conventions.md rule 11) and can run the save schema on the form itself, so the problems an
 * admin sees while typing are exactly the ones the server would answer with.
 */
import { z } from 'zod';
import { enteredSettingsSchema, type Settings, type SettingsInput } from '../domain/settings';
import { type DeciderRole } from '../domain/templates';

/** `settings/load`: nothing. */
export const settingsLoadPayloadSchema = z.strictObject({});
export type SettingsLoadPayload = z.input<typeof settingsLoadPayloadSchema>;

/** Every setting but `version`, which only the server moves. */
export type SettingsValues = Omit<Settings, 'version'>;

/** A template an admin can pick as the default, in its newest version. */
export interface TemplateSummary {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  /** Shipped with Tollgate (and so always available) rather than made by this PMO. */
  readonly shipped: boolean;
  readonly stageNames: readonly string[];
}

/** `settings/load` answers with the settings, their version, the templates and whether the caller may save. */
export interface SettingsLoadResult {
  readonly settings: SettingsValues;
  /** Send it back as `expectedVersion` when saving, so a save never overwrites someone else's. */
  readonly version: number;
  /** The newest version of every template id, shipped and custom. */
  readonly templates: readonly TemplateSummary[];
  /** Only Jira administrators may save; members of the PMO group see the settings read-only. */
  readonly isAdmin: boolean;
}

/** `settings/save` as the admin page sends it: the settings as loaded (and edited) plus the version they came from. */
export type SettingsSavePayload = Omit<SettingsInput, 'version'> & { readonly expectedVersion: number };

/** Settings with unknown keys refused rather than dropped: a misspelt key would otherwise save its default. */
const strictSettingsSchema = enteredSettingsSchema.strict();

/**
 * Validates a save with enteredSettingsSchema (visible names, a size Forge storage can keep) and turns it into
 * `{ expectedVersion, settings }`. Every problem is reported at once, with the path of the field it belongs to.
 */
export const settingsSavePayloadSchema = z
  .looseObject({ expectedVersion: z.number().int().min(0) })
  .transform((payload, ctx) => {
    const { expectedVersion, ...input } = payload;
    if ('version' in input) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: 'send the version you loaded as expectedVersion; the server sets version',
      });
      return z.NEVER;
    }
    const parsed = strictSettingsSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
      }
      return z.NEVER;
    }
    return { expectedVersion, settings: parsed.data };
  });

/**
 * A saved setting worth a second look: a decider role given to a group that holds every user, by its name
 * (`defaultGroup`: jira-users and the like) or by its members (`everyone`, with how many people that is). The page
 * shows `admin.save.warning.<code>`.
 */
export interface SettingsWarningView {
  readonly code: 'defaultGroup' | 'everyone';
  readonly group: string;
  readonly role: DeciderRole;
  readonly count: number | null;
}

/** `settings/save` answers with the version now stored, the settings as stored and how many issues the JQL matches. */
export interface SettingsSaveResult {
  readonly version: number;
  readonly settings: SettingsValues;
  /** Jira's approximate count of the registry JQL's matches, as the admin sees them. */
  readonly registryMatches: number;
  /** Saved, but these groups make everyone a decider; empty when nothing needs a second look. */
  readonly warnings: readonly SettingsWarningView[];
}

/** `settings/previewJql`: a query to try before saving. */
export const jqlPreviewPayloadSchema = z.strictObject({ jql: z.string().trim().min(1).max(2000) });
export type JqlPreviewPayload = z.input<typeof jqlPreviewPayloadSchema>;

/** Either how many issues the query matches (as the admin sees them) or why Jira refuses it, in Jira's words. */
export type JqlPreviewResult =
  { readonly valid: true; readonly count: number } | { readonly valid: false; readonly message: string };

/** `readModel/status` and `readModel/recheck`: nothing. */
export const readModelPayloadSchema = z.strictObject({});
export type ReadModelPayload = z.input<typeof readModelPayloadSchema>;

/** How current Tollgate's portfolio view (its read model) is: what the admin page shows above the settings. */
export interface ReadModelStatus {
  /** Projects the view holds, whoever may see them (only Jira administrators and the PMO are told). */
  readonly projects: number;
  /** When the least recently checked project was last checked against Jira; null when the view is empty. */
  readonly checkedSince: string | null;
  /** When a full check may next be asked for (one ran in the last minutes); null when it may be asked for now. */
  readonly recheckFrom: string | null;
}

/** `readModel/recheck`: every registry project queued to be checked against Jira again. */
export interface ReadModelRecheckResult {
  readonly queued: number;
}

/** Each key the admin resolver defines with its payload and the envelope's `data` (keys are written as literals). */
export interface AdminCalls {
  readonly 'settings/load': { readonly payload: SettingsLoadPayload; readonly data: SettingsLoadResult };
  readonly 'settings/save': { readonly payload: SettingsSavePayload; readonly data: SettingsSaveResult };
  readonly 'settings/previewJql': { readonly payload: JqlPreviewPayload; readonly data: JqlPreviewResult };
  readonly 'readModel/status': { readonly payload: ReadModelPayload; readonly data: ReadModelStatus };
  readonly 'readModel/recheck': { readonly payload: ReadModelPayload; readonly data: ReadModelRecheckResult };
}
