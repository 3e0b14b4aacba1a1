/**
 * The portfolio as SQL against the sandbox's Forge SQL (MariaDB, configured as TiDB): for random portfolios, the
 * read model's sums, pages, exceptions and non-compliant passages are exactly what the domain computes in memory
 * over the same entries (sumEntries, filterRows + sortRows + pageRows, portfolioExceptions, nonCompliantPassages),
 * and no statement returns a row outside the reader's scope.
 */
import { sql } from '@forge/sql';
import fc from 'fast-check';
import type { ForgeRuntime } from '../../../sandbox/forge/types';
import { inForge, startAdaptersApp } from '../../../test/fixtures/adapters-app/harness';
import { type ReaderScope, type ReadModelPort, type StoredEntryRow } from '../../app/ports';
import { entryOf, type Projection, storedEntryOf } from '../../app/projection';
import { toHealthDocument } from '../../domain/documents/health-document';
import { GATE_OUTCOMES } from '../../domain/gates';
import { assessHealth, type ProjectFacts } from '../../domain/health';
import {
  countedIn,
  type FigureSums,
  filterRows,
  KPI_IDS,
  kpiPeriod,
  nonCompliantPassages,
  type PortfolioEntry,
  portfolioExceptions,
  pageRows,
  type RowFilter,
  type RowSort,
  type SortKey,
  sortRows,
  sumEntries,
} from '../../domain/portfolio';
import { ragSeverity } from '../../domain/rag';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import {
  buildDecision,
  buildDependency,
  buildGovernance,
  buildIssue,
  buildRaidLog,
  buildRisk,
  buildTransition,
  COOPER,
  PRINCE2,
} from '../../domain/testing/builders';
import { addCalendarDays, type IsoDate } from '../../domain/time';
import { createSqlReadModel } from './sql-read-model';

const TODAY: IsoDate = '2026-12-01';
const day = (offset: number): IsoDate => addCalendarDays(TODAY, offset);
const at = (offset: number) => `${day(offset)}T10:00:00.000Z`;

const CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZåäöøæÅÄÖØÆé0123456789 -_.,()&'];
const words = fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 14 }).map((c) => c.join(''));
const OWNERS = ['acc-anna', 'acc-bjorn', 'acc-cecilia', 'acc-dag'];
const DEPARTMENTS = ['Finance', 'Økonomi', 'IT', 'it', 'Åtgärd'];
const PREFIXES = ['PMO', 'OPS', 'X2'];

