/**
 * What a reader gets back for a stored document: the document (migrated to the current schema), or a typed error
 * that a page can show on that project's row while every other row renders normally.
 */
import { type z } from 'zod';

export type DocumentErrorCode =
  'not-json-object' | 'unknown-schema' | 'newer-schema' | 'invalid' | 'inconsistent-shards';

export interface DocumentError {
  readonly code: DocumentErrorCode;
  /** One sentence for the person looking at the project. */
  readonly message: string;
  /** Where the document is wrong, as `path: problem` lines, for the PMO who repairs it. */
  readonly problems: readonly string[];
}

export type DocumentResult<T> =
  | { readonly ok: true; readonly document: T; readonly migratedFrom: number | null }
  | { readonly ok: false; readonly error: DocumentError };

/** Turns zod issues into `path: message` lines a PMO lead can act on. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues
    .slice(0, 20)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(document)'}: ${issue.message}`);
}

/** The `schema` number a stored value claims, if it is an object that has one. */
export function claimedSchema(raw: unknown): number | 'none' | 'not-object' {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not-object';
  const schema = (raw as { schema?: unknown }).schema;
  return typeof schema === 'number' && Number.isInteger(schema) ? schema : 'none';
}

/** Builds an error result. */
export function documentError<T>(code: DocumentErrorCode, message: string, problems: string[] = []): DocumentResult<T> {
  return { ok: false, error: { code, message, problems } };
}
