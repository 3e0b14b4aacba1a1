import { createHmac } from 'node:crypto';
import { canonicalJson } from '../domain/documents/canonical-json';
import { signDocument, verifySignature } from './signing';

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
