import { type ProjectPanelView, type RaidItemView } from '../../src/contract/issue-panel';
import { heatMap } from '../../src/domain/risk';
import { riskMatrix, risksInCell, type RiskView } from '../../static/issue-panel/src/matrix';
import { previewOp } from '../../static/issue-panel/src/optimistic';
import {
  addOpOf,
  bandOf,
  cannotClear,
  draftOf,
  emptyDraft,
  itemViewOf,
  missingFields,
  RAID_FIELDS,
  updateOpOf,
} from '../../static/issue-panel/src/raid-model';

const BANDS: ProjectPanelView['riskBands'] = [
  { band: 'low', min: 1, max: 3 },
  { band: 'moderate', min: 4, max: 6 },
  { band: 'high', min: 8, max: 12 },
  { band: 'extreme', min: 15, max: 25 },
];

function risk(id: string, fields: Partial<RiskView> = {}): RiskView {
  return itemViewOf(
    { id, type: 'risk', title: `Risk ${id}`, owner: 'acc-1', status: 'open', likelihood: 3, impact: 3, ...fields },
    BANDS,
  ) as RiskView;
}

describe('RAID forms as data', () => {
  it('has a form field for every field a person may set on each type, and none the app assigns', () => {
    for (const fields of Object.values(RAID_FIELDS)) {
      const names = fields.map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining(['title', 'owner']));
      for (const assigned of ['id', 'status', 'raisedBy', 'raisedAt', 'closedAt', 'closedBy', 'closeNote']) {
        expect(names).not.toContain(assigned);
      }
    }
  });

  it('turns a new issue form into an addRaidItem op, leaving empty optional fields out and numbers as numbers', () => {
    const draft = { ...emptyDraft('issue', 'acc-1', '2026-11-21'), title: '  Vendor API down  ', severity: '3' };
    expect(missingFields('issue', draft)).toEqual([]);
    expect(addOpOf('issue', draft)).toEqual({
      type: 'addRaidItem',
      item: { type: 'issue', title: 'Vendor API down', owner: 'acc-1', severity: 3, priority: 'medium' },
    });
  });

  it('says which required fields are still empty', () => {
    const draft = { ...emptyDraft('dependency', 'acc-1', '2026-11-21'), title: 'Payroll feed' };
    expect(missingFields('dependency', draft)).toEqual(['counterpartyKey']);
  });

  it('dates a new decision today, approved by the viewer', () => {
    expect(emptyDraft('decision', 'acc-9', '2026-11-21')).toMatchObject({ approver: 'acc-9', decidedAt: '2026-11-21' });
  });

  it('sends only what changed on an edit, and nothing when nothing did', () => {
    const item = risk('R-1', { mitigation: 'Second supplier' });
    expect(updateOpOf(item, draftOf(item))).toBeNull();
    const draft = { ...draftOf(item), residualLikelihood: '1', residualImpact: '2', mitigation: '' };
    expect(updateOpOf(item, draft)).toEqual({
      type: 'updateRaidItem',
      id: 'R-1',
      changes: { residualLikelihood: 1, residualImpact: 2, mitigation: '' },
    });
  });

  it('warns that an emptied date keeps its value, since the op cannot take a field back to none', () => {
    const item = risk('R-2', { proximity: '2027-01-10' });
    const field = RAID_FIELDS.risk.find((f) => f.name === 'proximity');
    if (!field) throw new Error('risk has no proximity field');
    const draft = { ...draftOf(item), proximity: '' };
    expect(cannotClear(field, item, draft)).toBe(true);
    expect(updateOpOf(item, draft)).toBeNull();
  });
});

describe('bands and scores in the panel', () => {
  it('bands a score the way the PMO configured', () => {
    expect([1, 4, 9, 16].map((score) => bandOf(score, BANDS))).toEqual(['low', 'moderate', 'high', 'extreme']);
    const wide = [
      { band: 'low', min: 1, max: 5 },
      { band: 'moderate', min: 6, max: 9 },
      { band: 'high', min: 10, max: 16 },
      { band: 'extreme', min: 20, max: 25 },
    ] as const;
    expect(bandOf(5, wide)).toBe('low');
  });

  it('recomputes inherent and residual scores, each residual rating falling back on its inherent one', () => {
    const item = risk('R-3', { likelihood: 4, impact: 5, residualLikelihood: 2 });
    expect(item.inherent).toEqual({ score: 20, band: 'extreme' });
    expect(item.residual).toEqual({ score: 10, band: 'high' });
  });
});

