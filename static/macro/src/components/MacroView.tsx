import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { useEffect, useId, useState } from 'react';
import { type ResolverError } from '../../../../src/contract/envelope';
import { type MacroCell, type MacroData } from '../../../../src/contract/macro';
import { asCallError } from '../../../common/src/call';
import { describeError } from '../../../common/src/describe-error';
import { useI18n } from '../../../common/src/useI18n';
import { useUserNames } from '../../../common/src/useUserNames';
import { loadMacro } from '../bridge';
import { Cell } from './Cell';
import { HeatGrid } from './HeatGrid';
import { IssueLink } from './IssueLink';
import { Loading } from './Loading';

/** Accounts the data left unnamed, for one look-up each. */
function unnamed(data: MacroData): string[] {
  const cells: MacroCell[] = [...data.summary.map((s) => s.cell), ...data.table.rows.flatMap((r) => r.cells)];
  return cells.flatMap((cell) => (cell.kind === 'user' && cell.name === null ? [cell.accountId] : []));
}

function DataTable({ data, names }: { readonly data: MacroData; readonly names: ReadonlyMap<string, string | null> }) {
  const { table } = data;
  // Each row that is about one project links to it: from its key column, or from its first cell.
  const keyColumn = Math.max(
    table.columns.findIndex((c) => c.id === 'key'),
    0,
  );
  return (
    <div className="table-scroll">
      <table className="macro-table">
        <caption className="visually-hidden">{data.title}</caption>
        <thead>
          <tr>
            {table.columns.map((column) => (
              <th key={column.id} scope="col" data-column={column.id}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.id} data-row={row.id} data-issue-key={row.issueKey ?? undefined}>
              {row.cells.map((cell, index) => (
                <td key={table.columns[index]?.id ?? index} data-column={table.columns[index]?.id}>
                  {row.issueKey && index === keyColumn ? (
                    <IssueLink issueKey={row.issueKey}>
                      <Cell cell={cell} names={names} />
                    </IssueLink>
                  ) : (
                    <Cell cell={cell} names={names} />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Loaded({ data }: { readonly data: MacroData }) {
  const { t, dateTime, date } = useI18n();
  const names = useUserNames(unnamed(data));
  const headingId = useId();
  const { table } = data;
  return (
    <section className="macro" aria-labelledby={headingId} data-view={data.view}>
      <h2 id={headingId}>{data.title}</h2>
      {data.asOf && (
        <p className="as-of" data-testid="as-of">
          {data.asOf.week === null
            ? t('macro.asOf.none', { requested: date(data.asOf.requested) })
            : t('macro.asOf.week', { week: date(data.asOf.week), requested: date(data.asOf.requested) })}
        </p>
      )}
      {data.summary.length > 0 && (
        <dl className="facts">
          {data.summary.map((fact) => (
            <div key={fact.label} className="fact">
              <dt>{fact.label}</dt>
              <dd>
                <Cell cell={fact.cell} names={names} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {data.notes.length > 0 && (
        <ul className="notes">
          {data.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {table.rows.length === 0 ? (
        <p className="empty">{t(`macro.empty.${data.view}`)}</p>
      ) : data.view === 'heat-map' ? (
        <HeatGrid table={table} title={data.title} />
      ) : (
        <DataTable data={data} names={names} />
      )}
      <p className="subtle footer">
        {table.total > table.rows.length && (
          <span data-testid="cut">{t('macro.shown', { shown: table.rows.length, total: table.total })} · </span>
        )}
        {t('macro.computedAt', { when: dateTime(data.computedAt) })}
      </p>
    </section>
  );
}

/** The macro on the page: the configured view for this reader, or why it cannot be shown. */
export function MacroView() {
  const { t } = useI18n();
  const [data, setData] = useState<MacroData | null>(null);
  const [error, setError] = useState<readonly ResolverError[] | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    loadMacro()
      .then((answer) => {
        if (live) setData(answer);
      })
      .catch((failure: unknown) => {
        if (live) setError(asCallError(failure).errors);
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  if (error) {
    const first = error[0];
    // A saved configuration the schema refuses is the page author's to fix, not the reader's to retry.
    if (first?.errorType === 'INVALID_PAYLOAD') {
      return (
        <div className="macro-message" data-testid="invalid-config">
          <SectionMessage appearance="warning" title={t('macro.invalid.title')}>
            <p>{t('macro.invalid.body')}</p>
            {first.problems && first.problems.length > 0 && (
              <ul className="problems">
                {first.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
          </SectionMessage>
        </div>
      );
    }
    return (
      <div className="macro-message" data-testid="load-error">
        <SectionMessage appearance="error" title={t('macro.error.title')}>
          <p>{describeError(t, error, 'macro')}</p>
          <Button onClick={() => setAttempt((n) => n + 1)}>{t('macro.retry')}</Button>
        </SectionMessage>
      </div>
    );
  }
  if (!data) return <Loading />;
  return <Loaded data={data} />;
}
