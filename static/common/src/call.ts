/**
 * How every surface reaches its resolver: `invoke` answers with the `{ success, data | errors }` envelope (or rejects
 * when the host cannot reach the app); `settle` turns both failures into one CallError. Each surface's bridge.ts keeps
 * the `invoke('key', …)` literals at its call sites so the manifest contract test can read them (docs/conventions.md
 * rule 1).
 */
import { type ResolverError, type ResolverResponse } from '../../../src/contract/envelope';

/** A refusal or failure; `errors[0]` says what to tell the reader (see describeError). */
export class CallError extends Error {
  constructor(readonly errors: readonly ResolverError[]) {
    super(errors[0]?.message ?? 'Tollgate did not answer.');
  }
}

/** Turns anything a call can fail with (a server answer, a host or network failure) into a CallError. */
export function asCallError(error: unknown): CallError {
  if (error instanceof CallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CallError([{ errorType: 'UNAVAILABLE', message }]);
}

/**
 * The `data` of a resolver's answer, or a CallError with its errors.
 * @throws CallError when the server refused or the bridge failed.
 */
export async function settle<T>(pending: Promise<unknown>): Promise<T> {
  let response: ResolverResponse<T>;
  try {
    // invoke is typed to allow a metadata wrapper, which only calls that pass metadata get; these never do.
    response = (await pending) as ResolverResponse<T>;
  } catch (error) {
    throw asCallError(error);
  }
  if (response.success) return response.data;
  throw new CallError(response.errors);
}
