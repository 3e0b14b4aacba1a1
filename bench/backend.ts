/**
 * The backend figures for one seeded sandbox: the portfolio load as the PMO lead through the real resolver and
 * adapters (Jira requests and points, response bytes, time, memory), and the scheduled work (the daily run from the
 * rows, the weekly reconciliation: the scheduled function, then every consumer run alone) against Forge's limits.
 */
import { type ForgeRuntime, type InvocationRecord } from '../sandbox/forge/types';
import { PEOPLE } from '../sandbox/seed/people';
import { type Sandbox } from '../sandbox/server';
import { FORGE_PUSH_LIMITS } from '../src/adapters/queue/recompute-queue';
import { emptyTally, type ForgeInstrument, type InvocationTally } from './instrument';
import { advanceBenchClock } from './sim-clock';
import { median } from './stats';

/** What the portfolio page asks for first (static/portfolio: worst first, 25 rows). */
export const FIRST_PAGE_PAYLOAD = {
  filter: {},
  sort: { by: 'rag', direction: 'desc' },
  page: { offset: 0, limit: 25 },
} as const;

const PORTFOLIO_MODULE = 'tollgate-portfolio';
/** Async events one installation may push per minute (docs/platform.md §3). */

export interface LoadFigures {
  readonly projects: number;
  readonly jiraRequests: number;
  /** Registry searches: none, since the load reads the read model. */
  readonly searches: number;
  /** Jira points one load spent (the emulator's points model, docs/platform.md §3). */
  readonly points: number;
  readonly responseBytes: number;
  readonly rowsOnPage: number;
  readonly staleQueued: number;
  readonly resolverMs: { readonly median: number; readonly max: number; readonly runs: readonly number[] };
  readonly resolverLimitMs: number;
  /** The most one load's memory grew (InvocationRecord.peakMemoryGrowthMb), against the function's memory. */
  readonly memoryGrowthMb: number;
  readonly memoryMb: number;
}

export interface InvocationLimits {
  readonly count: number;
  readonly limitMs: number;
  readonly maxMs: number;
  readonly medianMs: number;
  readonly maxJiraRequests: number;
  readonly maxKvsCalls: number;
  readonly failures: number;
  /** The most any run's memory grew (InvocationRecord.peakMemoryGrowthMb); each consumer runs alone here. */
  readonly maxMemoryGrowthMb?: number;
}

export interface RecomputeFigures {
  readonly jiraRequests: number;
  readonly searches: number;
  readonly healthWrites: number;
  readonly kvsCalls: number;
  readonly eventsPushed: number;
  /**
   * Events pushed with a delay because this hour's background budget could not afford them (recompute-pacing.ts);
   * absent from results measured before the pacing existed, which a partial run keeps.
   */
  readonly deferredEvents?: number;
  /** The minutes the run took at the pace its budget allows (1 when nothing waited); absent like deferredEvents. */
  readonly minutes?: number;
  /** Pushes Forge's 500 events a minute refused (the app pushed them again a minute later); absent like minutes. */
  readonly refusedPushes?: number;
  readonly pushes: number;
  readonly maxEventsPerPush: number;
  readonly maxPushBytes: number;
  readonly scheduled: InvocationLimits;
  readonly consumers: InvocationLimits;
  readonly withinLimits: boolean;
  readonly wallMs: number;
}

function memoryOf(sandbox: Sandbox, functionKey: string): number {
  return sandbox.forge.manifest.functions.get(functionKey)?.memoryMB ?? 512;
}

function limitMsOf(forge: ForgeRuntime, functionKey: string, long: boolean): number {
  const declared = forge.manifest.functions.get(functionKey)?.timeoutSeconds;
  return (long ? Math.min(declared ?? 55, 900) : 25) * 1000;
}

function tallyOf(instrument: ForgeInstrument, record: InvocationRecord): InvocationTally {
  return instrument.tallies.get(record.invocationId) ?? emptyTally();
}

