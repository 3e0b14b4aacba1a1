import { assessHealth, DEFAULT_HEALTH_CONFIG, type ProjectFacts, type ProjectHealth } from '../health';
import { reason } from '../rag';
import {
  allMustsDone,
  buildDecision,
  buildFacts,
  buildGovernance,
  buildIssue,
  buildRaidLog,
  buildReview,
  buildRisk,
  COOPER,
} from '../testing/builders';
import {
  HEALTH_DOCUMENT_REASONS,
  HEALTH_INDEX,
  HEALTH_PROPERTY_KEY,
  type HealthDocument,
  healthDocumentSchema,
  healthDocumentsDiffer,
  parseHealthDocument,
  toHealthDocument,
} from './health-document';

const TODAY = '2026-03-02';
const COMPUTED_AT = '2026-03-02T06:00:00.000Z';

function healthOf(overrides: Partial<ProjectFacts> = {}) {
  return assessHealth(buildFacts(overrides), DEFAULT_HEALTH_CONFIG, TODAY);
}

/** A busy project: every indexed field has a value, and more than eight things are wrong. */
const busy = healthOf({
  dueDate: '2026-02-01',
  governance: buildGovernance({
    nextGateDate: '2026-02-20',
    decisions: [buildDecision({ outcome: 'HOLD', decidedAt: '2026-01-10T09:00:00.000Z' })],
    reviews: [buildReview({ at: '2026-01-12T09:00:00.000Z' })],
    tolerances: [{ aspect: 'cost', level: 'stage', baseline: 100, forecast: 130, plus: 10, minus: 5, unit: 'EUR k' }],
  }),
  raid: buildRaidLog([
    buildRisk({ id: 'R-1', likelihood: 5, impact: 4 }),
    buildRisk({ id: 'R-2', likelihood: 4, impact: 5 }),
    buildRisk({ id: 'R-3', likelihood: 5, impact: 5 }),
    buildIssue({ id: 'I-1', severity: 3, dueDate: '2026-02-01' }),
    buildIssue({ id: 'I-2', severity: 3, dueDate: '2026-02-02' }),
    buildIssue({ id: 'I-3', severity: 2, dueDate: '2026-02-02', nextReviewAt: '2026-02-01' }),
  ]),
  evm: { bac: 100, pv: 60, ev: 40, ac: 70 },
});

const sample: HealthDocument = toHealthDocument(busy, 'ok', COMPUTED_AT);

describe('toHealthDocument', () => {
  it('flattens the health into the indexed fields', () => {
    expect(sample).toMatchObject({
      schema: 1,
      rag: 'red',
      ragSchedule: 'red',
      ragGate: 'red',
      ragRisk: 'red',
      ragRaid: 'red',
      ragBudget: 'red',
      ragTolerance: 'red',
      ragStaleness: 'red',
      severity: 3,
      stage: 'discovery',
      stageName: 'Discovery',
      status: 'active',
      decision: 'HOLD',
      riskMax: 25,
      riskBand: 'extreme',
      mandatoryOpen: 3,
      nextGateDate: '2026-02-20',
      lastReviewAt: '2026-01-12T09:00:00.000Z',
      integrity: 'ok',
      exception: 'yes',
      computedAt: COMPUTED_AT,
    });
  });

  it('carries the overall RAG as the number the worst-first sort orders by, so JQL can order by it', () => {
    const withOverall = (overall: ProjectHealth['overall']) =>
      toHealthDocument({ ...busy, overall }, 'ok', COMPUTED_AT).severity;
    expect([withOverall('red'), withOverall('amber'), withOverall('green'), withOverall('none')]).toEqual([3, 2, 1, 0]);
  });

  it('still reads a document written before severity existed, and sees it differs from a recompute', () => {
    const { severity: _severity, ...older } = sample;
    const parsed = parseHealthDocument(older);
    expect(parsed.ok).toBe(true);
    expect(healthDocumentsDiffer(older, sample)).toBe(true);
  });

  it('keeps the worst eight non-green reasons, worst first', () => {
    expect(sample.reasons).toHaveLength(HEALTH_DOCUMENT_REASONS);
    expect(sample.reasons.every((r) => r.rag === 'red')).toBe(true);
    expect(sample.reasons[0]?.code).toBe('schedule.overdue');
  });

  it('writes a value its own schema accepts', () => {
    expect(parseHealthDocument(JSON.parse(JSON.stringify(sample)))).toEqual({
      ok: true,
      document: sample,
      migratedFrom: null,
    });
  });

  it.each<[string, Partial<ProjectFacts>, Partial<HealthDocument>]>([
    ['ungoverned', { governance: null }, { status: 'ungoverned', decision: 'none', exception: 'no', riskMax: 0 }],
    [
      'completed',
      { governance: buildGovernance({ status: 'completed', completedAt: '2026-02-01T09:00:00.000Z' }) },
      { rag: 'none', ragGate: 'none', status: 'completed', reasons: [] },
    ],
    [
      'governed and green',
      {
        dueDate: '2026-12-01',
        governance: buildGovernance({
          nextGateDate: '2026-06-01',
          gates: { 'g1-idea-screen': allMustsDone(COOPER, 'g1-idea-screen') },
          reviews: [buildReview({ at: '2026-03-01T09:00:00.000Z' })],
        }),
      },
      { rag: 'green', ragBudget: 'none', mandatoryOpen: 0, reasons: [], exception: 'no' },
    ],
  ])('writes a %s project', (_label, facts, expected) => {
    const document = toHealthDocument(healthOf(facts), 'unsigned', COMPUTED_AT);
    expect(document).toMatchObject(expected);
    expect(healthDocumentSchema.safeParse(document).success).toBe(true);
  });

  it('leaves stage, dates and review out when there are none', () => {
    const document = toHealthDocument(healthOf({ governance: null }), 'ok', COMPUTED_AT);
    for (const absent of ['stage', 'stageName', 'nextGateDate', 'lastReviewAt'])
      expect(document).not.toHaveProperty(absent);
  });

  it.each<[number, number]>([
    [200, 200],
    [201, 200],
    [5000, 200],
  ])('cuts a %s-character parameter to %s characters', (length, kept) => {
    const health = healthOf({ governance: null });
    const long = { ...health, reasons: [reason('overall.ambersMakeRed', 'red', { text: 'x'.repeat(length) })] };
    const document = toHealthDocument(long, 'ok', COMPUTED_AT);
    const text = document.reasons[0]?.params.text as string;
    expect(text).toHaveLength(kept);
    expect(text.endsWith('…')).toBe(length > 200);
    expect(healthDocumentSchema.safeParse(document).success).toBe(true);
  });
});

