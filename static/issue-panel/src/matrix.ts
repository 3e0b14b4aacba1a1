/**
 * The project's 5×5 risk matrix as the panel draws it: where each open risk sits by its inherent or residual
 * ratings, each cell's score and band in the PMO's configuration. Mirrors src/domain/risk.ts (`heatMap`,
 * `filterByCell`) on the panel's view types, without the domain's schemas in the browser bundle.
 */
import { type ProjectPanelView, type RaidItemView } from '../../../src/contract/issue-panel';
import { type RiskBand, type ScoreBasis } from '../../../src/domain/risk';
import { bandOf } from './raid-model';

/** A risk as the view carries it. */
export type RiskView = Extract<RaidItemView, { type: 'risk' }>;

/** One square: likelihood row, impact column, with the risks in it. */
export interface MatrixCell {
  readonly likelihood: number;
  readonly impact: number;
  readonly score: number;
  readonly band: RiskBand;
  readonly ids: readonly string[];
}

/** The five rows, most likely first (as risk registers print them), each with impact 1..5 left to right. */
export interface RiskMatrix {
  readonly basis: ScoreBasis;
  readonly rows: readonly (readonly MatrixCell[])[];
  readonly total: number;
}

const LEVELS = [1, 2, 3, 4, 5] as const;

/** Where a risk sits; each residual rating falls back on its own inherent rating, as the domain does. */
export function positionOf(risk: RiskView, basis: ScoreBasis): { likelihood: number; impact: number } {
  if (basis === 'inherent') return { likelihood: risk.likelihood, impact: risk.impact };
  return { likelihood: risk.residualLikelihood ?? risk.likelihood, impact: risk.residualImpact ?? risk.impact };
}

/** The matrix of the given risks (pass open ones: closed risks threaten nothing). */
export function riskMatrix(
  risks: readonly RiskView[],
  basis: ScoreBasis,
  bands: ProjectPanelView['riskBands'],
): RiskMatrix {
  const rows = [...LEVELS].reverse().map((likelihood) =>
    LEVELS.map((impact): MatrixCell => {
      const score = likelihood * impact;
      const ids = risks
        .filter((risk) => {
          const at = positionOf(risk, basis);
          return at.likelihood === likelihood && at.impact === impact;
        })
        .map((risk) => risk.id);
      return { likelihood, impact, score, band: bandOf(score, bands), ids };
    }),
  );
  return { basis, rows, total: risks.length };
}

/** The risks in one cell, for narrowing the list from the matrix. */
export function risksInCell(
  risks: readonly RiskView[],
  basis: ScoreBasis,
  cell: { readonly likelihood: number; readonly impact: number },
): RiskView[] {
  return risks.filter((risk) => {
    const at = positionOf(risk, basis);
    return at.likelihood === cell.likelihood && at.impact === cell.impact;
  });
}
