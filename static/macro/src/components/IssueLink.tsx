import { router } from '@forge/bridge';
import { type ReactNode } from 'react';

/**
 * A link to a registry issue's view in Jira. Forge's macro iframe is sandboxed, so a plain link would not open:
 * the host navigates through the bridge (router.navigate), as the macro module's docs ask.
 */
export function IssueLink({ issueKey, children }: { readonly issueKey: string; readonly children: ReactNode }) {
  const href = `/browse/${encodeURIComponent(issueKey)}`;
  return (
    <a
      className="issue-key"
      href={href}
      target="_top"
      data-issue-key={issueKey}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        router.navigate(href).catch((error: unknown) => console.warn('Tollgate could not open the issue:', error));
      }}
    >
      {children}
    </a>
  );
}
