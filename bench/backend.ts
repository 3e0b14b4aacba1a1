/**
 * The backend figures for one seeded sandbox: the portfolio load as the PMO lead through the real resolver and
 * adapters (Jira requests, response bytes, time), the app's compute against JSON.parse of the very search pages it
 * read, and the daily recompute (the scheduled fan-out, then every consumer run alone) against Forge's limits.
 */
import { type APIResponse } from '@forge/api';
import { type ForgeRuntime, type InvocationRecord } from '../sandbox/forge/types';
import { demoSettings } from '../sandbox/seed/demo-settings';
import { PEOPLE } from '../sandbox/seed/people';
import { type Sandbox } from '../sandbox/server';
import { createJiraAdapter } from '../src/adapters/jira/jira-adapter';
import { createJiraClient, type JiraTransport } from '../src/adapters/jira/jira-client';
import { FORGE_PUSH_LIMITS } from '../src/adapters/queue/recompute-queue';
import { type AppDeps } from '../src/app/deps';
import { assessJudged, judgeIssues, loadPortfolio, portfolioView, readPortfolio } from '../src/app/portfolio-use-case';
import { type SigningKey, type StoragePort } from '../src/app/ports';
import { readRegistry, type RegistryQuery } from '../src/app/registry';
import { emptyTally, type ForgeInstrument, type InvocationTally } from './instrument';
import { median } from './stats';

/** What the portfolio page asks for first (static/portfolio: worst first, 25 rows). */
export const FIRST_PAGE_PAYLOAD = {
  filter: {},
  sort: { by: 'rag', direction: 'desc' },
  page: { offset: 0, limit: 25 },
  includeCsv: false,
} as const;

const PORTFOLIO_MODULE = 'tollgate-portfolio';
/** Async events one installation may push per minute (docs/platform.md §3). */
const EVENTS_PER_MINUTE_PER_INSTALL = 500;

export interface LoadFigures {
  readonly projects: number;
  readonly jiraRequests: number;
  readonly searches: number;
  /** ⌈N/100⌉: one search per 100 projects. */
  readonly floor: number;
  readonly responseBytes: number;
  readonly rowsOnPage: number;
  readonly truncated: boolean;
  readonly staleQueued: number;
  readonly resolverMs: { readonly median: number; readonly runs: readonly number[] };
  readonly resolverLimitMs: number;
}

