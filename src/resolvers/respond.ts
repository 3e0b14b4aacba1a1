/**
 * The one place resolver outcomes become the bridge envelope: payloads are validated with zod before anything runs,
 * Tollgate's typed errors keep their type and message, anything unexpected is logged and answered as INTERNAL with
 * a sentence, never a stack (docs/conventions.md rule 3).
 */
import { type z } from 'zod';
import { TollgateError } from '../app/errors';
import { type ResolverError, type ResolverResponse } from '../contract/envelope';

/** The resolver request as @forge/resolver passes it. */
export interface ResolverRequest {
  readonly payload?: unknown;
  readonly context: { readonly accountId?: string; readonly extension?: Readonly<Record<string, unknown>> } & Readonly<
    Record<string, unknown>
  >;
}

function toError(error: unknown): ResolverError {
  if (error instanceof TollgateError) {
    return {
      errorType: error.errorType,
      message: error.message,
      ...(error.i18n ? { i18n: error.i18n } : {}),
      ...(error.problems?.length ? { problems: error.problems } : {}),
    };
  }
  console.error('Tollgate resolver failed unexpectedly:', error);
  return {
    errorType: 'INTERNAL',
    message: 'Something went wrong in Tollgate. Try again; if it keeps happening, tell your Jira admin.',
  };
}

/**
 * Validates the payload, requires a signed-in user, runs the body and wraps the outcome.
 * @throws never.
 */
export async function respond<S extends z.ZodType, T>(
  request: ResolverRequest,
  schema: S,
  body: (payload: z.infer<S>, accountId: string) => Promise<T>,
): Promise<ResolverResponse<T>> {
  const accountId = request.context.accountId;
  if (!accountId) {
    return { success: false, errors: [{ errorType: 'FORBIDDEN', message: 'Sign in to Jira to use Tollgate.' }] };
  }
  const parsed = schema.safeParse(request.payload ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    return {
      success: false,
      errors: [
        { errorType: 'INVALID_PAYLOAD', message: `The request was not understood: ${problems.join('; ')}`, problems },
      ],
    };
  }
  try {
    return { success: true, data: await body(parsed.data, accountId) };
  } catch (error) {
    return { success: false, errors: [toError(error)] };
  }
}
