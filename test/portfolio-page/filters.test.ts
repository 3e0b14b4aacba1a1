import { KPI_IDS } from '../../src/domain/portfolio';
import { isFiltered, NO_FILTERS, TILE_KPIS, toggleStage, toPayload } from '../../static/portfolio/src/filters';

describe('the portfolio page filters', () => {
  it('offer a tile for every KPI the domain computes, in its order', () => {
    expect(TILE_KPIS).toEqual(KPI_IDS);
  });

  it('send nothing when nothing narrows the table', () => {
    expect(toPayload(NO_FILTERS)).toEqual({});
    expect(toPayload({ ...NO_FILTERS, text: '   ' })).toEqual({});
    expect(isFiltered({ ...NO_FILTERS, text: '  ' })).toBe(false);
  });

  it('send every part that narrows, owner, department and decision included, with the search trimmed', () => {
    const filters = {
      rag: ['red'] as const,
      stage: ['Development'],
      owner: ['acc-ola'],
      department: ['Finance', 'Customer'],
      decision: ['CONDITIONAL_GO', 'none'] as const,
      text: ' wind ',
      cell: { likelihood: 4, impact: 5 } as const,
      kpi: 'onTime' as const,
    };
    expect(toPayload(filters)).toEqual({
      rag: ['red'],
      stage: ['Development'],
      owner: ['acc-ola'],
      department: ['Finance', 'Customer'],
      decision: ['CONDITIONAL_GO', 'none'],
      text: 'wind',
      cell: { likelihood: 4, impact: 5 },
      kpi: 'onTime',
    });
    for (const part of ['owner', 'department', 'decision', 'kpi'] as const) {
      expect(isFiltered({ ...NO_FILTERS, [part]: filters[part] })).toBe(true);
    }
  });

  it('a funnel click shows just that stage, and a second click on it shows all again', () => {
    expect(toggleStage([], 'Scoping')).toEqual(['Scoping']);
    expect(toggleStage(['Scoping'], 'Scoping')).toEqual([]);
    expect(toggleStage(['Scoping', 'Testing'], 'Scoping')).toEqual(['Scoping']);
    expect(toggleStage(['Testing'], 'Scoping')).toEqual(['Scoping']);
  });
});
