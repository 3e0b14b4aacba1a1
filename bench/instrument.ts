/**
 * Counts what each Forge invocation sends, by wrapping the one seam every SDK call goes through in the sandbox
 * (`global.__forge_fetch__`, docs/platform.md §4): Jira requests, KVS calls and async-event pushes, attributed to the
 * invocation that made them (`__forge_runtime__.appContext.invocationId` is read at call time). It can also keep the
 * raw bodies of registry searches (for the JSON.parse comparison) and hold pushed events back so the benchmark
 * delivers them one at a time — the sandbox would otherwise run a hundred consumers at once on one thread, and each
 * run's time would include everyone else's.
 */
import { EVENTS_PER_MINUTE } from '../sandbox/forge/async-events';
import { runInInvocation } from '../sandbox/forge/invocation';
import type { ForgeFetch } from '../sandbox/forge/runtime';
import type { ForgeRuntime } from '../sandbox/forge/types';

/** What one invocation sent. */
export interface InvocationTally {
  jiraRequests: number;
  searches: number;
  propertyWrites: number;
  kvsCalls: number;
  pushes: number;
  events: number;
  maxEventsPerPush: number;
  /** UTF-8 bytes of the largest push's events array, as @forge/events measures it (≤ 200 KB). */
  maxPushBytes: number;
}

interface HeldPush {
  readonly meta: Parameters<ForgeFetch>[0];
  readonly path: string;
  readonly request: Record<string, unknown> & { payload: unknown[] };
}

/** The wrapper's controls and what it counted. */
export interface ForgeInstrument {
  readonly tallies: Map<string, InvocationTally>;
  /** Raw `/search/jql` answers, kept while `captureSearches` is set. */
  readonly searchBodies: string[];
  captureSearches: boolean;
  /** Pushes refused for Forge's 500 events a minute (the app waits for the next minute and pushes again). */
  refusedPushes: number;
  /** While set, pushes are answered as accepted and kept, not delivered. */
  holdPushes: boolean;
  /** Pushed events kept back, in push order. */
  heldEvents(): number;
  /** Forgets held events without delivering them. */
  dropHeld(): void;
  /**
   * Delivers the held events one per push and waits for each consumer run (and any retries) to finish before the
   * next, so each run is timed alone as on Forge, where every event gets its own invocation.
   */
  deliverHeldOneByOne(
    runtime: ForgeRuntime,
    nextWindow?: () => void,
  ): Promise<{ delivered: number; deferred: number; windows: number }>;
  restore(): void;
}

const forgeGlobals = globalThis as typeof globalThis & { __forge_fetch__?: ForgeFetch; __forge_runtime__?: unknown };

/** A tally of an invocation that has called nothing yet. */
export function emptyTally(): InvocationTally {
  return {
    jiraRequests: 0,
    searches: 0,
    propertyWrites: 0,
    kvsCalls: 0,
    pushes: 0,
    events: 0,
    maxEventsPerPush: 0,
    maxPushBytes: 0,
  };
}

function currentInvocationId(): string {
  try {
    const context = (forgeGlobals.__forge_runtime__ as { appContext?: { invocationId?: unknown } } | undefined)
      ?.appContext;
    return typeof context?.invocationId === 'string' ? context.invocationId : 'outside';
  } catch {
    return 'outside';
  }
}

/** Windows a benchmark run may open before it stops waiting for deferred jobs (a day of minutes). */
const MAX_WINDOWS = 24 * 60;

/**
 * Wraps `__forge_fetch__` (call after the runtime exists: it installs the seam when created).
 * @throws {Error} when no Forge runtime has installed the seam yet.
 */
