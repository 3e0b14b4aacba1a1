/**
 * The read-model adapter against the sandbox's Forge SQL (MariaDB behind the real @forge/sql SDK), inside Forge
 * invocations: the schema made on first use, rows replaced by issue id, reads confined to the Jira projects named.
 */
import { sql } from '@forge/sql';
import type { ForgeRuntime } from '../../../sandbox/forge/types';
import { inForge, startAdaptersApp } from '../../../test/fixtures/adapters-app/harness';
import { type ReadModelPort } from '../../app/ports';
import { type Projection } from '../../app/projection';
import { bareProjection } from '../../app/testing/projections';
import { buildDecision, buildGovernance } from '../../domain/testing/builders';
import { createSqlReadModel } from './sql-read-model';

/** A green row in Jira project 10000 (CONF keys in 10001), owned by Owen Berg. */
function projection(key: string, overrides: Partial<Projection> = {}): Projection {
  const number = Number(key.split('-')[1]);
  return bareProjection(
    key,
    {
      issueId: String(10_000 + number + (key.startsWith('CONF') ? 500 : 0)),
      jiraProjectId: key.startsWith('CONF') ? '10001' : '10000',
    },
    { ownerName: 'Owen Berg', rag: 'green', severity: 1, ...overrides },
  );
}

