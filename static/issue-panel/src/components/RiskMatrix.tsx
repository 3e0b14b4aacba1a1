import { type ProjectPanelView } from '../../../../src/contract/issue-panel';
import { type ScoreBasis } from '../../../../src/domain/risk';
import { BandLegend } from '../../../common/src/RiskBands';
import { useI18n } from '../../../common/src/useI18n';
import { type MatrixCell, riskMatrix, type RiskView } from '../matrix';

interface Props {
  readonly risks: readonly RiskView[];
  readonly bands: ProjectPanelView['riskBands'];
  readonly basis: ScoreBasis;
  readonly onBasis: (basis: ScoreBasis) => void;
  /** The cell the list is narrowed to, if any. */
  readonly selected: { readonly likelihood: number; readonly impact: number } | null;
  readonly onSelect: (cell: MatrixCell | null) => void;
}

const BASES: readonly ScoreBasis[] = ['inherent', 'residual'];

/**
 * The project's open risks on the 5×5 matrix, inherent or residual. A table with row and column headers, each cell
 * saying its score, band and count in words (colour only repeats it); a cell is a toggle that narrows the list.
 */
export function RiskMatrix({ risks, bands, basis, onBasis, selected, onSelect }: Props) {
  const { t } = useI18n();
  const matrix = riskMatrix(risks, basis, bands);
  return (
    <section className="matrix" aria-labelledby="matrix-heading">
      <div className="row-between">
        <h4 id="matrix-heading">{t('panel.matrix.title')}</h4>
        <div role="group" aria-label={t('panel.matrix.basisLabel')} className="segmented">
          {BASES.map((value) => (
            <button
              key={value}
              type="button"
              className="segment"
              aria-pressed={basis === value}
              onClick={() => onBasis(value)}
            >
              {t(`panel.matrix.basis.${value}`)}
            </button>
          ))}
        </div>
      </div>
      <table className="risk-matrix">
        <caption className="visually-hidden">
          {t('panel.matrix.caption', { basis: t(`panel.matrix.basis.${basis}`), count: matrix.total })}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="corner">
              {t('panel.matrix.corner')}
            </th>
            {matrix.rows[0]?.map((cell) => (
              <th scope="col" key={cell.impact}>
                <span className="axis-level">{cell.impact}</span>
                <span className="axis-label">{t(`risk.impact.${cell.impact}`)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.rows.map((row) => (
            <tr key={row[0]?.likelihood}>
              <th scope="row">
                <span className="axis-level">{row[0]?.likelihood}</span>
                <span className="axis-label">{t(`risk.likelihood.${row[0]?.likelihood ?? 1}`)}</span>
              </th>
              {row.map((cell) => {
                const pressed = selected?.likelihood === cell.likelihood && selected.impact === cell.impact;
                const label = t('panel.matrix.cell', {
                  likelihood: t(`risk.likelihood.${cell.likelihood}`),
                  impact: t(`risk.impact.${cell.impact}`),
                  score: cell.score,
                  band: t(`risk.band.${cell.band}`),
                  count: cell.ids.length,
                });
                return (
                  <td key={cell.impact} className={`band-${cell.band}`} data-cell={`${cell.likelihood}-${cell.impact}`}>
                    <button
                      type="button"
                      aria-pressed={pressed}
                      title={label}
                      disabled={cell.ids.length === 0 && !pressed}
                      onClick={() => onSelect(pressed ? null : cell)}
                    >
                      {/* The name is the sentence; the digits are its picture (a name that does not contain the text a
                          sighted voice-control user reads off the button would not answer "click 1 12"). */}
                      <span className="cell-count" aria-hidden="true">
                        {cell.ids.length > 0 ? cell.ids.length : ''}
                      </span>
                      <span className="cell-score" aria-hidden="true">
                        {cell.score}
                      </span>
                      <span className="visually-hidden">{label}</span>
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <BandLegend ranges={bands} label={t('risk.legend')} />
    </section>
  );
}
