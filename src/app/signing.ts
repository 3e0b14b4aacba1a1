/**
 * Signatures on governance documents (docs/architecture.md §4): anyone who can edit an issue can rewrite its properties
 * through Jira's REST API, so the app signs what it writes with a secret only it holds (StoragePort.signingKey) and
 * treats a document whose signature does not match as tampered. Pure: the key is a parameter, nothing here touches
 * storage.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingPayload } from '../domain/documents/canonical-json';

/** An HMAC-SHA256 in lower-case hex, the only form `signDocument` produces. */
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
/** How the stored form of a signed document begins (see storedForm). */
const SEALED_PREFIX = '{"sig":"';

function hmac(key: string, payload: string): Buffer {
  // An empty key would still "sign"; refusing it keeps a missing secret from passing as a weak one.
  if (key.length === 0) throw new TypeError('The signing key is empty');
  return createHmac('sha256', key).update(payload, 'utf8').digest();
}

/**
 * The signature of a document: HMAC-SHA256 (hex) over its canonical JSON without `sig`, so it survives Jira
 * reordering keys and an existing `sig` never signs itself.
 * @throws {TypeError} when the key is empty or the document holds something JSON cannot carry (NaN, a function).
 */
export function signDocument(key: string, document: Readonly<Record<string, unknown>>): string {
  return hmac(key, signingPayload(document)).toString('hex');
}

/**
 * A signed document in the form the app stores it: `sig` first, then every member in canonical order at every depth.
 * Nothing is re-signed, only reordered. Stored like this, `JSON.stringify` of what Jira hands back is the signed text
 * with the `sig` member in front, so `verifySignature` checks it with the engine's native serialiser instead of
 * rewriting it canonically — the portfolio verifies every document of every project on each load.
 * @throws {TypeError} when `sig` is not a signature or the document holds something JSON cannot carry.
 */
export function storedForm<T extends Readonly<Record<string, unknown>>>(document: T): T {
  const sig = document.sig;
  if (typeof sig !== 'string' || !SIGNATURE_PATTERN.test(sig)) throw new TypeError('The document is not signed');
  const payload = signingPayload(document);
  return JSON.parse(payload === '{}' ? `${SEALED_PREFIX}${sig}"}` : `${SEALED_PREFIX}${sig}",${payload.slice(1)}`) as T;
}

/**
 * The text `sig` covers when the document is in its stored form, read off the engine's serialisation: the members
 * after the leading `sig`. Null when the document is not in that form (its `sig` is not the first member).
 */
function sealedPayload(document: Readonly<Record<string, unknown>>, sig: string): string | null {
  // A document in another form (written before the stored form, or reordered by Jira) would be serialised here for
  // nothing, and then again canonically: look at its first member before writing it out.
  if (Object.keys(document)[0] !== 'sig') return null;
  const text = JSON.stringify(document);
  const head = SEALED_PREFIX.length + sig.length + 1;
  if (!text.startsWith(SEALED_PREFIX) || text.slice(SEALED_PREFIX.length, head - 1) !== sig) return null;
  return text[head] === '}' ? '{}' : `{${text.slice(head + 1)}`;
}

/**
 * Whether the document's `sig` is the one `signDocument` gives for it under `key`; false when `sig` is missing or
 * malformed. Compares in constant time so response timing does not reveal how much of a forged signature matched.
 *
 * A document in its stored form (see storedForm) is checked on the engine's own serialisation first. That is as
 * strict as the canonical check for anything read from JSON: the text after the leading `sig` member is a JSON text of
 * the document without `sig`, and an HMAC match means it is exactly the canonical text the app signed, so the document
 * says exactly what the app signed. When it does not match (Jira reordered keys, or the document was changed), the
 * canonical form decides.
 * @throws {TypeError} when the key is empty or the document holds something JSON cannot carry (NaN, a function).
 */
export function verifySignature(key: string, document: Readonly<Record<string, unknown>>): boolean {
  if (key.length === 0) throw new TypeError('The signing key is empty');
  const sig = document.sig;
  const signed = typeof sig === 'string' && SIGNATURE_PATTERN.test(sig);
  const expected = signed ? Buffer.from(sig, 'hex') : null;
  const sealed = signed ? sealedPayload(document, sig) : null;
  if (expected && sealed !== null && timingSafeEqual(expected, hmac(key, sealed))) return true;
  // The canonical check also runs for a missing signature, so a document JSON cannot carry is refused either way.
  const canonical = hmac(key, signingPayload(document));
  return expected !== null && timingSafeEqual(expected, canonical);
}
