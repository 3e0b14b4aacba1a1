/**
 * Jira misbehaving: 20% of requests answered with a 429 (with Retry-After), a 500, or an HTML 502/503 from the edge,
 * all with added latency. The client here retries once only, so faults reach the use cases instead of being
 * absorbed by retries. Reads (panel loads, portfolio loads) must each complete or answer UNAVAILABLE with a sentence;
 * writes must each apply fully or report failure, and a reported failure must mean nothing was recorded (safe to
 * send again): a write Jira failed after its ledger claim answers success with `pending`. Afterwards no project may
 * be half-written: every governed issue verifies (ok, or writes caught half way that the ledger finishes:
 * "repaired"), each op is in the ledger at most once, and every reported success is in both the ledger and the
 * documents — after the next write, in the stored documents themselves, exactly once.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { createJiraAdapter } from '../../src/adapters/jira/jira-adapter';
import { createJiraClient } from '../../src/adapters/jira/jira-client';
import { type AppDeps, configuredFields, templateLookup } from '../../src/app/deps';
import { assessIntegrity } from '../../src/app/integrity';
import { readProjectDocuments } from '../../src/app/project-documents';
import { type ResolverResponse } from '../../src/contract/envelope';
import { applyProjectOp, loadProject } from '../../src/resolvers/issue-panel-resolvers';
import { loadPortfolioPage } from '../../src/resolvers/portfolio-resolvers';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { recordFigures } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;
const KINDS = ['429', '500', '502', '503'] as const;
const FAULT_RATE = 0.2;
/** Beyond IN_FLIGHT_MS (30 s): a claim this old belongs to a write that died, and the ledger may finish it. */
const LATER_MS = 31_000;

jest.setTimeout(120_000);

