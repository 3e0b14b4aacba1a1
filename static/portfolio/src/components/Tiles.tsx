import Tooltip from '@atlaskit/tooltip';
import { type ReactNode } from 'react';
import { type PortfolioData } from '../../../../src/contract/portfolio';
import { type Kpi, type KpiId } from '../../../../src/domain/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';
import { type Filters, TILE_KPIS } from '../filters';

const RAG_ORDER: readonly RagOrNone[] = ['red', 'amber', 'green', 'none'];

/** A KPI's figures: the share, and what it is a share of, in words ("2 of 2 completed projects"). */
function KpiFigures({ id, kpi, extra }: { readonly id: KpiId; readonly kpi: Kpi; readonly extra?: string }) {
  const { t, number } = useI18n();
  return (
    <>
      <span className="tile-value">{kpi.value === null ? '—' : `${number(kpi.value)} %`}</span>
      <span className="subtle">
        {kpi.denominator === 0
          ? t(`portfolio.kpi.${id}.none`)
          : t(`portfolio.kpi.${id}.of`, { numerator: kpi.numerator, denominator: kpi.denominator })}
      </span>
      {extra && <span className="subtle">{extra}</span>}
    </>
  );
}

/**
 * One tile. With `onToggle` it is a toggle button that filters the table (pressed while its filter is on) and, with
 * `definition`, says what it measures on hover and focus, and to screen readers as its description.
 */
function Tile({
  id,
  className,
  label,
  definition,
  pressed,
  onToggle,
  children,
}: {
  readonly id: string;
  readonly className: string;
  readonly label: string;
  readonly definition?: string;
  readonly pressed?: boolean;
  readonly onToggle?: () => void;
  readonly children: ReactNode;
}) {
  const body = (
    <>
      <span className="tile-label">{label}</span>
      {children}
    </>
  );
  if (!onToggle)
    return (
      <li className={className} data-tile={id}>
        {body}
      </li>
    );
  const descriptionId = `tile-definition-${id}`;
  const button = (
    <button
      type="button"
      className="tile-button"
      aria-pressed={pressed ?? false}
      aria-describedby={definition ? descriptionId : undefined}
      onClick={onToggle}
    >
      {body}
    </button>
  );
  return (
    <li className={`${className}${pressed ? ' tile-pressed' : ''}`} data-tile={id}>
      {definition ? <Tooltip content={definition}>{button}</Tooltip> : button}
      {definition && (
        <span id={descriptionId} className="visually-hidden">
          {definition}
        </span>
      )}
    </li>
  );
}

/** The tiles' frame, labelled: the headline counts, then the KPIs; `count` and `kpi` fill in each tile's figures. */
function TileGrid({
  count,
  kpi,
  testId,
  filters,
  onChange,
}: {
  readonly count: (tile: 'total' | RagOrNone) => ReactNode;
  readonly kpi: (id: KpiId) => ReactNode;
  readonly testId?: string;
  readonly filters?: Filters;
  readonly onChange?: (change: Partial<Filters>) => void;
}) {
  const { t } = useI18n();
  const only = (rag: RagOrNone) => filters?.rag.length === 1 && filters.rag[0] === rag;
  return (
    <section aria-labelledby="tiles-heading" data-testid={testId}>
      <h2 id="tiles-heading" className="visually-hidden">
        {t('portfolio.tiles.title')}
      </h2>
      <ul className="tiles">
        <Tile id="total" className="tile tile-total" label={t('portfolio.tiles.total')}>
          {count('total')}
        </Tile>
        {RAG_ORDER.map((rag) => (
          <Tile
            key={rag}
            id={rag}
            className={`tile tile-rag tile-${rag}`}
            label={t(`rag.${rag}`)}
            pressed={only(rag)}
            {...(onChange ? { onToggle: () => onChange({ rag: only(rag) ? [] : [rag] }) } : {})}
          >
            {count(rag)}
          </Tile>
        ))}
      </ul>
      <ul className="tiles">
        {TILE_KPIS.map((id) => (
          <Tile
            key={id}
            id={id}
            className="tile tile-kpi"
            label={t(`portfolio.kpi.${id}`)}
            definition={t(`portfolio.kpi.${id}.definition`)}
            pressed={filters?.kpi === id}
            {...(onChange ? { onToggle: () => onChange({ kpi: filters?.kpi === id ? undefined : id }) } : {})}
          >
            {kpi(id)}
          </Tile>
        ))}
      </ul>
    </section>
  );
}

/**
 * Headline counts by RAG and the four KPIs, each with what it is a share of. A RAG tile shows just its projects; a
 * KPI tile shows the projects it counts, so a reassuring "2 of 2" can be seen to be two completed projects.
 */
export function Tiles({
  data,
  filters,
  onChange,
}: {
  readonly data: PortfolioData;
  readonly filters: Filters;
  readonly onChange: (change: Partial<Filters>) => void;
}) {
  const { t, number } = useI18n();
  const { counts, kpis } = data;
  return (
    <TileGrid
      filters={filters}
      onChange={onChange}
      count={(tile) =>
        tile === 'total' ? (
          <span className="tile-value" data-testid="total-projects">
            {number(counts.total)}
          </span>
        ) : (
          <span className="tile-value">{number(counts.byRag[tile])}</span>
        )
      }
      kpi={(id) => (
        <KpiFigures
          id={id}
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
