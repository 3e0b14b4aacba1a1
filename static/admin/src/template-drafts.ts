/**
 * How the admin page changes templates without ever rewriting one a project may be running on: a shipped template
 * is only cloned (a new id at version 1); a stored custom template is edited as its next version, kept beside the
 * old ones (src/domain/templates.ts). Only a version that has not been saved yet (a draft) is edited in place.
 */
import { DEFAULT_TEMPLATES } from '../../../src/domain/default-templates';
import { allTemplates } from '../../../src/domain/settings';
import { latestTemplates, type StageGateTemplate } from '../../../src/domain/templates';

/** `id@version`, the way a project refers to a template. */
export const refOf = (template: Pick<StageGateTemplate, 'id' | 'version'>): string =>
  `${template.id}@${template.version}`;

const SHIPPED_IDS: ReadonlySet<string> = new Set(DEFAULT_TEMPLATES.map((template) => template.id));

/** A template as the list shows it: its newest version and what may be done with it. */
export interface TemplateEntry {
  readonly template: StageGateTemplate;
  /** Shipped with Tollgate: never edited, only cloned. */
  readonly shipped: boolean;
  /** Every version that exists of this id, oldest first. */
  readonly versions: readonly number[];
  /** The newest version is not saved yet. */
  readonly draft: boolean;
  /** Where the newest version sits in the settings' custom templates (what problem paths count), or -1. */
  readonly index: number;
}

/** Every template id with its newest version, shipped first. */
export function templateEntries(custom: readonly StageGateTemplate[], stored: ReadonlySet<string>): TemplateEntry[] {
  const all = allTemplates(custom);
  return latestTemplates(all).map((template) => ({
    template,
    shipped: SHIPPED_IDS.has(template.id),
    versions: all
      .filter((other) => other.id === template.id)
      .map((other) => other.version)
      .sort((a, b) => a - b),
    draft: !SHIPPED_IDS.has(template.id) && !stored.has(refOf(template)),
    index: custom.findIndex((other) => refOf(other) === refOf(template)),
  }));
}

/** A free template id derived from `sourceId` (`x-copy`, `x-copy-2`, …), within the 40 characters an id may have. */
export function cloneIdFor(sourceId: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n += 1) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    const id = `${sourceId.slice(0, 40 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(id)) return id;
  }
}

/** A copy of `source` under a new id at version 1, appended to the custom templates. */
export function withClone(
  custom: readonly StageGateTemplate[],
  source: StageGateTemplate,
  name: string,
): { templates: StageGateTemplate[]; id: string } {
  const taken = new Set(allTemplates(custom).map((template) => template.id));
  const id = cloneIdFor(source.id, taken);
  return { templates: [...custom, { ...structuredClone(source), id, name: name.slice(0, 80), version: 1 }], id };
}

/**
 * The custom templates with an editable newest version of `id`: the draft itself when there is one, otherwise a new
 * version (old one + 1) appended, so stored versions stay as projects started on them.
 */
export function withEditableVersion(
  custom: readonly StageGateTemplate[],
  stored: ReadonlySet<string>,
  id: string,
): StageGateTemplate[] {
  const latest = latestTemplates(custom).find((template) => template.id === id);
  if (!latest || SHIPPED_IDS.has(id) || !stored.has(refOf(latest))) return [...custom];
  return [...custom, { ...structuredClone(latest), version: latest.version + 1 }];
}

/** The custom templates without the unsaved draft of `id`. */
export function withoutDraft(
  custom: readonly StageGateTemplate[],
  stored: ReadonlySet<string>,
  id: string,
): StageGateTemplate[] {
  return custom.filter((template) => template.id !== id || stored.has(refOf(template)));
}
