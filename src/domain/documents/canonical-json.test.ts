import { canonicalJson, signingPayload } from './canonical-json';
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
