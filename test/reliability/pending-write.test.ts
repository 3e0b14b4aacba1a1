/**
 * Jira failing after an op won its ledger slot. The op is recorded from that moment, so the panel must not answer
 * UNAVAILABLE ("try again": the person would send it a second time and it would count twice). It answers success
 * with `pending`, every reader replays the op from the ledger at once (not after the 30 s in-flight window), and the
 * next write stores it in the documents — exactly once. A failure before the claim still answers an error and
 * records nothing.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type AppDeps, configuredFields, templateLookup } from '../../src/app/deps';
import { assessIntegrity, type IntegrityVerdict } from '../../src/app/integrity';
import { type LedgerEntry } from '../../src/app/ports';
import { readProjectDocuments } from '../../src/app/project-documents';
import { type ResolverResponse } from '../../src/contract/envelope';
import {
  type ProjectApplyPayload,
  type ProjectChangeResult,
  type ProjectPanelView,
} from '../../src/contract/issue-panel';
import { applyProjectOp, loadProject } from '../../src/resolvers/issue-panel-resolvers';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';

const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;

jest.setTimeout(60_000);

describe('a write whose documents Jira fails to store after the ledger claim', () => {
  let world: BackendWorld;
  let deps: AppDeps;
  let issueKey: string;
  let warn: jest.SpyInstance;

  const context = (accountId: string) => ({
    accountId,
    extension: { type: 'jira:issuePanel', issue: { key: issueKey } },
  });
  const apply = (op: ProjectApplyPayload['op']): Promise<ResolverResponse<ProjectChangeResult>> =>
    world.as(MEMBER, () => applyProjectOp({ payload: { op }, context: context(MEMBER) }, deps));
  const load = (): Promise<ResolverResponse<ProjectPanelView>> =>
    world.as(MEMBER, () => loadProject({ payload: {}, context: context(MEMBER) }, deps));
  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(`expected success, got ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const ledger = (): Promise<readonly LedgerEntry[]> => world.as(null, () => deps.storage.ledger(world.idOf(issueKey)));
  /** The stored documents judged against the ledger, as any reader judges them. */
  const stored = async (): Promise<IntegrityVerdict> => {
    const settings = await world.as(null, () => deps.storage.loadSettings());
    const docs = await world.as(null, () =>
      readProjectDocuments(deps.jira, { as: 'app' }, issueKey, configuredFields(settings)),
    );
    const key = await world.as(null, () => deps.storage.signingKey());
    return assessIntegrity(docs!, await ledger(), key, deps.clock.now(), templateLookup(settings));
  };
  const risk = (title: string): ProjectApplyPayload['op'] => ({
    type: 'addRaidItem',
    item: { type: 'risk', title, owner: OWNER, likelihood: 3, impact: 4 },
  });
  const timesInLedger = (entries: readonly LedgerEntry[], title: string) =>
    entries.filter((e) => JSON.stringify(e.op).includes(`"title":"${title}"`)).length;
  const timesIn = (verdict: IntegrityVerdict, title: string) =>
    verdict.status === 'ok' || verdict.status === 'repaired'
      ? (verdict.record?.raid.items.filter((item) => item.title === title).length ?? 0)
      : -1;
  /** Every request that writes the governance document of the issue fails, retries included. */
  const failGovernanceWrites = () =>
    world.jira.emulator.setFaults({
      rate: 1,
      kind: '503',
      retryAfterSeconds: 0,
      pathPrefix: `/rest/api/3/issue/${issueKey}/properties/tollgate-governance`,
    });

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    // The real clock: a second op comes well inside the in-flight window, as a person's retry would.
    deps = world.deps;
    const governed = world.data.store
      .listIssues()
      .find((issue) => issue.key.startsWith('PMO-') && world.data.store.getProperty(issue.id, 'tollgate-governance'));
    issueKey = governed!.key;
    // One write before the faults, so the issue has a ledger.
    dataOf(await apply({ type: 'recordStatusReview', summary: 'Before the faults', confidence: 'high' }));
  });
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    world.jira.emulator.setFaults(null);
    warn.mockRestore();
  });
  afterAll(() => world.close());

  it('answers success with pending (not UNAVAILABLE), shows the op, and records it once', async () => {
    const headBefore = (await ledger()).at(-1)!.rev;
    failGovernanceWrites();
    const result = dataOf(await apply(risk('Supplier walks away')));
    world.jira.emulator.setFaults(null);

    expect(result).toMatchObject({ rev: headBefore + 1, pending: true });
    expect(result.view?.raid.risk.filter((r) => r.title === 'Supplier walks away')).toHaveLength(1);
    const entries = await ledger();
    expect(timesInLedger(entries, 'Supplier walks away')).toBe(1);
    expect(entries.at(-1)).toMatchObject({ rev: headBefore + 1, stalled: true });
    expect(entries.at(-1)?.committed).not.toBe(true);
    // Jira still holds the revision before it: the op lives in the ledger only, and readers replay it from there.
    const verdict = await stored();
    expect(verdict).toMatchObject({ status: 'repaired', fromRev: headBefore, toRev: headBefore + 1 });
    expect(timesIn(verdict, 'Supplier walks away')).toBe(1);
  });

  it('is replayed by the next load at once, without waiting for the in-flight window', async () => {
    const view = dataOf(await load());
    expect(view.integrity.status).toBe('repaired');
    expect(view.raid.risk.filter((r) => r.title === 'Supplier walks away')).toHaveLength(1);
  });

  it('is stored by the next op: the documents hold it exactly once, and verify', async () => {
    const result = dataOf(await apply(risk('Permit delayed')));
    expect(result.pending).toBe(false);
    const verdict = await stored();
    expect(verdict.status).toBe('ok');
    expect(timesIn(verdict, 'Supplier walks away')).toBe(1);
    expect(timesIn(verdict, 'Permit delayed')).toBe(1);
    const entries = await ledger();
    expect(timesInLedger(entries, 'Supplier walks away')).toBe(1);
    expect(timesInLedger(entries, 'Permit delayed')).toBe(1);
    expect(entries.at(-1)).toMatchObject({ committed: true });
  });

  it('lets several pending writes in a row catch up together with the next healthy write', async () => {
    const titles = ['Crane unavailable', 'Steel price spike', 'Design rework'];
    failGovernanceWrites();
    for (const title of titles.slice(0, 2)) expect(dataOf(await apply(risk(title))).pending).toBe(true);
    world.jira.emulator.setFaults(null);
    // Two stalled entries in a row, and the RAID shards already at the second one's revision.
    const behind = await stored();
    expect(behind.status).toBe('repaired');
    for (const title of titles.slice(0, 2)) expect(timesIn(behind, title)).toBe(1);

    expect(dataOf(await apply(risk(titles[2]!))).pending).toBe(false);
    const verdict = await stored();
    expect(verdict.status).toBe('ok');
    const entries = await ledger();
    for (const title of titles) {
      expect({ title, stored: timesIn(verdict, title), ledger: timesInLedger(entries, title) }).toEqual({
        title,
        stored: 1,
        ledger: 1,
      });
    }
    expect(dataOf(await load()).integrity.status).toBe('ok');
  });

  it("replays a project's first op through Tollgate (documents from before the ledger) that stalled", async () => {
    // Another governed project, untouched so far: no ledger entry, so its first op keeps the documents as a baseline.
    const fresh = world.data.store
      .listIssues()
      .find(
        (issue) =>
          issue.key.startsWith('PMO-') &&
          issue.key !== issueKey &&
          world.data.store.getProperty(issue.id, 'tollgate-governance'),
      );
    const firstKey = issueKey;
    issueKey = fresh!.key;
    try {
      expect(await ledger()).toEqual([]);
      failGovernanceWrites();
      expect(dataOf(await apply(risk('Landlord sells the site'))).pending).toBe(true);
      world.jira.emulator.setFaults(null);
      // The RAID shards landed at the new revision, the governance did not: finished from the ledger, not "tampered".
      const behind = await stored();
      expect(behind.status).toBe('repaired');
      expect(timesIn(behind, 'Landlord sells the site')).toBe(1);
      expect(dataOf(await load()).integrity.status).toBe('repaired');

      expect(dataOf(await apply(risk('Second site also at risk'))).pending).toBe(false);
      const verdict = await stored();
      expect(verdict.status).toBe('ok');
      expect(timesIn(verdict, 'Landlord sells the site')).toBe(1);
    } finally {
      issueKey = firstKey;
    }
  });

  it('still answers an error, with nothing recorded, when Jira fails before the claim', async () => {
    const before = await ledger();
    world.jira.emulator.setFaults({ rate: 1, kind: '500' });
    const response = await apply(risk('Never recorded'));
    world.jira.emulator.setFaults(null);
    expect(response).toMatchObject({ success: false, errors: [{ errorType: 'UNAVAILABLE' }] });
    expect(await ledger()).toEqual(before);
  });
});
