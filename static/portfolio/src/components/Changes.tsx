import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { type ReactNode, useId } from 'react';
import { type ChangeItem, type ChangesView } from '../../../../src/contract/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { type RiskBand } from '../../../../src/domain/risk-bands';
import { BandBadge } from '../../../common/src/RiskBands';
import { useI18n } from '../../../common/src/useI18n';
import { IssueLink } from './IssueLink';
import { RagLozenge } from './RagLozenge';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The two days to compare: the first (the last steering committee), and the second (empty: today, live). */
export interface CompareRange {
  readonly from: string;
  readonly to: string;
}

/** "What changed since": the day of the last steering committee and, optionally, a later day than today. */
export function CompareControl({
  value,
  today,
  onChange,
}: {
  readonly value: CompareRange;
  readonly today: string;
  readonly onChange: (range: CompareRange) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const valid = (day: string) => day === '' || (ISO_DAY.test(day) && day <= today);
  return (
    <div className="as-of compare">
      <label htmlFor={`${id}-from`}>{t('portfolio.changes.from')}</label>
      <input
        id={`${id}-from`}
        type="date"
        className="date-input"
        value={value.from}
        max={value.to || today}
        onChange={(event) => {
          const day = event.currentTarget.value;
          if (valid(day)) onChange({ from: day, to: day === '' ? '' : value.to });
        }}
      />
      {value.from !== '' && (
        <>
          <label htmlFor={`${id}-to`}>{t('portfolio.changes.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            className="date-input"
            value={value.to}
            min={value.from}
            max={today}
            aria-describedby={`${id}-hint`}
            onChange={(event) => {
              const day = event.currentTarget.value;
              if (valid(day) && (day === '' || day > value.from)) onChange({ ...value, to: day });
            }}
          />
          <span id={`${id}-hint`} className="visually-hidden">
            {t('portfolio.changes.toHint')}
          </span>
          <Button onClick={() => onChange({ from: '', to: '' })}>{t('portfolio.changes.close')}</Button>
        </>
      )}
    </div>
  );
}

/** One group of changes: its heading with the count, and each project with where it was and where it is. */
function Group<T>({
  id,
  title,
  list,
  show,
}: {
  readonly id: string;
  readonly title: string;
  readonly list: { readonly total: number; readonly items: readonly ChangeItem<T>[] };
  readonly show: (value: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (list.total === 0) return null;
  return (
    <section className="change-group" aria-labelledby={`changes-${id}`} data-group={id}>
      <h3 id={`changes-${id}`}>
        {title} <span className="subtle">({list.total})</span>
      </h3>
      <ul className="change-list">
        {list.items.map((item) => (
          <li key={item.key}>
            <IssueLink issueKey={item.key} /> <span className="change-summary">{item.summary}</span>{' '}
            <span className="change-move">
              {item.from === null ? <span className="subtle">{t('portfolio.changes.new')}</span> : show(item.from)}{' '}
              <span aria-hidden="true">→</span>
              <span className="visually-hidden">{t('portfolio.changes.became')}</span> {show(item.to)}
            </span>
          </li>
        ))}
      </ul>
      {list.total > list.items.length && (
        <p className="subtle">{t('portfolio.exceptions.more', { count: list.total - list.items.length })}</p>
      )}
    </section>
  );
}

const rag = (value: RagOrNone) => <RagLozenge rag={value} />;

/** What changed between the two days, for the projects the reader may see today. */
export function ChangesPanel({ changes }: { readonly changes: ChangesView }) {
  const { t, date, term } = useI18n();
  const { from, to } = changes;
  const band = (value: RiskBand | 'none') =>
    value === 'none' ? <span className="subtle">{t('portfolio.changes.noRisk')}</span> : <BandBadge band={value} />;
  const second = to.live ? t('portfolio.changes.today') : date(to.requested);
  const nothing =
    [changes.newReds, changes.worse, changes.better, changes.decisions].every((list) => list.total === 0) &&
    (changes.risksUp?.total ?? 0) === 0 &&
    (changes.risksDown?.total ?? 0) === 0;
  return (
    <section className="card changes" aria-labelledby="changes-heading" data-testid="changes">
      <h2 id="changes-heading">{t('portfolio.changes.title', { from: date(from.requested), to: second })}</h2>
      {from.week === null ? (
        <SectionMessage appearance="warning">
          <p>
            {changes.earliestWeek === null
              ? t('portfolio.changes.noSnapshotYet', { from: date(from.requested) })
              : t('portfolio.changes.noSnapshotThen', {
                  from: date(from.requested),
                  earliest: date(changes.earliestWeek),
                })}
          </p>
        </SectionMessage>
      ) : (
        <p className="subtle">
          {to.live
            ? t('portfolio.changes.basisLive', { week: date(from.week) })
            : to.week === null
              ? t('portfolio.changes.noSecond', { to: date(to.requested) })
              : t('portfolio.changes.basis', { week: date(from.week), second: date(to.week) })}
          {changes.risksUp === null && ` ${t('portfolio.changes.noBands')}`}
        </p>
      )}
      {from.week !== null && nothing && <p className="empty">{t('portfolio.changes.nothing')}</p>}
      <Group id="newReds" title={t('portfolio.changes.newReds')} list={changes.newReds} show={rag} />
      <Group id="worse" title={t('portfolio.changes.worse')} list={changes.worse} show={rag} />
      <Group id="better" title={t('portfolio.changes.better')} list={changes.better} show={rag} />
      {changes.risksUp && (
        <Group id="risksUp" title={t('portfolio.changes.risksUp')} list={changes.risksUp} show={band} />
      )}
      {changes.risksDown && (
        <Group id="risksDown" title={t('portfolio.changes.risksDown')} list={changes.risksDown} show={band} />
      )}
      {changes.decisions.total > 0 && (
        <section className="change-group" aria-labelledby="changes-decisions" data-group="decisions">
          <h3 id="changes-decisions">
            {t('portfolio.changes.decisions')} <span className="subtle">({changes.decisions.total})</span>
          </h3>
          <ul className="change-list">
            {changes.decisions.items.map((decision) => (
              <li key={`${decision.key}-${decision.day}-${decision.gate}`}>
                <time dateTime={decision.day}>{date(decision.day)}</time> <IssueLink issueKey={decision.key} />{' '}
                <span className="change-summary">{decision.summary}</span>{' '}
                {t('portfolio.changes.decision', {
                  outcome: decision.outcome,
                  gate: term('gate', decision.gate),
                })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
