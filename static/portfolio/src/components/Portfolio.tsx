import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import Tooltip from '@atlaskit/tooltip';
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { type ResolverError } from '../../../../src/contract/envelope';
import {
  type MAX_PAGE_SIZE,
  type PortfolioData,
  type PortfolioFirstRows,
  type TemplateTerms,
  type PortfolioRow,
} from '../../../../src/contract/portfolio';
import { type SortKey } from '../../../../src/domain/portfolio';
import { WithTerms } from '../../../common/src/WithTerms';
import { asCallError } from '../../../common/src/call';
import { describeError } from '../../../common/src/describe-error';
import { useI18n } from '../../../common/src/useI18n';
import { exportCsv, loadFirstRows, loadPortfolio } from '../bridge';
import { type Filters as FilterState, isFiltered, NO_FILTERS, toggleStage, toPayload } from '../filters';
import { AsOfControl, SnapshotPanel } from './AsOf';
import { ChangesPanel, CompareControl, type CompareRange } from './Changes';
import { Exceptions } from './Exceptions';
import { Funnel } from './Funnel';
import { HeatMap } from './HeatMap';
import { IssueLink } from './IssueLink';
import { RagLozenge } from './RagLozenge';
import { Tiles, TilesPending } from './Tiles';

// Not needed for the first paint: the pick-lists (the select control is the page's heaviest dependency) and the
// trend below the fold load in their own chunks while the table paints.
const Filters = lazy(() => import('./Filters'));
const Trend = lazy(() => import('./Trend'));

const PAGE_SIZE = 25;
// The most rows a page may carry, for the as-of view (its snapshot rows come capped by the page size). Typed from
// the contract so a change there fails the build; a value import would bundle the contract's zod schemas.
const SNAPSHOT_ROWS: typeof MAX_PAGE_SIZE = 100;
/** The longest the full load waits for the first rows, which normally answer in well under a second. */
const HEAD_START_MS = 3000;
interface Sort {
  readonly by: SortKey;
  readonly direction: 'asc' | 'desc';
}

/**
 * The table's columns, each with its share of the width (they add up to 100): with a fixed layout the columns stay
 * where they are when a sort or a page brings other values, and the table never grows past its card.
 */
const COLUMNS: ReadonlyArray<{ key: SortKey; label: string; width: number }> = [
  { key: 'key', label: 'portfolio.col.key', width: 8 },
  { key: 'summary', label: 'portfolio.col.summary', width: 20 },
  { key: 'stage', label: 'portfolio.col.stage', width: 11 },
  { key: 'status', label: 'portfolio.col.status', width: 10 },
  { key: 'rag', label: 'portfolio.col.rag', width: 8 },
  { key: 'owner', label: 'portfolio.col.owner', width: 11 },
  { key: 'nextGateDate', label: 'portfolio.col.nextGate', width: 11 },
  { key: 'riskMax', label: 'portfolio.col.riskMax', width: 7 },
  { key: 'wsjf', label: 'portfolio.col.wsjf', width: 7 },
  { key: 'roi', label: 'portfolio.col.roi', width: 7 },
];
/** Columns whose header explains its formula in a tooltip (and in the legend under the table). */
const FORMULA: Partial<Record<SortKey, string>> = { wsjf: 'portfolio.priority.wsjf', roi: 'portfolio.priority.roi' };

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

/** A header with the formula of its score on hover; the same words are in the legend under the table. */
function FormulaHeader({ label, formula }: { readonly label: string; readonly formula: string }): ReactNode {
  return (
    <Tooltip content={formula} position="top">
      <span className="formula-header">{label}</span>
    </Tooltip>
  );
}

/** Holds the pick-lists' place while their chunk loads, so the table does not jump when they appear. */
function FiltersPending() {
  const { t } = useI18n();
  return (
    <div className="filter filters-pending" role="status">
      <Spinner size="small" label={t('portfolio.filter.loading')} />
    </div>
  );
}

/**
 * The PMO's portfolio: tiles, filters, the stage funnel, the heat map, the table (sorted and paged on the server),
 * the health trend with status-inflation flags, and exceptions — or, as of a past day, that week's snapshot.
 */
export function Portfolio() {
  const [terms, setTerms] = useState<TemplateTerms>(NO_TERMS);
  return (
    <WithTerms terms={terms}>
      <PortfolioPage onTerms={setTerms} />
    </WithTerms>
  );
}

const NO_TERMS: TemplateTerms = {};

