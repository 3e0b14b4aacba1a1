/**
 * What Jira Cloud would charge for each thing a PMO lead does (issue 12 §6): every interaction of the portfolio page,
 * the steering macro and its export, run through the real resolvers with the latency model on (sandbox/jira/latency.ts)
 * and Jira's points quota metering the app's traffic (sandbox/jira/rate-limits.ts). Each interaction starts a fresh
 * quota hour, so its own bill is measured and an expensive one does not make the next fail; whether it fits is judged
 * against Forge's 25 s for a UI function and the Tier 1 hour of 65,000 points for the whole app.
 */
import { type InvocationRecord } from '../sandbox/forge/types';
import { TIER_1_POINTS_PER_HOUR } from '../sandbox/jira/rate-limits';
import { PEOPLE } from '../sandbox/seed/people';
import { type Sandbox } from '../sandbox/server';
import { FIRST_PAGE_PAYLOAD } from './backend';
import { type ForgeInstrument, emptyTally } from './instrument';

export interface BillRow {
  readonly interaction: string;
  readonly jiraRequests: number;
  readonly points: number;
  readonly wallMs: number;
  /** The slowest invocation's time: what Forge's 25 s holds to (a CSV is several, one part each). */
  readonly slowestMs?: number;
  /** Requests Jira refused with 429 during the interaction (the app retried or gave up). */
  readonly refused: number;
  readonly succeeded: boolean;
  readonly fits25s: boolean;
  /** Share of the app's Tier 1 hour one such interaction spends. */
  readonly shareOfHour: number;
  /** The invocation's memory growth (InvocationRecord.peakMemoryGrowthMb) and the function's `memoryMB`. */
  readonly peakMemoryGrowthMb: number;
  readonly memoryMB: number;
}

const PORTFOLIO = 'tollgate-portfolio';
const MACRO = 'tollgate-steering-macro';
const LEAD = PEOPLE.pmoLead.accountId;
const UI_LIMIT_MS = 25_000;
const MACRO_CONFIG = { view: 'portfolio-table', limit: 25 } as const;
/** Four weeks back: a week the seeded snapshots cover (the seed's history runs back from the bench's today). */
const asOf = (): string => new Date(Date.now() - 28 * 86_400_000).toISOString().slice(0, 10);

const portfolioContext = {
  accountId: LEAD,
  moduleKey: PORTFOLIO,
  extension: { type: 'jira:globalPage' },
  locale: 'en-US',
} as const;

/** The interactions billed, in the order a PMO lead makes them. */
const INTERACTIONS: ReadonlyArray<{ readonly name: string; readonly run: (sandbox: Sandbox) => Promise<unknown> }> = [
  {
    name: 'first rows (read model)',
    run: (s) => s.forge.invoke(PORTFOLIO, 'portfolio/firstRows', { limit: 25 }, portfolioContext),
  },
  {
    name: 'first view',
    run: (s) => s.forge.invoke(PORTFOLIO, 'portfolio/load', FIRST_PAGE_PAYLOAD, portfolioContext),
  },
  {
    name: 'filter change (red only)',
    run: (s) =>
      s.forge.invoke(
        PORTFOLIO,
        'portfolio/load',
        { ...FIRST_PAGE_PAYLOAD, filter: { rag: ['red'] } },
        portfolioContext,
      ),
  },
  {
    name: 'sort by key',
    run: (s) =>
      s.forge.invoke(
        PORTFOLIO,
        'portfolio/load',
        { ...FIRST_PAGE_PAYLOAD, sort: { by: 'key', direction: 'asc' } },
        portfolioContext,
      ),
  },
  {
    name: 'page flip',
    run: (s) =>
      s.forge.invoke(
        PORTFOLIO,
        'portfolio/load',
        { ...FIRST_PAGE_PAYLOAD, page: { offset: 25, limit: 25 } },
        portfolioContext,
      ),
  },
  {
    name: 'as of a past week',
    run: (s) => s.forge.invoke(PORTFOLIO, 'portfolio/load', { ...FIRST_PAGE_PAYLOAD, asOf: asOf() }, portfolioContext),
  },
  {
    name: 'first view, restricted viewer',
    run: (s) =>
      s.forge.invoke(PORTFOLIO, 'portfolio/load', FIRST_PAGE_PAYLOAD, {
        ...portfolioContext,
        accountId: PEOPLE.outsider.accountId,
      }),
  },
  {
    // Every part, as the page asks for them (each invocation is one part under Forge's 5 MB).
    name: 'CSV, all rows (every part)',
    run: async (s) => {
      let answer: unknown;
      for (let offset: number | null = 0; offset !== null;) {
        answer = await s.forge.invoke(
          PORTFOLIO,
          'portfolio/csv',
          { filter: {}, sort: FIRST_PAGE_PAYLOAD.sort, offset },
          portfolioContext,
        );
        const part = (answer as { data?: { nextOffset?: number | null } }).data;
        offset = part?.nextOffset ?? null;
      }
      return answer;
    },
  },
  {
    name: 'steering macro',
    run: (s) =>
      s.forge.invoke(
        MACRO,
        'macro/load',
        {},
        {
          accountId: LEAD,
          moduleKey: MACRO,
          localId: 'bench-macro',
          extension: { type: 'macro', config: MACRO_CONFIG },
          locale: 'en-US',
        },
      ),
  },
  {
    name: 'macro export (PDF)',
    run: (s) =>
      s.forge.exportMacro(MACRO, {
        accountId: LEAD,
        exportType: 'pdf',
        localId: 'bench-macro',
        extension: { config: MACRO_CONFIG },
        locale: 'en-US',
      }),
  },
];

