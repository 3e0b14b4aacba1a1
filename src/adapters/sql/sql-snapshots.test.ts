/**
 * The weekly snapshots in the sandbox's Forge SQL: for random histories, the trend, the green → red jumps and one
 * week's view are exactly what the domain computes over the same snapshots (portfolioTrend), counting only the rows a
 * reader may see today; a week is read only once written in full; and weeks kept in KVS by an earlier version move.
 */
import { kvs } from '@forge/kvs';
import { sql } from '@forge/sql';
import fc from 'fast-check';
import type { ForgeRuntime } from '../../../sandbox/forge/types';
import { inForge, startAdaptersApp } from '../../../test/fixtures/adapters-app/harness';
import { type AppDeps } from '../../app/deps';
import { type ReaderScope, type ReadModelPort } from '../../app/ports';
import { type Projection } from '../../app/projection';
import { moveKeptSnapshotsUseCase } from '../../app/recompute-use-case';
import { bareProjection } from '../../app/testing/projections';
import { portfolioChanges, type ProjectState } from '../../domain/changes';
import { compareText } from '../../domain/collation';
import { RAGS, ragSeverity } from '../../domain/rag';
import { DEFAULT_RISK_BANDS, POSSIBLE_SCORES, RISK_BANDS, riskBand } from '../../domain/risk';
import { addCalendarDays } from '../../domain/time';
import { portfolioTrend, snapshotRag, type WeeklySnapshot } from '../../domain/trend';
import { createKvsStorage } from '../storage/kvs-storage';
import { createSqlReadModel } from './sql-read-model';
import { runDml } from './statements';

const MONDAY = '2026-11-30';
const KEYS = Array.from({ length: 24 }, (_, i) => `${i % 3 === 0 ? 'OPS' : 'PMO'}-${i + 1}`);

/** A registry row for `key`: every third in a Jira project the reader may not browse. */
const row = (key: string, index: number): Projection =>
  bareProjection(key, { issueId: String(30_000 + index), jiraProjectId: index % 3 === 2 ? '10002' : '10000' });

const history: fc.Arbitrary<WeeklySnapshot[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 8 })
  .chain((weeks) =>
    fc.tuple(
      ...weeks.map((back) =>
        fc
          .subarray(KEYS)
          .chain((keys) =>
            fc.tuple(...keys.map((key) => fc.constantFrom(...RAGS, 'none').map((rag) => ({ key, rag })))),
          )
          .map((rows) => ({ week: addCalendarDays(MONDAY, -7 * back), rows })),
      ),
    ),
  );