/** The page itself; `onTerms` hands the templates' names in the reader's language to the translator above it. */
function PortfolioPage({ onTerms }: { readonly onTerms: (terms: TemplateTerms) => void }) {
  const { t, date, dateTime, locale, term } = useI18n();
  const [filters, setFilters] = useState<FilterState>(NO_FILTERS);
  const [text, setText] = useState('');
  const [sort, setSort] = useState<Sort>({ by: 'rag', direction: 'desc' });
  const [offset, setOffset] = useState(0);
  const [asOf, setAsOf] = useState('');
  const [compare, setCompare] = useState<CompareRange>({ from: '', to: '' });
  const [attempt, setAttempt] = useState(0);
  const [data, setData] = useState<PortfolioData | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<readonly ResolverError[] | null>(null);
  const [csvState, setCsvState] = useState<'idle' | 'busy' | readonly ResolverError[]>('idle');
  // The first rows of the default view from the read model, shown only until the full load has answered once.
  const [first, setFirst] = useState<PortfolioFirstRows | null>(null);

  const terms = data?.terms ?? first?.terms;
  useEffect(() => {
    if (terms) onTerms(terms);
  }, [terms, onTerms]);

  // The full load waits for the first rows (or HEAD_START_MS, whichever comes first) on first open only.
  const [headStart, setHeadStart] = useState(true);

  // On first open the full load reads the whole registry (one search per 100 projects); the first rows (two Jira
  // permission checks and the read model) paint the worst projects meanwhile. Only the default view: a filter or
  // another sort needs every row anyway. They go first, alone: started together, their two requests would queue
  // behind the full load's hundred for the installation's Jira rate limit (and, in the sandbox, for its one thread),
  // which is the wait they exist to avoid.
  useEffect(() => {
    let live = true;
    const release = () => {
      if (live) setHeadStart(false);
    };
    const timer = setTimeout(release, HEAD_START_MS);
    loadFirstRows({ sort: { by: 'rag', direction: 'desc' }, limit: PAGE_SIZE })
      .then((answer) => {
        if (live) setFirst(answer);
      })
      .catch(() => {
        // Only a head start: the full load shows its own answer or its own error.
      })
      .finally(() => {
        clearTimeout(timer);
        release();
      });
    return () => {
      clearTimeout(timer);
      live = false;
    };
  }, []);

  // Typing waits for a pause before it asks the server again.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((current) => (current.text === text ? current : { ...current, text }));
      setOffset(0);
    }, 300);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    if (headStart) return;
    let live = true;
    setLoading(true);
    // As of a past day the snapshot's rows come capped by the page size: ask for the most a page may carry.
    const page = asOf ? { offset: 0, limit: SNAPSHOT_ROWS } : { offset, limit: PAGE_SIZE };
    loadPortfolio({
      filter: toPayload(filters),
      sort,
      page,
      ...(asOf ? { asOf } : {}),
      ...(compare.from ? { compare: { from: compare.from, ...(compare.to ? { to: compare.to } : {}) } } : {}),
    })
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
  }, [filters, sort, offset, asOf, compare, attempt, headStart]);

  const update = useCallback((change: Partial<FilterState>) => {
    setFilters((current) => ({ ...current, ...change }));
    setOffset(0);
  }, []);

  const number = useMemo(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }), [locale]);
  const percent = useMemo(
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }),
    [locale],
  );

  const onDownload = () => {
    setCsvState('busy');
    exportCsv({ filter: toPayload(filters), sort })
      .then((csv) => {
        download(csv.filename, csv.csv);
        setCsvState('idle');
      })
      .catch((failure: unknown) => setCsvState(asCallError(failure).errors));
  };

  const head = {
    cells: COLUMNS.map((column) => {
      const formula = FORMULA[column.key];
      return {
        key: column.key,
        content: formula ? <FormulaHeader label={t(column.label)} formula={t(formula)} /> : t(column.label),
        isSortable: true,
        width: column.width,
      };
    }),
  };
  // A gate date already behind the project is flagged where it is read (closed projects have none).
  const today = data?.today ?? first?.today;
  const nextGate = (row: PortfolioRow) =>
    row.nextGateDate === null ? (
      '—'
    ) : (
      <span className="next-gate">
        {date(row.nextGateDate)}
        {today !== undefined && row.nextGateDate < today && (
          <Lozenge appearance="removed">{t('portfolio.nextGate.overdue')}</Lozenge>
        )}
      </span>
    );
  // The server already sorted the page: each cell's sort value is the row's rank, so the table keeps that order.
  const rank = (index: number) => (sort.direction === 'asc' ? index : -index);
  const toTableRows = (rows: readonly PortfolioRow[]) =>
    rows.map((row: PortfolioRow, index: number) => ({
      key: row.key,
      cells: [
        { key: rank(index), content: <IssueLink issueKey={row.key} /> },
        { key: rank(index), content: row.summary },
        { key: rank(index), content: row.stageName === null ? '—' : term('stage', row.stageName) },
        { key: rank(index), content: t(`portfolio.status.${row.status}`) },
        { key: rank(index), content: <RagLozenge rag={row.rag} /> },
        { key: rank(index), content: row.ownerName ?? row.owner ?? '—' },
        { key: rank(index), content: nextGate(row) },
        { key: rank(index), content: row.riskMax > 0 ? String(row.riskMax) : '—' },
        { key: rank(index), content: <span className="num">{row.wsjf === null ? '—' : number.format(row.wsjf)}</span> },
        { key: rank(index), content: <span className="num">{row.roi === null ? '—' : percent.format(row.roi)}</span> },
      ],
    }));

  if (!data) {
    if (first && first.rows.length > 0)
      return (
        <main className="portfolio" data-testid="provisional">
          {error ? (
            <SectionMessage appearance="error" title={t('portfolio.error.title')}>
              <p>{t('portfolio.provisional.failed')}</p>
              <p>{describeError(t, error, 'portfolio')}</p>
              <Button onClick={() => setAttempt((n) => n + 1)}>{t('portfolio.retry')}</Button>
            </SectionMessage>
          ) : (
            <div className="provisional-status subtle" role="status" data-testid="provisional-status">
              <Spinner size="small" label={t('portfolio.provisional.counting')} />
              <span>{t('portfolio.provisional.counting')}</span>
            </div>
          )}
          <TilesPending />
          <div className="columns">
            <div className="main-column">
              <section className="card" aria-labelledby="table-heading">
                <h2 id="table-heading">{t('portfolio.table.title')}</h2>
                <p className="subtle">{t('portfolio.provisional.rows', { count: first.rows.length })}</p>
                <div className="project-table">
                  <DynamicTable
                    isFixedSize
                    caption={<span className="visually-hidden">{t('portfolio.table.title')}</span>}
                    head={{ cells: head.cells.map((cell) => ({ ...cell, isSortable: false })) }}
                    rows={toTableRows(first.rows)}
                  />
                </div>
              </section>
            </div>
            <div className="side-column">
              <section className="card placeholder-card">
                <span className="subtle">{t('portfolio.provisional.pending')}</span>
              </section>
            </div>
          </div>
        </main>
      );
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

  const page = data.page;
  const rows = page.rows;
  const tableRows = toTableRows(rows);
  const filtered = isFiltered(filters);
  // What is on screen follows the answer, not the date box: the snapshot shows once it has arrived.
  const snapshot = data.snapshot;

  return (
    <main className="portfolio">
      {error && (
        <SectionMessage appearance="error" title={t('portfolio.error.title')}>
          <p>{describeError(t, error, 'portfolio')}</p>
          <Button onClick={() => setAttempt((n) => n + 1)}>{t('portfolio.retry')}</Button>
        </SectionMessage>
      )}
      {data.scope.pending > 0 && (
        <SectionMessage appearance="information" title={t('portfolio.pending.title')}>
          <p>{t('portfolio.pending.body', { n: data.scope.pending })}</p>
        </SectionMessage>
      )}
      <div className="toolbar">
        {data.scope.checkedAt !== null && (
          <span className="checked-at">{t('portfolio.checkedAt', { when: dateTime(data.scope.checkedAt) })}</span>
        )}
        {loading && asOf !== '' && <Spinner size="small" label={t('portfolio.loading')} />}
        {!asOf && <CompareControl value={compare} today={data.today} onChange={setCompare} />}
        <AsOfControl value={asOf} today={data.today} onChange={setAsOf} />
      </div>
      {snapshot ? (
        <div className="columns">
          <div className="main-column">
            <SnapshotPanel snapshot={snapshot} earliestWeek={data.trend.earliestWeek} onLive={() => setAsOf('')} />
          </div>
          <div className="side-column">
            <Suspense fallback={<FiltersPending />}>
              <Trend trend={data.trend} today={data.today} />
            </Suspense>
          </div>
        </div>
      ) : (
        <>
          <Tiles data={data} filters={filters} onChange={update} />
          <div className="columns">
            <div className="main-column">
              {data.changes && <ChangesPanel changes={data.changes} />}
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
                  <Suspense fallback={<FiltersPending />}>
                    <Filters facets={data.facets} filters={filters} onChange={update} />
                  </Suspense>
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
                  {filters.kpi && (
                    <span className="chip" data-testid="kpi-chip">
                      {t('portfolio.filter.kpi', { kpi: t(`portfolio.kpi.${filters.kpi}`) })}
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
                    isFixedSize
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
                <dl className="formula-legend subtle">
                  <dt>{t('portfolio.col.wsjf')}</dt>
                  <dd>{t('portfolio.priority.wsjf')}</dd>
                  <dt>{t('portfolio.col.roi')}</dt>
                  <dd>{t('portfolio.priority.roi')}</dd>
                </dl>
              </section>
            </div>
            <div className="side-column">
              <Funnel
                funnel={data.funnel}
                selected={filters.stage}
                onSelect={(stage) => update({ stage: toggleStage(filters.stage, stage) })}
              />
              <HeatMap heatMap={data.heatMap} selected={filters.cell} onSelect={(cell) => update({ cell })} />
              <Suspense fallback={<FiltersPending />}>
                <Trend trend={data.trend} today={data.today} />
              </Suspense>
              <Exceptions exceptions={data.exceptions} />
            </div>
          </div>
        </>
      )}
    </main>
  );
}