function refusedTotal(sandbox: Sandbox): number {
  const refused = sandbox.jira.emulator.rateLimits()?.refused;
  return refused ? Object.values(refused).reduce((sum, n) => sum + n, 0) : 0;
}

/** Why an interaction failed, in its own words; null when it succeeded. */
function failureOf(answer: unknown): string | null {
  // Resolvers answer an envelope; the export answers an ADF document (an error there is thrown).
  const envelope = answer as { success?: unknown; errors?: Array<{ message?: unknown }> } | null;
  if (envelope === null || typeof envelope !== 'object') return 'no answer';
  if (envelope.success !== false) return null;
  return envelope.errors?.map((e) => String(e.message)).join('; ') ?? 'failed';
}

/**
 * Bills each interaction once, with the latency model on for the app's Jira traffic (seeded, so runs repeat).
 * @throws {Error} only when the sandbox itself fails; an interaction that fails is a row with `succeeded: false`.
 */
export async function measureBill(sandbox: Sandbox, instrument: ForgeInstrument): Promise<BillRow[]> {
  const emulator = sandbox.jira.emulator;
  instrument.holdPushes = true;
  emulator.setLatency({ seed: 12 });
  const rows: BillRow[] = [];
  try {
    for (const { name, run } of INTERACTIONS) {
      // A fresh quota hour for each: Jira's meter, and the person's allowance the app keeps (points-allowance.ts).
      emulator.resetRateLimits();
      sandbox.forge.expireStorage('points:');
      const refusedBefore = refusedTotal(sandbox);
      const before = sandbox.forge.invocations().length;
      const started = performance.now();
      let failure: string | null;
      try {
        failure = failureOf(await run(sandbox));
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
      const ok = failure === null;
      if (!ok) console.error(`[bench] ${name} failed: ${failure}`);
      const wallMs = performance.now() - started;
      const records: InvocationRecord[] = sandbox.forge.invocations().slice(before);
      const jiraRequests = records
        .map((record) => instrument.tallies.get(record.invocationId) ?? emptyTally())
        .reduce((sum, tally) => sum + tally.jiraRequests, 0);
      const points = emulator.rateLimits()?.pointsUsed ?? 0;
      const slowestMs = Math.max(0, ...records.map((record) => record.durationMs));
      rows.push({
        interaction: name,
        jiraRequests,
        points,
        wallMs,
        slowestMs,
        refused: refusedTotal(sandbox) - refusedBefore,
        succeeded: ok,
        fits25s: ok && slowestMs <= UI_LIMIT_MS,
        shareOfHour: points / TIER_1_POINTS_PER_HOUR,
        peakMemoryGrowthMb: Math.max(0, ...records.map((record) => record.peakMemoryGrowthMb)),
        memoryMB: Math.min(...records.map((record) => record.memoryMB)),
      });
    }
  } finally {
    emulator.setLatency(null);
    emulator.resetRateLimits();
    instrument.dropHeld();
  }
  return rows;
}
