import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type ResolverError } from '../../../../src/contract/envelope';
import { type PortfolioData, type PortfolioRow, type RowFilterPayload } from '../../../../src/contract/portfolio';
import { type SortKey } from '../../../../src/domain/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { asCallError } from '../../../common/src/call';
import { describeError } from '../../../common/src/describe-error';
import { useI18n } from '../../../common/src/useI18n';
import { exportCsv, loadPortfolio } from '../bridge';
import { Exceptions } from './Exceptions';
import { type Cell, HeatMap } from './HeatMap';
import { IssueLink } from './IssueLink';
import { RagLozenge } from './RagLozenge';
import { Tiles } from './Tiles';

const PAGE_SIZE = 25;
const RAG_OPTIONS: readonly RagOrNone[] = ['red', 'amber', 'green', 'none'];

interface Filters {
  readonly rag: readonly RagOrNone[];
  readonly stage: readonly string[];
  readonly text: string;
  readonly cell: Cell | undefined;
}
interface Sort {
  readonly by: SortKey;
  readonly direction: 'asc' | 'desc';
}
interface Option {
  readonly label: string;
  readonly value: string;
}

const NO_FILTERS: Filters = { rag: [], stage: [], text: '', cell: undefined };

function toPayload(filters: Filters): RowFilterPayload {
  const text = filters.text.trim();
  return {
    ...(filters.rag.length ? { rag: [...filters.rag] } : {}),
    ...(filters.stage.length ? { stage: [...filters.stage] } : {}),
    ...(text ? { text } : {}),
    ...(filters.cell ? { cell: filters.cell } : {}),
  };
}

const COLUMNS: ReadonlyArray<{ key: SortKey; label: string; width?: number }> = [
  { key: 'key', label: 'portfolio.col.key', width: 8 },
  { key: 'summary', label: 'portfolio.col.summary', width: 22 },
  { key: 'stage', label: 'portfolio.col.stage' },
  { key: 'status', label: 'portfolio.col.status' },
  { key: 'rag', label: 'portfolio.col.rag' },
  { key: 'owner', label: 'portfolio.col.owner' },
  { key: 'nextGateDate', label: 'portfolio.col.nextGate' },
  { key: 'riskMax', label: 'portfolio.col.riskMax' },
  { key: 'wsjf', label: 'portfolio.col.wsjf' },
];

