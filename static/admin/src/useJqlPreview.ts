import { useEffect, useState } from 'react';
import { type ResolverError } from '../../../src/contract/envelope';
import { asCallError } from '../../common/src/call';
import { previewJql } from './bridge';

/** What Jira says about the registry JQL being typed, for the query it was asked about. */
export type JqlPreview =
  | { readonly status: 'idle' }
  | { readonly status: 'checking'; readonly jql: string }
  | { readonly status: 'valid'; readonly jql: string; readonly count: number }
  | { readonly status: 'invalid'; readonly jql: string; readonly message: string }
  | { readonly status: 'failed'; readonly jql: string; readonly errors: readonly ResolverError[] };

/** How long typing must pause before Jira is asked: one search per thought, not per keystroke. */
const PAUSE_MS = 500;

/**
 * Asks Jira (through `settings/previewJql`) how many issues `jql` matches once typing pauses; an empty query is not
 * asked about (the form's own check says it is required). Answers to older queries are dropped.
 */
export function useJqlPreview(jql: string): JqlPreview {
  const [preview, setPreview] = useState<JqlPreview>({ status: 'idle' });
  useEffect(() => {
    const query = jql.trim();
    if (!query || query.length > 2000) {
      setPreview({ status: 'idle' });
      return;
    }
    let live = true;
    setPreview({ status: 'checking', jql: query });
    const timer = setTimeout(() => {
      previewJql(query)
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
  }, [jql]);
  return preview;
}
