import { requestJira } from '@forge/bridge';
import { useEffect, useState } from 'react';

const known = new Map<string, Promise<string | null>>();

/** Jira's display name for an account, read once per frame as the reader (who may see only some people). */
function displayName(accountId: string): Promise<string | null> {
  let name = known.get(accountId);
  if (!name) {
    name = requestJira(`/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`)
      .then(async (response) =>
        response.ok ? (((await response.json()) as { displayName?: string }).displayName ?? null) : null,
      )
      .catch(() => null);
    known.set(accountId, name);
  }
  return name;
}

/**
 * Display names for the given accounts (who ticked, decided, owns, closed); null where Jira does not name the account
 * for this reader, so the caller shows the id or a dash instead.
 */
export function useUserNames(accountIds: readonly string[]): ReadonlyMap<string, string | null> {
  const [names, setNames] = useState<ReadonlyMap<string, string | null>>(new Map());
  const wanted = [...new Set(accountIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    const ids = wanted ? wanted.split(',') : [];
    void Promise.all(ids.map(async (id) => [id, await displayName(id)] as const)).then((entries) => {
      if (live) setNames(new Map(entries));
    });
    return () => {
      live = false;
    };
  }, [wanted]);
  return names;
}
