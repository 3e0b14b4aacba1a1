import { type MacroTable } from '../../../../src/contract/macro';
import { BandLegend, rangesOf } from '../../../common/src/RiskBands';
import { useI18n } from '../../../common/src/useI18n';

/** The number at the end of an id such as `impact-3` or `likelihood-5`. */
const level = (id: string): string => /(\d+)$/.exec(id)?.[1] ?? id;

/** Each square's score (likelihood × impact, from the row and column ids) and band. */
function squaresOf(table: MacroTable) {
  const impacts = table.columns.slice(1);
  return table.rows.flatMap((row) =>
    row.cells
      .slice(1)
      .flatMap((cell, index) =>
        cell.kind === 'risk'
          ? [{ score: Number(level(row.id)) * Number(level(impacts[index]?.id ?? '')), band: cell.band }]
          : [],
      ),
  );
}

/**
 * The heat-map view: the residual 5×5 matrix, likelihood down (5 at the top), impact across, each square coloured by
 * its band and naming it for screen readers (colour is never the only signal).
 */
export function HeatGrid({ table, title }: { readonly table: MacroTable; readonly title: string }) {
  const { t } = useI18n();
  const impacts = table.columns.slice(1);
  return (
    <div className="heat">
      <table className="heat-grid">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t('macro.heat.likelihood')}</span>
            </th>
            {impacts.map((column) => (
              <th key={column.id} scope="col" title={column.header}>
                {level(column.id)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => {
            const likelihood = level(row.id);
            return (
              <tr key={row.id}>
                <th scope="row" title={row.cells[0]?.kind === 'text' ? row.cells[0].text : undefined}>
                  {likelihood}
                </th>
                {row.cells.slice(1).map((cell, index) => {
                  if (cell.kind !== 'risk') return <td key={index} />;
                  const impact = level(impacts[index]?.id ?? '');
                  return (
                    <td
                      key={index}
                      className={`heat-square band-${cell.band}${cell.count === 0 ? ' heat-empty' : ''}`}
                      data-band={cell.band}
                      data-count={cell.count}
                    >
                      <span aria-hidden="true">{cell.count > 0 ? cell.count : ''}</span>
                      <span className="visually-hidden">
                        {t('macro.heat.cell', {
                          likelihood,
                          impact,
                          count: cell.count,
                          band: t(`risk.band.${cell.band}`),
                        })}
                      </span>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="heat-axes subtle">
        <span>↑ {t('macro.heat.likelihood')}</span>
        <span>{t('macro.heat.impact')} →</span>
      </div>
      <BandLegend ranges={rangesOf(squaresOf(table))} label={t('risk.legend')} />
    </div>
  );
}