/** One random project's facts; `keys` are the portfolio's, so dependencies name real projects. */
const project = (key: string, keys: readonly string[]): fc.Arbitrary<ProjectFacts> =>
  fc
    .record({
      summary: words,
      owner: fc.option(fc.constantFrom(...OWNERS), { nil: undefined }),
      department: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: undefined }),
      due: fc.option(fc.integer({ min: -200, max: 200 }), { nil: undefined }),
      governed: fc.boolean(),
      template: fc.constantFrom(COOPER, PRINCE2),
      stage: fc.nat(10),
      status: fc.constantFrom('active', 'active', 'on-hold', 'killed', 'completed'),
      completed: fc.integer({ min: -150, max: 0 }),
      decisions: fc.array(
        fc.record({
          gate: fc.nat(10),
          outcome: fc.constantFrom(...GATE_OUTCOMES),
          when: fc.integer({ min: -150, max: 0 }),
          mustOpen: fc.constantFrom(0, 0, 1),
          override: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
      undecided: fc.array(fc.record({ gate: fc.nat(10), when: fc.integer({ min: -150, max: 0 }) }), { maxLength: 2 }),
      risks: fc.array(
        fc.record({
          likelihood: fc.integer({ min: 1, max: 5 }),
          impact: fc.integer({ min: 1, max: 5 }),
          residual: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
          reviewed: fc.option(fc.integer({ min: -60, max: 0 }), { nil: undefined }),
        }),
        { maxLength: 4 },
      ),
      issues: fc.array(fc.option(fc.integer({ min: -30, max: 30 }), { nil: undefined }), { maxLength: 2 }),
      waitsOn: fc.option(fc.constantFrom(...keys), { nil: undefined }),
      blocked: fc.boolean(),
      evm: fc.option(fc.record({ bac: fc.integer({ min: 1, max: 1000 }), ac: fc.integer({ min: 0, max: 1500 }) }), {
        nil: undefined,
      }),
      priority: fc.option(fc.constantFrom(1, 2, 3, 5, 8, 13), { nil: undefined }),
    })
    .map((p): ProjectFacts => {
      const template = p.template;
      const stages = template.stages;
      const stage = stages[p.stage % stages.length]!;
      const gates = stages.flatMap((s) => (s.exitGate ? [s.exitGate.id] : []));
      const gate = (n: number) => gates[n % gates.length]!;
      const decisions = p.decisions.map((d, index) =>
        buildDecision({
          id: `d${index + 1}`,
          gateId: gate(d.gate),
          outcome: d.outcome,
          decidedAt: at(d.when),
          readiness: { mustOpen: d.mustOpen, score: 0.7 },
          ...(d.override ? { override: { reason: 'The board accepted the gap.' } } : {}),
        }),
      );
      const transitions = [
        ...decisions.slice(0, 1).map((d) => buildTransition({ gateId: d.gateId, decisionId: d.id, at: d.decidedAt })),
        ...p.undecided.map((u) => {
          const { decisionId: _none, ...transition } = buildTransition({ gateId: gate(u.gate), at: at(u.when) });
          return transition;
        }),
      ];
      const items = [
        ...p.risks.map((r, index) =>
          buildRisk({
            id: `R-${index + 1}`,
            likelihood: r.likelihood as 1,
            impact: r.impact as 1,
            ...(r.residual === undefined ? {} : { residualLikelihood: r.residual as 1, residualImpact: 1 as const }),
            ...(r.reviewed === undefined ? {} : { lastReviewedAt: at(r.reviewed) }),
          }),
        ),
        ...p.issues.map((due, index) =>
          buildIssue({ id: `I-${index + 1}`, ...(due === undefined ? {} : { dueDate: day(due) }) }),
        ),
        ...(p.waitsOn === undefined || p.waitsOn === key
          ? []
          : [
              buildDependency({
                counterpartyKey: p.waitsOn,
                ...(p.blocked ? { deliveryStatus: 'blocked' as const } : {}),
              }),
            ]),
      ];
      return {
        key,
        summary: p.summary,
        governance: p.governed
          ? buildGovernance({
              templateId: template.id,
              templateVersion: template.version,
              stage: stage.id,
              status: p.status,
              ...(p.status === 'completed' ? { completedAt: at(p.completed) } : {}),
              decisions,
              transitions,
              ...(p.priority === undefined
                ? {}
                : {
                    priority: {
                      businessValue: p.priority,
                      timeCriticality: 3,
                      riskReduction: 2,
                      jobSize: p.priority,
                    },
                  }),
            })
          : null,
        template: p.governed ? template : null,
        raid: buildRaidLog(items),
        createdAt: at(-300),
        ...(p.due === undefined ? {} : { dueDate: day(p.due) }),
        ...(p.owner === undefined ? {} : { owner: p.owner }),
        ...(p.department === undefined ? {} : { department: p.department }),
        ...(p.evm === undefined ? {} : { evm: { bac: p.evm.bac, pv: p.evm.bac / 2, ev: p.evm.bac / 2, ac: p.evm.ac } }),
      };
    });

const portfolio = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...PREFIXES), fc.integer({ min: 1, max: 400 })), {
    minLength: 8,
    maxLength: 30,
    selector: ([prefix, n]) => `${prefix}-${n}`,
  })
  .map((pairs) => pairs.map(([prefix, n]) => `${prefix}-${n}`))
  .chain((keys) => fc.tuple(...keys.map((key) => project(key, keys))));

