import { type AppDeps } from './deps';
import { type RecomputeReason, type SweepStep } from './ports';
import { BACKGROUND_ACCOUNT, BACKGROUND_POINTS_PER_HOUR } from './recompute-pacing';
import { LISTED_PER_PAGE, ROWS_PER_PAGE, SWEEP_PAUSE_SECONDS, sweepStepUseCase } from './sweep-use-case';

const REGISTRY_JQL = 'project = PMO AND issuetype = Project';

const ids = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => String(from + i)).sort();

interface Pushed {
  readonly at: number;
  readonly events: number;
}

/**
 * A site with `rows` in the read model, `registry` in Jira and `strays` carrying health outside it. Steps run one at a
 * time in the order they fall due, on a clock that jumps to the next one; what they queue is recorded.
 */
function site(rows: readonly string[], registry: readonly string[], strays: readonly string[]) {
  let now = Date.parse('2026-12-03T01:00:00.000Z');
  const spent = new Map<string, number>();
  const queued = new Map<RecomputeReason, string[]>();
  const pushes: Pushed[] = [];
  const steps: Array<{ readonly step: SweepStep; readonly dueAt: number }> = [];
  const searches: Array<{ readonly jql: string; readonly maxResults: number | undefined; readonly at: number }> = [];
  const page = (list: readonly string[], token: string | undefined, size: number) => {
    const start = token === undefined ? 0 : Number(token.slice('after:'.length));
    const end = start + size;
    return { ids: list.slice(start, end), nextPageToken: end < list.length ? `after:${end}` : null };
  };
  const deps = {
    clock: { now: () => new Date(now).toISOString(), sleep: () => Promise.resolve() },
    storage: {
      loadSettings: () => Promise.resolve({ registryJql: REGISTRY_JQL }),
      pointsSpent: (account: string, hour: string) => Promise.resolve(spent.get(`${hour}|${account}`) ?? 0),
      spendPoints: (account: string, hour: string, points: number) => {
        spent.set(`${hour}|${account}`, (spent.get(`${hour}|${account}`) ?? 0) + points);
        return Promise.resolve();
      },
    },
    readModel: {
      rowIdsAfter: (after: string, limit: number) => Promise.resolve(rows.filter((id) => id > after).slice(0, limit)),
      rowsAmong: (among: readonly string[]) => Promise.resolve(new Set(among.filter((id) => rows.includes(id)))),
    },
    jira: {
      searchIds: (_: unknown, query: { jql: string; nextPageToken?: string; maxResults?: number }) => {
        searches.push({ jql: query.jql, maxResults: query.maxResults, at: now });
        const list = query.jql === REGISTRY_JQL ? registry : strays;
        return Promise.resolve(page(list, query.nextPageToken, query.maxResults ?? 5000));
      },
    },
    queue: {
      recompute: (issueIds: readonly string[], reason: RecomputeReason) => {
        queued.set(reason, [...(queued.get(reason) ?? []), ...issueIds]);
        if (issueIds.length > 0) pushes.push({ at: now, events: Math.ceil(issueIds.length / 100) });
        return Promise.resolve();
      },
      sweep: (step: SweepStep, delayInSeconds?: number) => {
        steps.push({ step, dueAt: now + (delayInSeconds ?? 0) * 1000 });
        pushes.push({ at: now, events: 1 });
        return Promise.resolve();
      },
    },
  } as unknown as AppDeps;

  /** Runs the sweep from `first` to its end; how many steps ran and how many waited for the budget. */
  async function sweep(first: SweepStep): Promise<{ ran: number; deferred: number }> {
    steps.push({ step: first, dueAt: now });
    let ran = 0;
    let deferred = 0;
    while (steps.length > 0) {
      steps.sort((a, b) => a.dueAt - b.dueAt);
      const { step, dueAt } = steps.shift()!;
      now = Math.max(now, dueAt);
      const outcome = await sweepStepUseCase(deps, step);
      ran += 1;
      if (outcome.deferred) deferred += 1;
      now += 1000; // A step's own second.
    }
    return { ran, deferred };
  }

  const eventsPerMinute = (): number[] => {
    const minutes = new Map<number, number>();
    for (const push of pushes) {
      const minute = Math.floor(push.at / 60_000);
      minutes.set(minute, (minutes.get(minute) ?? 0) + push.events);
    }
    return [...minutes.values()];
  };
  const spentInHours = (): number[] =>
    [...spent].filter(([key]) => key.endsWith(`|${BACKGROUND_ACCOUNT}`)).map(([, points]) => points);
  return { deps, sweep, queued, searches, eventsPerMinute, spentInHours, spend: spent };
}

