/**
 * Canonical JSON: one byte sequence per value, whatever order its keys were written in, so a signature computed
 * when the app wrote a document can be checked after Jira has stored and returned it (Jira does not promise to keep
 * key order or whitespace).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Serialises with keys sorted at every depth and `undefined` members dropped, as JSON.stringify drops them. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, '$'));
}

/** The text a document's `sig` covers: the canonical form of everything but `sig` itself. */
export function signingPayload(document: Readonly<Record<string, unknown>>): string {
  const { sig: _, ...rest } = document;
  return canonicalJson(rest);
}

function normalise(value: unknown, path: string): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    // NaN and Infinity would silently become null and sign something other than what was meant.
    if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number`);
    return value;
  }
  if (Array.isArray(value))
    return value.map((item, i) => (item === undefined ? null : normalise(item, `${path}[${i}]`)));
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = normalise(member, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path} cannot be represented in JSON (${typeof value})`);
}
