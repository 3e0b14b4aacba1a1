/**
 * Stage-gate templates: the standard a PMO asks projects to follow. A template lists the stages in order; every
 * stage but the last ends at a gate, and a gate holds must-meet criteria (yes/no knock-outs) and should-meet
 * criteria (scored and weighted), the evidence each needs, and who may decide (docs/pmo-rules.md §1).
 *
 * Templates are versioned: a project keeps the `templateId@version` it started with, so editing a template never
 * rewrites the rules under a project that is half way through them.
 */
import { z } from 'zod';

/** Who may record a gate decision. The app maps roles to Jira groups in settings. */
export const DECIDER_ROLES = ['pmo', 'sponsor', 'steering-committee', 'project-board'] as const;
export type DeciderRole = (typeof DECIDER_ROLES)[number];

const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lower-case letters, digits and dashes (at most 40)');

export const criterionSchema = z.object({
  id: idSchema,
  title: z.string().trim().min(1).max(200),
  /** must: a knock-out that has to be done (or justified as not applicable); should: scored 0..scoreMax. */
  kind: z.enum(['must', 'should']),
  /** Relative weight of a should-meet criterion in the gate score; ignored for must-meet. */
  weight: z.number().positive().max(100).default(1),
  /** What a gatekeeper expects to see, e.g. "Business case approved by finance (Confluence page)". */
  evidence: z.string().max(300).optional(),
  /** When true, ticking the item needs at least one evidence link. */
  evidenceRequired: z.boolean().default(false),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const gateDefinitionSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(80),
  criteria: z.array(criterionSchema).max(60),
  deciders: z.array(z.enum(DECIDER_ROLES)).min(1),
});
export type GateDefinition = z.infer<typeof gateDefinitionSchema>;

export const stageDefinitionSchema = z.object({
  id: idSchema,
  name: z.string().trim().min(1).max(80),
  /** The gate that ends this stage; absent only on the last stage. */
  exitGate: gateDefinitionSchema.optional(),
  /**
   * The Jira workflow statuses a registry issue sits in during this stage (matched by name, ignoring case). The
   * workflow validator reads the statuses a transition leaves and enters through these to tell which gate it passes,
   * or that it passes none (cancel, close, back a stage). Empty: the stage's own name is its status.
   */
  jiraStatuses: z.array(z.string().trim().min(1).max(255)).max(10).default([]),
});
export type StageDefinition = z.infer<typeof stageDefinitionSchema>;

/** How Jira status names compare: Jira keeps case but people do not type it consistently. */
const statusKey = (name: string): string => name.trim().toLowerCase();

/** The languages a template's own words may be given in besides English, its base text. */
export const TEMPLATE_LOCALES = ['nb-NO', 'sv-SE'] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

const textMap = (max: number) => z.record(z.string().min(1).max(100), z.string().trim().min(1).max(max));

/**
 * A template's words in one more language, by id: its name and description, each stage's and gate's name, and each
 * criterion's title and evidence hint (keyed `gateId/criterionId`, as criterion ids are unique only within a gate).
 * Whatever is missing reads in English.
 */
export const templateTranslationSchema = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    description: z.string().max(500).optional(),
    stages: textMap(80).default({}),
    gates: textMap(80).default({}),
    criteria: textMap(200).default({}),
    evidence: textMap(300).default({}),
  })
  .strict();
export type TemplateTranslation = z.infer<typeof templateTranslationSchema>;

export const templateSchema = z
  .object({
    id: idSchema,
    version: z.number().int().positive(),
    name: z.string().trim().min(1).max(80),
    description: z.string().max(500).default(''),
    stages: z.array(stageDefinitionSchema).min(2).max(12),
    /** Weighted should-meet score (0..1) a gate must reach for Go; 0.6 is our default, not a Cooper constant. */
    passThreshold: z
      .number()
      .min(0, { error: 'the pass mark is a percentage from 0 to 100' })
      .max(1, { error: 'the pass mark is a percentage from 0 to 100' })
      .default(0.6),
    /** Top of the scale each should-meet criterion is scored on. */
    scoreMax: z.number().int().min(1).max(10).default(10),
    translations: z
      .object({ 'nb-NO': templateTranslationSchema.optional(), 'sv-SE': templateTranslationSchema.optional() })
      .strict()
      .default({}),
  })
  .superRefine((template, ctx) => {
    const stageIds = new Set<string>();
    const gateIds = new Set<string>();
    // A status that belonged to two stages would make the validator guess which gate a transition passes.
    const statusOwners = new Map<string, string>();
    template.stages.forEach((stage, index) => {
      for (const status of stage.jiraStatuses.length > 0 ? stage.jiraStatuses : [stage.name]) {
        const owner = statusOwners.get(statusKey(status));
        if (owner !== undefined && owner !== stage.id) {
          ctx.addIssue({ code: 'custom', message: `Jira status "${status}" belongs to two stages` });
        }
        statusOwners.set(statusKey(status), stage.id);
      }
      const last = index === template.stages.length - 1;
      if (stageIds.has(stage.id)) ctx.addIssue({ code: 'custom', message: `stage id "${stage.id}" is used twice` });
      stageIds.add(stage.id);
      if (!last && !stage.exitGate) {
        ctx.addIssue({
          code: 'custom',
          message: `stage "${stage.name}" needs an exit gate (only the last stage has none)`,
        });
      }
      if (last && stage.exitGate) {
        ctx.addIssue({ code: 'custom', message: `the last stage "${stage.name}" cannot have an exit gate` });
      }
      if (stage.exitGate) {
        if (gateIds.has(stage.exitGate.id)) {
          ctx.addIssue({ code: 'custom', message: `gate id "${stage.exitGate.id}" is used twice` });
        }
        gateIds.add(stage.exitGate.id);
        const criterionIds = new Set<string>();
        for (const criterion of stage.exitGate.criteria) {
          if (criterionIds.has(criterion.id)) {
            ctx.addIssue({
              code: 'custom',
              message: `criterion "${criterion.id}" is used twice in gate "${stage.exitGate.name}"`,
            });
          }
          criterionIds.add(criterion.id);
        }
      }
    });
  })
  // A translation keeps only what the template has: when an editor removes a stage or a criterion, its words go with
  // it rather than leaving a save the editor cannot put right.
  .transform((template) => {
    const stages = new Set(template.stages.map((stage) => stage.id));
    const gates = new Set(template.stages.flatMap((stage) => (stage.exitGate ? [stage.exitGate.id] : [])));
    const criteria = new Set(
      template.stages.flatMap((stage) =>
        stage.exitGate ? stage.exitGate.criteria.map((c) => `${stage.exitGate?.id}/${c.id}`) : [],
      ),
    );
    const only = (words: Readonly<Record<string, string>>, ids: ReadonlySet<string>) =>
      Object.fromEntries(Object.entries(words).filter(([id]) => ids.has(id)));
    const translations: Partial<Record<TemplateLocale, TemplateTranslation>> = {};
    for (const locale of TEMPLATE_LOCALES) {
      const words = template.translations[locale];
      if (!words) continue;
      translations[locale] = {
        ...words,
        stages: only(words.stages, stages),
        gates: only(words.gates, gates),
        criteria: only(words.criteria, criteria),
        evidence: only(words.evidence, criteria),
      };
    }
    return { ...template, translations };
  });
