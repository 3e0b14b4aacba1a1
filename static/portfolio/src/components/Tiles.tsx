import { type PortfolioData } from '../../../../src/contract/portfolio';
import { type Kpi } from '../../../../src/domain/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';

const RAG_ORDER: readonly RagOrNone[] = ['red', 'amber', 'green', 'none'];

function KpiTile({ id, kpi, extra }: { readonly id: string; readonly kpi: Kpi; readonly extra?: string }) {
  const { t, locale } = useI18n();
  const percent =
    kpi.value === null ? null : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kpi.value);
  return (
    <li className="tile" data-kpi={id}>
      <span className="tile-label">{t(`portfolio.kpi.${id}`)}</span>
      <span className="tile-value">{percent === null ? '—' : `${percent} %`}</span>
      <span className="subtle">
        {kpi.denominator === 0
          ? t('portfolio.kpi.nothing')
          : t('portfolio.kpi.of', { numerator: kpi.numerator, denominator: kpi.denominator })}
      </span>
      {extra && <span className="subtle">{extra}</span>}
    </li>
  );
}

/** Headline counts by RAG and the four KPIs, each with what it is a share of. */
export function Tiles({ data }: { readonly data: PortfolioData }) {
  const { t } = useI18n();
  const { counts, kpis } = data;
  return (
    <section aria-labelledby="tiles-heading">
      <h2 id="tiles-heading" className="visually-hidden">
        {t('portfolio.tiles.title')}
      </h2>
      <ul className="tiles">
        <li className="tile tile-total">
          <span className="tile-label">{t('portfolio.tiles.total')}</span>
          <span className="tile-value" data-testid="total-projects">
            {counts.total}
          </span>
        </li>
        {RAG_ORDER.map((rag) => (
          <li key={rag} className={`tile tile-rag tile-${rag}`}>
            <span className="tile-label">{t(`rag.${rag}`)}</span>
            <span className="tile-value">{counts.byRag[rag]}</span>
          </li>
        ))}
      </ul>
      <ul className="tiles">
        <KpiTile id="gateCompliance" kpi={kpis.gateCompliance} />
        <KpiTile id="onTime" kpi={kpis.onTime} />
        <KpiTile id="budgetAdherence" kpi={kpis.budgetAdherence} />
        <KpiTile
          id="raidHygiene"
          kpi={kpis.raidHygiene}
          extra={t('portfolio.kpi.overdueActions', { count: kpis.raidHygiene.overdueActions })}
        />
      </ul>
    </section>
  );
}

/**
 * The tiles' places while the whole portfolio is still being counted (the first rows are already on screen): the
 * same labels, with a placeholder where a number will be, so nothing jumps when the counts arrive.
 */
export function TilesPending() {
  const { t } = useI18n();
  const placeholder = (
    <span className="tile-value tile-pending">
      <span className="visually-hidden">{t('portfolio.provisional.pending')}</span>
      <span className="placeholder-bar" aria-hidden="true" />
    </span>
  );
  return (
    <section aria-labelledby="tiles-heading" data-testid="tiles-pending">
      <h2 id="tiles-heading" className="visually-hidden">
        {t('portfolio.tiles.title')}
      </h2>
      <ul className="tiles">
        <li className="tile tile-total">
          <span className="tile-label">{t('portfolio.tiles.total')}</span>
          {placeholder}
        </li>
        {RAG_ORDER.map((rag) => (
          <li key={rag} className={`tile tile-rag tile-${rag}`}>
            <span className="tile-label">{t(`rag.${rag}`)}</span>
            {placeholder}
          </li>
        ))}
      </ul>
      <ul className="tiles">
        {['gateCompliance', 'onTime', 'budgetAdherence', 'raidHygiene'].map((id) => (
          <li key={id} className="tile" data-kpi={id}>
            <span className="tile-label">{t(`portfolio.kpi.${id}`)}</span>
            {placeholder}
          </li>
        ))}
      </ul>
    </section>
  );
}
