/**
 * Everything a use case may reach, injected (docs/conventions.md rule 7): the Forge adapters in production, the sandbox
 * or fakes in tests.
 */
import { type Settings, allTemplates } from '../domain/settings';
import { resolveTemplate, type StageGateTemplate, type TemplateRef } from '../domain/templates';
import { type ClockPort, type JiraPort, type QueuePort, type ReadModelPort, type StoragePort } from './ports';

export interface AppDeps {
  readonly jira: JiraPort;
  readonly storage: StoragePort;
  readonly queue: QueuePort;
  readonly readModel: ReadModelPort;
  readonly clock: ClockPort;
}

/** Looks a template version up among the shipped templates and the PMO's own. */
export function templateLookup(settings: Settings): (ref: TemplateRef) => StageGateTemplate | undefined {
  const templates = allTemplates(settings.templates);
  return (ref) => resolveTemplate(templates, ref);
}

/**
 * Fields the settings map, which every registry read must ask for: the custom fields, and the owner field unless it
 * is the assignee (which every read asks for anyway).
 */
export function configuredFields(settings: Settings): string[] {
  const { department, startDate, progress, budget, owner } = settings.fields;
  const custom = [department, startDate, progress, budget?.bac, budget?.pv, budget?.ev, budget?.ac].filter(
    (field): field is string => typeof field === 'string' && field.startsWith('customfield_'),
  );
  return owner === 'assignee' || custom.includes(owner) ? custom : [...custom, owner];
}
