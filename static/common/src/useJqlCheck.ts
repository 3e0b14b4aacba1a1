import { useEffect, useState } from 'react';
import { type ResolverError } from '../../../src/contract/envelope';
import { asCallError } from './call';

/** What Jira says about a query: how many it matches, or why it refuses it (the admin's and the macro's checks). */
export type JqlCheckAnswer =
  { readonly valid: true; readonly count: number } | { readonly valid: false; readonly message: string };

/** What Jira says about the JQL being typed, for the query it was asked about. */
export type JqlPreview =
  | { readonly status: 'idle' }
  | { readonly status: 'checking'; readonly jql: string }
  | { readonly status: 'valid'; readonly jql: string; readonly count: number }
  | { readonly status: 'invalid'; readonly jql: string; readonly message: string }
  | { readonly status: 'failed'; readonly jql: string; readonly errors: readonly ResolverError[] };

/** How long typing must pause before Jira is asked: one search per thought, not per keystroke. */
const PAUSE_MS = 500;

/**
 * Asks Jira (through `check`, a resolver call: `settings/previewJql`, `macro/checkScope`) what it makes of `jql` once
 * typing pauses; an empty query, or one longer than `maxLength`, is not asked about (the form's own check says so).
 * Answers to older queries are dropped. `check` must be the same function on every render.
 */
export function useJqlCheck(
  jql: string,
  check: (jql: string) => Promise<JqlCheckAnswer>,
  maxLength = 2000,
): JqlPreview {
  const [preview, setPreview] = useState<JqlPreview>({ status: 'idle' });
  useEffect(() => {
    const query = jql.trim();
    if (!query || query.length > maxLength) {
      setPreview({ status: 'idle' });
      return;
    }
    let live = true;
    setPreview({ status: 'checking', jql: query });
    const timer = setTimeout(() => {
      check(query)
        .then((answer) => {
          if (!live) return;
          setPreview(
            answer.valid
              ? { status: 'valid', jql: query, count: answer.count }
              : { status: 'invalid', jql: query, message: answer.message },
          );
        })
        .catch((failure: unknown) => {
          if (live) setPreview({ status: 'failed', jql: query, errors: asCallError(failure).errors });
        });
    }, PAUSE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jql, check, maxLength]);
  return preview;
}
