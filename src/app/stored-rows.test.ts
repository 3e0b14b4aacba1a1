import { settingsSchema } from '../domain/settings';
import { buildFacts } from '../domain/testing/builders';
import { type StoredProjection } from './ports';
import { FACTS_VERSION } from './projection';
import { judgeStoredRows } from './stored-rows';

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
