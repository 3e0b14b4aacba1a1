/**
 * Jira rejects an issue property value longer than 32,768 characters (OpenAPI `setIssueProperty`). Tollgate measures
 * before it writes, so a full property is split or refused with a clear message instead of failing in Jira.
 */

/** Jira's limit on one property value, in characters of its JSON text. */
export const PROPERTY_VALUE_LIMIT = 32_768;

/** Room kept for the `"sig":"<64 hex>"` member added after a document is measured. */
export const SIGNATURE_RESERVE = 80;

/**
 * Characters Jira counts for a value. UTF-16 length over-counts astral characters, which errs on the safe side.
 */
export function propertySize(value: unknown): number {
  return JSON.stringify(value).length;
}

/** True when the value, once signed, still fits one property. */
export function fitsProperty(value: unknown): boolean {
  return propertySize(value) + SIGNATURE_RESERVE <= PROPERTY_VALUE_LIMIT;
}
