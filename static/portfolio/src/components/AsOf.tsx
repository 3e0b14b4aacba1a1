import Button from '@atlaskit/button/new';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { useId } from 'react';
import { type SnapshotView } from '../../../../src/contract/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';
import { IssueLink } from './IssueLink';
import { RagLozenge } from './RagLozenge';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const RAG_ORDER: readonly RagOrNone[] = ['red', 'amber', 'green', 'none'];

/**
 * The "as of" date: a past day shows the portfolio as that week's snapshot recorded it; an empty value is live.
 * Days after today cannot be picked (there is no snapshot of the future).
 */
export function AsOfControl({
  value,
  today,
  onChange,
}: {
  readonly value: string;
  readonly today: string;
  readonly onChange: (day: string) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="as-of">
      <label htmlFor={id}>{t('portfolio.asOf.label')}</label>
      <input
        id={id}
        type="date"
        className="date-input"
        value={value}
        max={today}
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          const day = event.currentTarget.value;
          if (day === '' || (ISO_DAY.test(day) && day <= today)) onChange(day);
        }}
      />
      <span id={`${id}-hint`} className="visually-hidden">
        {t('portfolio.asOf.hint')}
      </span>
      {value !== '' && <Button onClick={() => onChange('')}>{t('portfolio.asOf.live')}</Button>}
    </div>
  );
}

/** The portfolio as one weekly snapshot recorded it: which week, how many of each colour, and every project. */
export function SnapshotPanel({
  snapshot,
  earliestWeek,
  onLive,
}: {
  readonly snapshot: SnapshotView;
  /** The earliest snapshot there is after the day picked, to name when that day has none. */
  readonly earliestWeek: string | null;
  readonly onLive: () => void;
}) {
  const { t, date } = useI18n();
  const { week, requested, byRag, rows } = snapshot;
  if (week === null)
    return (
      <SectionMessage
        appearance="warning"
        title={t('portfolio.asOf.none.title', { requested: date(requested) })}
        actions={<SectionMessageAction onClick={onLive}>{t('portfolio.asOf.live')}</SectionMessageAction>}
      >
        <p>
          {earliestWeek === null
            ? t('portfolio.asOf.none.body')
            : t('portfolio.asOf.none.bodyEarliest', { earliest: date(earliestWeek) })}
        </p>
      </SectionMessage>
    );
  return (
    <>
      <div data-testid="as-of-banner">
        <SectionMessage
          appearance="information"
          title={t('portfolio.asOf.banner.title', { week: date(week) })}
          actions={<SectionMessageAction onClick={onLive}>{t('portfolio.asOf.live')}</SectionMessageAction>}
        >
          <p>{t('portfolio.asOf.banner.body', { week: date(week), requested: date(requested) })}</p>
        </SectionMessage>
      </div>
      <ul className="tiles as-of-tiles" aria-label={t('portfolio.asOf.tiles', { week: date(week) })}>
        <li className="tile tile-total">
          <span className="tile-label">{t('portfolio.tiles.total')}</span>
          <span className="tile-value">{rows.total}</span>
        </li>
        {RAG_ORDER.map((rag) => (
          <li key={rag} className={`tile tile-rag tile-${rag}`}>
            <span className="tile-label">{t(`rag.${rag}`)}</span>
            <span className="tile-value">{byRag[rag]}</span>
          </li>
        ))}
      </ul>
      <section className="card" aria-labelledby="snapshot-heading">
        <h2 id="snapshot-heading">{t('portfolio.asOf.table.title', { week: date(week) })}</h2>
        <table className="plain-table snapshot-table">
          <thead>
            <tr>
              <th scope="col">{t('portfolio.col.key')}</th>
              <th scope="col">{t('portfolio.col.summary')}</th>
              <th scope="col">{t('portfolio.asOf.col.rag')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.items.map((row) => (
              <tr key={row.key}>
                <td>
                  <IssueLink issueKey={row.key} />
                </td>
                <td>{row.summary}</td>
                <td>
                  <RagLozenge rag={row.rag} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.total > rows.items.length && (
          <p className="subtle">{t('portfolio.exceptions.more', { count: rows.total - rows.items.length })}</p>
        )}
      </section>
    </>
  );
}
