import { parseGovernanceDocument } from './governance-document';

const current = {
  schema: 2,
  rev: 7,
  templateId: 'cooper-stage-gate',
  templateVersion: 1,
  stage: 'scoping',
  status: 'active',
  startedAt: '2026-01-05T08:00:00.000Z',
  gates: {
    'g2-second-screen': {
      'sponsor-named': { state: 'done', evidence: [], by: 'acc-1', at: '2026-02-01T10:00:00.000Z' },
    },
  },
  decisions: [],
  updatedAt: '2026-02-01T10:00:00.000Z',
  updatedBy: 'acc-1',
};

const pilot = {
  schema: 1,
  rev: 3,
  template: 'cooper-stage-gate',
  stage: 'scoping',
  checklist: { 'g1-idea-screen': { 'strategic-fit': true, feasible: true, 'no-showstopper': false } },
  decision: { gateId: 'g1-idea-screen', outcome: 'HOLD', by: 'acc-pmo', at: '2025-11-02T12:00:00.000Z', note: '' },
  updatedAt: '2025-11-03T09:00:00.000Z',
  updatedBy: 'acc-owner',
};

describe('parseGovernanceDocument', () => {
  it('reads the current schema and fills defaults for members added later', () => {
    const result = parseGovernanceDocument(current);
    expect(result).toMatchObject({ ok: true, migratedFrom: null });
    if (result.ok)
      expect(result.document).toMatchObject({ transitions: [], reviews: [], tolerances: [], priority: {} });
  });

  it('migrates the pilot schema 1: ticks become done, the last decision is kept, Hold pauses', () => {
    const result = parseGovernanceDocument(pilot);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migratedFrom).toBe(1);
    expect(result.document).toMatchObject({
      schema: 2,
      rev: 3,
      templateId: 'cooper-stage-gate',
      templateVersion: 1,
      status: 'on-hold',
      gates: {
        'g1-idea-screen': {
          'strategic-fit': { state: 'done', by: 'acc-owner' },
          'no-showstopper': { state: 'open' },
        },
      },
      decisions: [{ id: 'd1', outcome: 'HOLD', decidedBy: 'acc-pmo', readiness: { mustOpen: 0, score: null } }],
    });
    expect(result.document.decisions[0]?.rationale).toContain('pilot');
  });

  it.each([
    ['KILL', 'killed'],
    ['GO', 'active'],
  ])('a pilot %s becomes status %s', (outcome, status) => {
    const result = parseGovernanceDocument({ ...pilot, decision: { ...pilot.decision, outcome } });
    expect(result.ok && result.document.status).toBe(status);
  });

  it.each<[string, unknown, string, string]>([
    ['null', null, 'not-json-object', 'not a JSON object'],
    ['an array', [current], 'not-json-object', 'not a JSON object'],
    ['a string', 'tollgate', 'not-json-object', 'not a JSON object'],
    ['no schema', { ...current, schema: undefined }, 'unknown-schema', 'no schema version'],
    ['a newer schema', { ...current, schema: 3 }, 'newer-schema', 'newer Tollgate'],
    ['schema 0', { ...current, schema: 0 }, 'unknown-schema', 'Unknown governance schema 0'],
    ['a bad status', { ...current, status: 'approved' }, 'invalid', 'damaged'],
    ['a negative rev', { ...current, rev: -1 }, 'invalid', 'damaged'],
    ['a forged signature format', { ...current, sig: 'trust-me' }, 'invalid', 'damaged'],
    ['a damaged pilot document', { ...pilot, checklist: { g: { a: 'yes' } } }, 'invalid', 'schema 1'],
  ])('turns %s into a typed error instead of throwing', (_case, raw, code, message) => {
    const result = parseGovernanceDocument(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
  });

  it('says where a damaged document is wrong', () => {
    const result = parseGovernanceDocument({
      ...current,
      gates: { g: { a: { state: 'done', by: 'x', at: 'yesterday' } } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.problems).toEqual([expect.stringContaining('gates.g.a.at')]);
  });
});