export function instrumentForge(): ForgeInstrument {
  const original = forgeGlobals.__forge_fetch__;
  if (!original) throw new Error('No Forge runtime has installed __forge_fetch__ yet');
  const tallies = new Map<string, InvocationTally>();
  const held: HeldPush[] = [];
  let pushMinute = -1;
  let pushedThisMinute = 0;
  const instrument: ForgeInstrument = {
    tallies,
    refusedPushes: 0,
    searchBodies: [],
    captureSearches: false,
    holdPushes: false,
    heldEvents: () => held.reduce((sum, push) => sum + push.request.payload.length, 0),
    dropHeld: () => {
      held.length = 0;
    },
    async deliverHeldOneByOne(runtime, nextWindow) {
      let delivered = 0;
      let deferred = 0;
      let windows = 1;
      let later: Array<HeldPush & { readonly dueAt: number }> = [];
      // What the consumers push while they run (a retry, the daily run's follow-up reads) is held too and delivered in
      // the next round. An event pushed with a delay (a job the background budget could not afford, a retry) runs
      // that many seconds later, as on Forge: it waits for the window, a minute of the benchmark's clock that
      // `nextWindow` opens, in which it falls due, or is only counted when there is no later window.
      for (;;) {
        while (held.length > 0) {
          for (const push of held.splice(0)) {
            for (const event of push.request.payload) {
              const { delayInSeconds, ...now } = event as { delayInSeconds?: number };
              if (typeof delayInSeconds === 'number') {
                deferred += 1;
                later.push({
                  ...push,
                  request: { ...push.request, payload: [now] },
                  dueAt: Date.now() + delayInSeconds * 1000,
                });
                continue;
              }
              const body = JSON.stringify({ ...push.request, payload: [event] });
              const answer = await runInInvocation(runtime, {}, () =>
                original(push.meta, push.path, { method: 'POST', body }),
              );
              // The event was counted when the app pushed it; the queue refusing it now would lose it from the figures.
              if (!answer.ok) throw new Error(`The sandbox queue refused a held event: ${answer.status}`);
              await runtime.drainQueue();
              delivered += 1;
            }
          }
        }
        if (later.length === 0 || !nextWindow || windows >= MAX_WINDOWS) break;
        nextWindow();
        windows += 1;
        const due = later.filter((push) => push.dueAt <= Date.now());
        later = later.filter((push) => push.dueAt > Date.now());
        held.push(...due);
      }
      return { delivered, deferred, windows };
    },
    restore: () => {
      forgeGlobals.__forge_fetch__ = original;
    },
  };

  forgeGlobals.__forge_fetch__ = async (meta, path, init) => {
    const id = currentInvocationId();
    const tally = tallies.get(id) ?? emptyTally();
    tallies.set(id, tally);
    const search = meta.remote === 'jira' && path.startsWith('/rest/api/3/search/jql');
    if (meta.type === 'kvs') tally.kvsCalls += 1;
    else if (meta.remote === 'jira') {
      tally.jiraRequests += 1;
      if (search) tally.searches += 1;
      if (init?.method === 'PUT' && path.includes('/properties/')) tally.propertyWrites += 1;
    } else if (meta.remote === 'stargate' && path.startsWith('/webhook/queue/publish/')) {
      // @forge/events sends the push as a JSON string (out/queries.js `post`).
      const request = JSON.parse(typeof init?.body === 'string' ? init.body : '{"payload":[]}') as HeldPush['request'];
      // Forge's 500 events a minute, counted when the app pushes (the queue itself counts nothing in the benchmark).
      const minute = Math.floor(Date.now() / 60_000);
      if (minute !== pushMinute) {
        pushMinute = minute;
        pushedThisMinute = 0;
      }
      if (pushedThisMinute + request.payload.length > EVENTS_PER_MINUTE) {
        instrument.refusedPushes += 1;
        return Response.json(
          { message: `More than ${EVENTS_PER_MINUTE} events pushed in one minute` },
          { status: 429 },
        );
      }
      pushedThisMinute += request.payload.length;
      tally.pushes += 1;
      tally.events += request.payload.length;
      tally.maxEventsPerPush = Math.max(tally.maxEventsPerPush, request.payload.length);
      tally.maxPushBytes = Math.max(tally.maxPushBytes, Buffer.byteLength(JSON.stringify(request.payload), 'utf8'));
      if (instrument.holdPushes) {
        held.push({ meta, path, request });
        return new Response(null, { status: 201 });
      }
    }
    const response = await original(meta, path, init);
    if (search && instrument.captureSearches) instrument.searchBodies.push(await response.clone().text());
    return response;
  };
  return instrument;
}
