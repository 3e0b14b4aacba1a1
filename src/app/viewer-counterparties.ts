/**
 * What the dependency rule ("waits on B, which is red") may know about other projects, for one viewer. A project's
 * stored `tollgate-health` is judged on its own facts alone, because everyone who can browse the issue reads it;
 * red from the projects it waits on is added when someone looks, from what that person may see: the stored health
 * of each awaited project is searched AS THE VIEWER, and followed along each one's `waitsOn` as far as they can see.
 * A project hidden from them is not in Jira's answer and colours nothing.
 */
import { HEALTH_PROPERTY_KEY, parseHealthDocument } from '../domain/documents/health-document';
import { type CounterpartyRag } from '../domain/health';
import { redAlongDependencies, type StoredCounterparty } from '../domain/portfolio';
import { type AppDeps } from './deps';
import { JiraRejectedError } from './errors';
import { type Acting } from './ports';

/** Keys one `key in (…)` search reads: a search page with properties holds at most 100 issues. */
const KEYS_PER_SEARCH = 100;
/**
 * Searches a walk makes at most, refused ones included: a panel view or a page of first rows costs a bounded number
 * of requests whatever the dependency graph (each level of a chain is one search). Red from further along a longer
 * chain is not seen there; the portfolio's full load, which judges every project it reads together, sees it.
 */
export const COUNTERPARTY_SEARCHES = 10;

/** What is left of a walk's searches. */
interface Budget {
  searches: number;
}

/**
 * One `key in (…)` search; adds what each stored health it returns says to `into`. A damaged stored health tells
 * nothing, like a missing one.
 */
async function searchStored(
  deps: AppDeps,
  acting: Acting,
  keys: readonly string[],
  into: Map<string, StoredCounterparty>,
  budget: Budget,
): Promise<void> {
  if (budget.searches <= 0) return;
  budget.searches -= 1;
  const quoted = keys.map((key) => `"${key.replace(/"/g, '')}"`).join(', ');
  const page = await deps.jira.searchPage(acting, {
    jql: `key in (${quoted})`,
    fields: ['summary'],
    properties: [HEALTH_PROPERTY_KEY],
    maxResults: KEYS_PER_SEARCH,
  });
  for (const issue of page.issues) {
    const parsed = parseHealthDocument(issue.properties[HEALTH_PROPERTY_KEY]);
    if (parsed.ok) into.set(issue.key, { rag: parsed.document.rag, waitsOn: parsed.document.waitsOn ?? [] });
  }
}

/** Jira's message for a key it cannot show this person, and for one that is not a key at all. */
const REFUSED_KEY = [
  /^An issue with key '(.+)' does not exist for field 'key'\.$/,
  /^The issue key '(.+)' for field 'key' is invalid\.$/,
];

/** The keys a refusal names; none when any of its messages is about something else. */
function refusedKeys(messages: readonly string[]): string[] {
  const keys: string[] = [];
  for (const message of messages) {
    const key = REFUSED_KEY.map((pattern) => pattern.exec(message.trim())?.[1]).find((found) => found !== undefined);
    if (key === undefined) return [];
    keys.push(key);
  }
  return keys;
}

/**
 * Reads `keys` into `known`. Jira refuses a whole `key in (…)` search for any key it cannot show this person (an
 * issue deleted after the dependency was logged, or one they may not browse — the message does not say which),
 * naming each such key; the search is sent again without them, and they stay unknown: the project is judged
 * without them. A refusal that names no key of the search is halved until the keys it refused stand alone.
 * @throws {UnavailableError} from the Jira port when a search cannot be served at all.
 */
async function readIsolatingRefusals(
  deps: AppDeps,
  acting: Acting,
  keys: readonly string[],
  known: Map<string, StoredCounterparty>,
  budget: Budget,
): Promise<void> {
  try {
    await searchStored(deps, acting, keys, known, budget);
  } catch (error) {
    if (!(error instanceof JiraRejectedError)) throw error;
    const named = new Set(refusedKeys(error.jiraMessages));
    const rest = keys.filter((key) => !named.has(key));
    if (rest.length < keys.length) {
      if (rest.length > 0) await readIsolatingRefusals(deps, acting, rest, known, budget);
      return;
    }
    if (keys.length === 1) return;
    const half = Math.ceil(keys.length / 2);
    await readIsolatingRefusals(deps, acting, keys.slice(0, half), known, budget);
    await readIsolatingRefusals(deps, acting, keys.slice(half), known, budget);
  }
}

/** Reads the stored health of some projects: what one level of a walk asks for. */
export type CounterpartySource = (keys: readonly string[], into: Map<string, StoredCounterparty>) => Promise<void>;

/** The walk's reads of Jira, as the viewer: ⌈keys of the level / 100⌉ searches a level, at most COUNTERPARTY_SEARCHES. */
function jiraSource(deps: AppDeps, acting: Acting): { read: CounterpartySource; exhausted: () => boolean } {
  const budget: Budget = { searches: COUNTERPARTY_SEARCHES };
  return {
    read: async (level, into) => {
      for (let start = 0; start < level.length; start += KEYS_PER_SEARCH) {
        await readIsolatingRefusals(deps, acting, level.slice(start, start + KEYS_PER_SEARCH), into, budget);
      }
    },
    exhausted: () => budget.searches <= 0,
  };
}

/**
 * The RAGs of the projects `keys` name (and of those they wait on, transitively) as `source` tells them, with red
 * flowed along dependencies, level by level until nothing new is named or `exhausted` says the reads are spent.
 * `known` answers for projects the caller judged already (a portfolio page), which are not read.
 */
export async function counterpartiesFrom(
  source: { read: CounterpartySource; exhausted: () => boolean },
  keys: readonly string[],
  known: ReadonlyMap<string, StoredCounterparty> = new Map(),
): Promise<CounterpartyRag> {
  const read = new Map<string, StoredCounterparty>(known);
  const asked = new Set<string>(known.keys());
  let level = [...new Set(keys)].filter((key) => !asked.has(key));
  while (level.length > 0 && !source.exhausted()) {
    for (const key of level) asked.add(key);
    await source.read(level, read);
    const next = level.flatMap((key) => read.get(key)?.waitsOn ?? []).filter((key) => !asked.has(key));
    level = [...new Set(next)];
  }
  const rags = redAlongDependencies(read);
  return (key) => rags.get(key);
}

/**
 * The RAGs of the projects `keys` name as `acting` may see them in Jira (see counterpartiesFrom): level by level,
 * ⌈keys of the level / 100⌉ searches each, at most COUNTERPARTY_SEARCHES in all.
 * @throws {UnavailableError} from the Jira port when a search cannot be served at all.
 */
export function viewerCounterparties(
  deps: AppDeps,
  acting: Acting,
  keys: readonly string[],
  known: ReadonlyMap<string, StoredCounterparty> = new Map(),
): Promise<CounterpartyRag> {
  return counterpartiesFrom(jiraSource(deps, acting), keys, known);
}
