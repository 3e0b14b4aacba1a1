/**
 * Signatures on governance documents (docs/architecture.md §4): anyone who can edit an issue can rewrite its properties
 * through Jira's REST API, so the app signs what it writes with a secret only it holds (StoragePort.signingKey) and
 * treats a document whose signature does not match as tampered. Pure: the key is a parameter, nothing here touches
 * storage.
 *
 * A signature proves a document only together with where it belongs: the same REST call that rewrites a property can
 * copy another issue's signed `tollgate-governance` (with its decisions) onto this one. So every signature covers the
 * installation and the issue id besides the document (`bindingPrefix`). The issue id, not the key, because a key
 * changes when an issue moves to another project and the id never does. Documents signed before the binding carry the
 * legacy form (the document alone): `signatureStatus` tells it apart, and integrity.ts believes it only where the
 * app's ledger for this very issue vouches for the document.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signingPayload } from '../domain/documents/canonical-json';
import { type SigningKey } from './ports';

/** An HMAC-SHA256 in lower-case hex, the only form `signDocument` produces. */
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
/** How the stored form of a signed document begins (see storedForm). */
const SEALED_PREFIX = '{"sig":"';

/** Jira issue ids are numeric (and immutable); anything else cannot be what a signature is bound to. */
const ISSUE_ID_PATTERN = /^\d{1,18}$/;

/** How a document's `sig` relates to this issue on this installation (see signatureStatus). */
export type SignatureStatus = 'bound' | 'legacy' | 'invalid' | 'unsigned';

function hmac(secret: string, prefix: string, payload: string): Buffer {
  // An empty key would still "sign"; refusing it keeps a missing secret from passing as a weak one.
  if (secret.length === 0) throw new TypeError('The signing key is empty');
  return createHmac('sha256', secret).update(prefix, 'utf8').update(payload, 'utf8').digest();
}

/**
 * What a bound signature covers before the document: the scheme, the installation and the issue id, one per line.
 * Neither may hold a line break, so no two bindings give the same text; and the text starts with a letter where a
 * legacy payload starts with `{`, so no bound signature is ever also a legacy one.
 * @throws {TypeError} when the issue id is not a Jira issue id or the installation is empty or holds a line break.
 */
function bindingPrefix(key: SigningKey, issueId: string): string {
  if (!ISSUE_ID_PATTERN.test(issueId)) throw new TypeError(`Cannot bind a signature to issue id "${issueId}"`);
  if (key.installation.length === 0 || /[\n\r\0]/.test(key.installation)) {
    throw new TypeError('Cannot bind a signature to an unnamed installation');
  }
  return `tollgate-sig/2\n${key.installation}\n${issueId}\n`;
}

/**
 * The signature of a document on one issue of this installation: HMAC-SHA256 (hex) over the binding and the
 * document's canonical JSON without `sig`, so it survives Jira reordering keys, an existing `sig` never signs itself,
 * and the same document on another issue (or site) carries another signature.
 * @throws {TypeError} when the key is empty, the binding is not one (see bindingPrefix), or the document holds
 *   something JSON cannot carry (NaN, a function).
 */
export function signDocument(key: SigningKey, issueId: string, document: Readonly<Record<string, unknown>>): string {
  return hmac(key.secret, bindingPrefix(key, issueId), signingPayload(document)).toString('hex');
}

/**
 * The signature the app gave documents before signatures were bound to their issue: the document alone. Only for
 * checking a signature the ledger recorded then, and for tests; nothing new is signed like this.
 * @throws {TypeError} when the key is empty or the document holds something JSON cannot carry.
 */
