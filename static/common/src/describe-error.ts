import { type ResolverError } from '../../../src/contract/envelope';
import { type Translator } from './i18n';

/**
 * Problems the shared schemas word themselves (src/domain/text.ts, src/domain/time.ts) and the catalog key that says
 * the same, so a title with nothing visible or a mistyped year is explained in the reader's language.
 */
const SHARED_PROBLEMS: ReadonlyArray<readonly [RegExp, string, readonly string[]]> = [
  [/^enter at least one visible character/, 'problem.visibleText', []],
  [/^use a date between (\d{4})-01-01 and (\d{4})-12-31$/, 'problem.dateRange', ['first', 'last']],
];

/** One `path: message` problem, its message translated when it is one of SHARED_PROBLEMS. */
function translateProblem(t: Translator['t'], problem: string): string {
  const split = problem.indexOf(': ');
  const message = split < 0 ? problem : problem.slice(split + 2);
  for (const [pattern, key, names] of SHARED_PROBLEMS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const params = Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? '']));
    return split < 0 ? t(key, params) : `${problem.slice(0, split)}: ${t(key, params)}`;
  }
  return problem;
}

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
    return `${t(`${namespace}.error.INVALID_PAYLOAD`)} (${first.problems.map((p) => translateProblem(t, p)).join('; ')})`;
  }
  return t(`${namespace}.error.${first.errorType}`);
}
