import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from '../domain/documents/canonical-json';
import { smallJson, withKeysReversed } from '../domain/testing/json';
import { type SigningKey } from './ports';
import {
  legacySignature,
  recordedSignatureOf,
  signatureStatus,
  signDocument,
  storedForm,
  verifySignature,
  vouchSeal,
} from './signing';

const INSTALLATION = 'ari:cloud:ecosystem::installation/5a1e0f3c-0000-4000-8000-000000000101';
const KEY: SigningKey = { secret: 'a'.repeat(64), installation: INSTALLATION };
const OTHER_KEY: SigningKey = { secret: 'b'.repeat(64), installation: INSTALLATION };
/** The issue documents are signed for here; another issue, and the same secret on another installation. */
const ISSUE = '10009';
const OTHER_ISSUE = '10026';
const OTHER_SITE: SigningKey = { ...KEY, installation: 'ari:cloud:ecosystem::installation/other' };

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
  it('is HMAC-SHA256 in hex over the installation, the issue id and the canonical JSON without sig', () => {
    const document = { ...governance(), sig: 'ignored' };
    const { sig: _, ...rest } = document;
    const expected = createHmac('sha256', KEY.secret)
      .update(`tollgate-sig/2\n${INSTALLATION}\n${ISSUE}\n${canonicalJson(rest)}`)
      .digest('hex');
    expect(signDocument(KEY, ISSUE, document)).toBe(expected);
    expect(signDocument(KEY, ISSUE, document)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order, which Jira does not preserve', () => {
    const reordered = JSON.parse(JSON.stringify({ gates: governance().gates, stage: 'initiation', rev: 3 })) as Record<
      string,
      unknown
    >;
    const original = { rev: 3, stage: 'initiation', gates: governance().gates };
    expect(signDocument(KEY, ISSUE, reordered)).toBe(signDocument(KEY, ISSUE, original));
  });

  it('refuses an empty key', () => {
    expect(() => signDocument({ ...KEY, secret: '' }, ISSUE, governance())).toThrow('The signing key is empty');
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => signDocument(KEY, ISSUE, { rev: Number.NaN })).toThrow(TypeError);
  });
});

describe('verifySignature', () => {
  const signed = (): Record<string, unknown> => {
    const document = governance();
    return { ...document, sig: signDocument(KEY, ISSUE, document) };
  };

  it('accepts the document as signed, also after a JSON round trip', () => {
    expect(verifySignature(KEY, ISSUE, signed())).toBe(true);
    expect(verifySignature(KEY, ISSUE, JSON.parse(JSON.stringify(signed())) as Record<string, unknown>)).toBe(true);
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
      expect(verifySignature(KEY, ISSUE, document)).toBe(false);
    }
  });

  it('fails on a changed signature', () => {
    const document = signed();
    const sig = document.sig as string;
    document.sig = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(verifySignature(KEY, ISSUE, document)).toBe(false);
  });

  it('fails when sig is missing or malformed', () => {
    expect(verifySignature(KEY, ISSUE, governance())).toBe(false);
    expect(verifySignature(KEY, ISSUE, { ...governance(), sig: null })).toBe(false);
    expect(verifySignature(KEY, ISSUE, { ...governance(), sig: 'abc' })).toBe(false);
    expect(
      verifySignature(KEY, ISSUE, { ...governance(), sig: signDocument(KEY, ISSUE, governance()).toUpperCase() }),
    ).toBe(false);
  });

  it('fails under another key', () => {
    expect(verifySignature(OTHER_KEY, ISSUE, signed())).toBe(false);
  });

  it('refuses an empty key rather than answering false', () => {
    expect(() => verifySignature({ ...KEY, secret: '' }, ISSUE, signed())).toThrow('The signing key is empty');
  });
});

