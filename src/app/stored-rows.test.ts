import { assessHealth, type ProjectFacts } from '../domain/health';
import { portfolioCounts } from '../domain/portfolio';
import { settingsSchema } from '../domain/settings';
import {
  allMustsDone,
  buildDependency,
  buildFacts,
  buildGovernance,
  buildRaidLog,
  buildReview,
  COOPER,
} from '../domain/testing/builders';
import { type AppDeps } from './deps';
import { healthConfigOf } from './facts';
import { type StoredEntryRow, type StoredProjection } from './ports';
import { FACTS_VERSION, storedEntryOf } from './projection';
import { judgeEntries, judgeStoredRows } from './stored-rows';

const SETTINGS = settingsSchema.parse({ version: 1, registryJql: 'issuetype = Project' });

function row(key: string, facts: unknown): StoredProjection {
  return {
    issueId: key.replace(/\D/g, ''),
    key,
    securityLevelId: null,
    ownerName: null,
    integrity: 'ok',
    rag: 'none',
    writtenAt: '2026-11-21T09:00:00.000Z',
    problem: null,
    facts,
  };
}

function stored(key: string): unknown {
  const { template: _template, ...facts } = buildFacts({ key });
  return JSON.parse(JSON.stringify({ ...facts, v: FACTS_VERSION })) as unknown;
}

describe('judgeStoredRows', () => {
  it('judges current rows as written, and shows a row whose facts break judging as unreadable, alone', () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // Passes the top-level check of a current row, but its governance is no governance document.
    const broken = { ...(stored('PMO-3') as Record<string, unknown>), governance: { templateId: 'cooper-stage-gate' } };
    const judged = judgeStoredRows(
      [row('PMO-1', stored('PMO-1')), row('PMO-3', broken), row('PMO-2', stored('PMO-2'))],
      SETTINGS,
      '2026-11-21T09:00:00.000Z',
    );
    expect(judged.damagedIds).toEqual(['3']);
    expect(judged.projects.map((p) => [p.row.key, p.row.error?.code ?? null])).toEqual([
      ['PMO-1', null],
      ['PMO-2', null],
      ['PMO-3', 'unreadable'],
    ]);
    expect(judged.assessed).toHaveLength(2);
    error.mockRestore();
  });

  it('validates a row of an older shape in full, and leaves out one that does not parse', () => {
    const { v: _v, ...older } = stored('PMO-4') as Record<string, unknown>;
    const judged = judgeStoredRows(
      [row('PMO-4', older), row('PMO-5', { ...older, raid: 'none' })],
      SETTINGS,
      '2026-11-21T09:00:00.000Z',
    );
    expect(judged.projects.map((p) => [p.row.key, p.row.error?.code ?? null])).toEqual([
      ['PMO-4', null],
      ['PMO-5', 'unreadable'],
    ]);
  });
});

describe('judgeEntries', () => {
  const NOW = '2026-11-21T09:00:00.000Z';
  const TODAY = '2026-11-21';
  /** Green on every dimension unless `overrides` change something. */
  const healthy = (key: string, overrides: Partial<ProjectFacts> = {}): ProjectFacts =>
    buildFacts({
      key,
      dueDate: '2027-12-31',
      governance: buildGovernance({
        nextGateDate: '2027-06-01',
        gates: { 'g1-idea-screen': allMustsDone(COOPER, 'g1-idea-screen') },
        reviews: [buildReview({ at: '2026-11-19T10:00:00.000Z' })],
      }),
      ...overrides,
    });
  const blocked = healthy('PMO-1', {
    raid: buildRaidLog([buildDependency({ counterpartyKey: 'EXT-1', deliveryStatus: 'blocked' })]),
  });
  const waiting = healthy('PMO-2', { raid: buildRaidLog([buildDependency({ counterpartyKey: 'PMO-1' })]) });
  const older = healthy('PMO-3');
  const plain = healthy('PMO-4');

  /** A stored row as the write path leaves it, entry judged on its own facts, through JSON as Forge SQL answers. */
  function storedRow(
    facts: ProjectFacts,
    entryVersion?: number,
  ): { entryRow: StoredEntryRow; whole: StoredProjection } {
    const health = assessHealth(facts, healthConfigOf(SETTINGS), TODAY);
    const entry = storedEntryOf(facts, health);
    const base = row(facts.key, stored(facts.key));
    const whole = { ...base, rag: health.overall, facts: JSON.parse(JSON.stringify({ ...facts, v: FACTS_VERSION })) };
    const entryRow = {
      ...base,
      rag: health.overall,
      waitsOn: health.summary.waitsOn,
      judgedOn: TODAY,
      entry: JSON.parse(JSON.stringify(entryVersion === undefined ? entry : { ...entry, v: entryVersion })) as unknown,
    };
    return { entryRow, whole: { ...whole, facts: JSON.parse(JSON.stringify(whole.facts)) as unknown } };
  }

  it('uses stored entries as they are, and judges from facts only the rows a visible red turns red or without an entry', async () => {
    const rows = [storedRow(blocked), storedRow(waiting), storedRow(older, 0), storedRow(plain)];
    const asked: string[][] = [];
    const deps = {
      readModel: {
        rowsIn: ({ issueIds }: { issueIds: readonly string[] }) => {
          asked.push([...issueIds]);
          return Promise.resolve(rows.map((r) => r.whole).filter((r) => issueIds.includes(r.issueId)));
        },
      },
    } as unknown as AppDeps;
    const judged = await judgeEntries(
      deps,
      rows.map((r) => r.entryRow),
      ['10000'],
      SETTINGS,
      NOW,
    );
    expect(asked).toEqual([['2', '3']]);
    const byKey = new Map(judged.projects.map((p) => [p.row.key, p.row]));
    expect(rows.map((r) => r.entryRow.rag)).toEqual(['red', 'green', 'green', 'green']);
    expect(byKey.get('PMO-2')).toMatchObject({ rag: 'red' });
    expect(byKey.get('PMO-2')?.why.map((reason) => reason.code)).toContain('raid.dependencyRed');
    expect(byKey.get('PMO-3')?.error).toBeNull();
    // The counts say what the rows say: PMO-1 and PMO-2 red.
    expect(portfolioCounts(judged.entries).byRag.red).toBe(2);
    expect(judged.entries).toHaveLength(4);
  });

  it('lets nothing a person cannot see turn a row red: only rows read count', async () => {
    const rows = [storedRow(waiting), storedRow(plain)];
    const deps = {
      readModel: { rowsIn: () => Promise.reject(new Error('nothing to read again')) },
    } as unknown as AppDeps;
    const judged = await judgeEntries(
      deps,
      rows.map((r) => r.entryRow),
      ['10000'],
      SETTINGS,
      NOW,
    );
    expect(judged.projects.map((p) => [p.row.key, p.row.rag])).toEqual([
      ['PMO-2', rows[0]?.entryRow.rag],
      ['PMO-4', rows[1]?.entryRow.rag],
    ]);
  });
});
