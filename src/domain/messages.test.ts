import { catalogLocale, createTranslator, formatMessage } from './messages';

const EN = { 'budget.over': 'Forecast {eac} against a budget of {bac}, due {due}.', 'param.aspect.cost': 'cost' };
const NB = { 'budget.over': 'Prognose {eac} mot et budsjett på {bac}, frist {due}.', 'param.aspect.cost': 'kostnad' };

describe('messages', () => {
  it('fills placeholders with values as given when no reader is named', () => {
    expect(formatMessage(EN, 'budget.over', { eac: 2056600, bac: 1420000, due: '2026-11-12' })).toBe(
      'Forecast 2056600 against a budget of 1420000, due 2026-11-12.',
    );
  });

  it('writes figures and days inside a sentence as the reader writes them', () => {
    const params = { eac: 2056600.5, bac: 1420000, due: '2026-11-12' };
    expect(createTranslator('en-US', EN, EN, 'UTC').t('budget.over', params)).toBe(
      'Forecast 2,056,600.5 against a budget of 1,420,000, due Nov 12, 2026.',
    );
    // Norwegian groups with a no-break space and writes a decimal comma.
    expect(createTranslator('nb-NO', NB, EN, 'UTC').t('budget.over', params)).toBe(
      'Prognose 2\u00a0056\u00a0600,5 mot et budsjett på 1\u00a0420\u00a0000, frist 12. nov. 2026.',
    );
  });

  it('prints a calendar day as that day in every time zone', () => {
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Oslo']) {
      expect(createTranslator('sv-SE', {}, EN, zone).date('2026-11-12')).toBe('12 nov. 2026');
    }
  });

  it('reads every Norwegian variant as Bokmål, and anything unknown as English', () => {
    expect(['no-NO', 'nb_NO', 'nn-NO', 'sv_SE', 'de-DE', undefined].map(catalogLocale)).toEqual([
      'nb-NO',
      'nb-NO',
      'nb-NO',
      'sv-SE',
      'en-US',
      'en-US',
    ]);
  });
});
