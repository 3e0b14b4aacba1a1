import { HEALTH_PROPERTY_KEY, type HealthDocument } from '../domain/documents/health-document';
import { type AppDeps } from './deps';
import { JiraRejectedError, UnavailableError } from './errors';
import { type RegistryPage } from './ports';
import { COUNTERPARTY_SEARCHES, viewerCounterparties } from './viewer-counterparties';

const VIEWER = { as: 'user', accountId: 'viewer' } as const;

/** A stored health with what the walk reads of it; the rest of the document as the schema wants it. */
const stored = (rag: HealthDocument['rag'], waitsOn?: string[]): HealthDocument => ({
  schema: 1,
  rag,
  ragSchedule: rag,
  ragGate: rag,
  ragRisk: rag,
  ragRaid: rag,
  ragBudget: rag,
  ragTolerance: rag,
  ragStaleness: rag,
  status: 'active',
  decision: 'none',
  riskMax: 0,
  riskBand: 'none',
  mandatoryOpen: 0,
  integrity: 'ok',
  exception: 'no',
  computedAt: '2026-11-21T06:00:00.000Z',
  reasons: [],
  ...(waitsOn ? { waitsOn } : {}),
});

/**
 * A Jira that knows `documents` and refuses a search naming any of `refused` with `message` (Jira's own, or one that
 * names no key), recording the keys of each search.
 */
function jiraWith(documents: Record<string, HealthDocument>, refused: string[], message: (key: string) => string) {
  const searched: string[][] = [];
  const searchPage = jest.fn((_acting: unknown, request: { jql: string }): Promise<RegistryPage> => {
    const keys = [...request.jql.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    searched.push(keys);
    const bad = keys.filter((key) => refused.includes(key));
    if (bad.length > 0) return Promise.reject(new JiraRejectedError(bad.map(message)));
    return Promise.resolve({
      issues: keys
        .filter((key) => documents[key])
        .map((key) => ({ id: key, key, fields: {}, properties: { [HEALTH_PROPERTY_KEY]: documents[key] } })),
      unreadable: [],
      nextPageToken: null,
    } as unknown as RegistryPage);
  });
  return { deps: { jira: { searchPage } } as unknown as AppDeps, searched };
}

describe('viewerCounterparties (against a fake Jira)', () => {
  it('halves a refusal that names no key until the refused key stands alone, keeping the rest', async () => {
    const keys = Array.from({ length: 8 }, (_, n) => `PMO-${n + 1}`);
    const documents = Object.fromEntries(keys.map((key) => [key, stored('red')]));
    const { deps, searched } = jiraWith(documents, ['PMO-6'], () => 'Something about the query is wrong.');
    const lookup = await viewerCounterparties(deps, VIEWER, keys);
    expect(keys.map((key) => lookup(key) ?? null)).toEqual(keys.map((key) => (key === 'PMO-6' ? null : 'red')));
    // 8 → 4+4 → the bad four halved to 2+2 → the bad pair to 1+1: seven searches, each key in at most four.
    expect(searched).toHaveLength(7);
  });

  it('stops at its search budget, judging on what it read', async () => {
    const keys = Array.from({ length: 64 }, (_, n) => `PMO-${n + 1}`);
    const documents = Object.fromEntries(keys.map((key) => [key, stored('green')]));
    const { deps, searched } = jiraWith(documents, keys, () => 'Nothing here is a key.');
    const lookup = await viewerCounterparties(deps, VIEWER, keys);
    expect(searched).toHaveLength(COUNTERPARTY_SEARCHES);
    expect(keys.every((key) => lookup(key) === undefined)).toBe(true);
  });

  it('lets a Jira that cannot answer say so: the caller answers UNAVAILABLE', async () => {
    const deps = {
      jira: { searchPage: jest.fn().mockRejectedValue(new UnavailableError('Jira is not answering.')) },
    } as unknown as AppDeps;
    await expect(viewerCounterparties(deps, VIEWER, ['PMO-1'])).rejects.toBeInstanceOf(UnavailableError);
  });

  it('reads nothing when nothing is awaited or everything is known already', async () => {
    const { deps, searched } = jiraWith({}, [], () => '');
    const lookup = await viewerCounterparties(
      deps,
      VIEWER,
      ['PMO-1'],
      new Map([['PMO-1', { rag: 'red', waitsOn: [] }]]),
    );
    expect(lookup('PMO-1')).toBe('red');
    await viewerCounterparties(deps, VIEWER, []);
    expect(searched).toEqual([]);
  });
});
