import { decisionsBetween, portfolioChanges, type ProjectState } from './changes';

const state = (key: string, rag: ProjectState['rag'], risk: ProjectState['risk'] = 'low'): ProjectState => ({
  key,
  rag,
  risk,
});

describe('portfolioChanges', () => {
  it('sorts every project into what happened to it between the two days', () => {
    const before = [
      state('PMO-1', 'green'),
      state('PMO-2', 'amber', 'moderate'),
      state('PMO-3', 'red', 'extreme'),
      state('PMO-4', 'green', 'high'),
      state('PMO-10', 'amber'),
      state('PMO-5', 'amber'),
      state('PMO-6', 'red'),
    ];
    const after = [
      state('PMO-1', 'red'),
      state('PMO-2', 'red', 'extreme'),
      state('PMO-3', 'amber', 'high'),
      state('PMO-4', 'amber', 'moderate'),
      state('PMO-10', 'green'),
      state('PMO-5', 'none'),
      state('PMO-7', 'red'),
      state('PMO-8', 'green'),
    ];
    const changes = portfolioChanges(before, after);
    expect(changes.newReds).toEqual([
      { key: 'PMO-1', from: 'green', to: 'red' },
      { key: 'PMO-2', from: 'amber', to: 'red' },
      { key: 'PMO-7', from: null, to: 'red' },
    ]);
    expect(changes.worse).toEqual([{ key: 'PMO-4', from: 'green', to: 'amber' }]);
    // In key order as people read keys (PMO-3 before PMO-10); a project no longer judged is not "better".
    expect(changes.better).toEqual([
      { key: 'PMO-3', from: 'red', to: 'amber' },
      { key: 'PMO-10', from: 'amber', to: 'green' },
    ]);
    expect(changes.risksUp).toEqual([{ key: 'PMO-2', from: 'moderate', to: 'extreme' }]);
    expect(changes.risksDown).toEqual([
      { key: 'PMO-3', from: 'extreme', to: 'high' },
      { key: 'PMO-4', from: 'high', to: 'moderate' },
    ]);
    expect(changes.added).toEqual(['PMO-7', 'PMO-8']);
  });

  it('claims no risk-band change when the earlier day kept no bands', () => {
    const changes = portfolioChanges([state('PMO-1', 'green', null)], [state('PMO-1', 'amber', 'extreme')]);
    expect(changes.risksUp).toBeNull();
    expect(changes.risksDown).toBeNull();
    expect(changes.worse).toHaveLength(1);
  });

  it('says nothing changed when nothing did, and leaves out projects gone since', () => {
    const same = [state('PMO-1', 'amber'), state('PMO-2', 'red', 'extreme')];
    expect(portfolioChanges(same, same)).toEqual({
      newReds: [],
      worse: [],
      better: [],
      risksUp: [],
      risksDown: [],
      added: [],
    });
    expect(portfolioChanges([...same, state('PMO-3', 'red')], same).newReds).toEqual([]);
  });
});

describe('decisionsBetween', () => {
  it('keeps the decisions after the first day up to and including the second, latest first', () => {
    const made = (key: string, day: string) => ({ key, gate: 'Gate 1', outcome: 'GO' as const, day });
    expect(
      decisionsBetween(
        [
          made('PMO-1', '2026-11-01'),
          made('PMO-2', '2026-11-02'),
          made('PMO-3', '2026-11-30'),
          made('PMO-4', '2026-12-01'),
        ],
        '2026-11-01',
        '2026-11-30',
      ).map((d) => d.key),
    ).toEqual(['PMO-3', 'PMO-2']);
  });
});