describe('a sweep through lists too long for one invocation', () => {
  const rows = ids(100_000, 12_345);
  // The registry holds 9,000 of the rows and 3,000 projects without one; 12,345 - 9,000 rows have left it.
  const registry = [...rows.slice(0, 9_000), ...ids(500_000, 3_000)];
  const strays = ids(900_000, 450);

  it('queues every row, and every registry project without one, exactly once; then the strays', async () => {
    const world = site(rows, registry, strays);
    await world.sweep({ listing: 'rows', reason: 'reconcile', listRegistry: true });
    const reconciled = world.queued.get('reconcile') ?? [];
    expect(reconciled).toHaveLength(new Set(reconciled).size);
    expect(new Set(reconciled)).toEqual(new Set([...rows, ...registry]));
    expect(world.queued.get('stray-health')).toEqual(strays);
    // Jira was listed in pages of LISTED_PER_PAGE: the registry's 12,000 and the strays' 450.
    expect(world.searches.every((search) => search.maxResults === LISTED_PER_PAGE)).toBe(true);
    expect(world.searches).toHaveLength(Math.ceil(12_000 / LISTED_PER_PAGE) + Math.ceil(450 / LISTED_PER_PAGE));
  });

  it('keeps every minute under Forge’s 500 events and every hour’s listing inside the background budget', async () => {
    const world = site(rows, registry, strays);
    await world.sweep({ listing: 'rows', reason: 'reconcile', listRegistry: true });
    expect(Math.max(...world.eventsPerMinute())).toBeLessThanOrEqual(6 * (ROWS_PER_PAGE / 100 + 1));
    expect(Math.max(...world.spentInHours())).toBeLessThanOrEqual(BACKGROUND_POINTS_PER_HOUR);
    // What was spent is what was listed: a point a search and one an id, not a full page's worth each time.
    const listed = world.searches.length + 12_000 + 450;
    expect(world.spentInHours().reduce((a, b) => a + b, 0)).toBe(listed);
  });

  it('pauses after each full page of rows, and the daily run’s sweep ends with the rows', async () => {
    const world = site(rows, registry, strays);
    const started = Date.parse(world.deps.clock.now());
    const { ran } = await world.sweep({ listing: 'rows', reason: 'rejudge', listRegistry: false });
    expect(ran).toBe(Math.ceil(rows.length / ROWS_PER_PAGE));
    expect(world.queued.get('rejudge')).toEqual(rows);
    expect(world.searches).toEqual([]);
    const fullPages = Math.floor(rows.length / ROWS_PER_PAGE);
    expect(Date.parse(world.deps.clock.now()) - started).toBeGreaterThanOrEqual(fullPages * SWEEP_PAUSE_SECONDS * 1000);
  });

  it('waits in the queue while the background budget cannot afford a page, and lists nothing meanwhile', async () => {
    const newcomers = ids(500_000, 10);
    const world = site([], newcomers, []);
    const hour = world.deps.clock.now().slice(0, 13);
    world.spend.set(`${hour}|${BACKGROUND_ACCOUNT}`, BACKGROUND_POINTS_PER_HOUR - LISTED_PER_PAGE);
    const { deferred } = await world.sweep({ listing: 'registry', reason: 'reconcile', listRegistry: true });
    expect(deferred).toBeGreaterThan(0);
    // Nothing was listed until the next hour's budget could afford a full page.
    const nextHour = Date.parse(`${hour}:00:00.000Z`) + 3_600_000;
    expect(world.searches.length).toBeGreaterThan(0);
    expect(Math.min(...world.searches.map((search) => search.at))).toBeGreaterThanOrEqual(nextHour);
    expect(world.queued.get('reconcile')).toEqual(newcomers);
  });
});
