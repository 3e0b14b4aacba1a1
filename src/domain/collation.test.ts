import fc from 'fast-check';
import { compareText, sortKey } from './collation';

const bytewise = (a: string, b: string): number => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return Math.sign(Buffer.compare(left, right));
};

// What people name projects, owners and departments with in en, nb and sv, and what Jira keys look like.
const CHARS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZåäöøæÅÄÖØÆéèüß0123456789 -_.,:;/()&'!?"];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((chars) => chars.join(''));
const key = fc
  .tuple(fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/), fc.integer({ min: 0, max: 99_999 }))
  .map(([prefix, n]) => `${prefix}-${n}`);

describe('sortKey', () => {
  it('orders bytes as the collator orders the text people write', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(bytewise(sortKey(a), sortKey(b))).toBe(Math.sign(compareText(a, b)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('orders Jira keys by project, then by number', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(bytewise(sortKey(a), sortKey(b))).toBe(Math.sign(compareText(a, b)));
      }),
      { numRuns: 5_000 },
    );
    expect(bytewise(sortKey('PMO-9'), sortKey('PMO-10'))).toBe(-1);
  });

  it('gives equal keys to texts the collator calls equal (case, accents, ø and æ)', () => {
    expect(sortKey('Ålesund Øst')).toBe(sortKey('alesund ost'));
    expect(sortKey('Æbleskiver')).toBe(sortKey('aebleskiver'));
    expect(sortKey('x01')).toBe(sortKey('x1'));
  });
});
