import { catalogLocale, createTranslator, formatMessage, isWellFormed, placeholdersOf } from './messages';

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

  describe('plurals', () => {
    const days = { late: 'The {what} is {days, plural, =0 {due today} one {# day late} other {# days late}}.' };

    it("picks the words for the count by the reader's plural rules, and writes # as the reader writes numbers", () => {
      const en = createTranslator('en-US', days, days, 'UTC');
      expect([0, 1, 2, 1500].map((n) => en.t('late', { what: 'gate', days: n }))).toEqual([
        'The gate is due today.',
        'The gate is 1 day late.',
        'The gate is 2 days late.',
        'The gate is 1,500 days late.',
      ]);
      const nb = { late: '{days, plural, one {# dag} other {# dager}} på etterskudd' };
      expect(createTranslator('nb-NO', nb, days, 'UTC').t('late', { days: 1200 })).toBe(
        '1\u00a0200 dager på etterskudd',
      );
      expect(createTranslator('nb-NO', nb, days, 'UTC').t('late', { days: 1 })).toBe('1 dag på etterskudd');
    });

    it('uses English rules when no reader is named, and "other" for a count that is not a number', () => {
      expect(formatMessage(days, 'late', { what: 'gate', days: 1 })).toBe('The gate is 1 day late.');
      expect(formatMessage(days, 'late', { what: 'gate', days: 'soon' })).toBe('The gate is # days late.');
    });

    it("writes a large count with the reader's digit grouping inside its plural", () => {
      const cut = { cut: 'Showing {shown} of {total, plural, one {# project} other {# projects}}.' };
      expect(createTranslator('en-US', cut, cut, 'UTC').t('cut', { shown: 25, total: 12345 })).toBe(
        'Showing 25 of 12,345 projects.',
      );
    });

    it('nests placeholders inside a branch and names each placeholder once', () => {
      const message = '{count, plural, one {# risk at {gate}} other {# risks at {gate}}}';
      expect(formatMessage({ m: message }, 'm', { count: 3, gate: 'G2' })).toBe('3 risks at G2');
      expect(placeholdersOf(message)).toEqual(['count', 'gate']);
    });

    it('shows a malformed message as written, and says it is malformed', () => {
      for (const message of ['{n, plural, one {# x}}', '{n, plural, other {# x}', '{n, plural, some {x} other {y}}']) {
        expect(isWellFormed(message)).toBe(false);
        expect(formatMessage({ m: message }, 'm', { n: 1 })).toBe(message);
      }
      expect(isWellFormed('A {brace} and a lone { stay text')).toBe(true);
    });
  });
});
