/**
 * Health over the weekly snapshots: a sparkline of red, amber and green counts (with the same figures as a table
 * for screen readers and anyone who wants the numbers), and the status-inflation flags — projects that reported
 * green one week and red the next. Loaded on its own (React.lazy): it is below the fold.
 */
import { useId } from 'react';
import { type PortfolioData } from '../../../../src/contract/portfolio';
import { useI18n } from '../../../common/src/useI18n';
import { firstSnapshotBy, SPARK_RAGS, sparkline } from '../sparkline';
import { IssueLink } from './IssueLink';

/** The trend card; `today` dates the empty state's promise of a first snapshot. */
export default function Trend({ trend, today }: { readonly trend: PortfolioData['trend']; readonly today: string }) {
  const { t, date } = useI18n();
  const id = useId();
  const { weeks, inflation } = trend;
  if (weeks.length === 0)
    return (
      <section className="card" aria-labelledby={`${id}-heading`} data-testid="trend">
        <h2 id={`${id}-heading`}>{t('portfolio.trend.title')}</h2>
        <p className="empty">
          {trend.earliestWeek === null
            ? t('portfolio.trend.empty', { date: date(firstSnapshotBy(today)) })
            : t('portfolio.trend.emptyBefore', { earliest: date(trend.earliestWeek) })}
        </p>
      </section>
    );

  const chart = sparkline(weeks);
  const first = weeks[0];
  const last = weeks.at(-1);
  const summary =
    first && last
      ? t('portfolio.trend.summary', {
          from: date(first.week),
          to: date(last.week),
          redFrom: first.byRag.red,
          redTo: last.byRag.red,
          amberFrom: first.byRag.amber,
          amberTo: last.byRag.amber,
          greenFrom: first.byRag.green,
          greenTo: last.byRag.green,
        })
      : '';
  return (
    <section className="card" aria-labelledby={`${id}-heading`} data-testid="trend">
      <h2 id={`${id}-heading`}>{t('portfolio.trend.title')}</h2>
      <svg
        className="sparkline"
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
      >
        <title id={`${id}-title`}>{t('portfolio.trend.chart')}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line className="spark-axis" x1="0" x2={chart.width} y1={chart.height - 4} y2={chart.height - 4} />
        {chart.series.map((series) => (
          <g key={series.rag} className={`spark-${series.rag}`}>
            <polyline points={series.points} fill="none" strokeWidth="2" strokeLinejoin="round" />
            <circle cx={series.last.x} cy={series.last.y} r="3" />
          </g>
        ))}
      </svg>
      <ul className="spark-legend">
        {SPARK_RAGS.map((rag) => (
          <li key={rag} className={`spark-key spark-${rag}`}>
            {t(`rag.${rag}`)} <strong>{last?.byRag[rag] ?? 0}</strong>
          </li>
        ))}
      </ul>
      <p className="subtle">{summary}</p>
      <details className="trend-numbers">
        <summary>{t('portfolio.trend.numbers')}</summary>
        <table className="plain-table">
          <caption className="visually-hidden">{t('portfolio.trend.chart')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('portfolio.trend.week')}</th>
              {SPARK_RAGS.map((rag) => (
                <th key={rag} scope="col">
                  {t(`rag.${rag}`)}
                </th>
              ))}
              <th scope="col">{t('rag.none')}</th>
            </tr>
          </thead>
          <tbody>
            {[...weeks].reverse().map((point) => (
              <tr key={point.week}>
                <th scope="row">{date(point.week)}</th>
                {SPARK_RAGS.map((rag) => (
                  <td key={rag}>{point.byRag[rag]}</td>
                ))}
                <td>{point.byRag.none}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <h3 className="subheading">{t('portfolio.trend.inflation.title', { count: inflation.total })}</h3>
      <p className="subtle">{t('portfolio.trend.inflation.hint')}</p>
      {inflation.items.length === 0 ? (
        <p className="empty">{t('portfolio.trend.inflation.none')}</p>
      ) : (
        <ul className="inflation" data-testid="inflation">
          {inflation.items.map((flag) => (
            <li key={`${flag.key}-${flag.toWeek}`}>
              <IssueLink issueKey={flag.key} />{' '}
              <span className="subtle">
                {t('portfolio.trend.inflation.entry', { from: date(flag.fromWeek), to: date(flag.toWeek) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {inflation.total > inflation.items.length && (
        <p className="subtle">{t('portfolio.exceptions.more', { count: inflation.total - inflation.items.length })}</p>
      )}
    </section>
  );
}
