import { router } from '@forge/bridge';

/** The issue's key, linking to its issue view in the host (the page itself runs in an iframe). */
export function IssueLink({ issueKey }: { readonly issueKey: string }) {
  const href = `/browse/${encodeURIComponent(issueKey)}`;
  return (
    <a
      className="issue-key"
      href={href}
      target="_top"
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        router.navigate(href).catch((error: unknown) => console.warn('Tollgate could not open the issue:', error));
      }}
    >
      {issueKey}
    </a>
  );
}