describe('storedForm', () => {
  const signed = (): Record<string, unknown> => {
    const document = { stage: 'initiation', rev: 3, gates: { g2: { b: 1, a: 2 }, g1: null, '10': 'x', '9': 'y' } };
    return { ...document, sig: signDocument(KEY, ISSUE, document) };
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
    expect(verifySignature(KEY, ISSUE, stored)).toBe(true);
    const { sig, ...rest } = stored;
    const reordered = JSON.parse(JSON.stringify({ ...rest, sig })) as Record<string, unknown>;
    expect(verifySignature(KEY, ISSUE, reordered)).toBe(true);
    expect(verifySignature(OTHER_KEY, ISSUE, stored)).toBe(false);
  });

  it('still verifies a document whose array-index keys the engine lists before sig', () => {
    const document = { '1': 'first', rev: 2 };
    const stored = storedForm({ ...document, sig: signDocument(KEY, ISSUE, document) });
    expect(JSON.stringify(stored).startsWith('{"1"')).toBe(true);
    expect(verifySignature(KEY, ISSUE, stored)).toBe(true);
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
      expect(verifySignature(KEY, ISSUE, document)).toBe(false);
    }
  });

  it('cannot be fooled by a sig-shaped member nested further in', () => {
    const stored = storedForm(signed());
    // The stored text with its sig moved into a nested object and the top-level sig kept in front.
    const forged = { sig: stored.sig, inner: { sig: stored.sig }, rev: 3 };
    expect(verifySignature(KEY, ISSUE, forged)).toBe(false);
  });
});