function limitsOf(
  instrument: ForgeInstrument,
  records: readonly InvocationRecord[],
  limitMs: number,
): InvocationLimits {
  const durations = records.map((r) => r.durationMs);
  const tallies = records.map((r) => tallyOf(instrument, r));
  return {
    count: records.length,
    limitMs,
    maxMs: Math.max(0, ...durations),
    medianMs: median(durations),
    maxJiraRequests: Math.max(0, ...tallies.map((t) => t.jiraRequests)),
    maxKvsCalls: Math.max(0, ...tallies.map((t) => t.kvsCalls)),
    failures: records.filter((r) => r.outcome !== 'ok').length,
    maxMemoryGrowthMb: Math.max(0, ...records.map((r) => r.peakMemoryGrowthMb)),
  };
}

/**
 * One `portfolio/load` as the PMO lead, in a fresh hour of their Jira-quota allowance (points-allowance.ts): each
 * figure is the cost of one load.
 */
async function invokeLoad(sandbox: Sandbox): Promise<{ answer: unknown; record: InvocationRecord }> {
  sandbox.forge.expireStorage('points:');
  const answer = await sandbox.forge.invoke(PORTFOLIO_MODULE, 'portfolio/load', FIRST_PAGE_PAYLOAD, {
    accountId: PEOPLE.pmoLead.accountId,
    moduleKey: PORTFOLIO_MODULE,
    extension: { type: 'jira:globalPage' },
    locale: 'en-US',
  });
  const record = sandbox.forge.invocations().at(-1);
  if (!record || record.resolverKey !== 'portfolio/load') throw new Error('the load left no invocation record');
  return { answer, record };
}

interface LoadAnswer {
  readonly success: boolean;
  readonly data?: {
    scope: { projects: number };
    page: { rows: unknown[] };
    staleQueued: number;
  };
  readonly errors?: unknown;
}

/**
 * The first page as the PMO lead: one warm-up load, then `runs` timed loads. Pushes of stale rows are counted and
 * dropped (the daily recompute has run, so there should be none).
 * @throws {Error} when the resolver answers with an error.
 */
export async function measureLoad(sandbox: Sandbox, instrument: ForgeInstrument, runs: number): Promise<LoadFigures> {
  instrument.holdPushes = true;
  const times: number[] = [];
  let memoryGrowthMb = 0;
  let points = 0;
  let last: { answer: unknown; record: InvocationRecord } | undefined;
  for (let run = 0; run <= runs; run += 1) {
    sandbox.jira.emulator.resetRateLimits();
    last = await invokeLoad(sandbox);
    if (run === 0) continue;
    times.push(last.record.durationMs);
    memoryGrowthMb = Math.max(memoryGrowthMb, last.record.peakMemoryGrowthMb);
    points = Math.max(points, sandbox.jira.emulator.rateLimits()?.pointsUsed ?? 0);
  }
  instrument.dropHeld();
  const { answer, record } = last!;
  const envelope = answer as LoadAnswer;
  if (!envelope.success || !envelope.data) throw new Error(`portfolio/load failed: ${JSON.stringify(envelope.errors)}`);
  const tally = tallyOf(instrument, record);
  const projects = envelope.data.scope.projects;
  return {
    projects,
    jiraRequests: tally.jiraRequests,
    searches: tally.searches,
    points,
    responseBytes: Buffer.byteLength(JSON.stringify(answer), 'utf8'),
    rowsOnPage: envelope.data.page.rows.length,
    staleQueued: envelope.data.staleQueued,
    resolverMs: { median: median(times), max: Math.max(...times), runs: times },
    resolverLimitMs: limitMsOf(sandbox.forge, 'portfolio-resolver', false),
    memoryGrowthMb,
    memoryMb: memoryOf(sandbox, 'portfolio-resolver'),
  };
}