function projectionOf(facts: ProjectFacts, index: number): Projection {
  const health = assessHealth(facts, DEFAULT_SETTINGS.health, TODAY);
  const { template: _template, ...stored } = facts;
  return {
    issueId: String(20_000 + index),
    key: facts.key,
    // Three Jira projects, one of them under an issue security level here and there.
    jiraProjectId: String(10_000 + (index % 3)),
    securityLevelId: index % 7 === 3 ? '10100' : null,
    ownerName: facts.owner === undefined ? null : `Name of ${facts.owner}`,
    integrity: 'ok',
    rag: health.overall,
    severity: ragSeverity(health.overall),
    riskMax: health.summary.riskMax,
    mandatoryOpen: health.summary.mandatoryOpen,
    waitsOn: health.summary.waitsOn,
    facts: { ...stored, v: 1 },
    entry: storedEntryOf(facts, health),
    problem: null,
    health: toHealthDocument(health, 'ok', `${TODAY}T08:00:00.000Z`),
    judgedOn: TODAY,
    writtenAt: `${TODAY}T08:00:00.000Z`,
  };
}

const SORT_KEYS: readonly SortKey[] = [
  'key',
  'summary',
  'owner',
  'department',
  'stage',
  'status',
  'rag',
  'ragSchedule',
  'ragGate',
  'ragRisk',
  'ragRaid',
  'ragBudget',
  'ragTolerance',
  'ragStaleness',
  'lastDecision',
  'riskMax',
  'mandatoryOpen',
  'nextGateDate',
  'dueDate',
  'wsjf',
  'roi',
];

const everyPart: fc.Arbitrary<RowFilter> = fc.record(
  {
    rag: fc.subarray(['green', 'amber', 'red', 'none'] as const),
    owner: fc.subarray(OWNERS),
    department: fc.subarray(DEPARTMENTS),
    decision: fc.subarray([...GATE_OUTCOMES, 'none'] as const),
    status: fc.subarray(['active', 'on-hold', 'killed', 'completed', 'ungoverned'] as const),
    stage: fc.subarray([...COOPER.stages.map((s) => s.name), PRINCE2.stages[1]!.id]),
    text: fc.constantFrom('', 'a', 'Ø', 'pmo-1', '_', '%'),
    cell: fc.record({
      likelihood: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<1>,
      impact: fc.integer({ min: 1, max: 5 }) as fc.Arbitrary<1>,
    }),
    kpi: fc.constantFrom(...KPI_IDS),
  },
  { requiredKeys: ['rag', 'owner', 'department', 'decision', 'status', 'stage', 'text', 'cell', 'kpi'] },
);

// Mostly no filter or one part of one (so pages have rows to order), sometimes several parts at once.
const filterArb: fc.Arbitrary<RowFilter> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 3 },
  {
    arbitrary: everyPart.chain((filter) =>
      fc.constantFrom(...Object.keys(filter)).map((part) => ({ [part]: filter[part as keyof RowFilter] })),
    ),
    weight: 4,
  },
  { arbitrary: everyPart, weight: 1 },
);

const sortArb: fc.Arbitrary<RowSort> = fc.record({
  by: fc.constantFrom(...SORT_KEYS),
  direction: fc.constantFrom('asc' as const, 'desc' as const),
});

/** The sums with every list in one order, so two sums compare by content. */
function normalised(sums: FigureSums) {
  const by = <T>(items: readonly T[], key: (item: T) => string) =>
    [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    ...sums,
    groups: by(sums.groups, (g) => `${g.stageName}|${g.rag}|${g.status}|${g.closed}`),
    owners: by(sums.owners, (o) => o.accountId),
    departments: by(sums.departments, (d) => d.name),
    decisions: by(sums.decisions, (d) => d.outcome),
  };
}

const keysOf = (rows: readonly StoredEntryRow[]) => rows.map((row) => row.key);

