import Lozenge from '@atlaskit/lozenge';
import { type DecisionView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';

const APPEARANCE = {
  GO: 'success',
  CONDITIONAL_GO: 'inprogress',
  HOLD: 'moved',
  RECYCLE: 'new',
  KILL: 'removed',
} as const;

/** Every gate decision, newest first, with its conditions and any override kept for audit. */
export default function DecisionHistory({
  decisions,
  names,
}: {
  readonly decisions: readonly DecisionView[];
  readonly names: ReadonlyMap<string, string | null>;
}) {
  const { t, date, dateTime } = useI18n();
  if (decisions.length === 0) return <p className="empty">{t('panel.history.empty')}</p>;
  return (
    <ol className="history">
      {decisions.map((decision) => (
        <li key={decision.id}>
          <div className="row-between">
            <span>
              <Lozenge appearance={APPEARANCE[decision.outcome]} isBold>
                {t(`param.outcome.${decision.outcome}`)}
              </Lozenge>{' '}
              <strong>{decision.gateName}</strong>
            </span>
            <span className="subtle">
              {t('panel.history.by', {
                name: names.get(decision.decidedBy) ?? decision.decidedBy,
                when: dateTime(decision.decidedAt),
              })}
            </span>
          </div>
          <p>{decision.rationale}</p>
          {decision.conditions.length > 0 && (
            <>
              <p className="subtle">
                {decision.conditionsDueDate
                  ? t('panel.history.conditionsDue', { date: date(decision.conditionsDueDate) })
                  : t('panel.history.conditions')}
              </p>
              <ul className="conditions">
                {decision.conditions.map((condition) => (
                  <li key={condition.id}>
                    <span aria-hidden="true">{condition.metAt ? '✓ ' : '○ '}</span>
                    {condition.text}{' '}
                    <span className="subtle">
                      {condition.metAt
                        ? t('panel.history.met', { when: date(condition.metAt) })
                        : t('panel.history.notMet')}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {decision.overrideReason && (
            <p className="warning-text">{t('panel.history.override', { reason: decision.overrideReason })}</p>
          )}
          {decision.lapsedTo && (
            <p className="warning-text">
              {t('panel.history.lapsed', { outcome: t(`param.outcome.${decision.lapsedTo}`) })}
              {decision.lapsedRationale ? ` ${decision.lapsedRationale}` : ''}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
