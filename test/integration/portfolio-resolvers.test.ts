import { sql } from '@forge/sql';
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase } from '../../src/app/apply-op-use-case';
import { ENTRY_VERSION } from '../../src/app/projection';
import { snapshotPortfolioUseCase } from '../../src/app/recompute-use-case';
import { type ResolverResponse } from '../../src/contract/envelope';
import {
  type PortfolioCsv,
  type PortfolioData,
  type PortfolioFirstRows,
  type PortfolioRow,
} from '../../src/contract/portfolio';
import { opPayloadSchema } from '../../src/domain/ops';
import { addCalendarDays } from '../../src/domain/time';
import { mondayOf } from '../../src/domain/trend';
import portfolioResolver from '../../src/resolvers/portfolio-resolvers';
import { type BackendWorld, startBackendWorld, TODAY } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;

jest.setTimeout(30_000);

describe('portfolio resolvers in the sandbox', () => {
  let world: BackendWorld;

  /** Calls a key as Forge does: the bridge's call and context, and the runtime's principal. */
  const call = <T>(
    accountId: string,
    functionKey: string,
    payload: unknown,
    locale = 'en-US',
  ): Promise<ResolverResponse<T>> =>
    world.as(
      accountId,
      () =>
        portfolioResolver(
          { call: { functionKey, payload }, context: { extension: { type: 'jira:globalPage' }, locale } },
          { principal: { accountId } },
        ) as Promise<ResolverResponse<T>>,
    );
  const load = async (accountId: string, payload: unknown = {}): Promise<PortfolioData> => {
    const response = await call<PortfolioData>(accountId, 'portfolio/load', payload);
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const csv = async (accountId: string, payload: unknown = {}, locale?: string): Promise<PortfolioCsv> => {
    const response = await call<PortfolioCsv>(accountId, 'portfolio/csv', payload, locale);
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const all = (accountId: string, payload: Record<string, unknown> = {}) =>
    load(accountId, { ...payload, page: { offset: 0, limit: 100 } });
  const keys = (rows: readonly PortfolioRow[]) => rows.map((row) => row.key);
  const isConf = (key: string) => key.startsWith('CONF-');
  const thisMonday = mondayOf(TODAY);

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    // Two weekly snapshots: PMO-1 and CONF-1 jump from green straight to red, PMO-2 goes through amber.
    await world.as(null, async () => {
      await world.deps.readModel.saveSnapshot(addCalendarDays(thisMonday, -14), [
        { key: 'PMO-1', rag: 'green' },
        { key: 'PMO-2', rag: 'green' },
        { key: 'CONF-1', rag: 'green' },
      ]);
      await world.deps.readModel.saveSnapshot(addCalendarDays(thisMonday, -7), [
        { key: 'PMO-1', rag: 'red' },
        { key: 'PMO-2', rag: 'amber' },
        { key: 'CONF-1', rag: 'red' },
      ]);
    });
    await world.runtime.drainQueue();
  });
  afterAll(() => world.close());

  /** Removes a week's snapshot, as if it had never been taken (the trend tests count the two this file starts with). */
  const dropSnapshot = (week: string) =>
    world.as(null, async () => {
      await sql.prepare('DELETE FROM snapshot_week WHERE week = ?').bindParams(week).execute();
      await sql.prepare('DELETE FROM weekly_snapshot WHERE week = ?').bindParams(week).execute();
    });

  describe('who sees what', () => {
    it('the PMO lead sees all 40 projects, confidential ones included; the outsider sees none of CONF, anywhere', async () => {
      const lead = await all(LEAD);
      const outsider = await all(OUTSIDER);
      expect(lead.page.total).toBe(40);
      expect(lead.counts.total).toBe(40);
      const conf = keys(lead.page.rows).filter(isConf);
      expect(conf.length).toBe(3);

      expect(outsider.page.total).toBe(37);
      expect(outsider.counts.total).toBe(37);
      expect(keys(outsider.page.rows).filter(isConf)).toEqual([]);
      expect(outsider.exceptions.items.map((e) => e.key).filter(isConf)).toEqual([]);
      expect(lead.exceptions.items.map((e) => e.key).filter(isConf).length).toBeGreaterThan(0);
      // The heat map counts exactly the risks of the projects each person may see.
      const confOnly = await all(LEAD, { jql: 'project = CONF' });
      expect(confOnly.heatMap.total).toBeGreaterThan(0);
      expect(outsider.heatMap.total).toBe(lead.heatMap.total - confOnly.heatMap.total);
      expect(outsider.facets.owners.reduce((sum, o) => sum + o.count, 0)).toBe(37);
      // Snapshots are taken as the app and hold CONF; the outsider's trend and flags never count it.
      expect(lead.trend.weeks.map((w) => w.total)).toEqual([3, 3]);
      expect(outsider.trend.weeks.map((w) => w.total)).toEqual([2, 2]);
      expect(lead.trend.inflation.items.map((f) => f.key).sort()).toEqual(['CONF-1', 'PMO-1']);
      expect(outsider.trend.inflation.items).toEqual([
        { key: 'PMO-1', fromWeek: addCalendarDays(thisMonday, -14), toWeek: addCalendarDays(thisMonday, -7) },
      ]);
      const exported = await csv(OUTSIDER);
      expect(exported.rows).toBe(37);
      expect(exported.csv).not.toContain('CONF-');
    });

    it('as of a past week, shows each visible project’s RAG from that week’s snapshot', async () => {
      const asOf = addCalendarDays(thisMonday, -5);
      const lead = await load(LEAD, { asOf });
      expect(lead.snapshot).toMatchObject({
        requested: asOf,
        week: addCalendarDays(thisMonday, -7),
        byRag: { red: 2, amber: 1, green: 0, none: 0 },
      });
      expect(lead.snapshot?.rows.items.map((r) => [r.key, r.rag])).toEqual([
        ['CONF-1', 'red'],
        ['PMO-1', 'red'],
        ['PMO-2', 'amber'],
      ]);
      const outsider = await load(OUTSIDER, { asOf });
      expect(outsider.snapshot?.rows.items.map((r) => r.key)).toEqual(['PMO-1', 'PMO-2']);
    });
  });

  describe('cost', () => {
    it('one load of the 40-project registry is two permission checks and no search: nothing per issue', async () => {
      await world.runtime.drainQueue();
      world.jira.emulator.resetRequestLog();
      const data = await all(LEAD);
      const mine = world.jira.emulator.requestLog().filter((r) => r.principal.includes(LEAD));
      // The registry holds no issue under a security level, so the second check (of such rows) is not needed.
      expect(mine.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /rest/api/3/permissions/check']);
      expect(data.scope).toMatchObject({ projects: 40, withErrors: 0 });
      expect(data.scope.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('the outsider costs the same one check, and a narrowing JQL one id search more: still constants', async () => {
      await world.runtime.drainQueue();
      world.jira.emulator.resetRequestLog();
      const data = await all(OUTSIDER);
      expect(data.scope).toMatchObject({ projects: 37 });
      const narrowed = await all(OUTSIDER, { jql: 'project = PMO' });
      expect(narrowed.scope.projects).toBeGreaterThan(0);
      const theirs = world.jira.emulator.requestLog().filter((r) => r.principal.includes(OUTSIDER));
      // The registry JQL names CONF, which the outsider cannot browse: Jira refuses it once, then answers without it.
      expect(theirs.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /rest/api/3/permissions/check 200',
        'POST /rest/api/3/permissions/check 200',
        'POST /rest/api/3/search/jql 400',
        'POST /rest/api/3/search/jql 200',
      ]);
    });

    it('stays far below the 5 MB response limit: the full 40-row page with all aggregates is under 100 KB', async () => {
      const data = await all(LEAD);
      const bytes = Buffer.byteLength(JSON.stringify(data), 'utf8');
      expect(bytes).toBeLessThan(100 * 1024);
      // Aggregates alone (no rows) do not grow with the page: well under 20 KB here.
      const { page: _page, ...aggregates } = data;
      expect(Buffer.byteLength(JSON.stringify(aggregates), 'utf8')).toBeLessThan(20 * 1024);
    });
  });

  describe('filtering, sorting and paging on the server', () => {
    let everything: PortfolioData;
    beforeAll(async () => {
      everything = await all(LEAD);
    });

    it('filters by RAG, stage, owner, department and text', async () => {
      const red = await all(LEAD, { filter: { rag: ['red'] } });
      expect(red.page.total).toBe(everything.counts.byRag.red);
      expect(red.page.rows.every((r) => r.rag === 'red')).toBe(true);
      // Aggregates describe the scope, not the filtered table.
      expect(red.counts.total).toBe(40);

      const stage = everything.facets.stages[1] as string;
      const byStage = await all(LEAD, { filter: { stage: [stage] } });
      expect(byStage.page.total).toBe(everything.counts.byStage.find((s) => s.stageName === stage)?.count);
      expect(byStage.page.rows.every((r) => r.stageName === stage)).toBe(true);

      const owner = everything.facets.owners[0]!;
      const byOwner = await all(LEAD, { filter: { owner: [owner.accountId] } });
      expect(byOwner.page.total).toBe(owner.count);
      expect(byOwner.page.rows.every((r) => r.owner === owner.accountId && r.ownerName === owner.name)).toBe(true);

      const department = everything.facets.departments[0]!;
      const byDepartment = await all(LEAD, { filter: { department: [department.name] } });
      expect(byDepartment.page.total).toBe(department.count);

      // Every decision facet counts what its filter keeps, and together they count every project.
      expect(everything.facets.decisions.reduce((sum, d) => sum + d.count, 0)).toBe(40);
      for (const { outcome, count } of everything.facets.decisions) {
        const byDecision = await all(LEAD, { filter: { decision: [outcome] } });
        expect(byDecision.page.total).toBe(count);
        expect(byDecision.page.rows.every((r) => r.lastDecision === outcome)).toBe(true);
      }

      const byText = await all(LEAD, { filter: { text: 'WIND' } });
      expect(byText.page.total).toBeGreaterThan(0);
      expect(byText.page.rows.every((r) => /wind/i.test(r.summary))).toBe(true);
    });

    it('filters by a KPI: the projects it counts, so "2 of 2" shows its two, and the CSV keeps the same rows', async () => {
      const onTime = await all(LEAD, { filter: { kpi: 'onTime' } });
      // Every completed project the demo has completed inside the period with a due date, and nothing else.
      expect(onTime.page.total).toBe(everything.kpis.onTime.denominator);
      expect(onTime.page.total).toBeGreaterThan(0);
      expect(onTime.page.rows.every((r) => r.status === 'completed')).toBe(true);
      const hygiene = await all(LEAD, { filter: { kpi: 'raidHygiene' } });
      expect(hygiene.page.total).toBeGreaterThan(0);
      expect(hygiene.page.rows.every((r) => r.status !== 'completed' && r.status !== 'killed')).toBe(true);
      // A KPI filter combines with the others like any filter.
      const redOnTime = await all(LEAD, { filter: { kpi: 'onTime', rag: ['red'] } });
      expect(redOnTime.page.rows.every((r) => r.rag === 'red' && r.status === 'completed')).toBe(true);
    });

    it('filters by a heat-map square: the projects with an open risk there', async () => {
      const square = everything.heatMap.squares.find((s) => s.count > 0 && s.band === 'extreme')!;
      const cell = { likelihood: square.likelihood, impact: square.impact };
      const inCell = await all(LEAD, { filter: { cell } });
      expect(inCell.page.total).toBeGreaterThan(0);
      expect(inCell.page.total).toBeLessThanOrEqual(square.count);
      expect(
        inCell.page.rows.every((r) =>
          r.riskCells.some((c) => c.likelihood === cell.likelihood && c.impact === cell.impact),
        ),
      ).toBe(true);
    });

    it('sorts and pages: worst first by default, any column either way, blanks last, offset/limit slices', async () => {
      const severity = { red: 3, amber: 2, green: 1, none: 0 } as const;
      const byRag = everything.page.rows.map((r) => severity[r.rag]);
      expect(byRag).toEqual([...byRag].sort((a, b) => b - a));

      const byDue = await all(LEAD, { sort: { by: 'dueDate', direction: 'asc' } });
      const dues = byDue.page.rows.map((r) => r.dueDate).filter((d): d is string => d !== null);
      expect(dues).toEqual([...dues].sort());

      const full = await all(LEAD, { sort: { by: 'key', direction: 'desc' } });
      const second = await load(LEAD, { sort: { by: 'key', direction: 'desc' }, page: { offset: 10, limit: 10 } });
      expect(keys(second.page.rows)).toEqual(keys(full.page.rows).slice(10, 20));
      expect(second.page).toMatchObject({ total: 40, offset: 10, limit: 10, nextOffset: 20 });
      const last = await load(LEAD, { page: { offset: 30, limit: 10 } });
      expect(last.page.nextOffset).toBeNull();
    });

    it('refuses a malformed payload with the problems, and runs nothing', async () => {
      world.jira.emulator.resetRequestLog();
      const response = await call<PortfolioData>(LEAD, 'portfolio/load', {
        page: { limit: 500 },
        filter: { rag: ['purple'] },
        colour: 'red',
      });
      expect(response.success).toBe(false);
      if (response.success) return;
      expect(response.errors[0]?.errorType).toBe('INVALID_PAYLOAD');
      expect(response.errors[0]?.problems?.join('\n')).toMatch(
        /page\.limit[\s\S]*filter\.rag\.0|filter\.rag\.0[\s\S]*page\.limit/,
      );
      expect(response.errors[0]?.problems?.join('\n')).toContain('colour');
      const jql = await call<PortfolioData>(LEAD, 'portfolio/load', { jql: 'project = PMO) OR (project = HR' });
      expect(jql).toMatchObject({ success: false, errors: [{ errorType: 'INVALID_PAYLOAD' }] });
      expect(world.jira.emulator.requestLog().filter((r) => r.principal.includes(LEAD))).toEqual([]);
    });

    it('passes Jira’s own words back when a narrowing JQL is not valid', async () => {
      const response = await call<PortfolioData>(LEAD, 'portfolio/load', { jql: 'nosuchfield ~~ 3' });
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'JIRA_REJECTED' }] });
    });
  });

  describe('what changed between two days (compare)', () => {
    const from = addCalendarDays(thisMonday, -14);
    const second = addCalendarDays(thisMonday, -7);

    it('compares two snapshots: new reds, worse, better, for the projects the viewer may see', async () => {
      const between = (await all(LEAD, { compare: { from, to: second } })).changes!;
      expect(between.from).toEqual({ requested: from, week: from });
      expect(between.to).toEqual({ requested: second, week: second, live: false });
      expect(between.newReds.items.map((item) => [item.key, item.from, item.to])).toEqual([
        ['CONF-1', 'green', 'red'],
        ['PMO-1', 'green', 'red'],
      ]);
      expect(between.worse.items.map((item) => [item.key, item.from, item.to])).toEqual([['PMO-2', 'green', 'amber']]);
      expect(between.better.total).toBe(0);
      // Those snapshots were stored without risk bands: no band change is claimed either way.
      expect(between.risksUp).toBeNull();
      expect(between.risksDown).toBeNull();
      const outsider = (await all(OUTSIDER, { compare: { from, to: second } })).changes!;
      expect(JSON.stringify(outsider)).not.toMatch(/CONF-/);
      expect(outsider.newReds.items.map((item) => item.key)).toEqual(['PMO-1']);
    });

    it('compares a snapshot with today, and lists the gate decisions recorded in between', async () => {
      const lead = await all(LEAD, { compare: { from } });
      const changes = lead.changes!;
      expect(changes.to).toEqual({ requested: TODAY, week: null, live: true });
      const now = new Map(lead.page.rows.map((row) => [row.key, row.rag]));
      for (const item of [...changes.newReds.items, ...changes.worse.items, ...changes.better.items]) {
        expect(item.to).toBe(now.get(item.key));
      }
      // The snapshot held three projects: every other project the lead sees is new since.
      expect(changes.added).toBe(lead.counts.total - 3);
      expect(changes.decisions.items.every((d) => d.day > from && d.day <= TODAY)).toBe(true);
      const decisions = await all(LEAD, { compare: { from: addCalendarDays(TODAY, -365) } });
      expect(decisions.changes!.decisions.total).toBeGreaterThan(0);
    });

    it('claims no change without a snapshot on the first day, and names the earliest there is', async () => {
      // A snapshot from long before the trend's twelve weeks, which a comparison from earlier still reads.
      const old = addCalendarDays(thisMonday, -7 * 20);
      await world.as(null, () => world.deps.readModel.saveSnapshot(old, [{ key: 'PMO-1', rag: 'amber' }]));
      let comparing: PortfolioData;
      let plain: PortfolioData;
      try {
        plain = await all(LEAD);
        comparing = await all(LEAD, { compare: { from: addCalendarDays(thisMonday, -400) } });
        expect(comparing.changes?.earliestWeek).toBe(old);
      } finally {
        await dropSnapshot(old);
      }
      // Reading back for the comparison leaves the trend's twelve weeks as they are.
      expect(comparing.trend.weeks).toEqual(plain.trend.weeks);
      const early = (await all(LEAD, { compare: { from: addCalendarDays(thisMonday, -400) } })).changes!;
      expect(early).toMatchObject({ from: { week: null }, earliestWeek: from, added: 0 });
      expect([early.newReds, early.worse, early.better].map((list) => list.total)).toEqual([0, 0, 0]);
    });

    it('records risk bands in the weekly snapshot, so a later comparison can say which worst risks crossed a band', async () => {
      await world.as(null, () => snapshotPortfolioUseCase(world.deps, thisMonday));
      try {
        // Read as the app, in every Jira project.
        const rows = await world.as(null, async () =>
          world.deps.readModel.snapshotRowsIn(
            { projectIds: await world.deps.readModel.jiraProjects(), hiddenIds: [] },
            thisMonday,
          ),
        );
        const snapshot = { rows };
        const lead = await all(LEAD);
        const bands = new Map(lead.page.rows.map((row) => [row.key, row.riskBand]));
        // Taken as the app: every registry project, which the lead sees all of.
        expect(snapshot?.rows.length).toBe(lead.counts.total);
        expect(snapshot?.rows.filter((row) => row.risk !== bands.get(row.key))).toEqual([]);
        expect(snapshot?.rows.some((row) => row.risk === 'extreme')).toBe(true);
        // Compared with the snapshot just taken, nothing has moved, and band changes can be told now.
        const since = (await all(LEAD, { compare: { from: thisMonday } })).changes!;
        expect(since.risksUp).toEqual({ total: 0, items: [] });
        expect(since.newReds.total + since.worse.total + since.better.total).toBe(0);
      } finally {
        // The trend tests count the two snapshots this file starts with.
        await dropSnapshot(thisMonday);
      }
    });

    it('refuses a second day that does not come after the first', async () => {
      const response = await call<PortfolioData>(LEAD, 'portfolio/load', { compare: { from: second, to: from } });
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'INVALID_PAYLOAD' }] });
    });
  });

  describe('first rows (portfolio/firstRows)', () => {
    const firstRows = async (accountId: string, payload: unknown = {}): Promise<PortfolioFirstRows> => {
      const response = await call<PortfolioFirstRows>(accountId, 'portfolio/firstRows', payload);
      if (!response.success) throw new Error(JSON.stringify(response.errors));
      return response.data;
    };
    const requestsBy = (accountId: string) =>
      world.jira.emulator.requestLog().filter((r) => r.principal.includes(accountId));

    beforeEach(async () => {
      // Every stored health rewritten, and the search index caught up with every write, so the full load the rows are
      // compared with reads what the read model holds ("fresh").
      await world.runtime.drainQueue();
      world.jira.settleSearchIndex();
    });

    it('reads the read model, not the registry: two permission checks and no search, and says its rows are provisional', async () => {
      world.jira.emulator.resetRequestLog();
      const first = await firstRows(LEAD, { limit: 10 });
      const mine = world.jira.emulator.requestLog().filter((r) => r.principal.includes(LEAD));
      // Which Jira projects the lead may browse, then which of the chosen rows' issues.
      expect(mine.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /rest/api/3/permissions/check 200',
        'POST /rest/api/3/permissions/check 200',
      ]);
      expect(first).toMatchObject({ provisional: true });
      expect(first.rows).toHaveLength(10);
    });

    it('shows a change made in the panel on the next view, before any recompute', async () => {
      const target = (await firstRows(LEAD, { limit: 100 })).rows.find(
        (row) => row.riskMax < 25 && row.status === 'active',
      );
      if (!target) throw new Error('the demo has an active project whose risks are all below 25');
      await world.as(LEAD, () =>
        applyOpUseCase(world.deps, {
          accountId: LEAD,
          issueKey: target.key,
          op: opPayloadSchema.parse({
            type: 'addRaidItem',
            item: { type: 'risk', title: 'Vendor may slip', owner: LEAD, likelihood: 5, impact: 5 },
          }),
        }),
      );
      const after = await firstRows(LEAD, { sort: { by: 'riskMax' }, limit: 100 });
      expect(after.rows.find((row) => row.key === target.key)?.riskMax).toBe(25);
    });

    it.each([
      ['worst first (the default)', {}, { by: 'rag', direction: 'desc' }],
      ['best first', { sort: { by: 'rag', direction: 'asc' } }, { by: 'rag', direction: 'asc' }],
      ['highest risk', { sort: { by: 'riskMax' } }, { by: 'riskMax', direction: 'desc' }],
      ['most open mandatory items', { sort: { by: 'mandatoryOpen' } }, { by: 'mandatoryOpen', direction: 'desc' }],
    ])('%s: with a fresh index, its rows are the first page of the full load', async (_label, payload, sort) => {
      const first = await firstRows(LEAD, { ...payload, limit: 12 });
      expect(first.rows).toHaveLength(12);
      const full = await load(LEAD, { sort, page: { offset: 0, limit: 100 } });
      // Each row is the full load's row for that project.
      for (const row of first.rows) expect(row).toEqual(full.page.rows.find((r) => r.key === row.key));
      // The index holds each project's health on its own facts, so a project red only through one it waits on is
      // ranked by the index as it is on its own; apart from those, the rows are the full load's first ones in order.
      const onItsOwn = (rows: typeof first.rows) =>
        keys(rows.filter((row) => !row.why.some((reason) => reason.code === 'raid.dependencyRed')));
      const full12 = full.page.rows.slice(0, 12);
      if (sort.by !== 'rag') expect(keys(first.rows)).toEqual(keys(full12));
      expect(onItsOwn(full.page.rows).slice(0, onItsOwn(first.rows).length)).toEqual(onItsOwn(first.rows));
    });

    it('runs as the person: the outsider gets no CONF row, for the same two permission checks', async () => {
      const lead = await firstRows(LEAD, { limit: 100 });
      expect(keys(lead.rows).filter(isConf).length).toBe(3);
      world.jira.emulator.resetRequestLog();
      const outsider = await firstRows(OUTSIDER, { limit: 100 });
      expect(keys(outsider.rows).filter(isConf)).toEqual([]);
      expect(outsider.rows.length).toBe(lead.rows.length - 3);
      expect(requestsBy(OUTSIDER).map((r) => `${r.path} ${r.status}`)).toEqual([
        '/rest/api/3/permissions/check 200',
        '/rest/api/3/permissions/check 200',
      ]);
      const full = await load(OUTSIDER, { page: { offset: 0, limit: 20 } });
      expect(keys(outsider.rows.slice(0, 20))).toEqual(keys(full.page.rows));
    });

    it.each([
      ['a filter', { filter: { rag: ['red'] } }, 'filter'],
      ['a sort the index cannot express', { sort: { by: 'summary' } }, 'sort.by'],
      ['a page too large', { limit: 500 }, 'limit'],
      ['a narrowing JQL', { jql: 'project = PMO' }, 'jql'],
      ['a page size that is not a whole number', { limit: 2.5 }, 'limit'],
    ])('refuses %s with the problem, and runs nothing', async (_label, payload, problem) => {
      world.jira.emulator.resetRequestLog();
      const response = await call<PortfolioFirstRows>(LEAD, 'portfolio/firstRows', payload);
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'INVALID_PAYLOAD' }] });
      if (response.success) return;
      expect(response.errors[0]?.problems?.join('\n')).toContain(problem);
      expect(world.jira.emulator.requestLog().filter((r) => r.principal.includes(LEAD))).toEqual([]);
    });
  });

  describe('CSV', () => {
    it('holds exactly the filtered rows, not just the page, with a header, and neutralises formula cells', async () => {
      const target = 'PMO-3';
      const edited = await world.rest({ kind: 'user', accountId: LEAD }, 'PUT', `/rest/api/3/issue/${target}`, {
        fields: { summary: '=HYPERLINK("http://evil.example","Click")' },
      });
      expect(edited.status).toBe(204);
      // The portfolio reads by search, which shows the edit once Jira's index has it (search-index.ts).
      world.jira.settleSearchIndex();
      const filter = { rag: ['red', 'amber'] };
      const page = await load(LEAD, { filter, page: { offset: 0, limit: 5 } });
      const exported = await csv(LEAD, { filter });
      expect(exported).toMatchObject({ rows: page.page.total, total: page.page.total, nextOffset: null });
      expect(exported.filename).toMatch(/^tollgate-portfolio-\d{4}-\d{2}-\d{2}\.csv$/);
      const lines = exported.csv.split('\r\n').filter((line) => line !== '');
      // UTF-8 with its byte order mark, so Excel does not read it in the local code page.
      expect(lines[0]).toMatch(/^\uFEFFKey,Summary,Owner,Department,Stage,Status,Health,/);
      expect(lines).toHaveLength(1 + page.page.total);
      expect(page.page.rows).toHaveLength(5);
      expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(keys((await all(LEAD, { filter })).page.rows));
      const formula = await csv(LEAD, { filter: { text: 'HYPERLINK' } });
      expect(formula.rows).toBe(1);
      expect(formula.csv).toContain(`${target},"'=HYPERLINK(""http://evil.example"",""Click"")"`);
      // Owners are named, as Jira shows them, not account ids.
      expect(formula.csv).not.toMatch(/5b10ac8d82e05b22cc7d4/);
    });
  });

  describe("CSV in the reader's language", () => {
    it.each([
      ['nb-NO', 'Nøkkel;Sammendrag;Eier', 'Rød', 'Betinget go'],
      ['sv-SE', 'Nyckel;Sammanfattning;Ägare', 'Röd', 'Villkorat go'],
    ])(
      'in %s: headers, health, decisions and reasons in words, semicolons and decimal commas',
      async (locale, head, red, conditional) => {
        const exported = await csv(LEAD, {}, locale);
        const english = await csv(LEAD, {});
        const lines = exported.csv.split('\r\n').filter((line) => line !== '');
        expect(lines[0]?.startsWith(`\uFEFF${head}`)).toBe(true);
        expect(lines).toHaveLength(english.csv.split('\r\n').filter((line) => line !== '').length);
        expect(exported.csv).toContain(`;${red};`);
        // Codes stay inside Tollgate: no CONDITIONAL_GO, no reason codes such as "schedule.overdue".
        expect(exported.csv).not.toMatch(/CONDITIONAL_GO|\b[a-z]+\.[a-z]+[A-Z]\w*\b/);
        if (english.csv.includes('Conditional-Go')) expect(exported.csv).toContain(conditional);
        // A score with decimals is written with a decimal comma, which the comma-free separator leaves unquoted.
        expect(english.csv).toMatch(/,\d+\.\d+,/);
        expect(exported.csv).toMatch(/;\d+,\d+;/);
      },
    );
  });

  describe('CSV in parts', () => {
    it('parts of seven rows, asked for from nextOffset on, join into the whole file with one header', async () => {
      const whole = await csv(LEAD, {});
      expect(whole).toMatchObject({ rows: 40, total: 40, nextOffset: null });
      const parts: PortfolioCsv[] = [];
      for (let offset: number | null = 0; offset !== null; offset = parts.at(-1)!.nextOffset) {
        parts.push(await csv(LEAD, { offset, limit: 7 }));
      }
      expect(parts.map((p) => p.rows)).toEqual([7, 7, 7, 7, 7, 5]);
      expect(parts.map((p) => p.csv).join('')).toBe(whole.csv);
      expect(parts.filter((p) => p.csv.startsWith('\uFEFFKey,'))).toHaveLength(1);
      expect(parts.filter((p) => p.csv.includes('\uFEFF'))).toHaveLength(1);
      // Past the end: an empty last part, not an error.
      expect(await csv(LEAD, { offset: 400 })).toMatchObject({ rows: 0, csv: '', nextOffset: null });
    });

    it('refuses a part larger than the limit, and changes nothing', async () => {
      const response = await call(LEAD, 'portfolio/csv', { limit: 5001 });
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'INVALID_PAYLOAD' }] });
    });
  });

  describe('after an upgrade', () => {
    it('lists a row an earlier version stored, leaves it out of every figure until rewritten, and says so', async () => {
      const before = await all(LEAD);
      const older = before.page.rows.find((row) => row.rag === 'red')!;
      // Written by a version that kept no figures: what every row is between an upgrade and its reconciliation.
      await world.as(null, () =>
        sql
          .prepare('UPDATE project_projection SET fig_version = NULL WHERE issue_key = ?')
          .bindParams(older.key)
          .execute(),
      );
      try {
        const data = await all(LEAD);
        expect(data.scope).toMatchObject({ projects: 40, pending: 1 });
        expect(data.counts.total).toBe(39);
        expect(data.counts.byRag.red).toBe(before.counts.byRag.red - 1);
        // Listed in the table, judged from its facts; no filter keeps it, as its figures are not there.
        expect(data.page.total).toBe(40);
        expect(data.page.rows.find((row) => row.key === older.key)).toMatchObject({
          rag: 'red',
          summary: older.summary,
        });
        const red = await all(LEAD, { filter: { rag: ['red'] } });
        expect(red.page.rows.map((row) => row.key)).not.toContain(older.key);
      } finally {
        await world.as(null, () =>
          sql
            .prepare('UPDATE project_projection SET fig_version = ? WHERE issue_key = ?')
            .bindParams(ENTRY_VERSION, older.key)
            .execute(),
        );
      }
    });
  });

  describe('damage and staleness', () => {
    it('a corrupt governance document is caught by the next check against Jira, as one row; the page loads', async () => {
      const corrupt = 'PMO-5';
      const before = await all(LEAD);
      await world.rest(
        { kind: 'user', accountId: MEMBER },
        'PUT',
        `/rest/api/3/issue/${corrupt}/properties/tollgate-governance`,
        {
          schema: 2,
          rev: 'three',
        },
      );
      // Until then the portfolio shows what Tollgate last verified, and says when that was.
      const unchecked = await all(LEAD);
      expect(unchecked.page.rows.find((r) => r.key === corrupt)).toEqual(
        before.page.rows.find((r) => r.key === corrupt),
      );
      await world.reconcile();
      const data = await all(LEAD);
      expect(data.page.total).toBe(40);
      expect(data.scope.withErrors).toBe(1);
      expect(data.scope.checkedAt! > unchecked.scope.checkedAt!).toBe(true);
      const row = data.page.rows.find((r) => r.key === corrupt);
      // In the damaged document's own words, as the check read it.
      expect(row).toMatchObject({
        integrity: 'tampered',
        lastDecision: 'none',
        error: { source: 'governance', code: 'invalid' },
      });
      expect(row?.error?.problems.length).toBeGreaterThan(0);
    });

    it('a stored row the rules now judge otherwise is queued for rewrite, and the consumer rewrites it', async () => {
      await world.runtime.drainQueue();
      const target = 'PMO-9';
      const id = world.idOf(target);
      const shown = (await all(LEAD)).page.rows.find((r) => r.key === target)!;
      // As a row judged yesterday that today's date-driven rules judge differently would be: the daily run has not
      // reached it yet, so the page judges it again from its facts.
      const wrong = shown.rag === 'red' ? 'green' : 'red';
      await world.editReadModel(
        'UPDATE project_projection SET rag = ?, judged_on = ? WHERE issue_id = ?',
        wrong,
        addCalendarDays(TODAY, -1),
        id,
      );
      const data = await all(LEAD);
      expect(data.staleQueued).toBeGreaterThanOrEqual(1);
      expect(data.page.rows.find((r) => r.key === target)!.rag).toBe(shown.rag);
      await world.runtime.drainQueue();
      expect(world.data.store.getProperty(id, 'tollgate-health')).toMatchObject({ rag: shown.rag });
      const again = await all(LEAD);
      expect(again.staleQueued).toBe(0);
    });

    it('a forged stored health never reaches the portfolio, and the next check against Jira rewrites it', async () => {
      const target = 'PMO-9';
      const id = world.idOf(target);
      const stored = world.data.store.getProperty(id, 'tollgate-health') as { rag: string };
      const wrong = stored.rag === 'red' ? 'green' : 'red';
      const put = await world.rest(
        { kind: 'user', accountId: MEMBER },
        'PUT',
        `/rest/api/3/issue/${target}/properties/tollgate-health`,
        { ...stored, rag: wrong },
      );
      expect(put.status).toBe(200);
      expect((await all(LEAD)).page.rows.find((r) => r.key === target)!.rag).toBe(stored.rag);
      await world.reconcile();
      expect(world.data.store.getProperty(id, 'tollgate-health')).toMatchObject({ rag: stored.rag });
    });
  });
});
