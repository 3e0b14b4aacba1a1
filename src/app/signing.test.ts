import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '../domain/documents/canonical-json';
import { smallJson, withKeysReversed } from '../domain/testing/json';
import { signDocument, storedForm, verifySignature } from './signing';

const KEY = 'a'.repeat(64);
const OTHER_KEY = 'b'.repeat(64);

function governance(): Record<string, unknown> {
  return {
    schema: 1,
    rev: 3,
    templateId: 'standard',
    stage: 'initiation',
    gates: { g1: { items: { charter: { done: true, by: 'user-1' } }, decision: null } },
  };
}

describe('signDocument', () => {
  it('is HMAC-SHA256 in hex over the canonical JSON without sig', () => {
    const document = { ...governance(), sig: 'ignored' };
    const { sig: _, ...rest } = document;
    const expected = createHmac('sha256', KEY).update(canonicalJson(rest)).digest('hex');
    expect(signDocument(KEY, document)).toBe(expected);
    expect(signDocument(KEY, document)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, which Jira does not preserve', () => {
    const reordered = JSON.parse(JSON.stringify({ gates: governance().gates, stage: 'initiation', rev: 3 })) as Record<
      string,
      unknown
    >;
    const original = { rev: 3, stage: 'initiation', gates: governance().gates };
    expect(signDocument(KEY, reordered)).toBe(signDocument(KEY, original));
  });

  it('refuses an empty key', () => {
    expect(() => signDocument('', governance())).toThrow('The signing key is empty');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => signDocument(KEY, { rev: Number.NaN })).toThrow(TypeError);
  });
});

describe('verifySignature', () => {
  const signed = (): Record<string, unknown> => {
    const document = governance();
    return { ...document, sig: signDocument(KEY, document) };
  };

  it('accepts the document as signed, also after a JSON round trip', () => {
    expect(verifySignature(KEY, signed())).toBe(true);
    expect(verifySignature(KEY, JSON.parse(JSON.stringify(signed())) as Record<string, unknown>)).toBe(true);
  });

  it('fails on any change to the content', () => {
    const changes: Array<(d: Record<string, unknown>) => void> = [
      (d) => (d.rev = 4),
      (d) => (d.stage = 'planning'),
      (d) => (d.extra = null),
      (d) => delete d.templateId,
      (d) => ((d.gates as { g1: { items: { charter: { done: boolean } } } }).g1.items.charter.done = false),
    ];
    for (const change of changes) {
      const document = signed();
      change(document);
      expect(verifySignature(KEY, document)).toBe(false);
    }
  });

  it('fails on a changed signature', () => {
    const document = signed();
    const sig = document.sig as string;
    document.sig = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(verifySignature(KEY, document)).toBe(false);
  });

  it('fails when sig is missing or malformed', () => {
    expect(verifySignature(KEY, governance())).toBe(false);
    expect(verifySignature(KEY, { ...governance(), sig: null })).toBe(false);
    expect(verifySignature(KEY, { ...governance(), sig: 'abc' })).toBe(false);
    expect(verifySignature(KEY, { ...governance(), sig: signDocument(KEY, governance()).toUpperCase() })).toBe(false);
  });

  it('fails under another key', () => {
    expect(verifySignature(OTHER_KEY, signed())).toBe(false);
  });

  it('refuses an empty key rather than answering false', () => {
    expect(() => verifySignature('', signed())).toThrow('The signing key is empty');
  });
});

describe('storedForm', () => {
  const signed = (): Record<string, unknown> => {
    const document = { stage: 'initiation', rev: 3, gates: { g2: { b: 1, a: 2 }, g1: null, '10': 'x', '9': 'y' } };
    return { ...document, sig: signDocument(KEY, document) };
  };

  it('puts sig first and every member in canonical order, changing nothing else', () => {
    const document = signed();
    const stored = storedForm(document);
    const text = JSON.stringify(stored);
    expect(text.startsWith(`{"sig":"${String(document.sig)}",`)).toBe(true);
    const { sig: _, ...rest } = stored;
    expect(JSON.stringify(rest)).toBe(canonicalJson(rest));
    expect(stored).toEqual(document);
  });

  it('refuses a document without a signature', () => {
    expect(() => storedForm({ rev: 1 })).toThrow('The document is not signed');
  });

  it('verifies on its stored form and after Jira reorders it', () => {
    const stored = storedForm(signed());
    expect(verifySignature(KEY, stored)).toBe(true);
    const { sig, ...rest } = stored;
    const reordered = JSON.parse(JSON.stringify({ ...rest, sig })) as Record<string, unknown>;
    expect(verifySignature(KEY, reordered)).toBe(true);
    expect(verifySignature(OTHER_KEY, stored)).toBe(false);
  });

  it('still verifies a document whose array-index keys the engine lists before sig', () => {
    const document = { '1': 'first', rev: 2 };
    const stored = storedForm({ ...document, sig: signDocument(KEY, document) });
    expect(JSON.stringify(stored).startsWith('{"1"')).toBe(true);
    expect(verifySignature(KEY, stored)).toBe(true);
  });

  it('fails on any change to a stored-form document, whatever its order', () => {
    const changes: Array<(d: Record<string, unknown>) => void> = [
      (d) => (d.rev = 4),
      (d) => (d.extra = null),
      (d) => delete d.stage,
      (d) => ((d.gates as { g2: { a: number } }).g2.a = 3),
    ];
    for (const change of changes) {
      const document = JSON.parse(JSON.stringify(storedForm(signed()))) as Record<string, unknown>;
      change(document);
      expect(verifySignature(KEY, document)).toBe(false);
    }
  });

  it('cannot be fooled by a sig-shaped member nested further in', () => {
    const stored = storedForm(signed());
    // The stored text with its sig moved into a nested object and the top-level sig kept in front.
    const forged = { sig: stored.sig, inner: { sig: stored.sig }, rev: 3 };
    expect(verifySignature(KEY, forged)).toBe(false);
  });
});

describe('verifySignature on stored-form documents, for any JSON document', () => {
  const value = smallJson([null, true, false, 0, 1, -1, 0.5, '', 'a', 'sig', '"'], ['a', 'b', 'sig', '1', 'z'], {
    maxKeys: 4,
  });
  const document = fc.dictionary(fc.constantFrom('rev', 'stage', 'gates', 'items', 'x'), value, { maxKeys: 5 });
  const sealed = (d: Record<string, unknown>) => storedForm({ ...d, sig: signDocument(KEY, d) });

  it('accepts the document as stored, after a JSON round trip, and in any key order', () => {
    fc.assert(
      fc.property(document, (d) => {
        const stored = sealed(d);
        expect(verifySignature(KEY, stored)).toBe(true);
        expect(verifySignature(KEY, JSON.parse(JSON.stringify(stored)) as Record<string, unknown>)).toBe(true);
        expect(verifySignature(KEY, withKeysReversed(stored) as Record<string, unknown>)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses another document carrying the first one's signature, in its stored form or any other", () => {
    fc.assert(
      fc.property(document, document, (signed, other) => {
        fc.pre(canonicalJson(signed) !== canonicalJson(other));
        const sig = signDocument(KEY, signed);
        const forged = storedForm({ ...other, sig });
        expect(verifySignature(KEY, forged)).toBe(false);
        expect(verifySignature(KEY, withKeysReversed(forged) as Record<string, unknown>)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