describe('the 5×5 matrix', () => {
  const risks = [
    risk('R-1', { likelihood: 4, impact: 5, residualLikelihood: 2, residualImpact: 2 }),
    risk('R-2', { likelihood: 4, impact: 5 }),
    risk('R-3', { likelihood: 1, impact: 2 }),
  ];

  it('puts each risk where the domain heat map does, most likely row first', () => {
    for (const basis of ['inherent', 'residual'] as const) {
      const matrix = riskMatrix(risks, basis, BANDS);
      const domain = heatMap(
        risks.map((r) => ({
          id: r.id,
          likelihood: r.likelihood,
          impact: r.impact,
          residualLikelihood: r.residualLikelihood ?? undefined,
          residualImpact: r.residualImpact ?? undefined,
        })),
        basis,
      );
      for (const row of matrix.rows) {
        for (const cell of row) {
          const expected = domain.cells[cell.likelihood - 1]?.[cell.impact - 1];
          expect([cell.ids, cell.score, cell.band]).toEqual([expected?.ids, expected?.score, expected?.band]);
        }
      }
      expect(matrix.rows.map((row) => row[0]?.likelihood)).toEqual([5, 4, 3, 2, 1]);
    }
  });

  it('narrows the list to one cell', () => {
    expect(risksInCell(risks, 'inherent', { likelihood: 4, impact: 5 }).map((r) => r.id)).toEqual(['R-1', 'R-2']);
    expect(risksInCell(risks, 'residual', { likelihood: 4, impact: 5 }).map((r) => r.id)).toEqual(['R-2']);
  });
});

describe('previews of RAID and condition ops', () => {
  const empty: ProjectPanelView['raid'] = { risk: [], assumption: [], issue: [], dependency: [], decision: [] };
  const view = {
    riskBands: BANDS,
    raid: { ...empty, risk: [risk('R-1', { likelihood: 4, impact: 5 })] },
    decisions: [
      {
        id: 'd1',
        conditions: [{ id: 'c1', text: 'Budget signed', metAt: null, metBy: null }],
      },
    ],
  } as unknown as ProjectPanelView;

  it('shows an edited risk with its new residual score at once', () => {
    const next = previewOp(
      view,
      { type: 'updateRaidItem', id: 'R-1', changes: { residualLikelihood: 1, residualImpact: 2 } },
      'acc-1',
      '2026-11-21T10:00:00.000Z',
      'pending-1',
    );
    expect(next.raid.risk[0]).toMatchObject({ id: 'R-1', residual: { score: 2, band: 'low' } });
  });

  it('shows a logged dependency under its own type', () => {
    const next = previewOp(
      view,
      {
        type: 'addRaidItem',
        item: {
          type: 'dependency',
          title: 'Payroll feed',
          owner: 'acc-1',
          direction: 'inbound',
          counterpartyKey: 'PMO-3',
        },
      },
      'acc-1',
      '2026-11-21T10:00:00.000Z',
      'pending-2',
    );
    expect(next.raid.dependency).toEqual([
      expect.objectContaining({ id: 'pending-2', type: 'dependency', title: 'Payroll feed', status: 'open' }),
    ]);
  });

  it('shows a closed item with who closed it and why', () => {
    const next = previewOp(view, { type: 'closeRaidItem', id: 'R-1', note: 'Supplier signed' }, 'acc-2', 'T', 'p');
    expect(next.raid.risk[0] as RaidItemView).toMatchObject({
      status: 'closed',
      closedBy: 'acc-2',
      closeNote: 'Supplier signed',
    });
  });

  it('shows a condition met by the viewer', () => {
    const next = previewOp(view, { type: 'meetCondition', decisionId: 'd1', conditionId: 'c1' }, 'acc-3', 'T', 'p');
    expect(next.decisions[0]?.conditions[0]).toMatchObject({ metAt: 'T', metBy: 'acc-3' });
  });
});