export interface ComputeFigures {
  readonly pages: number;
  readonly pageBytes: number;
  readonly parseMs: number;
  /** Adapter validation, document parsing, signatures, health (readPortfolio) minus JSON.parse. */
  readonly readMs: number;
  /** Of the read: every project's documents parsed, their signatures checked (judgeIssues). */
  readonly documentsMs: number;
  /** Of the read: every project's health by the rules, its row and the stale check (assessJudged). */
  readonly healthMs: number;
  /** The aggregation loadPortfolio adds on top of readPortfolio (portfolioView). */
  readonly aggregateMs: number;
  /** All the app's work on the parsed pages: loadPortfolio minus JSON.parse. */
  readonly appMs: number;
  /** The issue's "app compute (health + aggregation)": (healthMs + aggregateMs) / parseMs. */
  readonly ratio: number;
  /** Everything the app does with the pages after JSON.parse, validation and signatures included: appMs / parseMs. */
  readonly wholeReadRatio: number;
  readonly rounds: number;
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

/** Invokes `portfolio/load` as the PMO lead, as the portfolio page does on first load. */
/**
 * One `portfolio/load` as the PMO lead, in a fresh hour of their Jira-quota allowance (points-allowance.ts): each
 * figure is the cost of one load, and at 10,000 projects one load spends most of an hour's allowance.
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
    scope: { projects: number; searches: number; truncated: boolean };
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
  let last: { answer: unknown; record: InvocationRecord } | undefined;
  for (let run = 0; run <= runs; run += 1) {
    last = await invokeLoad(sandbox);
    if (run > 0) times.push(last.record.durationMs);
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
    floor: Math.ceil(projects / 100),
    responseBytes: Buffer.byteLength(JSON.stringify(answer), 'utf8'),
    rowsOnPage: envelope.data.page.rows.length,
    truncated: envelope.data.scope.truncated,
    staleQueued: envelope.data.staleQueued,
    resolverMs: { median: median(times), runs: times },
    resolverLimitMs: limitMsOf(sandbox.forge, 'portfolio-resolver', false),
  };
}

/** Answers every search from the recorded bodies, in order, as Jira would have. */
function replayTransport(bodies: readonly string[]): { transport: JiraTransport; rewind(): void } {
  let next = 0;
  return {
    rewind: () => {
      next = 0;
    },
    transport: () => {
      // A read asking for more than the load did would otherwise be answered round and round, for ever.
      if (next >= bodies.length) {
        return Promise.reject(new Error(`the replayed read asked for page ${next + 1} of ${bodies.length} recorded`));
      }
      const body = bodies[next] as string;
      next += 1;
      const response = {
        ok: true,
        status: 200,
        statusText: 'OK',
        headers: new Headers({ 'content-type': 'application/json' }),
        text: () => Promise.resolve(body),
        json: () => Promise.resolve(JSON.parse(body) as unknown),
      };
      return Promise.resolve(response as unknown as APIResponse);
    },
  };
}

function unused(what: string): never {
  throw new Error(`the portfolio read does not ${what}`);
}

/** The app's dependencies with Jira replaced by the recorded pages and storage by what the read needs. */
function replayDeps(transport: JiraTransport, signingKey: SigningKey, now: string): AppDeps {
  const storage: StoragePort = {
    // The same allowance as the recorded load, so the replayed read stops where that load stopped.
    loadSettings: () => Promise.resolve(demoSettings()),
    pointsSpent: () => Promise.resolve(0),
    spendPoints: () => Promise.resolve(),
    signingKey: () => Promise.resolve(signingKey),
    snapshots: () => Promise.resolve([]),
    saveSettings: () => unused('save settings'),
    claimLedger: () => unused('claim the ledger'),
    markCommitted: () => unused('commit the ledger'),
    markStalled: () => unused('mark the ledger stalled'),
    ledger: () => unused('read the ledger'),
    ledgerHead: () => unused('read the ledger'),
    saveSnapshot: () => unused('save snapshots'),
  };
  return {
    jira: createJiraAdapter({ client: createJiraClient({ transport, sleep: () => Promise.resolve() }) }),
    storage,
    queue: { recompute: () => Promise.resolve() },
    readModel: {
      put: () => unused('write the read model'),
      remove: () => unused('write the read model'),
      rowsWritten: () => unused('read the read model'),
      jiraProjects: () => unused('read the read model'),
      firstRows: () => unused('read the read model'),
      counterparties: () => unused('read the read model'),
    },
    clock: { now: () => now, sleep: () => Promise.resolve() },
  };
}

/** Any query: the replay answers every search with the next recorded page, following its tokens. */
const REPLAYED_QUERY: RegistryQuery = { jql: 'replayed', fields: [], properties: [], pageSize: 100 };

/** Rounds of the compute comparison: how many are timed, and how many untimed ones come first. */
export interface ComputeRounds {
  readonly timed: number;
  readonly warmUp: number;
}

/**
 * JSON.parse of the search pages one load read, against the app's own work on them, in one process and interleaved
 * round by round so both see the same machine state. The app's time is measured over the full read with the pages
 * replayed from memory (so it includes the client's JSON.parse) and the parse time is subtracted. The warm-up rounds
 * let the engine optimise the app's code as a warm Forge instance would have it (JSON.parse is native and needs none).
 * @throws {Error} when no search pages were captured.
 */
export async function measureCompute(
  sandbox: Sandbox,
  instrument: ForgeInstrument,
  signingKey: SigningKey,
  rounds: ComputeRounds,
): Promise<ComputeFigures> {
  instrument.searchBodies.length = 0;
  instrument.captureSearches = true;
  instrument.holdPushes = true;
  await invokeLoad(sandbox);
  instrument.captureSearches = false;
  instrument.dropHeld();
  const recorded = [...instrument.searchBodies];
  if (recorded.length === 0) throw new Error('the load sent no search');
  // A load that stopped early (its time budget, the person's allowance) ended on a page that still points on: the
  // replay ends there, so both reads judge the same pages.
  const last = JSON.parse(recorded.at(-1) as string) as Record<string, unknown>;
  delete last.nextPageToken;
  const bodies = [...recorded.slice(0, -1), JSON.stringify({ ...last, isLast: true })];
  const replay = replayTransport(bodies);
  const deps = replayDeps(replay.transport, signingKey, new Date().toISOString());
  const request = { ...FIRST_PAGE_PAYLOAD, accountId: PEOPLE.pmoLead.accountId };
  // The read's two halves are also timed apart, on the issues as the adapter hands them over.
  replay.rewind();
  const { issues } = await readRegistry(deps.jira, { as: 'user', accountId: request.accountId }, REPLAYED_QUERY);
  const settings = demoSettings();
  const parse: number[] = [];
  const read: number[] = [];
  const load: number[] = [];
  const documents: number[] = [];
  const health: number[] = [];
  const aggregate: number[] = [];
  for (let round = 0; round < rounds.warmUp + rounds.timed; round += 1) {
    let started = performance.now();
    for (const body of bodies) JSON.parse(body);
    const parseMs = performance.now() - started;
    replay.rewind();
    started = performance.now();
    const portfolio = await readPortfolio(deps, request);
    const readMs = performance.now() - started;
    replay.rewind();
    started = performance.now();
    await loadPortfolio(deps, request);
    const loadMs = performance.now() - started;
    started = performance.now();
    const judged = judgeIssues(signingKey, issues);
    const documentsMs = performance.now() - started;
    started = performance.now();
    assessJudged(judged, settings, deps.clock.now());
    const healthMs = performance.now() - started;
    started = performance.now();
    portfolioView(portfolio, request, [], 0);
    const aggregateMs = performance.now() - started;
    if (round < rounds.warmUp) continue;
    parse.push(parseMs);
    read.push(readMs);
    load.push(loadMs);
    documents.push(documentsMs);
    health.push(healthMs);
    aggregate.push(aggregateMs);
  }
  const parseMs = median(parse);
  const readMs = median(read) - parseMs;
  const appMs = median(load) - parseMs;
  const aggregateMs = median(aggregate);
  const healthMs = median(health);
  return {
    pages: bodies.length,
    pageBytes: bodies.reduce((sum, body) => sum + Buffer.byteLength(body, 'utf8'), 0),
    parseMs,
    readMs,
    documentsMs: median(documents),
    healthMs,
    aggregateMs,
    appMs,
    ratio: (healthMs + aggregateMs) / parseMs,
    wholeReadRatio: appMs / parseMs,
    rounds: rounds.timed,
  };
}

/**
 * Runs the daily recompute: the scheduled function (its pushes held back), then each pushed event delivered alone.
 */
export async function measureDailyRecompute(sandbox: Sandbox, instrument: ForgeInstrument): Promise<RecomputeFigures> {
  const forge = sandbox.forge;
  const mark = forge.invocations().length;
  const started = performance.now();
  instrument.holdPushes = true;
  await forge.runScheduledTrigger('tollgate-daily-recompute');
  await instrument.deliverHeldOneByOne(forge);
  instrument.holdPushes = false;
  const wallMs = performance.now() - started;
  const records = forge.invocations().slice(mark);
  const scheduledRuns = records.filter((r) => r.kind === 'scheduledTrigger');
  const consumerRuns = records.filter((r) => r.kind === 'consumer');
  const tallies = records.map((r) => tallyOf(instrument, r));
  const sum = (pick: (t: InvocationTally) => number): number => tallies.reduce((total, t) => total + pick(t), 0);
  const scheduled = limitsOf(instrument, scheduledRuns, limitMsOf(forge, 'daily-recompute', true));
  const consumers = limitsOf(instrument, consumerRuns, limitMsOf(forge, 'recompute-consumer', true));
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
      eventsPushed <= EVENTS_PER_MINUTE_PER_INSTALL &&
      (consumers.maxMemoryGrowthMb ?? 0) < memoryOf(sandbox, 'recompute-consumer'),
    wallMs,
  };
}
