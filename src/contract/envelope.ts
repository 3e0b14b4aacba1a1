/**
 * The bridge contract every resolver answers with (docs/conventions.md rule 3): `{ success, data }` or `{ success:
 * false, errors }`, never a thrown error across the bridge. Shared with static/ (which imports from src/contract, never
 * the reverse, docs/conventions.md rule 11).
 */

/** Every error type a resolver can answer with; the UI picks its message and what to offer (retry, reload, …). */
export const RESOLVER_ERROR_TYPES = [
  'INVALID_PAYLOAD',
  'REFUSED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'JIRA_REJECTED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ResolverErrorType = (typeof RESOLVER_ERROR_TYPES)[number];

export interface ResolverError {
  readonly errorType: ResolverErrorType;
  /** A sentence in English for logs and as a fallback. */
  readonly message: string;
  /** Message key and params in the locale catalogs, when the UI can say it in the user's language. */
  readonly i18n?: { readonly key: string; readonly params: Readonly<Record<string, string | number>> };
  /** For INVALID_PAYLOAD: where the payload was wrong (`path: problem`). */
  readonly problems?: readonly string[];
}

export type ResolverResponse<T> =
  { readonly success: true; readonly data: T } | { readonly success: false; readonly errors: readonly ResolverError[] };