describe('verifySignature on stored-form documents, for any JSON document', () => {
  const value = smallJson([null, true, false, 0, 1, -1, 0.5, '', 'a', 'sig', '"'], ['a', 'b', 'sig', '1', 'z'], {
    maxKeys: 4,
  });
  const document = fc.dictionary(fc.constantFrom('rev', 'stage', 'gates', 'items', 'x'), value, { maxKeys: 5 });
  const sealed = (d: Record<string, unknown>) => storedForm({ ...d, sig: signDocument(KEY, ISSUE, d) });

  it('accepts the document as stored, after a JSON round trip, and in any key order', () => {
    fc.assert(
      fc.property(document, (d) => {
        const stored = sealed(d);
        expect(verifySignature(KEY, ISSUE, stored)).toBe(true);
        expect(verifySignature(KEY, ISSUE, JSON.parse(JSON.stringify(stored)) as Record<string, unknown>)).toBe(true);
        expect(verifySignature(KEY, ISSUE, withKeysReversed(stored) as Record<string, unknown>)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses another document carrying the first one's signature, in its stored form or any other", () => {
    fc.assert(
      fc.property(document, document, (signed, other) => {
        fc.pre(canonicalJson(signed) !== canonicalJson(other));
        const sig = signDocument(KEY, ISSUE, signed);
        const forged = storedForm({ ...other, sig });
        expect(verifySignature(KEY, ISSUE, forged)).toBe(false);
        expect(verifySignature(KEY, ISSUE, withKeysReversed(forged) as Record<string, unknown>)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a signature belongs to its issue and its installation', () => {
  const stored = (key = KEY, issueId = ISSUE): Record<string, unknown> => {
    const document = governance();
    return storedForm({ ...document, sig: signDocument(key, issueId, document) });
  };

  // Each way a signed document can be moved or reused where it does not belong; none may verify.
  const misplaced: ReadonlyArray<[string, SigningKey, string]> = [
    ['copied onto another issue', KEY, OTHER_ISSUE],
    ['on another installation that shares the secret', OTHER_SITE, ISSUE],
    ['under another secret', OTHER_KEY, ISSUE],
    ['on another issue of another installation', OTHER_SITE, OTHER_ISSUE],
  ];
  it.each(misplaced)('does not verify %s', (_case, key, issueId) => {
    const document = stored();
    expect(verifySignature(key, issueId, document)).toBe(false);
    expect(verifySignature(key, issueId, JSON.parse(JSON.stringify(document)) as Record<string, unknown>)).toBe(false);
    expect(verifySignature(key, issueId, withKeysReversed(document) as Record<string, unknown>)).toBe(false);
    expect(signatureStatus(key, issueId, document)).toBe('invalid');
  });

  it('tells a document signed for this issue, a legacy one, a misplaced one and an unsigned one apart', () => {
    const document = governance();
    const legacy = storedForm({ ...document, sig: legacySignature(KEY.secret, document) });
    expect(signatureStatus(KEY, ISSUE, stored())).toBe('bound');
    // Signed before the binding: it proves the document, not where it belongs, so it never passes as bound.
    expect(verifySignature(KEY, ISSUE, legacy)).toBe(false);
    expect(signatureStatus(KEY, ISSUE, legacy)).toBe('legacy');
    expect(signatureStatus(KEY, OTHER_ISSUE, legacy)).toBe('legacy');
    expect(signatureStatus(KEY, OTHER_ISSUE, stored())).toBe('invalid');
    expect(signatureStatus(KEY, ISSUE, document)).toBe('unsigned');
    expect(signatureStatus(KEY, ISSUE, { ...document, sig: 'f'.repeat(64) })).toBe('invalid');
    // A legacy signature under another secret is no signature of the app's at all.
    expect(signatureStatus(OTHER_KEY, ISSUE, legacy)).toBe('invalid');
  });

  it('refuses to bind to what is not an issue id or an installation, rather than sign ambiguously', () => {
    const document = governance();
    for (const issueId of ['', 'PMO-9', '10009\n10026', ' 10009', '1'.repeat(19)]) {
      expect(() => signDocument(KEY, issueId, document)).toThrow(TypeError);
      expect(() => verifySignature(KEY, issueId, stored())).toThrow(TypeError);
    }
    for (const installation of ['', 'a\nb', 'a\rb']) {
      expect(() => signDocument({ ...KEY, installation }, ISSUE, document)).toThrow(TypeError);
    }
  });

  it('accepts a signature the ledger recorded only for the document it recorded, bound or from before the binding', () => {
    const document = governance();
    const bound = signDocument(KEY, ISSUE, document);
    const legacy = legacySignature(KEY.secret, document);
    expect(recordedSignatureOf(KEY, ISSUE, document, bound)).toBe(true);
    expect(recordedSignatureOf(KEY, ISSUE, document, legacy)).toBe(true);
    expect(recordedSignatureOf(KEY, ISSUE, { ...document, stage: 'scoping' }, legacy)).toBe(false);
    expect(recordedSignatureOf(KEY, OTHER_ISSUE, document, bound)).toBe(false);
  });

  it('seals vouched signatures for one issue only', () => {
    const sigs = [signDocument(KEY, ISSUE, governance()), 'f'.repeat(64)];
    const seal = vouchSeal(KEY, ISSUE, sigs);
    expect(seal).toMatch(/^[0-9a-f]{64}$/);
    expect(vouchSeal(KEY, OTHER_ISSUE, sigs)).not.toBe(seal);
    expect(vouchSeal(OTHER_SITE, ISSUE, sigs)).not.toBe(seal);
    expect(vouchSeal(KEY, ISSUE, [...sigs].reverse())).not.toBe(seal);
    // Never a document's signature: no document's payload reads "vouched:…".
    expect(sigs).not.toContain(seal);
  });

  it('for any document, never verifies on another issue, and is never its legacy signature', () => {
    const value = smallJson([null, true, 0, 1, '', 'a', 'sig'], ['a', 'sig', '1'], { maxKeys: 3 });
    const document = fc.dictionary(fc.constantFrom('rev', 'stage', 'gates', 'x'), value, { maxKeys: 4 });
    const issueId = fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }).map(String);
    fc.assert(
      fc.property(document, issueId, issueId, (d, here, there) => {
        fc.pre(here !== there);
        const signed = storedForm({ ...d, sig: signDocument(KEY, here, d) });
        expect(verifySignature(KEY, here, signed)).toBe(true);
        expect(verifySignature(KEY, there, signed)).toBe(false);
        expect(signatureStatus(KEY, there, signed)).toBe('invalid');
        expect(signed.sig).not.toBe(legacySignature(KEY.secret, d));
      }),
      { numRuns: 300 },
    );
  });
});
