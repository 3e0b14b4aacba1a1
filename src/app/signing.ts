/**
 * Signatures on governance documents (DESIGN.md §4): anyone who can edit an issue can rewrite its properties through
 * Jira's REST API, so the app signs what it writes with a secret only it holds (StoragePort.signingKey) and treats a
 * document whose signature does not match as tampered. Pure: the key is a parameter, nothing here touches storage.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingPayload } from '../domain/documents/canonical-json';

/** An HMAC-SHA256 in lower-case hex, the only form `signDocument` produces. */
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

function hmac(key: string, document: Readonly<Record<string, unknown>>): Buffer {
  // An empty key would still "sign"; refusing it keeps a missing secret from passing as a weak one.
  if (key.length === 0) throw new TypeError('The signing key is empty');
  return createHmac('sha256', key).update(signingPayload(document), 'utf8').digest();
}

/**
 * The signature of a document: HMAC-SHA256 (hex) over its canonical JSON without `sig`, so it survives Jira
 * reordering keys and an existing `sig` never signs itself.
 * @throws {TypeError} when the key is empty or the document holds something JSON cannot carry (NaN, a function).
 */
export function signDocument(key: string, document: Readonly<Record<string, unknown>>): string {
  return hmac(key, document).toString('hex');
}

/**
 * Whether the document's `sig` is the one `signDocument` gives for it under `key`; false when `sig` is missing or
 * malformed. Compares in constant time so response timing does not reveal how much of a forged signature matched.
 * @throws {TypeError} when the key is empty or the document holds something JSON cannot carry (NaN, a function).
 */
export function verifySignature(key: string, document: Readonly<Record<string, unknown>>): boolean {
  const expected = hmac(key, document);
  const sig = document.sig;
  if (typeof sig !== 'string' || !SIGNATURE_PATTERN.test(sig)) return false;
  return timingSafeEqual(Buffer.from(sig, 'hex'), expected);
}