export type StageGateTemplate = z.infer<typeof templateSchema>;

/** A template as written by hand, before defaults are filled in. */
export type StageGateTemplateInput = z.input<typeof templateSchema>;

/** The reference a project stores: which template, which version. */
export interface TemplateRef {
  readonly templateId: string;
  readonly templateVersion: number;
}

/** Index of a stage in its template, or -1. */
export function stageIndex(template: StageGateTemplate, stageId: string): number {
  return template.stages.findIndex((stage) => stage.id === stageId);
}

/** The stage with that id, or undefined. */
export function findStage(template: StageGateTemplate, stageId: string): StageDefinition | undefined {
  return template.stages.find((stage) => stage.id === stageId);
}

/**
 * Index of the stage a Jira status belongs to, or -1 when the status is no stage's (Cancelled, Done, On Hold: places
 * outside the lifecycle). A stage without listed statuses is the status of its own name.
 */
export function stageIndexOfStatus(template: StageGateTemplate, statusName: string): number {
  const wanted = statusKey(statusName);
  return template.stages.findIndex((stage) =>
    (stage.jiraStatuses.length > 0 ? stage.jiraStatuses : [stage.name]).some((name) => statusKey(name) === wanted),
  );
}

/** The gate with that id and the stage it closes. */
export function findGate(
  template: StageGateTemplate,
  gateId: string,
): { gate: GateDefinition; stage: StageDefinition; stageIndex: number } | undefined {
  const index = template.stages.findIndex((stage) => stage.exitGate?.id === gateId);
  const stage = template.stages[index];
  return stage?.exitGate ? { gate: stage.exitGate, stage, stageIndex: index } : undefined;
}

/** The stage after `stageId`, or undefined at the last stage. */
export function nextStage(template: StageGateTemplate, stageId: string): StageDefinition | undefined {
  const index = stageIndex(template, stageId);
  return index < 0 ? undefined : template.stages[index + 1];
}

/** Every gate in order. */
export function gatesOf(template: StageGateTemplate): GateDefinition[] {
  return template.stages.flatMap((stage) => (stage.exitGate ? [stage.exitGate] : []));
}

/**
 * Validates a template and fills its defaults; refuses with every problem listed.
 * @throws never: returns the zod result so callers can show the problems inline.
 */
export function parseTemplate(input: unknown): z.ZodSafeParseResult<StageGateTemplate> {
  return templateSchema.safeParse(input);
}

/** A new version of a template: same id, version + 1; the caller stores it beside the old versions. */
export function nextTemplateVersion(
  current: StageGateTemplate,
  changes: Partial<StageGateTemplateInput>,
): StageGateTemplate {
  return templateSchema.parse({ ...current, ...changes, id: current.id, version: current.version + 1 });
}

/** A copy under a new id at version 1, for a PMO that wants its own variant of a shipped template. */
export function cloneTemplate(source: StageGateTemplate, id: string, name: string): StageGateTemplate {
  return templateSchema.parse({ ...source, id, name, version: 1 });
}

/** Finds the exact version a project started with among all stored versions. */
export function resolveTemplate(
  templates: readonly StageGateTemplate[],
  ref: TemplateRef,
): StageGateTemplate | undefined {
  return templates.find((t) => t.id === ref.templateId && t.version === ref.templateVersion);
}

/** The newest version of each template id, for "start a project on template X". */
export function latestTemplates(templates: readonly StageGateTemplate[]): StageGateTemplate[] {
  const latest = new Map<string, StageGateTemplate>();
  for (const template of templates) {
    const seen = latest.get(template.id);
    if (!seen || seen.version < template.version) latest.set(template.id, template);
  }
  return [...latest.values()];
}
