import { type ResolverError } from '../../../src/contract/envelope';
import { type Translator } from './i18n';

/**
 * What to tell the reader about a failed call: the server's own translated refusal when it sent one, otherwise what
 * its error type means and what to do about it, in the reader's language.
 */
export function describeError(
  t: Translator['t'],
  errors: readonly ResolverError[],
  /** The surface's catalog namespace for error types (`panel`, `portfolio`). */
  namespace: string,
): string {
  const first = errors[0];
  if (!first) return t(`${namespace}.error.UNAVAILABLE`);
  if (first.i18n) return t(first.i18n.key, first.i18n.params);
  if (first.errorType === 'INVALID_PAYLOAD' && first.problems?.length) {
    return `${t(`${namespace}.error.INVALID_PAYLOAD`)} (${first.problems.join('; ')})`;
  }
  return t(`${namespace}.error.${first.errorType}`);
}
