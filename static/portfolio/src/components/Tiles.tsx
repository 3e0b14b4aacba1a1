import { type ReactNode } from 'react';
import { type PortfolioData } from '../../../../src/contract/portfolio';
import { type Kpi } from '../../../../src/domain/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';

const RAG_ORDER: readonly RagOrNone[] = ['red', 'amber', 'green', 'none'];

const KPI_IDS = ['gateCompliance', 'onTime', 'budgetAdherence', 'raidHygiene'] as const;
type KpiId = (typeof KPI_IDS)[number];

/** A KPI's figures: the share, and what it is a share of. */
function KpiFigures({ kpi, extra }: { readonly kpi: Kpi; readonly extra?: string }) {
  const { t, locale } = useI18n();
  const percent =
    kpi.value === null ? null : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(kpi.value);
  return (
    <>
      <span className="tile-value">{percent === null ? '—' : `${percent} %`}</span>
      <span className="subtle">
        {kpi.denominator === 0
          ? t('portfolio.kpi.nothing')
          : t('portfolio.kpi.of', { numerator: kpi.numerator, denominator: kpi.denominator })}
      </span>
      {extra && <span className="subtle">{extra}</span>}
    </>
  );
}

/** The tiles' frame, labelled: the headline counts, then the KPIs; `count` and `kpi` fill in each tile's figures. */
function TileGrid({
  count,
  kpi,
  testId,
}: {
  readonly count: (tile: 'total' | RagOrNone) => ReactNode;
  readonly kpi: (id: KpiId) => ReactNode;
  readonly testId?: string;
}) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="tiles-heading" data-testid={testId}>
      <h2 id="tiles-heading" className="visually-hidden">
        {t('portfolio.tiles.title')}
      </h2>
      <ul className="tiles">
        <li className="tile tile-total">
          <span className="tile-label">{t('portfolio.tiles.total')}</span>
          {count('total')}
        </li>
        {RAG_ORDER.map((rag) => (
          <li key={rag} className={`tile tile-rag tile-${rag}`}>
            <span className="tile-label">{t(`rag.${rag}`)}</span>
            {count(rag)}
          </li>
        ))}
      </ul>
      <ul className="tiles">
        {KPI_IDS.map((id) => (
          <li key={id} className="tile" data-kpi={id}>
            <span className="tile-label">{t(`portfolio.kpi.${id}`)}</span>
            {kpi(id)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Headline counts by RAG and the four KPIs, each with what it is a share of. */
export function Tiles({ data }: { readonly data: PortfolioData }) {
  const { t } = useI18n();
  const { counts, kpis } = data;
  return (
    <TileGrid
      count={(tile) =>
        tile === 'total' ? (
          <span className="tile-value" data-testid="total-projects">
            {counts.total}
          </span>
        ) : (
          <span className="tile-value">{counts.byRag[tile]}</span>
        )
      }
      kpi={(id) => (
        <KpiFigures
          kpi={kpis[id]}
          extra={
            id === 'raidHygiene'
              ? t('portfolio.kpi.overdueActions', { count: kpis.raidHygiene.overdueActions })
              : undefined
          }
        />
      )}
    />
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
  return <TileGrid testId="tiles-pending" count={() => placeholder} kpi={() => placeholder} />;
}