describe('parseHealthDocument', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'not-json-object'],
    ['an array', [sample], 'not-json-object'],
    ['a string', 'red', 'not-json-object'],
    ['no schema', { ...sample, schema: undefined }, 'unknown-schema'],
    ['schema 0', { ...sample, schema: 0 }, 'unknown-schema'],
    ['schema 2', { ...sample, schema: 2 }, 'newer-schema'],
    ['an unknown RAG', { ...sample, rag: 'purple' }, 'invalid'],
    ['riskMax 26', { ...sample, riskMax: 26 }, 'invalid'],
    ['severity 4', { ...sample, severity: 4 }, 'invalid'],
    ['riskMax 2.5', { ...sample, riskMax: 2.5 }, 'invalid'],
    ['mandatoryOpen −1', { ...sample, mandatoryOpen: -1 }, 'invalid'],
    ['exception as a boolean', { ...sample, exception: true }, 'invalid'],
    ['a gate date with a time', { ...sample, nextGateDate: '2026-02-20T00:00:00Z' }, 'invalid'],
    ['nine reasons', { ...sample, reasons: [...sample.reasons, sample.reasons[0]] }, 'invalid'],
    [
      'a reason code without a dimension',
      { ...sample, reasons: [{ code: 'late', rag: 'red', params: {} }] },
      'invalid',
    ],
  ])('refuses %s without throwing', (_label, raw, code) => {
    const result = parseHealthDocument(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message).toMatch(/health/);
    }
  });

  it.each<[string, unknown]>([
    ['riskMax 25', { ...sample, riskMax: 25 }],
    ['riskMax 0', { ...sample, riskMax: 0 }],
    ['no reasons', { ...sample, reasons: [] }],
    ['integrity tampered', { ...sample, integrity: 'tampered' }],
  ])('accepts %s', (_label, raw) => {
    expect(parseHealthDocument(raw).ok).toBe(true);
  });

  it('lists where a damaged document is wrong', () => {
    const result = parseHealthDocument({ ...sample, rag: 'purple', riskMax: 99 });
    expect(result.ok ? [] : result.error.problems).toEqual([
      expect.stringMatching(/^rag: /),
      expect.stringMatching(/^riskMax: /),
    ]);
  });
});

describe('healthDocumentsDiffer', () => {
  it.each<[string, Partial<HealthDocument>, boolean]>([
    ['only the computation time changed', { computedAt: '2026-03-09T06:00:00.000Z' }, false],
    ['nothing changed', {}, false],
    ['the RAG changed', { rag: 'amber' }, true],
    ['integrity changed', { integrity: 'tampered' }, true],
    ['a reason changed', { reasons: sample.reasons.slice(1) }, true],
    ['the gate date went away', { nextGateDate: undefined }, true],
  ])('%s: %s', (_label, change, differs) => {
    expect(healthDocumentsDiffer(sample, { ...sample, ...change })).toBe(differs);
  });

  it('ignores key order, as Jira does not keep it', () => {
    const reordered = Object.fromEntries(Object.entries(sample).reverse()) as HealthDocument;
    expect(healthDocumentsDiffer(sample, reordered)).toBe(false);
  });
});

describe('HEALTH_INDEX', () => {
  const parsed = parseHealthDocument(JSON.parse(JSON.stringify(sample)));
  const document = (parsed.ok ? parsed.document : {}) as Record<string, unknown>;

  it('is the property the app writes', () => {
    expect(HEALTH_PROPERTY_KEY).toBe('tollgate-health');
  });

  it.each(HEALTH_INDEX.map((entry) => [entry.searchAlias, entry] as const))(
    '%s points at a value of its type',
    (_alias, entry) => {
      const value = document[entry.path];
      switch (entry.type) {
        case 'number':
          expect(typeof value).toBe('number');
          break;
        case 'date':
          expect(typeof value).toBe('string');
          expect(Number.isNaN(Date.parse(value as string))).toBe(false);
          break;
        case 'string':
        case 'text':
          expect(typeof value).toBe('string');
          break;
      }
    },
  );

  it('uses each alias and path once, within the app budget of 100 indexed values', () => {
    expect(new Set(HEALTH_INDEX.map((e) => e.searchAlias)).size).toBe(HEALTH_INDEX.length);
    expect(new Set(HEALTH_INDEX.map((e) => e.path)).size).toBe(HEALTH_INDEX.length);
    expect(HEALTH_INDEX).toHaveLength(18);
    expect(HEALTH_INDEX.every((e) => /^tollgate[A-Z][A-Za-z]*$/.test(e.searchAlias))).toBe(true);
  });

  it('indexes every per-dimension RAG', () => {
    const paths = HEALTH_INDEX.map((e) => e.path);
    for (const field of Object.keys(document).filter((key) => key.startsWith('rag'))) expect(paths).toContain(field);
  });
});
