import { DEFAULT_TEMPLATES } from './default-templates';
import { createTranslator } from './messages';
import { localizeTemplate, templateTerms } from './template-words';
import { type StageGateTemplate, TEMPLATE_LOCALES, templateSchema } from './templates';

const COOPER = DEFAULT_TEMPLATES[0] as StageGateTemplate;

/** Every word a template shows: its name, stages, gates, criteria and evidence hints. */
function wordsOf(template: StageGateTemplate): string[] {
  return [
    template.name,
    template.description,
    ...template.stages.flatMap((stage) => [
      stage.name,
      ...(stage.exitGate
        ? [
            stage.exitGate.name,
            ...stage.exitGate.criteria.flatMap((c) => [c.title, ...(c.evidence ? [c.evidence] : [])]),
          ]
        : []),
    ]),
  ];
}

describe('template words', () => {
  it.each(TEMPLATE_LOCALES)('every shipped template has every stage, gate, criterion and hint in %s', (locale) => {
    for (const template of DEFAULT_TEMPLATES) {
      const english = wordsOf(template);
      const local = wordsOf(localizeTemplate(template, locale));
      expect(local).toHaveLength(english.length);
      // Only a brand name may stay as it is in English ("Stage-Gate (Cooper)").
      const unchanged = english.filter((word, i) => local[i] === word && word !== template.name);
      expect(unchanged).toEqual([]);
    }
  });

  it('changes words only: ids, kinds, weights, deciders and statuses stay as they are', () => {
    const strip = (t: StageGateTemplate) =>
      t.stages.map((s) => ({
        id: s.id,
        statuses: s.jiraStatuses,
        gate: s.exitGate && {
          id: s.exitGate.id,
          deciders: s.exitGate.deciders,
          criteria: s.exitGate.criteria.map((c) => [c.id, c.kind, c.weight, c.evidenceRequired]),
        },
      }));
    expect(strip(localizeTemplate(COOPER, 'nb-NO'))).toEqual(strip(COOPER));
    expect(localizeTemplate(COOPER, 'en-US')).toBe(COOPER);
    // Any Norwegian reads Bokmål; an unknown language reads English.
    expect(localizeTemplate(COOPER, 'no-NO').stages[0]?.name).toBe('Utforsking');
    expect(localizeTemplate(COOPER, 'de-DE')).toBe(COOPER);
  });

  it('puts the reader’s names into sentences whose params hold the English ones', () => {
    const terms = templateTerms(DEFAULT_TEMPLATES, 'sv-SE');
    expect(terms['param.gate.Gate 2: Second Screen']).toBe('Grind 2: Andra sållningen');
    expect(terms['param.stage.Delivery stages']).toBe('Leveransfaser');
    const catalog = { 'reason.x': '{gate}: {items}.', ...terms };
    const t = createTranslator('sv-SE', catalog, {}, 'UTC').t;
    expect(
      t('reason.x', { gate: 'Gate 1: Idea Screen', items: 'Fits the portfolio strategy, Market attractiveness' }),
    ).toBe('Grind 1: Idésållning: Passar portföljstrategin, Marknadens attraktivitet.');
    expect(templateTerms(DEFAULT_TEMPLATES, 'en-US')).toEqual({});
  });

  it('drops the words of what the template no longer has, so an edit that removes a criterion still saves', () => {
    const parsed = templateSchema.parse({
      ...COOPER,
      translations: {
        'nb-NO': { stages: { discovery: 'Utforsking', gone: 'Borte' }, criteria: { 'g1-idea-screen/gone': 'X' } },
      },
    });
    expect(parsed.translations['nb-NO']).toEqual({
      stages: { discovery: 'Utforsking' },
      gates: {},
      criteria: {},
      evidence: {},
    });
  });
});