describe('createSqlReadModel', () => {
  let runtime: ForgeRuntime;
  let model: ReadModelPort;
  const run = <T>(work: () => Promise<T>): Promise<T> => inForge(runtime, work);

  beforeAll(async () => {
    runtime = await startAdaptersApp();
    model = createSqlReadModel();
  });
  afterAll(() => runtime.close());

  it('makes its table on first use and reads nothing from an empty model', async () => {
    await expect(run(() => model.jiraProjects())).resolves.toEqual([]);
    const tables = await run(() => sql.executeRaw<{ name: string }>('SELECT name FROM __migrations'));
    expect(tables.rows.map((row) => row.name)).toEqual([
      'v001_project_projection',
      'v002_projection_problem',
      'v003_projection_health',
      'v004_projection_entry',
      'v005_projection_figures',
      'v006_weekly_snapshot',
      'v007_snapshot_week',
      'v008_snapshot_count',
      'v009_gate_decision',
      'v010_projection_decisions_kept',
    ]);
  });

  it('replaces a row by issue id, and orders by a stored column with keys as people read them', async () => {
    await run(() =>
      model.put([
        projection('PMO-10', { rag: 'red', severity: 3, riskMax: 20 }),
        projection('PMO-9', { rag: 'red', severity: 3, riskMax: 12 }),
        projection('PMO-2'),
        projection('CONF-1', { rag: 'amber', severity: 2 }),
      ]),
    );
    await run(() => model.put([projection('PMO-2', { rag: 'amber', severity: 2, ownerName: null })]));
    const worst = await run(() =>
      model.firstRows({ projectIds: ['10000', '10001'], orderBy: 'severity', direction: 'desc', limit: 10 }),
    );
    expect(worst.map((row) => row.key)).toEqual(['PMO-9', 'PMO-10', 'CONF-1', 'PMO-2']);
    expect(worst[3]).toMatchObject({ key: 'PMO-2', ownerName: null, integrity: 'ok', securityLevelId: null });
    expect(worst[3]?.facts).toMatchObject({ key: 'PMO-2', summary: 'Project PMO-2' });
    const risk = await run(() =>
      model.firstRows({ projectIds: ['10000'], orderBy: 'riskMax', direction: 'desc', limit: 1 }),
    );
    expect(risk.map((row) => row.key)).toEqual(['PMO-10']);
    await expect(run(() => model.jiraProjects())).resolves.toEqual(expect.arrayContaining(['10000', '10001']));
  });

  it('never returns a row outside the Jira projects named, nor one under a security level as a counterparty', async () => {
    await run(() =>
      model.put([
        projection('PMO-20', { rag: 'red', severity: 3, waitsOn: ['CONF-1'] }),
        projection('PMO-21', { rag: 'red', severity: 3, securityLevelId: '10100' }),
      ]),
    );
    const rows = await run(() =>
      model.firstRows({ projectIds: ['10000'], orderBy: 'severity', direction: 'desc', limit: 100 }),
    );
    expect(rows.some((row) => row.key.startsWith('CONF'))).toBe(false);
    await expect(
      run(() => model.firstRows({ projectIds: [], orderBy: 'severity', direction: 'desc', limit: 5 })),
    ).resolves.toEqual([]);
    const counterparties = await run(() => model.counterparties(['10000'], ['PMO-20', 'PMO-21', 'CONF-1']));
    expect([...counterparties]).toEqual([['PMO-20', { rag: 'red', waitsOn: ['CONF-1'] }]]);
  });

  it('leaves out a row that does not parse, and serves the others', async () => {
    await run(() =>
      sql
        .prepare("UPDATE project_projection SET facts = '{not json' WHERE issue_key = ?")
        .bindParams('PMO-9')
        .execute(),
    );
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const rows = await run(() =>
      model.firstRows({ projectIds: ['10000'], orderBy: 'severity', direction: 'desc', limit: 100 }),
    );
    expect(rows.map((row) => row.key)).not.toContain('PMO-9');
    expect(rows.map((row) => row.key)).toContain('PMO-10');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('does not parse'), expect.any(String));
    error.mockRestore();
    await run(() => model.put([projection('PMO-9')]));
  });

  it('writes a batch larger than one request in several, each under Forge SQL’s 1 MiB', async () => {
    const big = 'x'.repeat(200_000);
    const batch = Array.from({ length: 12 }, (_, i) =>
      projection(`PMO-${100 + i}`, { facts: { ...projection('PMO-1').facts, key: `PMO-${100 + i}`, summary: big } }),
    );
    await run(() => model.put(batch));
    const rows = await run(() =>
      model.firstRows({ projectIds: ['10000'], orderBy: 'severity', direction: 'asc', limit: 100 }),
    );
    expect(rows.filter((row) => row.key.startsWith('PMO-1') && row.key.length === 7)).toHaveLength(12);
  });

  it('reads every row of the Jira projects named, in SELECTs under Forge SQL’s 4 MiB, or only the issues named', async () => {
    // The 12 rows of 200 KB above are 2.4 MB of facts: more than one SELECT carries.
    const all = await run(() => model.rowsIn({ projectIds: ['10000'] }));
    const keys = all.map((row) => row.key);
    expect(keys.filter((key) => /^PMO-1\d\d$/.test(key))).toHaveLength(12);
    expect(keys.some((key) => key.startsWith('CONF'))).toBe(false);
    expect(new Set(keys).size).toBe(keys.length);
    const conf = projection('CONF-1');
    const named = await run(() =>
      model.rowsIn({ projectIds: ['10000', '10001'], issueIds: [conf.issueId, projection('PMO-2').issueId, '999'] }),
    );
    expect(named.map((row) => row.key).sort()).toEqual(['CONF-1', 'PMO-2']);
    await expect(run(() => model.rowsIn({ projectIds: ['10000'], issueIds: [] }))).resolves.toEqual([]);
    await expect(run(() => model.rowsIn({ projectIds: [] }))).resolves.toEqual([]);
  });

  it('keeps why a record is left out, and brings an older schema up to date on first use', async () => {
    const problem = {
      source: 'raid' as const,
      code: 'newer-schema',
      message: 'A newer Tollgate wrote it.',
      problems: [],
    };
    await run(() => model.put([projection('PMO-30', { integrity: 'tampered', problem })]));
    // An installation whose schema predates the column: the next query finds it missing and migrates.
    await run(() => sql.executeDDL('ALTER TABLE project_projection DROP COLUMN problem'));
    await run(() =>
      sql.prepare('DELETE FROM __migrations WHERE name = ?').bindParams('v002_projection_problem').execute(),
    );
    const before = await run(() => model.rowsIn({ projectIds: ['10000'], issueIds: [projection('PMO-30').issueId] }));
    expect(before).toMatchObject([{ key: 'PMO-30', integrity: 'tampered', problem: null }]);
    await run(() => model.put([projection('PMO-30', { integrity: 'tampered', problem })]));
    const after = await run(() => model.rowsIn({ projectIds: ['10000'], issueIds: [projection('PMO-30').issueId] }));
    expect(after).toMatchObject([{ key: 'PMO-30', problem }]);
  });

  it('lists every row, gives the daily run its facts and health, and keeps a rejudged row an op rewrote as it is', async () => {
    const first = projection('PMO-40');
    const second = { ...projection('PMO-41'), riskMax: 12 };
    await run(() => model.put([first, second]));
    // Listed by id, a page at a time, for the sweeps.
    const ids = await run(() => model.rowIdsAfter('', 1000));
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining([first.issueId, second.issueId]));
    await expect(run(() => model.rowIdsAfter(first.issueId, 1))).resolves.toEqual([second.issueId]);
    const stored = await run(() => model.storedHealth([first.issueId, second.issueId]));
    expect(stored.map((row) => row.health)).toEqual([first.health, second.health]);
    expect(stored[0]).toMatchObject({ key: 'PMO-40', integrity: 'ok', facts: first.facts });

    // PMO-41 is rewritten by an op between the daily run's read and its update.
    await run(() => model.put([projection('PMO-41', { writtenAt: '2026-12-02T08:00:00.000Z' })]));
    const red = { ...first.health, rag: 'red' as const };
    const verdict = (row: Projection) => ({
      issueId: row.issueId,
      writtenAt: row.writtenAt,
      rag: 'red' as const,
      severity: 3,
      riskMax: 0,
      mandatoryOpen: 0,
      waitsOn: [],
      health: red,
      entry: first.entry,
      judgedOn: '2026-12-02',
    });
    await expect(run(() => model.rejudge([verdict(first), verdict(second)]))).resolves.toEqual([second.issueId]);
    const after = await run(() => model.storedHealth([first.issueId, second.issueId]));
    expect(after.map((row) => [row.key, (row.health as { rag: string }).rag, row.writtenAt])).toEqual([
      ['PMO-40', 'red', first.writtenAt],
      ['PMO-41', second.health.rag, '2026-12-02T08:00:00.000Z'],
    ]);
    // The row's own RAG, which the portfolio's order and the snapshot read, says the new verdict.
    const rags = await run(() =>
      sql.executeRaw<{ issue_key: string; rag: string }>(
        "SELECT issue_key, rag FROM project_projection WHERE issue_key IN ('PMO-40', 'PMO-41') ORDER BY issue_key",
      ),
    );
    expect(rags.rows.map((row) => row.rag)).toEqual(['red', 'green']);
  });
  it('keeps every decision with its row, and lists the latest of genuine rows in scope, with what it leaves out', async () => {
    const decided = (key: string, days: readonly string[], overrides: Partial<Projection> = {}): Projection => {
      const base = projection(key, overrides);
      const decisions = days.map((day, i) =>
        buildDecision({ id: `d${i + 1}`, decidedAt: `${day}T10:00:00.000Z`, rationale: `${key} on ${day}` }),
      );
      return { ...base, facts: { ...base.facts, governance: buildGovernance({ decisions }) } };
    };
    const scope = { projectIds: ['10000'], hiddenIds: [] };
    const rows = [
      decided('PMO-60', ['2026-03-02', '2026-06-01']),
      decided('PMO-61', ['2026-04-01']),
      decided('PMO-62', ['2026-07-01'], { integrity: 'tampered' }),
      decided('PMO-63', ['2026-08-01'], { integrity: 'unsigned' }),
      // Outside the reader's Jira projects.
      decided('CONF-60', ['2026-09-01']),
    ];
    await run(() => model.put(rows));
    const log = (query: { until?: string; limit: number; withheldLimit?: number }) =>
      run(() => model.decisionLog(scope, { withheldLimit: 10, ...query }));
    const mine = (listed: Awaited<ReturnType<typeof log>>) =>
      listed.decisions.filter((d) => d.key.startsWith('PMO-6')).map((d) => d.decision.rationale);

    const latest = await log({ limit: 100 });
    expect(mine(latest)).toEqual(['PMO-60 on 2026-06-01', 'PMO-61 on 2026-04-01', 'PMO-60 on 2026-03-02']);
    expect(latest.decisions.some((d) => d.key === 'CONF-60')).toBe(false);
    expect(latest.decisions.find((d) => d.key === 'PMO-61')).toMatchObject({
      summary: 'Project PMO-61',
      template: { templateId: buildGovernance().templateId, templateVersion: buildGovernance().templateVersion },
    });
    // The rows left out are named, as many as asked for, and all of them counted.
    expect(latest.withheld.filter((row) => row.key.startsWith('PMO-6'))).toEqual([
      { key: 'PMO-62', integrity: 'tampered' },
      { key: 'PMO-63', integrity: 'unsigned' },
    ]);
    const fewer = await log({ limit: 1, withheldLimit: 1 });
    expect(fewer.withheld).toHaveLength(1);
    expect(fewer.withheldTotal).toBe(latest.withheldTotal);

    const until = await log({ until: '2026-04-30', limit: 100 });
    expect(mine(until)).toEqual(['PMO-61 on 2026-04-01', 'PMO-60 on 2026-03-02']);
    const one = await log({ limit: 1 });
    expect(one.decisions).toHaveLength(1);
    expect(one.total).toBe(latest.total);

    // Written again with fewer decisions, a row keeps only those; removed, it keeps none.
    await run(() => model.put([decided('PMO-60', ['2026-03-02'])]));
    expect(mine(await log({ limit: 100 }))).toEqual(['PMO-61 on 2026-04-01', 'PMO-60 on 2026-03-02']);
    await run(() => model.remove([rows[1]!.issueId]));
    expect(mine(await log({ limit: 100 }))).toEqual(['PMO-60 on 2026-03-02']);

    // A row written before decisions were kept is pending, and lists none.
    await run(() =>
      sql.executeRaw(`UPDATE project_projection SET decisions_kept = NULL WHERE issue_id = '${rows[0]!.issueId}'`),
    );
    const pending = await log({ limit: 100 });
    expect(mine(pending)).toEqual([]);
    expect(pending.pending).toBe(1);
  });
});
