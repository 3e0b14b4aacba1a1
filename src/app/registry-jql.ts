/**
 * The JQL a portfolio read runs. Two things shape it beyond the admin's registry query: a macro may narrow it, and
 * Jira refuses a query that names a project the person may not browse ("The value 'CONF' does not exist for the
 * field 'project'") instead of returning what they may see — so a registry of `project in (PMO, CONF)` would fail
 * outright for everyone outside CONF. Pure string work; the read use case decides when to apply it.
 */

const ORDER_BY = /(^|\s)order\s+by\s[\s\S]*$/i;

/**
 * The registry JQL ANDed with a narrowing clause, keeping the registry's ORDER BY; the clause's own ORDER BY is
 * dropped (the table sorts on the server). The clause is wrapped in parentheses, so with balanced parentheses (the
 * contract checks that) it can only narrow the registry, never widen it.
 */
export function narrowJql(registryJql: string, narrowing?: string): string {
  const extra = narrowing?.replace(ORDER_BY, '').trim() ?? '';
  if (extra === '') return registryJql;
  const order = registryJql.match(ORDER_BY)?.[0]?.trim() ?? '';
  const base = registryJql.replace(ORDER_BY, '').trim();
  const where = base === '' ? `(${extra})` : `(${base}) AND (${extra})`;
  return order === '' ? where : `${where} ${order}`;
}

/**
 * Issues matching `clause` that the registry does not select (its ORDER BY dropped): where health written by an
 * earlier version, or left behind by a project that has since left the registry, is found.
 */
export function outsideRegistryJql(registryJql: string, clause: string): string {
  const base = registryJql.replace(ORDER_BY, '').trim();
  return base === '' ? `(${clause}) AND issue IS EMPTY` : `(${clause}) AND NOT (${base})`;
}

const HIDDEN_PROJECT = /^The value '(.+)' does not exist for the field 'project'\.$/;

/**
 * The project values Jira said do not exist, when that is all it objected to; null when any message is about
 * something else (a typo in the JQL is the admin's to fix, not something to work around).
 */
export function hiddenProjects(jiraMessages: readonly string[]): string[] | null {
  const values = jiraMessages.map((message) => HIDDEN_PROJECT.exec(message.trim())?.[1]);
  if (values.length === 0 || values.some((value) => value === undefined)) return null;
  return values.filter((value): value is string => value !== undefined);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unquote = (text: string): string => text.trim().replace(/^(["'])(.*)\1$/, '$2');

/**
 * The JQL with the projects the person cannot browse taken out, in a way that returns exactly what Jira would have
 * returned them had it not refused: issues of a hidden project never reach them, so `project = X` matches nothing
 * (`project IS EMPTY`, true of no issue), `project != X` excludes nothing (`project IS NOT EMPTY`), and `X` leaves
 * `project in (…)` / `project not in (…)` lists.
 */
export function withoutHiddenProjects(jql: string, hidden: readonly string[]): string {
  const names = new Set(hidden.map((name) => name.toLowerCase()));
  let out = jql;
  for (const name of hidden) {
    const value = `(?:"${escape(name)}"|'${escape(name)}'|${escape(name)}(?![\\w-]))`;
    out = out
      .replace(new RegExp(`\\bproject\\s*!=\\s*${value}`, 'gi'), 'project IS NOT EMPTY')
      .replace(new RegExp(`\\bproject\\s*=\\s*${value}`, 'gi'), 'project IS EMPTY');
  }
  return out.replace(
    /\bproject\s+(not\s+)?in\s*\(([^)]*)\)/gi,
    (whole: string, not: string | undefined, list: string) => {
      const items = list
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      const kept = items.filter((item) => !names.has(unquote(item).toLowerCase()));
      if (kept.length === items.length) return whole;
      if (kept.length === 0) return not ? 'project IS NOT EMPTY' : 'project IS EMPTY';
      return `project ${not ? 'NOT IN' : 'IN'} (${kept.join(', ')})`;
    },
  );
}
