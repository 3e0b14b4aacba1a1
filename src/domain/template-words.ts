/**
 * A template in the reader's language. A template's names, titles and hints are written in English (its base text)
 * and may carry translations (templates.ts `translations`); the shipped templates carry nb and sv.
 *
 * Two uses: `localizeTemplate` gives a surface the template to show (ids unchanged, so what the reader does with it
 * is the same), and `templateTerms` gives the catalog entries that put the reader's names into sentences whose
 * params hold the English ones (a health reason's `{gate}`, `{stage}`, `{template}`, `{items}`; the translator looks
 * up `param.<name>.<value>`, messages.ts), and that a surface showing a stored English name looks up (`term`).
 */
import { type Catalog, catalogLocale } from './messages';
import { type StageGateTemplate, TEMPLATE_LOCALES, type TemplateLocale, type TemplateTranslation } from './templates';

function translationOf(template: StageGateTemplate, locale: string): TemplateTranslation | undefined {
  const catalog = catalogLocale(locale);
  return (TEMPLATE_LOCALES as readonly string[]).includes(catalog)
    ? template.translations[catalog as TemplateLocale]
    : undefined;
}

/** The template with its words in the reader's language where it has them; structure and ids are untouched. */
export function localizeTemplate(template: StageGateTemplate, locale: string): StageGateTemplate {
  const words = translationOf(template, locale);
  if (!words) return template;
  return {
    ...template,
    name: words.name ?? template.name,
    description: words.description ?? template.description,
    stages: template.stages.map((stage) => ({
      ...stage,
      name: words.stages[stage.id] ?? stage.name,
      ...(stage.exitGate
        ? {
            exitGate: {
              ...stage.exitGate,
              name: words.gates[stage.exitGate.id] ?? stage.exitGate.name,
              criteria: stage.exitGate.criteria.map((criterion) => {
                const id = `${stage.exitGate?.id}/${criterion.id}`;
                const evidence = words.evidence[id] ?? criterion.evidence;
                return {
                  ...criterion,
                  title: words.criteria[id] ?? criterion.title,
                  ...(evidence === undefined ? {} : { evidence }),
                };
              }),
            },
          }
        : {}),
    })),
  };
}

/**
 * Catalog entries naming every template's template, stage, gate and criterion in the reader's language, keyed by its
 * English text: `param.stage.Discovery` → "Utforsking". Empty for English. Where two templates give one English name
 * two translations, the first template's wins.
 */
export function templateTerms(templates: readonly StageGateTemplate[], locale: string): Catalog {
  const terms: Record<string, string> = {};
  const add = (kind: string, english: string, translated: string) => {
    if (english !== translated) terms[`param.${kind}.${english}`] ??= translated;
  };
  for (const template of templates) {
    if (!translationOf(template, locale)) continue;
    const shown = localizeTemplate(template, locale);
    add('template', template.name, shown.name);
    template.stages.forEach((stage, s) => {
      const local = shown.stages[s];
      if (!local) return;
      add('stage', stage.name, local.name);
      if (!stage.exitGate || !local.exitGate) return;
      add('gate', stage.exitGate.name, local.exitGate.name);
      stage.exitGate.criteria.forEach((criterion, c) => {
        const title = local.exitGate?.criteria[c]?.title;
        if (title !== undefined) add('items', criterion.title, title);
      });
    });
  }
  return terms;
}