/** The app's background work the benchmark runs: what starts it, and the function that start calls. */
export const BACKGROUND_RUNS = {
  /** Installed on a site: the reconciliation with the registry listed, which builds the read model. */
  install: {
    functionKey: 'lifecycle',
    start: (forge: ForgeRuntime) => forge.deliverLifecycleEvent('avi:forge:installed:app', PEOPLE.admin.accountId),
  },
  /** Every row judged again from Forge SQL, the issues Jira changed in the last day read in full. */
  daily: {
    functionKey: 'daily-recompute',
    start: (forge: ForgeRuntime) => forge.runScheduledTrigger('tollgate-daily-recompute'),
  },
  /** The trend's snapshot and the reconciliation: every row read again from Jira, paced. */
  weekly: { functionKey: 'weekly', start: (forge: ForgeRuntime) => forge.runScheduledTrigger('tollgate-weekly') },
} as const;

/**
 * Runs background work: the function that starts it (its pushes held back), then each pushed event delivered alone,
 * and what those consumers push in turn; jobs the budget deferred run in the next minute, until none is left.
 */
export async function measureBackgroundRun(
  sandbox: Sandbox,
  instrument: ForgeInstrument,
  run: keyof typeof BACKGROUND_RUNS,
): Promise<RecomputeFigures> {
  const forge = sandbox.forge;
  const mark = forge.invocations().length;
  const started = performance.now();
  const refusedBefore = instrument.refusedPushes;
  instrument.holdPushes = true;
  await BACKGROUND_RUNS[run].start(forge);
  // A deferred job runs when its delay has passed on the benchmark's clock (sim-clock.ts), a minute a window: every
  // budget it meets then (the app's for the minute and the hour, Forge storage's units, the queue's pushes, Jira's
  // points) is the one of that minute and that hour.
  const { deferred, windows } = await instrument.deliverHeldOneByOne(forge, () => advanceBenchClock(60_000));
  instrument.holdPushes = false;
  const wallMs = performance.now() - started;
  const records = forge.invocations().slice(mark);
  const scheduledRuns = records.filter((r) => r.kind === 'scheduledTrigger' || r.kind === 'lifecycle');
  const consumerRuns = records.filter((r) => r.kind === 'consumer');
  const tallies = records.map((r) => tallyOf(instrument, r));
  const sum = (pick: (t: InvocationTally) => number): number => tallies.reduce((total, t) => total + pick(t), 0);
  const scheduled = limitsOf(instrument, scheduledRuns, limitMsOf(forge, BACKGROUND_RUNS[run].functionKey, true));
  const consumers = limitsOf(instrument, consumerRuns, limitMsOf(forge, 'recompute-consumer', true));
  // Why runs failed, in their own words, so a failure in the figures can be explained.
  const reasons = new Map<string, number>();
  for (const record of [...scheduledRuns, ...consumerRuns]) {
    if (record.outcome === 'ok') continue;
    const reason = `${record.outcome}: ${(record.error ?? 'no message').slice(0, 200)}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  for (const [reason, times] of reasons) console.error(`[bench] ${run}: ${times} runs failed with ${reason}`);
  const eventsPushed = sum((t) => t.events);
  const maxEventsPerPush = Math.max(0, ...tallies.map((t) => t.maxEventsPerPush));
  const maxPushBytes = Math.max(0, ...tallies.map((t) => t.maxPushBytes));
  const inTime = (limits: InvocationLimits): boolean => limits.failures === 0 && limits.maxMs < limits.limitMs;
  return {
    jiraRequests: sum((t) => t.jiraRequests),
    searches: sum((t) => t.searches),
    healthWrites: sum((t) => t.propertyWrites),
    kvsCalls: sum((t) => t.kvsCalls),
    eventsPushed,
    deferredEvents: deferred,
    minutes: windows,
    refusedPushes: instrument.refusedPushes - refusedBefore,
    pushes: sum((t) => t.pushes),
    maxEventsPerPush,
    maxPushBytes,
    scheduled,
    consumers,
    withinLimits:
      inTime(scheduled) &&
      inTime(consumers) &&
      maxEventsPerPush <= FORGE_PUSH_LIMITS.maxEvents &&
      maxPushBytes <= FORGE_PUSH_LIMITS.maxBytes &&
      instrument.refusedPushes === refusedBefore &&
      (consumers.maxMemoryGrowthMb ?? 0) < memoryOf(sandbox, 'recompute-consumer'),
    wallMs,
  };
}