describe('weekly snapshots in Forge SQL', () => {
  let runtime: ForgeRuntime;
  let model: ReadModelPort;
  const run = <T>(work: () => Promise<T>): Promise<T> => inForge(runtime, work);
  // The reader browses 10000 only, and does not pass PMO-2's security level.
  const scope: ReaderScope = { projectIds: ['10000'], hiddenIds: ['30001'] };
  const rows = KEYS.map(row);
  const visible = new Set(rows.filter((r) => r.jiraProjectId === '10000' && r.issueId !== '30001').map((r) => r.key));

  beforeAll(async () => {
    runtime = await startAdaptersApp();
    model = createSqlReadModel();
    await run(() => model.put(rows));
  });
  afterAll(() => runtime.close());

  // Through the adapter's own sending, which waits out a refusal for Forge SQL's 150 DML a second as the app does.
  const clear = () =>
    run(async () => {
      await runDml('DELETE FROM snapshot_week', []);
      await runDml('DELETE FROM weekly_snapshot', []);
    });

  it('give the trend, the jumps and a week as the domain does, for the rows the reader may see', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (snapshots) => {
        // A run sends a few dozen statements; the sandbox holds an installation to Forge's 150 DML a second.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await clear();
        await run(async () => {
          // In order, as the weekly run writes them.
          for (const { week, rows: weekRows } of [...snapshots].sort((a, b) => a.week.localeCompare(b.week))) {
            await model.saveSnapshot(week, weekRows);
          }
        });
        const weeks = await run(() => model.snapshotWeeks());
        expect(weeks).toEqual(snapshots.map((s) => s.week).sort());
        // Every week but the earliest: the range leaves weeks out, as a trend of twelve weeks does.
        const from = weeks[1] ?? MONDAY;
        const inRange = snapshots.filter((s) => s.week >= from);
        const trend = await run(() => model.trendIn(scope, from, MONDAY, 1000));
        const expected = portfolioTrend(inRange, (key) => visible.has(key));
        expect(trend.points).toEqual(expected.points);
        expect(trend.inflation.total).toBe(expected.inflation.length);
        const order = (a: { toWeek: string; key: string }, b: { toWeek: string; key: string }) =>
          b.toWeek.localeCompare(a.toWeek) || a.key.localeCompare(b.key);
        expect(trend.inflation.items).toEqual([...expected.inflation].sort(order));

        // The latest week up to one before the last.
        const before = addCalendarDays(MONDAY, -7);
        const latest = snapshots
          .filter((s) => s.week <= before)
          .sort((a, b) => a.week.localeCompare(b.week))
          .at(-1);
        const week = await run(() => model.snapshotIn(scope, addCalendarDays(MONDAY, -77), before, 5));
        expect(week.week).toBe(latest?.week ?? null);
        const seen = (latest?.rows ?? []).filter((r) => visible.has(r.key));
        expect(week.total).toBe(seen.length);
        expect(week.byRag.red).toBe(seen.filter((r) => r.rag === 'red').length);
        expect(week.rows).toEqual(
          [...seen]
            .sort(
              (a, b) => ragSeverity(snapshotRag(b.rag)) - ragSeverity(snapshotRag(a.rag)) || compareText(a.key, b.key),
            )
            .slice(0, 5)
            .map((r) => ({ ...r, summary: `Project ${r.key}` })),
        );
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 300_000);

  it('read a week only once all of it is written, and replace a week written again', async () => {
    await clear();
    await run(() => model.saveSnapshot(MONDAY, [{ key: 'OPS-1', rag: 'red' }]));
    // A week whose writing stopped half-way: its rows, but not its row in snapshot_week.
    await run(() =>
      sql
        .prepare(
          'INSERT INTO weekly_snapshot (week, issue_id, issue_key, jira_project_id, sort_key, rag, severity) ' +
            "VALUES (?, '30000', 'OPS-1', '10000', 'ops-1', 'green', 1)",
        )
        .bindParams(addCalendarDays(MONDAY, -7))
        .execute(),
    );
    await expect(run(() => model.snapshotWeeks())).resolves.toEqual([MONDAY]);
    await run(() => model.saveSnapshot(MONDAY, [{ key: 'PMO-5', rag: 'amber', risk: 'high' }]));
    await expect(run(() => model.snapshotRowsIn(scope, MONDAY))).resolves.toEqual([
      { key: 'PMO-5', rag: 'amber', risk: 'high' },
    ]);
  });

  it('move the weeks an earlier version kept in KVS, and keep a week the read model already holds', async () => {
    await clear();
    const storage = createKvsStorage();
    const deps = { storage, readModel: model } as unknown as AppDeps;
    const earlier = addCalendarDays(MONDAY, -7);
    await run(async () => {
      for (const [week, kept] of [
        [
          earlier,
          [
            ['OPS-1', 'green'],
            ['PMO-5', 'red', 'extreme'],
          ],
        ],
        [MONDAY, [['OPS-1', 'amber']]],
      ] as const) {
        await kvs.set(`snapshot-rows:${week}:0000`, { week, part: 0, rows: kept });
        await kvs.set(`snapshot:${week}`, { schema: 1, week, parts: 1, count: kept.length });
      }
      await model.saveSnapshot(MONDAY, [{ key: 'OPS-1', rag: 'red' }]);
    });
    await expect(run(() => moveKeptSnapshotsUseCase(deps))).resolves.toEqual({ weeks: 1 });
    await expect(run(() => model.snapshotWeeks())).resolves.toEqual([earlier, MONDAY]);
    await expect(run(() => model.snapshotRowsIn(scope, earlier))).resolves.toEqual([
      { key: 'OPS-1', rag: 'green' },
      { key: 'PMO-5', rag: 'red', risk: 'extreme' },
    ]);
    await expect(run(() => model.snapshotRowsIn(scope, MONDAY))).resolves.toEqual([{ key: 'OPS-1', rag: 'red' }]);
    await expect(run(() => storage.legacySnapshotWeeks())).resolves.toEqual([]);
    await expect(run(() => moveKeptSnapshotsUseCase(deps))).resolves.toEqual({ weeks: 0 });
  });
  it('say what changed from one week to the next, or to today, as the domain does, for the rows the reader may see', async () => {
    const rag = fc.constantFrom('red', 'amber', 'green', 'none');
    const band = fc.option(fc.constantFrom('none', ...RISK_BANDS), { nil: undefined });
    const side = fc.array(fc.option(fc.record({ rag, risk: band }), { nil: null }), {
      minLength: KEYS.length,
      maxLength: KEYS.length,
    });
    const live = fc.array(fc.record({ rag, riskMax: fc.constantFrom(0, ...POSSIBLE_SCORES) }), {
      minLength: KEYS.length,
      maxLength: KEYS.length,
    });
    const earlier = addCalendarDays(MONDAY, -7);
    const LIMIT = 3;
    let compared = 0;
    try {
      await fc.assert(
        fc.asyncProperty(side, side, live, async (first, second, today) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await clear();
          const snapshot = (states: typeof first) =>
            KEYS.flatMap((key, i) => {
              const state = states[i];
              return state ? [{ key, rag: state.rag, ...(state.risk === undefined ? {} : { risk: state.risk }) }] : [];
            });
          await run(async () => {
            await model.saveSnapshot(earlier, snapshot(first));
            await model.saveSnapshot(MONDAY, snapshot(second));
            await model.put(
              rows.map((row, i) => ({
                ...row,
                rag: today[i]!.rag,
                severity: ragSeverity(today[i]!.rag),
                riskMax: today[i]!.riskMax,
              })),
            );
          });
          const states = (states: typeof first): ProjectState[] =>
            snapshot(states)
              .filter((state) => visible.has(state.key))
              .map((state) => ({ key: state.key, rag: state.rag, risk: state.risk ?? null }));
          const now: ProjectState[] = KEYS.flatMap((key, i) =>
            visible.has(key)
              ? [
                  {
                    key,
                    rag: today[i]!.rag,
                    risk: today[i]!.riskMax > 0 ? riskBand(today[i]!.riskMax, DEFAULT_RISK_BANDS) : 'none',
                  },
                ]
              : [],
          );
          for (const [to, after] of [
            [MONDAY, states(second)],
            [null, now],
          ] as const) {
            const expected = portfolioChanges(states(first), after);
            const got = await run(() =>
              model.changesIn(scope, { from: earlier, to, bands: DEFAULT_RISK_BANDS, limit: LIMIT }),
            );
            const listOf = <T>(items: readonly T[] | null) =>
              items === null ? null : { total: items.length, items: items.slice(0, LIMIT) };
            expect(got).toEqual({
              newReds: listOf(expected.newReds),
              worse: listOf(expected.worse),
              better: listOf(expected.better),
              risksUp: listOf(expected.risksUp),
              risksDown: listOf(expected.risksDown),
              added: expected.added.length,
            });
            if (expected.newReds.length + expected.worse.length + (expected.risksUp?.length ?? 0) > 0) compared += 1;
          }
        }),
        { numRuns: 25, endOnFailure: true },
      );
      // Comparisons that had something to say: a property over empty lists proves little.
      expect(compared).toBeGreaterThan(10);
    } finally {
      await run(() => model.put(rows));
    }
  }, 300_000);
});