export function legacySignature(secret: string, document: Readonly<Record<string, unknown>>): string {
  return hmac(secret, '', signingPayload(document)).toString('hex');
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

/** Whether `sig` is the MAC of `payload` after `prefix` under `secret`, in constant time. */
function macMatches(secret: string, prefix: string, payload: string, expected: Buffer): boolean {
  return timingSafeEqual(expected, hmac(secret, prefix, payload));
}

/**
 * Whether the document's `sig` under `secret`, after `prefix`, is right: checked on the stored form first, then
 * canonically (see verifySignature). False when `sig` is missing or malformed.
 */
function verifyAfter(secret: string, prefix: string, document: Readonly<Record<string, unknown>>): boolean {
  if (secret.length === 0) throw new TypeError('The signing key is empty');
  const sig = document.sig;
  const signed = typeof sig === 'string' && SIGNATURE_PATTERN.test(sig);
  const expected = signed ? Buffer.from(sig, 'hex') : null;
  const sealed = signed ? sealedPayload(document, sig) : null;
  if (expected && sealed !== null && macMatches(secret, prefix, sealed, expected)) return true;
  // The canonical check also runs for a missing signature, so a document JSON cannot carry is refused either way.
  const canonical = signingPayload(document);
  return expected !== null && macMatches(secret, prefix, canonical, expected);
}

/**
 * Whether the document's `sig` is the one `signDocument` gives for it on this issue of this installation; false when
 * `sig` is missing or malformed, made for another issue or installation, or in the legacy form. Compares in constant
 * time so response timing does not reveal how much of a forged signature matched.
 *
 * A document in its stored form (see storedForm) is checked on the engine's own serialisation first. That is as
 * strict as the canonical check for anything read from JSON: the text after the leading `sig` member is a JSON text of
 * the document without `sig`, and an HMAC match means it is exactly the canonical text the app signed, so the document
 * says exactly what the app signed. When it does not match (Jira reordered keys, or the document was changed), the
 * canonical form decides.
 * @throws {TypeError} when the key is empty, the binding is not one, or the document holds something JSON cannot
 *   carry (NaN, a function).
 */
export function verifySignature(
  key: SigningKey,
  issueId: string,
  document: Readonly<Record<string, unknown>>,
): boolean {
  return verifyAfter(key.secret, bindingPrefix(key, issueId), document);
}

/**
 * What a document's signature says about it here:
 * - `bound`: the app signed it for this issue on this installation;
 * - `legacy`: the app signed it before signatures were bound, so it proves the document but not where it belongs —
 *   it may have been copied from any issue. integrity.ts takes it only where this issue's ledger vouches for it;
 * - `invalid`: it carries a signature that is neither (changed since, or signed for another issue or installation);
 * - `unsigned`: it carries none (documents Tollgate never signed).
 * @throws {TypeError} as verifySignature.
 */
export function signatureStatus(
  key: SigningKey,
  issueId: string,
  document: Readonly<Record<string, unknown>>,
): SignatureStatus {
  if (verifySignature(key, issueId, document)) return 'bound';
  if (document.sig === undefined || document.sig === null) return 'unsigned';
  return verifyAfter(key.secret, '', document) ? 'legacy' : 'invalid';
}

/**
 * Whether `sig` — one the ledger recorded — is the app's signature of `document` on this issue, bound or in the legacy
 * form: the ledger is per issue and users cannot write it, so a legacy signature it recorded for this issue still
 * proves the document belongs here.
 * @throws {TypeError} as signDocument.
 */
export function recordedSignatureOf(
  key: SigningKey,
  issueId: string,
  document: Readonly<Record<string, unknown>>,
  sig: string,
): boolean {
  return signDocument(key, issueId, document) === sig || legacySignature(key.secret, document) === sig;
}

/**
 * The app's seal, kept in `tollgate-health`, that this issue's ledger vouched for documents carrying these legacy
 * signatures (integrity.ts `legacyVouch`): bound to the installation and the issue like a signature, and over the
 * exact signatures, so a health document copied from another issue, or left after the documents changed, seals
 * nothing. Its text never starts with `{`, so it is never also a document's signature.
 * @throws {TypeError} as signDocument.
 */
export function vouchSeal(key: SigningKey, issueId: string, signatures: readonly string[]): string {
  return hmac(key.secret, bindingPrefix(key, issueId), `vouched:${signatures.join(',')}`).toString('hex');
}