/** Saves text as a file the browser downloads. */
function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The PMO's portfolio: tiles, filters, the heat map, the table (sorted and paged on the server) and exceptions. */
export function Portfolio() {
  const { t, date, locale } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [text, setText] = useState('');
  const [sort, setSort] = useState<Sort>({ by: 'rag', direction: 'desc' });
  const [offset, setOffset] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const [data, setData] = useState<PortfolioData | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<readonly ResolverError[] | null>(null);
  const [csvState, setCsvState] = useState<'idle' | 'busy' | readonly ResolverError[]>('idle');

  // Typing waits for a pause before it asks the server again.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((current) => (current.text === text ? current : { ...current, text }));
      setOffset(0);
    }, 300);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    loadPortfolio({ filter: toPayload(filters), sort, page: { offset, limit: PAGE_SIZE } })
      .then((answer) => {
        if (!live) return;
        setData(answer);
        setError(null);
      })
      .catch((failure: unknown) => {
        if (live) setError(asCallError(failure).errors);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [filters, sort, offset, attempt]);

  const update = useCallback((change: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...change }));
    setOffset(0);
  }, []);

  const number = useMemo(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }), [locale]);

  const onDownload = () => {
    setCsvState('busy');
    exportCsv({ filter: toPayload(filters), sort })
      .then((csv) => {
        download(csv.filename, csv.csv);
        setCsvState('idle');
      })
      .catch((failure: unknown) => setCsvState(asCallError(failure).errors));
  };

  if (!data) {
    if (error)
      return (
        <SectionMessage appearance="error" title={t('portfolio.error.title')}>
          <p>{describeError(t, error, 'portfolio')}</p>
          <Button onClick={() => setAttempt((n) => n + 1)}>{t('portfolio.retry')}</Button>
        </SectionMessage>
      );
    return (
      <div className="loading" role="status">
        <Spinner size="medium" label={t('portfolio.loading')} />
        <span>{t('portfolio.loading')}</span>
      </div>
    );
  }

  if (data.counts.total === 0 && data.scope.projects === 0)
    return (
      <main className="portfolio">
        <p className="empty">{t('portfolio.empty')}</p>
      </main>
    );

  const ragOptions: Option[] = RAG_OPTIONS.map((rag) => ({ value: rag, label: t(`rag.${rag}`) }));
  const stageOptions: Option[] = data.facets.stages.map((stage) => ({ value: stage, label: stage }));
  const page = data.page;
  const rows = page.rows;
  const head = {
    cells: COLUMNS.map((column) => ({
      key: column.key,
      content: t(column.label),
      isSortable: true,
      ...(column.width ? { width: column.width } : {}),
    })),
  };
  // The server already sorted the page: each cell's sort value is the row's rank, so the table keeps that order.
  const rank = (index: number) => (sort.direction === 'asc' ? index : -index);
  const tableRows = rows.map((row: PortfolioRow, index: number) => ({
    key: row.key,
    cells: [
      { key: rank(index), content: <IssueLink issueKey={row.key} /> },
      { key: rank(index), content: row.summary },
      { key: rank(index), content: row.stageName ?? '—' },
      { key: rank(index), content: t(`portfolio.status.${row.status}`) },
      { key: rank(index), content: <RagLozenge rag={row.rag} /> },
      { key: rank(index), content: row.ownerName ?? row.owner ?? '—' },
      { key: rank(index), content: row.nextGateDate ? date(row.nextGateDate) : '—' },
      { key: rank(index), content: row.riskMax > 0 ? String(row.riskMax) : '—' },
      { key: rank(index), content: row.wsjf === null ? '—' : number.format(row.wsjf) },
    ],
  }));
  const filtered =
    filters.rag.length > 0 || filters.stage.length > 0 || filters.text.trim() !== '' || filters.cell !== undefined;

  return (
    <main className="portfolio">
      {error && (
        <SectionMessage appearance="error" title={t('portfolio.error.title')}>
          <p>{describeError(t, error, 'portfolio')}</p>
          <Button onClick={() => setAttempt((n) => n + 1)}>{t('portfolio.retry')}</Button>
        </SectionMessage>
      )}
      {data.scope.truncated && (
        <SectionMessage appearance="warning">
          <p>{t('portfolio.truncated')}</p>
        </SectionMessage>
      )}
      <Tiles data={data} />
      <div className="columns">
        <div className="main-column">
          <section className="card" aria-labelledby="table-heading">
            <div className="row-between">
              <h2 id="table-heading">{t('portfolio.table.title')}</h2>
              <Button onClick={onDownload} isDisabled={csvState === 'busy' || page.total === 0}>
                {t('portfolio.csv.download')}
              </Button>
            </div>
            {Array.isArray(csvState) && (
              <SectionMessage appearance="error">
                <p>{t('portfolio.csv.failed', { reason: describeError(t, csvState, 'portfolio') })}</p>
              </SectionMessage>
            )}
            <div className="filters" role="search">
              <div className="filter">
                <label htmlFor="filter-text">{t('portfolio.filter.text')}</label>
                <Textfield
                  id="filter-text"
                  value={text}
                  placeholder={t('portfolio.filter.textPlaceholder')}
                  onChange={(event) => setText(event.currentTarget.value)}
                />
              </div>
              <div className="filter">
                <label htmlFor="filter-rag">{t('portfolio.filter.rag')}</label>
                <Select<Option, true>
                  inputId="filter-rag"
                  isMulti
                  options={ragOptions}
                  value={ragOptions.filter((o) => filters.rag.includes(o.value as RagOrNone))}
                  onChange={(chosen) => update({ rag: chosen.map((o) => o.value as RagOrNone) })}
                  placeholder={t('portfolio.filter.any')}
                />
              </div>
              <div className="filter">
                <label htmlFor="filter-stage">{t('portfolio.filter.stage')}</label>
                <Select<Option, true>
                  inputId="filter-stage"
                  isMulti
                  options={stageOptions}
                  value={stageOptions.filter((o) => filters.stage.includes(o.value))}
                  onChange={(chosen) => update({ stage: chosen.map((o) => o.value) })}
                  placeholder={t('portfolio.filter.any')}
                />
              </div>
            </div>
            <div className="row-between filter-status">
              <span className="subtle" role="status" data-testid="row-count">
                {t('portfolio.table.count', { shown: page.total, total: data.counts.total })}
              </span>
              {filters.cell && (
                <span className="chip">
                  {t('portfolio.filter.cell', { likelihood: filters.cell.likelihood, impact: filters.cell.impact })}
                </span>
              )}
              {filtered && (
                <Button
                  appearance="subtle"
                  onClick={() => {
                    setText('');
                    update(NO_FILTERS);
                  }}
                >
                  {t('portfolio.filter.clear')}
                </Button>
              )}
            </div>
            <div className="project-table">
              <DynamicTable
                caption={<span className="visually-hidden">{t('portfolio.table.title')}</span>}
                head={head}
                rows={tableRows}
                isLoading={loading}
                sortKey={sort.by}
                sortOrder={sort.direction === 'asc' ? 'ASC' : 'DESC'}
                onSort={(data: { key: SortKey; sortOrder: 'ASC' | 'DESC' }) => {
                  setSort({ by: data.key, direction: data.sortOrder === 'ASC' ? 'asc' : 'desc' });
                  setOffset(0);
                }}
                emptyView={<p className="empty">{t('portfolio.table.empty')}</p>}
              />
            </div>
            {page.total > 0 && (
              <nav className="pager row-between" aria-label={t('portfolio.pager.label')}>
                <span className="subtle">
                  {t('portfolio.pager.range', {
                    from: page.offset + 1,
                    to: page.offset + rows.length,
                    total: page.total,
                  })}
                </span>
                <span className="pager-buttons">
                  <Button
                    isDisabled={page.offset === 0 || loading}
                    onClick={() => setOffset(Math.max(0, page.offset - PAGE_SIZE))}
                  >
                    {t('portfolio.pager.previous')}
                  </Button>
                  <Button
                    isDisabled={page.nextOffset === null || loading}
                    onClick={() => setOffset(page.nextOffset ?? 0)}
                  >
                    {t('portfolio.pager.next')}
                  </Button>
                </span>
              </nav>
            )}
          </section>
        </div>
        <div className="side-column">
          <HeatMap heatMap={data.heatMap} selected={filters.cell} onSelect={(cell) => update({ cell })} />
          <Exceptions exceptions={data.exceptions} />
        </div>
      </div>
    </main>
  );
}
