/**
 * The order the portfolio sorts text and keys in, and the same order as bytes, so a database that compares text
 * byte by byte (Forge SQL's utf8mb4_bin) sorts rows exactly as the page does.
 *
 * The order: English collation at base strength (case and accents do not matter: "Ålesund" sits with "alesund"),
 * numbers by value (PMO-9 before PMO-10), and white space before punctuation before digits before letters, as
 * Unicode's collation algorithm orders them.
 */

/** Numeric collation puts PMO-9 before PMO-10, the order a person expects of Jira keys. */
export const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Compares two texts in the portfolio's order. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * Letters the collation treats as others (or as two) that Unicode's decomposition does not take apart: ø is o, æ is
 * ae, as `collator` says (Intl.Collator('en') compares "ø" equal to "o" at base strength).
 */
const FOLDED: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ħ: 'h',
  ŧ: 't',
  ı: 'i',
};

/**
 * ASCII punctuation and symbols in the collation's order (the root collation's), each written as one control
 * character below the digits, so they sort before digits and letters and among themselves as the collator has them.
 */
const PUNCTUATION = '_-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';
const PUNCTUATION_CODE = new Map([...PUNCTUATION].map((char, index) => [char, String.fromCharCode(0x02 + index)]));
const WHITE_SPACE = '\u0001';

/** Digits a number is padded to: longer numbers (never a Jira key) compare by their digits. */
const NUMBER_WIDTH = 19;

/**
 * The text as a sort key whose byte order is the collator's order for the names, keys and summaries people write:
 * Latin letters with or without accents (the nb and sv letters included), digits, white space and ASCII punctuation.
 * Two texts the collator calls equal get the same key; ties are for the caller to break (the portfolio by key).
 */
export function sortKey(text: string): string {
  let out = '';
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('en');
  for (const match of folded.matchAll(/(\d+)|(\s)|(.)/gsu)) {
    const [, digits, space, char = ''] = match;
    if (digits !== undefined) {
      const value = digits.replace(/^0+(?=\d)/, '');
      out += value.length <= NUMBER_WIDTH ? value.padStart(NUMBER_WIDTH, '0') : value;
    } else if (space !== undefined) {
      out += WHITE_SPACE;
    } else {
      out += PUNCTUATION_CODE.get(char) ?? FOLDED[char] ?? char;
    }
  }
  return out;
}
