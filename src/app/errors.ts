/**
 * The errors use cases and adapters speak. Adapters turn HTTP outcomes into these in exactly one place
 * (docs/conventions.md rule 6); resolvers turn them into the envelope's `errorType`, so a person always gets a
 * sentence, never a stack.
 */
import { type ResolverErrorType } from '../contract/envelope';

/** The envelope's error types (src/contract/envelope.ts), which every Tollgate error maps to. */
export type ErrorType = ResolverErrorType;

/** Base class: a message for people and the envelope type it maps to. */
export class TollgateError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
    /** Message key and params, for the UI to show in the user's language when it has a translation. */
    readonly i18n?: { readonly key: string; readonly params: Readonly<Record<string, string | number>> },
    /** For INVALID_PAYLOAD: which parts of the request were wrong (`path: problem`), so a form can mark its fields. */
    readonly problems?: readonly string[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Jira said 401/403, or the app's own permission check refused. */
export class ForbiddenError extends TollgateError {
  constructor(message: string, i18n?: TollgateError['i18n']) {
    super('FORBIDDEN', message, i18n);
  }
}

/** Jira said 404, which also covers "you may not see it" (Jira does not tell the two apart). */
export class NotFoundError extends TollgateError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** Jira refused the request as invalid (400), with Jira's own messages. */
export class JiraRejectedError extends TollgateError {
  constructor(readonly jiraMessages: readonly string[]) {
    super('JIRA_REJECTED', jiraMessages.join(' ') || 'Jira refused the request.');
  }
}

/** Jira kept failing (429/5xx, timeouts) after the retries the invocation had time for. */
export class UnavailableError extends TollgateError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

/** Someone else changed the same thing first and retries did not resolve it. */
export class ConflictError extends TollgateError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