describe('the portfolio as SQL', () => {
  let runtime: ForgeRuntime;
  let model: ReadModelPort;
  const run = <T>(work: () => Promise<T>): Promise<T> => inForge(runtime, work);

  beforeAll(async () => {
    runtime = await startAdaptersApp();
    model = createSqlReadModel();
    // The first statement makes the schema.
    await run(() => model.jiraProjects());
  });
  afterAll(() => runtime.close());

  it('filters, sorts, pages and adds up exactly as the domain does over the same entries', async () => {
    // How many runs had rows to order, exceptions to rank and passages to list: a property over empty pages proves little.
    const seen = { pages: 0, exceptions: 0, passages: 0 };
    await fc.assert(
      fc.asyncProperty(
        portfolio,
        filterArb,
        sortArb,
        fc.record({ offset: fc.nat(4), limit: fc.integer({ min: 2, max: 12 }) }),
        fc.nat(),
        async (facts, filter, sort, page, seed) => {
          const rows = facts.map(projectionOf);
          // A run sends about fifteen statements; the sandbox holds an installation to Forge's 150 DML a second.
          await new Promise((resolve) => setTimeout(resolve, 150));
          await run(async () => {
            await sql.executeRaw('DELETE FROM project_projection');
            await model.put(rows);
          });
          // The reader browses two of the three Jira projects and does not pass one secured row.
          const projectIds = ['10000', '10001'];
          const secured = (await run(() => model.securedRows()))
            .filter((r) => projectIds.includes(r.jiraProjectId))
            .map((r) => r.issueId);
          const hidden = secured.slice(0, 1);
          const scope: ReaderScope = { projectIds, hiddenIds: hidden };
          const visible = rows.filter((r) => projectIds.includes(r.jiraProjectId) && !hidden.includes(r.issueId));
          expect([...secured].sort()).toEqual(
            rows
              .filter((r) => projectIds.includes(r.jiraProjectId) && r.securityLevelId !== null)
              .map((r) => r.issueId)
              .sort(),
          );
          // Rows red for this reader from what they wait on: any visible row not red on its own.
          const red = visible.filter((r, index) => r.rag !== 'red' && (seed >> index) % 3 === 0).map((r) => r.issueId);
          const entries = new Map(visible.map((r) => [r.issueId, r.entry as PortfolioEntry]));

          const figures = await run(() => model.figures(scope, red));
          const counted = visible.filter((r) => !red.includes(r.issueId));
          expect(figures.rows).toBe(visible.length);
          expect(figures.pending).toBe(0);
          expect(figures.checkedAt).toBe(visible.length === 0 ? null : `${TODAY}T08:00:00.000Z`);
          expect(normalised(figures.sums)).toEqual(
            normalised(
              sumEntries(counted.map((r) => ({ entry: r.entry, ownerName: r.ownerName, judgedOn: r.judgedOn }))),
            ),
          );
          expect(figures.exceptions).toBe(counted.filter((r) => r.entry.exception !== null).length);

          const shown = visible.map((r) => {
            const row = { ...r.entry.row, issueId: r.issueId };
            return red.includes(r.issueId) ? { ...row, rag: 'red' as const, ragRaid: 'red' as const } : row;
          });
          const period = kpiPeriod(TODAY);
          const kept = filterRows(
            filter.kpi === undefined
              ? shown
              : shown.filter((row) => countedIn(entries.get(row.issueId)!.kpi, filter.kpi!, period, TODAY)),
            filter,
          );
          const expected = pageRows(sortRows(kept, sort), page);
          const got = await run(() => model.pageOf(scope, { filter, sort, ...page, redIds: red }));
          if (got.rows.length > 1) seen.pages += 1;
          expect({ total: got.total, keys: keysOf(got.rows) }).toEqual({
            total: expected.total,
            keys: expected.rows.map((row) => row.key),
          });

          const exceptions = await run(() => model.exceptionRows(scope, red, 5));
          if (exceptions.length > 1) seen.exceptions += 1;
          expect(keysOf(exceptions)).toEqual(
            portfolioExceptions(counted.map((r) => r.entry))
              .slice(0, 5)
              .map((e) => e.key),
          );
          const nonCompliant = await run(() => model.nonCompliantRows(scope, period.from, 3));
          if (nonCompliant.length > 1) seen.passages += 1;
          expect(
            nonCompliantPassages(
              nonCompliant.flatMap((r) => entryOf(r.entry) ?? []),
              period,
              3,
            ),
          ).toEqual(
            nonCompliantPassages(
              visible.map((r) => r.entry),
              period,
              3,
            ),
          );
        },
      ),
      { numRuns: 60, endOnFailure: true },
    );
    expect(seen.pages).toBeGreaterThan(20);
    expect(seen.exceptions).toBeGreaterThan(10);
    expect(seen.passages).toBeGreaterThan(10);
  }, 300_000);
});
