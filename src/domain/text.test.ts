import fc from 'fast-check';
import { hasVisibleText, INVISIBLE_TEXT_MESSAGE, visiblePart, visibleText } from './text';

/** One of each kind of character that renders as nothing, by the range it stands for. */
const INVISIBLE: ReadonlyArray<readonly [string, string]> = [
  ['zero-width space U+200B', '\u200b'],
  ['zero-width non-joiner U+200C', '\u200c'],
  ['zero-width joiner U+200D', '\u200d'],
  ['left-to-right mark U+200E', '\u200e'],
  ['right-to-left mark U+200F', '\u200f'],
  ['left-to-right embedding U+202A', '\u202a'],
  ['right-to-left embedding U+202B', '\u202b'],
  ['pop directional formatting U+202C', '\u202c'],
  ['left-to-right override U+202D', '\u202d'],
  ['right-to-left override U+202E', '\u202e'],
  ['word joiner U+2060', '\u2060'],
  ['function application U+2061', '\u2061'],
  ['invisible times U+2062', '\u2062'],
  ['invisible separator U+2063', '\u2063'],
  ['invisible plus U+2064', '\u2064'],
  ['left-to-right isolate U+2066', '\u2066'],
  ['right-to-left isolate U+2067', '\u2067'],
  ['first strong isolate U+2068', '\u2068'],
  ['pop directional isolate U+2069', '\u2069'],
  ['byte-order mark U+FEFF', '\ufeff'],
  ['soft hyphen U+00AD', '\u00ad'],
  ['Arabic letter mark U+061C', '\u061c'],
  ['Mongolian vowel separator U+180E', '\u180e'],
  ['variation selector U+FE0F', '\ufe0f'],
  ['Hangul filler U+3164', '\u3164'],
  ['Braille blank U+2800', '\u2800'],
  ['tag character U+E0041', '\u{e0041}'],
  ['NUL', '\u0000'],
  ['escape', '\u001b'],
  ['no-break space', '\u00a0'],
  ['ideographic space', '\u3000'],
  ['line separator', '\u2028'],
];

describe('visibleText', () => {
  const title = visibleText(200);

  it.each(INVISIBLE)('refuses a title made only of %s', (_name, character) => {
    const parsed = title.safeParse(character.repeat(3));
    expect(parsed.success).toBe(false);
    // Whatever else zod says (a blank string is also too short after trimming), a visible character is asked for
    // whenever the trimmed text is not empty.
    if (character.repeat(3).trim() !== '') expect(parsed.error?.issues[0]?.message).toBe(INVISIBLE_TEXT_MESSAGE);
  });

  it('refuses every mix of invisible characters, whatever their order and number', () => {
    const invisible = fc.array(fc.constantFrom(...INVISIBLE.map(([, character]) => character)), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(invisible, (characters) => {
        expect(title.safeParse(characters.join('')).success).toBe(false);
        expect(hasVisibleText(characters.join(''))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a title with one visible character among invisible ones, and keeps it as typed (trimmed)', () => {
    const invisible = fc.array(fc.constantFrom(...INVISIBLE.map(([, character]) => character)), { maxLength: 10 });
    const visible = fc.constantFrom('a', 'Z', '7', 'ø', 'Å', 'ж', '中', 'ש', 'ع', '😀', '…', '€', '-');
    fc.assert(
      fc.property(invisible, visible, invisible, (before, character, after) => {
        const text = `${before.join('')}${character}${after.join('')}`;
        expect(title.safeParse(text)).toEqual({ success: true, data: text.trim() });
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a joined emoji', '👩\u200d💻'],
    ['Hebrew with a direction mark', '\u200fשלום'],
    ['Arabic', 'مخاطر التوريد'],
    ['Norwegian', 'Leverandør går konkurs'],
    ['a lone visible letter', 'x'],
  ])('accepts %s', (_name, text) => {
    expect(title.safeParse(text).success).toBe(true);
  });

  it('still enforces the length limits', () => {
    expect(title.safeParse('x'.repeat(200)).success).toBe(true);
    expect(title.safeParse('x'.repeat(201)).success).toBe(false);
    expect(title.safeParse('').success).toBe(false);
  });

  it('visiblePart drops only what renders as nothing', () => {
    expect(visiblePart('\u202eR-4\u200b is \u2066extreme\u2069')).toBe('R-4isextreme');
  });
});