describe('Jira faults at 20% (429 with Retry-After, 500, HTML 502/503, latency)', () => {
  let world: BackendWorld;
  let deps: AppDeps;
  let laterMs = 0;
  let issues: string[];
  const figures = {
    faultRate: FAULT_RATE,
    faultsInjected: 0,
    reads: 0,
    readsFailed: 0,
    writes: 0,
    writesApplied: 0,
    writesReportedFailed: 0,
    writesReportedFailedButLanded: 0,
    writesPending: 0,
    halfWrittenDocuments: 0,
    repairedFromLedger: 0,
  };
  const outcomes: Array<{ issueKey: string; summary: string; ok: boolean; pending: boolean }> = [];

  const context = (accountId: string, issueKey?: string) => ({
    accountId,
    extension: issueKey ? { type: 'jira:issuePanel', issue: { key: issueKey } } : { type: 'jira:globalPage' },
  });
  /** A failure must be UNAVAILABLE-like with a sentence for people: no stack, no HTML from the edge. */
  function expectClearFailure(response: ResolverResponse<unknown>): void {
    if (response.success) return;
    const [error] = response.errors;
    expect(['UNAVAILABLE', 'CONFLICT']).toContain(error?.errorType);
    expect(error?.message.length).toBeGreaterThan(20);
    expect(error?.message).not.toMatch(/<html|\bat .+\.ts:\d+|TypeError|undefined/i);
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    // An impatient client (one retry, no waiting) and a clock this test can move past the in-flight window.
    deps = {
      ...world.deps,
      jira: createJiraAdapter({ client: createJiraClient({ sleep: () => Promise.resolve(), maxRetries: 1 }) }),
      clock: { now: () => new Date(Date.now() + laterMs).toISOString(), sleep: () => Promise.resolve() },
    };
    issues = world.data.store
      .listIssues()
      .filter((issue) => issue.key.startsWith('PMO-') && world.data.store.getProperty(issue.id, 'tollgate-governance'))
      .map((issue) => issue.key)
      .slice(0, 8);
    expect(issues).toHaveLength(8);
    // One write each before the faults, so every project has a ledger to verify against.
    for (const issueKey of issues) {
      const response = await world.as(LEAD, () =>
        applyProjectOp(
          {
            payload: { op: { type: 'recordStatusReview', summary: 'Baseline review', confidence: 'high' } },
            context: context(LEAD, issueKey),
          },
          world.deps,
        ),
      );
      expect(response.success).toBe(true);
    }
    await world.runtime.drainQueue();
  });
  afterAll(async () => {
    world.jira.emulator.setFaults(null);
    recordFigures('faults', figures);
    await world.close();
  });

  it.each(KINDS)(
    'under %s faults, reads complete or say Jira is unavailable; writes apply or report failure',
    async (kind) => {
      const injectedBefore = world.jira.emulator.faultsInjected();
      // A fresh quota window for each kind: Jira's burst and points limits answer 429 before any fault is drawn, so
      // the rounds before would otherwise decide how many requests this kind's faults ever meet.
      world.jira.emulator.resetRateLimits();
      world.jira.emulator.setFaults({
        rate: FAULT_RATE,
        kind,
        retryAfterSeconds: 1,
        latencyMs: 1,
        seed: KINDS.indexOf(kind) + 7,
      });
      const reads = await Promise.all([
        ...issues.map((issueKey) =>
          world.as(MEMBER, () => loadProject({ payload: {}, context: context(MEMBER, issueKey) }, deps)),
        ),
        ...[LEAD, MEMBER].map((accountId) =>
          world.as(accountId, () =>
            loadPortfolioPage({ payload: { page: { offset: 0, limit: 100 } }, context: context(accountId) }, deps),
          ),
        ),
      ]);
      for (const response of reads) expectClearFailure(response);
      figures.reads += reads.length;
      figures.readsFailed += reads.filter((r) => !r.success).length;

      // One write per project, all at once; then a second round on the same projects.
      for (const round of [1, 2]) {
        const writes = await Promise.all(
          issues.map(async (issueKey) => {
            const summary = `${kind} round ${round} on ${issueKey}`;
            const response = await world.as(MEMBER, () =>
              applyProjectOp(
                {
                  payload: { op: { type: 'recordStatusReview', summary, confidence: 'medium' } },
                  context: context(MEMBER, issueKey),
                },
                deps,
              ),
            );
            expectClearFailure(response);
            const pending = response.success && response.data.pending;
            outcomes.push({ issueKey, summary, ok: response.success, pending });
            if (pending) figures.writesPending += 1;
            return response;
          }),
        );
        figures.writes += writes.length;
      }
      world.jira.emulator.setFaults(null);
      figures.faultsInjected += world.jira.emulator.faultsInjected() - injectedBefore;
      expect(world.jira.emulator.faultsInjected()).toBeGreaterThan(injectedBefore);
    },
  );

  it('leaves no half-written project: each verifies, each op is in the ledger at most once, every success is stored', async () => {
    laterMs = LATER_MS;
    const settings = await world.as(null, () => deps.storage.loadSettings());
    for (const issueKey of issues) {
      const docs = await world.as(null, () =>
        readProjectDocuments(world.deps.jira, { as: 'app' }, issueKey, configuredFields(settings)),
      );
      const entries = await world.as(null, () => deps.storage.ledger(docs!.issue.id));
      const key = await world.as(null, () => deps.storage.signingKey());
      const verdict = assessIntegrity(docs!, entries, key, deps.clock.now(), templateLookup(settings));
      if (verdict.status !== 'ok' && verdict.status !== 'repaired') figures.halfWrittenDocuments += 1;
      expect({ issueKey, status: verdict.status }).toEqual({
        issueKey,
        status: expect.stringMatching(/^(ok|repaired)$/),
      });
      if (verdict.status === 'repaired') figures.repairedFromLedger += 1;
      const record = verdict.status === 'ok' || verdict.status === 'repaired' ? verdict.record : null;
      const head = entries.at(-1)!;
      expect(record?.governance.rev).toBe(head.rev);
      const inLedger = (summary: string) =>
        entries.filter((e) => JSON.stringify(e.op).includes(`"summary":"${summary}"`)).length;
      for (const outcome of outcomes.filter((o) => o.issueKey === issueKey)) {
        // A success (pending or not) is recorded once; a reported failure recorded nothing, so a retry cannot double.
        expect({ summary: outcome.summary, times: inLedger(outcome.summary) }).toEqual({
          summary: outcome.summary,
          times: outcome.ok ? 1 : 0,
        });
        if (outcome.ok) {
          expect(JSON.stringify(record)).toContain(outcome.summary);
          figures.writesApplied += 1;
        } else {
          figures.writesReportedFailed += 1;
          if (inLedger(outcome.summary) === 1) figures.writesReportedFailedButLanded += 1;
        }
      }
    }
    // With Jira healthy again, every project takes a write and is verified by the panel. The storm's rapid writes
    // spent Jira's per-issue write limit, so this write goes through a client that waits out Retry-After, as
    // production's does.
    const patient = { ...deps, jira: world.deps.jira };
    for (const issueKey of issues) {
      const response = await world.as(LEAD, () =>
        applyProjectOp(
          {
            payload: { op: { type: 'recordStatusReview', summary: 'After the storm', confidence: 'low' } },
            context: context(LEAD, issueKey),
          },
          patient,
        ),
      );
      expect(response).toMatchObject({ success: true, data: { pending: false } });
      const view = await world.as(LEAD, () => loadProject({ payload: {}, context: context(LEAD, issueKey) }, deps));
      expect(view).toMatchObject({ success: true, data: { integrity: { status: 'ok' } } });
      // The stored documents themselves (not a replay) now hold every success exactly once, pending ones included.
      const docs = await world.as(null, () =>
        readProjectDocuments(world.deps.jira, { as: 'app' }, issueKey, configuredFields(settings)),
      );
      const entries = await world.as(null, () => deps.storage.ledger(docs!.issue.id));
      const key = await world.as(null, () => deps.storage.signingKey());
      const verdict = assessIntegrity(docs!, entries, key, deps.clock.now(), templateLookup(settings));
      expect(verdict.status).toBe('ok');
      const reviews = verdict.status === 'ok' ? (verdict.record?.governance.reviews ?? []) : [];
      for (const outcome of outcomes.filter((o) => o.issueKey === issueKey)) {
        expect({
          summary: outcome.summary,
          stored: reviews.filter((review) => review.summary === outcome.summary).length,
        }).toEqual({ summary: outcome.summary, stored: outcome.ok ? 1 : 0 });
      }
    }
    expect(figures.halfWrittenDocuments).toBe(0);
    expect(figures.writesReportedFailedButLanded).toBe(0);
    expect(figures.writesApplied + figures.writesReportedFailed).toBe(figures.writes);
  });
});
