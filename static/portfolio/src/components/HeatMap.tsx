import { type PortfolioHeatMap } from '../../../../src/contract/portfolio';
import { type RiskLevel } from '../../../../src/domain/risk';
import { BandLegend, rangesOf } from '../../../common/src/RiskBands';
import { useI18n } from '../../../common/src/useI18n';
import { type Cell } from '../filters';

const LEVELS: readonly RiskLevel[] = [1, 2, 3, 4, 5];
const DESCENDING: readonly RiskLevel[] = [5, 4, 3, 2, 1];

/** The residual 5×5 matrix of every live project's open risks; a square with risks filters the table. */
export function HeatMap({
  heatMap,
  selected,
  onSelect,
}: {
  readonly heatMap: PortfolioHeatMap;
  readonly selected: Cell | undefined;
  readonly onSelect: (cell: Cell | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="heat-heading">
      <h2 id="heat-heading">{t('portfolio.heat.title')}</h2>
      <p className="subtle">{t('portfolio.heat.hint', { count: heatMap.total })}</p>
      <table className="heat-map">
        <caption className="visually-hidden">{t('portfolio.heat.title')}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t('portfolio.heat.likelihood')}</span>
            </th>
            {LEVELS.map((impact) => (
              <th key={impact} scope="col">
                {impact}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DESCENDING.map((likelihood) => (
            <tr key={likelihood}>
              <th scope="row">{likelihood}</th>
              {LEVELS.map((impact) => {
                const square = heatMap.squares[(likelihood - 1) * 5 + (impact - 1)];
                const count = square?.count ?? 0;
                const pressed = selected?.likelihood === likelihood && selected.impact === impact;
                return (
                  <td key={impact}>
                    <button
                      type="button"
                      className={`heat-cell band-${square?.band ?? 'low'}${count === 0 ? ' heat-empty' : ''}`}
                      aria-pressed={pressed}
                      disabled={count === 0 && !pressed}
                      aria-label={t('portfolio.heat.cell', {
                        likelihood,
                        impact,
                        count,
                        band: t(`risk.band.${square?.band ?? 'low'}`),
                      })}
                      data-likelihood={likelihood}
                      data-impact={impact}
                      onClick={() => onSelect(pressed ? undefined : { likelihood, impact })}
                    >
                      {count > 0 ? count : ''}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="heat-axes subtle">
        <span>↑ {t('portfolio.heat.likelihood')}</span>
        <span>{t('portfolio.heat.impact')} →</span>
      </div>
      <BandLegend ranges={rangesOf(heatMap.squares)} label={t('risk.legend')} />
    </section>
  );
}
