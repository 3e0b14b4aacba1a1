import fc from 'fast-check';
import { smallJson, withKeysReversed } from '../testing/json';
import { canonicalJson, sameJson, signingPayload } from './canonical-json';
import { fitsProperty, PROPERTY_VALUE_LIMIT, propertySize, SIGNATURE_RESERVE } from './property-size';

describe('canonicalJson', () => {
  it('is the same whatever order keys were written in, at every depth', () => {
    const a = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('drops undefined members as JSON does, and keeps array positions', () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined, 1] })).toBe('{"b":null,"c":[null,1]}');
  });

  it.each([[NaN], [Infinity], [-Infinity]])('refuses %d rather than sign something else', (n) => {
    expect(() => canonicalJson({ cost: n })).toThrow('$.cost is not a finite number');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow('cannot be represented');
    expect(() => canonicalJson({ n: 1n })).toThrow('cannot be represented');
  });

  it('the signing payload leaves out only the signature', () => {
    const doc = { rev: 2, sig: 'a'.repeat(64), stage: 's' };
    expect(signingPayload(doc)).toBe('{"rev":2,"stage":"s"}');
    expect(signingPayload({ ...doc, sig: 'b'.repeat(64) })).toBe(signingPayload(doc));
    expect(signingPayload({ ...doc, stage: 't' })).not.toBe(signingPayload(doc));
  });
});

/**
 * The definition canonicalJson had before it was rewritten for speed: a key-sorted copy written by JSON.stringify.
 * Every signature in storage was made with it, so the fast writer must give byte-for-byte the same text (and the
 * same errors).
 */
function referenceCanonicalJson(value: unknown): string {
  type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
  function normalise(item: unknown, path: string): Json {
    if (item === null || typeof item === 'boolean' || typeof item === 'string') return item;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) throw new TypeError(`${path} is not a finite number`);
      return item;
    }
    if (Array.isArray(item)) return item.map((x, i) => (x === undefined ? null : normalise(x, `${path}[${i}]`)));
    if (typeof item === 'object') {
      const out: { [key: string]: Json } = {};
      for (const key of Object.keys(item).sort()) {
        const member = (item as Record<string, unknown>)[key];
        if (member !== undefined) out[key] = normalise(member, `${path}.${key}`);
      }
      return out;
    }
    throw new TypeError(`${path} cannot be represented in JSON (${typeof item})`);
  }
  return JSON.stringify(normalise(value, '$'));
}

function outcome(run: () => string): { text: string } | { error: string } {
  try {
    return { text: run() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe('canonicalJson against its original definition', () => {
  const awkwardNumbers = fc.constantFrom(
    -0,
    0,
    1e21,
    1e-7,
    -1e21,
    5e-324,
    Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER,
    0.1 + 0.2,
    NaN,
    Infinity,
    -Infinity,
  );
  // Keys the engine orders specially (array indexes, in numeric order, before other keys), `__proto__`, `sig`,
  // keys that need escaping, and unicode beyond the BMP or lone surrogates.
  const key = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.constantFrom('__proto__', 'sig', '0', '1', '10', '9', '01', '-1', '1.5', '4294967294', '4294967295', 'a"b', ''),
    fc.nat().map(String),
  );
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    awkwardNumbers,
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.constant(undefined),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.sparseArray(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: false }),
    ),
  }));

  it('writes the same text, or throws the same error, for any value', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(outcome(() => canonicalJson(v))).toEqual(outcome(() => referenceCanonicalJson(v)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes the same text as JSON.stringify would for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (v) => {
        expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('signs the same payload for any document', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (doc) => {
        const { sig: _, ...rest } = doc;
        expect(outcome(() => signingPayload(doc))).toEqual(outcome(() => referenceCanonicalJson(rest)));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [{ z: 1, 10: 'ten', 9: 'nine', a: [1, , 3] }], // eslint-disable-line no-sparse-arrays
    [{ ['__proto__']: { x: 1 }, a: 1 }],
    [JSON.parse('{"__proto__": {"x": 1}, "b": [-0, 1e21]}') as unknown],
    [{ a: { b: [{ c: NaN }] } }],
    [{ a: [1, () => 1] }],
    [{ s: Symbol('s') }],
    [undefined],
    [new Date(0)],
  ])('%p', (v) => {
    expect(outcome(() => canonicalJson(v))).toEqual(outcome(() => referenceCanonicalJson(v)));
  });
});

describe('property size', () => {
  it('counts the JSON text Jira stores', () => {
    expect(propertySize({ a: 'é' })).toBe(9);
  });

  it.each([
    [PROPERTY_VALUE_LIMIT - SIGNATURE_RESERVE, true],
    [PROPERTY_VALUE_LIMIT - SIGNATURE_RESERVE + 1, false],
  ])('a value of %i characters fits once signed: %s', (size, fits) => {
    const value = { t: 'x'.repeat(size - 8) }; // {"t":""} is 8 characters
    expect(propertySize(value)).toBe(size);
    expect(fitsProperty(value)).toBe(fits);
  });
});

describe('sameJson', () => {
  const value = smallJson([null, true, false, 0, -0, 1, 'a', 'b'], ['a', 'b', 'c', '1'], { undefinedMembers: true });

  it('agrees with comparing canonical JSON', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameJson(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('does not care about key order', () => {
    fc.assert(fc.property(value, (a) => sameJson(a, withKeysReversed(a)) && sameJson(withKeysReversed(a), a)));
  });

  it('leaves out the one top-level member it is told to ignore', () => {
    expect(sameJson({ rag: 'red', at: '1' }, { at: '2', rag: 'red' }, 'at')).toBe(true);
    expect(sameJson({ rag: 'red', at: '1' }, { rag: 'red' }, 'at')).toBe(true);
    expect(sameJson({ rag: 'red', at: '1' }, { at: '1', rag: 'amber' }, 'at')).toBe(false);
    expect(sameJson({ inner: { at: '1' } }, { inner: { at: '2' } }, 'at')).toBe(false);
  });
});
